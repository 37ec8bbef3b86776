"""Queries of the office's dashboard and the Open311 API: the work queue with its
deadlines, the reports behind a ticket, the conversation around a 疑似 message, charts'
series, and what /health shows.

Every query reads one scope (a list of grids) over indexed columns; the statistics'
figures themselves come from `storage.stats` through `handlers.stats.compute_stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.database import Database
from storage.records import InboxRow, Ticket
from storage.stats import Scope, StatsQueries

QUEUE_STATES = ("open", "accepted", "resolved")  # the queue's index holds these


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    deadline: int | None  # when the holder's time runs out; None when nobody has to act
    reporters: int


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]  # one page of them
    total: int  # how many match
    counts: dict[str, int]  # of the whole scope (whatever the filters): open, accepted, overdue, urgent


@dataclass(frozen=True)
class _Group:
    """Tickets of one state, urgency and intent: an index range in deadline order."""

    status: str
    urgent: int
    intent: str
    timed: bool  # False: no deadline (resolved, waiting for a rating: in phase order)
    n: int
    late: int  # of them past their deadline


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
    rated: int  # tickets rated in the period
    satisfied: int  # of those, rated 4 or more


def _in(column: str, values: Sequence[object] | None) -> tuple[str, list]:
    if values is None:
        return "", []
    marks = ", ".join("?" for _ in values) or "NULL"
    return f" AND {column} IN ({marks})", list(values)


TIMED_STATES = ("open", "accepted")  # somebody has to act by the ticket's deadline


def _checked(states: Sequence[str]) -> Sequence[str]:
    """States are written into the SQL: only the queue's own, never a caller's text."""
    assert set(states) <= set(QUEUE_STATES), states
    return states


def _states(states: Sequence[str]) -> str:
    """`status` among these, as the SQL of a query of the queue's index: SQLite uses a
    partial index only when the query repeats its condition word for word."""
    every = ", ".join(f"'{s}'" for s in QUEUE_STATES)
    return f"status IN ({every}) AND status IN ({', '.join(repr(s) for s in _checked(states))})"


def _scope(grid_ids: Sequence[str]) -> tuple[str, list]:
    return "WITH scope(grid_id) AS (VALUES " + ", ".join("(?)" for _ in grid_ids) + ") ", list(grid_ids)


class DashboardQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- the work queue ----------------------------------------------------------------

    def queue(
        self,
        grid_ids: Sequence[str],
        states: Sequence[str],
        *,
        now: int,
        intent: str | None = None,
        urgent_only: bool = False,
        overdue_only: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> Queue:
        """A page of the tickets of these grids and states: urgent first, then by deadline
        (those without one last, longest waiting first); how many match; and the counts of
        the whole scope. The deadline is the one kept on each ticket (`deadline_at`, in
        working time: handlers/deadlines.py). Reads the queue's index only: one pass over the scope's entries for
        the counts (no table rows), and `offset + limit` entries per state, urgency and
        intent for the page, however many tickets are open."""
        if not grid_ids:
            return Queue([], 0, {"open": 0, "accepted": 0, "overdue": 0, "urgent": 0})
        groups = self._groups(grid_ids, sorted({"open", "accepted", *states}), now)
        active = [g for g in groups if g.status in ("open", "accepted")]
        counts = {
            "open": sum(g.n for g in active if g.status == "open"),
            "accepted": sum(g.n for g in active if g.status == "accepted"),
            "overdue": sum(g.late for g in active),
            "urgent": sum(g.n for g in active if g.urgent),
        }
        chosen = [
            g for g in groups
            if g.status in states and (intent is None or g.intent == intent)
            and (g.urgent or not urgent_only) and (g.late if overdue_only else g.n)
        ]
        total = sum(g.late if overdue_only else g.n for g in chosen)
        page = self._page(grid_ids, chosen, now=now, overdue_only=overdue_only,
                          limit=limit, offset=offset)
        return Queue(rows=page, total=total, counts=counts)

    def _groups(self, grid_ids: Sequence[str], states: Sequence[str], now: int) -> list[_Group]:
        """How many tickets per state, urgency and intent (the counts kept beside the
        tickets), and how many of them are late: all but those whose deadline is still to
        come, an index range of the recent ones (the backlog of old tickets is not read)."""
        scope, params = _scope(grid_ids)
        rows = self._db.execute(
            f"{scope}SELECT status, urgent, intent, SUM(n) FROM queue_counts "
            f"WHERE status IN ({', '.join(repr(s) for s in _checked(states))}) "
            "AND grid_id IN scope GROUP BY status, urgent, intent HAVING SUM(n) > 0",
            params,
        ).fetchall()
        groups = []
        for status, urgent, intent, n in rows:
            timed = status in TIMED_STATES
            in_time = 0 if not timed else self._db.execute(
                f"{scope}SELECT COUNT(*) FROM tickets INDEXED BY tickets_queue "
                f"WHERE {_states([status])} AND urgent = ? AND intent = ? AND deadline_at >= ? "
                "AND grid_id IN scope",
                [*params, urgent, intent, now],
            ).fetchone()[0]
            late = n - in_time if timed else 0
            groups.append(_Group(status, int(urgent), intent, timed, n, late))
        return groups

    def _page(
        self, grid_ids: Sequence[str], groups: list[_Group], *, now: int, overdue_only: bool,
        limit: int, offset: int,
    ) -> list[QueueRow]:
        """The page: the first `offset + limit` of each group (its index range, in
        deadline order, then phase order), merged in queue order."""
        if not groups or limit <= 0:
            return []
        scope, params = _scope(grid_ids)
        parts = []
        for g in groups:
            late = " AND deadline_at < ?" if overdue_only and g.timed else ""
            key = "deadline_at" if g.timed else "phase_at"
            parts.append(
                f"SELECT * FROM (SELECT id, ? AS urgent, ? AS timed, {key} AS key "
                f"FROM tickets INDEXED BY tickets_queue WHERE {_states([g.status])} "
                f"AND urgent = ? AND intent = ? AND grid_id IN scope{late} "
                "ORDER BY deadline_at, phase_at, id LIMIT ?)"
            )
            params += [g.urgent, int(g.timed), g.urgent, g.intent,
                       *([now] if late else []), offset + limit]
        picked = self._db.execute(
            f"{scope}SELECT id, timed, key FROM ({' UNION ALL '.join(parts)}) "
            "ORDER BY urgent DESC, timed DESC, key, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        if not picked:
            return []
        ids = [row[0] for row in picked]
        marks = ", ".join("?" for _ in ids)
        tickets = {row["id"]: Ticket.from_row(row) for row in self._db.query(
            f"SELECT * FROM tickets WHERE id IN ({marks})", ids
        )}
        reporters = dict(self._db.execute(
            f"SELECT ticket_id, COUNT(*) FROM ticket_reporters WHERE ticket_id IN ({marks}) "
            "GROUP BY ticket_id", ids,
        ).fetchall())
        return [
            QueueRow(tickets[i], key if timed else None, reporters.get(i, 0))
            for i, timed, key in picked if i in tickets
        ]

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
        self, grid_ids: Sequence[str], intents: Sequence[str], days: Sequence[tuple[int, int]]
    ) -> list[tuple[int, str, int]]:
        """(day index, intent, tickets received) for each [start, end) day given: each day
        a range of the index of the received by grid, intent and time (its entries alone,
        not the tickets' rows)."""
        if not days:
            return []
        values = ", ".join("(?, ?, ?)" for _ in days)
        day_params = [v for i, (s, e) in enumerate(days) for v in (i, s, e)]
        grid_marks = ", ".join("?" for _ in grid_ids) or "NULL"
        intent_marks = ", ".join("?" for _ in intents) or "NULL"
        rows = self._db.execute(
            f"WITH days(i, s, e) AS (VALUES {values}) "
            "SELECT days.i, t.intent, COUNT(*) FROM days "
            "CROSS JOIN tickets t INDEXED BY tickets_grid_intent_created "  # the days outside
            f"WHERE t.grid_id IN ({grid_marks}) AND t.intent IN ({intent_marks}) "
            "AND t.created_at >= days.s AND t.created_at < days.e AND t.status != 'merged' "
            "GROUP BY days.i, t.intent ORDER BY days.i",
            [*day_params, *grid_ids, *intents],
        ).fetchall()
        return [tuple(row) for row in rows]

    def rates_by_grid(
        self, grid_ids: Sequence[str], intents: Sequence[str], start: int, end: int
    ) -> list[GridRates]:
        """Per grid, of the tickets of these intents received in [start, end): responded to
        and resolved by `end` (from the index of the received by grid, intent and time:
        the period's entries only); and the tickets rated in the period, each by its rating
        (the mean of its reporters' own, as the statistics' average: storage/stats.py)."""
        grid_marks = ", ".join("?" for _ in grid_ids) or "NULL"
        intent_marks = ", ".join("?" for _ in intents) or "NULL"
        counts = {
            row[0]: row[1:]
            for row in self._db.execute(
                "SELECT grid_id, SUM(status != 'cancelled'), "
                "SUM(status != 'cancelled' AND accepted_at < ?), "
                "SUM(status IN ('resolved', 'closed') AND resolved_at < ?) "
                "FROM tickets INDEXED BY tickets_grid_intent_created "
                f"WHERE grid_id IN ({grid_marks}) AND intent IN ({intent_marks}) "
                "AND created_at >= ? AND created_at < ? AND status != 'merged' GROUP BY grid_id",
                [end, end, *grid_ids, *intents, start, end],
            ).fetchall()
        }
        ratings = StatsQueries(self._db).rated(Scope(list(grid_ids), start, end, by="grid_id"))
        result = []
        for grid_id in sorted(set(counts) | set(ratings)):
            live, responded, resolved = counts.get(grid_id, (0, 0, 0))
            rated, _, satisfied = ratings.get(grid_id, (0, 0.0, 0))
            result.append(
                GridRates(grid_id, live or 0, responded or 0, resolved or 0, rated, satisfied)
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
