"""One interface for every way the bot meets a chat (errbot's backends, in small).

`ConsoleTransport` is the simulator a person tries the bot with, `MemoryTransport` the
test backend, `WechatyTransport` real WeChat. The application only ever sees this.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from handlers.messages import IncomingMessage, Outgoing, Person

OnMessage = Callable[[IncomingMessage], Awaitable[None]]
# A transport that has several messages at hand at once (the pipe reads ahead) says so
# with `takes_groups = True`: `start` is then given this instead, which stores and handles
# them in one transaction; the transport acknowledges them once it has returned.
OnMessages = Callable[[Sequence[IncomingMessage]], Awaitable[object]]
# A transport that can list a group's members (real WeChat; the memory transport for tests)
# has `watch_members(on_members)`: the application gives it this before `start`, and the
# transport calls it with a room's id, topic and members whenever it has read them (at
# login, when someone joins or leaves). Each call is the whole list of that room; it must
# never hold up incoming messages (read lists in a task of their own).
OnMembers = Callable[[str, str | None, Sequence[Person]], object]


class Transport(Protocol):
    name: str
    # True only for the simulator and test chats: officials and groups are then known by
    # their names; a real chat knows them by WeChat id only (handlers/identity.py).
    trusts_names: bool

    async def start(self, on_message: OnMessage) -> None:
        """Connect and begin delivering messages to `on_message`; return once connected."""

    async def send(self, message: Outgoing) -> None:
        """Deliver one message; raise on failure so the outbox retries it later."""

    async def stop(self) -> None:
        """Disconnect; after this no more messages are delivered."""

    @property
    def connected(self) -> bool:
        """False while the link is down: the outbox holds messages until it is back."""
