"""A resident's report becomes a ticket: silence when unsure (kept as 疑似诉求), the FAQ
for questions it can answer, all hands at once when urgent.

In a group, handlers/conversation.py first reads the message against the room (echoes,
follow-ups, split reports, notices) and calls the pieces here for what is new; a private
message comes here directly.
"""

from __future__ import annotations

import re

from handlers import (
    brief,
    danger,
    flood,
    handled,
    hearing,
    holding,
    lifecycle,
    matching,
    notify,
    places,
    severity,
    sla,
    unplaced,
)
from handlers.chase import asks, asks_whose
from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import URGENT, IncomingMessage, Outgoing, Person, split_quote, without_quote
from handlers.places import HOME
from handlers.texts import (
    DROPPINGS,
    DROPPINGS_ANY,
    DROPPINGS_THING,
    EMERGENCY,
    EMERGENCY_WHAT,
    FLOOD,
    HAZARD_THING,
    HOLDER,
    LEAK,
    LEAK_THING,
    NO_WATER_THING,
    NOT_LEAK,
    THINGS,
    THINGS_OF,
    TITLE,
)
from handlers.texts import REPORT as TEXTS
from intents import mask, normalize_place, subjects_of
from intents.model import INTENT_NAMES_ZH, Classification
from storage import OPEN_STATES, Ticket, TicketState

SUMMARY_LENGTH = 50  # one line on a phone: what is wrong, and the why-now clause (明天上午还得去医院复查: brief.gist)
PHOTO_WINDOW_SECONDS = 30 * 60
# A flat as a place: 「8栋2003」「8号楼2单元502」「5-2-1203」「2003」 (a room alone).
FLAT = re.compile(
    r"(?:(?P<prefix>(?P<building>\d{1,3})(?:栋|号楼|幢|座)(?:\d{1,2}单元)?)|(?P<dash>\d{1,3})-(?:\d{1,2}-)?)?"
    r"(?P<room>\d{3,4})(?:室|号)?"
)


def handle_report(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, *, text: str
) -> list[Outgoing]:
    """A message read on its own (a private chat). `text` is the message's text as it may
    be classified (already cut to a sane length). From someone the bot cannot place
    (`grid` None): a question the FAQ answers is answered, thanks are kept to oneself, a
    message it is unsure of is kept (疑似 of no grid, the admins'); only a need is asked
    where they live."""
    c = ctx.classifier.classify(text)
    if c.intent == "none":
        return attach_photos(ctx, msg) if msg.media else []
    if c.intent == "praise":
        if grid is not None:
            keep_praise(ctx, msg, grid, c)
        return []
    if c.confidence < ctx.settings.classifier.min_confidence and not c.urgent:
        ctx.store.notes.add_suspect(
            grid_id=grid.id if grid else None, room_id=msg.room_id, room_topic=msg.room_topic,
            sender_id=msg.sender_id, sender_name=msg.sender_name, text=text, intent=c.intent,
            confidence=c.confidence, message_id=msg.message_id, at=ctx.ts,
        )
        return []
    if c.intent == "inquiry" and not c.urgent:
        answered = faq_answer(ctx, msg, grid, text)
        if answered is not None:
            return answered
    if grid is None:
        return unplaced.keep_and_ask(ctx, msg, text, c)
    place_key = _place_key(c.place)
    same = same_need(ctx, msg, grid, c.intent, place_key, subjects_of(text)) or _told_privately(
        ctx, msg, grid, c.intent, place_key, subjects_of(text)
    ) or _own_same_need(
        ctx, msg, grid, c.intent, place_key
    )
    if same is None and place_key is None:
        same = flood.fold_target(ctx, msg, grid, c.intent, c.urgent)  # a room in a surge
    if same is not None:
        return _join(ctx, msg, same)
    return open_from_message(
        ctx, msg, grid, text=text, intent=c.intent, urgent=c.urgent, place=c.place,
        place_key=place_key, masked_text=c.masked_text, emergency=c.emergency,
        hazard=severity.hazard_of(c),
    )


def place_report(
    ctx: Context, msg: IncomingMessage, grid: Grid, reports: tuple[unplaced.Kept, ...]
) -> list[Outgoing]:
    """The reports kept while asking where the sender lives (handlers/unplaced.py), handled
    in the grid they named; the grid is remembered for their next private message."""
    ctx.store.seen.set_grid(msg.sender_id, grid.id)
    out = []
    for kept in reports:
        origin = IncomingMessage(
            message_id=kept.message_id, room_id=None, room_topic=None,
            sender_id=msg.sender_id, sender_name=msg.sender_name, text=kept.text, time=msg.time,
        )
        out += handle_report(ctx, origin, grid, text=kept.text)
    return out


