"""The sweep: the bot keeps the 24/7 promise when people forget.

Called every minute with `now` (and by tests with any `now`). Deadlines are not kept in
memory: each is computed from the ticket row (its reminders_sent, last_reminder_at,
escalation_level, rating_asked_at) and the time of its latest hand-over event, and every
action updates those columns in the caller's transaction. So calling twice with the same
`now` sends nothing the second time, a restart carries on where it was, and a bot that
was down for hours catches up with one message per ticket, escalating as far as is due.

Chain, for a ticket not accepted in time (open) or not resolved in time (accepted):
reminders to the holder every `reminder_minutes`; after `reminders_before_escalation`
of them, the backup workers of the grid (level 1), then the community staff (level 2,
the residents are told). A resolved ticket not rated is asked once more, then closed
after `autoclose_hours`.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers import lifecycle, notify
from handlers.context import Context
from handlers.messages import Outgoing
from handlers.stats import human_minutes
from handlers.texts import SLA as T
from intents.model import INTENT_NAMES_ZH
from storage import Ticket, TicketState

SYSTEM = "网格小助手"

# Events after which the current holder's clock starts afresh.
PHASE_KINDS = ("created", "accepted", "reopened", "transferred", "returned", "escalated")
MAX_CATCH_UP_STEPS = 50


@dataclass(frozen=True)
class Step:
    kind: str  # "remind" | "escalate"
    level: int
    names: tuple[str, ...]


def sweep(ctx: Context) -> list[Outgoing]:
    """Everything due at ctx.now; the caller commits it together with the messages."""
    out: list[Outgoing] = []
    for ticket, phase_at in ctx.store.stats.active_with_phase(PHASE_KINDS):
        if ticket.status.is_open:
            out += _chase(ctx, ticket, phase_at)
        elif ticket.status == TicketState.RESOLVED:
            out += _after_resolved(ctx, ticket)
    return out


# --- the chain ---------------------------------------------------------------------------


def _window_seconds(ctx: Context, ticket: Ticket) -> int:
    sla = ctx.settings.sla
    if ticket.status == TicketState.OPEN:
        return (sla.accept_minutes_urgent if ticket.urgent else sla.accept_minutes) * 60
    return int(sla.resolve_hours_for(ticket.intent) * 3600)


def _holders(ticket: Ticket) -> list[str]:
    """Who has the ticket now: the names it was escalated to until one of them accepts."""
    if ticket.status == TicketState.OPEN and ticket.escalation_level > 0 and ticket.escalated_to:
        return ticket.escalated_to.split("、")
    return [ticket.assignee_name] if ticket.assignee_name else []


def _next_level(ctx: Context, ticket: Ticket, level: int, holders: list[str]) -> Step | None:
    grid = ctx.directory.grid(ticket.grid_id)
    if level < lifecycle.LEVEL_BACKUP and grid is not None:
        backups = tuple(w for w in grid.workers[1:] if w not in holders)
        if backups:
            return Step("escalate", lifecycle.LEVEL_BACKUP, backups)
    if level < lifecycle.LEVEL_COMMUNITY:
        community = ctx.directory.community(ticket.community_id)
        if community is not None and community.staff:
            return Step("escalate", lifecycle.LEVEL_COMMUNITY, community.staff)
    return None  # the top of the chain: nothing more to do by itself


def _effective_level(ctx: Context, ticket: Ticket, holders: list[str]) -> int:
    """A ticket handed to community staff (退回, 转社区) is at the community already."""
    community = ctx.directory.community(ticket.community_id)
    if holders and community is not None and all(h in community.staff for h in holders):
        return max(ticket.escalation_level, lifecycle.LEVEL_COMMUNITY)
    return ticket.escalation_level


def due_steps(ctx: Context, ticket: Ticket, phase_at: int) -> list[Step]:
    """The steps whose time has come, in order, as if the sweep had run every minute."""
    sla = ctx.settings.sla
    every = max(1, sla.reminder_minutes) * 60
    if ticket.reminders_sent == 0 and ticket.last_reminder_at is None:
        due = phase_at + _window_seconds(ctx, ticket)
    else:
        due = (ticket.last_reminder_at or phase_at) + every
    holders = _holders(ticket)
    level, sent = _effective_level(ctx, ticket, holders), ticket.reminders_sent
    steps: list[Step] = []
    while due <= ctx.ts and len(steps) < MAX_CATCH_UP_STEPS:
        if sent < sla.reminders_before_escalation:
            sent += 1
            steps.append(Step("remind", level, tuple(holders)))
        else:
            step = _next_level(ctx, ticket, level, holders)
            if step is None:
                break
            level, sent, holders = step.level, 0, list(step.names)
            steps.append(step)
        due += every
    return steps


def _chase(ctx: Context, ticket: Ticket, phase_at: int) -> list[Outgoing]:
    steps = due_steps(ctx, ticket, phase_at)
    if not steps:
        return []
    escalations = [s for s in steps if s.kind == "escalate"]
    why = _why(ctx, ticket, phase_at)
    for step in escalations:
        ticket = lifecycle.escalate(
            ctx, ticket, level=step.level, to_names=list(step.names), actor_name=SYSTEM,
            actor_id=None, note=why,
        )
    # Reminders due after an escalation in the same (late) sweep are not counted: the
    # escalation message is the ping, and the new holder's reminders start from now.
    reminders = 0 if escalations else len(steps)
    if reminders:
        names = steps[-1].names
        ctx.store.tickets.add_event(
            ticket, "reminded", at=ctx.ts, actor_name=SYSTEM,
            note=f"{ticket.reminders_sent + reminders}/{ctx.settings.sla.reminders_before_escalation}"
            f" -> {'、'.join(names)}",
        )
        ticket = ctx.store.tickets.update(
            ticket.id, at=ctx.ts, reminders_sent=ticket.reminders_sent + reminders,
            last_reminder_at=ctx.ts,
        )
    final = steps[-1]
    for name in final.names:
        ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
    if escalations:
        return _announce_escalation(ctx, ticket, escalations[-1], why)
    return _remind(ctx, ticket, phase_at, final)


def _summary(ticket: Ticket) -> str:
    text = ticket.masked_text.strip().replace("\n", " ")
    text = text if len(text) <= 30 else text[:29] + "…"
    place = f"（{ticket.location}）" if ticket.location and ticket.location not in text else ""
    return f"{place}“{text}”"


def _waited(ctx: Context, ticket: Ticket, phase_at: int) -> str:
    """How long the resident has waited: from the report, whoever holds it now."""
    return human_minutes(round((ctx.ts - ticket.created_at) / 60))


def _limit(ctx: Context, ticket: Ticket) -> str:
    return human_minutes(ctx.settings.sla.resolve_hours_for(ticket.intent) * 60)


def _why(ctx: Context, ticket: Ticket, phase_at: int) -> str:
    if ticket.status == TicketState.OPEN:
        return T["why_accept"].format(waited=_waited(ctx, ticket, phase_at))
    return T["why_resolve"].format(limit=_limit(ctx, ticket))


def _remind(ctx: Context, ticket: Ticket, phase_at: int, step: Step) -> list[Outgoing]:
    kind = INTENT_NAMES_ZH.get(ticket.intent, ticket.intent)
    if ticket.status == TicketState.OPEN:
        text = T["remind_accept"].format(
            id=ticket.id, kind=kind, summary=_summary(ticket), waited=_waited(ctx, ticket, phase_at)
        )
    else:
        text = T["remind_resolve"].format(
            id=ticket.id, kind=kind, summary=_summary(ticket), limit=_limit(ctx, ticket)
        )
    # Privately: a residents' group of 500 households should not read nagging at midnight.
    return notify.privately(ctx, list(step.names), text)


def _announce_escalation(
    ctx: Context, ticket: Ticket, step: Step, why: str
) -> list[Outgoing]:
    kind = INTENT_NAMES_ZH.get(ticket.intent, ticket.intent)
    names = "、".join(step.names)
    action = (T["action_accept"] if ticket.status == TicketState.OPEN else T["action_resolve"]).format(id=ticket.id)
    if step.level == lifecycle.LEVEL_BACKUP:
        text = T["backup"].format(id=ticket.id, kind=kind, summary=_summary(ticket), why=why,
                               names=names, action=action)
        return notify.privately(ctx, list(step.names), text)
    grid = ctx.directory.grid(ticket.grid_id)
    text = T["community"].format(
        grid=grid.name if grid else ticket.grid_id, id=ticket.id, kind=kind,
        summary=_summary(ticket), why=why, names=names, action=action,
    )
    out = notify.privately(ctx, list(step.names), text)
    out += notify.admin_room(ctx, ticket.community_id, text)
    return out  # the residents hear the outcome, not who has it now


# --- after resolution: one more question, then close ------------------------------------------


def _after_resolved(ctx: Context, ticket: Ticket) -> list[Outgoing]:
    sla = ctx.settings.sla
    resolved_at = ticket.resolved_at or ticket.updated_at
    if ctx.ts >= resolved_at + sla.autoclose_hours * 3600:
        lifecycle.close(ctx, ticket, note=T["autoclose_note"].format(hours=f"{sla.autoclose_hours:g}"))
        return []
    # Asked already at resolution (rating_asked_at == resolved_at) counts as not yet asked
    # by the sweep: the sweep asks once more, after a while.
    asked_again = ticket.rating_asked_at is not None and ticket.rating_asked_at > resolved_at
    if asked_again or ticket.rating is not None:
        return []
    if ctx.ts < resolved_at + max(60, sla.rating_question_after_minutes * 60):
        return []  # at least a minute later, so the question is told apart from the first
    # Asked again privately only: in a group the completion notice asked it already.
    out = notify.tell_private_reporters(ctx, ticket, T["rating"].format(id=ticket.id))
    for o in out:
        ctx.store.seen.set_prompt(o.to.id or o.to.name, "rating", ticket.id, ctx.ts)
    ctx.store.tickets.add_event(ticket, "rating_asked", at=ctx.ts, actor_name=SYSTEM)
    ctx.store.tickets.update(ticket.id, at=ctx.ts, rating_asked_at=ctx.ts)
    return out
