"""The timers: the bot keeps the 24/7 promise when people forget, without waking anyone
for what can wait.

Each round (every minute, and at start) reads only the tickets whose `due_at` has come (an
index; a change to a ticket makes it due at once) and takes at most one step for each:

- the chain for a ticket nobody took in time (open) or finished in time (accepted): the
  holder is reminded `reminders_before_escalation` times, `reminder_minutes` apart; then it
  goes up, one step at a time and each step once: the grid's backup workers, the community
  staff, the street's admins. At the top it is on the admins' daily list until it is done.
  An urgent ticket goes up without reminders, `accept_minutes_urgent` apart, day and night;
- a ticket reported in quiet hours or on a day off: its first ping waits for the (working)
  morning, one message with all such tickets;
- a resolved ticket: the rating question once more (to each resident who reported
  privately and has not rated yet), then it is closed after `autoclose_hours`.

Non-urgent clocks count working time (handlers/office_hours.py; a ticket's deadline is
handlers/deadlines.py, kept on the ticket, the same for the dashboard): accept windows and
reminder intervals count office hours, resolve windows count office days, and nobody is
told outside them; an intent may run on the `daytime` clock instead (every hour, nobody
told in quiet hours). Urgent tickets count every minute.

A step does not send a message: it leaves a notice for each person it concerns, in the
same transaction as the ticket's change. At the end of the round (`deliver_notices`) each
person gets one message with all their notices, most urgent first; at most once per
reminder interval unless a notice is urgent (a step waits for its people to be free). So a
worker with six overdue tickets gets one message, and a bot that was down for a day sends
one message per person, not one per ticket per missed minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from handlers import brief, handled, holding, lifecycle, notify, pace
from handlers.context import Context
from handlers.deadlines import SYSTEM, Clocks, clocks, deadline, ping_clock, waking, work_out
from handlers.identity import who
from handlers.messages import DIGEST, URGENT, Outgoing, Person
from handlers.office_hours import (
    Clock,
    day_words,
    is_office_day,
    office_hours_of,
)
from handlers.stats import human_minutes
from handlers.texts import EMERGENCY, EMERGENCY_CALL
from handlers.texts import SLA as T
from intents import subjects_of
from intents.model import INTENT_NAMES_ZH
from intents.phrases import phrase
from storage import Ticket, TicketState
from storage.records import Notice, Reporter

BATCH = 25  # tickets per transaction of a round (each well under 50 ms of the loop)
PEOPLE = 4  # people's messages per transaction of a round (one with 5,000 overdue: ~4 ms)
GROUP = "group:"  # the notices' key for a community's staff group: group:<community id>
LINES = 10  # lines of one person's message; the rest is counted
KINDS = ("escalate", "again", "remind", "new", pace.WORD, "handled", "daily")  # the order of a message's sections
# When the holder of a ticket was first told of it (the timers count from there): the
# report, its held ping let go in the morning, its becoming urgent, a person's hand-over.
# A neighbour explained the alarm (handlers/standdown.py): it waits for an official's or its
# reporter's word, with no step up, until a new word of danger raises it again.
CALMED = "calmed"
# A private report's fire risk told to the one who holds it (handlers/anonymous.py). Told in
# the night (worse again: 「又拉出来了 … 今晚还下雪」), its grid's backup hears of it
# BACKUP_AFTER later when the holder has not answered: someone awake must have it.
BACKUP_AFTER = 15 * 60
TOLD_KINDS = ("created", "pinged", "urgent", "transferred", "returned", "reopened")
# The events that name whom the timers or a person told of a ticket (note "… -> 名、名").
TELLING_KINDS = ("alerted", "pinged", "listed", "reminded", "escalated", "transferred", "returned")
PINGED = pace.PINGED  # the notice times' key of when a worker was last sent what could wait
COMMUNITY_AFTER = 2 * 3600  # a hazard nobody took goes to the community no sooner (handlers/severity.py)
COMMUNITY_AGAIN = 2  # ... and, still untaken, the community hears of it again this often (then: the street's list)
# A fire risk said now (anonymous.HAZARD: a charging lead in rainwater, sparks) cannot wait for
# the morning: unanswered this long, the next people hear of it, day or night (_fire_risk_ladder).
FIRE_RISK = "hazard"
FIRE_STEP = 30 * 60
HAZARD_ALERT = FIRE_RISK  # (the same event: a fire risk told, by a resident's word or a step)
VULNERABLE = "弱势:"  # the concept of a person who cannot wait (intents/rules/10_concepts.toml)


@dataclass(frozen=True)
class Step:
    kind: str  # "remind" | "escalate"
    level: int
    names: tuple[str, ...]


# --- a round ----------------------------------------------------------------------------------


def sweep(ctx: Context) -> list[Outgoing]:
    """A whole round at once (tests, the simulator); the caller commits it."""
    out: list[Outgoing] = []
    looked = BATCH
    while looked == BATCH:
        looked, said = sweep_batch(ctx)
        out += said
    more = True
    while more:
        said, more = deliver_notices(ctx)
        out += said
    return out


def sweep_batch(ctx: Context, limit: int = BATCH) -> tuple[int, list[Outgoing]]:
    """Take the step due of up to `limit` tickets: (how many were looked at, fewer than
    `limit` when nothing more is due; the messages that go out as they are). Each ticket
    is left with a `due_at` after now."""
    tickets = ctx.store.tickets.due(ctx.ts, limit)
    out: list[Outgoing] = []
    for ticket in tickets:
        if ticket.status.is_open:
            out += _chase(ctx, ticket)
        elif ticket.status == TicketState.RESOLVED:
            out += _after_resolved(ctx, ticket)
        else:
            ctx.store.tickets.schedule(ticket.id, None)
    return len(tickets), out


def deliver_notices(ctx: Context, people: int = PEOPLE) -> tuple[list[Outgoing], bool]:
    """One message for each of up to `people` persons with notices waiting, their notices
    cleared in the same transaction; and whether anyone is left for another call."""
    waiting = ctx.store.notices.people(people + 1, now=ctx.ts)
    out: list[Outgoing] = []
    for person in waiting[:people]:
        out += _message_for(ctx, person)
    return out, len(waiting) > people


# --- the chain --------------------------------------------------------------------------------


def _chase(ctx: Context, ticket: Ticket) -> list[Outgoing]:
    """The step due of an open ticket; what goes out at once (the group told that nobody
    has answered an urgent report)."""
    if calmed(ctx, ticket):
        ctx.store.tickets.schedule(ticket.id, None)
        return []
    c = clocks(ctx, ticket)
    if ticket.deadline_at is None:  # a ticket from before deadlines were kept
        ctx.store.tickets.keep_deadline(ticket.id, deadline(ctx, ticket))
    if _fire_risk_ladder(ctx, ticket):
        return []
    if ticket.ping_held and not ticket.urgent:
        if _release_ping(ctx, ticket):
            return []
    backup = _hazard_backup(ctx, ticket)
    if backup is not None:
        return backup
    again = _community_again(ctx, ticket)
    if again is not None:
        return again
    step_at = c.told.next_moment(next_step_at(ctx, ticket, c))
    listed = waits_for_list(ctx, ticket)
    if listed:  # what can wait is chased in the morning's or the afternoon's list
        step_at = next_list(ctx, ticket, step_at)
    if step_at > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, step_at)
        return []
    holders = _holders(ticket)
    holds = holding.of_ticket(ctx, ticket)
    on_duty = holds.on_duty  # a day off: reminded is who has the grid today
    if not ticket.urgent and holds.back is not None and holds.back > ctx.ts and holds.off in holders:
        ctx.store.tickets.schedule(ticket.id, holds.back)  # her day off: not rung, it waits for her
        return []
    if on_duty is not None and not ticket.urgent and ticket.escalation_level == 0:
        holders = [on_duty]
    if _taken_care_of(ctx, ticket, holders):
        return []
    tied = _tied_up(ctx, ticket, holders) if ticket.reminders_sent < _reminders(ctx, ticket) else None
    stand_in = tied[0] if tied is not None else None
    if tied is not None and stand_in is None:  # at an emergency, and no backup free: it waits
        ctx.store.tickets.schedule(ticket.id, tied[1])
        return []
    busy_until = None if stand_in is not None else _busy_until(ctx, ticket, holders)
    if busy_until is not None:  # the holder is at work: not 无人接单, look again later
        ctx.store.tickets.schedule(ticket.id, c.told.next_moment(busy_until))
        return []
    said = _nobody_answered(ctx, ticket)
    level = _effective_level(ctx, ticket, holders)
    if ticket.reminders_sent < _reminders(ctx, ticket) and holders:
        step: Step | None = Step("remind", level, tuple(holders))
        if stand_in is not None:  # the holder is at an emergency: its backup has it now
            step = Step("escalate", lifecycle.LEVEL_BACKUP, (stand_in,))
    else:
        step = _next_level(ctx, ticket, level, holders)
    if step is not None and step.level == lifecycle.LEVEL_STREET and not confirmed(ctx, ticket):
        step = None
    if step is not None and step.level == lifecycle.LEVEL_COMMUNITY and ticket.hazard and not ticket.urgent:
        wait = _told_at(ctx, ticket) + COMMUNITY_AFTER  # a hazard: the community after a longer wait
        if wait > ctx.ts:
            ctx.store.tickets.schedule(ticket.id, c.told.next_moment(wait))
            return said
    if step is None:
        if not confirmed(ctx, ticket):  # looked at again each office day: a chase sends it up
            ctx.store.tickets.schedule(ticket.id, _daily_moment(ctx, ctx.ts))
            return said
        _daily(ctx, ticket, holders)
        return said
    silent = step.level == lifecycle.LEVEL_STREET and not ticket.urgent  # the daily list
    told = [] if silent else _recipients(ctx, ticket, step)
    free = ctx.ts if listed else _free_at(ctx, ticket, told)  # a list goes out whoever was told just now
    if free > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, free)
        return said
    after = c.told.next_moment(c.minutes.add(ctx.ts, _interval(ctx, ticket)))
    if step.level == lifecycle.LEVEL_COMMUNITY and ticket.hazard and not ticket.urgent:
        after = min(after, waking(ctx).add(ctx.ts, COMMUNITY_AFTER))  # _community_again looks then
    if step.kind == "remind":
        _remind(ctx, ticket, step, after, told)
    else:
        _escalate(ctx, ticket, step, after, told)
    return said


def _fire_risk_at(ctx: Context, ticket: Ticket) -> int | None:
    """When it was told as a fire risk said now (None: it was not)."""
    return next((e.at for e in ctx.store.tickets.events(ticket.id) if e.kind == FIRE_RISK), None)


def fire_risk_told(ctx: Context, ticket: Ticket, names: Iterable[str]) -> None:
    """A fire risk was just told to `names`: the ladder counts `FIRE_STEP` from now."""
    told(ctx, ticket, names)
    ctx.store.tickets.schedule(ticket.id, ctx.ts + FIRE_STEP)


def _fire_risk_ladder(ctx: Context, ticket: Ticket) -> bool:
    """A fire risk said now that nobody told of it answered (took it, said a word on it):
    `FIRE_STEP` after the last one was told, the grid's backup hears of it, then the
    community's staff — every minute of the night, their phones ring (a lead charging in
    rainwater cannot wait for one tired worker's morning). Told in office hours, the usual
    ladder of a hazard has it (its clocks run). Once someone answers
    or the community has it, the usual ladder. True when this was the round's step."""
    if ticket.urgent or ticket.status != TicketState.OPEN or ticket.escalation_level >= lifecycle.LEVEL_COMMUNITY:
        return False
    events = ctx.store.tickets.events(ticket.id)
    risk = next((e for e in events if e.kind == FIRE_RISK), None)
    if risk is None or Clock(office_hours_of(ctx.settings.office_hours), ctx.tz).contains(risk.at):
        return False  # told in office hours: the usual ladder of a hazard (its clocks run)
    told = told_of(ctx, ticket)
    if any(e.at >= risk.at and e.kind in handled.ACTIVE_KINDS and e.actor_name in told for e in events):
        return False  # answered: its holder decides
    last = max([risk.at] + [e.at for e in events if e.kind == "escalated" and e.at >= risk.at])
    if last + FIRE_STEP > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, last + FIRE_STEP)
        return True
    step = _next_level(ctx, ticket, ticket.escalation_level, _holders(ticket))
    if step is None or step.level > lifecycle.LEVEL_COMMUNITY:
        return False
    names = _recipients(ctx, ticket, step)
    _escalate(ctx, ticket, step, ctx.ts + FIRE_STEP, names, urgent=True)
    return True