def keep_praise(ctx: Context, msg: IncomingMessage, grid: Grid, c: Classification) -> None:
    ctx.store.notes.add_praise(
        grid_id=grid.id, community_id=grid.community_id, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=c.masked_text, message_id=msg.message_id, at=ctx.ts,
    )


FAQ_IN_SIGHT = 30 * 60  # the FAQ's answer posted this recently is still on the screen


def faq_answer(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, text: str
) -> list[Outgoing] | None:
    """The FAQ's answer to a question; None when it has none the community confirmed (a
    general answer is not posted: the question goes to the worker). Asked again in the same
    room the same day: silence while the answer is in sight, else one line pointing back to
    it — never the answer twice (`grid` None: asked by someone the bot cannot place)."""
    entry = ctx.faq.match(text)
    if entry is None or not entry.confirmed:
        return None
    said = f"{msg.room_id}\n{entry.answer}"  # this answer, in this room (a private chat: never again)
    midnight = int(ctx.local(ctx.ts).replace(hour=0, minute=0, second=0).timestamp())
    earlier = [
        e for e in ctx.store.tickets.events_between(midnight, ctx.ts + 1)
        if e.kind == "faq_answered" and e.note == said
    ] if msg.room_id is not None else []
    if earlier and ctx.ts - earlier[-1].at < FAQ_IN_SIGHT:
        return []
    ctx.store.tickets.add_event(
        None, "faq_answered", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name,
        grid_id=grid.id if grid else None, community_id=grid.community_id if grid else None, note=said,
    )
    if earlier:
        when = ctx.local(earlier[0].at).strftime("%H:%M")
        return [notify.reply(msg, TEXTS["faq_again"].format(time=when))]
    return [notify.reply(msg, TEXTS["faq"].format(answer=entry.answer))]


def same_question(ctx: Context, msg: IncomingMessage, grid: Grid, text: str) -> Ticket | None:
    """Today's ticket of this room on the same question the FAQ could not answer for the
    community (「居住证」 asked again in the afternoon): one question, the worker's one answer."""
    entry = ctx.faq.match(text)
    if entry is None or msg.room_id is None:
        return None
    midnight = int(ctx.local(ctx.ts).replace(hour=0, minute=0, second=0).timestamp())
    for ticket in reversed(ctx.store.tickets.select(grid_ids=[grid.id], created_from=midnight)):
        if ticket.intent == "inquiry" and ticket.room_id == msg.room_id and ctx.faq.match(ticket.text) == entry:
            return ticket
    return None


