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
