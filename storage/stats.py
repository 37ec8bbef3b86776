"""Queries for the 24/7 tally, the timers and the export.

Statistics are SQL aggregates over indexed columns (grid + created/accepted/resolved
time, events by kind, grid and time), so a tally reads the rows of its scope and period
only, whatever else the file holds. One call answers for one scope or, grouped by grid or
community, for all of them at once (the weekly summary): one pass over the rows instead of
one per grid. Percentiles over most of the file are read at their ranks from an index of
the durations in order; over less, the scope's values are read and sorted.
After-hours is a per-row test on the local day and time (see `OfficeWeek`), not a list of
office spans OR'd together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from storage.database import Database
from storage.records import Ticket, columns
from storage.states import DONE_STATES, TicketState

_DONE = "(" + ", ".join(f"'{state}'" for state in DONE_STATES) + ")"  # a SQL list
_MERGED = TicketState.MERGED
_CANCELLED = TicketState.CANCELLED
_GROUPS = ("grid_id", "community_id")
_TICKET = columns(Ticket)
DAY = 86400


@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile (nearest rank), in seconds."""

    count: int
    median: float | None
    p90: float | None


NO_SPREAD = Spread(0, None, None)


@dataclass(frozen=True)
class Scope:
    """What a tally counts: the tickets of these grids (None: every grid) in [start, end)
    (Unix seconds), as one total (`by` None) or one per "grid_id" or "community_id"."""

    grid_ids: Sequence[str] | None
    start: int
    end: int
    by: str | None = None

    def __post_init__(self) -> None:
        if self.by is not None and self.by not in _GROUPS:
            raise ValueError(f"cannot group by {self.by!r}")

    @property
    def key(self) -> str:
        """The SQL of the group a row belongs to."""
        return self.by or "NULL"

    @property
    def community(self) -> str:
        """The community column when grouping by it; NULL otherwise, so a query that sums
        per grid reads its index alone (the community is not in it)."""
        return "community_id" if self.by == "community_id" else "NULL"

    def grids(self, column: str = "grid_id") -> tuple[str, list]:
        if self.grid_ids is None:
            return "", []
        marks = ", ".join("?" for _ in self.grid_ids) or "NULL"
        return f" AND {column} IN ({marks})", list(self.grid_ids)


@dataclass(frozen=True)
class OfficeWeek:
    """Office hours as a test SQL makes on each row: the row's local day and second of
    the day come from its Unix time plus the zone's UTC offset.

    `offsets` are (from Unix second, offset seconds) in time order: one for a zone that
    keeps its offset through the period, more for one that changes it (summer time).
    Days are counted from 1970-01-01 (a Thursday); `holidays` are off all day, `workdays`
    (调休) are working days whatever their weekday; a holiday wins over a workday.
    """

    weekdays: tuple[int, ...]  # ISO weekdays, Monday = 1
    opens: int  # second of the local day
    closes: int  # the office is open in [opens, closes)
    holidays: tuple[int, ...] = ()
    workdays: tuple[int, ...] = ()
    offsets: tuple[tuple[int, int], ...] = ((0, 0),)

    def sql(self, column: str) -> str:
        """True (1) when the time in `column` falls in office hours. Only integers of this
        value go into the SQL text. Written for what it costs on each row: the time of day
        from one remainder, the weekday from one bit of a mask, holidays and 调休 days
        tested only when there are some (office_week keeps the period's)."""
        first, *rest = self.offsets
        if rest:
            cases = " ".join(f"WHEN {column} < {int(at)} THEN {int(off)}"
                             for (_, off), (at, _) in zip(self.offsets, rest, strict=False))
            offset = f"(CASE {cases} ELSE {int(self.offsets[-1][1])} END)"
        else:
            offset = str(int(first[1]))
        opens, closes = int(self.opens), int(self.closes)
        if closes <= opens:
            return "0"
        local = f"({column} + {offset})"
        day = f"({local} / {DAY})"
        # seconds since opening (a day added: never negative), less than the hours open
        in_hours = f"(({local} + {DAY - opens}) % {DAY} < {closes - opens})"
        mask = sum(1 << (int(weekday) - 1) for weekday in set(self.weekdays) if 1 <= weekday <= 7)
        weekday = f"(({mask} >> (({day} + 3) % 7)) & 1)"  # 1970-01-01 was a Thursday
        cases = ""
        if self.holidays:
            cases += f"WHEN {day} IN ({', '.join(str(int(v)) for v in self.holidays)}) THEN 0 "
        if self.workdays:
            cases += f"WHEN {day} IN ({', '.join(str(int(v)) for v in self.workdays)}) THEN 1 "
        office_day = f"(CASE {cases}ELSE {weekday} END)" if cases else weekday
        # The time of day first: most rows out of hours fail it, and AND stops there.
        return f"({in_hours} AND {office_day})"


