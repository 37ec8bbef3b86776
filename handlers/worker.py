"""Commands of grid workers, community staff and admins, in a group or privately.

接单 / 收到, 完成 / 已处理, 转 12 社区, 转 12 李四, 退回 12 <why>, 待办, 查询 12, 登记, 疑似,
重载规则. Every answer is short; the resident is told of acceptance and completion.
"""

from __future__ import annotations

import re

from handlers import corrections, handled, lifecycle, notify, questions, targets
from handlers.commands import Command
from handlers.context import Context, Request
from handlers.deadlines import SYSTEM
from handlers.directory import Grid, Identity, name_key
from handlers.messages import IncomingMessage, Outgoing
from handlers.report import ONE_FLAT, open_from_message, personal
from handlers.sla import GROUP
from handlers.texts import EMERGENCY
from handlers.texts import WORKER as TEXTS
from intents import mask, normalize_place, phrases
from intents.model import INTENT_NAMES_ZH, TICKET_INTENTS
from intents.replies import GIST_CHARS
from storage import InboxRow, Suspect, Ticket, TicketState

PENDING_SHOWN = 10


def ticket_to_act_on(
    ctx: Context, msg: IncomingMessage, req: Request
) -> Ticket | list[Outgoing]:
    """The ticket a worker's command or reply is about, or what to say instead: the
    number written, else the one ticket it can mean (targets), else one short question.
    A reply in everyday words that means no ticket is chat: nothing is said."""
    cmd = req.command
    if cmd.bad_number:
        return [notify.to_official(ctx, msg, TEXTS["bad_number"].format(word=cmd.word))]
    if cmd.number is not None:
        ticket = ctx.store.tickets.get(cmd.number)
        if ticket is None:
            return [notify.to_official(ctx, msg, TEXTS["not_found"].format(id=cmd.number))]
    else:
        reading = targets.reading_of(ctx, msg, req, worker=True)
        target = targets.for_worker(ctx, msg, req.identity, cmd.act, reading)
        if target.elsewhere:
            return []
        if target.candidates:
            return questions.ask_which(ctx, msg, cmd.act, target.candidates, {"rest": cmd.rest})
        if target.ticket is None:
            if cmd.word:
                return [notify.to_official(ctx, msg, TEXTS["no_number"].format(word=cmd.word))]
            return [notify.to_official(ctx, msg, TEXTS["no_pending"])] if msg.room_id is None else []
        ticket = target.ticket
    if not ctx.directory.may_act_on(req.identity, ticket.grid_id):
        return [notify.to_official(ctx, msg, TEXTS["not_yours"].format(id=ticket.id))]
    if req.reading is not None and msg.room_id is not None:
        # their own words in a group, about this ticket: a quote-reply of them is about it too
        ctx.store.conversation.mark_read(msg.message_id, cmd.act, ticket.id)
    return ticket


