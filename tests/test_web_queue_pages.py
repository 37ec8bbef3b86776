"""The dashboard's queue a page at a time: most urgent and most overdue first, 50 a page,
「还有 N 件」 and page links that keep the filters; its order and counts read from what the
database keeps beside the tickets (each ticket's phase, the counts per state), which must
agree with the tickets themselves whatever happened to them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import ROOM_QN1, ROOM_QN2
from webtools import open_office

from handlers.deadlines import PHASE_KINDS
from storage.migrations import QUEUE_PHASE_KINDS


@pytest.fixture
async def office(chat):
    office = await open_office(chat)
    yield office
    await office.client.close()


def numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-ticket="(\d+)"', page)]


async def many_reports(chat, n: int) -> None:
    """n lamps out, each at its own building, two minutes apart (the older, the later)."""
    for i in range(1, n + 1):
        room = ROOM_QN1 if i % 3 else ROOM_QN2
        await chat.say(f"居民{i}", f"{i}号楼门口的路灯不亮了", room=room)
        chat.clock.advance(timedelta(minutes=2))
    assert len(chat.store.tickets.select()) == n


async def test_the_queue_is_paged_urgent_and_most_overdue_first(office):
    chat = office.chat
    await many_reports(chat, 55)
    await chat.say("孙大爷", "6栋电梯里有人被困住了，快来人")  # #56, urgent
    assert chat.ticket(56).urgent
    await chat.say("马建民", "接单 2")  # 48 hours to finish: the least pressing
    await office.sign_in("冯媛")

    first = await (await office.get("/")).text()
    assert numbers(first) == [56, 1, *range(3, 51)]
    assert "第 1–50 件，还有 6 件" in first and 'href="/?page=2"' in first and "上一页" not in first
    assert re.search(r'<span class="n">55</span>待接单', first)  # the tiles: the whole scope
    second = await (await office.get("/?page=2")).text()
    assert numbers(second) == [*range(51, 56), 2]
    assert "第 51–56 件" in second and "还有" not in second
    assert 'href="/?"' in second and "下一页" not in second  # back to the first page
    assert 'hx-get="/queue/rows?page=2"' in second  # the live refresh stays on this page

    beyond = await (await office.get("/?page=9")).text()
    assert numbers(beyond) == [] and "这一页没有了" in beyond


async def test_page_links_keep_the_filters(office):
    chat = office.chat
    await many_reports(chat, 80)
    await office.sign_in("冯媛")
    chat.clock.advance(timedelta(minutes=31))  # the last report is now late too
    page = await (await office.get("/?grid=qn-1&overdue=1")).text()
    in_qn1 = [t.id for t in chat.store.tickets.select() if t.grid_id == "qn-1"]
    assert len(in_qn1) == 54 and numbers(page) == in_qn1[:50]
    assert "还有 4 件" in page and 'href="/?grid=qn-1&amp;overdue=1&amp;page=2"' in page
    rest = await (await office.get("/?grid=qn-1&overdue=1&page=2")).text()
    assert numbers(rest) == in_qn1[50:]
    assert 'href="/?grid=qn-1&amp;overdue=1"' in rest  # 上一页, filters kept
    assert re.search(r'<span class="n">80</span>已超时', rest)  # tiles: the whole city


async def test_what_the_database_keeps_for_the_queue_agrees_with_the_tickets(office):
    """A day of everything that moves a ticket: the counts per state, urgency, intent and
    grid, and each ticket's phase (when its holder's time began), as the tickets say."""
    chat = office.chat
    await many_reports(chat, 8)
    await chat.say("孙大爷", "6栋电梯里有人被困住了，快来人")  # #9 urgent
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "完成 1 换了灯泡")
    await chat.say("居民1", "5")
    await chat.say("马建民", "接单 3")
    chat.clock.advance(timedelta(minutes=5))
    await chat.say("马建民", "完成 3 修好了")
    await chat.say("居民3", "还是不亮，没修好")  # reopened
    await chat.say("居民4", "撤销 4")
    await chat.say("马建民", "转 5 孙丽")
    await chat.say("马建民", "转 6 社区 要物业来")
    await chat.say("马建民", "合并 7 到 8")
    await chat.later(hours=3)  # the timers: reminders, escalations
    await chat.later(days=4)  # auto-close of the resolved one

    db = chat.store.db
    kept = sorted(db.execute("SELECT status, urgent, intent, grid_id, n FROM queue_counts WHERE n > 0").fetchall())
    actual = sorted(db.execute(
        "SELECT status, urgent, intent, grid_id, COUNT(*) FROM tickets "
        "WHERE status IN ('open', 'accepted', 'resolved') GROUP BY 1, 2, 3, 4"
    ).fetchall())
    assert kept == actual and {row[0] for row in actual} >= {"open", "accepted"}
    for ticket in chat.store.tickets.select():
        if ticket.status in ("open", "accepted", "resolved"):
            events = chat.store.tickets.events(ticket.id)
            began = max((e.at for e in events if e.kind in QUEUE_PHASE_KINDS), default=ticket.created_at)
            assert db.execute("SELECT phase_at FROM tickets WHERE id = ?", [ticket.id]).fetchone()[0] == began

    await office.sign_in("冯媛")
    page = await (await office.get("/")).text()
    shown = set(numbers(page))
    assert shown == {t.id for t in chat.store.tickets.select() if t.status in ("open", "accepted")}


def test_the_trigger_keeps_the_phase_the_dashboard_counts_from():
    assert set(QUEUE_PHASE_KINDS) == {*PHASE_KINDS, "resolved"}
