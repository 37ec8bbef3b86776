"""What counts as after-hours: the 24/7 promise is measured against the office's own week.

Holidays are after-hours all day; 调休 workdays (a weekend day made a working day) are
office days. Everything here is local time in the config's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.settings import OfficeHours
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
    offset with the moments it changes within the period."""
    return OfficeWeek(
        weekdays=tuple(office.days),
        opens=_second_of_day(office.start),
        closes=_second_of_day(office.end),
        holidays=tuple((day - EPOCH).days for day in office.holidays),
        workdays=tuple((day - EPOCH).days for day in office.workdays),
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
