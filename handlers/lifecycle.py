"""The ticket's state changes. Each writes its event (the timeline and the source of all
statistics) and returns the new ticket; none sends anything — callers decide who is told.

open -> accepted -> resolved -> closed; resolved -> accepted when the resident says it is
not fixed; cancelled; escalation is a level on the ticket (0 grid, 1 backup worker,
2 community, 3 street).
"""

from __future__ import annotations

from dataclasses import replace

from handlers import deadlines
from handlers.context import Context
from handlers.identity import official_id
from storage import Ticket, TicketState

LEVEL_GRID, LEVEL_BACKUP, LEVEL_COMMUNITY, LEVEL_STREET = 0, 1, 2, 3


def open_ticket(
    ctx: Context,
    *,
    intent: str,
    urgent: bool,
    grid_id: str,
    room_id: str | None,
    room_topic: str | None,
    reporter_id: str,
    reporter_name: str,
    assignee_name: str,
    assignee_id: str | None,
    location: str | None,
    location_key: str | None,
    text: str,
    masked_text: str,
    source_message_id: str | None,
    actor_name: str | None = None,
    hazard: str | None = None,
) -> Ticket:
    grid = ctx.directory.grid(grid_id)
    assert grid is not None
    if hazard and intent == "dispute":
        intent = "safety"  # a hazard (飞线充电) is a safety matter, however the neighbours quarrel over it
    ticket = ctx.store.tickets.create(
        at=ctx.ts,
        intent=intent,
        status=TicketState.OPEN,
        urgent=int(urgent),
        grid_id=grid_id,
        community_id=grid.community_id,
        room_id=room_id,
        room_topic=room_topic,
        reporter_id=reporter_id,
        reporter_name=reporter_name,
        assignee_name=assignee_name,
        assignee_id=assignee_id,
        location=location,
        location_key=location_key,
        text=text,
        masked_text=masked_text,
        source_message_id=source_message_id,
        deadline_at=deadlines.first(ctx, urgent=urgent, intent=intent),
        hazard=hazard,
        missed_deadline=0,
    )
    ctx.store.tickets.add_reporter(
        ticket.id,
        person_id=reporter_id,
        person_name=reporter_name,
        room_id=room_id,
        room_topic=room_topic,
        message_id=source_message_id,
        at=ctx.ts,
    )
    ctx.store.tickets.add_event(
        ticket, "created", at=ctx.ts, actor_id=reporter_id, actor_name=actor_name or reporter_name,
        note=intent,
    )
    return ticket


def leave(ctx: Context, ticket: Ticket, *, person_id: str, person_name: str) -> bool:
    """A reporter withdraws their own report of a need others reported too: the ticket
    stays for the others."""
    left = ctx.store.tickets.remove_reporter(ticket.id, person_id)
    if left:
        ctx.store.tickets.add_event(ticket, "left", at=ctx.ts, actor_id=person_id, actor_name=person_name)
    return left


def join(
    ctx: Context, ticket: Ticket, *, person_id: str, person_name: str, room_id: str | None,
    room_topic: str | None, message_id: str | None,
) -> bool:
    """Another resident reports the same need: they become a reporter of this ticket."""
    added = ctx.store.tickets.add_reporter(
        ticket.id, person_id=person_id, person_name=person_name, room_id=room_id,
        room_topic=room_topic, message_id=message_id, at=ctx.ts,
    )
    if added:
        ctx.store.tickets.add_event(
            ticket, "joined", at=ctx.ts, actor_id=person_id, actor_name=person_name
        )
    return added


def mark_urgent(ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None) -> Ticket:
    """Danger now in an incident that was not urgent: its clocks run as an urgent one's."""
    if ticket.urgent:
        return ticket
    ctx.store.tickets.add_event(ticket, "urgent", at=ctx.ts, actor_id=actor_id, actor_name=actor_name)
    return _change(ctx, ticket, urgent=True)


def danger_told_at(ctx: Context, ticket: Ticket) -> int:
    """When the officials last heard of the incident's danger: when it was made urgent or
    told again (a pipe that dripped at dawn, urgent at noon, burst in the afternoon), else
    its report."""
    told = ctx.store.tickets.events_of_kinds(ticket, ("urgent",))
    return told[-1].at if told else ticket.created_at


