"""Opening the SQLite file and the one-writer transaction every change goes through."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage.migrations import migrate

WAL_AUTOCHECKPOINT_PAGES = 8000
# Once a `Checkpointer` copies the WAL on a thread of its own, the bot's connection's own
# automatic checkpoint is only a backstop, should that thread stop (~400 MB of WAL).
BACKSTOP_AUTOCHECKPOINT_PAGES = 100_000
# The pages of the indexes one message reads stay in memory however big the file grows
# (the default, 2 MB, holds a small town's indexes only).
CACHE_KIB = 64 * 1024
# Statements kept prepared by a connection (Python's default is 128): the message path's
# ~80 and the timers' and dashboard's besides, so none is compiled again for a message.
STATEMENTS = 512

# SQLite result codes of failures that pass (a lock held too long, a full or failing disk,
# a file made read-only for a while): the work is retried later, not given up.
TRANSIENT_ERRORS = frozenset({
    "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN",
    "SQLITE_READONLY", "SQLITE_PROTOCOL", "SQLITE_NOMEM",
})


class Database:
    """The bot's connection, with the part of sqlite-utils' `Database` the bot uses
    (`conn`, `execute`, `executescript`, `query`), the same way: sqlite-utils itself, 0.06 s
    of a start's imports, is loaded only if something asks for more (a table object,
    `db[name]`), and then wraps this same connection.

    The connection runs in autocommit mode (`isolation_level=None`): a statement opens no
    transaction of its own, so `execute` is the connection's."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._full: Any = None
        conn.execute("PRAGMA recursive_triggers=on")  # as sqlite_utils.Database sets it

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """The statements of `sql`; within the open transaction, if any (sqlite3's own
        executescript would commit it first)."""
        if self.conn.in_transaction:
            from storage.migrations import sql_statements

            cursor = self.conn.cursor()
            for statement in sql_statements(sql):
                cursor.execute(statement)
            return cursor
        return self.conn.executescript(sql)

    def query(self, sql: str, params: Sequence | dict[str, Any] | None = None) -> Iterator[dict]:
        """The rows of a read, each as a dict by column name."""
        cursor = self.conn.execute(sql, params if params is not None else ())
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows - use execute()")
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def sqlite_utils(self) -> Any:
        """sqlite-utils' own `Database` on this connection (imported now)."""
        if self._full is None:
            if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
                # sqlite-utils imports numpy whenever it is installed, only to store numpy
                # values, which the bot never has: kept from doing so (numpy stays importable)
                sys.modules["numpy"] = None  # type: ignore[assignment]
                try:
                    import sqlite_utils
                finally:
                    del sys.modules["numpy"]
            import sqlite_utils

            # no plugins: looking for them reads the metadata of every installed package
            self._full = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._full

    def __getitem__(self, table: str) -> Any:
        return self.sqlite_utils()[table]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.sqlite_utils(), name)


