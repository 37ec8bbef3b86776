"""Several residents reported one need: each rates for themselves, the ticket's rating is
their mean, and that one figure is what the statistics average (统计, the dashboard's
平均评分 and 满意率); the rating question is asked once more of each who has not rated."""

from __future__ import annotations

import re

from conftest import texts
from webtools import open_office

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
SAME = "三栋门口那个井盖松了，踩上去咣当响"
LAMP = "5号楼楼道灯坏了好几天了，晚上黑漆漆的"


async def test_the_statistics_average_the_tickets_own_ratings(chat) -> None:
    await chat.say("张阿姨", COVER)  # #1
    await chat.say("李叔", SAME)  # joins #1
    await chat.say("王大爷", LAMP)  # #2
    assert [r.person_name for r in chat.store.tickets.reporters(1)] == ["张阿姨", "李叔"]
    await chat.say("马建民", "完成 1 已更换新井盖")
    await chat.say("马建民", "完成 2 换了灯泡")
    await chat.say("张阿姨", "2")
    await chat.say("李叔", "5")  # the latest rating of #1, but not its figure
    await chat.say("王大爷", "4")
    assert [chat.ticket(1).rating, chat.ticket(2).rating] == [3.5, 4]

    answer = texts(await chat.say("马建民", "统计", room=None))
    assert "满意度 3.8 分（2 件有评价）" in answer  # (3.5 + 4) / 2

    office = await open_office(chat)
    try:
        await office.sign_in("马建民")
        page = await (await office.get("/stats?from=2026-11-23&to=2026-11-23")).text()
    finally:
        await office.client.close()
    assert re.search(r"平均评分</div><div class=\"value\">3.8<small>2 件有评价", page)
    assert re.search(r"满意率（4-5 分）</div><div class=\"value\">50%", page)  # 3.5 is not content


async def test_the_rating_question_goes_again_to_each_who_has_not_rated(chat) -> None:
    for name in ("张阿姨", "李叔"):  # known in the grid's group, then writing privately
        await chat.say(name, "大家早上好")
    await chat.say("张阿姨", COVER, room=None)
    await chat.say("李叔", SAME, room=None)
    assert [r.room_id for r in chat.store.tickets.reporters(1)] == [None, None]
    done = await chat.say("马建民", "完成 1 已更换新井盖")
    assert sorted(m.to.name for m in done if m.to and "满意" in m.text) == ["张阿姨", "李叔"]
    await chat.say("李叔", "满意")

    again = await chat.later(minutes=61)
    assert [m.to.name for m in again if "现在还好吗" in m.text] == ["张阿姨"]
    assert await chat.later(minutes=61) == []  # once
    await chat.say("张阿姨", "3")
    ticket = chat.ticket(1)
    assert ticket.status == "closed" and ticket.rating == 4  # (5 + 3) / 2
