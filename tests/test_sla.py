"""The timers with an injected clock: the chain worker -> backup -> community -> street,
each step once and in working time; one message per person per round; urgent tickets day
and night; nothing twice, nothing skipped across a restart or a day of downtime."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from conftest import when_due
from test_stats import (  # the shared week of tickets and helpers
    accept,
    report,
    resolve,
    t,
)
from test_stats import make_ctx as example_ctx

from handlers import lifecycle, sla
from handlers.context import Context
from handlers.messages import DIGEST, URGENT, Outgoing, Person
from storage import Store, Ticket

MONDAY = t(11, 23, 9, 0)  # office hours
MIN = timedelta(minutes=1)
ROOM = "青年路一网格居民群"
STAFF_ROOM = "青年路社区工作群"


def make_ctx(*args, **kwargs) -> Context:
    """The example's context, each step when it is due: these are tests of the ladder."""
    ctx = example_ctx(*args, **kwargs)
    return replace(ctx, settings=when_due(ctx.settings))


def sweep(ctx: Context, when: datetime) -> list[Outgoing]:
    with ctx.store.transaction():
        return sla.sweep(ctx.at(when))


def who(out: Outgoing) -> tuple:
    if out.to is not None:
        return ("private", out.to.name)
    return ("room", out.room_topic, tuple(p.name for p in out.mentions))


def run(ctx: Context, start: datetime, minutes: int) -> list[tuple[str, tuple, str]]:
    """Sweep every minute like the scheduler: (local time, recipient, text) of each message."""
    posts = []
    for i in range(minutes + 1):
        when = start + i * MIN
        posts += [(f"{when:%a %H:%M}", who(o), o.text) for o in sweep(ctx, when)]
    return posts


def current(ctx: Context, ticket: Ticket) -> Ticket:
    found = ctx.store.tickets.get(ticket.id)
    assert found is not None
    return found


def test_each_step_once_in_office_hours_until_the_admins_daily_list() -> None:
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "sanitation")
    with ctx.store.transaction():  # a neighbour reports it too: a need, whoever answers
        lifecycle.join(
            ctx.at(MONDAY), ticket, person_id="wxid_李叔", person_name="李叔", room_id="room-qn-1",
            room_topic=ROOM, message_id="m-join",
        )
    posts = run(ctx, MONDAY, 3 * 24 * 60)  # to Thursday morning, minute by minute
    assert [(at, w) for at, w, _ in posts] == [
        ("Mon 09:30", ("private", "马建民")),  # accept_minutes = 30 (office hours)
        ("Mon 10:00", ("private", "马建民")),  # reminder_minutes = 30, 2 reminders
        ("Mon 10:30", ("private", "孙丽")),  # the grid's backup worker, once
        ("Mon 11:00", ("room", STAFF_ROOM, ())),  # the community, once: its staff group
        # 11:30 the street: no message; the admin's daily list on each office day
        ("Tue 09:00", ("private", "冯媛")),
        ("Wed 09:00", ("private", "冯媛")),
        ("Thu 09:00", ("private", "冯媛")),
    ]
    texts = [text for _, _, text in posts]
    assert "⏰" in texts[0] and "#1" in texts[0] and "已等 30 分钟，还没有人接单" in texts[0]
    assert "回「收到 1」接单，「办好 1」办结，「不是诉求 1」关掉误登记" in texts[0]
    assert "⏫ 转给您的工单 1 件" in texts[2] and "之前找过马建民（提醒 2 次）" in texts[2]
    assert "之前找过马建民（提醒 2 次）、孙丽" in texts[3]
    assert "📋 社区未能办结、请您协调的工单 1 件" in texts[4]
    assert "找过马建民（提醒 2 次）、孙丽、张继凯、刘芳" in texts[4]
    final = current(ctx, ticket)
    assert final.status == "open" and final.escalation_level == lifecycle.LEVEL_STREET
    assert final.escalated_to == "冯媛"
    kinds = [e.kind for e in ctx.store.tickets.events(ticket.id)]
    assert kinds.count("escalated") == 3 and kinds.count("reminded") == 2
    assert ctx.store.seen.prompt("张继凯", "ping")[0] == ticket.id  # a bare 收到 answers it


