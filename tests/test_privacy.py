"""Privacy: no phone or ID-card number in anything posted to a group; the token never in
a log; 查询 by a stranger shows the status only; the database readable by its owner only."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from conftest import EXAMPLE_CONFIG, ROOT, TZ

from bot.app import Application
from bot.clock import ManualClock
from bot.config import OutboxSettings, load_config
from bot.transports.memory import MemoryTransport
from handlers.messages import IncomingMessage, Outgoing
from storage import Store

ROOM = "青年路一网格居民群"
OTHER_ROOM = "滨河花园一网格群"
PHONE = "13912345678"
ID_CARD = "110105194912310021"
TOKEN = "puppet_service_token_0f8e7d6c5b4a"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class Place:
    def __init__(self, app: Application, transport: MemoryTransport) -> None:
        self.app, self.transport = app, transport
        self.n = 0
        self.sent: list[Outgoing] = []

    async def say(self, name: str, sender_id: str, text: str, room: str | None = ROOM) -> list[Outgoing]:
        self.n += 1
        msg = IncomingMessage(
            message_id=f"p{self.n}", room_id=f"room-{room}" if room else None, room_topic=room,
            sender_id=sender_id, sender_name=name, text=text, time=self.app.clock.now(),
        )
        await self.transport.deliver(msg)
        await self.app.outbox.deliver_due()
        out = self.transport.take()
        self.sent += out
        return out


@pytest.fixture
async def place(shared_classifier, shared_faq, tmp_path):
    config = load_config(EXAMPLE_CONFIG)
    config = replace(config, outbox=OutboxSettings(per_room_seconds=0, overall_seconds=0))
    transport = MemoryTransport()
    app = Application(
        config, transport, store=Store.open(tmp_path / "p.db"), classifier=shared_classifier,
        faq=shared_faq, clock=ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ)), scheduler=False,
    )
    await app.start()
    yield Place(app, transport)
    await app.stop()


async def test_phone_and_id_numbers_never_shown_in_a_group(place):
    # A worker registers on a resident's behalf, with her phone and ID number in the text;
    # then residents report with numbers in their texts and in a display name.
    await place.say("马建民", "wxid_majianmin", f"登记 5号楼电梯坏了，王阿姨反映，电话{PHONE}，身份证{ID_CARD}")
    await place.say("张阿姨", "wx-zhang", f"3号楼楼道灯坏了好几天了，有事打我电话 {PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}")
    await place.say(f"李叔{PHONE}", "wx-li", "3号楼楼道灯也不亮，晚上黑乎乎的")
    for text in ("查询 1", "查询 2", "待办", "疑似"):
        await place.say("马建民", "wxid_majianmin", text)
    await place.say("马建民", "wxid_majianmin", f"完成 1 已联系{PHONE}的王阿姨，电梯已修好")
    place.app.run_timers(place.app.clock.now() + timedelta(days=7))
    await place.app.outbox.deliver_due()
    place.sent += place.transport.take()

    in_rooms = [m for m in place.sent if m.room_id is not None]
    assert len(in_rooms) >= 6
    for message in in_rooms:
        assert PHONE not in digits(message.text), message.text
        assert ID_CARD[:17] not in digits(message.text), message.text
    # what is stored keeps the number for the worker (the ticket's text is not public)
    assert PHONE in place.app.store.tickets.get(1).text


async def test_query_by_a_stranger_shows_the_status_only(place):
    await place.say("马建民", "wxid_majianmin", "登记 5号楼电梯坏了，王阿姨反映")
    ticket = place.app.store.tickets.get(1)
    assert ticket is not None

    def details(out: list[Outgoing]) -> bool:
        return "电梯" in "".join(m.text for m in out)

    stranger = await place.say("路人", "wx-passer", "查询 1")
    assert not details(stranger) and "当前状态" in stranger[0].text
    other_grid = await place.say("李强", "wx-liqiang", "查询 1", room=OTHER_ROOM)
    assert not details(other_grid) and "当前状态" in other_grid[0].text
    assert details(await place.say("马建民", "wxid_majianmin", "查询 1"))  # the grid's worker
    assert details(await place.say("张继凯", "wx-zhangjikai", "查询 1", room=None))  # community staff
    assert details(await place.say("冯媛", "wx-fengyuan", "查询 1", room=None))  # admin


async def test_the_reporter_sees_their_own_ticket(place):
    await place.say("张阿姨", "wx-zhang", "5号楼电梯坏了，困在里面了一会儿，吓死了")
    tickets = place.app.store.tickets.select()
    if not tickets:
        pytest.skip("the rules did not open a ticket for this text")
    out = await place.say("张阿姨", "wx-zhang", f"查询 {tickets[0].id}")
    assert "电梯" in out[0].text


def test_database_file_is_readable_by_its_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "sub" / "g.db")
        with store.transaction():
            store.inbox.add(
                message_id="x", room_id=None, room_topic=None, sender_id="u", sender_name="u",
                text=PHONE, mention_ids=[], media_count=0, sent_at=0, received_at=0,
            )
        files = [p for p in (tmp_path / "sub").iterdir() if p.name.startswith("g.db")]
        assert {p.name for p in files} >= {"g.db", "g.db-wal"}
        for path in files:  # the WAL holds the same data: same mode
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        store.close()
    finally:
        os.umask(old)


def test_token_not_in_the_config_repr(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('"change-me"', f'"{TOKEN}"')
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.wechaty.token == TOKEN
    assert TOKEN not in repr(config) and TOKEN not in str(config.wechaty)


async def test_token_never_reaches_a_log(tmp_path, caplog, shared_classifier, shared_faq):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('"change-me"', f'"{TOKEN}"')
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    config = replace(load_config(path), outbox=OutboxSettings(0, 0))
    transport = MemoryTransport()
    transport.fail_next = 1  # a failed send is logged: with what?
    app = Application(
        config, transport, store=Store.open(tmp_path / "t.db"), classifier=shared_classifier,
        faq=shared_faq, scheduler=False,
    )
    await app.start()
    place = Place(app, transport)
    await place.say("张阿姨", "wx-zhang", f"5号楼电梯坏了 {TOKEN}")
    await place.say("马建民", "wxid_majianmin", "重载规则")
    app.run_timers(app.clock.now() + timedelta(days=8))
    await app.stop()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert TOKEN not in logged.replace(f"5号楼电梯坏了 {TOKEN}", "")


def test_token_not_logged_by_the_pipe_command(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('"change-me"', f'"{TOKEN}"')
    text = re.sub(r'(?m)^database = .*$', f'database = "{tmp_path / "b.db"}"', text)
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    line = {"message_id": "1", "room_id": "r", "room_topic": ROOM, "sender_id": "u",
            "sender_name": "张阿姨", "text": "5号楼电梯坏了"}
    env = {**os.environ, "WECHATY_PUPPET_SERVICE_TOKEN": TOKEN}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "pipe", "--config", str(path), "--no-scheduler"],
        input=(json.dumps(line, ensure_ascii=False) + "\n").encode(), capture_output=True,
        cwd=ROOT, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b'"ack": "1"' in done.stdout
    assert TOKEN.encode() not in done.stderr and TOKEN.encode() not in done.stdout
