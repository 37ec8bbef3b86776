"""Benchmark: statistics of one community-week with 1,000,000 tickets in the database.

Builds the database in a temp dir (executemany in one transaction), then times one
`compute_stats` call for one community over one week and prints one JSON line with the
figures and the ratio to the 1 s limit.

    .venv/bin/python bench/bench_stats.py [--tickets 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.directory import Community, Directory, Grid  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from handlers.stats import compute_stats, date_range  # noqa: E402
from storage import Store  # noqa: E402

LIMIT_SECONDS = 1.0
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


def build(store: Store, n: int, seed: int = 7) -> int:
    """n tickets spread over 52 weeks and 32 grids, with their events; returns #events."""
    rng = random.Random(seed)
    start, end = date_range(FIRST_DAY, date(2026, 11, 22), TZ)
    tickets, events = [], []
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
        tickets.append((i, intent, status, urgent, grid_id, community_id, f"room{c}-{g}",
                        "居民", "工作人员", "3号楼", "楼道灯不亮", "楼道灯不亮", created,
                        accepted, resolved, closed, rating, created))
        events += ev
    db = store.db
    # A throwaway file: no WAL, no fsync, a big page cache for the index inserts.
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    with store.transaction():
        db.conn.executemany(
            "INSERT INTO tickets (id, intent, status, urgent, grid_id, community_id, room_topic, "
            "reporter_name, assignee_name, location, text, masked_text, created_at, accepted_at, "
            "resolved_at, closed_at, rating, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tickets,
        )
        db.conn.executemany(
            "INSERT INTO events (ticket_id, kind, at, grid_id, community_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            events,
        )
    db.execute("ANALYZE")
    return len(events)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_stats")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gridbot-bench-") as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "bench.db"
        path.unlink(missing_ok=True)
        began = time.perf_counter()
        store = Store.open(path)
        n_events = build(store, args.tickets)
        store.close()
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
        store.close()
    first = timings[0]
    print(json.dumps({
        "benchmark": "stats_community_week",
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
        "ok": first < LIMIT_SECONDS,
        "at": datetime.now(TZ).isoformat(timespec="seconds"),
    }, ensure_ascii=False))
    return 0 if first < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
