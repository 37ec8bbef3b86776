"""Privacy by role: a neighbour who reports the same need joins the ticket and sees how it
is going, never who else reported it nor their words; they can leave it, not withdraw it
for the others; each reporter rates (and reopens) for themselves. A ticket's details go
only privately to the officials of its grid or community."""

from __future__ import annotations

from conftest import ROOM_QN1, texts

COVER = "我家13812345678，3栋门口井盖又翘起来了，晚上走路容易绊倒"
SAME = "三栋门口那个井盖松了，踩上去咣当响"


async def two_reporters(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", SAME)  # joins quietly: the acknowledgement is right above
    assert [r.person_name for r in chat.store.tickets.reporters(1)] == ["张阿姨", "李叔"]
    return chat.ticket(1)


async def test_a_co_reporter_sees_the_state_never_the_others_name_or_words(chat) -> None:
    await two_reporters(chat)
    out = await chat.say("李叔", "查询 1")
    shown = texts(out)
    assert "#1" in shown and "待接单" in shown and "马建民" in shown
    assert "张阿姨" not in shown and "翘起来" not in shown and "138" not in shown
    own = texts(await chat.say("张阿姨", "查询 1"))
    assert "翘起来" in own and "李叔" not in own and "13812345678" not in own


async def test_a_co_reporter_leaves_but_cannot_withdraw_for_the_others(chat) -> None:
    await two_reporters(chat)
    out = await chat.say("李叔", "撤销 1")
    assert chat.ticket(1).status == "open"
    assert "撤回您对工单 #1 的反映" in texts(out)
    told = [m for m in out if m.to is not None and m.to.name == "马建民"]
    assert told and "还有 1 位" in told[0].text and "李叔" not in told[0].text
    assert [r.person_name for r in chat.store.tickets.reporters(1)] == ["张阿姨"]
    assert "没有在办的工单" in texts(await chat.say("李叔", "我的工单"))
    # The last reporter withdraws the ticket itself.
    await chat.say("张阿姨", "撤销 1")
    assert chat.ticket(1).status == "cancelled"


async def test_the_first_reporter_cannot_withdraw_for_the_neighbour_either(chat) -> None:
    await two_reporters(chat)
    await chat.say("张阿姨", "撤销 1")
    assert chat.ticket(1).status == "open"
    assert [r.person_name for r in chat.store.tickets.reporters(1)] == ["李叔"]


async def test_each_reporter_rates_for_themselves(chat) -> None:
    await two_reporters(chat)
    await chat.say("马建民", "完成 1 已更换新井盖")
    await chat.say("李叔", "满意")
    assert [r.rating for r in chat.store.tickets.reporters(1)] == [None, 5]
    assert chat.ticket(1).status == "resolved"  # 张阿姨 has not said yet
    await chat.say("张阿姨", "2")
    ticket = chat.ticket(1)
    assert ticket.status == "closed" and ticket.rating == 3.5  # (5 + 2) / 2
    ratings = {r.person_name: r.rating for r in chat.store.tickets.reporters(1)}
    assert ratings == {"张阿姨": 2, "李叔": 5}


async def test_a_reporter_reopens_and_every_rating_starts_afresh(chat) -> None:
    await two_reporters(chat)
    await chat.say("马建民", "完成 1 已更换新井盖")
    await chat.say("张阿姨", "满意")
    await chat.say("李叔", "没修好")
    assert chat.ticket(1).status == "accepted"
    assert {r.rating for r in chat.store.tickets.reporters(1)} == {None}
    await chat.say("马建民", "完成 1 又加固了一遍")
    await chat.say("李叔", "5")
    assert chat.ticket(1).status == "resolved"
    await chat.say("张阿姨", "5")
    assert chat.ticket(1).status == "closed"


async def test_a_strangers_rating_or_reopening_changes_nothing(chat) -> None:
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "完成 1 已更换新井盖")
    await chat.say("路人甲", "评价 1 1")
    await chat.say("路人甲", "没修好")
    assert chat.ticket(1).status == "resolved" and chat.ticket(1).rating is None


async def test_ticket_details_go_privately_to_the_officials_of_its_grid_only(chat) -> None:
    # A dispute reported privately: its words and reporter must never reach a group.
    await chat.say("王阿姨", "你好", ROOM_QN1)  # known in qn-1's room
    await chat.say("王阿姨", "楼上邻居半夜装修吵得睡不着，跟他说了也不听", None)
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.room_id is None
    out = await chat.say("马建民", "查询 1", ROOM_QN1)
    in_group = [m for m in out if m.room_id is not None]
    privately = [m for m in out if m.to is not None]
    assert privately and privately[0].to.name == "马建民"
    assert "王阿姨" in privately[0].text and "装修" in privately[0].text
    assert all("王阿姨" not in m.text and "装修" not in m.text for m in in_group)
    # The worker of another community's grid sees only the state.
    out = await chat.say("李强", "查询 1", "滨河花园一网格群")
    assert all("王阿姨" not in m.text and "装修" not in m.text for m in out)
    assert "当前状态" in texts(out)


async def test_the_officials_details_show_the_phone_to_call_back_privately_only(chat) -> None:
    await two_reporters(chat)
    [private] = await chat.say("马建民", "查询 1", ROOM_QN1)
    assert private.to.name == "马建民" and "13812345678" in private.text  # to call her back
    out = await chat.say("张继凯", "查询 1", "青年路社区工作群")  # answered in the staff group
    assert [m.room_topic for m in out] == ["青年路社区工作群"]
    assert "张阿姨" in out[0].text and "138" not in out[0].text  # every group post is masked
