"""A resident who reported privately and writes again (review of d12, finding 1): nothing
they add is dropped. A detail goes on the ticket and they hear once that it did; a detail
that makes the report a fire risk (a charging lead in the rain) reaches the one who holds it
at once, night or not, in one line without the reporter's name, and the resident is told what
to do first; later words reach the holder folded (review of d11, finding 2), not a copy of
each to every worker. All through the Application, as users see it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_BH1, TZ
from conftest import private_to as to

from handlers.messages import Media, Person

NEIGHBOUR = "5-2-801 罗女士"
LEAD = "你好 我不想在群里说 5栋2单元一楼那家天天从窗户拉根线下来给电瓶车充电 就在单元门口 线搭在草坪上"


async def member(chat, name: str) -> None:
    chat.transport.members(f"room-{ROOM_BH1}", ROOM_BH1, [Person(name, chat.person_id(name))])



@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 24, 21, 15, tzinfo=TZ)  # a Tuesday evening


async def test_a_fire_risk_told_privately_at_night_reaches_the_workers_at_once(chat) -> None:
    await member(chat, NEIGHBOUR)
    acked = await chat.say(NEIGHBOUR, LEAD, room=None)
    assert "#1" in to(acked, NEIGHBOUR)[0].text
    await chat.say(NEIGHBOUR, "千万莫说是我说的", room=None)
    photo = await chat.say(NEIGHBOUR, "", room=None, media=(Media(kind="image", name="a.jpg", data=b"jpg"),))
    assert photo == []  # on the ticket, quietly
    assert len(chat.store.notes.attachments(1)) == 1

    told = await chat.say(NEIGHBOUR, "刚下了雨 线泡在水里 我好怕起火", room=None)
    [advice] = to(told, NEIGHBOUR)
    assert "119" in advice.text and "别靠近" in advice.text and "不会说是您反映的" in advice.text
    # the one who holds it, now (not tomorrow after work), in one line; not a copy to every worker
    [ping] = to(told, "李强")
    assert "#1" in ping.text and "起火" in ping.text and "罗女士" not in ping.text
    assert "\n" not in ping.text and LEAD[10:30] not in ping.text  # one line, not her report again
    assert not to(told, "王秀英") and "李强" in to(told, NEIGHBOUR)[0].text
    assert all(m.room_id is None for m in told)  # nothing in the group
    assert not chat.ticket(1).urgent  # the workers decide whether someone knocks tonight

    chat.clock.advance(timedelta(minutes=60))  # 22:15: quiet hours, an hour after he was told
    still = await chat.say(NEIGHBOUR, "现在还在充 我从窗户看得到", room=None)
    # a hazard that goes on (handlers/severity.py): she hears a short word again; her word is on
    # the ticket, folded into the next that reaches him (not a message a word)
    assert [m.to.name for m in still] == [NEIGHBOUR]
    [word] = to(still, NEIGHBOUR)
    assert "#1" in word.text and "119" in word.text and "补充的情况" not in word.text
    assert "又跟" not in word.text  # nobody was told just now: not said


async def test_a_detail_is_kept_and_acknowledged_once(chat) -> None:
    chat.clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=TZ))  # Wednesday morning: office hours
    await member(chat, NEIGHBOUR)
    await chat.say(NEIGHBOUR, "5栋2单元楼道里堆了好多纸箱和旧沙发 走路都要侧身", room=None)
    first = await chat.say(NEIGHBOUR, "是一楼那家放的 他们说过几天搬", room=None)
    assert "#1" in to(first, NEIGHBOUR)[0].text  # heard once that it is on the ticket
    assert "一楼那家" in to(first, "李强")[0].text  # and the worker reads it
    second = await chat.say(NEIGHBOUR, "今天又多了两个柜子", room=None)
    assert to(second, NEIGHBOUR) == []  # not once per message
    assert to(second, "李强") == []  # folded: on the ticket, in his next word of it
    thanks = await chat.say(NEIGHBOUR, "好的 谢谢", room=None)
    assert to(thanks, NEIGHBOUR) == [] and to(thanks, "李强") == []
    chat.clock.advance(timedelta(hours=2, minutes=5))
    third = await chat.say(NEIGHBOUR, "柜子把消防栓都挡住了", room=None)
    [line] = to(third, "李强")
    assert "#1" in line.text and "消防栓" in line.text and "2 次" in line.text
