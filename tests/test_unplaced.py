"""A private report from someone the bot has never seen in a grid's group: asked where they
live, asked once more (naming the communities) when the answer places it nowhere, and then
kept as 疑似诉求 for the admins, who are told; the resident hears someone will contact
them. Never lost. All through the Application, as the resident and the admin would see it."""

from __future__ import annotations

from conftest import private_to as to
from conftest import texts

from handlers.messages import Outgoing

STRANGER = "路过的刘阿姨"
LAMP = "我家楼下路灯坏了好几天了"



async def ask(chat, text: str) -> list[Outgoing]:
    return await chat.say(STRANGER, text, room=None)


async def test_a_building_alone_is_asked_once_more_then_community_and_building_place_it(chat):
    [question] = await ask(chat, LAMP)
    assert question.to.name == STRANGER and "小区" in question.text

    again = await ask(chat, "5号楼")
    assert [m.to.name for m in again] == [STRANGER]
    assert "青年路社区" in again[0].text and "滨河社区" in again[0].text  # what the bot serves
    assert chat.store.tickets.select() == []

    # 青年路社区 has two grids; only the first one's group says it has buildings 1-6
    placed = await ask(chat, "青年路社区5号楼")
    ticket = chat.ticket(1)
    assert (ticket.grid_id, ticket.room_id, ticket.text) == ("qn-1", None, LAMP)
    assert "#1" in texts(to(placed, STRANGER)) and "#1" in texts(to(placed, "马建民"))
    assert "最近没有疑似诉求" in texts(await chat.say("冯媛", "疑似", room=None))  # placed, not kept

    await ask(chat, "楼道里有人给电动车充电，太危险了")  # remembered: no question now
    assert chat.ticket(2).grid_id == "qn-1"


async def test_a_community_and_a_building_no_group_names_ask_which_grid(chat):
    await ask(chat, LAMP)
    which = await ask(chat, "青年路社区8号楼")
    assert chat.store.tickets.select() == []
    assert "青年路第一网格" in which[0].text and "青年路二网格居民群" in which[0].text
    assert "滨河" not in which[0].text
    await ask(chat, "2")
    assert chat.ticket(1).grid_id == "qn-2"


async def test_a_compound_and_building_placed_at_once(chat):
    await ask(chat, LAMP)
    await ask(chat, "滨河新村5号楼")
    assert chat.ticket(1).grid_id == "bh-2"


async def test_an_unknown_compound_twice_goes_to_the_admins_and_is_never_lost(chat):
    await ask(chat, LAMP)
    again = await ask(chat, "阳光花园")
    assert "青年路社区" in texts(again) and chat.store.tickets.select() == []

    kept = await ask(chat, "阳光花园3栋")
    assert chat.store.tickets.select() == []
    assert "联系您" in texts(to(kept, STRANGER))
    [admin] = to(kept, "冯媛")  # told at once, privately
    assert LAMP in admin.text and STRANGER in admin.text and "登记 1 " in admin.text
    assert all(m.room_id is None for m in kept)

    listing = texts(await chat.say("冯媛", "疑似", room=None))
    assert LAMP in listing and "住处不明" in listing
    assert LAMP not in texts(await chat.say("马建民", "疑似", room=None))  # no grid's worker's

    # the question is over: the next words are read as usual (here: chat, nothing said)
    assert await ask(chat, "好的谢谢") == []

    # the admin called her: 滨河花园, 滨河第一网格
    hint = await chat.say("冯媛", "登记 1", room=None)
    assert "还不知道是哪个网格" in texts(hint) and "登记 1 青年路第一网格" in texts(hint)
    made = await chat.say("冯媛", "登记 1 滨河第一网格", room=None)
    ticket = chat.ticket(1)
    assert (ticket.grid_id, ticket.reporter_name, ticket.text) == ("bh-1", STRANGER, LAMP)
    assert "#1" in texts(to(made, STRANGER)) and "#1" in texts(to(made, "李强"))
    assert "最近没有疑似诉求" in texts(await chat.say("冯媛", "疑似", room=None))
    await ask(chat, "楼道里堆满了杂物，走不过去")  # and she is placed from now on
    assert chat.ticket(2).grid_id == "bh-1"


