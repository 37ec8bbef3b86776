"""One message costs the same in a city with years of tickets as on the first day.

A conversation that walks the message path (reports, a neighbour's same report, chatter,
a worker's replies and commands — accept, progress, transfer, register, merge, return,
待办 and its next page, 疑似, statistics — a natural 修好了 and 没修好, a resident's
rating, query, list and withdrawal, a private report, a stranger asked where they live,
a photo, a flood past its limits) runs on a database with a few hundred tickets of
history and on one with thirteen times as many. Every statement it runs must find its
rows through an index (its query plan scans no table), and the work SQLite does for each
message (virtual-machine steps, counted by a progress handler) must not grow with the pile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import ROOM_QN1
from piles import pile_up

from handlers.messages import IncomingMessage, Media
from storage import Store

ADMIN_ROOM = "滨河社区工作群"
PHOTO = Media(kind="image", name="cover.jpg", data=b"\xff\xd8 a photo of the cover")
# Answers about many tickets at once: their cost follows the tickets they are about (the
# open tickets of the worker's grids, ordered for 待办 and its pages; the period's tally),
# not one message. Their plans are checked all the same; their steps are not compared.
ABOUT_MANY = ("待办", "待办 N", "统计", "本月统计")
# A scan of these partial indexes reads only the rows still to be done (unsent replies,
# unhandled messages, unregistered suspects): never the history.
PARTIAL_INDEXES = ("outbox_due", "inbox_new", "suspects_unregistered")
# A search on a column of a few values only reads a good part of the table.
UNSELECTIVE = re.compile(r"\((status|state|kind|intent)=\?\)$")


def _number(replies) -> int:
    return int(re.search(r"#(\d+)", "\n".join(m.text for m in replies)).group(1))


async def converse(chat, before: Callable[[str], None]) -> None:
    """The conversation; `before(label)` is called before each message is delivered."""

    async def say(name, text, room=ROOM_QN1, **kw):
        before(re.sub(r" \d+", " N", text))  # the same label whatever the ticket numbers
        out = await chat.say(name, text, room, **kw)
        chat.clock.advance(timedelta(seconds=40))
        return out

    cover = _number(await say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒"))
    await say("李叔", "3栋门口的井盖翘起来了")
    await say("张阿姨", "井盖还没人来修吗")
    await say("王大妈", "大家早上好")
    await say("马建民", "收到")
    await say("马建民", f"完成 {cover} 已更换井盖")
    await say("张阿姨", "满意")
    await say("李叔", f"查询 {cover}")
    await say("李叔", "我的工单")
    lift = _number(await say("赵阿姨", "5号楼电梯坏了，天天爬楼，老人下不来"))
    await say("赵阿姨", f"撤销 {lift}")
    light = _number(await say("钱先生", "12号楼楼道灯坏了一个礼拜了"))
    await say("马建民", f"接单 {light}")
    await say("马建民", f"进展 {light} 灯管已经买了")
    await say("马建民", f"转 {light} 孙丽")
    again = _number(await say("孙丽", "登记 8号楼楼道灯也不亮了，居民电话说的"))
    await say("孙丽", f"合并 {again} {light}")
    await say("孙丽", f"接单 {light}")
    await say("孙丽", "修好了")
    await say("钱先生", "没修好")
    drain = _number(await say("吴奶奶", "北门下水道堵了，污水漫到路上了"))
    await say("马建民", f"退回 {drain} 不归我们网格管")
    await say("马建民", "待办")
    await say("马建民", "待办 2")
    await say("马建民", "疑似")
    await say("马建民", "统计")
    await say("冯媛", "本月统计")
    await say("张阿姨", "帮助")
    await say("张阿姨", "我家水管漏水了，楼下都渗水了", room=None)
    await say("陌生人", "我家楼上天天半夜装修，吵得睡不着", room=None)  # never seen in a group
    await say("陌生人", "青年路6号楼", room=None)  # the answer to where they live
    await say("钱先生", "[图片]", media=(PHOTO,))
    await say("陈海燕", "大家辛苦了", room=ADMIN_ROOM)
    await say("某人", "hello", room="不认识的群")
    for i in range(14):  # one resident, fourteen messages in under a minute
        chat.clock.advance(timedelta(seconds=-37))
        await say("刘大妈", f"{i + 20}号楼楼道的水管在漏水" if i % 2 else "有人吗？？")


def _piled_store(chat_config, now, *, open_tickets: int, closed_tickets: int) -> Store:
    store = Store.open(None)
    grids = [(g.id, g.community_id, g.rooms[0]) for g in chat_config.directory.grids]
    pile_up(store, grids=grids, now=int(now.timestamp()), open_tickets=open_tickets,
            closed_tickets=closed_tickets)
    return store


def _steps_per_message(store: Store) -> tuple[Callable[[str], None], dict[str, int]]:
    steps: dict[str, int] = {}
    current = [""]

    def count() -> int:
        steps[current[0]] = steps.get(current[0], 0) + 1
        return 0

    def before(label: str) -> None:
        current[0] = label
        steps[label] = 0

    store.db.conn.set_progress_handler(count, 1)
    return before, steps


def _plan_scans(store: Store, sql: str) -> list[str]:
    """The full scans of tables or whole indexes in the plan of `sql`, and the indexes
    SQLite would build for it on the fly (from a full scan)."""
    plan = store.db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    scans = []
    for *_, detail in plan:
        if "AUTOMATIC" in detail or UNSELECTIVE.search(detail):
            scans.append(detail)
            continue
        if not detail.startswith("SCAN ") or detail.startswith(("SCAN (subquery", "SCAN CONSTANT")):
            continue
        if any(detail.endswith(f"INDEX {name}") for name in PARTIAL_INDEXES):
            continue
        scans.append(detail)
    return scans


@pytest.fixture
async def piled_chat(open_chat, example_config, start_time):
    store = _piled_store(example_config, start_time, open_tickets=4000, closed_tickets=8000)
    return await open_chat(store=store)


@pytest.fixture
async def small_chat(open_chat, example_config, start_time):
    store = _piled_store(example_config, start_time, open_tickets=300, closed_tickets=600)
    return await open_chat(store=store)


async def test_every_statement_of_the_message_path_uses_an_index(piled_chat):
    statements: dict[str, tuple[str, str]] = {}  # shape -> (one statement, said)
    said = [""]

    def trace(sql: str) -> None:
        shape = re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b", "?", sql)
        statements.setdefault(shape, (sql, said[0]))

    piled_chat.store.db.conn.set_trace_callback(trace)
    await converse(piled_chat, lambda text: said.__setitem__(0, text))
    piled_chat.store.db.conn.set_trace_callback(None)

    checked, scans = 0, []
    for sql, text in statements.values():
        if sql.split(None, 1)[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            continue
        checked += 1
        scans += [f"{text!r}: {scan} in {sql[:160]}" for scan in _plan_scans(piled_chat.store, sql)]
    assert checked >= 40  # the conversation did reach the statements it is meant to
    assert scans == []


async def test_work_per_message_does_not_grow_with_the_tickets_piled_up(
    small_chat, piled_chat
):
    counts = []
    for chat in (small_chat, piled_chat):
        before, steps = _steps_per_message(chat.store)
        await converse(chat, before)
        chat.store.db.conn.set_progress_handler(None, 1)
        counts.append(steps)
    on_small, on_piled = counts
    assert on_small.keys() == on_piled.keys()
    grown = {
        text: (on_small[text], on_piled[text]) for text in on_small
        if text not in ABOUT_MANY and on_piled[text] > 1.2 * on_small[text]
    }
    assert grown == {}
    assert sum(on_small.values()) > 1000  # the counter did count


async def _incident_joined_by(chat, neighbours: int) -> dict[str, int]:
    """An outage many neighbours echo, then the messages read against it: SQLite's steps
    for each of those."""
    async def say(name, text):
        out = await chat.say(name, text, ROOM_QN1)
        chat.clock.advance(timedelta(seconds=20))
        return out

    await say("8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    for i in range(neighbours):
        await say(f"8-{i % 3 + 1}-{i + 101} 邻居{i}", "我家也没水 +1")
    await say("@老许 邻居", "@8-1-302 老许 你家的水管是不是你自己弄坏的")  # a quarrel's party
    # the same while after the report however many joined (a chase moments after the
    # worker's ping is kept quietly, handlers/pace.py: a different path, not a cost)
    chat.clock.advance(timedelta(seconds=max(0, 45 * 60 - 20 * (neighbours + 2))))
    before, steps = _steps_per_message(chat.store)
    for name, text in [
        ("8-2-1501 Coco", "8栋又停水？？"),
        ("8-1-302 老许", "怎么还没来水 什么时候来水啊"),
        ("8-1-302 老许", "楼下也没水"),
        ("王大妈", "大家早上好"),
        ("9栋 老黄", "9栋的电梯又坏了"),
        ("@老许 邻居", "报警吧 你家的狗天天叫"),
    ]:
        before(text)
        await say(name, text)
    chat.store.db.conn.set_progress_handler(None, 1)
    return steps


async def test_an_incident_many_have_joined_costs_no_more_to_read_against(open_chat):
    """Each message is read against the room's open incidents and the sender's own: what was
    said of them (their subjects, a person's last word, who was @-ed) is found through
    indexes and kept sets, not by reading every message joined to them."""
    few = await _incident_joined_by(await open_chat(), 5)
    many = await _incident_joined_by(await open_chat(), 120)
    assert few.keys() == many.keys()
    grown = {text: (few[text], many[text]) for text in few if many[text] > 1.2 * few[text]}
    assert grown == {}
    assert sum(few.values()) > 1000  # the counter did count


async def _room_after_done(chat, done: int) -> dict[str, int]:
    """A room where `done` incidents were reported and resolved today, one still open,
    then the messages read against the room's open incidents: SQLite's steps for each."""
    async def say(name, text):
        out = await chat.say(name, text, ROOM_QN1)
        chat.clock.advance(timedelta(seconds=30))
        return out

    for i in range(done):
        number = _number(await say(f"{i + 1}栋 住户{i}", f"{i + 1}号楼楼道灯坏了，晚上黑乎乎的"))
        await say("马建民", f"完成 {number} 灯换好了")
    await say("8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    before, steps = _steps_per_message(chat.store)
    for name, text in [
        ("8-2-1501 Coco", "我家也没水 +1"),
        ("9栋 老黄", "9栋的电梯又坏了"),
        ("王大妈", "楼道灯又不亮了"),
        ("李叔", "大家早上好"),
    ]:
        before(text)
        await say(name, text)
    chat.store.db.conn.set_progress_handler(None, 1)
    return steps


async def test_incidents_done_today_cost_nothing_to_read_past(open_chat):
    """A message is read against the room's open incidents only: those resolved since
    (a busy day's dozens) are not stepped over on the way."""
    few = await _room_after_done(await open_chat(), 2)
    many = await _room_after_done(await open_chat(), 40)
    assert few.keys() == many.keys()
    grown = {text: (few[text], many[text]) for text in few if many[text] > 1.2 * few[text]}
    assert grown == {}
    assert sum(few.values()) > 1000  # the counter did count


# A resident's chatter about nothing the bot holds, delivered alone: BEGIN, the inbox row,
# what it was read as, COMMIT (it was 11-12 before people, rooms, a sender's live tickets
# and last messages were answered from memory, and a message alone had a savepoint).
CHATTER_STATEMENTS = 4


async def test_chatter_costs_the_inbox_write_and_a_commit(open_chat):
    """Who speaks and where, whether they have something in hand (an open report of their
    own, one just done), how many they said in the last minute and their last messages
    (a report in pieces): all answered from memory kept in step with the writes, so a
    resident's chatter costs the inbox write, what it was read as and the commit."""
    chat = await open_chat()

    async def say(name, text):
        out = await chat.say(name, text, ROOM_QN1)
        chat.clock.advance(timedelta(minutes=7))
        return out

    await say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒")  # her own open report
    await say("王大妈", "大家早上好")
    await say("张阿姨", "今天天气真不错")  # her report's subjects are worked out and kept
    await say("张阿姨", "好香啊")
    statements: dict[str, list[str]] = {}
    said = [""]
    chat.store.db.conn.set_trace_callback(lambda sql: statements[said[0]].append(sql))
    for name, text in [
        ("王大妈", "今天菜市场的青菜很新鲜"),
        ("张阿姨", "周末带孩子去公园了"),
        ("王大妈", "哈哈哈"),
        ("张阿姨", "谢谢分享"),
    ]:
        said[0] = text
        statements[text] = []
        await chat.transport.deliver(IncomingMessage(
            message_id=f"chatter-{len(statements)}", room_id=f"room-{ROOM_QN1}",
            room_topic=ROOM_QN1, sender_id=chat.person_id(name), sender_name=name, text=text,
            time=chat.clock.now(),
        ))
        chat.clock.advance(timedelta(minutes=7))
    chat.store.db.conn.set_trace_callback(None)
    over = {text: sqls for text, sqls in statements.items() if len(sqls) > CHATTER_STATEMENTS}
    assert over == {}, "\n".join(sql[:120] for sqls in over.values() for sql in sqls)
    assert all(any(sql.startswith("INSERT OR IGNORE INTO inbox") for sql in sqls)
               for sqls in statements.values())  # the trace did see them
    assert chat.transport.take() == []  # chatter, answered by nobody



async def test_a_rooms_incidents_are_read_once(open_chat):
    """Every message of a room is read against the room's incidents of the last day (a
    report several times): they are read once and kept in step with what joins them and
    with their tickets' states, so the next messages read none of them again, and still
    join the incident they are about."""
    chat = await open_chat()

    async def say(name, text):
        out = await chat.say(name, text, ROOM_QN1)
        chat.clock.advance(timedelta(minutes=3))
        return out

    cover = _number(await say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒"))
    light = _number(await say("王大妈", "5号楼楼道灯坏了好几天了"))  # the room's incidents read
    statements: list[str] = []
    chat.store.db.conn.set_trace_callback(statements.append)
    await say("李叔", "3栋门口的井盖翘起来了")
    chat.store.db.conn.set_trace_callback(None)
    assert light != cover
    assert [sql for sql in statements if "FROM room_incidents" in sql] == []
    joined = [(r.sender_name, r.kind) for r in chat.store.conversation.reports(cover)]
    assert joined == [("张阿姨", "report"), ("李叔", "echo")]
