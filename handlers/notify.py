"""Addressing: who hears about a ticket, and where (its room with @, or privately)."""

from __future__ import annotations

import re
from datetime import datetime

from handlers import holding, pace, rooms
from handlers.context import Context
from handlers.deadlines import ping_clock, waking
from handlers.directory import Grid
from handlers.identity import official, reachable
from handlers.messages import REPLY, URGENT, IncomingMessage, Outgoing, Person
from handlers.texts import ANSWERS, HOLDER, STANDS_IN
from handlers.texts import BINDING as TEXTS
from storage import Ticket, TicketState


def answers(tickets: list[Ticket], *, several: bool = False) -> str:
    """The short answers an official's message offers (收到 12 / 办好 12 / 不是诉求 12): for
    one ticket with its number, for several (or more than those shown) with 编号; only 办好
    when all are taken."""
    number = str(tickets[0].id) if len(tickets) == 1 and not several else ANSWERS["many"]
    taken = bool(tickets) and all(t.status != TicketState.OPEN for t in tickets)
    return ANSWERS["accepted" if taken else "open"].format(id=number)


# The answers' lines as they appear in a message (any number, or 编号 in a list)
_ANSWER_LINE = re.compile("|".join(
    re.escape(ANSWERS[key]).replace(re.escape("{id}"), r"[^」\s]{1,12}") for key in ("open", "accepted")
))
TAUGHT = "taught:"  # the notice times' key of when an official was last shown the answers


def taught_once(ctx: Context, name: str, text: str) -> str:
    """The answers (收到 12 / 办好 12 / 不是诉求 12) are shown to an official in their first
    message of the day (and in the help text), not in every message: one who has seen them
    today reads the ticket alone. A bare 收到 still answers a message about one ticket."""
    found = _ANSWER_LINE.search(text)
    if found is None:
        return text
    last = ctx.store.notices.last_sent(TAUGHT + name)
    today = datetime.combine(ctx.local(ctx.ts).date(), datetime.min.time(), ctx.tz).timestamp()
    if last is None or last < today:
        ctx.store.notices.mark_sent(TAUGHT + name, ctx.ts)
        return text
    head, tail = text[:found.start()].rstrip("，, \n"), text[found.end():].strip()
    if head and head[-1] not in "。！？）」":
        head += "。"
    return f"{head}\n{tail}".strip() if tail else head


def person(ctx: Context, name: str) -> Person:
    """An official by name, with their WeChat id when configured or bound (never "whoever
    last spoke with that name": a name can be copied)."""
    return official(ctx, name)


def reply(msg: IncomingMessage, text: str, *, mention_sender: bool = True) -> Outgoing:
    """Answer where the message was said: in its room (@ the sender) or privately."""
    if msg.room_id is None:
        return Outgoing(text=text, to=Person(name=msg.sender_name, id=msg.sender_id))
    mentions = (Person(name=msg.sender_name, id=msg.sender_id),) if mention_sender else ()
    return Outgoing(text=text, room_id=msg.room_id, room_topic=msg.room_topic, mentions=mentions)


def to_official(ctx: Context, msg: IncomingMessage, text: str) -> Outgoing:
    """Worker-facing text (lists, details, confirmations, hints): privately when it was
    asked in a residents' group, which should hear only news; where it was asked otherwise
    (privately, or in the staff group)."""
    in_staff_room = ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic) is not None
    if msg.room_id is None or in_staff_room:
        return reply(msg, text)
    return Outgoing(text=text, to=Person(name=msg.sender_name, id=msg.sender_id))


def hears_now(ctx: Context, ticket: Ticket) -> str | None:
    """Who hears a resident's word on this ticket (a follow-up with its photos, 没修好, a
    withdrawal, someone's 修好了): its worker; on a day off, whoever is on duty for its grid
    (handlers/duty.py) when that is not the worker who has it — they have the grid today;
    while the worker who has it is away for a while or at an emergency, the one who holds
    the grid meanwhile (the colleague covering, the free backup): not the absent one."""
    holds = holding.of_ticket(ctx, ticket)
    if holds.on_duty:
        return holds.on_duty
    if holds.why in (holding.Why.AWAY, holding.Why.BUSY) and ticket.assignee_name == holds.worker and not ticket.urgent:
        return holds.name
    return ticket.assignee_name


