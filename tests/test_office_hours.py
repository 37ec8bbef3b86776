"""After-hours is what the 24/7 tally counts: nights, weekends, holidays, not 调休 days."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.office_hours import is_after_hours, office_week
from handlers.settings import OfficeHours

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
