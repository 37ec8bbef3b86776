"""Queries for the 24/7 tally, the timers and the export.

Statistics are SQL aggregates over indexed columns (grid_id + created/accepted/resolved
time, events by kind and time), so one community-week stays fast with a million tickets
in the file: only that week's rows are read, and percentiles are taken with
ORDER BY + OFFSET instead of pulling the values into Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import sqlite_utils

from storage.records import Ticket
from storage.states import ACTIVE_STATES, DONE_STATES, TicketState

Spans = Sequence[tuple[int, int]]
_DONE = "(" + ", ".join(f"'{state}'" for state in DONE_STATES) + ")"  # a SQL list
_MERGED = TicketState.MERGED


@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile (nearest rank), in seconds."""

    count: int
    median: float | None
    p90: float | None


def _grid_filter(column: str, grid_ids: Sequence[str] | None) -> tuple[str, list]:
    if grid_ids is None:
        return "", []
    marks = ", ".join("?" for _ in grid_ids) or "NULL"
    return f" AND {column} IN ({marks})", list(grid_ids)


def _in_spans(column: str, spans: Spans) -> tuple[str, list]:
    """A SQL test that `column` lies in one of the [a, b) spans (office hours)."""
    if not spans:
        return "0", []
    tests = " OR ".join(f"({column} >= ? AND {column} < ?)" for _ in spans)
    return f"({tests})", [v for span in spans for v in span]


def _seconds_case(
    intent_column: str, by_intent: dict[str, int], default: int
) -> tuple[str, list]:
    """CASE intent WHEN ... THEN seconds ... ELSE default END."""
    if not by_intent:
        return "?", [default]
    whens = " ".join("WHEN ? THEN ?" for _ in by_intent)
    params: list = [v for item in by_intent.items() for v in item]
    return f"(CASE {intent_column} {whens} ELSE ? END)", [*params, default]


