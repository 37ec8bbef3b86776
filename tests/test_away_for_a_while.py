"""A worker saying in the group that they are away for part of the day and who covers
(「上午去街道开会 手机静音了 有事联系孙丽」) hands the grid over until they say they are back:
a new ticket is the one covering's (her ping, her name in the resident's acknowledgement),
his silenced phone is not pinged, an emergency still wakes both; back (「开完会了 我回来了」),
the one covering is told in one message what goes back to him, and new things are his again.
Through the Application, a Monday morning with the clock moved."""

from __future__ import annotations

import pytest
from conftest import ROOM_QN1

WORKER, BACKUP = "马建民", "孙丽"
AWAY = "上午去街道开会 手机静音了 有事联系孙丽"
GATE = "北门的大铁门锁坏了 关不上 一个礼拜了"
LAMP = "5栋门口的路灯不亮了 晚上黑黢黢的"


def private(out, name):
    return [m.text for m in out if m.to is not None and m.to.name == name]


def group(out):
    return [m.text for m in out if m.to is None]


async def test_away_hands_the_grid_over_until_back(chat) -> None:
    await chat.say(WORKER, AWAY, ROOM_QN1)
    await chat.later(minutes=10)
    first = await chat.say("4栋 老孟", GATE, ROOM_QN1)
    assert private(first, WORKER) == []  # his phone is on silent: not pinged
    assert any(t.startswith("新工单 #1") for t in private(first, BACKUP))
    assert chat.ticket(1).assignee_name == BACKUP
    assert any(BACKUP in t and WORKER not in t for t in group(first))  # the ack names who covers
    await chat.later(minutes=90)
    back = await chat.say(WORKER, "开完会了 我回来了", ROOM_QN1)
    told = private(back, BACKUP)
    assert len(told) == 1 and "#1" in told[0] and WORKER in told[0]
    assert chat.ticket(1).assignee_name == WORKER  # what she was given meanwhile is his again
    await chat.later(minutes=10)
    after = await chat.say("5栋 李叔", LAMP, ROOM_QN1)
    assert any(t.startswith("新工单 #2") for t in private(after, WORKER))
    assert private(after, BACKUP) == []


async def test_away_naming_nobody_changes_nothing(chat) -> None:
    await chat.say(WORKER, "上午去街道开会 手机静音了", ROOM_QN1)
    await chat.later(minutes=10)
    first = await chat.say("4栋 老孟", GATE, ROOM_QN1)
    assert any(t.startswith("新工单 #1") for t in private(first, WORKER))
    assert chat.ticket(1).assignee_name == WORKER


async def test_an_emergency_still_wakes_both(chat) -> None:
    await chat.say(WORKER, AWAY, ROOM_QN1)
    await chat.later(minutes=10)
    out = await chat.say("3栋 小周", "3栋电梯困人了 里面有老人 快来人", ROOM_QN1)
    assert private(out, WORKER) and private(out, BACKUP)


async def test_an_at_of_the_worker_away_reaches_the_one_covering_and_the_resident_hears_who(chat) -> None:
    """「@马建民 …」 while he is at a meeting with his phone on silent: the @ does not ring
    him privately; whoever holds the grid now hears it, and the resident hears who."""
    await chat.say(WORKER, AWAY, ROOM_QN1)
    await chat.later(minutes=10)
    first = await chat.say("4栋 老孟", f"@{WORKER} {GATE}", ROOM_QN1)
    assert private(first, WORKER) == []
    assert any("#1" in t for t in private(first, BACKUP))
    assert any(BACKUP in t for t in group(first))
    await chat.later(minutes=10)
    asked = await chat.say("6栋 王姐", f"@{WORKER} 问一下 今年的医保在哪里交", ROOM_QN1)
    assert private(asked, WORKER) == []
    assert any("医保" in t for t in private(asked, BACKUP))
    assert f"{WORKER}这会儿不在，您的话已转给网格员{BACKUP}。" in group(asked)


async def test_an_at_of_the_worker_away_in_an_emergency_still_wakes_him(chat) -> None:
    await chat.say(WORKER, AWAY, ROOM_QN1)
    await chat.later(minutes=10)
    out = await chat.say("3栋 小周", f"@{WORKER} 3栋电梯困人了 里面有老人 快来人", ROOM_QN1)
    assert private(out, WORKER) and private(out, BACKUP)


@pytest.mark.parametrize("away", ["120到了 婆婆抬上车了 我跟车去医院", "我今天下午请假 去看病"])
async def test_in_hospital_or_on_leave_naming_nobody_the_backup_covers(chat, away) -> None:
    """Out of reach for hours (escorting a patient, 住院, 请假: review of d12, finding 3): the
    grid's backup has what comes meanwhile, and is named to the resident; back, new things are hers."""
    await chat.say(WORKER, away, ROOM_QN1)
    await chat.later(minutes=10)
    first = await chat.say("4栋 老孟", GATE, ROOM_QN1)
    assert private(first, WORKER) == [] and chat.ticket(1).assignee_name == BACKUP
    assert any(BACKUP in t and WORKER not in t for t in group(first))
    await chat.later(minutes=90)
    await chat.say(WORKER, "我回来了", ROOM_QN1)
    await chat.later(minutes=10)
    after = await chat.say("5栋 李叔", LAMP, ROOM_QN1)
    assert any(t.startswith("新工单 #2") for t in private(after, WORKER))