def _hazard_backup(ctx: Context, ticket: Ticket) -> list[Outgoing] | None:
    """A fire risk told to its holder in the night that they have not answered in
    BACKUP_AFTER: the grid's other workers hear it now, once. None: no such alert waiting."""
    alerts = ctx.store.tickets.events_of_kinds(ticket, (HAZARD_ALERT,))
    last = alerts[-1] if alerts else None
    if last is None or last.actor_name == SYSTEM or waking(ctx).contains(last.at) or not ticket.status.is_open:
        return None
    if len([e for e in alerts if e.actor_name != SYSTEM]) < 2:
        return None  # its first fire risk: the fire-risk ladder has it (_fire_risk_ladder)
    if ctx.ts < last.at + BACKUP_AFTER:
        ctx.store.tickets.schedule(ticket.id, last.at + BACKUP_AFTER)
        return []
    alerted = [n for n in (last.note or "").split("、") if n]
    grid = ctx.directory.grid(ticket.grid_id)
    backups = [w for w in (grid.workers if grid else ()) if w not in alerted]
    if not backups or handled.last_active(ctx, alerted, ticket, last.at) is not None:
        return None  # the holder answered: awake, and has it
    ctx.store.tickets.add_event(ticket, HAZARD_ALERT, at=ctx.ts, actor_name=SYSTEM, note="、".join(backups))
    told(ctx, ticket, backups, "transferred")
    said = [r for r in ctx.store.conversation.reports(ticket.id) if r.sender_id == ticket.reporter_id]
    hidden = any(e.kind == "anonymous" for e in ctx.store.tickets.events(ticket.id))
    text = T["hazard_backup"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH.get(ticket.intent, ticket.intent),
        text=brief.gist(said[-1].text if said else ticket.masked_text, limit=40),
        holder="、".join(alerted), minutes=BACKUP_AFTER // 60,
        secret=T["secret"] if hidden else "",
    )
    ctx.store.tickets.schedule(ticket.id, ctx.ts + 60)
    return notify.privately(ctx, backups, text, priority=URGENT)


