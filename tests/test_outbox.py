"""The outbox sender: marks before and after sending, pacing per room and overall (with
an injected sleep and monotonic clock), retries, and a clean stop."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkpoints import BUSY_SECONDS, Checkpoints, due
from bot.clock import ManualClock
from bot.config import OutboxSettings
from bot.outbox import SENDING_ROW, OutboxSender
from bot.transports.memory import MemoryTransport
from handlers.messages import DIGEST, REPLY, URGENT
from storage import Store
from storage.database import BACKSTOP_AUTOCHECKPOINT_PAGES, StorageError

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


class FakeTime:
    """monotonic() and sleep() that only move when the sender sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make(settings: OutboxSettings, transport=None):
    store = Store.open(None)
    transport = transport or MemoryTransport()
    transport.connected = True
    fake = FakeTime()
    sender = OutboxSender(
        store, transport, ManualClock(START), settings, sleep=fake.sleep, monotonic=fake.monotonic
    )
    return store, transport, sender, fake


def add(store: Store, room: str | None, text: str, to: str | None = None, priority: int = REPLY) -> int:
    return store.outbox.add(
        text=text, room_id=room, room_topic=room, to_id=to, to_name=to, mentions=[],
        cause="test", at=int(START.timestamp()), priority=priority,
    )


async def test_pacing_per_room_and_overall():
    store, transport, sender, fake = make(OutboxSettings(per_room_seconds=3, overall_seconds=1))
    for text in ("a1", "a2", "b1", "a3"):
        add(store, "room-a" if text[0] == "a" else "room-b", text)
    assert await sender.deliver_due() == 4
    # a1 at 1000; room-a is busy till 1003, so b1 goes first (overall pace: 1001); then a2
    # (1003), a3 (1006): a busy room does not hold up another
    assert [m.text for m in transport.sent] == ["a1", "b1", "a2", "a3"]
    assert fake.sleeps == [1, 2, 3]
    assert fake.now == 1006


async def test_each_message_is_marked_sending_before_and_sent_after():
    seen_states = []

    class Watching(MemoryTransport):
        async def send(self, message):
            row = next(r for r in store.outbox.all() if r.id == SENDING_ROW.get())
            seen_states.append((row.id, row.state, row.attempts))
            await super().send(message)

    store, transport, sender, _ = make(OutboxSettings(0, 0), Watching())
    first = add(store, "room-a", "hello")
    await sender.deliver_due()
    assert seen_states == [(first, "sending", 1)]
    [row] = store.outbox.all()
    assert row.state == "sent" and row.sent_at is not None


async def test_a_row_cut_off_while_sending_goes_out_again_once():
    """A crash between 'sending' and 'sent' leaves the row 'sending': it is sent on the
    next start (at most one repeat), never dropped."""
    store, transport, sender, _ = make(OutboxSettings(0, 0))
    row_id = add(store, "room-a", "ack")
    store.outbox.mark_sending(row_id)  # ...and the process died here
    assert await sender.deliver_due() == 1
    assert [m.text for m in transport.sent] == ["ack"]
    assert await sender.deliver_due() == 0
    [row] = store.outbox.all()
    assert (row.state, row.attempts) == ("sent", 2)


async def test_failure_is_retried_later_then_given_up():
    store, transport, sender, _ = make(OutboxSettings(0, 0, max_attempts=2))
    add(store, "room-a", "x")
    transport.fail_next = 5
    assert await sender.deliver_due() == 0
    [row] = store.outbox.all()
    assert row.state == "pending" and row.not_before > int(START.timestamp())
    sender.clock.advance(timedelta(minutes=5))
    assert await sender.deliver_due() == 0
    [row] = store.outbox.all()
    assert row.state == "failed" and row.attempts == 2


async def test_nothing_goes_out_while_disconnected():
    store, transport, sender, _ = make(OutboxSettings(0, 0))
    add(store, "room-a", "x")
    transport.connected = False
    assert await sender.deliver_due() == 0
    assert store.outbox.pending_count() == 1


async def test_stop_right_after_a_wake_up_does_not_hang():
    """Python 3.11's wait_for could swallow the cancel when the wake-up came in the same
    tick, and the sender would then run on for ever: stop() must return."""
    store, transport, sender, _ = make(OutboxSettings(0, 0))
    loop = asyncio.get_running_loop()
    for _ in range(5):
        sender.start()
        for _ in range(3):
            await asyncio.sleep(0)
        sender.wake()
        started = loop.time()
        await asyncio.wait_for(sender.stop(), timeout=1)
        assert loop.time() - started < 0.5
        assert sender._task is None


