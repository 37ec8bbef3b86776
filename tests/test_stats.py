"""The 24/7 tally against figures computed by hand on a small week of tickets."""

from __future__ import annotations

import math
import statistics
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.router import route
from handlers import lifecycle
from handlers.context import Context
from handlers.messages import IncomingMessage, Person
from handlers.stats import compute_stats, date_range, format_stats_short
from intents.model import INTENTS
from storage import Scope, Store, Ticket

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Shanghai")


def make_ctx(store: Store | None = None, config_path: Path | None = None) -> Context:
    """A Context on the example config (two communities, four grids) and a fresh store,
    with officials known by name as in the simulator (the example gives few wechat_ids)."""
    config = load_config(config_path or ROOT / "config.example.toml")
    return Context(
        store=store or Store.open(None),
        directory=config.directory,
        settings=config.settings,
        classifier=None,  # type: ignore[arg-type]  # the timers never classify
        faq=None,  # type: ignore[arg-type]
        now=datetime(2026, 11, 16, 0, 0, tzinfo=TZ),
        names_trusted=True,
    )


def t(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def report(
    ctx: Context, when: datetime, intent: str, grid_id: str = "qn-1", *, urgent: bool = False,
    reporter: str = "王阿姨", private: bool = False,
) -> Ticket:
    grid = ctx.directory.grid(grid_id)
    assert grid is not None
    room = None if private else grid.rooms[0]
    with ctx.store.transaction():
        return lifecycle.open_ticket(
            ctx.at(when), intent=intent, urgent=urgent, grid_id=grid_id,
            room_id=f"room-{grid_id}" if room else None, room_topic=room,
            reporter_id=f"wxid_{reporter}", reporter_name=reporter,
            assignee_name=grid.workers[0], assignee_id=ctx.directory.configured_id(grid.workers[0]),
            location="3号楼", location_key="3", text=f"{intent} at {when}", masked_text=f"{intent}",
            source_message_id=f"m-{grid_id}-{when.timestamp()}-{intent}",
        )


def act(ctx: Context, when: datetime, fn, ticket: Ticket, **kwargs) -> Ticket:
    current = ctx.store.tickets.get(ticket.id)
    with ctx.store.transaction():
        return fn(ctx.at(when), current, **kwargs)


def accept(ctx: Context, when: datetime, ticket: Ticket, who: str = "马建民") -> Ticket:
    return act(ctx, when, lifecycle.accept, ticket, actor_name=who, actor_id=None)


def resolve(ctx: Context, when: datetime, ticket: Ticket, who: str = "马建民") -> Ticket:
    return act(ctx, when, lifecycle.resolve, ticket, actor_name=who, actor_id=None, note="已处理")


def rate(ctx: Context, when: datetime, ticket: Ticket, score: int) -> Ticket:
    return act(ctx, when, lifecycle.rate, ticket, score=score, actor_name="王阿姨", actor_id=None)


@pytest.fixture
def week() -> Context:
    return build_week(make_ctx())


def build_week(ctx: Context) -> Context:
    """Mon 2026-11-16 .. Sun 11-22 in 青年路第一网格 (qn-1), plus neighbours that must not
    leak into it. Figures in the comments are in minutes."""
    t1 = report(ctx, t(11, 16, 10), "repair")  # office hours
    accept(ctx, t(11, 16, 10, 5), t1)  # accept 5
    resolve(ctx, t(11, 16, 14), t1)  # resolve 240, office
    rate(ctx, t(11, 16, 15), t1, 5)  # closes it

    t2 = report(ctx, t(11, 17, 23, 50), "dispute")  # Tuesday night: after hours
    accept(ctx, t(11, 18, 0, 10), t2)  # 20, across midnight
    resolve(ctx, t(11, 18, 9), t2)  # 550, office

    t3 = report(ctx, t(11, 21, 22, 40), "safety", urgent=True)  # Saturday 22:40
    accept(ctx, t(11, 21, 23, 0), t3)  # 20 > 10 urgent: outside the SLA
    resolve(ctx, t(11, 22, 1, 0), t3)  # 140, Sunday night
    rate(ctx, t(11, 22, 2), t3, 2)
    rate(ctx, t(11, 22, 3), t3, 3)  # changed their mind: the latest counts

    t4 = report(ctx, t(11, 22, 8), "sanitation")  # Sunday
    act(ctx, t(11, 22, 8, 31), lifecycle.escalate, t4, level=1, to_names=["孙丽"],
        actor_name="system", actor_id=None, note=None)
    accept(ctx, t(11, 22, 8, 45), t4, "孙丽")  # 45, never resolved

    t5 = report(ctx, t(11, 19, 9), "repair")  # Thursday, office
    accept(ctx, t(11, 19, 9, 10), t5)  # 10
    resolve(ctx, t(11, 19, 17, 40), t5)  # after hours (17:30 closes)
    act(ctx, t(11, 20, 10), lifecycle.reopen, t5, actor_name="王阿姨", actor_id=None, note="还漏")
    resolve(ctx, t(11, 20, 16), t5)  # latest resolution: 1860 from the report, office

    t6 = report(ctx, t(11, 20, 12), "errand")
    act(ctx, t(11, 20, 12, 30), lifecycle.cancel, t6, actor_name="王阿姨", actor_id=None, note=None)

    t7 = report(ctx, t(11, 15, 20), "wish")  # last week's Sunday: not received this week
    accept(ctx, t(11, 16, 8), t7)  # 720, accepted this week
    resolve(ctx, t(11, 16, 20), t7)  # 1440, Monday evening: after hours

    report(ctx, t(11, 23, 0), "repair")  # next Monday 00:00: outside
    t8 = report(ctx, t(11, 18, 10), "repair", "qn-2")  # the neighbour grid, same community
    accept(ctx, t(11, 18, 10, 2), t8, "孙丽")
    resolve(ctx, t(11, 18, 11), t8, "孙丽")
    t9 = report(ctx, t(11, 18, 10), "repair", "bh-1")  # another community
    accept(ctx, t(11, 18, 10, 1), t9, "李强")

    for when, grid_id in ((t(11, 17, 12), "qn-1"), (t(11, 22, 20), "qn-1"), (t(11, 15, 12), "qn-1"),
                          (t(11, 18, 12), "qn-2")):
        ctx.store.notes.add_praise(
            grid_id=grid_id, community_id="qingnian", sender_id="wxid_x", sender_name="老李",
            text="谢谢网格员", message_id=None, at=int(when.timestamp()),
        )
    return ctx


def week_bounds(ctx: Context) -> tuple[int, int]:
    return date_range(t(11, 16, 0).date(), t(11, 22, 0).date(), ctx.tz)


def test_grid_week_matches_hand_computed_figures(week: Context) -> None:
    start, end = week_bounds(week)
    stats = compute_stats(week.store, week.directory, week.settings, grid_ids=["qn-1"],
                          start=start, end=end)
    assert stats["received"] == 6
    assert stats["received_by_intent"] == {
        "repair": 2, "dispute": 1, "errand": 1, "safety": 1, "sanitation": 1,
    }
    assert stats["accepted"] == 6  # 5, 10, 20, 20, 45, 720
    assert stats["accept_minutes_median"] == 20.0
    assert stats["accept_minutes_p90"] == 720.0  # nearest rank: 6th of 6
    assert stats["resolved"] == 5  # 140, 240, 550, 1440, 1860
    assert stats["resolve_minutes_median"] == 550.0
    assert stats["resolve_minutes_p90"] == 1860.0  # 5th of 5
    assert stats["resolution_rate"] == 0.8  # 4 of the 5 not cancelled
    # t3 (urgent, accepted after 20 min of 10) missed; t7 (720 minutes, but reported on a
    # Sunday evening and accepted before the office opened on Monday) is on time, as the
    # timers saw it: windows count working time
    assert stats["within_sla_rate"] == 0.8
    assert stats["after_hours_received"] == 3  # Tue 23:50, Sat 22:40, Sun 08:00
    assert stats["after_hours_resolved"] == 2  # Sun 01:00, Mon 20:00
    assert stats["escalated"] == 1
    assert stats["reopened"] == 1
    assert stats["rated"] == 2
    assert stats["rating_avg"] == 4.0  # 5 and the latest 3
    assert stats["disputes_mediated"] == 1
    assert stats["wishes_fulfilled"] == 1
    assert stats["praise"] == 2


def test_community_and_all(week: Context) -> None:
    start, end = week_bounds(week)
    community = [g.id for g in week.directory.grids_of_community("qingnian")]
    stats = compute_stats(week.store, week.directory, week.settings, grid_ids=community,
                          start=start, end=end)
    assert (stats["received"], stats["accepted"], stats["resolved"]) == (7, 7, 6)
    assert stats["accept_minutes_median"] == 20.0  # 2, 5, 10, 20, 20, 45, 720
    assert stats["resolve_minutes_median"] == 395.0  # 60, 140, (240, 550), 1440, 1860
    assert stats["praise"] == 3
    everything = compute_stats(week.store, week.directory, week.settings, grid_ids=None,
                               start=start, end=end)
    assert (everything["received"], everything["accepted"]) == (8, 8)


def test_empty_period_has_no_medians(week: Context) -> None:
    start, end = date_range(t(12, 1, 0).date(), t(12, 7, 0).date(), week.tz)
    stats = compute_stats(week.store, week.directory, week.settings, grid_ids=["qn-1"],
                          start=start, end=end)
    assert stats["received"] == 0 and stats["accept_minutes_median"] is None
    assert stats["resolution_rate"] is None and stats["rating_avg"] is None
    assert "没有收到诉求" in format_stats_short(stats, "青年路第一网格")


def test_short_form_reads_the_figures(week: Context) -> None:
    start, end = week_bounds(week)
    stats = compute_stats(week.store, week.directory, week.settings, grid_ids=["qn-1"],
                          start=start, end=end)
    text = format_stats_short(stats, "青年路第一网格 · 上周")
    assert "收到诉求 6 件" in text and "设施报修 2" in text
    assert "接单 6 件，办结 5 件，办结率 80%" in text
    assert "接单用时中位 20 分钟" in text and "12.0 小时" in text
    assert "夜间/周末/节假日：收到 3 件，办结 2 件" in text
    assert "满意度 4.0 分" in text


def answered(ctx: Context, msg: IncomingMessage):
    """What the bot answers: statistics are made afterwards, from a reading connection."""
    routed = route(ctx, msg)
    return routed.outgoing + (routed.later(ctx) if routed.later else [])


def test_statistics_are_told_privately_through_the_router(week: Context) -> None:
    ctx = week.at(t(11, 23, 10))
    asked = IncomingMessage(
        message_id="q1", room_id="room-qn-1", room_topic="青年路一网格居民群",
        sender_id="wxid_majianmin", sender_name="马建民", text="上周统计", time=ctx.now,
    )
    [reply] = answered(ctx, asked)  # asked in the residents' group: answered privately
    assert reply.room_id is None and reply.to == Person("马建民", "wxid_majianmin")
    assert "青年路第一网格" in reply.text and "收到诉求 6 件" in reply.text

    private = IncomingMessage(
        message_id="q2", room_id=None, room_topic=None, sender_id="wxid_zjk",
        sender_name="张继凯", text="上周统计", time=ctx.now,
    )
    [reply] = answered(ctx, private)
    assert reply.to == Person("张继凯", "wxid_zjk") and reply.room_id is None
    assert "青年路社区" in reply.text and "收到诉求 7 件" in reply.text

    this_week = IncomingMessage(
        message_id="q3", room_id="room-qn-1", room_topic="青年路一网格居民群",
        sender_id="wxid_majianmin", sender_name="马建民", text="统计", time=ctx.now,
    )
    [reply] = answered(ctx, this_week)  # Monday 10:00: only the 00:00 ticket
    assert "本周" in reply.text and "收到诉求 1 件" in reply.text


def test_holiday_and_tiaoxiu_in_the_after_hours_split() -> None:
    ctx = make_ctx()
    report(ctx, t(10, 1, 10), "repair")  # Thursday, National Day: after hours all day
    report(ctx, t(9, 27, 10), "repair")  # Sunday made a working day (调休): office hours
    report(ctx, t(9, 27, 18), "repair")  # but not its evening
    start, end = date_range(t(9, 21, 0).date(), t(10, 7, 0).date(), ctx.tz)
    stats = compute_stats(ctx.store, ctx.directory, ctx.settings, grid_ids=["qn-1"],
                          start=start, end=end)
    assert (stats["received"], stats["after_hours_received"]) == (3, 2)


def nearest_rank(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[math.ceil(q * len(ordered)) - 1]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=40),
       st.lists(st.integers(min_value=0, max_value=3000), max_size=10))