def open_from_message(
    ctx: Context, msg: IncomingMessage, grid: Grid, *, text: str, intent: str, urgent: bool,
    place: str | None, place_key: str | None, masked_text: str, emergency: str | None = None,
    reporter: Person | None = None, registered_by: str | None = None,
    also: tuple[str, ...] | None = None, quiet: bool = False, hazard: str | None = None,
) -> list[Outgoing]:
    """A new ticket: the reporter's acknowledgement (none when `quiet`: they spoke to an
    official, who answers), the worker's ping, and one to each official the resident named
    (`also`; None: those the message @s)."""
    reporter = reporter or Person(name=msg.sender_name, id=msg.sender_id)
    place = places.written_with_building(place, msg.sender_name)
    # a day off, someone on duty; the worker at an emergency
    holds = holding.of(ctx, grid.id, intent=intent, text=text)
    on_duty = None if urgent else holds.on_duty_now
    # the worker tied up in an emergency: a non-urgent ticket goes to a free backup
    worker = grid.workers[0] if urgent else holds.assignee or grid.workers[0]
    ticket = lifecycle.open_ticket(
        ctx, intent=intent, urgent=urgent, grid_id=grid.id, room_id=msg.room_id,
        room_topic=msg.room_topic, reporter_id=reporter.id or reporter.name,
        reporter_name=reporter.name, assignee_name=worker,
        assignee_id=notify.person(ctx, worker).id, location=place, location_key=place_key,
        text=text, masked_text=masked_text, source_message_id=msg.message_id,
        actor_name=registered_by, hazard=None if urgent else hazard,
    )
    ctx.store.conversation.add_report(
        ticket.id, message_id=msg.message_id, room_id=msg.room_id, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=msg.text or text,
        kind="registered" if registered_by else "report",
        at=int(msg.time.timestamp()), replied=True,
    )
    ctx.store.conversation.mark_told(ticket.id, [reporter.id or reporter.name], ctx.ts)
    photos = _store_photos(ctx, ticket, msg)
    kind = INTENT_NAMES_ZH[intent]
    summary = _summary(ctx, ticket)
    photo = TEXTS["with_photos"].format(n=photos) if photos else ""
    if urgent:
        return alarm(ctx, msg, grid, ticket, emergency, reporter, photo=photo)
    if ticket.hazard and not quiet and registered_by is None:  # told now, looked at today
        named = also if also is not None else tuple(notify.reached(ctx, msg, grid)[0]) if msg.room_id else ()
        return severity.opened(
            ctx, msg, grid, ticket, reporter=reporter, worker=worker, summary=summary, photo=photo,
            what=_what_hazard(ticket.hazard, place, reporter.name) or what_of(intent, place, text, reporter.name),
            also=named,
        )
    on_it = None if registered_by or quiet else (
        _arranged_by(ctx, msg, grid, intent, text) or (None if place else _just_told_of(ctx, msg, grid, intent, text))
    )
    if on_it is not None:  # 「五点？！…没水」 a minute after his 「预计下午五点左右恢复供水」: his
        lifecycle.accept(ctx, ticket, actor_name=on_it, actor_id=notify.person(ctx, on_it).id)
        return []
    if not quiet:
        ctx.store.seen.set_prompt(worker, "ping", ticket.id, ctx.ts)
    if registered_by is not None and msg.room_id is not None:
        return [notify.reply(msg, TEXTS["registered"].format(
            id=ticket.id, kind=kind, place=f" · {place}" if place else ""
        ))]
    # Outside working time the resident is told when it will be seen; in quiet hours and
    # on days off the worker's ping waits for the (working) morning (the timers send it).
    # a day off's cold flats or ice: the worker is told in the day's waking hours
    # the roster's one on duty, before waking hours: told when they begin
    pressing = on_duty is None and (holds.rostered_on_duty or holding.cannot_wait(
        ctx, intent, text, at=sla.waking(ctx).next_moment(ctx.ts)
    ))
    at_work = holding.seen_at_work(ctx, msg.room_id, worker)  # past hours, in the yard: no 「明天」
    when = None if on_duty or at_work else sla.first_look(ctx, intent, urgent=False, daytime=pressing)
    kind_of_ack = ack_kind(intent, place_key)
    asked_of = ctx.faq.match(text) if intent == "inquiry" else None  # 「居住证的事…回您准话」
    # the roster has the worker off and this waits for her: no date, who is on duty today
    waits = (when is not None or holds.back is not None) and holds.rostered_off and not holds.rostered_on_duty
    ack_key = (f"ack_{kind_of_ack}" if kind_of_ack else "ack" if msg.room_id else "ack_private") + (
        "_waits" if waits else "_later" if when else ""
    )
    what = TEXTS["what_topic"].format(topic=asked_of.topic) if asked_of else what_of(intent, place, text, reporter.name)
    ack = TEXTS[ack_key].format(
        id=ticket.id, what=what, when=when, duty=holds.duty, off=holds.off,
        worker=holding.named(ctx, grid.id, holds) if holds.rostered_off
        else TITLE["office"] if kind_of_ack == "inquiry" and not on_duty  # anyone of the office may answer
        else holding.titled(ctx, grid.id, on_duty or worker),
    )
    if intent != "inquiry" and asks_whose(text):  # 「…是归物业管还是归社区管？」
        ack += TEXTS["asked_whose"]
    ping = TEXTS["ping"].format(
        id=ticket.id, kind=kind, summary=summary, photo=photo, answers=notify.answers([ticket])
    )
    held = sla.holds_ping(ctx, intent, urgent=False) and not (pressing and when is None)
    held = held or holds.back is not None  # her day off: it waits for her next working day
    if on_duty or held or sla.gathers_ping(ctx, worker, intent, text):
        sla.hold_ping(ctx, ticket)  # on duty, off hours, moments after another: listed by the timers
        pings = []
    else:
        pings = notify.privately(ctx, [worker], ping)
        if not quiet:
            sla.pinged(ctx, worker)
    if also is None:
        also = tuple(notify.reached(ctx, msg, grid)[0]) if msg.room_id else ()  # one not there: who holds for her
    named = [name for name in also if name != worker]
    for name in named:
        ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
    if quiet:  # asked of them by name, who answer: only they are told
        return notify.privately(ctx, list(also), ping, about=ticket)
    pings += notify.privately(ctx, named, ping, about=ticket)
    if msg.room_id is None:
        return [Outgoing(text=ack, to=reporter), *pings]
    # The group reads news for residents; what the worker is to do goes to the worker.
    return [
        Outgoing(text=ack, room_id=msg.room_id, room_topic=msg.room_topic, mentions=(reporter,)),
        *pings,
    ]


