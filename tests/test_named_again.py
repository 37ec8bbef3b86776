"""A resident names in the group an official about a ticket that official was already told of
(「@李强 小李 暖气一上午都没热…」 on d13, 「李强来了」): the @ in the group reaches them; their
phone does not get the ticket's 「新工单」 ping a second time. An official named who never heard
of it is still told. Through the Application, with the clock moved."""

from __future__ import annotations

from conftest import ROOM_QN1

WORKER, BACKUP = "马建民", "孙丽"
GATE = "北门的大铁门锁坏了 关不上 一个礼拜了"
LAMP = "5栋门口的路灯不亮了 晚上黑黢黢的"


def private(out, name):
    return [m.text for m in out if m.to is not None and m.to.name == name]


async def test_an_official_already_told_is_not_pinged_again_when_named(chat) -> None:
    first = await chat.say("4栋 老孟", GATE, ROOM_QN1)
    assert any(t.startswith("新工单 #1") for t in private(first, WORKER))
    await chat.later(minutes=30)
    other = await chat.say("5栋 李叔", LAMP, ROOM_QN1)  # his phone has had other news since
    assert any(t.startswith("新工单 #2") for t in private(other, WORKER))
    heard = []
    for _ in range(60):  # a day and a half nobody takes it: both listed to him twice, then handed to his backup
        heard += await chat.later(minutes=30)
    assert [m.text[:9] for m in heard if m.to is not None and m.to.name == WORKER] == ["⏰ 超时的工单 2"] * 2
    assert chat.ticket(1).assignee_name == BACKUP  # handed on: he no longer holds it
    named = await chat.say("4栋 老孟", f"@{WORKER} 北门的大铁门锁 物业说在等配件 配件到了再换", ROOM_QN1)
    assert private(named, WORKER) == []  # the @ in the group reaches him; no second 「新工单 #1」
    assert chat.ticket(1).status == "open"


async def test_an_official_named_who_never_heard_of_it_is_told_once(chat) -> None:
    await chat.say("4栋 老孟", GATE, ROOM_QN1)
    await chat.later(minutes=20)
    named = await chat.say("4栋 老孟", f"@{BACKUP} 北门的大铁门锁 物业说在等配件 配件到了再换", ROOM_QN1)
    assert [t.startswith("新工单 #1【") for t in private(named, BACKUP)] == [True]
    again = await chat.say("4栋 老孟", f"@{BACKUP} 北门的大铁门锁 配件还没到", ROOM_QN1)
    assert private(again, BACKUP) == []
