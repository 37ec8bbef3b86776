"""How serious a thing is shapes what the bot says and whom it tells (reviews of d10 and d11:
a blocked fire lane got 「今天上班后处理」; flying-wire charging went up to the street as an
emergency within 20 minutes; an old woman's private report of it was never answered again).

A hazard (the rules' [[hazard]]: a fire lane blocked, an e-bike charging on a flying wire...)
is not a danger now: its worker hears of it at once with why it matters, the resident hears
「收到」, the matter and a same-day promise, it goes to the community only after a longer
wait while nobody took it and never to the street as an alarm, and a resident asking after it gets a
short answer each time while its holder is reminded. All through the Application."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN1, TZ, posts_in, texts
from conftest import private_to as to

from handlers.messages import Person
from intents.rules import RulesError, load_rules

in_group = posts_in(ROOM_QN1)
STAFF = ("张继凯", "刘芳")
GRANNY = "7号楼 程奶奶"



@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 27, 8, 5, tzinfo=TZ)  # a Friday, before the office opens


async def test_a_blocked_fire_lane_is_told_at_once_with_why_and_a_same_day_promise(chat) -> None:
    sent = await chat.say("3号楼 老彭", "3号楼北边消防通道让几辆三轮车堵死了 车都开不出去")
    [ack] = in_group(sent)
    assert ack.text.startswith("收到") and "#1" in ack.text and "消防" in ack.text
    assert "今天" in ack.text and "上班后" not in ack.text  # not 「今天上班后处理」
    assert [p.name for p in ack.mentions] == ["3号楼 老彭"]  # no worker @-ed in public
    assert not any(n in ack.text for n in ("119", "110", "120"))  # not an emergency
    [ping] = to(sent, "马建民")  # now, not at 08:30 or in a list
    assert "#1" in ping.text and "消防车进不来" in ping.text
    assert not to(sent, "孙丽") and not chat.ticket(1).urgent


async def test_an_ordinary_report_at_the_same_hour_still_waits_for_the_office(chat) -> None:
    sent = await chat.say("3号楼 老彭", "3号楼2单元楼道灯不亮了")
    [ack] = in_group(sent)
    assert "上班后" in ack.text and "安全隐患" not in texts(sent)


async def test_a_hazard_goes_to_the_community_late_and_never_to_the_street_as_an_alarm(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=TZ))
    sent = await chat.say("9号楼 小施", "9号楼一楼有人从窗户拉电线给电瓶车充电 线横在过道上")
    assert "起火" in to(sent, "马建民")[0].text
    seen = []
    for _ in range(11):  # 10:10 ... 11:50: reminded, the backup perhaps, not the community
        seen += await chat.later(minutes=10)
    assert not any(to(seen, s) for s in STAFF) and "青年路社区工作群" not in {m.room_topic for m in seen}
    for _ in range(60):  # on to 21:50
        seen += await chat.later(minutes=10)
    up = [m for m in seen if m.room_topic == "青年路社区工作群" or any(to([m], s) for s in STAFF)]
    assert up and all("#1" in m.text for m in up)
    assert "紧急" not in texts(to(seen, "冯媛")) and "⏫" not in texts(to(seen, "冯媛"))  # no alarm to the street
    assert "紧急" not in texts(seen)

    chat.clock.set(datetime(2026, 11, 28, 8, 0, tzinfo=TZ))
    taken = await chat.say("马建民", "收到 1", room=None)
    assert chat.ticket(1).status.value == "accepted"
    told = [m for m in taken if m.room_topic == "青年路社区工作群" or (m.to is not None and m.to.name in STAFF)]
    assert len(told) == 1 or {m.to.name for m in told if m.to} == set(STAFF)  # the community, once
    assert all("已接手" in m.text for m in told)


async def test_a_private_report_asked_after_is_answered_each_time_and_its_holder_reminded(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 15, 20, tzinfo=TZ))
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(GRANNY, chat.person_id(GRANNY))])
    acked = await chat.say(GRANNY, "我们楼后面那户天天飞线给电动车充电 线从二楼吊下来", room=None)
    [ack] = to(acked, GRANNY)
    assert "#1" in ack.text and "今天" in ack.text and "上班后" not in ack.text
    assert to(acked, "马建民")

    chat.clock.set(datetime(2026, 11, 27, 19, 40, tzinfo=TZ))  # dark, nobody took it
    again = await chat.say(GRANNY, "又充上了 就在我家窗户底下", room=None)
    [answer] = to(again, GRANNY)
    assert "#1" in answer.text and "又跟马建民" in answer.text and "119" in answer.text
    [reminder] = to(again, "马建民")
    assert "#1" in reminder.text and "又充上了" in reminder.text

    chat.clock.advance(timedelta(minutes=2))  # a minute later, again: not answered twice
    assert to(await chat.say(GRANNY, "有没有人管啊", room=None), GRANNY) == []

    chat.clock.set(datetime(2026, 11, 27, 20, 30, tzinfo=TZ))  # asked again: not the same words again
    later = await chat.say(GRANNY, "还在充呢 线都搭到我窗台上了", room=None)
    [second] = to(later, GRANNY)
    assert "#1" in second.text and second.text != answer.text and to(later, "马建民")

    chat.clock.set(datetime(2026, 11, 27, 22, 10, tzinfo=TZ))  # quiet hours: answered, nobody woken
    night = await chat.say(GRANNY, "你们到底收到没有", room=None)
    [answer] = to(night, GRANNY)
    assert "明天一早" in answer.text and "119" in answer.text
    assert not to(night, "马建民")


async def test_a_danger_now_keeps_its_alarm(chat) -> None:
    sent = await chat.say("5号楼 小冉", "5号楼2单元电表箱着火了 在冒烟")
    [alarm] = in_group(sent)
    assert "119" in alarm.text and chat.ticket(1).urgent and chat.ticket(1).hazard is None
    assert to(sent, "马建民") and to(sent, "孙丽")


def test_a_hazard_rule_names_its_kind(tmp_path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[concepts]\n"充电" = ["充电"]\n[[hazard]]\nname = "x"\nwhen = ["{充电}"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="kind"):
        load_rules(rules)
    rules.write_text(rules.read_text(encoding="utf-8") + 'kind = "charging"\n', encoding="utf-8")
    assert [r.hazard for r in load_rules(rules).hazards] == ["charging"]


@pytest.mark.parametrize(
    ("hour", "minute", "said"),
    [(14, 0, "今天"), (20, 40, "明天一早"), (23, 30, "明天一早"), (0, 40, "今天一早")],
)
async def test_the_promise_is_one_that_can_be_kept(chat, hour, minute, said) -> None:
    chat.clock.set(datetime(2026, 11, 27, hour, minute, tzinfo=TZ))
    sent = await chat.say("3号楼 老彭", "3号楼门口的消防通道被一辆白色面包车堵住了")
    [ack] = in_group(sent)
    assert f"{said}去看" in ack.text or f"{said}就去看" in ack.text
    assert "消防通道的事" in ack.text
    assert bool(to(sent, "马建民")) == (hour in (14, 20))  # told at once, but nobody woken for it


async def test_a_leak_that_reaches_the_wiring_becomes_a_hazard(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=TZ))
    first = await chat.say("6-2-302 老贺", "6号楼2单元我家厨房顶上往下滴水 楼上没人")
    assert "上班后" not in texts(in_group(first)) and chat.ticket(1).hazard is None
    chat.clock.advance(timedelta(minutes=4))
    then = await chat.say("6-2-302 老贺", "顶上都湿透了 就怕泡着里头的电线")
    [word] = in_group(then)
    assert "#1" in word.text and "电线" in word.text and "别碰" in word.text and "119" not in word.text
    [ping] = to(then, "马建民")
    assert "#1" in ping.text and "电线" in ping.text and "起火" in ping.text
    assert chat.ticket(1).hazard == "wet_wiring" and not chat.ticket(1).urgent


async def test_a_hazard_chased_in_the_group_is_answered_and_its_holder_reminded(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=TZ))
    await chat.say("3号楼 老彭", "3号楼北边消防通道让几辆三轮车堵死了")
    chat.clock.advance(timedelta(minutes=15))
    chased = await chat.say("3号楼 老彭", "@马建民 消防通道的车还没挪 到底有没有人管")
    [answer] = in_group(chased)
    assert "#1" in answer.text and "又跟马建民" in answer.text and "119" not in answer.text
    [reminder] = to(chased, "马建民")
    assert "#1" in reminder.text and "消防车进不来" in reminder.text


async def test_the_property_if_configured_is_told_of_a_hazard_at_once(open_chat, example_config) -> None:
    from dataclasses import replace

    directory = example_config.directory
    grids = tuple(replace(g, property=("翠苑物业 客服小陈",)) if g.id == "qn-1" else g for g in directory.grids)
    chat = await open_chat(replace(example_config, directory=replace(directory, grids=grids)))
    sent = await chat.say("3号楼 老彭", "3号楼北边消防通道让几辆三轮车堵死了")
    [ack] = in_group(sent)
    assert "马建民和物业" in ack.text
    [word] = to(sent, "翠苑物业 客服小陈")
    assert "#1" in word.text and "消防车进不来" in word.text and "物业" in word.text
    lamp = await chat.say("3号楼 老彭", "3号楼2单元楼道灯不亮了")  # an ordinary report: not the property's word
    assert not to(lamp, "翠苑物业 客服小陈")
