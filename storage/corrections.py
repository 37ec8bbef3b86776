"""Workers' corrections of the classifier, kept as labelled examples."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from storage.database import Database


@dataclass(frozen=True)
class Correction:
    id: int
    kind: str  # intent | not_a_need | urgent | not_urgent | registered
    text: str  # masked: no phone or ID number
    intent: str  # the right intent
    urgent: bool | None  # the right urgency, when the correction says it
    place: str | None
    was_intent: str | None
    was_urgent: bool | None
    ticket_id: int | None
    suspect_id: int | None
    grid_id: str | None
    community_id: str | None
    by_id: str
    by_name: str
    created_at: int


_COLUMNS = ("id, kind, text, intent, urgent, place, was_intent, was_urgent, ticket_id, "
            "suspect_id, grid_id, community_id, by_id, by_name, created_at")


def _row(row: tuple) -> Correction:
    values = list(row)
    for i in (4, 7):  # urgent, was_urgent: 0 / 1 / NULL
        values[i] = None if values[i] is None else bool(values[i])
    return Correction(*values)


class Corrections:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn

    def add(self, *, kind: str, text: str, intent: str, urgent: bool | None, place: str | None,
            was_intent: str | None, was_urgent: bool | None, ticket_id: int | None,
            suspect_id: int | None, grid_id: str | None, community_id: str | None,
            by_id: str, by_name: str, at: int) -> int:
        cursor = self._conn.execute(
            f"INSERT INTO corrections ({_COLUMNS.removeprefix('id, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [kind, text, intent, None if urgent is None else int(urgent), place, was_intent,
             None if was_urgent is None else int(was_urgent), ticket_id, suspect_id, grid_id,
             community_id, by_id, by_name, at],
        )
        return cursor.lastrowid

    def all(self) -> list[Correction]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM corrections ORDER BY id")
        return [_row(r) for r in rows]

    def latest_per_text(self) -> list[Correction]:
        """The last word on each text (a later correction of the same text wins), in order."""
        latest: dict[str, Correction] = {}
        for c in self.all():
            latest.pop(c.text, None)
            latest[c.text] = c
        return list(latest.values())

    def count_by_kind(self, grid_ids: list[str], start: int, end: int) -> Counter[str]:
        """How many corrections of each kind these grids' workers made in [start, end)."""
        counts: Counter[str] = Counter()
        for grid_id in dict.fromkeys(grid_ids):
            rows = self._conn.execute(
                "SELECT kind, count(*) FROM corrections WHERE grid_id = ? AND created_at >= ? "
                "AND created_at < ? GROUP BY kind", [grid_id, start, end])
            for kind, n in rows:
                counts[kind] += n
        return counts
