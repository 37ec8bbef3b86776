"""The values that cross the boundary between a chat transport and the handlers.

Nothing from wechaty (or any other chat library) passes this point: a transport turns
what the chat delivers into an `IncomingMessage`, and sends an `Outgoing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from intents.quoting import quote_parts


@dataclass(frozen=True)
class Media:
    """A file that came with a message (a resident's photo of the broken cover)."""

    kind: str  # "image" | "file"
    name: str
    data: bytes


@dataclass(frozen=True)
class Quote:
    """The message a quote-reply quotes, as WeChat shows it: who said it and (the start of)
    what they said."""

    sender_name: str
    text: str


@dataclass(frozen=True)
class IncomingMessage:
    message_id: str
    room_id: str | None  # None for a private chat with the bot
    room_topic: str | None
    sender_id: str
    sender_name: str
    text: str
    time: datetime  # timezone-aware
    mention_ids: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    quote: Quote | None = None  # a quote-reply: `text` is the reply, this what it quotes

    @property
    def is_private(self) -> bool:
        return self.room_id is None


@dataclass(frozen=True)
class Person:
    """Someone to address: the id when known, the display name always.

    A config person without a wechat_id who has not spoken yet has no known id; the
    transport then finds them by name in the room.
    """

    name: str
    id: str | None = None


# How soon a message must go out (the outbox sends the lowest first).
URGENT, REPLY, DIGEST = 0, 1, 2  # emergencies; answers to people; digests and summaries


@dataclass(frozen=True)
class Outgoing:
    """One message to send: to a room (with @-mentions) or privately to a person."""

    text: str
    room_id: str | None = None
    room_topic: str | None = None
    to: Person | None = None
    mentions: tuple[Person, ...] = field(default=())
    priority: int = REPLY
    not_before: int = 0  # Unix seconds: not sent before (a word that can wait for the morning)

    def __post_init__(self) -> None:
        if (self.room_id is None) == (self.to is None):
            raise ValueError("an Outgoing goes to exactly one room or one person")


# WeChat renders a quote-reply as text: 「张阿姨：3栋门口井盖又翘起来了」, a line of
# spaced dashes, then the reply. The quoted text may itself span lines.
def split_quote(text: str) -> tuple[str, Quote | None]:
    """(the reply, the quoted message) of a quote-reply as WeChat renders it in text;
    (text, None) for any other text."""
    parts = quote_parts(text)
    if parts is None:
        return text, None
    who, quoted, reply = parts
    return reply.strip(), Quote(sender_name=who, text=quoted)


# A quote-reply as the timeline keeps it (an event's note, on one line):
# 「老周：3号楼门口垃圾桶满了」 - - - - 3号楼门口已经清完了
_QUOTED_ON_ONE_LINE = re.compile(r"^\s*「[^」]*」\s*(?:[-/]\s*){3,}")


def without_quote(note: str) -> str:
    """An event's note without the quote it began with: what the speaker said themselves."""
    return _QUOTED_ON_ONE_LINE.sub("", note)
