"""Numbered schema migrations (the sqlite-utils way): each runs once, in order, recorded
in `_migrations`, so an old database file is brought up to date on start.

Times are stored as integer Unix seconds: cheap to compare and subtract for statistics.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.database import Database


def m001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            intent TEXT NOT NULL,
            status TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            grid_id TEXT NOT NULL,
            community_id TEXT NOT NULL,
            room_id TEXT,
            room_topic TEXT,
            reporter_id TEXT,
            reporter_name TEXT,
            assignee_name TEXT,
            assignee_id TEXT,
            location TEXT,
            location_key TEXT,
            text TEXT NOT NULL,
            masked_text TEXT NOT NULL,
            source_message_id TEXT,
            created_at INTEGER NOT NULL,
            accepted_at INTEGER,
            resolved_at INTEGER,
            closed_at INTEGER,
            resolution_note TEXT,
            rating INTEGER,
            escalation_level INTEGER NOT NULL DEFAULT 0,
            escalated_to TEXT,
            reminders_sent INTEGER NOT NULL DEFAULT 0,
            last_reminder_at INTEGER,
            rating_asked_at INTEGER,
            reopened_count INTEGER NOT NULL DEFAULT 0,
            merged_into INTEGER,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX tickets_grid_created ON tickets(grid_id, created_at);
        CREATE INDEX tickets_status ON tickets(status);
        CREATE INDEX tickets_reporter ON tickets(reporter_id, status);
        CREATE UNIQUE INDEX tickets_source_message ON tickets(source_message_id);

        CREATE TABLE ticket_reporters (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            person_id TEXT NOT NULL,
            person_name TEXT NOT NULL,
            room_id TEXT,
            room_topic TEXT,
            message_id TEXT,
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (ticket_id, person_id)
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_id INTEGER REFERENCES tickets(id),
            kind TEXT NOT NULL,
            actor_id TEXT,
            actor_name TEXT,
            at INTEGER NOT NULL,
            note TEXT,
            grid_id TEXT,
            community_id TEXT
        );
        CREATE INDEX events_ticket ON events(ticket_id, at);
        CREATE INDEX events_kind_at ON events(kind, at);

        CREATE TABLE inbox (
            message_id TEXT PRIMARY KEY,
            room_id TEXT,
            room_topic TEXT,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            text TEXT NOT NULL,
            mention_ids TEXT NOT NULL DEFAULT '[]',
            media_count INTEGER NOT NULL DEFAULT 0,
            sent_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'new',
            note TEXT,
            processed_at INTEGER
        );
        CREATE INDEX inbox_status ON inbox(status);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            room_id TEXT,
            room_topic TEXT,
            to_id TEXT,
            to_name TEXT,
            text TEXT NOT NULL,
            mentions TEXT NOT NULL DEFAULT '[]',
            cause TEXT,
            created_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            not_before INTEGER NOT NULL DEFAULT 0,
            sent_at INTEGER
        );
        CREATE INDEX outbox_state ON outbox(state, id);

        CREATE TABLE people (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL
        );
        CREATE INDEX people_name ON people(name, last_seen);

        CREATE TABLE rooms (
            id TEXT PRIMARY KEY,
            topic TEXT,
            grid_id TEXT,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL
        );

        CREATE TABLE prompts (
            person_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (person_key, kind)
        );

        CREATE TABLE suspects (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            grid_id TEXT NOT NULL,
            room_id TEXT,
            room_topic TEXT,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            text TEXT NOT NULL,
            intent TEXT NOT NULL,
            confidence REAL NOT NULL,
            message_id TEXT,
            created_at INTEGER NOT NULL,
            ticket_id INTEGER
        );
        CREATE INDEX suspects_grid ON suspects(grid_id, created_at);

        CREATE TABLE praise (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            grid_id TEXT NOT NULL,
            community_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            text TEXT NOT NULL,
            message_id TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX praise_grid_at ON praise(grid_id, at);

        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            message_id TEXT,
            at INTEGER NOT NULL,
            UNIQUE (ticket_id, sha256)
        );

        CREATE TABLE jobs_done (
            key TEXT PRIMARY KEY,
            at INTEGER NOT NULL
        );
        """
    )


