"""The weekly summary: once per week per room, the right figures, and a catch-up after
downtime."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from test_stats import build_week, make_ctx, report, t  # the shared week of tickets and helpers

from handlers import summary
from handlers.context import Context
from handlers.messages import Outgoing
from storage import Store

TZ = ZoneInfo("Asia/Shanghai")

MONDAY_9 = t(11, 23, 9)


def post(ctx: Context, when: datetime) -> list[Outgoing]:
    with ctx.store.transaction():
        return summary.post_due(ctx.at(when))


def by_room(posts: list[Outgoing]) -> dict[str, str]:
    return {o.room_topic or o.room_id: o.text for o in posts}


def test_posted_monday_at_nine_to_every_room_once(tmp_path: Path) -> None:
    path = tmp_path / "gridbot.db"
    ctx = build_week(make_ctx(Store.open(path)))
    assert post(ctx, MONDAY_9 - timedelta(minutes=1)) == []
    posts = by_room(post(ctx, MONDAY_9))
    assert sorted(posts) == sorted([
        "青年路一网格居民群", "青年路1-6号楼楼栋群", "青年路二网格居民群", "滨河花园一网格群",
        "青年路社区工作群", "滨河社区工作群",
    ])  # not 滨河新村二网格群: nothing was reported there, and the bot cannot say it was 平安
    qn1 = posts["青年路一网格居民群"]
    assert qn1 == posts["青年路1-6号楼楼栋群"]  # both rooms of the grid hear the same
    assert qn1.startswith("【上周网格服务小结】11月16日—11月22日")
    assert "收到居民诉求 6 件（设施报修 2、" in qn1 and "办结 5 件" in qn1
    assert "一般 20 分钟内就有人接手，9.2 小时内办好" in qn1  # the medians, in plain words
    assert "其中 3 件是在夜间、周末或节假日提出的" in qn1
    assert "居民评价平均 4.0 分" in qn1 and "收到居民表扬 2 次" in qn1
    assert "感谢网格员马建民的辛苦付出！" in qn1  # he resolved them all himself
    assert "感谢网格员孙丽" in posts["青年路二网格居民群"]

    admin = posts["青年路社区工作群"]
    assert admin.startswith("【青年路社区 上周网格服务周报】11月16日—11月22日")
    assert "全社区：收到 7 件，办结 6 件，办结率 83%" in admin
    assert "青年路第一网格｜6｜5｜20 分钟｜3｜4.0" in admin
    assert "青年路第二网格｜1｜1｜2 分钟｜0｜—" in admin
    assert "青年路第一网格" not in posts["滨河社区工作群"]

    assert post(ctx, MONDAY_9 + timedelta(minutes=1)) == []
    ctx.store.close()
    restarted = make_ctx(Store.open(path))  # a restart on Monday morning
    assert post(restarted, MONDAY_9 + timedelta(minutes=30)) == []
    assert post(restarted, t(11, 29, 23, 59)) == []  # nor later that week


def test_down_at_nine_posts_when_back() -> None:
    ctx = build_week(make_ctx())
    posts = post(ctx, t(11, 24, 15, 20))  # back on Tuesday afternoon
    assert len(posts) == 6 and "11月16日—11月22日" in posts[0].text
    assert post(ctx, t(11, 24, 15, 21)) == []


def test_next_week_posts_again_for_its_own_week() -> None:
    ctx = build_week(make_ctx())
    post(ctx, MONDAY_9)
    report(ctx, t(11, 25, 21, 0), "repair")  # Wednesday night
    posts = by_room(post(ctx, t(11, 30, 9, 0)))
    # only 青年路第一网格 had anything that week: its two rooms, and each community's staff
    assert sorted(posts) == sorted(["青年路一网格居民群", "青年路1-6号楼楼栋群", "青年路社区工作群", "滨河社区工作群"])
    assert posts["滨河社区工作群"].endswith("上周各网格没有登记工单。")  # one line, no table of zeros
    assert "｜" not in posts["滨河社区工作群"]
    qn1 = posts["青年路一网格居民群"]
    assert qn1.startswith("【上周网格服务小结】11月23日—11月29日")
    assert "收到居民诉求 2 件" in qn1  # Monday 00:00 and Wednesday night
    assert "其中 2 件是在夜间" in qn1


def test_no_summary_for_a_week_the_bot_did_not_run() -> None:
    ctx = make_ctx()
    assert post(ctx, MONDAY_9) == []  # a brand-new bot on Monday: nothing to sum up
    report(ctx, t(11, 23, 10), "repair")  # first activity after 09:00
    assert post(ctx, t(11, 23, 11)) == []


def test_a_bot_that_joined_on_monday_morning_says_nothing_of_last_week() -> None:
    """Its first message at 06:01 on the Monday: it did not see last week, so it neither tells
    the residents their grid was quiet nor sends the staff a table of zeros."""
    ctx = make_ctx()
    report(ctx, t(11, 23, 6, 1), "repair")
    assert post(ctx, MONDAY_9) == []
    assert post(ctx, t(11, 24, 9)) == []
    posts = by_room(post(ctx, t(11, 30, 9)))  # the next Monday: a week it saw
    assert "青年路一网格居民群" in posts and "收到居民诉求 1 件" in posts["青年路一网格居民群"]
    assert "滨河新村二网格群" not in posts


def test_remembered_room_id_is_used() -> None:
    ctx = build_week(make_ctx())
    ctx.store.seen.room("12345@chatroom", "青年路一网格居民群", "qn-1", int(MONDAY_9.timestamp()) - 60)
    posts = post(ctx, MONDAY_9)
    [qn1] = [o for o in posts if o.room_topic == "青年路一网格居民群"]
    assert qn1.room_id == "12345@chatroom"
    [other] = [o for o in posts if o.room_topic == "青年路二网格居民群"]
    assert other.room_id == "青年路二网格居民群"  # not seen yet: the transport finds it by topic



async def test_scheduler_runs_timers_at_start_and_plans_the_weekly_post() -> None:
    """The jobs only run the coroutine they are given (at start, and from the jobs):
    checked without waiting. The scheduler knows nothing of the application."""
    from bot.scheduler import Scheduler

    calls: list[str] = []

    async def timers() -> None:
        calls.append("round")

    scheduler = Scheduler(timers, tz=TZ, weekly_day=1, weekly_at=time(9, 0))
    scheduler.start()
    try:
        await scheduler.first_run  # a catch-up run at once, as a task of its own
        assert calls == ["round"]
        jobs = scheduler.jobs()
        weekly = jobs["weekly-summary"]
        assert (weekly.isoweekday(), weekly.hour, weekly.minute) == (1, 9, 0)  # Monday 09:00
        assert weekly.utcoffset() == timedelta(hours=8)
        assert jobs["sweep"] is not None
        await scheduler.tick()  # what both jobs run, in the event loop's thread
        assert calls == ["round", "round"]
        assert all(job.func == scheduler.tick for job in scheduler._scheduler.get_jobs())
    finally:
        scheduler.stop()
