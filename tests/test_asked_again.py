"""A need asked again in other words by its own reporter the same day (d11's N6: a pension
check asked at nine, asked after again at noon) joins its ticket: the resident hears which
ticket it is on and the worker hears the chase, not a new ticket with a new number. A
matter of another kind said with it is still its own. Through the application, as the group
and the worker see it; the classifier is scripted (tests/test_incidents.py)."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_QN1, posts_in, speaker
from test_incidents import Scripted

ROOM = ROOM_QN1  # 青年路一网格居民群: worker 马建民
WORKER = "马建民"
RESIDENT = "5-1-302 老魏"
WORDS = {  # the first word found decides
    "垃圾": ("sanitation", 0.9, False, None),
    "养老金": ("errand", 0.9, False, None),
}


say = speaker(ROOM)
in_room = posts_in(ROOM)


def to_worker(sent):
    return [m for m in sent if m.to and m.to.name == WORKER]


def ticket_ids(chat):
    return [t.id for t in chat.store.tickets.select()]


async def pension_asked(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, RESIDENT, "请问养老金认证在手机上怎么弄 我和老伴都不会")
    assert ticket_ids(chat) == [1]
    chat.clock.advance(timedelta(hours=3))
    return chat


async def test_the_reporter_asking_after_it_hours_later_in_other_words_joins_its_ticket(open_chat):
    chat = await pension_asked(open_chat)
    said = await say(chat, RESIDENT, "早上问的养老金资格认证 谁能帮个忙 下个月不认证就不发了")
    assert ticket_ids(chat) == [1]
    [post] = in_room(said)
    assert "#1" in post.text and "#2" not in post.text
    assert any("#1" in m.text for m in to_worker(said))  # the chase, to the worker


async def test_another_matter_said_with_it_is_its_own_ticket(open_chat):
    chat = await pension_asked(open_chat)
    await say(chat, RESIDENT, "上午问的养老金认证先放放 另外 5号楼门口垃圾满了没人拉")
    assert ticket_ids(chat) == [1, 2]
    assert chat.ticket(2).intent == "sanitation"