def calmed(ctx: Context, ticket: Ticket) -> bool:
    """An urgent alarm a neighbour explained since its danger was last told: its workers were
    asked to confirm; nothing goes up on it."""
    if not ticket.urgent or ticket.status != TicketState.OPEN:
        return False
    events = ctx.store.tickets.events_of_kinds(ticket, (CALMED, "urgent", "danger"))
    last_calm = max((e.at for e in events if e.kind == CALMED), default=None)
    return last_calm is not None and all(e.at <= last_calm for e in events if e.kind != CALMED)


def _community_again(ctx: Context, ticket: Ticket) -> list[Outgoing] | None:
    """A hazard the timers sent to the community that nobody took: the community hears of
    it again `COMMUNITY_AGAIN` times, the first `COMMUNITY_AFTER` after it went up, each
    next twice as long after the last, counting waking hours only (a word that would fall
    in quiet hours comes in the morning) — then the ladder ends: the street's daily list,
    as any untaken ticket. None: not such a ticket (or one nobody confirmed), or its ladder is over."""
    if not ticket.hazard or ticket.urgent or ticket.status != TicketState.OPEN:
        return None
    if ticket.escalation_level != lifecycle.LEVEL_COMMUNITY or not confirmed(ctx, ticket):
        return None  # (what nobody confirmed is a need goes up once, flagged, and no further)
    events = ctx.store.tickets.events(ticket.id)
    up = max((e.at for e in events if e.kind == "escalated" and e.actor_name == SYSTEM), default=None)
    if up is None:
        return None
    said = [e.at for e in events if e.kind == "reminded" and e.at >= up]
    if len(said) >= COMMUNITY_AGAIN:
        return None
    clock = waking(ctx)
    at = clock.next_moment(clock.add(max([up, *said]), COMMUNITY_AFTER * 2 ** len(said)))
    if at > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, at)
        return []
    holders = _holders(ticket)
    if _taken_care_of(ctx, ticket, holders):
        return []
    told = _recipients(ctx, ticket, Step("escalate", lifecycle.LEVEL_COMMUNITY, tuple(holders)))
    free = _free_at(ctx, ticket, told)
    if free > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, clock.next_moment(free))
        return []
    n = len(said) + 1
    ctx.store.tickets.add_event(
        ticket, "reminded", at=ctx.ts, actor_name=SYSTEM, note=f"{n}/{COMMUNITY_AGAIN} -> {'、'.join(holders)}"
    )
    ctx.store.tickets.update(ticket.id, at=ctx.ts, last_reminder_at=ctx.ts, due_at=ctx.ts + 60)
    asked = sum(1 for e in events if e.kind == "hazard_asked" and e.at >= up)
    note = T["again_up"].format(at=brief.since(ctx.local(ctx.ts), ctx.local(up)))
    note += T["again_asked"].format(n=asked) if asked else ""
    _leave(ctx, ticket, told, "again", note=note + (T["again_last"] if n == COMMUNITY_AGAIN else ""))
    return []


# What says a ticket is a real need besides its reporter's first words: someone else
# reported it too or chased it, a photo, an official's or the property's word on it.
CONFIRMING_REPORTS = ("echo", "follow_up", "registered")
CONFIRMING_EVENTS = ("joined", "update", "progress", "transferred", "escalated", "returned", "reopened", "urgent",
                     "hazard", "hazard_asked")  # a private reporter's fear or question on a hazard


def confirmed(ctx: Context, ticket: Ticket) -> bool:
    """Whether anyone but the bot says this is a need: taken (or urgent), joined, chased,
    echoed by a neighbour, a photo, an official's or a person's hand-over. One that nobody
    confirmed (a remark the classifier took for a report) goes up to the community once,
    flagged as such, and no further: the street does not see a worker's name on it."""
    if ticket.urgent or ticket.status != TicketState.OPEN:
        return True
    if ctx.store.notes.attachments(ticket.id):
        return True
    for r in ctx.store.conversation.reports(ticket.id):
        if r.kind in CONFIRMING_REPORTS and (r.kind == "follow_up" or r.sender_id != ticket.reporter_id):
            return True
    return any(
        e.kind in CONFIRMING_EVENTS and e.actor_name != SYSTEM
        for e in ctx.store.tickets.events(ticket.id)
    )


def _nobody_answered(ctx: Context, ticket: Ticket) -> list[Outgoing]:
    """An urgent report in a group that no official has answered in `nobody_answered_minutes`
    (nobody took it, spoke in the group since, or is on the way): the group is told so,
    once, and whom to call themselves — not left believing help is coming."""
    minutes = ctx.settings.sla.nobody_answered_minutes
    if not ticket.urgent or ticket.status != TicketState.OPEN or ticket.room_id is None or minutes <= 0:
        return []
    if ctx.ts - _told_at(ctx, ticket) < minutes * 60:
        return []
    events = ctx.store.tickets.events(ticket.id)
    alarm = next((e for e in events if e.kind == "danger" and e.note), None)
    if alarm is None or any(e.kind in ("nobody_answered", "urgent") for e in events):
        # no alarm in the group (nothing residents were told to wait for), or told already;
        # or an incident a later word made urgent (a story, a detail): less sure a danger
        # than a report of one, its officials are chased but the group is not alarmed again
        return []
    kind, _, number = (alarm.note or "").partition(" ")
    if kind not in EMERGENCY_CALL or (kind == "other" and not number):
        return []  # urgent, but nothing residents could call
    if handled.last_active(ctx, _officials_of(ctx, ticket), ticket, _told_at(ctx, ticket)) is not None:
        return []  # an official answered in the group since (on their way, an hour ago): it was answered
    ctx.store.tickets.add_event(ticket, "nobody_answered", at=ctx.ts, actor_name=SYSTEM)
    call = EMERGENCY_CALL[kind].format(number=number)
    text = EMERGENCY["nobody_answered"].format(id=ticket.id, call=call)
    return [Outgoing(text=text, room_id=ticket.room_id, room_topic=ticket.room_topic, priority=URGENT)]


