"""A hazard at night that grows (review of d12, finding 1): a charging lead lying in
rainwater, told privately at 21:20, reached one tired worker and nobody else, for the
night. A fire risk said now cannot wait for the morning: unanswered for half an hour, the
grid's backup hears of it, half an hour later the community — their phones ring — and
the reporter's later words reach who has it now. And a hazard is a safety matter, however
much the neighbours quarrel over it."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_BH1, TZ
from conftest import private_to as to

from handlers.messages import Person

NEIGHBOUR = "5-2-801 罗女士"
LEAD = "你好 我不想在群里说 5栋2单元一楼那家天天从窗户拉根线下来给电瓶车充电 就在单元门口 晚上一直充到天亮 线搭在草坪上"


async def member(chat, name: str) -> None:
    chat.transport.members(f"room-{ROOM_BH1}", ROOM_BH1, [Person(name, chat.person_id(name))])



@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 24, 21, 15, tzinfo=TZ)  # a Tuesday evening


async def _told_of_fire_risk(chat) -> None:
    await member(chat, NEIGHBOUR)
    await chat.say(NEIGHBOUR, LEAD, room=None)
    await chat.say(NEIGHBOUR, "我跟他们说过一回 他们凶得很 千万莫说是我说的", room=None)
    told = await chat.say(NEIGHBOUR, "刚下了雨 线泡在水头 我好怕起火", room=None)
    assert to(told, "李强") and not to(told, "王秀英")  # its holder first


async def test_a_hazard_is_safety_not_a_quarrel(chat) -> None:
    await member(chat, NEIGHBOUR)
    await chat.say(NEIGHBOUR, "隔壁那家把电动车推进楼道充电 跟他说了还吵起来了", room=None)
    assert chat.ticket(1).intent == "safety"


async def test_an_unanswered_fire_risk_goes_up_a_short_ladder_in_the_night(chat) -> None:
    await _told_of_fire_risk(chat)
    assert not to(await chat.later(minutes=20), "王秀英")  # not yet
    backup = to(await chat.later(minutes=12), "王秀英")  # 21:47: half an hour, nobody answered
    assert len(backup) == 1 and "#1" in backup[0].text and "起火" in backup[0].text
    assert "罗女士" in backup[0].text or "居民私聊" in backup[0].text

    still = await chat.say(NEIGHBOUR, "现在还在充 我从窗户看得到", room=None)
    assert "还在充" in to(still, "王秀英")[0].text  # who has it now hears it, at once
    assert "王秀英" in to(still, NEIGHBOUR)[0].text  # and she is told whom it went to

    later = await chat.later(minutes=31)  # 22:18: the community
    staff = [m for m in later if m.room_topic == "滨河社区工作群" or (m.to and m.to.name == "陈海燕")]
    assert staff and "#1" in staff[0].text and "起火" in staff[0].text
    assert "罗女士" not in staff[0].text  # never named in a group


async def test_a_fire_risk_its_holder_took_stays_with_them(chat) -> None:
    await _told_of_fire_risk(chat)
    await chat.say("李强", "收到 1", room=None)
    assert not to(await chat.later(minutes=35), "王秀英")
    assert not to(await chat.later(minutes=35), "陈海燕")