class StatsQueries:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _one(self, sql: str, params: list) -> tuple:
        return self._db.execute(sql, params).fetchone()

    def _spread(self, value: str, where: str, params: list) -> Spread:
        """Median (mean of the two middle values when even) and p90 (nearest rank)."""
        count = self._one(f"SELECT COUNT(*) FROM tickets WHERE {where}", params)[0]
        if count == 0:
            return Spread(0, None, None)
        ordered = f"SELECT {value} AS v FROM tickets WHERE {where} ORDER BY v"
        median = self._one(
            f"SELECT AVG(v) FROM ({ordered} LIMIT ? OFFSET ?)",
            [*params, 2 - count % 2, (count - 1) // 2],
        )[0]
        rank = (9 * count + 9) // 10  # ceil(0.9 n), 1-based
        p90 = self._one(f"{ordered} LIMIT 1 OFFSET ?", [*params, rank - 1])[0]
        return Spread(count, float(median), float(p90))

    def received(
        self, grid_ids: Sequence[str] | None, start: int, end: int, office: Spans
    ) -> list[tuple[str, int, int, int, int]]:
        """Per intent: (intent, received, after hours, not cancelled, resolved by `end`)."""
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        office_sql, office_params = _in_spans("created_at", office)
        rows = self._db.execute(
            f"SELECT intent, COUNT(*), SUM(CASE WHEN {office_sql} THEN 0 ELSE 1 END), "
            f"SUM(status != '{TicketState.CANCELLED}'), "
            f"SUM(status IN {_DONE} AND resolved_at < ?) "
            f"FROM tickets WHERE created_at >= ? AND created_at < ? AND status != '{_MERGED}'"
            f"{grid_sql} GROUP BY intent ORDER BY COUNT(*) DESC, intent",
            [*office_params, end, start, end, *grid_params],
        ).fetchall()
        return [tuple(row) for row in rows]

    def accepted(
        self,
        grid_ids: Sequence[str] | None,
        start: int,
        end: int,
        *,
        accept_seconds: int,
        accept_seconds_urgent: int,
    ) -> tuple[Spread, int]:
        """Tickets first accepted in the period: time from report to accept, and how many
        were accepted within their window."""
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        where = f"accepted_at >= ? AND accepted_at < ? AND status != '{_MERGED}'{grid_sql}"
        params = [start, end, *grid_params]
        spread = self._spread("accepted_at - created_at", where, params)
        in_time = self._one(
            "SELECT COUNT(*) FROM tickets WHERE " + where
            + " AND accepted_at - created_at <= CASE WHEN urgent THEN ? ELSE ? END",
            [*params, accept_seconds_urgent, accept_seconds],
        )[0]
        return spread, in_time

    def resolved(
        self,
        grid_ids: Sequence[str] | None,
        start: int,
        end: int,
        office: Spans,
        *,
        accept_seconds: int,
        accept_seconds_urgent: int,
        resolve_seconds: dict[str, int],
        resolve_seconds_default: int,
    ) -> tuple[Spread, dict[str, int]]:
        """Tickets whose (latest) resolution fell in the period and that stayed resolved.

        Counts: after_hours, within_sla (accepted within the window and resolved within the
        intent's hours from accepting), dispute, wish.
        """
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        where = (
            f"resolved_at >= ? AND resolved_at < ? AND status IN {_DONE}"
            + grid_sql
        )
        params = [start, end, *grid_params]
        spread = self._spread("resolved_at - created_at", where, params)
        office_sql, office_params = _in_spans("resolved_at", office)
        case_sql, case_params = _seconds_case("intent", resolve_seconds, resolve_seconds_default)
        row = self._one(
            f"SELECT SUM(CASE WHEN {office_sql} THEN 0 ELSE 1 END), "
            "SUM(accepted_at - created_at <= CASE WHEN urgent THEN ? ELSE ? END "
            f"AND resolved_at - accepted_at <= {case_sql}), "
            "SUM(intent = 'dispute'), SUM(intent = 'wish') "
            f"FROM tickets WHERE {where}",
            [*office_params, accept_seconds_urgent, accept_seconds, *case_params, *params],
        )
        keys = ("after_hours", "within_sla", "dispute", "wish")
        return spread, {k: int(v or 0) for k, v in zip(keys, row, strict=True)}

    def tickets_with_event(
        self, kinds: Iterable[str], grid_ids: Sequence[str] | None, start: int, end: int
    ) -> dict[str, int]:
        """Per event kind: how many distinct tickets had it in the period."""
        kinds = list(kinds)
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        rows = self._db.execute(
            f"SELECT kind, COUNT(DISTINCT ticket_id) FROM events WHERE kind IN "
            f"({', '.join('?' for _ in kinds)}) AND at >= ? AND at < ?{grid_sql} GROUP BY kind",
            [*kinds, start, end, *grid_params],
        ).fetchall()
        counts = dict.fromkeys(kinds, 0)
        counts.update({kind: n for kind, n in rows})
        return counts

    def ratings(
        self, grid_ids: Sequence[str] | None, start: int, end: int
    ) -> tuple[int, float | None]:
        """(count, average) of the latest rating per ticket given in the period."""
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        row = self._one(
            "SELECT COUNT(*), AVG(CAST(note AS REAL)) FROM events WHERE id IN ("
            "SELECT MAX(id) FROM events WHERE kind = 'rated' AND at >= ? AND at < ?"
            f"{grid_sql} GROUP BY ticket_id)",
            [start, end, *grid_params],
        )
        return row[0], (float(row[1]) if row[1] is not None else None)

    def resolvers(self, grid_ids: Sequence[str] | None, start: int, end: int) -> list[str]:
        """Who resolved tickets in the period, most first: the people to thank."""
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        rows = self._db.execute(
            "SELECT actor_name, COUNT(*) AS n FROM events WHERE kind = 'resolved' AND at >= ? "
            f"AND at < ? AND actor_name IS NOT NULL{grid_sql} GROUP BY actor_name "
            "ORDER BY n DESC, MIN(at)",
            [start, end, *grid_params],
        ).fetchall()
        return [row[0] for row in rows]

    def praise(self, grid_ids: Sequence[str] | None, start: int, end: int) -> int:
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        return self._one(
            f"SELECT COUNT(*) FROM praise WHERE at >= ? AND at < ?{grid_sql}",
            [start, end, *grid_params],
        )[0]

    # --- timers ------------------------------------------------------------------------

    def active_with_phase(self, phase_kinds: Iterable[str]) -> list[tuple[Ticket, int]]:
        """Open, accepted and resolved tickets, each with the time of its latest event of
        `phase_kinds` (when the current holder's clock started)."""
        kinds = list(phase_kinds)
        states = list(ACTIVE_STATES)
        rows = self._db.query(
            "SELECT t.*, (SELECT MAX(e.at) FROM events e WHERE e.ticket_id = t.id AND e.kind IN "
            f"({', '.join('?' for _ in kinds)})) AS phase_at FROM tickets t "
            f"WHERE t.status IN ({', '.join('?' for _ in states)}) ORDER BY t.id",
            [*kinds, *states],
        )
        return [(Ticket.from_row(row), row["phase_at"] or row["created_at"]) for row in rows]

    def first_activity(self) -> int | None:
        """When the bot first saw anything: the first inbox message or ticket."""
        times = [
            self._one("SELECT received_at FROM inbox ORDER BY rowid LIMIT 1", []),
            self._one("SELECT created_at FROM tickets ORDER BY id LIMIT 1", []),
        ]
        found = [row[0] for row in times if row is not None]
        return min(found) if found else None

    # --- export ------------------------------------------------------------------------

    def export_tickets(
        self, grid_ids: Sequence[str] | None, start: int, end: int
    ) -> Iterator[Ticket]:
        grid_sql, grid_params = _grid_filter("grid_id", grid_ids)
        rows = self._db.query(
            f"SELECT * FROM tickets WHERE created_at >= ? AND created_at < ?{grid_sql} ORDER BY id",
            [start, end, *grid_params],
        )
        return (Ticket.from_row(row) for row in rows)

    def export_events(
        self, grid_ids: Sequence[str] | None, start: int, end: int
    ) -> Iterator[dict]:
        """The timeline of the tickets reported in the period, ticket by ticket."""
        grid_sql, grid_params = _grid_filter("t.grid_id", grid_ids)
        return self._db.query(
            "SELECT e.*, t.intent AS intent, t.status AS status FROM events e "
            "JOIN tickets t ON t.id = e.ticket_id "
            f"WHERE t.created_at >= ? AND t.created_at < ?{grid_sql} ORDER BY e.ticket_id, e.id",
            [start, end, *grid_params],
        )
