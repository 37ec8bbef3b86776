"""How often an official's phone rings for what can wait: once per fold window.

A grid worker acts on a list as well as on a ping, and a phone that buzzes every quarter of
an hour is a phone she stops reading. So what can wait (a new ticket that is not urgent, not
a hazard, not an errand of someone who cannot wait; a resident's word on such a ticket) goes
to her at once only when she heard nothing that could wait for the last `reminder_minutes`
(the first of a quiet spell); otherwise it is kept and the timers send everything kept, in
one message, when that window is over. Emergencies and hazards never wait here.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.deadlines import ping_clock
from storage import Ticket

PINGED = "pinged:"  # the notice times' key of when an official was last sent what could wait
WORD = "word"  # the notices' kind of a resident's word on a ticket, kept for the next message


def window(ctx: Context) -> int:
    """The fold window in seconds: the reminder interval (one message per person at most
    this often, the emergencies aside)."""
    return max(1, ctx.settings.sla.reminder_minutes) * 60


def held_until(ctx: Context, name: str, intent: str) -> int | None:
    """When the next thing that can wait (of a ticket of this intent) may reach this
    official: None when now (nothing that could wait was sent them within the window, or
    the window ends when they may not be told — quiet hours, a day off — so it goes before),
    else the end of the window."""
    last = ctx.store.notices.last_sent(PINGED + name)
    if last is None or ctx.ts - last >= window(ctx):
        return None
    until = last + window(ctx)
    return until if ping_clock(ctx, intent).contains(until) else None


def spoke(ctx: Context, name: str) -> None:
    """Something that could wait went to this official now: the window begins."""
    ctx.store.notices.mark_sent(PINGED + name, ctx.ts)


def can_wait(ticket: Ticket) -> bool:
    """A word on this ticket may be folded: not urgent and not a hazard (told at once)."""
    return not ticket.urgent and not ticket.hazard
