"""合并 12 到 8: an official says two tickets are one need. The duplicate's reporters join
the other ticket and are told once; the duplicate ends as merged."""

from __future__ import annotations

import re

from handlers import lifecycle, notify
from handlers.context import Context, Request
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import MERGE as TEXTS
from handlers.texts import WORKER
from handlers.worker import ticket_to_act_on
from storage import ACTIVE_STATES

_INTO = re.compile(r"^(?:到|进|入|至|去|->|→)?\s*#?\s*(\d{1,12})\b")


def into_number(rest: str) -> int | None:
    """The ticket to merge into, from 「到 8」「#8」「8」."""
    match = _INTO.match(rest.strip())
    return int(match.group(1)) if match else None


def on_merge(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """合并 12 到 8"""
    ticket = ticket_to_act_on(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    number = into_number(req.command.rest)
    if number is None:
        return [notify.reply(msg, TEXTS["into_what"].format(id=ticket.id))]
    if number == ticket.id:
        return [notify.reply(msg, TEXTS["same"].format(id=ticket.id))]
    into = ctx.store.tickets.get(number)
    if into is None:
        return [notify.reply(msg, WORKER["not_found"].format(id=number))]
    if not ctx.directory.may_act_on(req.identity, into.grid_id):
        return [notify.reply(msg, WORKER["not_yours"].format(id=into.id))]
    if not ticket.status.is_open:
        return [notify.reply(msg, TEXTS["not_open"].format(id=ticket.id, status=ticket.status.label))]
    if into.status not in ACTIVE_STATES:
        return [notify.reply(msg, TEXTS["target_closed"].format(into=into.id, status=into.status.label))]
    merged = lifecycle.merge(ctx, ticket, into, actor_name=req.identity.name, actor_id=msg.sender_id)
    news = notify.tell_reporters(ctx, merged, TEXTS["tell_merged"].format(id=ticket.id, into=into.id))
    return [notify.reply(msg, TEXTS["merged"].format(id=ticket.id, into=into.id)), *news]
