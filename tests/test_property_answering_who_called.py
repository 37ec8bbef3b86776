"""The property company answering, in its own words, the resident who called on it a moment
ago is acting on that resident's incident (review of d13, finding 5: 「@滨河物业客服 4号楼1单元
暖气不热」, then 「已经报给热力公司了…正在调」, and an hour later the timers told the backup and
the community 「无人接单」). Its word goes on that ticket's timeline, so the ladder counts it
as someone on it: the holder hears what the property said, nobody hears 无人接单. Through
the application, as the workers see it."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_BH1, TZ, speaker

say = speaker(ROOM_BH1)
PROPERTY = "滨河物业客服"


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 8, 40, tzinfo=TZ)  # a Monday morning, office open


async def _reported_and_answered(chat, answer: str):
    await say(chat, "4号楼 老付", "4号楼暖气一点不热 放了气 放出来都是水 还是不热")
    [ticket] = chat.store.tickets.select()
    await say(chat, "4号楼 老付", f"@{PROPERTY} 4号楼1单元暖气不热 给热力说一声")
    await say(chat, PROPERTY, answer, minutes=5)
    return ticket


@pytest.mark.parametrize("answer", [
    "已经报给热力公司了，热力说今天降温管网压力大，正在调，请稍等",
    "收到，已经让维修师傅过去看了",
])
async def test_the_property_answering_the_one_who_called_is_on_that_ticket(chat, answer):
    ticket = await _reported_and_answered(chat, answer)
    assert any(e.kind == "update" for e in chat.store.tickets.events(ticket.id))
    seen = []
    for _ in range(12):  # two hours on, nobody of the grid taking it
        seen += await chat.later(minutes=10)
    assert not any("无人接单" in m.text or "还没有人接单" in m.text for m in seen)


async def test_its_word_naming_another_place_is_not_that_ticket(chat):
    ticket = await _reported_and_answered(chat, "19栋2单元电梯维保在机房，要换个部件，下午四点前恢复")
    assert not any(e.kind == "update" for e in chat.store.tickets.events(ticket.id))
