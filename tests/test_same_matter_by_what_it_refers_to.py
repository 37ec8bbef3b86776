"""One real problem is one ticket (d16, a Monday of 老旧小区改造): a follow-up joins the matter
it refers to by rule — who is speaking of it, the people in it, the place — not by which side
of 0.5 the classifier's confidence falls. Each category in words of its own:

- The contractor doing works in the estate (a display name such as 项目部 老陈) speaks for it
  like the property company: their explanation of the noise they were called out for is on
  that complaint's timeline, never a report of their own; their word that a cut comes at a
  set time is a notice, and a resident asking whether it reaches their building asks of it.
- The other side of a quarrel going on, answering its reporter to their face (「你让我停哪儿」),
  is that quarrel, even naming where they come from or throwing back another grievance.
- A neighbour telling in the group, by building, the same thing someone told privately at a
  spot inside that building is that ticket (the private reporter is never named).

Through the application; the classifier is scripted (tests/test_incidents.py)."""

from __future__ import annotations

from conftest import ROOM_QN1, posts_in, speaker
from test_incidents import Scripted

ROOM = ROOM_QN1  # 青年路一网格居民群: worker 马建民
WORDS = {  # the first word found decides
    "电钻": ("dispute", 0.9, False, None),
    "换管子": ("repair", 0.7, False, None),
    "停水": ("repair", 0.9, False, None),
    "挪车": ("dispute", 0.9, False, None),
    "没车位": ("repair", 0.8, False, None),
    "拉屎": ("dispute", 0.9, False, None),
    "电线": ("safety", 0.9, False, None),
    "拉线": ("safety", 0.9, False, None),
    "下水道": ("repair", 0.9, False, None),
    "花盆": ("safety", 0.9, False, None),
}

say = speaker(ROOM)
in_room = posts_in(ROOM)


def ticket_ids(chat):
    return [t.id for t in chat.store.tickets.select()]


def reporters(chat, ticket_id):
    return {r.person_name for r in chat.store.tickets.reporters(ticket_id)}


# --- the contractor -----------------------------------------------------------------------


async def drilling_at_dawn(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "2-3-502 老吴", "天还没亮 楼下就在切管子打电钻 还让不让人睡觉")
    await say(chat, "2-1-101 刘婶", "施工的人在群里吗 出来说句话", minutes=10)
    assert ticket_ids(chat) == [1]
    return chat


async def test_the_contractors_explanation_is_on_the_complaints_timeline(open_chat):
    chat = await drilling_at_dawn(open_chat)
    said = await say(chat, "项目部 老陈", "街坊们对不起 今天赶着2号楼那边换管子 九点要停水接新管 所以早了点", minutes=15)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []
    assert any(e.kind == "update" and e.actor_name == "项目部 老陈" for e in chat.store.tickets.events(1))


async def test_asking_whether_the_contractors_cut_reaches_ones_building_opens_nothing(open_chat):
    chat = await drilling_at_dawn(open_chat)
    await say(chat, "项目部 老陈", "街坊们对不起 今天赶着2号楼那边换管子 九点要停水接新管 所以早了点", minutes=15)
    said = await say(chat, "11号楼 小米", "请问停水到几点啊 11号楼也停吗", minutes=10)
    assert ticket_ids(chat) == [1]
    assert [m for m in in_room(said) if "#2" in m.text] == []


async def test_a_building_saying_it_has_no_water_at_another_building_is_still_a_report(open_chat):
    chat = await drilling_at_dawn(open_chat)
    await say(chat, "项目部 老陈", "街坊们对不起 今天赶着2号楼那边换管子 九点要停水接新管 所以早了点", minutes=15)
    await say(chat, "11号楼 小米", "11号楼也停水了 一滴都没有", minutes=10)
    assert ticket_ids(chat) == [1, 2]


# --- the other side of a quarrel ----------------------------------------------------------


async def car_at_the_door(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-3-101 老胡", "谁的黑色轿车 堵在6号楼3门门口 赶紧挪车 老人轮椅出不去")
    assert ticket_ids(chat) == [1]
    return chat


async def test_the_cars_owner_answering_back_from_another_building_is_the_same_quarrel(open_chat):
    chat = await car_at_the_door(open_chat)
    said = await say(chat, "8号楼 小赵", "我的 路都挖开了 8号楼那边没车位 你让我停哪儿", minutes=4)
    assert ticket_ids(chat) == [1]
    assert [m for m in in_room(said) if "#2" in m.text] == []


async def test_another_grievance_thrown_back_in_the_quarrel_is_the_same_quarrel(open_chat):
    chat = await car_at_the_door(open_chat)
    await say(chat, "8号楼 小赵", "我的 马上下来挪 喊什么喊", minutes=2)
    await say(chat, "6-3-101 老胡", "堵了一上午了 还有理了", minutes=1)
    await say(chat, "8号楼 小赵", "你家狗天天在楼门口拉屎 你咋不说", minutes=1)
    assert ticket_ids(chat) == [1]


async def test_the_accused_throwing_back_another_grievance_over_a_hazard_is_the_same_matter(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "4-1-302 高姐", "楼上402 你家花盆摆在窗台外头 掉下来砸着人你负责啊")
    await say(chat, "4-1-402 老丁", "你咋知道是我家的 张嘴就赖人", minutes=2)
    await say(chat, "4-1-302 高姐", "不是你家是谁家 再不搬我就报警", minutes=1)
    said = await say(chat, "4-1-402 老丁", "你家狗天天在楼道拉屎咋不说", minutes=1)
    assert ticket_ids(chat) == [1]
    assert [m for m in in_room(said) if "#2" in m.text] == []


async def test_a_complaint_to_someone_long_after_the_quarrel_is_its_own(open_chat):
    chat = await car_at_the_door(open_chat)
    await say(chat, "9号楼 老李", "你们谁家的狗 又在9号楼门口拉屎", minutes=3 * 60)
    assert ticket_ids(chat) == [1, 2]


# --- told privately, then in the group ----------------------------------------------------


async def cable_told_privately(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "小雨妈", "大家早上好")  # seen in the grid's group
    await chat.say("小雨妈", "5号楼2单元一楼那家 天天从窗户扯根电线下来给电动车充电 别说是我说的", None)
    assert ticket_ids(chat) == [1]
    return chat


async def test_the_same_thing_told_in_the_group_by_building_is_the_private_ticket(open_chat):
    chat = await cable_told_privately(open_chat)
    said = await say(chat, "5号楼 老钱", "5号楼那边天天有人从窗户拉线充电 早该管管了", minutes=5 * 60)
    assert ticket_ids(chat) == [1]
    assert "5号楼 老钱" in reporters(chat, 1)
    assert not [m for m in said if "小雨妈" in m.text and m.room_topic == ROOM]


async def test_another_thing_in_that_building_is_its_own(open_chat):
    chat = await cable_told_privately(open_chat)
    await say(chat, "5号楼 老钱", "5号楼下水道又堵了 一楼往上冒", minutes=5 * 60)
    assert ticket_ids(chat) == [1, 2]
