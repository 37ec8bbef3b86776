"""The 24/7 tally: what was received, done, how fast, and how much of it after hours.

All figures come from the tickets and their events through `store.stats` (SQL
aggregates), so the same numbers serve the chat command 统计, the weekly summary, the
command line and the benchmark.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import notify
from handlers.context import Context, Request
from handlers.directory import Directory, Identity
from handlers.messages import IncomingMessage, Outgoing
from handlers.office_hours import office_week
from handlers.settings import Settings
from handlers.texts import DATES, PERIOD_NAMES, STATS_COLUMNS
from handlers.texts import STATS as T
from intents.model import INTENT_NAMES_ZH
from storage import Scope, Spread, Store
from storage.stats import NO_SPREAD, Received


def compute_stats(
    store: Store,
    directory: Directory,
    settings: Settings,
    *,
    grid_ids: list[str] | None,
    start: int,
    end: int,
) -> dict:
    """Figures for the grids (None: every grid of the directory) over [start, end), Unix
    seconds."""
    grids = list(grid_ids) if grid_ids is not None else [g.id for g in directory.grids]
    return figures_by(store, settings, Scope(grids, start, end))[None] | {"grids": grids}


def stats_of_grids(
    store: Store, directory: Directory, settings: Settings, *, start: int, end: int,
) -> dict[str, dict]:
    """The figures of every grid of the directory, from one pass over the period's rows."""
    grids = [g.id for g in directory.grids]
    found = figures_by(store, settings, Scope(grids, start, end, by="grid_id"))
    return {g.id: found[g.id] | {"grids": [g.id]} for g in directory.grids}


def stats_of_communities(
    store: Store, directory: Directory, settings: Settings, *, start: int, end: int,
) -> dict[str, dict]:
    """The figures of every community (all its grids), from one pass over the period's rows."""
    grids = [g.id for g in directory.grids]
    found = figures_by(store, settings, Scope(grids, start, end, by="community_id"))
    return {
        c.id: found[c.id] | {"grids": [g.id for g in directory.grids_of_community(c.id)]}
        for c in directory.communities
    }


class _Figures(dict):
    """Figures by group; a group with no rows at all reads as an empty period."""

    def __init__(self, empty: dict) -> None:
        super().__init__()
        self._empty = empty

    def __missing__(self, key: object) -> dict:
        return dict(self._empty)


def figures_by(store: Store, settings: Settings, scope: Scope) -> dict:
    """The figures of `scope`, one dict per group (the key None when not grouped)."""
    tz = ZoneInfo(settings.timezone)
    office = office_week(scope.start, scope.end, settings.office_hours, tz)
    q = store.stats
    received = q.received(scope, office, tuple(INTENT_NAMES_ZH))
    accepted = q.accepted(scope)
    resolved = q.resolved(scope, office)
    events = q.tickets_with_event(("escalated", "reopened"), scope)
    ratings = q.ratings(scope)
    praise = q.praise(scope)
    keys = set(received) | set(accepted) | set(resolved) | set(events) | set(ratings) | set(praise)
    found = _Figures(
        _figures(scope, Received({}), NO_SPREAD, (NO_SPREAD, {}), {}, (0, None), 0)
    )
    for key in keys:
        found[key] = _figures(
            scope, received.get(key, Received({})), accepted.get(key, NO_SPREAD),
            resolved.get(key, (NO_SPREAD, {})), events.get(key, {}), ratings.get(key, (0, None)),
            praise.get(key, 0),
        )
    return found


