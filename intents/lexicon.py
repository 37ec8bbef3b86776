"""Concept words: which words of a message say which concept (设施, 故障, 老人, 求助…).

A word matches where it occurs in the (normalized) text and jieba's tokens agree: its
start or its end falls on a token boundary, so 起火 is not found in 一起/火锅. Words
written `=词`, and one-character words, must be whole tokens or runs of whole tokens
(=没电 is not found in 没/电梯; 灯 is not found in 灯笼). Every matching word is kept, also
when words overlap (换灯泡 is an errand and names a household item), except that a
scope word (否定, 已解决…) inside a longer word does not count (the 不 of 不亮), nor a 已解决
word that starts inside a fault word (the 亮了 of 不亮了).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

SCOPES = ("否定", "过去", "习惯", "假设", "条件", "风险", "已解决", "仍然", "现在", "平息")
DONE_SCOPE = "已解决"
# Concepts that say a thing does not work: a 已解决 word starting inside one ends it (不亮了).
FAULTS = frozenset({"故障", "停供"})


# The characters jieba's cut reads as blocks (jieba.re_han_default): a word of others is
# never met by the cut.
_BLOCK_RE = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")


class Match(NamedTuple):
    """One word found in the text: `name` is a concept or a scope name."""

    name: str
    word: str
    start: int
    end: int
    is_scope: bool


class Lexicon:
    """Word -> concept index built from the concept and scope lists of the rule files."""

    def __init__(self, concepts: Mapping[str, Iterable[str]],
                 scope: Mapping[str, Iterable[str]]) -> None:
        self.concepts = {name: tuple(words) for name, words in concepts.items()}
        self.scope = {name: tuple(words) for name, words in scope.items()}
        index: dict[str, list[tuple[str, bool, bool]]] = {}
        for table, is_scope in ((self.concepts, False), (self.scope, True)):
            for name, words in table.items():
                for raw in words:
                    whole = raw.startswith("=") and len(raw) > 1
                    word = raw[1:] if whole else raw
                    word = word.lower()
                    if not word:
                        continue
                    entry = (name, whole or len(word) == 1, is_scope)
                    bucket = index.setdefault(word, [])
                    if entry not in bucket:
                        bucket.append(entry)
        self._index = {w: tuple(v) for w, v in index.items()}
        # A tree of the words by character; None holds what a word ending there says.
        self._trie: dict = {}
        for word, entries in self._index.items():
            node = self._trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[None] = entries
        self._max_len = max((len(w) for w in self._index), default=1)
        # Until seen_by() is told jieba's dictionary, every word is looked for by a walk.
        self.seen_by_cut: dict[str, frozenset[str]] = {}
        self._rest_trie = self._trie
        self._rest_starts: re.Pattern[str] | None = None

    def seen_by(self, freq: Mapping[str, int]) -> None:
        """Split the words into those jieba's cut meets as words of its dictionary `freq`
        (segment.cut reports them) and the rest, looked for by a walk: words of characters
        the cut does not read in blocks (?, ！) or that are no word of the dictionary."""
        seen = {w for w in self._index if freq.get(w) and _BLOCK_RE.fullmatch(w)}
        by_first: dict[str, set[str]] = {}
        for word in seen:
            by_first.setdefault(word[0], set()).add(word)
        trie: dict = {}
        for word, entries in self._index.items():
            if word not in seen:
                node = trie
                for ch in word:
                    node = node.setdefault(ch, {})
                node[None] = entries
        self._rest_trie = trie
        self._rest_starts = re.compile("[" + "".join(map(re.escape, sorted(trie))) + "]") if trie else None
        self.seen_by_cut = {first: frozenset(words) for first, words in by_first.items()}

    def words(self) -> list[str]:
        """Every word of more than one character (for jieba's dictionary)."""
        return sorted(w for w in self._index if len(w) > 1)

    def names_of(self, word: str) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self._index.get(word.lower(), ()))

    def find(self, text: str, bounds: set[int],
             seen: list[tuple[int, int, str]] | None = None) -> list[Match]:
        """All words of the lexicon in `text` that agree with the token `bounds`: a walk
        down the tree of words from every position; or, given what the cut `seen` of the
        words it meets (segment.cut with watch=seen_by_cut), a walk for the other words
        only, from where one of them starts."""
        found: list[Match] = []
        if seen is None or not self.seen_by_cut:
            trie = self._trie
            starts: Iterable[int] = range(len(text))
        else:
            trie = self._rest_trie
            starts = (m.start() for m in self._rest_starts.finditer(text)) if self._rest_starts else ()
            index = self._index
            for i, j, word in sorted(seen):
                start_ok = i in bounds
                end_ok = j in bounds
                if start_ok or end_ok:
                    for name, whole, is_scope in index[word]:
                        if whole and not (start_ok and end_ok):
                            continue
                        found.append(Match(name, word, i, j, is_scope))
        n = len(text)
        walked: list[Match] = []
        for i in starts:
            node = trie.get(text[i])
            if node is None:
                continue
            start_ok = i in bounds
            j = i + 1
            while True:
                entries = node.get(None)
                if entries is not None:
                    end_ok = j in bounds
                    if start_ok or end_ok:
                        word = text[i:j]
                        for name, whole, is_scope in entries:
                            if whole and not (start_ok and end_ok):
                                continue
                            walked.append(Match(name, word, i, j, is_scope))
                if j >= n:
                    break
                node = node.get(text[j])
                if node is None:
                    break
                j += 1
        if walked:
            found = sorted(found + walked, key=_span) if found else walked
        if not found or not any(m.is_scope for m in found):
            return found
        # A scope word inside a longer word is part of that word (不 in 不亮). Words are
        # found in order of their start; the words that could hold one start at most
        # max_len characters before it (or where it starts).
        starts = [m.start for m in found]
        kept = []
        for m in found:
            if m.is_scope:
                lo = bisect.bisect_left(starts, m.start - self._max_len)
                hi = bisect.bisect_right(starts, m.start)
                if any(o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
                       for o in found[lo:hi]):
                    continue
                # A "working again" word that starts inside a fault word is the end of the
                # fault (不亮了 = 不亮 + 了, 又不通了, 不能用了): not a repair said done.
                if m.name == DONE_SCOPE and any(
                        o.name in FAULTS and o.start < m.start < o.end < m.end for o in found[lo:hi]):
                    continue
            kept.append(m)
        return kept


def _span(m: Match) -> tuple[int, int]:
    return m.start, m.end
