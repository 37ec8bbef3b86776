"""The weekly summary: a few friendly lines to every grid room, a per-grid table to each
community's admin room.

Idempotent per week and room: each post is marked in `jobs_done` in the same
transaction that queues it, so a restart on Monday morning does not post twice, and a
bot that was down at the set time posts when it comes back (any time that week).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.context import Context
from handlers.directory import Community, Grid
from handlers.messages import Outgoing
from handlers.stats import (
    compute_stats,
    describe_period,
    human_minutes,
    intent_detail,
    local_midnight,
    percent,
)

# --- texts -------------------------------------------------------------------------------
T_GRID_HEAD = "【上周网格服务小结】{period}"
T_GRID_RECEIVED = "上周本网格收到居民诉求 {n} 件{detail}，办结 {resolved} 件。"
T_GRID_SPEED = "接单用时中位 {accept}，办结用时中位 {resolve}。"
T_GRID_SPEED_ACCEPT_ONLY = "接单用时中位 {accept}。"
T_GRID_AFTER_HOURS = "其中 {n} 件是在夜间、周末或节假日提出的，网格员照样在线处理。"
T_GRID_RATING = "居民评价平均 {avg} 分。"
T_GRID_PRAISE = "收到居民表扬 {n} 次。"
T_GRID_QUIET = "上周本网格没有新的诉求，邻里平安。"
T_GRID_THANKS = "感谢网格员{worker}的辛苦付出{helpers}！有事随时在群里说，网格小助手 24 小时在线。"
T_GRID_HELPERS = "，也谢谢{names}的帮忙"
T_COMMUNITY_HEAD = "【{community} 上周网格服务周报】{period}"
T_COMMUNITY_TOTAL = (
    "全社区：收到 {received} 件，办结 {resolved} 件，办结率 {rate}；接单中位 {accept}，"
    "办结中位 {resolve}，按时办结 {sla}；夜间/周末/节假日收到 {after} 件、办结 {after_done} 件；"
    "升级 {escalated} 件，重办 {reopened} 件，调解纠纷 {disputes} 件，表扬 {praise} 次。"
)
T_TABLE_HEAD = "网格｜收到｜办结｜接单中位｜夜间周末｜满意度"
T_TABLE_ROW = "{grid}｜{received}｜{resolved}｜{accept}｜{after}｜{rating}"


def schedule_of_week(ctx: Context) -> datetime:
    """This week's posting time, local (e.g. Monday 09:00 of the current ISO week)."""
    now = ctx.now.astimezone(ctx.tz)
    monday = now.date() - timedelta(days=now.isoweekday() - 1)
    day = monday + timedelta(days=ctx.settings.summary.weekday - 1)
    return datetime.combine(day, ctx.settings.summary.at, ctx.tz)


def post_due(ctx: Context) -> list[Outgoing]:
    """This week's posts not yet made, once the posting time has passed; each is marked
    done in the caller's transaction. The bot reports only weeks it was running in."""
    scheduled = schedule_of_week(ctx)
    if ctx.now < scheduled:
        return []
    end = local_midnight(scheduled.date(), ctx.tz)
    start = local_midnight(scheduled.date() - timedelta(days=7), ctx.tz)
    year, week, _ = datetime.fromtimestamp(start, ctx.tz).isocalendar()
    label = f"{year}-W{week:02d}"
    wanted = _wanted(ctx, label)
    if not wanted:
        return []
    first = ctx.store.stats.first_activity()
    if first is None or first >= int(scheduled.timestamp()):
        return []  # the bot was not running yet: nothing to sum up
    out: list[Outgoing] = []
    for key, target in wanted:
        if not ctx.store.notes.mark_job(key, ctx.ts):
            continue
        if isinstance(target, tuple):
            grid, room = target
            out.append(_to_room(ctx, room, grid_text(ctx, grid, start, end)))
        else:
            assert target.admin_room
            out.append(_to_room(ctx, target.admin_room, community_text(ctx, target, start, end)))
    return out


