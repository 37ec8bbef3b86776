"""Delivering the outbox: most urgent first, paced per room and overall, retried on failure.

Each message sent is chosen afresh among the next ones due: the lowest priority number
first (an emergency before answers, answers before digests), and within it the one whose
room may be written to soonest (a room that just had a post does not hold up the others),
then the oldest. A message queued meanwhile is in the next choice.

Each row is marked `sending` before the transport is called and `sent` after, so a crash
in between repeats that one message at most once, and never loses it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from bot.clock import Clock
from bot.config import OutboxSettings
from bot.transports.base import Transport
from handlers.messages import Outgoing, Person
from storage import OutboxRow, Store

log = logging.getLogger("gridbot.outbox")
Sleep = Callable[[float], Awaitable[None]]
MAX_BACKOFF_SECONDS = 600
LOOKAHEAD = 50  # the choice of the next message is made among this many due ones
# The outbox row being handed to the transport: a transport that reports what it sent
# (the pipe transport) can name the row, so a repeat after a crash can be counted.
SENDING_ROW: ContextVar[int | None] = ContextVar("SENDING_ROW", default=None)


def _room_key(row: OutboxRow) -> str:
    return row.room_id or f"to:{row.to_id or row.to_name}"


def to_outgoing(row: OutboxRow) -> Outgoing:
    mentions = tuple(Person(name=name, id=pid) for name, pid in json.loads(row.mentions))
    to = Person(name=row.to_name or "", id=row.to_id) if row.to_name or row.to_id else None
    return Outgoing(text=row.text, room_id=row.room_id, room_topic=row.room_topic, to=to,
                    mentions=mentions, priority=row.priority)


class OutboxSender:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        clock: Clock,
        settings: OutboxSettings,
        *,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self._sleep = sleep
        self._monotonic = monotonic
        self._last_overall = float("-inf")
        self._last_by_room: dict[str, float] = {}
        self._wakeup = asyncio.Event()
        self._lock = asyncio.Lock()  # one delivery round at a time, or a row goes out twice
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wakeup.set()

    async def deliver_due(self) -> int:
        """Send everything due now, pacing between messages; return how many went out."""
        async with self._lock:
            return await self._deliver_due()

    async def _deliver_due(self) -> int:
        sent = 0
        while self.transport.connected:
            rows = self.store.outbox.due(int(self.clock.now().timestamp()), limit=LOOKAHEAD)
            if not rows:
                break
            row = self._next(rows)
            await self._pace(_room_key(row))
            if not await self._send(row):
                return sent
            sent += 1
        return sent

    def _next(self, rows: list[OutboxRow]) -> OutboxRow:
        """The most urgent; among equals, the one whose room is free soonest, then the oldest."""
        now = self._monotonic()
        return min(rows, key=lambda r: (r.priority, max(now, self._free_at(_room_key(r))), r.id))

    def _free_at(self, key: str) -> float:
        """When pacing lets the next message to this room (or person) go."""
        return max(
            self._last_overall + self.settings.overall_seconds,
            self._last_by_room.get(key, float("-inf")) + self.settings.per_room_seconds,
        )

    async def _pace(self, key: str) -> None:
        wait = self._free_at(key) - self._monotonic()
        if wait > 0:
            await self._sleep(wait)
        now = self._monotonic()
        self._last_overall = now
        self._last_by_room[key] = now

    async def _send(self, row: OutboxRow) -> bool:
        self.store.outbox.mark_sending(row.id)
        token = SENDING_ROW.set(row.id)
        try:
            await self.transport.send(to_outgoing(row))
        except Exception as error:  # a transport failure of any kind: retry later
            attempts = row.attempts + 1
            give_up = attempts >= self.settings.max_attempts
            delay = min(MAX_BACKOFF_SECONDS, 2**attempts)
            log.warning(
                "sending outbox #%s failed (attempt %s%s): %s", row.id, attempts,
                ", giving up" if give_up else f", retry in {delay}s", error,
            )
            now = int(self.clock.now().timestamp())
            self.store.outbox.mark_retry(row.id, str(error), now + delay, give_up)
            return False
        finally:
            SENDING_ROW.reset(token)
        self.store.outbox.mark_sent(row.id, int(self.clock.now().timestamp()))
        return True

    async def run(self) -> None:
        """Deliver whenever woken (new rows) and at least every few seconds (retries)."""
        while True:
            # Cleared before the round: a wake-up that comes while it runs is kept.
            self._wakeup.clear()
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox delivery round failed; trying again shortly")
            # Not wait_for: in Python 3.11 it swallows a cancel that arrives in the same
            # tick as the wake-up, and stop() would then wait for ever.
            try:
                async with asyncio.timeout(2.0):
                    await self._wakeup.wait()
            except TimeoutError:
                pass

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
