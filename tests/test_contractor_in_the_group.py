"""A contractor working in the estate answers in the group for its works (d16: 施工队 刘工 during
老旧小区改造), as the property company does: its word is news of the works, never a resident's
report, and a cut it announces is one residents ask about, not a fault. Dust off works is dirt
a grid worker sees to (sanitation). Through the application, as the group and the worker see it."""

from __future__ import annotations

from conftest import ROOM_QN1, posts_in, speaker

say = speaker(ROOM_QN1, minutes=2)
posts = posts_in(ROOM_QN1)


async def test_the_contractors_word_opens_no_ticket(chat):
    sent = await say(chat, "施工队 刘工", "各位街坊对不住 今天早上是赶着把3号楼那边的旧管子切开 八点要准时停水接新管 所以早了点")
    sent += await say(chat, "改造项目部 小陈", "洒水车又走了一遍 土堆都盖上苫布了", minutes=30)
    assert chat.store.tickets.select() == []
    assert posts(sent) == []


async def test_asking_whether_an_announced_cut_reaches_ones_building_is_no_fault(chat):
    await say(chat, "施工队 刘工", "今天上午3号楼那边换管子 八点要准时停水")
    sent = await say(chat, "Cici 10号楼租户", "请问今天停水是几点到几点呀 10号楼也停吗", minutes=15)
    assert chat.store.tickets.select() == []
    assert posts(sent) == []


async def test_dust_off_the_works_is_sanitation(chat):
    sent = await say(chat, "4-2-501 宋阿姨", "主路那边能不能洒洒水 一走一身土")
    tickets = chat.store.tickets.select()
    assert [t.intent for t in tickets] == ["sanitation"]
    assert "#1" in posts(sent)[0].text


async def test_the_workers_word_on_dust_or_a_scaffold_goes_to_that_ticket(chat):
    await say(chat, "4-1-102 韩大妈", "4号楼前头 架子上掉下来一块大板子 就砸在人行道上 我刚走过去 离我也就两步远")
    await say(chat, "4-2-501 宋阿姨", "主路那边能不能洒洒水 一走一身土")
    await say(chat, "5-1-201 郭姐", "中午了 家里一滴水都没有 停水了吗", minutes=10)
    await say(chat, "马建民", "跟刘工说了 四点再洒一遍 收工前把挖出来的土堆拿苫布盖上")
    await say(chat, "马建民", "板子搬走了 4号楼前面拉了警戒线 施工队在挨个检查卡子", minutes=5)
    by_intent = {t.intent: str(t.status) for t in chat.store.tickets.select()}
    assert by_intent["sanitation"] == "accepted"
    assert by_intent["safety"] == "resolved"
    assert by_intent["repair"] == "open"


async def test_a_question_on_gas_pipes_during_a_water_cut_is_its_own(chat):
    await say(chat, "马建民", "【温馨提示】今天8:00—14:00 1-6号楼停水（新旧管网接口施工），请抓紧时间储水。")
    sent = await say(chat, "6号楼 王叔", "问一下啊 改造完了燃气管子要从屋里改到外墙上 听说每户得交钱 交多少啊", minutes=60)
    assert [t.intent for t in chat.store.tickets.select()] == ["inquiry"]
    assert "#1" in posts(sent)[0].text
