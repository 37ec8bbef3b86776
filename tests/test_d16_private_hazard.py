"""Day d16 re-read by a former grid worker, finding 1: a charging lead run from a window,
reported privately by 悠然 (who asked not to be named).

- Rain on the lead (「下雨天也那样」) is water on something under power: a fire risk, told as
  one (what to do first), not 「马建民还没回」 one minute after the report.
- The backup handed the ticket is told the reporter asked not to be named.
- The worker's own notice to the whole group against 飞线充电 is his answer to it: the ticket
  is in hand (the ladder stops pressing him and the community), he is asked whether to knock
  on that door too, and the reporter hears it was acted on.
- At night, the lead back out on the ground in the snow reaches someone awake: the worker at
  once, then the backup if he does not answer; she is not told 「明天一早」.

All through the Application, as users see it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN1, TZ
from conftest import private_to as to

from handlers.messages import Person

WORK_GROUP = "青年路社区工作群"
HER = "悠然"
WIRE = "我们7号楼1门一楼那家 从窗户里拉根电线出来给电动车充电 天天晚上充一宿"
NOTICE = ("【温馨提醒】天冷了 电动车充电的多 请大家到南门自行车棚的集中充电桩充电 严禁从家里窗户往外拉线、"
          "在楼道里充电 一旦起火后果不堪设想。网格员这几天挨楼巡查 发现飞线的请自行拆除 谢谢配合")



@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday


async def _she_reports(chat) -> list:
    chat.clock.set(datetime(2026, 11, 23, 10, 42, tzinfo=TZ))
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(HER, chat.person_id(HER))])
    sent = await chat.say(HER, WIRE, room=None)
    chat.clock.advance(timedelta(minutes=1))
    sent += await chat.say(HER, "电线就搭在楼门口过道上 下雨天也那样 孩子老从那儿过 我看着害怕", room=None)
    chat.clock.advance(timedelta(minutes=1))
    sent += await chat.say(HER, "都是老邻居 千万别说是我反映的啊", room=None)
    return sent


async def _until(chat, hour: int, minute: int = 0) -> list:
    seen: list = []
    end = datetime(2026, 11, 23, hour, minute, tzinfo=TZ)
    while chat.clock.now() < end:
        seen += await chat.later(minutes=5)
    return seen


async def test_rain_on_the_lead_is_a_fire_risk_told_as_one(chat) -> None:
    sent = await _she_reports(chat)
    words = " ".join(m.text for m in to(sent, HER))
    assert "119" in words and "还没回" not in words


async def test_the_backup_handed_it_hears_she_asked_not_to_be_named(chat) -> None:
    await _she_reports(chat)
    seen = await _until(chat, 12, 0)
    [handed] = [m for m in to(seen, "孙丽") if "#1" in m.text]
    assert "不公开" in handed.text


async def test_the_workers_notice_to_the_group_is_his_answer_to_it(chat) -> None:
    await _she_reports(chat)
    await _until(chat, 16, 0)
    sent = await chat.say("马建民", NOTICE, ROOM_QN1)
    assert chat.ticket(1).status == "accepted"  # in hand: no more 无人接单
    [told] = to(sent, HER)
    assert "马建民" in told.text and "没提是谁反映的" in told.text
    [asked] = to(sent, "马建民")
    assert "#1" in asked.text and "看一眼" in asked.text
    later = await _until(chat, 21, 0)
    assert not [m for m in later if m.room_topic == WORK_GROUP and "#1" in m.text]  # the community left alone


async def test_worse_at_night_reaches_someone_awake_the_worker_then_the_backup(chat) -> None:
    await _she_reports(chat)
    await _until(chat, 16, 0)
    await chat.say("马建民", NOTICE, ROOM_QN1)
    await _until(chat, 22, 40)
    sent = await chat.say(HER, "晚上又拉出来了 就在7号楼1门口 电线直接搭地上 今晚还下雪", room=None)
    [alert] = to(sent, "马建民")
    assert "#1" in alert.text and "下雪" in alert.text and HER not in alert.text
    [reply] = to(sent, HER)
    assert "明天一早" not in reply.text and "马建民" in reply.text
    assert not to(sent, "孙丽")  # the holder first
    later = await _until(chat, 23, 0)
    [backup] = to(later, "孙丽")  # he did not answer: the backup, who is told she is not to be named
    assert "#1" in backup.text and "下雪" in backup.text and "不公开" in backup.text
