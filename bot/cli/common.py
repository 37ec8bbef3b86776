"""What every subcommand does first: read the config, or say in one line what is wrong."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from handlers.stats import date_range
from storage import Store
from storage.database import StorageError


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


def open_store_or_exit(config: Config, *, writable: bool = True) -> Store:
    """The configured database, or one line saying why it cannot be used."""
    try:
        return Store.open(config.database, media_dir=config.data_dir / "media", writable=writable)
    except StorageError as error:
        print(f"数据库错误 database error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def application_or_exit(config: Config, transport, **options):
    """The application with its database, rules, FAQ and phrases of replies, or one line
    naming what is broken."""
    from bot.app import Application
    from intents import Classifier, FaqBook
    from intents.replies import Phrasebook, PhrasesError
    from intents.rules import RulesError

    settings = config.settings.classifier
    try:
        classifier = Classifier.load(settings.rules_path)
    except RulesError as error:
        key = "classifier.rules" if settings.rules_path else "intents/rules"
        print(f"配置错误 config error: {config.path}: {key}: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        faq = FaqBook.load(settings.faq_path)
    except RulesError as error:
        key = "classifier.faq" if settings.faq_path else "intents/faq.toml"
        print(f"配置错误 config error: {config.path}: {key}: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        phrases = Phrasebook.load(settings.replies_path)
    except PhrasesError as error:
        key = "classifier.replies" if settings.replies_path else "intents/replies.toml"
        print(f"配置错误 config error: {config.path}: {key}: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    store = options.pop("store", None) or open_store_or_exit(config)
    return Application(
        config, transport, store=store, classifier=classifier, faq=faq, phrases=phrases, **options
    )


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def scope_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--grid", help="one grid id")
    which.add_argument("--community", help="one community id (all its grids)")


def period_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=required,
                        help="first local date, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=required,
                        help="last local date (inclusive), YYYY-MM-DD")


@dataclass(frozen=True)
class Selection:
    """Which grids and which period a report is about (times as Unix seconds, end excluded)."""

    grid_ids: list[str] | None  # None: all grids
    name: str
    start: int
    end: int


def select(parser: argparse.ArgumentParser, config: Config, args: argparse.Namespace) -> Selection:
    """Read --grid/--community and --from/--to; a wrong value is a usage error of `parser`.

    Without dates: the last seven days up to today (local dates; --to is inclusive).
    """
    directory = config.directory
    grid_ids, name = None, "全部网格"
    if getattr(args, "grid", None):
        grid = directory.grid(args.grid)
        if grid is None:
            known = ", ".join(g.id for g in directory.grids)
            parser.error(f"unknown grid {args.grid!r} (known: {known})")
        grid_ids, name = [grid.id], grid.name
    elif getattr(args, "community", None):
        community = directory.community(args.community)
        if community is None:
            known = ", ".join(c.id for c in directory.communities)
            parser.error(f"unknown community {args.community!r} (known: {known})")
        grid_ids = [g.id for g in directory.grids_of_community(community.id)]
        name = community.name
    last = args.end or datetime.now(config.tz).date()
    first = args.start or (last - timedelta(days=6))
    if first > last:
        parser.error("--from is after --to")
    start, end = date_range(first, last, config.tz)
    return Selection(grid_ids, name, start, end)


def open_existing_store(config: Config) -> Store | None:
    """The database for reading reports; None (and a line saying so) if there is none."""
    if not config.database.exists():
        print(f"no database at {config.database} (give --db PATH)", file=sys.stderr)
        return None
    return open_store_or_exit(config, writable=False)
