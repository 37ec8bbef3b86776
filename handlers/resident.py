"""What a resident may do with their own tickets: ask, rate, say it is not fixed, withdraw."""

from __future__ import annotations

from handlers import lifecycle, notify
from handlers.commands import BARE_UNHAPPY, Command, is_one_of, rating_of
from handlers.context import Context, Request
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import RESIDENT as TEXTS
from handlers.worker import describe
from intents.model import INTENT_NAMES_ZH
from storage import Ticket


def _numbered_ticket(ctx: Context, msg: IncomingMessage, cmd: Command) -> Ticket | list[Outgoing]:
    """The ticket a command names, or the reply saying why there is none."""
    if cmd.bad_number:
        return [notify.reply(msg, TEXTS["bad_number"].format(word=cmd.word))]
    if cmd.number is None:
        return [notify.reply(msg, TEXTS["no_number"].format(word=cmd.word))]
    ticket = ctx.store.tickets.get(cmd.number)
    if ticket is None:
        return [notify.reply(msg, TEXTS["not_found"].format(id=cmd.number))]
    return ticket


def on_query(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """查询 12: the whole ticket for its reporters and its grid's officials, the state only
    for anyone else (never the words or the reporter's name); 查询 alone: my tickets."""
    if req.command.number is None and not req.command.bad_number and not req.identity.is_official:
        return my_tickets(ctx, msg)
    ticket = _numbered_ticket(ctx, msg, req.command)
    if isinstance(ticket, list):
        return ticket
    if ctx.directory.may_act_on(req.identity, ticket.grid_id) or _is_reporter(
        ctx, ticket, msg.sender_id
    ):
        return [notify.reply(msg, describe(ctx, ticket))]
    return [notify.reply(msg, TEXTS["status_only"].format(id=ticket.id, status=ticket.status.label))]


def on_mine(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    return my_tickets(ctx, msg)


def on_rate(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """评价 12 5"""
    ticket = _numbered_ticket(ctx, msg, req.command)
    if isinstance(ticket, list):
        return ticket
    if not _is_reporter(ctx, ticket, msg.sender_id):
        return [notify.reply(msg, TEXTS["not_own"].format(id=ticket.id, verb=req.command.word))]
    score = rating_of(req.command.rest)
    if score is None:
        return [notify.reply(msg, TEXTS["rate_how"].format(id=ticket.id))]
    return rate(ctx, msg, ticket, score)


def on_cancel(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """撤销 12"""
    ticket = _numbered_ticket(ctx, msg, req.command)
    if isinstance(ticket, list):
        return ticket
    if not _is_reporter(ctx, ticket, msg.sender_id):
        return [notify.reply(msg, TEXTS["not_own"].format(id=ticket.id, verb=req.command.word))]
    return cancel(ctx, msg, ticket)


def pending_rating(ctx: Context, msg: IncomingMessage) -> Ticket | None:
    """The ticket whose rating the bot asked this resident for, if still unrated."""
    prompt = ctx.store.seen.prompt(msg.sender_id, "rating")
    if prompt is None:
        return None
    ticket = ctx.store.tickets.get(prompt[0])
    if ticket is None or not ticket.status.is_done or ticket.rating is not None:
        return None
    return ticket


def answer_to_question(ctx: Context, msg: IncomingMessage) -> list[Outgoing] | None:
    """A bare 满意 / 3 / 不满意 / 没修好 answering the bot's question; None if it is not one."""
    ticket = pending_rating(ctx, msg)
    if ticket is None:
        return None
    if is_one_of(msg.text, BARE_UNHAPPY):
        return reopen(ctx, msg, ticket, note=None)
    score = rating_of(msg.text)
    if score is None:
        return None
    return rate(ctx, msg, ticket, score)


def rate(ctx: Context, msg: IncomingMessage, ticket: Ticket, score: int) -> list[Outgoing]:
    if not ticket.status.is_done:
        return [notify.reply(msg, TEXTS["rate_not_done"].format(id=ticket.id))]
    lifecycle.rate(ctx, ticket, score=score, actor_name=msg.sender_name, actor_id=msg.sender_id)
    ctx.store.seen.clear_prompt(msg.sender_id, "rating")
    extra = TEXTS["low_rating_extra"] if score <= 2 else ""
    return [notify.reply(msg, TEXTS["thanks_rating"].format(score=score, id=ticket.id, extra=extra))]


def reopen(ctx: Context, msg: IncomingMessage, ticket: Ticket, note: str | None) -> list[Outgoing]:
    ticket = lifecycle.reopen(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note=note)
    ctx.store.seen.clear_prompt(msg.sender_id, "rating")
    worker = ticket.assignee_name or ""
    if worker:
        ctx.store.seen.set_prompt(worker, "ping", ticket.id, ctx.ts)
    text = TEXTS["reopened"].format(id=ticket.id, worker=worker)
    ping = TEXTS["reopen_ping"].format(id=ticket.id, note=f"（{note}）" if note else "")
    if msg.room_id is not None and ticket.room_id == msg.room_id and worker:
        mentions = (Person(msg.sender_name, msg.sender_id), notify.person(ctx, worker))
        return [Outgoing(text=f"{text}\n{ping}", room_id=msg.room_id, room_topic=msg.room_topic, mentions=mentions)]
    return [notify.reply(msg, text)] + (notify.privately(ctx, [worker], ping) if worker else [])


def cancel(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    if not ticket.status.is_open:
        return [notify.reply(msg, TEXTS["cannot_cancel"].format(id=ticket.id, status=ticket.status.label))]
    ticket = lifecycle.cancel(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note="居民撤销")
    out = [notify.reply(msg, TEXTS["cancelled"].format(id=ticket.id))]
    if ticket.assignee_name:
        out += notify.privately(ctx, [ticket.assignee_name], TEXTS["worker_told_cancel"].format(id=ticket.id))
    return out


def my_tickets(ctx: Context, msg: IncomingMessage) -> list[Outgoing]:
    tickets = ctx.store.tickets.of_reporter(msg.sender_id)
    if not tickets:
        return [notify.reply(msg, TEXTS["mine_empty"])]
    lines = [TEXTS["mine_head"]] + [
        TEXTS["mine_line"].format(
            id=t.id, kind=INTENT_NAMES_ZH[t.intent], place=f" · {t.location}" if t.location else "",
            status=t.status.label,
        )
        for t in tickets[:10]
    ]
    return [notify.reply(msg, "\n".join(lines))]


def _is_reporter(ctx: Context, ticket: Ticket, person_id: str) -> bool:
    return any(r.person_id == person_id for r in ctx.store.tickets.reporters(ticket.id))
