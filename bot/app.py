"""The application: start/stop order, and the path of one message from inbox to outbox.

Start: storage is open -> unfinished inbox messages are finished -> the transport connects
-> the outbox sender and the scheduler run. Stop in the reverse order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.outbox import OutboxSender
from bot.router import route
from bot.sanitize import clean_message, defuse_mentions, is_at_all_name
from bot.transports.base import Transport
from handlers import sla, summary
from handlers.context import ClassifierLike, Context, FaqLike
from handlers.messages import IncomingMessage, Outgoing
from intents import Classifier, FaqBook, mask
from storage import Store
from storage.database import is_transient

log = logging.getLogger("gridbot")


@dataclass(frozen=True)
class Handled:
    outgoing: list[Outgoing]
    status: str  # done | ignored | duplicate | error


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
        self.faq = faq or FaqBook.load(config.settings.classifier.faq_path)
        self.outbox = OutboxSender(self.store, transport, self.clock, config.outbox)
        self._use_scheduler = scheduler
        self._deliver = deliver
        self._scheduler = None
        self.last_sweep_at: datetime | None = None  # shown by the dashboard's /health

    def context(self, now: datetime | None = None) -> Context:
        return Context(
            store=self.store,
            directory=self.config.directory,
            settings=self.config.settings,
            classifier=self.classifier,
            faq=self.faq,
            now=now or self.clock.now(),
        )

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self.recover()
        await self.transport.start(self.on_message)
        if self._deliver:
            self.outbox.start()
        if self._use_scheduler:
            from bot.scheduler import Scheduler

            self._scheduler = Scheduler(self)
            self._scheduler.start()
        log.info("%s is running (%s transport)", self.config.bot_name, self.transport.name)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        await self.outbox.stop()
        await self.transport.stop()
        self.store.close()

    # --- one message ----------------------------------------------------------------------

    async def on_message(self, msg: IncomingMessage) -> None:
        """What a transport calls for each message it receives. Raises when storage failed
        (the message is not stored, or stored and left unhandled): the transport retries."""
        self.receive(msg)
        self.outbox.wake()

    def receive(self, msg: IncomingMessage) -> Handled:
        """Store the message in the inbox first, then handle it (once, whatever happens).

        A storage failure raises: the caller retries, and a retry of a stored message that
        was not handled yet handles it (the inbox row is still 'new')."""
        msg, note = clean_message(msg)
        now = self.clock.now()
        with self.store.transaction():
            new = self.store.inbox.add(
                message_id=msg.message_id, room_id=msg.room_id, room_topic=msg.room_topic,
                sender_id=msg.sender_id, sender_name=msg.sender_name, text=msg.text,
                mention_ids=msg.mention_ids, media_count=len(msg.media),
                sent_at=int(msg.time.timestamp()), received_at=int(now.timestamp()), note=note,
            )
        if not new:
            row = self.store.inbox.get(msg.message_id)
            if row is not None and row.status != "new":
                return Handled([], "duplicate")
        return self.process(msg, now)

    def process(self, msg: IncomingMessage, now: datetime) -> Handled:
        """Handle a stored message: the ticket change and its replies commit together."""
        ctx = self.context(now)
        try:
            with self.store.transaction():
                routed = route(ctx, msg)
                self.queue(routed.outgoing, cause=msg.message_id, now=now)
                self.store.inbox.mark(msg.message_id, routed.status, at=ctx.ts, note=routed.note)
        except Exception as error:
            if is_transient(error):  # locked, disk full: left 'new', to be handled on retry
                log.warning("storage failed while handling message %s (%s); it will be retried",
                            msg.message_id, error)
                raise
            # A bug must not stop the bot nor make it retry the same message forever.
            log.exception("handling message %s failed", msg.message_id)
            with self.store.transaction():
                self.store.inbox.mark(msg.message_id, "error", at=ctx.ts, note=repr(error)[:300])
            return Handled([], "error")
        if routed.status == "ignored":
            log.info("ignored message %s: %s", msg.message_id, routed.note)
        return Handled(routed.outgoing, routed.status)

    def queue(self, outgoing: list[Outgoing], *, cause: str | None, now: datetime) -> None:
        at = int(now.timestamp())
        for out in outgoing:
            text, mentions = safe_for_chat(out)
            self.store.outbox.add(
                text=text, room_id=out.room_id, room_topic=out.room_topic,
                to_id=out.to.id if out.to else None, to_name=out.to.name if out.to else None,
                mentions=mentions, cause=cause, at=at,
            )

    def recover(self) -> int:
        """Finish messages that were stored but not handled when the bot stopped."""
        rows = self.store.inbox.unprocessed()
        for row in rows:
            msg = IncomingMessage(
                message_id=row.message_id, room_id=row.room_id, room_topic=row.room_topic,
                sender_id=row.sender_id, sender_name=row.sender_name, text=row.text,
                time=datetime.fromtimestamp(row.sent_at, self.config.tz),
            )
            self.process(msg, datetime.fromtimestamp(row.received_at, self.config.tz))
        if rows:
            log.info("finished %d message(s) left over from the last run", len(rows))
        return len(rows)

    # --- timers ---------------------------------------------------------------------------

    def run_timers(self, now: datetime) -> list[Outgoing]:
        """Everything due at `now`: SLA reminders and escalations, auto-close, weekly posts."""
        ctx = self.context(now)
        with self.store.transaction():
            outgoing = sla.sweep(ctx) + summary.post_due(ctx)
            self.queue(outgoing, cause="timer", now=now)
        self.last_sweep_at = now
        self.outbox.wake()
        return outgoing
