"""The statistics page: the figures of 统计 for a chosen scope and period, the charts'
series counted by hand, and the same CSV files as `python -m bot export`."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from conftest import EXAMPLE_CONFIG, ROOM_BH1, ROOM_QN2, TZ
from webtools import open_office

from bot.cli import export
from storage import Store

PERIOD = "from=2026-11-23&to=2026-11-24"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


async def two_days(chat) -> None:
    """Monday and Tuesday of one week, in three grids of two communities."""
    steps = [
        (at(23, 10), "张阿姨", None, "3栋门口井盖又翘起来了，晚上走路容易绊倒"),  # 1 qn-1
        (at(23, 10, 20), "马建民", None, "接单 1"),
        (at(23, 11), "马建民", None, "完成 1 已更换新井盖"),
        (at(23, 11, 5), "张阿姨", None, "满意"),
        (at(23, 22), "王大爷", ROOM_QN2, "5号楼楼道里有人给电动车充电，电线拖到楼梯上，太危险了"),  # 2 qn-2
        (at(24, 8), "孙丽", ROOM_QN2, "接单 2"),
        (at(24, 9), "赵阿姨", ROOM_BH1, "楼上天天半夜跺脚，吵得睡不着，说了也不听"),  # 3 bh-1
        (at(24, 15), "周奶奶", None, "我家老头子腿脚不便，药吃完了，能不能帮忙去社区医院配点降压药"),  # 4 qn-1
        (at(24, 15, 30), "马建民", None, "接单 4"),
        (at(24, 16), "马建民", None, "完成 4 已送到"),
        (at(24, 16, 10), "周奶奶", None, "2"),
    ]
    for when, who, room, text in steps:
        chat.clock.set(when)
        await chat.say(who, text, room=room or "青年路一网格居民群")
    assert [chat.ticket(n).status for n in range(1, 5)] == ["closed", "accepted", "open", "closed"]
    assert (chat.ticket(1).rating, chat.ticket(4).rating) == (5, 2)


def chart_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)
    assert match, "the page carries the charts' data"
    return json.loads(match.group(1))


def figure(page: str, label: str) -> str:
    match = re.search(
        rf'<div class="label">{re.escape(label)}</div><div class="value">(.*?)</div>', page
    )
    assert match, label
    return re.sub(r"<[^>]+>", " ", match.group(1)).split()[0]


@pytest.fixture
async def office(open_chat, tmp_path):
    chat = await open_chat(store=Store.open(tmp_path / "g.db"))
    office = await open_office(chat)
    await two_days(chat)
    yield office
    await office.client.close()


async def test_the_figures_and_charts_of_two_days(office):
    await office.sign_in("冯媛")
    page = await (await office.get(f"/stats?scope=all&{PERIOD}")).text()
    assert "全部网格 · 11月23日—11月24日" in page
    assert figure(page, "收到诉求") == "4" and figure(page, "办结") == "2"
    assert figure(page, "响应率") == "75%"  # 3 of 4 were taken
    assert figure(page, "解决率（办结率）") == "50%"
    assert figure(page, "满意率（4-5 分）") == "50%"  # a 5 and a 2
    assert figure(page, "平均评分") == "3.5"
    assert figure(page, "下班后收到") == "1"  # Monday 22:00
    charts = chart_data(page)
    assert charts["days"] == ["11-23", "11-24"]
    per_day = {s["name"]: s["data"] for s in charts["intents"]}
    assert per_day == {"设施报修": [1, 0], "安全隐患": [1, 0], "矛盾纠纷": [0, 1], "代办求助": [0, 1]}
    rates = dict(zip(charts["grids"], zip(charts["response"], charts["resolution"],
                                            charts["satisfaction"], strict=True), strict=True))
    assert rates == {
        "青年路第一网格": (100.0, 100.0, 50.0),
        "青年路第二网格": (100.0, 0.0, None),
        "滨河第一网格": (0.0, 0.0, None),
    }
    assert charts["after_hours"] == [3, 1]
    # accepted after 20 min, 10 h and 30 min: median 30 min, 90% within 10 h
    assert charts["speed"]["accept"] == [0.5, 10.0]


async def test_a_scope_and_period_of_ones_own(office):
    await office.sign_in("张继凯")  # staff of 青年路社区
    page = await (await office.get(f"/stats?scope=all&{PERIOD}")).text()  # not theirs
    assert "青年路社区 · 11月23日—11月24日" in page and figure(page, "收到诉求") == "3"
    assert 'value="all"' not in page
    page = await (await office.get(f"/stats?scope=g:qn-2&{PERIOD}")).text()
    assert figure(page, "收到诉求") == "1"
    page = await (await office.get("/stats?scope=g:qn-1&from=2026-11-24&to=2026-11-24")).text()
    assert figure(page, "收到诉求") == "1" and chart_data(page)["days"] == ["11-24"]
    page = await (await office.get("/stats?from=2026-11-30&to=2026-11-01")).text()
    assert "11月18日—11月24日" in page  # a backwards range: the last seven days


@pytest.mark.parametrize("events", [False, True])
async def test_the_csv_is_the_file_export_writes(office, tmp_path, events):
    await office.sign_in("张继凯")
    what = "events" if events else "tickets"
    response = await office.get(f"/stats/{what}.csv?scope=c:qingnian&{PERIOD}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    body = await response.read()
    out = tmp_path / "export.csv"
    args = ["--config", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "g.db"), "--community",
            "qingnian", "--from", "2026-11-23", "--to", "2026-11-24", "--out", str(out)]
    assert export.main(args + (["--events"] if events else [])) == 0
    assert body == out.read_bytes()
    text = body.decode("utf-8-sig")
    assert text.startswith("工单号,类型,")
    assert "跺脚" not in text  # another community's ticket
    if not events:
        assert len(text.strip().splitlines()) == 1 + 3
