"""Text folding shared by the classifier and the place extractor.

Two levels, because places must be returned *as written*:
- `fold_chars` maps one character to one character (traditional -> simplified,
  full-width -> ASCII, upper -> lower ASCII), so offsets into the folded text are
  offsets into the original text;
- `Normalizer.normalize` also rewrites typos and dialect words (路登 -> 路灯,
  莫得 -> 没有), which may change the length; only scoring uses it.
"""

from __future__ import annotations

import re
from pathlib import Path
from re import _constants as _sre
from re import _parser as _sre_parser

_SURROGATES = re.compile("[\ud800-\udfff]")
# Spaced-out typing (「门 口 垃 圾 好 多」, 「楼下的垃 圾 桶」): two or more single CJK
# characters, each after a space, join the character before them. Spaces next to digits or latin
# letters, and spaces between multi-character words, are kept.
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_SPACED_RUN = re.compile(f"[{_CJK}](?:[ \u3000]+[{_CJK}](?![{_CJK}])){{2,}}")
_SPACES = re.compile("[ \u3000]+")


def join_spaced_chars(text: str) -> str:
    """「谢 谢 网 格 员」 -> 「谢谢网格员」; 「3 号楼」 and 「水管爆了 走廊淹了」 stay."""
    if " " not in text and "\u3000" not in text:
        return text
    return _SPACED_RUN.sub(lambda m: _SPACES.sub("", m.group(0)), text)


def trie_regex(words: list[str]) -> str:
    """An alternation factored by common prefixes: much faster for big groups."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


def quick_start(pattern: str) -> str:
    """`pattern` behind a look-ahead for the characters a match can start with: a search
    then tries the alternatives only where one could match (finds the same matches). The
    pattern as it is when a match may be empty or start with any character."""
    first: list[tuple[int, int]] = []  # ranges of characters, low to high
    done: set[tuple] = set()  # (ranges, barred) already added: names repeat a lot

    def ranges(op: object, av: object) -> tuple[tuple[int, int], ...]:
        """A LITERAL or an IN as (low, high) ranges."""
        if op is _sre.LITERAL:
            return ((av, av),)
        if op is not _sre.IN:
            raise ValueError(op)
        out = []
        for kind, value in av:
            if kind is _sre.LITERAL:
                out.append((value, value))
            elif kind is _sre.RANGE:
                out.append(value)
            else:  # a category (digits, letters) or a negated set
                raise ValueError(kind)
        return tuple(out)

    def can_be_empty(items: list) -> bool:  # collects the first characters on the way
        barred: tuple[tuple[int, int], ...] = ()  # ruled out by a negative look-ahead just before
        for op, av in items:
            if op in (_sre.LITERAL, _sre.IN):
                key = (ranges(op, av), barred)
                if key not in done:
                    done.add(key)
                    first.extend(_without(key[0], barred))
                return False
            if op is _sre.ASSERT_NOT and av[0] == 1 and len(av[1]) == 1:
                barred += ranges(*av[1][0])
                continue
            barred = ()
            if op is _sre.SUBPATTERN:
                if av[1] & re.IGNORECASE:
                    raise ValueError(av)
                if not can_be_empty(av[-1]):
                    return False
            elif op is _sre.BRANCH:
                if not any([can_be_empty(branch) for branch in av[1]]):  # all branches
                    return False
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
                if not can_be_empty(av[2]) and av[0] > 0:
                    return False
            elif op not in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):  # zero-width: go on
                raise ValueError(op)
        return True

    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE or can_be_empty(parsed):
            return pattern
    except ValueError:
        return pattern
    merged: list[list[int]] = []
    for low, high in sorted(first):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in merged)
    return f"(?=[{body}])(?:{pattern})"


def _without(keep: tuple[tuple[int, int], ...],
             barred: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The ranges `keep` less the ranges `barred`."""
    out = list(keep)
    for b_low, b_high in barred:
        rest = []
        for low, high in out:
            if high < b_low or low > b_high:
                rest.append((low, high))
                continue
            if low < b_low:
                rest.append((low, b_low - 1))
            if high > b_high:
                rest.append((b_high + 1, high))
        out = rest
    return out


def read_char_map(path: Path) -> dict[str, str]:
    """Parse t2s.txt: whitespace-separated two-character pairs, `#` comments."""
    mapping: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        for pair in line.split():
            if len(pair) != 2:
                raise ValueError(f"{path.name}:{lineno}: '{pair}' is not a pair of two characters")
            if pair[0] != pair[1]:
                mapping[pair[0]] = pair[1]
    return mapping


def build_fold_table(char_map: dict[str, str]) -> dict[int, str]:
    """A str.translate table: the char map plus full-width ASCII and ideographic space."""
    table: dict[int, str] = {ord(k): v for k, v in char_map.items()}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for code in range(0xFF21, 0xFF3B):  # full-width A-Z -> a-z
        table[code] = chr(code - 0xFF21 + ord("a"))
    table[0] = " "  # NUL
    return table


def strip_surrogates(text: str) -> str:
    """Lone surrogates cannot be encoded; replace them one-for-one to keep offsets."""
    return _SURROGATES.sub(" ", text) if _SURROGATES.search(text) else text


class Normalizer:
    """Folds characters, then rewrites typos and dialect words (data from the rules)."""

    def __init__(self, fold_table: dict[int, str], rewrites: dict[str, str]) -> None:
        self.fold_table = fold_table
        self.rewrites = dict(rewrites)
        if rewrites:
            self._rewrite_re: re.Pattern[str] | None = re.compile(trie_regex(list(rewrites)))
        else:
            self._rewrite_re = None

    def fold(self, text: str) -> str:
        """Length-preserving folding."""
        return strip_surrogates(text).translate(self.fold_table)

    def normalize(self, text: str) -> str:
        """Folding plus typo and dialect rewrites (may change length)."""
        folded = join_spaced_chars(self.fold(text))
        if self._rewrite_re is None:
            return folded
        return self._rewrite_re.sub(lambda m: self.rewrites[m.group(0)], folded)
