"""A question put to an official by name after the FAQ answered it: the asker wants a person.

「@陈海燕 打扰了陈主任 想问一下」 minutes after the bot's FAQ answer to her own question says
the answer did not settle it: the question becomes an inquiry ticket (its source is the
question, so the official's quote-reply answering it is the answer on record), the officials
named hear of it, and the group hears nothing more: she spoke to the official, who is there.
"""

from __future__ import annotations

from handlers import notify, report
from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import REPORT as TEXTS

ASKED_WINDOW = 30 * 60  # the FAQ's answer to the asker's own question, this recent


def put_to_official(ctx: Context, msg: IncomingMessage, grid: Grid) -> list[Outgoing] | None:
    """The asker's own question, answered from the FAQ minutes ago, now put to an official
    by name: an inquiry ticket on that question, told to the officials named (and the worker
    in charge); None when this is not that."""
    if msg.room_id is None:
        return None
    named, said = notify.reached(ctx, msg, grid)  # one not there: who holds the grid for her
    if not named:
        return None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - ASKED_WINDOW, before=msg.message_id, sender_id=msg.sender_id
    )
    question = next((r for r in reversed(rows) if r.reading == "faq" and r.ticket_id is None), None)
    if question is None:
        return None
    c = ctx.classifier.classify(question.text)
    origin = IncomingMessage(
        message_id=question.message_id, room_id=question.room_id, room_topic=question.room_topic,
        sender_id=question.sender_id, sender_name=question.sender_name, text=question.text,
        time=ctx.local(question.sent_at),
    )
    out = report.open_from_message(
        ctx, origin, grid, text=question.text, intent="inquiry", urgent=False, place=c.place,
        place_key=None, masked_text=c.masked_text, also=tuple(named), quiet=True,
    )
    ticket = ctx.store.tickets.by_source_message(question.message_id)
    if ticket is not None:
        ctx.store.conversation.mark_read(question.message_id, "report", ticket.id)
        ctx.store.conversation.add_report(
            ticket.id, message_id=msg.message_id, room_id=msg.room_id, sender_id=msg.sender_id,
            sender_name=msg.sender_name, text=msg.text, kind="detail", at=at,
        )
        ctx.store.conversation.mark_read(msg.message_id, "asked", ticket.id)
    return said + out


def asked_of_official(ctx: Context, msg: IncomingMessage, grid: Grid, text: str) -> list[Outgoing] | None:
    """A question the FAQ answers, put to an official by name (「刘主任问一下 明年的医保在哪
    交啊」): the official answers it, not the bot ahead of them with the general answer;
    they hear it privately, with that answer to lean on. None when no official is named
    or the FAQ has no answer."""
    if msg.room_id is None:
        return None
    named, said = notify.reached(ctx, msg, grid)  # one not there: who holds the grid for her
    answer = ctx.faq.answer(text) if named else None
    if not named or answer is None:
        return None
    ctx.store.conversation.mark_read(msg.message_id, "asked")
    told = TEXTS["asked_by_name"].format(who=msg.sender_name, text=" ".join(msg.text.split()), answer=answer)
    return said + notify.privately(ctx, named, told)
