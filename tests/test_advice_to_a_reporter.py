"""A neighbour's advice to the reporter of an open incident, calling them by name or naming
their home, while the room is talking about it (d11's k22, k36: 「老刘 恁先拿个盆接着」, 「老刘家
这个得找着业主 要不让物业开门？」 under 老刘's leak) is what to do meanwhile, no need of the
neighbour's: no ticket in their name, nothing posted. The same words to someone who reported
nothing, or hours after the incident was talked about, are read as ever. Through the
application; the classifier is scripted (tests/test_incidents.py)."""

from __future__ import annotations

from conftest import ROOM_QN1, posts_in, speaker
from test_incidents import Scripted

ROOM = ROOM_QN1  # 青年路一网格居民群: worker 马建民
REPORTER = "8-2-301 老周"
WORDS = {  # the first word found decides
    "暖气片": ("repair", 0.9, False, None),
    "开门": ("dispute", 0.9, False, None),
    "消防通道": ("safety", 0.9, False, None),
    "漏水": ("repair", 0.9, False, None),
    "阀门": ("wish", 0.6, False, None),  # 「…关了就好了」 read as a wish, as the model may
}


say = speaker(ROOM)
in_room = posts_in(ROOM)


def ticket_ids(chat):
    return [t.id for t in chat.store.tickets.select()]


async def leak_reported(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, REPORTER, "我家卫生间顶上漏水 滴了一晚上了")
    assert ticket_ids(chat) == [1]
    return chat


async def test_advice_calling_the_reporter_by_name_opens_no_ticket(open_chat):
    chat = await leak_reported(open_chat)
    said = await say(chat, "5号楼 老孙", "老周 你先拿个盆接着 是不是楼上暖气片坏了", minutes=5)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []


async def test_advice_naming_the_reporters_home_opens_no_ticket(open_chat):
    chat = await leak_reported(open_chat)
    said = await say(chat, "1号楼 曲姐", "老周家这个得找着楼上业主 要不让物业开门？", minutes=10)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []


async def test_the_same_advice_to_someone_who_reported_nothing_is_read_as_ever(open_chat):
    chat = await leak_reported(open_chat)
    await say(chat, "10号楼 韩师傅", "老孙 你先把车挪挪 堵着消防通道了")
    assert ticket_ids(chat) == [1, 2]


async def test_advice_hours_after_the_incident_was_talked_about_is_read_as_ever(open_chat):
    chat = await leak_reported(open_chat)
    await say(chat, "5号楼 老孙", "老周 你先拿个盆接着 是不是楼上暖气片坏了", minutes=5 * 60)
    assert ticket_ids(chat) == [1, 2]


async def test_a_neighbour_wondering_what_to_do_about_it_opens_no_ticket(open_chat):
    """「是不是得…」 names no one, but wonders what to do about the matter just reported."""
    chat = await leak_reported(open_chat)
    said = await say(chat, "5号楼 老孙", "是不是得把楼上的总阀门关一下 关了就好了", minutes=4)
    assert ticket_ids(chat) == [1]
    assert in_room(said) == []
