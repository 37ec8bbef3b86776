"""Flood control: one resident posting dozens of messages a minute, or a whole group
posting about one blackout, must not become a storm of tickets or of replies.

Three limits, all from `[flood]` in the config:

- per sender: beyond `per_sender_per_minute` messages of one resident within a minute
  (by the chat's own send times, so a replay after downtime is judged as it was said),
  the surplus is stored but not answered; the first one over the limit gets one polite
  "slow down". The next as many are still read: one that reads as a new need is kept as
  疑似诉求 for the worker, an urgent one is handled as usual (a frightened resident who
  writes in bursts is not muted when she says 着火了). Beyond twice the limit a message
  is only stored, not even classified: a flood costs the bot no more than a busy resident.
- per room, tickets: beyond `per_room_tickets_per_10_minutes` new tickets of one intent
  in one room within 10 minutes, a report without a place joins the latest of them.
- per room, replies: a ticket that neighbours keep joining answers the first
  `per_room_tickets_per_10_minutes` of them in a room within 10 minutes; the last of
  those answers says that further reports are registered without a reply each.

The decisions are pure functions of counts; `surplus_message`, `fold_target` and
`join_reply_due` read the counts from storage.
"""

from __future__ import annotations

from handlers import notify
from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import IncomingMessage, Outgoing
from handlers.settings import FloodSettings
from handlers.texts import FLOOD as TEXTS
from storage import OPEN_STATES, Ticket

SENDER_WINDOW_SECONDS = 60
ROOM_WINDOW_SECONDS = 10 * 60


# --- the decisions ------------------------------------------------------------------


def sender_verdict(count_in_window: int, settings: FloodSettings) -> str:
    """`count_in_window` includes this message: "ok", "slow_down" (first over), "quiet"
    (over, still read for danger and needs) or "unread" (over twice the limit: stored)."""
    limit = settings.per_sender_per_minute
    if limit <= 0 or count_in_window <= limit:
        return "ok"
    if count_in_window == limit + 1:
        return "slow_down"
    return "quiet" if count_in_window <= 2 * limit else "unread"


def room_is_surging(tickets_in_window: int, settings: FloodSettings) -> bool:
    """True when a room already has as many new tickets of one kind as it may in 10 min."""
    limit = settings.per_room_tickets_per_10_minutes
    return limit > 0 and tickets_in_window >= limit


def join_verdict(joins_in_window: int, settings: FloodSettings) -> str:
    """`joins_in_window` includes this one: "reply", "last_reply" or "quiet"."""
    limit = settings.per_room_tickets_per_10_minutes
    if limit <= 0 or joins_in_window < limit:
        return "reply"
    return "last_reply" if joins_in_window == limit else "quiet"


# --- reading the counts ------------------------------------------------------------------


def surplus_message(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, text: str
) -> list[Outgoing] | None:
    """None when this resident is within the limit; otherwise what (little) to answer."""
    count = ctx.store.inbox.count_from_sender_around(
        msg.sender_id, msg.message_id, SENDER_WINDOW_SECONDS
    )
    verdict = sender_verdict(count, ctx.settings.flood)
    if verdict == "ok":
        return None
    if verdict == "unread":
        return []
    c = ctx.classifier.classify(text)
    if c.urgent:
        return None  # danger is never muted
    if grid is not None and c.opens_ticket and not _already_reported(ctx, msg, grid, c.intent, c.place):
        ctx.store.notes.add_suspect(
            grid_id=grid.id, room_id=msg.room_id, room_topic=msg.room_topic,
            sender_id=msg.sender_id, sender_name=msg.sender_name, text=text, intent=c.intent,
            confidence=c.confidence, message_id=msg.message_id, at=ctx.ts,
        )
    if verdict == "slow_down":
        return [notify.reply(msg, TEXTS["slow_down"])]
    return []


def fold_target(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, urgent: bool
) -> Ticket | None:
    """In a surge, the ticket a report without a place joins instead of opening another."""
    if urgent or msg.room_id is None:
        return None
    recent = ctx.store.tickets.recent_in_room(
        room_id=msg.room_id, intent=intent, since=ctx.ts - ROOM_WINDOW_SECONDS
    )
    if not room_is_surging(len(recent), ctx.settings.flood):
        return None
    return next((t for t in recent if t.grid_id == grid.id and not t.urgent), None)


def join_reply_due(ctx: Context, ticket: Ticket, msg: IncomingMessage) -> str:
    """After a resident joined `ticket`: "reply", "last_reply" or "quiet"."""
    joins = ctx.store.tickets.joins_since(
        ticket.id, room_id=msg.room_id, since=ctx.ts - ROOM_WINDOW_SECONDS
    )
    return join_verdict(joins, ctx.settings.flood)


def _already_reported(
    ctx: Context, msg: IncomingMessage, grid: Grid, intent: str, place: str | None
) -> bool:
    """This resident already has an open ticket for this need (at this place, if one)."""
    key = None
    if place:
        from intents import normalize_place

        key = normalize_place(place) or None
    return any(
        t.grid_id == grid.id and t.intent == intent and (key is None or t.location_key in (None, key))
        for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
    )
