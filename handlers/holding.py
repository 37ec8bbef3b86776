"""Who holds a grid now, and why: the one answer the report, the timers and the notices ask.

A grid's new matter that is not urgent (an alarm wakes all its workers, whoever holds the
grid) is its worker's — the first of the grid's workers — unless:

- it is a day off (not an office day) and the roster puts someone on duty for the grid
  ([[duty]]; handlers/duty.py): the worker is off (unless it is she who is on duty). What
  cannot wait for her next working day (`same_day`: an errand, a hazard, a quarrel, homes
  without heat or water, ice; a matter residents chased today) is the one on duty's, told
  in waking hours; the rest waits for her next working day's list. An emergency's alarm wakes her too (every grid worker);
- it is a day off and a worker said in the group today that they are on duty (我值班,
  有急事@我; or that a colleague off today has the grid), for each grid they work in: of
  their own grid they hold all of it, told in waking hours; of a grid they back up, what
  cannot wait, as the roster's one on duty (the rest waits for its worker);
- it is a day off and nobody is on duty: the worker holds it on her next working day;
- it is a working day the worker is off ([[off]]: her regular day off, her leave;
  handlers/leave.py) and the grid has a backup at work: as on a roster's day off, what
  cannot wait is the backup's, told now; the rest waits for her next working day (`back`);
- it is office hours and the worker is tied up in an emergency (handlers/busy.py): the
  grid's first free backup holds it;
- it is office hours and the worker said in the group they are away for a while and who
  covers (handlers/away.py): the one covering holds it until they say they are back;
- it is a working day outside office hours: the worker, told in the morning.

Duty and busy are the inputs; nobody else asks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum

from handlers import away, busy, duty, leave
from handlers.chase import asks
from handlers.context import Context
from handlers.deadlines import waking
from handlers.office_hours import Clock, is_office_day, office_hours_of
from handlers.texts import DAY_OFF, TITLE
from intents import subjects_of
from intents.phrases import phrase
from storage import Ticket

# What homes cannot do without for a day off, and ice underfoot (cannot_wait).
CANNOT_WAIT = frozenset({"heating", "water", "power"})
CANNOT_WAIT_INTENTS = frozenset({"repair", "safety"})
# What the one on duty sees to on a day off whatever it is about (same_day): a hazard, a quarrel.
SAME_DAY_INTENTS = frozenset({"safety", "dispute", "errand"})
ICE = phrase("holding.ice")
# A worker who spoke in the group this long ago is still visibly at work (seen_at_work).
AT_WORK_SECONDS = 3600


class Why(Enum):
    """Why the holder holds the grid now."""

    ROSTER = "on the roster"  # a working day, in office hours: the grid's worker
    ON_DUTY = "on duty"  # a day off, and they are on duty for the grid today
    DAY_OFF = "day off"  # a day off, nobody on duty: the worker, her next working day
    BUSY = "busy"  # the worker is at an emergency: the grid's free backup
    AWAY = "away"  # the worker said they are away for a while (training, a meeting): who covers
    OUT_OF_HOURS = "out of hours"  # a working day's evening or night: the worker, in the morning


@dataclass(frozen=True)
class Holder:
    name: str | None  # who holds the grid's new matters (None: a grid with no workers)
    why: Why
    worker: str | None  # the grid's worker, in charge on working days
    now: bool  # may be told of a non-urgent matter now (else at their next working/waking time)
    duty: str | None = None  # the roster's one on duty today, whatever this matter
    off: str | None = None  # the grid's worker when the roster has her off today
    back: int | None = None  # a working day she is off (leave.py): when she is at work again

    @property
    def rostered_on_duty(self) -> bool:
        """The roster's one on duty holds this matter today (told now or in waking hours)."""
        return self.duty is not None and self.why is Why.ON_DUTY

    @property
    def rostered_off(self) -> bool:
        """The roster has the worker off today and someone else on duty: residents are told."""
        return self.off is not None and self.duty is not None

    @property
    def on_duty(self) -> str | None:
        """Who is on duty for the grid today (a day off), told now or not."""
        return self.name if self.why is Why.ON_DUTY else None

    @property
    def on_duty_now(self) -> str | None:
        """Who is on duty and may be told now (a day off, in waking hours)."""
        return self.name if self.why is Why.ON_DUTY and self.now else None

    @property
    def assignee(self) -> str | None:
        """Whom a new non-urgent ticket of the grid is made out to: the worker, or the
        backup standing in while the worker is at an emergency (the one on duty has it
        for the day, but it stays the worker's for the working days)."""
        return self.name if self.why in (Why.BUSY, Why.AWAY) else self.worker


