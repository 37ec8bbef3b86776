"""A quarrel settled in the morning that one of its parties says is going on again at noon
(review of d12, finding 5: 「12点14了还在打 上午才说的中午不打钻」, 「说的话不算数」) is reopened
and its holder hears why, privately; the group, in the middle of the row, hears nothing from
the bot. A neighbour's word is no party's; a party's resigned 「又开始了 算了」 withdraws nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN1, TZ

from storage import TicketState

WORKER = "马建民"
PARTY = "9-1-702 周姐"
ROW = "@马建民 你们管不管嘛 9栋1单元802装修 天天早上7点就开始打钻 吵得人睡不成"


def private(out, name):
    return [m.text for m in out if m.to is not None and m.to.name == name]


def group(out):
    return [m for m in out if m.room_id is not None]


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 7, 20, tzinfo=TZ)  # a Monday


async def _settled(chat) -> None:
    await chat.say(PARTY, ROW, ROOM_QN1)
    assert chat.ticket(1).intent == "dispute"
    chat.clock.advance(timedelta(hours=2))
    await chat.say(WORKER, "9栋1单元装修的事 我跟802业主和周姐当面说好了 中午不打钻 办好 1", ROOM_QN1)
    assert chat.ticket(1).status in (TicketState.RESOLVED, TicketState.CLOSED)
    chat.clock.advance(timedelta(hours=3))


@pytest.mark.parametrize("again", ["12点14了还在打钻 上午才说的中午不打", "@马建民 说的话不算数嗦"])
async def test_a_party_saying_it_goes_on_again_reopens_it(chat, again) -> None:
    await _settled(chat)
    out = await chat.say(PARTY, again, ROOM_QN1)
    assert chat.ticket(1).status == TicketState.ACCEPTED  # back with its holder
    [ping] = private(out, WORKER)
    assert "#1" in ping
    assert group(out) == []  # nothing in the group in the middle of the row


async def test_a_neighbour_is_no_party_and_resignation_no_withdrawal(chat) -> None:
    await _settled(chat)
    await chat.say("10幢 陶哥", "说的话不算数 哈哈", ROOM_QN1)
    assert chat.ticket(1).status != TicketState.ACCEPTED
    await chat.say(PARTY, "还在打钻 说的话不算数", ROOM_QN1)
    chat.clock.advance(timedelta(hours=2))
    out = await chat.say(PARTY, "两点过了 又开始了 算了 这个时间我不说", ROOM_QN1)
    assert chat.ticket(1).status != TicketState.CANCELLED and group(out) == []
