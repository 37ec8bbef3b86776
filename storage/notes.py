"""What is kept besides tickets: 疑似诉求, praise, photos, and jobs already done."""

from __future__ import annotations

import hashlib
from pathlib import Path

from storage.database import Database
from storage.records import Suspect, columns

_SUSPECT = columns(Suspect)


class Notes:
    def __init__(self, db: Database, media_dir: Path | None) -> None:
        self._conn = db.conn
        self._media_dir = media_dir

    # --- 疑似诉求: unsure messages kept for the grid worker -------------------------------

    def add_suspect(
        self,
        *,
        grid_id: str | None,
        room_id: str | None,
        room_topic: str | None,
        sender_id: str,
        sender_name: str,
        text: str,
        intent: str,
        confidence: float,
        message_id: str | None,
        at: int,
    ) -> int:
        cursor = self._conn.execute(
            "INSERT INTO suspects (grid_id, room_id, room_topic, sender_id, sender_name, text, "
            "intent, confidence, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [grid_id, room_id, room_topic, sender_id, sender_name, text, intent, confidence,
             message_id, at],
        )
        return cursor.lastrowid

    def suspects(
        self, grid_ids: list[str], *, limit: int = 10, unplaced: bool = False
    ) -> list[Suspect]:
        """The latest `limit` suspects not yet registered nor dismissed, of these grids (and with
        `unplaced`, those of no grid yet): `limit` rows read per grid (the index of
        unregistered suspects by grid), however many there are."""
        found: list[Suspect] = []
        for grid_id in dict.fromkeys(grid_ids):
            rows = self._conn.execute(
                f"SELECT {_SUSPECT} FROM suspects WHERE grid_id = ? AND ticket_id IS NULL "
                "AND dismissed_at IS NULL ORDER BY id DESC LIMIT ?",
                [grid_id, limit],
            )
            found += (Suspect(*row) for row in rows)
        if unplaced:
            rows = self._conn.execute(
                f"SELECT {_SUSPECT} FROM suspects WHERE grid_id IS NULL AND ticket_id IS NULL "
                "AND dismissed_at IS NULL ORDER BY id DESC LIMIT ?",
                [limit],
            )
            found += (Suspect(*row) for row in rows)
        return sorted(found, key=lambda s: s.id, reverse=True)[:limit]

    def suspect(self, suspect_id: int) -> Suspect | None:
        if not -(2**63) <= suspect_id < 2**63:
            return None
        row = self._conn.execute(
            f"SELECT {_SUSPECT} FROM suspects WHERE id = ?", [suspect_id]
        ).fetchone()
        return Suspect(*row) if row is not None else None

    def link_suspect(self, suspect_id: int, ticket_id: int) -> None:
        self._conn.execute("UPDATE suspects SET ticket_id = ? WHERE id = ?", [ticket_id, suspect_id])

    def dismiss_suspect(self, suspect_id: int, *, at: int, by: str) -> bool:
        """Not a need after all: kept, listed no more. False when registered or dismissed."""
        cursor = self._conn.execute(
            "UPDATE suspects SET dismissed_at = ?, dismissed_by = ? "
            "WHERE id = ? AND ticket_id IS NULL AND dismissed_at IS NULL",
            [at, by, suspect_id],
        )
        return cursor.rowcount == 1

    def forget_suspect(self, suspect_id: int) -> None:
        """An unplaced report handled in its grid after all (the sender said where they live)."""
        self._conn.execute("DELETE FROM suspects WHERE id = ? AND grid_id IS NULL", [suspect_id])

    # --- praise (no ticket; counted in the statistics) ---------------------------------

    def add_praise(
        self, *, grid_id: str, community_id: str, sender_id: str, sender_name: str, text: str,
        message_id: str | None, at: int,
    ) -> None:
        self._conn.execute(
            "INSERT INTO praise (grid_id, community_id, sender_id, sender_name, text, message_id, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [grid_id, community_id, sender_id, sender_name, text, message_id, at],
        )

    def praise_count(self, grid_ids: list[str], start: int, end: int) -> int:
        marks = ", ".join("?" for _ in grid_ids)
        return self._conn.execute(
            f"SELECT COUNT(*) FROM praise WHERE grid_id IN ({marks}) AND at >= ? AND at < ?",
            [*grid_ids, start, end],
        ).fetchone()[0]

    # --- photos: content-addressed files on disk ----------------------------------------

    def attach(
        self, ticket_id: int, data: bytes, *, kind: str, message_id: str | None, at: int
    ) -> tuple[str, bool]:
        """Store the bytes once under their SHA-256 and link them to the ticket.

        Returns (path, newly linked).
        """
        digest, path = self._store_file(data)
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO attachments (ticket_id, sha256, path, kind, size, message_id, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [ticket_id, digest, path, kind, len(data), message_id, at],
        )
        return path, cursor.rowcount == 1

    def keep_loose(self, message_id: str, data: bytes, *, kind: str, at: int) -> None:
        """A photo posted before its report ("[图片]" then "这个谁管啊"): kept until the
        report's ticket is opened."""
        digest, path = self._store_file(data)
        self._conn.execute(
            "INSERT OR IGNORE INTO loose_media (message_id, sha256, path, kind, size, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [message_id, digest, path, kind, len(data), at],
        )

    def attach_loose(self, ticket_id: int, message_id: str, *, at: int) -> int:
        """Link a photo kept by `keep_loose` to its ticket; how many were newly linked."""
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO attachments (ticket_id, sha256, path, kind, size, message_id, at) "
            "SELECT ?, sha256, path, kind, size, message_id, ? FROM loose_media WHERE message_id = ?",
            [ticket_id, at, message_id],
        )
        self._conn.execute("DELETE FROM loose_media WHERE message_id = ?", [message_id])
        return cursor.rowcount

    def _store_file(self, data: bytes) -> tuple[str, str]:
        """(SHA-256, path) of the bytes, written once under their hash."""
        digest = hashlib.sha256(data).hexdigest()
        if self._media_dir is None:
            return digest, f"memory:{digest}"
        folder = self._media_dir / digest[:2]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / digest
        if not target.exists():
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        return digest, str(target)

    def attachments(self, ticket_id: int) -> list[dict]:
        cursor = self._conn.execute(
            "SELECT * FROM attachments WHERE ticket_id = ? ORDER BY id", [ticket_id]
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # --- jobs done once (weekly summaries) ----------------------------------------------

    def job_done(self, key: str) -> bool:
        return self._conn.execute("SELECT 1 FROM jobs_done WHERE key = ?", [key]).fetchone() is not None

    def mark_job(self, key: str, at: int) -> bool:
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO jobs_done (key, at) VALUES (?, ?)", [key, at]
        )
        return cursor.rowcount == 1
