"""The weekly summary: a few friendly lines to every grid room, a per-grid table to each
community's admin room — of a week the bot saw, and only when there is something to say.

The bot speaks only of a week it was running in (its first message or ticket before the
week ended): a bot that joined on Monday morning did not see last week, and must not tell
anyone it was quiet. A grid with nothing received or resolved that week gets no post (the
bot cannot tell residents their neighbourhood was 平安: it knows only what it was told),
and a community with nothing at all gets one line, not a table of zeros.

Idempotent per week and room: each post is marked in `jobs_done` in the same
transaction that queues it, so a restart on Monday morning does not post twice, and a
bot that was down at the set time posts when it comes back (any time that week).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers import rooms
from handlers.context import Context
from handlers.corrections import KINDS_ZH
from handlers.directory import Community, Grid
from handlers.messages import DIGEST, Outgoing
from handlers.stats import (
    describe_period,
    human_minutes,
    intent_detail,
    local_midnight,
    percent,
    stats_of_communities,
    stats_of_grids,
)
from handlers.texts import SUMMARY as T
from storage import Scope


def schedule_of_week(ctx: Context) -> datetime:
    """This week's posting time, local (e.g. Monday 09:00 of the current ISO week)."""
    now = ctx.now.astimezone(ctx.tz)
    monday = now.date() - timedelta(days=now.isoweekday() - 1)
    day = monday + timedelta(days=ctx.settings.summary.weekday - 1)
    return datetime.combine(day, ctx.settings.summary.at, ctx.tz)


def week_due(ctx: Context) -> tuple[int, int] | None:
    """[start, end) of the week whose posts are still to make, once this week's posting
    time has passed; None when there is nothing to post. Cheap: the caller may read the
    week's figures (`Week.of`) away from the event loop before `post_due`."""
    scheduled = schedule_of_week(ctx)
    if ctx.now < scheduled:
        return None
    end = local_midnight(scheduled.date(), ctx.tz)
    start = local_midnight(scheduled.date() - timedelta(days=7), ctx.tz)
    if not _wanted(ctx, _label(ctx, start)):
        return None
    first = ctx.store.stats.first_activity()
    if first is None or first >= end:
        return None  # the bot was not running in that week: nothing to sum up
    return start, end


def post_due(ctx: Context, week: Week | None = None) -> list[Outgoing]:
    """This week's posts not yet made, once the posting time has passed; each is marked
    done in the caller's transaction. The bot reports only weeks it was running in.
    `week`: the figures, when read beforehand (read here if not, or of another week)."""
    period = week_due(ctx)
    if period is None:
        return []
    start, end = period
    if week is None or (week.start, week.end) != period:
        week = Week.of(ctx, start, end)
    out: list[Outgoing] = []
    for key, target in _wanted(ctx, _label(ctx, start)):
        ref = target[1] if isinstance(target, tuple) else target.admin_room
        assert ref
        where = rooms.address(ctx, ref)
        if where is None:  # a group not bound to a room yet: posted once it is
            continue
        if isinstance(target, tuple) and _quiet(week.grids[target[0].id]):
            ctx.store.notes.mark_job(key, ctx.ts)  # nothing to tell that group: no post
            continue
        if not ctx.store.notes.mark_job(key, ctx.ts):
            continue
        if isinstance(target, tuple):
            text = grid_text(ctx, target[0], week)
        else:
            text = community_text(ctx, target, week)
        out.append(Outgoing(text=text, room_id=where[0], room_topic=where[1], priority=DIGEST))
    return out


def _label(ctx: Context, start: int) -> str:
    year, week, _ = datetime.fromtimestamp(start, ctx.tz).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Week:
    """The week's figures of every grid and community and who to thank in each grid,
    read in a few grouped passes over the week's rows (not one tally per room)."""

    start: int
    end: int
    grids: dict[str, dict]
    communities: dict[str, dict]
    resolvers: dict[str, list[str]]

    @classmethod
    def of(cls, ctx: Context, start: int, end: int) -> Week:
        args = (ctx.store, ctx.directory, ctx.settings)
        return cls(
            start, end, stats_of_grids(*args, start=start, end=end),
            stats_of_communities(*args, start=start, end=end),
            ctx.store.stats.resolvers(
                Scope([g.id for g in ctx.directory.grids], start, end, by="grid_id")
            ),
        )