def test_sql_median_and_p90_match_the_definitions(delays: list[int], others: list[int]) -> None:
    """Median: the middle value, or the mean of the two middle ones; p90: nearest rank.
    The same whether the scope's values are read and sorted (a tally per grid) or found
    by rank in the index of durations (one total over most of the file, here from a
    single value on); another grid's tickets mixed in do not count."""
    store = Store.open(None)
    store.stats.RANKS_FROM = 1
    base = int(t(11, 16, 8).timestamp())
    mixed = [("qn-1", d) for d in delays] + [("qn-2", d) for d in others]
    for i, (grid_id, minutes) in enumerate(sorted(mixed, key=lambda row: row[1] % 7)):
        created = base + i * 60
        store.tickets.create(
            at=created, intent="repair", status="accepted", urgent=0, grid_id=grid_id,
            community_id="qingnian", text="x", masked_text="x", accepted_at=created + minutes * 60,
        )
    [by_rank] = store.stats.accepted(Scope(["qn-1"], base, base + 10**7)).values()
    by_grid = store.stats.accepted(Scope(["qn-1"], base, base + 10**7, by="grid_id"))["qn-1"]
    for spread in (by_rank, by_grid):
        assert spread.count == len(delays)
        assert spread.median == statistics.median(delays) * 60
        assert spread.p90 == nearest_rank(delays, 0.9) * 60


