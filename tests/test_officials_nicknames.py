"""Officials as a group shows them: a nickname with the role in it (王秀英(网格员),
网格员-王秀英), an @ of that nickname, and a worker who goes on about the one she took on
minutes ago while other tickets wait on her. Through the Application (names trusted, as in
the simulator and the test chats), checked on the tickets and on what the bot sent.

The sentences are written for these tests by category (not taken from the dev days).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.messages import Outgoing

ROOM = "滨河新村二网格群"
QUOTE = "「{who}：{text}」\n- - - - - - - - - - - - - - -\n{reply}"
LIFT = "6幢2单元的电梯又停了 按了半天没反应"
BINS = "东门垃圾桶满了两天了 臭得很"
FALL = "快来人 11幢3单元502的黄婆婆摔倒了 在屋头喊起不来"


def in_room(sent: list[Outgoing]) -> list[Outgoing]:
    return [m for m in sent if m.room_topic == ROOM]


@pytest.mark.parametrize("nickname", ["王秀英(网格员)", "王秀英（网格员）", "网格员-王秀英", "【网格员】王秀英"])
async def test_a_worker_whose_nickname_carries_her_role_takes_and_finishes_in_her_own_words(chat, nickname):
    await chat.say("6-2-801 老彭", LIFT, room=ROOM)
    await chat.say(nickname, QUOTE.format(who="6-2-801 老彭", text=LIFT, reply="收到 我喊电梯公司马上来"), room=ROOM)
    assert str(chat.ticket(1).status) == "accepted"
    assert chat.ticket(1).assignee_name == "王秀英"
    chat.clock.advance(timedelta(hours=1))
    sent = await chat.say(nickname, "6幢2单元电梯修好了 换了个接触器", room=ROOM)
    assert str(chat.ticket(1).status) == "resolved"
    # nothing went to her display name as if she were someone else
    assert all(m.to is None or m.to.name == "王秀英" or m.to.name == "6-2-801 老彭" for m in sent)


async def test_an_at_of_the_workers_nickname_is_no_part_of_the_report(chat):
    await chat.say("8-1-302 小温", "@王秀英(网格员) 8幢1单元楼道灯全部不亮了", room=ROOM)
    ticket = chat.ticket(1)
    assert ticket is not None
    assert "网格员" not in ticket.text and "8幢1单元" in ticket.text


async def test_arrived_after_taking_one_on_goes_on_with_it_and_asks_nothing(chat):
    await chat.say("5-2-1001 老汤", LIFT, room=ROOM)
    await chat.say("17幢 胡哥", BINS, room=ROOM)
    await chat.say("11幢 吴阿姨", FALL, room=ROOM)
    await chat.say("王秀英(网格员)", QUOTE.format(who="11幢 吴阿姨", text=FALL, reply="吴阿姨我马上过来 120我打了"), room=ROOM)
    assert [str(chat.ticket(n).status) for n in (1, 2, 3)] == ["open", "open", "accepted"]
    chat.clock.advance(timedelta(minutes=9))
    sent = await chat.say("王秀英(网格员)", "到了 开锁师傅在开", room=ROOM)
    # not "which one do you mean: #1 or #2?": she goes on with the fall she is at
    assert sent == []
    assert [str(chat.ticket(n).status) for n in (1, 2, 3)] == ["open", "open", "accepted"]
