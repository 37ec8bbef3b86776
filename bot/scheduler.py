"""APScheduler jobs that only call `app.run_timers(now)`.

Timers hold no state of their own: deadlines live in the tickets and weekly posts are
marked in the database, so a job may run late, twice, or after a restart without
harm. One job every minute (the SLA sweep, which also catches a missed weekly post) and
a cron job at the weekly summary time, so the summary goes out on the minute.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

if TYPE_CHECKING:
    from bot.app import Application

log = logging.getLogger(__name__)
CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Scheduler:
    def __init__(self, app: Application) -> None:
        self.app = app
        tz = app.config.tz
        summary = app.config.settings.summary
        self._scheduler = AsyncIOScheduler(timezone=tz)
        common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
        self._scheduler.add_job(
            self.tick, IntervalTrigger(minutes=1, timezone=tz), id="sweep", **common
        )
        self._scheduler.add_job(
            self.tick,
            CronTrigger(
                day_of_week=CRON_DAYS[summary.weekday - 1], hour=summary.at.hour,
                minute=summary.at.minute, timezone=tz,
            ),
            id="weekly-summary",
            **common,
        )

    def start(self) -> None:
        """Needs the running event loop (called from `Application.start`)."""
        self._scheduler.start()
        self.run_now()  # catch up at once after a restart instead of a minute later

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def tick(self) -> None:
        """A coroutine on purpose: APScheduler runs plain functions in a worker thread,
        and the timers must share the event loop's thread with message handling (one
        SQLite connection, one writer, the outbox's asyncio.Event). The week's figures
        for the weekly posts are read on the application's reads thread meanwhile."""
        try:
            await self.app.tick(self.app.clock.now())
        except Exception:
            log.exception("timers failed; the next minute will try again")

    def run_now(self) -> None:
        """Run what is due now, by the app's (injectable) clock; never let a job die."""
        try:
            self.app.run_timers(self.app.clock.now())
        except Exception:
            log.exception("timers failed; the next minute will try again")

    def jobs(self) -> dict[str, object]:
        """Job id -> next run time, for the log and tests."""
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}
