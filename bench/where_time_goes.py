"""Where one message's CPU goes in bench_pipeline's stream (a profile, not a benchmark:
`make bench` does not run it). Three views, each on a fresh database, in this process:

- stages: CPU of the handler steps (inclusive, one timer per call, so the profile adds
  little), of classify() inside the pipeline, and of bare classify() on the very texts the
  pipeline classified (the gap is the classifier's tables falling out of the processor's
  cache between messages: a bare loop over repeated texts keeps them warm);
- statements: CPU per SQL statement, per message (COMMIT is the WAL write);
- pages: WAL frames written per message, by table or index (a commit writes every page
  it changed: each table and index an insert touches is a page);
- ceilings (only when asked): what the pipeline would cost, against bare classify in the
  same run, if a lever were pulled all the way — so a design change is weighed before it
  is made. `floor`: each message classified, stored in the inbox with its reading and
  committed, nothing else (the least this schema can cost); `no_chatter`: every resident's
  message the classifier calls none skips all handling after classify (wrong: chatter can
  be a follow-up; the upper bound of any early exit); `inbox_2_indexes`: the inbox without
  inbox_room_sent and inbox_sender_sent (the upper bound of a smaller inbox).

    .venv/bin/python bench/where_time_goes.py [--messages 3000] [--only stages,sql,pages,ceilings]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import importlib
import sqlite3
import struct
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.bench_pipeline as pipeline  # noqa: E402
import storage.database as database  # noqa: E402

STAGES = [
    ("bot.router", "route"), ("handlers.conversation", "handle"), ("handlers.hearing", "hear"),
    ("handlers.opening", "new"), ("handlers.report", "open_from_message"),
    ("handlers.lifecycle", "open_ticket"), ("handlers.matching", "incident"),
    ("handlers.matching", "own_incident"), ("handlers.joining", "own_again"),
    ("handlers.joining", "join"), ("handlers.joining", "read"), ("handlers.natural", "resident_reply"),
    ("handlers.natural", "worker_reply"), ("handlers.flood", "surplus_message"),
    ("handlers.holding", "of"), ("handlers.conversation", "official_update"),
]


def _messages(n: int):
    return pipeline.stream(n, datetime(2026, 11, 23, 13, 0, tzinfo=pipeline.TZ))


def _run(messages, classifier, db: Path):
    return asyncio.run(pipeline.run_pipeline(messages, db, classifier))


def stages(messages, classifier, tmp: Path) -> None:
    clock = time.process_time
    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])

    def timed(label, f):
        def call(*args, **kwargs):
            started = clock()
            try:
                return f(*args, **kwargs)
            finally:
                spent[label][0] += 1
                spent[label][1] += clock() - started
        return call

    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(f"{module_name.split('.')[-1]}.{name}", getattr(module, name)))
    import bot.app

    bot.app.route = importlib.import_module("bot.router").route
    bare = type(classifier).classify
    texts: list[str] = []

    def classify(self, text):
        texts.append(text)
        return timed("classify (in the pipeline)", bare)(self, text)

    type(classifier).classify = classify
    try:
        _, cpu, _, _ = _run(messages, classifier, tmp / "stages.db")
    finally:
        type(classifier).classify = bare
    started = clock()
    for text in texts:
        bare(classifier, text)
    spent["classify (bare, the same texts)"] = [len(texts), clock() - started]
    n = len(messages)
    print(f"\n## stages: {cpu / n * 1e6:.0f} µs CPU per message")
    for label, (calls, seconds) in sorted(spent.items(), key=lambda kv: -kv[1][1]):
        print(f"{seconds / n * 1e6:8.1f} µs/msg {int(calls):6d} calls {seconds / max(calls, 1) * 1e6:8.1f} µs/call  {label}")


def statements(messages, classifier, tmp: Path) -> None:
    clock = time.process_time
    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])

    class Timed(sqlite3.Connection):
        def execute(self, sql, *args):
            started = clock()
            try:
                return super().execute(sql, *args)
            finally:
                spent[sql[:100]][0] += 1
                spent[sql[:100]][1] += clock() - started

    connect = database.sqlite3.connect
    database.sqlite3 = _with_connect(lambda *a, **k: connect(*a, factory=Timed, **k))
    try:
        _, cpu, _, _ = _run(messages, classifier, tmp / "sql.db")
    finally:
        database.sqlite3 = sqlite3
    n = len(messages)
    total = sum(s for _, s in spent.values())
    count = sum(c for c, _ in spent.values())
    print(f"\n## statements: {total / n * 1e6:.0f} of {cpu / n * 1e6:.0f} µs per message in SQL, "
          f"{count / n:.1f} statements per message")
    for sql, (calls, seconds) in sorted(spent.items(), key=lambda kv: -kv[1][1])[:30]:
        print(f"{seconds / n * 1e6:8.1f} µs/msg {int(calls):6d} calls {seconds / calls * 1e6:8.1f} µs/call  {sql}")


def _with_connect(connect):
    module = type(sys)("sqlite3")
    module.__dict__.update(sqlite3.__dict__)
    module.connect = connect
    return module


def pages(messages, classifier, tmp: Path) -> None:
    import bot.app
    from storage.store import Store

    db = tmp / "pages.db"
    saved = (database.WAL_AUTOCHECKPOINT_PAGES, database.BACKSTOP_AUTOCHECKPOINT_PAGES,
             bot.app.Checkpoints.start, Store.close)
    database.WAL_AUTOCHECKPOINT_PAGES = database.BACKSTOP_AUTOCHECKPOINT_PAGES = 0
    bot.app.Checkpoints.start = lambda self: None  # the WAL keeps every frame written
    kept: list[bytes] = []

    def close(store):  # the WAL as the run left it (closing checkpoints it away)
        kept.append(Path(str(db) + "-wal").read_bytes())
        saved[3](store)

    Store.close = close
    try:
        _run(messages, classifier, db)
    finally:
        (database.WAL_AUTOCHECKPOINT_PAGES, database.BACKSTOP_AUTOCHECKPOINT_PAGES,
         bot.app.Checkpoints.start, Store.close) = saved
    data = kept[0]
    size = struct.unpack(">I", data[8:12])[0]
    frames: collections.Counter[int] = collections.Counter()
    for offset in range(32, len(data) - 24 - size + 1, 24 + size):
        frames[struct.unpack(">I", data[offset:offset + 4])[0]] += 1
    names = dict(sqlite3.connect(str(db)).execute("SELECT pageno, name FROM dbstat"))
    by: collections.Counter[str] = collections.Counter()
    for page, count in frames.items():
        by[names.get(page, f"page {page}")] += count
    n = len(messages)
    print(f"\n## pages: {sum(frames.values()) / n:.1f} WAL frames per message")
    for name, count in by.most_common(25):
        print(f"{count / n:6.2f} {name}")


def ceilings(messages, classifier, tmp: Path) -> None:
    import bot.app
    from handlers import joining
    from storage.store import Store

    n = len(messages)
    texts = [m.text for m in messages]
    print("\n## ceilings: CPU µs per message, and bare classify over pipeline (the bench's ratio)")

    def show(label: str, cpu: float) -> None:
        bare = pipeline.run_classify(texts, classifier)[1]
        print(f"{cpu / n * 1e6:8.0f} µs/msg  ratio {bare / cpu:5.3f}  {label}")

    show("as it is", _run(messages, classifier, tmp / "as_it_is.db")[1])

    store = Store.open(tmp / "floor.db")
    conn = store.db.conn
    started = time.process_time()
    for m in messages:
        conn.execute("BEGIN IMMEDIATE")
        at = int(m.time.timestamp())
        store.inbox.add(
            message_id=m.message_id, room_id=m.room_id, room_topic=m.room_topic, sender_id=m.sender_id,
            sender_name=m.sender_name, text=m.text, mention_ids=(), media_count=0, sent_at=at,
            received_at=at, handled_at=at,
        )
        store.conversation.mark_read(m.message_id, classifier.classify(m.text).intent)
        conn.execute("COMMIT")
    show("floor: classify, the inbox row and its reading, commit", time.process_time() - started)
    store.close()

    officials = {sender_id for _, sender_id in pipeline.ROOMS.values()}
    none = {t for t in set(texts) if classifier.classify(t).intent == "none"}  # known before: not timed
    route = bot.app.route

    def chatter_exits(ctx, msg):
        if msg.sender_id not in officials and msg.quote is None and not msg.mention_ids and msg.text in none:
            ctx.classifier.classify(msg.text)  # its cost stays in
            joining.read(ctx, msg, "chatter")
            return importlib.import_module("bot.router").Routed([])
        return route(ctx, msg)

    bot.app.route = chatter_exits
    try:
        show("no_chatter: no handling of the none-intent messages", _run(messages, classifier, tmp / "chat.db")[1])
    finally:
        bot.app.route = route

    opened = Store.open.__func__

    def open_smaller(cls, path, *args, **kwargs):
        store = opened(cls, path, *args, **kwargs)
        store.db.execute("DROP INDEX IF EXISTS inbox_room_sent")
        store.db.execute("DROP INDEX IF EXISTS inbox_sender_sent")
        return store

    Store.open = classmethod(open_smaller)
    try:
        show("inbox_2_indexes: the inbox without two of its indexes", _run(messages, classifier, tmp / "ix.db")[1])
    finally:
        Store.open = classmethod(opened)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--only", default="stages,sql,pages")
    args = parser.parse_args()
    from intents import Classifier

    classifier = Classifier.load()
    classifier.wait_ready()
    messages = _messages(args.messages)
    pipeline.run_classify([m.text for m in messages], classifier)  # warm up
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        if "sql" in only:
            statements(messages, classifier, Path(tmp))
        if "pages" in only:
            pages(messages, classifier, Path(tmp))
        if "ceilings" in only:
            ceilings(messages, classifier, Path(tmp))
        if "stages" in only:
            stages(messages, classifier, Path(tmp))  # last: it wraps handlers for good
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
