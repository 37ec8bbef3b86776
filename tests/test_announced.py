"""A cut the room's staff announced is no fault (review of d9, finding 4): residents
grumbling about a 【停电通知】 or asking about it open no ticket and get no post, while a cut
at a building the notice does not name, or one said to be happening now, is still a report —
through the application, as the group and the worker see it."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_BH1, posts_in, speaker

NOTICE = ("【停电通知】接供电部门通知：12月10日（周四）8:30-17:30，滨河花园10栋、11栋、12栋线路检修停电，"
          "请住户提前做好准备，冰箱食物妥善处理，检修期间请勿私拉电线。滨河社区")


say = speaker(ROOM_BH1, minutes=2)
posts = posts_in(ROOM_BH1)


async def test_grumbling_about_an_announced_cut_opens_nothing(chat):
    await say(chat, "陈海燕", NOTICE)
    sent = await say(chat, "老余 10栋", "又停电 上个月才停了一回", minutes=1)
    sent += await say(chat, "老余 10栋", "冷天停一整天 电热毯都用不成 冻死个人", minutes=1)
    sent += await say(chat, "老余 10栋", "要是明天修到晚上还冇来电 冰箱里的鱼都要臭", minutes=4)
    sent += await say(chat, "12栋 杨姐", "团长 明天停电 12栋楼下还能拿吗", minutes=30)
    assert chat.store.tickets.select() == []
    assert posts(sent) == [] and [m for m in sent if m.to is not None] == []


async def test_a_cut_at_a_building_the_notice_does_not_name_is_a_report(chat):
    await say(chat, "陈海燕", NOTICE)
    sent = await say(chat, "5栋 老吴", "5栋停电了 整栋楼都没电 什么情况")
    assert len(chat.store.tickets.select()) == 1
    assert "#1" in posts(sent)[0].text


async def test_a_cut_said_to_be_happening_now_is_a_report(chat):
    await say(chat, "陈海燕", NOTICE)
    sent = await say(chat, "10-1-302 小周", "10栋现在停电了 整栋楼都没电 什么情况", minutes=20)
    assert len(chat.store.tickets.select()) == 1
    assert "#1" in posts(sent)[0].text


WATER = "【温馨提示】今天10:30—14:00 10栋、11栋停水（新旧管网接口施工），请住户抓紧时间储水。"
CHAT = ("大家早上好", "今天风大 出门戴帽子", "施工队在北门那边 走路绕一下", "下午社区有个会",
        "快递点搬到南门外了", "有事群里说一声")


async def test_a_notice_of_the_morning_still_explains_the_cut_after_the_worker_said_much(chat):
    await say(chat, "李强", WATER)
    for line in CHAT:  # a busy worker's morning in the room
        await say(chat, "李强", line, minutes=15)
    sent = await say(chat, "10-1-201 郭姐", "中午了 没水 家里就拿面包凑合一顿", minutes=10)
    assert chat.store.tickets.select() == []
    assert posts(sent) == []


async def test_a_cut_past_its_announced_end_is_a_report(chat):
    await say(chat, "李强", WATER)
    sent = await say(chat, "10-1-201 郭姐", "停了停了 水龙头一滴都没有了", minutes=30)
    assert chat.store.tickets.select() == []
    chat.clock.advance(timedelta(hours=3, minutes=30))  # 14:04: the cut should be over
    sent = await say(chat, "10-1-201 郭姐", "都两点多了 还是没水 说好的两点来水呢")
    assert len(chat.store.tickets.select()) == 1
    assert "#1" in posts(sent)[0].text
