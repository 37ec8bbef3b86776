"""Benchmark: no message stalls the bot. Each of a set of hostile 100,000-character
messages (long runs of digits, letters, one character, a place word, an amount, emoji,
punctuation, mixed) is classified, and received through the whole app (stored, routed,
answered), and timed against a normal message measured in the same run (the median of
the labelled dev set). Limit: 20x a normal message, for the worst of them.

    .venv/bin/python bench/bench_adversarial.py

Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import TZ, dev_texts  # noqa: E402

from bot.app import Application  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import OutboxSettings, load_config  # noqa: E402
from bot.transports.memory import MemoryTransport  # noqa: E402
from handlers.messages import IncomingMessage  # noqa: E402
from storage import Store  # noqa: E402

LIMIT_RATIO = 20.0
LENGTH = 100_000
ROOM = "青年路一网格居民群"


def hostile() -> dict[str, str]:
    def fill(piece: str) -> str:
        return (piece * (LENGTH // len(piece) + 1))[:LENGTH]

    return {
        "digits": fill("1"),
        "digit_cycle": fill("1234567890"),
        "digits_then_yuan": fill("9")[:-1] + "元",
        "digits_then_building": fill("8")[:-3] + "号楼",
        "chinese_digits": fill("一二三四五六七八九十"),
        "letters": fill("a"),
        "letters_digits": fill("a1"),
        "one_hanzi": fill("楼"),
        "place_words": fill("3号楼"),
        "report_repeated": fill("3栋门口井盖又翘起来了，"),
        "negations": fill("不是没有"),
        "emoji": fill("😀"),
        "punctuation": fill("！？。，"),
        "spaces": fill(" \n"),
        "phone_like": fill("138"),
    }


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


async def through_the_app(texts: dict[str, str], normal: list[str], classifier) -> dict:
    """Seconds to receive each message in the app (the median for the normal ones)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = replace(load_config(ROOT / "config.example.toml"),
                         database=Path(tmp) / "a.db", outbox=OutboxSettings(0, 0))
        clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ))
        transport = MemoryTransport()
        app = Application(config, transport, store=Store.open(config.database), clock=clock,
                          classifier=classifier, scheduler=False, deliver=False)
        await app.start()
        n = 0

        async def say(text: str, sender: str) -> float:
            nonlocal n
            n += 1
            clock.advance(timedelta(minutes=5))  # no flood limits in the way
            msg = IncomingMessage(
                message_id=f"a{n}", room_id=f"room-{ROOM}", room_topic=ROOM,
                sender_id=f"wx-{sender}", sender_name=sender, text=text, time=clock.now(),
            )
            began = time.perf_counter()
            await transport.deliver(msg)
            return time.perf_counter() - began

        normal_s = statistics.median([await say(t, f"n{i % 50}") for i, t in enumerate(normal)])
        found = {name: await say(text, f"h{name}") for name, text in texts.items()}
        await app.stop()
    return {"normal": normal_s, **found}


def main() -> int:
    from intents import Classifier

    classifier = Classifier.load()
    classifier.wait_ready()
    normal = dev_texts()[:300]
    for text in normal:
        classifier.classify(text)  # warm up
    per_normal = statistics.median(best_of(3, lambda t=t: classifier.classify(t)) for t in normal)
    texts = hostile()
    classify_s = {name: best_of(2, lambda t=t: classifier.classify(t)) for name, t in texts.items()}
    app_s = asyncio.run(through_the_app(texts, normal, classifier))
    app_normal = app_s.pop("normal")
    worst_classify = max(classify_s, key=classify_s.get)
    worst_app = max(app_s, key=app_s.get)
    ratio_classify = classify_s[worst_classify] / per_normal
    ratio_app = app_s[worst_app] / app_normal
    print(json.dumps({
        "benchmark": "adversarial",
        "length": LENGTH,
        "normal_classify_ms": round(per_normal * 1000, 3),
        "classify_ms": {k: round(v * 1000, 2) for k, v in classify_s.items()},
        "worst_classify": worst_classify,
        "ratio_classify_to_normal": round(ratio_classify, 1),
        "normal_receive_ms": round(app_normal * 1000, 3),
        "receive_ms": {k: round(v * 1000, 2) for k, v in app_s.items()},
        "worst_receive": worst_app,
        "ratio_receive_to_normal": round(ratio_app, 1),
        "limit_ratio": LIMIT_RATIO,
        "ok": ratio_classify <= LIMIT_RATIO and ratio_app <= LIMIT_RATIO,
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
