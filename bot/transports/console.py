"""The simulator's transport: what the bot sends is printed, readable or as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.transports.base import OnMessage
from handlers.messages import Outgoing


class ConsoleTransport:
    name = "console"
    trusts_names = True  # the simulator: people by name, groups by topic (said at start)

    def __init__(
        self,
        now: Callable[[], datetime],
        *,
        bot_name: str = "网格小助手",
        as_json: bool = False,
        out: TextIO | None = None,
    ) -> None:
        self._now = now
        self.bot_name = bot_name
        self.as_json = as_json
        self.out = out or sys.stdout
        self.connected = False
        self.on_message: OnMessage | None = None
        # The simulator's line naming the day, when it changes (readable output only).
        self.day_mark: Callable[[datetime], str | None] | None = None

    async def start(self, on_message: OnMessage) -> None:
        self.on_message = on_message
        self.connected = True

    async def stop(self) -> None:
        self.connected = False

    async def send(self, message: Outgoing) -> None:
        mark = self.day_mark(self._now()) if self.day_mark and not self.as_json else None
        if mark:
            self.out.write(mark + "\n")
        self.out.write(self.render(message) + "\n")
        self.out.flush()

    def render(self, message: Outgoing) -> str:
        time = self._now().isoformat(timespec="minutes")
        mentions = [p.name for p in message.mentions]
        if self.as_json:
            return json.dumps(
                {
                    "time": time,
                    "room": message.room_topic or message.room_id if message.room_id else None,
                    "to": message.to.name if message.to else None,
                    "text": message.text,
                    "mentions": mentions,
                },
                ensure_ascii=False,
            )
        where = f"[{message.room_topic or message.room_id}]" if message.room_id else f"[私聊 → {message.to.name}]"
        at = "".join(f"@{name} " for name in mentions)
        body = message.text.replace("\n", "\n    ")
        return f"  {time[11:16]} {where} {self.bot_name}: {at}{body}"
