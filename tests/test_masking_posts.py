"""No phone or ID-card number, in any script of digits, reaches a group post: whatever a
resident or a worker writes, the bot's posts in the group keep none of its digits."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from conftest import ROOM_QN1, TZ
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_masking import id_cards, mobiles, written

from bot.app import Application
from bot.clock import ManualClock
from bot.transports.memory import MemoryTransport
from handlers.messages import IncomingMessage
from intents.masking import digit_value
from storage import Store

REPORTS = [
    "3栋门口井盖又翘起来了，晚上走路容易绊倒，有事打我电话{n}",
    "{n} 这是我的号码，5号楼楼道灯坏了好几天了",
    "我身份证是{n}，帮我问问养老认证怎么办，家里老人没药了要人帮忙买",
    "楼上邻居半夜装修吵得睡不着 联系人：{n}",
]
WORKER = ["完成 1 已联系业主{n}处理好了", "完成 1 已更换，业主电话{n}"]


def digits_of(text: str) -> str:
    return "".join(digit_value(c) or "" for c in text)


async def play(config, classifier, faq, report: str, worker: str, number: str) -> list[str]:
    clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ))
    transport = MemoryTransport()
    config = replace(config, outbox=replace(config.outbox, per_room_seconds=0, overall_seconds=0))
    app = Application(config, transport, store=Store.open(None), clock=clock, classifier=classifier,
                      faq=faq, scheduler=False, deliver=False)
    await app.start()
    said = [("张阿姨", "wx-zhang", report), ("马建民", "wxid_majianmin", "收到"),
            ("马建民", "wxid_majianmin", worker), ("张阿姨", "wx-zhang", f"满意，有事再打{number}"),
            ("张阿姨", "wx-zhang", "我的工单"), ("张阿姨", "wx-zhang", "查询 1")]
    for i, (name, sender, text) in enumerate(said):
        await transport.deliver(IncomingMessage(
            message_id=f"m{i}", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1,
            sender_id=sender, sender_name=name, text=text, time=clock.now(),
        ))
        await app.outbox.deliver_due()
    await app.stop()
    return [m.text for m in transport.sent if m.room_id is not None]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=mobiles.flatmap(written) | id_cards.flatmap(written),
    report=st.sampled_from(REPORTS), worker=st.sampled_from(WORKER),
)
def test_no_number_survives_in_any_group_post(
    example_config, shared_classifier, shared_faq, number: str, report: str, worker: str
) -> None:
    posts = asyncio.run(play(example_config, shared_classifier, shared_faq,
                             report.format(n=number), worker.format(n=number), number))
    assert posts  # the bot did speak in the group
    secret = digits_of(number)
    windows = [secret[i:i + 11] for i in range(len(secret) - 10)]
    for post in posts:
        assert not [w for w in windows if w in digits_of(post)], post


def test_a_number_where_the_completion_post_is_cut_short_is_masked_too(example_config, shared_classifier,
                                                                         shared_faq) -> None:
    """The residents hear the first clauses of a long completion note: a number that the
    cut splits must not escape the mask (the cut keeps too few digits to look like one)."""
    card = "110105194912310021"
    for lead in range(20, 40, 3):  # the cut falls inside the number, wherever it starts
        note = "已" + "换" * lead + f"业主{card}已确认没问题了以后有事再联系"
        posts = asyncio.run(play(example_config, shared_classifier, shared_faq, REPORTS[0].format(n=""),
                                 f"完成 1 {note}", "无"))
        done = [p for p in posts if "办好了" in p]
        assert done, posts
        assert not [d for d in done if card[:6] in digits_of(d)], done
