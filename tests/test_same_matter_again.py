"""A matter told again is the same matter (day d15, 滨河新村二网格群):

- Told privately in pieces, a minute apart, a resident's next line is more of her story even
  when it reads as another kind of need (roof-top chickens: the smell, then being woken at
  dawn) — one ticket, not two.
- A fixed garage gate that will not close again the same evening is the same fault: its
  reporter's word goes on his ticket (reopening it once it was done), not a new one.

Through the Application, as users see it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import TZ, speaker

from handlers.messages import Person
from storage.states import TicketState

ROOM = "滨河新村二网格群"
say = speaker(ROOM)
WORKER = "王秀英"
SHY = "5栋 小韦"
ANGRY = "8栋 石勇"


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 12, 8, 9, 0, tzinfo=TZ)  # a Tuesday


async def test_a_private_story_told_in_pieces_is_one_ticket(chat):
    chat.transport.members(f"room-{ROOM}", ROOM, [Person(SHY, chat.person_id(SHY))])
    await chat.say(SHY, "我们5栋2单元楼顶天台上 有人家在上面养鸡 养了十几只 臭得很 鸡屎都顺到楼梯上来了", room=None)
    chat.clock.advance(timedelta(minutes=1))
    await chat.say(SHY, "晚上鸡还叫 我家娃娃在33楼 就在天台下面 每天早上四五点就被吵醒", room=None)
    assert len(chat.store.tickets.select()) == 1


async def _gate_broken_then_taken(chat):
    await say(chat, ANGRY, "8栋那个车库入口卷帘门坏了三天了 今天早上车又出不去 停车费照收")
    await say(chat, WORKER, "石勇 你莫急 下午我约物业经理一起到车库看 停车费的事当面说", minutes=5)
    [ticket] = chat.store.tickets.select()
    assert ticket.status == TicketState.ACCEPTED
    return ticket


async def test_a_gate_stuck_again_goes_on_its_open_ticket(chat):
    ticket = await _gate_broken_then_taken(chat)
    await say(chat, ANGRY, "车库门又出问题了 一直开起的关不下来 半夜哪个都能开车进来", minutes=600)
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id]


async def test_a_gate_stuck_again_after_it_was_fixed_reopens_it(chat):
    ticket = await _gate_broken_then_taken(chat)
    await say(chat, WORKER, "#1 修好了", minutes=300)
    assert chat.store.tickets.get(ticket.id).status == TicketState.RESOLVED
    await say(chat, ANGRY, "车库门又出问题了 一直开起的关不下来 半夜哪个都能开车进来", minutes=300)
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id]
    assert chat.store.tickets.get(ticket.id).status == TicketState.ACCEPTED


PROPERTY = "滨河新村物业 客服小林"
OWNER = "5栋 龙婶"
ROOF_NOTICE = "【温馨提示】各位业主：楼顶天台是消防疏散通道，禁止堆放杂物、饲养鸡鸭等家禽，已饲养的请于本周内自行清理，谢谢配合！"


async def _told_privately_then_noticed(chat):
    chat.transport.members(f"room-{ROOM}", ROOM, [Person(SHY, chat.person_id(SHY))])
    await chat.say(SHY, "我们5栋2单元楼顶天台上 有人家在上面养鸡 养了十几只 臭得很 鸡屎都顺到楼梯上来了", room=None)
    await say(chat, PROPERTY, ROOF_NOTICE, minutes=300)
    [ticket] = chat.store.tickets.select()
    return ticket


async def test_the_owner_answering_the_notice_on_a_private_matter_opens_nothing(chat):
    ticket = await _told_privately_then_noticed(chat)
    sent = await say(chat, OWNER, "哪个去物业告的嘛 我在天台上养几只鸡都不得 鸡又没咬人", minutes=3)
    sent += await say(chat, "13栋 岑阿姨", "龙婶 楼顶上养鸡是不得行 臭嘛 你楼下的人受不了", minutes=3)
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id]
    assert not any(m.to is None for m in sent)  # nothing in the group: no ack, no hint of who told


async def test_another_thing_after_that_notice_is_still_a_report(chat):
    await _told_privately_then_noticed(chat)
    await say(chat, "5栋 小杨", "5栋2单元电梯门关不上 一直在响", minutes=3)
    assert len(chat.store.tickets.select()) == 2
