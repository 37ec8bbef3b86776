"""WeChat's forms as the bot receives them, the same through every transport: a quote-reply
(「张阿姨：…」, a dashed line, the reply) is read in both parts, a message of several lines
stays one message, `[图片]` alone is a photo; the simulator keeps the k-th message's id
ending in -k. The wechaty transport's own reading is also checked against the gateway in
tests/e2e/test_wechaty_transport.py."""

from __future__ import annotations

import io

import pytest
from conftest import ROOM_QN1

from bot.app import Application
from bot.clock import ManualClock
from bot.simulator import Simulator
from bot.transports.memory import MemoryTransport
from bot.transports.wechaty import read_quote_reply
from handlers.messages import Quote, split_quote
from storage import Store

DASHES = "- - - - - - - - - - - - - - -"


@pytest.mark.parametrize(
    ("text", "reply", "quote"),
    [
        (f"「张阿姨：3栋门口井盖又翘起来了」\n{DASHES}\n收到 马上去",
         "收到 马上去", Quote("张阿姨", "3栋门口井盖又翘起来了")),
        (f"「7-2-501 老周:咋没水了\n7栋是不是停水了」\n{DASHES}\n我家也没水",  # ASCII colon, two lines
         "我家也没水", Quote("7-2-501 老周", "咋没水了\n7栋是不是停水了")),
        (f"「物业小刘：【通知】停水」\n{DASHES}\n", "", Quote("物业小刘", "【通知】停水")),
        ("3栋门口「井盖」又翘起来了", "3栋门口「井盖」又翘起来了", None),
        (f"「没有冒号的引号」\n{DASHES}\n回复", f"「没有冒号的引号」\n{DASHES}\n回复", None),
        ("接龙\n1. 老周 2斤\n2. 王 1斤", "接龙\n1. 老周 2斤\n2. 王 1斤", None),
    ],
)
def test_split_quote(text, reply, quote):
    assert split_quote(text) == (reply, quote)


def test_the_wechaty_transport_reads_both_forms_of_a_quote_reply():
    rendered = f"「张阿姨：3栋井盖翘起来了」\n{DASHES}\n收到"
    assert read_quote_reply(rendered) == ("收到", Quote("张阿姨", "3栋井盖翘起来了"))
    xml = (
        '<msg><appmsg appid="" sdkver="0"><title>收到 马上去</title><type>57</type>'
        "<refermsg><type>1</type><svrid>123</svrid><fromusr>r1@chatroom</fromusr>"
        "<chatusr>wxid_zhang</chatusr><displayname>张阿姨</displayname>"
        "<content>3栋门口井盖又翘起来了</content></refermsg></appmsg></msg>"
    )
    assert read_quote_reply(xml) == ("收到 马上去", Quote("张阿姨", "3栋门口井盖又翘起来了"))
    assert read_quote_reply("<appmsg><refermsg>broken") == ("<appmsg><refermsg>broken", None)
    assert read_quote_reply("3栋井盖翘起来了") == ("3栋井盖翘起来了", None)


SCRIPT = f"""\
/clock 2026-11-24 09:00
[{ROOM_QN1}] 3栋 张阿姨: 3栋门口井盖又翘起来了
[{ROOM_QN1}] 3栋 张阿姨: [图片]
[{ROOM_QN1}] 1-1-302 王老师: 「3栋 张阿姨：3栋门口井盖又翘起来了」\\n{DASHES}\\n早上我也差点绊倒
[{ROOM_QN1}] 阿芳: 接龙 砂糖橘\\n1. 阿芳 2箱\\n2. 3栋 王 1箱
[{ROOM_QN1}] 马建民: 「3栋 张阿姨：3栋门口井盖又翘起来了」\\n{DASHES}\\n收到 我下午过去
"""


async def test_the_simulator_speaks_like_wechat(example_config, shared_classifier, shared_faq, start_time):
    clock = ManualClock(start_time)
    app = Application(
        example_config, MemoryTransport(), store=Store.open(None), clock=clock,
        classifier=shared_classifier, faq=shared_faq, scheduler=False, deliver=False,
    )
    await app.start()
    try:
        sim = Simulator(app, clock, example_config, io.StringIO())
        assert await sim.play(io.StringIO(SCRIPT)) == 0
        rows = {
            int(row["message_id"].rsplit("-", 1)[1]): row
            for row in app.store.db.query("SELECT * FROM inbox ORDER BY rowid")
        }
        assert sorted(rows) == [1, 2, 3, 4, 5]  # the k-th message's id ends in -k
        photo, quote, jielong, worker = rows[2], rows[3], rows[4], rows[5]
        assert (photo["text"], photo["media_count"]) == ("", 1)
        assert quote["text"] == "早上我也差点绊倒"
        assert (quote["quote_name"], quote["quote_text"]) == ("3栋 张阿姨", "3栋门口井盖又翘起来了")
        assert jielong["text"] == "接龙 砂糖橘\n1. 阿芳 2箱\n2. 3栋 王 1箱"  # one message, three lines
        assert worker["text"] == "收到 我下午过去" and worker["quote_name"] == "3栋 张阿姨"
        [ticket] = app.store.tickets.select()
        assert len(app.store.notes.attachments(ticket.id)) == 1  # the photo joined the report
        assert "1-1-302 王老师" in {r.person_name for r in app.store.tickets.reporters(ticket.id)}
    finally:
        await app.stop()
