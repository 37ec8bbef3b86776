"""A resident's message recorded on an incident, and what they hear.

A joined neighbour becomes one of the incident's reporters (an echo, a question about it)
or leaves a comment; one who asks after it hears one short line, long after the bot last
spoke of it. The reporter again adds a detail quietly, or — asking after it, or saying it
is still not right — gets a short answer and the worker a private word. Danger now in an
incident that was not urgent makes it urgent. What is no incident's is read (a reading
kept on the message) or kept as 疑似 for the worker.
"""

from __future__ import annotations

import re

from handlers import (
    brief,
    chase,
    danger,
    handled,
    hearing,
    holding,
    identity,
    lifecycle,
    matching,
    notify,
    places,
    report,
    resident,
    severity,
    sla,
)
from handlers.context import Context
from handlers.directory import Grid
from handlers.hearing import Heard
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import CONVERSATION as TEXTS
from handlers.texts import HOLDER
from handlers.texts import RESIDENT as RESIDENT_TEXTS
from intents import normalize_place
from intents.model import INTENT_NAMES_ZH
from storage import OPEN_STATES, InboxRow, Ticket, TicketState

# How long things hold together in a group chat (seconds).
ANSWER_GAP = 2 * 3600  # one answer about an incident per room in this time
TELL_GAP = 2 * 3600  # at most one "also recorded" post per incident and room in this time
PERSON_GAP = 12 * 3600  # at most one answer per person and incident in half a day
# the classifier's concept of asking an official to explain or settle it (intents/rules/10_concepts.toml)
ASKS_TO_SETTLE = "讨说法:"
REMIND_GAP = 3600  # a holder is reminded of residents asking after a ticket at most this often
CHASED = "chase_reminded"  # the event kept when a resident's chase was passed on to its holder


def read(ctx: Context, msg: IncomingMessage, reading: str, ticket: Ticket | None = None) -> list[Outgoing]:
    ctx.store.conversation.mark_read(msg.message_id, reading, ticket.id if ticket else None)
    return []


def add_report(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, kind: str, *, text: str | None = None,
) -> bool:
    """The message on the ticket. True when it is a chase that hands a matter waiting for
    the worker's next working day to the one on duty (handlers/holding.py): the timers'
    next round tells them of it."""
    text = msg.text if text is None else text
    ctx.store.conversation.add_report(
        ticket.id, message_id=msg.message_id, room_id=msg.room_id, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=text, kind=kind, at=int(msg.time.timestamp()),
        subjects=matching.gathered(kind, text),
    )
    ctx.store.conversation.mark_read(msg.message_id, kind, ticket.id)
    if kind == "follow_up" and ticket.ping_held and not ticket.urgent and holding.of_ticket(ctx, ticket).on_duty_now:
        ctx.store.tickets.schedule(ticket.id, ctx.ts, ping_held=True)
        return True
    return False


def _finer_place(ctx: Context, ticket: Ticket, place: str) -> None:
    """The reporter's next line names the floor or flat (「四楼 401」 after 「三栋一单元…」): the
    ticket's place says it from now on (reminders, lists, 查询, the dashboard). No message of
    its own: the worker read it in the group, and the next word of the ticket carries it."""
    key = places.finer(ticket.location_key, normalize_place(place))
    if key is not None:
        ctx.store.tickets.update(ticket.id, at=ctx.ts, location=f"{ticket.location} {place}", location_key=key)


def photo(ctx: Context, msg: IncomingMessage) -> list[Outgoing]:
    """A photo joins the sender's report of the last half hour, or waits for the next one."""
    at = int(msg.time.timestamp())
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES):
        last = matching.last_word(ctx, ticket, msg.sender_id)
        if ticket.room_id == msg.room_id and last is not None and at - last <= report.PHOTO_WINDOW_SECONDS:
            add_report(ctx, msg, ticket, "photo", text=msg.text or "[图片]")
            report.add_photos(ctx, msg, ticket)
            return []
    for media in msg.media:
        if media.kind == "image" and media.data:
            ctx.store.notes.keep_loose(msg.message_id, media.data, kind=media.kind, at=ctx.ts)
    return read(ctx, msg, "photo")


