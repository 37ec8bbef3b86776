"""Tickets, their reporters and their timeline (events).

Reads go straight to the connection (no sqlite-utils `query()`, which wraps every read in
a SAVEPOINT) and select the record's columns in field order, so a row becomes a record
without a dict in between.

Each resident's message asks what its sender has in hand (a live report, their open and
just-done incidents) and reads the tickets it may be about: their live tickets, and
tickets by id, are read once and kept in memory, in step with every write of this class
(a ticket created or changed, a reporter added or gone: only this class writes tickets),
emptied on a rollback and before a read snapshot (`forget`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from storage.database import Database
from storage.records import Event, Reporter, Ticket, columns
from storage.states import ACTIVE_STATES, OPEN_STATES, TicketState

_TICKET_COLUMNS = tuple(Ticket.__dataclass_fields__)
_TICKET = columns(Ticket)
_TICKET_T = columns(Ticket, "t.")
_REPORTER = columns(Reporter)
_EVENT = columns(Event)


LIVE_KEPT = 20_000  # people whose live tickets are remembered; emptied when full
TICKETS_KEPT = 20_000  # tickets remembered by id; emptied when full
_LIVE = frozenset(ACTIVE_STATES)


class TicketQueries:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn
        # person id -> (closed since, their tickets open, accepted, resolved or closed
        # since then, newest first); ticket id -> the people whose list was read with it
        self._live: dict[str, tuple[int, list[Ticket]]] = {}
        self._holders: dict[int, set[str]] = {}
        self._rows: dict[int, Ticket] = {}  # ticket id -> the ticket as stored

    def forget(self) -> None:
        """What was written may have been rolled back: read it again from the database."""
        self._live.clear()
        self._holders.clear()
        self._rows.clear()

    def _keep(self, ticket: Ticket) -> Ticket:
        if len(self._rows) >= TICKETS_KEPT:
            self._rows.clear()
        self._rows[ticket.id] = ticket
        return ticket

    def _changed(self, ticket_id: int, row: Ticket | None = None, **fields: object) -> None:
        """Ticket `ticket_id` was written: `row` is it as it is now, or `fields` are what
        changed of it. The kept copies are patched in place (the lists that hold it keep it,
        as it is now, while it is live or closed since their time, and drop it after); a
        list it may be missing from (a ticket not live before, e.g. closed long ago and
        reopened) is read again."""
        before = self._rows.get(ticket_id)
        holders = self._holders.get(ticket_id, ())
        if before is None:
            for person_id in holders:
                before = next((t for t in self._live[person_id][1] if t.id == ticket_id), None)
                if before is not None:
                    break
        if row is None:
            if before is None:  # nothing of it is kept (any list holding it would be)
                self._rows.pop(ticket_id, None)
                return
            row = replace(before, **fields)
        if ticket_id in self._rows:
            self._rows[ticket_id] = row
        for person_id in list(holders):
            since, tickets = self._live[person_id]
            i = next((i for i, t in enumerate(tickets) if t.id == ticket_id), None)
            if i is None:  # not theirs after all: kept as it was read
                continue
            if row.status in _LIVE or (row.closed_at is not None and row.closed_at >= since):
                tickets[i] = row
            else:
                del tickets[i]
                self._holders[ticket_id].discard(person_id)
        was_live = before is not None and before.status in _LIVE
        if not was_live and self._live and (row.status in _LIVE or row.closed_at is not None):
            held = self._holders.get(ticket_id, ())
            for (person_id,) in self._conn.execute(
                "SELECT person_id FROM ticket_reporters WHERE ticket_id = ?", [ticket_id]
            ):
                if person_id not in held:
                    self._drop_live(person_id)

    def _drop_live(self, person_id: str) -> None:
        kept = self._live.pop(person_id, None)
        if kept is not None:
            for ticket in kept[1]:
                held = self._holders.get(ticket.id)
                if held is not None:
                    held.discard(person_id)

    def _live_of(self, person_id: str, closed_since: int | None) -> list[Ticket]:
        """This person's tickets open, accepted or resolved, or closed since `closed_since`
        (None: any time kept), newest first."""
        kept = self._live.get(person_id)
        if kept is not None and (closed_since is None or closed_since >= kept[0]):
            return kept[1]
        since = closed_since if closed_since is not None else 2**62
        marks = ", ".join("?" for _ in ACTIVE_STATES)
        tickets = self._tickets(
            f"SELECT {_TICKET_T} FROM ticket_reporters r JOIN tickets t ON t.id = r.ticket_id "
            f"WHERE r.person_id = ? AND (t.status IN ({marks}) OR t.closed_at >= ?) "
            "ORDER BY t.id DESC",
            [person_id, *ACTIVE_STATES, since],
        )
        if len(self._live) >= LIVE_KEPT:
            self.forget()
        self._drop_live(person_id)  # a list of a later time, read again from further back
        self._live[person_id] = (since, tickets)
        for ticket in tickets:
            self._holders.setdefault(ticket.id, set()).add(person_id)
        return tickets

    def _tickets(self, sql: str, params: Iterable) -> list[Ticket]:
        return [Ticket.from_values(row) for row in self._conn.execute(sql, list(params))]

    def _ticket(self, sql: str, params: Iterable) -> Ticket | None:
        row = self._conn.execute(sql, list(params)).fetchone()
        return Ticket.from_values(row) if row is not None else None

    def create(self, *, at: int, **fields: object) -> Ticket:
        fields = {"due_at": at, **fields, "created_at": at, "updated_at": at}
        unknown = set(fields) - set(_TICKET_COLUMNS)
        if unknown:
            raise ValueError(f"unknown ticket fields: {sorted(unknown)}")
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        # phase_at (the dashboard's queue) from the start: its trigger need not set it after
        [row] = self._conn.execute(
            f"INSERT INTO tickets ({names}, phase_at) VALUES ({marks}, ?) RETURNING {_TICKET}",
            [*fields.values(), at],
        ).fetchall()
        return self._keep(Ticket.from_values(row))

    def get(self, ticket_id: int) -> Ticket | None:
        if not -(2**63) <= ticket_id < 2**63:
            return None
        kept = self._rows.get(ticket_id)
        if kept is not None:
            return kept
        ticket = self._ticket(f"SELECT {_TICKET} FROM tickets WHERE id = ?", [ticket_id])
        return self._keep(ticket) if ticket is not None else None

    def by_ids(self, ticket_ids: Iterable[int]) -> dict[int, Ticket]:
        """These tickets (those that exist), by id: the ones not kept read at once."""
        ids = list(ticket_ids)
        found = {i: self._rows[i] for i in ids if i in self._rows}
        missing = [i for i in ids if i not in found]
        if missing:
            for ticket in self._tickets(
                f"SELECT {_TICKET} FROM tickets WHERE id IN ({', '.join('?' for _ in missing)})",
                missing,
            ):
                found[ticket.id] = self._keep(ticket)
        return found

    def update(self, ticket_id: int, *, at: int, **fields: object) -> Ticket:
        """Change a ticket. A change makes it due for the timers at once (they work out
        what comes next from the new state), unless `due_at` is given."""
        unknown = set(fields) - set(_TICKET_COLUMNS)
        if unknown:
            raise ValueError(f"unknown ticket fields: {sorted(unknown)}")
        fields = {"due_at": at, **fields, "updated_at": at}
        assignments = ", ".join(f"{name} = ?" for name in fields)
        [row] = self._conn.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ? RETURNING {_TICKET}",
            [*fields.values(), ticket_id],
        ).fetchall()
        ticket = Ticket.from_values(row)
        self._changed(ticket_id, ticket)
        return self._keep(ticket)

    def by_source_message(self, message_id: str) -> Ticket | None:
        return self._ticket(
            f"SELECT {_TICKET} FROM tickets WHERE source_message_id = ?", [message_id]
        )

    def select(
        self,
        *,
        states: Iterable[str] | None = None,
        grid_ids: Iterable[str] | None = None,
        assignee_name: str | None = None,
        created_from: int | None = None,
        created_to: int | None = None,
        limit: int | None = None,
    ) -> list[Ticket]:
        where, params = [], []
        if states is not None:
            states = list(states)
            where.append(f"status IN ({', '.join('?' for _ in states)})")
            params += states
        if grid_ids is not None:
            grid_ids = list(grid_ids)
            where.append(f"grid_id IN ({', '.join('?' for _ in grid_ids)})")
            params += grid_ids
        if assignee_name is not None:
            where.append("assignee_name = ?")
            params.append(assignee_name)
        if created_from is not None:
            where.append("created_at >= ?")
            params.append(created_from)
        if created_to is not None:
            where.append("created_at < ?")
            params.append(created_to)
        sql = f"SELECT {_TICKET} FROM tickets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._tickets(sql, params)

    def each(self, *, states: Iterable[str] | None = None, page: int = 1000) -> Iterator[Ticket]:
        """Every ticket (in these states) in id order, read a page at a time: memory stays
        bounded however many there are, and each page is a short read of its own."""
        states = list(states) if states is not None else None
        where = f" AND status IN ({', '.join('?' for _ in states)})" if states else ""
        after = 0
        while True:
            rows = self._conn.execute(
                f"SELECT {_TICKET} FROM tickets WHERE id > ?{where} ORDER BY id LIMIT ?",
                [after, *(states or []), page],
            ).fetchall()
            yield from (Ticket.from_values(row) for row in rows)
            if len(rows) < page:
                return
            after = rows[-1][0]

    def due(self, now: int, limit: int) -> list[Ticket]:
        """Up to `limit` tickets the timers must look at by `now`, earliest first: an index
        range, however many tickets are open and closed."""
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
            [now, limit],
        )

    def schedule(self, ticket_id: int, due_at: int | None, *, ping_held: bool | None = None) -> None:
        """When the timers look at this ticket next (None: never again); the ticket itself
        is not changed (its `updated_at` stays)."""
        if ping_held is None:
            self._changed(ticket_id, due_at=due_at)
        else:
            self._changed(ticket_id, due_at=due_at, ping_held=bool(ping_held))
        if ping_held is None:
            self._conn.execute("UPDATE tickets SET due_at = ? WHERE id = ?", [due_at, ticket_id])
        else:
            self._conn.execute(
                "UPDATE tickets SET due_at = ?, ping_held = ? WHERE id = ?",
                [due_at, int(ping_held), ticket_id],
            )

    def keep_deadline(self, ticket_id: int, deadline_at: int | None) -> None:
        """Keep a deadline worked out afresh (a ticket from before deadlines were kept);
        the ticket itself is not changed (its `updated_at` and `due_at` stay)."""
        self._changed(ticket_id, deadline_at=deadline_at)
        self._conn.execute("UPDATE tickets SET deadline_at = ? WHERE id = ?", [deadline_at, ticket_id])

    def phase_at(self, ticket_id: int, kinds: Iterable[str], *, by_people: Iterable[str] = (),
                 system: str = "") -> int | None:
        """When the latest event of `kinds` happened to this ticket, or of `by_people`
        kinds when a person (not `system`) did it: when its current holder's time began."""
        kinds, by_people = list(kinds), list(by_people)
        sql = f"SELECT MAX(at) FROM events WHERE ticket_id = ? AND (kind IN ({', '.join('?' for _ in kinds)})"
        params: list = [ticket_id, *kinds]
        if by_people:
            sql += f" OR (kind IN ({', '.join('?' for _ in by_people)}) AND actor_name IS NOT ?)"
            params += [*by_people, system]
        return self._conn.execute(sql + ")", params).fetchone()[0]

    def open_page(
        self, grid_ids: Iterable[str], *, me: str, offset: int, limit: int
    ) -> tuple[list[Ticket], int]:
        """A page of the open tickets of these grids, most urgent first (urgent, then this
        person's own, then the longest waiting), and how many there are in all. Reads the
        open tickets' index only: closed tickets cost nothing."""
        grid_ids = list(grid_ids)
        marks = ", ".join("?" for _ in grid_ids) or "NULL"
        where = f"status IN ('open', 'accepted') AND grid_id IN ({marks})"
        total = self._conn.execute(
            f"SELECT COUNT(*) FROM tickets WHERE {where}", grid_ids
        ).fetchone()[0]
        ids = [row[0] for row in self._conn.execute(
            f"SELECT id FROM tickets INDEXED BY tickets_open_order WHERE {where} "
            "ORDER BY urgent DESC, assignee_name IS ? DESC, id LIMIT ? OFFSET ?",
            [*grid_ids, me, limit, offset],
        )]
        if not ids:
            return [], total
        found = {t.id: t for t in self._tickets(
            f"SELECT {_TICKET} FROM tickets WHERE id IN ({', '.join('?' for _ in ids)})", ids
        )}
        return [found[i] for i in ids], total

    def of_reporter(self, person_id: str, states: Iterable[str] = ACTIVE_STATES) -> list[Ticket]:
        """Tickets this person reported or joined as a reporter, newest first."""
        states = list(states)
        if _LIVE.issuperset(states):
            return [t for t in self._live_of(person_id, None) if t.status in states]
        marks = ", ".join("?" for _ in states)
        sql = (
            f"SELECT {_TICKET_T} FROM ticket_reporters r JOIN tickets t ON t.id = r.ticket_id "
            f"WHERE r.person_id = ? AND t.status IN ({marks}) ORDER BY t.id DESC"
        )
        return self._tickets(sql, [person_id, *states])

    def find_duplicate(
        self, *, grid_id: str, intent: str, location_key: str, since: int
    ) -> Ticket | None:
        """The open ticket for the same need at the same place, reported since `since`."""
        marks = ", ".join("?" for _ in OPEN_STATES)
        return self._ticket(
            f"SELECT {_TICKET} FROM tickets WHERE grid_id = ? AND intent = ? "
            f"AND location_key = ? AND created_at >= ? AND status IN ({marks}) "
            "ORDER BY id DESC LIMIT 1",
            [grid_id, intent, location_key, since, *OPEN_STATES],
        )

    def open_within(
        self, *, grid_id: str, intent: str, location_prefix: str, since: int, limit: int = 20
    ) -> list[Ticket]:
        """Open tickets of this need whose place lies within `location_prefix` (a building's key:
        its doors, units and flats; not the building itself), reported since `since`, latest
        first: a range of the same-need index, so it costs what is there, not the grid's."""
        marks = ", ".join("?" for _ in OPEN_STATES)
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets INDEXED BY tickets_same_need WHERE grid_id = ? AND intent = ? "
            "AND location_key > ? AND location_key < ? AND created_at >= ? "
            f"AND status IN ({marks}) ORDER BY id DESC LIMIT ?",
            [grid_id, intent, location_prefix, location_prefix + "\U0010ffff", since, *OPEN_STATES, limit],
        )

    def done_at(
        self, *, grid_id: str, intent: str, location_keys: Iterable[str], resolved_since: int
    ) -> list[Ticket]:
        """Tickets of this need at these places done (resolved or closed) since
        `resolved_since`, the latest done first: found by place, however many were done."""
        keys = list(location_keys)
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets INDEXED BY tickets_same_need WHERE grid_id = ? "
            f"AND intent = ? AND location_key IN ({marks}) AND status IN (?, ?) "
            "AND resolved_at >= ? ORDER BY resolved_at DESC, id DESC",
            [grid_id, intent, *keys, TicketState.RESOLVED, TicketState.CLOSED, resolved_since],
        )

    def done_in_room(
        self, *, grid_id: str, room_id: str, intent: str, resolved_since: int
    ) -> list[Ticket]:
        """Tickets of this need opened in this room of this grid and done (resolved or
        closed) since `resolved_since`, the latest done first (read by the grid's done time)."""
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets INDEXED BY tickets_grid_resolved WHERE grid_id = ? "
            "AND resolved_at >= ? AND intent = ? AND status IN (?, ?) AND room_id = ? "
            "ORDER BY resolved_at DESC, id DESC",
            [grid_id, resolved_since, intent, TicketState.RESOLVED, TicketState.CLOSED, room_id],
        )

    def recent_in_room(self, *, room_id: str, intent: str, since: int) -> list[Ticket]:
        """Open tickets of this intent opened in this room since `since`, newest first."""
        marks = ", ".join("?" for _ in OPEN_STATES)
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets WHERE room_id = ? AND intent = ? AND created_at >= ? "
            f"AND status IN ({marks}) ORDER BY id DESC",
            [room_id, intent, since, *OPEN_STATES],
        )

    def waiting_on(
        self, name: str, *, states: Iterable[str], grid_ids: Iterable[str], room_id: str | None,
        anywhere: bool,
        limit: int,
    ) -> list[Ticket]:
        """Up to `limit` tickets in these states assigned to `name`, of these grids; in this
        room only unless `anywhere`. (Whether there are none, one or several is what the
        caller needs: a worker with a thousand open tickets costs as much as one with two.)"""
        states, grid_ids = list(states), list(grid_ids)
        sql = (
            f"SELECT {_TICKET} FROM tickets WHERE assignee_name = ? "
            f"AND status IN ({', '.join('?' for _ in states)}) "
            f"AND grid_id IN ({', '.join('?' for _ in grid_ids) or 'NULL'})"
        )
        params: list = [name, *states, *grid_ids]
        if not anywhere:
            sql += " AND room_id IS ?"
            params.append(room_id)
        return self._tickets(sql + f" LIMIT {int(limit)}", params)

    def reports_in_room(
        self, room_id: str, since: int, limit: int = 200
    ) -> list[tuple[int, str, str]]:
        """(ticket id, reporter name, what they wrote) of the room's latest tickets since
        `since`: what a quote-reply may quote."""
        rows = self._conn.execute(
            "SELECT t.id, r.person_name, COALESCE(i.text, t.text) FROM tickets t "
            "JOIN ticket_reporters r ON r.ticket_id = t.id "
            "LEFT JOIN inbox i ON i.message_id = r.message_id "
            "WHERE t.room_id = ? AND t.created_at >= ? AND t.status != ? "
            "ORDER BY t.created_at DESC LIMIT ?",
            [room_id, since, TicketState.MERGED, limit],
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def has_live_report(self, person_id: str, *, closed_since: int) -> bool:
        """Whether this person reported (or joined) a ticket still open, resolved, or closed
        since `closed_since`: one their replies may be about."""
        return bool(self.live_reports(person_id, closed_since=closed_since))

    def live_reports(self, person_id: str, *, closed_since: int) -> list[Ticket]:
        """The tickets this person reported (or joined) still open, resolved, or closed since
        `closed_since`, newest first."""
        return [
            t for t in self._live_of(person_id, closed_since)
            if t.status in _LIVE or (t.closed_at is not None and t.closed_at >= closed_since)
        ]

    # --- reporters -------------------------------------------------------------------

    def joins_since(self, ticket_id: int, *, room_id: str | None, since: int) -> int:
        """Residents who joined this ticket (not its first reporter) in this room since."""
        return self._conn.execute(
            "SELECT COUNT(*) FROM ticket_reporters r JOIN tickets t ON t.id = r.ticket_id "
            "WHERE r.ticket_id = ? AND r.room_id IS ? AND r.joined_at >= ? "
            "AND r.person_id IS NOT t.reporter_id",
            [ticket_id, room_id, since],
        ).fetchone()[0]

    def add_reporter(
        self,
        ticket_id: int,
        *,
        person_id: str,
        person_name: str,
        room_id: str | None,
        room_topic: str | None,
        message_id: str | None,
        at: int,
    ) -> bool:
        """Add a reporter; False if this person already reported this ticket."""
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO ticket_reporters "
            "(ticket_id, person_id, person_name, room_id, room_topic, message_id, joined_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [ticket_id, person_id, person_name, room_id, room_topic, message_id, at],
        )
        added = cursor.rowcount == 1
        kept = self._live.get(person_id)
        if added and kept is not None:  # their list, kept: with the ticket, when it belongs
            ticket = self._rows.get(ticket_id)
            if ticket is None:
                self._drop_live(person_id)
            elif ticket.status in _LIVE or (ticket.closed_at is not None and ticket.closed_at >= kept[0]):
                tickets = kept[1]
                i = next((i for i, t in enumerate(tickets) if t.id < ticket_id), len(tickets))
                tickets.insert(i, ticket)  # newest first
                self._holders.setdefault(ticket_id, set()).add(person_id)
        return added

    def remove_reporter(self, ticket_id: int, person_id: str) -> bool:
        """A reporter leaves the ticket (the others keep it); False if they were not one."""
        cursor = self._conn.execute(
            "DELETE FROM ticket_reporters WHERE ticket_id = ? AND person_id = ?",
            [ticket_id, person_id],
        )
        kept = self._live.get(person_id)
        if cursor.rowcount == 1 and kept is not None:
            kept[1][:] = [t for t in kept[1] if t.id != ticket_id]
            held = self._holders.get(ticket_id)
            if held is not None:
                held.discard(person_id)
        return cursor.rowcount == 1

    def rate_as_reporter(self, ticket_id: int, person_id: str, rating: int | None) -> None:
        self._conn.execute(
            "UPDATE ticket_reporters SET rating = ? WHERE ticket_id = ? AND person_id = ?",
            [rating, ticket_id, person_id],
        )

    def is_reporter(self, ticket_id: int, person_id: str) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM ticket_reporters WHERE ticket_id = ? AND person_id = ?",
            [ticket_id, person_id],
        ).fetchone() is not None

    def reporter_count(self, ticket_id: int) -> int:
        return self._conn.execute(
            "SELECT COUNT(*) FROM ticket_reporters WHERE ticket_id = ?", [ticket_id]
        ).fetchone()[0]

    def reporters(self, ticket_id: int) -> list[Reporter]:
        rows = self._conn.execute(
            f"SELECT {_REPORTER} FROM ticket_reporters WHERE ticket_id = ? "
            "ORDER BY joined_at, rowid",
            [ticket_id],
        )
        return [Reporter(*row) for row in rows]

    # --- events (the timeline) ---------------------------------------------------------

    def add_event(
        self,
        ticket: Ticket | None,
        kind: str,
        *,
        at: int,
        actor_id: str | None = None,
        actor_name: str | None = None,
        note: str | None = None,
        grid_id: str | None = None,
        community_id: str | None = None,
    ) -> None:
        self._conn.execute(
            "INSERT INTO events (ticket_id, kind, actor_id, actor_name, at, note, grid_id, "
            "community_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ticket.id if ticket else None,
                kind,
                actor_id,
                actor_name,
                at,
                note,
                ticket.grid_id if ticket else grid_id,
                ticket.community_id if ticket else community_id,
            ],
        )

    def events(self, ticket_id: int) -> list[Event]:
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM events WHERE ticket_id = ? ORDER BY id", [ticket_id]
        )
        return [Event(*row) for row in rows]

    def events_of_kinds(self, ticket: Ticket, kinds: Iterable[str]) -> list[Event]:
        """The ticket's events of these kinds, oldest first: read through the grid's events
        of each kind since the ticket began (events_kind_grid_at), so a ticket many people
        joined costs no more to read than one few did."""
        kinds = list(kinds)
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM events INDEXED BY events_kind_grid_at "
            f"WHERE kind IN ({', '.join('?' for _ in kinds)}) "
            "AND grid_id = ? AND at >= ? AND ticket_id = ? ORDER BY at, id",
            [*kinds, ticket.grid_id, ticket.created_at, ticket.id],
        )
        return [Event(*row) for row in rows]

    def last_grid_event(self, kind: str, grid_id: str, *, since: int) -> Event | None:
        """The latest event of this kind of the grid since `since` (an event of no ticket:
        a worker saying they are on duty today)."""
        row = self._conn.execute(
            f"SELECT {_EVENT} FROM events WHERE kind = ? AND grid_id = ? AND at >= ? "
            "ORDER BY at DESC, id DESC LIMIT 1",
            [kind, grid_id, since],
        ).fetchone()
        return Event(*row) if row is not None else None

    def urgent_raised(self, grid_id: str, *, since: int) -> list[int]:
        """The tickets of this grid raised as urgent (an alarm, or made urgent) since
        `since`: by the grid's index of events by kind, the few of them, not the pile."""
        rows = self._conn.execute(
            "SELECT DISTINCT ticket_id FROM events WHERE kind IN ('alerted', 'urgent') "
            "AND grid_id = ? AND at >= ? AND ticket_id IS NOT NULL",
            [grid_id, since],
        ).fetchall()
        return [row[0] for row in rows]

    def last_act_of(
        self, names: Iterable[str], kinds: Iterable[str], *, since: int, other_than: int | None = None
    ) -> int | None:
        """When any of these people last did one of `kinds` to any ticket (but `other_than`)
        since `since`."""
        names, kinds = list(names), list(kinds)
        other = " AND ticket_id != ?" if other_than is not None else ""
        row = self._conn.execute(
            f"SELECT MAX(at) FROM events WHERE kind IN ({', '.join('?' for _ in kinds)}) AND at >= ? "
            f"AND actor_name IN ({', '.join('?' for _ in names)}){other}",
            [*kinds, since, *names, *([other_than] if other_than is not None else [])],
        ).fetchone()
        return row[0] if row else None

    def told_privately(self, grid_id: str, states: Iterable[str], *, since: int) -> list[Ticket]:
        """The tickets of this grid in these states, made since `since`, that came privately."""
        states = list(states)
        return self._tickets(
            f"SELECT {_TICKET} FROM tickets WHERE room_id IS NULL AND created_at >= ? AND grid_id = ? "
            f"AND status IN ({', '.join('?' for _ in states)}) ORDER BY id",
            [since, grid_id, *states],
        )

    def taken_by(self, name: str, kinds: Iterable[str], *, since: int, room_id: str) -> list[int]:
        """The tickets of this room this person did one of `kinds` to since `since`, latest first."""
        kinds = list(kinds)
        rows = self._conn.execute(
            f"SELECT e.ticket_id, MAX(e.at) AS last FROM events e JOIN tickets t ON t.id = e.ticket_id "
            f"WHERE e.kind IN ({', '.join('?' for _ in kinds)}) AND e.at >= ? AND e.actor_name = ? "
            "AND t.room_id = ? GROUP BY e.ticket_id ORDER BY last DESC, MAX(e.id) DESC",
            [*kinds, since, name, room_id],
        )
        return [row[0] for row in rows]

    def events_between(self, start: int, end: int) -> list[Event]:
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM events WHERE at >= ? AND at < ? ORDER BY id", [start, end]
        )
        return [Event(*row) for row in rows]