def of(
    ctx: Context, grid_id: str, *, intent: str | None = None, text: str = "", at: int | None = None
) -> Holder:
    """Who holds grid `grid_id` at `at` (None: now), and why; for a matter of this `intent`
    (None: any matter of the grid) said in `text`."""
    if at is not None and at != ctx.ts:
        ctx = ctx.at(datetime.fromtimestamp(at, ctx.tz))
    grid = ctx.directory.grid(grid_id)
    worker = grid.workers[0] if grid is not None and grid.workers else None
    if not is_office_day(ctx.local(ctx.ts).date(), ctx.settings.office_hours):
        rostered = duty.rostered(ctx, grid_id)
        if rostered is not None:
            off = worker if worker != rostered else None
            if intent is None or same_day(ctx, intent, text):
                return Holder(rostered, Why.ON_DUTY, worker, waking(ctx).contains(ctx.ts), rostered, off)
            return Holder(worker, Why.DAY_OFF, worker, False, rostered, off)
        name = duty.said_on_duty(ctx, grid_id)
        if name is not None and name == worker:
            return Holder(name, Why.ON_DUTY, worker, waking(ctx).contains(ctx.ts))
        if name is not None:  # the backup on duty: as on the roster, what cannot wait is his
            if intent is None or same_day(ctx, intent, text):
                return Holder(name, Why.ON_DUTY, worker, waking(ctx).contains(ctx.ts), name, worker)
            return Holder(worker, Why.DAY_OFF, worker, False, name, worker)
        return Holder(worker, Why.DAY_OFF, worker, False)
    if grid is not None and leave.is_off(ctx, worker):
        backup = next((w for w in grid.workers if w != worker and not leave.is_off(ctx, w)), None)
        if backup is not None:  # her day off or leave: as the roster's day off, the backup on duty
            if intent is None or same_day(ctx, intent, text):
                return Holder(backup, Why.ON_DUTY, worker, waking(ctx).contains(ctx.ts), backup, worker)
            return Holder(worker, Why.DAY_OFF, worker, False, backup, worker, leave.back_at(ctx, worker))
    if grid is not None and worker is not None:
        stand_in = busy.stand_in(ctx, grid, worker)
        if stand_in is not None:
            return Holder(stand_in, Why.BUSY, worker, True)
        cover = away.covering(ctx, grid_id, worker)
        if cover is not None:
            return Holder(cover, Why.AWAY, worker, True)
    if not Clock(office_hours_of(ctx.settings.office_hours), ctx.tz).contains(ctx.ts):
        return Holder(worker, Why.OUT_OF_HOURS, worker, False)
    return Holder(worker, Why.ROSTER, worker, True)


def named(ctx: Context, grid_id: str, holds: Holder) -> str:
    """Who has it, as residents are told on a day the roster has the worker off: 「网格员马建民
    （今天值班，孙丽休息）」 for what the one on duty sees to (「社区值班的刘芳（今天孙丽休息）」
    when she is not one of the grid's workers), 「网格员孙丽（今天休息，值班的是马建民）」 for
    what waits for her."""
    if holds.rostered_on_duty:
        duty = titled(ctx, grid_id, holds.duty)
        key = "on_duty" if duty == TITLE["worker"].format(name=holds.duty) else "titled_on_duty"
        return DAY_OFF[key].format(duty=duty, off=holds.off)
    return DAY_OFF["waits"].format(duty=holds.duty, off=titled(ctx, grid_id, holds.off))


def titled(ctx: Context, grid_id: str, name: str | None) -> str:
    """`name` as residents hear who has their matter: 「网格员孙丽」 for one of the grid's
    workers; the one on duty who is not (a day off's roster) by what she is: 「社区值班的刘芳」
    for the community's staff, 「值班的马建民」 for a worker of another grid."""
    grid = ctx.directory.grid(grid_id)
    if grid is None or name is None or name in grid.workers:
        return TITLE["worker"].format(name=name or "")
    community = ctx.directory.community(grid.community_id)
    staff = community is not None and name in community.staff
    return TITLE["staff_on_duty" if staff else "on_duty"].format(name=name)


