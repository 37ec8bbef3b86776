"""SQLite through sqlite-utils: the only package that writes SQL."""

import sys

# sqlite-utils imports numpy whenever it is installed (scikit-learn brings it, to build
# the classifier's model), only to store numpy values, which the bot never has: a tenth
# of the bot's start-up. It is kept from doing so; numpy stays importable afterwards.
if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]

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
