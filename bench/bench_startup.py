"""Benchmark: process start to ready, and resident memory with jieba loaded.

Starts `python -m bot pipe` on a fresh database (as an operator would start the bot) and
times (wall clock, and the process's own CPU time, which other processes' load does not
inflate): the `{"ready": true}` line (recovery done, transport up), and the ack of a first
report (the classifier, jieba included, has really worked). The sources are compiled to
bytecode first, as an installed bot has them (`make install`; pip does it for what it
installs): this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise have every
start compile them again (0.1 s); `--source` times that. Then a few hundred messages
go through and the process's peak resident memory (VmHWM) is read from /proc. Three
starts; the slowest start counts. Limits: the first message handled within 1.5 s of the
start, memory under 200 MB.

jieba's dictionary and what the bot adds to it are read from files kept in the temp dir
(intents/dictionary.py), made by the first start (or `make install`) and again when the
concept words change: one more start, not counted against the limit, shows such a start
(`words_changed_*`: the dictionary's file there, the added words' not).

    .venv/bin/python bench/bench_startup.py [--source]

Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_READY_S = 1.5
LIMIT_RSS_MB = 200.0
ROOM = "青年路一网格居民群"
PACKAGES = ("bot", "handlers", "intents", "storage")


def config_file(tmp: Path) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^database = .*$", f'database = "{tmp / "s.db"}"', text)
    text = re.sub(r"(?m)^per_room_seconds = .*$", "per_room_seconds = 0", text)
    text = re.sub(r"(?m)^overall_seconds = .*$", "overall_seconds = 0", text)
    path = tmp / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line(i: int, text: str) -> bytes:
    msg = {"message_id": f"s{i}", "room_id": "r1", "room_topic": ROOM, "sender_id": f"u{i % 50}",
           "sender_name": f"居民{i % 50}", "text": text, "time": 1795400000 + i}
    return (json.dumps(msg, ensure_ascii=False) + "\n").encode()


def memory_kb(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return rss, hwm


def one_start(tmp: Path, env: dict | None = None) -> dict:
    config = config_file(tmp)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "pipe", "--config", str(config), "--no-scheduler", "--quiet"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )
    assert proc.stdin and proc.stdout
    ready = first = None
    proc.stdin.write(line(0, "3栋门口井盖又翘起来了，晚上走路容易绊倒"))
    proc.stdin.flush()
    ready_cpu = first_cpu = None
    while first is None:
        out = json.loads(proc.stdout.readline())
        if out.get("ready"):
            ready, ready_cpu = time.perf_counter() - started, cpu_seconds(proc.pid)
        if out.get("ack") == "s0":
            first, first_cpu = time.perf_counter() - started, cpu_seconds(proc.pid)
    texts = ["5号楼电梯坏了", "楼上半夜装修太吵了", "大家早上好", "北门垃圾桶满了没人清", "谢谢网格员"]
    for i in range(1, 300):
        proc.stdin.write(line(i, texts[i % len(texts)] + f" {i}"))
    proc.stdin.flush()
    acks = 1
    while acks < 300:
        if json.loads(proc.stdout.readline()).get("ack"):
            acks += 1
    rss, hwm = memory_kb(proc.pid)
    proc.stdin.close()
    proc.stdout.read()
    code = proc.wait(timeout=60)
    return {"ready_s": ready, "first_message_s": first, "ready_cpu_s": ready_cpu,
            "first_message_cpu_s": first_cpu, "rss_kb": rss, "hwm_kb": hwm, "exit": code}


def cpu_seconds(pid: int) -> float:
    """The CPU time the process has used so far (all its threads): on a shared machine it
    says what the start costs, whatever the other processes make it wait."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compile_sources(compiled: bool) -> None:
    """The project's bytecode written (as `make install` does) or removed."""
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", *PACKAGES], cwd=ROOT, check=True)
        return
    for package in PACKAGES:
        for cached in (ROOT / package).rglob("__pycache__"):
            for pyc in cached.glob("*.pyc"):
                pyc.unlink()


def _words_changed(tmp: Path) -> dict:
    """A start whose temp dir has jieba's dictionary files but not the words the bot adds
    (as after a change of the concept words)."""
    kept = tmp / "temp"
    kept.mkdir()
    for path in Path(tempfile.gettempdir()).glob("gridbot-jieba3-*.dict"):
        shutil.copy(path, kept / path.name)
    return one_start(tmp, {**os.environ, "TMPDIR": str(kept)})


def main(argv: list[str]) -> int:
    compiled = "--source" not in argv
    compile_sources(compiled)
    runs = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_start(Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        words_changed = _words_changed(Path(tmp))
    ready = max(r["ready_s"] for r in runs)
    first = max(r["first_message_s"] for r in runs)
    peak_mb = max(r["hwm_kb"] for r in runs) / 1024
    rss_mb = max(r["rss_kb"] for r in runs) / 1024
    print(json.dumps({
        "benchmark": "startup",
        "starts": len(runs),
        "bytecode": "compiled" if compiled else "compiled at each start",
        "ready_s": round(ready, 3),
        "first_message_handled_s": round(first, 3),
        "ready_cpu_s": round(max(r["ready_cpu_s"] for r in runs), 3),
        "first_message_cpu_s": round(max(r["first_message_cpu_s"] for r in runs), 3),
        "limit_ready_s": LIMIT_READY_S,
        "ratio_ready_to_limit": round(first / LIMIT_READY_S, 3),  # the stricter: first ack
        "rss_mb": round(rss_mb, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "limit_rss_mb": LIMIT_RSS_MB,
        "ratio_rss_to_limit": round(peak_mb / LIMIT_RSS_MB, 3),
        "words_changed_first_message_s": round(words_changed["first_message_s"], 3),
        "words_changed_first_message_cpu_s": round(words_changed["first_message_cpu_s"], 3),
        "ok": first < LIMIT_READY_S and peak_mb < LIMIT_RSS_MB and all(r["exit"] == 0 for r in runs),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
