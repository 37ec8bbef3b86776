"""An alarm that was nothing: one stand-down line to everyone it alerted, its clocks stopped.

A smell of smoke turns out, minutes later, to be a street stall, someone's cooking or a
neighbour burning leaves; a worker closes an urgent ticket as 不是诉求. Whoever the alarm
reached — the group that was told to get out, the workers who got 【紧急】, the staff and
the street's admins it went up to — hears once that it was nothing, and nothing more is
sent about it (no 「直接打 119」, no step up the ladder): the ticket is cancelled.

Only a danger that neighbours can see the cause of (a smell of smoke, something burning)
is explained, only while no official has taken it, and only on a plain explanation: a
guess or a question (「是不是烧烤的？」) explains nothing, and a message that itself says
danger now is a new alarm, not an explanation.

Who explains matters. A neighbour's word (「甭慌 施工队烧沥青呢」) is a good reason, not a
check: it calms the alarm — no step up to the community, nothing in the group — and asks
everyone it woke privately to look and confirm (「麻烦看一眼确认」); it closes nothing, and
nobody is told not to go. Only its reporter (who saw the smoke) or an official (不是诉求)
stands it down: then the group hears the all-clear. The next time a neighbour guesses
wrong about smoke, two workers have not been told to stay home.
"""

from __future__ import annotations

from handlers import hearing, joining, lifecycle, notify, sla
from handlers.context import Context
from handlers.hearing import Heard
from handlers.messages import URGENT, IncomingMessage, Outgoing
from handlers.texts import STAND_DOWN as TEXTS
from storage import Ticket, TicketState

WINDOW = 30 * 60  # a neighbour's explanation this soon after the alarm stands it down
EXPLAINED = ("fire",)  # dangers whose harmless cause a neighbour can see and say
STOOD_DOWN = "stood_down"  # the event kept on the ticket
CALMED = sla.CALMED  # a neighbour's explanation: the officials asked to confirm it


def explained(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The room's alarm, raised moments ago and not yet taken, that this resident's message
    explains as harmless (the stall, the cooking, 「没着火 虚惊一场」)."""
    if msg.room_id is None or heard.c.urgent or not hearing.tells_harmless(heard.text):
        return None
    at = int(msg.time.timestamp())
    for ticket, _ in ctx.store.conversation.active_in_room(
        msg.room_id, states=(TicketState.OPEN,), since=at - WINDOW, limit=1
    ):
        if ticket.urgent and at - ticket.created_at <= WINDOW and _danger(ctx, ticket) in EXPLAINED:
            return ticket
    return None


def by_residents(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """A resident's explanation: its reporter's stands the alarm down in their words; a
    neighbour's calms it and asks those it woke to confirm (once: a second neighbour's word
    is kept on the ticket)."""
    gist = joining.short(" ".join(msg.text.split()), 24)
    joining.add_report(ctx, msg, ticket, "remark")
    if msg.sender_id != ticket.reporter_id:
        if ctx.store.tickets.events_of_kinds(ticket, (CALMED,)):
            return []
        return calm(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, gist=gist)
    return stand_down(
        ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note=gist,
        room=TEXTS["room"].format(id=ticket.id, who=msg.sender_name, gist=gist),
        person=TEXTS["person"].format(id=ticket.id, who=msg.sender_name, gist=gist),
    )


def by_official(ctx: Context, ticket: Ticket, name: str) -> list[Outgoing]:
    """An urgent ticket an official closed as no need (不是诉求): everyone else it alerted
    hears so once. Nothing for a ticket that alerted nobody but its worker."""
    return stand_down(
        ctx, ticket, actor_name=name, actor_id=None, note=None, cancel=False, besides=name,
        room=TEXTS["room_closed"].format(id=ticket.id, who=name),
        person=TEXTS["person_closed"].format(id=ticket.id, who=name),
    )


def calm(ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, gist: str) -> list[Outgoing]:
    """A neighbour's explanation: the ladder stops (no step up to the community on a matter
    a neighbour explained) and each one the alarm woke is asked, privately, to confirm it.
    The ticket stays open for their word; the group hears nothing yet."""
    told = sorted(n for n in sla.told_of(ctx, ticket) if n)
    ctx.store.tickets.add_event(ticket, CALMED, at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=gist)
    for name in told:  # what still waits to be sent about it (a step up) goes no more
        for kind in sla.KINDS:
            ctx.store.notices.remove(name, ticket.id, kind)
    ctx.store.tickets.schedule(ticket.id, None)
    grid = ctx.directory.grid(ticket.grid_id)
    workers = [n for n in told if grid is not None and n in grid.workers]  # who goes and looks
    person = TEXTS["confirm"].format(id=ticket.id, who=actor_name, gist=gist)
    # the rest it woke (the staff, a group) hear who is looking, not that they must
    rest = TEXTS["confirming"].format(id=ticket.id, who=actor_name, gist=gist, workers="、".join(workers))
    if not workers:
        workers, rest = [n for n in told if not n.startswith(sla.GROUP)], person
    groups = [n for n in told if n.startswith(sla.GROUP)]
    out = notify.privately(ctx, workers, person, priority=URGENT)
    out += notify.privately(ctx, [n for n in told if n not in groups and n not in workers], rest, priority=URGENT)
    for group in groups:
        out += notify.admin_room(ctx, group[len(sla.GROUP):], rest)
    return out


def stand_down(
    ctx: Context, ticket: Ticket, *, actor_name: str, actor_id: str | None, note: str | None,
    room: str, person: str, cancel: bool = True, besides: str = "",
) -> list[Outgoing]:
    alarmed_room = ticket.room_id is not None and bool(
        ctx.store.tickets.events_of_kinds(ticket, ("danger", "nobody_answered"))
    )
    told = sorted(n for n in sla.told_of(ctx, ticket) if n and n != besides)
    ctx.store.tickets.add_event(ticket, STOOD_DOWN, at=ctx.ts, actor_id=actor_id, actor_name=actor_name, note=note)
    if cancel and ticket.status.may_become(TicketState.CANCELLED):
        lifecycle.correct(ctx, ticket, status=TicketState.CANCELLED, closed_at=ctx.ts)
    for name in told:  # what still waits to be sent about it (a step up) goes no more
        for kind in sla.KINDS:
            ctx.store.notices.remove(name, ticket.id, kind)
    out: list[Outgoing] = []
    if alarmed_room:
        out.append(Outgoing(text=room, room_id=ticket.room_id, room_topic=ticket.room_topic, priority=URGENT))
    groups = [n for n in told if n.startswith(sla.GROUP)]
    out += notify.privately(ctx, [n for n in told if n not in groups], person, priority=URGENT)
    for group in groups:
        out += notify.admin_room(ctx, group[len(sla.GROUP):], person)
    return out


def _danger(ctx: Context, ticket: Ticket) -> str | None:
    """The kind of danger its alarm spoke of (handlers/report.alarm keeps it)."""
    alarm = next((e for e in ctx.store.tickets.events_of_kinds(ticket, ("danger",)) if e.note), None)
    return (alarm.note or "").partition(" ")[0] if alarm else None
