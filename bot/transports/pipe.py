"""The pipe transport: the bot spoken to in JSON Lines over stdin and stdout.

Any program can be the chat: it writes one received message per line to the bot's stdin
and reads what the bot says from its stdout. It is how the crash test feeds the bot, and
the simplest way to connect another chat system (a bridge for DingTalk, WeCom, Matrix,
a web form) without touching the bot: the bridge only has to speak these lines.

In, one JSON object per line (UTF-8; invalid bytes are replaced, not fatal)::

    {"message_id": "m-1", "room_id": "r1@chatroom", "room_topic": "青年路一网格居民群",
     "sender_id": "wx-1", "sender_name": "张阿姨", "text": "3栋门口井盖翘起来了",
     "time": "2026-11-23T10:00:00+08:00", "mention_ids": []}

`message_id` must be stable: resending a message with the same id is how a bridge makes
sure nothing is lost, and the bot handles each id once. `room_id` and `room_topic` are
null (or absent) for a private message; `time` is ISO 8601 or Unix seconds (absent: now).

Out, one JSON object per line, flushed at once:

- `{"ready": true}` once the bot has started (unfinished work of the last run is done);
- `{"ack": "m-1"}` after message m-1 is committed to the bot's inbox (and handled). A
  bridge resends every message it has no ack for after the bot restarts. Lines that
  arrive while the bot is busy are taken together (up to `GROUP_LINES`), committed in
  one transaction and acknowledged after it, in order;
- `{"outbox_id": 7, "room_id": ..., "room_topic": ..., "to_id": ..., "to_name": ...,
  "text": ..., "mentions": [{"name": ..., "id": ...}]}` for each message the bot sends. The
  bot marks a message sent only after this line is written, so after a crash a line may
  be repeated (the same outbox_id, at most once per crash) but never lost;
- `{"error": "...", "line": n}` for an input line that is not a message (it is skipped).

On end of input the bot sends what is left in its outbox and exits.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import queue
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from bot.outbox import SENDING_ROW
from bot.transports.base import OnMessages
from handlers.messages import IncomingMessage, Outgoing

MAX_LINE_BYTES = 16 * 1024 * 1024
GROUP_LINES = 64
log = logging.getLogger("gridbot.pipe")


def parse_line(raw: bytes | str, tz: ZoneInfo) -> IncomingMessage:
    """One input line as a message; ValueError (with a short reason) when it is not one."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    message_id = data.get("message_id")
    if not isinstance(message_id, (str, int)) or isinstance(message_id, bool) or message_id == "":
        raise ValueError("message_id missing")
    sender_id = data.get("sender_id")
    if not isinstance(sender_id, (str, int)) or isinstance(sender_id, bool) or sender_id == "":
        raise ValueError("sender_id missing")
    room_id = data.get("room_id")
    room_topic = data.get("room_topic")
    text = data.get("text")
    mentions = data.get("mention_ids") or []
    if not isinstance(mentions, list):
        raise ValueError("mention_ids must be a list")
    return IncomingMessage(
        message_id=str(message_id),
        room_id=_str_or_none(room_id),
        room_topic=_str_or_none(room_topic),
        sender_id=str(sender_id),
        sender_name=str(data.get("sender_name") or ""),
        text=text if isinstance(text, str) else "" if text is None else str(text),
        time=_time(data.get("time"), tz),
        mention_ids=tuple(str(m) for m in mentions),
    )


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _time(value: Any, tz: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz)
        except (OverflowError, OSError, ValueError):
            raise ValueError("time out of range") from None
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("time is not ISO 8601") from None
        return when if when.tzinfo else when.replace(tzinfo=tz)
    raise ValueError("time must be ISO 8601 or Unix seconds")


def _take_up_to(lines: queue.Queue[bytes], n: int) -> list[bytes]:
    """What is in the queue now, n lines at most (none: an empty list)."""
    group: list[bytes] = []
    while len(group) < n:
        try:
            group.append(lines.get_nowait())
        except queue.Empty:
            break
    return group