class StorageError(Exception):
    """The database cannot be used (missing folder, read-only, not a database): one line."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


def is_transient(error: BaseException) -> bool:
    """True for a storage failure that may pass (locked, disk full, I/O error), as opposed
    to a bug (a wrong query, a broken constraint) that would fail the same way again."""
    if not isinstance(error, sqlite3.Error):
        return False
    name = getattr(error, "sqlite_errorname", "") or ""
    primary = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    return primary in TRANSIENT_ERRORS


def open_database(path: str | Path | None, *, writable: bool = True) -> Database:
    """Open (creating if needed) the database: WAL, owner-only file, schema up to date.

    `None` opens an in-memory database (tests, quick tries). With `writable` (the bot),
    a database that cannot be written is refused at once (StorageError), instead of the
    bot running and failing on the first message.
    """
    try:
        db = _open(path)
        migrate(db)
        if writable:
            _check_writable(db)
    except sqlite3.Error as error:
        raise StorageError(path or ":memory:", _explain(error)) from None
    return db


def _open(path: str | Path | None) -> Database:
    if path is None:
        conn = sqlite3.connect(
            ":memory:", isolation_level=None, check_same_thread=False, cached_statements=STATEMENTS
        )
    else:
        path = Path(path)
        if path.is_dir():
            raise StorageError(path, "is a folder, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Created readable by its owner only: it holds residents' names and phones.
                fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
        except OSError as error:
            raise StorageError(path, f"cannot create it ({error.strerror or error})") from None
        conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, cached_statements=STATEMENTS
        )
    db = Database(conn)
    if path is not None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints (the only fsyncs in WAL mode) run when the bot is idle (Store.checkpoint
        # from the outbox loop), not in the middle of handling a message: this is the
        # backstop for a bot that is never idle (~32 MB of WAL).
        db.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def _check_writable(db: Database) -> None:
    """Write something and take it back: fails now if the file or its folder is read-only."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("INSERT INTO _migrations (name, applied_at) VALUES ('_write_check', '')")
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")


def _explain(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return "cannot write the database (read-only file, folder or disk): the bot needs to write it"
    if name.startswith("SQLITE_NOTADB"):
        return "not an SQLite database"
    if name.startswith("SQLITE_CANTOPEN"):
        return "cannot open the database file (missing folder or no permission)"
    if name.startswith("SQLITE_BUSY"):
        return "the database is locked by another program (another bot running on it?)"
    return f"{error} ({name or type(error).__name__})"


class Checkpointer:
    """Copies the WAL into the database file from a connection of its own, so that a
    thread does it (the copying and its fsync, the only one of WAL mode) while the event
    loop's transactions go on: PASSIVE waits for no reader or writer, and the writer does
    not wait for it. A commit of the bot's connection then never pays for a checkpoint."""

    def __init__(self, path: str | Path) -> None:
        self._path = path
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)

    def data_version(self) -> int:
        """A number that changes whenever another connection commits (cheap: no read)."""
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def run(self) -> tuple[int, int, int]:
        """(busy, WAL pages, pages copied); StorageError when SQLite could not do it."""
        try:
            row = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as error:
            raise StorageError(self._path, str(error)) from error
        return tuple(row) if row else (0, 0, 0)

    def close(self) -> None:
        self._conn.close()


def open_reader(path: str | Path) -> Database:
    """A read-only connection to an existing database file, for long reads (statistics,
    exports) in a worker thread while the bot's one connection keeps writing: in WAL mode
    neither waits for the other, and the event loop does not wait for the read."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA query_only=ON")
    return db


class Transactions:
    """Explicit BEGIN/COMMIT with nesting: the outer block decides.

    The connection runs in autocommit mode, so nothing is committed half-way unless a
    block is open; an exception inside the outermost block rolls everything back.
    """

    def __init__(self, db: Database) -> None:
        self._conn = db.conn
        self._depth = 0
        self._after_rollback: list[Callable[[], None]] = []

    def after_rollback(self, forget: Callable[[], None]) -> None:
        """Call `forget` after a rollback: a cache of what was written must not outlive it."""
        self._after_rollback.append(forget)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self._depth == 0:
            self._conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._rollback()
            raise
        self._depth -= 1
        if self._depth == 0:
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the open transaction that may fail alone: on an exception it is rolled
        back to its start (and the caches told), the rest of the transaction stays."""
        assert self._depth > 0, "a savepoint is a part of an open transaction"
        self._conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back everything itself
                self._conn.execute("ROLLBACK TO part")
                self._conn.execute("RELEASE part")
            for forget in self._after_rollback:
                forget()
            raise
        self._conn.execute("RELEASE part")

    def _rollback(self) -> None:
        # SQLite rolls back by itself on some failures (disk full, I/O error): a second
        # ROLLBACK would hide the real error behind "no transaction is active".
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        for forget in self._after_rollback:
            forget()
