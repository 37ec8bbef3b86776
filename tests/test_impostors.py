"""Nobody becomes an official by nickname. Through the pipe transport (a real chat: every
sender has their own id), a resident who renames themself like a worker, a staff member
or the admin — the same name, or a look-alike (spaces, ideographic space, zero-width and
bidi characters) — changes nothing: no ticket moves, no rules reload, no statistics or
details of other people's tickets, no binding code; the admin is told; and the real
person's @-mentions keep their id."""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE_CONFIG, TZ

from bot.app import Application
from bot.clock import ManualClock
from bot.config import OutboxSettings, load_config
from bot.transports.pipe import PipeTransport
from storage import Store

QN1, QN2, BH1 = "青年路一网格居民群", "青年路二网格居民群", "滨河花园一网格群"
ROOM_IDS = {QN1: "r-qn1@chatroom", QN2: "r-qn2@chatroom", BH1: "r-bh1@chatroom"}
SUNLI, FENGYUAN, LIUFANG = "wx-sunli", "wx-fengyuan", "wx-liufang"  # the real people
LOOK_ALIKES = [
    lambda n: n,  # the very same name
    lambda n: n + " ",  # a trailing space
    lambda n: n + "\u3000",  # an ideographic space
    lambda n: n[0] + "\u200b" + n[1:],  # a zero-width space inside
    lambda n: "\u202e" + n + "\u202c",  # right-to-left override
    lambda n: " " + n[0] + "\u200d" + n[1:] + "\ufe0f",  # joiner and variation selector
]