def next_step_at(ctx: Context, ticket: Ticket, c: Clocks) -> int:
    """When the holder's time is up (the deadline), or the next step after the last one."""
    due = deadline(ctx, ticket)
    assert due is not None  # an open ticket
    if ticket.last_reminder_at is not None:
        due = max(due, c.minutes.add(ticket.last_reminder_at, _interval(ctx, ticket)))
    return due


def _interval(ctx: Context, ticket: Ticket) -> int:
    sla = ctx.settings.sla
    if ticket.urgent and ticket.status == TicketState.OPEN:
        return max(1, sla.accept_minutes_urgent) * 60
    return max(1, sla.reminder_minutes_for(ticket.intent)) * 60


def _reminders(ctx: Context, ticket: Ticket) -> int:
    """Reminders before going up: none for an urgent ticket nobody took (the next person);
    one for what cannot wait (the backup hears of it next, not a second reminder the same
    half-day)."""
    if ticket.urgent and ticket.status == TicketState.OPEN:
        return 0
    if pressing(ctx, ticket):
        return min(1, ctx.settings.sla.reminders_before_escalation)
    return ctx.settings.sla.reminders_before_escalation


# What an old or ill person cannot go without today (an errand for one who is 弱势): their
# medicine, their meals, a doctor, getting down the stairs.
TODAYS_NEED = phrase("sla.todays_need")
LIST_ROUND = 5 * 60  # a list's round: a sweep that runs late is still that list's


def pressing(ctx: Context, ticket: Ticket) -> bool:
    """A ticket that is not urgent and still cannot wait for the next list: a hazard
    (safety), homes without heat, water or power or ice underfoot, an errand an old or ill
    person needs today (medicine, meals). Its reminder comes when its window ends; a bin, a
    question, a bench waits for the list."""
    if ticket.urgent:
        return False
    if ticket.intent == "safety":
        return True
    if ticket.intent in holding.CANNOT_WAIT_INTENTS and (
        subjects_of(ticket.text) & holding.CANNOT_WAIT or holding.ICE.search(ticket.text)
    ):
        return True
    return ticket.intent == "errand" and bool(TODAYS_NEED.search(ticket.text)) and _vulnerable(ctx, ticket.text)


def waits_for_list(ctx: Context, ticket: Ticket) -> bool:
    """Its reminders and steps up go out only in the lists ([sla] reminder_lists_at): not
    urgent, and not pressing while it is still its grid's (what cannot wait reaches the
    backup at its own time; further up, the lists)."""
    if ticket.urgent or not ctx.settings.sla.reminder_lists_at:
        return False
    # a hazard reaches the community at its own time too (COMMUNITY_AFTER), not Monday's list
    up_to = lifecycle.LEVEL_COMMUNITY if ticket.hazard else lifecycle.LEVEL_BACKUP
    return not (pressing(ctx, ticket) and ticket.escalation_level < up_to)


def next_list(ctx: Context, ticket: Ticket, at: int) -> int:
    """The first list at or after `at` that is not over (a list is over `LIST_ROUND` after
    it went out: what comes due after it waits for the next), on the days and hours its
    holder may be told of it."""
    told = clocks(ctx, ticket).told
    kept = ticket.due_at  # the list it was kept for: a round that runs late is still that list's
    if kept is not None and at <= kept <= ctx.ts and ctx.local(kept).time() in ctx.settings.sla.reminder_lists_at:
        return kept
    since = max(at, ctx.ts - LIST_ROUND + 1)
    day = datetime.fromtimestamp(since, ctx.tz).date()
    for _ in range(400):
        for moment in ctx.settings.sla.reminder_lists_at:
            ts = int(datetime.combine(day, moment, ctx.tz).timestamp())
            if ts >= since and told.contains(ts):
                return ts
        day += timedelta(days=1)
    return since


def _holders(ticket: Ticket) -> list[str]:
    """Who has the ticket now: the names it was escalated to until one of them accepts."""
    if ticket.status == TicketState.OPEN and ticket.escalation_level > 0 and ticket.escalated_to:
        return ticket.escalated_to.split("、")
    return [ticket.assignee_name] if ticket.assignee_name else []


def _next_level(ctx: Context, ticket: Ticket, level: int, holders: list[str]) -> Step | None:
    """The next step up, past the people who have this ticket already (an urgent ticket's
    alarm told the grid's workers at once: its first step up is the community)."""
    grid = ctx.directory.grid(ticket.grid_id)
    told = told_of(ctx, ticket) | set(holders)
    if level < lifecycle.LEVEL_BACKUP and grid is not None:
        backups = tuple(w for w in grid.workers[1:] if w not in told)
        if backups:
            return Step("escalate", lifecycle.LEVEL_BACKUP, backups)
    if level < lifecycle.LEVEL_COMMUNITY:
        community = ctx.directory.community(ticket.community_id)
        staff = tuple(s for s in community.staff if s not in told) if community is not None else ()
        if staff:
            return Step("escalate", lifecycle.LEVEL_COMMUNITY, staff)
    admins = tuple(a for a in ctx.directory.admins if a not in told)
    if level < lifecycle.LEVEL_STREET and admins:
        return Step("escalate", lifecycle.LEVEL_STREET, admins)
    return None  # the top of the chain: the daily list


def told_of(ctx: Context, ticket: Ticket) -> set[str]:
    """Everyone the bot has told of this ticket as someone to act (its alarm, its ping, a
    reminder, a step up, a hand-over), and whoever holds or took it."""
    names = {ticket.assignee_name} if ticket.assignee_name else set()
    for event in ctx.store.tickets.events(ticket.id):
        if event.kind in TELLING_KINDS and event.note and "-> " in event.note:
            said = event.note.partition("-> ")[2].partition(":")[0]
            names |= {name for name in said.split("、") if name}
        if event.kind == "accepted" and event.actor_name:
            names.add(event.actor_name)
    return names