def m002_stats_indexes(db: Database) -> None:
    """The 24/7 tally reads one period's accepted / resolved tickets of a few grids."""
    db.executescript(
        """
        CREATE INDEX tickets_grid_accepted ON tickets(grid_id, accepted_at);
        CREATE INDEX tickets_grid_resolved ON tickets(grid_id, resolved_at);
        CREATE INDEX tickets_created ON tickets(created_at);
        CREATE INDEX events_kind_grid_at ON events(kind, grid_id, at);
        """
    )


def m003_flood_indexes(db: Database) -> None:
    """Flood control counts one sender's last minute and one room's last ten minutes."""
    db.executescript(
        """
        CREATE INDEX inbox_sender_sent ON inbox(sender_id, sent_at);
        CREATE INDEX tickets_room_intent_created ON tickets(room_id, intent, created_at);
        """
    )


def m004_message_path_indexes(db: Database) -> None:
    """Every query of one message reads a bounded number of rows, however many tickets,
    messages and suspects pile up: a resident's tickets by reporter, the same need by
    grid, intent and place, a grid's tickets by state, the unfinished inbox and outbox
    rows only, the unregistered suspects by grid, a room by topic; and each person's grid
    (where a private report belongs) on the person, instead of searching their messages."""
    db.executescript(
        """
        CREATE INDEX ticket_reporters_person ON ticket_reporters(person_id, ticket_id);
        CREATE INDEX tickets_same_need ON tickets(grid_id, intent, location_key, created_at);
        DROP INDEX tickets_status;
        CREATE INDEX tickets_status_grid ON tickets(status, grid_id);
        DROP INDEX inbox_status;
        CREATE INDEX inbox_new ON inbox(status) WHERE status = 'new';
        DROP INDEX outbox_state;
        CREATE INDEX outbox_due ON outbox(id) WHERE state IN ('pending', 'sending');
        CREATE INDEX suspects_unregistered ON suspects(grid_id, id) WHERE ticket_id IS NULL;
        CREATE INDEX rooms_topic ON rooms(topic, last_seen);
        ALTER TABLE people ADD COLUMN grid_id TEXT;
        UPDATE people SET grid_id = (
            SELECT r.grid_id FROM inbox i JOIN rooms r ON r.id = i.room_id
            WHERE i.sender_id = people.id AND r.grid_id IS NOT NULL
            ORDER BY i.received_at DESC, i.rowid DESC LIMIT 1
        );
        """
    )


def m005_web(db: Database) -> None:
    """The office's dashboard: one-time sign-in links and sessions (only their hashes)."""
    db.executescript(
        """
        CREATE TABLE web_links (
            token_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER
        );
        CREATE TABLE web_sessions (
            id_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """
    )


def m006_conversation_state(db: Database) -> None:
    """What the bot asked someone and waits for (which ticket? where do you live?); a
    room's latest messages (what a bare 收到 answers) and its latest tickets (what a
    quote-reply quotes); a worker's open tickets (what a bare 修好了 is about)."""
    db.executescript(
        """
        CREATE TABLE questions (
            person_key TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            act TEXT NOT NULL,
            payload TEXT NOT NULL,
            room_id TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX inbox_room_sent ON inbox(room_id, sent_at);
        CREATE INDEX tickets_assignee ON tickets(assignee_name, status, room_id);
        CREATE INDEX tickets_room_created ON tickets(room_id, created_at);
        """
    )


def m007_covering_stats_indexes(db: Database) -> None:
    """A tally reads its rows from the indexes alone, in grid order (no table lookups, no
    sort for grouping): received by grid, intent and time; accepted and resolved by grid
    and time, with what the figures need; events by kind, grid and time with their ticket
    and note (a rating). The same-need search reads the grid-intent-time index."""
    db.executescript(
        """
        DROP INDEX tickets_same_need;
        CREATE INDEX tickets_grid_intent_created
            ON tickets(grid_id, intent, created_at, status, resolved_at);
        DROP INDEX tickets_grid_accepted;
        CREATE INDEX tickets_grid_accepted
            ON tickets(grid_id, accepted_at, created_at, urgent, status);
        DROP INDEX tickets_grid_resolved;
        CREATE INDEX tickets_grid_resolved
            ON tickets(grid_id, resolved_at, created_at, accepted_at, urgent, intent, status);
        DROP INDEX events_kind_grid_at;
        CREATE INDEX events_kind_grid_at ON events(kind, grid_id, at, ticket_id, note);
        """
    )


