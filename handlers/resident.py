"""What a resident may do with their own tickets: ask, rate, say it is not fixed, withdraw."""

from __future__ import annotations

from handlers import lifecycle, notify, questions, targets
from handlers.commands import rating_of
from handlers.context import Context, Request
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import RESIDENT as TEXTS
from handlers.worker import describe
from intents.model import INTENT_NAMES_ZH
from storage import Ticket


def _own_ticket(
    ctx: Context, msg: IncomingMessage, req: Request, *, verb: str
) -> Ticket | list[Outgoing]:
    """The resident's ticket a command or reply is about, or what to say instead: the
    number written (theirs only), else their one ticket the act fits (targets), else one
    short question."""
    cmd = req.command
    if cmd.bad_number:
        return [notify.reply(msg, TEXTS["bad_number"].format(word=cmd.word or verb))]
    if cmd.number is None:
        reading = targets.reading_of(ctx, msg, req, worker=False)
        target = targets.for_resident(ctx, msg, cmd.act, reading)
        if target.candidates:
            return questions.ask_which(ctx, msg, cmd.act, target.candidates, {"rest": cmd.rest})
        if target.ticket is None:
            return [notify.reply(msg, TEXTS["no_number"].format(word=cmd.word or verb))]
        return target.ticket
    ticket = ctx.store.tickets.get(cmd.number)
    if ticket is None:
        return [notify.reply(msg, TEXTS["not_found"].format(id=cmd.number))]
    if not _is_reporter(ctx, ticket, msg.sender_id):
        return [notify.reply(msg, TEXTS["not_own"].format(id=ticket.id, verb=cmd.word or verb))]
    return ticket


def on_query(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """查询 12: the details (reporter, words) only to the officials of its grid or
    community, privately; to its reporters what is being done, never another reporter's
    name or words; to anyone else the state. 查询 alone: my tickets."""
    cmd = req.command
    if cmd.number is None and not cmd.bad_number and not req.identity.is_official:
        return my_tickets(ctx, msg)
    if cmd.bad_number or cmd.number is None:
        key = "bad_number" if cmd.bad_number else "no_number"
        return [notify.reply(msg, TEXTS[key].format(word=cmd.word))]
    ticket = ctx.store.tickets.get(cmd.number)
    if ticket is None:
        return [notify.reply(msg, TEXTS["not_found"].format(id=cmd.number))]
    if ctx.directory.may_act_on(req.identity, ticket.grid_id):
        return [notify.to_official(ctx, msg, describe(ctx, ticket))]
    if _is_reporter(ctx, ticket, msg.sender_id):
        return [notify.reply(msg, reporter_view(ticket, own=ticket.reporter_id == msg.sender_id))]
    return [notify.reply(msg, TEXTS["status_only"].format(id=ticket.id, status=ticket.status.label))]


def reporter_view(ticket: Ticket, *, own: bool) -> str:
    """What a reporter sees of a ticket they reported or joined: what, where, how far, and
    (`own`: they opened it) their own words; never who else reported it, nor their words."""
    text = TEXTS["reporter_view"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], place=ticket.location or "",
        status=ticket.status.label,
        worker=TEXTS["reporter_view_worker"].format(worker=ticket.assignee_name)
        if ticket.assignee_name else "",
    )
    if own:
        text += "\n" + TEXTS["reporter_view_words"].format(text=ticket.masked_text[:100])
    return text


