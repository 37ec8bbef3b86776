"""Reading a chat line as a command: `接单 12`, `完成 12 已更换井盖`, `转 12 社区`.

Pure text in, `Command` out (or None: not a command). The words come from the table of
what can be said (handlers/vocabulary.py); what the command may do is decided by the
handlers, not here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from intents.replies import Phrasebook


class Takes(StrEnum):
    """What may follow a command's word."""

    NOTHING = "nothing"  # 待办, 统计 (anything after it is ignored)
    TICKET = "ticket"  # a ticket number, then a note, a name or a score: 完成 12 换了灯泡
    TEXT = "text"  # free text, glued or not, or a number: 登记3号楼灯坏了, 登记 4
    # A whole ticket number, then words: 紧急 12 / 改 12 安全隐患. Without one it is no
    # command, so a resident's 「紧急 3栋着火了」 is read as a report, never refused.
    NUMBER = "number"


@dataclass(frozen=True)
class Spelling:
    """One word of the table and what it says."""

    word: str
    act: str
    takes: Takes


@dataclass(frozen=True)
class Command:
    act: str
    word: str = ""  # the word as said (shown back in hints: 「接单 12」)
    number: int | None = None  # ticket (or 疑似) number, None when not given
    rest: str = ""  # what follows: a note, a name, a score, a report text
    bad_number: bool = False  # a number was given but is not a ticket number (-3, 10^20)


_NUMBER = re.compile(r"^#?\s*(-?\d+)")
_MAX_TICKET = 10**12
_AFTER_WORD = "#＃0123456789-:：，,"
# After a word that takes text glued to it (登记3号楼灯坏了), what makes it an ordinary word
# or sentence instead: 登记好了, 登记表, 登记了吗, 登记的人, 登记过, 登记完.
_ORDINARY_AFTER = tuple("了好过完表的上在着册处点簿证时人不没吗呢吧啊呀么")
_WHOLE_NUMBER = re.compile(r"[#＃]?\s*-?[0-9]+(?=$|[\s,，:：。.!！])")


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, trimmed, an @bot prefix dropped."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"^(@\S+[\s\u2005]+)+", "", text)  # leading @mentions (WeChat puts U+2005 after)
    return text.strip()


def longest_first(spellings: Sequence[Spelling]) -> tuple[Spelling, ...]:
    return tuple(sorted(spellings, key=lambda s: -len(s.word)))


def by_first_character(spellings: Sequence[Spelling]) -> dict[str, tuple[Spelling, ...]]:
    """The spellings longest first, by the character they start with: a line is tried
    only against the words it could start with (most lines start with none)."""
    index: dict[str, list[Spelling]] = {}
    for spelling in longest_first(spellings):
        index.setdefault(spelling.word[:1], []).append(spelling)
    return {first: tuple(found) for first, found in index.items()}


def parse_command(text: str, spellings: Mapping[str, Sequence[Spelling]]) -> Command | None:
    """The command this line starts with; `spellings` as by_first_character has them."""
    text = normalize(text)
    if not text:
        return None
    for spelling in spellings.get(text[0], ()):
        if not text.startswith(spelling.word):
            continue
        rest = text[len(spelling.word):]
        # A word glued to ordinary words is not a command: 「查查水表」「转发文章」「完成度」.
        glued = rest and not (rest[0].isspace() or rest[0] in _AFTER_WORD)
        if glued and (spelling.takes != Takes.TEXT or rest.startswith(_ORDINARY_AFTER)):
            continue
        if spelling.takes == Takes.NUMBER and not _WHOLE_NUMBER.match(rest.strip(" :：，,")):
            continue
        return _with_arguments(spelling, rest.strip(" :：，,"))
    return None


def _with_arguments(spelling: Spelling, rest: str) -> Command:
    match = _NUMBER.match(rest)
    if spelling.takes == Takes.TEXT:
        # 登记 12 turns 疑似 #12 into a ticket; 登记 <text> reports on a resident's behalf.
        if match and match.end() == len(rest.rstrip()):
            return _numbered(spelling, match.group(1), "")
        return Command(act=spelling.act, word=spelling.word, rest=rest)
    if match is None:
        return Command(act=spelling.act, word=spelling.word, rest=rest)
    return _numbered(spelling, match.group(1), rest[match.end():].strip(" :：，,"))


def _numbered(spelling: Spelling, digits: str, rest: str) -> Command:
    act, word = spelling.act, spelling.word
    if len(digits) > 13:
        return Command(act=act, word=word, rest=rest, bad_number=True)
    number = int(digits)
    if number <= 0 or number >= _MAX_TICKET:
        return Command(act=act, word=word, rest=rest, bad_number=True)
    return Command(act=act, word=word, number=number, rest=rest)


def rating_of(text: str, phrases: Phrasebook) -> int | None:
    """A rating: 1-5 (also 5分, ５, 五星) or the words of one (满意 5, 一般 3, 差评 1: the
    phrases in force)."""
    bare = re.sub(r"[\s!！。.,，]+", "", normalize(text))
    match = re.fullmatch(r"([1-5])(分|星)?", bare)
    if match:
        return int(match.group(1))
    chinese = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
    match = re.fullmatch(r"([一二两三四五])(分|星)", bare)
    if match:
        return chinese[match.group(1)]
    return phrases.score_of(bare) if bare else None
