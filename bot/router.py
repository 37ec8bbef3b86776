"""Which handler hears a message, in this order: a command of the table of what can be
said (handlers/vocabulary.py); the answer to the bot's open question to this person; a
reply in everyday words (a worker's 收到马上到, a resident's 五星好评); otherwise a worker's
chat is left alone and a resident's message goes to the classifier.

Who speaks and in which group are decided by id in a real chat (handlers/identity.py,
handlers/rooms.py): a copied name makes a resident, a copied group topic an unknown room.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from handlers import away, conversation, duty, flood, natural, notify, vocabulary
from handlers.context import Context, Request
from handlers.directory import Grid, Identity
from handlers.identity import identify
from handlers.messages import IncomingMessage, Outgoing
from handlers.rooms import which_room
from handlers.texts import ROUTER as TEXTS

CLASSIFY_CHARS = 2000  # a 100,000-character message is classified on its beginning


@dataclass(frozen=True)
class Routed:
    outgoing: list[Outgoing]
    status: str = "done"  # done | ignored
    note: str | None = None
    # A heavy read (statistics) to answer with afterwards, away from the event loop: it
    # gets a Context on a connection of its own and only reads.
    later: Callable[[Context], list[Outgoing]] | None = None


def route(ctx: Context, msg: IncomingMessage) -> Routed:
    grid: Grid | None = None
    admin_room = False
    alerts: list[Outgoing] = []
    if msg.room_id is not None:
        room = which_room(ctx, msg)
        alerts = room.alerts
        if not room.adopted:
            return _in_unknown_room(ctx, msg, room.copycat_of, alerts)
        grid = room.grid
        admin_room = grid is None
    ctx.store.seen.person(msg.sender_id, msg.sender_name, ctx.ts, grid.id if grid else None)
    identity, told = identify(ctx, msg)
    if identity.is_official:
        duty.hear(ctx, msg, identity, grid)  # 我今天值班: the grid's tickets reach them today
        told = [*told, *away.hear(ctx, msg, identity, grid)]  # 上午培训 有事找@王秀英 / 我回来了
    routed = _route_as(ctx, msg, identity, grid, admin_room)
    alerts = [*alerts, *told]  # words to the admins: a copied group, a look-alike name
    return replace(routed, outgoing=routed.outgoing + alerts) if alerts else routed


def _in_unknown_room(
    ctx: Context, msg: IncomingMessage, copycat_of: str | None, alerts: list[Outgoing]
) -> Routed:
    """Nothing is opened from a room that is not a configured group; only an admin's
    绑定本群 makes it one."""
    said = vocabulary.read(msg.text)
    if said is not None and said.entry.act == "bind_room":
        identity, _ = identify(ctx, msg)
        if vocabulary.may_say(said.entry, identity):
            routed = _command(ctx, msg, said, identity, None)
            return replace(routed, outgoing=routed.outgoing + alerts)
    what = f"copy of {copycat_of!r}" if copycat_of else "unknown room"
    return Routed(alerts, "ignored", f"{what}: {msg.room_topic!r}")


def _route_as(
    ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None, admin_room: bool
) -> Routed:
    said = vocabulary.read(msg.text)

    if identity.is_official:
        if said is not None:
            return _command(ctx, msg, said, identity, grid)
        answered = natural.answer(ctx, msg, identity, grid)
        if answered is not None:
            return Routed(answered)
        replied = natural.worker_reply(ctx, msg, identity, grid)
        if replied is not None:
            return Routed(replied, "done", None if replied else "a worker's reply about no ticket")
        if msg.room_id is None:
            return _command(ctx, msg, vocabulary.help_request(), identity, grid)
        update = conversation.official_update(ctx, msg, text=msg.text[:CLASSIFY_CHARS])
        return Routed(update, "done", "official's chat")

    if msg.room_id is None:
        grid = grid_of_private_sender(ctx, msg.sender_id)
    if msg.room_id is not None and grid is not None and not admin_room:
        placed = natural.placed_by_group(ctx, msg, grid)
        if placed is not None:  # their question answered by where they speak; now the message
            routed = _route_as(ctx, msg, identity, grid, admin_room)
            return replace(routed, outgoing=placed + routed.outgoing)
    if not admin_room:
        surplus = flood.surplus_message(ctx, msg, grid, msg.text[:CLASSIFY_CHARS])
        if surplus is not None:
            return Routed(surplus, "done", "flood: over the per-sender limit")
    if said is not None and not vocabulary.is_speech_for(said, identity):
        return _command(ctx, msg, said, identity, grid)
    answered = natural.answer(ctx, msg, identity, grid)
    if answered is not None:
        return Routed(answered)
    replied = natural.resident_reply(ctx, msg, identity, grid)
    if replied is not None:
        return Routed(replied)
    if admin_room:
        return Routed([], "done", "admin room chat")
    return Routed(
        conversation.handle(ctx, msg, grid, identity, text=msg.text[:CLASSIFY_CHARS])
    )


def _command(
    ctx: Context, msg: IncomingMessage, said: vocabulary.Said, identity: Identity,
    grid: Grid | None,
) -> Routed:
    """A command of the table: its handler when this person may say it here (later, away
    from the loop, when it is heavy), else a short word of why not."""
    entry = said.entry
    if not vocabulary.may_say(entry, identity):
        if identity.is_official:
            return Routed([notify.to_official(
                ctx, msg, TEXTS["admins_only"].format(word=said.command.word)
            )])
        return Routed([notify.reply(msg, TEXTS["officials_only"].format(word=said.command.word))])
    if not vocabulary.may_say_here(entry, msg):
        key = "in_group_only" if entry.where == vocabulary.Where.GROUP else "in_private_only"
        return Routed([notify.reply(msg, TEXTS[key].format(word=said.command.word))])
    req = Request(identity=identity, grid=grid, command=said.command)
    if entry.heavy:
        return Routed([], later=lambda reading: entry.handler(reading, msg, req))
    return Routed(entry.handler(ctx, msg, req))


def grid_of_private_sender(ctx: Context, sender_id: str) -> Grid | None:
    """The grid of the group this person last wrote in, else the one they told the bot."""
    grid_id = ctx.store.seen.grid_of(sender_id)
    return ctx.directory.grid(grid_id) if grid_id else None
