"""A database with a city's worth of history piled up: tickets open and closed, their
reporters and timelines, messages, suspects, sent replies, people and rooms.

What the message path must not notice: the query-plan test and the scale benchmark run
the same messages on an empty database and on one of these, and compare.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from storage import Store

INTENTS = ("repair", "errand", "dispute", "safety", "sanitation", "wish", "inquiry")
PLACES = tuple(f"{n}号楼" for n in range(1, 40)) + ("北门", "南门", "车棚", "广场", None)
YEAR = 365 * 86400


def pile_up(
    store: Store, *, grids: Sequence[tuple[str, str, str]], now: int, open_tickets: int,
    closed_tickets: int, seed: int = 5,
) -> None:
    """`grids`: (grid id, community id, room topic) to spread the history over. Open
    tickets are of the last month but not the last two days (no new report joins one as
    the same need), closed ones of the last year; nobody in them is a person the caller
    uses (residents are `pile-r<n>`). Their tickets have negative numbers, so the
    caller's own tickets are numbered from 1 as on an empty database (接单 3 means the
    same ticket on both)."""
    rng = random.Random(seed)
    tickets, reporters, events, inbox, suspects, outbox, people = [], [], [], [], [], [], {}
    total = open_tickets + closed_tickets
    for n in range(1, total + 1):
        i = -n
        grid_id, community_id, topic = rng.choice(grids)
        is_open = n <= open_tickets
        created = now - rng.randrange(2 * 86400, 30 * 86400 if is_open else YEAR)
        status = rng.choice(("open", "accepted")) if is_open else rng.choice(
            ("closed", "closed", "closed", "cancelled", "merged", "resolved")
        )
        accepted = created + 900 if status != "open" else None
        resolved = created + 20000 if status in ("resolved", "closed") else None
        closed = created + 90000 if status in ("closed", "cancelled") else None
        person = f"pile-r{rng.randrange(max(1, total // 3))}"
        people[person] = (person, f"居民{person[6:]}", created, grid_id)
        place = rng.choice(PLACES)
        message_id = f"pile-m{n}"
        tickets.append((
            i, rng.choice(INTENTS), status, int(rng.random() < 0.05), grid_id, community_id,
            f"room-{topic}", topic, person, people[person][1], "工作人员", place,
            place, "楼道灯不亮好几天了", "楼道灯不亮好几天了", message_id, created, accepted,
            resolved, closed, created,
        ))
        reporters.append((i, person, people[person][1], f"room-{topic}", topic, message_id, created))
        events.append((i, "created", created, grid_id, community_id))
        if accepted:
            events.append((i, "accepted", accepted, grid_id, community_id))
        if resolved:
            events.append((i, "resolved", resolved, grid_id, community_id))
        if closed:
            events.append((i, "closed", closed, grid_id, community_id))
        for k in range(3):  # the message, and two of chatter
            inbox.append((
                message_id if k == 0 else f"{message_id}-{k}", f"room-{topic}", topic, person,
                people[person][1], "楼道灯不亮好几天了" if k == 0 else "大家好", created + k,
                created + k, "done", created + k,
            ))
        if rng.random() < 0.3:
            suspects.append((grid_id, f"room-{topic}", topic, person, people[person][1], "灯",
                             "repair", 0.3, f"{message_id}-1", created + 1))
        outbox.append((f"room-{topic}", topic, "工单已收到", "sent", created, created + 2))
    db = store.db
    with store.transaction():
        db.conn.executemany(
            "INSERT INTO tickets (id, intent, status, urgent, grid_id, community_id, room_id, "
            "room_topic, reporter_id, reporter_name, assignee_name, location, location_key, "
            "text, masked_text, source_message_id, created_at, accepted_at, resolved_at, "
            "closed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?)",
            tickets,
        )
        db.conn.executemany(
            "INSERT INTO ticket_reporters (ticket_id, person_id, person_name, room_id, "
            "room_topic, message_id, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            reporters,
        )
        db.conn.executemany(
            "INSERT INTO events (ticket_id, kind, at, grid_id, community_id) "
            "VALUES (?, ?, ?, ?, ?)",
            events,
        )
        db.conn.executemany(
            "INSERT INTO inbox (message_id, room_id, room_topic, sender_id, sender_name, text, "
            "sent_at, received_at, status, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            inbox,
        )
        db.conn.executemany(
            "INSERT INTO suspects (grid_id, room_id, room_topic, sender_id, sender_name, text, "
            "intent, confidence, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            suspects,
        )
        db.conn.executemany(
            "INSERT INTO outbox (room_id, room_topic, text, state, created_at, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            outbox,
        )
        db.conn.executemany(
            "INSERT INTO people (id, name, first_seen, last_seen, grid_id) VALUES (?, ?, ?, ?, ?)",
            [(pid, name, at, at, grid) for pid, name, at, grid in people.values()],
        )
