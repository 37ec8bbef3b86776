"""Benchmark: what one message costs does not grow with the tickets piled up.

The same 2,000 messages of the pipeline benchmark (reports, chatter, workers' replies and
commands in four rooms) go through the whole app on a fresh database and on one holding
50,000 open tickets (with their reporters, timelines and messages) in the same grids.
The figure is the process CPU time per message (other processes' load does not count),
best of three alternating runs each; the limit: at most 1.2x the empty database's.

    .venv/bin/python bench/bench_scale.py [--messages 2000] [--open 50000]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import TZ, stream  # noqa: E402
from piles import pile_up  # noqa: E402

from bot.app import Application  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import OutboxSettings, load_config  # noqa: E402
from bot.transports.memory import MemoryTransport  # noqa: E402
from storage import Store  # noqa: E402

LIMIT_RATIO = 1.2
START = datetime(2026, 11, 23, 13, 0, tzinfo=TZ)


def make_db(path: Path, open_tickets: int) -> None:
    config = load_config(ROOT / "config.example.toml")
    store = Store.open(path)
    if open_tickets:
        grids = [(g.id, g.community_id, g.rooms[0]) for g in config.directory.grids]
        pile_up(store, grids=grids, now=int(START.timestamp()), open_tickets=open_tickets,
                closed_tickets=0)
    store.close()


async def cpu_per_message(db: Path, messages, classifier) -> float:
    config = load_config(ROOT / "config.example.toml")
    config = replace(config, database=db, outbox=OutboxSettings(0, 0))
    clock = ManualClock(messages[0].time)
    transport = MemoryTransport()
    app = Application(config, transport, store=Store.open(db), clock=clock,
                      classifier=classifier, scheduler=False, deliver=False)
    await app.start()
    began = time.process_time()
    for msg in messages:
        clock.set(msg.time)
        await transport.deliver(msg)
    cpu = time.process_time() - began
    await app.stop()
    return cpu / len(messages)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--open", type=int, default=50_000)
    args = parser.parse_args()
    from intents import Classifier

    classifier = Classifier.load()
    classifier.wait_ready()
    messages = stream(args.messages, START)
    for m in messages[:200]:
        classifier.classify(m.text)  # warm up
    costs: dict[str, list[float]] = {"empty": [], "piled": []}
    with tempfile.TemporaryDirectory(prefix="gridbot-scale-") as tmp:
        template = {"empty": Path(tmp) / "empty.db", "piled": Path(tmp) / "piled.db"}
        began = time.perf_counter()
        make_db(template["empty"], 0)
        make_db(template["piled"], args.open)
        build_seconds = time.perf_counter() - began
        for run in range(3):
            for side in ("empty", "piled"):  # alternating, so noise hits both alike
                db = Path(tmp) / f"{side}-{run}.db"
                db.write_bytes(template[side].read_bytes())
                costs[side].append(asyncio.run(cpu_per_message(db, messages, classifier)))
                db.unlink()
    empty, piled = min(costs["empty"]), min(costs["piled"])
    ratio = piled / empty
    print(json.dumps({
        "benchmark": "scale",
        "messages": args.messages,
        "open_tickets": args.open,
        "build_seconds": round(build_seconds, 1),
        "cpu_us_per_message_empty": round(empty * 1e6, 1),
        "cpu_us_per_message_piled": round(piled * 1e6, 1),
        "runs_us_empty": [round(c * 1e6) for c in costs["empty"]],
        "runs_us_piled": [round(c * 1e6) for c in costs["piled"]],
        "limit_ratio": LIMIT_RATIO,
        "ratio_piled_to_empty": round(ratio, 3),
        "ok": ratio <= LIMIT_RATIO,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
