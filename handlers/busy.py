"""A worker tied up in an emergency: who has their new tickets meanwhile.

A worker who took an urgent ticket (a fall, a gas leak) and has not finished it is at the
door, in the ambulance, at the hospital: the bot knows it from the ticket, not from what
they say. For at most `HOURS` after they took it, and until they act on any other ticket
(taking, closing, handing on: they are back), a new non-urgent ticket of their grid goes to
a backup worker of the grid who is not tied up too, and the ladder's reminders of their
open tickets go up to that backup at once instead of ringing them. Urgent alarms still go
to everyone. With no free backup, nothing changes. Only in office hours: what comes in
the evening waits for the morning anyway, when the worker is back.
Read only by handlers/holding.py (who holds a grid now, and why).
"""

from __future__ import annotations

from handlers.context import Context
from handlers.directory import Grid
from handlers.office_hours import Clock, office_hours_of
from storage import TicketState

HOURS = 6  # an emergency holds its worker this long at most (half a working day)
RAISED_BEFORE = 6  # ... taken at most this long after it was raised
# What says a worker is back at work on other things (handlers/handled.py's acts).
BACK_KINDS = ("accepted", "resolved", "transferred", "returned", "closed")


def tied_up(ctx: Context, name: str, grid_id: str) -> bool:
    """`name` took an urgent ticket of this grid in the last `HOURS`, it is not done, and
    they have acted on no other ticket since."""
    if not Clock(office_hours_of(ctx.settings.office_hours), ctx.tz).contains(ctx.ts):
        return False
    since = ctx.ts - HOURS * 3600
    raised = ctx.store.tickets.urgent_raised(grid_id, since=since - RAISED_BEFORE * 3600)
    for ticket in ctx.store.tickets.by_ids(raised).values():
        took = ticket.accepted_at or 0
        if not ticket.urgent or ticket.status != TicketState.ACCEPTED or ticket.assignee_name != name:
            continue
        if took < since:
            continue
        if ctx.store.tickets.last_act_of([name], BACK_KINDS, since=took + 1, other_than=ticket.id) is None:
            return True
    return False


def stand_in(ctx: Context, grid: Grid, name: str) -> str | None:
    """The grid's first other worker who is not tied up too, when `name` is; else None."""
    if not tied_up(ctx, name, grid.id):
        return None
    return next((w for w in grid.workers if w != name and not tied_up(ctx, w, grid.id)), None)

