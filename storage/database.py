"""Opening the SQLite file and the one-writer transaction every change goes through."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from storage.migrations import migrate

WAL_AUTOCHECKPOINT_PAGES = 8000


def open_database(path: str | Path | None) -> sqlite_utils.Database:
    """Open (creating if needed) the database: WAL, owner-only file, schema up to date.

    `None` opens an in-memory database (tests, quick tries).
    """
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Created readable by its owner only: it holds residents' names and phone numbers.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if path is not None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints (the only fsyncs in WAL mode) run when the bot is idle (Store.checkpoint
        # from the outbox loop), not in the middle of handling a message: this is the
        # backstop for a bot that is never idle (~32 MB of WAL).
        db.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    migrate(db)
    return db


class Transactions:
    """Explicit BEGIN/COMMIT with nesting: the outer block decides.

    The connection runs in autocommit mode, so nothing is committed half-way unless a
    block is open; an exception inside the outermost block rolls everything back.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        self._depth = 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self._depth == 0:
            self._db.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._db.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self._db.execute("COMMIT")