def correct(ctx: Context, ticket: Ticket, **fields: object) -> Ticket:
    """A worker's correction of what the bot read (its intent, its urgency, not a need at
    all): the deadline follows the ticket's new windows (the caller writes the event)."""
    return _change(ctx, ticket, **fields)


def accept(ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None) -> Ticket:
    if ticket.status != TicketState.OPEN:
        return ticket
    ctx.store.tickets.add_event(ticket, "accepted", at=ctx.ts, actor_id=actor_id, actor_name=actor_name)
    return _move(
        ctx, ticket, TicketState.ACCEPTED, accepted_at=ticket.accepted_at or ctx.ts,
        assignee_name=actor_name, assignee_id=actor_id, reminders_sent=0, last_reminder_at=None,
    )


def resolve(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None
) -> Ticket:
    if not ticket.status.is_open:
        return ticket
    if ticket.status == TicketState.OPEN:
        ticket = accept(ctx, ticket, actor_name=actor_name, actor_id=actor_id)
    ctx.store.tickets.add_event(
        ticket, "resolved", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note
    )
    return _move(
        ctx, ticket, TicketState.RESOLVED, resolved_at=ctx.ts, resolution_note=note,
        # the completion notice to the residents asks for the rating
        reminders_sent=0, last_reminder_at=None, rating_asked_at=ctx.ts,
    )


def reopen(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None
) -> Ticket:
    if not ticket.status.is_done:
        return ticket
    ctx.store.tickets.add_event(
        ticket, "reopened", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note
    )
    for reporter in ctx.store.tickets.reporters(ticket.id):  # the next fix is rated afresh
        ctx.store.tickets.rate_as_reporter(ticket.id, reporter.person_id, None)
    return _move(
        ctx, ticket, TicketState.ACCEPTED, resolved_at=None, resolution_note=None,
        reopened_count=ticket.reopened_count + 1, reminders_sent=0, last_reminder_at=None,
        rating_asked_at=None, closed_at=None, rating=None,
    )


def claim_undone(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None
) -> Ticket:
    """Someone not holding it said it was done (the property company's 「已经修好了」), and a
    resident says it is not: reopened as a done would be — the word that it was done no
    longer stops the reminders (handlers/handled.py reads only what was said since), the
    work counts as redone, and its holder has it afresh (told why at once, so the next
    reminder is a reminder's interval away)."""
    if not ticket.status.is_open:
        return ticket
    ctx.store.tickets.add_event(
        ticket, "reopened", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note
    )
    # the holder is told now, with why: that is this turn's first word to them
    return _change(ctx, ticket, reopened_count=ticket.reopened_count + 1, last_reminder_at=ctx.ts)


def rate(
    ctx: Context, ticket: Ticket, *, score: int, actor_name: str, actor_id: str | None
) -> Ticket:
    """Each reporter rates for themselves (a later rating replaces their own); the ticket's
    rating is their mean, and it closes once every reporter has rated (or when the time
    for rating runs out: `close`). A rating given by someone else (entered for a resident)
    rates and closes the ticket as a whole."""
    ctx.store.tickets.add_event(
        ticket, "rated", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=str(score)
    )
    reporters = ctx.store.tickets.reporters(ticket.id)
    rating, everyone = score, True
    if any(r.person_id == actor_id for r in reporters):
        ctx.store.tickets.rate_as_reporter(ticket.id, actor_id, score)
        given = [score if r.person_id == actor_id else r.rating for r in reporters]
        rated = [g for g in given if g is not None]
        rating = round(sum(rated) / len(rated), 1)  # 4 and 5: 4.5
        everyone = len(rated) == len(given)
    if everyone and ticket.status.may_become(TicketState.CLOSED):
        ctx.store.tickets.add_event(ticket, "closed", at=ctx.ts, actor_name="rating")
        return _move(
            ctx, ticket, TicketState.CLOSED, closed_at=ctx.ts, rating=rating
        )
    return ctx.store.tickets.update(ticket.id, at=ctx.ts, rating=rating)


