"""Hostile and broken input, one row each, through the test transport and the whole app.

Each row: who says what; what the bot must answer (or that it stays silent). After every
row the database must be consistent and nothing the bot sent may contain @所有人 or a
resident's phone number in a group. The rows run twice: with a small keyword classifier
(so the report rows behave the same whatever the rules say) and with the real one.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import OutboxSettings, load_config
from bot.sanitize import MAX_STORED_CHARS, clean_text
from bot.transports.memory import MemoryTransport
from bot.transports.pipe import parse_line
from handlers.messages import IncomingMessage, Outgoing
from intents import mask
from intents.model import Classification
from storage import Store

EXAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "config.example.toml"
TZ = ZoneInfo("Asia/Shanghai")
ROOM = "青年路一网格居民群"
OTHER_ROOM = "滨河花园一网格群"
PHONE = "13812345678"
RESIDENT = ("张阿姨", "wx-zhang")
NEIGHBOUR = ("王大爷", "wx-wang")
WORKER = ("马建民", "wxid_majianmin")
OTHER_WORKER = ("李强", "wx-liqiang")


class KeywordClassifier:
    """Enough of a classifier for these rows: a few words make a repair."""

    def __init__(self) -> None:
        self.seen_lengths: list[int] = []

    def classify(self, text: str) -> Classification:
        self.seen_lengths.append(len(text))
        place = re.search(r"\d+号楼", text)
        repair = any(w in text for w in ("坏了", "漏水", "停电", "不亮"))
        return Classification(
            intent="repair" if repair else "none", confidence=0.9, urgent=False,
            place=place.group(0) if place else None, evidence=(), masked_text=mask(text),
        )

    def reload(self) -> str | None:
        return None


class Spy:
    """The real classifier, noting how long a text it was given."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.seen_lengths: list[int] = []

    def classify(self, text: str) -> Classification:
        self.seen_lengths.append(len(text))
        return self.inner.classify(text)

    def reload(self) -> str | None:
        return self.inner.reload()


class Room:
    def __init__(self, app: Application, transport: MemoryTransport, classifier) -> None:
        self.app, self.transport, self.classifier = app, transport, classifier
        self.ids = itertools.count(1)
        self.sent: list[Outgoing] = []

    @property
    def store(self) -> Store:
        return self.app.store

    async def say(self, who: tuple[str, str], text, room: str | None = ROOM, name=None) -> list[Outgoing]:
        msg = IncomingMessage(
            message_id=f"h{next(self.ids)}", room_id=f"room-{room}" if room else None,
            room_topic=room, sender_id=who[1], sender_name=who[0] if name is None else name,
            text=text, time=self.app.clock.now(),
        )
        await self.transport.deliver(msg)
        await self.app.outbox.deliver_due()
        out = self.transport.take()
        self.sent += out
        return out


@pytest.fixture(scope="module")
def real_classifier():
    from intents import Classifier

    return Classifier.load()


@pytest.fixture(params=["keywords", "real"])
async def room(request, real_classifier):
    config = load_config(EXAMPLE_CONFIG)
    config = replace(config, outbox=OutboxSettings(per_room_seconds=0, overall_seconds=0))
    classifier = KeywordClassifier() if request.param == "keywords" else Spy(real_classifier)
    transport = MemoryTransport()
    from intents import FaqBook

    app = Application(
        config, transport, store=Store.open(None), classifier=classifier, faq=FaqBook.load(),
        clock=ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ)), scheduler=False,
    )
    await app.start()
    r = Room(app, transport, classifier)
    # Ticket #1 of grid qn-1, registered by its worker (opens a ticket whatever the rules say).
    await r.say(WORKER, f"登记 5号楼电梯坏了，张阿姨反映，电话{PHONE}")
    assert app.store.tickets.get(1) is not None
    yield r
    await app.stop()


def says(*words: str):
    def check(out: list[Outgoing], r: Room) -> None:
        assert out, "an answer was due"
        text = "\n".join(m.text for m in out)
        for word in words:
            assert word in text, f"{word!r} not in {text!r}"

    return check


def silent(out: list[Outgoing], r: Room) -> None:
    assert out == []


def anything(out: list[Outgoing], r: Room) -> None:
    pass


def stored_clean(out: list[Outgoing], r: Room) -> None:
    row = _last_inbox(r)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", row["text"])
    row["text"].encode("utf-8")  # no lone surrogate survived
    assert "\n" not in row["sender_name"] and "\r" not in row["sender_name"]


def truncated(out: list[Outgoing], r: Room) -> None:
    row = _last_inbox(r)
    assert len(row["text"]) == MAX_STORED_CHARS
    assert "truncated from 100007 characters" in (row["note"] or "")
    assert row["status"] == "done"
    assert max(r.classifier.seen_lengths) <= 2000  # classified on its beginning


