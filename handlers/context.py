"""Everything a handler needs, passed in: storage, who is who, settings, classifier, and now.

Handlers are plain functions `(ctx, ...) -> list[Outgoing]`; the clock is whatever `now`
the caller puts here, so a test picks the time instead of waiting for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Protocol
from zoneinfo import ZoneInfo

from handlers.commands import Command
from handlers.directory import Directory, Grid, Identity
from handlers.settings import Settings
from intents import replies
from intents.model import Classification
from intents.replies import Phrasebook, Reading
from storage import Store


class ClassifierLike(Protocol):
    def classify(self, text: str) -> Classification: ...

    def reload(self) -> str | None: ...


class FaqLike(Protocol):
    def answer(self, text: str) -> str | None: ...

    def reload(self) -> str | None: ...


class ReadOnce:
    """The phrasebook as the bot asks it: the router, the conversation and the reply
    handlers each ask what the same words say, and a group says the same short words all
    day (收到, 好的, 谢谢): a reading depends on the words and the phrases only, so each
    is read once until the phrases are reloaded (at most `KEEP` texts kept per side)."""

    KEEP = 4096

    def __init__(self, book: Phrasebook) -> None:
        self._book = book
        self._worker: dict[str, Reading] = {}
        self._resident: dict[str, Reading] = {}

    def worker(self, text: str) -> Reading:
        reading = self._worker.get(text)
        if reading is None:
            if len(self._worker) >= self.KEEP:
                self._worker.clear()
            reading = self._worker[text] = self._book.worker(text)
        return reading

    def resident(self, text: str) -> Reading:
        reading = self._resident.get(text)
        if reading is None:
            if len(self._resident) >= self.KEEP:
                self._resident.clear()
            reading = self._resident[text] = self._book.resident(text)
        return reading

    def reload(self) -> str | None:
        self._worker.clear()
        self._resident.clear()
        return self._book.reload()

    def __getattr__(self, name: str):  # the rest of the phrasebook, as it is
        return getattr(self._book, name)


@dataclass(frozen=True)
class Context:
    store: Store
    directory: Directory
    settings: Settings
    classifier: ClassifierLike
    faq: FaqLike
    now: datetime  # timezone-aware
    # The simulator and test chats: people and rooms known by name and topic. A real chat
    # (wechaty, the pipe): officials by WeChat id and rooms by id only (handlers/identity.py).
    names_trusted: bool = False
    # What replies in everyday words mean (收到马上到, 五星好评); 重载规则 reloads it.
    phrases: Phrasebook = field(default_factory=replies.default)

    @cached_property  # asked for many times while handling one message
    def ts(self) -> int:
        return int(self.now.timestamp())

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def local(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def at(self, now: datetime) -> Context:
        return replace(self, now=now)


@dataclass(frozen=True)
class Request:
    """A command as the router hands it to its handler: who said it, in which grid's room
    (None privately or in a staff group), and what was said."""

    identity: Identity
    grid: Grid | None
    command: Command
    reading: Reading | None = None  # when said in everyday words: what they were read as