def officials_named(ctx: Context, msg: IncomingMessage, grid: Grid) -> list[str]:
    """The grid's workers and the community's staff this message @s (by id, or @name in
    its text) or begins with (「孙丽 3栋井盖又翘了」), in the order configured: who a resident
    asks for by name hears of it too."""
    community = ctx.directory.community(grid.community_id)
    names = list(dict.fromkeys([*grid.workers, *(community.staff if community else ())]))
    ids = set(msg.mention_ids)
    text = msg.text.lstrip()
    return [
        name for name in names
        if f"@{name}" in text or f"＠{name}" in text or text.startswith(name)
        or (ids and person(ctx, name).id in ids) or name in _called_by_title(text, names)
    ]


def reached(
    ctx: Context, msg: IncomingMessage, grid: Grid, *, urgent: bool = False,
) -> tuple[list[str], list[Outgoing]]:
    """Who hears a message that names officials (officials_named), and what the resident
    is told: a worker who is away, off or on leave is not rung privately — whoever holds the
    grid for her now hears it, and the resident hears who in one line. An emergency wakes
    everyone as it is (`urgent`: the names as they are)."""
    named = officials_named(ctx, msg, grid)
    if urgent:
        return named, []
    names, lines = [], []
    for name in named:
        stand_in = holding.stands_for(ctx, grid.id, name)
        if stand_in is None:
            names.append(name)
            continue
        who, why = stand_in
        names.append(who)
        lines.append(STANDS_IN[why].format(name=name, holder=holding.titled(ctx, grid.id, who)))
    said = [reply(msg, "".join(dict.fromkeys(lines)))] if lines and msg.room_id is not None else []
    return list(dict.fromkeys(names)), said


# What residents call community staff: surname and title (刘主任, 陈书记).
TITLES = ("主任", "书记")


def _called_by_title(text: str, names: list[str]) -> list[str]:
    """The one official a message begins by calling by surname and title (「刘主任问一下」,
    「陈主任 我们…」); none when two of them share the surname."""
    for title in TITLES:
        at = text.find(title)
        if 1 <= at <= 2:
            surname = text[:at]
            same = [name for name in names if name.startswith(surname)]
            return same if len(same) == 1 else []
    return []


def privately(
    ctx: Context, names: list[str], text: str, *, priority: int = REPLY, about: Ticket | None = None,
    fold: bool = False,
) -> list[Outgoing]:
    """To each of these officials privately. In a real chat one not known by WeChat id yet
    (no wechat_id in the config, not bound) is written to by name: the outbox keeps it
    until they are bound, and the admins hear once whose messages wait and how to bind.
    `about`: a word on this ticket that someone's message brought (a resident's follow-up,
    photo, 没修好 or withdrawal; a colleague's hand-over); for a non-urgent ticket in quiet
    hours or on a day off it waits in the outbox for the morning, like the ticket's first
    ping: nobody is woken for it. `fold`: more words on a ticket they know of (a chase, a
    detail, someone's 修好了) — moments after another word that could wait, it is kept for
    the timers' next message to them (handlers/pace.py); what changes what they do now (a
    withdrawal, a hand-over) is never kept."""
    out = []
    for name in dict.fromkeys(names):
        not_before = morning(ctx, about, name) if about is not None else 0
        p = person(ctx, name)
        if fold and about is not None and not not_before and priority != URGENT and pace.can_wait(about):
            until = pace.held_until(ctx, name, about.intent)
            if until is not None:  # moments after another word: kept for the next message
                ctx.store.notices.add(name, about.id, pace.WORD, urgent=False, at=until, note=text)
                continue
            pace.spoke(ctx, name)
        out.append(Outgoing(text=taught_once(ctx, name, text), to=p, priority=priority, not_before=not_before))
        if not reachable(ctx, p) and ctx.store.bindings.first_time(f"waiting:{name}", at=ctx.ts):
            word = TEXTS["waiting_admins"].format(name=name)
            out += privately(ctx, [a for a in ctx.directory.admins if a != name], word)
    return out


