"""The same thing getting worse through the day is one ticket that turns urgent (review of
d13): a stairwell pipe that seeps in the morning, is told to leak faster by a neighbour at
noon, and bursts in the afternoon. The neighbour's word is that incident, now urgent — not
a second ticket; the burst hours later is news to the workers again, though the ticket is
urgent already; the worker's 「马上到」 right after it is about it, not a question of which
ticket; a neighbour of that unit stuck upstairs by it is caught in it, not a new errand.
Through the application, as the workers and the group see it."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_BH1

SEEPS = "9号楼1单元二楼楼道暖气管接头往外渗水 地上湿了一片"
WORSE = "9号楼1单元楼道那根暖气管 比上午漏得快多了 楼梯结冰 刚才有老人滑倒了"
BURST = "不好了 9号楼1单元暖气管崩开了 水哗哗往楼下灌"


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


async def _morning_then_worse(chat):
    await chat.say("9-1-201 老马", SEEPS, ROOM_BH1)
    [seeps] = chat.store.tickets.select()
    assert not seeps.urgent
    chat.clock.advance(timedelta(hours=3))
    return seeps, await chat.say("9号楼 孙姐", WORSE, ROOM_BH1)


async def test_told_worse_hours_later_is_the_same_ticket_made_urgent(chat):
    seeps, sent = await _morning_then_worse(chat)
    [ticket] = chat.store.tickets.select()  # not a second ticket for the same pipe
    assert ticket.id == seeps.id and ticket.urgent
    assert any(t.startswith("【紧急】") and f"#{seeps.id}" in t for t in private_to(sent, "李强"))


async def test_the_burst_later_is_news_to_the_workers_though_already_urgent(chat):
    seeps, _ = await _morning_then_worse(chat)
    await chat.say("李强", f"接单 {seeps.id}", ROOM_BH1)
    chat.clock.advance(timedelta(minutes=30))
    await chat.say("17栋 小林", "17栋门口路灯坏了 晚上黑乎乎的", ROOM_BH1)
    await chat.say("3号楼 老周", "3号楼楼下垃圾桶满了没人清", ROOM_BH1)
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("9-1-201 老马", BURST, ROOM_BH1)
    assert any(t.startswith("【紧急】") and f"#{seeps.id}" in t for t in private_to(sent, "李强"))
    chat.clock.advance(timedelta(minutes=1))
    # one of that unit, stuck upstairs by it: caught in it, no errand of their own
    await chat.say("9-1-401 钱大爷", "我在四楼 下不去了 楼梯上全是水 想请人帮我买点菜", ROOM_BH1)
    assert len(chat.store.tickets.select()) == 3
    chat.clock.advance(timedelta(minutes=1))
    # where the worker is now names no ticket: the emergency in their hands, no question
    sent = await chat.say("李强", "马上到！我在5号楼 跑过去两分钟", ROOM_BH1)
    assert not any("您说的是" in t for t in private_to(sent, "李强"))
    assert chat.ticket(seeps.id).assignee_name == "李强"