def _figures(
    scope: Scope, received: Received, accept_spread: Spread,
    resolved: tuple[Spread, dict[str, int]], events: dict[str, int],
    rating: tuple[int, float | None], praise: int,
) -> dict:
    resolve_spread, counts = resolved
    rated, rating_avg = rating

    def minutes(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / 60, 1)

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    return {
        "start": scope.start,
        "end": scope.end,
        "received": sum(received.by_intent.values()),
        "received_by_intent": received.by_intent,
        "accepted": accept_spread.count,
        "resolved": resolve_spread.count,
        "resolution_rate": share(received.resolved, received.not_cancelled),
        "accept_minutes_median": minutes(accept_spread.median),
        "accept_minutes_p90": minutes(accept_spread.p90),
        "resolve_minutes_median": minutes(resolve_spread.median),
        "resolve_minutes_p90": minutes(resolve_spread.p90),
        # no holder's deadline passed (handlers/deadlines.py), of those whose deadlines were kept
        "within_sla_rate": share(counts.get("within_sla", 0), counts.get("timed", 0)),
        "after_hours_received": received.after_hours,
        "after_hours_resolved": counts.get("after_hours", 0),
        "escalated": events.get("escalated", 0),
        "reopened": events.get("reopened", 0),
        "rated": rated,
        "rating_avg": round(rating_avg, 2) if rating_avg is not None else None,
        "disputes_mediated": counts.get("dispute", 0),
        "wishes_fulfilled": counts.get("wish", 0),
        "praise": praise,
    }


# --- periods -----------------------------------------------------------------------------


def local_midnight(day: date, tz: ZoneInfo) -> int:
    return int(datetime.combine(day, time(0, 0), tz).timestamp())


def date_range(first: date, last: date, tz: ZoneInfo) -> tuple[int, int]:
    """[first 00:00, the day after `last` 00:00): `last` is inclusive."""
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def period_bounds(kind: str, now: datetime) -> tuple[int, int]:
    """today / week (Monday to now) / last_week / month, in the zone of `now`."""
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    today = now.date()
    monday = today - timedelta(days=today.isoweekday() - 1)
    end = int(now.timestamp()) + 1  # up to and including this second
    if kind == "today":
        return local_midnight(today, tz), end
    if kind == "last_week":
        return date_range(monday - timedelta(days=7), monday - timedelta(days=1), tz)
    if kind == "month":
        return local_midnight(today.replace(day=1), tz), end
    return local_midnight(monday, tz), end


def describe_period(start: int, end: int, tz: ZoneInfo) -> str:
    first = datetime.fromtimestamp(start, tz)
    last = datetime.fromtimestamp(max(start, end - 1), tz)
    first_day = DATES["day"].format(month=first.month, day=first.day)
    if first.date() == last.date():
        return first_day
    last_day = DATES["day"].format(month=last.month, day=last.day)
    return DATES["span"].format(first=first_day, last=last_day)


# --- text --------------------------------------------------------------------------------


def human_minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 60:
        return f"{value:g} 分钟"
    if value < 48 * 60:
        return f"{value / 60:.1f} 小时"
    return f"{value / 1440:.1f} 天"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def intent_detail(by_intent: dict[str, int]) -> str:
    parts = [f"{INTENT_NAMES_ZH.get(k, k)} {n}" for k, n in by_intent.items() if n]
    return f"（{'、'.join(parts)}）" if parts else ""


