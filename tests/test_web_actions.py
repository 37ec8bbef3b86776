"""Each action on the dashboard does what the chat command does: the same ticket change,
the same events, the same chat messages queued (one code path).

Two bots start alike; on one an official acts on the dashboard, on the other the same
official sends the command to the bot privately. Afterwards both must agree.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import ROOM_QN2
from webtools import open_office

SETUP = [
    ("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒"),
    ("李叔", "三栋门口那个井盖松了，踩上去咣当响"),
]


async def prepare(chat, steps: list[tuple[str, str]]) -> None:
    for who, text in SETUP:
        await chat.say(who, text)
    await chat.say("王大爷", "5号楼楼道里有人给电动车充电，电线拖到楼梯上，太危险了", room=ROOM_QN2)
    for who, text in steps:
        await chat.say(who, text, room=None)
    chat.transport.take()


def outcome(chat, number: int) -> dict:
    """What a user could see of a ticket afterwards: the ticket, its timeline, the chat
    messages queued (to whom, where, with which @-mentions), the corrections stored (the
    labelled examples the classifier learns from)."""
    ticket = chat.ticket(number)
    return {
        "ticket": {k: v for k, v in vars(ticket).items() if k != "assignee_id"},
        "events": [(e.kind, e.actor_name, e.note, e.at) for e in chat.store.tickets.events(number)],
        "messages": [
            (row.text, row.room_id, row.room_topic, row.to_name,
             tuple(name for name, _ in json.loads(row.mentions)))
            for row in chat.store.outbox.all()
        ],
        "corrections": [
            # by_id as assignee_id: an official the chat has not seen yet has none on the page
            {k: v for k, v in vars(c).items() if k not in ("id", "by_id")}
            for c in chat.store.corrections.all()
        ],
    }


CASES = [
    # (official, earlier chat steps, action, form, the same in chat)
    ("马建民", [], "accept", {}, "接单 1"),
    ("张继凯", [], "accept", {}, "接单 1"),
    ("马建民", [("马建民", "接单 1")], "resolve", {"note": "已更换新井盖"}, "完成 1 已更换新井盖"),
    ("马建民", [], "resolve", {"note": ""}, "完成 1"),
    ("马建民", [("马建民", "接单 1")], "progress", {"note": "已联系物业"}, "进展 1 已联系物业"),
    ("马建民", [("马建民", "接单 1")], "transfer", {"to": "孙丽"}, "转 1 孙丽"),
    ("张继凯", [], "transfer", {"to": "马建民"}, "转 1 马建民"),
    ("马建民", [], "escalate", {}, "转 1 社区"),
    ("马建民", [], "escalate", {"note": "道闸归物业管"}, "转 1 社区 道闸归物业管"),
    ("马建民", [], "transfer", {"to": "张三"}, "转 1 张三"),  # refused alike
    ("马建民", [], "merge", {"into": "2"}, "合并 1 到 2"),
    ("张继凯", [("马建民", "接单 1")], "merge", {"into": "#2"}, "合并 1 到 2"),
    ("马建民", [], "merge", {"into": "1"}, "合并 1 到 1"),  # refused alike
    # corrections: the chat's 改 / 紧急 / 不急 / 不是诉求
    ("马建民", [], "correct", {"intent": "safety"}, "改 1 安全隐患"),
    ("张继凯", [("马建民", "接单 1")], "correct", {"intent": "dispute"}, "改 1 矛盾纠纷"),
    ("马建民", [], "correct", {"intent": "repair"}, "改 1 设施报修"),  # the same: refused alike
    ("马建民", [], "correct", {"intent": "none"}, "改 1 非诉求"),
    ("马建民", [("马建民", "完成 1 好了")], "correct", {"intent": "safety"}, "改 1 安全隐患"),
    ("马建民", [], "urgent", {}, "紧急 1"),
    ("张继凯", [("马建民", "紧急 1")], "not_urgent", {}, "不急 1"),
    ("马建民", [], "not_a_need", {}, "不是诉求 1"),
    ("马建民", [("马建民", "接单 1")], "not_a_need", {"note": "是闲聊"}, "不是诉求 1 是闲聊"),
]


@pytest.mark.parametrize(("name", "steps", "action", "form", "said"), CASES)
async def test_an_action_does_what_the_chat_command_does(open_chat, name, steps, action, form, said):
    by_chat = await open_chat()
    await prepare(by_chat, steps)
    before = outcome(by_chat, 1)
    await by_chat.say(name, said, room=None)
    expected = outcome(by_chat, 1)
    assert expected != before  # the command did something (if only answer)

    chat = await open_chat()
    await prepare(chat, steps)
    office = await open_office(chat)
    try:
        csrf = await office.sign_in(name)
        response = await office.post(f"/tickets/1/{action}", {"csrf": csrf, **form})
        assert response.status == 303
        assert response.headers["Location"] == f"/tickets/1?done={action}"
        assert outcome(chat, 1) == expected
        page = await (await office.get(response.headers["Location"])).text()
        assert '<div class="notice" role="status">' in page
    finally:
        await office.client.close()


async def test_accepting_tells_the_residents_in_their_group_when_it_is_news(office_and_chat):
    office, chat = office_and_chat
    csrf = await office.sign_in("马建民")
    await office.post("/tickets/1/accept", {"csrf": csrf})
    assert chat.ticket(1).status == "accepted" and chat.ticket(1).assignee_name == "马建民"
    await chat.app.outbox.deliver_due()
    assert [m.room_id for m in chat.transport.take()] == [None]  # at once: no news for the group
    chat.clock.advance(timedelta(minutes=61))  # [sla] accept_news_after_minutes = 60
    await office.post("/tickets/2/accept", {"csrf": csrf})
    await chat.app.outbox.deliver_due()
    sent = chat.transport.take()
    to_group = [m for m in sent if m.room_topic == ROOM_QN2]
    assert len(to_group) == 1 and "马建民已经接手" in to_group[0].text
    assert {p.name for p in to_group[0].mentions} == {"王大爷"}


async def test_no_action_on_a_ticket_out_of_scope_or_done(office_and_chat):
    office, chat = office_and_chat
    csrf = await office.sign_in("李强")  # 滨河: not his community
    assert (await office.post("/tickets/1/accept", {"csrf": csrf})).status == 404
    assert chat.ticket(1).status == "open"
    office.client.session.cookie_jar.clear()
    csrf = await office.sign_in("马建民")
    await office.post("/tickets/1/resolve", {"csrf": csrf, "note": "好了"})
    queued = len(chat.store.outbox.all())
    response = await office.post("/tickets/1/accept", {"csrf": csrf})  # done already
    assert response.status == 303 and response.headers["Location"] == "/tickets/1"
    assert chat.ticket(1).status == "resolved" and len(chat.store.outbox.all()) == queued
    assert (await office.post("/tickets/1/unknown", {"csrf": csrf})).status == 303
    assert (await office.post("/tickets/1/transfer", {"csrf": csrf, "to": ""})).status == 303


@pytest.fixture
async def office_and_chat(chat):
    await prepare(chat, [])
    office = await open_office(chat)
    yield office, chat
    await office.client.close()


async def test_the_page_shows_what_the_bot_answered(office_and_chat):
    office, chat = office_and_chat
    csrf = await office.sign_in("马建民")
    response = await office.post("/tickets/1/transfer", {"csrf": csrf, "to": "张三"})
    page = await (await office.get(response.headers["Location"])).text()
    assert "没找到「张三」" in page  # the chat's own words
    assert chat.ticket(1).assignee_name == "马建民" and chat.ticket(1).status == "open"
    response = await office.post("/tickets/1/transfer", {"csrf": csrf, "to": "孙丽"})
    page = await (await office.get(response.headers["Location"])).text()
    assert "工单 #1 已转给孙丽" in page and "已通知：" in page
    again = await (await office.get("/tickets/1")).text()
    assert "已转给孙丽" not in again  # the notice is shown once


async def with_a_suspect(chat) -> None:
    text = "那个谁家的东西是不是又放走廊了"
    await chat.say("孙大妈", text, message_id="s1")
    with chat.store.transaction():
        chat.store.notes.add_suspect(
            grid_id="qn-1", room_id="room-青年路一网格居民群", room_topic="青年路一网格居民群",
            sender_id="wx-孙大妈", sender_name="孙大妈", text=text, intent="safety",
            confidence=0.4, message_id="s1", at=chat.app.context().ts,
        )
    chat.transport.take()


async def test_registering_a_suspect_is_the_chat_command(open_chat):
    by_chat = await open_chat()
    await with_a_suspect(by_chat)
    await by_chat.say("马建民", "登记 1", room=None)
    expected = outcome(by_chat, 1)
    assert expected["ticket"]["intent"] == "safety"

    chat = await open_chat()
    await with_a_suspect(chat)
    office = await open_office(chat)
    try:
        csrf = await office.sign_in("马建民")
        assert "登记为工单" in await (await office.get("/suspects")).text()
        response = await office.post("/suspects/1/register", {"csrf": csrf})
        assert response.headers["Location"] == "/tickets/1?done=register"
        assert outcome(chat, 1) == expected
        assert "孙大妈" not in await (await office.get("/suspects")).text()  # done with it
        office.client.session.cookie_jar.clear()
        csrf = await office.sign_in("李强")  # another community
        assert (await office.post("/suspects/1/register", {"csrf": csrf})).status == 404
    finally:
        await office.client.close()


async def test_escalating_with_a_reason(office_and_chat):
    office, chat = office_and_chat
    csrf = await office.sign_in("马建民")
    await office.post("/tickets/1/escalate", {"csrf": csrf, "note": "道闸归物业管"})
    ticket = chat.ticket(1)
    assert ticket.escalation_level == 2 and ticket.assignee_name == "张继凯"
    assert "道闸归物业管" in chat.store.tickets.events(1)[-1].note
    page = await (await office.get("/tickets/1")).text()
    assert 'action="/tickets/1/escalate"' not in page  # at the community now: no button
    assert "到社区：张继凯、刘芳（道闸归物业管）" in page


async def test_registering_a_suspect_as_a_chosen_need_is_the_chat_command(open_chat):
    by_chat = await open_chat()
    await with_a_suspect(by_chat)
    await by_chat.say("马建民", "登记 1 矛盾纠纷", room=None)
    expected = outcome(by_chat, 1)
    assert expected["ticket"]["intent"] == "dispute"  # not the guess (安全隐患)
    assert [(c["kind"], c["intent"], c["suspect_id"]) for c in expected["corrections"]] == [
        ("registered", "dispute", 1)]

    chat = await open_chat()
    await with_a_suspect(chat)
    office = await open_office(chat)
    try:
        csrf = await office.sign_in("马建民")
        page = await (await office.get("/suspects")).text()
        assert '<option value="safety" selected>安全隐患</option>' in page  # the guess first
        response = await office.post("/suspects/1/register", {"csrf": csrf, "intent": "dispute"})
        assert response.headers["Location"] == "/tickets/1?done=register"
        assert outcome(chat, 1) == expected
    finally:
        await office.client.close()
