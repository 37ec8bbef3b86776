"""Which configured group a room is, by id.

A group topic can be copied: anyone may create "青年路一网格居民群". So in a real chat a
configured topic is bound to the id of the first room seen with it (or to the room where
an admin says 绑定本群), and from then on only that room is that group: a new or renamed
room with the same topic is not adopted — nothing is opened from it, nothing is sent to
it — and the admins are told. Rooms configured by id are bound by the config. The
simulator keeps matching rooms by topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from handlers.context import Context
from handlers.directory import Community, Grid
from handlers.identity import tell_admins
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import BINDING as TEXTS


@dataclass(frozen=True)
class Room:
    """What a room is to the bot: a grid's residents' room, a community's staff room, or
    neither (unknown, or a copycat of a bound group)."""

    grid: Grid | None = None
    community: Community | None = None  # the staff group of this community
    copycat_of: str | None = None  # the configured topic it copies
    alerts: list[Outgoing] = field(default_factory=list)

    @property
    def adopted(self) -> bool:
        return self.grid is not None or self.community is not None


def which_room(ctx: Context, msg: IncomingMessage) -> Room:
    assert msg.room_id is not None
    directory = ctx.directory
    if ctx.names_trusted:
        return _by_topic(ctx, msg)
    ref = ctx.store.bindings.room(msg.room_id)
    if ref is None:
        ref = directory.room_ref(msg.room_id, msg.room_topic) or _legacy_ref(ctx, msg.room_id)
        if ref is None:
            return Room()
        if not directory.is_room_id_ref(ref):
            bound = ctx.store.bindings.room_for(ref)
            if bound is not None and bound != msg.room_id:
                return _copycat(ctx, msg, ref)
            if bound is None:
                ctx.store.bindings.bind_room(ref, msg.room_id, at=ctx.ts, by="first sight")
    room = _of_ref(ctx, ref)
    if room.grid is not None or room.community is not None:
        ctx.store.seen.room(msg.room_id, msg.room_topic, room.grid.id if room.grid else None, ctx.ts)
    return room


def members(ctx: Context, room_id: str, topic: str | None, people: Sequence[Person]) -> int:
    """The people in a residents' group as the transport lists them: each is of the group's
    grid, so a private report of one who never wrote in the group (「在群里不好说」) reaches
    that grid. A room not bound to a grid yet says nothing; returns how many were noted."""
    if ctx.names_trusted:
        grid = ctx.directory.grid_for_room(room_id, topic)
    else:
        # Bound by a message seen there, or configured by its id (bound by the config).
        ref = ctx.store.bindings.room(room_id) or ctx.directory.room_ref(room_id, None)
        grid = _of_ref(ctx, ref).grid if ref else None
    if grid is None:
        return 0
    for person in people:
        ctx.store.seen.member(person.id or person.name, person.name, ctx.ts, grid.id)
    return len(people)


def address(ctx: Context, ref: str) -> tuple[str, str | None] | None:
    """Where to post to a configured room (its id and topic); None while a topic is bound to
    no room yet (in a real chat: never "the room last seen with that topic")."""
    if ctx.directory.is_room_id_ref(ref):
        return ref, None
    if ctx.names_trusted:
        return ctx.store.seen.room_id_by_topic(ref) or ref, ref
    bound = ctx.store.bindings.room_for(ref)
    return (bound, ref) if bound is not None else None


def _of_ref(ctx: Context, ref: str) -> Room:
    directory = ctx.directory
    return Room(grid=directory.grid_for_room(ref, ref), community=directory.community_for_admin_room(ref, ref))


def _by_topic(ctx: Context, msg: IncomingMessage) -> Room:
    """The simulator: remembered by id once matched, so a renamed group keeps its grid."""
    assert msg.room_id is not None
    known, grid_id = ctx.store.seen.room_grid(msg.room_id)
    if known and grid_id is not None:
        ctx.store.seen.room(msg.room_id, msg.room_topic, grid_id, ctx.ts)
        return Room(grid=ctx.directory.grid(grid_id))
    grid = ctx.directory.grid_for_room(msg.room_id, msg.room_topic)
    community = ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic)
    if grid is not None or community is not None:
        ctx.store.seen.room(msg.room_id, msg.room_topic, grid.id if grid else None, ctx.ts)
    return Room(grid=grid, community=None if grid else community)


def _legacy_ref(ctx: Context, room_id: str) -> str | None:
    """A room a bot before bindings matched to a grid, since renamed: the grid's first
    topic not bound to another room."""
    known, grid_id = ctx.store.seen.room_grid(room_id)
    grid = ctx.directory.grid(grid_id) if known and grid_id else None
    if grid is None:
        return None
    return next((ref for ref in grid.rooms if ctx.store.bindings.room_for(ref) is None), None)


def _copycat(ctx: Context, msg: IncomingMessage, ref: str) -> Room:
    alerts: list[Outgoing] = []
    if ctx.store.bindings.first_time(f"copycat:{msg.room_id}", at=ctx.ts):
        alerts = tell_admins(ctx, TEXTS["copycat"].format(
            topic=msg.room_topic or "", id=msg.room_id, ref=ref
        ))
    return Room(copycat_of=ref, alerts=alerts)
