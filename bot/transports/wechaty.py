"""Real WeChat: a Transport over the Wechaty puppet-service protocol (python-wechaty).

The bot is a gRPC client of a puppet-service server: the gateway in `gateway/` (mock
puppet in tests, wechat4u/xp for real WeChat) or a hosted puppet service. This module
turns wechaty messages into `IncomingMessage` and `Outgoing` into `room.say(...)` with
real @-mentions, and owns the link: it reconnects with backoff when the server goes
away, says clearly what is wrong, and stops at once on a rejected token (python-wechaty
itself would log and hang). Only this module (through `wechaty_shims`) imports wechaty.

Nothing is lost on the way in: a message the bot fails to store is retried (with backoff)
until it is stored, and only then acknowledged to the gateway, which keeps every message
until acknowledged and sends the waiting ones again after each login (gateway/journal.js).
The acknowledgement and the request travel in the ding RPC, the protocol's only call that
carries free text; another puppet service just answers them with a dong.

Group member lists (so a resident who only writes privately belongs to their group's grid)
are read at each login for every room, and again for a room someone joins or leaves; always
in tasks of their own, never in the way of messages. A list that cannot be read is logged
and the one read before stays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from bot.transports import wechaty_shims as shims
from bot.transports.base import OnMembers, OnMessage
from handlers.messages import IncomingMessage, Media, Outgoing, Person, Quote, split_quote

log = logging.getLogger("gridbot.wechaty")

MAX_MEDIA_BYTES = 20 * 1024 * 1024
AT_SEPARATOR = "\u2005"  # WeChat puts a four-per-em space after an @-mention
ACK_PREFIX = "gridbot-ack:"  # + a JSON list of message ids the inbox holds (gateway/journal.js)
REPLAY = "gridbot-replay"  # "send me again what I have not acknowledged"
ACK_BATCH = 100


class TransportNotConnected(ConnectionError):
    """Raised by `send` while the link is down: the outbox keeps the message for later."""


class WechatyTokenRejected(RuntimeError):
    """The puppet service refused our token: retrying cannot help, so the bot stops."""


class _LinkLost(Exception):
    """One connection ended; `reason` says why in words a user can act on."""

    def __init__(self, reason: str, *, fatal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


class WechatyTransport:
    """Transport for real WeChat through a Wechaty puppet service (see gateway/README.md)."""

    name = "wechaty"
    trusts_names = False  # officials by WeChat id, groups by room id

    def __init__(
        self,
        endpoint: str,
        token: str,
        bot_name: str,
        *,
        backoff_initial: float = 0.5,
        backoff_max: float = 15.0,
        connect_timeout: float = 5.0,
        rpc_timeout: float = 15.0,
        login_timeout: float | None = None,
        heartbeat_interval: float = 30.0,
        members_timeout: float = 120.0,
        store_retry_initial: float = 0.5,
        store_retry_max: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`sleep` waits between attempts to store a message (tests pass a clock's)."""
        if not token:
            raise ValueError("[wechaty] token is empty: set it to the gateway's TOKEN")
        self.endpoint = endpoint
        self.bot_name = bot_name
        self._token = token
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._connect_timeout = connect_timeout
        self._rpc_timeout = rpc_timeout
        self._login_timeout = login_timeout
        self._heartbeat_interval = heartbeat_interval
        self._members_timeout = members_timeout
        self._store_retry_initial = store_retry_initial
        self._store_retry_max = store_retry_max
        self._sleep = sleep
        self._last_problem = ""
        self._on_message: OnMessage | None = None
        self._on_members: OnMembers | None = None
        # Member-list reads under way: at login (key None, every room) or of one room; a
        # room in `_members_again` changed during its read and is read once more after it.
        self._member_reads: dict[str | None, asyncio.Task[None]] = {}
        self._members_again: set[str] = set()
        self.member_lists = 0  # room member lists handed to the application (tests and logs)
        self._bot: Any = None  # wechaty.Wechaty of the current connection
        self._connected = False
        self._connected_event = asyncio.Event()
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._acker: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        # Message id -> True once stored (a repeat is only acknowledged again), False while
        # on its way (a repeat is ignored). Forgotten when it could not be read.
        self._seen: OrderedDict[str, bool] = OrderedDict()
        self._acks: list[str] = []  # stored, not yet acknowledged to the gateway
        self._ack_wakeup = asyncio.Event()
        self.store_failures = 0  # attempts to store a message that failed (tests and logs)
        self.fatal_error: BaseException | None = None
        self.connections = 0  # successful logins so far (tests and logs)

    # ------------------------------------------------------------------ lifecycle

    @property
    def connected(self) -> bool:
        return self._connected

    async def start(self, on_message: OnMessage) -> None:
        """Connect (retrying while the gateway is unreachable); return once logged in.

        Raises WechatyTokenRejected within seconds when the token is wrong. With a
        `login_timeout`, returns after that long even if not connected yet (the link keeps
        retrying in the background; `connected` tells), so the bot can start and stop.
        """
        shims.load_wechaty()
        shims.route_wechaty_logs(self._token)
        self._on_message = on_message
        self._stopping = False
        self._queue = asyncio.Queue()
        self._ack_wakeup = asyncio.Event()
        self._runner = asyncio.create_task(self._run(), name="wechaty-link")
        self._consumer = asyncio.create_task(self._consume(), name="wechaty-inbox")
        self._acker = asyncio.create_task(self._acknowledge(), name="wechaty-acks")
        waiter = asyncio.create_task(self._connected_event.wait())
        try:
            done, _ = await asyncio.wait(
                {waiter, self._runner}, timeout=self._login_timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            waiter.cancel()
        if not done:
            log.warning(
                "wechaty: not connected after %.0f s (%s); starting anyway: replies wait in the "
                "outbox until the link is up",
                self._login_timeout, self._last_problem or "waiting for the WeChat login",
            )
            return
        if self._runner.done():
            error = self._runner.exception() or self.fatal_error
            await self.stop()
            if error is not None:
                raise error
            raise RuntimeError("wechaty transport stopped before it connected")

    def watch_members(self, on_members: OnMembers) -> None:
        """Where room member lists go (the application, before `start`)."""
        self._on_members = on_members

    async def wait_closed(self) -> None:
        """Wait until the link gives up for good; raises the fatal error if there was one."""
        if self._runner is not None:
            await asyncio.shield(self._runner)

    async def stop(self) -> None:
        self._stopping = True
        self._queue.put_nowait(None)  # wakes the consumer even if a cancel gets swallowed
        tasks = [t for t in (self._runner, self._consumer, self._acker) if t is not None]
        tasks += self._member_reads.values()
        self._member_reads = {}
        self._members_again.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        for task in tasks:
            if task.done() and not task.cancelled():
                task.exception()  # already reported; mark it retrieved
        self._runner = self._consumer = self._acker = None
        await self._close_bot()

    # ---------------------------------------------------------------- connection

    async def _run(self) -> None:
        """Keep one connection up: connect, serve until it drops, back off, repeat.

        A reason is logged as a warning the first time, then quietly while it repeats.
        """
        delay = self._backoff_initial
        last_reason = ""
        while not self._stopping:
            started = time.monotonic()
            try:
                try:
                    await self._connect_and_serve()
                except _LinkLost:
                    raise
                except Exception as error:  # a surprise from python-wechaty: retry
                    log.debug("wechaty: connection failed", exc_info=True)
                    raise _LinkLost(f"{type(error).__name__}: {error}") from None
                raise _LinkLost("the gateway closed the event stream")
            except _LinkLost as lost:
                was_up = self._mark_down()
                if lost.fatal:
                    log.debug("wechaty: %s", lost.reason)  # raised: the caller reports it once
                    self.fatal_error = WechatyTokenRejected(lost.reason)
                    raise self.fatal_error from None
                if was_up:
                    log.warning("wechaty: lost the link to %s: %s; reconnecting", self.endpoint, lost.reason)
                    delay = self._backoff_initial
                else:
                    level = logging.INFO if lost.reason == last_reason else logging.WARNING
                    log.log(level, "wechaty: %s; retrying in %.1f s", lost.reason, delay)
                last_reason = "" if was_up else lost.reason
                self._last_problem = lost.reason
            finally:
                self._mark_down()
                await self._close_bot()
            if self._stopping:
                return
            await asyncio.sleep(delay)
            if time.monotonic() - started < 60:
                delay = min(delay * 2, self._backoff_max)

    async def _connect_and_serve(self) -> None:
        """One connection: probe TCP, open the puppet, listen to events until the end."""
        await self._probe()
        from grpclib.const import Status
        from grpclib.exceptions import GRPCError, ProtocolError, StreamTerminatedError

        wechaty = shims.load_wechaty()
        from wechaty_puppet import PuppetOptions

        options = wechaty.WechatyOptions(
            puppet_options=PuppetOptions(end_point=self.endpoint, token=self._token),
            host="127.0.0.1",
        )
        bot = wechaty.Wechaty(options)
        await bot.init_puppet()
        shims.fresh_pools(bot)
        shims.send_without_reread(bot.puppet)
        self._bot = bot
        puppet = bot.puppet
        # Plain (non-async) listeners run inside pyee's emit, so messages are queued in
        # the order the event stream delivers them.
        puppet.on("login", lambda payload: self._mark_up(payload.contact_id))
        puppet.on("logout", lambda payload: self._on_logout())
        puppet.on("message", lambda payload: self._enqueue(payload.message_id))
        puppet.on("room-topic", lambda payload: self._on_room_topic(payload))
        puppet.on("room-join", lambda payload: self._read_members_later(payload.room_id))
        puppet.on("room-leave", lambda payload: self._read_members_later(payload.room_id))
        try:
            await self._serve(puppet)
        except GRPCError as error:
            if error.status == Status.UNAUTHENTICATED:
                raise _LinkLost(
                    f"the puppet service at {self.endpoint} rejected the token (UNAUTHENTICATED): "
                    "set [wechaty] token to the gateway's TOKEN (or your puppet-service token); "
                    "stopping",
                    fatal=True,
                ) from None
            raise _LinkLost(f"gRPC error {error.status.name}: {error.message or ''}".strip()) from None
        except (StreamTerminatedError, ProtocolError, ConnectionError, OSError) as error:
            if not self._connected:
                raise _LinkLost(
                    f"{self.endpoint} accepts TCP connections but dropped the gRPC connection "
                    f"({type(error).__name__}): is it a puppet-service server with TLS off? "
                    "python-wechaty speaks plaintext gRPC only (gateway: tls disabled, or "
                    "WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER=true)"
                ) from None
            raise _LinkLost(f"connection dropped ({type(error).__name__}: {error})") from None
        except Exception as error:  # wechaty wraps some failures in its own errors
            raise _LinkLost(f"{type(error).__name__}: {error}") from None

    async def _serve(self, puppet: Any) -> None:
        """Run the puppet's event stream, and ding it while logged in.

        A gateway that is frozen or cut off without closing the TCP connection would
        otherwise look connected for ever; an unanswered ding ends this connection.
        """
        stream = asyncio.create_task(puppet.start(), name="wechaty-events")
        try:
            while True:
                done, _ = await asyncio.wait({stream}, timeout=self._heartbeat_interval)
                if done:
                    return stream.result()
                if not self._connected:
                    continue
                try:
                    async with asyncio.timeout(self._rpc_timeout):
                        await puppet.puppet_stub.ding(data="gridbot")
                except TimeoutError:
                    raise _LinkLost(
                        f"the gateway did not answer a ding within {self._rpc_timeout:.0f} s"
                    ) from None
        finally:
            if not stream.done():
                stream.cancel()
                await asyncio.wait({stream}, timeout=2)

    async def _probe(self) -> None:
        """Check that something listens at the endpoint, with a message saying what is wrong."""
        host, _, port = self.endpoint.rpartition(":")
        if not host or not port.isdigit():
            raise _LinkLost(f"[wechaty] endpoint {self.endpoint!r} is not host:port", fatal=False)
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, writer = await asyncio.open_connection(host.strip("[]"), int(port))
        except TimeoutError:
            raise _LinkLost(f"cannot reach the wechaty gateway at {self.endpoint}: timed out") from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise _LinkLost(
                f"cannot reach the wechaty gateway at {self.endpoint} ({reason}): is it running? "
                "(see gateway/README.md)"
            ) from None
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass

    def _mark_up(self, self_id: str) -> None:
        self.connections += 1
        self._connected = True
        self._connected_event.set()
        self._ack_wakeup.set()  # acknowledgements left over, then the replay request
        log.info("wechaty: connected to %s, logged in as %s", self.endpoint, self_id)
        self._read_members_later(None)

    def _mark_down(self) -> bool:
        was_up = self._connected
        self._connected = False
        self._connected_event.clear()
        return was_up

    def _on_logout(self) -> None:
        if self._mark_down():
            log.warning("wechaty: the WeChat account logged out; log in again at the gateway")

    def _on_room_topic(self, payload: Any) -> None:
        if self._bot is not None and payload.room_id:
            shims.set_room_topic(self._bot.Room.load(payload.room_id), payload.new_topic)

    # ------------------------------------------------------------------ members

    def _read_members_later(self, room_id: str | None) -> None:
        """Read a room's member list (None: every room's) in a task of its own."""
        if self._on_members is None or self._bot is None:
            return
        if room_id is not None and (room_id in self._member_reads or None in self._member_reads):
            self._members_again.add(room_id)  # changed while being read: read it once more
            return
        if room_id is None:
            for task in self._member_reads.values():
                task.cancel()  # a new login reads every room anyway
            self._member_reads = {}
        task = asyncio.create_task(self._read_members(self._bot, room_id), name="wechaty-members")
        self._member_reads[room_id] = task
        task.add_done_callback(lambda done: self._member_read_done(room_id, done))

    def _member_read_done(self, room_id: str | None, task: asyncio.Task[None]) -> None:
        if self._member_reads.get(room_id) is task:
            del self._member_reads[room_id]
        if task.cancelled() or self._stopping:
            return
        again = sorted(self._members_again) if room_id is None else (
            [room_id] if room_id in self._members_again else [])
        for other in again:
            self._members_again.discard(other)
            self._read_members_later(other)

    async def _read_members(self, bot: Any, room_id: str | None) -> None:
        """Hand the application one room's member list (or every room's, one at a time)."""
        if room_id is not None:
            await self._hand_members(bot, room_id)
            return
        try:
            async with asyncio.timeout(self._rpc_timeout):
                room_ids = await bot.puppet.room_list()
        except Exception as error:  # noqa: BLE001 - logged; the lists read before stay
            log.warning("wechaty: could not list the rooms to read their members: %s", error)
            return
        for one in room_ids:
            await self._hand_members(bot, one)

    async def _hand_members(self, bot: Any, room_id: str) -> None:
        try:
            async with asyncio.timeout(self._members_timeout):
                topic, people = await read_room_members(bot, room_id)
            assert self._on_members is not None
            self._on_members(room_id, topic, people)
        except Exception as error:  # noqa: BLE001 - logged; the list read before stays
            log.warning("wechaty: could not read the members of room %s (%s: %s); keeping "
                        "the list read before", room_id, type(error).__name__, error)
            return
        self.member_lists += 1
        log.debug("wechaty: %d member(s) in room %s (%s)", len(people), room_id, topic)

    async def _close_bot(self) -> None:
        bot, self._bot = self._bot, None
        if bot is None or bot._puppet is None:
            return
        puppet = bot.puppet
        try:
            async with asyncio.timeout(2):
                await puppet.stop()
        except (asyncio.CancelledError, Exception):  # noqa: BLE001 - the link is gone anyway
            channel = getattr(puppet, "channel", None)
            if channel is not None:
                channel.close()

    # ------------------------------------------------------------------ incoming

    def _enqueue(self, message_id: str) -> None:
        stored = self._seen.get(message_id)
        if stored is not None:
            if stored:  # the gateway sent it again: our acknowledgement was lost
                self._acknowledge_later(message_id)
            return
        self._seen[message_id] = False
        while len(self._seen) > 10_000:
            self._seen.popitem(last=False)
        self._queue.put_nowait(message_id)

    async def _consume(self) -> None:
        """Turn queued message ids into IncomingMessage and store them, one at a time, in
        order; a message that cannot be stored is retried until it is (or the bot stops)."""
        while not self._stopping:
            message_id = await self._queue.get()
            if message_id is None:
                return
            read, incoming = await self._read(message_id)
            if not read:  # not acknowledged: the gateway sends it again at the next login
                self._seen.pop(message_id, None)
                continue
            if incoming is not None and not await self._store(incoming):
                return  # stopping; not acknowledged, so it comes again next time
            self._seen[message_id] = True
            self._acknowledge_later(message_id)

    async def _read(self, message_id: str) -> tuple[bool, IncomingMessage | None]:
        """(True, message) or (True, None) for one of ours or a kind we ignore;
        (False, None) when it could not be read."""
        for attempt in range(3):
            try:
                return True, await self._convert(message_id)
            except Exception as error:  # noqa: BLE001 - logged; keep serving
                if self._connected or attempt == 2 or self._stopping:
                    log.error("wechaty: could not read message %s: %s", message_id, error)
                    return False, None
                await self._wait_connected(30)
        return False, None

    async def _store(self, incoming: IncomingMessage) -> bool:
        """Hand the message to the bot until it is stored; False if stopped first."""
        assert self._on_message is not None
        delay = self._store_retry_initial
        failures = 0
        while not self._stopping:
            try:
                await self._on_message(incoming)
                if failures:
                    log.warning("wechaty: message %s stored after %d failed attempt(s)",
                                incoming.message_id, failures)
                return True
            except Exception as error:  # noqa: BLE001 - retried, never dropped
                failures += 1
                self.store_failures += 1
                if failures == 1 or failures % 20 == 0:
                    log.warning("wechaty: could not store message %s (%s: %s); retrying "
                                "until it is stored", incoming.message_id,
                                type(error).__name__, error)
            await self._sleep(delay)
            delay = min(delay * 2, self._store_retry_max)
        return False

    def _acknowledge_later(self, message_id: str) -> None:
        self._acks.append(message_id)
        self._ack_wakeup.set()

    async def _acknowledge(self) -> None:
        """Tell the gateway which messages are stored, and after each login ask it for the
        ones it still holds. A lost acknowledgement only means a harmless second delivery."""
        replayed_for = 0
        while not self._stopping:
            await self._ack_wakeup.wait()
            self._ack_wakeup.clear()
            bot = self._bot
            if not self._connected or bot is None:
                continue
            try:
                while self._acks:
                    batch = self._acks[:ACK_BATCH]
                    await self._ding(bot, ACK_PREFIX + json.dumps(batch, ensure_ascii=False))
                    del self._acks[:len(batch)]
                if replayed_for != self.connections:
                    await self._ding(bot, REPLAY)
                    replayed_for = self.connections
            except Exception as error:  # noqa: BLE001 - tried again at the next wake-up
                log.debug("wechaty: acknowledging to the gateway failed: %s", error)

    async def _ding(self, bot: Any, data: str) -> None:
        async with asyncio.timeout(self._rpc_timeout):
            await bot.puppet.puppet_stub.ding(data=data)

    async def _wait_connected(self, timeout: float) -> None:
        try:
            async with asyncio.timeout(timeout):
                await self._connected_event.wait()
        except TimeoutError:
            pass

    async def _convert(self, message_id: str) -> IncomingMessage | None:
        """Read one wechaty message; None for our own messages and unsupported kinds."""
        bot = self._bot
        if bot is None:
            raise TransportNotConnected("not connected")
        wechaty = shims.load_wechaty()
        message_type = wechaty.MessageType
        msg = bot.Message.load(message_id)
        async with asyncio.timeout(self._rpc_timeout):
            await msg.ready()
        payload = msg.payload
        self_id = bot.puppet.login_user_id
        if payload.from_id == self_id or msg.is_self():
            return None
        kind = msg.type()
        if kind not in (
            message_type.MESSAGE_TYPE_TEXT,
            message_type.MESSAGE_TYPE_IMAGE,
            message_type.MESSAGE_TYPE_ATTACHMENT,
        ):
            log.debug("wechaty: ignoring a %s message", getattr(kind, "name", kind))
            return None
        talker = msg.talker()
        sender_name = talker.name
        room_id: str | None = payload.room_id or None
        room_topic: str | None = None
        if room_id is not None:
            room = msg.room()
            room_topic = room.payload.topic if room.payload is not None else None
            sender_name = await self._display_name(room, talker) or sender_name
        media: tuple[Media, ...] = ()
        if kind != message_type.MESSAGE_TYPE_TEXT:
            async with asyncio.timeout(self._rpc_timeout):
                name, data = await shims.message_media_bytes(bot.puppet, message_id)
            if len(data) > MAX_MEDIA_BYTES:
                log.warning("wechaty: dropping a %d-byte file from message %s", len(data), message_id)
            else:
                media_kind = "image" if kind == message_type.MESSAGE_TYPE_IMAGE else "file"
                media = (Media(kind=media_kind, name=name, data=data),)
        text, quote = read_quote_reply(payload.text or "") if kind == message_type.MESSAGE_TYPE_TEXT else ("", None)
        return IncomingMessage(
            message_id=message_id,
            room_id=room_id,
            room_topic=room_topic,
            sender_id=talker.contact_id,
            sender_name=sender_name,
            text=text,
            quote=quote,
            time=_timestamp(payload.timestamp),
            mention_ids=tuple(payload.mention_ids or ()),
            media=media,
        )

    async def _display_name(self, room: Any, contact: Any) -> str | None:
        """The member's nickname in this room (群昵称) if set, else None."""
        try:
            async with asyncio.timeout(self._rpc_timeout):
                alias = await room.alias(contact)
        except Exception:  # noqa: BLE001 - some puppets do not serve room aliases
            return None
        return alias or None

    # ------------------------------------------------------------------ outgoing

    async def send(self, message: Outgoing) -> None:
        """Send one message; raises TransportNotConnected while down, other errors on failure."""
        bot = self._bot
        if not self._connected or bot is None:
            raise TransportNotConnected(f"not connected to the wechaty gateway at {self.endpoint}")
        async with asyncio.timeout(self._rpc_timeout):
            await self._send(bot, message)

    async def _send(self, bot: Any, message: Outgoing) -> None:
        if message.room_id is None:
            assert message.to is not None
            contact = await self._find_contact(bot, message.to)
            await contact.say(message.text)
            return
        room = await self._find_room(bot, message.room_id)
        mention_ids: list[str] = []
        unresolved: list[str] = []  # no id (an official not bound yet): "@name" as text only
        for person in message.mentions:
            if person.id is None:
                unresolved.append(person.name)
            elif person.id not in mention_ids:
                mention_ids.append(person.id)
        names = [p.name for p in message.mentions]
        text = strip_leading_mentions(message.text, names)
        if unresolved:
            text = " ".join(f"@{name}" for name in unresolved) + " " + text
        # room.say prefixes "@name" for every mention id and sends the ids along.
        await room.say(text, mention_ids=mention_ids or None)

    async def _find_room(self, bot: Any, room_id: str) -> Any:
        """The room by its id only: never "a room with that topic" (anyone can copy one)."""
        room = bot.Room.load(room_id)
        await room.ready()
        return room

    async def _find_contact(self, bot: Any, person: Person) -> Any:
        """A person by WeChat id only: a name could lead to whoever copied it."""
        if not person.id:
            raise LookupError(
                f"no WeChat id for {person.name!r}: an official must be bound (绑定码) or "
                "configured with wechat_id before the bot writes to them privately"
            )
        contact = bot.Contact.load(person.id)
        await contact.ready()
        return contact


async def read_room_members(bot: Any, room_id: str) -> tuple[str | None, Sequence[Person]]:
    """A room's topic and its members (by WeChat id and name), the bot itself left out."""
    room = bot.Room.load(room_id)
    await room.ready()
    contacts = await room.member_list()
    self_id = bot.puppet.login_user_id
    topic = room.payload.topic if room.payload is not None else None
    people = [Person(contact.name, contact.contact_id) for contact in contacts
              if contact.contact_id != self_id]
    return topic or None, people


def read_quote_reply(text: str) -> tuple[str, Quote | None]:
    """A quote-reply as puppets deliver it: WeChat's text form (「张阿姨：…」, a dashed
    line, the reply), or the raw appmsg XML of type 57 (<title> the reply, <refermsg>
    who and what it quotes). Anything else: (text, None)."""
    if "<refermsg>" in text and "<appmsg" in text:
        try:
            root = ElementTree.fromstring(text[text.index("<"):])
        except ElementTree.ParseError:
            return text, None
        appmsg = root if root.tag == "appmsg" else root.find(".//appmsg")
        refer = appmsg.find("refermsg") if appmsg is not None else None
        if appmsg is not None and refer is not None:
            reply = (appmsg.findtext("title") or "").strip()
            name = (refer.findtext("displayname") or "").strip()
            return reply, Quote(sender_name=name, text=(refer.findtext("content") or "").strip())
    return split_quote(text)


def strip_leading_mentions(text: str, names: list[str]) -> str:
    """Drop "@name " prefixes the handler wrote itself: room.say adds real ones."""
    changed = True
    while changed and names:
        changed = False
        for name in names:
            match = re.match(rf"\s*@{re.escape(name)}[\s{AT_SEPARATOR}]*", text)
            if match:
                text = text[match.end():]
                changed = True
    return text


def _timestamp(value: int | float) -> datetime:
    """Wechaty timestamps are seconds or milliseconds; make a UTC-aware datetime."""
    if not value:
        return datetime.now(UTC)
    seconds = value / 1000 if value > 10_000_000_000 else value
    return datetime.fromtimestamp(seconds, UTC)
