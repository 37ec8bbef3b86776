"""Benchmark: a city of 1,000,000 tickets over a year (8 communities, 32 grids, 4 M events).

Builds the database in a temp dir, then measures, each against its limit:

- one community's week of statistics, on a fresh connection (limit 1 s);
- the whole city over the year, as `python -m bot stats` computes it (limit 5 s), and
  over its last week (a scope's tickets, not the file's, are read: no limit of its own);
- the bot's event loop while an admin's 本月统计 is answered in the chat (the city's
  month) and while the weekly summary of every grid and community is made: the CPU time
  the loop's own thread spent meanwhile (an upper bound of any stall it caused, and not
  inflated by other processes) and the longest late wake-up of a 5 ms ticker (limit
  50 ms for the CPU time; the ticker's idle figure says how busy the machine was);
- `python -m bot tickets --json` over all the tickets and `python -m bot export` of the
  year, as processes: seconds and peak resident memory (limit 200 MB).

The database is measured as the bot keeps it: without SQLite's statistics (the bot never
runs ANALYZE), so the query plans are the bot's own.

Prints one JSON line.

    .venv/bin/python bench/bench_stats.py [--tickets 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import Application  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import Config, OutboxSettings, WechatySettings  # noqa: E402
from bot.transports.memory import MemoryTransport  # noqa: E402
from handlers import summary  # noqa: E402
from handlers.directory import Community, Directory, Grid  # noqa: E402
from handlers.messages import IncomingMessage  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from handlers.stats import compute_stats, date_range  # noqa: E402
from storage import Store  # noqa: E402

LIMIT_SECONDS = 1.0
LIMIT_CITY_YEAR_SECONDS = 5.0
LIMIT_LOOP_SECONDS = 0.05
LIMIT_RSS_MB = 200.0
TICK_SECONDS = 0.005
COMMUNITIES, GRIDS_PER_COMMUNITY, WEEKS = 8, 4, 52
INTENTS = ("repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry")
TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2025, 11, 24)  # a Monday; 52 weeks up to 2026-11-22


def directory() -> Directory:
    communities = tuple(Community(id=f"c{c}", name=f"社区{c}", staff=(f"staff{c}",))
                        for c in range(COMMUNITIES))
    grids = tuple(
        Grid(id=f"c{c}-g{g}", community_id=f"c{c}", name=f"网格{c}-{g}", rooms=(f"room{c}-{g}",),
             workers=(f"w{c}-{g}", f"w{c}-{(g + 1) % GRIDS_PER_COMMUNITY}"))
        for c in range(COMMUNITIES) for g in range(GRIDS_PER_COMMUNITY)
    )
    return Directory(bot_name="bench", admins=(), communities=communities, grids=grids)


def _city(n: int, seed: int) -> Iterator[tuple[tuple, list[tuple]]]:
    """(ticket row, its events) for n tickets spread over 52 weeks and 32 grids."""
    rng = random.Random(seed)
    start, end = date_range(FIRST_DAY, date(2026, 11, 22), TZ)
    for i in range(1, n + 1):
        c, g = rng.randrange(COMMUNITIES), rng.randrange(GRIDS_PER_COMMUNITY)
        grid_id, community_id = f"c{c}-g{g}", f"c{c}"
        created = rng.randrange(start, end)
        intent = rng.choice(INTENTS)
        urgent = int(rng.random() < 0.05)
        accepted = resolved = closed = rating = None
        status = "open"
        ev = [(i, "created", created, grid_id, community_id, intent)]
        if rng.random() < 0.95:
            accepted = created + int(rng.expovariate(1 / 900))
            status = "accepted"
            ev.append((i, "accepted", accepted, grid_id, community_id, None))
            if rng.random() < 0.05:
                ev.append((i, "escalated", accepted - 60, grid_id, community_id, "L1 -> x"))
            if rng.random() < 0.9:
                resolved = accepted + int(rng.expovariate(1 / 20000))
                status = "resolved"
                ev.append((i, "resolved", resolved, grid_id, community_id, None))
                if rng.random() < 0.03:
                    ev.append((i, "reopened", resolved + 600, grid_id, community_id, None))
                if rng.random() < 0.8:
                    closed = resolved + 3600
                    status = "closed"
                    if rng.random() < 0.7:
                        rating = rng.choice((3, 4, 5, 5, 5))
                        ev.append((i, "rated", closed, grid_id, community_id, str(rating)))
                    ev.append((i, "closed", closed, grid_id, community_id, None))
        # The deadline kept while somebody has to act (the windows by the calendar: close
        # enough for reading costs), and whether a turn ended late.
        deadline = {"open": created + 1800, "accepted": (accepted or 0) + 172800}.get(status)
        missed = int((accepted or created) - created > 1800 or (resolved or 0) - (accepted or 0) > 172800)
        yield ((i, intent, status, urgent, grid_id, community_id, f"room{c}-{g}",
                "居民", "工作人员", "3号楼", "楼道灯不亮", "楼道灯不亮", created,
                accepted, resolved, closed, rating, created, deadline, missed), ev)


def build(store: Store, n: int, seed: int = 7, *, analyze: bool = True) -> int:
    """n tickets spread over 52 weeks and 32 grids, with their events; returns #events.
    Written a batch at a time (memory stays small whatever n is)."""
    db = store.db
    # A throwaway file: no WAL, no fsync, a big page cache; the indexes are dropped and
    # built again after the rows are in (a sort each, instead of a million random inserts).
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    found = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('tickets', 'events')"
    ).fetchall()
    for name, _ in found:
        db.execute(f"DROP INDEX {name}")
    n_events = 0
    city = _city(n, seed)
    with store.transaction():
        while batch := list(itertools.islice(city, 20_000)):
            db.conn.executemany(
                "INSERT INTO tickets (id, intent, status, urgent, grid_id, community_id, "
                "room_topic, reporter_name, assignee_name, location, text, masked_text, "
                "created_at, accepted_at, resolved_at, closed_at, rating, updated_at, deadline_at, "
                "missed_deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ticket for ticket, _ in batch],
            )
            events = [e for _, ev in batch for e in ev]
            db.conn.executemany(
                "INSERT INTO events (ticket_id, kind, at, grid_id, community_id, note) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                events,
            )
            n_events += len(events)
    with store.transaction():
        for _, sql in found:
            db.execute(sql)
    if analyze:
        db.execute("ANALYZE")
    return n_events


def without_statistics(path: Path) -> None:
    """SQLite's statistics of a kept database removed, as the bot's file has none."""
    store = Store.open(path)
    if store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        with store.transaction():
            store.db.execute("DELETE FROM sqlite_stat1")
    store.close()


def config_for(path: Path) -> Config:
    d = directory()
    d = Directory(bot_name="bench", admins=("admin",), communities=d.communities, grids=d.grids)
    return Config(
        path=path.parent / "bench.toml", bot_name="bench", timezone="Asia/Shanghai",
        database=path, data_dir=path.parent / "data", transport="console", directory=d,
        settings=Settings(), wechaty=WechatySettings(), outbox=OutboxSettings(0, 0),
    )


def config_toml(path: Path) -> Path:
    """The same city as a config file, for the command-line tools."""
    lines = ['[bot]', 'name = "bench"', 'timezone = "Asia/Shanghai"', f'database = "{path}"',
             'transport = "console"', 'admins = ["admin"]', '']
    d = directory()
    for c in d.communities:
        lines += ["[[communities]]", f'id = "{c.id}"', f'name = "{c.name}"',
                  f"staff = {json.dumps(list(c.staff), ensure_ascii=False)}", ""]
    for g in d.grids:
        lines += ["[[grids]]", f'id = "{g.id}"', f'community = "{g.community_id}"',
                  f'name = "{g.name}"', f"rooms = {json.dumps(list(g.rooms), ensure_ascii=False)}",
                  f"workers = {json.dumps(list(g.workers), ensure_ascii=False)}", ""]
    toml = path.parent / "bench.toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    return toml


class Ticker:
    """Wakes every few milliseconds and keeps the longest delay past its time."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + TICK_SECONDS
            await asyncio.sleep(TICK_SECONDS)
            self.worst = max(self.worst, loop.time() - due)

    def __enter__(self) -> Ticker:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()


