"""The simulator and the tickets listing, driven as a user would, checked on their output."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLE_CONFIG, ROOT

SCRIPT = """\
# a resident reports, the worker works it, the resident rates it
/clock 2026-11-23 22:10
[青年路一网格居民群] 张阿姨: 3栋门口井盖又翘起来了，晚上走路容易绊倒
[青年路一网格居民群] 马建民: 收到
/advance 45m
[青年路一网格居民群] 马建民: 完成 1 已更换井盖
[青年路一网格居民群] 张阿姨: 满意
[私聊] 王大爷: 帮助
[青年路一网格居民群] 李叔: 大家晚上好
"""


def run_bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
        input=stdin, timeout=120,
    )


def test_script_mode_prints_each_bot_message_as_json(tmp_path):
    script = tmp_path / "demo.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    db = tmp_path / "sim.db"
    result = run_bot("simulate", "--config", str(EXAMPLE_CONFIG), "--db", str(db), "--script", str(script), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(line) for line in lines] == [{"time", "room", "to", "text", "mentions"}] * len(lines)

    ack = lines[0]
    assert ack["time"].startswith("2026-11-23T22:10")
    assert ack["room"] == "青年路一网格居民群" and ack["to"] is None
    assert ack["mentions"] == ["张阿姨"] and "#1" in ack["text"]
    assert "明天上班后处理" in ack["text"]  # 22:10: after hours
    assert "110/119/120" not in ack["text"]  # a loose manhole cover: no emergency numbers
    # quiet hours: the worker is not pinged at night (the morning would tell him); he read
    # the group and took it with a bare 收到 anyway: nothing back to him, no news for the group
    assert [line for line in lines if line["to"] == "马建民"] == []
    assert not any("已由马建民接单" in line["text"] for line in lines)
    done = next(line for line in lines if "已更换井盖" in line["text"])
    assert done["time"].startswith("2026-11-23T22:55")
    assert not any("谢谢您的评价" in line["text"] for line in lines)  # no thanks in the group
    help_line = next(line for line in lines if line["to"] == "王大爷")
    assert help_line["room"] is None and "我的工单" in help_line["text"]
    assert not any("李叔" in line["mentions"] for line in lines)

    listing = run_bot("tickets", "--config", str(EXAMPLE_CONFIG), "--db", str(db), "--json")
    assert listing.returncode == 0, listing.stderr
    [ticket] = [json.loads(line) for line in listing.stdout.splitlines()]
    assert ticket["id"] == 1 and ticket["status"] == "closed" and ticket["rating"] == 5
    assert ticket["grid"] == "qn-1" and ticket["assignee"] == "马建民" and ticket["reporter"] == "张阿姨"
    assert ticket["created_at"] == "2026-11-23T22:10:00+08:00"
    assert ticket["accepted_at"] == "2026-11-23T22:10:00+08:00"
    assert ticket["resolved_at"] == "2026-11-23T22:55:00+08:00"
    assert set(ticket) >= {"id", "intent", "status", "urgent", "grid", "room", "reporter", "assignee",
                           "location", "text", "created_at", "accepted_at", "resolved_at", "rating"}


def test_interactive_mode_reads_typed_lines(tmp_path):
    # in office hours: a lift that stopped, with nobody said to be inside, is no emergency,
    # so at night the worker would hear of it in the morning
    typed = "/clock 2026-11-23 10:06\n/as 张阿姨\n/in 青年路二网格居民群\n8号楼电梯坏了，停在3楼不动\n/quit\n"
    result = run_bot(
        "simulate", "--config", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "i.db"), stdin=typed
    )
    assert result.returncode == 0, result.stderr
    assert "[青年路二网格居民群]" in result.stdout
    assert "@张阿姨 收到" in result.stdout and "#1" in result.stdout
    assert "[私聊 → 孙丽]" in result.stdout  # the worker in charge, privately


def test_bad_script_line_is_reported(tmp_path):
    script = tmp_path / "bad.txt"
    script.write_text("/advance soon\n", encoding="utf-8")
    result = run_bot(
        "simulate", "--config", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "b.db"), "--script", str(script)
    )
    assert result.returncode == 1
    assert "快进格式不对" in result.stderr


def test_a_script_across_days_names_each_day_it_prints(tmp_path):
    script = tmp_path / "weekend.txt"
    script.write_text(
        "/clock 2026-11-27 23:10\n"
        "[青年路一网格居民群] 张阿姨: 5栋楼下下水道堵了，污水都冒出来了\n"
        "/clock 2026-11-30 09:10\n", encoding="utf-8",
    )
    result = run_bot(
        "simulate", "--config", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "d.db"), "--script", str(script)
    )
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if not line.startswith("    ")]
    friday, monday = lines.index("—— 11月27日 周五 ——"), lines.index("—— 11月30日 周一 ——")
    assert friday == 0 and "23:10 [青年路一网格居民群] 张阿姨" in lines[1]
    assert "周一上班后处理" in lines[2]  # the acknowledgement, Friday night
    assert monday == 3 and lines[4].startswith("07:30 [私聊 → 马建民]")  # nothing on the weekend
    assert lines.count("—— 11月30日 周一 ——") == 1
