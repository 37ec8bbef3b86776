"""One matter is one ticket (review of d15, a Tuesday in a resettlement estate): the kinds
behind its split needs, each in words of our own.

- A son far away asking for his mother's pills, then saying what she cannot do herself
  (「也不会用手机」): more of the same errand — what the person cannot do is no other thing
  broken.

Through the application; the classifier is scripted (tests/test_incidents.py)."""

from __future__ import annotations

from conftest import ROOM_QN1, speaker
from test_incidents import Scripted

ROOM = ROOM_QN1
WORDS = {  # the first word found decides
    "药吃完": ("errand", 0.9, False, None),
    "帮忙": ("errand", 0.9, False, None),
}

say = speaker(ROOM)


def ticket_ids(chat):
    return [t.id for t in chat.store.tickets.select()]


async def test_what_the_person_cannot_do_is_more_of_the_same_errand(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "7号楼 小周（在苏州）", "我是7号楼3单元902的小周 在苏州上班 我爸一个人住 他的药吃完了")
    await say(chat, "7号楼 小周（在苏州）", "他眼睛不好 也不会用手机下单 想请哪位帮忙去卫生站开一盒 钱我转")
    assert ticket_ids(chat) == [1]


# --- a lost person searched for -----------------------------------------------------------

LOST = {
    "帮忙找": ("errand", 0.9, False, None),
    "看到我家老人": ("errand", 0.9, False, None),
    "拉他上车": ("dispute", 0.7, False, None),  # the classifier may read a found man's words so
}


async def test_a_lost_person_is_one_matter_until_found(open_chat):
    chat = await open_chat(classifier=Scripted(LOST))
    await say(chat, "5号楼 小梅", "大家有没有看到我家老人 5号楼的刘爷爷 灰色外套 吃了午饭出去 到现在都没回来")
    # his son far away, in other words, minutes on
    await say(chat, "刘小东 在深圳", "麻烦网格员帮忙找一下我爸 我在深圳回不来", minutes=6)
    # hours on, found far from home
    await say(chat, "8号楼 老赵", "找到了 刘爷爷在加油站门口坐着 我拉他上车了", minutes=4 * 60)
    assert ticket_ids(chat) == [1]
