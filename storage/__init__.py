"""SQLite through sqlite-utils: the only package that writes SQL."""

from storage.records import (
    Event,
    InboxRow,
    OutboxRow,
    Reporter,
    Suspect,
    Ticket,
)
from storage.states import ACTIVE_STATES, DONE_STATES, OPEN_STATES, TicketState
from storage.store import Store

__all__ = [
    "ACTIVE_STATES", "DONE_STATES", "OPEN_STATES", "Event", "InboxRow", "OutboxRow", "Reporter",
    "Store", "Suspect", "Ticket", "TicketState",
]