def test_a_ticket_rated_again_later_counts_in_each_period_it_was_rated_in() -> None:
    """Rated in one week and again (changed) the next: in both weeks' figures, each with
    the rating as it stands; the same when the later weeks hold more ratings than the
    week asked about (its own 'rated' events are read then)."""
    ctx = make_ctx()
    first = date_range(t(11, 16, 0).date(), t(11, 22, 0).date(), ctx.tz)
    second = date_range(t(11, 23, 0).date(), t(11, 29, 0).date(), ctx.tz)

    def rated(period: tuple[int, int]) -> tuple[int, float | None]:
        stats = compute_stats(ctx.store, ctx.directory, ctx.settings, grid_ids=["qn-1"],
                              start=period[0], end=period[1])
        return stats["rated"], stats["rating_avg"]

    ticket = report(ctx, t(11, 16, 10), "repair")
    accept(ctx, t(11, 16, 10, 5), ticket)
    resolve(ctx, t(11, 16, 14), ticket)
    rate(ctx, t(11, 16, 15), ticket, 5)
    assert rated(first) == (1, 5.0) and rated(second) == (0, None)
    rate(ctx, t(11, 24, 9), ticket, 3)  # the next week: changed
    assert rated(first) == (1, 3.0) and rated(second) == (1, 3.0)
    for day in (24, 25):  # two more rated the next week
        other = report(ctx, t(11, day, 10), "repair")
        accept(ctx, t(11, day, 10, 5), other)
        resolve(ctx, t(11, day, 11), other)
        rate(ctx, t(11, day, 12), other, 4)
    assert rated(first) == (1, 3.0) and rated(second) == (3, round(11 / 3, 2))
    # the dashboard's rates per grid: the same tickets, each by its rating as it stands
    [one] = ctx.store.dashboard.rates_by_grid(["qn-1"], INTENTS, *first)
    [three] = ctx.store.dashboard.rates_by_grid(["qn-1"], INTENTS, *second)
    assert (one.rated, one.satisfied) == (1, 0) and (three.rated, three.satisfied) == (3, 2)
    assert (one.received, one.responded, one.resolved) == (1, 1, 1)
    assert (three.received, three.responded, three.resolved) == (2, 2, 2)


