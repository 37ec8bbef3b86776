"""One real problem is one ticket (review of d14, a Saturday of 青年路二网格居民群): the
categories behind its split needs, each in words of its own.

- An outage of a shared supply told from several buildings (high floors of three buildings
  fed by one pump): the buildings its reporters named are all its place; another building
  saying the same while the room talks of it joins it. Another thing there, or an outage
  of a building nobody named hours later, is its own.
- Words that hold a subject's word but speak of none (「热水器打不着火」 is no fire, 「电话打
  不通」 no blocked drain, 「没人收拾」 no rubbish round) do not tell one incident from another.
- An emergency talked through: a neighbour's "me too" saying where they are inside its place,
  then whose flat it may be, is that emergency, not a second urgent ticket.
- The reporter's word naming nothing, minutes after their incident was done, is of it.
- A private reporter's next need, minutes after their report, is more of it (a question of
  another kind included), unless it turns to another matter.
- Agreeing with a report just made and saying where else in the building it shows.
- The other side of a quarrel over a matter the group has open writing privately of it as a
  quarrel (d11 N5): one more party to that matter, not a second ticket.
- The property company's word on an emergency closed minutes ago (「已恢复供气」) is on its
  timeline; nothing is kept of it for a neighbour's remark to turn into a ticket in the
  company's name (「燃气报警器」 is no call for the police).
- A guess at why, or telling others what not to do, while an incident is talked of (naming
  no building): talk of it, no ticket of its own.

Through the application; the classifier is scripted (tests/test_incidents.py)."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_QN1, posts_in, speaker
from test_incidents import Scripted

from intents import subjects_of

ROOM = ROOM_QN1  # 青年路一网格居民群: worker 马建民
WORDS = {  # the first word found decides
    "电梯": ("repair", 0.9, False, None),
    "打不着火": ("repair", 0.9, False, None),
    "没水": ("repair", 0.9, False, None),
    "水就一点点": ("repair", 0.9, False, None),
    "光出气": ("repair", 0.9, False, None),
    "煤气": ("safety", 0.95, True, "119"),
    "一个人在家": ("errand", 0.9, True, "120"),
    "味小": ("sanitation", 0.7, False, None),
    "狗屎": ("sanitation", 0.9, False, None),
    "一堆一堆": ("sanitation", 0.9, False, None),
    "刷脸": ("errand", 0.9, False, None),
    "钱": ("inquiry", 0.8, False, None),
    "路灯": ("repair", 0.9, False, None),
    "挖断": ("repair", 0.9, False, None),
    "水管爆了": ("repair", 0.9, False, None),
    "烟头": ("safety", 0.9, False, None),
    "剩饭": ("sanitation", 0.8, False, None),
    "纸箱": ("sanitation", 0.8, False, None),
    "下水道堵": ("repair", 0.9, False, None),
    "针对我": ("dispute", 0.9, False, None),
    "供气": ("safety", 0.9, True, None),
    "报警器": ("safety", 0.7, False, None),
}

say = speaker(ROOM)
in_room = posts_in(ROOM)


def ticket_ids(chat):
    return [t.id for t in chat.store.tickets.select()]


def reporters(chat, ticket_id):
    return {r.person_name for r in chat.store.tickets.reporters(ticket_id)}


# --- an outage told from several buildings ------------------------------------------------


async def low_water_in_5(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "5号楼 老周", "咋回事 5号楼高层是不是没水了 水龙头跟筷子一样细")
    assert ticket_ids(chat) == [1]
    return chat


async def test_an_outage_told_from_other_buildings_is_one_ticket(open_chat):
    chat = await low_water_in_5(open_chat)
    said = await say(chat, "8-1-1201 小孟", "俺家也是 热水器打不着火了 8号楼", minutes=3)
    said += await say(chat, "9栋 王姐", "9栋也这样 18楼 水就一点点", minutes=5)
    said += await say(chat, "8号楼 大李", "8号楼高层没水了 物业电话打不通", minutes=10)
    assert ticket_ids(chat) == [1]
    assert {"8-1-1201 小孟", "9栋 王姐", "8号楼 大李"} <= reporters(chat, 1)
    # hours on, a building its reporters named is still this outage
    later = await say(chat, "8号楼 老孟", "8号楼十六楼 还是光出气", minutes=3 * 60)
    assert ticket_ids(chat) == [1]
    assert [m for m in in_room(later) if "工单 #2" in m.text] == []


async def test_another_thing_in_the_other_building_is_its_own_ticket(open_chat):
    chat = await low_water_in_5(open_chat)
    await say(chat, "8号楼 大李", "8号楼电梯也停了 一直卡在三楼", minutes=3)
    assert ticket_ids(chat) == [1, 2]


async def test_a_leak_in_a_building_the_outage_was_reported_at_is_its_own_ticket(open_chat):
    chat = await low_water_in_5(open_chat)
    await say(chat, "8-1-1201 小孟", "俺家也是 热水器打不着火了 8号楼", minutes=3)
    await say(chat, "8号楼 大李", "8号楼地下室水管爆了 漏水漏了一地", minutes=3 * 60)
    assert ticket_ids(chat) == [1, 2]


async def test_an_outage_of_a_building_nobody_named_hours_later_is_its_own_ticket(open_chat):
    chat = await low_water_in_5(open_chat)
    await say(chat, "11号楼 刘姐", "11号楼没水了 一滴都没有", minutes=4 * 60)
    assert ticket_ids(chat) == [1, 2]


def test_words_that_hold_a_subjects_word_but_speak_of_none():
    assert subjects_of("热水器打不着火了") == frozenset()
    assert subjects_of("物业电话打不通") == frozenset()
    assert "fire" in subjects_of("楼下着火了")
    assert "garbage" in subjects_of("垃圾没人收拾")
    assert subjects_of("装了个燃气报警器") == frozenset({"gas"})
    assert "conflict" in subjects_of("再吵我就报警了")


# --- an emergency talked through ----------------------------------------------------------


async def test_a_neighbours_me_too_inside_the_emergency_and_whose_flat_are_that_emergency(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-301 吴姐", "6号楼2单元楼道一股煤气味 谁家漏气了")
    assert ticket_ids(chat) == [1]
    said = await say(chat, "6号楼 小宋", "我也闻着了 我在2单元6楼", minutes=2)
    said += await say(chat, "6号楼 小宋", "402张爷爷一个人在家 耳朵背", minutes=2)
    assert ticket_ids(chat) == [1]
    assert "6号楼 小宋" in reporters(chat, 1)
    assert not [m for m in said if "工单 #2" in m.text]


async def test_the_reporters_word_naming_nothing_minutes_after_it_was_done_is_of_it(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-301 吴姐", "6号楼2单元楼道一股煤气味 谁家漏气了")
    await say(chat, "马建民", "完成 1 燃气公司查过了 阀门关好了", minutes=20)
    assert chat.ticket(1).status == "resolved"
    said = await say(chat, "6-2-301 吴姐", "楼道里味小多了 能上楼不", minutes=5)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []


async def test_the_same_word_long_after_it_was_done_is_read_as_ever(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-301 吴姐", "6号楼2单元楼道一股煤气味 谁家漏气了")
    await say(chat, "马建民", "完成 1 燃气公司查过了 阀门关好了", minutes=20)
    await say(chat, "6-2-301 吴姐", "楼道里味小多了 能上楼不", minutes=45)
    assert ticket_ids(chat) == [1, 2]


# --- a private reporter's next need --------------------------------------------------------


async def reported_privately(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await chat.say("4号楼 王奶奶", "大家早上好", ROOM)  # seen in the grid's group
    await chat.say("4号楼 王奶奶", "我是4号楼1单元6楼的 手机上刷脸认证养老金 老是刷不上", None)
    assert ticket_ids(chat) == [1]
    return chat


async def test_a_private_reporters_question_minutes_later_is_more_of_the_report(open_chat):
    chat = await reported_privately(open_chat)
    chat.clock.advance(timedelta(minutes=3))
    said = await chat.say("4号楼 王奶奶", "弄不成的话 是不是钱就不给发了 俺着急", None)
    assert ticket_ids(chat) == [1]
    assert any(m.to is not None and m.to.name == "马建民" and "弄不成的话" in m.text for m in said)


async def test_a_private_reporter_turning_to_another_matter_opens_its_own(open_chat):
    chat = await reported_privately(open_chat)
    chat.clock.advance(timedelta(minutes=3))
    await chat.say("4号楼 王奶奶", "另外 4号楼门口路灯坏了好几天了", None)
    assert ticket_ids(chat) == [1, 2]


# --- agreeing, and saying where else it shows ----------------------------------------------


async def test_agreeing_and_telling_another_spot_of_the_building_joins_the_report(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "朵朵妈", "3号楼东边绿化带 天天有狗屎 孩子踩了一脚")
    said = await say(chat, "3号楼 老孙", "对 天天早上一堆一堆的 也没人收拾 3号楼1单元门口也有", minutes=3)
    assert ticket_ids(chat) == [1]
    assert "3号楼 老孙" in reporters(chat, 1)
    assert [m for m in in_room(said) if "工单 #2" in m.text] == []


# --- a guess at why, a warning to others ---------------------------------------------------


async def test_a_guess_at_why_naming_a_spot_while_the_outage_is_talked_of_opens_nothing(open_chat):
    chat = await low_water_in_5(open_chat)
    said = await say(chat, "荷花", "是不是东门外面修路把水管挖断了", minutes=4)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []


async def test_the_same_guess_with_nothing_talked_of_is_read_as_ever(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "荷花", "是不是东门外面修路把水管挖断了")
    assert ticket_ids(chat) == [1]


async def test_telling_others_what_not_to_do_while_a_blocked_drain_is_talked_of_opens_nothing(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "9-2-102 陈姐", "9号楼下水道堵了 厨房池子往上冒脏水")
    said = await say(chat, "老张", "楼上的别往下水池里倒剩饭了 都是这么堵的", minutes=6)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []


async def test_a_warning_naming_a_building_is_its_own_matter(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "9-2-102 陈姐", "9号楼下水道堵了 厨房池子往上冒脏水")
    await say(chat, "老张", "3号楼的别往楼道里堆纸箱了 消防通道都堵了", minutes=6)
    assert ticket_ids(chat) == [1, 2]


# --- the other side of a quarrel, privately ------------------------------------------------


async def dog_mess_reported(open_chat, accused: str):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-201 钱叔", "6号楼门口又是一大坨狗屎 早上踩了一脚")
    await say(chat, "6-1-301 张姐", accused, minutes=2)
    await say(chat, "6-2-201 钱叔", "谁家的狗屎谁心里清楚 @马建民 你给评评理", minutes=2)
    assert ticket_ids(chat) == [1]
    return chat


async def test_the_other_side_of_a_quarrel_writing_privately_is_a_party_to_the_same_matter(open_chat):
    chat = await dog_mess_reported(open_chat, "你说谁呢 有本事指名道姓说")
    chat.clock.advance(timedelta(minutes=5))
    await chat.say("6-1-301 张姐", "我不想在群里跟他吵 我家狗每回都收拾 他就是针对我", None)
    assert ticket_ids(chat) == [1]
    assert "6-1-301 张姐" in reporters(chat, 1)


async def test_a_private_quarrel_over_a_matter_nobody_quarrelled_over_is_its_own(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-201 钱叔", "6号楼门口又是一大坨狗屎 早上踩了一脚")
    await chat.say("6-1-301 张姐", "大家好", ROOM)
    chat.clock.advance(timedelta(minutes=5))
    await chat.say("6-1-301 张姐", "楼上那家的狗天天叫 他就是针对我", None)
    assert ticket_ids(chat) == [1, 2]


# --- the property company's word on an emergency just closed -------------------------------


async def gas_leak_closed(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "6-2-301 吴姐", "6号楼2单元楼道一股煤气味 谁家漏气了")
    await say(chat, "马建民", "完成 1 燃气公司查过了 阀门关好了", minutes=8)
    assert chat.ticket(1).status == "resolved"
    return chat


def updates_by(chat, ticket_id, who):
    return [e for e in chat.store.tickets.events(ticket_id) if e.kind == "update" and e.actor_name == who]


async def test_the_property_companys_word_minutes_after_an_emergency_was_closed_is_on_its_timeline(open_chat):
    chat = await gas_leak_closed(open_chat)
    await say(chat, "物业客服小陈", "燃气公司检测合格 6号楼2单元已恢复供气 大家可以回家了", minutes=3)
    assert len(updates_by(chat, 1, "物业客服小陈")) == 1
    said = await say(chat, "荷花", "我给我妈家装了个燃气报警器 一漏就响 家家都该装一个", minutes=3)
    assert ticket_ids(chat) == [1]
    assert [m for m in in_room(said) if "工单 #2" in m.text] == []


async def test_the_same_word_hours_later_is_not_on_its_timeline(open_chat):
    chat = await gas_leak_closed(open_chat)
    await say(chat, "物业客服小陈", "燃气公司检测合格 6号楼2单元已恢复供气 大家可以回家了", minutes=3 * 60)
    assert updates_by(chat, 1, "物业客服小陈") == []


async def test_a_complaint_said_as_a_warning_once_the_room_has_moved_on_is_its_own(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "9-2-102 陈姐", "9号楼下水道堵了 厨房池子往上冒脏水")
    await say(chat, "老张", "楼上的别再往下扔烟头了 烫坏了我家晾的被子", minutes=15)
    assert ticket_ids(chat) == [1, 2]
