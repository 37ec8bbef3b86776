"""Flood control: a resident posting dozens of messages a minute, and a whole group posting
about one blackout, give a handful of tickets and replies — and lose nobody's report."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import OutboxSettings, load_config
from bot.transports.memory import MemoryTransport
from handlers.flood import join_verdict, room_is_surging, sender_verdict
from handlers.messages import IncomingMessage, Outgoing
from handlers.settings import FloodSettings
from intents import mask
from intents.model import Classification
from storage import Store

EXAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "config.example.toml"
TZ = ZoneInfo("Asia/Shanghai")
ROOM = "青年路一网格居民群"
START = datetime(2026, 11, 23, 20, 0, tzinfo=TZ)
IDS = {"马建民": "wxid_majianmin"}


class Keywords:
    def __init__(self) -> None:
        self.calls = 0

    def classify(self, text: str) -> Classification:
        self.calls += 1
        place = re.search(r"\d+号楼", text)
        if "着火" in text:
            return Classification("safety", 0.95, True, None, (), mask(text), "119")
        repair = any(w in text for w in ("停电", "漏水", "坏了"))
        return Classification(
            "repair" if repair else "none", 0.9, False, place.group(0) if place else None, (),
            mask(text),
        )

    def reload(self) -> str | None:
        return None


class NoFaq:
    def answer(self, text: str) -> str | None:
        return None


class Group:
    def __init__(self, flood: FloodSettings | None = None) -> None:
        config = load_config(EXAMPLE_CONFIG)
        config = replace(config, outbox=OutboxSettings(per_room_seconds=0, overall_seconds=0))
        if flood is not None:
            config = replace(config, settings=replace(config.settings, flood=flood))
        self.clock = ManualClock(START)
        self.transport = MemoryTransport()
        self.app = Application(
            config, self.transport, store=Store.open(None), clock=self.clock,
            classifier=Keywords(), faq=NoFaq(), scheduler=False,
        )
        self.ids = itertools.count(1)

    async def say(self, sender: str, text: str, *, at: datetime | None = None) -> list[Outgoing]:
        msg = IncomingMessage(
            message_id=f"f{next(self.ids)}", room_id=f"room-{ROOM}", room_topic=ROOM,
            sender_id=IDS.get(sender, f"wx-{sender}"), sender_name=sender, text=text, time=at or self.clock.now(),
        )
        await self.transport.deliver(msg)
        await self.app.outbox.deliver_due()
        return self.transport.take()

    @property
    def store(self) -> Store:
        return self.app.store


@pytest.fixture
async def group():
    g = Group()
    await g.app.start()
    yield g
    await g.app.stop()


# --- the decisions -----------------------------------------------------------------------


def test_sender_verdicts():
    s = FloodSettings(per_sender_per_minute=6)
    assert [sender_verdict(n, s) for n in (1, 6, 7, 8, 12, 13, 50)] == [
        "ok", "ok", "slow_down", "quiet", "quiet", "unread", "unread",
    ]
    assert sender_verdict(1000, FloodSettings(per_sender_per_minute=0)) == "ok"  # 0: no limit


def test_room_and_join_verdicts():
    s = FloodSettings(per_room_tickets_per_10_minutes=5)
    assert [room_is_surging(n, s) for n in (0, 4, 5, 9)] == [False, False, True, True]
    assert [join_verdict(n, s) for n in (1, 4, 5, 6)] == ["reply", "reply", "last_reply", "quiet"]
    assert not room_is_surging(99, FloodSettings(per_room_tickets_per_10_minutes=0))


# --- one resident, many messages ---------------------------------------------------------


async def test_one_sender_forty_messages_a_minute(group):
    replies: list[Outgoing] = []
    for i in range(40):
        group.clock.set(START + timedelta(seconds=i))
        replies += await group.say("刘大妈", f"{i % 9 + 1}号楼漏水了，快来人！" if i % 2 else "有人吗？？")
    assert group.store.inbox.count() == 40  # every message kept
    tickets = group.store.tickets.select()
    # within the limit (6): 3 reports -> 3 tickets
    assert len(tickets) == 3
    suspects = group.store.db.execute("SELECT COUNT(*) FROM suspects").fetchone()[0]
    # the next 6 are still read: their 3 reports (8, 1 and 3号楼, new places) wait as 疑似
    # for the worker; the 28 after them are stored and not even classified
    assert suspects == 3
    assert group.app.classifier.calls == 12
    slow = [m for m in replies if "不用重复发送" in m.text]
    assert len(slow) == 1
    posts = [m for m in replies if m.room_id is not None]
    assert len(posts) == 3 + 1  # three acknowledgements and one "slow down"
    pings = [m for m in replies if m.to is not None]
    # the worker, privately: the first at once, the next two (moments later) listed after it
    assert [m.to.name for m in pings] == ["马建民"]


async def test_urgent_message_from_a_flooding_sender_is_still_handled(group):
    for i in range(10):
        group.clock.set(START + timedelta(seconds=i))
        await group.say("刘大妈", "有人吗？？")
    sent = await group.say("刘大妈", "楼道里着火了！")
    assert "119" in "".join(m.text for m in sent)
    assert group.store.tickets.select()[0].urgent


async def test_a_minute_later_the_sender_is_heard_again(group):
    for i in range(10):
        group.clock.set(START + timedelta(seconds=i))
        await group.say("刘大妈", "有人吗？？")
    group.clock.set(START + timedelta(seconds=75))
    sent = await group.say("刘大妈", "5号楼漏水了")
    assert "（#1）" in sent[0].text


async def test_flood_is_judged_by_send_time_not_arrival(group):
    """Messages said a minute apart but delivered in one burst (after downtime) are not a flood."""
    for i in range(10):
        sent = await group.say("刘大妈", f"{i + 1}号楼漏水了", at=START - timedelta(minutes=10 - i))
        assert sent and "不用重复发送" not in sent[0].text
    assert len(group.store.tickets.select()) == 10


# --- a whole group, one blackout ----------------------------------------------------------


async def test_whole_group_about_one_blackout_without_a_place(group):
    """One blackout is one incident: every echo joins it, and the group hears one answer."""
    replies: list[Outgoing] = []
    for i in range(30):
        group.clock.set(START + timedelta(seconds=10 * i))
        replies += await group.say(f"居民{i}", "停电了！" if i % 2 else "我家也停电了")
    [ticket] = group.store.tickets.select()
    reporters = {r.person_id for r in group.store.tickets.reporters(ticket.id)}
    assert reporters == {f"wx-居民{i}" for i in range(30)}  # nobody's report lost
    assert len([m for m in replies if m.room_id is not None]) == 1  # the acknowledgement only
    group.clock.set(START + timedelta(hours=13))  # the next morning (at 23:00 no public 「明天上班后」)
    later = await group.say("居民30", "我家也停电了 怎么还没来电")
    [told] = [m for m in later if m.room_id is not None]
    assert "#1" in told.text
    # one short line to the one who joined; the 30 before are not @-ed (told when it is done)
    assert [p.name for p in told.mentions] == ["居民30"]


async def test_whole_group_about_one_blackout_at_one_place(group):
    replies: list[Outgoing] = []
    for i in range(30):
        group.clock.set(START + timedelta(seconds=10 * i))
        replies += await group.say(f"居民{i}", "3号楼停电了")
    [ticket] = group.store.tickets.select()
    assert len(group.store.tickets.reporters(ticket.id)) == 30
    assert len([m for m in replies if m.room_id is not None]) == 1
    done = await group.say("马建民", f"完成 {ticket.id} 已恢复供电")
    told = {p.name for m in done for p in m.mentions}
    assert {f"居民{i}" for i in range(30)} <= told  # all told at once when it is done


async def test_limits_come_from_the_config():
    g = Group(FloodSettings(per_sender_per_minute=2, per_room_tickets_per_10_minutes=2))
    await g.app.start()
    try:
        for i in range(6):
            g.clock.set(START + timedelta(seconds=i))
            await g.say(f"居民{i}", f"{i + 1}号楼漏水了")
        assert len(g.store.tickets.select()) == 6
        for i in range(6):
            g.clock.set(START + timedelta(seconds=10 + i))
            await g.say(f"居民{i + 10}", "漏水了")  # no place: joins the leaks just reported
        assert len(g.store.tickets.select()) == 6
        replies = []
        for i in range(5):
            g.clock.set(START + timedelta(minutes=30, seconds=i))
            replies += await g.say("刘大妈", "有人吗")
        assert [m.text for m in replies] == [
            "您的消息我们都收到了，网格员会一并查看，请稍等，不用重复发送。"
        ]
    finally:
        await g.app.stop()