def close(ctx: Context, ticket: Ticket, *, note: str) -> Ticket:
    """Closed without a rating (auto-close after the set hours)."""
    if not ticket.status.may_become(TicketState.CLOSED):
        return ticket
    ctx.store.tickets.add_event(ticket, "closed", at=ctx.ts, actor_name="system", note=note)
    return _move(
        ctx, ticket, TicketState.CLOSED, closed_at=ctx.ts
    )


def cancel(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None
) -> Ticket:
    if not ticket.status.may_become(TicketState.CANCELLED):
        return ticket
    ctx.store.tickets.add_event(
        ticket, "cancelled", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note
    )
    return _move(
        ctx, ticket, TicketState.CANCELLED, closed_at=ctx.ts
    )


def escalate(
    ctx: Context, ticket: Ticket, *, level: int, to_names: list[str], actor_name: str,
    actor_id: str | None, note: str | None,
) -> Ticket:
    """Raise the ticket to `level`, in the hands of `to_names` (the first is the assignee)."""
    ctx.store.tickets.add_event(
        ticket, "escalated", at=ctx.ts, actor_id=actor_id, actor_name=actor_name,
        note=f"L{level} -> {'、'.join(to_names)}" + (f": {note}" if note else ""),
    )
    return _change(
        ctx, ticket, escalation_level=level, escalated_to="、".join(to_names),
        assignee_name=to_names[0], assignee_id=official_id(ctx, to_names[0]),
        reminders_sent=0, last_reminder_at=ctx.ts,
    )


def transfer(
    ctx: Context, ticket: Ticket, *, to_name: str, actor_name: str, actor_id: str | None,
    kind: str = "transferred", note: str | None = None,
) -> Ticket:
    """Hand the ticket to someone else, who must accept it anew."""
    ctx.store.tickets.add_event(
        ticket, kind, at=ctx.ts, actor_id=actor_id, actor_name=actor_name,
        note=f"-> {to_name}" + (f": {note}" if note else ""),
    )
    status = TicketState.OPEN if ticket.status.is_open else ticket.status
    return _move(
        ctx, ticket, status, assignee_name=to_name,
        assignee_id=official_id(ctx, to_name), reminders_sent=0, last_reminder_at=None,
    )


def merge(
    ctx: Context, ticket: Ticket, into: Ticket, *, actor_name: str, actor_id: str | None
) -> Ticket:
    """`ticket` is the same need as `into`: its reporters join `into` (each told there when
    it is done), and it ends as merged, pointing at `into`."""
    if not ticket.status.may_become(TicketState.MERGED) or into.id == ticket.id:
        return ticket
    for r in ctx.store.tickets.reporters(ticket.id):
        join(ctx, into, person_id=r.person_id, person_name=r.person_name, room_id=r.room_id,
             room_topic=r.room_topic, message_id=r.message_id)
    ctx.store.tickets.add_event(
        ticket, "merged", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=f"-> #{into.id}"
    )
    return _move(ctx, ticket, TicketState.MERGED, merged_into=into.id, closed_at=ctx.ts)


def _move(ctx: Context, ticket: Ticket, state: TicketState, **fields: object) -> Ticket:
    """Write the ticket in its new state; a move the states do not allow is a bug."""
    if state != ticket.status and not ticket.status.may_become(state):
        raise ValueError(f"ticket #{ticket.id}: {ticket.status} may not become {state}")
    return _change(ctx, ticket, status=state, **fields)


def _change(ctx: Context, ticket: Ticket, **fields: object) -> Ticket:
    """Write the change (its event written first) with the deadline of the turn the ticket
    is in now, the one timers, dashboard and statistics read."""
    kept = deadlines.fields(ctx, ticket, replace(ticket, **fields))
    return ctx.store.tickets.update(ticket.id, at=ctx.ts, **fields, **kept)


def progress(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None
) -> None:
    """A word on how it is going (已联系物业, 师傅在路上): on the timeline, no state change."""
    ctx.store.tickets.add_event(
        ticket, "progress", at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note
    )
