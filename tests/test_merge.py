"""合并 12 到 8: one need registered twice becomes one ticket; its reporters are told once
and again when it is done; the statistics count it once."""

from __future__ import annotations

from conftest import texts

ROOM_BUILDING = "青年路1-6号楼楼栋群"  # the same grid (qn-1), another group


async def two_tickets_of_one_need(chat) -> None:
    await chat.say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒")
    await chat.say("王大爷", "小区北门那个井盖松了，踩上去咣当响", room=ROOM_BUILDING)
    assert chat.ticket(1) is not None and chat.ticket(2) is not None
    chat.transport.take()


async def test_merging_moves_the_reporters_and_tells_them_once(chat):
    await two_tickets_of_one_need(chat)
    sent = await chat.say("马建民", "合并 2 到 1", room=None)
    assert chat.ticket(2).status == "merged" and chat.ticket(2).merged_into == 1
    assert {r.person_name for r in chat.store.tickets.reporters(1)} == {"张阿姨", "王大爷"}
    to_worker = [m for m in sent if m.to is not None]
    assert [m.to.name for m in to_worker] == ["马建民"] and "已把工单 #2 并到 #1" in to_worker[0].text
    in_groups = [m for m in sent if m.room_id is not None]
    assert [(m.room_topic, [p.name for p in m.mentions]) for m in in_groups] == [
        (ROOM_BUILDING, ["王大爷"])]
    assert "工单 #1 是同一件事" in in_groups[0].text
    kinds = [e.kind for e in chat.store.tickets.events(2)]
    assert kinds[-1] == "merged"

    sent = await chat.say("马建民", "完成 1 已更换新井盖", room=None)
    told = {m.room_topic for m in sent if m.room_id is not None}
    assert told == {"青年路一网格居民群", ROOM_BUILDING}  # both residents hear it is done


async def test_merging_is_refused_with_a_reason(chat):
    await two_tickets_of_one_need(chat)
    cases = [
        ("合并 2", "请说并到哪一张"),
        ("合并 2 到 2", "不能并到它自己"),
        ("合并 2 到 99", "没有找到工单 #99"),
    ]
    for said, answer in cases:
        assert answer in texts(await chat.say("马建民", said, room=None)), said
    await chat.say("赵阿姨", "楼上天天半夜跺脚，吵得睡不着，说了也不听", room="滨河花园一网格群")  # 3
    assert "不在您负责的网格" in texts(await chat.say("马建民", "合并 2 到 3", room=None))
    await chat.say("张阿姨", "撤销 1")
    assert chat.ticket(1).status == "cancelled"
    assert "请并到还在办的工单" in texts(await chat.say("马建民", "合并 2 到 1", room=None))
    assert chat.ticket(2).status == "open"


async def test_a_resident_cannot_merge(chat):
    await two_tickets_of_one_need(chat)
    await chat.say("王大爷", "合并 2 到 1", room=ROOM_BUILDING)
    assert chat.ticket(2).status == "open"
