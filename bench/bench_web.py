"""Benchmark: the dashboard on a big database must not stall the bot's event loop.

Builds the database of bench_stats (1,000,000 tickets over a year, 8 communities, 32
grids), serves the dashboard on a loop the way `python -m bot run` does, signs in as the
admin and fetches the heavy pages. For each page: its time, the CPU time the loop's own
thread spent meanwhile (everything the loop did for it: an upper bound of any stall it
caused), and the loop's longest late wake-up seen by a 5 ms ticker. The ticker also runs
once with nothing to serve: on a busy shared machine late wake-ups come from other
processes too, and that idle figure says how much. Prints one JSON line; the ratio is
the worst page's loop CPU time to the 50 ms limit.

The queue is paged: the admin's whole city (≈145,000 unfinished tickets), its second
page and its overdue ones are read against one grid's queue (≈4,500) and against the
full sort of every unfinished ticket the page used to do, all in the same run: a page
should cost about what a grid's costs, whatever the backlog.

The database is measured as the bot keeps it: without SQLite's statistics (the bot never
runs ANALYZE), so the query plans are the bot's own.

    .venv/bin/python bench/bench_web.py [--tickets 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import TZ, build, directory, without_statistics  # noqa: E402

from bot.app import Application  # noqa: E402
from bot.cli.web import NoTransport  # noqa: E402
from bot.config import Config, OutboxSettings, WechatySettings  # noqa: E402
from bot.web import WebServer  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from handlers.signin import new_link  # noqa: E402
from storage import Store  # noqa: E402

STALL_LIMIT_SECONDS = 0.05
TICK_SECONDS = 0.005
PAGES = (
    ("queue_city", "/"),
    ("queue_rows_city", "/queue/rows"),
    ("queue_city_page2", "/?page=2"),
    ("queue_city_overdue", "/?overdue=1"),
    ("queue_grid", "/?grid=c3-g1"),
    ("ticket", "/tickets/100"),
    ("stats_community_week", "/stats?scope=c:c3&from=2026-11-16&to=2026-11-22"),
    ("stats_city_week", "/stats?scope=all&from=2026-11-16&to=2026-11-22"),
    ("stats_community_month", "/stats?scope=c:c3&from=2026-10-23&to=2026-11-22"),
    ("csv_community_month", "/stats/tickets.csv?scope=c:c3&from=2026-10-23&to=2026-11-22"),
    ("open311_requests", "/open311/v2/requests.json?end_date=2026-11-22T00:00:00%2B08:00"),
)


class _Unused:
    """The dashboard's pages never classify; no need to load the rules."""

    def classify(self, text):
        raise AssertionError("not used")

    def reload(self):
        return None

    def answer(self, text):
        return None


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


async def fetch(client: aiohttp.ClientSession, url: str, name: str) -> bytes:
    async with client.get(url) as response:
        body = await response.read()
        assert response.status == 200, (name, response.status)
    return body


# What the queue read before it was paged: every unfinished ticket of the scope with its
# deadline (the latest phase event of each), counted and sorted, then cut to 200 rows.
FULL_SORT = """
WITH q AS (SELECT t.*, COALESCE((SELECT MAX(e.at) FROM events e WHERE e.ticket_id = t.id
    AND e.kind IN ('created', 'transferred', 'returned', 'accepted', 'reopened', 'escalated')),
    t.created_at) AS phase_at FROM tickets t WHERE t.status IN ('open', 'accepted')),
d AS (SELECT *, phase_at + CASE status WHEN 'open' THEN CASE WHEN urgent THEN 600 ELSE 1800 END
    WHEN 'accepted' THEN 172800 END AS deadline FROM q)
SELECT id, COUNT(*) OVER () AS total, SUM(deadline < :now) OVER () AS overdue FROM d
ORDER BY urgent DESC, deadline IS NULL, deadline, id LIMIT 200
"""