def m008_bindings(db: Database) -> None:
    """Officials and rooms bound by WeChat id; one-time binding codes (hashes only); each
    reporter's own rating of a ticket they reported or joined."""
    db.executescript(
        """
        CREATE TABLE bound_people (
            name TEXT PRIMARY KEY,
            wechat_id TEXT NOT NULL UNIQUE,
            bound_at INTEGER NOT NULL,
            bound_by TEXT NOT NULL
        );
        CREATE TABLE binding_codes (
            code_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            used_by TEXT
        );
        CREATE TABLE binding_failures (
            sender_id TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX binding_failures_sender ON binding_failures(sender_id, at);
        CREATE TABLE bound_rooms (
            room_id TEXT PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            bound_at INTEGER NOT NULL,
            bound_by TEXT NOT NULL
        );
        CREATE TABLE alerts_sent (
            key TEXT PRIMARY KEY,
            at INTEGER NOT NULL
        );
        ALTER TABLE ticket_reporters ADD COLUMN rating INTEGER;
        """
    )


def m009_timers(db: Database) -> None:
    """Timers read only what is due: each active ticket's next look (`due_at`, indexed; NULL
    when nothing more is to come) and whether its first ping waits for the morning
    (`ping_held`); the notices gathered for each person's one message of a round, and when
    each person was last sent one; the outbox's priority (emergencies first) and its queue
    in that order."""
    db.executescript(
        """
        ALTER TABLE tickets ADD COLUMN due_at INTEGER;
        ALTER TABLE tickets ADD COLUMN ping_held INTEGER NOT NULL DEFAULT 0;
        UPDATE tickets SET due_at = updated_at WHERE status IN ('open', 'accepted', 'resolved');
        CREATE INDEX tickets_due ON tickets(due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX tickets_open_order ON tickets(grid_id, urgent DESC, id, assignee_name)
            WHERE status IN ('open', 'accepted');
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person TEXT NOT NULL,
            ticket_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            at INTEGER NOT NULL,
            note TEXT
        );
        CREATE INDEX notices_person ON notices(person, kind, urgent, id);
        CREATE TABLE notice_times (
            person TEXT PRIMARY KEY,
            last_at INTEGER NOT NULL
        );
        ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
        DROP INDEX outbox_due;
        CREATE INDEX outbox_due ON outbox(priority, id) WHERE state IN ('pending', 'sending');
        """
    )


def m010_unplaced_suspects(db: Database) -> None:
    """A 疑似诉求 may have no grid yet: a private report from someone never seen in a
    grid's group, kept while the bot asks where they live (and for the admins when the
    answer places it nowhere). SQLite cannot drop a NOT NULL: the table is rebuilt."""
    db.executescript(
        """
        CREATE TABLE suspects_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            grid_id TEXT,
            room_id TEXT,
            room_topic TEXT,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            text TEXT NOT NULL,
            intent TEXT NOT NULL,
            confidence REAL NOT NULL,
            message_id TEXT,
            created_at INTEGER NOT NULL,
            ticket_id INTEGER
        );
        INSERT INTO suspects_new (id, grid_id, room_id, room_topic, sender_id, sender_name, text,
            intent, confidence, message_id, created_at, ticket_id)
            SELECT id, grid_id, room_id, room_topic, sender_id, sender_name, text, intent,
            confidence, message_id, created_at, ticket_id FROM suspects;
        DROP TABLE suspects;
        ALTER TABLE suspects_new RENAME TO suspects;
        CREATE INDEX suspects_grid ON suspects(grid_id, created_at);
        CREATE INDEX suspects_unregistered ON suspects(grid_id, id) WHERE ticket_id IS NULL;
        """
    )


def m011_ticket_indexes(db: Database) -> None:
    """The same need at the same place is found by grid, intent, place and time again (in
    a busy grid the grid-intent-time index alone reads the whole day's tickets of that
    intent; 007 dropped it too hastily). Two indexes no query uses go: every index is a
    page more to write at each ticket's commit (by reporter: a resident's tickets are
    found through ticket_reporters; by room and intent: a room's last ten minutes are few
    tickets, read through the room-time index)."""
    db.executescript(
        """
        CREATE INDEX tickets_same_need ON tickets(grid_id, intent, location_key, created_at);
        DROP INDEX tickets_reporter;
        DROP INDEX tickets_room_intent_created;
        """
    )


