"""Binding officials and rooms to their WeChat ids.

An official is bound once with a one-time code: an admin asks for it privately
(绑定码 孙丽), or whoever runs the bot prints it (`python -m bot bind-code`), and hands it to
孙丽 in person or by phone; 孙丽 sends 绑定 <code> privately from her own WeChat. An
impostor who only copied her name has no code. Codes are eight digits, kept as hashes,
valid for a day and once; after a few wrong codes a sender waits an hour.

A room is bound to its configured topic at first sight, or by an admin saying 绑定本群 in
it (to move a group to a new room, or to take over from a copycat).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from handlers import notify
from handlers.context import Context, Request
from handlers.identity import official, reachable, tell_admins
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import BINDING as TEXTS
from storage import Store

CODE_HOURS = 24
MAX_WRONG_CODES = 5  # per sender and hour


def code_hash(code: str) -> str:
    return hashlib.sha256(f"gridbot-binding:{code}".encode()).hexdigest()


def issue_code(store: Store, name: str, *, at: int, by: str) -> str:
    """A fresh one-time code that binds whoever sends it to `name` (an official)."""
    code = str(10_000_000 + secrets.randbelow(90_000_000))
    store.bindings.add_code(code_hash(code), name, at=at, expires_at=at + CODE_HOURS * 3600, by=by)
    return code


def on_issue(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """绑定码 孙丽 — an admin, privately (the table says who and where)."""
    wanted = req.command.rest.strip().lstrip("@＠")
    if not wanted:
        return [notify.reply(msg, TEXTS["issue_who"])]
    who = ctx.directory.official_named(wanted)
    if who is None:
        return [notify.reply(msg, TEXTS["issue_unknown"].format(name=wanted[:20]))]
    code = issue_code(ctx.store, who.name, at=ctx.ts, by=req.identity.name)
    return [notify.reply(msg, TEXTS["code"].format(name=who.name, code=code, hours=CODE_HOURS))]


def on_redeem(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """绑定 12345678 — anyone, privately: the sender becomes the official of the code."""
    if ctx.store.bindings.failures_since(msg.sender_id, ctx.ts - 3600) >= MAX_WRONG_CODES:
        return [notify.reply(msg, TEXTS["too_many"])]
    digits = re.sub(r"\D", "", f"{req.command.number or ''}{req.command.rest}")
    name = ctx.store.bindings.spend_code(code_hash(digits), at=ctx.ts, by=msg.sender_id) if digits else None
    who = ctx.directory.official_named(name) if name else None
    if who is None:
        ctx.store.bindings.add_failure(msg.sender_id, at=ctx.ts)
        return [notify.reply(msg, TEXTS["wrong_code"])]
    before = ctx.store.bindings.bind_person(who.name, msg.sender_id, at=ctx.ts, by="code")
    roles = "、".join(_roles(ctx, who))
    waited = ctx.store.outbox.release(who.name, msg.sender_id)
    waiting = TEXTS["bound_waiting"].format(n=waited) if waited else ""
    out = [notify.reply(msg, TEXTS["bound"].format(name=who.name, roles=roles, waiting=waiting))]
    replaced = TEXTS["replaced"].format(id=before) if before and before != msg.sender_id else ""
    return out + tell_admins(ctx, TEXTS["bound_admins"].format(
        name=who.name, id=msg.sender_id, replaced=replaced
    ))


def on_bind_room(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """绑定本群 — an admin, in the room: this room is the configured group of its topic."""
    assert msg.room_id is not None
    ref = ctx.directory.room_ref(msg.room_id, msg.room_topic)
    if ref is None:
        return [notify.reply(msg, TEXTS["room_unknown"].format(topic=msg.room_topic or ""))]
    if ctx.directory.is_room_id_ref(ref):
        return [notify.reply(msg, TEXTS["room_by_id"])]
    before = ctx.store.bindings.bind_room(ref, msg.room_id, at=ctx.ts, by=req.identity.name)
    grid = ctx.directory.grid_for_room(ref, ref)
    community = ctx.directory.community_for_admin_room(ref, ref)
    what = grid.name if grid else (community.name + TEXTS["staff_room"] if community else ref)
    out = [notify.reply(msg, TEXTS["room_bound"].format(ref=ref, what=what))]
    if before is not None and before != msg.room_id:
        out += [m for m in tell_admins(ctx, TEXTS["room_moved"].format(ref=ref, old=before))
                if m.to is None or m.to.id != msg.sender_id]
    ctx.store.seen.room(msg.room_id, msg.room_topic, grid.id if grid else None, ctx.ts)
    return out


def release_held(ctx: Context) -> int:
    """Messages held for officials who are known by id now (a wechat_id added to the
    config, a binding made while the bot was down): they go out."""
    released = 0
    for name in ctx.store.outbox.held_for():
        found = official(ctx, name).id
        if found is not None:
            released += ctx.store.outbox.release(name, found)
    return released


def unbound_officials(ctx: Context) -> list[str]:
    """Officials neither configured with a wechat_id nor bound yet."""
    names = list(ctx.directory.admins)
    for community in ctx.directory.communities:
        names += community.staff
    for grid in ctx.directory.grids:
        names += grid.workers
    return [n for n in dict.fromkeys(names) if not reachable(ctx, official(ctx, n))]


def _roles(ctx: Context, who) -> list[str]:
    roles = []
    for grid_id in who.worker_of:
        grid = ctx.directory.grid(grid_id)
        roles.append(TEXTS["role_worker"].format(grid=grid.name if grid else grid_id))
    for community_id in who.staff_of:
        community = ctx.directory.community(community_id)
        roles.append(TEXTS["role_staff"].format(community=community.name if community else community_id))
    if who.is_admin:
        roles.append(TEXTS["role_admin"])
    return roles