def full_sort_seconds(path: Path, now: int) -> float:
    store = Store.open(path, writable=False)
    try:
        began = time.perf_counter()
        store.db.execute(FULL_SORT, {"now": now}).fetchall()
        return time.perf_counter() - began
    finally:
        store.close()


def config_for(path: Path) -> Config:
    d = directory()
    d = type(d)(bot_name=d.bot_name, admins=("admin",), communities=d.communities, grids=d.grids)
    return Config(
        path=path.parent / "bench.toml", bot_name="bench", timezone="Asia/Shanghai",
        database=path, data_dir=path.parent / "data", transport="console", directory=d,
        settings=Settings(), wechaty=WechatySettings(), outbox=OutboxSettings(),
    )


async def measure(path: Path) -> dict:
    config = config_for(path)
    store = Store.open(path)
    app = Application(config, NoTransport(), store=store, classifier=_Unused(), faq=_Unused(),
                      scheduler=False, deliver=False)
    server = WebServer(app, "127.0.0.1", 0)
    base = await server.start()
    with store.transaction():
        link = new_link(store, "admin", at=int(time.time()), web=config.settings.web)
    link = link.replace(config.settings.web.base_url, base)
    results = {}
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            async with client.post(link) as response:
                assert response.status == 200, response.status  # followed to the queue
            await asyncio.sleep(0.1)
            with Ticker() as idle:
                await asyncio.sleep(2)
            results["idle"] = {"loop_stall_ms": round(idle.worst * 1000, 1)}
            for name, url in PAGES:
                # once alone (the loop thread's CPU time is then the page's own), once with
                # the ticker watching for late wake-ups
                began, cpu = time.perf_counter(), time.thread_time()
                body = await fetch(client, base + url, name)
                seconds, cpu = time.perf_counter() - began, time.thread_time() - cpu
                with Ticker() as ticker:
                    await fetch(client, base + url, name)
                    await asyncio.sleep(2 * TICK_SECONDS)  # let the ticker see the end
                results[name] = {"seconds": round(seconds, 3), "bytes": len(body),
                                 "loop_cpu_ms": round(cpu * 1000, 1),
                                 "loop_stall_ms": round(ticker.worst * 1000, 1)}
    finally:
        await server.stop()
        store.close()
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_web")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gridbot-bench-") as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "bench.db"
        if not (args.keep and path.exists()):
            path.unlink(missing_ok=True)
            store = Store.open(path)
            build(store, args.tickets, analyze=False)  # the bot never runs ANALYZE
            store.db.execute("PRAGMA journal_mode=WAL")  # as the bot runs it
            store.close()
        without_statistics(path)  # a kept database built before, too: the bot's own plans
        pages = asyncio.run(measure(path))
        full_sort = full_sort_seconds(path, int(time.time()))
    idle = pages.pop("idle")["loop_stall_ms"]
    worst = max(p["loop_cpu_ms"] for p in pages.values()) / 1000
    print(json.dumps({
        "benchmark": "web_dashboard",
        "tickets": args.tickets,
        "pages": pages,
        "loop_stall_ms_idle": idle,
        "loop_stall_ms_worst": max(p["loop_stall_ms"] for p in pages.values()),
        "queue_full_sort_seconds": round(full_sort, 3),
        "queue_city_to_full_sort": round(pages["queue_city"]["seconds"] / full_sort, 3),
        "queue_city_to_grid": round(pages["queue_city"]["seconds"] / pages["queue_grid"]["seconds"], 2),
        "loop_cpu_ms_worst": round(worst * 1000, 1),
        "limit_ms": STALL_LIMIT_SECONDS * 1000,
        "ratio_to_limit": round(worst / STALL_LIMIT_SECONDS, 3),
        "ok": worst <= STALL_LIMIT_SECONDS,
        "at": datetime.now(TZ).isoformat(timespec="seconds"),
    }, ensure_ascii=False))
    return 0 if worst <= STALL_LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
