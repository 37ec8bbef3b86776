"""The one object the rest of the project holds to reach the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.bindings import Bindings
from storage.conversation import Conversation
from storage.corrections import Corrections
from storage.dashboard import DashboardQueries
from storage.database import (
    BACKSTOP_AUTOCHECKPOINT_PAGES,
    Checkpointer,
    Database,
    Transactions,
    open_database,
    open_reader,
)
from storage.mail import Inbox, Outbox
from storage.notes import Notes
from storage.notices import Notices
from storage.recent import Recent
from storage.seen import Seen
from storage.stats import StatsQueries
from storage.tickets import TicketQueries
from storage.web import WebAccess


class Store:
    def __init__(self, db: Database, media_dir: Path | None = None) -> None:
        self.db = db
        self.transaction = Transactions(db)
        self.tickets = TicketQueries(db)
        self.recent = Recent(db)
        self.inbox = Inbox(db, self.recent)
        self.outbox = Outbox(db)
        self.seen = Seen(db)
        self.conversation = Conversation(db, self.recent, self.tickets)
        self.transaction.after_rollback(self.recent.forget)
        self.transaction.after_rollback(self.tickets.forget)
        self.transaction.after_rollback(self.seen.forget)
        self.transaction.after_rollback(self.conversation.forget)
        self.notes = Notes(db, media_dir)
        self.notices = Notices(db)
        self.stats = StatsQueries(db)
        self.dashboard = DashboardQueries(db)
        self.web = WebAccess(db)
        self.bindings = Bindings(db)
        self.transaction.after_rollback(self.bindings.forget)
        self.corrections = Corrections(db)

    @classmethod
    def open(
        cls, path: str | Path | None, media_dir: Path | None = None, *, writable: bool = True
    ) -> Store:
        """Raises StorageError (one line) for a database that cannot be used; with
        `writable`, also for one that cannot be written (the bot needs to)."""
        return cls(open_database(path, writable=writable), media_dir)

    @classmethod
    def open_reader(cls, path: str | Path, media_dir: Path | None = None) -> Store:
        """Read-only, on a file the bot already opened (no migrations, no writes)."""
        return cls(open_reader(path), media_dir)

    @property
    def path(self) -> Path | None:
        """The database file, or None for an in-memory database."""
        row = self.db.execute("PRAGMA database_list").fetchone()
        return Path(row[2]) if row and row[2] else None

    def reader(self) -> Store | None:
        """Another connection to the same file, read-only, for long reads away from the
        event loop (WAL lets it read while this one writes); None for one in memory."""
        path = self.path
        return Store.open_reader(path) if path is not None else None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see the database as it was when the first of them ran (not as
        this connection remembered it: another one writes)."""
        self.tickets.forget()
        self.bindings.forget()
        self.recent.forget()
        self.seen.forget()
        self.conversation.forget()
        self.db.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")

    def checkpointer(self) -> Checkpointer | None:
        """A connection of its own that checkpoints for a thread of its own (None in
        memory); this connection's automatic checkpoint is then only a far backstop."""
        path = self.path
        if path is None:
            return None
        self.db.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_AUTOCHECKPOINT_PAGES}")
        return Checkpointer(path)

    def close(self) -> None:
        self.db.conn.close()
