"""People and rooms as seen in the chat, and the last question the bot put to someone."""

from __future__ import annotations

import sqlite_utils


class Seen:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def person(self, person_id: str, name: str, at: int) -> None:
        self._db.execute(
            "INSERT INTO people (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen",
            [person_id, name, at, at],
        )

    def person_id_by_name(self, name: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM people WHERE name = ? ORDER BY last_seen DESC LIMIT 1", [name]
        ).fetchone()
        return row[0] if row else None

    def room_grid(self, room_id: str) -> tuple[bool, str | None]:
        """(known, grid id): a room matched once keeps its grid after a rename."""
        row = self._db.execute("SELECT grid_id FROM rooms WHERE id = ?", [room_id]).fetchone()
        return (row is not None, row[0] if row else None)

    def room(self, room_id: str, topic: str | None, grid_id: str | None, at: int) -> None:
        self._db.execute(
            "INSERT INTO rooms (id, topic, grid_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET topic = excluded.topic, "
            "grid_id = COALESCE(rooms.grid_id, excluded.grid_id), last_seen = excluded.last_seen",
            [room_id, topic, grid_id, at, at],
        )

    def room_id_by_topic(self, topic: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM rooms WHERE topic = ? ORDER BY last_seen DESC LIMIT 1", [topic]
        ).fetchone()
        return row[0] if row else None

    def set_prompt(self, person_key: str, kind: str, ticket_id: int, at: int) -> None:
        self._db.execute(
            "INSERT INTO prompts (person_key, kind, ticket_id, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(person_key, kind) DO UPDATE SET ticket_id = excluded.ticket_id, "
            "at = excluded.at",
            [person_key, kind, ticket_id, at],
        )

    def prompt(self, person_key: str, kind: str) -> tuple[int, int] | None:
        """(ticket id, when asked) of the latest such question to this person."""
        row = self._db.execute(
            "SELECT ticket_id, at FROM prompts WHERE person_key = ? AND kind = ?",
            [person_key, kind],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def clear_prompt(self, person_key: str, kind: str) -> None:
        self._db.execute(
            "DELETE FROM prompts WHERE person_key = ? AND kind = ?", [person_key, kind]
        )
