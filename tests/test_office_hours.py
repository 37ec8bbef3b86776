"""After-hours is what the 24/7 tally counts: nights, weekends, holidays, not 调休 days."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.office_hours import is_after_hours, office_intervals
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


def test_office_intervals_cover_only_office_time() -> None:
    start = int(at(2026, 11, 20, 12, 0).timestamp())  # Friday noon
    end = int(at(2026, 11, 24, 0, 0).timestamp())  # Tuesday 00:00
    spans = office_intervals(start, end, OFFICE, TZ)
    assert spans == [
        (start, int(at(2026, 11, 20, 17, 30).timestamp())),
        (int(at(2026, 11, 23, 8, 30).timestamp()), int(at(2026, 11, 23, 17, 30).timestamp())),
    ]