def _spread(values: list[int]) -> Spread:
    """Median (mean of the two middle values when even) and p90 (nearest rank)."""
    values.sort()
    n = len(values)
    median = (values[(n - 1) // 2] + values[n // 2]) / 2
    return Spread(n, float(median), float(values[(9 * n + 9) // 10 - 1]))


@dataclass
class Received:
    """Tickets reported in the period (merged ones not counted)."""

    by_intent: dict[str, int]
    after_hours: int = 0
    not_cancelled: int = 0
    resolved: int = 0  # of those reported, resolved (or closed) by the end of the period


class StatsQueries:
    """Each query reads one index range per grid, in grid order; SQL sums per grid (no
    sort), and Python adds the grids of each group up. Percentiles sort the period's
    values in Python (quicker than SQLite's sorter), or, for one total over most of the
    file, skip to their ranks in an index of the durations."""

    # A spread of at least this many values over a quarter or more of the file is read by
    # rank (below it, reading and sorting takes a few milliseconds anyway).
    RANKS_FROM = 10_000

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn = db.conn

    def _rows(self, sql: str, params: list) -> list[tuple]:
        return self._conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: list) -> tuple | None:
        return self._conn.execute(sql, params).fetchone()

    @staticmethod
    def _group(scope: Scope, grid_id: str, community_id: str) -> str | None:
        return {None: None, "grid_id": grid_id, "community_id": community_id}[scope.by]

    def _spreads(self, scope: Scope, of: str, where: str, params: list) -> dict:
        """Per group: median (mean of the two middle values when even) and p90 (nearest
        rank) of the duration `of` ("accepted" or "resolved": its time less the report's)
        over the rows of `where`.

        A scope holding much of the file (a year of the city) is not read whole: its values
        are counted, and the ranks wanted are read from the index of the durations in order
        (the median from the start, the p90 from the end: at most the whole index, which is
        then at most four times the scope). Any other is read and sorted."""
        value = f"{of}_at - created_at"
        tickets = f"tickets INDEXED BY tickets_grid_{of}"  # by grid and time, whatever the statistics
        if scope.by is None:
            n = self._one(f"SELECT COUNT(*) FROM {tickets} WHERE {where}", params)[0]
            if not n:
                return {}
            if n >= self.RANKS_FROM and 4 * n > (self._one("SELECT MAX(id) FROM tickets", [])[0] or 0):
                return {None: self._spread_by_rank(of, where, params, n)}
        values: dict = {}
        if scope.by is None:
            found = [v for (v,) in self._conn.execute(
                f"SELECT {value} FROM {tickets} WHERE {where}", params
            )]
            if found:
                values[None] = found
        else:
            for key, v in self._conn.execute(
                f"SELECT {scope.by}, {value} FROM {tickets} WHERE {where}", params
            ):
                values.setdefault(key, []).append(v)
        return {key: _spread(found) for key, found in values.items()}

    def _spread_by_rank(self, of: str, where: str, params: list, n: int) -> Spread:
        """The spread of n values (n > 0) from the index of `of`'s durations (migration 022):
        rows of `where` are skipped up to a rank, in order of the duration."""
        value = f"{of}_at - created_at"

        def at_rank(order: str, offset: int, limit: int) -> list[int]:
            rows = self._rows(
                f"SELECT {value} FROM tickets INDEXED BY tickets_{of}_seconds "
                f"WHERE {of}_at IS NOT NULL AND {where} ORDER BY {value} {order} LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            return [v for (v,) in rows]

        low, high = (n - 1) // 2, n // 2
        middle = at_rank("ASC", low, high - low + 1)
        p90 = at_rank("DESC", n - ((9 * n + 9) // 10), 1)  # rank (9n + 9) // 10, from the top
        return Spread(n, float((middle[0] + middle[-1]) / 2), float(p90[0]))

    def _grids(self, scope: Scope) -> tuple[str, list]:
        """`scope.grids()` for a query of the tickets by an index that starts with the grid:
        when the scope is every grid, each grid that has tickets is named, so the query
        reads the period's range of each grid. Without SQLite's statistics (the bot gathers
        none) it would otherwise read the tickets by time and then each one's row, or every
        resolved ticket there ever was."""
        if scope.grid_ids is not None:
            return scope.grids()
        return Scope(self._all_grids(), scope.start, scope.end).grids()

    def _all_grids(self) -> list[str]:
        """The grids that have tickets: one step of the index per grid."""
        return [grid for (grid,) in self._rows(
            "WITH RECURSIVE g(id) AS (SELECT MIN(grid_id) FROM tickets UNION ALL "
            "SELECT (SELECT MIN(grid_id) FROM tickets WHERE grid_id > g.id) FROM g "
            "WHERE g.id IS NOT NULL) SELECT id FROM g WHERE id IS NOT NULL", [],
        )]

    def received(self, scope: Scope, office: OfficeWeek, intents: Sequence[str]) -> dict:
        """Per group: the tickets of these intents reported in the period."""
        grid_sql, grid_params = self._grids(scope)
        marks = ", ".join("?" for _ in intents) or "NULL"
        rows = self._rows(
            f"SELECT grid_id, {scope.community}, intent, COUNT(*), "
            f"SUM(NOT {office.sql('created_at')}), SUM(status != '{_CANCELLED}'), "
            f"SUM(status IN {_DONE} AND resolved_at < ?) FROM tickets INDEXED BY tickets_grid_intent_created "
            f"WHERE intent IN ({marks}) AND created_at >= ? AND created_at < ? "
            f"AND status != '{_MERGED}'{grid_sql} GROUP BY grid_id, intent",
            [scope.end, *intents, scope.start, scope.end, *grid_params],
        )
        found: dict[object, Received] = {}
        for grid_id, community_id, intent, n, after, live, done in rows:
            got = found.setdefault(self._group(scope, grid_id, community_id), Received({}))
            got.by_intent[intent] = got.by_intent.get(intent, 0) + n
            got.after_hours += after or 0
            got.not_cancelled += live or 0
            got.resolved += done or 0
        for got in found.values():  # most received first
            got.by_intent = dict(sorted(got.by_intent.items(), key=lambda kv: (-kv[1], kv[0])))
        return found

    def accepted(self, scope: Scope) -> dict:
        """Per group, tickets first accepted in the period: the time from report to accept."""
        grid_sql, grid_params = self._grids(scope)
        where = f"accepted_at >= ? AND accepted_at < ? AND status != '{_MERGED}'{grid_sql}"
        return self._spreads(scope, "accepted", where, [scope.start, scope.end, *grid_params])

    def resolved(self, scope: Scope, office: OfficeWeek) -> dict:
        """Per group, tickets whose (latest) resolution fell in the period and that stayed
        resolved: (time from report to resolution, counts). Counts: after_hours; timed
        (those whose deadlines were kept: all since they are) and within_sla (of those, no
        holder's turn ended after its deadline: handlers/deadlines.py); dispute, wish."""
        grid_sql, grid_params = self._grids(scope)
        where = f"resolved_at >= ? AND resolved_at < ? AND status IN {_DONE}{grid_sql}"
        params = [scope.start, scope.end, *grid_params]
        names = ("after_hours", "timed", "within_sla", "dispute", "wish")
        counts: dict = {}
        for grid_id, community_id, *sums in self._rows(
            f"SELECT grid_id, {scope.community}, SUM(NOT {office.sql('resolved_at')}), "
            "SUM(missed_deadline IS NOT NULL), SUM(missed_deadline = 0), "
            "SUM(intent = 'dispute'), SUM(intent = 'wish') "
            f"FROM tickets INDEXED BY tickets_grid_resolved WHERE {where} GROUP BY grid_id",
            params,
        ):
            got = counts.setdefault(self._group(scope, grid_id, community_id), dict.fromkeys(names, 0))
            for name, value in zip(names, sums, strict=True):
                got[name] += int(value or 0)
        spreads = self._spreads(scope, "resolved", where, params)
        return {key: (spreads[key], got) for key, got in counts.items()}

    def tickets_with_event(self, kinds: Iterable[str], scope: Scope) -> dict:
        """Per group, per event kind: how many distinct tickets had it in the period."""
        kinds = list(kinds)
        grid_sql, grid_params = scope.grids()
        rows = self._rows(
            f"SELECT {scope.key}, kind, COUNT(DISTINCT ticket_id) FROM events WHERE kind IN "
            f"({', '.join('?' for _ in kinds)}) AND at >= ? AND at < ?{grid_sql} GROUP BY 1, kind",
            [*kinds, scope.start, scope.end, *grid_params],
        )
        found: dict = {}
        for key, kind, n in rows:
            found.setdefault(key, dict.fromkeys(kinds, 0))[kind] = n
        return found

    def ratings(self, scope: Scope) -> dict:
        """Per group: (count, average) of the ratings of the tickets rated in the period,
        each ticket's rating as it stands (the mean of its reporters' own ratings)."""
        return {key: (n, total / n) for key, (n, total, _) in self.rated(scope).items()}

    def rated(self, scope: Scope) -> dict:
        """Per group: (count, sum, how many 4 or more) of the ratings of the tickets rated
        in the period, each ticket's rating as it stands.

        A ticket last rated in the period is one row of the index by grid and the time it
        was last rated (`rated_at`, which holds the rating). One rated in the period and
        again since is found from those rated since, each checked against its events; when
        those outnumber the period's ratings (an old period), from the period's 'rated'
        events instead."""
        grid_sql, grid_params = scope.grids()
        since = self._one(
            f"SELECT COUNT(*) FROM tickets WHERE rated_at >= ?{grid_sql}", [scope.end, *grid_params]
        )[0]
        if since:
            events_grid_sql, _ = scope.grids("events.grid_id")
            in_period = self._one(
                f"SELECT COUNT(*) FROM events WHERE kind = 'rated' AND at >= ? AND at < ?"
                f"{events_grid_sql}",
                [scope.start, scope.end, *grid_params],
            )[0]
            if since > in_period:
                return self._ratings_from_events(scope)
        found = self._rows(
            f"SELECT grid_id, {scope.community}, COUNT(*), SUM(rating), SUM(rating >= 4) FROM tickets "
            f"WHERE rated_at >= ? AND rated_at < ? AND rating IS NOT NULL{grid_sql} GROUP BY grid_id",
            [scope.start, scope.end, *grid_params],
        )
        if since:
            found += self._rows(
                f"SELECT grid_id, {scope.community}, COUNT(*), SUM(rating), SUM(rating >= 4) FROM tickets "
                f"WHERE rated_at >= ? AND rating IS NOT NULL{grid_sql} AND EXISTS (SELECT 1 "
                "FROM events WHERE events.ticket_id = tickets.id AND events.at >= ? "
                "AND events.at < ? AND events.kind = 'rated') GROUP BY grid_id",
                [scope.end, *grid_params, scope.start, scope.end],
            )
        return self._sum_ratings(scope, found)

    def _ratings_from_events(self, scope: Scope) -> dict:
        grid_sql, grid_params = scope.grids()
        events_grid_sql, _ = scope.grids("events.grid_id")
        return self._sum_ratings(scope, self._rows(
            f"SELECT grid_id, {scope.community}, COUNT(*), SUM(rating), SUM(rating >= 4) "
            "FROM tickets WHERE id IN "
            f"(SELECT ticket_id FROM events WHERE kind = 'rated' AND at >= ? AND at < ?"
            f"{events_grid_sql}) AND rating IS NOT NULL{grid_sql} GROUP BY grid_id",
            [scope.start, scope.end, *grid_params, *grid_params],
        ))

    def _sum_ratings(self, scope: Scope, rows: Iterable[tuple]) -> dict:
        """(count, sum, 4 or more) per grid added up per group."""
        sums: dict = {}
        for grid_id, community_id, n, total, good in rows:
            key = self._group(scope, grid_id, community_id)
            count, was, high = sums.get(key, (0, 0.0, 0))
            sums[key] = (count + n, was + (total or 0), high + (good or 0))
        return {key: found for key, found in sums.items() if found[0]}

    def resolvers(self, scope: Scope) -> dict:
        """Per group: who resolved tickets in the period, most first (the people to thank)."""
        grid_sql, grid_params = scope.grids()
        rows = self._rows(
            f"SELECT {scope.key}, actor_name, COUNT(*) AS n FROM events WHERE kind = 'resolved' "
            f"AND at >= ? AND at < ? AND actor_name IS NOT NULL{grid_sql} "
            "GROUP BY 1, actor_name ORDER BY 1, n DESC, MIN(at)",
            [scope.start, scope.end, *grid_params],
        )
        found: dict = {}
        for key, name, _ in rows:
            found.setdefault(key, []).append(name)
        return found

    def praise(self, scope: Scope) -> dict:
        grid_sql, grid_params = scope.grids()
        rows = self._rows(
            f"SELECT {scope.key}, COUNT(*) FROM praise WHERE at >= ? AND at < ?{grid_sql} "
            "GROUP BY 1",
            [scope.start, scope.end, *grid_params],
        )
        return dict(rows)

    # --- timers ------------------------------------------------------------------------

    def first_activity(self) -> int | None:
        """When the bot first saw anything: the first inbox message or ticket."""
        times = [
            self._one("SELECT received_at FROM inbox ORDER BY rowid LIMIT 1", []),
            self._one("SELECT created_at FROM tickets ORDER BY id LIMIT 1", []),
        ]
        found = [row[0] for row in times if row is not None]
        return min(found) if found else None

    # --- export ------------------------------------------------------------------------

    def _ids_of_period(self, scope: Scope) -> tuple[int, int] | None:
        grid_sql, grid_params = scope.grids()
        first, last = self._one(
            f"SELECT MIN(id), MAX(id) FROM tickets WHERE created_at >= ? AND created_at < ?"
            f"{grid_sql}",
            [scope.start, scope.end, *grid_params],
        )
        return (first, last) if first is not None else None

    def export_tickets(self, scope: Scope, *, page: int = 1000) -> Iterator[Ticket]:
        """The tickets reported in the period, in id order, a page at a time: memory stays
        bounded, and each page is a short read of its own, so the bot's writes and
        checkpoints go on while a long export runs."""
        ids = self._ids_of_period(scope)
        if ids is None:
            return
        after, last = ids[0] - 1, ids[1]
        grid_sql, grid_params = scope.grids()
        while True:
            rows = self._rows(
                f"SELECT {_TICKET} FROM tickets WHERE id > ? AND id <= ? AND created_at >= ? "
                f"AND created_at < ?{grid_sql} ORDER BY id LIMIT ?",
                [after, last, scope.start, scope.end, *grid_params, page],
            )
            yield from (Ticket.from_values(row) for row in rows)
            if len(rows) < page:
                return
            after = rows[-1][0]

    def export_events(self, scope: Scope, *, page: int = 1000) -> Iterator[tuple]:
        """The timeline of the tickets reported in the period, ticket by ticket, a page of
        tickets at a time: (ticket id, intent, status, at, kind, actor name, note, grid)."""
        batch: list[Ticket] = []
        for ticket in self.export_tickets(scope, page=page):
            batch.append(ticket)
            if len(batch) == page:
                yield from self._events_of(batch)
                batch = []
        yield from self._events_of(batch)

    def _events_of(self, tickets: list[Ticket]) -> Iterator[tuple]:
        if not tickets:
            return
        of = {t.id: t for t in tickets}
        rows = self._rows(
            "SELECT ticket_id, at, kind, actor_name, note, grid_id FROM events "
            f"WHERE ticket_id IN ({', '.join('?' for _ in of)}) ORDER BY ticket_id, id",
            list(of),
        )
        for ticket_id, at, kind, actor, note, grid_id in rows:
            ticket = of[ticket_id]
            yield ticket_id, ticket.intent, ticket.status, at, kind, actor, note, grid_id
