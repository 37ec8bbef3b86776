"""An incident the group knows of that turns dangerous later (review of d13, finding 6: the
stairwell pipe that dripped all day bursts at 15:37 and only the officials heard 【紧急】):
the people near it hear one short, plain line of what to do first for that kind of danger
(a burst pipe: close the valve, keep off the wiring and sockets), once per incident; a new
report of such a danger says the same line in its alarm. The lines are one table by kind
(handlers/texts.EMERGENCY). Through the application, as the group sees it."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_BH1, posts_in

from handlers.texts import EMERGENCY

SEEPS = "9号楼1单元二楼楼道暖气管接头往外渗水 地上湿了一片"
WORSE = "9号楼1单元楼道那根暖气管 比上午漏得快多了 地上的冰越来越大 老人下楼得扶着墙"
BURST = "不好了 9号楼1单元暖气管崩开了 水哗哗往楼下灌"
MORE = "水还在哗哗往下淌 一楼都进水了 快来人"

group = posts_in(ROOM_BH1)


async def test_the_burst_of_a_known_leak_tells_the_group_what_to_do_once(chat):
    await chat.say("9-1-201 老马", SEEPS, ROOM_BH1)
    chat.clock.advance(timedelta(hours=3))
    await chat.say("9号楼 孙姐", WORSE, ROOM_BH1)
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("9-1-201 老马", BURST, ROOM_BH1)
    [line] = [m.text for m in group(sent)]
    assert line.startswith(EMERGENCY["water"]) and "总阀" in line and "插座" in line
    [ticket] = chat.store.tickets.select()
    assert f"#{ticket.id}" in line
    # the neighbours' cries after it: the group has heard what to do, not again
    chat.clock.advance(timedelta(minutes=1))
    sent = await chat.say("9-1-101 老蒋", MORE, ROOM_BH1)
    assert not any("总阀" in m.text for m in group(sent))
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("9-1-201 老马", BURST, ROOM_BH1)
    assert not any("总阀" in m.text for m in group(sent))


async def test_a_new_report_of_a_burst_pipe_carries_the_same_line(chat):
    sent = await chat.say("7-2-301 小周", "7号楼2单元三楼水管爆了 水哗哗往下淌 楼梯全是水", ROOM_BH1)
    [post] = [m.text for m in group(sent)]
    assert post.startswith(EMERGENCY["water"])


async def test_a_danger_of_no_known_kind_gets_no_advice(chat):
    await chat.say("9-1-201 老马", SEEPS, ROOM_BH1)
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("9号楼 孙姐", WORSE, ROOM_BH1)  # ice on the stairs: urgent, no kind
    assert chat.store.tickets.select()[0].urgent
    assert not group(sent)
