"""Make what a transport delivers safe to store and handle: no NUL or control characters,
no lone surrogates, bounded length, one-line names."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.messages import IncomingMessage, Quote, split_quote

MAX_STORED_CHARS = 10_000
MAX_NAME_CHARS = 64
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069]")
# ... or a lone surrogate: a text with neither is kept as it is (most are).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# "@所有人" (and WeChat's English "@All") notifies every member: the bot never sends it,
# even when it quotes a resident who wrote it. Full-width ＠ and spaces after @ count too.
_AT_ALL = re.compile(r"[@＠][@＠\s\u2005]*(?=所有人|(?i:all|everyone)(?![\w.@]))")


def clean_text(text: str | bytes | None) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if _UNSAFE.search(text) is None:
        return text
    # Lone surrogates cannot be stored as UTF-8: replace them.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return _CONTROL.sub("", text)


def clean_name(name: str | bytes | None) -> str:
    name = " ".join(clean_text(name).split())[:MAX_NAME_CHARS].strip()
    return name or "(无名)"


def clean_message(msg: IncomingMessage) -> tuple[IncomingMessage, str | None]:
    """The message as the bot will handle it, and a note when it had to be cut.

    A quote-reply in WeChat's text form is read into the message's quote here, whatever
    the transport, so the reply and what it quotes reach the handlers apart."""
    text = clean_text(msg.text)
    note = None
    if len(text) > MAX_STORED_CHARS:
        note = f"truncated from {len(text)} characters"
        text = text[:MAX_STORED_CHARS]
    quote = msg.quote
    if quote is None:
        text, quote = split_quote(text)
    fields = {
        "message_id": clean_text(msg.message_id)[:200] or "(no id)",
        "text": text,
        "sender_id": clean_text(msg.sender_id)[:200],
        "sender_name": clean_name(msg.sender_name),
        "room_topic": clean_name(msg.room_topic) if msg.room_topic is not None else None,
        "quote": (
            Quote(clean_name(quote.sender_name), clean_text(quote.text)[:MAX_STORED_CHARS])
            if quote is not None else None
        ),
    }
    if all(getattr(msg, name) == value for name, value in fields.items()):
        return msg, note  # already clean, as most messages are
    return replace(msg, **fields), note


def defuse_mentions(text: str) -> str:
    """The text with every @所有人 / @all made plain words (no one is notified by it)."""
    while True:
        defused = _AT_ALL.sub("", text)
        if defused == text:
            return text
        text = defused


def is_at_all_name(name: str) -> bool:
    """A display name that, written after @, would read as @所有人 / @all."""
    bare = "".join(clean_text(name).split()).lstrip("@＠").lower()
    return bare in ("所有人", "all", "everyone")