def morning(ctx: Context, ticket: Ticket, name: str | None = None) -> int:
    """When an official (`name`; None: the one on duty, if anyone is) may hear of this
    ticket: now (0), or when quiet hours or the day off are over for a non-urgent one."""
    if ticket.urgent:
        return 0
    holds = holding.of_ticket(ctx, ticket)
    if holds.back is not None and holds.back > ctx.ts and name in (None, holds.off):
        return holds.back  # a working day she is off: her next working day
    at = ping_clock(ctx, ticket.intent, bool(ticket.hazard)).next_moment(ctx.ts)
    on_duty = holds.on_duty_now if at > ctx.ts else None
    if on_duty is not None and name in (None, on_duty):
        return 0  # a day off, and they are on duty: as on a working day
    return at if at > ctx.ts else 0


def tell_reporters(
    ctx: Context, ticket: Ticket, text: str, *, only: set[str] | None = None,
    mention: bool = True,
) -> list[Outgoing]:
    """Every resident who reported this need (`only`: those of these person ids), in the
    room they reported in, once per room. `mention` False: the post @s nobody (at night a
    post with no @ rings no phone)."""
    by_room: dict[tuple[str | None, str | None], list[Person]] = {}
    for r in ctx.store.tickets.reporters(ticket.id):
        if only is None or r.person_id in only:
            by_room.setdefault((r.room_id, r.room_topic), []).append(Person(r.person_name, r.person_id))
    messages = []
    for (room_id, topic), people in by_room.items():
        if room_id is None:
            messages += [Outgoing(text=text, to=p) for p in people]
        else:
            messages.append(Outgoing(
                text=text, room_id=room_id, room_topic=topic,
                mentions=tuple(people) if mention else (),
            ))
    return messages


def waking_now(ctx: Context) -> bool:
    """Outside quiet hours: an @ may ring a resident's phone."""
    return waking(ctx).contains(ctx.ts)


def admin_room(ctx: Context, community_id: str, text: str) -> list[Outgoing]:
    """The community's staff group, by its bound id (nothing while it is not bound)."""
    community = ctx.directory.community(community_id)
    if community is None or not community.admin_room:
        return []
    where = rooms.address(ctx, community.admin_room)
    if where is None:
        return []
    room_id, topic = where
    return [Outgoing(text=text, room_id=room_id, room_topic=topic)]


def to_staff(ctx: Context, ticket: Ticket, names: list[str], text: str) -> list[Outgoing]:
    """A word for the community's staff on this ticket: one post in their staff group when
    the bot can post there (they all read it, as the timers' escalations; a post with no @
    rings no phone at night), else each privately (waiting for the morning when nobody need
    be woken)."""
    return admin_room(ctx, ticket.community_id, text) or privately(ctx, names, text, about=ticket)


def holder(ctx: Context, ticket: Ticket) -> str:
    """Who residents are told has their ticket: the one who took it, named by what they are
    to residents (网格员, 社区, 街道); while nobody has, the grid's worker in charge — with the
    community once it went up the ladder. An admin the ladder reached last is never shown as
    the grid worker following it."""
    grid = ctx.directory.grid(ticket.grid_id)
    name = ticket.assignee_name or ""
    if grid is None or name in grid.workers:
        return HOLDER["worker"].format(name=name) if name else HOLDER["community"]
    community = ctx.directory.community(grid.community_id)
    if ticket.status == TicketState.OPEN or not name:
        return HOLDER["worker_and_community"].format(name=grid.workers[0])
    if community is not None and name in community.staff:
        return HOLDER["staff"].format(name=name)
    if name in ctx.directory.admins:
        return HOLDER["admin"].format(name=name)
    return HOLDER["worker"].format(name=name)
