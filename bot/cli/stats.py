"""python -m bot stats --config C [--db PATH] [--grid ID | --community ID]
[--from DATE --to DATE] [--json]

Dates are local dates in the config's time zone; --to is inclusive. Without dates: the
last seven days up to today.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta

from bot.cli.common import config_arguments, load_or_exit
from bot.config import Config
from handlers.stats import compute_stats, date_range, describe_period, format_stats_long
from storage import Store


def scope_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--grid", help="one grid id")
    which.add_argument("--community", help="one community id (all its grids)")


def period_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=required,
                        help="first local date, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=required,
                        help="last local date (inclusive), YYYY-MM-DD")


def resolve_scope(config: Config, args: argparse.Namespace) -> tuple[list[str] | None, str]:
    """The grid ids asked for and their name; exits with a clear line on an unknown id."""
    directory = config.directory
    if args.grid:
        grid = directory.grid(args.grid)
        if grid is None:
            known = ", ".join(g.id for g in directory.grids)
            raise SystemExit(f"unknown grid {args.grid!r} (known: {known})")
        return [grid.id], grid.name
    if args.community:
        community = directory.community(args.community)
        if community is None:
            known = ", ".join(c.id for c in directory.communities)
            raise SystemExit(f"unknown community {args.community!r} (known: {known})")
        return [g.id for g in directory.grids_of_community(community.id)], community.name
    return None, "全部网格"


def resolve_period(config: Config, args: argparse.Namespace) -> tuple[int, int]:
    today = datetime.now(config.tz).date()
    last = args.end or today
    first = args.start or (last - timedelta(days=6))
    if first > last:
        raise SystemExit("--from is after --to")
    return date_range(first, last, config.tz)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot stats")
    config_arguments(parser)
    scope_arguments(parser)
    period_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    try:
        grid_ids, name = resolve_scope(config, args)
        start, end = resolve_period(config, args)
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    if not config.database.exists():
        print(f"no database at {config.database} (give --db PATH)", file=sys.stderr)
        return 2
    store = Store.open(config.database)
    try:
        stats = compute_stats(store, config.directory, config.settings, grid_ids=grid_ids,
                              start=start, end=end)
    finally:
        store.close()
    if args.json:
        stats = {
            **stats,
            "from": datetime.fromtimestamp(start, config.tz).date().isoformat(),
            "to": datetime.fromtimestamp(end - 1, config.tz).date().isoformat(),
            "scope": name,
        }
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(format_stats_long(stats, f"{name} · {describe_period(start, end, config.tz)}"))
    return 0