class _Unused:
    """Statistics never classify: no need to load the rules."""

    def classify(self, text):
        raise AssertionError("not used")

    def reload(self):
        return None

    def answer(self, text):
        return None


async def watch(action) -> dict:
    """Run `action()` (a coroutine function) twice: alone, for the CPU time the loop's own
    thread spent meanwhile (a ticker would add its own), then with a 5 ms ticker for the
    longest late wake-up."""
    began, cpu = time.perf_counter(), time.thread_time()
    result = await action()
    seconds, cpu = time.perf_counter() - began, time.thread_time() - cpu
    with Ticker() as ticker:
        await action()
        await asyncio.sleep(2 * TICK_SECONDS)  # let the ticker see the end
    return {"seconds": round(seconds, 3), "loop_cpu_ms": round(cpu * 1000, 1),
            "loop_stall_ms": round(ticker.worst * 1000, 1), "answer": result}


async def on_the_loop(path: Path) -> dict:
    """An admin's 本月统计 in the chat, and the weekly summary's tick, with the loop watched."""
    config = config_for(path)
    clock = ManualClock(datetime(2026, 11, 20, 12, 0, tzinfo=TZ))
    transport = MemoryTransport()
    app = Application(config, transport, store=Store.open(path), clock=clock,
                      classifier=_Unused(), faq=_Unused(), scheduler=False, deliver=False)
    await app.start()
    asked = itertools.count(1)

    async def ask() -> bool:
        before = len(app.store.outbox.all())
        await transport.deliver(IncomingMessage(
            message_id=f"bench-ask-{time.time()}-{next(asked)}", room_id=None, room_topic=None,
            sender_id="wx-admin", sender_name="admin", text="本月统计", time=clock.now(),
        ))
        return len(app.store.outbox.all()) == before + 1

    async def post() -> int:
        with app.store.transaction():  # posted again each time (and by a kept database)
            app.store.db.execute("DELETE FROM jobs_done")
        return len(await weekly_posts(app, clock.now()))

    try:
        with Ticker() as idle:
            await asyncio.sleep(1)
        month = await watch(ask)
        clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=TZ))  # Monday 09:00: last week's posts
        week = await watch(post)
    finally:
        await app.stop()
    return {"idle_stall_ms": round(idle.worst * 1000, 1), "chat_month_city": month,
            "weekly_summary": week}


