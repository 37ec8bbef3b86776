"""Hide phone and ID-card numbers before anything is posted in a group.

People write numbers in every way a keyboard allows: 139.1234.5678, 139/1234/5678,
1 3 9 1 2 3 4 5 6 7 8, full-width digits, Chinese digits (一三九…, 幺 for 1, 两 for 2,
capitals 壹贰叁), circled or superscript digits, mixed forms, and invisible characters
(zero-width spaces, bidi marks, combining marks) between the digits. So the text is read
as runs of digits in any script, joined across a few separators and any number of
invisible characters; a run is then judged by its digits alone:

- a mobile number (1[3-9] + 9 digits, optionally after 86) anywhere in it is hidden;
- a run of 15 or more digits is an ID card (a birth date where an 18- or 15-digit ID has
  one), a bank card or something unknown: hidden whole, with a trailing X; only a run that
  is plainly an address followed by a mobile (5-2-601 13812345678) keeps its short part;
- a landline with area code (0 + 9-11 digits) or a 400/800 service line is hidden whole.

Every hidden character becomes `*` (one for one: nothing moves), so masking twice changes
nothing, and separators stay as they were (138-****-****).
"""

from __future__ import annotations

import re
import unicodedata

# Chinese digits, as people read numbers aloud or write them out.
_CHINESE_DIGITS = {
    "〇": "0", "零": "0", "○": "0", "◯": "0", "洞": "0",
    "一": "1", "幺": "1", "壹": "1", "弌": "1",
    "二": "2", "两": "2", "兩": "2", "贰": "2", "貳": "2", "弍": "2",
    "三": "3", "叁": "3", "參": "3", "弎": "3",
    "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "陸": "6",
    "七": "7", "柒": "7", "八": "8", "捌": "8", "九": "9", "玖": "9",
}
# Digits that are not decimal digits to Unicode (\d misses them): superscripts,
# subscripts, circled, parenthesised, with a full stop, dingbats.
_OTHER_DIGIT_RANGES = (
    (0x00B2, 0x00B3), (0x00B9, 0x00B9), (0x2070, 0x2079), (0x2080, 0x2089),
    (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490), (0x24EA, 0x24EA),
    (0x24F5, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788), (0x278A, 0x2792),
    (0x1F100, 0x1F10A),
)
_OTHER_DIGITS = "".join(
    chr(c) for lo, hi in _OTHER_DIGIT_RANGES for c in range(lo, hi + 1)
    if unicodedata.digit(chr(c), None) is not None
)
_DIGIT = rf"[\d{''.join(_CHINESE_DIGITS)}{re.escape(_OTHER_DIGITS)}]"
# What is not seen: zero-width and bidi controls, fillers, combining marks, variation
# selectors, tags. Any number of them may sit between two digits.
_INVISIBLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
# What people put between groups of digits; at most three of them between two digits.
_SEPARATOR = (
    "[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"  # hyphens and dashes
    ".\u00b7\u2022\u2024\u2027\u2219\u30fb\uff0e\uff65"  # dots
    "/\\\\\u2044\u2215\uff0f\uff3c"  # slashes
    "_\uff3f()\uff08\uff09]"  # underscores, brackets around an area code
)
_RUN = re.compile(rf"{_DIGIT}(?:{_INVISIBLE}*+(?:{_SEPARATOR}{_INVISIBLE}*+){{0,3}}{_DIGIT})*")
_ANY_DIGIT = re.compile(_DIGIT)
_IS_DIGIT = re.compile(_DIGIT)
_SEPARATED = re.compile(_SEPARATOR)
_TRAILING_X = re.compile(
    rf"{_INVISIBLE}*+(?:{_SEPARATOR}{_INVISIBLE}*+){{0,3}}[xXｘＸ×]"
)

_MOBILE = re.compile(r"(?=((?:86)?1[3-9]\d{9}))")  # every start, overlapping
_LANDLINE = re.compile(r"0\d{9,11}")
_SERVICE = re.compile(r"[48]00\d{7}")
_LONG = 15  # an ID card, old (15) or new (18), a bank card (16-19)
_SHORT_PART = 7  # a stretch left beside a mobile in a long run: longer is a number too


def digit_value(ch: str) -> str | None:
    """The digit a character stands for ('0'-'9'), in any script; None if it is none."""
    if ch in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[ch]
    value = unicodedata.digit(ch, None)
    return str(value) if value is not None else None


def mask(text: str) -> str:
    """Return `text` with mobile, landline, service-line and ID-card numbers starred out."""
    if not _ANY_DIGIT.search(text):
        return text
    hidden: list[int] = []
    for run in _RUN.finditer(text):
        if run.end() - run.start() >= 10:
            hidden += _hidden_in_run(text, run.start(), run.end())
    if not hidden:
        return text
    chars = list(text)
    for i in hidden:
        chars[i] = "*"
    return "".join(chars)


def _hidden_in_run(text: str, start: int, end: int) -> list[int]:
    """Positions (in `text`) of the characters to hide in one run of digits."""
    positions = [i for i in range(start, end) if _IS_DIGIT.match(text, i)]
    digits = "".join(digit_value(text[i]) or "0" for i in positions)
    n = len(digits)
    if n < 10:
        return []
    x = _TRAILING_X.match(text, end)
    trailing_x = [x.end() - 1] if x else []
    hide: set[int] = set()
    for match in _MOBILE.finditer(digits):
        hide.update(range(match.start(1), match.end(1)))
    if n >= _LONG:
        if _has_id_card(digits, bool(x)) or not _address_and_mobile(text, positions, hide):
            return positions + trailing_x
    elif _LANDLINE.fullmatch(digits) or _SERVICE.fullmatch(digits):
        return positions
    return [positions[i] for i in sorted(hide)]


def _has_id_card(digits: str, trailing_x: bool) -> bool:
    """An 18-digit ID (birth date YYYYMMDD at 7-14) or a 15-digit one (YYMMDD at 7-12)."""
    n = len(digits)
    for i in range(n - 16):
        if i + 17 < n or trailing_x:
            if _is_date(digits[i + 6:i + 10], digits[i + 10:i + 12], digits[i + 12:i + 14]):
                return True
    return n == 15 and _is_date("19" + digits[6:8], digits[8:10], digits[10:12])


def _is_date(year: str, month: str, day: str) -> bool:
    return 1900 <= int(year) <= 2099 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _address_and_mobile(text: str, positions: list[int], hide: set[int]) -> bool:
    """A long run that is short numbers (a room: 5-2-601) and mobiles, each mobile a group
    of its own (set apart by a separator), so the short numbers may stay visible."""
    if not hide:
        return False
    n = len(positions)
    starts = {0} | {k for k in range(1, n) if _SEPARATED.search(text, positions[k - 1] + 1, positions[k])}
    longest = current = 0
    for k in range(n):
        if (k in hide) != (k - 1 in hide) and k not in starts:
            return False  # a mobile glued to other digits: the whole run is one number
        current = 0 if k in hide else current + 1
        longest = max(longest, current)
    return longest < _SHORT_PART
