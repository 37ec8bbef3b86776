"""How the WeChat transport reads group member lists, with a stand-in for python-wechaty's
bot (no gateway): each room's list reaches the application as its own call, a room whose
list cannot be read is logged and skipped (the list read before stays), and a room that
changes while the lists are being read is read once more afterwards."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

from bot.transports.wechaty import WechatyTransport
from handlers.messages import Person


class FakeRoom:
    def __init__(self, world: dict, room_id: str) -> None:
        self.room_id, self.world, self.payload = room_id, world, None

    async def ready(self) -> None:
        self.payload = SimpleNamespace(topic=self.world[self.room_id]["topic"])

    async def member_list(self) -> list[SimpleNamespace]:
        room = self.world[self.room_id]
        room["reads"] += 1
        if room.get("broken"):
            raise ConnectionError("room_member_list failed")
        return [SimpleNamespace(contact_id=i, name=f"name-{i}") for i in room["members"]]


def fake_bot(world: dict) -> SimpleNamespace:
    async def room_list() -> list[str]:
        return list(world)

    return SimpleNamespace(
        puppet=SimpleNamespace(room_list=room_list, login_user_id="bot"),
        Room=SimpleNamespace(load=lambda room_id: FakeRoom(world, room_id)),
    )


def transport_with(world: dict) -> tuple[WechatyTransport, list[tuple[str, str | None, list[Person]]]]:
    transport = WechatyTransport("127.0.0.1:1", "token", "bot")
    handed: list[tuple[str, str | None, list[Person]]] = []
    transport.watch_members(lambda room_id, topic, people: handed.append((room_id, topic, list(people))))
    transport._bot = fake_bot(world)
    return transport, handed


async def settle(transport: WechatyTransport) -> None:
    while transport._member_reads:
        await asyncio.gather(*transport._member_reads.values(), return_exceptions=True)


async def test_every_room_at_login_and_a_broken_one_is_logged_and_skipped(caplog) -> None:
    world = {
        "a@chatroom": {"topic": "一号楼群", "members": ["u1", "bot", "u2"], "reads": 0},
        "b@chatroom": {"topic": "二号楼群", "members": ["u3"], "reads": 0, "broken": True},
    }
    transport, handed = transport_with(world)
    with caplog.at_level(logging.WARNING, logger="gridbot.wechaty"):
        transport._read_members_later(None)
        await settle(transport)
    assert handed == [("a@chatroom", "一号楼群", [Person("name-u1", "u1"), Person("name-u2", "u2")])]
    assert "b@chatroom" in caplog.text and "keeping the list read before" in caplog.text
    assert transport.member_lists == 1


async def test_a_room_that_changes_during_a_read_is_read_again() -> None:
    world = {"a@chatroom": {"topic": "一号楼群", "members": ["u1"], "reads": 0}}
    transport, handed = transport_with(world)
    transport._read_members_later("a@chatroom")
    world["a@chatroom"]["members"].append("u9")  # someone joins while the list is read
    transport._read_members_later("a@chatroom")
    await settle(transport)
    assert world["a@chatroom"]["reads"] == 2
    assert [p.id for p in handed[-1][2]] == ["u1", "u9"]
