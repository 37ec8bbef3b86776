"""Benchmark: the timers and 待办 with 20,000 open tickets (and 100,000 closed ones).

- idle sweep: a round of the timers a minute after the last, nothing due (aim < 20 ms);
- catch-up: the bot was down for a day and every open ticket is overdue: the round's
  time, its longest transaction (the event loop is free between them; aim < 50 ms), and
  how many messages it queued (aim: one per person, not one per ticket);
- urgent acknowledgement: a fire reported while 200 answers for other rooms wait in the
  outbox, with the shipped pacing (per room 1.5 s, overall 0.5 s, simulated): its place
  in the sending order (aim: first) and when it went out;
- 待办: the first page for the community staff (20,000 open tickets in their charge) and a
  grid worker (5,000) (aim < 20 ms).

The database is measured as the bot keeps it: without SQLite's statistics (the bot never
runs ANALYZE), so the query plans are the bot's own.

Prints one JSON line.

    .venv/bin/python bench/bench_timers.py [--open 20000] [--closed 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import Application  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import Config, OutboxSettings, WechatySettings  # noqa: E402
from bot.outbox import OutboxSender  # noqa: E402
from bot.transports.memory import MemoryTransport  # noqa: E402
from handlers import worker  # noqa: E402
from handlers.directory import Community, Directory, Grid  # noqa: E402
from handlers.messages import IncomingMessage  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from storage import Store  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
IDLE_LIMIT, BLOCK_LIMIT, LIST_LIMIT = 0.020, 0.050, 0.020
COMMUNITIES, GRIDS = 8, 4
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
INTENTS = ("repair", "sanitation", "dispute", "safety", "errand", "wish", "inquiry")


def directory() -> Directory:
    communities = tuple(Community(id=f"c{c}", name=f"社区{c}", staff=(f"staff{c}a", f"staff{c}b"),
                                  admin_room=None) for c in range(COMMUNITIES))
    grids = tuple(
        Grid(id=f"c{c}-g{g}", community_id=f"c{c}", name=f"网格{c}-{g}", rooms=(f"room{c}-{g}",),
             workers=(f"w{c}-{g}", f"w{c}-{(g + 1) % GRIDS}"))
        for c in range(COMMUNITIES) for g in range(GRIDS)
    )
    return Directory(bot_name="网格小助手", admins=("admin",), communities=communities, grids=grids)


def config(path: Path) -> Config:
    return Config(
        path=path, bot_name="网格小助手", timezone="Asia/Shanghai", database=path,
        data_dir=path.parent / "data", transport="console", directory=directory(),
        settings=Settings(), wechaty=WechatySettings(), outbox=OutboxSettings(),
    )


def build(store: Store, n_open: int, n_closed: int, created: tuple[datetime, datetime],
          due: str, urgent_share: float = 0.03) -> None:
    """Open tickets in community c0 (its four grids), created in `created`, each due for
    the timers at its creation (`due="created"`, as a new ticket) or at its accept deadline
    (`due="deadline"`, as a sweep before the downtime left it); closed ones everywhere."""
    rng = random.Random(11)
    a, b = (int(x.timestamp()) for x in created)
    tickets, events = [], []
    for i in range(1, n_open + n_closed + 1):
        is_open = i <= n_open
        c, g = (0 if is_open else rng.randrange(COMMUNITIES)), rng.randrange(GRIDS)
        at = rng.randrange(a, b) if is_open else rng.randrange(a - 300 * 86400, a - 86400)
        status = "open" if is_open else "closed"
        due_at = (at if due == "created" else at + 1800) if is_open else None
        tickets.append((i, rng.choice(INTENTS), status, int(rng.random() < urgent_share), f"c{c}-g{g}",
                        f"c{c}", f"room{c}-{g}", f"room{c}-{g}", f"wx-r{i}", f"居民{i}", f"w{c}-{g}",
                        "3号楼", "楼道灯不亮了，晚上看不见路", "楼道灯不亮了，晚上看不见路", at,
                        None if is_open else at + 3600, at, due_at, at + 1800 if is_open else None))
        events.append((i, "created", at, f"c{c}-g{g}", f"c{c}"))
    db = store.db
    db.execute("PRAGMA synchronous=OFF")
    with store.transaction():
        db.conn.executemany(
            "INSERT INTO tickets (id, intent, status, urgent, grid_id, community_id, room_id, "
            "room_topic, reporter_id, reporter_name, assignee_name, location, text, masked_text, "
            "created_at, closed_at, updated_at, due_at, deadline_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tickets,
        )
        db.conn.executemany(
            "INSERT INTO events (ticket_id, kind, at, grid_id, community_id) VALUES (?, ?, ?, ?, ?)",
            events,
        )
    db.execute("PRAGMA synchronous=NORMAL")  # no ANALYZE: the bot never runs it


def timed_round(app: Application, now: datetime) -> tuple[float, float, float, int]:
    """(seconds, longest part in seconds of the thread's CPU time and of the wall clock,
    parts): the round as the scheduler runs it, the loop free between its parts (each a
    transaction). On a shared machine the wall clock also counts other processes' turns
    and the disk; the CPU time is what the bot itself holds the loop for."""
    parts, cpu, wall, began = 0, 0.0, 0.0, time.perf_counter()
    rounds = app._round(now, None)
    while True:
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            next(rounds)
        except StopIteration:
            break
        cpu = max(cpu, time.thread_time() - c0)
        wall = max(wall, time.perf_counter() - t0)
        parts += 1
    return time.perf_counter() - began, cpu, wall, parts


def app_on(path: Path, now: datetime) -> Application:
    return Application(config(path), MemoryTransport(), store=Store.open(path),
                       clock=ManualClock(now), classifier=object(), faq=object(),  # type: ignore[arg-type]
                       scheduler=False, deliver=False)


def idle_and_todo(folder: Path, n_open: int, n_closed: int) -> dict:
    path = folder / "idle.db"
    now = MONDAY + timedelta(days=1)  # Tuesday 09:00
    store = Store.open(path)
    # nothing urgent: in the ten minutes measured nothing is due (accept windows: 30 minutes)
    build(store, n_open, n_closed, (now - timedelta(minutes=5), now), due="created", urgent_share=0)
    store.close()
    app = app_on(path, now)
    first, first_block, _, _ = timed_round(app, now)  # looks at each new ticket once
    idle = [timed_round(app, now + timedelta(minutes=m))[0] for m in range(1, 21)]
    todo = {}
    for who in ("staff0a", "w0-0"):
        identity = app.config.directory.identify(f"wx-{who}", who)
        msg = IncomingMessage(message_id=f"m-{who}", room_id=None, room_topic=None,
                              sender_id=f"wx-{who}", sender_name=who, text="待办", time=now)
        runs = []
        for page in (1, 1, 1, 2, 50):
            t0 = time.perf_counter()
            [out] = worker.todo(app.context(now), msg, identity, page)
            runs.append(time.perf_counter() - t0)
        todo[who] = {"first_page_seconds": round(runs[0], 4), "best_seconds": round(min(runs), 4),
                     "page_50_seconds": round(runs[-1], 4), "head": out.text.splitlines()[0]}
    app.store.close()
    return {"first_round_seconds": round(first, 3), "first_round_longest_block": round(first_block, 4),
            "idle_sweep_seconds_median": round(statistics.median(idle), 4),
            "idle_sweep_seconds_max": round(max(idle), 4), "todo": todo}


def catch_up(folder: Path, n_open: int, n_closed: int) -> dict:
    path = folder / "catchup.db"
    store = Store.open(path)
    build(store, n_open, n_closed, (MONDAY, MONDAY + timedelta(hours=1)), due="deadline")
    store.close()
    back = MONDAY + timedelta(days=1, hours=1)  # down until Tuesday 10:00
    app = app_on(path, back)
    app.checkpoints.start()  # as the running bot does: the WAL copied on a thread of its own
    seconds, longest, longest_wall, parts = timed_round(app, back)
    app.checkpoints.stop()
    queued = app.store.outbox.pending_count()
    people = len({row.to_name for row in app.store.outbox.all()})
    again = timed_round(app, back + timedelta(minutes=1))[0]
    app.store.close()
    return {"seconds": round(seconds, 3), "longest_block_seconds": round(longest, 4),
            "longest_block_wall_seconds": round(longest_wall, 4),
            "transactions": parts, "checkpoints": app.checkpoints.done,
            "messages_queued": queued, "people_told": people,
            "next_minute_seconds": round(again, 4)}


async def urgent_latency(folder: Path, queued: int) -> dict:
    from intents import Classifier, FaqBook

    path = folder / "urgent.db"
    cfg = config(path)
    clock = ManualClock(MONDAY)
    transport = MemoryTransport()
    transport.connected = True
    app = Application(cfg, transport, store=Store.open(path), clock=clock,
                      classifier=Classifier.load(), faq=FaqBook.load(), scheduler=False, deliver=False)
    fake = {"now": 0.0}

    async def sleep(seconds: float) -> None:
        fake["now"] += seconds

    app.outbox = OutboxSender(app.store, transport, clock, replace(cfg.outbox), sleep=sleep,
                              monotonic=lambda: fake["now"])
    with app.store.transaction():
        for i in range(queued):
            app.store.outbox.add(text=f"常见问题的回答 {i}", room_id=f"room{1 + i % 7}-0",
                                 room_topic=f"room{1 + i % 7}-0", to_id=None, to_name=None,
                                 mentions=[], cause="faq", at=int(MONDAY.timestamp()))
    app.receive(IncomingMessage(message_id="fire", room_id="room0-0", room_topic="room0-0",
                                sender_id="wx-lao", sender_name="老周", text="快来人 2单元楼道里着火了 好大的烟",
                                time=MONDAY))
    sent_at: dict[str, float] = {}
    original = transport.send

    async def send(message):
        await original(message)
        sent_at.setdefault(message.text, fake["now"])

    transport.send = send
    await app.outbox.deliver_due()
    order = [m.text for m in transport.sent]
    first_urgent = next(i for i, text in enumerate(order) if "119" in text)
    app.store.close()
    return {"queued_before": queued, "urgent_ack_position": first_urgent + 1,
            "urgent_ack_sent_after_seconds": round(sent_at[order[first_urgent]], 2),
            "all_sent_after_seconds": round(fake["now"], 1),
            "fifo_would_wait_seconds": round(queued * cfg.outbox.overall_seconds, 1)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_timers")
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--closed", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gridbot-bench-") as tmp:
        folder = Path(tmp)
        idle = idle_and_todo(folder, args.open, args.closed)
        late = catch_up(folder, args.open, args.closed)
        urgent = asyncio.run(urgent_latency(folder, 200))
    todo_first = max(v["first_page_seconds"] for v in idle["todo"].values())
    people = COMMUNITIES * 0 + 2 * GRIDS + 2 + 1  # c0's workers, its staff, the admin: at most
    figures = {
        "benchmark": "timers",
        "open_tickets": args.open, "closed_tickets": args.closed,
        "idle_sweep_seconds": idle["idle_sweep_seconds_median"],
        "idle_sweep_seconds_max": idle["idle_sweep_seconds_max"],
        "idle_ratio_to_20ms": round(idle["idle_sweep_seconds_max"] / IDLE_LIMIT, 3),
        "first_look_at_new_tickets_seconds": idle["first_round_seconds"],
        "catch_up_seconds": late["seconds"],
        "catch_up_longest_block_seconds": late["longest_block_seconds"],
        "catch_up_longest_block_wall_seconds": late["longest_block_wall_seconds"],
        "catch_up_block_ratio_to_50ms": round(late["longest_block_seconds"] / BLOCK_LIMIT, 3),
        "catch_up_transactions": late["transactions"],
        "catch_up_checkpoints": late["checkpoints"],
        "catch_up_messages_queued": late["messages_queued"],
        "catch_up_people_told": late["people_told"],
        "urgent_ack_position": urgent["urgent_ack_position"],
        "urgent_ack_sent_after_seconds": urgent["urgent_ack_sent_after_seconds"],
        "urgent_fifo_would_wait_seconds": urgent["fifo_would_wait_seconds"],
        "todo_staff_20000_seconds": idle["todo"]["staff0a"]["first_page_seconds"],
        "todo_worker_seconds": idle["todo"]["w0-0"]["first_page_seconds"],
        "todo_ratio_to_20ms": round(todo_first / LIST_LIMIT, 3),
        "details": {"idle": idle, "catch_up": late, "urgent": urgent},
        "ok": idle["idle_sweep_seconds_max"] < IDLE_LIMIT and late["longest_block_seconds"] < BLOCK_LIMIT
        and late["messages_queued"] <= people and urgent["urgent_ack_position"] == 1
        and todo_first < LIST_LIMIT,
        "at": datetime.now(TZ).isoformat(timespec="seconds"),
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
