"""Time limits by kind of need ([sla] accept_minutes_by_intent): a wish or a question is not
overdue half an hour after it came, nor in the community's group two hours later; a repair
still is chased at once — through the application, as the worker and the community see it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import EXAMPLE_CONFIG, ROOM_QN1, texts

from bot.config import ConfigError, load_config

STAFF_ROOM = "青年路社区工作群"


async def walk(chat, hours: float):
    """Run the timers every half hour for these hours: everything they sent."""
    sent = []
    for _ in range(int(hours * 2)):
        sent += await chat.later(minutes=30)
    return sent


def about(sent, number: int):
    return [m for m in sent if f"#{number}" in m.text]


async def test_a_wish_waits_days_a_repair_is_chased_the_same_morning(chat):
    await chat.say("3-1-201 老丁", "希望小区里能在3栋边上添几张长椅 老人散步走累了能歇歇脚", ROOM_QN1)
    await chat.say("5-2-102 小聂", "5栋2单元门口的路灯坏了 晚上一片黑", ROOM_QN1)
    wish, repair = chat.ticket(1), chat.ticket(2)
    assert (wish.intent, repair.intent) == ("wish", "repair")
    monday = await walk(chat, 8)  # 10:00 to 18:00, Monday
    assert about(monday, 2), "the lamp is chased within the day"
    assert about(monday, 1) == []  # nobody is told the wish is overdue on its first day
    assert [m for m in about(monday, 1) if m.room_topic == STAFF_ROOM] == []
    week = await walk(chat, 24 * 4)  # to Friday evening
    [chased] = about(week, 1)  # reminded once in the week: three office days, then again
    assert chased.to is not None and chased.to.name == "马建民" and "⏰" in chased.text
    assert chat.ticket(1).escalation_level == 0  # not handed up the ladder within the week


async def test_the_config_sets_the_limits_of_a_kind(open_chat, example_config):
    sla = replace(example_config.settings.sla, accept_minutes_by_intent={"wish": 30}, reminder_lists_at=())
    config = replace(example_config, settings=replace(example_config.settings, sla=sla))
    chat = await open_chat(config)
    await chat.say("3-1-201 老丁", "希望小区里能在3栋边上添几张长椅 老人散步走累了能歇歇脚", ROOM_QN1)
    sent = await walk(chat, 1)
    assert "#1" in texts(sent)  # set back to half an hour (no lists): reminded within the hour


def test_a_limit_that_is_not_minutes_stops_the_start(tmp_path):
    source = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    bad = source.replace("accept_minutes_by_intent = { inquiry = 240, wish = 1620 }",
                         'accept_minutes_by_intent = { wish = "3天" }')
    assert bad != source
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="accept_minutes_by_intent.wish"):
        load_config(path)


def test_the_defaults_hold_when_the_config_names_one_kind(tmp_path):
    source = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    one = source.replace("accept_minutes_by_intent = { inquiry = 240, wish = 1620 }",
                         "accept_minutes_by_intent = { repair = 60 }")
    path = tmp_path / "one.toml"
    path.write_text(one, encoding="utf-8")
    sla = load_config(path).settings.sla
    assert sla.accept_minutes_for("repair") == 60
    assert sla.accept_minutes_for("wish") > 8 * 60 and sla.accept_minutes_for("inquiry") > 60
    assert sla.accept_minutes_for("wish", urgent=True) == sla.accept_minutes_urgent
