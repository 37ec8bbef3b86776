"""The inbox (every message received, once) and the outbox (every message to send)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from storage.database import Database
from storage.recent import Recent
from storage.records import InboxRow, OutboxRow, columns, inbox_row

_INBOX = columns(InboxRow)
_INBOX_I = columns(InboxRow, "i.")
_OUTBOX = columns(OutboxRow)


class Inbox:
    def __init__(self, db: Database, recent: Recent) -> None:
        self._conn = db.conn
        self._recent = recent  # each sender's last messages, kept in step here

    def add(
        self,
        *,
        message_id: str,
        room_id: str | None,
        room_topic: str | None,
        sender_id: str,
        sender_name: str,
        text: str,
        mention_ids: Sequence[str],
        media_count: int,
        sent_at: int,
        received_at: int,
        note: str | None = None,
        quote_name: str | None = None,
        quote_text: str | None = None,
        handled_at: int | None = None,
    ) -> bool:
        """Store a received message; False when this message id was seen before.

        `handled_at`: it is handled in the same transaction (stored as done then; a
        different outcome is `mark`ed over it), so the usual message costs one write."""
        mentions = json.dumps(list(mention_ids), ensure_ascii=False) if mention_ids else "[]"
        status = "new" if handled_at is None else "done"
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO inbox (message_id, room_id, room_topic, sender_id, "
            "sender_name, text, mention_ids, media_count, sent_at, received_at, note, "
            "quote_name, quote_text, status, processed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                message_id, room_id, room_topic, sender_id, sender_name, text, mentions,
                media_count, sent_at, received_at, note, quote_name, quote_text, status,
                handled_at,
            ],
        )
        if cursor.rowcount != 1:
            return False
        self._recent.added(cursor.lastrowid, InboxRow(
            message_id, room_id, room_topic, sender_id, sender_name, text, mentions,
            media_count, sent_at, received_at, status, note, handled_at, quote_name, quote_text,
        ))
        return True

    def get(self, message_id: str) -> InboxRow | None:
        row = self._conn.execute(
            f"SELECT {_INBOX} FROM inbox WHERE message_id = ?", [message_id]
        ).fetchone()
        return inbox_row(row) if row is not None else None

    def mark(
        self, message_id: str, status: str, *, at: int | None, note: str | None = None
    ) -> None:
        # A note of handling is added to one of receipt ("truncated from ..."), not over it.
        self._recent.changed(message_id)
        self._conn.execute(
            "UPDATE inbox SET status = ?, processed_at = ?, note = CASE "
            "WHEN ?3 IS NULL THEN note WHEN note IS NULL OR note = ?3 THEN ?3 "
            "ELSE note || '; ' || ?3 END WHERE message_id = ?4",
            [status, at, note, message_id],
        )

    def unprocessed(self) -> list[InboxRow]:
        rows = self._conn.execute(
            f"SELECT {_INBOX} FROM inbox WHERE status = 'new' ORDER BY rowid"
        )
        return [inbox_row(row) for row in rows]

    def count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]

    def count_from_sender_around(self, sender_id: str, message_id: str, seconds: int) -> int:
        """Messages of this sender said within `seconds` up to this one (by send time),
        counting only those received before it and itself: the same answer on a replay."""
        around = self._recent.around(sender_id, message_id)
        if around is not None:
            kept, r, m = around
            since = m.sent_at - seconds
            if since + 1 >= kept.floor:
                return sum(1 for rowid, row in kept.rows if rowid <= r and since < row.sent_at <= m.sent_at)
        return self._conn.execute(
            "SELECT COUNT(*) FROM inbox i, "
            "(SELECT sent_at AS t, rowid AS r FROM inbox WHERE message_id = ?) m "
            "WHERE i.sender_id = ? AND i.sent_at > m.t - ? AND i.sent_at <= m.t "
            "AND i.rowid <= m.r",
            [message_id, sender_id, seconds],
        ).fetchone()[0]

    def before_in_room(
        self, room_id: str, message_id: str, since: int, limit: int = 20
    ) -> Iterator[InboxRow]:
        """The room's messages said before this one (and since `since`), newest first: what
        a short reply such as 收到 may be answering. Read as they are taken (the caller
        usually stops at the first)."""
        rows = self._conn.execute(
            f"SELECT {_INBOX_I} FROM inbox i, (SELECT sent_at AS t, rowid AS r FROM inbox "
            "WHERE message_id = ?) m WHERE i.room_id = ? AND i.sent_at >= ? AND i.sent_at <= m.t "
            "AND i.rowid < m.r ORDER BY i.sent_at DESC, i.rowid DESC LIMIT ?",
            [message_id, room_id, since, limit],
        )
        return (inbox_row(row) for row in rows)

class Outbox:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn

    def add(
        self,
        *,
        text: str,
        room_id: str | None,
        room_topic: str | None,
        to_id: str | None,
        to_name: str | None,
        mentions: Sequence[tuple[str, str | None]],
        cause: str | None,
        at: int,
        priority: int = 1,
        held: bool = False,
        not_before: int = 0,
    ) -> int:
        """Queue a message; `held`: it waits (state 'held') until its person is known by id
        (`release`); `not_before`: it is not sent before then."""
        cursor = self._conn.execute(
            "INSERT INTO outbox (room_id, room_topic, to_id, to_name, text, mentions, cause, "
            "created_at, priority, state, not_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                room_id,
                room_topic,
                to_id,
                to_name,
                text,
                json.dumps([list(m) for m in mentions], ensure_ascii=False) if mentions else "[]",
                cause,
                at,
                priority,
                "held" if held else "pending",
                not_before,
            ],
        )
        return cursor.lastrowid

    def held_for(self) -> list[str]:
        """The names of the people private messages wait for (not bound to an id yet)."""
        rows = self._conn.execute("SELECT DISTINCT to_name FROM outbox WHERE state = 'held'")
        return [row[0] for row in rows]

    def release(self, name: str, to_id: str) -> int:
        """The messages held for `name` go to `to_id` now (sent in their order); how many."""
        return self._conn.execute(
            "UPDATE outbox SET to_id = ?, state = 'pending' WHERE state = 'held' AND to_name = ?",
            [to_id, name],
        ).rowcount

    def due(self, now: int, limit: int = 50) -> list[OutboxRow]:
        """Messages still to deliver, by priority (emergencies first), then oldest first
        ('sending' ones were cut off by a crash)."""
        rows = self._conn.execute(
            f"SELECT {_OUTBOX} FROM outbox WHERE state IN ('pending', 'sending') "
            "AND not_before <= ? ORDER BY priority, id LIMIT ?",
            [now, limit],
        )
        return [OutboxRow(*row) for row in rows]

    def mark_sending(self, row_id: int) -> None:
        self._conn.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?", [row_id]
        )

    def mark_sent(self, row_id: int, at: int) -> None:
        self._conn.execute("UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?", [at, row_id])

    def mark_retry(self, row_id: int, error: str, not_before: int, give_up: bool) -> None:
        self._conn.execute(
            "UPDATE outbox SET state = ?, last_error = ?, not_before = ? WHERE id = ?",
            ["failed" if give_up else "pending", error[:500], not_before, row_id],
        )

    def all(self) -> list[OutboxRow]:
        rows = self._conn.execute(f"SELECT {_OUTBOX} FROM outbox ORDER BY id")
        return [OutboxRow(*row) for row in rows]

    def pending_count(self) -> int:
        return self._conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]


