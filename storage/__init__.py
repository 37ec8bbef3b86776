"""SQLite (the connection, with sqlite-utils' ways where needed: storage/database.py):
the only package that writes SQL."""

from storage.records import (
    Event,
    InboxRow,
    OutboxRow,
    Report,
    Reporter,
    Suspect,
    Ticket,
)
from storage.states import ACTIVE_STATES, DONE_STATES, OPEN_STATES, TicketState
from storage.stats import OfficeWeek, Scope, Spread
from storage.store import Store

__all__ = [
    "ACTIVE_STATES", "DONE_STATES", "OPEN_STATES", "Event", "InboxRow", "OfficeWeek", "OutboxRow",
    "Report", "Reporter", "Scope", "Spread", "Store", "Suspect", "Ticket", "TicketState",
]
