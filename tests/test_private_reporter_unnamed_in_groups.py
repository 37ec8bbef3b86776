"""A resident who told something only privately is never named in a group (review of d13,
finding 3: 陆阿姨's private word about flying-wire charging, 「别说是我说的」, went up to the
community's work group as 「…（7号楼 陆阿姨 10:50）」). The community still hears what and
where; the name stays in the private messages to the officials. Through the application."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_QN1, TZ

from handlers.messages import Person

STAFF_ROOM = "青年路社区工作群"
GRANNY = "7号楼 程奶奶"
CHARGING = "我们楼一楼那家天天从窗户往外拉电线给电动车充电 我怕着火 别说是我说的"


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 27, 10, 0, tzinfo=TZ)  # a Friday morning, office open


async def _up_to_the_community(chat, name: str, room: str | None) -> list:
    if room is None:
        chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(name, chat.person_id(name))])
    sent = await chat.say(name, CHARGING, room)
    assert chat.store.tickets.select()
    seen = list(sent)
    for _ in range(72):  # the day on, nobody taking it: up to the community
        seen += await chat.later(minutes=10)
    up = [m for m in seen if m.room_topic == STAFF_ROOM]
    assert up and any("#1" in m.text for m in up)
    return up


async def test_a_private_reporter_is_not_named_in_the_community_group(chat):
    up = await _up_to_the_community(chat, GRANNY, None)
    assert not any("程奶奶" in m.text for m in up)
    assert any("居民私聊反映" in m.text for m in up)


async def test_one_who_said_it_in_the_residents_group_is_named_as_before(chat):
    up = await _up_to_the_community(chat, GRANNY, ROOM_QN1)
    assert any("程奶奶" in m.text for m in up)