def on_accept(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """接单 12 / 收到，马上到"""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    if _said_in_passing(msg, req) and ticket.status != TicketState.OPEN:
        return []  # 「好的」 again about a ticket already taken (or done): nothing to say
    return accept(
        ctx, msg, req.identity, ticket, req.command.rest, told=_told_there(msg, req, ticket),
        quiet=_said_among_residents(ctx, msg, req),
    )


def on_progress(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """进展 12 已联系物业 / 在处理了: on the timeline; a ticket not yet taken is taken."""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    note = req.command.rest or None
    if ticket.status == TicketState.OPEN:
        out = accept(
            ctx, msg, req.identity, ticket, "", told=_told_there(msg, req, ticket),
            quiet=_said_among_residents(ctx, msg, req),
        )
        ticket = ctx.store.tickets.get(ticket.id) or ticket
    elif not ticket.status.is_open:
        if _said_in_passing(msg, req):  # 「孩子没事就好 明天我盯着电梯公司查」 after it was done
            return []
        return [notify.to_official(ctx, msg, TEXTS["closed"].format(id=ticket.id, status=ticket.status.label, verb="更新"))]
    else:
        out = [] if _said_in_passing(msg, req) else [
            notify.to_official(ctx, msg, TEXTS["progress_noted"].format(id=ticket.id))
        ]
    lifecycle.progress(ctx, ticket, actor_name=req.identity.name, actor_id=msg.sender_id, note=note)
    return out


def on_done(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """完成 12 已更换井盖 / 修好了，换了新灯泡"""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    if _said_in_passing(msg, req) and not ticket.status.is_open:
        return []  # said again in the group of a ticket already done: the group read it
    # the result told in the ticket's group in the official's own words (「修好了 换了新灯泡」,
    # a question answered): the residents read it there, the bot does not say it again
    return done(
        ctx, msg, req.identity, ticket, req.command.rest,
        answered_there=_announced_there(msg, req, ticket),
        quiet=_said_among_residents(ctx, msg, req),
    )


def on_transfer(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """转 12 社区 道闸归物业 / 转 12 孙丽 / 这个不归我们网格 转社区"""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    return transfer(ctx, msg, req.identity, ticket, req.command.rest)


def on_return(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """退回 12 不归我们网格 / 是物业的事"""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    return return_to_community(ctx, msg, req.identity, ticket, req.command.rest)


def _said_in_passing(msg: IncomingMessage, req: Request) -> bool:
    """Everyday words in a group (not a command word): the group already read them."""
    return not req.command.word and msg.room_id is not None


def _said_among_residents(ctx: Context, msg: IncomingMessage, req: Request) -> bool:
    """Everyday words in a residents' group: the official needs no private word back on
    what they just did there (in the staff group the confirmation tells colleagues who
    has it, so it stays)."""
    return _said_in_passing(msg, req) and (
        ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic) is None
    )


def _announced_there(msg: IncomingMessage, req: Request, ticket: Ticket) -> bool:
    """The official said it is done in their own words in the ticket's room: its
    residents read that (a bare 「搞定」 quoting the report too)."""
    return _said_in_passing(msg, req) and msg.room_id == ticket.room_id


def _told_there(msg: IncomingMessage, req: Request, ticket: Ticket) -> bool:
    """The official said in their own words, in the ticket's room, what they will do
    (「收到韩叔 我下午过去给您换」): its residents read that, not a post of the bot's."""
    reading = req.reading
    return (
        _said_in_passing(msg, req) and msg.room_id == ticket.room_id
        and reading is not None and not reading.bare
    )


def on_todo(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """待办, 待办 2 (the second page)"""
    return todo(ctx, msg, req.identity, page=req.command.number or 1)


def on_suspects(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    return suspects(ctx, msg, req.identity)


def on_register(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    return register(ctx, msg, req.identity, req.command, req.grid)


def on_reload(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    return reload_rules(ctx, msg, req.identity)


def accept(
    ctx: Context, msg: IncomingMessage, identity: Identity, ticket: Ticket, _rest: str,
    *, told: bool = False, quiet: bool = False,
) -> list[Outgoing]:
    """`told`: the residents of the official's room read their own words; `quiet`: the
    official said it in everyday words in a residents' group, so no word back to them."""
    if ticket.status != TicketState.OPEN:
        key = "already" if ticket.status == TicketState.ACCEPTED else "closed"
        return [notify.to_official(ctx, msg, TEXTS[key].format(id=ticket.id, status=ticket.status.label, verb="接单"))]
    ticket = lifecycle.accept(ctx, ticket, actor_name=identity.name, actor_id=msg.sender_id)
    ctx.store.seen.set_prompt(identity.name, "ping", ticket.id, ctx.ts)
    text = TEXTS["accepted"].format(id=ticket.id, worker=identity.name)
    confirmation = [] if quiet else [notify.to_official(ctx, msg, text)]
    rungs = _tell_rungs(ctx, ticket, identity.name)
    if not _acceptance_is_news(ctx, ticket):
        return confirmation + rungs
    news = notify.tell_reporters(
        ctx, ticket, TEXTS["tell_accepted"].format(id=ticket.id, worker=identity.name)
    )
    if told:  # the residents of this room read the official's own words
        news = [m for m in news if m.room_id != msg.room_id]
    return _one_post_per_room(msg, confirmation, news) + rungs


def _tell_rungs(ctx: Context, ticket: Ticket, taker: str) -> list[Outgoing]:
    """Who it went up to are not left thinking nobody took it: each one handed it privately,
    one line in a staff group it was handed to."""
    names = _escalated_to(ctx, ticket, taker)
    groups = [name for name in names if name.startswith(GROUP)]
    out = notify.privately(
        ctx, [name for name in names if name not in groups],
        TEXTS["taken_after_escalation"].format(id=ticket.id, worker=taker),
    )
    for group in groups:
        text = TEXTS["taken_after_escalation_group"].format(id=ticket.id, worker=taker)
        out += notify.admin_room(ctx, group[len(GROUP):], text)
    return out


def _escalated_to(ctx: Context, ticket: Ticket, taker: str) -> list[str]:
    """Whom the ticket was handed to on its way up, but the one who took it: the people (or
    `group:<id>`, a staff group) the timers' steps reached (their `handed` events), and
    whom a person sent it up to."""
    names: list[str] = []
    for event in ctx.store.tickets.events(ticket.id):
        by_timers = event.kind == "escalated" and event.actor_name == SYSTEM
        if event.kind in ("escalated", "handed") and event.note and not by_timers:
            to = event.note.partition("-> ")[2]
            to = to if event.kind == "handed" else to.partition(":")[0]  # L2 -> 名、名: why
            names += [name for name in to.split("、") if name and name != taker and name not in names]
    return names


def _acceptance_is_news(ctx: Context, ticket: Ticket) -> bool:
    """Residents hear that someone took their ticket when it is urgent or they have waited
    long ([sla] accept_news_after_minutes); otherwise the next news is that it is done."""
    after = ctx.settings.sla.accept_news_after_minutes
    waited = ctx.ts - ticket.created_at
    return ticket.urgent or (after >= 0 and waited >= after * 60)


# Needs of one person or household: the closing names only those who asked for it (the
# neighbours who told of it, answered it or took a side are not asked about it).
OWN_NEEDS = frozenset({"errand", "wish", "inquiry", "dispute"})
# What the closing asks to rate (满意 / 没修好): a thing put right. Not a quarrel settled, not
# care for a person (it goes on), not an emergency that is over.
RATED = frozenset({"repair", "sanitation", "safety"})


def done(
    ctx: Context, msg: IncomingMessage, identity: Identity, ticket: Ticket, note: str,
    *, answered_there: bool = False, quiet: bool = False,
) -> list[Outgoing]:
    """`answered_there`: the official told the result in the ticket's room (its residents
    read it: no post there); `quiet`: said in everyday words in a residents' group (no word
    back to the official)."""
    if not ticket.status.is_open:
        return [notify.to_official(ctx, msg, TEXTS["closed"].format(id=ticket.id, status=ticket.status.label, verb="办结"))]
    announced = handled.told_done_in_group(ctx, ticket)  # the group read it is done: kept, not repeated
    ticket = lifecycle.resolve(
        ctx, ticket, actor_name=identity.name, actor_id=msg.sender_id, note=note or None
    )
    ctx.store.seen.clear_prompt(identity.name, "ping")
    shown = f"：{gist_of(note)}" if note else ""
    asks = ticket.intent in RATED and not ticket.urgent
    audience = _closing_audience(ctx, ticket)
    if ticket.urgent:  # after an emergency nobody is asked to rate: it is over, that is all
        told = EMERGENCY["tell_done"].format(id=ticket.id, note=shown)
    else:
        for r in ctx.store.tickets.reporters(ticket.id):  # who is told may rate it, not all who chimed in
            if audience is None or r.person_id in audience:
                ctx.store.seen.set_prompt(r.person_id, "rating", ticket.id, ctx.ts)
        told = TEXTS["tell_done" if asks else "tell_done_plain"].format(id=ticket.id, note=shown)
    news = notify.tell_reporters(ctx, ticket, told, only=audience, mention=notify.waking_now(ctx))
    if personal(ticket.intent, ticket.location_key) and not ticket.urgent:
        # one household's or person's matter: its holder tells them (the acknowledgement said
        # 「有进展会回您」), the group never reads its outcome; a private reporter is told here
        news = [m for m in news if m.room_id is None]
    if answered_there:
        news = [m for m in news if m.room_id != msg.room_id]
    if announced:
        news = [m for m in news if m.room_id is None]
    asked = TEXTS["done_asked"] if asks and news else ""
    confirmation = [] if quiet else [
        notify.to_official(ctx, msg, TEXTS["done"].format(id=ticket.id, note=shown, asked=asked))
    ]
    return _one_post_per_room(msg, confirmation, news)


def _closing_audience(ctx: Context, ticket: Ticket) -> set[str] | None:
    """Who hears that it is done: every reporter of a common fault (the lift, the water:
    each of them had it), but of one person's or one flat's need only who asked for it —
    its first reporter, one whose own report was merged into it, one who wrote to the bot
    privately — not the neighbours whose words about it were joined to it. None: all."""
    if ticket.intent not in OWN_NEEDS and not ONE_FLAT.search(ticket.location_key or ""):
        return None
    asked = {ticket.reporter_id}
    for r in ctx.store.tickets.reporters(ticket.id):
        if r.room_id is None:
            asked.add(r.person_id)
            continue
        source = ctx.store.tickets.by_source_message(r.message_id) if r.message_id else None
        if source is not None and ticket.id in (source.id, source.merged_into):
            asked.add(r.person_id)
    return asked


def gist_of(note: str, limit: int = GIST_CHARS) -> str:
    """What residents are told was done: the note's first clauses, about `limit`
    characters at most, cut where a clause ends (the whole note stays on the ticket)."""
    text = mask(" ".join(note.split()))  # before the cut: a number cut short escapes masking
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit + 1) for mark in "，,。；; ")
    return (text[:cut] if cut >= limit // 3 else text[:limit]).rstrip("，,。；; ") + "…"


def transfer(
    ctx: Context, msg: IncomingMessage, identity: Identity, ticket: Ticket, target: str
) -> list[Outgoing]:
    whom, note = split_target(ctx, target)
    if not whom:
        return [notify.to_official(ctx, msg, TEXTS["transfer_who"].format(id=ticket.id))]
    if not ticket.status.is_open:
        return [notify.to_official(ctx, msg, TEXTS["closed"].format(id=ticket.id, status=ticket.status.label, verb="转交"))]
    if whom in phrases.set_of("worker.community_words"):
        return escalate_to_community(ctx, msg, identity, ticket, note=note or None)
    if whom in phrases.set_of("worker.outside_words"):  # the property company is not in the bot: staff re-dispatch
        reason = TEXTS["outside_reason"].format(whom=whom, note=f"：{note}" if note else "")
        return return_to_community(ctx, msg, identity, ticket, reason)
    who = ctx.directory.official_named(whom)
    if who is None or not who.is_official:
        return [notify.to_official(ctx, msg, TEXTS["transfer_unknown"].format(name=whom[:20]))]
    ticket = lifecycle.transfer(ctx, ticket, to_name=who.name, actor_name=identity.name, actor_id=msg.sender_id)
    ctx.store.seen.set_prompt(who.name, "ping", ticket.id, ctx.ts)
    ping = TEXTS["transfer_ping"].format(
        by=identity.name, id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], summary=_short(ticket),
        answers=notify.answers([ticket]),
    )
    out = [notify.to_official(ctx, msg, TEXTS["transferred"].format(id=ticket.id, name=who.name))]
    return out + notify.privately(ctx, [who.name], ping, about=ticket)


def split_target(ctx: Context, text: str) -> tuple[str, str]:
    """(to whom, the note) of 「社区 道闸归物业」, 「孙丽」, 「给孙丽吧」, 「@马建民 他熟」."""
    text = " ".join(text.replace("\u2005", " ").split()).lstrip("@＠").strip()
    text = text[1:] if text[:1] in ("给", "到") else text
    known = sorted(phrases.set_of("worker.community_words") | phrases.set_of("worker.outside_words") | ctx.directory.official_names(), key=len, reverse=True)
    for name in known:
        if text.startswith(name):
            return name, text[len(name):].strip(" ，,：:吧啊了")
    first, _, rest = text.partition(" ")
    return first.rstrip("吧啊了"), rest.strip()


def escalate_to_community(
    ctx: Context, msg: IncomingMessage | None, identity: Identity, ticket: Ticket, note: str | None
) -> list[Outgoing]:
    community = ctx.directory.community(ticket.community_id)
    staff = list(community.staff) if community else []
    ticket = lifecycle.escalate(
        ctx, ticket, level=lifecycle.LEVEL_COMMUNITY, to_names=staff, actor_name=identity.name,
        actor_id=msg.sender_id if msg else None, note=note,
    )
    for name in staff:
        ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
    staff_text = "、".join(staff)
    ping = TEXTS["escalate_ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], by=identity.name,
        summary=_short(ticket), note=f"（{note}）" if note else "", answers=notify.answers([ticket]),
    )
    # The residents hear the outcome, not who has it now.
    told = notify.to_staff(ctx, ticket, staff, ping)
    if msg is None:
        return told
    return [notify.to_official(ctx, msg, TEXTS["escalated"].format(id=ticket.id, staff=staff_text)), *told]


def return_to_community(
    ctx: Context, msg: IncomingMessage, identity: Identity, ticket: Ticket, reason: str
) -> list[Outgoing]:
    if not reason:
        return [notify.to_official(ctx, msg, TEXTS["return_why"].format(id=ticket.id))]
    if not ticket.status.is_open:
        return [notify.to_official(ctx, msg, TEXTS["closed"].format(id=ticket.id, status=ticket.status.label, verb="退回"))]
    community = ctx.directory.community(ticket.community_id)
    staff = list(community.staff) if community else []
    ticket = lifecycle.transfer(
        ctx, ticket, to_name=staff[0] if staff else identity.name, actor_name=identity.name,
        actor_id=msg.sender_id, kind="returned", note=reason,
    )
    ping = TEXTS["return_ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], by=identity.name,
        note=f"（{reason}）", summary=_short(ticket),
    )
    out = [notify.to_official(ctx, msg, TEXTS["returned"].format(id=ticket.id, staff="、".join(staff)))]
    return out + notify.to_staff(ctx, ticket, staff, ping)


def todo(ctx: Context, msg: IncomingMessage, identity: Identity, page: int = 1) -> list[Outgoing]:
    """待办 [page]: the open tickets of the grids in one's charge, most urgent first (urgent,
    then one's own, then the longest waiting), a page at a time."""
    grid_ids = ctx.directory.grids_in_charge(identity)
    page = max(1, page)
    shown, total = ctx.store.tickets.open_page(
        grid_ids, me=identity.name, offset=(page - 1) * PENDING_SHOWN, limit=PENDING_SHOWN
    )
    if not total:
        return [notify.to_official(ctx, msg, TEXTS["todo_empty"])]
    if not shown:
        return [notify.to_official(ctx, msg, TEXTS["todo_no_page"].format(n=total, page=page))]
    lines = [TEXTS["todo_head"].format(n=total)]
    for t in shown:
        lines.append(
            TEXTS["todo_line"].format(
                id=t.id, kind=INTENT_NAMES_ZH[t.intent] + (TEXTS["urgent_mark"] if t.urgent else ""),
                place=f" · {t.location}" if t.location else "", status=t.status.label,
                age=age(ctx, t.created_at),
            )
        )
    left = total - (page - 1) * PENDING_SHOWN - len(shown)
    if left > 0:
        lines.append(TEXTS["todo_more"].format(n=left, next=page + 1))
    return [notify.to_official(ctx, msg, "\n".join(lines))]


def describe(ctx: Context, ticket: Ticket, *, full: bool = True) -> str:
    """The ticket as a worker wants to see it, the resident's words as said (a phone
    number to call back; a post to a group is masked on its way out, app.safe_for_chat)."""
    n = len(ctx.store.tickets.reporters(ticket.id))
    return TEXTS["query"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], status=ticket.status.label,
        urgent=TEXTS["urgent_tag"] if ticket.urgent else "",
        text=ticket.text[:200], reporter=ticket.reporter_name,
        created=clock(ctx, ticket.created_at),
        place=TEXTS["query_place"].format(place=ticket.location) if ticket.location else "",
        assignee=ticket.assignee_name or "-",
        accepted=TEXTS["query_accepted"].format(time=clock(ctx, ticket.accepted_at)) if ticket.accepted_at else "",
        resolved=TEXTS["query_resolved"].format(time=clock(ctx, ticket.resolved_at)) if ticket.resolved_at else "",
        rating=TEXTS["query_rating"].format(rating=ticket.rating) if ticket.rating else "",
        reporters=TEXTS["query_reporters"].format(n=n) if n > 1 else "",
    )


def register(
    ctx: Context, msg: IncomingMessage, identity: Identity, cmd: Command, grid: Grid | None
) -> list[Outgoing]:
    """登记 <text>: on a resident's behalf; 登记 <n>: turn 疑似诉求 n into a ticket;
    登记 <n> <grid>: one that came privately from someone the bot could not place;
    登记 <n> 安全隐患: as that need (both may be said: 登记 <n> <grid> <intent>)."""
    if cmd.number is not None:
        return _register_suspect(ctx, msg, identity, cmd.number, cmd.rest or None)
    placing = _unplaced_and_grid(ctx, cmd.rest)
    if placing is not None:
        return _register_suspect(ctx, msg, identity, *placing)
    if not cmd.rest:
        return [notify.to_official(ctx, msg, TEXTS["register_empty"])]
    grid = grid or _only_grid(ctx, identity)
    if grid is None:
        return [notify.to_official(ctx, msg, TEXTS["register_where"])]
    c = ctx.classifier.classify(cmd.rest)
    intent = c.intent if c.opens_ticket else "inquiry" if c.intent == "none" else c.intent
    if intent == "praise":
        return [notify.to_official(ctx, msg, TEXTS["registered_none"])]
    out = open_from_message(
        ctx, msg, grid, text=cmd.rest, intent=intent, urgent=c.urgent, place=c.place,
        place_key=normalize_place(c.place) if c.place else None, masked_text=c.masked_text,
        emergency=c.emergency, registered_by=identity.name,
    )
    ticket = ctx.store.tickets.by_source_message(msg.message_id)
    if ticket is not None and grid.id in identity.worker_of:
        lifecycle.accept(ctx, ticket, actor_name=identity.name, actor_id=msg.sender_id)
        ctx.store.seen.set_prompt(identity.name, "ping", ticket.id, ctx.ts)
    return out


def _unplaced_and_grid(ctx: Context, rest: str) -> tuple[int, str] | None:
    """「登记 5 滨河第一网格」: 疑似 5 (of no grid yet) and a grid's exact name or id;
    「登记 5 安全隐患」, 「登记 5 滨河第一网格 安全隐患」: as that need (its whole name);
    anything else after 登记 is a report."""
    match = re.fullmatch(r"#?(\d{1,12})\s+(\S.{0,39})", rest.strip())
    if match is None:
        return None
    grid_name, intent = _grid_and_intent(match.group(2))
    suspect = ctx.store.notes.suspect(int(match.group(1)))
    if suspect is None:
        return None
    if suspect.grid_id is None:
        if grid_name is None or _grid_named(ctx, grid_name) is None:
            return None
    elif grid_name is not None or intent is None:
        return None
    return int(match.group(1)), match.group(2)


def _grid_named(ctx: Context, name: str) -> Grid | None:
    key = name_key(name)
    return next((g for g in ctx.directory.grids if key in (name_key(g.id), name_key(g.name))), None)


# A need named in full after 登记 <n> (登记 5 安全隐患): a shorter word could be a report.
_TICKET_INTENT_NAMED = {INTENT_NAMES_ZH[code]: code for code in TICKET_INTENTS}


def _grid_and_intent(rest: str | None) -> tuple[str | None, str | None]:
    """What follows 登记 <n>: the grid of a 疑似 that came privately, and the need it is
    (the label the classifier learns), either or both."""
    words = (rest or "").split()
    if words and words[-1] in _TICKET_INTENT_NAMED:
        return " ".join(words[:-1]) or None, _TICKET_INTENT_NAMED[words[-1]]
    return rest or None, None


def _register_suspect(
    ctx: Context, msg: IncomingMessage, identity: Identity, number: int, rest: str | None = None
) -> list[Outgoing]:
    grid_name, chosen = _grid_and_intent(rest)
    suspect = ctx.store.notes.suspect(number)
    if suspect is None or suspect.ticket_id is not None:
        return [notify.to_official(ctx, msg, TEXTS["suspect_missing"].format(id=number))]
    grid = ctx.directory.grid(suspect.grid_id) if suspect.grid_id else None
    if suspect.grid_id is None:  # came privately, place unknown: the grid is named
        grid = _grid_named(ctx, grid_name) if grid_name else None
        if grid is None:
            example = ctx.directory.grids[0].name if ctx.directory.grids else ""
            return [notify.to_official(ctx, msg, TEXTS["suspect_where"].format(id=number, grid=example))]
    if grid is None or not ctx.directory.may_act_on(identity, grid.id):
        return [notify.to_official(ctx, msg, TEXTS["not_yours"].format(id=number))]
    c = ctx.classifier.classify(suspect.text)
    origin = IncomingMessage(
        message_id=f"suspect:{suspect.id}", room_id=suspect.room_id, room_topic=suspect.room_topic,
        sender_id=suspect.sender_id, sender_name=suspect.sender_name, text=suspect.text,
        time=ctx.now,
    )
    intent = chosen or (suspect.intent if suspect.intent not in ("none", "praise") else "inquiry")
    out = open_from_message(
        ctx, origin, grid, text=suspect.text, intent=intent, urgent=c.urgent, place=c.place,
        place_key=normalize_place(c.place) if c.place else None, masked_text=c.masked_text,
        emergency=c.emergency,
    )
    ticket = ctx.store.tickets.by_source_message(origin.message_id)
    if ticket is not None:
        ctx.store.notes.link_suspect(suspect.id, ticket.id)
        if suspect.grid_id is None and suspect.room_id is None:  # their next private report too
            ctx.store.seen.set_grid(suspect.sender_id, grid.id)
        corrections.registered(ctx, msg, identity, suspect, ticket)  # a need it missed
        if msg.room_id != suspect.room_id:
            out.append(notify.to_official(ctx, msg, TEXTS["suspect_registered"].format(number=number, id=ticket.id)))
    return out


def suspects(ctx: Context, msg: IncomingMessage, identity: Identity) -> list[Outgoing]:
    rows = ctx.store.notes.suspects(
        ctx.directory.grids_in_charge(identity), limit=10, unplaced=identity.is_admin
    )
    if not rows:
        return [notify.to_official(ctx, msg, TEXTS["suspects_empty"])]
    lines = [TEXTS["suspects_head"]]
    for s in rows:
        text = " ".join(s.text.split())[:40]
        where = TEXTS["suspect_unplaced"] if s.grid_id is None else ""
        lines.append(TEXTS["suspects_line"].format(
            id=s.id, who=s.sender_name, text=where + text, time=clock(ctx, s.created_at)
        ))
        # what was said just before it, to read it in its place
        for before in _said_before(ctx, s):
            said = " ".join(before.text.split())[:30] or "[图片]"
            lines.append(TEXTS["suspects_before"].format(who=before.sender_name, text=said))
    return [notify.to_official(ctx, msg, "\n".join(lines))]


def _said_before(ctx: Context, suspect: Suspect) -> list[InboxRow]:
    """The two messages of the room said in the quarter hour before a 疑似 message."""
    if suspect.room_id is None or suspect.message_id is None:
        return []
    return ctx.store.conversation.window(
        suspect.room_id, since=suspect.created_at - 900, before=suspect.message_id, limit=2
    )


def reload_rules(ctx: Context, msg: IncomingMessage, identity: Identity) -> list[Outgoing]:
    reloads = (ctx.classifier.reload(), ctx.faq.reload(), ctx.phrases.reload(), phrases.default().reload())
    errors = [e for e in reloads if e is not None]
    if not errors:
        return [notify.to_official(ctx, msg, TEXTS["reloaded"])]
    return [notify.to_official(ctx, msg, TEXTS["reload_failed"].format(error="；".join(errors)[:300]))]


def _only_grid(ctx: Context, identity: Identity) -> Grid | None:
    """Where a 登记 sent privately belongs: the worker's own (first) grid, or the one grid
    a staff member is in charge of; None when that is not clear."""
    if identity.worker_of:
        return ctx.directory.grid(identity.worker_of[0])
    in_charge = ctx.directory.grids_in_charge(identity)
    return ctx.directory.grid(in_charge[0]) if len(in_charge) == 1 else None


def _short(ticket: Ticket) -> str:
    text = " ".join(ticket.masked_text.split())
    return text[:40] + ("…" if len(text) > 40 else "")


def _one_post_per_room(
    msg: IncomingMessage, confirmation: list[Outgoing], news: list[Outgoing]
) -> list[Outgoing]:
    """When the residents' news goes to the room the worker wrote in, the worker reads it
    there: no confirmation besides it."""
    if msg.room_id is not None and any(m.room_id == msg.room_id for m in news):
        return news
    return [*confirmation, *news]


def clock(ctx: Context, ts: int | None) -> str:
    if ts is None:
        return "-"
    local = ctx.local(ts)
    return local.strftime("%m-%d %H:%M")


def age(ctx: Context, ts: int) -> str:
    minutes = max(0, (ctx.ts - ts) // 60)
    if minutes < 60:
        return TEXTS["minutes_ago"].format(n=minutes)
    if minutes < 48 * 60:
        return TEXTS["hours_ago"].format(n=minutes // 60)
    return TEXTS["days_ago"].format(n=minutes // 1440)

