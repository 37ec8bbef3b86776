"""What the group already says about a ticket, read before the timers chase anyone: someone
else is on it or has done it, or its holder is visibly at work.

The property company, a volunteer, a family member or 120 often settle a thing before the
grid worker has said a word. The conversation layer keeps their words on the incident (an
`update` event, or a message of the room joined to the ticket); an ambulance or the gas
company arriving is often said by a neighbour, so for an urgent ticket the room's words
since the report are read for a responder coming or come. Either way the ladder stops:
nobody above the holder hears 无人接单 about something that is being done, and the holder
is told once, in their next digest, who said what and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from handlers import brief
from handlers.context import Context
from handlers.deadlines import SYSTEM
from handlers.identity import who
from handlers.messages import without_quote
from handlers.posts import Speaker, speaker_of
from handlers.texts import HOLDER
from intents.replies import reply_part
from storage import Ticket

# An urgent ticket's room is read for a responder coming or come (intents/replies.toml
# [responder]: 救护车来了, 燃气公司说十分钟到, 拉走了): a neighbour saying it counts.
RESPONDER_HOURS = 3  # an urgent ticket's room is read this long after the report
ACTIVE_KINDS = ("accepted", "resolved", "progress", "update", "transferred", "returned", "closed")


@dataclass(frozen=True)
class Handled:
    """Someone other than the holder on the ticket: who, when, what they said."""

    who: str
    who_id: str | None  # their WeChat id: who they are, beyond the name they show
    at: int
    words: str
    done: bool


def by_others(ctx: Context, ticket: Ticket, holders: Iterable[str]) -> Handled | None:
    """The latest word of someone who is not the ticket's holder that it is being done or
    done (done wins over progress), or None."""
    holders = set(holders)
    found: list[Handled] = []
    events = ctx.store.tickets.events(ticket.id)
    since = said_since(events)
    for event in events:
        if event.kind != "update" or not event.note or event.actor_name in holders or event.at < since:
            continue
        found.append(Handled(
            event.actor_name or "", event.actor_id, event.at, event.note, tells_done(ctx, event.note)
        ))
    if ticket.urgent and ticket.room_id is not None:
        until = ticket.created_at + RESPONDER_HOURS * 3600
        for row in ctx.store.conversation.said_since(ticket.room_id, ticket.created_at, until=until):
            if row.ticket_id not in (None, ticket.id) or row.sender_name in holders:
                continue
            came = ctx.phrases.responder(row.text)
            if came is not None:
                found.append(Handled(row.sender_name, row.sender_id, row.sent_at, row.text, came == "in_care"))
    if not found:
        return None
    done = [h for h in found if h.done]
    return max(done or found, key=lambda h: h.at)


def said_since(events) -> int:
    """Words said of a ticket before a resident said it is still not right (its last
    reopening) are of the work before: from then on, they tell nothing."""
    return max((e.at for e in events if e.kind == "reopened"), default=0)


def claimed_done(ctx: Context, ticket: Ticket) -> Handled | None:
    """The word of someone not holding this open ticket, since it was last reopened, that
    it is done (the property company's 「3幢楼道灯已经修好了」), or None."""
    if not ticket.status.is_open:
        return None
    events = ctx.store.tickets.events_of_kinds(ticket, ("update", "reopened"))
    since = said_since(events)
    for event in reversed(events):
        if event.at < since:
            break
        if (
            event.kind == "update" and event.note and event.actor_name != ticket.assignee_name
            and tells_done(ctx, event.note)
        ):
            return Handled(event.actor_name or "", event.actor_id, event.at, event.note, True)
    return None


def told_done_in_group(ctx: Context, ticket: Ticket) -> bool:
    """Someone's word in the group since the ticket was last reopened that it is done (the
    property company's 「井盖已经换好了」, the worker's own 「修好了」): the group has read it, so
    the acknowledgement's 「办好了在群里说一声」 is kept and the bot's line would be a repeat."""
    events = ctx.store.tickets.events_of_kinds(ticket, ("update", "reopened"))
    since = said_since(events)
    return any(
        e.kind == "update" and e.at >= since and e.note and tells_done(ctx, e.note) for e in events
    )


def tells_done(ctx: Context, text: str) -> bool:
    """Words that the work is done (「电梯修好了 门机皮带换了新的」), read as a worker's: how
    an update is read here and when it is said (handlers/updates.py tells the holder)."""
    return ctx.phrases.worker(text).act == "done"


def told_by_conversation(ctx: Context, handled: Handled) -> bool:
    """The property company's word that it is done is told to the holder by the conversation
    layer as it is said (handlers/updates.py, done_by_others): not twice. Whether the speaker
    is the property company is decided as the conversation layer decided it, by who the
    person is (an official or a volunteer whose name shows 物业 or 社区 is not; the
    conversation did not tell their word), not by the name alone."""
    if not handled.done:
        return False
    identity = who(ctx, handled.who_id or "", handled.who)
    return not identity.is_official and speaker_of(identity, handled.who) is Speaker.ORGANISATION


def line(ctx: Context, handled: Handled) -> str:
    """物业-阿辉 14:12 说：7栋垃圾房已经清完了…"""
    at = datetime.fromtimestamp(handled.at, ctx.tz)
    words = without_quote(" ".join(reply_part(handled.words).split()))  # not what they quoted
    words = brief.gist(words, limit=30)  # cut where a clause ends: 「…我中午去北门大药房给您买…」
    return HOLDER["said"].format(who=handled.who, time=f"{at:%H:%M}", gist=words)


def last_active(ctx: Context, names: Iterable[str], ticket: Ticket, since: int) -> int | None:
    """When any of these officials last visibly worked since `since`: acted on a ticket
    (accepted, closed, handed on, told progress), or spoke in the ticket's room."""
    names = [n for n in names if n]
    if not names:
        return None
    last = ctx.store.tickets.last_act_of(names, ACTIVE_KINDS, since=since)
    if ticket.room_id is not None:
        for sender_id, sender_name, at in ctx.store.conversation.last_said_by(ticket.room_id, since=since):
            if who(ctx, sender_id, sender_name).name in names:
                last = max(last or 0, at)
    return last


ANSWERING_WINDOW = 30 * 60  # an official's word on a ticket this recent: they are answering it


def answering_now(ctx: Context, ticket: Ticket, at: int) -> bool:
    """An official, the property company or a volunteer acted on this ticket or said a word
    of it in its room within the last half hour (「收到郑叔 …下午派人来查」 at 12:41, the
    resident's 「好 下午几点」 at 12:42): they are answering in the thread, and the bot keeps
    out of it — no quote of what they just said, no line in their stead."""
    since = at - ANSWERING_WINDOW
    for event in ctx.store.tickets.events(ticket.id):
        if event.at >= since and event.kind in ACTIVE_KINDS and event.actor_name and event.actor_name != SYSTEM:
            return True
    if ticket.room_id is None:
        return False
    for row in ctx.store.conversation.said_since(ticket.room_id, since, until=at):
        if row.ticket_id != ticket.id:
            continue
        identity = who(ctx, row.sender_id, row.sender_name)
        if identity.is_official or speaker_of(identity, row.sender_name) is not Speaker.RESIDENT:
            return True
    return False
