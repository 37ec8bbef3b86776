"""Corrections on the ticket page (改类别, 标为紧急 / 不急, 不是诉求): what a staff member
sees afterwards, in the ticket, in the chat, in the stored labelled examples and in the
next reading of the same words. That each is the chat command's own doing (same events,
same messages, same stored correction) is tests/test_web_actions.py's comparison.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import ROOM_QN1, ROOM_QN2, TZ
from webtools import open_office

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"  # a repair, not urgent (Monday 10:00)


def at(hour: int, minute: int) -> int:
    return int(datetime(2026, 11, 23, hour, minute, tzinfo=TZ).timestamp())


@pytest.fixture
async def office(chat):
    await chat.say("张阿姨", COVER)
    chat.transport.take()
    office = await open_office(chat)
    yield office
    await office.client.close()


def queued_since(chat, before: int) -> list:
    return chat.store.outbox.all()[before:]


async def test_the_intent_is_changed_from_a_select_of_the_nine(office) -> None:
    chat = office.chat
    was = chat.ticket(1)
    assert was.intent == "repair"
    csrf = await office.sign_in("马建民")
    page = await (await office.get("/tickets/1")).text()
    options = re.findall(r'<option value="(\w+)"( selected)?>([^<]+)</option>',
                         page.split('id="intent"')[1].split("</select>")[0])
    assert [code for code, _, _ in options] == [
        "repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry", "praise", "none"]
    assert options[0][1] == " selected" and options[0][2] == "设施报修"
    assert options[3][2] == "安全隐患" and options[8][2].startswith("非诉求")

    before = len(chat.store.outbox.all())
    response = await office.post("/tickets/1/correct", {"csrf": csrf, "intent": "safety"})
    assert response.headers["Location"] == "/tickets/1?done=correct"
    assert chat.ticket(1).intent == "safety" and chat.ticket(1).status == "open"
    stored = chat.store.corrections.all()
    assert [(c.kind, c.intent, c.was_intent, c.ticket_id, c.by_name, c.text) for c in stored] == [
        ("intent", "safety", "repair", 1, "马建民", was.masked_text)]
    told = queued_since(chat, before)
    assert [(m.to_name, m.room_id) for m in told] == [("马建民", None)]  # only the one who did it

    page = await (await office.get(response.headers["Location"])).text()
    assert "从「设施报修」改为「安全隐患」" in page  # the bot's own answer, as in chat
    assert "更正" in page and "类别：设施报修 → 安全隐患" in page  # the timeline, in words

    # The same words from another resident in another group read as corrected at once.
    await chat.say("王大爷", COVER, room=ROOM_QN2)
    assert chat.ticket(2).intent == "safety"


async def test_not_a_need_closes_it_and_the_group_is_not_told(office) -> None:
    chat = office.chat
    csrf = await office.sign_in("马建民")
    page = await (await office.get("/tickets/1")).text()
    assert 'action="/tickets/1/not_a_need"' in page and "不通知居民群" in page

    before = len(chat.store.outbox.all())
    await office.post("/tickets/1/not_a_need", {"csrf": csrf, "note": "是闲聊"})
    ticket = chat.ticket(1)
    assert ticket.status == "cancelled" and ticket.deadline_at is None
    assert chat.store.tickets.events(1)[-1].kind == "not_a_need"
    assert chat.store.tickets.events(1)[-1].note == "是闲聊"
    assert [(c.kind, c.intent) for c in chat.store.corrections.all()] == [("not_a_need", "none")]
    told = queued_since(chat, before)
    assert told and all(m.room_id is None and m.to_name == "马建民" for m in told)
    await chat.app.outbox.deliver_due()
    assert [m.room_topic for m in chat.transport.take() if m.room_id] == []  # the group hears nothing

    page = await (await office.get("/tickets/1")).text()
    assert "已撤销" in page and "不是诉求，已关闭（不通知居民群）" in page
    assert 'action="/tickets/1/' not in page  # nothing left to do on it
    assert 'data-ticket="1"' not in await (await office.get("/")).text()

    # The same words again open nothing.
    assert await chat.say("李叔", COVER, room=ROOM_QN1) == []
    assert chat.ticket(2) is None


async def test_the_deadline_follows_the_urgency_set_on_the_page(office) -> None:
    chat = office.chat
    assert chat.ticket(1).deadline_at == at(10, 30)  # 30 working minutes to take it
    csrf = await office.sign_in("马建民")
    page = await (await office.get("/tickets/1")).text()
    assert 'id="urgent"' in page and 'id="not-urgent"' not in page

    await office.post("/tickets/1/urgent", {"csrf": csrf})
    ticket = chat.ticket(1)
    assert ticket.urgent and ticket.deadline_at == at(10, 10)  # 10 minutes, every one counting
    assert [(c.kind, c.urgent, c.was_urgent) for c in chat.store.corrections.all()] == [
        ("urgent", True, False)]
    page = await (await office.get("/tickets/1?done=urgent")).text()
    assert 'id="not-urgent"' in page and 'id="urgent"' not in page
    assert "改为紧急" in page and "已把 #1 标为紧急" in page

    # Nobody takes it: the timers treat it as urgent (the backup is told after 10 minutes).
    told = await chat.later(minutes=11)
    assert chat.ticket(1).escalation_level >= 1
    assert any(m.to is not None and m.to.name == "孙丽" and "#1" in m.text for m in told)

    await office.post("/tickets/1/not_urgent", {"csrf": csrf})
    assert not chat.ticket(1).urgent
    assert chat.ticket(1).deadline_at != at(10, 10)
    assert [c.kind for c in chat.store.corrections.all()] == ["urgent", "not_urgent"]


async def test_not_urgent_gives_back_working_time(office) -> None:
    chat = office.chat
    await chat.say("王大爷", "5号楼楼道着火了 好大的烟", room=ROOM_QN2)
    fire = chat.ticket(2)
    assert fire.urgent and fire.deadline_at == at(10, 10)
    csrf = await office.sign_in("张继凯")  # the community's staff
    await office.post("/tickets/2/not_urgent", {"csrf": csrf})
    assert not chat.ticket(2).urgent and chat.ticket(2).deadline_at == at(10, 30)
    assert [(c.kind, c.by_name) for c in chat.store.corrections.all()] == [("not_urgent", "张继凯")]


async def test_corrections_are_refused_without_the_token_or_out_of_scope(office) -> None:
    chat = office.chat
    await office.sign_in("马建民")
    no_token = await office.post("/tickets/1/not_a_need", {})
    assert no_token.status == 403
    wrong = await office.post("/tickets/1/correct", {"csrf": "x" * 32, "intent": "safety"})
    assert wrong.status == 403
    office.client.session.cookie_jar.clear()
    csrf = await office.sign_in("李强")  # another community's staff
    assert (await office.post("/tickets/1/urgent", {"csrf": csrf})).status == 404
    assert (await office.post("/tickets/1/correct", {"csrf": csrf, "intent": "safety"})).status == 404
    ticket = chat.ticket(1)
    assert ticket.status == "open" and ticket.intent == "repair" and not ticket.urgent
    assert chat.store.corrections.all() == []


async def test_an_unknown_intent_changes_nothing(office) -> None:
    chat = office.chat
    csrf = await office.sign_in("马建民")
    response = await office.post("/tickets/1/correct", {"csrf": csrf, "intent": "DROP TABLE"})
    assert response.status == 303 and response.headers["Location"] == "/tickets/1"
    assert chat.ticket(1).intent == "repair" and chat.store.corrections.all() == []


async def test_a_done_ticket_can_be_relabelled_but_not_closed_as_no_need(office) -> None:
    chat = office.chat
    await chat.say("马建民", "完成 1 已更换新井盖", room=None)
    csrf = await office.sign_in("马建民")
    page = await (await office.get("/tickets/1")).text()
    assert 'action="/tickets/1/correct"' in page and 'action="/tickets/1/urgent"' in page
    assert 'action="/tickets/1/not_a_need"' not in page
    await office.post("/tickets/1/correct", {"csrf": csrf, "intent": "safety"})
    assert chat.ticket(1).intent == "safety" and chat.ticket(1).status == "resolved"
    # not offered, and refused when posted anyway
    await office.post("/tickets/1/not_a_need", {"csrf": csrf})
    assert chat.ticket(1).status == "resolved"
    assert [c.kind for c in chat.store.corrections.all()] == ["intent"]


UNSURE = "那个谁家的东西是不是又放走廊了"


async def with_a_suspect(chat) -> int:
    await chat.say("孙大妈", UNSURE, message_id="s1")
    with chat.store.transaction():  # as the classifier keeps a message it is unsure of
        number = chat.store.notes.add_suspect(
            grid_id="qn-1", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1,
            sender_id="wx-孙大妈", sender_name="孙大妈", text=UNSURE, intent="safety",
            confidence=0.4, message_id="s1", at=chat.app.context().ts,
        )
    chat.transport.take()
    return number


async def test_a_suspect_dismissed_is_listed_no_more_and_learnt_as_chatter(office) -> None:
    chat = office.chat
    number = await with_a_suspect(chat)
    csrf = await office.sign_in("马建民")
    page = await (await office.get("/suspects")).text()
    assert UNSURE in page and f'action="/suspects/{number}/dismiss"' in page

    before = len(chat.store.outbox.all())
    response = await office.post(f"/suspects/{number}/dismiss", {"csrf": csrf})
    assert response.headers["Location"] == "/suspects?done=dismiss"
    page = await (await office.get(response.headers["Location"])).text()
    assert f"已把疑似诉求 {number} 标为不是诉求" in page  # the notice
    assert UNSURE not in page
    told = queued_since(chat, before)
    assert [(m.to_name, m.room_id) for m in told] == [("马建民", None)]  # nobody else hears
    stored = chat.store.corrections.all()
    assert [(c.kind, c.intent, c.was_intent, c.suspect_id, c.ticket_id, c.by_name) for c in stored] == [
        ("dismissed", "none", "safety", number, None, "马建民")]
    reading = chat.app.classifier.classify(UNSURE)
    assert reading.intent == "none" and reading.confidence == 1.0

    # In chat too: 疑似 lists it no more; dismissing again changes nothing.
    answer = await chat.say("马建民", "疑似", room=None)
    assert UNSURE not in "\n".join(m.text for m in answer)
    response = await office.post(f"/suspects/{number}/dismiss", {"csrf": csrf})
    page = await (await office.get(response.headers["Location"])).text()
    assert "已经登记或处理过了" in page
    assert len(chat.store.corrections.all()) == 1
    assert chat.store.notes.suspect(number).dismissed_by == "马建民"


async def test_a_suspect_is_dismissed_only_with_the_token_and_in_scope(office) -> None:
    chat = office.chat
    number = await with_a_suspect(chat)
    await office.sign_in("马建民")
    assert (await office.post(f"/suspects/{number}/dismiss", {})).status == 403
    office.client.session.cookie_jar.clear()
    csrf = await office.sign_in("李强")  # another community
    assert (await office.post(f"/suspects/{number}/dismiss", {"csrf": csrf})).status == 404
    assert chat.store.notes.suspect(number).dismissed_at is None
    assert chat.store.corrections.all() == []


async def test_the_timeline_names_every_step_in_chinese(office) -> None:
    chat = office.chat
    await chat.say("李叔", "3栋门口井盖那里有个小孩掉下去了 快来人", room=ROOM_QN1)
    await chat.say("小王", "井盖那边物业师傅已经在路上了，预计十分钟到", room=ROOM_QN1)
    await office.sign_in("马建民")
    kinds = [e.kind for e in chat.store.tickets.events(1)]
    page = await (await office.get("/tickets/1")).text()
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    shown = re.findall(r"<b>([^<]+)</b>", timeline)
    assert len(shown) == len(kinds) and {"urgent", "update"} <= set(kinds), kinds
    assert all(not re.search(r"[a-z_]{4,}", what) for what in shown), shown


async def test_an_admin_places_and_names_a_suspect_of_no_grid(office) -> None:
    chat = office.chat
    with chat.store.transaction():  # a private report from someone not placed yet
        number = chat.store.notes.add_suspect(
            grid_id=None, room_id=None, room_topic=None, sender_id="wx-路人", sender_name="路人",
            text="楼上的天天往下扔东西", intent="safety", confidence=0.5, message_id=None,
            at=chat.app.context().ts,
        )
    csrf = await office.sign_in("冯媛")
    response = await office.post(
        f"/suspects/{number}/register", {"csrf": csrf, "grid": "bh-1", "intent": "dispute"})
    ticket = chat.store.tickets.by_source_message(f"suspect:{number}")
    assert response.headers["Location"] == f"/tickets/{ticket.id}?done=register"
    assert (ticket.grid_id, ticket.intent) == ("bh-1", "dispute")
    assert [(c.kind, c.intent, c.by_name) for c in chat.store.corrections.all()] == [
        ("registered", "dispute", "冯媛")]
