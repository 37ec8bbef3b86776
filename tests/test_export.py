"""The command line: `stats` prints the hand-computed figures, `export` writes a CSV that
Excel/WPS open correctly (UTF-8 with a BOM), one row per ticket or per event."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_stats import build_week, make_ctx  # the shared week of tickets and helpers

from bot.cli import export as export_cli
from bot.cli import stats as stats_cli
from storage import Store

ROOT = Path(__file__).resolve().parents[1]
CONFIG = str(ROOT / "config.example.toml")
WEEK = ["--from", "2026-11-16", "--to", "2026-11-22"]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "week.db"
    ctx = build_week(make_ctx(Store.open(path)))
    ctx.store.close()
    return str(path)


def test_stats_json_for_a_grid(db: str) -> None:
    """Through the real entry point, as a user would type it."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--config", CONFIG, "--db", db, "--grid", "qn-1",
         *WEEK, "--json"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.strip().splitlines()
    stats = json.loads(line)
    assert {k: stats[k] for k in (
        "received", "accepted", "resolved", "resolution_rate", "accept_minutes_median",
        "accept_minutes_p90", "resolve_minutes_median", "resolve_minutes_p90", "within_sla_rate",
        "after_hours_received", "after_hours_resolved", "escalated", "reopened", "rating_avg",
        "disputes_mediated", "praise",
    )} == {
        "received": 6, "accepted": 6, "resolved": 5, "resolution_rate": 0.8,
        "accept_minutes_median": 20.0, "accept_minutes_p90": 720.0,
        "resolve_minutes_median": 550.0, "resolve_minutes_p90": 1860.0, "within_sla_rate": 0.8,
        "after_hours_received": 3, "after_hours_resolved": 2, "escalated": 1, "reopened": 1,
        "rating_avg": 4.0, "disputes_mediated": 1, "praise": 2,
    }
    assert stats["received_by_intent"]["repair"] == 2
    assert (stats["from"], stats["to"]) == ("2026-11-16", "2026-11-22")


def test_stats_community_text_and_unknown_ids(db: str, capsys: pytest.CaptureFixture) -> None:
    assert stats_cli.main(["--config", CONFIG, "--db", db, "--community", "qingnian", *WEEK]) == 0
    out = capsys.readouterr().out
    assert out.startswith("青年路社区 · 11月16日—11月22日")
    assert "收到诉求（件）：7" in out and "办结用时 P90（分钟）：1860.0" in out
    assert "办结率：83%" in out and "  设施报修：3" in out
    with pytest.raises(SystemExit) as usage_error:  # argparse's usage error: exit code 2
        stats_cli.main(["--config", CONFIG, "--db", db, "--grid", "nope", *WEEK])
    assert usage_error.value.code == 2
    assert "unknown grid 'nope'" in capsys.readouterr().err
    missing = str(Path(db).with_name("typo.db"))
    assert stats_cli.main(["--config", CONFIG, "--db", missing, *WEEK]) == 2
    assert "no database at" in capsys.readouterr().err and not Path(missing).exists()


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel/WPS read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_export_one_row_per_ticket(db: str, tmp_path: Path) -> None:
    out = tmp_path / "tickets.csv"
    assert export_cli.main(["--config", CONFIG, "--db", db, *WEEK, "--out", str(out)]) == 0
    rows = read_csv(out)
    assert [int(r["工单号"]) for r in rows] == [1, 2, 3, 4, 5, 6, 9, 10]  # not #7 (11-15), #8 (11-23)
    night = rows[2]
    assert (night["类型"], night["状态"], night["紧急"], night["网格"]) == ("安全隐患", "已办结", "是", "青年路第一网格")
    assert night["上报时间"] == "2026-11-21 22:40:00" and night["非工作时间上报"] == "是"
    assert night["接单用时(分钟)"] == "20.0" and night["评分"] == "3"
    assert rows[0]["状态"] == "已办结" and rows[0]["非工作时间上报"] == ""
    assert rows[3]["升级到"] == "备岗网格员" and rows[4]["重办次数"] == "1"


def test_export_events_for_a_grid(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export_cli.main(["--config", CONFIG, "--db", db, *WEEK, "--grid", "qn-1",
                            "--events", "--out", str(out)]) == 0
    rows = read_csv(out)
    first = [(r["事件"], r["时间"]) for r in rows if r["工单号"] == "1"]
    assert first == [
        ("created", "2026-11-16 10:00:00"), ("accepted", "2026-11-16 10:05:00"),
        ("resolved", "2026-11-16 14:00:00"), ("rated", "2026-11-16 15:00:00"),
        ("closed", "2026-11-16 15:00:00"),
    ]
    assert {r["网格"] for r in rows} == {"青年路第一网格"}


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_export_times_and_after_hours_agree_with_datetime(zone: str) -> None:
    """Every 11 minutes of a year (summer time included in Berlin): the cells the export
    writes are what datetime and `is_after_hours` say."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.config import load_config
    from handlers.office_hours import is_after_hours

    tz = ZoneInfo(zone)
    office = load_config(CONFIG).settings.office_hours
    times = export_cli.LocalTimes(tz, office)
    start = int(datetime(2026, 1, 1, tzinfo=tz).timestamp())
    wrong = []
    for ts in range(start, start + 366 * 86400, 11 * 60):
        local = datetime.fromtimestamp(ts, tz)
        expected = (local.strftime("%Y-%m-%d %H:%M:%S"), is_after_hours(local, office))
        if (times.text(ts), times.after_hours(ts)) != expected:
            wrong.append((ts, expected))
    assert wrong == [] and times.text(None) == ""