def told(ctx: Context, ticket: Ticket, names: Iterable[str], kind: str = "alerted") -> None:
    """Keep on the ticket whom it was just told to (an alarm, a held ping let go): the
    ladder does not tell them again, and counts from now."""
    names = [n for n in dict.fromkeys(names) if n]
    if names:
        ctx.store.tickets.add_event(
            ticket, kind, at=ctx.ts, actor_name=SYSTEM, note=f"-> {'、'.join(names)}"
        )


def _taken_care_of(ctx: Context, ticket: Ticket, holders: list[str], *, now: bool = False) -> bool:
    """Someone else (the property, a volunteer, the family, 120) said in the group that it
    is being done or done: the ladder stops, and the holder hears of it once, when they
    may be told (the next digest, or `now`: a message goes to them anyway). True when that
    is this round's step."""
    events = ctx.store.tickets.events(ticket.id)
    after = max((e.at for e in events if e.kind in ("reopened",)), default=0)
    if any(e.kind == "handled" and e.at >= after for e in events):
        ctx.store.tickets.schedule(ticket.id, None)
        return True
    officials = set(holders) | told_of(ctx, ticket)
    found = handled.by_others(ctx, ticket, officials)
    if found is None or found.at < after:
        return False
    at = ctx.ts if now else _next_digest(ctx, ticket, found.at)
    told = holders or [ticket.assignee_name or ""]
    if at > ctx.ts:  # news that a thing is in hand waits for the holder's next digest
        ctx.store.tickets.schedule(ticket.id, at)
        return True
    note = handled.line(ctx, found)
    ctx.store.tickets.add_event(ticket, "handled", at=ctx.ts, actor_name=SYSTEM, note=note)
    if not handled.told_by_conversation(ctx, found):  # the property's 办好了 was told already
        _leave(ctx, ticket, told, "handled", note=note)
    ctx.store.tickets.schedule(ticket.id, None)
    return True


def _next_digest(ctx: Context, ticket: Ticket, since: int) -> int:
    """The holder's next morning message after `since`: the start of their next span of
    told time (the morning after quiet hours or a day off), not a message of its own."""
    clock = ping_clock(ctx, ticket.intent)
    at = clock.next_moment(since)
    if at == since:  # within a span: the next one, tomorrow morning or later
        day = datetime.fromtimestamp(since, ctx.tz).date() + timedelta(days=1)
        at = clock.next_moment(int(datetime.combine(day, datetime.min.time(), ctx.tz).timestamp()))
    return at


def _busy_until(ctx: Context, ticket: Ticket, holders: list[str]) -> int | None:
    """A holder visibly at work (taking or closing tickets, answering in the group) within
    the last `active_minutes` is not 无人接单: the next step waits until that long after
    their last act. For an urgent ticket only what they did since it was raised counts."""
    window = max(0, ctx.settings.sla.active_minutes) * 60
    if not window or not holders:
        return None
    since, names = ctx.ts - window, set(holders)
    if ticket.urgent:  # anyone its alarm woke who answers has it in hand
        since, names = max(since, _told_at(ctx, ticket)), names | told_of(ctx, ticket)
    last = handled.last_active(ctx, names, ticket, since)
    return None if last is None else last + window


def _tied_up(ctx: Context, ticket: Ticket, holders: list[str]) -> tuple[str | None, int] | None:
    """A non-urgent ticket whose holders are all tied up in an emergency (handlers/busy.py):
    the grid's free backup who takes it over now (not reminding them), or None and when to
    look again; None when a holder is free."""
    grid = ctx.directory.grid(ticket.grid_id)
    if ticket.urgent or grid is None or not holders or any(h not in grid.workers for h in holders):
        return None
    if not all(holding.tied_up(ctx, h, grid.id) for h in holders):
        return None
    told = told_of(ctx, ticket) | set(holders)
    free = next((w for w in grid.workers if w not in told and not holding.tied_up(ctx, w, grid.id)), None)
    return free, ctx.ts + _interval(ctx, ticket)


def _effective_level(ctx: Context, ticket: Ticket, holders: list[str]) -> int:
    """A ticket handed to community staff (退回, 转社区) is at the community already."""
    community = ctx.directory.community(ticket.community_id)
    if holders and community is not None and all(h in community.staff for h in holders):
        return max(ticket.escalation_level, lifecycle.LEVEL_COMMUNITY)
    return ticket.escalation_level


def _recipients(ctx: Context, ticket: Ticket, step: Step) -> list[str]:
    """Who hears of a step: its people; the community's, in the community's staff group
    when the bot can post there (one post for the community, not one for each) — but each
    of them privately for an urgent ticket, whose phone must ring."""
    if step.kind == "escalate" and step.level == lifecycle.LEVEL_COMMUNITY and not ticket.urgent and notify.admin_room(
        ctx, ticket.community_id, ""
    ):
        return [GROUP + ticket.community_id]
    return list(step.names)


def _free_at(ctx: Context, ticket: Ticket, names: Iterable[str]) -> int:
    """When all these people may be sent the next message: at once for an urgent ticket,
    else one reminder interval after the last one the timers sent them."""
    if ticket.urgent:
        return ctx.ts
    every = max(1, ctx.settings.sla.reminder_minutes) * 60
    last = [ctx.store.notices.last_sent(name) for name in names]
    return max([ctx.ts] + [at + every for at in last if at is not None])


def _remind(ctx: Context, ticket: Ticket, step: Step, after: int, told: list[str]) -> None:
    sent = ticket.reminders_sent + 1
    ctx.store.tickets.add_event(
        ticket, "reminded", at=ctx.ts, actor_name=SYSTEM,
        note=f"{sent}/{_reminders(ctx, ticket)} -> {'、'.join(step.names)}",
    )
    ctx.store.tickets.update(
        ticket.id, at=ctx.ts, reminders_sent=sent, last_reminder_at=ctx.ts, due_at=after
    )
    _leave(ctx, ticket, told, "remind")


def _escalate(
    ctx: Context, ticket: Ticket, step: Step, after: int, told: list[str], *, urgent: bool = False
) -> None:
    tried = tried_before(ctx, ticket)
    ticket = lifecycle.escalate(
        ctx, ticket, level=step.level, to_names=list(step.names), actor_name=SYSTEM,
        actor_id=None, note=_why(ctx, ticket),
    )
    # Each step once: the new holders are not reminded again, the next step is the one up.
    ctx.store.tickets.update(
        ticket.id, at=ctx.ts, reminders_sent=_reminders(ctx, ticket), last_reminder_at=ctx.ts,
        due_at=after,
    )
    _leave(ctx, ticket, told, "escalate", note=tried, urgent=urgent)  # none told: the daily list
    handed(ctx, ticket, told)


