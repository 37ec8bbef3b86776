"""The values that cross the boundary between a chat transport and the handlers.

Nothing from wechaty (or any other chat library) passes this point: a transport turns
what the chat delivers into an `IncomingMessage`, and sends an `Outgoing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Media:
    """A file that came with a message (a resident's photo of the broken cover)."""

    kind: str  # "image" | "file"
    name: str
    data: bytes


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

    def __post_init__(self) -> None:
        if (self.room_id is None) == (self.to is None):
            raise ValueError("an Outgoing goes to exactly one room or one person")
