"""Rows as values: what the handlers read back from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from storage.states import TicketState, state_of


@dataclass(frozen=True)
class Ticket:
    id: int
    intent: str
    status: TicketState
    urgent: bool
    grid_id: str
    community_id: str
    room_id: str | None
    room_topic: str | None
    reporter_id: str | None
    reporter_name: str | None
    assignee_name: str | None
    assignee_id: str | None
    location: str | None
    location_key: str | None
    text: str
    masked_text: str
    source_message_id: str | None
    created_at: int
    accepted_at: int | None
    resolved_at: int | None
    closed_at: int | None
    resolution_note: str | None
    rating: float | None  # the mean of the reporters' own ratings (one decimal)
    escalation_level: int
    escalated_to: str | None
    reminders_sent: int
    last_reminder_at: int | None
    rating_asked_at: int | None
    reopened_count: int
    merged_into: int | None
    updated_at: int
    due_at: int | None = None  # when the timers next look at it (any change: at once)
    ping_held: bool = False  # its first ping waits for the end of the quiet hours
    deadline_at: int | None = None  # when the holder's time runs out (handlers/deadlines.py)
    missed_deadline: bool | None = None  # a holder's turn ended late (None: from before it was kept)
    hazard: str | None = None  # a hazard's kind (intents' [[hazard]]): told at once, answered today

    @classmethod
    def from_row(cls, row: dict) -> Ticket:
        values = {name: row[name] for name in cls.__dataclass_fields__}
        values["urgent"] = bool(values["urgent"])
        values["ping_held"] = bool(values["ping_held"])
        if values["missed_deadline"] is not None:
            values["missed_deadline"] = bool(values["missed_deadline"])
        values["status"] = TicketState(values["status"])
        return cls(**values)

    @classmethod
    def from_values(cls, row: Sequence) -> Ticket:
        """A row selected with `columns(Ticket)`, in that order."""
        values = list(row)
        values[2] = state_of(values[2])
        values[3] = bool(values[3])
        values[32] = bool(values[32])
        if values[34] is not None:
            values[34] = bool(values[34])
        return _built(cls, _TICKET_FIELDS, values)


@dataclass(frozen=True)
class Reporter:
    ticket_id: int
    person_id: str
    person_name: str
    room_id: str | None
    room_topic: str | None
    message_id: str | None
    joined_at: int
    rating: int | None = None  # this reporter's own rating of the ticket
    told_at: int | None = None  # when the bot last told them of this ticket in the chat


@dataclass(frozen=True)
class Event:
    id: int
    ticket_id: int | None
    kind: str
    actor_id: str | None
    actor_name: str | None
    at: int
    note: str | None
    grid_id: str | None
    community_id: str | None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    room_id: str | None
    room_topic: str | None
    to_id: str | None
    to_name: str | None
    text: str
    mentions: str  # JSON list of [name, id-or-null]
    cause: str | None
    created_at: int
    state: str
    attempts: int
    last_error: str | None
    not_before: int
    sent_at: int | None
    priority: int = 1  # 0 emergencies, 1 replies to people, 2 digests and summaries


@dataclass(frozen=True)
class Notice:
    """One line of a person's next message from the timers: a ticket and why they hear of it."""

    id: int
    person: str
    ticket_id: int
    kind: str  # new | remind | escalate | daily
    urgent: bool
    at: int
    note: str | None


@dataclass(frozen=True)
class InboxRow:
    message_id: str
    room_id: str | None
    room_topic: str | None
    sender_id: str
    sender_name: str
    text: str
    mention_ids: str
    media_count: int
    sent_at: int
    received_at: int
    status: str
    note: str | None
    processed_at: int | None
    quote_name: str | None = None
    quote_text: str | None = None
    reading: str | None = None  # what the bot made of it (handlers/conversation.py)
    ticket_id: int | None = None  # the ticket it was joined to, if any


@dataclass(frozen=True)
class Question:
    """What the bot asked a person and waits for an answer to."""

    person_key: str
    kind: str  # "which" (which ticket?) | "where" (where do you live?)
    act: str  # what to do once answered
    payload: dict  # what the act needs (candidate tickets, the note, the report...)
    room_id: str | None
    at: int


@dataclass(frozen=True)
class Suspect:
    id: int
    grid_id: str | None  # None: not placed yet (a private report, asked where they live)
    room_id: str | None
    room_topic: str | None
    sender_id: str
    sender_name: str
    text: str
    intent: str
    confidence: float
    message_id: str | None
    created_at: int
    ticket_id: int | None
    dismissed_at: int | None = None  # an official said it is no need: listed no more
    dismissed_by: str | None = None


@dataclass(frozen=True)
class Report:
    """A resident's message joined to a ticket: the report itself, an echo, a detail, a
    follow-up, a comment. `replied`: the bot answered it in the chat."""

    id: int
    ticket_id: int
    message_id: str | None
    room_id: str | None
    sender_id: str
    sender_name: str
    text: str
    kind: str
    replied: bool
    at: int


_TICKET_FIELDS = tuple(f.name for f in fields(Ticket))
_INBOX_FIELDS = tuple(f.name for f in fields(InboxRow))


def _built(record: type, names: tuple[str, ...], values: Sequence) -> Any:
    """A frozen record from all its values in field order, without its generated
    `__init__` (which sets each of 35 fields through `object.__setattr__`): the rows read
    for every message cost a third as much."""
    built = object.__new__(record)
    built.__dict__.update(zip(names, values, strict=True))
    return built


def inbox_row(row: Sequence) -> InboxRow:
    """A row selected with `columns(InboxRow)`, in that order."""
    return _built(InboxRow, _INBOX_FIELDS, row)


def changed(record: Any, **values: Any) -> Any:
    """`dataclasses.replace` for these records, without the generated `__init__` (as
    `_built`): a sender's kept row is changed this way for most messages."""
    built = object.__new__(type(record))
    built.__dict__.update(record.__dict__)
    built.__dict__.update(values)
    return built


def columns(record: type, prefix: str = "") -> str:
    """The SQL column list of a record's fields, in field order: `SELECT {columns(Ticket)}`
    rows build the record positionally (no dict per row)."""
    return ", ".join(prefix + f.name for f in fields(record))
