"""Nothing lost between the chat and the database: a storage failure leaves the message to
be retried (not marked done), migrations commit whole, a read-only database is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOM_QN1, ROOT

from storage import Store
from storage.database import StorageError, is_transient, open_database
from storage.migrations import MIGRATIONS, sql_statements

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"


def locker(path: Path) -> sqlite3.Connection:
    """Another program holding the write lock on the bot's database."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


async def test_an_inbox_write_that_times_out_raises_and_the_retry_handles_it(open_chat, tmp_path):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    chat.store.db.execute("PRAGMA busy_timeout=0")  # the 5 s wait, without the waiting
    lock = locker(tmp_path / "bot.db")
    with pytest.raises(sqlite3.OperationalError) as failed:
        await chat.say("张阿姨", COVER, message_id="lift-1")
    assert is_transient(failed.value)
    lock.rollback()
    lock.close()
    assert chat.store.inbox.get("lift-1") is None  # not stored: the transport must retry

    out = await chat.say("张阿姨", COVER, message_id="lift-1")  # the transport's retry
    assert chat.ticket(1) is not None and chat.ticket(1).status == "open"
    assert any("#1" in m.text for m in out)
    assert chat.store.inbox.get("lift-1").status == "done"


async def test_disk_full_while_handling_stores_nothing_and_the_retry_handles_it(
    open_chat, tmp_path
):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    db = chat.store.db
    add = chat.store.inbox.add

    def add_then_fill_the_disk(**row):  # the inbox row fits; nothing after it does
        stored = add(**row)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count={pages}")
        return stored

    chat.store.inbox.add = add_then_fill_the_disk
    long_report = COVER + "，" + "井盖边上的水泥也碎了" * 300  # needs pages of its own
    with pytest.raises(sqlite3.OperationalError, match="full"):
        await chat.say("张阿姨", long_report, message_id="full-1")
    chat.store.inbox.add = add
    # The inbox row and the handling commit together: nothing of it is kept (not marked
    # done nor error), and the transport, which has no ack, sends it again.
    assert chat.store.inbox.get("full-1") is None
    assert chat.ticket(1) is None and chat.store.outbox.all() == []

    db.execute("PRAGMA max_page_count=1073741823")  # space again
    out = await chat.say("张阿姨", long_report, message_id="full-1")
    assert chat.ticket(1) is not None
    assert chat.store.inbox.get("full-1").status == "done"
    assert len([m for m in out if "#1" in m.text and m.room_id is not None]) == 1


async def test_a_stored_message_left_new_is_handled_at_the_next_start(
    open_chat, example_config, shared_classifier, shared_faq, tmp_path
):
    chat = await open_chat(store=Store.open(tmp_path / "bot.db"))
    chat.store.inbox.add(
        message_id="left-1", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1, sender_id="wx-u",
        sender_name="张阿姨", text=COVER, mention_ids=[], media_count=0,
        sent_at=int(chat.clock.now().timestamp()), received_at=int(chat.clock.now().timestamp()),
    )
    assert chat.app.recover() == 1
    assert chat.ticket(1) is not None and chat.store.inbox.get("left-1").status == "done"


async def test_a_bug_while_handling_is_marked_error_and_not_retried(open_chat, monkeypatch):
    chat = await open_chat()

    def broken(ctx, msg):
        raise KeyError("a bug")

    monkeypatch.setattr("bot.app.route", broken)
    assert await chat.say("张阿姨", COVER, message_id="bug-1") == []
    assert chat.store.inbox.get("bug-1").status == "error"


def test_transient_means_locked_full_or_io_not_a_wrong_query(tmp_path):
    memory = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as wrong:
        memory.execute("SELECT * FROM no_such_table")
    assert not is_transient(wrong.value)
    with pytest.raises(sqlite3.IntegrityError) as constraint:
        memory.execute("CREATE TABLE t (x PRIMARY KEY)")
        memory.execute("INSERT INTO t VALUES (1)")
        memory.execute("INSERT INTO t VALUES (1)")
    assert not is_transient(constraint.value)
    assert not is_transient(KeyError("x"))
    path = tmp_path / "l.db"
    sqlite3.connect(str(path)).execute("CREATE TABLE t (x)")
    lock = locker(path)
    with pytest.raises(sqlite3.OperationalError) as locked:
        sqlite3.connect(str(path), timeout=0).execute("INSERT INTO t VALUES (1)")
    lock.close()
    assert is_transient(locked.value)


# --- migrations ---------------------------------------------------------------------------


def test_sql_scripts_split_into_whole_statements():
    script = """
        CREATE TABLE a (x TEXT DEFAULT ';');
        CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y;'; END;
        CREATE INDEX i ON a(x)
    """
    statements = sql_statements(script)
    assert len(statements) == 3
    assert "BEGIN UPDATE a SET x = 'y;'; END" in statements[1]
    db = sqlite3.connect(":memory:")
    for statement in statements:
        db.execute(statement)


CRASHING_START = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    import storage.migrations as m
    name, step = m.MIGRATIONS[{index}]

    def crash_half_way(db):
        first, *rest = m.sql_statements({script!r})
        db.execute(first)
        os._exit(9)  # killed between the migration's statements

    from storage.database import open_database
    every = m.MIGRATIONS
    m.MIGRATIONS = every[:{index}]
    open_database({path!r}).conn.close()  # the database as an older bot left it
    m.MIGRATIONS = every[:{index}] + ((name, crash_half_way),)
    open_database({path!r})
    """
)


@pytest.mark.parametrize("index", [0, len(MIGRATIONS) - 1])
def test_a_crash_between_a_migrations_statements_does_not_break_the_next_start(tmp_path, index):
    path = tmp_path / "bot.db"
    if index:  # an older database gets the newest migration: its first statement, a crash
        script = "CREATE TABLE half_done (x); CREATE TABLE other_half (y);"
    else:  # the very first start: the first statement of the core schema, then a crash
        script = "CREATE TABLE tickets (id INTEGER PRIMARY KEY); CREATE TABLE events (id);"
    code = CRASHING_START.format(root=str(ROOT), index=index, script=script, path=str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr

    db = open_database(path)  # the next start
    applied = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    assert applied == {name for name, _ in MIGRATIONS}
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert {"tickets", "events", "inbox", "outbox"} <= tables
    store = Store(db)
    with store.transaction():
        store.inbox.add(
            message_id="m1", room_id=None, room_topic=None, sender_id="u", sender_name="u",
            text="x", mention_ids=[], media_count=0, sent_at=0, received_at=0,
        )
    assert store.inbox.count() == 1


# --- a database the bot cannot write --------------------------------------------------------


def test_a_read_only_database_is_refused_with_one_line(tmp_path, read_only):
    path = tmp_path / "bot.db"
    open_database(path).conn.close()
    read_only(path)
    with pytest.raises(StorageError) as refused:
        Store.open(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert "read-only" in str(refused.value) and "\n" not in str(refused.value)
    reader = Store.open(path, writable=False)  # reports may still read it
    assert reader.inbox.count() == 0
    reader.close()


def test_a_folder_or_a_non_database_is_refused_with_one_line(tmp_path):
    with pytest.raises(StorageError, match="is a folder"):
        open_database(tmp_path)
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(StorageError, match="not an SQLite database"):
        open_database(junk)