def own_again(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """The reporter again: a detail said soon after, or a remark later (kept quietly), or a
    question after the incident or word that it is still not right (a short answer with
    its number and state, at most once in a while per incident and room, and a word to
    the worker in charge)."""
    at = int(msg.time.timestamp())
    last = matching.last_word(ctx, ticket, msg.sender_id)
    asking = hearing.asks_after(heard.text) or (
        bool(hearing.STILL.search(heard.text)) and (heard.is_need or bool(heard.subjects))
    )
    if not asking:
        detail = last is not None and at - last <= matching.DETAIL_WINDOW
        add_report(ctx, msg, ticket, "detail" if detail else "remark")
        if detail and ticket.location is None and heard.c.place:
            ctx.store.tickets.update(
                ticket.id, at=ctx.ts, location=heard.c.place, location_key=heard.place_key
            )
        elif detail and heard.c.place:
            _finer_place(ctx, ticket, heard.c.place)
        report.add_photos(ctx, msg, ticket)
        if _danger_news(ctx, msg, ticket, heard):
            return _raise_urgent(ctx, msg, ticket, heard)
        raised = severity.raised(ctx, msg, ticket, heard.text, heard.c.evidence)  # 「俺怕泡坏了电线」 of a leak
        if raised is not None:
            return raised
        if heard.c.intent == "dispute" and ASKS_TO_SETTLE in " ".join(heard.c.evidence):
            # 「马网格 俺家吊顶那事恁给说说」: asks the worker to explain or settle it — they hear it
            return _tell_holder(ctx, msg, ticket) + report.tell_named(ctx, msg, ticket)
        return report.tell_named(ctx, msg, ticket)
    assert msg.room_id is not None
    answered = ctx.store.conversation.last_answered_in_room(ticket.id, msg.room_id)
    to_duty = add_report(ctx, msg, ticket, "follow_up")
    if _danger_news(ctx, msg, ticket, heard):
        return _raise_urgent(ctx, msg, ticket, heard)
    # Only a real chase or question (not 「还在滴」 said in passing, not a question put to the
    # property company) is answered, once in a while per room and per person, with who has
    # it and what an official last said; the worker hears that chase (in the morning when
    # it can wait). The rest stays on the ticket for the worker to read.
    if severity.is_hazard(ticket) and _asks_the_bot(ctx, msg, heard) and not handled.answering_now(ctx, ticket, at):
        return severity.asked(ctx, msg, ticket, short(msg.text))  # a hazard chased: answered, its holder reminded
    if not _asks_the_bot(ctx, msg, heard):
        return []
    if _may_be_of_something_else(ctx, msg, ticket, heard, at):
        return []  # kept on the ticket: no other matter's news in the group, no reminder of the wrong one
    remind = not to_duty  # to_duty: told in the timers' next round
    if answered is not None and at - answered < ANSWER_GAP:
        # asked again, the group answered a while ago: nothing more in public; while nobody
        # has taken it, whoever holds it is reminded (one who took it knows it waits)
        # (not a question put to an official who spoke a moment ago: 「等下是几点 给个准话呀」)
        remind = remind and ticket.status == TicketState.OPEN and matching.official_just_before(ctx, msg) is None
        return _remind_holder(ctx, msg, ticket, at) if remind else []
    if _answered_person_lately(ctx, msg, ticket) or handled.answering_now(ctx, ticket, at):
        return []  # an official answering in the thread right now answers this too
    worker = notify.hears_now(ctx, ticket) or ""
    out = _remind_holder(ctx, msg, ticket, at) if remind else []
    if not worker or notify.morning(ctx, ticket):
        return out  # the reminder waits for the morning: nothing to say in public (no 「明天上班后会看到」)
    ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
    taken = ticket.status != TicketState.OPEN
    holder = notify.holder(ctx, ticket) if worker == ticket.assignee_name else HOLDER["worker"].format(name=worker)
    text = TEXTS["follow_up_taken" if taken else "follow_up"].format(
        what=report.what_of(ticket.intent, ticket.location, ticket.text, ticket.reporter_name or ""),
        id=ticket.id, holder=holder, said=report.last_said(ctx, ticket),
    )
    return [notify.reply(msg, text), *out]


STALE_SECONDS = 3 * 3600  # a ticket the room has not spoken of this long is not what a bare 「…呢」 asks after


def _may_be_of_something_else(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard, at: int) -> bool:
    """A chase that names nothing (「介到底嘛时候来啊」) hours after the room last spoke of its
    ticket, while an official has spoken there since of other things (the water, at 14:30):
    it may well be of those, so the ticket's old news (a 07:12 quote on the morning's noise)
    is not the answer, in public or to its holder (d16, finding 8)."""
    if heard.subjects or heard.place_key or heard.c.place or msg.room_id is None:
        return False
    rows = [r for r in ctx.store.conversation.said_since(msg.room_id, at - STALE_SECONDS, until=at)
            if r.message_id != msg.message_id]
    if any(r.ticket_id == ticket.id for r in rows):
        return False
    return any(
        r.ticket_id != ticket.id and identity.who(ctx, r.sender_id, r.sender_name).is_official for r in rows
    )


def _tell_holder(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, key: str = "follow_up_ping", *, named: bool = False,
) -> list[Outgoing]:
    """The resident's words on the ticket to whoever hears of it now (in the morning when
    it can wait), privately; `named`: and to the officials the message names."""
    grid = ctx.directory.grid(ticket.grid_id)
    names = [notify.hears_now(ctx, ticket) or ""]
    if named and grid is not None:
        names += notify.reached(ctx, msg, grid, urgent=ticket.urgent)[0]
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return []
    return notify.privately(ctx, names, TEXTS[key].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=short(msg.text),
        who=msg.sender_name, photo=report.photo_note(ctx, ticket),
    ), about=ticket, fold=True)


