"""After-hours is what the 24/7 tally counts: nights, weekends, holidays, not 调休 days."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.office_hours import (
    ALWAYS,
    Clock,
    day_words,
    is_after_hours,
    office_days_of,
    office_hours_of,
    office_week,
    waking_hours_of,
)
from handlers.settings import OfficeHours, QuietHours

TZ = ZoneInfo("Asia/Shanghai")
OFFICE = OfficeHours(
    days=(1, 2, 3, 4, 5),
    start=time(8, 30),
    end=time(17, 30),
    holidays=(date(2026, 10, 1), date(2026, 10, 2)),
    workdays=(date(2026, 9, 27),),  # a Sunday made a working day
)


def at(y: int, mo: int, d: int, h: int, mi: int) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def test_saturday_night_is_after_hours() -> None:
    assert is_after_hours(at(2026, 11, 21, 22, 40), OFFICE)  # Saturday 22:40


def test_weekday_office_hours_and_edges() -> None:
    assert not is_after_hours(at(2026, 11, 18, 10, 0), OFFICE)  # Wednesday 10:00
    assert not is_after_hours(at(2026, 11, 18, 8, 30), OFFICE)  # opening minute
    assert is_after_hours(at(2026, 11, 18, 8, 29), OFFICE)
    assert is_after_hours(at(2026, 11, 18, 17, 30), OFFICE)  # closing minute is after
    assert is_after_hours(at(2026, 11, 18, 23, 59), OFFICE)
    assert is_after_hours(at(2026, 11, 19, 0, 5), OFFICE)  # just past midnight


def test_holiday_and_tiaoxiu_workday() -> None:
    assert is_after_hours(at(2026, 10, 1, 10, 0), OFFICE)  # Thursday, National Day
    assert not is_after_hours(at(2026, 9, 27, 10, 0), OFFICE)  # Sunday made a workday
    assert is_after_hours(at(2026, 9, 27, 20, 0), OFFICE)  # but its evening is not


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York"])
def test_the_sql_test_of_each_row_agrees_with_is_after_hours(zone: str) -> None:
    """Every 7 minutes of a year (summer time included where the zone has it): the SQL
    the statistics run on each row says what `is_after_hours` says."""
    tz = ZoneInfo(zone)
    start = int(datetime(2026, 1, 1, tzinfo=tz).timestamp())
    end = int(datetime(2027, 1, 1, tzinfo=tz).timestamp())
    week = office_week(start, end, OFFICE, tz)
    assert len(week.offsets) == (1 if zone == "Asia/Shanghai" else 3)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (at INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [(ts,) for ts in range(start, end, 7 * 60)])
    rows = db.execute(f"SELECT at, NOT {week.sql('at')} FROM t").fetchall()
    wrong = [
        datetime.fromtimestamp(ts, tz) for ts, after in rows
        if bool(after) != is_after_hours(datetime.fromtimestamp(ts, tz), OFFICE)
    ]
    assert len(rows) > 70_000 and wrong == []


# --- the timers' clocks ----------------------------------------------------------------------


def ts(y: int, mo: int, d: int, h: int, mi: int) -> int:
    return int(at(y, mo, d, h, mi).timestamp())


def test_office_clock_counts_office_hours_of_office_days_only() -> None:
    office = Clock(office_hours_of(OFFICE), TZ)
    # Wednesday 30 September 17:20, ten minutes before closing; 1-2 October are holidays
    assert office.add(ts(2026, 9, 30, 17, 20), 30 * 60) == ts(2026, 10, 5, 8, 50)  # Sat, Sun too
    assert office.add(ts(2026, 9, 26, 12, 0), 60 * 60) == ts(2026, 9, 27, 9, 30)  # 调休 Sunday
    assert office.next_moment(ts(2026, 11, 21, 10, 0)) == ts(2026, 11, 23, 8, 30)  # Saturday
    assert office.contains(ts(2026, 11, 23, 8, 30)) and not office.contains(ts(2026, 11, 23, 17, 30))
    days = Clock(office_days_of(OFFICE), TZ)  # resolve windows: whole office days
    assert days.add(ts(2026, 11, 20, 16, 0), 72 * 3600) == ts(2026, 11, 25, 16, 0)  # Fri -> Wed


def test_quiet_hours_across_midnight_within_the_day_or_none() -> None:
    night = Clock(waking_hours_of(QuietHours(time(21, 30), time(7, 30))), TZ)
    assert night.next_moment(ts(2026, 11, 23, 23, 0)) == ts(2026, 11, 24, 7, 30)
    assert night.next_moment(ts(2026, 11, 23, 3, 0)) == ts(2026, 11, 23, 7, 30)
    assert night.contains(ts(2026, 11, 23, 21, 29)) and not night.contains(ts(2026, 11, 23, 21, 30))
    nap = Clock(waking_hours_of(QuietHours(time(12, 0), time(14, 0))), TZ)
    assert nap.next_moment(ts(2026, 11, 23, 13, 0)) == ts(2026, 11, 23, 14, 0)
    assert nap.contains(ts(2026, 11, 23, 23, 59))
    never = Clock(waking_hours_of(QuietHours(time(0, 0), time(0, 0))), TZ)
    assert never.contains(ts(2026, 11, 23, 3, 0))
    assert ALWAYS.add(ts(2026, 11, 21, 23, 0), 3600) == ts(2026, 11, 22, 0, 0)


def test_an_office_without_days_holds_nothing_back() -> None:
    nothing = Clock(office_hours_of(OfficeHours(days=())), TZ)
    assert nothing.next_moment(ts(2026, 11, 23, 3, 0)) == ts(2026, 11, 23, 3, 0)


def test_days_as_residents_say_them() -> None:
    now = ts(2026, 11, 20, 23, 10)  # a Friday
    assert day_words(ts(2026, 11, 20, 23, 30), now, TZ) == "今天"
    assert day_words(ts(2026, 11, 21, 8, 30), now, TZ) == "明天"
    assert day_words(ts(2026, 11, 23, 8, 30), now, TZ) == "周一"
    assert day_words(ts(2026, 12, 3, 8, 30), now, TZ) == "12月3日"
