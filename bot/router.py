"""Which handler hears a message: a command of a worker or admin, a resident's answer or
command about their own ticket, or otherwise a resident's message for the classifier."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import flood, report, resident, stats, worker
from handlers.commands import BARE_ACCEPT, BARE_DONE, is_one_of, parse_command
from handlers.context import Context
from handlers.directory import Grid
from handlers.help import handle_help
from handlers.messages import IncomingMessage, Outgoing

# A resident's numbered command that only officials may give is refused politely; the
# same words without a number are ordinary speech and go to the classifier.
OFFICIAL_VERBS = frozenset({"accept", "done", "transfer", "return", "register"})
ALWAYS_OFFICIAL = frozenset({"todo", "suspects", "stats", "reload"})
CLASSIFY_CHARS = 2000  # a 100,000-character message is classified on its beginning


@dataclass(frozen=True)
class Routed:
    outgoing: list[Outgoing]
    status: str = "done"  # done | ignored
    note: str | None = None


def route(ctx: Context, msg: IncomingMessage) -> Routed:
    grid: Grid | None = None
    admin_room = False
    if msg.room_id is not None:
        grid = resolve_room(ctx, msg)
        admin_room = grid is None and (
            ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic) is not None
        )
        if grid is None and not admin_room:
            return Routed([], "ignored", f"unknown room {msg.room_topic!r}")
    ctx.store.seen.person(msg.sender_id, msg.sender_name, ctx.ts)
    identity = ctx.directory.identify(msg.sender_id, msg.sender_name)
    cmd = parse_command(msg.text)

    if cmd is not None and cmd.verb == "help":
        return Routed(handle_help(msg, identity, ctx.directory.bot_name))
    if identity.is_official:
        if cmd is not None and cmd.verb == "stats":
            return Routed(stats.chat_stats(ctx, msg, identity))
        if cmd is not None and cmd.verb in ("mine", "rate"):
            return Routed(resident.handle_command(ctx, msg, identity, cmd))
        if cmd is not None:
            return Routed(worker.handle_command(ctx, msg, identity, cmd, grid))
        if is_one_of(msg.text, BARE_ACCEPT):
            return Routed(worker.bare_accept(ctx, msg, identity))
        if is_one_of(msg.text, BARE_DONE):
            return Routed(worker.bare_done(ctx, msg, identity))
        if msg.room_id is None:
            return Routed(handle_help(msg, identity, ctx.directory.bot_name))
        return Routed([], "done", "official's chat")

    if msg.room_id is None:
        grid = grid_of_private_sender(ctx, msg.sender_id)
    if not admin_room:
        surplus = flood.surplus_message(ctx, msg, grid, msg.text[:CLASSIFY_CHARS])
        if surplus is not None:
            return Routed(surplus, "done", "flood: over the per-sender limit")
    if cmd is not None and (
        cmd.verb in ALWAYS_OFFICIAL
        or (cmd.verb in OFFICIAL_VERBS and (cmd.number is not None or cmd.bad_number))
    ):
        return Routed(resident.handle_command(ctx, msg, identity, cmd))
    if cmd is not None and cmd.verb in ("query", "mine", "rate", "cancel"):
        return Routed(resident.handle_command(ctx, msg, identity, cmd))
    answer = resident.answer_to_question(ctx, msg)
    if answer is not None:
        return Routed(answer)
    if admin_room:
        return Routed([], "done", "admin room chat")
    return Routed(report.handle_report(ctx, msg, grid, text=msg.text[:CLASSIFY_CHARS]))


def resolve_room(ctx: Context, msg: IncomingMessage) -> Grid | None:
    """The grid of a room: remembered by id once matched, so a renamed group keeps its grid."""
    assert msg.room_id is not None
    known, grid_id = ctx.store.seen.room_grid(msg.room_id)
    if known and grid_id is not None:
        ctx.store.seen.room(msg.room_id, msg.room_topic, grid_id, ctx.ts)
        return ctx.directory.grid(grid_id)
    grid = ctx.directory.grid_for_room(msg.room_id, msg.room_topic)
    admin = ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic)
    if grid is not None or admin is not None:
        ctx.store.seen.room(msg.room_id, msg.room_topic, grid.id if grid else None, ctx.ts)
    return grid


def grid_of_private_sender(ctx: Context, sender_id: str) -> Grid | None:
    grid_id = ctx.store.inbox.last_grid_of(sender_id)
    return ctx.directory.grid(grid_id) if grid_id else None
