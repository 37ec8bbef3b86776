"""A resident asking after a ticket its worker had before going away for a while is heard by
whoever holds the grid now (review of d13, finding 1: the stairwell pipe reported at 07:06,
李强 away at training from 07:52 with 王秀英 covering; the chases went to him). The one
covering is reminded, not the absent one; the ticket stays his for when he is back.
Through the Application, a Monday morning with the clock moved."""

from __future__ import annotations

from conftest import ROOM_QN1

WORKER, BACKUP = "马建民", "孙丽"
PIPE = "6号楼2单元三楼楼道那根水管子结了一层白霜 往下滴答水"
AWAY = "上午去街道开会 手机静音了 有事联系孙丽"
CHASE = "6号楼2单元那根管子还在滴 都两个钟头了 有人管吗"


def private(out, name):
    return [m.text for m in out if m.to is not None and m.to.name == name]


def group(out):
    return [m.text for m in out if m.to is None]


async def test_a_chase_while_the_worker_is_away_goes_to_the_one_covering(chat) -> None:
    await chat.say("6-2-301 老齐", PIPE, ROOM_QN1)
    assert chat.ticket(1).assignee_name == WORKER
    await chat.later(minutes=5)
    await chat.say(WORKER, AWAY, ROOM_QN1)
    await chat.later(minutes=20)
    chased = await chat.say("6-2-301 老齐", CHASE, ROOM_QN1)
    assert private(chased, WORKER) == []  # away, his phone on silent
    assert any("#1" in t for t in private(chased, BACKUP))
    assert not any(WORKER in t for t in group(chased))  # not named as the one reminded
    assert chat.ticket(1).assignee_name == WORKER  # still his: back, he has it again