async def weekly_posts(app: Application, now: datetime) -> list:
    """The weekly summary's part of the scheduler's tick (`Application.tick` without the
    SLA sweep, which is another matter): the week's figures read aside, then posted."""
    ctx = app.context(now)
    period = summary.week_due(ctx)
    assert period is not None
    week = await app.read_aside(lambda reading: summary.Week.of(reading, *period), now)
    with app.store.transaction():
        posts = summary.post_due(ctx, week)
        app.queue(posts, cause="timer", now=now)
    return posts


def run_tool(args: list[str]) -> dict:
    """A command-line tool as a process: seconds and its peak resident memory (VmHWM of
    the process itself, read while it runs: the rusage of a child also counts what the
    parent held when it forked)."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_kb = 0
    while proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak_kb = max(peak_kb, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
        except (OSError, AttributeError):  # gone meanwhile
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - began
    error = proc.stderr.read().decode(errors="replace")[-300:] if proc.returncode else ""
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak_kb / 1024, 1),
            "exit": proc.returncode, **({"error": error} if error else {})}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_stats")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    parser.add_argument("--reuse", action="store_true", help="use the database kept before")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gridbot-bench-") as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "bench.db"
        began = time.perf_counter()
        n_events = None
        if not (args.reuse and path.exists()):
            path.unlink(missing_ok=True)
            store = Store.open(path)
            n_events = build(store, args.tickets, analyze=False)
            store.close()
        without_statistics(path)
        build_seconds = time.perf_counter() - began

        store = Store.open(path)  # a fresh connection: nothing cached in it
        dirs, settings = directory(), Settings()
        grid_ids = [g.id for g in dirs.grids_of_community("c3")]
        start, end = date_range(date(2026, 11, 16), date(2026, 11, 22), TZ)
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            stats = compute_stats(store, dirs, settings, grid_ids=grid_ids, start=start, end=end)
            timings.append(time.perf_counter() - t0)
        year_start, year_end = date_range(FIRST_DAY, date(2026, 11, 22), TZ)
        t0, c0 = time.perf_counter(), time.process_time()
        city = compute_stats(store, dirs, settings, grid_ids=None, start=year_start, end=year_end)
        city_seconds, city_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        compute_stats(store, dirs, settings, grid_ids=None, start=start, end=end)
        city_week_seconds, city_week_cpu = time.perf_counter() - t0, time.process_time() - c0
        store.close()

        loop = asyncio.run(on_the_loop(path))
        toml = config_toml(path)
        tickets_json = run_tool(["tickets", "--config", str(toml), "--json"])
        export = run_tool(["export", "--config", str(toml), "--from", FIRST_DAY.isoformat(),
                           "--to", "2026-11-22", "--out", str(folder / "year.csv")])
    first = timings[0]
    loop_cpu = max(loop["chat_month_city"]["loop_cpu_ms"], loop["weekly_summary"]["loop_cpu_ms"])
    rss = max(tickets_json["peak_rss_mb"], export["peak_rss_mb"])
    ok = (
        first < LIMIT_SECONDS and city_seconds < LIMIT_CITY_YEAR_SECONDS
        and loop_cpu < LIMIT_LOOP_SECONDS * 1000 and rss < LIMIT_RSS_MB
        and tickets_json["exit"] == 0 and export["exit"] == 0
    )
    print(json.dumps({
        "benchmark": "stats",
        "tickets": args.tickets,
        "events": n_events,
        "build_seconds": round(build_seconds, 2),
        "community_week": {"community": "c3", "from": "2026-11-16", "to": "2026-11-22",
                           "received": stats["received"], "resolved": stats["resolved"],
                           "accept_minutes_median": stats["accept_minutes_median"],
                           "resolve_minutes_p90": stats["resolve_minutes_p90"],
                           "after_hours_received": stats["after_hours_received"]},
        "stats_seconds_first": round(first, 4),
        "stats_seconds_best": round(min(timings), 4),
        "limit_seconds": LIMIT_SECONDS,
        "ratio_to_limit": round(first / LIMIT_SECONDS, 4),
        "city_year": {"received": city["received"], "resolved": city["resolved"],
                      "after_hours_received": city["after_hours_received"]},
        "city_year_seconds": round(city_seconds, 2),
        "city_year_cpu_seconds": round(city_cpu, 2),
        "city_week_seconds": round(city_week_seconds, 3),
        "city_week_cpu_seconds": round(city_week_cpu, 3),
        "limit_city_year_seconds": LIMIT_CITY_YEAR_SECONDS,
        "ratio_city_year_to_limit": round(city_seconds / LIMIT_CITY_YEAR_SECONDS, 3),
        "loop": loop,
        "loop_cpu_ms_worst": loop_cpu,
        "limit_loop_ms": LIMIT_LOOP_SECONDS * 1000,
        "ratio_loop_to_limit": round(loop_cpu / (LIMIT_LOOP_SECONDS * 1000), 3),
        "tickets_json": tickets_json,
        "export_year": export,
        "peak_rss_mb_worst": rss,
        "limit_rss_mb": LIMIT_RSS_MB,
        "ratio_rss_to_limit": round(rss / LIMIT_RSS_MB, 3),
        "ok": ok,
        "at": datetime.now(TZ).isoformat(timespec="seconds"),
    }, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
