"""What a worker's private message says of a ticket in one line: the place and the problem
first. Residents start with a call or a greeting ("小马在不在啊", "孙丽啊我是五栋的老韩",
"说个事啊"); in a group that is polite, in a list of tickets it hides what is wrong, and the
cut at the end then loses the key fact. So the opening calls go, the place leads when the
words do not say it, and the cut falls where a clause ends.
"""

from __future__ import annotations

import re

from intents.phrases import phrase

_CLAUSE = r"[^\s，,。！!？?~：:]"
_SEP = r"[\s，,。！!？?~：:…]*"
# One opening that is not the need: a call to someone (@name, 小马在不在啊, 网格员在吗,
# 强哥 / 陈主任 said alone), a greeting (各位邻居好), a preamble (说个事啊, 问下, 这个谁管啊),
# a name called before saying who one is (孙丽啊我是…), and that self-introduction when it
# carries no room number (我是三栋的老韩: the place is the ticket's, the name is in brackets).
_OPENING = re.compile(
    r"^(?:"
    r"@\S+|\+1"
    rf"|{_CLAUSE}{{1,3}}(?=\s*我?跟你们?说)"
    rf"|{_CLAUSE}{{0,4}}?(?:在不在|在吗|在么|在嘛|在不)[啊呀吗呢哈]?"
    r"|(?:各位|大家)(?:邻居|街坊|家人|叔叔阿姨|叔叔|阿姨|朋友)?们?(?:好|早上好|早|晚上好)|(?:你好|您好|恁好|哈喽|喂)"
    rf"|{_CLAUSE}{{1,3}}(?:哥|姐|主任|书记|网格员|师傅|同志)(?=[\s，,。！!：:])"
    rf"|{_CLAUSE}{{1,3}}[啊呀哎](?=我是|[\s，,])"
    r"|(?:我?(?:跟你们?说个?事|跟你们?说|说个事|提个建议|提个意见|反映个事|反映个情况)|问下|问一下|想问一?下|想问问|请问一?下|请问|麻烦问一?下|打扰一?下|打扰了"
    r"|这个?谁管|这事谁管)[啊呀吧哈]?"
    rf"|我是(?:[^\s，,。！!？?0-9０-９]){{1,16}}?(?=[\s，,。！!？?]|我)"
    rf"){_SEP}"
)
MIN_LEFT = 6  # never cut an opening that would leave less than this


def gist(text: str, place: str | None = None, limit: int = 50) -> str:
    """`text` (already masked) as one line for a worker: openings cut, `place` first when
    the words do not name it, at most about `limit` characters, cut at a clause's end."""
    text = " ".join(text.split())
    while True:
        m = _OPENING.match(text)
        if not m or not m.group(0) or len(text) - m.end() < MIN_LEFT:
            break
        text = text[m.end():]
    text = _EMOJI.sub("", text).strip() or text
    if place and _squeeze(place) not in _squeeze(text):
        text = f"{place} {text}"
    if len(text) <= limit:
        return text
    kept = _why_now(text, limit)
    if kept is not None:
        return kept
    cut = max(text.rfind(mark, 0, limit) for mark in " ，,。；;！!？?")
    return (text[:cut] if cut >= limit * 2 // 3 else text[:limit]).rstrip(" ，,。；;") + "…"


# WeChat's emoji codes ([裂开], [捂脸]): nothing a worker needs on a phone.
_EMOJI = re.compile(r"\[[^\[\]\s]{1,4}\]")
# A clause that says what is wrong or needed, why it cannot wait or who suffers: the old,
# ill or alone, a child, a time (明天上午, 一宿, 一个礼拜), a danger, a fault, the ask. Kept
# first when a long report is cut; what only describes (门口贴了张条) goes first, and
# politeness (钱我微信转, 谢谢大家) is never worth a worker's line.
_WHY_NOW = phrase("brief.why_now")
_POLITE = phrase("brief.polite", r"^(?:%s)")
_CLAUSES = re.compile(r"[\s，,。！!？?~；;…]+")


def _why_now(text: str, limit: int) -> str | None:
    """A long report cut by clauses: the first (where, what), then those that say what is
    wrong, why now or who suffers, then the rest but politeness, in their order, as many as
    fit; None when the first clause alone is too long (then the plain cut)."""
    clauses = [c for c in _CLAUSES.split(text) if c]
    if not clauses or len(clauses[0]) > limit:
        return None
    rest = range(1, len(clauses))
    order = [0, *(i for i in rest if _WHY_NOW.search(clauses[i])),
             *(i for i in rest if not _WHY_NOW.search(clauses[i]) and not _POLITE.match(clauses[i]))]
    kept, size = [], -1
    for i in order:
        if size + 1 + len(clauses[i]) <= limit:
            kept.append(i)
            size += 1 + len(clauses[i])
    return " ".join(clauses[i] for i in sorted(kept)) + ("…" if len(kept) < len(clauses) else "")


def line(text: str, place: str | None, who: str, since: str, limit: int = 50) -> str:
    """A ticket in one line for a worker: where and what (`gist`), then who said it and
    since when: 「14幢后头那条小路到车库那块 路灯都不亮了…（14幢 周大爷 11-22 17:21）」."""
    said = " ".join(part for part in (who, since) if part)
    return f"{gist(text, place, limit)}（{said}）" if said else gist(text, place, limit)


def since(now_local, then_local) -> str:
    """When it was said, as a worker reads it the same day (17:21) or later (11-22 17:21)."""
    return then_local.strftime("%H:%M" if then_local.date() == now_local.date() else "%m-%d %H:%M")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
