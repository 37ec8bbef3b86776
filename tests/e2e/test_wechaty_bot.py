"""The whole bot against the Node gateway (mock puppet), through the puppet-service protocol.

Two grids: grid 1's room is configured by topic and its worker by wechat_id; grid 2's room
by id and its worker by name only (bound with a one-time code before acting). A third
room is not the bot's business.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import load_config
from bot.transports.wechaty import WechatyTransport
from handlers.binding import issue_code
from handlers.messages import IncomingMessage

from .conftest import REPO, ROOMS, TOKEN, Gateway
from .helpers import eventually, sent_to

pytestmark = pytest.mark.e2e

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
R1, R2, R9 = "r1@chatroom", "r2@chatroom", "r9@chatroom"


def write_config(folder: Path, endpoint: str, token: str) -> Path:
    path = folder / "gridbot.toml"
    path.write_text(
        f"""
[bot]
name = "网格小助手"
timezone = "Asia/Shanghai"
database = "gridbot.db"
data_dir = "data"
transport = "wechaty"
admins = []

[wechaty]
endpoint = "{endpoint}"
token = "{token}"

[outbox]
per_room_seconds = 0
overall_seconds = 0

[[communities]]
id = "xfl"
name = "幸福里社区"
staff = []

[[grids]]
id = "g1"
community = "xfl"
name = "幸福里第一网格"
rooms = ["幸福里1号楼居民群"]
workers = ["李网格员"]

[[grids]]
id = "g2"
community = "xfl"
name = "幸福里第二网格"
rooms = ["{R2}"]
workers = ["赵网格员"]

[[people]]
name = "李网格员"
wechat_id = "w1"
grid = "g1"

[[people]]
name = "赵网格员"
grid = "g2"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
async def running(gateway: Gateway, tmp_path: Path) -> AsyncIterator[tuple[Application, WechatyTransport]]:
    config = load_config(write_config(tmp_path, gateway.endpoint, TOKEN))
    transport = WechatyTransport(gateway.endpoint, TOKEN, config.bot_name, backoff_initial=0.2, backoff_max=1.0)
    # A weekday morning: the worker's ping is not held for the night (quiet hours).
    clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=config.tz))
    app = Application(config, transport, clock=clock, scheduler=False)
    await asyncio.wait_for(app.start(), 20)
    try:
        yield app, transport
    finally:
        await app.stop()


def replies(gateway: Gateway, room: str, containing: str) -> list[dict[str, Any]]:
    return [s for s in sent_to(gateway.sent(), room) if containing in s["text"]]