def test_same_minute_twice_sends_nothing_the_second_time() -> None:
    ctx = make_ctx()
    report(ctx, MONDAY, "sanitation")
    assert len(sweep(ctx, MONDAY + 30 * MIN)) == 1
    assert sweep(ctx, MONDAY + 30 * MIN) == []
    assert sweep(ctx, MONDAY + 59 * MIN) == []


def test_nobody_is_reminded_after_office_hours_or_on_days_off() -> None:
    """A repair accepted on Friday afternoon has 72 hours: three working days, not the
    weekend; its reminder waits for office hours."""
    ctx = make_ctx()
    friday = t(11, 20, 16, 0)
    ticket = report(ctx, friday - 10 * MIN, "repair")
    accept(ctx, friday, ticket)
    posts = run(ctx, friday, 5 * 24 * 60 + 60)
    assert [(at, w) for at, w, _ in posts][:2] == [
        ("Wed 16:00", ("private", "马建民")),  # Mon, Tue, Wed counted: 72 hours
        ("Wed 16:30", ("private", "马建民")),
    ]
    assert "超过办理时限（3 个工作日），还没办结" in posts[0][2]
    hours = {int(at[4:6]) for at, _, _ in posts}
    assert all(8 <= h < 18 for h in hours) and not [p for p in posts if p[0][:3] in ("Sat", "Sun")]


def test_a_reminder_due_in_the_evening_waits_for_the_morning() -> None:
    ctx = make_ctx()
    report(ctx, t(11, 23, 17, 10), "sanitation")  # 20 minutes before closing
    posts = run(ctx, t(11, 23, 17, 10), 18 * 60)
    assert [(at, w) for at, w, _ in posts][:2] == [
        ("Tue 08:40", ("private", "马建民")),  # 20 minutes on Monday + 10 on Tuesday
        ("Tue 09:10", ("private", "马建民")),
    ]


def test_daytime_clock_for_an_intent_counts_every_hour_but_not_the_quiet_ones() -> None:
    ctx = make_ctx()  # the example: clock_by_intent = { errand = "daytime" }
    assert ctx.settings.sla.clock_for("errand") == "daytime"
    saturday = t(11, 21, 20, 50)
    report(ctx, saturday, "errand")  # an old neighbour's medicine, Saturday evening
    report(ctx, saturday, "sanitation")
    posts = run(ctx, saturday, 11 * 60 + 20)  # to Sunday 08:10
    assert [(at, w) for at, w, _ in posts] == [
        ("Sat 21:20", ("private", "马建民")),  # the errand: 30 minutes later, any day
        # 21:30-07:30 quiet: the second reminder waits; the sanitation one waits for Monday
        ("Sun 07:30", ("private", "马建民")),
        ("Sun 08:00", ("private", "孙丽")),
    ]
    assert all("代办" in text and "环境卫生" not in text for _, _, text in posts)


def test_six_overdue_tickets_of_one_worker_are_one_message() -> None:
    ctx = make_ctx()
    for i in range(6):
        report(ctx, t(11, 22, 20, 0) + i * 10 * MIN, "sanitation", reporter=f"居民{i}")  # Sunday
    posts = run(ctx, t(11, 22, 20, 0), 13 * 60)  # to Monday 09:00
    [(at, whom, text)] = posts
    assert (at, whom) == ("Mon 09:00", ("private", "马建民"))  # 08:30 + 30 working minutes
    assert "⏰ 超时的工单 6 件" in text
    assert [f"#{i}" in text for i in range(1, 7)] == [True] * 6


