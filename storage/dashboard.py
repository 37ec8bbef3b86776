"""Queries of the office's dashboard and the Open311 API: the work queue with its
deadlines, the reports behind a ticket, the conversation around a 疑似 message, charts'
series, and what /health shows.

Every query reads one scope (a list of grids) over indexed columns; the statistics'
figures themselves come from `storage.stats` through `handlers.stats.compute_stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from storage.records import InboxRow, Ticket


@dataclass(frozen=True)
class Windows:
    """How long the holder of a ticket has, in seconds (the SLA of the config)."""

    accept: int
    accept_urgent: int
    resolve_default: int
    resolve_by_intent: dict[str, int]


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    deadline: int | None  # when the holder's time runs out; None when nobody has to act
    reporters: int


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]  # the first `limit` of them
    total: int  # how many match
    counts: dict[str, int]  # of those matching: open, accepted, overdue (at `now`), urgent


@dataclass(frozen=True)
class ReportRow:
    """One resident who reported the need, with the message they reported it in."""

    person_name: str
    room_topic: str | None
    joined_at: int
    text: str | None  # as received (mask before showing)
    media_count: int


@dataclass(frozen=True)
class GridRates:
    grid_id: str
    received: int  # not cancelled
    responded: int  # of those, accepted by the end of the period
    resolved: int  # of those, resolved by the end of the period
    rated: int  # latest rating per ticket given in the period
    satisfied: int  # of those, 4 or 5


def _in(column: str, values: Sequence[object] | None) -> tuple[str, list]:
    if values is None:
        return "", []
    marks = ", ".join("?" for _ in values) or "NULL"
    return f" AND {column} IN ({marks})", list(values)


def _with_deadlines(
    grid_ids: Sequence[str],
    states: Sequence[str],
    windows: Windows,
    phase_kinds: Sequence[str],
    where: str,
    where_params: list,
) -> tuple[str, list]:
    """`WITH ... d AS (...)`: the tickets with their deadline."""
    grid_sql, grid_params = _in("t.grid_id", grid_ids)
    state_sql, state_params = _in("t.status", states)
    kinds = ", ".join("?" for _ in phase_kinds)
    by_intent = " ".join("WHEN ? THEN ?" for _ in windows.resolve_by_intent)
    resolve_case = f"CASE intent {by_intent} ELSE ? END" if by_intent else "?"
    intent_params = [v for item in windows.resolve_by_intent.items() for v in item]
    sql = (
        "WITH q AS (SELECT t.*, COALESCE((SELECT MAX(e.at) FROM events e "
        f"WHERE e.ticket_id = t.id AND e.kind IN ({kinds})), t.created_at) AS phase_at "
        f"FROM tickets t WHERE 1{grid_sql}{state_sql}{where}), "
        "d AS (SELECT *, phase_at + CASE status "
        "WHEN 'open' THEN CASE WHEN urgent THEN ? ELSE ? END "
        f"WHEN 'accepted' THEN {resolve_case} END AS deadline FROM q)"
    )
    params = [
        *phase_kinds, *grid_params, *state_params, *where_params, windows.accept_urgent,
        windows.accept, *intent_params, windows.resolve_default,
    ]
    return sql, params


class DashboardQueries:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    # --- the work queue ----------------------------------------------------------------

    def queue(
        self,
        grid_ids: Sequence[str],
        states: Sequence[str],
        *,
        windows: Windows,
        phase_kinds: Sequence[str],
        now: int,
        intent: str | None = None,
        urgent_only: bool = False,
        overdue_only: bool = False,
        limit: int = 200,
    ) -> Queue:
        """Tickets of these grids and states, urgent first, then by deadline (at most
        `limit`), and how many match in all. The deadline is the start of the holder's turn
        (the latest of `phase_kinds`) plus their window: the clock the SLA sweep keeps."""
        where = " AND t.intent = ?" if intent is not None else ""
        where += " AND t.urgent = 1" if urgent_only else ""
        cte, params = _with_deadlines(
            grid_ids, states, windows, phase_kinds, where, [intent] if intent is not None else []
        )
        rows = list(self._db.query(
            f"{cte}, page AS (SELECT *, COUNT(*) OVER () AS total, "
            "SUM(status = 'open') OVER () AS n_open, SUM(status = 'accepted') OVER () AS n_accepted, "
            "SUM(deadline < ?) OVER () AS n_overdue, SUM(urgent) OVER () AS n_urgent "
            f"FROM d{' WHERE deadline < ?' if overdue_only else ''} "
            "ORDER BY urgent DESC, deadline IS NULL, deadline, id LIMIT ?) "
            "SELECT page.*, (SELECT COUNT(*) FROM ticket_reporters r WHERE r.ticket_id = page.id) "
            "AS reporter_count FROM page ORDER BY urgent DESC, deadline IS NULL, deadline, id",
            [*params, now, *([now] if overdue_only else []), limit],
        ))
        first = rows[0] if rows else {}
        counts = {key: int(first.get(f"n_{key}") or 0)
                  for key in ("open", "accepted", "overdue", "urgent")}
        return Queue(
            rows=[QueueRow(Ticket.from_row(r), r["deadline"], r["reporter_count"]) for r in rows],
            total=int(first.get("total") or 0), counts=counts,
        )

    # --- one ticket --------------------------------------------------------------------

    def reports(self, ticket_id: int) -> list[ReportRow]:
        rows = self._db.execute(
            "SELECT r.person_name, r.room_topic, r.joined_at, i.text, COALESCE(i.media_count, 0) "
            "FROM ticket_reporters r LEFT JOIN inbox i ON i.message_id = r.message_id "
            "WHERE r.ticket_id = ? ORDER BY r.joined_at, r.rowid",
            [ticket_id],
        ).fetchall()
        return [ReportRow(*row) for row in rows]

    def attachment(self, ticket_id: int, attachment_id: int) -> dict | None:
        rows = list(
            self._db.query(
                "SELECT * FROM attachments WHERE id = ? AND ticket_id = ?",
                [attachment_id, ticket_id],
            )
        )
        return rows[0] if rows else None

    # --- 疑似: the conversation around a message ----------------------------------------

    def conversation(
        self, message_id: str | None, *, before: int = 6, after: int = 3, reach: int = 400
    ) -> list[InboxRow]:
        """Messages of the same room said around this one (by arrival), itself included.
        Looks `reach` rows either side in the inbox, so it costs the same in any inbox."""
        if message_id is None:
            return []
        row = self._db.execute(
            "SELECT rowid, room_id FROM inbox WHERE message_id = ?", [message_id]
        ).fetchone()
        if row is None:
            return []
        rowid, room_id = row
        near = list(
            self._db.query(
                "SELECT rowid AS n, * FROM inbox WHERE rowid BETWEEN ? AND ? AND room_id IS ? "
                "ORDER BY rowid",
                [rowid - reach, rowid + reach, room_id],
            )
        )
        at = next(i for i, r in enumerate(near) if r["n"] == rowid)
        chosen = near[max(0, at - before): at + after + 1]
        return [InboxRow(**{k: v for k, v in r.items() if k != "n"}) for r in chosen]

    # --- charts ------------------------------------------------------------------------

    def received_per_day(
        self, grid_ids: Sequence[str] | None, days: Sequence[tuple[int, int]]
    ) -> list[tuple[int, str, int]]:
        """(day index, intent, tickets received) for each [start, end) day given."""
        if not days:
            return []
        grid_sql, grid_params = _in("t.grid_id", grid_ids)
        values = ", ".join("(?, ?, ?)" for _ in days)
        day_params = [v for i, (s, e) in enumerate(days) for v in (i, s, e)]
        rows = self._db.execute(
            f"WITH days(i, s, e) AS (VALUES {values}) "
            "SELECT days.i, t.intent, COUNT(*) FROM days JOIN tickets t "
            "ON t.created_at >= days.s AND t.created_at < days.e "
            f"WHERE t.status != 'merged'{grid_sql} GROUP BY days.i, t.intent ORDER BY days.i",
            [*day_params, *grid_params],
        ).fetchall()
        return [tuple(row) for row in rows]

    def rates_by_grid(
        self, grid_ids: Sequence[str] | None, start: int, end: int
    ) -> list[GridRates]:
        """Per grid, of the tickets received in [start, end): responded to and resolved
        by `end`; and the ratings given in the period (the latest per ticket)."""
        grid_sql, grid_params = _in("grid_id", grid_ids)
        counts = {
            row[0]: row[1:]
            for row in self._db.execute(
                "SELECT grid_id, SUM(status != 'cancelled'), "
                "SUM(status != 'cancelled' AND accepted_at IS NOT NULL AND accepted_at < ?), "
                "SUM(status IN ('resolved', 'closed') AND resolved_at < ?) "
                "FROM tickets WHERE created_at >= ? AND created_at < ? AND status != 'merged'"
                f"{grid_sql} GROUP BY grid_id",
                [end, end, start, end, *grid_params],
            ).fetchall()
        }
        ratings = {
            row[0]: row[1:]
            for row in self._db.execute(
                "SELECT grid_id, COUNT(*), SUM(CAST(note AS INTEGER) >= 4) FROM events "
                "WHERE id IN (SELECT MAX(id) FROM events WHERE kind = 'rated' AND at >= ? "
                f"AND at < ?{grid_sql} GROUP BY ticket_id) GROUP BY grid_id",
                [start, end, *grid_params],
            ).fetchall()
        }
        result = []
        for grid_id in sorted(set(counts) | set(ratings)):
            live, responded, resolved = counts.get(grid_id, (0, 0, 0))
            rated, satisfied = ratings.get(grid_id, (0, 0))
            result.append(
                GridRates(grid_id, live or 0, responded or 0, resolved or 0, rated, satisfied or 0)
            )
        return result

    # --- Open311 -----------------------------------------------------------------------

    def requests(
        self,
        *,
        start: int,
        end: int,
        ids: Sequence[int] | None = None,
        intents: Sequence[str] | None = None,
        states: Sequence[str] | None = None,
        limit: int = 1000,
    ) -> list[Ticket]:
        """Tickets by number (then nothing else counts), or reported in [start, end) with
        these intents and states; newest first."""
        if ids is not None:
            id_sql, id_params = _in("id", ids)
            sql, params = f"SELECT * FROM tickets WHERE 1{id_sql}", id_params
        else:
            intent_sql, intent_params = _in("intent", intents)
            state_sql, state_params = _in("status", states)
            sql = f"SELECT * FROM tickets WHERE created_at >= ? AND created_at < ?{intent_sql}{state_sql}"
            params = [start, end, *intent_params, *state_params]
        rows = self._db.query(f"{sql} ORDER BY created_at DESC, id DESC LIMIT ?", [*params, limit])
        return [Ticket.from_row(row) for row in rows]

    # --- health ------------------------------------------------------------------------

    def last_message_at(self) -> int | None:
        """When the latest message arrived (the inbox in arrival order: one row read)."""
        row = self._db.execute(
            "SELECT received_at FROM inbox ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None
