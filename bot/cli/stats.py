"""python -m bot stats --config C [--db PATH] [--grid ID | --community ID]
[--from DATE --to DATE] [--json]

Dates are local dates in the config's time zone; --to is inclusive. Without dates: the
last seven days up to today.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from bot.cli.common import (
    config_arguments,
    load_or_exit,
    open_existing_store,
    period_arguments,
    scope_arguments,
    select,
)
from handlers.stats import compute_stats, describe_period, format_stats_long


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot stats")
    config_arguments(parser)
    scope_arguments(parser)
    period_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    chosen = select(parser, config, args)
    grid_ids, name, start, end = chosen.grid_ids, chosen.name, chosen.start, chosen.end
    store = open_existing_store(config)
    if store is None:
        return 2
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