async def test_report_photo_accept_done_private_and_unknown_room(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    app, _ = running
    # A resident reports in grid 1's room: the answer names the ticket and @-mentions the
    # resident; the worker in charge is pinged privately, their real ids reaching the gateway.
    gateway.say("u1", COVER, room=R1)
    [ack] = await eventually(lambda: replies(gateway, R1, "#1"), what="the acknowledgement")
    assert ack["mentionIds"] == ["u1"] and "李网格员" in ack["text"]
    [ping] = await eventually(lambda: [s for s in gateway.sent() if s["toId"] == "w1"], what="the ping")
    assert "#1" in ping["text"] and ping["roomId"] is None

    # A photo over 20 KB right after the report lands on the ticket, stored by content.
    photo = b"\xff\xd8\xff\xe0" + os.urandom(40 * 1024)
    gateway.image("u1", photo, room=R1, name="cover.jpg")
    [attachment] = await eventually(lambda: app.store.notes.attachments(1), what="the photo on ticket #1")
    assert attachment["sha256"] == hashlib.sha256(photo).hexdigest()
    stored = Path(attachment["path"])
    stored = stored if stored.is_absolute() else app.config.data_dir / "media" / stored
    assert stored.read_bytes() == photo and attachment["sha256"] in stored.name
    assert str(app.config.data_dir) in str(stored.resolve())
    # The photo goes on the ticket quietly (the worker hears the count with the next word).

    # The worker accepts in the group (no news for the group, nothing back to the worker)
    # and finishes by command (the resident is @-mentioned with the outcome).
    gateway.say("w1", "收到", room=R1)
    await eventually(lambda: app.store.tickets.get(1).status == "accepted" or None, what="the acceptance")
    assert replies(gateway, R1, "已由") == []
    assert [s for s in gateway.sent() if s["toId"] == "w1" and ("已由" in s["text"] or "照片" in s["text"])] == []
    gateway.say("w1", "完成 1 已更换井盖", room=R1)
    done = await eventually(lambda: replies(gateway, R1, "已更换井盖"), what="the done notice")
    assert "u1" in done[0]["mentionIds"]
    assert app.store.tickets.get(1).status == "resolved"

    # Grid 2: room configured by id; its worker is in the config by name only, so the bot
    # knows them once bound: a code from the bot's machine, sent privately from their WeChat.
    with app.store.transaction():
        code = issue_code(app.store, "赵网格员", at=int(time.time()), by="test")
    gateway.say("w2", f"绑定 {code}", to="bot")
    await eventually(lambda: app.store.bindings.id_of("赵网格员") == "w2", what="the binding")
    bound = await eventually(lambda: [s for s in gateway.sent() if s["toId"] == "w2"], what="the answer")
    assert "绑定好了" in bound[0]["text"] and "幸福里第二网格" in bound[0]["text"]
    gateway.say("u2", "2号楼电梯坏了，困在一楼好几天了，老人上不了楼", room=R2)
    ack2 = await eventually(lambda: replies(gateway, R2, "#2"), what="grid 2's acknowledgement")
    assert ack2[0]["mentionIds"] == ["u2"]
    # the worker known by display name only is found by it for the private ping
    await eventually(lambda: [s for s in gateway.sent() if s["toId"] == "w2" and "#2" in s["text"]],
                     what="grid 2's ping")

    # A room the bot does not serve: nothing is posted there.
    gateway.say("x1", COVER, room=R9)
    # A private message works (and, coming after, shows the unknown room was dealt with).
    gateway.say("u2", "你好", to="bot")
    await eventually(lambda: _last_id(app, "u2"), what="the private message")
    assert sent_to(gateway.sent(), R9) == []
    assert app.store.tickets.get(3) is None


def _last_id(app: Application, sender: str) -> str | None:
    """Id of the newest inbox message from `sender` that the bot has finished handling."""
    rows = app.store.db.execute(
        "SELECT message_id FROM inbox WHERE sender_id = ? AND room_id IS NULL AND status != 'new' "
        "ORDER BY rowid DESC LIMIT 1",
        [sender],
    ).fetchall()
    return rows[0][0] if rows else None


async def test_private_report_is_answered_privately(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    gateway.say("u2", COVER, to="bot")
    answer = await eventually(lambda: [s for s in gateway.sent() if s["toId"] == "u2"], what="a private answer")
    assert answer[0]["roomId"] is None and answer[0]["text"]


async def test_a_member_of_a_group_who_only_writes_privately_reports_into_its_grid(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    """The member lists are read at login: 王大爷 (u2) is in grid 2's room (configured by
    its id) and has never written there; his private report is grid 2's ticket at once."""
    app, transport = running
    await eventually(lambda: transport.member_lists >= len(ROOMS), what="the rooms' member lists")
    gateway.say("u2", COVER, to="bot")
    answer = await eventually(lambda: [s for s in gateway.sent() if s["toId"] == "u2"], what="a private answer")
    ticket = app.store.tickets.get(1)
    assert ticket is not None and ticket.grid_id == "g2" and "#1" in answer[0]["text"]


async def test_gateway_restart_mid_run_delivers_the_queued_reply_once(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    app, transport = running
    gateway.say("u1", COVER, room=R1)
    await eventually(lambda: replies(gateway, R1, "#1"), what="the acknowledgement")
    gateway.say("w1", "收到", room=R1)
    await eventually(lambda: app.store.tickets.get(1).status == "accepted" or None, what="the acceptance")
    before = gateway.sent()

    gateway.stop()  # a clean stop (SIGTERM); the transport tests kill it instead
    await eventually(lambda: not transport.connected, 5, "the bot to notice the gateway is gone")
    # The worker's "done" arrived just as the link dropped: its reply waits in the outbox.
    await app.on_message(
        IncomingMessage(
            message_id="late-done-1", room_id=R1, room_topic="幸福里1号楼居民群", sender_id="w1",
            sender_name="李网格员", text="完成 1 已更换井盖", time=datetime.now(UTC),
        )
    )
    assert app.store.tickets.get(1).status == "resolved"
    gateway.start()  # a new gateway process: its record of sent messages starts empty
    await eventually(lambda: transport.connected, 15, "the bot to reconnect")
    done = await eventually(lambda: replies(gateway, R1, "已更换井盖"), 15, "the queued reply")
    assert "u1" in done[0]["mentionIds"]
    assert not [s for s in before if "已更换井盖" in s["text"]]
    await app.outbox.deliver_due()
    gateway.say("u1", "谢谢", room=R1)  # one more round trip through the bot
    await eventually(lambda: _room_msg(app, "谢谢"), what="the thanks")
    await app.outbox.deliver_due()
    assert len(replies(gateway, R1, "已更换井盖")) == 1


async def test_renamed_room_keeps_its_grid(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    # Grid 1's room is configured by its topic; once matched, its id is remembered.
    gateway.say("u1", COVER, room=R1)
    await eventually(lambda: replies(gateway, R1, "#1"), what="the first acknowledgement")
    gateway.rename(R1, "幸福里一号楼邻里群", by="u1")
    gateway.say("u1", "5栋楼道的灯坏了，晚上黑漆漆的看不见路", room=R1)
    [ack] = await eventually(lambda: replies(gateway, R1, "#2"), what="the acknowledgement after the rename")
    assert ack["mentionIds"] == ["u1"]


async def test_a_copycat_group_gets_nothing(
    gateway: Gateway, running: tuple[Application, WechatyTransport]
) -> None:
    app, _ = running
    gateway.say("u1", COVER, room=R1)  # the real group: seen first, bound to its id
    await eventually(lambda: replies(gateway, R1, "#1"), what="the acknowledgement")
    # Someone creates a group with the very same name and posts a report in it.
    copy = "r7@chatroom"
    gateway.call("POST", "/scenario", {"rooms": [{"id": copy, "topic": "幸福里1号楼居民群",
                                                  "members": ["x1", "u1"]}]})
    gateway.say("x1", "5栋楼道的灯坏了，晚上黑漆漆的看不见路", room=copy)
    gateway.say("u1", "你好", to="bot")  # a round trip after it: the copy was dealt with
    await eventually(lambda: _last_id(app, "u1"), what="the private message")
    assert app.store.tickets.get(2) is None and sent_to(gateway.sent(), copy) == []
    assert app.store.bindings.room_for("幸福里1号楼居民群") == R1


def _room_msg(app: Application, text: str) -> str | None:
    rows = app.store.db.execute(
        "SELECT message_id FROM inbox WHERE text = ? AND status != 'new'", [text]
    ).fetchall()
    return rows[0][0] if rows else None


def _bot_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECHATY_PUPPET_SERVICE_")}
    env["PYTHONPATH"] = str(REPO)
    return env


async def test_python_m_bot_run_connects_and_answers(gateway: Gateway, tmp_path: Path) -> None:
    config = write_config(tmp_path, gateway.endpoint, TOKEN)
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            cwd=REPO, env=_bot_env(), stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        # The bot logs this once the login reached it over the event stream: from then on
        # it hears what is said (the puppet service does not keep events for late clients).
        await eventually(
            lambda: "wechaty: connected to" in log_path.read_text(errors="replace") or proc.poll() is not None,
            20, "the bot to log in",
        )
        assert proc.poll() is None, log_path.read_text(errors="replace")
        gateway.say("u1", COVER, room=R1)
        [ack] = await eventually(lambda: replies(gateway, R1, "#1"), 15, "the acknowledgement")
        assert "u1" in ack["mentionIds"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


async def test_python_m_bot_run_with_a_wrong_token_stops_with_a_clear_message(
    gateway: Gateway, tmp_path: Path
) -> None:
    config = write_config(tmp_path, gateway.endpoint, "wrong-token-abc")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        cwd=REPO, env=_bot_env(), capture_output=True, text=True, timeout=30,
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "rejected the token" in output
    assert "wrong-token-abc" not in output
    assert elapsed < 15, f"took {elapsed:.1f} s"
