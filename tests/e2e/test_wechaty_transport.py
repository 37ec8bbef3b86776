"""WechatyTransport alone against the Node gateway (mock puppet), through the real protocol."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import AsyncIterator

import pytest

from bot.transports.wechaty import TransportNotConnected, WechatyTokenRejected, WechatyTransport
from handlers.messages import IncomingMessage, Outgoing, Person, Quote

from .conftest import TOKEN, Gateway
from .helpers import eventually, sent_to

pytestmark = pytest.mark.e2e


class Inbox:
    """Collects what the transport delivers."""

    def __init__(self) -> None:
        self.messages: list[IncomingMessage] = []

    async def __call__(self, message: IncomingMessage) -> None:
        self.messages.append(message)

    async def next_from(self, sender_id: str, count: int = 1, timeout: float = 10) -> IncomingMessage:
        found = await eventually(
            lambda: [m for m in self.messages if m.sender_id == sender_id][count - 1:],
            timeout,
            f"message #{count} from {sender_id}",
        )
        return found[0]


def make_transport(gateway: Gateway, token: str = TOKEN) -> WechatyTransport:
    return WechatyTransport(gateway.endpoint, token, "网格小助手", backoff_initial=0.1, backoff_max=1.0)


@pytest.fixture
async def linked(gateway: Gateway) -> AsyncIterator[tuple[WechatyTransport, Inbox]]:
    transport = make_transport(gateway)
    inbox = Inbox()
    await asyncio.wait_for(transport.start(inbox), 15)
    try:
        yield transport, inbox
    finally:
        await transport.stop()


async def test_room_message_arrives_with_ids_topic_and_mentions(
    gateway: Gateway, linked: tuple[WechatyTransport, Inbox]
) -> None:
    transport, inbox = linked
    assert transport.connected
    message_id = gateway.say("u1", "@网格小助手 3单元楼道灯坏了", room="r1@chatroom", mentions=["bot"])
    got = await inbox.next_from("u1")
    assert got.message_id == message_id
    assert (got.room_id, got.room_topic) == ("r1@chatroom", "幸福里1号楼居民群")
    assert (got.sender_id, got.sender_name) == ("u1", "张阿姨")
    assert got.text == "@网格小助手 3单元楼道灯坏了"
    assert got.mention_ids == ("bot",)
    assert got.media == ()
    assert got.time.tzinfo is not None and abs(time.time() - got.time.timestamp()) < 60


async def test_quote_reply_and_lines_arrive_as_from_the_simulator(
    gateway: Gateway, linked: tuple[WechatyTransport, Inbox]
) -> None:
    """A quote-reply (WeChat's text form, or the puppet's raw appmsg XML) arrives split into
    the reply and the quoted message; a message of several lines stays one message."""
    _, inbox = linked
    dashes = "- - - - - - - - - - - - - - -"
    gateway.say("u1", f"「张阿姨：3栋门口井盖又翘起来了」\n{dashes}\n我家门口也是", room="r1@chatroom")
    got = await inbox.next_from("u1")
    assert got.text == "我家门口也是"
    assert got.quote == Quote("张阿姨", "3栋门口井盖又翘起来了")
    xml = (
        '<msg><appmsg appid="" sdkver="0"><title>收到 马上去</title><type>57</type><refermsg>'
        "<displayname>张阿姨</displayname><content>3栋门口井盖又翘起来了</content>"
        "</refermsg></appmsg></msg>"
    )
    gateway.say("u1", xml, room="r1@chatroom")
    got = await inbox.next_from("u1", 2)
    assert (got.text, got.quote) == ("收到 马上去", Quote("张阿姨", "3栋门口井盖又翘起来了"))
    gateway.say("u1", "接龙 砂糖橘\n1. 阿芳 2箱\n2. 3栋 王 1箱", room="r1@chatroom")
    got = await inbox.next_from("u1", 3)
    assert (got.text, got.quote) == ("接龙 砂糖橘\n1. 阿芳 2箱\n2. 3栋 王 1箱", None)


async def test_room_reply_carries_real_mention_ids_and_own_messages_are_ignored(
    gateway: Gateway, linked: tuple[WechatyTransport, Inbox]
) -> None:
    transport, inbox = linked
    # One mention by id; one by display name only (an official not bound yet): written as
    # text, never resolved to whoever has that name in the room (a name can be copied).
    await transport.send(
        Outgoing(
            text="已收到，工单 #1。",
            room_id="r1@chatroom",
            mentions=(Person("李网格员", "w1"), Person("张阿姨")),
        )
    )
    sent = await eventually(lambda: sent_to(gateway.sent(), "r1@chatroom"), what="the reply")
    assert len(sent) == 1
    assert sent[0]["mentionIds"] == ["w1"]
    assert "@李网格员" in sent[0]["text"] and "@张阿姨" in sent[0]["text"]
    assert sent[0]["text"].endswith("已收到，工单 #1。")
    # The mock echoes the bot's own message back as an event: it must not reach the app.
    gateway.say("u1", "谢谢", room="r1@chatroom")
    await inbox.next_from("u1")
    assert [m.sender_id for m in inbox.messages] == ["u1"]


async def test_handler_written_mention_is_not_doubled(
    gateway: Gateway, linked: tuple[WechatyTransport, Inbox]
) -> None:
    transport, _ = linked
    await transport.send(
        Outgoing(text="@李网格员 请处理 #2", room_id="r1@chatroom", mentions=(Person("李网格员", "w1"),))
    )
    sent = await eventually(lambda: sent_to(gateway.sent(), "r1@chatroom"), what="the reply")
    assert sent[0]["text"].count("@李网格员") == 1
    assert sent[0]["mentionIds"] == ["w1"]


async def test_private_message_both_ways(gateway: Gateway, linked: tuple[WechatyTransport, Inbox]) -> None:
    transport, inbox = linked
    gateway.say("w1", "#1 收到", to="bot")
    got = await inbox.next_from("w1")
    assert got.is_private and got.room_topic is None
    assert (got.sender_name, got.text) == ("李网格员", "#1 收到")
    await transport.send(Outgoing(text="好的", to=Person("李网格员", "w1")))
    # Privately only by id: a contact found by name could be whoever copied the name.
    with pytest.raises(LookupError, match="no WeChat id"):
        await transport.send(Outgoing(text="按名字找", to=Person("赵网格员")))
    sent = await eventually(lambda: gateway.sent(), what="the private message")
    assert [(s["toId"], s["text"], s["mentionIds"]) for s in sent] == [("w1", "好的", [])]


async def test_image_over_20kb_arrives_whole(gateway: Gateway, linked: tuple[WechatyTransport, Inbox]) -> None:
    _, inbox = linked
    photo = b"\xff\xd8\xff\xe0" + os.urandom(48 * 1024)  # 48 KB: served as a file-box UUID
    small = b"\xff\xd8\xff\xe0" + os.urandom(1024)  # inline base64
    gateway.image("u1", photo, room="r1@chatroom", name="manhole.jpg")
    gateway.image("u1", small, room="r1@chatroom", name="small.jpg")
    first = await inbox.next_from("u1")
    second = await inbox.next_from("u1", 2)
    assert [m.media[0].data for m in (first, second)] == [photo, small]
    assert first.media[0].kind == "image" and first.media[0].name == "manhole.jpg"
    assert first.room_id == "r1@chatroom" and first.text == ""


async def test_renamed_room_keeps_its_id_and_reports_the_new_topic(
    gateway: Gateway, linked: tuple[WechatyTransport, Inbox]
) -> None:
    _, inbox = linked
    gateway.say("u1", "第一条", room="r1@chatroom")
    assert (await inbox.next_from("u1")).room_topic == "幸福里1号楼居民群"
    gateway.rename("r1@chatroom", "幸福里1号楼（新）", by="w1")
    gateway.say("u1", "第二条", room="r1@chatroom")
    second = await inbox.next_from("u1", 2)
    assert (second.room_id, second.room_topic) == ("r1@chatroom", "幸福里1号楼（新）")


async def test_gateway_restart_reconnects_and_delivers_once(
    own_gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = own_gateway
    transport = make_transport(gateway)
    inbox = Inbox()
    await asyncio.wait_for(transport.start(inbox), 15)
    try:
        await _restart_and_deliver_once(gateway, transport, inbox, caplog)
    finally:
        await transport.stop()


async def _restart_and_deliver_once(
    gateway: Gateway, transport: WechatyTransport, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gridbot.wechaty")
    gateway.kill()
    await eventually(lambda: not transport.connected, 5, "the transport to notice the gateway is gone")
    reply = Outgoing(text="工单 #3 已完成", room_id="r2@chatroom", mentions=(Person("王大爷", "u2"),))
    with pytest.raises(TransportNotConnected):
        await transport.send(reply)  # the outbox keeps it and retries later
    gateway.start()
    await eventually(lambda: transport.connected, 10, "the transport to reconnect")
    assert transport.connections == 2
    await transport.send(reply)
    sent = await eventually(lambda: sent_to(gateway.sent(), "r2@chatroom"), what="the queued reply")
    assert len(sent) == 1 and sent[0]["mentionIds"] == ["u2"]
    gateway.say("u2", "重连后的消息", room="r2@chatroom")
    assert (await inbox.next_from("u2")).text == "重连后的消息"
    assert "lost the link" in caplog.text
    assert len(sent_to(gateway.sent(), "r2@chatroom")) == 1


async def test_wrong_token_stops_with_a_clear_message_within_seconds(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    transport = make_transport(gateway, token="not-the-token")
    started = time.monotonic()
    with pytest.raises(WechatyTokenRejected) as raised:
        await asyncio.wait_for(transport.start(Inbox()), 10)
    assert time.monotonic() - started < 5
    assert "rejected the token" in str(raised.value)
    assert "not-the-token" not in str(raised.value) and "not-the-token" not in caplog.text
    assert not transport.connected


async def test_gateway_not_running_retries_and_says_so(
    make_gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway: Gateway = make_gateway()
    caplog.set_level(logging.INFO, logger="gridbot.wechaty")
    transport = make_transport(gateway)
    start = asyncio.create_task(transport.start(Inbox()))
    try:
        await eventually(lambda: caplog.text.count("cannot reach the wechaty gateway") >= 2, 5, "retries")
        assert "is it running?" in caplog.text and not start.done()
        loud = [r for r in caplog.records if r.levelno >= logging.WARNING and "cannot reach" in r.message]
        assert len(loud) == 1  # said once, clearly; the retries are logged quietly
        gateway.start()
        await asyncio.wait_for(start, 10)
        assert transport.connected
    finally:
        start.cancel()
        await transport.stop()


async def test_tls_on_is_reported_and_retried(make_gateway, caplog: pytest.LogCaptureFixture) -> None:
    gateway: Gateway = make_gateway(tls=True)
    gateway.start()
    caplog.set_level(logging.INFO, logger="gridbot.wechaty")
    transport = make_transport(gateway)
    start = asyncio.create_task(transport.start(Inbox()))
    try:
        await eventually(lambda: caplog.text.count("TLS off") >= 2, 8, "the TLS hint, twice")
        assert not start.done() and not transport.connected
    finally:
        start.cancel()
        await transport.stop()


async def test_login_timeout_lets_the_bot_start_while_the_gateway_is_down(
    make_gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway: Gateway = make_gateway()
    caplog.set_level(logging.INFO, logger="gridbot.wechaty")
    transport = WechatyTransport(
        gateway.endpoint, TOKEN, "网格小助手", backoff_initial=0.1, backoff_max=0.5, login_timeout=0.5
    )
    try:
        await asyncio.wait_for(transport.start(Inbox()), 5)
        assert not transport.connected
        assert "not connected after" in caplog.text and "is it running?" in caplog.text
        with pytest.raises(TransportNotConnected):
            await transport.send(Outgoing(text="稍后", room_id="r1@chatroom"))
        gateway.start()
        await eventually(lambda: transport.connected, 10, "the late connection")
    finally:
        await transport.stop()


async def test_a_frozen_gateway_is_noticed_by_the_heartbeat(
    own_gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = own_gateway
    transport = WechatyTransport(
        gateway.endpoint, TOKEN, "网格小助手", backoff_initial=0.1, backoff_max=0.5,
        heartbeat_interval=0.3, rpc_timeout=1.0,
    )
    await asyncio.wait_for(transport.start(Inbox()), 15)
    assert gateway.proc is not None
    pid = gateway.proc.pid
    try:
        os.kill(pid, signal.SIGSTOP)  # alive, port open, answers nothing
        try:
            await eventually(lambda: not transport.connected, 5, "the heartbeat to notice")
            assert "did not answer a ding" in caplog.text
        finally:
            os.kill(pid, signal.SIGCONT)
        await eventually(lambda: transport.connected, 10, "the reconnection")
    finally:
        await transport.stop()
