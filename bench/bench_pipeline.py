"""Benchmark: 10,000 messages through the whole app (fake transport, SQLite WAL on disk).

The messages mix the labelled dev set with group chatter, from 600 residents and the
grids' workers in four rooms, one a second of chat time (a busy afternoon: 2.8 hours).
Each is delivered the way a transport delivers it; latency is from receipt to the
committed outbox row (the inbox write, routing, the ticket change and the replies, all
committed). The floor of the work is bare `classify()` on the same texts, timed in the
same run; the figure that matters is the ratio (aim: at least 0.5).

    .venv/bin/python bench/bench_pipeline.py [--messages 10000]

Prints one JSON line.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import Application  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import OutboxSettings, load_config  # noqa: E402
from bot.router import CLASSIFY_CHARS  # noqa: E402
from bot.transports.memory import MemoryTransport  # noqa: E402
from handlers.messages import IncomingMessage  # noqa: E402
from storage import Store  # noqa: E402

DEV_SET = Path("/work/shared/data/messages_dev.jsonl")
TZ = ZoneInfo("Asia/Shanghai")
AIM_RATIO = 0.5
ROOMS = {
    "青年路一网格居民群": ("马建民", "wxid_majianmin"),
    "青年路二网格居民群": ("孙丽", "wx-孙丽"),
    "滨河花园一网格群": ("李强", "wx-李强"),
    "滨河新村二网格群": ("王秀英", "wx-王秀英"),
}
CHATTER = [
    "大家早上好", "今天天气真不错", "哈哈哈", "👍👍", "谢谢分享", "晚上广场舞几点开始？", "[图片]",
    "好的", "有人知道快递站几点关门吗", "今天菜市场的青菜很新鲜", "恭喜恭喜", "周末带孩子去公园了",
    "😂😂😂", "明天降温，大家注意添衣", "楼下的桂花开了，好香", "谁家的猫跑丢了？橘色的",
    "团购的水果到了，在北门自取", "孩子作业太难了，谁会这道数学题", "今晚有球赛吗", "早点休息，晚安",
]


def dev_texts() -> list[str]:
    if not DEV_SET.exists():
        return ["3栋门口井盖又翘起来了", "5号楼电梯坏了", "楼上半夜装修太吵了", "楼道里有人给电动车充电"]
    return [json.loads(line)["text"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line]


def stream(n: int, start: datetime, seed: int = 11) -> list[IncomingMessage]:
    rng = random.Random(seed)
    reports = dev_texts()
    messages = []
    for i in range(n):
        room = rng.choice(list(ROOMS))
        roll = rng.random()
        sender_id, name = f"wx-r{rng.randrange(600)}", f"居民{rng.randrange(600)}"
        if roll < 0.35:
            text = rng.choice(reports)
        elif roll < 0.90:
            text = rng.choice(CHATTER)
        elif roll < 0.96:
            name, sender_id = ROOMS[room]
            text = rng.choice(["收到", "好的", "已处理", f"接单 {rng.randint(1, i // 5 + 1)}"])
        else:
            text = rng.choice([f"查询 {rng.randint(1, i // 5 + 1)}", "我的工单", "满意"])
        messages.append(IncomingMessage(
            message_id=f"b{i:06d}", room_id=f"room-{room}", room_topic=room, sender_id=sender_id,
            sender_name=name, text=text, time=start + timedelta(seconds=i),
        ))
    return messages


async def run_pipeline(messages: list[IncomingMessage], db: Path, classifier) -> tuple[float, list[float], dict]:
    config = load_config(ROOT / "config.example.toml")
    config = replace(config, database=db, outbox=OutboxSettings(per_room_seconds=0, overall_seconds=0))
    clock = ManualClock(messages[0].time)
    transport = MemoryTransport()
    app = Application(config, transport, store=Store.open(db), clock=clock, classifier=classifier, scheduler=False)
    app.recover()
    await transport.start(app.on_message)  # no outbox loop: this measures the way in
    latencies = []
    started = time.perf_counter()
    for msg in messages:
        clock.set(msg.time)
        t0 = time.perf_counter()
        await transport.deliver(msg)  # returns once the outbox rows are committed
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    db_ = app.store.db
    counts = {
        "inbox": app.store.inbox.count(),
        "tickets": db_.execute("SELECT COUNT(*) FROM tickets").fetchone()[0],
        "outbox_rows": db_.execute("SELECT COUNT(*) FROM outbox").fetchone()[0],
        "errors": db_.execute("SELECT COUNT(*) FROM inbox WHERE status = 'error'").fetchone()[0],
        "journal_mode": db_.execute("PRAGMA journal_mode").fetchone()[0],
    }
    await app.stop()
    return elapsed, latencies, counts


def run_classify(texts: list[str], classifier) -> float:
    started = time.perf_counter()
    for text in texts:
        classifier.classify(text[:CLASSIFY_CHARS])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    from intents import Classifier

    classifier = Classifier.load()
    if hasattr(classifier, "wait_ready"):
        classifier.wait_ready()
    start = datetime(2026, 11, 23, 13, 0, tzinfo=TZ)
    messages = stream(args.messages, start)
    texts = [m.text for m in messages]
    run_classify(texts[:200], classifier)  # warm up
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, latencies, counts = asyncio.run(run_pipeline(messages, Path(tmp) / "bench.db", classifier))
    classify_s = min(run_classify(texts, classifier) for _ in range(2))
    rate = len(messages) / elapsed
    floor = len(messages) / classify_s
    q = statistics.quantiles(latencies, n=100)
    ratio = rate / floor
    print(json.dumps({
        "benchmark": "pipeline",
        "messages": len(messages),
        **counts,
        "msgs_per_s": round(rate, 1),
        "latency_p50_ms": round(q[49] * 1000, 3),
        "latency_p99_ms": round(q[98] * 1000, 3),
        "latency_max_ms": round(max(latencies) * 1000, 3),
        "classify_msgs_per_s": round(floor, 1),
        "ratio_to_classify": round(ratio, 3),
        "aim_ratio": AIM_RATIO,
        "ok": ratio >= AIM_RATIO and counts["errors"] == 0 and counts["inbox"] == len(messages),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
