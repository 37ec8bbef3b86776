"""The application: start/stop order, and the path of one message from inbox to outbox.

Start: storage is open -> unfinished inbox messages are finished -> the transport connects
-> the outbox sender and the scheduler run. Stop in the reverse order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from bot.checkpoints import Checkpoints
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.outbox import OutboxSender
from bot.router import route
from bot.sanitize import clean_message, defuse_mentions, is_at_all_name
from bot.transports.base import Transport
from handlers import binding, corrections, rooms, sla, summary, unplaced
from handlers.context import ClassifierLike, Context, FaqLike, ReadOnce
from handlers.messages import IncomingMessage, Outgoing, Person, Quote
from intents import Classifier, FaqBook, mask
from intents.replies import Phrasebook
from storage import Store
from storage.database import is_transient

log = logging.getLogger("gridbot")
T = TypeVar("T")


@dataclass(frozen=True)
class Later:
    """A message whose answer is a heavy read (statistics), still to be made: its inbox row
    stays 'new' until the answer is queued, so a crash meanwhile leaves it to `recover`."""

    message_id: str
    now: datetime
    answer: Callable[[Context], list[Outgoing]]


@dataclass(frozen=True)
class Handled:
    outgoing: list[Outgoing]
    status: str  # done | ignored | duplicate | error
    later: Later | None = None


def safe_for_chat(out: Outgoing) -> tuple[str, list[tuple[str, str | None]]]:
    """The last word before the outbox: never an @所有人 (in the text or as a mention of
    someone so named), and no phone or ID-card number in anything posted to a group."""
    text = defuse_mentions(out.text) or "…"
    if out.room_id is not None:
        text = mask(text)
    mentions = [(p.name, p.id) for p in out.mentions if not is_at_all_name(p.name)]
    return text, mentions


class Application:
    def __init__(
        self,
        config: Config,
        transport: Transport,
        *,
        store: Store | None = None,
        clock: Clock | None = None,
        classifier: ClassifierLike | None = None,
        faq: FaqLike | None = None,
        phrases: Phrasebook | None = None,
        scheduler: bool = True,
        deliver: bool = True,
    ) -> None:
        """`scheduler=False`: no timer jobs, the caller calls `run_timers(now)`;
        `deliver=False`: no outbox loop, the caller calls `outbox.deliver_due()`.
        The simulator and most tests drive both themselves."""
        self.config = config
        self.transport = transport
        self.clock = clock or SystemClock(config.tz)
        self.store = store or Store.open(config.database, media_dir=config.data_dir / "media")
        self.classifier = classifier or Classifier.load(config.settings.classifier.rules_path)
        # What workers corrected reads as corrected from the start (until make model); the
        # memory is this bot's own (a classifier may be shared).
        sharing = getattr(self.classifier, "sharing", None)
        if callable(sharing):
            self.classifier = sharing()
        corrections.teach_all(self.store.corrections.latest_per_text(), self.classifier)
        self.faq = faq or FaqBook.load(config.settings.classifier.faq_path)
        self.phrases = phrases or Phrasebook.load(config.settings.classifier.replies_path)
        self._readings = ReadOnce(self.phrases)  # what replies' words say, read once
        self.outbox = OutboxSender(self.store, transport, self.clock, config.outbox)
        self.checkpoints = Checkpoints(self.store)
        self._use_scheduler = scheduler
        self._deliver = deliver
        self._scheduler = None  # a bot.scheduler.Scheduler once started (imported then)
        self.last_sweep_at: datetime | None = None  # shown by the dashboard's /health
        # Heavy reads run in one thread of their own, on a connection of their own (a file
        # database only: one in memory has no second connection, and reads in line).
        self._reads: ThreadPoolExecutor | None = None
        self._reader: Store | None = None

    def context(self, now: datetime | None = None) -> Context:
        return Context(
            store=self.store,
            directory=self.config.directory,
            settings=self.config.settings,
            classifier=self.classifier,
            faq=self.faq,
            now=now or self.clock.now(),
            names_trusted=getattr(self.transport, "trusts_names", False),
            phrases=self._readings,
        )

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self.checkpoints.start()
        self.recover()
        self._say_who_is_not_bound()
        watch_members = getattr(self.transport, "watch_members", None)
        if watch_members is not None:
            watch_members(self.members)
        if getattr(self.transport, "takes_groups", False):
            await self.transport.start(self.on_messages)
        else:
            await self.transport.start(self.on_message)
        if self._deliver:
            self.outbox.start()
        if self._use_scheduler:
            from bot.scheduler import Scheduler  # APScheduler: not loaded by bots without

            summary_at = self.config.settings.summary
            self._scheduler = Scheduler(
                lambda: self.tick(self.clock.now()), tz=self.config.tz,
                weekly_day=summary_at.weekday, weekly_at=summary_at.at,
            )
            self._scheduler.start()
        log.info("%s is running (%s transport)", self.config.bot_name, self.transport.name)

    def _say_who_is_not_bound(self) -> None:
        ctx = self.context()
        if ctx.names_trusted:
            log.info("%s transport: people are known by name and groups by topic", self.transport.name)
            return
        with self.store.transaction():
            released = binding.release_held(ctx)
        if released:
            log.info("%d message(s) held for officials known by id now are sent", released)
        unbound = binding.unbound_officials(ctx)
        if unbound:
            log.warning(
                "not bound to a WeChat id yet (they count as residents until they send 绑定 <code>; "
                "codes from an admin's 绑定码 or `python -m bot bind-code`): %s", "、".join(unbound)
            )

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        await self.outbox.stop()
        await self.transport.stop()
        if self._reads is not None:
            await asyncio.get_running_loop().run_in_executor(self._reads, self._close_reader)
            self._reads.shutdown()
            self._reads = None
        self.checkpoints.stop()
        self.store.close()

    def members(self, room_id: str, topic: str | None, people: Sequence[Person]) -> int:
        """People in a residents' group as the transport lists them (handlers/rooms.py)."""
        with self.store.transaction():
            return rooms.members(self.context(), room_id, topic, people)

    # --- one message ----------------------------------------------------------------------

    async def on_message(self, msg: IncomingMessage) -> None:
        """What a transport calls for each message it receives. Raises when storage failed
        (nothing of the message is stored): the transport sends it again."""
        await self.on_messages([msg])

    async def on_messages(self, msgs: Sequence[IncomingMessage]) -> list[Handled]:
        """Store and handle messages that arrived together, in one transaction: a
        transport acknowledges them once this returns, so a crash before the commit loses
        nothing that was acknowledged (they come again) and after it loses nothing at all.
        Raises when storage failed (none of them is stored)."""
        handled = self.receive_all(msgs)
        for done in handled:
            if done.later is not None:
                await self.answer_later(done.later)
        self.outbox.wake()
        return handled

    def receive(self, msg: IncomingMessage) -> Handled:
        """Store one message in the inbox and handle it, in one transaction."""
        return self.receive_all([msg])[0]

    def receive_all(self, msgs: Sequence[IncomingMessage]) -> list[Handled]:
        """Each message is stored in the inbox and handled (once, whatever happens) in a
        part of one transaction of its own: a bug while handling one rolls back that part
        and stores the message marked 'error', the others go on. A storage failure that
        may pass (locked, disk full) raises: the transaction is rolled back whole, and the
        transport sends the messages again. A message that came alone is that transaction
        whole (no savepoint to mark its part)."""
        now = self.clock.now()
        if len(msgs) == 1:
            return [self._take(msgs[0], now, part=self.store.transaction)]
        with self.store.transaction():
            return [self._take(msg, now) for msg in msgs]

    def _take(
        self, msg: IncomingMessage, now: datetime,
        part: Callable[[], AbstractContextManager[None]] | None = None,
    ) -> Handled:
        """`part`: what is rolled back on a bug (default: a savepoint of the open
        transaction); the message is then stored as an error in a transaction of its own."""
        msg, note = clean_message(msg)
        ctx = self.context(now)
        try:
            with (part or self.store.transaction.savepoint)():
                fresh = self._store(msg, note, now, handled=True)
                if not fresh:
                    row = self.store.inbox.get(msg.message_id)
                    if row is not None and row.status != "new":
                        return Handled([], "duplicate")
                routed = route(ctx, msg)
                self.queue(routed.outgoing, cause=msg.message_id, now=now)
                if routed.later is not None:  # 'new' until its answer is queued
                    self.store.inbox.mark(msg.message_id, "new", at=None)
                elif not fresh or routed.status != "done" or routed.note is not None:
                    self.store.inbox.mark(
                        msg.message_id, routed.status, at=ctx.ts, note=routed.note
                    )
        except Exception as error:
            if is_transient(error):
                log.warning("storage failed while handling message %s (%s); it will be retried",
                            msg.message_id, error)
                raise
            # A bug must not stop the bot nor make it retry the same message forever.
            log.exception("handling message %s failed", msg.message_id)
            with self.store.transaction():  # within the open one, if any
                self._store(msg, note, now)
                self.store.inbox.mark(msg.message_id, "error", at=ctx.ts, note=repr(error)[:300])
            return Handled([], "error")
        if routed.status == "ignored":
            log.info("ignored message %s: %s", msg.message_id, routed.note)
        later = Later(msg.message_id, now, routed.later) if routed.later is not None else None
        return Handled(routed.outgoing, routed.status, later)

    def _store(
        self, msg: IncomingMessage, note: str | None, now: datetime, *, handled: bool = False
    ) -> bool:
        """The message in the inbox (as done when it is handled in this same transaction:
        most are, and need no second write); False when its id was there already."""
        at = int(now.timestamp())
        return self.store.inbox.add(
            message_id=msg.message_id, room_id=msg.room_id, room_topic=msg.room_topic,
            sender_id=msg.sender_id, sender_name=msg.sender_name, text=msg.text,
            mention_ids=msg.mention_ids, media_count=len(msg.media),
            sent_at=int(msg.time.timestamp()), received_at=at, note=note,
            quote_name=msg.quote.sender_name if msg.quote else None,
            quote_text=msg.quote.text if msg.quote else None,
            handled_at=at if handled else None,
        )

    async def answer_later(self, later: Later) -> list[Outgoing]:
        """Make a heavy answer on the reads thread while the loop goes on (the outbox
        sends, the transport stays connected), then queue it and close the message."""
        try:
            outgoing = await self.read_aside(later.answer, later.now)
        except Exception as error:
            return self._failed(later, error)
        return self._finish(later, outgoing)

    async def read_aside(self, read: Callable[[Context], T], now: datetime) -> T:
        """`read` (it only reads) on the reads thread and a connection of its own, while
        the loop goes on; in line for a database in memory (it has no second connection)."""
        ctx = self.context(now)
        if self.store.path is None:
            return read(ctx)
        if self._reads is None:
            self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gridbot-reads")
        return await asyncio.get_running_loop().run_in_executor(self._reads, self._read, read, ctx)

    def _answer_here(self, later: Later) -> list[Outgoing]:
        """The heavy answer on this thread and connection (at start, or in memory)."""
        try:
            outgoing = later.answer(self.context(later.now))
        except Exception as error:
            return self._failed(later, error)
        return self._finish(later, outgoing)

    def _read(self, read: Callable[[Context], T], ctx: Context) -> T:
        """On the reads thread: `read` on its own connection, on one snapshot."""
        if self._reader is None:
            self._reader = self.store.reader()
        assert self._reader is not None
        with self._reader.snapshot():
            return read(replace(ctx, store=self._reader))

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _finish(self, later: Later, outgoing: list[Outgoing]) -> list[Outgoing]:
        """Queue the answer and close the message in one transaction."""
        with self.store.transaction():
            self.queue(outgoing, cause=later.message_id, now=later.now)
            self.store.inbox.mark(later.message_id, "done", at=int(later.now.timestamp()))
        return outgoing

    def _failed(self, later: Later, error: Exception) -> list[Outgoing]:
        """As for any message: a passing storage failure is raised (retried), a bug is
        marked once and not retried."""
        if is_transient(error):
            log.warning("storage failed while answering message %s (%s); it will be retried",
                        later.message_id, error)
            raise error
        log.error("answering message %s failed", later.message_id, exc_info=error)
        with self.store.transaction():
            self.store.inbox.mark(later.message_id, "error", at=int(later.now.timestamp()),
                                  note=repr(error)[:300])
        return []

    def queue(self, outgoing: list[Outgoing], *, cause: str | None, now: datetime) -> None:
        """Into the outbox. In a real chat a private message to someone without a WeChat id
        (an official not bound yet) is held there until they are bound."""
        at = int(now.timestamp())
        by_name = getattr(self.transport, "trusts_names", False)
        for out in outgoing:
            text, mentions = safe_for_chat(out)
            self.store.outbox.add(
                text=text, room_id=out.room_id, room_topic=out.room_topic,
                to_id=out.to.id if out.to else None, to_name=out.to.name if out.to else None,
                mentions=mentions, cause=cause, at=at, priority=out.priority,
                held=out.to is not None and out.to.id is None and not by_name,
                not_before=out.not_before,
            )

    def recover(self) -> int:
        """Finish messages that were stored but not handled when the bot stopped (a heavy
        question whose answer was not queued yet; an inbox of an older version)."""
        rows = self.store.inbox.unprocessed()
        for row in rows:
            msg = IncomingMessage(
                message_id=row.message_id, room_id=row.room_id, room_topic=row.room_topic,
                sender_id=row.sender_id, sender_name=row.sender_name, text=row.text,
                time=datetime.fromtimestamp(row.sent_at, self.config.tz),
                quote=Quote(row.quote_name, row.quote_text or "") if row.quote_name else None,
            )
            received = datetime.fromtimestamp(row.received_at, self.config.tz)
            with self.store.transaction():
                handled = self._take(msg, received)
            if handled.later is not None:  # at start: nothing else to keep going meanwhile
                self._answer_here(handled.later)
        if rows:
            log.info("finished %d message(s) left over from the last run", len(rows))
        return len(rows)

    # --- timers ---------------------------------------------------------------------------

    async def tick(self, now: datetime) -> list[Outgoing]:
        """What the scheduler runs: the round of `run_timers`, in short transactions with
        the event loop free between them (messages are handled meanwhile), and the week's
        figures for the weekly posts read away from the loop first."""
        period = summary.week_due(self.context(now))
        week = None
        if period is not None:
            week = await self.read_aside(lambda ctx: summary.Week.of(ctx, *period), now)
        outgoing = []
        for part in self._round(now, week):
            outgoing += part
            await asyncio.sleep(0)
        return outgoing

    def run_timers(self, now: datetime, week: summary.Week | None = None) -> list[Outgoing]:
        """Everything due at `now`, at once: SLA steps, each person's message of the round,
        auto-close, weekly posts (`week`: their figures when read beforehand)."""
        return [out for part in self._round(now, week) for out in part]

    def _round(self, now: datetime, week: summary.Week | None) -> Iterator[list[Outgoing]]:
        """One transaction after another, each short (a batch of due tickets, then a few
        people's messages); what each queued. The caller may pause between them."""
        ctx = self.context(now)
        looked = sla.BATCH
        while looked == sla.BATCH:
            with self.store.transaction():
                looked, outgoing = sla.sweep_batch(ctx)
                self.queue(outgoing, cause="timer", now=now)
            yield outgoing
        more = True
        while more:
            with self.store.transaction():
                outgoing, more = sla.deliver_notices(ctx)
                if not more:
                    outgoing += summary.post_due(ctx, week) + unplaced.unanswered(ctx)
                self.queue(outgoing, cause="timer", now=now)
            self.outbox.wake()
            yield outgoing
        self.last_sweep_at = now

