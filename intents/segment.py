"""jieba's exact-mode cut without HMM, in one tight loop over jieba's own dictionary.

`Tokenizer.cut(text, HMM=False)` builds a dict of lists (the DAG), a dict of tuples (the
route) and yields through two generators per block; most of its time is that machinery.
`cut()` here does the same computation — the same dictionary, the same scores, the same
tie-breaking (the longer word wins a tie), the same splitting of the text into blocks and
gluing of single letters and digits — with plain lists, and returns the same words
(tests/test_concepts.py compares them on the corpus). It reads the tokenizer's FREQ and
total, so words added to the tokenizer count here too.
"""

from __future__ import annotations

from collections.abc import Container
from math import log

import jieba

_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
_RE_ENG = jieba.re_eng


def cut(tokenizer: jieba.Tokenizer, text: str, watch: Container[str] = frozenset(),
        seen: list[tuple[int, int, str]] | None = None) -> list[str]:
    """The words of `text`, as `list(tokenizer.cut(text, HMM=False))` gives them. Every
    word of `watch` that the cut meets as a word of the dictionary goes into `seen` as
    (start, end, word): the concept words, found with no search of their own."""
    out: list[str] = []
    freq = tokenizer.FREQ
    logtotal = log(tokenizer.total)
    if seen is None:
        seen = []
    pos = 0
    for block in _RE_HAN.split(text):
        if not block:
            continue
        if _RE_HAN.match(block):
            _cut_block(block, freq, logtotal, out, watch, seen, pos)
        else:
            for piece in _RE_SKIP.split(block):
                if _RE_SKIP.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)
        pos += len(block)
    return out


def _cut_block(s: str, freq: dict[str, int], logtotal: float, out: list[str],
               watch: Container[str], seen: list[tuple[int, int, str]], pos: int) -> None:
    n = len(s)
    score = [0.0] * (n + 1)
    ends = [0] * (n + 1)
    get = freq.get
    for k in range(n - 1, -1, -1):
        best = None
        best_end = k
        i = k
        frag = s[k]
        while i < n:
            f = get(frag)
            if f is None:
                break
            if f:
                if frag in watch:
                    seen.append((pos + k, pos + i + 1, frag))
                value = log(f) - logtotal + score[i + 1]
                if best is None or value > best or (value == best and i > best_end):
                    best, best_end = value, i
            i += 1
            frag = s[k:i + 1]
        if best is None:  # no word starts here: the character alone
            best, best_end = log(freq.get(s[k]) or 1) - logtotal + score[k + 1], k
        score[k] = best
        ends[k] = best_end
    x = 0
    buf = ""
    while x < n:
        y = ends[x] + 1
        word = s[x:y]
        if y - x == 1 and _RE_ENG.match(word):
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)