def test_a_worker_hears_from_the_timers_at_most_once_per_reminder_interval() -> None:
    ctx = make_ctx()
    for i in range(6):
        report(ctx, MONDAY + i * 5 * MIN, "sanitation", reporter=f"居民{i}")
    posts = run(ctx, MONDAY, 2 * 60)
    to_worker = [(at, text) for at, w, text in posts if w == ("private", "马建民")]
    assert [at for at, _ in to_worker] == ["Mon 09:30", "Mon 10:00", "Mon 10:30"]
    assert "⏰ 超时的工单 1 件" in to_worker[0][1]
    assert "⏰ 超时的工单 6 件" in to_worker[1][1]  # #1's second reminder, #2-#6's first
    assert "⏰ 超时的工单 5 件" in to_worker[2][1]  # #2-#6's second; #1 went to the backup


def test_urgent_nobody_takes_backup_staff_and_admin_within_the_set_minutes() -> None:
    ctx = make_ctx()
    night = t(11, 25, 2, 0)  # Wednesday 02:00
    ticket = report(ctx, night, "safety", urgent=True)
    posts = run(ctx, night, 60)
    assert sorted((at, w) for at, w, _ in posts) == [
        ("Wed 02:10", ("private", "孙丽")),  # accept_minutes_urgent = 10: the backup worker
        # then the community's staff, each privately: an urgent step must ring their phones
        ("Wed 02:20", ("private", "刘芳")), ("Wed 02:20", ("private", "张继凯")),
        ("Wed 02:30", ("private", "冯媛")),  # then the street, at once
    ]
    assert all("【紧急】" in text for _, _, text in posts)
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_STREET
    assert all(o.priority == URGENT for o in sweep(ctx, night + timedelta(hours=31)))


def test_accept_after_escalation_stops_the_chain() -> None:
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "safety")  # safety: 24 hours to resolve (one working day)
    run(ctx, MONDAY, 60)  # a hazard: one reminder, then up to the backup
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_BACKUP
    accepted_at = MONDAY + 70 * MIN
    accept(ctx, accepted_at, ticket, "孙丽")
    assert run(ctx, accepted_at, 24 * 60 - 1) == []  # nothing until the resolve deadline
    [out] = sweep(ctx, accepted_at + timedelta(hours=24))
    assert who(out) == ("private", "孙丽") and "办理时限（1 个工作日）" in out.text
    # a hazard is reminded once; she is a worker of the grid: the next step is the community
    posts = sweep(ctx, accepted_at + timedelta(hours=24, minutes=30))
    assert {who(o) for o in posts} == {("room", STAFF_ROOM, ())}
    assert "超过办理时限（1 个工作日）仍未办结" in posts[0].text
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_COMMUNITY


def test_handing_a_ticket_to_the_community_does_not_make_it_overdue() -> None:
    """转 1 社区 on an accepted ticket: the staff hear of it once; no "overdue" reminder
    until its resolve time has really run out."""
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "dispute")  # 72 hours: three working days
    accept(ctx, MONDAY + 5 * MIN, ticket)
    with ctx.store.transaction():
        lifecycle.escalate(ctx.at(MONDAY + 10 * MIN), current(ctx, ticket), level=lifecycle.LEVEL_COMMUNITY,
                           to_names=["张继凯", "刘芳"], actor_name="马建民", actor_id="wxid_majianmin", note=None)
    assert run(ctx, MONDAY + 10 * MIN, 3 * 24 * 60 - 15) == []
    [out] = sweep(ctx, MONDAY + 5 * MIN + timedelta(days=3))
    assert who(out) == ("private", "张继凯") and "超过办理时限（3 个工作日）" in out.text


def test_ticket_returned_to_community_staff_is_chased_and_goes_up_not_down() -> None:
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "dispute")
    with ctx.store.transaction():  # the worker's 退回: the staff must hand it out again
        lifecycle.transfer(ctx.at(MONDAY + 5 * MIN), current(ctx, ticket), to_name="张继凯",
                           actor_name="马建民", actor_id=None, kind="returned", note="不归本网格")
    assert sweep(ctx, MONDAY + 34 * MIN) == []  # the clock restarted at the hand-over
    posts = run(ctx, MONDAY + 35 * MIN, 3 * 60)
    assert [(at, w) for at, w, _ in posts] == [
        ("Mon 09:35", ("private", "张继凯")), ("Mon 10:05", ("private", "张继凯")),
    ]  # then the street's daily list (no message now)
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_STREET


