"""One deadline everywhere: the dashboard's countdown and 已超时, Open311's expected time
and the statistics' 按时办结 count the working time the timers count (a report made on a
Friday evening is not late over the weekend), so the office never sees "overdue" where the
bot does not."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from conftest import TZ, texts, when_due
from webtools import open_office

from handlers import deadlines

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
BINS = "北门的垃圾桶满了三天没人清，臭得不行"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture
async def chat(open_chat, example_config):
    """Each reminder when due (no overdue lists): the deadline is what is tested."""
    return await open_chat(when_due(example_config))


@pytest.fixture
async def office(chat):
    office = await open_office(chat)
    yield office
    await office.client.close()


def late_tickets(page: str) -> list[int]:
    rows = re.findall(r'data-ticket="(\d+)".*?class="deadline( late)?"', page, re.S)
    assert rows, page  # the queue, with its tickets
    return [int(n) for n, late in rows if late]


async def test_a_friday_evening_report_is_late_on_monday_for_the_bot_and_the_office(office) -> None:
    chat = office.chat
    chat.clock.set(at(27, 17, 20))  # Friday, ten minutes before the office closes
    await chat.say("张阿姨", COVER)  # #1: 10 minutes today, 20 on Monday: 08:50
    chat.clock.set(at(27, 17, 25))
    await chat.say("李叔", BINS)  # #2: 5 minutes today, 25 on Monday: 08:55
    # five minutes after #1's ping: #2's comes with the end of that half hour (handlers/pace.py),
    # Friday 17:50; its clock runs from the report all the same
    assert [chat.ticket(1).deadline_at, chat.ticket(2).deadline_at] == [
        int(at(30, 8, 50).timestamp()), int(at(30, 8, 55).timestamp())
    ]
    assert await chat.later(minutes=24) == []
    [listed] = await chat.later(minutes=1)
    assert listed.to.name == "马建民" and listed.text.startswith("🆕") and "#2" in listed.text
    assert chat.ticket(2).deadline_at == int(at(30, 8, 55).timestamp())

    chat.clock.set(at(28, 10, 0))  # Saturday: nobody is late, for the bot or the office
    assert await chat.later(minutes=0) == []
    await office.sign_in("马建民")
    queue = await (await office.get("/")).text()
    assert late_tickets(queue) == [] and re.search(r'<span class="n">0</span>已超时', queue)
    assert "还剩 46 小时 50 分" in queue and "还剩 46 小时 55 分" in queue
    assert 'class="deadline late"' not in await (await office.get("/tickets/1")).text()
    [request] = json.loads(await (await office.get("/open311/v2/requests/1.json")).text())
    assert request["expected_datetime"] == "2026-11-30T08:50:00+08:00"

    chat.clock.set(at(30, 8, 52))  # Monday: #1 is late, #2 not yet, for both
    reminded = await chat.later(minutes=0)
    assert [m.to.name for m in reminded] == ["马建民"] and "#1" in texts(reminded)
    assert "#2" not in texts(reminded)
    await office.sign_in("马建民")
    queue = await (await office.get("/")).text()
    assert late_tickets(queue) == [1] and "已超时 2 分钟" in queue and "还剩 3 分钟" in queue

    await chat.say("马建民", "接单 2")  # in time
    await chat.say("马建民", "接单 1")  # late
    await chat.say("马建民", "完成 2 清走了")
    await chat.say("马建民", "完成 1 换了新井盖")
    stats = await (await office.get("/stats?from=2026-11-30&to=2026-11-30")).text()
    assert re.search(r"按时办结</div><div class=\"value\">50%", stats)
    answer = await chat.say("马建民", "统计", room=None)
    assert "按时办结 50%" in texts(answer)


async def test_the_kept_deadline_is_the_one_the_timers_work_out(chat) -> None:
    """Whatever moves a ticket (hand-overs, escalations by people and by the timers, a
    reopening), the deadline kept on it is the one worked out from its timeline."""
    chat.clock.set(at(27, 16, 0))
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    await chat.say("马建民", "转 2 孙丽")
    await chat.later(hours=1)  # #1 reminded
    await chat.later(hours=70)  # Monday: the chain goes on
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "完成 1 换好了")
    await chat.say("张阿姨", "还是翘着，没修好")  # reopened
    await chat.say("孙丽", "转 2 社区 要物业来")
    ctx = chat.app.context()
    for number in (1, 2):
        ticket = chat.ticket(number)
        assert ticket.status.is_open and ticket.deadline_at is not None
        assert ticket.deadline_at == deadlines.work_out(ctx, ticket)


async def test_a_ticket_from_before_gets_its_deadline_at_the_next_round(chat) -> None:
    """Migration 015 leaves the unfinished tickets without a deadline and due for the
    timers, whose next round works theirs out (the config knows the working time)."""
    chat.clock.set(at(27, 17, 20))
    await chat.say("张阿姨", COVER)
    chat.store.db.execute("UPDATE tickets SET deadline_at = NULL, due_at = 0 WHERE id = 1")
    chat.store.tickets.forget()  # as a bot started on the migrated file: nothing kept yet
    assert chat.ticket(1).deadline_at is None
    await chat.later(minutes=1)
    assert chat.ticket(1).deadline_at == int(at(30, 8, 50).timestamp())


async def test_a_correction_of_urgency_moves_the_deadline(chat) -> None:
    await chat.say("张阿姨", COVER)  # Monday 10:00: 30 minutes to take it
    assert chat.ticket(1).deadline_at == int(at(23, 10, 30).timestamp())
    await chat.say("马建民", "紧急 1", room=None)  # an urgent one has 10 minutes, every minute counting
    assert chat.ticket(1).urgent and chat.ticket(1).deadline_at == int(at(23, 10, 10).timestamp())
    await chat.say("马建民", "不急 1", room=None)
    assert chat.ticket(1).deadline_at == int(at(23, 10, 30).timestamp())
    await chat.say("马建民", "不是诉求 1", room=None)
    assert chat.ticket(1).status == "cancelled" and chat.ticket(1).deadline_at is None
