"""When the holder of a ticket runs out of time: the one answer that the timers, the
dashboard, Open311 and the statistics share.

A deadline counts the ticket's working time from the start of its holder's turn (the
accept window from the latest hand-over, the resolve window from the latest acceptance):
office hours and office days for a non-urgent ticket (holidays off, 调休 on), every hour
for an intent on the `daytime` clock, every minute for an urgent one. An escalation by the
timers does not move it (the ticket is overdue all the same).

It is worked out when a turn begins (or the ticket becomes urgent) and kept on the ticket
(`deadline_at`): the queue reads it from an index, and everyone sees the same moment. A
change of the config counts for the turns that begin after it. A turn that ends after its
deadline marks the ticket (`missed_deadline`): 按时办结 in the statistics are the resolved
tickets never marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.context import Context
from handlers.office_hours import (
    ALWAYS,
    Clock,
    office_days_of,
    office_hours_of,
    waking_hours_of,
    waking_office_days_of,
)
from storage import Ticket, TicketState

SYSTEM = "网格小助手"  # the actor of the timers' own events

# When the holder's time began: an open ticket's latest hand-over (an escalation counts
# when a person made it), an accepted ticket's latest acceptance or reopening.
OPEN_PHASE = ("created", "transferred", "returned")
# ... and, for the accept window only, when its holder was told of it: its held ping let
# go in the morning, its becoming urgent (the urgent window runs from then). Not a phase
# of the dashboard's queue (its deadline is the ticket's deadline_at).
TOLD = ("pinged", "urgent")
ACCEPTED_PHASE = ("accepted", "reopened")
PHASE_KINDS = (*OPEN_PHASE, *ACCEPTED_PHASE, "escalated")  # all of them (the dashboard)


@dataclass(frozen=True)
class Clocks:
    """The clocks of one ticket: what its windows count, and when anyone may be told."""

    minutes: Clock  # accept windows and reminder intervals
    days: Clock  # resolve windows (hours)
    told: Clock  # when someone may be told of it


URGENT_CLOCKS = Clocks(ALWAYS, ALWAYS, ALWAYS)


def clocks(ctx: Context, ticket: Ticket) -> Clocks:
    return clocks_of(ctx, urgent=ticket.urgent, intent=ticket.intent)


def clocks_of(ctx: Context, *, urgent: bool, intent: str) -> Clocks:
    if urgent:
        return URGENT_CLOCKS
    if ctx.settings.sla.clock_for(intent) == "daytime":
        return Clocks(ALWAYS, ALWAYS, waking(ctx))
    office = Clock(office_hours_of(ctx.settings.office_hours), ctx.tz)
    return Clocks(office, Clock(office_days_of(ctx.settings.office_hours), ctx.tz), office)


def waking(ctx: Context) -> Clock:
    return Clock(waking_hours_of(ctx.settings.quiet_hours), ctx.tz)


def ping_clock(ctx: Context, intent: str, hazard: bool = False) -> Clock:
    """When an official may hear of a non-urgent ticket: outside quiet hours, and on
    office days unless the intent runs on the daytime clock or it is a hazard (told the
    same day, handlers/severity.py; its reminders and steps up keep office hours)."""
    if hazard or ctx.settings.sla.clock_for(intent) == "daytime":
        return waking(ctx)
    spans = waking_office_days_of(ctx.settings.quiet_hours, ctx.settings.office_hours)
    return Clock(spans, ctx.tz)


def deadline(ctx: Context, ticket: Ticket) -> int | None:
    """When the holder's time runs out: the one kept on the ticket (worked out afresh for
    a ticket from before deadlines were kept); None when nobody has to act."""
    if not ticket.status.is_open:
        return None
    return ticket.deadline_at if ticket.deadline_at is not None else work_out(ctx, ticket)


def work_out(ctx: Context, ticket: Ticket, c: Clocks | None = None) -> int | None:
    """The deadline of the holder's turn from its start (the ticket's events), in the
    ticket's working time."""
    c = c or clocks(ctx, ticket)
    sla = ctx.settings.sla
    if ticket.status == TicketState.OPEN:
        began = ctx.store.tickets.phase_at(
            ticket.id, OPEN_PHASE, by_people=("escalated",), system=SYSTEM
        ) or ticket.created_at
        began = max(began, ctx.store.tickets.phase_at(ticket.id, TOLD) or began)
        minutes = sla.accept_minutes_for(ticket.intent, urgent=ticket.urgent)
        return c.minutes.add(began, minutes * 60)
    if ticket.status == TicketState.ACCEPTED:
        began = ctx.store.tickets.phase_at(ticket.id, ACCEPTED_PHASE) or ticket.accepted_at or ticket.created_at
        return c.days.add(began, int(sla.resolve_hours_for(ticket.intent) * 3600))
    return None


def first(ctx: Context, *, urgent: bool, intent: str) -> int:
    """The deadline of a ticket opened now: its accept window from now."""
    sla = ctx.settings.sla
    minutes = sla.accept_minutes_for(intent, urgent=urgent)
    return clocks_of(ctx, urgent=urgent, intent=intent).minutes.add(ctx.ts, minutes * 60)


def fields(ctx: Context, before: Ticket, after: Ticket) -> dict[str, object]:
    """What a change of the ticket (`before` -> `after`, its event written) keeps of its
    deadline: the deadline of the turn it is in now, and whether a turn ran out of time
    (the one that was under way, if its deadline passed before this change)."""
    due = deadline(ctx, before)
    late = due is not None and due < ctx.ts
    return {
        "deadline_at": work_out(ctx, after),
        "missed_deadline": int(bool(before.missed_deadline) or late),
    }