async def test_checkpoints_are_made_on_a_connection_of_their_own(tmp_path):
    """Checkpoints (the fsyncs of WAL mode) are made by the checkpoints' own connection (a
    thread of theirs), not by a commit of the bot's connection: its own automatic one is
    put off to a far backstop, and the other copies the whole WAL into the file."""
    store = Store.open(tmp_path / "c.db")
    checkpointer = store.checkpointer()
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_AUTOCHECKPOINT_PAGES
    for i in range(200):
        add(store, "room-a", f"message {i} " + "字" * 200)
    assert (tmp_path / "c.db-wal").stat().st_size > 100_000  # not checkpointed on the way
    busy, wal_pages, copied = checkpointer.run()
    assert busy == 0 and wal_pages > 0 and wal_pages == copied  # all copied to the file
    checkpointer.close()
    assert Store.open(None).checkpointer() is None  # in memory: nothing to copy
    store.close()


def test_a_checkpoint_that_fails_says_so_as_storage_and_the_thread_goes_on(tmp_path, caplog):
    """SQLite's failure reaches the bot as storage's one-line error (only storage/ knows
    SQLite): the thread logs it and looks again, it does not die."""
    store = Store.open(tmp_path / "c.db")
    checkpointer = store.checkpointer()
    checkpointer.close()  # what a vanished disk looks like to the next PRAGMA
    with pytest.raises(StorageError, match="c.db"):
        checkpointer.run()
    checkpoints = Checkpoints(store)
    checkpoints._checkpoint(checkpointer)
    assert checkpoints.done == 0 and "checkpoint failed" in caplog.text
    store.close()


def test_checkpoints_wait_for_a_quiet_moment_or_a_long_busy_spell():
    assert due(dirty=True, committed=False, since_last=0.5)  # quiet since the last look
    assert not due(dirty=True, committed=True, since_last=0.5)  # busy: the loop is writing
    assert due(dirty=True, committed=True, since_last=BUSY_SECONDS)  # busy for too long
    assert not due(dirty=False, committed=False, since_last=60)  # nothing to copy


async def test_the_checkpoint_thread_stops_with_the_bot(tmp_path):
    store = Store.open(tmp_path / "c.db")
    checkpoints = Checkpoints(store, quiet=3600)
    checkpoints.start()
    assert any(t.name == "gridbot-checkpoints" for t in threading.enumerate())
    checkpoints.stop()  # at once, not after the hour
    assert not any(t.name == "gridbot-checkpoints" for t in threading.enumerate())
    store.close()


async def test_an_urgent_acknowledgement_queued_after_forty_messages_goes_first():
    """A fire report's answer must not wait behind 40 FAQ answers for another group."""
    store, transport, sender, fake = make(OutboxSettings(per_room_seconds=1.5, overall_seconds=0.5))
    for i in range(40):
        add(store, "room-faq", f"faq {i}")
    digest = add(store, None, "今日提醒", to="马建民", priority=DIGEST)
    urgent = add(store, "room-fire", "情况紧急！请先拨打 119", priority=URGENT)
    assert await sender.deliver_due() == 42
    assert transport.sent[0].text == "情况紧急！请先拨打 119"
    assert transport.sent[-1].text == "今日提醒"  # digests after the replies
    assert [m.text for m in transport.sent[1:41]] == [f"faq {i}" for i in range(40)]
    rows = {row.id: row for row in store.outbox.all()}
    assert rows[urgent].sent_at is not None and rows[digest].priority == DIGEST


async def test_a_message_queued_while_sending_is_chosen_by_its_priority():
    """Each message is chosen afresh: an emergency queued in the middle of a long round
    goes next, not after the round."""
    store, transport, sender, fake = make(OutboxSettings(per_room_seconds=1.5, overall_seconds=0.5))
    for i in range(10):
        add(store, "room-faq", f"faq {i}")

    class Watching(MemoryTransport):
        async def send(self, message):
            await super().send(message)
            if message.text == "faq 2":
                add(store, "room-fire", "着火了，请拨打 119", priority=URGENT)

    transport = Watching()
    transport.connected = True
    sender.transport = transport
    await sender.deliver_due()
    assert [m.text for m in transport.sent][:4] == ["faq 0", "faq 1", "faq 2", "着火了，请拨打 119"]
