"""A room as a conversation: its recent messages with what the bot made of each, and the
messages joined to each ticket (its reports) and who of its reporters has been told.

Kept in memory, in step with the writes here and emptied on a rollback: a ticket's kept
subjects, when each sender last said something joined to a ticket, each room's incidents
of the last day (when something said there last joined each), and (storage/recent.py)
each sender's last messages."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable

from storage.database import Database
from storage.recent import Recent
from storage.records import InboxRow, Report, Reporter, Ticket, columns, inbox_row
from storage.states import OPEN_STATES
from storage.tickets import TicketQueries

_INBOX = columns(InboxRow, "i.")
_REPORT = columns(Report)
_REPORTER = columns(Reporter)
_OPEN = ", ".join(f"'{state}'" for state in OPEN_STATES)  # as the trigger of migration 023


QUOTED_PART = 8  # a quote this long found inside a message is of that message (a part quoted)
SUBJECTS_KEPT = 10_000  # tickets whose subjects are remembered; emptied when full
ROOM_INCIDENTS_KEPT = 1_000  # a room with more incidents in the window asked for is read each time
ROOMS_KEPT = 5_000  # rooms whose incidents are remembered; emptied when full
TOO_MANY_RETRY = 3600  # a window too big to keep is not read whole again for an hour


class _RoomIncidents:
    """A room's incidents joined since `floor` (all of them, open or not, as room_incidents
    has them): (-last_at, -ticket_id), most recent first, and ticket id -> last_at."""

    __slots__ = ("floor", "order", "last")

    def __init__(self, floor: int, rows: list[tuple[int, int]]) -> None:
        self.floor = floor
        self.last = dict(rows)
        self.order = sorted((-at, -ticket_id) for ticket_id, at in rows)

    def joined(self, ticket_id: int, at: int) -> None:
        before = self.last.get(ticket_id)
        if before is not None:
            if at <= before:
                return
            del self.order[bisect_left(self.order, (-before, -ticket_id))]
        self.last[ticket_id] = at
        insort(self.order, (-at, -ticket_id))


class Conversation:
    def __init__(self, db: Database, recent: Recent, tickets: TicketQueries) -> None:
        self._conn = db.conn
        self._recent = recent  # each sender's last messages (storage/recent.py)
        self._tickets = tickets  # tickets by id, as kept there
        # ticket id -> its kept subjects (None: not kept), as in ticket_subjects: a message
        # is read against a dozen incidents, each asked for several times.
        self._subjects: dict[int, frozenset[str] | None] = {}
        # (ticket id, sender id) -> when they last said something joined to it (None:
        # nothing): a message is read against each of its sender's open incidents.
        self._last_words: dict[tuple[int, str], int | None] = {}
        # room id -> its incidents of the window (`active_in_room`): every message of a
        # room is read against them, a report several times.
        self._rooms: dict[str, _RoomIncidents] = {}
        self._too_many: dict[str, int] = {}  # room id -> a window too big to keep

    def forget(self) -> None:
        """What was written may have been rolled back: read it again from the database."""
        self._subjects.clear()
        self._last_words.clear()
        self._rooms.clear()
        self._too_many.clear()

    # --- the room's window (the inbox, by send time) -----------------------------------

    def mark_read(self, message_id: str, reading: str, ticket_id: int | None = None) -> None:
        """Remember what a message was read as (and the ticket it joined)."""
        self._recent.read_as(message_id, reading, ticket_id)
        self._conn.execute(
            "UPDATE inbox SET reading = ?, ticket_id = ? WHERE message_id = ?",
            [reading, ticket_id, message_id],
        )

    def window(
        self, room_id: str, *, since: int, before: str, sender_id: str | None = None,
        limit: int = 50,
    ) -> list[InboxRow]:
        """The room's messages said since `since` and before message `before` (and received
        before it), oldest first (only this sender's, when given)."""
        if sender_id is not None and room_id is not None:
            around = self._recent.around(sender_id, before)
            if around is not None and since >= around[0].floor:
                kept, r, m = around
                rows = [
                    row for rowid, row in kept.rows
                    if rowid < r and since <= row.sent_at <= m.sent_at and row.room_id == room_id
                ]
                rows.sort(key=lambda row: row.sent_at)  # stable: the inbox's order within a second
                return rows[-limit:] if limit > 0 else rows if limit < 0 else []
        # One sender's: through their own messages (inbox_sender_sent; `+` keeps SQLite off
        # the room's index, which would read everyone's messages of the window).
        room_sql, sender_sql = (
            ("+i.room_id = ?", " AND i.sender_id = ?") if sender_id is not None else ("i.room_id = ?", "")
        )
        rows = self._conn.execute(
            f"SELECT {_INBOX} FROM inbox i, "
            "(SELECT rowid AS r, sent_at AS t FROM inbox WHERE message_id = ?) m "
            f"WHERE {room_sql} AND i.sent_at >= ? AND i.sent_at <= m.t AND i.rowid < m.r{sender_sql} "
            "ORDER BY i.sent_at DESC, i.rowid DESC LIMIT ?",
            [before, room_id, since, *([sender_id] if sender_id is not None else []), limit],
        ).fetchall()
        return [inbox_row(row) for row in reversed(rows)]

    def senders_since(self, room_id: str, at: int, *, limit: int = 200) -> list[tuple[str, str]]:
        """Who has said something in the room since `at`: (sender id, name), each once."""
        rows = self._conn.execute(
            "SELECT DISTINCT sender_id, sender_name FROM (SELECT sender_id, sender_name FROM inbox "
            "WHERE room_id = ? AND sent_at >= ? LIMIT ?)",
            [room_id, at, limit],
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def said_since(self, room_id: str, since: int, *, until: int, limit: int = 400) -> list[InboxRow]:
        """The room's messages sent in [since, until), oldest first (what the timers read
        of an incident's room: a responder on the way)."""
        rows = self._conn.execute(
            f"SELECT {_INBOX} FROM inbox i WHERE i.room_id = ? AND i.sent_at >= ? AND i.sent_at < ? "
            "ORDER BY i.sent_at, i.rowid LIMIT ?",
            [room_id, since, until, limit],
        ).fetchall()
        return [inbox_row(row) for row in rows]

    def said_by(
        self, room_id: str, sender_names: Iterable[str], *, since: int, until: int, limit: int = 5
    ) -> list[InboxRow]:
        """What these senders said in the room in [since, until), at most `limit` each, newest
        first: by the room's index of senders, so it costs what they said, not the room's talk."""
        out: list[InboxRow] = []
        for name in sender_names:
            rows = self._conn.execute(
                f"SELECT {_INBOX} FROM inbox i INDEXED BY inbox_room_sender WHERE i.room_id = ? "
                "AND i.sender_name = ? AND i.sent_at >= ? AND i.sent_at < ? ORDER BY i.sent_at DESC LIMIT ?",
                [room_id, name, since, until, limit],
            ).fetchall()
            out += [inbox_row(row) for row in rows]
        return sorted(out, key=lambda r: r.sent_at, reverse=True)

    def recent_senders(self, room_id: str, *, since: int, until: int, limit: int) -> set[str]:
        """The names of who said the room's last `limit` messages in [since, until]: read
        backwards along the room's time index, so it costs `limit`, not the room's day."""
        rows = self._conn.execute(
            "SELECT sender_name FROM inbox INDEXED BY inbox_room_sent WHERE room_id = ? "
            "AND sent_at >= ? AND sent_at <= ? ORDER BY sent_at DESC LIMIT ?",
            [room_id, since, until, limit],
        ).fetchall()
        return {row[0] for row in rows}

    def last_said_by(self, room_id: str, *, since: int, limit: int = 200) -> list[tuple[str, str, int]]:
        """Who has said something in the room since `since`, and when they last did:
        (sender id, name, time)."""
        rows = self._conn.execute(
            "SELECT sender_id, sender_name, MAX(sent_at) FROM (SELECT sender_id, sender_name, sent_at "
            "FROM inbox WHERE room_id = ? AND sent_at >= ? LIMIT ?) GROUP BY sender_id, sender_name",
            [room_id, since, limit],
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def messages_since(self, room_id: str, at: int, *, up_to: int) -> int:
        """How many messages the room has had since `at` (how far a post has scrolled up),
        counted up to `up_to`."""
        return self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM inbox WHERE room_id = ? AND sent_at > ? LIMIT ?)",
            [room_id, at, up_to],
        ).fetchone()[0]

    def quoted(self, room_id: str, sender_name: str, text: str) -> InboxRow | None:
        """The message of this room a quote-reply quotes (WeChat may cut a long one short)."""
        row = self._conn.execute(
            f"SELECT {_INBOX} FROM inbox i WHERE i.room_id = ? AND i.sender_name = ? "
            "AND (i.text = ? OR (length(?) >= 6 AND substr(i.text, 1, length(?)) = ?) "
            "OR (length(?) >= ? AND instr(i.text, ?) > 0)) "  # or a part of it (quoted so)
            "ORDER BY i.sent_at DESC, i.rowid DESC LIMIT 1",
            [room_id, sender_name, text, text, text, text, text, QUOTED_PART, text],
        ).fetchone()  # the index by room and sender: only that person's messages there
        return inbox_row(row) if row is not None else None

    # --- what is joined to a ticket ----------------------------------------------------

    def add_report(
        self, ticket_id: int, *, message_id: str | None, room_id: str | None, sender_id: str,
        sender_name: str, text: str, kind: str, at: int, replied: bool = False,
        subjects: Iterable[str] | None = None,
    ) -> bool:
        """Join a message to a ticket; False when it was joined already. `subjects`: what
        it adds to the ticket's kept subjects (see `subjects`); None: not known, so they
        are forgotten and worked out again from the reports when next asked for."""
        cursor = self._conn.execute(
            "INSERT OR IGNORE INTO ticket_reports (ticket_id, message_id, room_id, sender_id, "
            "sender_name, text, kind, replied, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ticket_id, message_id, room_id, sender_id, sender_name, text, kind, int(replied), at],
        )
        added = cursor.rowcount == 1
        if added and (ticket_id, sender_id) in self._last_words:
            last = self._last_words[ticket_id, sender_id]
            self._last_words[ticket_id, sender_id] = at if last is None else max(last, at)
        if subjects is None:
            self._conn.execute("DELETE FROM ticket_subjects WHERE ticket_id = ?", [ticket_id])
            self._subjects[ticket_id] = None
        elif added:
            subjects = frozenset(subjects)
            for subject in subjects:  # only to a ticket whose subjects are kept whole
                self._conn.execute(
                    "INSERT OR IGNORE INTO ticket_subjects (ticket_id, subject) SELECT ?, ? "
                    "WHERE EXISTS (SELECT 1 FROM ticket_subjects WHERE ticket_id = ? AND subject = '')",
                    [ticket_id, subject, ticket_id],
                )
            kept = self._subjects.get(ticket_id)
            if kept is not None:
                self._subjects[ticket_id] = kept | subjects
        if room_id is not None:  # open as its ticket is (then kept so by a trigger)
            self._conn.execute(
                "INSERT INTO room_incidents (room_id, ticket_id, last_at, open) "
                f"SELECT ?, id, ?, status IN ({_OPEN}) FROM tickets WHERE id = ? "
                "ON CONFLICT(room_id, ticket_id) DO UPDATE SET "
                "last_at = MAX(last_at, excluded.last_at)",
                [room_id, at, ticket_id],
            )
            kept = self._rooms.get(room_id)
            if kept is not None:
                kept.joined(ticket_id, at)
        return added

    def reports(self, ticket_id: int) -> list[Report]:
        rows = self._conn.execute(
            f"SELECT {_REPORT} FROM ticket_reports WHERE ticket_id = ? ORDER BY at, id",
            [ticket_id],
        )
        return [_report(row) for row in rows]

    def texts(self, ticket_id: int, kinds: Iterable[str]) -> list[str]:
        """The words of the reports of these kinds joined to a ticket."""
        kinds = list(kinds)
        rows = self._conn.execute(
            f"SELECT text FROM ticket_reports WHERE ticket_id = ? "
            f"AND kind IN ({', '.join('?' for _ in kinds)})",
            [ticket_id, *kinds],
        )
        return [row[0] for row in rows]

    def subjects(self, ticket_id: int) -> frozenset[str] | None:
        """The subjects kept for a ticket (what its reports are about, worked out by the
        handlers), or None when none are kept: read once from its reports, then kept up
        to date by `add_report`, so a ticket many have joined costs no more to read."""
        if ticket_id in self._subjects:
            return self._subjects[ticket_id]
        rows = self._conn.execute(
            "SELECT subject FROM ticket_subjects WHERE ticket_id = ?", [ticket_id]
        ).fetchall()
        found = {row[0] for row in rows}
        kept = frozenset(found - {""}) if "" in found else None  # '' marks the kept set as whole
        if len(self._subjects) >= SUBJECTS_KEPT:
            self._subjects.clear()
        self._subjects[ticket_id] = kept
        return kept

    def keep_subjects(self, ticket_id: int, subjects: Iterable[str]) -> None:
        """Keep the whole set of a ticket's subjects (see `subjects`)."""
        for subject in ("", *subjects):
            self._conn.execute(
                "INSERT OR IGNORE INTO ticket_subjects (ticket_id, subject) VALUES (?, ?)",
                [ticket_id, subject],
            )
        self._subjects.pop(ticket_id, None)  # read again as stored

    def last_word(self, ticket_id: int, sender_id: str) -> int | None:
        """When this person last said something joined to this ticket."""
        key = (ticket_id, sender_id)
        if key in self._last_words:
            return self._last_words[key]
        row = self._conn.execute(
            "SELECT at FROM ticket_reports WHERE ticket_id = ? AND sender_id = ? "
            "ORDER BY at DESC LIMIT 1",
            [ticket_id, sender_id],
        ).fetchone()
        if len(self._last_words) >= SUBJECTS_KEPT:
            self._last_words.clear()
        self._last_words[key] = last = row[0] if row else None
        return last

    def mentioned(self, ticket_id: int, name: str) -> bool:
        """Something joined to this ticket @s this name (read through the index of the
        messages with an @ only)."""
        return bool(self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM ticket_reports WHERE ticket_id = ? "
            "AND instr(text, '@') > 0 AND instr(text, ?) > 0)",
            [ticket_id, f"@{name}"],
        ).fetchone()[0])

    def reports_of(self, ticket_ids: Iterable[int]) -> dict[int, list[Report]]:
        ids = list(ticket_ids)
        found: dict[int, list[Report]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self._conn.execute(
                f"SELECT {_REPORT} FROM ticket_reports "
                f"WHERE ticket_id IN ({', '.join('?' for _ in chunk)}) ORDER BY ticket_id, at, id",
                chunk,
            )
            for row in rows:
                report = _report(row)
                found[report.ticket_id].append(report)
        return found

    def last_answered_in_room(self, ticket_id: int, room_id: str) -> int | None:
        """When the bot last answered anyone's message about this ticket in this room."""
        row = self._conn.execute(
            "SELECT MAX(at) FROM ticket_reports WHERE ticket_id = ? AND room_id = ? AND replied",
            [ticket_id, room_id],
        ).fetchone()
        return row[0] if row else None

    def last_answered_to(self, ticket_id: int, sender_id: str) -> int | None:
        """When the bot last answered this person's word about this ticket after their
        report (its acknowledgement is not counted)."""
        row = self._conn.execute(
            "SELECT MAX(at) FROM ticket_reports WHERE ticket_id = ? AND sender_id = ? AND replied "
            "AND kind NOT IN ('report', 'registered')",
            [ticket_id, sender_id],
        ).fetchone()
        return row[0] if row else None

    def mark_answered(self, ticket_id: int, message_id: str) -> None:
        self._conn.execute(
            "UPDATE ticket_reports SET replied = 1 WHERE ticket_id = ? AND message_id = ?",
            [ticket_id, message_id],
        )

    # --- who of a ticket's reporters has been told ---------------------------------------

    def mark_told(self, ticket_id: int, person_ids: Iterable[str], at: int) -> None:
        for person_id in person_ids:
            self._conn.execute(
                "UPDATE ticket_reporters SET told_at = ? WHERE ticket_id = ? AND person_id = ?",
                [at, ticket_id, person_id],
            )

    def untold(self, ticket_id: int, room_id: str | None) -> list[Reporter]:
        """Reporters of this ticket in this room the bot has not yet told of it."""
        rows = self._conn.execute(
            f"SELECT {_REPORTER} FROM ticket_reporters WHERE ticket_id = ? AND room_id IS ? "
            "AND told_at IS NULL ORDER BY joined_at, rowid",
            [ticket_id, room_id],
        )
        return [Reporter(*row) for row in rows]

    def last_told(self, ticket_id: int, room_id: str | None) -> int | None:
        """When the bot last told reporters of this ticket in this room."""
        row = self._conn.execute(
            "SELECT MAX(told_at) FROM ticket_reporters WHERE ticket_id = ? AND room_id IS ?",
            [ticket_id, room_id],
        ).fetchone()
        return row[0] if row else None

    def active_in_room(
        self, room_id: str, *, states: Iterable[str], since: int, limit: int = 12
    ) -> list[tuple[Ticket, int]]:
        """The `limit` tickets in these states that something said in this room joined
        most recently since `since` (their report included), each with that last time,
        the most recent first. A room's incidents of the window are read once and kept
        (in step with `add_report`; a ticket's state is the one kept by storage/tickets.py);
        a window reaching further back than the one kept is read from the database (open
        ones from the index of the room's open incidents: those done since are not stepped
        over)."""
        states = frozenset(states)
        kept = self._rooms.get(room_id)
        if kept is not None and len(kept.order) > ROOM_INCIDENTS_KEPT:  # grown: read afresh
            del self._rooms[room_id]
            kept = None
        if kept is None or since < kept.floor:
            kept = self._keep_room(room_id, since) or kept
        if kept is None or since < kept.floor:
            return self._active_read(room_id, states, since, limit)
        found: list[tuple[Ticket, int]] = []
        start, order = 0, kept.order
        while len(found) < limit and start < len(order):
            chunk = order[start:start + limit]
            start += limit
            ids = [-ticket_id for at, ticket_id in chunk if -at >= since]
            tickets = self._tickets.by_ids(ids)
            for at, ticket_id in chunk:
                if -at < since:
                    return found
                ticket = tickets.get(-ticket_id)
                if ticket is not None and ticket.status in states:
                    found.append((ticket, -at))
                    if len(found) == limit:
                        break
        return found

    def _keep_room(self, room_id: str, since: int) -> _RoomIncidents | None:
        """The room's incidents joined since `since`, read and kept (None: too many to keep,
        and then not tried again for an hour's windows: they are read as asked)."""
        if since <= self._too_many.get(room_id, -1) + TOO_MANY_RETRY:
            return None
        rows = self._conn.execute(
            "SELECT ticket_id, last_at FROM room_incidents INDEXED BY room_incidents_recent "
            "WHERE room_id = ? AND last_at >= ? LIMIT ?",
            [room_id, since, ROOM_INCIDENTS_KEPT + 1],
        ).fetchall()
        if len(rows) > ROOM_INCIDENTS_KEPT:
            if len(self._too_many) >= ROOMS_KEPT:
                self._too_many.clear()
            self._too_many[room_id] = since
            return None
        if len(self._rooms) >= ROOMS_KEPT:
            self._rooms.clear()
        self._rooms[room_id] = kept = _RoomIncidents(since, [(row[0], row[1]) for row in rows])
        return kept

    def _active_read(
        self, room_id: str, states: frozenset[str], since: int, limit: int
    ) -> list[tuple[Ticket, int]]:
        marks = ", ".join("?" for _ in states)
        index, open_only = (
            ("room_incidents_open", " AND ri.open") if states <= set(OPEN_STATES)
            else ("room_incidents_recent", "")
        )
        rows = self._conn.execute(  # the room's incidents of the window, newest first
            f"SELECT t.id, ri.last_at FROM room_incidents ri INDEXED BY {index} "
            f"JOIN tickets t ON t.id = ri.ticket_id WHERE ri.room_id = ?{open_only} "
            f"AND ri.last_at >= ? AND t.status IN ({marks}) "
            "ORDER BY ri.last_at DESC, ri.ticket_id DESC LIMIT ?",
            [room_id, since, *states, limit],
        ).fetchall()
        tickets = self._tickets.by_ids([row[0] for row in rows])
        return [(tickets[row[0]], row[1]) for row in rows]


def _report(row) -> Report:
    values = list(row)
    values[8] = bool(values[8])  # replied
    return Report(*values)
