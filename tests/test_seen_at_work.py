"""A worker still visibly at work past office hours (he spoke in the group within the hour:
handing out water, calming a quarrel) is not said to see it 「明天上班后」 (review of d16,
findings 4 and 6: 17:32 a blocked building door told 「马建民明天上班后单独跟您联系」, 18:45 a
chase about the water told 「明天上班后会看到」 while he was in the yard). Gone for the day,
the resident is told when he is back, as before. Through the Application, a Monday evening."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_QN1, TZ

WORKER = "马建民"
AT_WORK = "我在3号楼门口发水呢 有需要的拿桶来"
REPORT = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
CHASE = "3栋门口那个井盖到底什么时候修啊 有人管吗"


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 17, 40, tzinfo=TZ)  # a Monday, after office hours (17:30)


def told(out) -> str:
    return "\n".join(m.text for m in out)


async def test_a_worker_seen_at_work_this_evening_is_not_said_to_see_it_tomorrow(chat) -> None:
    await chat.say(WORKER, AT_WORK, ROOM_QN1)
    await chat.later(minutes=10)
    acked = await chat.say("3-1-201 张阿姨", REPORT, ROOM_QN1)
    assert chat.ticket(1) is not None
    assert "#1" in told(acked)
    assert "明天" not in told(acked)
    await chat.later(minutes=20)
    chased = await chat.say("3-1-201 张阿姨", CHASE, ROOM_QN1)
    assert "明天" not in told(chased)


async def test_a_worker_gone_for_the_day_still_sees_it_tomorrow(chat) -> None:
    await chat.say(WORKER, AT_WORK, ROOM_QN1)
    await chat.later(minutes=90)  # nothing from him since 17:40
    acked = await chat.say("3-1-201 张阿姨", REPORT, ROOM_QN1)
    assert "明天上班后" in told(acked)
