"""A grid worker off on a working day: her regular day off (孙丽 every Wednesday) or her
dates of leave, as the community writes them in the config ([[off]]). On those days her
grid's backup holds what cannot wait and the rest waits for her next working day; she is
not rung for it. Read only by handlers/holding.py (who holds a grid now, and why).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from handlers.context import Context
from handlers.office_hours import Clock, office_hours_of

LOOK_AHEAD = 60  # days: leave longer than this is not a day off but a vacancy


def is_off(ctx: Context, name: str | None, day: date | None = None) -> bool:
    """`name` is off on `day` (None: today) by the [[off]] lines."""
    if name is None or not ctx.settings.off:
        return False
    day = ctx.local(ctx.ts).date() if day is None else day
    return any(
        e.name == name and (day in e.dates or day.isoweekday() in e.weekdays) for e in ctx.settings.off
    )


def back_at(ctx: Context, name: str) -> int:
    """When `name` is at work again: the next office moment on a day she is not off."""
    clock = Clock(office_hours_of(ctx.settings.office_hours), ctx.tz)
    at = clock.next_moment(ctx.ts)
    for _ in range(LOOK_AHEAD):
        day = ctx.local(at).date()
        if not is_off(ctx, name, day):
            return at
        at = clock.next_moment(int(datetime.combine(day + timedelta(days=1), time(0, 0), ctx.tz).timestamp()))
    return at
