"""What every subcommand does first: read the config, or say in one line what is wrong."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.config import Config, ConfigError, load_config


def config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="the TOML config file")
    parser.add_argument("--db", help="the SQLite file (default: [bot] database of the config)")


def load_or_exit(args: argparse.Namespace) -> Config:
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"配置错误 config error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    if getattr(args, "db", None):
        from dataclasses import replace

        database = Path(args.db)
        config = replace(config, database=database, data_dir=database.parent / "data")
    return config


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