def _wanted(ctx: Context, label: str) -> list[tuple[str, tuple[Grid, str] | Community]]:
    wanted: list[tuple[str, tuple[Grid, str] | Community]] = []
    for grid in ctx.directory.grids:
        for room in grid.rooms:
            wanted.append((f"weekly:{label}:{grid.id}:{room}", (grid, room)))
    for community in ctx.directory.communities:
        if community.admin_room:
            wanted.append((f"weekly:{label}:community:{community.id}", community))
    return [(key, target) for key, target in wanted if not ctx.store.notes.job_done(key)]


def _quiet(s: dict) -> bool:
    """Nothing received nor resolved in the grid that week: nothing to tell its residents."""
    return s["received"] == 0 and s["resolved"] == 0


def grid_text(ctx: Context, grid: Grid, week: Week) -> str:
    """The residents' lines of a week with something in it (a quiet week posts nothing)."""
    s = week.grids[grid.id]
    lines = [T["grid_head"].format(period=describe_period(week.start, week.end, ctx.tz))]
    lines.append(T["grid_received"].format(
        n=s["received"], detail=intent_detail(s["received_by_intent"]), resolved=s["resolved"]
    ))
    if s["accept_minutes_median"] is not None and s["resolve_minutes_median"] is not None:
        lines.append(T["grid_speed"].format(
            accept=human_minutes(s["accept_minutes_median"]),
            resolve=human_minutes(s["resolve_minutes_median"]),
        ))
    elif s["accept_minutes_median"] is not None:
        lines.append(T["grid_speed_accept_only"].format(accept=human_minutes(s["accept_minutes_median"])))
    if s["after_hours_received"]:
        lines.append(T["grid_after_hours"].format(n=s["after_hours_received"]))
    if s["rating_avg"] is not None:
        lines.append(T["grid_rating"].format(avg=f"{s['rating_avg']:.1f}"))
    if s["praise"]:
        lines.append(T["grid_praise"].format(n=s["praise"]))
    helpers = [n for n in week.resolvers.get(grid.id, []) if n != grid.workers[0]]
    lines.append(T["grid_thanks"].format(
        worker=grid.workers[0],
        helpers=T["grid_helpers"].format(names="、".join(helpers)) if helpers else "",
    ))
    return "\n".join(lines)


def community_text(ctx: Context, community: Community, week: Week) -> str:
    grids = ctx.directory.grids_of_community(community.id)
    total = week.communities[community.id]
    head = T["community_head"].format(community=community.name,
                                      period=describe_period(week.start, week.end, ctx.tz))
    corrected = ctx.store.corrections.count_by_kind([g.id for g in grids], week.start, week.end)
    if all(_quiet(week.grids[g.id]) for g in grids) and not corrected:
        return head + "\n" + T["community_none"]  # one line, not a table of zeros
    lines = [
        head,
        T["community_total"].format(
            received=total["received"], resolved=total["resolved"],
            rate=percent(total["resolution_rate"]),
            accept=human_minutes(total["accept_minutes_median"]),
            resolve=human_minutes(total["resolve_minutes_median"]),
            sla=percent(total["within_sla_rate"]), after=total["after_hours_received"],
            after_done=total["after_hours_resolved"], escalated=total["escalated"],
            reopened=total["reopened"], disputes=total["disputes_mediated"],
            praise=total["praise"],
        ),
    ]
    if corrected:
        lines.append(T["community_corrections"].format(
            n=sum(corrected.values()),
            kinds="、".join(f"{KINDS_ZH[k]} {n}" for k, n in corrected.items() if k in KINDS_ZH),
        ))
    lines.append(T["table_head"])
    for grid in grids:
        s = week.grids[grid.id]
        lines.append(T["table_row"].format(
            grid=grid.name, received=s["received"], resolved=s["resolved"],
            accept=human_minutes(s["accept_minutes_median"]), after=s["after_hours_received"],
            rating=f"{s['rating_avg']:.1f}" if s["rating_avg"] is not None else "—",
        ))
    return "\n".join(lines)
