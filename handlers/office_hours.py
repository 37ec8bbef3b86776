"""The office's own week: what counts as after-hours (the 24/7 tally), and the clocks the
timers run on (working time, and quiet hours when nobody is woken for what can wait).

Holidays are after-hours all day; 调休 workdays (a weekend day made a working day) are
office days. Everything here is local time in the config's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.settings import OfficeHours, QuietHours
from handlers.texts import DATES
from storage import OfficeWeek

EPOCH = date(1970, 1, 1)
DAY = 86400


def is_office_day(day: date, office: OfficeHours) -> bool:
    if day in office.holidays:
        return False
    if day in office.workdays:
        return True
    return day.isoweekday() in office.days


def is_after_hours(local_dt: datetime, office: OfficeHours) -> bool:
    """True at night, on weekends and holidays; 调休 workdays count as office days."""
    if not is_office_day(local_dt.date(), office):
        return True
    moment = local_dt.time().replace(tzinfo=None)
    return not (office.start <= moment < office.end)


def office_week(start: int, end: int, office: OfficeHours, tz: ZoneInfo) -> OfficeWeek:
    """The office hours as storage tests them on each row of [start, end): weekdays,
    opening and closing second, holidays and 调休 days as day numbers, and the zone's UTC
    offset with the moments it changes within the period. Only the period's holidays and
    调休 days: a week without any tests none of them."""
    first = datetime.fromtimestamp(start, tz).date()
    last = datetime.fromtimestamp(max(start, end - 1), tz).date()
    return OfficeWeek(
        weekdays=tuple(office.days),
        opens=_second_of_day(office.start),
        closes=_second_of_day(office.end),
        holidays=tuple((day - EPOCH).days for day in office.holidays if first <= day <= last),
        workdays=tuple((day - EPOCH).days for day in office.workdays if first <= day <= last),
        offsets=utc_offsets(start, end, tz),
    )


def utc_offsets(start: int, end: int, tz: ZoneInfo) -> tuple[tuple[int, int], ...]:
    """(from Unix second, UTC offset in seconds) for [start, end), in time order: a day at
    a time, and to the second where the offset changes (summer time)."""

    def offset(ts: int) -> int:
        return int(datetime.fromtimestamp(ts, tz).utcoffset().total_seconds())

    found = [(start, offset(start))]
    day = start
    while day < end:
        following = min(day + DAY, end)
        if offset(following) != found[-1][1]:
            low, high = day, following  # offset(low) is the old one, offset(high) the new
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == found[-1][1] else (low, middle)
            found.append((high, offset(high)))
        day = following
    return tuple(found)


def _second_of_day(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


# --- clocks: which hours count, and when someone may be told --------------------------------

# The spans of one local day that count, as (from, to) times of day; `None` is midnight at
# the end of the day.
DaySpans = Callable[[date], list[tuple[time, time | None]]]
MIDNIGHT = time(0, 0)
SEARCH_DAYS = 800  # far enough for any calendar of holidays; then the clock gives up


def office_hours_of(office: OfficeHours) -> DaySpans:
    """Office hours of office days: what an accept window or a reminder interval counts."""
    return lambda day: [(office.start, office.end)] if is_office_day(day, office) else []


def office_days_of(office: OfficeHours) -> DaySpans:
    """Whole office days: what a resolve window in hours counts (72 hours: three working
    days, whatever the hour), so a weekend or holiday does not eat into it."""
    return lambda day: [(MIDNIGHT, None)] if is_office_day(day, office) else []


def waking_hours_of(quiet: QuietHours) -> DaySpans:
    """Every day outside the quiet hours (21:30-07:30 by default; start = end: none)."""
    if quiet.start == quiet.end:
        spans: list[tuple[time, time | None]] = [(MIDNIGHT, None)]
    elif quiet.start > quiet.end:  # across midnight
        spans = [(quiet.end, quiet.start)]
    else:
        spans = [(MIDNIGHT, quiet.start), (quiet.end, None)]
    return lambda day: spans


def waking_office_days_of(quiet: QuietHours, office: OfficeHours) -> DaySpans:
    """Office days outside the quiet hours: when a worker hears of a new office-clock ticket."""
    waking = waking_hours_of(quiet)
    return lambda day: waking(day) if is_office_day(day, office) else []


def all_hours(day: date) -> list[tuple[time, time | None]]:
    return [(MIDNIGHT, None)]


@dataclass(frozen=True)
class Clock:
    """Time that counts only within some spans of each day (office hours, waking hours)."""

    spans_of: DaySpans
    tz: ZoneInfo

    def _spans_from(self, ts: int) -> Iterator[tuple[int, int]]:
        """The counted spans [a, b) ending after `ts`, day by day, as Unix seconds."""
        day = datetime.fromtimestamp(ts, self.tz).date()
        for _ in range(SEARCH_DAYS):
            for start, end in self.spans_of(day):
                a = int(datetime.combine(day, start, self.tz).timestamp())
                b = int(datetime.combine(day + timedelta(days=1) if end is None else day,
                                         end or MIDNIGHT, self.tz).timestamp())
                if b > ts and b > a:
                    yield max(a, ts), b
            day += timedelta(days=1)

    def contains(self, ts: int) -> bool:
        return self.next_moment(ts) == ts

    def next_moment(self, ts: int) -> int:
        """`ts` if it counts, else the start of the next span that counts."""
        for a, _ in self._spans_from(ts):
            return a
        return ts  # no counted time at all (an office without days): do not hold anything

    def add(self, ts: int, seconds: int) -> int:
        """The moment when `seconds` of counted time have passed since `ts`."""
        left = max(0, seconds)
        for a, b in self._spans_from(ts):
            if left <= b - a:
                return a + left
            left -= b - a
        return ts + seconds

    def between(self, start: int, end: int) -> int:
        """The counted seconds in [start, end): how long someone has had a thing in their
        working time."""
        total = 0
        if end <= start:
            return 0
        for a, b in self._spans_from(start):
            if a >= end:
                break
            total += min(b, end) - a
        return total


ALWAYS = Clock(all_hours, ZoneInfo("UTC"))


def day_words(ts: int, now: int, tz: ZoneInfo) -> str:
    """今天 / 明天 / 周一 / 12月3日: how a resident says the day of `ts` seen from `now`."""
    day = datetime.fromtimestamp(ts, tz).date()
    days = (day - datetime.fromtimestamp(now, tz).date()).days
    if 0 <= days <= 1:
        return DATES["near"][days]
    if days < 7:
        return DATES["weekday"].format(name=DATES["weekday_names"][day.isoweekday() - 1])
    return DATES["day"].format(month=day.month, day=day.day)
