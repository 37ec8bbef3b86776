"""The test backend: messages go in by `deliver`, what the bot sends lands in `sent`."""

from __future__ import annotations

from bot.transports.base import OnMessage
from handlers.messages import IncomingMessage, Outgoing


class MemoryTransport:
    name = "memory"

    def __init__(self, *, trusts_names: bool = True) -> None:
        """`trusts_names=False`: behave as a real chat (officials and groups by id)."""
        self.trusts_names = trusts_names
        self.sent: list[Outgoing] = []
        self.fail_next = 0  # make the next N sends fail, as a dropped connection would
        self.connected = False
        self._on_message: OnMessage | None = None

    async def start(self, on_message: OnMessage) -> None:
        self._on_message = on_message
        self.connected = True

    async def stop(self) -> None:
        self.connected = False

    async def send(self, message: Outgoing) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("memory transport: simulated send failure")
        self.sent.append(message)

    async def deliver(self, message: IncomingMessage) -> None:
        assert self._on_message is not None, "start the application first"
        await self._on_message(message)

    def take(self) -> list[Outgoing]:
        """What was sent since the last take."""
        sent, self.sent = self.sent, []
        return sent