def register(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """「@孙丽 我们家也登记一个 12号楼3门洞601 礼拜六」 minutes after an official answered a
    question of the room with what to register for: one more household on that question's
    ticket (its list for the worker), who hears it privately; the group hears nothing more."""
    add_report(ctx, msg, ticket, "registered")
    lifecycle.join(
        ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
        room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
    )
    return _tell_holder(ctx, msg, ticket, "registered_ping", named=True)


def join(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Someone else's message about an open incident: one more reporter when it tells of
    the need (an echo, a question about it), else a comment; told once, in one short post
    for all who joined since the last one, when that has scrolled out of sight."""
    if _still_after_claimed_done(ctx, heard, ticket):
        # 「物业说修好了？3幢1单元楼道灯还是黑的」: reopened on the resident's word
        return undo_claim(ctx, msg, ticket, heard)
    if ticket.intent == "dispute":  # the parties of a quarrel, not those who calm it
        reporter = heard.is_need and (heard.c.intent == "dispute" or matching.is_party(ctx, msg, ticket))
    else:  # a bare "又坏了" after a report is a remark on it, not one more reporter
        reporter = (
            (heard.is_need and heard.c.intent == ticket.intent and matching.said_of(heard, ticket))
            or heard.c.urgent or bool(hearing.ECHO.search(heard.text) and not hearing.TO_SOMEONE.search(heard.text))
            # in words that name no need: "8栋又停水？？", "什么时候来水啊"
            or (matching.said_of(heard, ticket) and bool(heard.place_key or hearing.asks_after(heard.text)))
        ) and not (
            # a story of then, what might happen, or an answer to a neighbour's question is
            # said about it, not one more household it happens to; nor is the household the
            # report names answering it ("我是2003的租客 没有漏啊")
            hearing.tells_of_then(heard) or hearing.supposes(heard) or hearing.answers_a_question(ctx, msg, heard)
            or (places.lives_in(msg.sender_name, ticket) and not heard.c.urgent)
        )
    add_report(ctx, msg, ticket, "echo" if reporter else "comment")
    for piece in heard.pieces:
        join_piece(ctx, ticket, piece)
    if reporter:
        lifecycle.join(
            ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
            room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
        )
    report.add_photos(ctx, msg, ticket)
    out: list[Outgoing] = []
    if _danger_news(ctx, msg, ticket, heard):
        return _raise_urgent(ctx, msg, ticket, heard)
    # an echo, a "+1", a comment, a joke or a neighbour's reassurance folds in quietly; one
    # who asks after it (a chase, a question) hears one short line, long after the bot last
    # spoke of it, never in a quarrel
    if reporter and ticket.intent != "dispute" and _asks_the_bot(ctx, msg, heard):
        out += _tell_joined(ctx, msg, ticket)
    return out


def _join_as_reporter(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> None:
    """One who says an incident is not right is one of its reporters, their words and photos
    on its timeline (a reopen and an undone claim both start so)."""
    reporter = ctx.store.tickets.is_reporter(ticket.id, msg.sender_id)
    add_report(ctx, msg, ticket, "follow_up" if reporter else "echo")
    for piece in heard.pieces:
        join_piece(ctx, ticket, piece)
    if not reporter:
        lifecycle.join(
            ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
            room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
        )
    report.add_photos(ctx, msg, ticket)


def reopen(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Word that an incident done is still not right: it is reopened as its reporter's
    没修好 would be (the group hears it is back with the worker, the worker why), and one
    who was not its reporter becomes one."""
    _join_as_reporter(ctx, msg, ticket, heard)
    return resident.reopen(ctx, msg, ticket, note=short(heard.text))


def _still_after_claimed_done(ctx: Context, heard: Heard, ticket: Ticket) -> bool:
    """A need said of an open incident, still or again wrong, after someone not holding it
    said it was done: the resident says it was not."""
    if ticket.intent == "dispute" or not hearing.STILL.search(heard.text) or heard.c.intent != ticket.intent:
        return False
    if not matching.said_of(heard, ticket) or hearing.tells_of_then(heard) or hearing.supposes(heard):
        return False
    return handled.claimed_done(ctx, ticket) is not None


def quarrel_again(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """A party of a settled quarrel says it is going on again: it is reopened and its holder
    hears why, privately (the group, in the middle of the row, hears nothing from the bot)."""
    add_report(ctx, msg, ticket, "follow_up")
    note = short(heard.text)
    ticket = lifecycle.reopen(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note=note)
    worker = notify.hears_now(ctx, ticket)
    if not worker:
        return []
    ctx.store.seen.set_prompt(worker, "ping", ticket.id, ctx.ts)
    ping = RESIDENT_TEXTS["reopen_ping"].format(id=ticket.id, note=f"（{msg.sender_name}：{note}）")
    return notify.privately(ctx, [worker], ping, about=ticket)


def undo_claim(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Word that an incident said done (by the property company, a neighbour) is not: it is
    reopened as a done one would be (the group hears it is back with its worker, not that it
    was done; the worker hears why), and the one who says so becomes one of its reporters."""
    claim = handled.claimed_done(ctx, ticket)
    _join_as_reporter(ctx, msg, ticket, heard)
    note = short(heard.text)
    ticket = lifecycle.claim_undone(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note=note)
    grid = ctx.directory.grid(ticket.grid_id)
    worker = notify.hears_now(ctx, ticket) or (grid.workers[0] if grid and grid.workers else "")
    said = f"（{note}；{handled.line(ctx, claim)}）" if claim is not None else f"（{note}）"
    told = notify.privately(ctx, [worker], RESIDENT_TEXTS["reopen_ping"].format(id=ticket.id, note=said), about=ticket) if worker else []
    text = RESIDENT_TEXTS["reopened"].format(id=ticket.id, worker=worker)
    return [notify.reply(msg, text), *told]


def join_piece(ctx: Context, ticket: Ticket, row: InboxRow) -> None:
    kind = "photo" if row.reading == "photo" else "report"
    ctx.store.conversation.add_report(
        ticket.id, message_id=row.message_id, room_id=row.room_id, sender_id=row.sender_id,
        sender_name=row.sender_name, text=row.text or "[图片]", kind=kind, at=row.sent_at,
        subjects=matching.gathered(kind, row.text or "[图片]"),
    )
    ctx.store.conversation.mark_read(row.message_id, "report", ticket.id)
    if row.reading == "photo":
        ctx.store.notes.attach_loose(ticket.id, row.message_id, at=ctx.ts)


def _tell_joined(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """One short line to the one who just joined — only once the bot's last post about this
    incident has scrolled away and some time has passed, and never @ anyone else: the others
    who joined quietly hear with everyone when it is done."""
    assert msg.room_id is not None
    last = ctx.store.conversation.last_told(ticket.id, msg.room_id)
    if last is not None and (
        ctx.ts - last < TELL_GAP
        or ctx.store.conversation.messages_since(msg.room_id, last, up_to=matching.SCROLLED) < matching.SCROLLED
    ):
        return []
    if _answered_person_lately(ctx, msg, ticket) or handled.answering_now(ctx, ticket, ctx.ts):
        return []
    if report.seen_later(ctx, ticket):
        return []  # never 「…周一上班后会看到」 in public: they hear with everyone when it is done
    untold = ctx.store.conversation.untold(ticket.id, msg.room_id)
    # those who joined before, quietly, are not @-ed now: they hear when it is done
    ctx.store.conversation.mark_told(ticket.id, [r.person_id for r in untold], ctx.ts)
    ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
    text = TEXTS["joined"].format(id=ticket.id, who=report.who_has_it(ctx, ticket), said=report.last_said(ctx, ticket))
    return [notify.reply(msg, text)]


def _remind_holder(ctx: Context, msg: IncomingMessage, ticket: Ticket, at: int) -> list[Outgoing]:
    """A resident's chase told to whoever holds the ticket now (`_tell_holder`): at most once
    per `REMIND_GAP` (however often the group asks), and while a reminder waits for the
    morning, no second one; none moments after she was told of it (the chase is on the
    ticket: she has just read the report, and the timers chase what she leaves)."""
    worker = notify.hears_now(ctx, ticket) or ""
    if not worker or sla.told_lately(ctx, ticket, worker):
        return []
    waits = notify.morning(ctx, ticket, worker)
    for e in ctx.store.tickets.events_of_kinds(ticket, (CHASED,)):  # indexed: joiners cost nothing
        if at - e.at < REMIND_GAP or (e.note and int(e.note) > at):
            return []
    ctx.store.tickets.add_event(
        ticket, CHASED, at=at, actor_id=msg.sender_id, actor_name=msg.sender_name, note=str(waits) if waits else None,
    )
    return _tell_holder(ctx, msg, ticket)


def _asks_the_bot(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A chase or a question (有人管吗, 几点来水？) that is not put to someone else in the
    group — the property company, a neighbour — who is there to answer it."""
    return chase.asks(heard.text) and not _put_to_someone_else(ctx, msg)


def _put_to_someone_else(ctx: Context, msg: IncomingMessage) -> bool:
    """It @s someone, and none of them is an official or the bot."""
    ats = [msg.text[m.end():m.end() + hearing.MENTION_CHARS] for m in re.finditer(r"[@＠]", msg.text)]
    if not ats:
        return False
    ours = ctx.directory.official_names() | {ctx.directory.bot_name}
    return not any(any(at.startswith(n) for n in ours) for at in ats)


def _answered_person_lately(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> bool:
    """The bot answered this person about this ticket within half a day."""
    last = ctx.store.conversation.last_answered_to(ticket.id, msg.sender_id)
    return last is not None and int(msg.time.timestamp()) - last < PERSON_GAP


def _danger_news(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> bool:
    """Danger told of the incident that the officials have not heard of yet: it was not
    urgent, or its danger was last told hours ago (a pipe that dripped harder at noon and
    made it urgent then bursts in the afternoon: that is news for them again, not an echo
    of the noon's word)."""
    if not heard.c.urgent:
        return False
    if not ticket.urgent:
        return True
    return int(msg.time.timestamp()) - lifecycle.danger_told_at(ctx, ticket) > matching.URGENT_APART


def _raise_urgent(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Danger now in an incident that was not urgent (or whose danger was told hours ago):
    it becomes urgent, and everyone who must act hears at once — privately, unless the
    group must be told whom to call (and never in the middle of a quarrel: the group has
    heard enough of it)."""
    if ticket.urgent:  # told again: the new word is when they last heard of its danger
        ctx.store.tickets.add_event(ticket, "urgent", at=ctx.ts, actor_id=msg.sender_id,
                                    actor_name=msg.sender_name, note="again")
    ticket = lifecycle.mark_urgent(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id)
    grid = ctx.directory.grid(ticket.grid_id)
    if grid is None:
        return []
    if ticket.intent == "dispute" or not heard.c.emergency:
        kind = danger.of(ctx, msg.text)
        if ticket.intent == "dispute":  # a quarrel that turns urgent is one turning into a fight
            kind = "violence"
        names = report.woken_by(ctx, grid, kind)
        text = TEXTS["urgent_ping"].format(
            id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=short(msg.text),
            who=msg.sender_name, photo=report.photo_note(ctx, ticket),
        )
        sla.told(ctx, ticket, names)  # the ladder does not tell them again
        advice = [] if ticket.intent == "dispute" else report.safety_line(ctx, msg, ticket)
        return advice + notify.privately(ctx, names, text)
    reporter = Person(name=msg.sender_name, id=msg.sender_id)
    return report.alarm(ctx, msg, grid, ticket, heard.c.emergency, reporter, raised=True)


def keep(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> list[Outgoing]:
    """Kept as 疑似 for the worker, with the talk around it: no ticket, nothing said."""
    c = heard.c
    ctx.store.notes.add_suspect(
        grid_id=grid.id, room_id=msg.room_id, room_topic=msg.room_topic,
        sender_id=msg.sender_id, sender_name=msg.sender_name, text=heard.text,
        intent=c.intent, confidence=c.confidence, message_id=msg.message_id, at=ctx.ts,
    )
    return read(ctx, msg, "suspect")


def short(text: str, length: int = 40) -> str:
    return brief.gist(text, limit=length)
