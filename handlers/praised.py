"""A resident's praise of an official, passed to the one praised.

Praise said in a group (「表扬一下咱们网格员孙丽」, 「谢谢刘芳姐 谢谢志愿者」, 「我们老两口子谢谢
你们啦」) is counted for the weekly tally (report.keep_praise), and the one praised hears it too,
privately: a worker is seldom told what residents say of them, and a volunteer's good turn is
the worker in charge's to know of. Once a day per resident and official; a reporter's thanks
while their own ticket is live is that ticket's (its rating), not passed on to the one in charge
of it, but the other officials it names by name (the backup, the community's staff who ran with
her) hear it.
"""

from __future__ import annotations

from handlers import notify
from handlers.context import Context
from handlers.directory import Grid
from handlers.joining import short
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import REPORT as TEXTS
from intents import Classification
from intents.phrases import phrase

OURS = phrase("praise.ours")
THANKS = ("感谢:", "夸奖:")  # the concepts of thanks and praise, said now: their evidence

OWN_TICKET_SINCE = 12 * 60 * 60  # a ticket of theirs closed this recently is what they thank for
# What residents call an official by surname: 小马, 老马 (马建民); 刘主任, 刘书记 (刘芳).
CALLED = ("小{s}", "老{s}", "{s}主任", "{s}书记")


def pass_on(ctx: Context, msg: IncomingMessage, grid: Grid, text: str, c: Classification) -> list[Outgoing]:
    """Tell the officials this praise names (the worker in charge when it names only volunteers
    or our people as such: 社区, 你们) what was said of them; [] when it is not passed on, or
    says no thanks or praise (a report misread as praise is not passed on as one)."""
    if msg.room_id is None or not any(e.startswith(THANKS) for e in c.evidence):
        return []
    own = ctx.store.tickets.live_reports(msg.sender_id, closed_since=ctx.ts - OWN_TICKET_SINCE)
    community = ctx.directory.community(grid.community_id)
    officials = list(dict.fromkeys([*grid.workers, *(community.staff if community else ())]))
    named = named_in(text, officials + [v for v in grid.volunteers if v not in officials])
    told = [n for n in named if n in officials] or (list(grid.workers[:1]) if named or OURS.search(text) else [])
    if own:  # their ticket's thanks is its holder's; the others it names ran with them unthanked
        holders = {*grid.workers[:1], *(t.assignee_name for t in own)}
        told = [n for n in named if n in officials and n not in holders]
    day = f"{ctx.local(ctx.ts):%Y-%m-%d}"
    told = [
        n for n in told
        if n != msg.sender_name and ctx.store.bindings.first_time(f"praise:{day}:{msg.sender_id}:{n}", at=ctx.ts)
    ]
    if not told:
        return []
    volunteers = [n for n in named if n not in officials]
    whom = (
        TEXTS["praise_you"] if len(volunteers) < len(named)
        else TEXTS["praise_volunteers"].format(names="、".join(volunteers)) if volunteers
        else TEXTS["praise_all"]
    )
    line = TEXTS["praise_passed"].format(who=msg.sender_name, whom=whom, gist=short(text, 60))
    return notify.privately(ctx, told, line)


def named_in(text: str, names: list[str]) -> list[str]:
    """The names a text calls, in their order: the whole name, or the surname as residents call
    it (小马, 刘主任) when no other of these names shares that surname."""
    found = []
    for name in names:
        surname = name[0]
        alone = sum(1 for n in names if n[0] == surname) == 1
        called = [c.format(s=surname) for c in CALLED] if alone and name[0] not in "小老" else []
        if name in text or any(c in text for c in called):
            found.append(name)
    return found
