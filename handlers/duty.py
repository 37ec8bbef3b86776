"""Who is on duty on a day off: the roster in the config ([[duty]]), else the grid's worker
who said in the group today that they are (我值班, 有急事@我, 今天我在) — until the day ends,
for the grids they work in (their own and those they back up), wherever they said it.
A worker's day off said by the officials themselves counts too: a colleague covering for
her (「孙丽今天歇班 我离得近马上过去」: the speaker is on duty), or she herself (「我今天歇班」,
in the group or privately: the grid's next worker, its backup, is). Only officials' words
are trusted, they know the roster; a resident's guess (「礼拜天 网格员估计还没起呢」) is not.

On a day off the office clock holds a non-urgent ticket's first ping for the next working
morning and tells residents 周一上班后. With someone on duty, the grid's tickets reach them
as on a working day (in waking hours), and residents are told who has it. Without either,
nothing changes. On an office day the office clock already covers it: nobody is 'on duty'.
Read only by handlers/holding.py (who holds a grid now, and why).
"""

from __future__ import annotations

import re
from datetime import datetime, time

from handlers.context import Context
from handlers.deadlines import SYSTEM
from handlers.directory import Grid, Identity
from handlers.messages import IncomingMessage
from handlers.office_hours import is_office_day
from intents.phrases import alternatives, phrase
from storage import TicketState

# A worker telling the group they are there for it today. Not 明天/下周 (another day), not
# a negation (我今天不值班, 没在).
SAYS_ON_DUTY = phrase("duty.says_on_duty")
NOT_TODAY = phrase("duty.not_today")
# A day off: 歇班, 轮休, 请假 … (plain 休息 only with 今天: 「大家早点休息」 is not one).
SAYS_SHE_IS_OFF = phrase("duty.off", "我%s")
NOT_OFF = phrase("duty.not_off")
KIND = "on_duty"  # the event kept when a worker says so (no ticket; the grid's)
OFF_KIND = "off_today"  # and who is off, when that was said: her taking a ticket on is her back


def hear(ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None) -> None:
    """A worker saying on a day off who is on duty today (themselves, or the backup of one
    who is off): kept (an event of the grid), and the grid's tickets waiting or sent today
    to the worker who is off are let go to the one on duty."""
    if is_office_day(ctx.local(ctx.ts).date(), ctx.settings.office_hours):
        return
    text = msg.text or ""
    if msg.room_id is None:  # privately: 「我今天歇班」 of the grids she is in charge of
        if SAYS_SHE_IS_OFF.search(text) and not NOT_OFF.search(text):
            for mine in ctx.directory.grids:
                if mine.workers[0] == identity.name:
                    _covered_by(ctx, msg, mine, _backup(mine, identity.name), text, off=identity.name)
        return
    if grid is None or identity.name not in grid.workers:
        return
    off = [name for name in grid.workers if name != identity.name and re.search(re.escape(name) + alternatives("duty.off"), text)]
    if SAYS_ON_DUTY.search(text) and not NOT_TODAY.search(text):
        for mine in _works_in(ctx, grid, identity.name):
            _covered_by(ctx, msg, mine, identity.name, text)
    elif SAYS_SHE_IS_OFF.search(text) and not NOT_OFF.search(text):
        _covered_by(ctx, msg, grid, _backup(grid, identity.name), text, off=identity.name)
    elif off and not NOT_OFF.search(text):
        _covered_by(ctx, msg, grid, identity.name, text, off=off[0])  # 「孙丽今天歇班 我过去」


def _works_in(ctx: Context, grid: Grid, name: str) -> list[Grid]:
    """The grids a worker's 「我值班」 covers: the one it was said in, and the others they
    work in (their own, those they back up) where no colleague said today they are on duty."""
    others = [
        g for g in ctx.directory.grids
        if g.id != grid.id and name in g.workers and said_on_duty(ctx, g.id) in (None, name)
    ]
    return [grid, *others]


def _backup(grid: Grid, off: str) -> str | None:
    return next((name for name in grid.workers if name != off), None)


def _covered_by(
    ctx: Context, msg: IncomingMessage, grid: Grid, name: str | None, text: str, off: str | None = None
) -> None:
    if name is None or on_duty(ctx, grid.id) == name:
        return
    if off is not None:
        ctx.store.tickets.add_event(
            None, OFF_KIND, at=ctx.ts, actor_id=msg.sender_id, actor_name=off, note=text[:200],
            grid_id=grid.id, community_id=grid.community_id,
        )
    ctx.store.tickets.add_event(
        None, KIND, at=ctx.ts, actor_id=msg.sender_id, actor_name=name, note=text[:200],
        grid_id=grid.id, community_id=grid.community_id,
    )
    midnight = int(datetime.combine(ctx.local(ctx.ts).date(), time(0, 0), ctx.tz).timestamp())
    for ticket in ctx.store.tickets.select(states=[TicketState.OPEN], grid_ids=[grid.id]):
        # held for the morning; or told today to the one who is off (what could not wait)
        sent_today = not ticket.urgent and ticket.created_at >= midnight and ticket.assignee_name != name
        if ticket.ping_held or sent_today:
            ctx.store.tickets.schedule(ticket.id, ctx.ts, ping_held=True)


def on_duty(ctx: Context, grid_id: str) -> str | None:
    """Who is on duty for this grid today (a day off): the roster's, else whoever said so
    in the group today; None on an office day or when nobody is."""
    return rostered(ctx, grid_id) or said_on_duty(ctx, grid_id)


def rostered(ctx: Context, grid_id: str) -> str | None:
    """Who the roster puts on duty for this grid today (a day off): a line for the grid
    (or the grids its person works in) before a line for the grid's whole community."""
    today = ctx.local(ctx.ts).date()
    if not ctx.settings.duty or is_office_day(today, ctx.settings.office_hours):
        return None
    grid = ctx.directory.grid(grid_id)
    community = grid.community_id if grid is not None else None
    lines = [e for e in ctx.settings.duty if today in e.dates or today.isoweekday() in e.weekdays]
    for entry in lines:
        if entry.community is None and grid_id in (
            entry.grids or tuple(g.id for g in ctx.directory.grids if entry.name in g.workers)
        ):
            return entry.name
    return next((e.name for e in lines if e.community is not None and e.community == community), None)


def said_on_duty(ctx: Context, grid_id: str) -> str | None:
    """Who of the grid's workers said in the group today that they are on duty (or that a
    colleague off today has the grid: her backup); None on an office day or when nobody did."""
    today = ctx.local(ctx.ts).date()
    if is_office_day(today, ctx.settings.office_hours):
        return None
    grid = ctx.directory.grid(grid_id)
    midnight = int(datetime.combine(today, time(0, 0), ctx.tz).timestamp())
    said = ctx.store.tickets.last_grid_event(KIND, grid_id, since=midnight)
    if said is None or said.actor_name == SYSTEM:
        return None
    off = ctx.store.tickets.last_grid_event(OFF_KIND, grid_id, since=said.at)
    if off is not None:  # she is off, but took a ticket on since: she is back, it is hers
        took = ctx.store.tickets.last_grid_event("accepted", grid_id, since=off.at)
        if took is not None and took.actor_name == off.actor_name:
            return off.actor_name
    return said.actor_name if grid is not None and said.actor_name in grid.workers else None
