"""Nothing said in WeChat is lost on its way to the database, through the real gateway:
the bot killed while residents post, the gateway restarted while the bot is down, the
database locked for a while. Every message is handled, and handled once."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Application
from bot.config import load_config
from bot.transports.wechaty import WechatyTransport
from storage import Store

from .conftest import REPO, TOKEN, Gateway
from .helpers import eventually, sent_to
from .test_wechaty_bot import _bot_env, write_config

pytestmark = pytest.mark.e2e

R1, R2 = "r1@chatroom", "r2@chatroom"
REPORTS = [  # different needs at different places: each one ticket
    ("u1", R1, "3栋门口井盖又翘起来了，晚上走路容易绊倒"),
    ("u2", R2, "5号楼楼道灯坏了好几天了，晚上黑漆漆的看不见路"),
    ("u1", R1, "小区北门垃圾堆了三天没人清，臭得很"),
    ("u2", R2, "2单元楼道里有人给电动车充电，太危险了"),
    ("u1", R1, "8栋屋顶漏水，墙都泡了"),
    ("u2", R2, "6号楼门口的路灯不亮了"),
    ("u1", R1, "4栋门前的下水道堵了，污水冒出来了"),
    ("u2", R2, "东门的健身器材坏了，单杠晃得厉害"),
    ("u1", R1, "9栋楼道里堆满了纸箱，堵住了安全通道"),
]


class BotProcess:
    """`python -m bot run` as a real process, started, killed and restarted."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        marker = self.text().count("wechaty: connected to")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
                cwd=REPO, env=_bot_env(), stdout=log, stderr=subprocess.STDOUT,
            )
        self._marker = marker

    async def connected(self) -> None:
        await eventually(
            lambda: self.text().count("wechaty: connected to") > self._marker or self.proc.poll() is not None,
            30, "the bot to log in",
        )
        assert self.proc.poll() is None, self.text()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def bot_process(own_gateway: Gateway, tmp_path: Path) -> Iterator[BotProcess]:
    bot = BotProcess(write_config(tmp_path, own_gateway.endpoint, TOKEN), tmp_path / "bot.log")
    try:
        yield bot
    finally:
        bot.stop()


def handled(db: Path, ids: list[str]) -> dict[str, str]:
    """message id -> inbox status, for those of `ids` the bot has stored."""
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        rows = conn.execute(
            f"SELECT message_id, status FROM inbox WHERE message_id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
    return dict(rows)


def all_handled(db: Path, ids: list[str]) -> bool:
    statuses = handled(db, ids)
    return len(statuses) == len(ids) and "new" not in statuses.values()


async def test_bot_killed_while_residents_post_and_gateway_restarted_meanwhile(
    own_gateway: Gateway, bot_process: BotProcess, tmp_path: Path
) -> None:
    gateway, db = own_gateway, tmp_path / "gridbot.db"
    bot_process.start()
    await bot_process.connected()
    ids = [gateway.say(u, text, room=room) for u, room, text in REPORTS[:2]]
    await eventually(lambda: all_handled(db, ids), 15, "the first reports")

    # Posts right before the kill are on their way through the bot when it dies.
    ids += [gateway.say(u, text, room=room) for u, room, text in REPORTS[2:4]]
    bot_process.kill()
    # Said while the bot is down; then the gateway restarts too (its journal is on disk).
    ids += [gateway.say(u, text, room=room) for u, room, text in REPORTS[4:7]]
    sent_before_restart = gateway.sent()
    gateway.stop()
    gateway.start()
    ids += [gateway.say(u, text, room=room) for u, room, text in REPORTS[7:]]
    assert set(gateway.health()["waiting"]) >= set(ids[4:])

    bot_process.start()
    await bot_process.connected()
    await eventually(lambda: all_handled(db, ids), 30, "every message, after the restart")
    await eventually(lambda: not gateway.health()["waiting"], 10, "the gateway to hear they are stored")

    store = Store.open(db, writable=False)
    try:
        statuses = handled(db, ids)
        assert set(statuses.values()) == {"done"}, statuses
        tickets = store.tickets.select()
        assert sorted(t.source_message_id for t in tickets) == sorted(ids)  # each once
        # Handled once: a message handled twice would have queued its replies twice.
        replies = Counter((row.cause, row.room_id, row.to_id, row.text) for row in store.outbox.all())
        assert [key for key, n in replies.items() if n > 1] == []
    finally:
        store.close()
    # And the residents heard about each of their reports in their room.
    for number in range(1, len(REPORTS) + 1):
        await eventually(
            lambda n=number: [s for s in sent_before_restart + gateway.sent()
                              if f"（#{n}）" in s["text"] and s["roomId"]],
            15, f"the acknowledgement of #{number}",
        )


async def test_the_gateway_keeps_at_most_journal_max_messages(make_gateway, tmp_path: Path) -> None:
    gateway: Gateway = make_gateway(journal_max=3)
    gateway.start()
    ids = [gateway.say("u1", f"第{i}条消息", room=R1) for i in range(5)]
    health = gateway.health()
    assert health["waiting"] == ids[2:] and health["dropped"] == 2
    assert "dropped the oldest" in gateway.log()

    got: list[str] = []

    async def inbox(message) -> None:
        got.append(message.message_id)

    transport = WechatyTransport(gateway.endpoint, TOKEN, "网格小助手", backoff_initial=0.1)
    await asyncio.wait_for(transport.start(inbox), 15)
    try:
        await eventually(lambda: got == ids[2:], 10, "the three kept messages")
        await eventually(lambda: not gateway.health()["waiting"], 10, "the acknowledgements")
    finally:
        await transport.stop()


async def test_an_inbox_write_failing_for_10_s_is_retried_and_the_message_handled(
    own_gateway: Gateway, tmp_path: Path
) -> None:
    gateway = own_gateway
    config = load_config(write_config(tmp_path, gateway.endpoint, TOKEN))
    db = tmp_path / "gridbot.db"
    lock = sqlite3.connect(str(db), isolation_level=None)  # creates the file
    waited = 0.0

    async def clock_sleep(seconds: float) -> None:
        """The transport's wait between attempts, on a test clock (a real hundredth)."""
        nonlocal waited
        waited += seconds
        await asyncio.sleep(0.01)

    transport = WechatyTransport(
        gateway.endpoint, TOKEN, config.bot_name, backoff_initial=0.2, sleep=clock_sleep
    )
    app = Application(config, transport, store=Store.open(db), scheduler=False)
    app.store.db.execute("PRAGMA busy_timeout=0")  # fail at once instead of after 5 s
    await asyncio.wait_for(app.start(), 20)
    try:
        lock.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        message_id = gateway.say("u1", "2号楼电梯困人了，里面有老人，快来人", room=R1)
        await eventually(lambda: waited >= 10, 10, "10 s of failed attempts to store it")
        assert app.store.inbox.get(message_id) is None and message_id in gateway.health()["waiting"]
        assert sent_to(gateway.sent(), R1) == []
        lock.execute("ROLLBACK")  # the other program lets go

        ack = await eventually(
            lambda: [s for s in sent_to(gateway.sent(), R1) if "#1" in s["text"]], 15, "the answer"
        )
        assert "u1" in ack[0]["mentionIds"]
        assert waited >= 10 and transport.store_failures >= 5
        assert app.store.inbox.get(message_id).status == "done"
        assert app.store.tickets.get(1).source_message_id == message_id
        await eventually(lambda: not gateway.health()["waiting"], 10, "the acknowledgement")
    finally:
        if lock.in_transaction:
            lock.execute("ROLLBACK")
        lock.close()
        await app.stop()

