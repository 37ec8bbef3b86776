"""Shared fixtures: the example community, a clock the test sets, and a chat to talk in."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import Config, load_config
from bot.transports.memory import MemoryTransport
from handlers.messages import IncomingMessage, Media, Outgoing
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config.example.toml"
TZ = ZoneInfo("Asia/Shanghai")
ROOM_QN1 = "青年路一网格居民群"
ROOM_QN2 = "青年路二网格居民群"
ROOM_BH1 = "滨河花园一网格群"


@pytest.fixture
def read_only() -> Iterator:
    """Make a file read-only for this process, even as root (chattr +i); undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> None:
        os.chmod(path, 0o444)
        made.append(path)
        if os.access(path, os.W_OK):  # root ignores the mode bits
            chattr = shutil.which("chattr")
            done = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True)
            if not done or done.returncode != 0:
                pytest.skip("cannot make a file read-only here (root without chattr)")

    yield make
    chattr = shutil.which("chattr")
    for path in made:
        if chattr:
            subprocess.run([chattr, "-i", str(path)], capture_output=True)
        os.chmod(path, 0o600)


@pytest.fixture(scope="session")
def example_config() -> Config:
    return load_config(EXAMPLE_CONFIG)


def when_due(config):
    """`config` (a Config, or its settings) with no overdue lists ([sla] reminder_lists_at =
    []): each reminder and step up goes out when it is due. For the tests of the ladder's
    steps and clocks; tests/test_overdue_lists.py tests the lists themselves."""
    if hasattr(config, "settings"):
        return replace(config, settings=when_due(config.settings))
    return replace(config, sla=replace(config.sla, reminder_lists_at=()))


@pytest.fixture(scope="session")
def shared_classifier():
    """The real classifier, loaded once: classify() is pure, so tests may share it."""
    from intents import Classifier

    return Classifier.load()


@pytest.fixture(scope="session")
def shared_faq():
    from intents import FaqBook

    return FaqBook.load()


@dataclass
class Chat:
    """A group chat around the bot: people say things, the test reads what the bot sent."""

    app: Application
    transport: MemoryTransport
    clock: ManualClock
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def store(self) -> Store:
        return self.app.store

    def person_id(self, name: str) -> str:
        return self.app.config.directory.configured_id(name) or f"wx-{name}"

    async def say(
        self, name: str, text: str, room: str | None = ROOM_QN1, *, media: tuple[Media, ...] = (),
        message_id: str | None = None, sender_id: str | None = None, room_id: str | None = None,
    ) -> list[Outgoing]:
        msg = IncomingMessage(
            message_id=message_id or f"m{next(self.ids)}",
            room_id=room_id or (f"room-{room}" if room is not None else None),
            room_topic=room,
            sender_id=sender_id or self.person_id(name),
            sender_name=name,
            text=text,
            time=self.clock.now(),
            media=media,
        )
        await self.transport.deliver(msg)
        await self.app.outbox.deliver_due()
        return self.transport.take()

    async def later(self, **delta: float) -> list[Outgoing]:
        """Move the clock on and run the timers once, as the minute job would."""
        self.clock.advance(timedelta(**delta))
        self.app.run_timers(self.clock.now())
        await self.app.outbox.deliver_due()
        return self.transport.take()

    def ticket(self, number: int):
        return self.store.tickets.get(number)


def speaker(room: str, minutes: float = 1):
    """A day's flow in one room: each line said some minutes after the last (the tests of
    whole-day behaviour all speak so)."""

    async def say(chat: Chat, name: str, text: str, *, minutes: float = minutes) -> list[Outgoing]:
        chat.clock.advance(timedelta(minutes=minutes))
        return await chat.say(name, text, room)

    return say


def posts_in(room: str):
    """What the bot posted in one room, of what it sent."""
    return lambda sent: [m for m in sent if m.room_topic == room]


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday morning


@pytest.fixture
async def open_chat(example_config, shared_classifier, shared_faq, start_time):
    """Open a chat on any config and classifier (the example ones by default)."""
    opened: list[Application] = []

    async def open_(
        config: Config | None = None, classifier=None, store: Store | None = None, faq=None
    ) -> Chat:
        clock = ManualClock(start_time)
        transport = MemoryTransport()
        config = config or example_config
        # No pacing: it protects a real WeChat account; tests of pacing set their own.
        config = replace(config, outbox=replace(config.outbox, per_room_seconds=0, overall_seconds=0))
        app = Application(
            config, transport, store=store or Store.open(None), clock=clock,
            classifier=classifier or shared_classifier, faq=faq or shared_faq,
            scheduler=False, deliver=False,
        )
        await app.start()
        opened.append(app)
        return Chat(app, transport, clock)

    yield open_
    for app in opened:
        await app.stop()


@pytest.fixture
async def chat(open_chat):
    return await open_chat()


def texts(messages: list[Outgoing]) -> str:
    return "\n".join(m.text for m in messages)


def private_to(messages: list[Outgoing], name: str) -> list[Outgoing]:
    """The messages sent privately to one person."""
    return [m for m in messages if m.to is not None and m.to.name == name]


def mentioned(messages: list[Outgoing]) -> list[str]:
    return [p.name for m in messages for p in m.mentions]
