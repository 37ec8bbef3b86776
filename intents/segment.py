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

from collections.abc import Container, Mapping
from itertools import chain
from math import log

import jieba

_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
_NONE: Mapping = {}
PREFIX = 1.0  # not a log-probability: a character that only starts words
ABSENT = 2.0  # nor this: a character in no word
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # jieba.re_eng


def one_character_words(tokenizer: jieba.Tokenizer) -> dict[str, float]:
    """cut's `chars`: for each common character (GB 2312's first level, 3,755 of them, and
    ASCII), log(count / total) of it as a word, PREFIX when it only starts longer words,
    ABSENT when it is in no word. A table small enough to stay in the processor's cache
    for the first look-up at every character, made in 5 ms (others are looked up in the
    whole dictionary)."""
    freq = tokenizer.FREQ
    logtotal = log(tokenizer.total)
    common = bytes(b for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
                   for b in (row, cell)).decode("gb2312", "ignore")
    return {c: ABSENT if (f := freq.get(c)) is None else log(f) - logtotal if f else PREFIX
            for c in chain(common, map(chr, range(0x21, 0x7F)))}


def cut(tokenizer: jieba.Tokenizer, text: str, watch: Mapping[str, Container[str]] = _NONE,
        seen: list[tuple[int, int, str]] | None = None,
        chars: Mapping[str, float] = _NONE) -> list[str]:
    """The words of `text`, as `list(tokenizer.cut(text, HMM=False))` gives them. Every
    word of `watch` (the words by their first character) that the cut meets as a word of
    the dictionary goes into `seen` as (start, end, word): the concept words, found with
    no search of their own. `chars`: one_character_words(tokenizer) as it is now."""
    out: list[str] = []
    freq = tokenizer.FREQ
    logtotal = log(tokenizer.total)
    if seen is None:
        seen = []
    pos = 0
    # split() with one group alternates: text between blocks, a block, text between...
    for n, block in enumerate(_RE_HAN.split(text)):
        if n % 2:
            _cut_block(block, freq, chars, logtotal, out, watch, seen, pos)
        elif block:
            for m, piece in enumerate(_RE_SKIP.split(block)):
                if m % 2:
                    out.append(piece)  # a space or a line break, whole
                else:
                    out.extend(piece)  # anything else, one character at a time
        pos += len(block)
    return out


def _cut_block(s: str, freq: Mapping[str, int], chars: Mapping[str, float], logtotal: float,
               out: list[str], watch: Mapping[str, Container[str]], seen: list[tuple[int, int, str]],
               pos: int) -> None:
    n = len(s)
    score = [0.0] * (n + 1)
    ends = list(range(n))
    get = freq.get
    for k in range(n - 1, -1, -1):
        c = s[k]
        p = chars.get(c)
        if p is None:  # not in the table: the whole dictionary says
            f = freq.get(c)
            p = ABSENT if f is None else log(f) - logtotal if f else PREFIX
        if p is ABSENT:  # in no word: the character alone
            score[k] = -logtotal + score[k + 1]
            continue
        watched = watch.get(c)  # the watched words that start here, if any
        if p is PREFIX:  # only the start of longer words
            best = None
        else:
            if watched and c in watched:
                seen.append((pos + k, pos + k + 1, c))
            best = p + score[k + 1]
        i = k + 1
        while i < n:
            frag = s[k:i + 1]
            f = get(frag)
            if f is None:
                break
            if f:
                if watched and frag in watched:
                    seen.append((pos + k, pos + i + 1, frag))
                value = log(f) - logtotal + score[i + 1]
                # a tie goes to the longer word, as jieba's max over (score, end) does
                if best is None or value >= best:
                    best = value
                    ends[k] = i
            i += 1
        score[k] = -logtotal + score[k + 1] if best is None else best
    x = 0
    buf = ""
    while x < n:
        y = ends[x] + 1
        if y - x == 1 and s[x] in _LETTERS:  # single letters and digits are glued
            buf += s[x]
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(s[x:y])
        x = y
    if buf:
        out.append(buf)