def test_a_day_of_downtime_is_one_message_per_person_and_one_step_per_ticket() -> None:
    ctx = make_ctx()
    tickets = [report(ctx, MONDAY + i * MIN, "sanitation", reporter=f"居民{i}") for i in range(30)]
    tickets += [report(ctx, MONDAY, "repair", "bh-1", reporter="赵阿姨")]
    back = MONDAY + timedelta(days=1)  # the bot was down until Tuesday 09:00
    posts = sweep(ctx, back)
    assert sorted(who(o) for o in posts) == [("private", "李强"), ("private", "马建民")]
    digest = next(o for o in posts if o.to.name == "马建民")
    assert "⏰ 超时的工单 30 件" in digest.text and "还有 20 件" in digest.text
    assert digest.priority == DIGEST
    assert {current(ctx, t).reminders_sent for t in tickets} == {1}  # one step each, no leaps
    assert sweep(ctx, back + 29 * MIN) == []  # the chain resumes from now
    assert {who(o) for o in sweep(ctx, back + 30 * MIN)} == {("private", "马建民"), ("private", "李强")}


def test_the_sweep_reads_only_what_is_due() -> None:
    ctx = make_ctx()
    for i in range(2 * sla.BATCH + 7):
        report(ctx, MONDAY - i * timedelta(seconds=1), "repair", reporter=f"居民{i}")
    looked = []
    with ctx.store.transaction():
        while not looked or looked[-1] == sla.BATCH:
            looked.append(sla.sweep_batch(ctx.at(MONDAY + MIN))[0])
    assert looked == [sla.BATCH, sla.BATCH, 7]  # bounded batches, each its own transaction
    with ctx.store.transaction():
        assert sla.sweep_batch(ctx.at(MONDAY + 2 * MIN)) == (0, [])  # nothing due: nothing read
    assert ctx.store.tickets.due(int((MONDAY + 25 * MIN).timestamp()), 10) == []  # next: deadlines


def test_restart_in_the_middle_neither_repeats_nor_skips(tmp_path: Path) -> None:
    path = tmp_path / "gridbot.db"
    first = make_ctx(Store.open(path))
    report(first, MONDAY, "sanitation")
    posts = run(first, MONDAY, 70)  # reminders so far
    first.store.close()
    second = make_ctx(Store.open(path))  # a new app on the same database
    posts += run(second, MONDAY + 71 * MIN, 3 * 60)
    assert [at for at, _, _ in posts] == ["Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00"]


def test_resolved_in_a_group_is_not_asked_again_and_closes() -> None:
    """The completion notice in the group asked for the rating: the group hears no more."""
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "repair")
    done_at = MONDAY + timedelta(hours=2)
    resolve(ctx, done_at, ticket)
    assert run(ctx, done_at, 72 * 60 - 1) == []
    assert current(ctx, ticket).status == "resolved"
    assert sweep(ctx, done_at + timedelta(hours=72)) == []  # closed quietly
    assert current(ctx, ticket).status == "closed"
    assert current(ctx, ticket).due_at is None  # nothing more to come


def test_resolved_privately_asks_once_not_at_night_then_closes() -> None:
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "repair", private=True)
    done_at = t(11, 23, 21, 0)
    resolve(ctx, done_at, ticket)
    posts = run(ctx, done_at, 24 * 60)
    [(at, whom, text)] = posts
    assert (at, whom) == ("Tue 07:30", ("private", "王阿姨")) and "满意" in text  # not at 22:00
    assert ctx.store.seen.prompt("wxid_王阿姨", "rating")[0] == ticket.id
    assert sweep(ctx, done_at + timedelta(hours=72)) == []
    closed = current(ctx, ticket)
    assert closed.status == "closed" and closed.closed_at == int((done_at + timedelta(hours=72)).timestamp())
    assert [e.kind for e in ctx.store.tickets.events(ticket.id)][-2:] == ["rating_asked", "closed"]


