"""A resident's report answering what the grid worker told the group a minute ago is his, quietly
(review of d16, finding 4): 马建民 posted 「…预计下午五点左右恢复供水」 at 14:30; 郭姐's 「五点？！
孩子回来洗手都没水」 at 14:31 got the stock 「网格员马建民会尽快跟进」 under his words, and at 15:30
he was told 「已等 1.0 小时，还没有人接单」 of the cut he was standing in. The ticket is taken by
him: nothing in the group, nothing to him, no chase. A report of another thing is told as ever.
Through the Application, a Monday afternoon."""

from __future__ import annotations

from conftest import ROOM_QN1, speaker

from storage.states import TicketState

say = speaker(ROOM_QN1)
WORKER = "马建民"
CUT_RUNS_LATE = "跟大家说一下：1-6号楼新管有个接口渗水 正在返工重焊 预计下午五点左右恢复供水 给大家添麻烦了[抱拳]"


async def test_a_report_answering_the_workers_word_a_minute_ago_is_his_quietly(chat):
    await say(chat, WORKER, CUT_RUNS_LATE)
    sent = await say(chat, "5-1-201 郭姐", "五点？！孩子回来洗手都没水", minutes=1)
    [ticket] = chat.store.tickets.select()
    assert ticket.status == TicketState.ACCEPTED and ticket.assignee_name == WORKER
    assert sent == []  # no stock 「会尽快跟进」 under his words, no ping of what he just said
    chased = await chat.later(minutes=65)
    assert not any("没有人接单" in m.text for m in chased)


async def test_a_report_of_another_thing_after_his_word_is_told_as_ever(chat):
    await say(chat, WORKER, CUT_RUNS_LATE)
    sent = await say(chat, "3-1-201 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", minutes=1)
    [ticket] = chat.store.tickets.select()
    assert ticket.status == TicketState.OPEN
    assert any("#1" in m.text for m in sent if m.to is None)
