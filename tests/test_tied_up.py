"""A worker tied up in an emergency (review of d12, finding 6): while the worker who took an
urgent ticket has not finished it (and has done nothing else since), a new ticket of the
grid goes to the backup worker, named to the resident, and the ladder hands the worker's
waiting tickets to the backup instead of reminding them. Once done, it is theirs again.
Through the Application, as users see it."""

from __future__ import annotations

import pytest
from conftest import private_to as to
from conftest import when_due

WORKER, BACKUP = "马建民", "孙丽"


@pytest.fixture
async def chat(open_chat, example_config):
    """The ladder's steps when due (no overdue lists): the hand-over is its step."""
    return await open_chat(when_due(example_config))



async def test_new_tickets_go_to_the_backup_while_the_worker_is_at_an_emergency(chat) -> None:
    # Monday 10:00, office hours: a waiting ticket of the worker's, then an emergency he takes
    await chat.say("5栋 李叔", "5栋门口的路灯不亮了 晚上黑黢黢的")
    alarm = await chat.say("7栋 王阿姨", "快来人 7栋2单元有个老人摔倒了 起不来")
    assert to(alarm, WORKER) and chat.ticket(2).urgent
    await chat.say(WORKER, "收到 马上到")
    assert chat.ticket(2).status == "accepted"

    later = await chat.say("9栋 小周", "9栋楼道里的灯坏了好几天了")
    acked = [m for m in later if m.room_id is not None]
    assert acked and BACKUP in acked[0].text and WORKER not in acked[0].text
    assert to(later, BACKUP) and to(later, WORKER) == []
    assert chat.ticket(3).assignee_name == BACKUP

    timers = []
    for _ in range(6):  # an hour of the ladder: #1 is not his to be reminded of now
        timers += await chat.later(minutes=10)
    assert to(timers, WORKER) == []
    assert any("#1" in m.text for m in to(timers, BACKUP))

    await chat.say(WORKER, "办结 2 老人送医院了")
    back = await chat.say("3栋 张阿姨", "3栋门口井盖松了 踩上去咣当响")
    assert to(back, WORKER) and to(back, BACKUP) == []  # done: new tickets are his again