async def test_a_worker_cannot_register_a_report_of_no_grid_elsewhere(chat):
    await ask(chat, LAMP)
    await ask(chat, "不知道")
    await ask(chat, "不知道")
    said = await chat.say("李强", "登记 1 青年路第一网格", room=None)
    assert chat.store.tickets.select() == [] and "不在您负责" in texts(said)


async def test_a_second_report_while_asked_is_kept_and_placed_with_the_first(chat):
    await ask(chat, "小区门口的井盖没了")
    await ask(chat, "还有楼道里堆满了杂物，走不过去")
    assert chat.store.tickets.select() == []
    placed = await ask(chat, "我住滨河新村")
    tickets = chat.store.tickets.select()
    assert sorted(t.intent for t in tickets) == ["repair", "sanitation"]
    assert {t.grid_id for t in tickets} == {"bh-2"}
    # the worker of 滨河第二网格 hears of both: the first at once, the second listed with
    # her next message (one message per reminder interval)
    assert len(to(placed, "王秀英")) == 1
    [listed] = to(await chat.later(minutes=30), "王秀英")
    assert "#2" in listed.text


async def test_both_reports_stay_with_the_admins_when_still_unplaced(chat):
    await ask(chat, "小区门口的井盖没了")
    await ask(chat, "还有楼道里堆满了杂物，走不过去")
    kept = await ask(chat, "我也说不清")
    [admin] = to(kept, "冯媛")
    assert "井盖" in admin.text and "杂物" in admin.text
    listing = texts(await chat.say("冯媛", "疑似", room=None))
    assert "井盖" in listing and "杂物" in listing


async def test_the_dashboard_shows_a_report_of_no_grid_to_admins_and_registers_it(chat):
    from webtools import open_office

    await ask(chat, LAMP)
    await ask(chat, "阳光花园")
    await ask(chat, "阳光花园3栋")
    office = await open_office(chat)
    try:
        csrf = await office.sign_in("马建民")
        assert LAMP not in await (await office.get("/suspects")).text()
        assert (await office.post("/suspects/1/register", {"csrf": csrf, "grid": "qn-1"})).status == 404
        office.client.session.cookie_jar.clear()
        csrf = await office.sign_in("冯媛")
        page = await (await office.get("/suspects")).text()
        assert LAMP in page and "住处不明" in page and 'name="grid"' in page
        response = await office.post("/suspects/1/register", {"csrf": csrf, "grid": "bh-1"})
        assert response.headers["Location"] == "/tickets/1?done=register"
        assert chat.ticket(1).grid_id == "bh-1" and chat.ticket(1).reporter_name == STRANGER
    finally:
        await office.client.close()


async def test_danger_from_a_stranger_gives_the_number_and_tells_the_admins_at_once(chat):
    sent = await ask(chat, "快来人 2单元楼道里着火了 好大的烟")
    assert "119" in texts(to(sent, STRANGER)) and "小区" in texts(to(sent, STRANGER))
    assert "着火" in texts(to(sent, "冯媛"))
    placed = await ask(chat, "青年路社区5号楼")
    assert chat.ticket(1).urgent and chat.ticket(1).grid_id == "qn-1"
    # a fire: the grid's workers and the community's staff at once (handlers/danger.WAKES_COMMUNITY)
    told = {m.to.name for m in placed if m.to}
    assert {"马建民", "孙丽", "张继凯", "刘芳"} <= told


async def test_one_asked_privately_who_then_speaks_in_a_grids_group_lives_there(chat):
    """Nobody is asked in public where they live: the group they speak in says it."""
    [question] = await ask(chat, LAMP)
    assert question.to.name == STRANGER
    said = await chat.say(STRANGER, "我家也要一台 12-2-501")  # in 青年路一网格居民群
    assert not [m for m in said if m.room_id is not None and "住哪" in m.text]
    ticket = chat.ticket(1)
    assert (ticket.grid_id, ticket.text) == ("qn-1", LAMP)  # the private report, placed there
    assert "#1" in texts(to(said, STRANGER)) and "#1" in texts(to(said, "马建民"))
    later = await ask(chat, "楼道里有人给电动车充电，太危险了")  # remembered: no question now
    assert not [m for m in later if "住哪" in m.text] and chat.ticket(2).grid_id == "qn-1"
