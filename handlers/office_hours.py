"""What counts as after-hours: the 24/7 promise is measured against the office's own week.

Holidays are after-hours all day; 调休 workdays (a weekend day made a working day) are
office days. Everything here is local time in the config's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.settings import OfficeHours


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


def office_intervals(start: int, end: int, office: OfficeHours, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The office-hours spans [a, b) in Unix seconds that overlap [start, end).

    Lets storage count after-hours rows with a SQL range test instead of converting every
    timestamp to local time in Python.
    """
    spans: list[tuple[int, int]] = []
    for day in _days(start, end, tz):
        if not is_office_day(day, office):
            continue
        a = int(datetime.combine(day, office.start, tz).timestamp())
        b = int(datetime.combine(day, office.end, tz).timestamp())
        a, b = max(a, start), min(b, end)
        if a < b:
            spans.append((a, b))
    return spans


def _days(start: int, end: int, tz: ZoneInfo) -> Iterator[date]:
    day = datetime.fromtimestamp(start, tz).date()
    last = datetime.fromtimestamp(max(start, end - 1), tz).date()
    while day <= last:
        yield day
        day += timedelta(days=1)
