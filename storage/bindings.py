"""Who and which rooms the bot trusts, by WeChat id: officials bound once with a one-time
code, rooms bound to the configured group they stand for.

A display name or a group topic can be copied by anyone; an id cannot. Codes are stored
as hashes only, expire, and are spent on use; wrong tries are counted per sender.

Every message asks who is bound (its sender, its room) and pings ask an official's id:
what was read of the bound people and rooms is kept, forgotten at a binding here and on
a rollback (`forget`).
"""

from __future__ import annotations

from storage.database import Database

CACHE_LIMIT = 10_000  # lookups kept; emptied when full


class Bindings:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn
        # (column asked by, value) -> the other column (None: not bound), as read
        self._people: dict[tuple[str, str], str | None] = {}
        self._rooms: dict[tuple[str, str], str | None] = {}

    def forget(self) -> None:
        """What was written may have been rolled back: read it again from the database."""
        self._people.clear()
        self._rooms.clear()

    def _one(self, kept: dict, table: str, want: str, by: str, value: str) -> str | None:
        key = (by, value)
        if key in kept:
            return kept[key]
        row = self._conn.execute(f"SELECT {want} FROM {table} WHERE {by} = ?", [value]).fetchone()
        if len(kept) >= CACHE_LIMIT:
            kept.clear()
        kept[key] = found = row[0] if row else None
        return found

    # --- officials ----------------------------------------------------------------------

    def name_of(self, wechat_id: str) -> str | None:
        """The official this WeChat id is bound to."""
        return self._one(self._people, "bound_people", "name", "wechat_id", wechat_id)

    def id_of(self, name: str) -> str | None:
        return self._one(self._people, "bound_people", "wechat_id", "name", name)

    def bind_person(self, name: str, wechat_id: str, *, at: int, by: str) -> str | None:
        """Bind `name` to `wechat_id` (replacing an earlier id of that name, and whatever
        name that id had); return the id the name was bound to before, if any."""
        before = self.id_of(name)
        self._people.clear()
        self._conn.execute("DELETE FROM bound_people WHERE wechat_id = ? OR name = ?", [wechat_id, name])
        self._conn.execute(
            "INSERT INTO bound_people (name, wechat_id, bound_at, bound_by) VALUES (?, ?, ?, ?)",
            [name, wechat_id, at, by],
        )
        return before

    def people(self) -> dict[str, str]:
        """name -> bound id."""
        return dict(self._conn.execute("SELECT name, wechat_id FROM bound_people").fetchall())

    def add_code(self, code_hash: str, name: str, *, at: int, expires_at: int, by: str) -> None:
        self._conn.execute(
            "INSERT INTO binding_codes (code_hash, name, issued_by, issued_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [code_hash, name, by, at, expires_at],
        )

    def spend_code(self, code_hash: str, *, at: int, by: str) -> str | None:
        """The name of a valid unused code, now spent; None for a wrong or old code."""
        row = self._conn.execute(
            "UPDATE binding_codes SET used_at = ?, used_by = ? WHERE code_hash = ? "
            "AND used_at IS NULL AND expires_at > ? RETURNING name",
            [at, by, code_hash, at],
        ).fetchone()
        return row[0] if row else None

    def add_failure(self, sender_id: str, *, at: int) -> None:
        self._conn.execute("INSERT INTO binding_failures (sender_id, at) VALUES (?, ?)", [sender_id, at])

    def failures_since(self, sender_id: str, since: int) -> int:
        return self._conn.execute(
            "SELECT COUNT(*) FROM binding_failures WHERE sender_id = ? AND at >= ?", [sender_id, since]
        ).fetchone()[0]

    # --- rooms --------------------------------------------------------------------------

    def room(self, room_id: str) -> str | None:
        """The configured room reference (topic or id) this room is bound to."""
        return self._one(self._rooms, "bound_rooms", "ref", "room_id", room_id)

    def room_for(self, ref: str) -> str | None:
        """The id of the room bound to this configured reference."""
        return self._one(self._rooms, "bound_rooms", "room_id", "ref", ref)

    def bind_room(self, ref: str, room_id: str, *, at: int, by: str) -> str | None:
        """Bind the configured `ref` to `room_id`; return the room it was bound to before."""
        before = self.room_for(ref)
        self._rooms.clear()
        self._conn.execute("DELETE FROM bound_rooms WHERE ref = ? OR room_id = ?", [ref, room_id])
        self._conn.execute(
            "INSERT INTO bound_rooms (room_id, ref, bound_at, bound_by) VALUES (?, ?, ?, ?)",
            [room_id, ref, at, by],
        )
        return before

    # --- things said once ---------------------------------------------------------------

    def first_time(self, key: str, *, at: int) -> bool:
        """True the first time this key is seen (an alert told once), False after."""
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO alerts_sent (key, at) VALUES (?, ?)", [key, at]
        )
        return cursor.rowcount == 1