def test_rated_ticket_is_not_asked() -> None:
    ctx = make_ctx()
    ticket = report(ctx, MONDAY, "repair", private=True)
    resolve(ctx, MONDAY + 10 * MIN, ticket)
    with ctx.store.transaction():
        lifecycle.rate(ctx.at(MONDAY + 20 * MIN), current(ctx, ticket), score=5, actor_name="王阿姨",
                       actor_id="wxid_王阿姨")
    assert run(ctx, MONDAY + 20 * MIN, 4 * 24 * 60 // 10) == []


def test_when_a_report_will_be_seen() -> None:
    ctx = make_ctx()
    assert sla.first_look(ctx.at(MONDAY), "repair", urgent=False) is None
    assert sla.first_look(ctx.at(t(11, 23, 23, 10)), "repair", urgent=False) == "明天上班后"
    assert sla.first_look(ctx.at(t(11, 20, 23, 10)), "repair", urgent=False) == "周一上班后"
    assert sla.first_look(ctx.at(t(11, 20, 23, 10)), "repair", urgent=True) is None
    assert sla.holds_ping(ctx.at(t(11, 20, 23, 10)), "repair", urgent=False)
    assert not sla.holds_ping(ctx.at(t(11, 20, 20, 0)), "repair", urgent=False)  # not quiet yet
    assert sla.holds_ping(ctx.at(t(11, 21, 11, 0)), "repair", urgent=False)  # Saturday
    assert not sla.holds_ping(ctx.at(t(11, 20, 23, 10)), "repair", urgent=True)


async def test_app_restart_with_the_scheduler_carries_on(tmp_path: Path, shared_classifier,
                                                          shared_faq) -> None:
    """Two real Applications, one after the other, on one database file: the scheduler's
    catch-up at start and its minute job pick up exactly where the first one stopped."""
    from bot.app import Application
    from bot.clock import ManualClock
    from bot.config import load_config
    from bot.transports.memory import MemoryTransport
    from handlers.messages import IncomingMessage

    config = when_due(load_config(Path(__file__).resolve().parents[1] / "config.example.toml"))
    path = tmp_path / "bot.db"
    clock = ManualClock(MONDAY)

    async def start() -> tuple[Application, MemoryTransport]:
        transport = MemoryTransport()
        app = Application(config, transport, store=Store.open(path), clock=clock,
                          classifier=shared_classifier, faq=shared_faq, scheduler=True)
        await app.start()
        await app._scheduler.first_run  # the catch-up at start
        return app, transport

    async def minute(app: Application, transport: MemoryTransport, when: datetime) -> list:
        clock.set(when)
        await app._scheduler.tick()  # what the interval job runs each minute
        await app.outbox.deliver_due()
        return [who(o) for o in transport.take()]

    app, transport = await start()
    await transport.deliver(IncomingMessage(
        message_id="r1", room_id="room-qn-1", room_topic=ROOM, sender_id="wx-zhang",
        sender_name="张阿姨", text="3栋门口井盖又翘起来了，晚上走路容易绊倒", time=MONDAY,
    ))
    await app.outbox.deliver_due()
    assert transport.take()  # the acknowledgement and the ping
    assert await minute(app, transport, MONDAY + 30 * MIN) == [("private", "马建民")]
    await app.stop()

    clock.set(MONDAY + 45 * MIN)
    app, transport = await start()  # its start-up catch-up finds nothing due
    await app.outbox.deliver_due()
    try:
        assert transport.take() == []
        assert await minute(app, transport, MONDAY + 59 * MIN) == []
        assert await minute(app, transport, MONDAY + 60 * MIN) == [("private", "马建民")]
        assert await minute(app, transport, MONDAY + 90 * MIN) == [("private", "孙丽")]
    finally:
        await app.stop()


def test_person_ids_of_digests() -> None:
    ctx = make_ctx()
    report(ctx, MONDAY, "sanitation")
    [out] = sweep(ctx, MONDAY + 30 * MIN)
    assert out.to == Person("马建民", "wxid_majianmin") and out.room_id is None
