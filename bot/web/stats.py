"""Statistics of a chosen scope and period, with charts, and the CSV files of `export`.

The figures are those of `统计` and `python -m bot stats` (`compute_stats`); the charts add
the received tickets per day and intent, and 响应率 / 解决率 / 满意率 per grid. Everything
is read off the event loop: a city over a year must not stall the chat.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from typing import BinaryIO
from urllib.parse import quote

from aiohttp import web

from bot.cli.export import write_events, write_tickets
from bot.web import labels
from bot.web.auth import OFFICE
from bot.web.office import Office, Official
from bot.web.render import OFFICIAL, render
from handlers.stats import compute_stats, date_range, local_midnight
from intents.model import INTENTS
from storage import Store

MAX_DAYS = 366
CSV_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Scope:
    key: str  # "all" | "mine" | "c:<community id>" | "g:<grid id>"
    name: str
    grid_ids: tuple[str, ...]


def scopes_of(office: Office, official: Official) -> list[Scope]:
    """What this person may count: everything in charge first, then each community and
    each grid of it."""
    d, identity = office.directory, official.identity
    if identity.is_admin:
        first = Scope("all", "全部网格", tuple(g.id for g in d.grids))
        communities = list(d.communities)
    else:
        communities = [c for c in d.communities if c.id in identity.staff_of]
        if len(communities) == 1 and not identity.worker_of:
            first = None
        else:
            first = Scope("mine", "我负责的网格", official.grid_ids)
    scopes = [first] if first is not None and len(official.grid_ids) > 1 else []
    for c in communities:
        scopes.append(Scope(f"c:{c.id}", c.name, tuple(g.id for g in d.grids_of_community(c.id))))
    for grid_id in official.grid_ids:
        grid = d.grid(grid_id)
        if grid is not None:
            scopes.append(Scope(f"g:{grid.id}", grid.name, (grid.id,)))
    return scopes


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


PRESETS = (("week", "本周"), ("last_week", "上周"), ("month", "本月"), ("30d", "近30天"))


def read_period(query, today: date) -> Period:
    """From ?from=&to= (local dates), or ?period=week|last_week|month|30d; by default the
    last seven days up to today. Wrong or too long ranges fall back to the default."""
    monday = today - timedelta(days=today.isoweekday() - 1)
    preset = query.get("period")
    if preset == "week":
        return Period(monday, today)
    if preset == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1))
    if preset == "month":
        return Period(today.replace(day=1), today)
    if preset == "30d":
        return Period(today - timedelta(days=29), today)
    try:
        first = date.fromisoformat(query.get("from", ""))
        last = date.fromisoformat(query.get("to", ""))
    except ValueError:
        return Period(today - timedelta(days=6), today)
    if first > last or (last - first).days >= MAX_DAYS:
        return Period(today - timedelta(days=6), today)
    return Period(first, last)


def _choose(request: web.Request) -> tuple[Office, Scope, list[Scope], Period]:
    office, official = request.app[OFFICE], request[OFFICIAL]
    scopes = scopes_of(office, official)
    key = request.query.get("scope")
    scope = next((s for s in scopes if s.key == key), scopes[0])
    period = read_period(request.query, office.now().date())
    return office, scope, scopes, period


def gather(store: Store, office: Office, scope: Scope, period: Period) -> dict:
    """The figures and the charts' series (runs in a worker thread)."""
    tz, d = office.config.tz, office.directory
    start, end = date_range(period.first, period.last, tz)
    grid_ids = list(scope.grid_ids)
    figures = compute_stats(store, d, office.config.settings, grid_ids=grid_ids, start=start, end=end)
    days = [period.first + timedelta(days=i) for i in range(period.days)]
    bounds = [(local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)) for day in days]
    per_day: dict[str, list[int]] = {}
    for i, intent, n in store.dashboard.received_per_day(grid_ids, INTENTS, bounds):
        per_day.setdefault(intent, [0] * len(days))[i] = n
    rates = store.dashboard.rates_by_grid(grid_ids, INTENTS, start, end)
    return {"figures": figures, "days": days, "per_day": per_day, "rates": rates}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


async def stats_page(request: web.Request) -> web.Response:
    office, scope, scopes, period = _choose(request)
    data = await office.read(lambda store: gather(store, office, scope, period))
    f, rates = data["figures"], data["rates"]
    received = sum(r.received for r in rates)
    rated = sum(r.rated for r in rates)
    summary = {
        "response_rate": _share(sum(r.responded for r in rates), received),
        "resolution_rate": f["resolution_rate"],
        "satisfaction_rate": _share(sum(r.satisfied for r in rates), rated),
        "after_hours_share": _share(f["after_hours_received"], f["received"]),
    }
    grid_names = {g.id: g.name for g in office.directory.grids}
    charts = {
        "days": [f"{d.month}-{d.day}" for d in data["days"]],
        "intents": [
            {"name": labels.intent_label(k), "data": v}
            for k, v in sorted(data["per_day"].items(), key=lambda kv: -sum(kv[1]))
        ],
        "grids": [grid_names.get(r.grid_id, r.grid_id) for r in rates],
        "response": [_pct(_share(r.responded, r.received)) for r in rates],
        "resolution": [_pct(_share(r.resolved, r.received)) for r in rates],
        "satisfaction": [_pct(_share(r.satisfied, r.rated)) for r in rates],
        "after_hours": [f["received"] - f["after_hours_received"], f["after_hours_received"]],
        "speed": {
            "accept": [_hours(f["accept_minutes_median"]), _hours(f["accept_minutes_p90"])],
            "resolve": [_hours(f["resolve_minutes_median"]), _hours(f["resolve_minutes_p90"])],
        },
    }
    return render("stats.html", request, {
        "scope": scope, "scopes": scopes, "period": period, "presets": PRESETS,
        "preset": request.query.get("period", ""),
        "f": f, "summary": summary, "charts": charts,
        "by_intent": [(labels.intent_label(k), n) for k, n in f["received_by_intent"].items()],
        "query": f"scope={quote(scope.key)}&from={period.first}&to={period.last}",
    })


async def stats_csv(request: web.Request) -> web.StreamResponse:
    """The same file as `python -m bot export` (or `--events`) for this scope and period."""
    office, scope, _, period = _choose(request)
    events = request.match_info["what"] == "events"
    tz = office.config.tz
    start, end = date_range(period.first, period.last, tz)

    def write(store: Store) -> BinaryIO:
        out = tempfile.TemporaryFile()
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        write_rows = write_events if events else write_tickets
        write_rows(text, store, office.config, list(scope.grid_ids), start, end)
        text.flush()
        text.detach()
        out.seek(0)
        return out

    data = await office.read(write)
    name = f"{'事件' if events else '工单'}_{scope.name}_{period.first}_{period.last}.csv"
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename=\"export.csv\"; filename*=UTF-8''{quote(name)}",
    })
    await response.prepare(request)
    try:
        while chunk := data.read(CSV_CHUNK):
            await response.write(chunk)
    finally:
        data.close()
    await response.write_eof()
    return response


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/stats", stats_page),
        web.get("/stats/{what:tickets|events}.csv", stats_csv),
    ]