# When a ticket's current phase began: the dashboard's deadlines count from it
# (handlers.sla.PHASE_KINDS, and `resolved` for the tickets waiting for a rating; a test
# holds the two lists together).
QUEUE_PHASE_KINDS = ("created", "transferred", "returned", "accepted", "reopened", "escalated", "resolved")


def m012_queue_order(db: Database) -> None:
    """The dashboard's queue, a page at a time in deadline order, whatever the backlog:
    each ticket's `phase_at` (kept by a trigger from its events); the tickets somebody
    still has to act on indexed by state, urgency, intent and phase (the deadline is
    phase_at plus the window of that state, urgency and intent), with their grid; and
    how many there are of each state, urgency, intent and grid (`queue_counts`, kept by
    triggers on tickets), so counting does not read the tickets."""
    kinds = ", ".join(f"'{k}'" for k in QUEUE_PHASE_KINDS)
    states = "'open', 'accepted', 'resolved'"
    db.executescript(
        f"""
        ALTER TABLE tickets ADD COLUMN phase_at INTEGER;
        UPDATE tickets SET phase_at = COALESCE((
            SELECT MAX(e.at) FROM events e WHERE e.ticket_id = tickets.id AND e.kind IN ({kinds})
        ), created_at) WHERE status IN ('open', 'accepted', 'resolved');
        CREATE INDEX tickets_queue ON tickets(status, urgent, intent, phase_at, grid_id)
            WHERE status IN ('open', 'accepted', 'resolved');
        CREATE TRIGGER tickets_phase_new AFTER INSERT ON tickets WHEN NEW.phase_at IS NULL
        BEGIN
            UPDATE tickets SET phase_at = NEW.created_at WHERE id = NEW.id;
        END;
        CREATE TRIGGER events_phase AFTER INSERT ON events
            WHEN NEW.ticket_id IS NOT NULL AND NEW.kind IN ({kinds})
        BEGIN
            UPDATE tickets SET phase_at = MAX(COALESCE(phase_at, NEW.at), NEW.at)
            WHERE id = NEW.ticket_id;
        END;
        CREATE TABLE queue_counts (
            status TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            intent TEXT NOT NULL,
            grid_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (status, urgent, intent, grid_id)
        ) WITHOUT ROWID;
        INSERT INTO queue_counts (status, urgent, intent, grid_id, n)
            SELECT status, urgent, intent, grid_id, COUNT(*) FROM tickets
            WHERE status IN ({states}) GROUP BY status, urgent, intent, grid_id;
        CREATE TRIGGER tickets_count_new AFTER INSERT ON tickets WHEN NEW.status IN ({states})
        BEGIN
            INSERT INTO queue_counts (status, urgent, intent, grid_id, n)
                VALUES (NEW.status, NEW.urgent, NEW.intent, NEW.grid_id, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tickets_count_gone AFTER DELETE ON tickets WHEN OLD.status IN ({states})
        BEGIN
            UPDATE queue_counts SET n = n - 1 WHERE status = OLD.status AND urgent = OLD.urgent
                AND intent = OLD.intent AND grid_id = OLD.grid_id;
        END;
        CREATE TRIGGER tickets_count_change AFTER UPDATE OF status, urgent, intent, grid_id ON tickets
        BEGIN
            UPDATE queue_counts SET n = n - 1 WHERE OLD.status IN ({states})
                AND status = OLD.status AND urgent = OLD.urgent AND intent = OLD.intent
                AND grid_id = OLD.grid_id;
            INSERT INTO queue_counts (status, urgent, intent, grid_id, n)
                SELECT NEW.status, NEW.urgent, NEW.intent, NEW.grid_id, 1 WHERE NEW.status IN ({states})
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        """
    )