def woken(ctx: Context, grid_id: str) -> str | None:
    """Who an emergency of the grid wakes besides its workers: the one on duty for it today
    who is not one of them (the community's staff on a holiday's roster) — on duty, she
    gets what the worker would."""
    grid = ctx.directory.grid(grid_id)
    name = duty.on_duty(ctx, grid_id)
    return name if grid is not None and name is not None and name not in grid.workers else None


def of_ticket(ctx: Context, ticket: Ticket) -> Holder:
    """Who holds the grid of this ticket now, for this ticket's matter: one its reporters
    chased today (「一上午没人管 味儿都出来了」: asking after it, not only saying more of it)
    cannot wait for her next working day either."""
    holds = of(ctx, ticket.grid_id, intent=ticket.intent, text=ticket.text)
    if holds.why is Why.DAY_OFF and holds.duty is not None and _chased_today(ctx, ticket):
        return of(ctx, ticket.grid_id)
    return holds


def _chased_today(ctx: Context, ticket: Ticket) -> bool:
    midnight = int(datetime.combine(ctx.local(ctx.ts).date(), time(0, 0), ctx.tz).timestamp())
    return any(
        r.kind == "follow_up" and r.at >= midnight and asks(r.text) for r in ctx.store.conversation.reports(ticket.id)
    )


def same_day(ctx: Context, intent: str, text: str) -> bool:
    """A matter the one on duty sees to on a day off: it cannot wait for the worker's next
    working day — someone's errand (an intent on the `daytime` clock), a hazard, a quarrel
    going on now, homes without heat, water or power, ice underfoot."""
    return (
        intent in SAME_DAY_INTENTS or ctx.settings.sla.clock_for(intent) == "daytime"
        or cannot_wait(ctx, intent, text)
    )


def stands_for(ctx: Context, grid_id: str, name: str) -> tuple[str, str] | None:
    """Who holds the grid now for `name`, one of its workers who is not there: away for a
    while (the one covering), off today — her day off on the roster, her weekday off or
    leave (the backup on duty) — with why ("away", "off"); None when she is there (or
    nobody stands in, or, off, she took a ticket on today all the same)."""
    grid = ctx.directory.grid(grid_id)
    if grid is None or name not in grid.workers:
        return None
    cover = away.covering(ctx, grid_id, name)
    if cover is not None:
        return cover, "away"
    holds = of(ctx, grid_id)
    if (holds.off == name or leave.is_off(ctx, name)) and holds.name not in (None, name):
        midnight = int(datetime.combine(ctx.local(ctx.ts).date(), time(0, 0), ctx.tz).timestamp())
        if ctx.store.tickets.last_act_of([name], busy.BACK_KINDS, since=midnight) is not None:
            return None  # off, but she took something on today: she is at it, the @ reaches her
        return holds.name, "off"
    return None


def tied_up(ctx: Context, name: str, grid_id: str) -> bool:
    """`name` is at an emergency of this grid (handlers/busy.py), or said they are away
    and who covers (handlers/away.py): not to be chased now."""
    return busy.tied_up(ctx, name, grid_id) or away.covering(ctx, grid_id, name) is not None


def seen_at_work(ctx: Context, room_id: str | None, name: str | None) -> bool:
    """`name` said something in this group within the last hour, after office hours on a
    working day (handing out water at 18:00, calming a quarrel): visibly at work, so a
    resident there is not told 「明天上班后」 — 「会尽快跟进」 is what is true."""
    if room_id is None or name is None or not is_office_day(
        ctx.local(ctx.ts).date(), ctx.settings.office_hours
    ):
        return False
    since = ctx.ts - AT_WORK_SECONDS
    return bool(ctx.store.conversation.said_by(room_id, [name], since=since, until=ctx.ts + 1, limit=1))


def cannot_wait(ctx: Context, intent: str, text: str, *, at: int | None = None) -> bool:
    """A fault that leaves homes without heat, water or power, or ice where people walk
    (「暖气片摸着跟凉水似的」 at -11℃, 「冻了一大片冰 跟溜冰场似的」), on a day off (`at`, or
    now): the worker hears of it in the day's waking hours, as of an errand, and the resident
    is not told 「明天上班后」 — nobody would leave it until Monday. Reminders and steps up
    still keep office hours."""
    at = ctx.ts if at is None else at
    if intent not in CANNOT_WAIT_INTENTS or is_office_day(ctx.local(at).date(), ctx.settings.office_hours):
        return False
    return bool(subjects_of(text) & CANNOT_WAIT) or bool(ICE.search(text))
