"""Who is on duty on a day off: the roster in the config ([[duty]]), else the grid's worker
who said in the group today that they are (我值班, 有急事@我, 今天我在) — until the day ends.

On a day off the office clock holds a non-urgent ticket's first ping for the next working
morning and tells residents 周一上班后. With someone on duty, the grid's tickets reach them
as on a working day (in waking hours), and residents are told who has it. Without either,
nothing changes. On an office day the office clock already covers it: nobody is 'on duty'.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from handlers.context import Context
from handlers.deadlines import SYSTEM, waking
from handlers.directory import Grid, Identity
from handlers.messages import IncomingMessage
from handlers.office_hours import is_office_day
from storage import TicketState

# A worker telling the group they are there for it today. Not 明天/下周 (another day), not
# a negation (我今天不值班, 没在).
SAYS_ON_DUTY = re.compile(
    r"我(今天|今日|周[六日末天]|这周末)?(在)?值班|值班的?是我|今天我在|我今天在|"
    r"有(急|什么)?事(情)?(就|直接|可以|随时)?(在群里)?(@|艾特|喊|找|打|call)(一下|下)?我"
)
NOT_TODAY = re.compile(r"明天|后天|下周|下个|不值班|没值班|不在|没在|不是我")
KIND = "on_duty"  # the event kept when a worker says so (no ticket; the grid's)


def hear(ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None) -> None:
    """A worker of this room's grid saying on a day off that they are on duty today: kept
    (an event of the grid), and the grid's tickets held for the morning are let go to them."""
    if grid is None or msg.room_id is None or identity.name not in grid.workers:
        return
    if is_office_day(ctx.local(ctx.ts).date(), ctx.settings.office_hours):
        return
    text = msg.text or ""
    if not SAYS_ON_DUTY.search(text) or NOT_TODAY.search(text):
        return
    if on_duty(ctx, grid.id) == identity.name:
        return
    ctx.store.tickets.add_event(
        None, KIND, at=ctx.ts, actor_id=msg.sender_id, actor_name=identity.name, note=text[:200],
        grid_id=grid.id, community_id=grid.community_id,
    )
    for ticket in ctx.store.tickets.select(states=[TicketState.OPEN], grid_ids=[grid.id]):
        if ticket.ping_held:
            ctx.store.tickets.schedule(ticket.id, ctx.ts, ping_held=True)


def on_duty(ctx: Context, grid_id: str) -> str | None:
    """Who is on duty for this grid today (a day off): the roster's, else whoever said so
    in the group today; None on an office day or when nobody is."""
    today = ctx.local(ctx.ts).date()
    if is_office_day(today, ctx.settings.office_hours):
        return None
    grid = ctx.directory.grid(grid_id)
    for entry in ctx.settings.duty:
        covers = entry.grids or tuple(g.id for g in ctx.directory.grids if entry.name in g.workers)
        if grid_id in covers and (today in entry.dates or today.isoweekday() in entry.weekdays):
            return entry.name
    midnight = int(datetime.combine(today, time(0, 0), ctx.tz).timestamp())
    said = ctx.store.tickets.last_grid_event(KIND, grid_id, since=midnight)
    if said is None or said.actor_name == SYSTEM:
        return None
    return said.actor_name if grid is not None and said.actor_name in grid.workers else None


def reachable_now(ctx: Context, grid_id: str) -> str | None:
    """Who on duty may be told of a non-urgent ticket of this grid now (waking hours)."""
    name = on_duty(ctx, grid_id)
    return name if name is not None and waking(ctx).contains(ctx.ts) else None