def handed(ctx: Context, ticket: Ticket, names: Iterable[str]) -> None:
    """Keep whom the timers actually handed the ticket to (a person privately, or a
    community's staff group: `group:<id>`): only they hear 「已接手，不用管了」 when someone
    takes it, not everyone a step names (the staff read it in their group, the street's
    admins only on a daily list)."""
    names = [n for n in dict.fromkeys(names) if n]
    if names:
        ctx.store.tickets.add_event(ticket, "handed", at=ctx.ts, actor_name=SYSTEM, note=f"-> {'、'.join(names)}")


def _daily(ctx: Context, ticket: Ticket, holders: list[str]) -> None:
    """At the top of the chain: on the holders' list every office day at `daily_list_at`."""
    latest = _daily_moment(ctx, ctx.ts, before=True)
    if holders and latest is not None and (ticket.last_reminder_at or 0) < latest:
        ctx.store.tickets.update(
            ticket.id, at=ctx.ts, last_reminder_at=ctx.ts, due_at=_daily_moment(ctx, ctx.ts)
        )
        _leave(ctx, ticket, tuple(holders), "daily", note=tried_before(ctx, ticket, holders))
        if not any(e.kind == "handed" and set(holders) <= set(e.note.partition("-> ")[2].split("、"))
                   for e in ctx.store.tickets.events(ticket.id) if e.note):
            handed(ctx, ticket, holders)
        return
    ctx.store.tickets.schedule(ticket.id, _daily_moment(ctx, ctx.ts))


def _daily_moment(ctx: Context, ts: int, *, before: bool = False) -> int | None:
    """The next daily-list time after `ts` (or the latest at or before it), office days only."""
    day = datetime.fromtimestamp(ts, ctx.tz).date()
    step = timedelta(days=-1 if before else 1)
    for _ in range(400):
        moment = int(datetime.combine(day, ctx.settings.sla.daily_list_at, ctx.tz).timestamp())
        if is_office_day(day, ctx.settings.office_hours) and (
            moment <= ts if before else moment > ts
        ):
            return moment
        day += step
    return None if before else ts + 86400


def _release_ping(ctx: Context, ticket: Ticket) -> bool:
    """A ticket reported in quiet hours (or moments after the worker's last new tickets): its
    holder hears of it when they are over (or a fold window after those), listed.
    True when that was this round's step (or it still waits)."""
    clock = ping_clock(ctx, ticket.intent, bool(ticket.hazard))
    holds = holding.of_ticket(ctx, ticket)
    on_duty = holds.on_duty_now  # a day off's errand or cold flats too
    if on_duty is None and holds.back is not None and holds.back > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, holds.back)  # her day off: her next working day
        return True
    if on_duty is None and (holds.rostered_on_duty or holding.cannot_wait(
        ctx, ticket.intent, ticket.text, at=waking(ctx).next_moment(ctx.ts)
    )):
        clock = waking(ctx)  # a Sunday's cold flats reported at 07:03: told at 07:30, not Monday
    # reported in working time, held only to go with others reported moments apart
    # (gathers_ping): due a fold window after the last word sent, whatever the clock says
    paced = clock.contains(ticket.created_at)
    at = clock.next_moment(ctx.ts)  # kept moments after another, and the timers late: not on a Saturday
    if at > ctx.ts and on_duty is None:
        ctx.store.tickets.schedule(ticket.id, at)
        return True
    if on_duty is None and paced:  # gathered: a fold window after the last word sent
        last = [ctx.store.notices.last_sent(PINGED + name) for name in _holders(ticket)]
        free = max([ctx.ts] + [at + pace.window(ctx) for at in last if at is not None])
    else:  # on duty: what is not urgent comes at most once a reminder interval
        free = _free_at(ctx, ticket, [on_duty] if on_duty is not None else _holders(ticket))
    if on_duty is None and not clock.contains(free):
        free = ctx.ts  # working time ends before then: now, not after the weekend
    if free > ctx.ts:
        ctx.store.tickets.schedule(ticket.id, free)
        return True
    if ticket.status != TicketState.OPEN:  # taken meanwhile: nothing to tell
        ctx.store.tickets.schedule(ticket.id, ctx.ts, ping_held=False)
        return False
    holders = _holders(ticket)
    # a day off: the one on duty hears of it, as on a working day (the ticket stays its
    # worker's for the working days), read in the group or not
    names = [on_duty] if on_duty is not None else _not_seen_there(ctx, ticket, holders)
    told(ctx, ticket, names, "listed" if paced else "pinged")  # listed: its clock ran already
    ctx.store.tickets.keep_deadline(ticket.id, work_out(ctx, ticket))
    if not _taken_care_of(ctx, ticket, holders):
        _leave(ctx, ticket, names, "new")
    ctx.store.tickets.schedule(ticket.id, ctx.ts + 60, ping_held=False)
    return True


def with_the_list(ctx: Context, ticket: Ticket, name: str, kind: str, note: str) -> None:
    """A word on a ticket that can wait (the property says it is done, for its holder to
    confirm): in their next list, or in any message the timers send them before it — not a
    message of its own."""
    ctx.store.notices.add(name, ticket.id, kind, urgent=False, at=next_list(ctx, ticket, ctx.ts), note=note)


def _not_seen_there(ctx: Context, ticket: Ticket, names: list[str]) -> list[str]:
    """Those of `names` who have not spoken in the ticket's room since it was acknowledged
    there: one who answered in the group has read it, and needs no morning word of it."""
    if ticket.room_id is None:
        return names
    senders = ctx.store.conversation.senders_since(ticket.room_id, ticket.created_at)
    identities = [who(ctx, sender_id, sender_name) for sender_id, sender_name in senders]
    spoke = {i.name for i in identities if i.is_official}  # not a resident under that name
    return [name for name in names if name not in spoke]


def _leave(
    ctx: Context, ticket: Ticket, names: Iterable[str], kind: str, note: str | None = None, urgent: bool = False
) -> None:
    for name in dict.fromkeys(names):
        ctx.store.notices.add(name, ticket.id, kind, urgent=ticket.urgent or urgent, at=ctx.ts, note=note)


def _why(ctx: Context, ticket: Ticket) -> str:
    if ticket.status == TicketState.OPEN:
        return T["why_accept"].format(waited=_waited(ctx, ticket))
    return T["why_resolve"].format(limit=_limit(ctx, ticket))


