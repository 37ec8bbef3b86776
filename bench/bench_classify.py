"""Benchmark: classify() against bare jieba.lcut on the same messages, in one run.

Prints one JSON line: classify msgs/s, jieba.lcut msgs/s and their ratio (target >= 0.5:
a classification costs at most two jieba cuts); the classifier's start-up (rules and
weights read, jieba's dictionary cache loaded) against 1.5 s; the resident memory of this
process with the classifier loaded against 150 MB; and the slowest of a set of
100,000-character adversarial messages (long runs of digits, letters, repeats) against a
normal message (target <= 20x).
Run from the repo root: python bench/bench_classify.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_FILES = [
    ROOT / "corpus" / "dev.jsonl",
    ROOT / "corpus" / "extra.jsonl",
]
ADVERSARIAL = ["7", "3栋", "b2-", "号楼", "a", "1-2-", "那家", " 3", "12:", "门口", "不", "了",
               "，", "\n", "「", "一二三", "3栋2单元"]
LIMIT_RATIO = 0.5
LIMIT_STARTUP_S = 1.5
LIMIT_RSS_MB = 150.0
LIMIT_ADVERSARIAL = 20.0


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


def best_time(fn, text: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return min(times)


CHILD = """
import json, re, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from intents import Classifier
clf = Classifier.load()
clf.wait_ready()
clf.classify("3栋门口井盖又翘起来了 晚上走路容易绊倒")
ready = time.perf_counter() - started
for line in open(sys.argv[2], encoding="utf-8"):
    clf.classify(json.loads(line)["text"])
status = open("/proc/self/status").read()  # VmHWM: this process's peak (not the parent's)
print(json.dumps({"ready_s": ready,
                  "rss_mb": int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024}))
"""


def fresh_process() -> dict:
    """A new Python that imports the classifier, loads it (jieba's cache warm) and
    classifies: its start-up to the first classification and its peak memory."""
    import subprocess

    runs = []
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(DATA_FILES[0])],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"ready_s": max(r["ready_s"] for r in runs), "rss_mb": max(r["rss_mb"] for r in runs)}


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

    normal = statistics.median(best_time(classifier.classify, t) for t in texts[:200])
    worst = max(best_time(classifier.classify, (p * 100_000)[:100_000], 3) for p in ADVERSARIAL)
    child = fresh_process()
    rss_mb = child["rss_mb"]
    ratio = classify_rate / jieba_rate
    print(json.dumps({
        "messages": len(texts),
        "rounds": args.rounds,
        "classify_msgs_per_s": round(classify_rate, 1),
        "jieba_lcut_msgs_per_s": round(jieba_rate, 1),
        "ratio": round(ratio, 3),  # floor LIMIT_RATIO
        "startup_s": round(child["ready_s"], 3),  # a new process: imports to first classify
        "in_process_startup_s": round(startup, 3),  # Classifier.load() until jieba is ready
        "load_returns_s": round(load_s, 3),  # when Classifier.load() returns
        "peak_rss_mb": round(rss_mb, 1),  # that new process after the dev set
        "adversarial_100k_vs_normal": round(worst / normal, 1),
        "ok": (ratio >= LIMIT_RATIO and child["ready_s"] < LIMIT_STARTUP_S and rss_mb < LIMIT_RSS_MB
               and worst / normal <= LIMIT_ADVERSARIAL),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