def outgoing_line(message: Outgoing, outbox_id: int | None) -> dict[str, Any]:
    return {
        "outbox_id": outbox_id,
        "room_id": message.room_id,
        "room_topic": message.room_topic,
        "to_id": message.to.id if message.to else None,
        "to_name": message.to.name if message.to else None,
        "text": message.text,
        "mentions": [{"name": p.name, "id": p.id} for p in message.mentions],
    }


class PipeTransport:
    name = "pipe"
    takes_groups = True
    trusts_names = False  # a real chat: officials by sender_id, groups by room_id

    def __init__(
        self, tz: ZoneInfo, *, stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None
    ) -> None:
        self.tz = tz
        self._stdin = stdin if stdin is not None else sys.stdin.buffer
        self._stdout = stdout if stdout is not None else sys.stdout.buffer
        self._on_messages: OnMessages | None = None
        self._reader: asyncio.Task | None = None
        self._connected = False
        self.finished = asyncio.Event()  # set at end of input

    @property
    def connected(self) -> bool:
        return self._connected

    async def start(self, on_messages: OnMessages) -> None:
        self._on_messages = on_messages
        self._connected = True

    def begin(self) -> None:
        """Start reading input (after the application has started, and said so)."""
        self.write({"ready": True})
        self._reader = asyncio.create_task(self._read(), name="pipe-reader")

    async def send(self, message: Outgoing) -> None:
        self.write(outgoing_line(message, SENDING_ROW.get()))

    async def stop(self) -> None:
        self._connected = False
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
            try:
                await self._reader
            except asyncio.CancelledError:
                pass

    def write(self, obj: dict[str, Any]) -> None:
        line = json.dumps(obj, ensure_ascii=False) + "\n"
        # Lone surrogates cannot go out as UTF-8: replace them rather than fail the send.
        self._stdout.write(line.encode("utf-8", errors="replace"))
        self._stdout.flush()

    def _raw_lines(self) -> Iterator[bytes]:
        """Input lines, then b"" at the end. From the file descriptor when there is one:
        a thread blocked in a buffered readline holds a lock that aborts the interpreter's
        exit (SIGTERM while waiting for input)."""
        try:
            fd = self._stdin.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            fd = None
        if fd is None:
            while raw := self._stdin.readline(MAX_LINE_BYTES):
                yield raw
            yield b""
            return
        pending = b""
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            yield from (line + b"\n" for line in complete)
            if len(pending) > MAX_LINE_BYTES:  # no end in sight: hand it on (as an error)
                yield pending
                pending = b""
        if pending:
            yield pending
        yield b""

    async def _read(self) -> None:
        assert self._on_messages is not None
        loop = asyncio.get_running_loop()
        # Lines wait here while the bot handles the ones before (a bounded queue: the
        # reading thread blocks when the bot is far behind); the loop is woken for them.
        lines: queue.Queue[bytes] = queue.Queue(maxsize=4 * GROUP_LINES)
        arrived = asyncio.Event()

        def pump() -> None:  # a daemon thread: a blocked read never holds up the exit
            for raw in self._raw_lines():
                lines.put(raw)
                try:
                    loop.call_soon_threadsafe(arrived.set)
                except RuntimeError:  # the loop is gone
                    return
                if not raw:
                    return

        threading.Thread(target=pump, name="pipe-stdin", daemon=True).start()
        number = 0
        try:
            ended = False
            while not ended:
                await arrived.wait()
                arrived.clear()
                while not ended and (group := _take_up_to(lines, GROUP_LINES)):
                    msgs = []
                    for raw in group:
                        if not raw:
                            ended = True
                            break
                        number += 1
                        if not raw.strip():
                            continue
                        try:
                            msgs.append(parse_line(raw, self.tz))
                        except ValueError as error:
                            self.write({"error": str(error), "line": number})
                    if msgs:
                        await self._take(msgs)
        finally:
            self.finished.set()

    async def _take(self, msgs: list[IncomingMessage]) -> None:
        """Hand a group to the bot; acknowledge each once the group is stored."""
        assert self._on_messages is not None
        try:
            await self._on_messages(msgs)
        except Exception as error:  # not stored: no ack, so the sender resends them
            log.exception("%d message(s) could not be stored", len(msgs))
            for msg in msgs:
                self.write({"error": repr(error)[:300], "message_id": msg.message_id})
            return
        for msg in msgs:
            self.write({"ack": msg.message_id})