def tables_intact(out: list[Outgoing], r: Room) -> None:
    assert r.store.tickets.get(1) is not None
    assert r.store.inbox.count() >= 2


def status_only(out: list[Outgoing], r: Room) -> None:
    says("工单 #1 当前状态")(out, r)
    text = "\n".join(m.text for m in out)
    assert "电梯" not in text and "张阿姨" not in text  # not the words, not the reporter


def _last_inbox(r: Room) -> dict:
    return next(r.store.db.query("SELECT * FROM inbox ORDER BY rowid DESC LIMIT 1"))


# (row id, sender, text, display name or None, room, check)
ROWS = [
    ("empty", RESIDENT, "", None, ROOM, silent),
    ("whitespace only", RESIDENT, " \n\t\u3000\u2005 ", None, ROOM, silent),
    ("emoji only", RESIDENT, "😀😀🙏👍🏻", None, ROOM, silent),
    ("100k characters", RESIDENT, "5号楼电梯坏了" + "啊" * 100_000, None, ROOM, truncated),
    ("100k characters from a worker", WORKER, "好的" + "。" * 100_005, None, ROOM, truncated),
    ("control characters", RESIDENT, "5号楼\x07电梯\x1b[31m坏了\x7f\x08", None, ROOM, stored_clean),
    ("NUL bytes", NEIGHBOUR, "\x00查询\x00 1\x00", None, ROOM, says("工单 #1")),
    ("lone surrogates", RESIDENT, "\ud800\udfff停电了\ud83d", None, ROOM, stored_clean),
    ("invalid UTF-8 bytes", RESIDENT, "5号楼漏水了".encode() + b"\xff\xfe\xc3", None, ROOM, stored_clean),
    ("SQL in text", RESIDENT, "'); DROP TABLE tickets; -- 5号楼电梯坏了", None, ROOM, tables_intact),
    ("SQL in name", RESIDENT, "5号楼停电了", "x'); DROP TABLE inbox;--", ROOM, tables_intact),
    ("HTML in text", RESIDENT, "<script>alert(1)</script><b>5号楼停电了</b>", None, ROOM, anything),
    ("HTML in name", RESIDENT, "查询 1", "<img src=x onerror=alert(1)>", ROOM, says("工单 #1")),
    ("name with newlines", RESIDENT, "5号楼停电了", "张\n阿\r\n姨", ROOM, stored_clean),
    ("negative number", RESIDENT, "查询 -3", None, ROOM, says("工单号不对")),
    ("huge number", RESIDENT, "查询 99999999999999999999", None, ROOM, says("工单号不对")),
    ("huge number, worker", WORKER, "接单 99999999999999999999", None, ROOM, says("工单号不对")),
    ("negative number, worker", WORKER, "完成 -1", None, ROOM, says("工单号不对")),
    ("zero, worker", WORKER, "接单 0", None, ROOM, says("工单号不对")),
    ("nonexistent ticket", RESIDENT, "查询 123456", None, ROOM, says("没有找到工单 #123456")),
    ("nonexistent ticket, worker", WORKER, "接单 4242", None, ROOM, says("没有找到工单 #4242")),
    ("another grid's ticket", OTHER_WORKER, "接单 1", None, OTHER_ROOM, says("不在您负责的网格")),
    ("another grid's query", OTHER_WORKER, "查询 1", None, OTHER_ROOM, status_only),
    ("someone else's query", NEIGHBOUR, "查询 1", None, ROOM, status_only),
    ("someone else's cancel", NEIGHBOUR, "撤销 1", None, ROOM, says("不是您反映的")),
    ("full-width number", NEIGHBOUR, "查询 ＃１", None, ROOM, says("工单 #1")),
    ("accept, no number", WORKER, "接单", None, ROOM, says("请带上工单号")),
    ("done, no number: the one ticket waiting", WORKER, "完成", None, ROOM, says("#1 的事办好了")),
    ("done, no number, none waiting there", WORKER, "完成", None, OTHER_ROOM, says("请带上工单号")),
    ("transfer, no target", WORKER, "转 1", None, ROOM, says("转给谁")),
    ("transfer, unknown target", WORKER, "转 1 不存在的人", None, ROOM, says("没找到")),
    ("return, no reason", WORKER, "退回 1", None, ROOM, says("原因")),
    ("register, nothing", WORKER, "登记", None, ROOM, says("请写上要登记的内容")),
    ("rate, no number", RESIDENT, "评价", None, ROOM, says("请带上工单号")),
    ("cancel, no number", RESIDENT, "撤销", None, ROOM, says("请带上工单号")),
    ("resident gives a worker's command", RESIDENT, "接单 1", None, ROOM, says("只有本网格的网格员")),
    ("@所有人 from a resident", RESIDENT, "@所有人 5号楼停电了！", None, ROOM, anything),
    ("a resident named 所有人", ("所有人", "wx-all"), "5号楼停电了", None, ROOM, anything),
    ("@所有人 in a worker's note", WORKER, "完成 1 ＠所有人 已修好", None, ROOM, says("#1 的事办好了")),
    ("phone number in a report", NEIGHBOUR, f"5号楼漏水了，联系我 {PHONE} 或 138-1234-5678", None, ROOM, anything),
    ("ID number in a report", NEIGHBOUR, "我身份证11010519491231002X，5号楼停电了", None, ROOM, anything),
    ("private message, no room", RESIDENT, "\x00", None, None, silent),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
async def test_hostile_input(room: Room, row):
    _, who, text, name, where, check = row
    out = await room.say(who, text, room=where, name=name)
    check(out, room)
    assert_nothing_unsafe_sent(room.sent)
    assert_consistent(room.store)


async def test_all_rows_in_one_room_in_a_row(room: Room):
    for _, who, text, name, where, _check in ROWS:
        await room.say(who, text, room=where, name=name)
    assert_nothing_unsafe_sent(room.sent)
    assert_consistent(room.store)
    assert room.store.inbox.count() == len(ROWS) + 1


def assert_nothing_unsafe_sent(sent: list[Outgoing]) -> None:
    for message in sent:
        assert message.text.strip()
        assert not re.search(r"[@＠]\s*所有人", message.text), message.text
        assert all(p.name != "所有人" for p in message.mentions)
        if message.room_id is not None:
            digits = re.sub(r"\D", "", message.text)
            assert "13812345678" not in digits, message.text
            assert "11010519491231002" not in digits, message.text


def assert_consistent(store: Store) -> None:
    db = store.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT COUNT(*) FROM inbox WHERE status = 'new'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM inbox WHERE status = 'error'").fetchone()[0] == 0
    without_created = db.execute(
        "SELECT id FROM tickets t WHERE NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created')"
    ).fetchall()
    assert without_created == []
    without_reporter = db.execute(
        "SELECT id FROM tickets t WHERE NOT EXISTS "
        "(SELECT 1 FROM ticket_reporters r WHERE r.ticket_id = t.id)"
    ).fetchall()
    assert without_reporter == []
    assert db.execute("SELECT COUNT(*) FROM outbox WHERE trim(text) = ''").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM outbox WHERE state != 'sent'").fetchone()[0] == 0
    for (text,) in db.execute("SELECT text FROM inbox").fetchall():
        text.encode("utf-8")
        assert "\x00" not in text


# --- the transport's side: bytes that are not UTF-8, lines that are not messages -----


def test_pipe_line_with_invalid_utf8_becomes_a_message():
    raw = b'{"message_id": "p1", "sender_id": "u1", "sender_name": "\xff", "text": "\xe5\x8f\xb7\xff\xfe"}'
    msg = parse_line(raw, TZ)
    assert msg.message_id == "p1" and msg.room_id is None
    assert "\ufffd" in msg.text and msg.text.startswith("号")


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[1, 2]", b'{"text": "no id"}', b'{"message_id": "x"}',
     b'{"message_id": "x", "sender_id": "u", "time": "yesterday"}',
     b'{"message_id": "x", "sender_id": "u", "time": 1e300}',
     b'{"message_id": "x", "sender_id": "u", "mention_ids": "a"}',
     b'{"message_id": true, "sender_id": "u"}'],
)
def test_pipe_line_that_is_not_a_message_is_refused_with_a_reason(raw):
    with pytest.raises(ValueError):
        parse_line(raw, TZ)


def test_clean_text_takes_bytes_and_surrogates():
    assert clean_text(b"\xff3\x00") == "\ufffd3"
    assert clean_text("\ud800a") == "?a"
    assert clean_text(None) == ""


def test_sqlite_file_survives_hostile_rows(tmp_path):
    """The same text written and read back through a file database, byte for byte."""
    store = Store.open(tmp_path / "h.db")
    weird = "'); DROP TABLE inbox; --\u202e<b>\U0001f600"
    with store.transaction():
        store.inbox.add(
            message_id=weird, room_id=None, room_topic=None, sender_id=weird, sender_name=weird,
            text=weird, mention_ids=[weird], media_count=0, sent_at=0, received_at=0,
        )
    store.close()
    conn = sqlite3.connect(tmp_path / "h.db")
    assert conn.execute("SELECT text FROM inbox WHERE message_id = ?", [weird]).fetchone() == (weird,)