def format_stats_short(stats: dict, title: str) -> str:
    """A few lines of Chinese for the chat: the figures a worker cares about."""
    lines = [title]
    if not stats["received"] and not stats["resolved"] and not stats["accepted"]:
        lines.append(T["nothing"])
    else:
        lines.append(
            T["received"].format(n=stats["received"], detail=intent_detail(stats["received_by_intent"]))
        )
        rate = stats["resolution_rate"]
        lines.append(
            T["done"].format(
                accepted=stats["accepted"], resolved=stats["resolved"],
                rate=T["rate"].format(pct=percent(rate)) if rate is not None else "",
            )
        )
        if stats["accept_minutes_median"] is not None:
            resolve = (
                T["resolve_speed"].format(resolve=human_minutes(stats["resolve_minutes_median"]))
                if stats["resolve_minutes_median"] is not None else ""
            )
            lines.append(
                T["speed"].format(
                    accept=human_minutes(stats["accept_minutes_median"]),
                    accept90=human_minutes(stats["accept_minutes_p90"]), resolve=resolve,
                )
            )
        if stats["within_sla_rate"] is not None:
            lines.append(T["sla"].format(pct=percent(stats["within_sla_rate"])))
        lines.append(
            T["after_hours"].format(
                received=stats["after_hours_received"], resolved=stats["after_hours_resolved"]
            )
        )
    if stats["rating_avg"] is not None:
        lines.append(T["rating"].format(avg=f"{stats['rating_avg']:.1f}", n=stats["rated"]))
    if stats["escalated"] or stats["reopened"] or stats["disputes_mediated"] or stats["praise"]:
        lines.append(
            T["extra"].format(
                escalated=stats["escalated"], reopened=stats["reopened"],
                disputes=stats["disputes_mediated"], praise=stats["praise"],
            )
        )
    return "\n".join(lines)


def format_stats_long(stats: dict, title: str) -> str:
    """Every figure on its own line, for the command line."""
    lines = [title]
    for key, label in STATS_COLUMNS:
        value = stats[key]
        if key.endswith("_rate"):
            value = percent(value)
        lines.append(f"{label}：{'—' if value is None else value}")
    for intent, n in stats["received_by_intent"].items():
        lines.append(f"  {INTENT_NAMES_ZH.get(intent, intent)}：{n}")
    return "\n".join(lines)


# --- the chat command 统计 / 本周统计 ------------------------------------------------------

def scope_for(
    directory: Directory, msg: IncomingMessage, identity: Identity
) -> tuple[list[str], str] | None:
    """Which grids to count and their name: the room's grid or community when asked there,
    else everything the person is in charge of."""
    grid = directory.grid_for_room(msg.room_id, msg.room_topic)
    if grid is not None and directory.may_act_on(identity, grid.id):
        return [grid.id], grid.name
    community = directory.community_for_admin_room(msg.room_id, msg.room_topic)
    if community is not None and (identity.is_admin or community.id in identity.staff_of):
        return [g.id for g in directory.grids_of_community(community.id)], community.name
    grid_ids = directory.grids_in_charge(identity)
    if not grid_ids:
        return None
    if identity.is_admin:
        return grid_ids, T["all_grids"]
    if len(identity.staff_of) == 1 and not identity.worker_of:
        community = directory.community(identity.staff_of[0])
        return grid_ids, community.name if community else T["my_community"]
    if len(grid_ids) == 1:
        grid = directory.grid(grid_ids[0])
        return grid_ids, grid.name if grid else grid_ids[0]
    return grid_ids, T["my_grids"]


def on_stats(ctx: Context, msg: IncomingMessage, req: Request, *, period: str) -> list[Outgoing]:
    """统计 / 上周统计 / 本月统计 / 今日统计 (the table's entries give the period)."""
    return chat_stats(ctx, msg, req.identity, period)


def chat_stats(
    ctx: Context, msg: IncomingMessage, identity: Identity, period: str = "week"
) -> list[Outgoing]:
    """The figures of `period` (today, week, last_week, month) for a worker, staff or admin;
    the answer goes back where it was asked."""
    scope = scope_for(ctx.directory, msg, identity)
    if scope is None:
        text = T["not_yours"]
    else:
        grid_ids, name = scope
        kind = period
        start, end = period_bounds(kind, ctx.now.astimezone(ctx.tz))
        stats = compute_stats(
            ctx.store, ctx.directory, ctx.settings, grid_ids=grid_ids, start=start, end=end
        )
        title = T["title"].format(
            title=name, period=f"{PERIOD_NAMES[kind]}（{describe_period(start, end, ctx.tz)}）"
        )
        text = format_stats_short(stats, title)
    # asked in a residents' group: privately (the group hears the weekly summary only)
    return [notify.to_official(ctx, msg, text)]