def test_the_dashboards_rates_per_grid_and_days_read_indexes_only() -> None:
    """Received, responded to, resolved and rated per grid, and received per day, come
    from index entries of the scope and period (no ticket's row is read, nothing else is
    stepped over)."""
    ctx = make_ctx()
    for day in (16, 17, 18):
        ticket = report(ctx, t(11, day, 10), "repair")
        accept(ctx, t(11, day, 10, 5), ticket)
        if day < 18:
            resolve(ctx, t(11, day, 11), ticket)
            rate(ctx, t(11, day, 12), ticket, 4 if day == 16 else 3)
    report(ctx, t(11, 23, 10), "repair")  # the week after
    statements: list[str] = []
    ctx.store.db.conn.set_trace_callback(statements.append)
    start, end = date_range(t(11, 16, 0).date(), t(11, 22, 0).date(), ctx.tz)
    [rates] = ctx.store.dashboard.rates_by_grid(["qn-1", "qn-2"], INTENTS, start, end)
    days = [(start + i * 86400, start + (i + 1) * 86400) for i in range(7)]
    per_day = ctx.store.dashboard.received_per_day(["qn-1", "qn-2"], INTENTS, days)
    ctx.store.db.conn.set_trace_callback(None)
    assert per_day == [(0, "repair", 1), (1, "repair", 1), (2, "repair", 1)]
    assert (rates.received, rates.responded, rates.resolved, rates.rated, rates.satisfied) == (3, 3, 2, 2, 1)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) >= 3
    for sql in reads:
        plan = [row[-1] for row in ctx.store.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        on_tables = [step for step in plan if step.startswith(("SEARCH", "SCAN"))
                     and "CONSTANT ROWS" not in step and step != "SCAN days"]
        assert on_tables and all("COVERING INDEX" in step for step in on_tables), (sql, plan)
