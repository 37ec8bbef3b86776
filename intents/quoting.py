"""WeChat's text rendering of a quote-reply, read in one place.

A quote-reply arrives as 「张阿姨：3栋门口井盖又翘起来了」, a line of dashes, then the reply.
The transport, the sanitizer and the reply reader all need the same three parts; one
expression keeps them agreeing on what counts as a quote.
"""

from __future__ import annotations

import re

_QUOTE_REPLY = re.compile(
    r"^\s*「(?P<who>[^：:」\n]{1,64})[：:](?P<quoted>.*?)」[ \t]*\n\s*(?:-[ \t]*){3,}\n?(?P<reply>.*)$",
    re.DOTALL,
)


def quote_parts(text: str) -> tuple[str, str, str] | None:
    """(who was quoted, what they said, the reply as written) of a quote-reply; None otherwise."""
    match = _QUOTE_REPLY.match(text or "")
    if match is None:
        return None
    return match["who"].strip(), match["quoted"].strip(), match["reply"]
