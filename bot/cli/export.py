"""python -m bot export --config C [--db PATH] --from DATE --to DATE --out FILE.csv
[--events] [--grid ID | --community ID]

One row per ticket reported in the period (or, with --events, one row per event of
those tickets: the timeline). UTF-8 with a BOM so Excel and WPS open the Chinese text
correctly; times are local "YYYY-MM-DD HH:MM:SS".
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.common import (
    config_arguments,
    load_or_exit,
    open_existing_store,
    period_arguments,
    scope_arguments,
    select,
)
from bot.config import Config
from handlers.directory import Directory
from handlers.office_hours import is_office_day
from handlers.settings import OfficeHours
from intents.model import INTENT_NAMES_ZH
from storage import Scope, Store, Ticket

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
LEVEL_ZH = {0: "网格", 1: "备岗网格员", 2: "社区", 3: "街道"}
TICKET_HEADER = [
    "工单号", "类型", "状态", "紧急", "网格", "社区", "群", "反映人", "负责人", "地点", "内容",
    "上报时间", "接单时间", "办结时间", "关闭时间", "接单用时(分钟)", "办结用时(小时)",
    "非工作时间上报", "升级到", "重办次数", "评分", "办结说明",
]
EVENT_HEADER = ["工单号", "类型", "当前状态", "时间", "事件", "操作人", "说明", "网格"]
# What Excel and WPS would run as a formula when a cell starts with it (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell(value: object) -> object:
    """A value as a spreadsheet shows it, never as a formula: text that would start one
    (a resident named =HYPERLINK(...)) gets a leading apostrophe, as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose every cell goes through `cell`."""

    def __init__(self, f) -> None:
        self._writer = csv.writer(f)

    def writerow(self, row: list) -> None:
        self._writer.writerow([cell(value) for value in row])


class LocalTimes:
    """Unix seconds as local "YYYY-MM-DD HH:MM:SS", and whether they fall after hours
    (the same rule as `is_after_hours`), with the zone's offset looked up once per quarter
    hour and each day's date and office-ness once per day: an export of a million rows
    does not build four datetimes per row."""

    def __init__(self, tz: ZoneInfo, office: OfficeHours) -> None:
        self._tz = tz
        self._office = office
        self._opens = office.start.hour * 3600 + office.start.minute * 60 + office.start.second
        self._closes = office.end.hour * 3600 + office.end.minute * 60 + office.end.second
        self._offsets: dict[int, int] = {}
        self._days: dict[int, tuple[str, bool]] = {}

    def _local(self, ts: int) -> tuple[tuple[str, bool], int]:
        quarter = ts // 900  # every zone changes its offset on a quarter hour
        offset = self._offsets.get(quarter)
        if offset is None:
            offset = int(datetime.fromtimestamp(ts, self._tz).utcoffset().total_seconds())
            self._offsets[quarter] = offset
        day, second = divmod(ts + offset, 86400)
        known = self._days.get(day)
        if known is None:
            local_day = date.fromordinal(EPOCH_ORDINAL + day)
            known = (local_day.isoformat(), is_office_day(local_day, self._office))
            self._days[day] = known
        return known, second

    def text(self, ts: int | None) -> str:
        if ts is None:
            return ""
        (day, _), second = self._local(ts)
        hours, rest = divmod(second, 3600)
        return f"{day} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"

    def after_hours(self, ts: int) -> bool:
        (_, office_day), second = self._local(ts)
        return not (office_day and self._opens <= second < self._closes)


def ticket_row(t: Ticket, times: LocalTimes, directory: Directory) -> list:
    grid = directory.grid(t.grid_id)
    community = directory.community(t.community_id)
    accept_min = round((t.accepted_at - t.created_at) / 60, 1) if t.accepted_at else ""
    resolve_h = round((t.resolved_at - t.created_at) / 3600, 2) if t.resolved_at else ""
    return [
        t.id, INTENT_NAMES_ZH.get(t.intent, t.intent), t.status.label,
        "是" if t.urgent else "", grid.name if grid else t.grid_id,
        community.name if community else t.community_id, t.room_topic or "私聊",
        t.reporter_name or "", t.assignee_name or "", t.location or "", t.masked_text,
        times.text(t.created_at), times.text(t.accepted_at), times.text(t.resolved_at),
        times.text(t.closed_at), accept_min, resolve_h,
        "是" if times.after_hours(t.created_at) else "",
        LEVEL_ZH.get(t.escalation_level, str(t.escalation_level)) if t.escalation_level else "",
        t.reopened_count or "", t.rating if t.rating is not None else "",
        t.resolution_note or "",
    ]


def write_tickets(
    f, store: Store, config: Config, grid_ids: list[str] | None, start: int, end: int
) -> int:
    """One row per ticket reported in [start, end), into the text file `f` (the dashboard
    sends the same file)."""
    times = LocalTimes(config.tz, config.settings.office_hours)
    writer = _SafeWriter(f)
    writer.writerow(TICKET_HEADER)
    rows = 0
    for ticket in store.stats.export_tickets(Scope(grid_ids, start, end)):
        writer.writerow(ticket_row(ticket, times, config.directory))
        rows += 1
    return rows


def write_events(
    f, store: Store, config: Config, grid_ids: list[str] | None, start: int, end: int
) -> int:
    """One row per event of the tickets reported in [start, end): their timelines."""
    times = LocalTimes(config.tz, config.settings.office_hours)
    writer = _SafeWriter(f)
    writer.writerow(EVENT_HEADER)
    rows = 0
    for ticket_id, intent, status, at, kind, actor, note, grid_id in store.stats.export_events(
        Scope(grid_ids, start, end)
    ):
        grid = config.directory.grid(grid_id or "")
        writer.writerow([
            ticket_id, INTENT_NAMES_ZH.get(intent, intent), status.label, times.text(at), kind,
            actor or "", note or "", grid.name if grid else (grid_id or ""),
        ])
        rows += 1
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot export")
    config_arguments(parser)
    scope_arguments(parser)
    period_arguments(parser, required=True)
    parser.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    parser.add_argument("--events", action="store_true",
                        help="one row per event (the timeline) instead of one per ticket")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    chosen = select(parser, config, args)
    grid_ids, start, end = chosen.grid_ids, chosen.start, chosen.end
    store = open_existing_store(config)
    if store is None:
        return 2
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8-sig", newline="") as f:
            write_rows = write_events if args.events else write_tickets
            rows = write_rows(f, store, config, grid_ids, start, end)
    finally:
        store.close()
    print(f"wrote {rows} {'events' if args.events else 'tickets'} to {args.out}", file=sys.stderr)
    return 0
