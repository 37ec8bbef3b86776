"""What the timers have to tell each person, gathered for one message per person a round.

A step of the sweep (a reminder, a hand-over, a ticket for the daily list) is stored as a
notice in the same transaction as the ticket's change; the end of the round turns each
person's notices into one message and deletes them in the transaction that queues it. So
the sweep can run in many short transactions and still send one message per person, and a
crash between the two loses nothing.
"""

from __future__ import annotations

from storage.database import Database
from storage.records import Notice, columns

_NOTICE = columns(Notice)


class Notices:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn

    def add(self, person: str, ticket_id: int, kind: str, *, urgent: bool, at: int,
            note: str | None = None) -> None:
        self._conn.execute(
            "INSERT INTO notices (person, ticket_id, kind, urgent, at, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [person, ticket_id, kind, int(urgent), at, note],
        )

    def people(self, limit: int, now: int | None = None) -> list[str]:
        """Up to `limit` of the people with something waiting to be told (`now`: due by
        then; a notice for later waits for then, or goes with an earlier message)."""
        if now is None:
            rows = self._conn.execute(
                "SELECT DISTINCT person FROM notices ORDER BY person LIMIT ?", [limit]
            )
        else:
            rows = self._conn.execute(
                "SELECT DISTINCT person FROM notices WHERE at <= ? ORDER BY person LIMIT ?", [now, limit]
            )
        return [row[0] for row in rows]

    def first(self, person: str, limit: int) -> list[Notice]:
        """This person's first `limit` notices: by kind (hand-overs, reminders, new
        tickets, the daily list), urgent first within each, in the order they came."""
        rows = self._conn.execute(
            f"SELECT {_NOTICE} FROM notices WHERE person = ? ORDER BY CASE kind "
            "WHEN 'escalate' THEN 0 WHEN 'remind' THEN 1 WHEN 'new' THEN 2 ELSE 3 END, "
            "urgent DESC, id LIMIT ?",
            [person, limit],
        )
        return [Notice(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]

    def counts(self, person: str) -> dict[str, int]:
        """How many notices of each kind this person has waiting."""
        rows = self._conn.execute(
            "SELECT kind, COUNT(*) FROM notices WHERE person = ? GROUP BY kind", [person]
        )
        return dict(rows.fetchall())

    def of_kind(self, person: str, kind: str) -> list[int]:
        """The tickets of this person's notices of this kind."""
        rows = self._conn.execute(
            "SELECT DISTINCT ticket_id FROM notices WHERE person = ? AND kind = ?", [person, kind]
        )
        return [row[0] for row in rows]

    def remove(self, person: str, ticket_id: int, kind: str) -> None:
        self._conn.execute(
            "DELETE FROM notices WHERE person = ? AND ticket_id = ? AND kind = ?", [person, ticket_id, kind]
        )

    def clear(self, person: str) -> None:
        self._conn.execute("DELETE FROM notices WHERE person = ?", [person])

    def last_sent(self, person: str) -> int | None:
        """When this person was last sent a message by the timers."""
        row = self._conn.execute(
            "SELECT last_at FROM notice_times WHERE person = ?", [person]
        ).fetchone()
        return row[0] if row else None

    def mark_sent(self, person: str, at: int) -> None:
        self._conn.execute(
            "INSERT INTO notice_times (person, last_at) VALUES (?, ?) "
            "ON CONFLICT(person) DO UPDATE SET last_at = excluded.last_at",
            [person, at],
        )