JUST_TOLD_SECONDS = 10 * 60  # a grid worker's word in the group this recent is still being read


def _just_told_of(ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, text: str) -> str | None:
    """The grid worker who told the group of this very thing minutes ago (「跟大家说一下：
    …预计下午五点左右恢复供水」), when a resident's report naming no place of its own answers
    it (「五点？！孩子回来洗手都没水」): he is on it and has just said so, so the ticket is his,
    quietly — no stock 「会尽快跟进」 under his words, no 「没人接单」 an hour later. A request
    of one's own (a wish, an errand) after his word that a thing is done is a new one."""
    said = subjects_of(text)
    if msg.room_id is None or not said or intent in matching.OWN_REQUESTS:
        return None
    rows = ctx.store.conversation.said_by(
        msg.room_id, grid.workers, since=ctx.ts - JUST_TOLD_SECONDS, until=ctx.ts, limit=2,
    )
    return next((
        row.sender_name for row in rows if said & subjects_of(row.text) and not handled.tells_done(ctx, row.text)
    ), None)


ARRANGED_SECONDS = 3 * 3600  # a worker's word who helps on request holds while the need lasts


def _arranged_by(ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, text: str) -> str | None:
    """The grid worker who told the group, hours ago at most, who helps on request (「行动不方便
    的在群里说一声 赵大爷和小王给送」), when a resident asks that helper by name for it (「赵大爷
    …能给送一桶上来吗」): his word took it on before the bot would speak, the helper answers
    in the group — the ticket is his, quietly, with no 「会尽快跟进」 and no new-ticket ping."""
    if msg.room_id is None or intent not in matching.OWN_REQUESTS:
        return None
    helpers = [n for n in (*grid.volunteers, *grid.workers) if n in text]
    if not helpers:
        return None
    rows = ctx.store.conversation.said_by(
        msg.room_id, grid.workers, since=ctx.ts - ARRANGED_SECONDS, until=ctx.ts, limit=3,
    )
    return next((
        row.sender_name for row in rows
        if any(n in row.text and n != row.sender_name for n in helpers) and not handled.tells_done(ctx, row.text)
    ), None)


