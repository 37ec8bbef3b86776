"""python -m bot simulate --config C [--db PATH] [--script FILE] [--json] [--start TIME]"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from datetime import datetime

from bot.cli.common import application_or_exit, config_arguments, load_or_exit, setup_logging
from bot.clock import ManualClock
from bot.simulator import Simulator
from bot.transports.console import ConsoleTransport


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot simulate")
    config_arguments(parser)
    parser.add_argument("--script", help="play this file of lines instead of reading the keyboard")
    parser.add_argument("--json", action="store_true", help="print each bot message as a JSON line")
    parser.add_argument("--start", help="simulated start time, e.g. 2026-11-23T09:00 (default: now)")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    # Simulated time: no real-time pacing of the bot's posts (that protects a WeChat account).
    config = replace(config, outbox=replace(config.outbox, per_room_seconds=0, overall_seconds=0))
    setup_logging(logging.WARNING)
    start = datetime.fromisoformat(args.start) if args.start else datetime.now(config.tz)
    if start.tzinfo is None:
        start = start.replace(tzinfo=config.tz)
    return asyncio.run(_simulate(config, args, start.replace(second=0, microsecond=0)))


async def _simulate(config, args, start: datetime) -> int:
    clock = ManualClock(start)
    transport = ConsoleTransport(clock.now, bot_name=config.bot_name, as_json=args.json)
    app = application_or_exit(config, transport, clock=clock, scheduler=False, deliver=False)
    await app.start()
    simulator = Simulator(app, clock, config, sys.stdout, echo=bool(args.script) and not args.json)
    try:
        if args.script:
            with open(args.script, encoding="utf-8") as lines:
                problems = await simulator.play(lines)
            return 1 if problems else 0
        await simulator.interact(sys.stdin)
        return 0
    finally:
        await app.outbox.deliver_due()
        await app.stop()
