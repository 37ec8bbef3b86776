"""The test backend: messages go in by `deliver`, a group's member list by `members`, what
the bot sends lands in `sent`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.transports.base import OnMembers, OnMessage
from handlers.messages import IncomingMessage, Outgoing, Person


class MemoryTransport:
    name = "memory"

    def __init__(self, *, trusts_names: bool = True) -> None:
        """`trusts_names=False`: behave as a real chat (officials and groups by id)."""
        self.trusts_names = trusts_names
        self.sent: list[Outgoing] = []
        self.fail_next = 0  # make the next N sends fail, as a dropped connection would
        self.connected = False
        self._on_message: OnMessage | None = None
        self._on_members: OnMembers | None = None

    def watch_members(self, on_members: OnMembers) -> None:
        self._on_members = on_members

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

    def members(self, room_id: str, topic: str | None, people: Sequence[Person]) -> None:
        """A room's member list, as WeChat would list it."""
        assert self._on_members is not None, "start the application first"
        self._on_members(room_id, topic, people)

    def take(self) -> list[Outgoing]:
        """What was sent since the last take."""
        sent, self.sent = self.sent, []
        return sent
