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
from datetime import datetime
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
from handlers.office_hours import is_after_hours
from handlers.settings import OfficeHours
from intents.model import INTENT_NAMES_ZH
from storage import Store, Ticket
from storage.states import label as state_label

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


def _local(ts: int | None, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M:%S") if ts is not None else ""


def ticket_row(t: Ticket, tz: ZoneInfo, office: OfficeHours, directory: Directory) -> list:
    grid = directory.grid(t.grid_id)
    community = directory.community(t.community_id)
    accept_min = round((t.accepted_at - t.created_at) / 60, 1) if t.accepted_at else ""
    resolve_h = round((t.resolved_at - t.created_at) / 3600, 2) if t.resolved_at else ""
    return [
        t.id, INTENT_NAMES_ZH.get(t.intent, t.intent), t.status.label,
        "是" if t.urgent else "", grid.name if grid else t.grid_id,
        community.name if community else t.community_id, t.room_topic or "私聊",
        t.reporter_name or "", t.assignee_name or "", t.location or "", t.masked_text,
        _local(t.created_at, tz), _local(t.accepted_at, tz), _local(t.resolved_at, tz),
        _local(t.closed_at, tz), accept_min, resolve_h,
        "是" if is_after_hours(datetime.fromtimestamp(t.created_at, tz), office) else "",
        LEVEL_ZH.get(t.escalation_level, str(t.escalation_level)) if t.escalation_level else "",
        t.reopened_count or "", t.rating if t.rating is not None else "",
        t.resolution_note or "",
    ]


def write_tickets(
    f, store: Store, config: Config, grid_ids: list[str] | None, start: int, end: int
) -> int:
    """One row per ticket reported in [start, end), into the text file `f` (the dashboard
    sends the same file)."""
    tz, office = config.tz, config.settings.office_hours
    writer = _SafeWriter(f)
    writer.writerow(TICKET_HEADER)
    rows = 0
    for ticket in store.stats.export_tickets(grid_ids, start, end):
        writer.writerow(ticket_row(ticket, tz, office, config.directory))
        rows += 1
    return rows


def write_events(
    f, store: Store, config: Config, grid_ids: list[str] | None, start: int, end: int
) -> int:
    """One row per event of the tickets reported in [start, end): their timelines."""
    tz = config.tz
    writer = _SafeWriter(f)
    writer.writerow(EVENT_HEADER)
    rows = 0
    for e in store.stats.export_events(grid_ids, start, end):
        grid = config.directory.grid(e["grid_id"] or "")
        writer.writerow([
            e["ticket_id"], INTENT_NAMES_ZH.get(e["intent"], e["intent"]),
            state_label(e["status"]), _local(e["at"], tz), e["kind"],
            e["actor_name"] or "", e["note"] or "",
            grid.name if grid else (e["grid_id"] or ""),
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
