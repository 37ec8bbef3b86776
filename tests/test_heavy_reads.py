"""Statistics asked in the chat are made away from the event loop: the bot keeps sending
and receiving while a city's month is counted, and the answer still comes once."""

from __future__ import annotations

import asyncio
import threading

from conftest import ROOM_QN1, texts

from storage import Store
from storage.stats import StatsQueries


async def test_statistics_are_counted_while_the_loop_goes_on(open_chat, tmp_path, monkeypatch):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    await chat.say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒")
    await chat.say("李叔", "12号楼楼道灯坏了一个礼拜了")
    loop_ran = threading.Event()
    counting = StatsQueries.received

    def received_once_the_loop_has_run(self, *args):
        # Counted on the loop's own thread, this would wait in vain: the loop could not
        # run the task below until the counting was over.
        assert loop_ran.wait(timeout=10), "the event loop stood still while counting"
        return counting(self, *args)

    monkeypatch.setattr(StatsQueries, "received", received_once_the_loop_has_run)

    async def meanwhile() -> None:
        loop_ran.set()

    task = asyncio.create_task(meanwhile())
    answer = texts(await chat.say("马建民", "统计"))
    await task
    assert "收到诉求 2 件" in answer  # read on its own connection, after the reports
    [row] = [r for r in chat.store.outbox.all() if "收到诉求" in r.text]
    assert row.to_name == "马建民" and row.room_id is None  # told privately
    assert chat.store.inbox.get("m3").status == "done"


async def test_a_question_left_unanswered_by_a_crash_is_answered_at_the_next_start(
    open_chat, tmp_path
):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    await chat.say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒")
    now = int(chat.clock.now().timestamp())
    chat.store.inbox.add(  # stored, then the bot died before the answer was queued
        message_id="asked", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1,
        sender_id=chat.person_id("马建民"), sender_name="马建民", text="统计", mention_ids=[],
        media_count=0, sent_at=now, received_at=now,
    )
    assert chat.app.recover() == 1
    assert chat.store.inbox.get("asked").status == "done"
    assert any("收到诉求 1 件" in r.text for r in chat.store.outbox.all())


async def test_the_weekly_figures_are_read_while_the_loop_goes_on(
    open_chat, tmp_path, monkeypatch
):
    from test_stats import build_week, make_ctx, t

    ctx = build_week(make_ctx(Store.open(tmp_path / "bot.db")))
    chat = await open_chat(store=ctx.store)
    loop_ran = threading.Event()
    counting = StatsQueries.received

    def received_once_the_loop_has_run(self, *args):
        assert loop_ran.wait(timeout=10), "the event loop stood still while counting"
        return counting(self, *args)

    monkeypatch.setattr(StatsQueries, "received", received_once_the_loop_has_run)

    async def meanwhile() -> None:
        loop_ran.set()

    task = asyncio.create_task(meanwhile())
    posts = await chat.app.tick(t(11, 23, 9))  # Monday 09:00: last week's posts
    await task
    by_room = {p.room_topic: p.text for p in posts}
    assert "收到居民诉求 6 件" in by_room[ROOM_QN1]
    assert "全社区：收到 7 件" in by_room["青年路社区工作群"]
    assert await chat.app.tick(t(11, 23, 9, 1)) == []  # posted once
