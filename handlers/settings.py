"""Tunable behaviour of the handlers, read from the config's sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path


@dataclass(frozen=True)
class ClassifierSettings:
    min_confidence: float = 0.5  # below it: no ticket, no reply, kept as 疑似诉求
    duplicate_window_hours: float = 24.0
    rules_path: Path | None = None  # None: the rules shipped with the package
    faq_path: Path | None = None
    replies_path: Path | None = None  # the phrases of replies (intents/replies.toml)


# A wish or a question is not overdue half an hour after it came: taken within half an
# office day (a question) or three office days (a wish); what the config sets wins.
ACCEPT_MINUTES_BY_INTENT = {"inquiry": 240, "wish": 3 * 540}
# When a worker's list of what is overdue goes out: a morning and an afternoon list, not a
# list every half hour (sla.py). What cannot wait (urgent, a hazard, the old or ill in need,
# homes without heat or water) is chased at its own time.
REMINDER_LISTS_AT = (time(9, 0), time(14, 0))


@dataclass(frozen=True)
class SlaSettings:
    accept_minutes: int = 30
    accept_minutes_urgent: int = 10
    accept_minutes_by_intent: dict[str, int] = field(
        default_factory=lambda: dict(ACCEPT_MINUTES_BY_INTENT)
    )
    resolve_hours: float = 48.0
    resolve_hours_by_intent: dict[str, float] = field(default_factory=dict)
    reminder_minutes: int = 30
    reminders_before_escalation: int = 2
    autoclose_hours: float = 72.0
    rating_question_after_minutes: int = 60  # ask an unrated resident once, after this
    # Residents hear "accepted" only for urgent tickets or after waiting this long (-1: never).
    accept_news_after_minutes: int = 60
    # What a non-urgent ticket's clock counts: "office" (office hours; resolve hours in
    # office days) or "daytime" (every hour, nobody told in quiet hours); urgent: 24/7.
    clock: str = "office"
    clock_by_intent: dict[str, str] = field(default_factory=dict)
    daily_list_at: time = time(9, 0)  # the admin's list of what the community could not do
    # The moments of the working day the overdue lists go out (reminders and steps up of
    # what can wait): each such ticket is named at most once a list. () : when each is due.
    reminder_lists_at: tuple[time, ...] = REMINDER_LISTS_AT
    # A holder who took, closed or answered something this recently is at work: the
    # tickets waiting behind are not 无人接单 yet (0: the clock alone decides).
    active_minutes: int = 60
    # An urgent ticket no official answered within this: the group is told so once, and
    # to call the emergency number themselves (0: never).
    nobody_answered_minutes: int = 10

    def accept_minutes_for(self, intent: str, *, urgent: bool = False) -> int:
        """The accept window of a ticket of this intent (urgent: the same for every intent)."""
        if urgent:
            return self.accept_minutes_urgent
        return self.accept_minutes_by_intent.get(intent, self.accept_minutes)

    def reminder_minutes_for(self, intent: str) -> int:
        """Reminders of a ticket given longer to take are spaced as its accept window:
        a wish is chased in days, not every half hour."""
        return max(self.reminder_minutes, self.accept_minutes_for(intent))

    def resolve_hours_for(self, intent: str) -> float:
        return self.resolve_hours_by_intent.get(intent, self.resolve_hours)

    def clock_for(self, intent: str) -> str:
        return self.clock_by_intent.get(intent, self.clock)


CLOCKS = ("office", "daytime")


@dataclass(frozen=True)
class QuietHours:
    """Nobody is reminded of a non-urgent ticket in these hours (start = end: never quiet)."""

    start: time = time(21, 30)
    end: time = time(7, 30)


@dataclass(frozen=True)
class OfficeHours:
    days: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, Monday = 1
    start: time = time(8, 30)
    end: time = time(17, 30)
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()  # weekend days made working days (调休)


@dataclass(frozen=True)
class SummarySettings:
    weekday: int = 1  # ISO weekday of the weekly post
    at: time = time(9, 0)


@dataclass(frozen=True)
class FloodSettings:
    per_sender_per_minute: int = 6
    per_room_tickets_per_10_minutes: int = 5


@dataclass(frozen=True)
class WebSettings:
    """The office's dashboard (bot/web): where it listens and how officials sign in."""

    enabled: bool = False  # `python -m bot run` serves it too
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""  # how staff reach it; sign-in links start with it ("": host and port)
    link_minutes: int = 15  # a sign-in link works once, within this
    session_hours: float = 12.0
    open311_api_key: str = field(default="", repr=False)  # "": nobody may create requests

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


@dataclass(frozen=True)
class Duty:
    """One line of the duty roster ([[duty]]): who is on duty for which grids (none given:
    the grids they work in; `community`: every grid of that community, where no line names
    the grid) on which days off, by date or by ISO weekday every week. The grid's worker is
    off then (unless it is she who is on duty): what cannot wait for her next working day
    goes to the one on duty, the rest waits for her (handlers/holding.py)."""

    name: str
    grids: tuple[str, ...] = ()
    community: str | None = None
    dates: tuple[date, ...] = ()
    weekdays: tuple[int, ...] = ()


@dataclass(frozen=True)
class Off:
    """One line of the workers' days off on working days ([[off]]): a grid worker's regular
    day off (ISO weekdays, every week) or dates of leave. Her grid's backup holds then what
    cannot wait; the rest waits for her next working day (handlers/leave.py, holding.py)."""

    name: str
    dates: tuple[date, ...] = ()
    weekdays: tuple[int, ...] = ()


@dataclass(frozen=True)
class Settings:
    classifier: ClassifierSettings = ClassifierSettings()
    sla: SlaSettings = SlaSettings()
    office_hours: OfficeHours = OfficeHours()
    quiet_hours: QuietHours = QuietHours()
    summary: SummarySettings = SummarySettings()
    flood: FloodSettings = FloodSettings()
    timezone: str = "Asia/Shanghai"
    web: WebSettings = WebSettings()
    duty: tuple[Duty, ...] = ()  # the roster of days off; empty: whoever says so in the group
    off: tuple[Off, ...] = ()  # workers off on working days (a regular day off, leave)