def tried_before(ctx: Context, ticket: Ticket, holders: Iterable[str] = ()) -> str:
    """Who had the ticket before (not `holders`, who have it now) and how often they were
    reminded: 马建民（提醒 2 次）、孙丽. The events name whom it was reminded to or handed
    to; whom it was handed from is followed along (the grid's worker it was opened for,
    or whoever accepted it), so an urgent ticket that went up at once, without a reminder,
    still names its first holder."""
    reminded: dict[str, int] = {}
    grid = ctx.directory.grid(ticket.grid_id)
    holder = grid.workers[0] if grid is not None and grid.workers else None
    for event in ctx.store.tickets.events(ticket.id):
        if event.kind == "accepted" and event.actor_name:
            holder = event.actor_name
        if event.kind in ("reminded", "escalated", "transferred", "returned") and event.note:
            names = event.note.partition("-> ")[2].partition(":")[0]
            to = [name for name in names.split("、") if name]
            if event.kind != "reminded" and holder:
                reminded.setdefault(holder, 0)
                holder = to[0] if to else holder
            for name in to:
                reminded[name] = reminded.get(name, 0) + (event.kind == "reminded")
    if ticket.assignee_name and not reminded:
        reminded[ticket.assignee_name] = 0
    return "、".join(
        name + (T["tried_times"].format(n=n) if n else "") for name, n in reminded.items()
        if name not in holders
    )


# --- when the resident reports: when will it be seen -----------------------------------------


def first_look(ctx: Context, intent: str, urgent: bool, *, daytime: bool = False) -> str | None:
    """When a ticket reported now will be looked at, in a resident's words (明天上班后,
    明天 7:30 后), or None when it is now. `daytime`: it is looked at in waking hours."""
    if urgent:
        return None
    if daytime or ctx.settings.sla.clock_for(intent) == "daytime":
        at = waking(ctx).next_moment(ctx.ts)
        if at == ctx.ts:
            return None
        local = ctx.local(at)
        return T["when_daytime"].format(
            day=day_words(at, ctx.ts, ctx.tz), time=f"{local.hour}:{local.minute:02d}"
        )
    at = Clock(office_hours_of(ctx.settings.office_hours), ctx.tz).next_moment(ctx.ts)
    return None if at == ctx.ts else T["when_office"].format(day=day_words(at, ctx.ts, ctx.tz))


def holds_ping(ctx: Context, intent: str, urgent: bool) -> bool:
    """A non-urgent report in quiet hours or on a day off: the worker hears of it the next
    (working) morning, with the others."""
    return not urgent and not ping_clock(ctx, intent).contains(ctx.ts)


def hold_ping(ctx: Context, ticket: Ticket) -> None:
    ctx.store.tickets.schedule(ticket.id, ctx.ts, ping_held=True)


def gathers_ping(ctx: Context, name: str, intent: str, text: str) -> bool:
    """New tickets reported moments apart (within a fold window of the last word that
    could wait this worker was sent: handlers/pace.py) reach them as one list: this one
    waits at most that long, unless it is an errand of someone who cannot wait (弱势: the
    old, the ill, alone), or urgent (never here)."""
    if pace.held_until(ctx, name, intent) is None:
        return False
    return not (intent == "errand" and _vulnerable(ctx, text))


def _vulnerable(ctx: Context, text: str) -> bool:
    """The errand is for someone the concept table calls vulnerable (弱势: 独居, 腿疼…)."""
    return any(e.startswith(VULNERABLE) for e in ctx.classifier.classify(text).evidence)


def pinged(ctx: Context, name: str) -> None:
    """New tickets went to this worker now: the next within a fold window waits to go
    with others (gathers_ping), and the timers' next message waits a reminder interval."""
    ctx.store.notices.mark_sent(name, ctx.ts)
    pace.spoke(ctx, name)


# --- after resolution: one more question, then close -----------------------------------------


def _after_resolved(ctx: Context, ticket: Ticket) -> list[Outgoing]:
    sla = ctx.settings.sla
    resolved_at = ticket.resolved_at or ticket.updated_at
    close_at = resolved_at + int(sla.autoclose_hours * 3600)
    if ctx.ts >= close_at:
        lifecycle.close(ctx, ticket, note=T["autoclose_note"].format(hours=f"{sla.autoclose_hours:g}"))
        ctx.store.tickets.schedule(ticket.id, None)
        return []
    out: list[Outgoing] = []
    ask_at = _rating_question_at(ctx, ticket)
    if ask_at is not None and ctx.ts >= ask_at:
        out = _ask_again(ctx, ticket)
        ask_at = None
    ctx.store.tickets.schedule(ticket.id, min(close_at, ask_at or close_at))
    return out


def _rating_question_at(ctx: Context, ticket: Ticket) -> int | None:
    """When to ask once more, privately only (in a group the completion notice asked it),
    the residents who have not rated yet."""
    resolved_at = ticket.resolved_at or ticket.updated_at
    # Asked already at resolution (rating_asked_at == resolved_at) counts as not yet asked
    # by the timers: they ask once more, after a while.
    asked_again = ticket.rating_asked_at is not None and ticket.rating_asked_at > resolved_at
    if asked_again or ticket.urgent or not _still_to_rate(ctx, ticket):  # an emergency: no survey
        return None
    after = resolved_at + max(60, ctx.settings.sla.rating_question_after_minutes * 60)
    return waking(ctx).next_moment(after)  # at least a minute later, and not at night


def _still_to_rate(ctx: Context, ticket: Ticket) -> list[Reporter]:
    """The residents who reported privately and have not rated (each rates for themselves)."""
    return [r for r in ctx.store.tickets.reporters(ticket.id) if r.room_id is None and r.rating is None]


def _ask_again(ctx: Context, ticket: Ticket) -> list[Outgoing]:
    waiting = _still_to_rate(ctx, ticket)
    for r in waiting:
        ctx.store.seen.set_prompt(r.person_id, "rating", ticket.id, ctx.ts)
    ctx.store.tickets.add_event(ticket, "rating_asked", at=ctx.ts, actor_name=SYSTEM)
    ctx.store.tickets.update(ticket.id, at=ctx.ts, rating_asked_at=ctx.ts)
    text = T["rating"].format(id=ticket.id)
    return [Outgoing(text=text, to=Person(r.person_name, r.person_id)) for r in waiting]


# --- one message per person -------------------------------------------------------------------