def config_with_ids(tmp_path: Path):
    """The example community; 孙丽 (worker) and 冯媛 (admin) have wechat_ids in the config,
    刘芳 (staff, not in [[people]]) is bound with a code in the chat."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('name = "孙丽"\n', f'name = "孙丽"\nwechat_id = "{SUNLI}"\n', 1)
    text = text.replace('name = "冯媛"\n', f'name = "冯媛"\nwechat_id = "{FENGYUAN}"\n', 1)
    path = tmp_path / "gridbot.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    return replace(config, outbox=OutboxSettings(per_room_seconds=0, overall_seconds=0))


class CountingClassifier:
    """The real classifier, counting reloads (重载规则 must not reach it)."""

    def __init__(self, real) -> None:
        self.real, self.reloads = real, 0

    def classify(self, text):
        return self.real.classify(text)

    def reload(self):
        self.reloads += 1
        return None


@dataclass
class PipeChat:
    """The bot behind the pipe transport, restarted for each batch of lines (as a bridge
    would feed it), on one database file."""

    config: object
    db: Path
    classifier: CountingClassifier
    faq: object
    clock: ManualClock
    ids: itertools.count

    async def say(self, *said: tuple[str, str, str, str | None]) -> list[dict]:
        """(sender id, display name, text, room topic or None) -> what the bot wrote out."""
        lines = [json.dumps({
            "message_id": f"m{next(self.ids)}", "sender_id": sender, "sender_name": name,
            "text": text, "room_id": ROOM_IDS.get(room) if room else None, "room_topic": room,
            "time": self.clock.now().isoformat(),
        }, ensure_ascii=False) for sender, name, text, room in said]
        stdin = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
        stdout = io.BytesIO()
        transport = PipeTransport(TZ, stdin=stdin, stdout=stdout)
        app = Application(self.config, transport, store=Store.open(self.db), clock=self.clock,
                          classifier=self.classifier, faq=self.faq, scheduler=False, deliver=False)
        await app.start()
        transport.begin()
        await transport.finished.wait()
        for _ in range(20):
            await app.outbox.deliver_due()
        await app.stop()
        out = [json.loads(line) for line in stdout.getvalue().decode("utf-8").splitlines()]
        return [o for o in out if "outbox_id" in o]

    def store(self) -> Store:
        return Store.open(self.db)


@pytest.fixture
async def community(tmp_path, shared_classifier, shared_faq) -> PipeChat:
    chat = PipeChat(config_with_ids(tmp_path), tmp_path / "bot.db", CountingClassifier(shared_classifier),
                    shared_faq, ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ)), itertools.count(1))
    # Ticket #1 in 孙丽's grid, #2 in the other community (binhe).
    out = await chat.say(("wx-r1", "张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", QN2),
                         ("wx-r2", "王大爷", "5号楼楼道灯坏了好几天了，晚上黑漆漆的", BH1))
    assert any("#1" in o["text"] for o in out) and any("#2" in o["text"] for o in out)
    # 刘芳 (staff) is bound the proper way: the admin asks for a code, she sends it.
    out = await chat.say((FENGYUAN, "冯媛", "绑定码 刘芳", None))
    code = re.search(r"\d{8}", out[0]["text"]).group(0)
    out = await chat.say((LIUFANG, "刘芳", f"绑定 {code}", None))
    assert "绑定好了" in out[0]["text"]
    return chat


def snapshot(chat: PipeChat) -> tuple:
    store = chat.store()
    try:
        tickets = [(t.id, t.status, t.assignee_name, t.escalation_level, t.rating, t.accepted_at)
                   for t in store.tickets.select()]
        events = [(e.ticket_id, e.kind) for t in tickets for e in store.tickets.events(t[0])]
        return tickets, events, store.bindings.people()
    finally:
        store.close()


def to(out: list[dict], sender: str) -> str:
    return "\n".join(o["text"] for o in out if o["to_id"] == sender or sender in
                     [m["id"] for m in o["mentions"]])


ACTIONS = {
    # the worker of ticket #1's grid: accept it, finish it, in the group and privately
    "孙丽": [("收到", QN2), ("接单 1", QN2), ("完成 1 已修好", QN2), ("完成 1 修好了", None),
           ("待办", None), ("查询 1", None)],
    # the admin: reload the rules, read and escalate another community's ticket, issue codes
    "冯媛": [("重载规则", None), ("查询 2", None), ("转 2 社区", None), ("绑定码 孙丽", None),
           ("统计", None)],
    # community staff: statistics, the to-do list, a ticket's details
    "刘芳": [("统计", None), ("本月统计", QN1), ("待办", None), ("查询 1", None)],
}
FORBIDDEN = ["📊", "报告：", "张阿姨", "王大爷", "重新加载", "绑定码：", "待办工单", "已由", "已办结", "已转社区"]


@pytest.mark.parametrize("official", list(ACTIONS))
@pytest.mark.parametrize("form", range(len(LOOK_ALIKES)))
async def test_an_impostor_changes_nothing_and_the_real_mentions_stay_theirs(
    community: PipeChat, official: str, form: int
) -> None:
    name = LOOK_ALIKES[form](official)
    impostor = f"wx-impostor-{form}"
    before = snapshot(community)
    out = await community.say(*[(impostor, name, text, room) for text, room in ACTIONS[official]])

    assert snapshot(community) == before  # no ticket moved, nobody bound
    assert community.classifier.reloads == 0
    heard = to(out, impostor)
    assert not [word for word in FORBIDDEN if word in heard], heard
    # The admin is told, once, who is using an official's name.
    alert = [o for o in out if o["to_id"] == FENGYUAN and impostor in o["text"]]
    assert len(alert) == 1 and official in alert[0]["text"]
    again = await community.say((impostor, name, "你好", None))
    assert not [o for o in again if o["to_id"] == FENGYUAN]

    # A new report in 孙丽's grid: the ping reaches the real 孙丽, by her id (not moments
    # after her last one, which would have it listed with her next message).
    community.clock.advance(timedelta(minutes=30))
    out = await community.say(("wx-r3", "李叔", "北门的垃圾桶满了三天没人清，臭得很", QN2))
    ping = [o for o in out if "#3" in o["text"] and o["to_name"] == "孙丽"]
    assert ping and ping[0]["to_id"] == SUNLI
    assert all(m["id"] == SUNLI for o in out for m in o["mentions"] if m["name"] == "孙丽")
    mentioned = [m["id"] for o in out for m in o["mentions"]] + [o["to_id"] for o in out]
    assert impostor not in mentioned


async def test_a_resident_named_like_a_worker_is_heard_as_a_resident(community: PipeChat) -> None:
    # 孙丽 has a wechat_id; 李强 (bh-1's worker) has none and is not bound yet.
    out = await community.say(("wx-other-sunli", "孙丽", "2单元楼道里有人给电动车充电，太危险了", QN2),
                              ("wx-other-liqiang", "李强", "7栋电梯又坏了，老人上不了楼", BH1))
    assert any("#3" in o["text"] for o in out) and any("#4" in o["text"] for o in out)
    store = community.store()
    try:  # tickets, not "official's chat"
        assert store.tickets.get(3).reporter_id == "wx-other-sunli"
        assert store.tickets.get(4).reporter_id == "wx-other-liqiang"
    finally:
        store.close()
    assert [o for o in out if o["to_id"] == FENGYUAN and "李强" in o["text"]]  # told


async def test_the_real_officials_act_by_their_ids(community: PipeChat) -> None:
    out = await community.say((SUNLI, "孙丽", "接单 1", QN2), (LIUFANG, "刘芳（社区）", "统计", None),
                              (FENGYUAN, "Feng", "查询 2", None))
    store = community.store()
    try:
        ticket = store.tickets.get(1)
        assert (ticket.status, ticket.assignee_name, ticket.assignee_id) == ("accepted", "孙丽", SUNLI)
    finally:
        store.close()
    assert "📊" in to(out, LIUFANG)
    assert "王大爷" in to(out, FENGYUAN)  # the admin reads any ticket's details, privately
