"""People and rooms as seen in the chat, and the last question the bot put to someone.

Every message names its sender and room, but they rarely change: what was last written
is kept in memory, and a person or room is written only when new, renamed, seen in
another grid, or not written for `LAST_SEEN_STEP` (last_seen is kept to the hour); who
has no open question, and whose id a name was last seen with, are remembered too. A rolled-back transaction empties the memory
(`forget`), so it never claims a write that was undone.
"""

from __future__ import annotations

import json

from storage.database import Database
from storage.records import Question

LAST_SEEN_STEP = 3600
CACHE_LIMIT = 100_000  # people (or rooms) remembered; emptied when full, then refilled


class Seen:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn
        # id -> (name or topic, grid id, last_seen as written)
        self._people: dict[str, tuple[str, str | None, int]] = {}
        self._rooms: dict[str, tuple[str | None, str | None, int]] = {}
        # People the bot has no open question to (most): not looked up for each message.
        self._unasked: set[str] = set()
        self._by_name: dict[str, str | None] = {}  # name -> id last seen with it

    def forget(self) -> None:
        """What was written may have been rolled back: read it again from the database."""
        self._people.clear()
        self._rooms.clear()
        self._unasked.clear()
        self._by_name.clear()

    def person(self, person_id: str, name: str, at: int, grid_id: str | None = None) -> None:
        """A sender, with the grid of the group they wrote in (None: privately, or a room
        of no grid: the grid they last wrote in is kept)."""
        known = self._people.get(person_id)
        if (
            known is not None and known[0] == name and grid_id in (None, known[1])
            and 0 <= at - known[2] < LAST_SEEN_STEP
        ):
            return
        if known is None:  # it may have had another name, kept here with its id
            self._by_name.clear()
        else:
            self._by_name.pop(known[0], None)
        self._by_name.pop(name, None)
        row = self._conn.execute(
            "INSERT INTO people (id, name, first_seen, last_seen, grid_id) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen, "
            "grid_id = COALESCE(excluded.grid_id, people.grid_id) RETURNING grid_id",
            [person_id, name, at, at, grid_id],
        ).fetchall()[0]
        if len(self._people) >= CACHE_LIMIT:
            self._people.clear()
        self._people[person_id] = (name, row[0], at)

    def member(self, person_id: str, name: str, at: int, grid_id: str) -> None:
        """A member of a grid's group as the group's list shows them: of that grid unless
        they were seen writing in another grid's group (where they write says more)."""
        self._conn.execute(
            "INSERT INTO people (id, name, first_seen, last_seen, grid_id) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET grid_id = COALESCE(people.grid_id, excluded.grid_id)",
            [person_id, name, at, at, grid_id],
        )
        self._people.pop(person_id, None)

    def grid_of(self, person_id: str) -> str | None:
        """The grid of the group this person last wrote in: where a private report belongs."""
        known = self._people.get(person_id)
        if known is not None:
            return known[1]
        row = self._conn.execute("SELECT grid_id FROM people WHERE id = ?", [person_id]).fetchone()
        return row[0] if row else None

    def person_id_by_name(self, name: str) -> str | None:
        if name in self._by_name:
            return self._by_name[name]
        row = self._conn.execute(
            "SELECT id FROM people WHERE name = ? ORDER BY last_seen DESC LIMIT 1", [name]
        ).fetchone()
        if len(self._by_name) >= CACHE_LIMIT:
            self._by_name.clear()
        self._by_name[name] = found = row[0] if row else None
        return found

    def name_at_start(self, text: str) -> str | None:
        """The longest name of someone seen that `text` begins with (what follows an @):
        each beginning of `text` looked up by name."""
        starts = list(dict.fromkeys(text[:n] for n in range(1, len(text) + 1)))
        if not starts:
            return None
        row = self._conn.execute(
            f"SELECT name FROM people WHERE name IN ({', '.join('?' for _ in starts)}) "
            "ORDER BY length(name) DESC LIMIT 1",
            starts,
        ).fetchone()
        return row[0] if row else None

    def room_grid(self, room_id: str) -> tuple[bool, str | None]:
        """(known, grid id): a room matched once keeps its grid after a rename."""
        known = self._rooms.get(room_id)
        if known is not None:
            return True, known[1]
        row = self._conn.execute(
            "SELECT topic, grid_id, last_seen FROM rooms WHERE id = ?", [room_id]
        ).fetchone()
        if row is None:
            return False, None
        self._remember_room(room_id, row)
        return True, row[1]

    def room(self, room_id: str, topic: str | None, grid_id: str | None, at: int) -> None:
        known = self._rooms.get(room_id)
        if (
            known is not None and known[0] == topic and grid_id in (None, known[1])
            and 0 <= at - known[2] < LAST_SEEN_STEP
        ):
            return
        row = self._conn.execute(
            "INSERT INTO rooms (id, topic, grid_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET topic = excluded.topic, "
            "grid_id = COALESCE(rooms.grid_id, excluded.grid_id), last_seen = excluded.last_seen "
            "RETURNING topic, grid_id, last_seen",
            [room_id, topic, grid_id, at, at],
        ).fetchall()[0]
        self._remember_room(room_id, row)

    def _remember_room(self, room_id: str, row: tuple) -> None:
        if len(self._rooms) >= CACHE_LIMIT:
            self._rooms.clear()
        self._rooms[room_id] = (row[0], row[1], row[2])

    def room_id_by_topic(self, topic: str) -> str | None:
        row = self._conn.execute(
            "SELECT id FROM rooms WHERE topic = ? ORDER BY last_seen DESC LIMIT 1", [topic]
        ).fetchone()
        return row[0] if row else None

    def set_prompt(self, person_key: str, kind: str, ticket_id: int, at: int) -> None:
        self._conn.execute(
            "INSERT INTO prompts (person_key, kind, ticket_id, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(person_key, kind) DO UPDATE SET ticket_id = excluded.ticket_id, "
            "at = excluded.at",
            [person_key, kind, ticket_id, at],
        )

    def prompt(self, person_key: str, kind: str) -> tuple[int, int] | None:
        """(ticket id, when asked) of the latest such question to this person."""
        row = self._conn.execute(
            "SELECT ticket_id, at FROM prompts WHERE person_key = ? AND kind = ?",
            [person_key, kind],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def clear_prompt(self, person_key: str, kind: str) -> None:
        self._conn.execute(
            "DELETE FROM prompts WHERE person_key = ? AND kind = ?", [person_key, kind]
        )

    # --- the bot's open questions (one per person: a new one replaces the old) ---------

    def ask(
        self, person_key: str, kind: str, act: str, payload: dict, room_id: str | None, at: int
    ) -> None:
        self._unasked.discard(person_key)
        self._conn.execute(
            "INSERT INTO questions (person_key, kind, act, payload, room_id, at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(person_key) DO UPDATE SET kind = excluded.kind, "
            "act = excluded.act, payload = excluded.payload, room_id = excluded.room_id, "
            "at = excluded.at",
            [person_key, kind, act, json.dumps(payload, ensure_ascii=False), room_id, at],
        )

    def question(self, person_key: str) -> Question | None:
        if person_key in self._unasked:
            return None
        row = self._conn.execute(
            "SELECT person_key, kind, act, payload, room_id, at FROM questions "
            "WHERE person_key = ?", [person_key],
        ).fetchone()
        if row is None:
            self._remember_unasked(person_key)
            return None
        return Question(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5])

    def asked_before(self, kind: str, before: int, limit: int) -> list[Question]:
        """Up to `limit` open questions of this kind asked before `before`, oldest first
        (an index range: only those that waited that long are read)."""
        rows = self._conn.execute(
            "SELECT person_key, kind, act, payload, room_id, at FROM questions "
            "WHERE kind = ? AND at < ? ORDER BY at LIMIT ?", [kind, before, limit],
        )
        return [Question(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    def clear_question(self, person_key: str) -> None:
        self._conn.execute("DELETE FROM questions WHERE person_key = ?", [person_key])
        self._remember_unasked(person_key)

    def _remember_unasked(self, person_key: str) -> None:
        if len(self._unasked) >= CACHE_LIMIT:
            self._unasked.clear()
        self._unasked.add(person_key)

    def set_grid(self, person_id: str, grid_id: str) -> None:
        """The grid a person told the bot they live in (asked after a private report)."""
        self._conn.execute("UPDATE people SET grid_id = ? WHERE id = ?", [grid_id, person_id])
        self._people.pop(person_id, None)
