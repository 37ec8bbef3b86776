"""Why a message got its intent, urgency and place: `python -m bot explain "文本"`.

Shows what the classifier read (the normalized text, jieba's words, the concepts and
their readings), the rules that applied, the model's scores for every intent with the
features that weighed most, the urgency decision and the place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .classifier import (
    DANGER_NEEDS,
    SUPPOSING,
    URGENT_ALONE,
    URGENT_ALONE_NONE,
    URGENT_VETO,
    Classifier,
    Decision,
    as_names,
    likeliest_need,
)
from .model import INTENT_NAMES_ZH

_READING_ZH = {"@否定": "被否定", "@过去": "过去的事", "@习惯": "经常或拖了很久", "@假设": "假设",
               "@已解决": "已解决", "@地点": "是地点"}


def explain(clf: Classifier, text: str, top: int = 8) -> str:
    d = clf.decide(text)
    return render(clf, d, top)


def render(clf: Classifier, d: Decision, top: int = 8) -> str:
    c, a = d.classification, d.analysis
    lines = [f"原文: {c.masked_text}", f"读作: {a.text}", "分词: " + "/".join(a.tokens)]
    concepts = []
    for x in a.concepts:
        if x.name.startswith("词:"):
            continue
        reading = "，".join(_READING_ZH[r] for r in x.readings)
        concepts.append(f"{x.name}「{x.word}」" + (f"（{reading}）" if reading else ""))
    lines.append("概念: " + ("  ".join(concepts) if concepts else "（没有）"))
    if a.scopes:
        lines.append("改变意思的词: " + "  ".join(f"{m.name}「{m.word}」" for m in a.scopes))
    lines.append("")
    name = INTENT_NAMES_ZH.get(c.intent, c.intent)
    lines.append(f"类别: {c.intent} {name}  把握 {c.confidence:.2f}"
                 + ("  （记住的更正）" if d.remembered else ""))
    ranked = sorted(d.probabilities.items(), key=lambda kv: -kv[1])
    lines.append("  各类: " + "  ".join(f"{i} {p:.2f}" for i, p in ranked if p >= 0.01))
    model = clf.model
    if model is not None:
        contrib = model.contributions(as_names(d.parts), c.intent)[:top]
        if contrib:
            lines.append("  模型看重: " + "  ".join(f"{_feature_zh(f)} {w:+.2f}" for f, w in contrib))
    for r in d.rules:
        lines.append(f"  规则「{r.name}」 {r.intent} {r.weight:+g}（{r.where}）")
    lines.append("")
    if c.urgent:
        why = "，".join(f"规则「{r.name}」" for r in d.urgent_rules) or "模型判断"
        lines.append(f"紧急: 是  电话 {c.emergency or '（无）'}  依据: {why}；模型估计 {d.urgent_probability:.2f}")
    else:
        if d.calm:
            reason = "消息说事情已经平息"
        elif d.urgent_rules and d.urgent_probability < URGENT_VETO and all(r.model_veto for r in d.urgent_rules):
            names = "，".join(r.name for r in d.urgent_rules)
            reason = f"规则「{names}」说到了，但模型估计只有 {d.urgent_probability:.2f}（低于 {URGENT_VETO}）"
        elif d.urgent_rules:
            reason = "不是要处理的诉求"
        elif d.urgent_probability >= URGENT_ALONE and likeliest_need(d.probabilities) not in DANGER_NEEDS:
            need = INTENT_NAMES_ZH[likeliest_need(d.probabilities)]
            reason = (f"没有紧急规则说到；模型估计 {d.urgent_probability:.2f}，但读到的诉求（{need}）"
                      f"不是人命关天的那种（只有{'、'.join(INTENT_NAMES_ZH[i] for i in sorted(DANGER_NEEDS))}能只凭模型算紧急）")
        elif d.urgent_probability >= URGENT_ALONE and any(m.name in SUPPOSING for m in a.scopes):
            reason = (f"没有紧急规则说到；模型估计 {d.urgent_probability:.2f}，但说的是假设"
                      "（着了火咋整、要是…）：不是眼下的险情")
        elif d.urgent_probability >= URGENT_ALONE and d.probabilities["none"] >= URGENT_ALONE_NONE:
            reason = (f"没有紧急规则说到；模型估计 {d.urgent_probability:.2f}，但读作非诉求的把握有 "
                      f"{d.probabilities['none']:.2f}（不低于 {URGENT_ALONE_NONE}）：像是提醒、议论，不是新的险情")
        else:
            reason = f"没有紧急规则说到，模型估计 {d.urgent_probability:.2f}（低于 {URGENT_ALONE}）"
        lines.append(f"紧急: 否  {reason}")
    lines.append(f"地点: {c.place or '（没有）'}")
    return "\n".join(lines)


def _feature_zh(feature: str) -> str:
    kind, _, rest = feature.partition(":")
    label = {"c": "概念", "p": "同一句里", "s": "读法", "w": "词", "g": "字", "end": "结尾",
             "len": "长度"}.get(kind)
    return f"{label}:{rest}" if label else feature


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot explain",
                                     description="Show why a message gets its intent, urgency and place.")
    parser.add_argument("text", nargs="+", help="the message (several: one after another)")
    parser.add_argument("--rules", type=Path, default=None, help="rules folder or file")
    parser.add_argument("--model", type=Path, default=None, help="weights file")
    parser.add_argument("--top", type=int, default=8, help="how many weighty features to show")
    args = parser.parse_args(argv)
    from .rules import RulesError

    try:
        clf = Classifier.load(args.rules, args.model)
    except RulesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n\n".join(explain(clf, t, args.top) for t in args.text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
