"""One message, read: its jieba tokens, its clauses, the concepts it names and in what
reading (now, negated, past, habitual, hypothetical, resolved), and the features the
model weighs. Training (intents/train.py) and classification use this same code.

Readings, from the scope words (rules/20_scope.toml):
- 否定 negates a concept that starts at most 3 characters after it in the same clause;
- 过去 marks its clause and the ones after it, until one says 现在 or 仍然 (小时候…,
  楼道里码一大垛 / 上次修过 现在又坏了); in its own clause, what follows a 现在 or 仍然
  word after it is said now (上次修好了又坏了, 昨天晚上开始就没水); 习惯 marks its clause; 假设 marks its clause and the
  one before it (着火了 往哪跑); 风险 (容易着火, 差点, 怕) marks its clause only; 条件 (要是,
  万一, 如果…的话) marks its clause and the one after it (see _reach);
- 已解决 marks its clause and the clauses before it, except clauses that hold a 仍然 word.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from .lexicon import Lexicon, Match

CLAUSE_SPLIT = re.compile(r"[。！？!?；;，,、\n\r\t 　…~～]+|不过|但是|可是|然而")
_NEG_GAP = 3
_HEAD_RE = re.compile(r"(?:【[^】]{0,14}?([\u4e00-\u9fff]{1,2})】|([\u4e00-\u9fff]{2,10})[：:](?![0-9]))")
_TRAILING = " \t\n。.!！~～…,，、"

# reading of a concept -> the suffix of its feature
NEG, PAST, HABIT, HYPO, DONE = "@否定", "@过去", "@习惯", "@假设", "@已解决"
PLACE = "@地点"
RULE_WORD = "词:"  # concept name of a plain word used in a rule (see rules.py)
_MARKING = {"过去": PAST, "习惯": HABIT, "假设": HYPO, "风险": HYPO}
# A condition's own clause is closed by a question at its end (万一着火了怎么办); a clause
# that asks for a hand (如果方便的话 帮我看看) is a request, not what would follow.
_CLOSE_GAP = 2
_QUESTION = "问句"
_WISH = "愿望"
_ASKED_NOW = frozenset({"办事", "找谁", "问询"})
_ASKING = frozenset({"求助", "求救", "代办"})
# Words of 现在 that end a memory inside its own clause (昨天晚上开始就没水, 上周报的 到现在没人来);
# 刚 / 刚才 after a past word are still in the past (上个月刚停过).
_UNTIL_NOW = frozenset({"现在", "开始就", "到现在", "至今", "目前", "眼下", "这会儿"})


class Concept(NamedTuple):
    """A concept found in the message, with the word that said it and its readings."""

    name: str
    word: str
    start: int
    clause: int
    readings: tuple[str, ...]  # () when it is simply happening now

    @property
    def now(self) -> bool:
        """Not negated, past, habitual, hypothetical or resolved."""
        return not self.readings

    @property
    def negated(self) -> bool:
        return NEG in self.readings


@dataclass(frozen=True)
class Analysis:
    text: str  # normalized text
    tokens: tuple[str, ...]
    clause_starts: tuple[int, ...]
    concepts: tuple[Concept, ...]
    scopes: tuple[Match, ...]  # the scope words found (否定, 过去, …)

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos)

    def has_scope(self, name: str) -> bool:
        return any(m.name == name for m in self.scopes)

    def features(self) -> list[str]:
        """The names of the features present (binary), for the linear model."""
        return sorted(features(self))


def token_bounds(tokens: tuple[str, ...]) -> set[int]:
    """Where the tokens start and end."""
    return set(accumulate(map(len, tokens), initial=0))


def analyse(text: str, tokens: tuple[str, ...], lexicon: Lexicon,
            seen: list[tuple[int, int, str]] | None = None) -> Analysis:
    """Read a normalized text given its jieba tokens (and the concept words the cut saw:
    see Lexicon.find)."""
    starts = tuple(m.end() for m in CLAUSE_SPLIT.finditer(text))
    matches = lexicon.find(text, token_bounds(tokens), seen)
    scopes = tuple(m for m in matches if m.is_scope)
    if not scopes:  # the common case: everything is said now
        concepts = tuple(Concept(m.name, m.word, m.start, bisect.bisect_right(starts, m.start), ())
                         for m in matches)
        return Analysis(text, tokens, starts, concepts, scopes)

    def clause_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    marks: dict[int, set[str]] = {}
    negs: dict[int, list[int]] = {}  # clause -> ends of its negation words, in order
    still: set[int] = set()
    done_upto = -1
    now: set[int] = set()  # clauses that say "now" or "again": the past ends there
    past_from: list[int] = []
    past_at: dict[int, int] = {}  # clause -> where its first past word ends
    now_at: dict[int, list[int]] = {}  # clause -> where its now / again words start
    conditions: list[Match] = []
    for m in scopes:
        c = clause_of(m.start)
        if m.name == "否定":
            negs.setdefault(c, []).append(m.end)
        elif m.name == "条件":
            conditions.append(m)  # marked by _reach()
        elif m.name in _MARKING:
            marks.setdefault(c, set()).add(_MARKING[m.name])
            if m.name == "假设" and c > 0:
                marks.setdefault(c - 1, set()).add(HYPO)
            if m.name == "过去":
                past_from.append(c)
                past_at.setdefault(c, m.end)
        elif m.name == "仍然":
            still.add(c)
            now.add(c)
            now_at.setdefault(c, []).append(m.start)
        elif m.name == "现在":
            now.add(c)
            if m.word in _UNTIL_NOW:
                now_at.setdefault(c, []).append(m.start)
    # A memory goes on over the clauses that follow (小时候…, 楼道里码一大垛, …) until one
    # says now or again (上次修过 现在又坏了).
    for c in sorted(set(past_from)):
        if any(q >= past_at[c] for q in now_at.get(c, ())):
            continue  # the memory ended in its own clause (昨天晚上开始就没水)
        k = c + 1
        while k <= len(starts) and k not in now:
            marks.setdefault(k, set()).add(PAST)
            k += 1
    if conditions:
        _reach(conditions, matches, text, starts, now, marks)
    for m in scopes:
        if m.name == "已解决":
            c = clause_of(m.start)
            if c not in still:
                done_upto = max(done_upto, c)

    concepts: list[Concept] = []
    for m in matches:
        if m.is_scope:
            continue
        c = clause_of(m.start)
        readings: list[str] = []
        ends = negs.get(c)
        if ends:
            # the last negation ending at or before this word, at most _NEG_GAP before it
            i = bisect.bisect_right(ends, m.start)
            if i and m.start - ends[i - 1] <= _NEG_GAP:
                readings.append(NEG)
        if c in marks:
            # a procedure asked about is asked now, also in a supposition (换身份证的话…)
            drop = {HYPO} if m.name in _ASKED_NOW else set()
            if c in past_at and c in now_at and any(past_at[c] <= q <= m.start for q in now_at[c]):
                drop.add(PAST)  # 昨天晚上开始就没水 / 上次修好了又坏了: the past ended before it
            readings.extend(sorted(r for r in marks[c] if r not in drop))
        if c <= done_upto and c not in still:
            readings.append(DONE)
        concepts.append(Concept(m.name, m.word, m.start, c, tuple(readings)))
    return Analysis(text, tokens, starts, tuple(concepts), scopes)


def _reach(conditions: list[Match], matches: list[Match], text: str, starts: tuple[int, ...],
           now: set[int], marks: dict[int, set[str]]) -> None:
    """A condition (要是电梯坏了, 万一井盖被偷了) marks its clause and reaches the clause
    after it, which says what would follow (十八楼的老人咋下楼啊, 物业能第一时间来吗), unless
    its own clause ends on the question already (万一着火了怎么办 楼道里堆满了纸箱: what
    follows is a report), the next clause says now (现在的人啥都偷) or asks for a hand
    (要是有空的话 帮我看看水管). It never reaches back: 楼道里堆满了纸箱 万一着火了怎么办 is a
    report. A condition with a wish in it or after it (如果能有个洗车位就好了) is the wish,
    said now."""
    clause_of = functools.partial(bisect.bisect_right, starts)
    for m in conditions:
        c = clause_of(m.start)
        k = c + 1
        if any(x.name == _WISH and clause_of(x.start) in (c, k) for x in matches):
            continue  # 如果能有个洗车位就好了: a wish, said now
        marks.setdefault(c, set()).add(HYPO)
        if k > len(starts) or k in now:
            continue
        # where clause c ends, before the separator that follows it
        end = CLAUSE_SPLIT.search(text, m.end)
        end_at = end.start() if end else len(text)
        # the last word of clause c after the condition: a question there closes it
        last = max((x for x in matches if not x.is_scope and x.start >= m.end and x.end <= end_at),
                   key=lambda x: (x.end, x.name == _QUESTION), default=None)
        closed = last is not None and last.name == _QUESTION and end_at - last.end <= _CLOSE_GAP
        closed = closed or any(x.name in _ASKING and clause_of(x.start) == k for x in matches)
        if not closed:
            marks.setdefault(k, set()).add(HYPO)


# Concepts that say nothing about a need (greetings, emoji, group buying…): a message
# with none but these is counted as naming no need.
CHATTER = frozenset({"寒暄", "表情", "回应", "团购", "广告", "转发", "通知", "失物", "闲聊", "邻里互助",
                     "借用", "好使"})


class Parts(NamedTuple):
    """The features of a message in three kinds: jieba words and character n-grams are
    kept without their prefix (the model looks them up in tables of their own, which
    spares building a string per feature on every message)."""

    other: set[str]  # concepts, pairs, counts, scope words, last character, length
    words: set[str]  # every token; feature "w:" + token for those that are words (is_word)
    grams: set[str]  # feature "g:" + 1-3 characters

    def names(self) -> set[str]:
        """Every feature as one name (training and explain)."""
        return (self.other | {"w:" + w for w in self.words if is_word(w)}
                | {"g:" + g for g in self.grams})


def is_word(token: str) -> bool:
    """A token that is a feature: it holds a letter or digit (not punctuation, emoji or
    spaces). The model knows only such tokens, so the others may be looked up in vain."""
    return token.isalnum() or not token.isspace() and any(ch.isalnum() for ch in token)


def features(a: Analysis, place: str | None = None) -> set[str]:
    """Every feature as one name (training and explain): see feature_parts()."""
    return feature_parts(a, place).names()


def feature_parts(a: Analysis, place: str | None = None) -> Parts:
    """Concepts with their readings, pairs of concepts said now in one clause, how many
    needful concepts are said now, scope words, jieba words, character 1-3-grams, the last
    character and a length class. A concept word inside the place (垃圾房 in 9栋垃圾房那边)
    says where, not what: it counts as @地点 only."""
    feats: set[str] = set()
    add = feats.add
    by_clause: dict[int, set[str]] = {}
    needful: set[str] = set()
    for c in a.concepts:
        name = c.name
        if name.startswith(RULE_WORD):
            continue  # a plain word of a rule, not a concept the model knows
        if place and c.word in place:
            add("c:" + name + PLACE)
            continue
        readings = c.readings
        if NEG in readings:
            add("c:" + name + NEG)
            continue
        for r in readings:
            add("c:" + name + r)
        if HYPO in readings:
            continue  # a supposition names no such thing (要是电梯坏了…)
        add("c:" + name)
        # A need goes on when it is habitual or has lasted (经常坏, 坏了好几天了): it is no
        # emergency (urgent rules want it said now) but it is still the need.
        if not readings or readings == (HABIT,):
            by_clause.setdefault(c.clause, set()).add(name)
            if name not in CHATTER:
                needful.add(name)
    for names in by_clause.values():
        if len(names) > 1:
            ordered = sorted(names)
            for i, x in enumerate(ordered):
                for y in ordered[i + 1:]:
                    add(f"p:{x}+{y}")
    add("cn:" + str(min(len(needful), 3)))
    if not needful:
        # Nothing needful said now, yet something needful said as a memory, a supposition
        # or a thing already put right (上回我家马桶堵了…, 万一着火…, 修好了): a story.
        for r in {r for c in a.concepts if c.readings and c.name not in CHATTER
                  and not c.name.startswith(RULE_WORD) for r in c.readings if r != NEG}:
            add("only" + r)
    for m in a.scopes:
        add("s:" + m.name)
    words = set(a.tokens)
    squeezed = " ".join(a.text.split())
    grams = set(squeezed)
    pairs = list(map(operator.add, squeezed, squeezed[1:]))
    grams.update(pairs)
    grams.update(map(operator.add, pairs, squeezed[2:]))
    tail = a.text.rstrip(_TRAILING)
    if tail:
        add("end:" + tail[-1])
    head = _HEAD_RE.match(a.text.lstrip())
    if head:
        # A headline (【社区通知】, 防诈骗提醒：) is how notices and forwards begin.
        add("head:" + (head.group(1) or head.group(2))[-2:])
    n = len(a.text)
    add("len:" + ("1" if n <= 2 else "2" if n <= 6 else "3" if n <= 15 else "4" if n <= 40 else "5"))
    return Parts(feats, words, grams)