def tell_named(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """The reporter turns to an official by name about their open ticket (「@陈海燕 打扰了陈主任
    想问一下」 after their question went to the worker): that official hears of the ticket too,
    once — what was asked, not the words that call them."""
    grid = ctx.directory.grid(ticket.grid_id)
    if grid is None or msg.room_id is None:
        return []
    reached, said = notify.reached(ctx, msg, grid, urgent=ticket.urgent)  # one not there: who holds for her
    asked = [n for n in reached if n != ticket.assignee_name]
    if not asked:  # most follow-ups name no one: no ticket history read, no ping written
        return []
    told = sla.told_of(ctx, ticket)  # told of it already: the @ in the group reaches them
    named = [
        n for n in asked
        if n not in told
        and (ctx.store.seen.prompt(n, "ping") or (None,))[0] != ticket.id
    ]
    if not named:
        return []
    for name in named:
        ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
    ping = TEXTS["ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], summary=_summary(ctx, ticket),
        photo=photo_note(ctx, ticket), answers=notify.answers([ticket]),
    )
    return said + notify.privately(ctx, named, ping, about=ticket)


def alarm(
    ctx: Context, msg: IncomingMessage, grid: Grid, ticket: Ticket, emergency: str | None,
    reporter: Person, *, photo: str = "", raised: bool = False,
) -> list[Outgoing]:
    """Danger now: what to do first for this danger, then the grid's workers at once (the
    community is the next step, if none of them answers: handlers/sla.py). `raised`: the
    danger is told in a message that joined an incident reported before, not in its report:
    every worker reads the words that make it urgent now, not only the earlier report."""
    summary = _summary(ctx, ticket)
    kind = danger.of(ctx, msg.text or ticket.text)
    workers = list(grid.workers)
    duty = holding.woken(ctx, grid.id)  # on duty today and not one of them: woken as they are
    woken = woken_by(ctx, grid, kind)
    # its worker, pinged of it as it was reported (and of nothing since): only what makes
    # it urgent now, not the report again, the phone ringing all the same
    last_ping = ctx.store.seen.prompt(ticket.assignee_name or "", "ping")
    pinged = ticket.assignee_name if (
        last_ping is not None and last_ping[0] == ticket.id and ticket.created_at < ctx.ts
        and not ticket.ping_held
    ) else None
    called_names = list(dict.fromkeys([*woken, *([duty] if duty else [])]))
    for name in called_names:
        ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
    sla.told(ctx, ticket, called_names)
    # kept for the timers: what residents call when no official answers (handlers/sla.py)
    ctx.store.tickets.add_event(
        ticket, "danger", at=ctx.ts, actor_name=sla.SYSTEM, note=f"{kind} {emergency or ''}".strip()
    )
    first = EMERGENCY[kind].format(
        number=emergency or "110", what=EMERGENCY_WHAT.get(emergency or "", EMERGENCY_WHAT["other"])
    )
    called = EMERGENCY["called" if msg.room_id else "called_private"].format(
        workers="、".join(workers), id=ticket.id,
        duty=EMERGENCY["and_duty"].format(duty=holding.titled(ctx, grid.id, duty)) if duty else "",
    )
    text = called if kind == "other" and not emergency else f"{first}\n{called}"
    ping = TEXTS["urgent_ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], summary=summary + photo,
        answers=notify.answers([ticket]),
    )
    again = TEXTS["urgent_again"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=brief.gist(msg.text or "", limit=40),
        who=msg.sender_name, answers=notify.answers([ticket]),
    )
    raised_ping = TEXTS["urgent_raised"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=brief.gist(msg.text or "", limit=40),
        who=msg.sender_name, summary=summary + photo, answers=notify.answers([ticket]),
    )
    # the group sees whom it was told is coming (the workers, whoever is on duty); the staff
    # woken with them are paged privately, not @-ed before every resident
    called_people = tuple(notify.person(ctx, n) for n in dict.fromkeys([*workers, *([duty] if duty else [])]))
    # First out of the outbox. In the group a bare @ of everyone called; what to do, privately.
    if msg.room_id is None:
        out = [Outgoing(text=text, to=reporter, priority=URGENT)]
    else:
        out = [Outgoing(text=text, room_id=msg.room_id, room_topic=msg.room_topic,
                        mentions=(reporter, *called_people), priority=URGENT)]
    return out + [
        m for name in called_names
        for m in notify.privately(ctx, [name], again if name == pinged else raised_ping if raised else ping, priority=URGENT)
    ]


def woken_by(ctx: Context, grid: Grid, kind: str) -> list[str]:
    """Whom danger now of this kind wakes at once: the grid's workers, and the community's
    staff for what a community wants to be woken for (handlers/danger.WAKES_COMMUNITY)."""
    names = list(grid.workers)
    if danger.wakes_community(kind):
        community = ctx.directory.community(grid.community_id)
        names += list(community.staff) if community is not None else []
    return list(dict.fromkeys(names))


def safety_line(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """An incident the group knows of turned dangerous (the dripping pipe bursts): the people
    near it hear once what to do first for that kind of danger (close the valve, keep off the
    sockets). Nothing for a danger of no known kind, nothing privately, and once per incident
    and kind: not when its alarm or an earlier line said it already."""
    kind = danger.of(ctx, msg.text or "")
    if msg.room_id is None or kind == "other":
        return []
    if any((e.note or "").split(" ")[0] == kind for e in ctx.store.tickets.events_of_kinds(ticket, ("danger",))):
        return []
    ctx.store.tickets.add_event(ticket, "danger", at=ctx.ts, actor_name=sla.SYSTEM, note=kind)
    text = f"{EMERGENCY[kind]}（#{ticket.id}）"
    return [Outgoing(text=text, room_id=msg.room_id, room_topic=msg.room_topic, priority=URGENT)]


def _join(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    added = lifecycle.join(
        ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name, room_id=msg.room_id,
        room_topic=msg.room_topic, message_id=msg.message_id,
    )
    _store_photos(ctx, ticket, msg)
    if not added:
        # their own need again: details (the father's name, the flat) go on the ticket
        # quietly; only a chase or a question is answered
        ctx.store.conversation.add_report(
            ticket.id, message_id=msg.message_id, room_id=msg.room_id, sender_id=msg.sender_id,
            sender_name=msg.sender_name, text=msg.text, kind="detail",
            at=int(msg.time.timestamp()), subjects=subjects_of(msg.text),
        )
        if not asks(msg.text) or seen_later(ctx, ticket) or handled.answering_now(ctx, ticket, ctx.ts):
            return []
        return [
            notify.reply(msg, TEXTS["same_again"].format(
                id=ticket.id, who=who_has_it(ctx, ticket), said=last_said(ctx, ticket)
            ))
        ]
    verdict = flood.join_reply_due(ctx, ticket, msg)
    if verdict == "quiet":
        return []  # told with everyone when it is done
    if ticket.intent == "dispute" or "conflict" in subjects_of(msg.text or ""):
        # a party to a quarrel: what they said was passed on, not how many complained
        return [notify.reply(msg, TEXTS["joined_party"].format(id=ticket.id, who=who_has_it(ctx, ticket)))]
    n = len(ctx.store.tickets.reporters(ticket.id))
    text = TEXTS["joined"].format(n=n, id=ticket.id, who=who_has_it(ctx, ticket))
    if verdict == "last_reply":
        text += FLOOD["more_join"]
    return [notify.reply(msg, text)]


def same_need(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, place_key: str | None,
    subjects: frozenset[str] = frozenset(),
) -> Ticket | None:
    """The open ticket of the grid for the same need at the same place — or at a place this
    one is in, about the same thing (a flat's cold radiator, 12栋2单元501, and the heating
    of its building, 12栋: handlers/places.py)."""
    if not place_key:
        return None
    since = ctx.ts - int(ctx.settings.classifier.duplicate_window_hours * 3600)
    found = ctx.store.tickets.find_duplicate(
        grid_id=grid.id, intent=intent, location_key=place_key, since=since
    )
    for outer in places.enclosing(place_key) if found is None and subjects else ():
        found = ctx.store.tickets.find_duplicate(
            grid_id=grid.id, intent=intent, location_key=outer, since=since
        )
        if found is not None and subjects & subjects_of(found.text):
            return found
        found = None
    if found is None and subjects and not places.enclosing(place_key) and places.parse(place_key).building:
        found = _inside(ctx, grid, intent, place_key, subjects, since)
    return found


def _inside(
    ctx: Context, grid: Grid, intent: str, building: str, subjects: frozenset[str], since: int
) -> Ticket | None:
    """The open ticket of this need at a spot inside the building a report names, nothing
    finer (「我们7号楼那边就有从窗户拉线的」 with 「7号楼1门一楼那家…拉根电线」 told privately that
    morning): the same thing there, told again, not a second matter. The latest, when several."""
    for ticket in ctx.store.tickets.open_within(grid_id=grid.id, intent=intent, location_prefix=building, since=since):
        if building in places.enclosing(ticket.location_key or "") and subjects & subjects_of(ticket.text):
            return ticket
    return None


def _told_privately(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, place_key: str | None,
    subjects: frozenset[str],
) -> Ticket | None:
    """A neighbour's private word on a matter the grid's group has open, said of the same
    thing in the same building (「我是9幢1单元502的 不好在群里说 802装修每天中午也在打」 while
    9幢's renovation quarrel is open): one more party to it, not a second ticket. The place
    they name may be their own home, so the building decides, not the flat. A matter the
    group has quarrelled over (dog mess someone was accused of) is one the other side may
    write of privately as a quarrel (「我不想在群里跟他吵 我家狗真的每次都收拾」): hers too."""
    if msg.room_id is not None or not subjects:
        return None
    building = places.building_where(place_key, msg.sender_name)
    if building is None:
        return None
    since = ctx.ts - int(ctx.settings.classifier.duplicate_window_hours * 3600)
    open_ones = ctx.store.tickets.select(states=OPEN_STATES, grid_ids=[grid.id], created_from=since)
    for ticket in reversed(open_ones):
        if ticket.room_id is None:
            continue
        said_of = matching.incident_subjects(ctx, ticket)
        if ticket.intent != intent and not (intent == "dispute" and "conflict" in said_of):
            continue  # (but a matter the group quarrels over is the quarrel's other side's too)
        if places.building_where(places.ticket_place(ticket), ticket.reporter_name or "") != building:
            continue
        if (subjects - {"conflict"}) & said_of:
            return ticket
    return None


def _own_same_need(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, place_key: str | None
) -> Ticket | None:
    """The same resident again about the same need (in a private chat) — or going on, a
    minute or two later, with the story they just told privately: there is no one else in
    a private chat, so the next line (「晚上鸡还叫 … 每天早上四五点就被吵醒」 after 「楼顶天台上有人
    养鸡」) is more of it even when it reads as another kind of need — unless it names
    another building, turns to another matter, or asks something of their own."""
    since = ctx.ts - int(ctx.settings.classifier.duplicate_window_hours * 3600)
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES):
        if (
            ticket.grid_id == grid.id and ticket.intent == intent and ticket.created_at >= since
            and (place_key is None or ticket.location_key in (None, place_key))
        ):
            return ticket
    return _still_telling_privately(ctx, msg, grid, intent, place_key)


def _still_telling_privately(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, place_key: str | None
) -> Ticket | None:
    """The sender's private report of a moment ago that this private line goes on with."""
    if msg.room_id is not None or intent in matching.OWN_REQUESTS or hearing.ANOTHER_MATTER.search(msg.text):
        return None
    building = places.building_where(place_key, msg.sender_name)
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES):
        last = ctx.store.conversation.last_word(ticket.id, msg.sender_id)
        if ticket.grid_id != grid.id or ticket.room_id is not None or last is None:
            continue
        if ctx.ts - last > hearing.PIECE_GAP or ticket.intent in matching.OWN_REQUESTS:
            continue
        if not matching._same_subject(subjects_of(msg.text), matching.incident_subjects(ctx, ticket)):
            continue  # the same thing said again, not another (路灯, then 电动车在充电 / 杂物)
        there = places.building_where(places.ticket_place(ticket), msg.sender_name)
        if building is None or there is None or building == there:
            return ticket
    return None


def _place_key(place: str | None) -> str | None:
    return (normalize_place(place) or None) if place else None


# A flat's own fault (8栋2003, 3-1102): that household's, like an errand or a quarrel.
ONE_FLAT = re.compile(r"(?<!\d)\d{3,4}(?:室|号)?$")
# Needs of one person or household: their outcome is told to them, never in the group.
PERSONAL = frozenset({"errand", "dispute"})


def personal(intent: str, place_key: str | None) -> bool:
    """One person's or one household's need (an errand, a quarrel, a leak into one flat):
    the group never hears its outcome; its holder answers them."""
    return intent in PERSONAL or bool(ONE_FLAT.search(place_key or ""))


def ack_kind(intent: str, place_key: str | None) -> str:
    """Which acknowledgement fits (texts.REPORT ack_*): "" a fault in a shared place (the
    group hears when it is done), else what the holder answers: a question (准话), a wish (回音),
    a quarrel (单独联系, never a report in the group), a household's or person's own need."""
    if intent in ("dispute", "inquiry", "wish"):
        return intent
    return "own" if personal(intent, place_key) else ""


def what_of(intent: str, place: str | None, text: str, sender_name: str = "") -> str:
    """What the resident spoke of, as they would say it: 「5栋2单元电梯的事」, 「7栋后面垃圾房的事」;
    a quarrel is 「您说的事」 (no label, no neighbour's flat named in the group); a leak from
    the flat above is 「8栋1903漏水的事」, where the reporter lives with it (public_place)."""
    if intent == "dispute":
        return TEXTS["what_said"]
    if intent == "inquiry":
        return TEXTS["what_asked"]
    if intent == "wish":
        return TEXTS["what_wish"]
    said = subjects_of(text)
    fits = THINGS_OF.get(intent, THINGS.keys())
    thing = next((word for subject, word in THINGS.items() if subject in said and subject in fits), None)
    if any(word in text for word in NOT_LEAK):
        thing = NO_WATER_THING
    elif any(word in text for word in LEAK):
        thing = LEAK_THING
    elif "pet" in said and any(word in text for word in DROPPINGS):
        thing = next((t for animal, t in DROPPINGS_THING.items() if animal in text), DROPPINGS_ANY)
    place = public_place(place, sender_name)
    if thing and place and thing not in place:
        # 「9号楼下」 and 「下水道」 share the 下: 「9号楼下水道」, not 「9号楼下下水道」
        if place[-1] == thing[0] and len(place) > 1:
            place = place[:-1]
        return TEXTS["what_thing"].format(place=place, thing=thing)
    if place or thing:
        return TEXTS["what_place"].format(place=place or thing)
    return TEXTS["what_said"]


def _what_hazard(kind: str | None, place: str | None, sender_name: str) -> str | None:
    """A hazard named by what it is (「10号楼东边消防通道的事」), not by a word of it (堵 -> 下水道)."""
    thing = HAZARD_THING.get(kind or "")
    if thing is None:
        return None
    where = public_place(place, sender_name)
    if where and thing not in where:
        return TEXTS["what_thing"].format(place=where, thing=thing)
    return TEXTS["what_place"].format(place=where or thing)


def public_place(place: str | None, sender_name: str) -> str:
    """The place as the group may read it. A flat that is not the reporter's own (「8栋2003的
    … 你家卫生间漏水漏到我家」) is the neighbour they speak of, never named in public: the
    reporter's home (from their display name, 「许先生 8-1903」) in its stead, else the building."""
    place = (place or "").strip()
    flat = FLAT.fullmatch(place)
    if flat is None:
        return place
    home = HOME.search(sender_name)
    if home is not None and home.group(2) == flat["room"]:
        return place  # their own flat, as their name says it
    building = flat["building"] or flat["dash"]
    if home is not None and (building is None or building == home.group(1)):
        return f"{home.group(1)}栋{home.group(2)}"
    return flat["prefix"] or (f"{building}栋" if building else "")


def _summary(ctx: Context, ticket: Ticket) -> str:
    """One line for a worker: where and what (handlers/brief.py), who, since when."""
    since = brief.since(ctx.local(ctx.ts), ctx.local(ticket.created_at))
    return brief.line(ticket.masked_text, ticket.location, ticket.reporter_name or "", since, SUMMARY_LENGTH)


def _store_photos(ctx: Context, ticket: Ticket, msg: IncomingMessage) -> int:
    count = 0
    for media in msg.media:
        if media.kind == "image" and media.data:
            _, new = ctx.store.notes.attach(
                ticket.id, media.data, kind=media.kind, message_id=msg.message_id, at=ctx.ts
            )
            if new:
                ctx.store.tickets.add_event(
                    ticket, "photo", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name
                )
                count += 1
    return count


def attach_photos(ctx: Context, msg: IncomingMessage) -> list[Outgoing]:
    """A photo posted right after a report belongs to that report's ticket (quietly)."""
    recent = [
        t for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
        if ctx.ts - t.created_at <= PHOTO_WINDOW_SECONDS
    ]
    if recent:
        add_photos(ctx, msg, recent[0])
    return []


def add_photos(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> None:
    """The message's photos on the ticket, without a word: the worker hears how many there
    are with the next message about it (photo_note), not one message per photo."""
    _store_photos(ctx, ticket, msg)


def photo_note(ctx: Context, ticket: Ticket) -> str:
    """「（附照片 2 张）」 when residents sent photos of it, else ""."""
    n = len(ctx.store.notes.attachments(ticket.id))
    return TEXTS["with_photos"].format(n=n) if n else ""


def who_has_it(ctx: Context, ticket: Ticket) -> str:
    """Who has it, as it is: taken (网格员王秀英已接手), told (已告诉网格员王秀英), or when
    they will see it (网格员王秀英周一上班后会看到) — never 在跟进 before anyone took it."""
    holder = notify.holder(ctx, ticket)
    if ticket.status != TicketState.OPEN:
        return HOLDER["taken"].format(holder=holder)
    on_duty = holding.of_ticket(ctx, ticket).on_duty_now  # a day off: who is on duty has it
    if on_duty:
        return HOLDER["told"].format(holder=HOLDER["worker"].format(name=on_duty))
    when = None if _at_work(ctx, ticket) else sla.first_look(ctx, ticket.intent, urgent=bool(ticket.urgent))
    if when:
        return HOLDER["later"].format(holder=holder, when=when)
    return HOLDER["told"].format(holder=holder)


def seen_later(ctx: Context, ticket: Ticket) -> bool:
    """Nobody takes or sees this open ticket before the next working time (who_has_it would
    say 「…周一上班后会看到」): a chase of it gets no public line, only the morning's reminder."""
    if ticket.status != TicketState.OPEN or holding.of_ticket(ctx, ticket).on_duty_now or _at_work(ctx, ticket):
        return False
    return bool(sla.first_look(ctx, ticket.intent, urgent=bool(ticket.urgent)))


def _at_work(ctx: Context, ticket: Ticket) -> bool:
    """Its worker spoke in its group within the hour, past office hours (holding.seen_at_work)."""
    return holding.seen_at_work(ctx, ticket.room_id, ticket.assignee_name)


def last_said(ctx: Context, ticket: Ticket) -> str:
    """What an official or the property company last said of it in the group (「物业管家小林
    10:21 说：师傅大概11点到」), or ""."""
    events = ctx.store.tickets.events(ticket.id)
    since = handled.said_since(events)  # not a word said before it was found not done
    for event in reversed(events):
        if event.at < since:
            break
        if event.kind in ("update", "progress") and event.note and event.actor_name:
            words = without_quote(split_quote(event.note)[0])  # the reply, not what it quotes
            if words.strip():
                return HOLDER["said"].format(
                    who=event.actor_name, time=ctx.local(event.at).strftime("%H:%M"),
                    gist=brief.gist(mask(words), limit=30),
                )
    return ""