def m013_conversations(db: Database) -> None:
    """A room read as a conversation: each inbox message keeps what the bot made of it
    (and the quote it answers), a ticket keeps every message joined to it and when each
    reporter was told, and a photo posted before its report waits for the ticket."""
    for statement in (
        "ALTER TABLE inbox ADD COLUMN quote_name TEXT",
        "ALTER TABLE inbox ADD COLUMN quote_text TEXT",
        "ALTER TABLE inbox ADD COLUMN reading TEXT",
        "ALTER TABLE inbox ADD COLUMN ticket_id INTEGER",
        "CREATE INDEX inbox_room_sender ON inbox(room_id, sender_name, sent_at)",
        """CREATE TABLE ticket_reports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            message_id TEXT,
            room_id TEXT,
            sender_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            replied INTEGER NOT NULL DEFAULT 0,
            at INTEGER NOT NULL,
            UNIQUE (ticket_id, message_id)
        )""",
        "CREATE INDEX ticket_reports_ticket ON ticket_reports(ticket_id, at)",
        "CREATE INDEX ticket_reports_room ON ticket_reports(room_id, at)",
        "ALTER TABLE ticket_reporters ADD COLUMN told_at INTEGER",
        """CREATE TABLE loose_media (
            message_id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            at INTEGER NOT NULL
        )""",
    ):
        db.execute(statement)


def m014_room_incidents(db: Database) -> None:
    """The incidents a room speaks of, each with when it last did: what a new message is
    read against, found through an index (not by grouping the room's reports)."""
    db.executescript(
        """
        CREATE TABLE room_incidents (
            room_id TEXT NOT NULL,
            ticket_id INTEGER NOT NULL,
            last_at INTEGER NOT NULL,
            PRIMARY KEY (room_id, ticket_id)
        );
        CREATE INDEX room_incidents_recent ON room_incidents(room_id, last_at);
        INSERT INTO room_incidents (room_id, ticket_id, last_at)
            SELECT room_id, ticket_id, MAX(at) FROM ticket_reports
            WHERE room_id IS NOT NULL GROUP BY room_id, ticket_id;
        """
    )


def m015_deadlines(db: Database) -> None:
    """Each ticket keeps its deadline (when its holder's time runs out, in working time:
    handlers/deadlines.py) and whether a holder's turn ended after it. The queue's index
    orders by the deadline (those waiting for a rating, which have none, by when they were
    resolved); the resolved tickets' index carries the mark, for 按时办结. The config knows
    the working time, SQL does not: the unfinished tickets are made due for the timers, whose
    next round works out their deadlines. Finished ones keep none (按时办结 unknown: not
    counted)."""
    db.executescript(
        """
        ALTER TABLE tickets ADD COLUMN deadline_at INTEGER;
        ALTER TABLE tickets ADD COLUMN missed_deadline INTEGER;
        UPDATE tickets SET due_at = 0 WHERE status IN ('open', 'accepted');
        DROP INDEX tickets_queue;
        CREATE INDEX tickets_queue ON tickets(status, urgent, intent, deadline_at, phase_at, grid_id)
            WHERE status IN ('open', 'accepted', 'resolved');
        DROP INDEX tickets_grid_resolved;
        CREATE INDEX tickets_grid_resolved
            ON tickets(grid_id, resolved_at, created_at, missed_deadline, intent, status);
        """
    )


