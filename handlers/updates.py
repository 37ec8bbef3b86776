"""What the property company, a volunteer or an official who holds no ticket says of an
incident in a residents' room: an update on its timeline. The property company's word that
it is done is told to the worker who holds it, once (handlers/handled.py reads the same
words the same way, so the ladder does not tell them again).
"""

from __future__ import annotations

from handlers import (
    announced,
    anonymous,
    handled,
    joining,
    lifecycle,
    matching,
    notify,
    sla,
    targets,
)
from handlers.context import Context
from handlers.directory import Grid
from handlers.hearing import Heard
from handlers.identity import who
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import CONVERSATION as TEXTS
from handlers.texts import HOLDER
from intents.model import INTENT_NAMES_ZH
from storage import OPEN_STATES, Ticket, TicketState


def update(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, heard: Heard, *, keep: bool = False,
    doer: bool = False, helper: bool = False,
) -> list[Outgoing]:
    """The property company, a volunteer or an official on an incident: its timeline.
    `keep`: what reads as a need of no open incident (a volunteer telling of a neighbour
    in need, say) is kept as 疑似 for the worker rather than lost. `doer`: one who does the
    work but holds no ticket (the property company): their word that it is done is told to
    the worker who holds it, once, to confirm. `helper`: a volunteer of the grid, whose word
    of doing that names nothing is about what they took on or what was just asked."""
    ticket = matching.quoted_incident(ctx, msg)
    if ticket is None and msg.quote is not None and matching.quoted_elsewhere(ctx, msg):
        return joining.read(ctx, msg, "notice")  # 「辛苦马哥」 quoting his word on the gas: of that, not of a subject's
    acted = _acted_on_a_private_report(ctx, msg, grid) if ticket is None else []
    if acted:  # 【温馨提醒】…严禁从窗户往外拉线: his answer to a report made to the bot privately
        return joining.read(ctx, msg, "notice") + acted
    if ticket is None and msg.room_id is not None and ctx.phrases.is_notice(msg.text, from_official=False) and (
        not heard.place_key
    ):  # 【温馨提示】今天夜里有小雪 管道做好防冻: a word to everyone, not news of the burst pipe
        return joining.read(ctx, msg, "notice")
    if ticket is None and msg.room_id is not None:
        ticket = matching.incident(ctx, msg, heard, need=False)
        if ticket is not None and grid is None and not _names_it(ctx, msg, heard, ticket):
            ticket = None  # an official's 「上午带孩子在医院输液」 is not an old lady's errand
    if ticket is None and doer and msg.room_id is not None:
        ticket = matching.called_on(ctx, msg, heard)  # 「收到，已经让保安拿融雪剂过去了」 to who asked
    if ticket is None and helper and msg.room_id is not None and ctx.phrases.worker(msg.text).act is not None:
        ticket = matching.helped_with(ctx, msg, heard)  # 「闺女别着急 … 我去药店买了给你妈送上去」
    if ticket is None and msg.room_id is not None:
        ticket = matching.done_just_now(ctx, msg, heard)  # 「…已恢复供气」 after the leak was closed
    if ticket is None:
        if keep and grid is not None and heard.is_need:
            return joining.keep(ctx, msg, grid, heard)
        return joining.read(ctx, msg, "notice")
    if not helper and ticket.status == TicketState.OPEN and announced.explains(msg.text, ticket, ctx.ts):
        return explained(ctx, msg, ticket)
    said_done = doer and ticket.status in OPEN_STATES and handled.tells_done(ctx, msg.text)
    events = ctx.store.tickets.events(ticket.id) if said_done else []
    since = handled.said_since(events)  # a done said again after a resident said it was not is news
    told_before = said_done and any(
        e.kind == "update" and e.actor_name == msg.sender_name and e.at >= since
        and handled.tells_done(ctx, e.note or "")
        for e in events
    )
    ctx.store.tickets.add_event(
        ticket, "update", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name,
        note=" ".join(msg.text.split())[:200],
    )
    joining.read(ctx, msg, "update", ticket)
    held_by = ctx.directory.grid(ticket.grid_id)
    holder = notify.hears_now(ctx, ticket) or (held_by.workers[0] if held_by and held_by.workers else None)
    if not said_done or told_before or holder is None:
        return []
    reading = ctx.phrases.worker(msg.text)
    if not ticket.urgent and ctx.settings.sla.reminder_lists_at:  # nothing to run for: the next list
        said = HOLDER["said"].format(
            who=msg.sender_name, time=f"{ctx.local(ctx.ts):%H:%M}", gist=joining.short(reading.note or reading.body),
        )
        sla.with_the_list(ctx, ticket, holder, "handled", said)
        return []
    text = TEXTS["done_by_others"].format(
        who=msg.sender_name, id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent],
        gist=joining.short(reading.note or reading.body),
    )
    return notify.privately(ctx, [holder], text, about=ticket, fold=True)



def _acted_on_a_private_report(ctx: Context, msg: IncomingMessage, grid: Grid | None) -> list[Outgoing]:
    """An official's notice to the whole group on the matter of a hazard reported privately
    (handlers/anonymous.acted_in_group); nothing for anyone else's words."""
    if msg.room_id is None or not ctx.phrases.is_notice(msg.text, from_official=True):
        return []
    official = who(ctx, msg.sender_id, msg.sender_name)
    room_grid = grid or ctx.directory.grid_for_room(msg.room_id, msg.room_topic)
    if not official.is_official or room_grid is None:
        return []
    return anonymous.acted_in_group(ctx, msg, room_grid, official.name)


def _names_it(ctx: Context, msg: IncomingMessage, heard: Heard, ticket: Ticket) -> bool:
    """An official's remark is of an incident it names by more than people words (its thing,
    its place), whose people it speaks to, or that the official worked on lately."""
    if matching.names_more_than_people(ctx, heard, ticket) or targets.speaks_to_its_people(ctx, msg, ticket):
        return True
    return ticket.id in ctx.store.tickets.taken_by(
        who(ctx, msg.sender_id, msg.sender_name).name, targets.THREAD_KINDS,
        since=ctx.ts - targets.WORKED_ON_SECONDS, room_id=msg.room_id,
    )


def explained(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """The staff's notice of planned work there, minutes after the ticket (「12号楼…电梯年度检验
    …9点前恢复」 after 「12号楼两部梯只开一部？」): nobody's repair. Closed quietly like a
    worker's 不是诉求 (nobody chased), the reporter told once where the answer is; an urgent
    report later (someone trapped) opens a ticket of its own."""
    ctx.store.tickets.add_event(
        ticket, "explained", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name,
        note=" ".join(msg.text.split())[:200],
    )
    lifecycle.correct(ctx, ticket, status=TicketState.CANCELLED, closed_at=ctx.ts)
    joining.read(ctx, msg, "update", ticket)
    text = TEXTS["explained_by_notice"].format(who=msg.sender_name, id=ticket.id)
    return notify.tell_reporters(ctx, ticket, text)
