"""Hide phone and ID-card numbers before anything is posted in a group.

Every digit of a matched number becomes `*` (same length), so the result holds no
digit of the number and masking twice changes nothing. Full-width digits count too.
"""

from __future__ import annotations

import re

_D = "[0-9０-９]"
_SEP = "[-‐－ \u3000]?"  # people write 138-1234-5678 or 138 1234 5678

# 18-digit resident ID (last may be X), and the old 15-digit form.
_ID_RE = re.compile(rf"(?<![0-9０-９]){_D}{{17}}[0-9０-９xXｘＸ](?![0-9０-９])|(?<![0-9０-９]){_D}{{15}}(?![0-9０-９])")
# Mainland mobile: 1[3-9] + 9 digits, optional +86 and separators. No digit
# look-around: a number glued to other digits is still hidden.
_MOBILE_RE = re.compile(
    rf"(?:(?:\+|＋)?(?:86|８６){_SEP})?[1１][3-9３-９]{_D}(?:{_SEP}{_D}){{8}}"
)
# Landline with area code: 010-12345678, 0571 8888 6666, (021)12345678.
_LANDLINE_RE = re.compile(
    rf"(?<![0-9０-９])[（(]?[0０]{_D}{{2,3}}[）)]?{_SEP}{_D}{{3,4}}{_SEP}{_D}{{4}}(?![0-9０-９])"
)
# Service lines like 400-800-1234.
_SERVICE_RE = re.compile(rf"(?<![0-9０-９])[48４８]00{_SEP}{_D}{{3}}{_SEP}{_D}{{4}}(?![0-9０-９])")


_ANY_DIGIT = re.compile("[0-9０-９]")


def _stars(match: re.Match[str]) -> str:
    return re.sub(r"[0-9０-９xXｘＸ]", "*", match.group(0))


def mask(text: str) -> str:
    """Return `text` with mobile, landline and ID-card numbers starred out."""
    # Repeat to a fixed point: starring one number can free a neighbouring digit
    # run (it loses its digit neighbour), and masking must be idempotent.
    while _ANY_DIGIT.search(text):
        before = text
        text = _ID_RE.sub(_stars, text)
        text = _MOBILE_RE.sub(_stars, text)
        text = _LANDLINE_RE.sub(_stars, text)
        text = _SERVICE_RE.sub(_stars, text)
        if text == before:
            break
    return text