def m016_corrections(db: Database) -> None:
    """Workers' corrections of the classifier (改 12 安全隐患, 不是诉求 12, 紧急 12, 不急 12,
    登记 of a 疑似): each is a labelled example (the masked text, the right intent and
    urgency) for the next `make model`, remembered for the same text at once, and counted
    in the weekly summary."""
    db.executescript(
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            intent TEXT NOT NULL,
            urgent INTEGER,
            place TEXT,
            was_intent TEXT,
            was_urgent INTEGER,
            ticket_id INTEGER,
            suspect_id INTEGER,
            grid_id TEXT,
            community_id TEXT,
            by_id TEXT NOT NULL,
            by_name TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX corrections_grid_at ON corrections(grid_id, created_at, kind);
        """
    )


def m017_held_messages(db: Database) -> None:
    """Private messages to an official not yet known by WeChat id wait in the outbox
    (state 'held'), found by name when the official is bound."""
    db.execute("CREATE INDEX outbox_held ON outbox(to_name) WHERE state = 'held'")


def m018_questions_by_age(db: Database) -> None:
    """The timers find the questions nobody answered in time (where do you live?) by kind
    and age."""
    db.execute("CREATE INDEX questions_kind_at ON questions(kind, at)")


def m019_dismissed_suspects(db: Database) -> None:
    """A 疑似 an official says is no need is kept (the corrections keep its label) but
    listed no more: when and by whom; the index of those still to look at skips it."""
    db.executescript(
        """
        ALTER TABLE suspects ADD COLUMN dismissed_at INTEGER;
        ALTER TABLE suspects ADD COLUMN dismissed_by TEXT;
        DROP INDEX IF EXISTS suspects_unregistered;
        CREATE INDEX suspects_unregistered ON suspects(grid_id, id)
            WHERE ticket_id IS NULL AND dismissed_at IS NULL;
        """
    )


def m020_incidents_read_flat(db: Database) -> None:
    """What a message is read against costs the same however many have joined an incident:
    a person's last word on a ticket, its messages that @ someone, when it was last answered
    in a room and who of its reporters there was told are found through indexes (a room's
    incidents in the order they are read), and a ticket's subjects are kept (filled by the
    handlers the first time they are asked for, then by each report joined) instead of read
    from all its reports."""
    db.executescript(
        """
        CREATE INDEX ticket_reports_sender ON ticket_reports(ticket_id, sender_id, at);
        CREATE INDEX ticket_reports_mentions ON ticket_reports(ticket_id) WHERE instr(text, '@') > 0;
        CREATE INDEX ticket_reports_answered ON ticket_reports(ticket_id, room_id, at) WHERE replied;
        CREATE INDEX ticket_reporters_told ON ticket_reporters(ticket_id, room_id, told_at);
        DROP INDEX room_incidents_recent;
        CREATE INDEX room_incidents_recent ON room_incidents(room_id, last_at, ticket_id);
        CREATE TABLE ticket_subjects (
            ticket_id INTEGER NOT NULL,
            subject TEXT NOT NULL,
            PRIMARY KEY (ticket_id, subject)
        ) WITHOUT ROWID;
        """
    )


def m021_ticket_rated_at(db: Database) -> None:
    """Each ticket keeps when it was last rated, so the tally finds the tickets rated in a
    period from one index range (with the rating: nothing else read) instead of sorting the
    period's 'rated' events for distinct tickets and reading each ticket. Kept by a trigger
    on the events, as every rating is one; filled from the events already there."""
    db.executescript(
        """
        ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
        UPDATE tickets SET rated_at = (
            SELECT MAX(at) FROM events WHERE events.ticket_id = tickets.id AND kind = 'rated'
        ) WHERE id IN (SELECT ticket_id FROM events WHERE kind = 'rated');
        CREATE INDEX tickets_grid_rated ON tickets(grid_id, rated_at, rating, community_id)
            WHERE rated_at IS NOT NULL;
        CREATE TRIGGER events_rated AFTER INSERT ON events
            WHEN NEW.ticket_id IS NOT NULL AND NEW.kind = 'rated'
        BEGIN
            UPDATE tickets SET rated_at = MAX(COALESCE(rated_at, NEW.at), NEW.at)
            WHERE id = NEW.ticket_id;
        END;
        """
    )


def m022_duration_order(db: Database) -> None:
    """The times from report to accept and to resolution in order, each with what the tally
    filters on: a median and a p90 over most of the file (the city's year) are found by
    skipping to their ranks, not by reading and sorting a million values."""
    db.executescript(
        """
        CREATE INDEX tickets_accepted_seconds
            ON tickets(accepted_at - created_at, accepted_at, grid_id, status, created_at)
            WHERE accepted_at IS NOT NULL;
        CREATE INDEX tickets_resolved_seconds
            ON tickets(resolved_at - created_at, resolved_at, grid_id, status, created_at)
            WHERE resolved_at IS NOT NULL;
        """
    )


def m023_open_room_incidents(db: Database) -> None:
    """A room's incidents still open are read without stepping over those done since (a
    busy day's resolved ones): each row says whether its ticket is open (kept so by a
    trigger on the ticket's state), and an index of the room's open ones only."""
    db.executescript(
        """
        ALTER TABLE room_incidents ADD COLUMN open INTEGER NOT NULL DEFAULT 1;
        UPDATE room_incidents SET open = 0 WHERE ticket_id IN
            (SELECT id FROM tickets WHERE status NOT IN ('open', 'accepted'));
        CREATE INDEX room_incidents_ticket ON room_incidents(ticket_id);
        CREATE INDEX room_incidents_open ON room_incidents(room_id, last_at, ticket_id) WHERE open;
        CREATE TRIGGER tickets_room_open AFTER UPDATE OF status ON tickets
            WHEN (OLD.status IN ('open', 'accepted')) IS NOT (NEW.status IN ('open', 'accepted'))
        BEGIN
            UPDATE room_incidents SET open = NEW.status IN ('open', 'accepted')
            WHERE ticket_id = NEW.id;
        END;
        """
    )


def m024_no_reports_by_room(db: Database) -> None:
    """No query reads a room's reports by time any more (room_incidents does, since 014):
    its index only made every report joined write one more page."""
    db.execute("DROP INDEX ticket_reports_room")


def m025_received_with_accepted(db: Database) -> None:
    """The index of the tickets received by grid, intent and time also holds when each was
    accepted: the dashboard's rates per grid (received, responded to, resolved) read it
    alone instead of every ticket's row. The entry changes when the ticket is accepted,
    as it did already (its state is in it)."""
    db.executescript(
        """
        DROP INDEX tickets_grid_intent_created;
        CREATE INDEX tickets_grid_intent_created
            ON tickets(grid_id, intent, created_at, status, resolved_at, accepted_at);
        """
    )


def m026_ticket_hazard(db: Database) -> None:
    """The kind of hazard a ticket is (a fire lane blocked, flying-wire charging: the rules'
    [[hazard]]), or NULL: a hazard is told at once, answered the same day and goes up on
    its own clock (handlers/severity.py)."""
    db.execute("ALTER TABLE tickets ADD COLUMN hazard TEXT")


MIGRATIONS: tuple[tuple[str, Callable[[Database], None]], ...] = (
    ("001_core", m001_core),
    ("002_stats_indexes", m002_stats_indexes),
    ("003_flood_indexes", m003_flood_indexes),
    ("004_message_path_indexes", m004_message_path_indexes),
    ("005_web", m005_web),
    ("006_conversation_state", m006_conversation_state),
    ("007_covering_stats_indexes", m007_covering_stats_indexes),
    ("008_bindings", m008_bindings),
    ("009_timers", m009_timers),
    ("010_unplaced_suspects", m010_unplaced_suspects),
    ("011_ticket_indexes", m011_ticket_indexes),
    ("012_queue_order", m012_queue_order),
    ("013_conversations", m013_conversations),
    ("014_room_incidents", m014_room_incidents),
    ("015_deadlines", m015_deadlines),
    ("016_corrections", m016_corrections),
    ("017_held_messages", m017_held_messages),
    ("018_questions_by_age", m018_questions_by_age),
    ("019_dismissed_suspects", m019_dismissed_suspects),
    ("020_incidents_read_flat", m020_incidents_read_flat),
    ("021_ticket_rated_at", m021_ticket_rated_at),
    ("022_duration_order", m022_duration_order),
    ("023_open_room_incidents", m023_open_room_incidents),
    ("024_no_reports_by_room", m024_no_reports_by_room),
    ("025_received_with_accepted", m025_received_with_accepted),
    ("026_ticket_hazard", m026_ticket_hazard),
)


def migrate(db: Database) -> list[str]:
    """Apply the migrations not yet applied; return their names.

    Each migration and its record in `_migrations` commit in one transaction, so a crash
    between its statements leaves no trace and the next start applies it whole. A
    migration therefore must not commit by itself: it uses `db.execute` and
    `db.executescript` (run here statement by statement inside the transaction), never
    `with db.conn:` or sqlite-utils' `transform()`.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            step(_InOneTransaction(db))
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", [name]
            )
        except BaseException:
            if db.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        applied.append(name)
    return applied


def sql_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers and quoted ';' kept whole)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                statements.append(current.strip())
            current = ""
    if current.strip(" \t\r\n;"):
        statements.append(current.strip().rstrip(";"))
    return statements


class _InOneTransaction:
    """The database as a migration sees it: `executescript` runs its statements one by one,
    because sqlite3's own executescript commits the open transaction first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def executescript(self, script: str) -> None:
        for statement in sql_statements(script):
            self._db.execute(statement)

    def __getitem__(self, table: str) -> Any:
        return self._db[table]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)
