"""待办: the open tickets in one's charge, most urgent first, a page at a time."""

from __future__ import annotations

import re

from test_stats import accept, make_ctx, report, resolve, t

from handlers import worker
from handlers.messages import IncomingMessage

MONDAY = t(11, 23, 9, 0)


def todo(ctx, name: str, page: int = 1) -> str:
    sender = ctx.directory.configured_id(name) or f"wx-{name}"
    msg = IncomingMessage(message_id=f"m-{name}-{page}", room_id=None, room_topic=None,
                          sender_id=sender, sender_name=name, text="待办", time=MONDAY)
    [out] = worker.todo(ctx.at(MONDAY), msg, ctx.directory.identify(sender, name), page)
    assert out.to is not None and out.to.name == name  # privately
    return out.text


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^#(\d+)", text, re.M)]


def test_most_urgent_first_then_ones_own_then_the_longest_waiting_a_page_at_a_time() -> None:
    ctx = make_ctx()
    tickets = [report(ctx, MONDAY.replace(hour=7) + i * (MONDAY - MONDAY.replace(hour=8)) / 60,
                      "repair", reporter=f"居民{i}") for i in range(25)]
    urgent = report(ctx, MONDAY.replace(hour=8, minute=30), "safety", urgent=True)
    taken = tickets[20]
    accept(ctx, MONDAY.replace(hour=8, minute=40), taken, who="孙丽")  # the backup took it
    resolve(ctx, MONDAY.replace(hour=8, minute=50), tickets[24])  # done: not on the list
    report(ctx, MONDAY, "repair", "bh-1")  # another community's

    first = todo(ctx, "马建民")
    assert first.startswith("待办工单 25 件（最急的在前）")
    ids = [t.id for t in tickets]
    assert numbers(first) == [urgent.id, *ids[:9]]  # urgent, then his own, oldest first
    assert "还有 15 件，发「待办 2」看下一页" in first
    assert numbers(todo(ctx, "马建民", 2)) == ids[9:19]
    third = todo(ctx, "马建民", 3)
    assert numbers(third) == [*ids[19:20], *ids[21:24], taken.id]  # 孙丽's last for him
    assert "还有" not in third
    assert "没有第 4 页" in todo(ctx, "马建民", 4)
    assert numbers(todo(ctx, "孙丽"))[:2] == [urgent.id, taken.id]  # hers before the others'


async def test_todo_in_the_chat_takes_a_page_number(chat):
    for i in range(12):
        await chat.say(f"居民{i}", f"{i + 1}号楼楼道灯坏了，晚上黑漆漆的")
    first = await chat.say("马建民", "待办", room=None)
    second = await chat.say("马建民", "待办 2", room=None)
    assert "还有 2 件" in first[0].text and len(numbers(second[0].text)) == 2
