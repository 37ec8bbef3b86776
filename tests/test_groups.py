"""Messages that arrive together are stored and handled in one transaction (the pipe
hands over what it has read meanwhile): each is still handled once, a bug in one leaves
the others alone, and a storage failure keeps none of them, so all come again."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import ROOM_QN1

import bot.app
from handlers.messages import IncomingMessage
from storage import Store

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
LIGHT = "12号楼楼道灯坏了一个礼拜了"
LIFT = "5号楼电梯坏了，天天爬楼，老人下不来"


def message(chat, n: int, name: str, text: str) -> IncomingMessage:
    return IncomingMessage(
        message_id=f"g{n}", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1,
        sender_id=chat.person_id(name), sender_name=name, text=text, time=chat.clock.now(),
    )


async def test_a_group_is_handled_like_its_messages_one_by_one(open_chat):
    chat = await open_chat()
    group = [message(chat, 1, "张阿姨", COVER), message(chat, 2, "李叔", LIGHT),
             message(chat, 1, "张阿姨", COVER)]  # the same message again, in the same group
    handled = await chat.app.on_messages(group)
    assert [h.status for h in handled] == ["done", "done", "duplicate"]
    assert [t.id for t in chat.store.tickets.select()] == [1, 2]
    assert {chat.store.inbox.get(m).status for m in ("g1", "g2")} == {"done"}


async def test_a_bug_in_one_message_of_a_group_leaves_the_others_alone(open_chat, monkeypatch):
    chat = await open_chat()
    routing = bot.app.route

    def route_failing_on_the_light(ctx, msg):
        routed = routing(ctx, msg)  # the ticket is opened, then the bug strikes
        if "楼道灯" in msg.text:
            raise KeyError("a bug")
        return routed

    monkeypatch.setattr("bot.app.route", route_failing_on_the_light)
    group = [message(chat, 1, "张阿姨", COVER), message(chat, 2, "李叔", LIGHT),
             message(chat, 3, "赵阿姨", LIFT)]
    handled = await chat.app.on_messages(group)
    assert [h.status for h in handled] == ["done", "error", "done"]
    tickets = chat.store.tickets.select()
    assert [t.source_message_id for t in tickets] == ["g1", "g3"]  # the light's was undone
    assert chat.store.inbox.get("g2").status == "error"  # kept, and not tried again
    assert all("楼道灯" not in row.text for row in chat.store.outbox.all())


async def test_a_storage_failure_keeps_nothing_of_the_group(open_chat, tmp_path):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    db = chat.store.db
    add = chat.store.inbox.add
    stored = []

    def add_and_fill_the_disk_at_the_third(**row):
        stored.append(row["message_id"])
        if len(stored) == 3:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count={pages}")
        return add(**row)

    chat.store.inbox.add = add_and_fill_the_disk_at_the_third
    long = "，井盖边上的水泥也碎了" * 300  # needs pages of its own
    group = [message(chat, 1, "张阿姨", COVER), message(chat, 2, "李叔", LIGHT),
             message(chat, 3, "赵阿姨", LIFT + long)]
    with pytest.raises(sqlite3.OperationalError, match="full"):
        await chat.app.on_messages(group)
    chat.store.inbox.add = add
    assert chat.store.inbox.count() == 0 and chat.store.tickets.select() == []
    assert chat.store.outbox.all() == []

    db.execute("PRAGMA max_page_count=1073741823")
    handled = await chat.app.on_messages(group)  # the transport sends them all again
    assert [h.status for h in handled] == ["done", "done", "done"]
    assert len(chat.store.tickets.select()) == 3
