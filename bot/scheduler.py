"""APScheduler jobs that only run the timers they are given.

Timers hold no state of their own: deadlines live in the tickets and weekly posts are
marked in the database, so a job may run late, twice, or after a restart without
harm. One job every minute (the SLA sweep, which also catches a missed weekly post), a
cron job at the weekly summary time (so the summary goes out on the minute), and one
run at start (the catch-up after downtime).

The scheduler is handed the coroutine to run; it knows nothing of the application.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)
CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Scheduler:
    def __init__(
        self, run: Callable[[], Awaitable[object]], *, tz: ZoneInfo, weekly_day: int,
        weekly_at: time,
    ) -> None:
        """`run`: the timers' round (read the clock, do what is due); `weekly_day` the ISO
        weekday and `weekly_at` the local time of the weekly summary."""
        self._run = run
        self._running = asyncio.Lock()
        self._scheduler = AsyncIOScheduler(timezone=tz)
        self.first_run: asyncio.Task | None = None
        common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
        self._scheduler.add_job(
            self.tick, IntervalTrigger(minutes=1, timezone=tz), id="sweep", **common
        )
        self._scheduler.add_job(
            self.tick,
            CronTrigger(
                day_of_week=CRON_DAYS[weekly_day - 1], hour=weekly_at.hour,
                minute=weekly_at.minute, timezone=tz,
            ),
            id="weekly-summary",
            **common,
        )

    def start(self) -> None:
        """Needs the running event loop. The catch-up runs at once, as a task of its own:
        start-up does not wait for it, and it gives way to messages between its batches."""
        self._scheduler.start()
        self.first_run = asyncio.get_running_loop().create_task(self.tick(), name="catch-up")

    def stop(self) -> None:
        if self.first_run is not None and not self.first_run.done():
            self.first_run.cancel()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def tick(self) -> None:
        """A coroutine on purpose: APScheduler runs plain functions in a worker thread,
        and the timers must share the event loop's thread with message handling (one
        SQLite connection, one writer, the outbox's asyncio.Event). One round at a time
        (a job that comes while one runs is left to it); never lets a job die."""
        if self._running.locked():
            return
        async with self._running:
            try:
                await self._run()
            except Exception:
                log.exception("timers failed; the next minute will try again")

    def jobs(self) -> dict[str, object]:
        """Job id -> next run time, for the log and tests."""
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}
