"""Score a classifier on a labelled JSON Lines file (the INTENTS.md format).

A prediction whose confidence is below `min_confidence` counts as `none`: the bot
stays silent then, so for the residents it *is* a `none`. The same threshold
decides whether a `none` message "would open a ticket" (none_false_ticket_rate).

Usage (wired as `python -m bot eval FILE [--json] [--min-confidence X]`):
    python -m intents.evaluate FILE [--json] [--min-confidence X]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from .model import INTENTS, TICKET_INTENTS, Classification


class _Classifies(Protocol):
    def classify(self, text: str) -> Classification: ...


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read labelled lines; a bad line raises ValueError naming its line number."""
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{path}:{lineno}: needs a string 'text'")
            if row.get("intent") not in INTENTS:
                raise ValueError(f"{path}:{lineno}: intent {row.get('intent')!r} is not one of {INTENTS}")
            rows.append(row)
    return rows


def _ratio(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def evaluate(classifier: _Classifies, rows: Iterable[dict[str, Any]],
             min_confidence: float = 0.5) -> dict[str, Any]:
    """Accuracy, macro-F1, per-intent P/R/F1, false tickets on chatter, urgency, places."""
    rows = list(rows)
    wait_ready = getattr(classifier, "wait_ready", None)
    if callable(wait_ready):
        wait_ready()  # jieba loads in the background: do not time its start-up
    start = time.perf_counter()
    results = [classifier.classify(r["text"]) for r in rows]
    elapsed = time.perf_counter() - start

    confusion: dict[str, dict[str, int]] = {g: {p: 0 for p in INTENTS} for g in INTENTS}
    correct = 0
    none_total = none_ticket = 0
    need_total = need_none = 0
    urgent_tp = urgent_fn = urgent_fp = 0
    loc_total = loc_exact = 0
    errors: list[dict[str, Any]] = []
    for row, res in zip(rows, results, strict=True):
        gold = row["intent"]
        pred = res.intent if res.confidence >= min_confidence else "none"
        confusion[gold][pred] += 1
        correct += pred == gold
        if gold == "none":
            none_total += 1
            none_ticket += pred in TICKET_INTENTS
        elif gold in TICKET_INTENTS:
            need_total += 1
            need_none += pred == "none"
        gold_urgent = bool(row.get("urgent"))
        if gold_urgent and res.urgent:
            urgent_tp += 1
        elif gold_urgent:
            urgent_fn += 1
        elif res.urgent:
            urgent_fp += 1
        if row.get("location"):
            loc_total += 1
            loc_exact += res.place == row["location"]
        if pred != gold:
            errors.append({"text": row["text"], "gold": gold, "pred": pred,
                           "confidence": res.confidence})

    per_intent: dict[str, dict[str, float]] = {}
    for intent in INTENTS:
        tp = confusion[intent][intent]
        support = sum(confusion[intent].values())
        predicted = sum(confusion[g][intent] for g in INTENTS)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"precision": round(precision, 4), "recall": round(recall, 4),
                              "f1": round(f1, 4), "support": support}
    present = [i for i in INTENTS if per_intent[i]["support"]]
    macro_f1 = sum(per_intent[i]["f1"] for i in present) / len(present) if present else 0.0
    n = len(rows)
    return {
        "n": n,
        "accuracy": _ratio(correct, n),
        "macro_f1": round(macro_f1, 4),
        "per_intent": per_intent,
        "none_false_ticket_rate": _ratio(none_ticket, none_total),
        "need_none_rate": _ratio(need_none, need_total),
        "urgent_recall": _ratio(urgent_tp, urgent_tp + urgent_fn),
        "urgent_precision": _ratio(urgent_tp, urgent_tp + urgent_fp),
        "location_exact": _ratio(loc_exact, loc_total),
        "msgs_per_s": round(n / elapsed, 1) if elapsed > 0 else 0.0,
        "min_confidence": min_confidence,
        "confusion": confusion,
        "errors": errors,
    }


def format_report(result: dict[str, Any]) -> str:
    """A readable table of the figures and the confusion matrix (rows = gold)."""
    lines = [
        f"messages: {result['n']}   accuracy: {result['accuracy']:.3f}   "
        f"macro-F1: {result['macro_f1']:.3f}   (confidence < {result.get('min_confidence', 0.5)} counts as none)",
        f"none -> ticket: {result['none_false_ticket_rate']:.3f}   needs -> none: "
        f"{result['need_none_rate']:.3f}   urgent recall: "
        f"{result['urgent_recall']:.3f}   urgent precision: {result['urgent_precision']:.3f}   "
        f"place exact: {result['location_exact']:.3f}   speed: {result['msgs_per_s']:.0f} msg/s",
        "",
        f"{'intent':<11}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for intent, m in result["per_intent"].items():
        lines.append(f"{intent:<11}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}")
    confusion = result.get("confusion")
    if confusion:
        short = {i: i[:5] for i in INTENTS}
        lines += ["", "confusion (rows = label, columns = prediction):",
                  " " * 11 + "".join(f"{short[p]:>7}" for p in INTENTS)]
        for gold in INTENTS:
            lines.append(f"{gold:<11}" + "".join(f"{confusion[gold][p]:>7}" for p in INTENTS))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """`eval FILE [--json] [--min-confidence X]`: print the report; 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m bot eval",
                                     description="Score the classifier on a labelled JSONL file.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--min-confidence", type=float, default=0.5,
                        help="below this a prediction counts as none (default 0.5)")
    parser.add_argument("--rules", type=Path, default=None, help="rules folder or file")
    parser.add_argument("--errors", action="store_true", help="also list misclassified messages")
    args = parser.parse_args(argv)

    from .classifier import Classifier
    from .rules import RulesError

    try:
        rows = load_rows(args.file)
        classifier = Classifier.load(args.rules)
    except (OSError, ValueError, RulesError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = evaluate(classifier, rows, min_confidence=args.min_confidence)
    if args.json:
        public = {k: v for k, v in result.items() if k not in ("confusion", "errors", "min_confidence")}
        print(json.dumps(public, ensure_ascii=False))
    else:
        print(format_report(result))
        if args.errors:
            print("\nmisclassified:")
            for e in result["errors"]:
                print(f"  {e['gold']:>10} -> {e['pred']:<10} {e['confidence']:.2f}  {e['text'][:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
