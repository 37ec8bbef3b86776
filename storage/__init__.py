"""SQLite through sqlite-utils: the only package that writes SQL."""

from storage.records import (
    ACTIVE_STATES,
    OPEN_STATES,
    Event,
    InboxRow,
    OutboxRow,
    Reporter,
    Suspect,
    Ticket,
)
from storage.store import Store

__all__ = [
    "ACTIVE_STATES", "OPEN_STATES", "Event", "InboxRow", "OutboxRow", "Reporter", "Store",
    "Suspect", "Ticket",
]