def _message_for(ctx: Context, person: str) -> list[Outgoing]:
    if not person.startswith(GROUP):
        _in_hand_news(ctx, person)
    for number in ctx.store.notices.of_kind(person, "handled"):  # done meanwhile: nothing to confirm
        ticket = ctx.store.tickets.get(number)
        if ticket is None or not ticket.status.is_open:
            ctx.store.notices.remove(person, number, "handled")
    notices = ctx.store.notices.first(person, LINES)
    counts = ctx.store.notices.counts(person)
    ctx.store.notices.clear(person)
    ctx.store.notices.mark_sent(person, ctx.ts)
    if notices and not person.startswith(GROUP):  # what can wait, moments from now, waits
        pace.spoke(ctx, person)
    if not notices:
        return []
    lines: list[str] = []
    listed: list[Ticket] = []
    for kind in KINDS:
        of_kind = [n for n in notices if n.kind == kind]
        if not of_kind:
            continue
        head = f"head_{kind}_group" if person.startswith(GROUP) and kind == "escalate" else f"head_{kind}"
        lines.append(T[head].format(n=counts.get(kind, 0)))
        for notice in of_kind:
            ticket = ctx.store.tickets.get(notice.ticket_id)
            if ticket is not None:
                lines.append(_line(ctx, ticket, notice))
                listed.append(ticket)
    total = sum(counts.values())
    shown = len(listed)
    if total > shown:
        lines.append(T["more"].format(n=total - shown))
    if listed:  # one ticket (however often listed): its number in the answers
        lines.append(notify.answers(list({t.id: t for t in listed}.values()), several=total > shown))
    if total == 1 and notices[0].kind != "daily":  # a bare 收到 answers this one
        ctx.store.seen.set_prompt(person, "ping", notices[0].ticket_id, ctx.ts)
    priority = URGENT if any(n.urgent for n in notices) else DIGEST
    if person.startswith(GROUP):
        community_id = person[len(GROUP):]
        if total == 1:  # a bare 收到 of the staff answers this one
            community = ctx.directory.community(community_id)
            for name in community.staff if community else ():
                ctx.store.seen.set_prompt(name, "ping", notices[0].ticket_id, ctx.ts)
        posts = notify.admin_room(ctx, community_id, "\n".join(lines))
        return [replace(post, priority=priority) for post in posts]
    return notify.privately(ctx, [person], "\n".join(lines), priority=priority)


def _in_hand_news(ctx: Context, person: str) -> None:
    """A message goes to this person: what someone else said they have in hand of this
    person's tickets (「我中午去给您买」), waiting for their next morning's digest, goes in it
    now, and the ladder of those tickets stops — never a message of its own."""
    for ticket in ctx.store.tickets.select(
        states=(TicketState.OPEN, TicketState.ACCEPTED), assignee_name=person, limit=LINES
    ):
        if ticket.due_at is not None and ticket.due_at > ctx.ts and not ticket.ping_held:
            _taken_care_of(ctx, ticket, _holders(ticket), now=True)


def _line(ctx: Context, ticket: Ticket, notice: Notice) -> str:
    kind = INTENT_NAMES_ZH.get(ticket.intent, ticket.intent)
    fields = {
        "id": ticket.id, "kind": kind,
        "urgent": T["urgent_mark"] if ticket.urgent else T["fire_mark"] if _fire_risk_at(ctx, ticket) else "",
        "summary": _summary(ctx, ticket, in_group=notice.person.startswith(GROUP)), "waited": _waited(ctx, ticket), "limit": _limit(ctx, ticket),
        "tried": notice.note or "", "status": ticket.status.label,
    }
    grid = ctx.directory.grid(ticket.grid_id)
    fields["grid"] = grid.name if grid else ticket.grid_id
    if notice.kind == "escalate" and not notice.person.startswith(GROUP) and ticket.room_id is None and any(
        e.kind == "anonymous" for e in ctx.store.tickets.events(ticket.id)
    ):  # every hand-over passes on a private reporter's wish not to be named
        fields["summary"] += T["secret"]
    if notice.kind == "again":
        key = "line_again"
    elif notice.kind == "remind":
        key = "line_accept" if ticket.status == TicketState.OPEN else "line_resolve"
    elif notice.kind == "escalate" and ticket.escalation_level >= lifecycle.LEVEL_COMMUNITY and not confirmed(
        ctx, ticket
    ):
        key = "line_up_unconfirmed"  # to the community: no one's name on what may be no need
    elif notice.kind == "escalate":
        key = "line_up_accept" if ticket.status == TicketState.OPEN else "line_up_resolve"
    else:
        key = f"line_{notice.kind}"
    return T[key].format(**fields)


def _summary(ctx: Context, ticket: Ticket, *, in_group: bool = False) -> str:
    """One line: where and what, who said it and since when, how many photos residents
    sent (they are not told one by one). `in_group`: read by a group (the community's work
    group), where one who told it only privately is never named."""
    since = brief.since(ctx.local(ctx.ts), ctx.local(ticket.created_at))
    who = T["private_reporter"] if in_group and ticket.room_id is None else ticket.reporter_name or ""
    text = brief.line(ticket.masked_text, ticket.location, who, since, limit=40)
    photos = len(ctx.store.notes.attachments(ticket.id))
    return text + (T["photos"].format(n=photos) if photos else "")


def _waited(ctx: Context, ticket: Ticket) -> str:
    """How long it has waited since its holder was first told of it (a night report told at
    07:30 has not waited the night), in the ticket's working time."""
    if _fire_risk_at(ctx, ticket) is not None:  # a fire risk waits every minute, the night too
        return human_minutes(round((ctx.ts - _told_at(ctx, ticket)) / 60))
    seconds = clocks(ctx, ticket).minutes.between(_told_at(ctx, ticket), ctx.ts)
    return human_minutes(round(seconds / 60))


def _officials_of(ctx: Context, ticket: Ticket) -> set[str]:
    """Everyone who answers for the ticket's grid: its workers, its community's staff, and
    whoever the bot told of it."""
    grid = ctx.directory.grid(ticket.grid_id)
    community = ctx.directory.community(ticket.community_id)
    return (
        told_of(ctx, ticket) | set(grid.workers if grid is not None else ())
        | set(community.staff if community is not None else ())
    )


def told_lately(ctx: Context, ticket: Ticket, name: str) -> bool:
    """`name`, its holder, was told of this ticket (its ping, an alarm, a hand-over) within
    the fold window (handlers/pace.py) and has it in hand to read: a resident asking after
    it now tells her nothing she does not know. Not while its ping waits (night, or kept),
    nor for one covering for its holder, who never heard of it."""
    if ticket.ping_held or name != ticket.assignee_name:
        return False
    told = [e.at for e in ctx.store.tickets.events_of_kinds(ticket, TOLD_KINDS)]  # indexed: joiners cost nothing
    return ctx.ts - max(told, default=ticket.created_at) < pace.window(ctx)


def _told_at(ctx: Context, ticket: Ticket) -> int:
    return ctx.store.tickets.phase_at(ticket.id, TOLD_KINDS) or ticket.created_at


def _limit(ctx: Context, ticket: Ticket) -> str:
    hours = ctx.settings.sla.resolve_hours_for(ticket.intent)
    if ticket.urgent or ctx.settings.sla.clock_for(ticket.intent) == "daytime":
        return human_minutes(hours * 60)
    return T["working_days"].format(n=f"{hours / 24:g}") if hours >= 24 else human_minutes(hours * 60)
