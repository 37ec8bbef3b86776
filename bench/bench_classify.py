"""Benchmark: classify() against bare jieba.lcut on the same messages, in one run.

Prints one JSON line: classify msgs/s, jieba.lcut msgs/s, their ratio (target >= 0.7)
and the classifier's start-up time (target < 1.5 s with jieba's cache warm).
Run from the repo root: python bench/bench_classify.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_FILES = [
    Path("/work/shared/data/messages_dev.jsonl"),
    ROOT / "corpus" / "extra.jsonl",
]


def load_texts() -> list[str]:
    texts: list[str] = []
    for path in DATA_FILES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.append(json.loads(line)["text"])
    if not texts:  # still runnable without the data files
        texts = ["3栋门口井盖又翘起来了", "谢谢小马 井盖修好了👍", "早上好🌞",
                 "闻到很重的煤气味 整个三单元楼道都是", "请问养老资格认证在哪办"]
    return texts


def rate(fn, texts: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            fn(text)
    return rounds * len(texts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # warms jieba's cache file so both sides start equal

    started = time.perf_counter()
    from intents import Classifier

    classifier = Classifier.load()
    load_s = time.perf_counter() - started
    classifier.wait_ready()  # jieba loads in the background; count it too
    startup = time.perf_counter() - started

    texts = load_texts()
    jieba.lcut(texts[0])
    classifier.classify(texts[0])
    # Interleave the two measurements so machine noise hits both alike.
    jieba_rates, classify_rates = [], []
    for _ in range(3):
        jieba_rates.append(rate(jieba.lcut, texts, args.rounds))
        classify_rates.append(rate(classifier.classify, texts, args.rounds))
    jieba_rate = max(jieba_rates)
    classify_rate = max(classify_rates)
    print(json.dumps({
        "messages": len(texts),
        "rounds": args.rounds,
        "classify_msgs_per_s": round(classify_rate, 1),
        "jieba_lcut_msgs_per_s": round(jieba_rate, 1),
        "ratio": round(classify_rate / jieba_rate, 3),
        "startup_s": round(startup, 3),  # Classifier.load() until jieba is ready
        "load_returns_s": round(load_s, 3),  # when Classifier.load() returns
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