def _wanted(ctx: Context, label: str) -> list[tuple[str, tuple[Grid, str] | Community]]:
    wanted: list[tuple[str, tuple[Grid, str] | Community]] = []
    for grid in ctx.directory.grids:
        for room in grid.rooms:
            wanted.append((f"weekly:{label}:{grid.id}:{room}", (grid, room)))
    for community in ctx.directory.communities:
        if community.admin_room:
            wanted.append((f"weekly:{label}:community:{community.id}", community))
    return [(key, target) for key, target in wanted if not ctx.store.notes.job_done(key)]


def _looks_like_room_id(ref: str) -> bool:
    return "@chatroom" in ref or ref.startswith("sim-room:")


def _to_room(ctx: Context, ref: str, text: str) -> Outgoing:
    """A configured room (topic or id) as an address: the id seen for the topic if any."""
    if _looks_like_room_id(ref):
        return Outgoing(text=text, room_id=ref)
    return Outgoing(text=text, room_id=ctx.store.seen.room_id_by_topic(ref) or ref, room_topic=ref)


def grid_text(ctx: Context, grid: Grid, start: int, end: int) -> str:
    s = compute_stats(ctx.store, ctx.directory, ctx.settings, grid_ids=[grid.id],
                      start=start, end=end)
    lines = [T_GRID_HEAD.format(period=describe_period(start, end, ctx.tz))]
    if s["received"] == 0 and s["resolved"] == 0:
        lines.append(T_GRID_QUIET)
    else:
        lines.append(T_GRID_RECEIVED.format(
            n=s["received"], detail=intent_detail(s["received_by_intent"]), resolved=s["resolved"]
        ))
        if s["accept_minutes_median"] is not None and s["resolve_minutes_median"] is not None:
            lines.append(T_GRID_SPEED.format(
                accept=human_minutes(s["accept_minutes_median"]),
                resolve=human_minutes(s["resolve_minutes_median"]),
            ))
        elif s["accept_minutes_median"] is not None:
            lines.append(T_GRID_SPEED_ACCEPT_ONLY.format(accept=human_minutes(s["accept_minutes_median"])))
        if s["after_hours_received"]:
            lines.append(T_GRID_AFTER_HOURS.format(n=s["after_hours_received"]))
    if s["rating_avg"] is not None:
        lines.append(T_GRID_RATING.format(avg=f"{s['rating_avg']:.1f}"))
    if s["praise"]:
        lines.append(T_GRID_PRAISE.format(n=s["praise"]))
    helpers = [n for n in ctx.store.stats.resolvers([grid.id], start, end) if n != grid.workers[0]]
    lines.append(T_GRID_THANKS.format(
        worker=grid.workers[0],
        helpers=T_GRID_HELPERS.format(names="、".join(helpers)) if helpers else "",
    ))
    return "\n".join(lines)


def community_text(ctx: Context, community: Community, start: int, end: int) -> str:
    grids = ctx.directory.grids_of_community(community.id)
    total = compute_stats(ctx.store, ctx.directory, ctx.settings,
                          grid_ids=[g.id for g in grids], start=start, end=end)
    lines = [
        T_COMMUNITY_HEAD.format(community=community.name,
                                period=describe_period(start, end, ctx.tz)),
        T_COMMUNITY_TOTAL.format(
            received=total["received"], resolved=total["resolved"],
            rate=percent(total["resolution_rate"]),
            accept=human_minutes(total["accept_minutes_median"]),
            resolve=human_minutes(total["resolve_minutes_median"]),
            sla=percent(total["within_sla_rate"]), after=total["after_hours_received"],
            after_done=total["after_hours_resolved"], escalated=total["escalated"],
            reopened=total["reopened"], disputes=total["disputes_mediated"],
            praise=total["praise"],
        ),
        T_TABLE_HEAD,
    ]
    for grid in grids:
        s = compute_stats(ctx.store, ctx.directory, ctx.settings, grid_ids=[grid.id],
                          start=start, end=end)
        lines.append(T_TABLE_ROW.format(
            grid=grid.name, received=s["received"], resolved=s["resolved"],
            accept=human_minutes(s["accept_minutes_median"]), after=s["after_hours_received"],
            rating=f"{s['rating_avg']:.1f}" if s["rating_avg"] is not None else "—",
        ))
    return "\n".join(lines)
