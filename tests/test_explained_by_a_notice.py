"""A new ticket the staff's notice explains minutes later (d11 k43/k44): 「12号楼两部梯只开一部？」
opens a ticket, then 【通知】…12号楼…电梯…年度检验…9点前恢复 says it is planned work there. The
ticket is closed quietly (the reporter told once where the answer is, the worker not chased),
while someone trapped in that lift later still opens a ticket of its own — through the
application, as the group and the worker see it."""

from __future__ import annotations

from conftest import ROOM_BH1, posts_in, speaker

from storage import TicketState

NOTICE = "【通知】12号楼1单元、2单元各有一部电梯今天上午进行年度检验，检验期间停用，12点前恢复，请大家谅解"


say = speaker(ROOM_BH1, minutes=2)
posts = posts_in(ROOM_BH1)


async def test_a_notice_of_planned_work_there_closes_the_new_ticket(chat):
    await say(chat, "12-2-1503 陈晨", "电梯又等了五分钟 12号楼两部梯只开一部？")
    assert chat.ticket(1).status == TicketState.OPEN
    sent = await say(chat, "陈海燕", NOTICE, minutes=3)
    assert chat.ticket(1).status == TicketState.CANCELLED
    told = posts(sent)
    assert len(told) == 1 and "#1" in told[0].text and [p.name for p in told[0].mentions] == ["12-2-1503 陈晨"]
    assert [m for m in sent if m.to is not None] == []
    later = await chat.later(hours=6)
    assert "#1" not in "\n".join(m.text for m in later)  # nobody chased, nothing escalated
    sent = await say(chat, "12号楼 小雨妈妈", "快来人 12号楼2单元电梯卡住了 我家孩子在里面 门打不开", minutes=30)
    assert len(chat.store.tickets.select()) == 2 and chat.ticket(2).urgent
    assert "#2" in posts(sent)[0].text


async def test_a_notice_of_another_building_leaves_the_ticket(chat):
    await say(chat, "5-1-302 老吴", "5号楼电梯又坏了 等了十分钟")
    sent = await say(chat, "陈海燕", NOTICE, minutes=3)
    assert chat.ticket(1).status == TicketState.OPEN
    assert posts(sent) == []


async def test_a_notice_long_after_the_ticket_leaves_it(chat):
    await say(chat, "12-2-1503 陈晨", "电梯又等了五分钟 12号楼两部梯只开一部？")
    await say(chat, "陈海燕", NOTICE, minutes=90)
    assert chat.ticket(1).status == TicketState.OPEN
