"""A private reporter's words on their own open ticket: 「麻烦不要说是我反映的」, 「明天能来处理吗」.

One who reports privately because 「在群里不好说 都认识 怕得罪人」 asks that the group never
learn who reported: the ticket keeps that (an event on its timeline), the worker is told once
(privately, so nobody names them in the group), and the resident hears it will be so. A
question after it (「明天能来处理吗」) is answered with who has it, as in the group. The bot
itself never names a private reporter in the group: they hear of their ticket privately.
"""

from __future__ import annotations

import re

from handlers import notify
from handlers.chase import asks
from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import IncomingMessage, Outgoing
from handlers.report import last_said, who_has_it
from handlers.texts import REPORT as TEXTS
from storage import OPEN_STATES

# 「不要说是我反映的」「别讲是我」「匿名」「帮我保密」「不要透露我的名字」
ANONYMOUS = re.compile(
    r"(?:不要|别|莫|不用|不想)(?:说|讲|告诉|透露|提|公开|让人知道)[^，。,.!！?？]{0,6}(?:是我|我的名|我反映|名字)"
    r"|匿名|保密"
)
RECENT_SECONDS = 24 * 3600  # their own report of this long ago is what they speak of


def own_word(ctx: Context, msg: IncomingMessage, grid: Grid) -> list[Outgoing] | None:
    """A private message that opens nothing, on the sender's own open ticket of the last day:
    a wish to stay anonymous, or a question after it; None when it is neither."""
    if msg.room_id is not None or not msg.text:
        return None
    anonymous = bool(ANONYMOUS.search(msg.text))
    if not anonymous and not asks(msg.text):
        return None
    mine = [
        t for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
        if t.grid_id == grid.id and ctx.ts - t.created_at <= RECENT_SECONDS
    ]
    if not mine or ctx.classifier.classify(msg.text).opens_ticket:
        return None
    ticket = max(mine, key=lambda t: t.created_at)
    if not anonymous:
        said = TEXTS["same_again"].format(id=ticket.id, who=who_has_it(ctx, ticket), said=last_said(ctx, ticket))
        return [notify.reply(msg, said)]
    if any(e.kind == "anonymous" for e in ctx.store.tickets.events(ticket.id)):
        return [notify.reply(msg, TEXTS["anonymous"])]
    ctx.store.tickets.add_event(
        ticket, "anonymous", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name
    )
    word = TEXTS["anonymous_worker"].format(id=ticket.id)
    holder = notify.hears_now(ctx, ticket)
    told = notify.privately(ctx, [holder], word, about=ticket) if holder else []
    return [notify.reply(msg, TEXTS["anonymous"]), *told]
