"""The sweep with an injected clock: reminders at the right minute, then the backup worker,
then the community; nothing twice, nothing skipped across a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from test_stats import (  # the shared week of tickets and helpers
    accept,
    make_ctx,
    report,
    resolve,
    t,
)

from handlers import lifecycle, sla
from handlers.context import Context
from handlers.messages import Outgoing, Person
from storage import Store, Ticket

T0 = t(11, 21, 22, 40)  # Saturday night: a resident reports, the worker is asleep
MIN = timedelta(minutes=1)


def sweep(ctx: Context, when: datetime) -> list[Outgoing]:
    with ctx.store.transaction():
        return sla.sweep(ctx.at(when))


def who(out: Outgoing) -> tuple:
    if out.to is not None:
        return ("private", out.to.name)
    return ("room", out.room_topic, tuple(p.name for p in out.mentions))


def run(ctx: Context, start: datetime, minutes: int) -> list[tuple[int, tuple, str]]:
    """Sweep every minute like the scheduler; (minute after T0, recipient, text) of each post."""
    posts = []
    for i in range(minutes + 1):
        when = start + i * MIN
        posts += [(round((when - T0) / MIN), who(o), o.text) for o in sweep(ctx, when)]
    return posts


def current(ctx: Context, ticket: Ticket) -> Ticket:
    found = ctx.store.tickets.get(ticket.id)
    assert found is not None
    return found


ROOM = "青年路一网格居民群"
ADMIN = "青年路社区工作群"
CHAIN = [
    (30, ("private", "马建民")),  # accept_minutes = 30
    (60, ("private", "马建民")),  # reminder_minutes = 30, 2 reminders
    (90, ("private", "孙丽")),  # the backup worker of qn-1
    (120, ("private", "孙丽")),
    (150, ("private", "孙丽")),
    (180, ("private", "张继凯")),  # community staff, privately
    (180, ("private", "刘芳")),
    (180, ("room", ADMIN, ())),  # and their work group; the residents are not told
    (210, ("private", "张继凯")),
    (210, ("private", "刘芳")),
    (240, ("private", "张继凯")),
    (240, ("private", "刘芳")),
]


def test_no_accept_reminds_then_backup_then_community() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "sanitation")
    posts = run(ctx, T0, 24 * 60)  # a whole day, minute by minute
    assert [(m, w) for m, w, _ in posts] == CHAIN  # then silence at the top of the chain
    texts = {m: text for m, _, text in posts}
    assert "#1" in texts[30] and "30 分钟" in texts[30] and "接单 1" in texts[30]
    assert "备岗网格员孙丽" in texts[90] and "已 1.5 小时 无人接单" in texts[90]
    assert "已等了 2.0 小时" in texts[120]  # the resident's wait, from the report
    assert not [w for m, w, text in posts if w[:2] == ("room", ROOM)]
    final = current(ctx, ticket)
    assert final.status == "open" and final.escalation_level == lifecycle.LEVEL_COMMUNITY
    assert final.escalated_to == "张继凯、刘芳"
    kinds = [e.kind for e in ctx.store.tickets.events(ticket.id)]
    assert kinds.count("escalated") == 2 and kinds.count("reminded") == 6
    # the staff may answer a bare 收到: the reminder is the latest ping
    assert ctx.store.seen.prompt("张继凯", "ping")[0] == ticket.id


def test_same_minute_twice_sends_nothing_the_second_time() -> None:
    ctx = make_ctx()
    report(ctx, T0, "sanitation")
    assert len(sweep(ctx, T0 + 30 * MIN)) == 1
    assert sweep(ctx, T0 + 30 * MIN) == []
    assert sweep(ctx, T0 + 59 * MIN) == []


def test_urgent_reminder_after_ten_minutes() -> None:
    ctx = make_ctx()
    report(ctx, T0, "safety", urgent=True)
    assert sweep(ctx, T0 + 9 * MIN) == []
    [out] = sweep(ctx, T0 + 10 * MIN)
    assert out.to == Person("马建民", "wxid_majianmin") and out.room_id is None


def test_private_report_reminds_privately() -> None:
    ctx = make_ctx()
    report(ctx, T0, "errand", private=True)
    [out] = sweep(ctx, T0 + 30 * MIN)
    assert out.to == Person("马建民", "wxid_majianmin") and out.room_id is None


def test_accept_after_escalation_stops_the_chain() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "safety")  # safety: 24 hours to resolve
    run(ctx, T0, 90)  # up to the backup
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_BACKUP
    accepted_at = T0 + 100 * MIN
    accept(ctx, accepted_at, ticket, "孙丽")
    assert run(ctx, accepted_at, 24 * 60 - 1) == []  # nothing until the resolve deadline
    [out] = sweep(ctx, accepted_at + timedelta(hours=24))
    assert who(out) == ("private", "孙丽") and "办理时限（24.0 小时）" in out.text
    [out] = sweep(ctx, accepted_at + timedelta(hours=24, minutes=30))
    assert who(out) == ("private", "孙丽")
    posts = sweep(ctx, accepted_at + timedelta(hours=25))  # level 1 -> the community
    assert {who(o) for o in posts} == {
        ("private", "张继凯"), ("private", "刘芳"), ("room", ADMIN, ()),
    }
    assert "办好后回复「办结 1」" in posts[0].text  # accepted already: no 接单 hint
    assert current(ctx, ticket).escalation_level == lifecycle.LEVEL_COMMUNITY


def test_resolve_chain_uses_the_intent_hours() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "repair")  # repair: 72 hours
    accept(ctx, T0 + 5 * MIN, ticket)
    assert sweep(ctx, T0 + 5 * MIN + timedelta(hours=72) - MIN) == []
    [out] = sweep(ctx, T0 + 5 * MIN + timedelta(hours=72))
    assert who(out) == ("private", "马建民") and "3.0 天" in out.text


def test_resolved_in_a_group_is_not_asked_again_and_closes() -> None:
    """The completion notice in the group asked for the rating: the group hears no more."""
    ctx = make_ctx()
    ticket = report(ctx, T0, "repair")
    done_at = T0 + timedelta(hours=2)
    resolve(ctx, done_at, ticket)
    assert run(ctx, done_at, 72 * 60 - 1) == []
    assert current(ctx, ticket).status == "resolved"
    assert sweep(ctx, done_at + timedelta(hours=72)) == []  # closed quietly
    assert current(ctx, ticket).status == "closed"


def test_resolved_asks_once_then_closes() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "repair", private=True)
    done_at = T0 + timedelta(hours=2)
    resolve(ctx, done_at, ticket)
    with ctx.store.transaction():  # as the worker's 办结 does: asked at resolution
        ctx.store.tickets.update(ticket.id, at=int(done_at.timestamp()),
                                 rating_asked_at=int(done_at.timestamp()))
    assert sweep(ctx, done_at + 59 * MIN) == []
    [question] = sweep(ctx, done_at + 60 * MIN)
    assert who(question) == ("private", "王阿姨") and "满意" in question.text
    assert ctx.store.seen.prompt("wxid_王阿姨", "rating") == (
        ticket.id, int((done_at + 60 * MIN).timestamp()))
    assert run(ctx, done_at + 61 * MIN, 60) == []  # asked once only
    assert sweep(ctx, done_at + timedelta(hours=72) - MIN) == []
    assert current(ctx, ticket).status == "resolved"
    assert sweep(ctx, done_at + timedelta(hours=72)) == []  # closed quietly
    closed = current(ctx, ticket)
    assert closed.status == "closed" and closed.closed_at == int((done_at + timedelta(hours=72)).timestamp())
    assert [e.kind for e in ctx.store.tickets.events(ticket.id)][-2:] == ["rating_asked", "closed"]


def test_rated_ticket_is_not_asked() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "repair")
    resolve(ctx, T0 + 10 * MIN, ticket)
    with ctx.store.transaction():
        lifecycle.rate(ctx.at(T0 + 20 * MIN), current(ctx, ticket), score=5, actor_name="王阿姨",
                       actor_id="wxid_王阿姨")
    assert run(ctx, T0 + 20 * MIN, 4 * 24 * 60 // 10) == []


def test_restart_in_the_middle_neither_repeats_nor_skips(tmp_path: Path) -> None:
    path = tmp_path / "gridbot.db"
    first = make_ctx(Store.open(path))
    report(first, T0, "sanitation")
    posts = run(first, T0, 100)  # reminders and the backup so far
    first.store.close()
    second = make_ctx(Store.open(path))  # a new app on the same database
    posts += run(second, T0 + 101 * MIN, 24 * 60 - 101)
    assert [(m, w) for m, w, _ in posts] == CHAIN


def test_late_sweep_catches_up_with_one_message_per_person() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "sanitation")
    late = T0 + timedelta(hours=4)  # the bot was down all night
    posts = sweep(ctx, late)
    assert sorted(who(o) for o in posts) == sorted(
        [("private", "张继凯"), ("private", "刘芳"), ("room", ADMIN, ())]
    )
    found = current(ctx, ticket)
    assert found.escalation_level == lifecycle.LEVEL_COMMUNITY
    assert [e.note.split(":")[0] for e in ctx.store.tickets.events(ticket.id) if e.kind == "escalated"] \
        == ["L1 -> 孙丽", "L2 -> 张继凯、刘芳"]
    assert sweep(ctx, late + 29 * MIN) == []  # the schedule resumes from now
    assert {who(o) for o in sweep(ctx, late + 30 * MIN)} == {("private", "张继凯"), ("private", "刘芳")}


def test_late_sweep_before_escalation_sends_one_reminder() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "sanitation")
    [out] = sweep(ctx, T0 + 75 * MIN)  # two reminders were due: one is sent
    assert who(out) == ("private", "马建民")
    assert current(ctx, ticket).reminders_sent == 2
    assert sweep(ctx, T0 + 104 * MIN) == []
    [out] = sweep(ctx, T0 + 105 * MIN)  # then the backup, 30 minutes later
    assert who(out) == ("private", "孙丽")


def test_ticket_returned_to_community_staff_is_chased_privately_and_not_sent_down() -> None:
    ctx = make_ctx()
    ticket = report(ctx, T0, "dispute")
    with ctx.store.transaction():  # the worker's 退回: the staff must hand it out again
        lifecycle.transfer(ctx.at(T0 + 5 * MIN), current(ctx, ticket), to_name="张继凯",
                           actor_name="马建民", actor_id=None, kind="returned", note="不归本网格")
    assert sweep(ctx, T0 + 34 * MIN) == []  # the clock restarted at the hand-over
    posts = run(ctx, T0 + 35 * MIN, 6 * 60)
    assert [(m, w) for m, w, _ in posts] == [(35, ("private", "张继凯")), (65, ("private", "张继凯"))]


async def test_app_restart_with_the_scheduler_carries_on(tmp_path: Path, shared_classifier,
                                                          shared_faq) -> None:
    """Two real Applications, one after the other, on one database file: the scheduler's
    catch-up at start and its minute job pick up exactly where the first one stopped."""
    from bot.app import Application
    from bot.clock import ManualClock
    from bot.config import load_config
    from bot.transports.memory import MemoryTransport
    from handlers.messages import IncomingMessage

    config = load_config(Path(__file__).resolve().parents[1] / "config.example.toml")
    path = tmp_path / "bot.db"
    clock = ManualClock(T0)

    async def start() -> tuple[Application, MemoryTransport]:
        transport = MemoryTransport()
        app = Application(config, transport, store=Store.open(path), clock=clock,
                          classifier=shared_classifier, faq=shared_faq, scheduler=True)
        await app.start()
        return app, transport

    async def minute(app: Application, transport: MemoryTransport, when: datetime) -> list:
        clock.set(when)
        await app._scheduler.tick()  # what the interval job runs each minute
        await app.outbox.deliver_due()
        return [who(o) for o in transport.take()]

    app, transport = await start()
    await transport.deliver(IncomingMessage(
        message_id="r1", room_id="room-qn-1", room_topic=ROOM, sender_id="wx-zhang",
        sender_name="张阿姨", text="3栋门口井盖又翘起来了，晚上走路容易绊倒", time=T0,
    ))
    await app.outbox.deliver_due()
    assert transport.take()  # the acknowledgement
    assert await minute(app, transport, T0 + 30 * MIN) == [("private", "马建民")]
    await app.stop()

    clock.set(T0 + 45 * MIN)
    app, transport = await start()  # its start-up catch-up finds nothing due
    await app.outbox.deliver_due()
    try:
        assert transport.take() == []
        assert await minute(app, transport, T0 + 59 * MIN) == []
        assert await minute(app, transport, T0 + 60 * MIN) == [("private", "马建民")]
        assert await minute(app, transport, T0 + 90 * MIN) == [("private", "孙丽")]
    finally:
        await app.stop()
