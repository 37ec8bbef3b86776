"""What the bot tells a resident who asks after a hazard is true: 「又跟X说了」 only of whom a
word went to just now (never 「社区」 when the community heard nothing new), and a resident's
word that the thing is gone is news of the ticket (thanks, its holder asked once to
confirm), not a chase."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN1, TZ
from conftest import private_to as to

from handlers.messages import Person

AUNT = "5号楼 童阿姨"
OFFICIALS = ("马建民", "孙丽", "张继凯", "刘芳")
WORK_GROUP = "青年路社区工作群"



@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 27, 14, 50, tzinfo=TZ)  # a Friday afternoon


async def _a_fire_risk_told_privately(chat) -> None:
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(AUNT, chat.person_id(AUNT))])
    await chat.say(AUNT, "我们单元一楼那家天天从窗户拉线给电动车充电 线就搭在楼道口铁栏杆上", room=None)
    chat.clock.advance(timedelta(minutes=3))
    await chat.say(AUNT, "刚下了雨 那线泡在水里 我好怕起火", room=None)


async def test_asked_after_at_night_names_only_whom_it_told_just_now(chat) -> None:
    await _a_fire_risk_told_privately(chat)
    seen = []
    for _ in range(30):  # to 20:00: nobody takes it, the ladder goes on (the community too)
        seen += await chat.later(minutes=10)
    chat.clock.set(datetime(2026, 11, 27, 20, 5, tzinfo=TZ))
    for words in ("天黑了 又在充了", "你们到底收到没有啊"):
        sent = await chat.say(AUNT, words, room=None)
        [answer] = to(sent, AUNT)
        told_now = [n for n in OFFICIALS if to(sent, n)]
        community_now = any(m.room_topic == WORK_GROUP for m in sent) or any(to(sent, n) for n in OFFICIALS[2:])
        # at the community by now: her words are folded into its next reminder (review of d11)
        found = re.search(r"又(?:跟|催了)(.*?)(?:说了|一遍)", answer.text)  # whom, just now
        assert bool(found) == bool(told_now or community_now)
        said = found.group(1) if found else ""
        assert all(n in said for n in told_now)
        assert ("社区" in said) == community_now  # 「又催了…和社区」 only if the community was
        assert "催了网格员马建民和社区" not in answer.text
        chat.clock.advance(timedelta(minutes=40))


async def test_told_it_is_gone_she_is_thanked_and_the_holder_asked_to_confirm_once(chat) -> None:
    await _a_fire_risk_told_privately(chat)
    chat.clock.set(datetime(2026, 11, 27, 19, 30, tzinfo=TZ))
    sent = await chat.say(AUNT, "刚才下楼看了 那根线拆掉了 电动车也搬走了", room=None)
    [answer] = to(sent, AUNT)
    assert "谢谢" in answer.text and "#1" in answer.text
    assert "催" not in answer.text and "119" not in answer.text and "焦味" not in answer.text
    told = [m for n in OFFICIALS for m in to(sent, n)]
    assert told and all("确认" in m.text and "#1" in m.text for m in told)
    assert chat.ticket(1).status.is_open  # her word is news; the worker confirms it

    chat.clock.advance(timedelta(minutes=50))
    again = await chat.say(AUNT, "我又去看了一眼 线确实撤了", room=None)
    assert to(again, AUNT) and not [m for n in OFFICIALS for m in to(again, n)]  # told once
