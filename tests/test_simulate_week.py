"""A user plays a week in the simulator: a Saturday-night report wakes nobody (the backup
worker, reading the group, takes it anyway and gets it done), and Monday 09:00 brings
the weekly summary to every room, once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config.example.toml"
ROOM = "青年路一网格居民群"

SCRIPT = """\
# Saturday night: a resident reports; the worker in charge is asleep
/clock 2026-11-21 22:40
[青年路一网格居民群] 张阿姨: 3栋门口井盖又翘起来了，晚上走路容易绊倒
/advance 3h
# 01:40: nobody was woken; the backup worker, up late and reading the group, takes it
[青年路一网格居民群] 孙丽: 接单 1
/advance 30m
[青年路一网格居民群] 孙丽: 完成 1 已固定井盖
[青年路一网格居民群] 张阿姨: 满意
[青年路一网格居民群] 孙丽: 本周统计
# let the rest of the weekend pass, across Monday 09:00
/clock 2026-11-23 10:00
"""


def play(tmp_path: Path, script: str) -> list[dict]:
    path = tmp_path / "week.txt"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "simulate", "--config", str(CONFIG), "--db",
         str(tmp_path / "sim.db"), "--script", str(path), "--json", "--start", "2026-11-21T22:00"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def minute(line: dict) -> str:
    return line["time"][11:16]


def test_a_week_in_the_simulator(tmp_path: Path) -> None:
    lines = play(tmp_path, SCRIPT)
    [ack] = [line for line in lines if line["time"].startswith("2026-11-21T22:40")]
    assert ack["room"] == ROOM and "周一上班后处理" in ack["text"]  # and nobody pinged at night
    assert not [line for line in lines if line["text"][:1] in "⏰⏫🆕📋"]  # a weekend: no timers
    assert not [line for line in lines if "已上报" in line["text"] and line["room"] == ROOM]

    [tally] = [line for line in lines if line["text"].startswith("📊")]
    assert tally["room"] is None and tally["to"] == "孙丽"  # asked in the group, told privately
    assert tally["text"].startswith("📊 青年路第一网格 · 本周（11月16日—11月22日）")
    assert "夜间/周末/节假日：收到 1 件，办结 1 件" in tally["text"]
    assert "满意度 5.0 分（1 件有评价）" in tally["text"]

    weekly = [line for line in lines if line["text"].startswith("【")]
    # the grids where nothing was reported hear nothing (the bot cannot tell them it was 平安)
    assert {w["room"] for w in weekly} == {
        "青年路一网格居民群", "青年路1-6号楼楼栋群", "青年路社区工作群", "滨河社区工作群",
    }
    assert len(weekly) == 4  # once per room, though the clock ran on to 10:00
    assert all(w["time"].startswith("2026-11-23T09:0") for w in weekly)
    grid = next(w for w in weekly if w["room"] == ROOM)["text"]
    assert "11月16日—11月22日" in grid and "收到居民诉求 1 件" in grid and "办结 1 件" in grid
    assert "一般 3.0 小时内就有人接手" in grid  # 22:40 -> 01:40
    assert "其中 1 件是在夜间、周末或节假日提出的" in grid
    assert "居民评价平均 5.0 分" in grid
    assert "感谢网格员马建民的辛苦付出，也谢谢孙丽的帮忙！" in grid  # 孙丽 did it this time
    admin = next(w for w in weekly if w["room"] == "青年路社区工作群")["text"]
    assert "全社区：收到 1 件，办结 1 件，办结率 100%" in admin and "升级 0 件" in admin
    assert "青年路第一网格｜1｜1｜3.0 小时｜1｜5.0" in admin
    quiet = next(w for w in weekly if w["room"] == "滨河社区工作群")["text"]
    assert quiet.endswith("上周各网格没有登记工单。") and "｜" not in quiet  # no table of zeros

    # nothing after 孙丽 took it: no reminder, no morning ping of a ticket already taken
