"""What the dashboard needs of the running bot, in one place.

`read` runs a query off the event loop on its own read-only connection (statistics of a
whole city must not stall the chat), `act` runs a chat handler for an official and
queues its messages through the application's transactional outbox: the same events and
the same chat messages as the command said in chat, one code path.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.app import Application
from handlers import notify
from handlers.context import Context
from handlers.directory import Identity
from handlers.messages import IncomingMessage, Outgoing
from handlers.settings import WebSettings
from storage import Store

T = TypeVar("T")
READERS = 2  # long reads at a time (the machine may have two cores)


@dataclass(frozen=True)
class Official:
    """The signed-in person: their roles, the grids they see, their session's CSRF token."""

    identity: Identity
    grid_ids: tuple[str, ...]
    csrf: str

    @property
    def name(self) -> str:
        return self.identity.name

    @property
    def role(self) -> str:
        if self.identity.is_admin:
            return "管理员"
        if self.identity.staff_of:
            return "社区工作人员"
        return "网格员"

    def sees(self, grid_id: str | None) -> bool:
        """A grid's tickets and 疑似; None: a 疑似 of no grid yet, which admins see."""
        return self.identity.is_admin if grid_id is None else grid_id in self.grid_ids


class Office:
    def __init__(self, app: Application) -> None:
        self.app = app
        self.config = app.config
        self.directory = app.config.directory
        self.web: WebSettings = app.config.settings.web
        self._file = app.store.path
        self._readers = asyncio.Semaphore(READERS)

    @property
    def store(self) -> Store:
        return self.app.store

    def now(self) -> datetime:
        return self.app.clock.now()

    def ts(self) -> int:
        return int(self.now().timestamp())

    async def read(self, query: Callable[[Store], T]) -> T:
        """`query(store)` on a read-only connection in a worker thread; inline when the
        database lives in memory (tests), where no second connection can see it."""
        if self._file is None:
            return query(self.store)
        async with self._readers:
            return await asyncio.to_thread(self._read, query)

    def _read(self, query: Callable[[Store], T]) -> T:
        store = Store.open_reader(self._file)
        try:
            return query(store)
        finally:
            store.close()

    def message(self, *, sender_id: str, sender_name: str, text: str) -> IncomingMessage:
        """A private message to the bot, as if sent now: what a handler answers."""
        now = self.now()
        return IncomingMessage(
            message_id=f"web:{secrets.token_hex(8)}", room_id=None,
            room_topic=None, sender_id=sender_id, sender_name=sender_name, text=text, time=now,
        )

    def run(
        self, msg: IncomingMessage, handler: Callable[[Context, IncomingMessage], list[Outgoing]]
    ) -> list[Outgoing]:
        """Run `handler` on `msg` and queue what it answers in the same transaction as its
        changes, as the application does for a chat message."""
        ctx = self.app.context(msg.time)
        with self.store.transaction():
            outgoing = handler(ctx, msg)
            self.app.queue(outgoing, cause=msg.message_id, now=msg.time)
        self.app.outbox.wake()
        return outgoing

    def act(
        self,
        official: Official,
        command: str,
        handler: Callable[[Context, IncomingMessage], list[Outgoing]],
    ) -> list[Outgoing]:
        """`handler` as if `official` had sent `command` to the bot privately (the reply to
        an official the chat has not seen yet goes out by name: an empty id)."""
        person = notify.person(self.app.context(), official.name)
        msg = self.message(sender_id=person.id or "", sender_name=official.name, text=command)
        return self.run(msg, handler)