def on_mine(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """我的工单 / 我反映的事怎么样了"""
    return my_tickets(ctx, msg)


def on_rate(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """评价 12 5 / 五星好评 / 谢谢 修好了"""
    ticket = _own_ticket(ctx, msg, req, verb="评价")
    if isinstance(ticket, list):
        return ticket
    score = rating_of(req.command.rest, ctx.phrases)
    if score is None:
        return [notify.reply(msg, TEXTS["rate_how"].format(id=ticket.id))]
    return rate(ctx, msg, ticket, score)


def on_reopen(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """没修好 12 / 还是没修好 / 又堵上了"""
    ticket = _own_ticket(ctx, msg, req, verb="没修好")
    if isinstance(ticket, list):
        return ticket
    if not targets.fits(ctx, ticket, "reopen"):
        return [notify.reply(msg, TEXTS["cannot_reopen"].format(id=ticket.id, status=ticket.status.label))]
    return reopen(ctx, msg, ticket, note=req.command.rest or None)


def on_cancel(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """撤销 12 / 不用了 已经好了"""
    ticket = _own_ticket(ctx, msg, req, verb="撤销")
    if isinstance(ticket, list):
        return ticket
    return cancel(ctx, msg, ticket, note=req.command.rest or None)


def rate(ctx: Context, msg: IncomingMessage, ticket: Ticket, score: int) -> list[Outgoing]:
    if not ticket.status.is_done:
        return [notify.reply(msg, TEXTS["rate_not_done"].format(id=ticket.id))]
    lifecycle.rate(ctx, ticket, score=score, actor_name=msg.sender_name, actor_id=msg.sender_id)
    ctx.store.seen.clear_prompt(msg.sender_id, "rating")
    if msg.room_id is not None:
        return []  # thanks in the group would be one more post for everyone: none at all
    extra = TEXTS["low_rating_extra"] if score <= 2 else ""
    return [notify.reply(msg, TEXTS["thanks_rating"].format(score=score, id=ticket.id, extra=extra))]


def reopen(ctx: Context, msg: IncomingMessage, ticket: Ticket, note: str | None) -> list[Outgoing]:
    ticket = lifecycle.reopen(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id, note=note)
    ctx.store.seen.clear_prompt(msg.sender_id, "rating")
    worker = notify.hears_now(ctx, ticket) or ""
    if worker:
        ctx.store.seen.set_prompt(worker, "ping", ticket.id, ctx.ts)
    text = TEXTS["reopened"].format(id=ticket.id, worker=worker)
    ping = TEXTS["reopen_ping"].format(id=ticket.id, note=f"（{note}）" if note else "")
    told = notify.privately(ctx, [worker], ping, about=ticket) if worker else []
    if msg.room_id is not None and ticket.room_id == msg.room_id and worker:
        # The residents' group hears the news, the worker a bare @ there (not in quiet hours:
        # an @ rings their phone); what the resident says is wrong goes to the worker
        # privately (no instructions in a residents' group).
        mentions = (Person(msg.sender_name, msg.sender_id),)
        if not notify.morning(ctx, ticket):
            mentions += (notify.person(ctx, worker),)
        return [Outgoing(text=text, room_id=msg.room_id, room_topic=msg.room_topic, mentions=mentions), *told]
    return [notify.reply(msg, text), *told]


def cancel(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, note: str | None = None
) -> list[Outgoing]:
    """Withdraw: the whole ticket when the sender is its only reporter; otherwise only
    their own report (the neighbours who reported it too keep theirs)."""
    if not ticket.status.is_open:
        return [notify.reply(msg, TEXTS["cannot_cancel"].format(id=ticket.id, status=ticket.status.label))]
    others = [r for r in ctx.store.tickets.reporters(ticket.id) if r.person_id != msg.sender_id]
    if others:
        lifecycle.leave(ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name)
        ctx.store.seen.clear_prompt(msg.sender_id, "rating")
        out = [notify.reply(msg, TEXTS["left"].format(id=ticket.id))]
        if ticket.assignee_name:
            out += notify.privately(ctx, [notify.hears_now(ctx, ticket)], TEXTS["worker_told_left"].format(
                id=ticket.id, n=len(others)
            ), about=ticket)
        return out
    ticket = lifecycle.cancel(
        ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id,
        note=TEXTS["cancel_note"].format(why=f"：{note}" if note else ""),
    )
    out = [notify.reply(msg, TEXTS["cancelled"].format(id=ticket.id))]
    if ticket.assignee_name:
        told = TEXTS["worker_told_cancel"].format(id=ticket.id, why=f"（{note}）" if note else "")
        out += notify.privately(ctx, [notify.hears_now(ctx, ticket)], told, about=ticket)
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
