"""python -m bot simulate --config C [--db PATH] [--script FILE] [--json] [--start TIME]"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.cli.common import application_or_exit, config_arguments, load_or_exit, setup_logging
from bot.clock import ManualClock
from bot.simulator import Simulator
from bot.transports.console import ConsoleTransport

if TYPE_CHECKING:
    from bot.app import Application


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot simulate")
    config_arguments(parser)
    parser.add_argument("--script", help="play this file of lines instead of reading the keyboard")
    parser.add_argument("--json", action="store_true", help="print each bot message as a JSON line")
    parser.add_argument("--start", help="simulated start time, e.g. 2026-11-23T09:00 (default: now)")
    parser.add_argument("--web", action="store_true",
                        help="serve the office's dashboard beside it ([web] host and port)")
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
    # With the dashboard, its actions' messages are sent as they are queued, not at the
    # next typed line.
    app = application_or_exit(config, transport, clock=clock, scheduler=False, deliver=args.web)
    await app.start()
    simulator = Simulator(app, clock, config, sys.stdout, echo=bool(args.script) and not args.json)
    transport.day_mark = simulator.day_mark
    web = await _start_web(app, config) if args.web else None
    try:
        if args.script:
            with open(args.script, encoding="utf-8") as lines:
                problems = await simulator.play(lines)
            return 1 if problems else 0
        await simulator.interact(sys.stdin)
        return 0
    finally:
        if web is not None:
            await web.stop()
        await app.outbox.deliver_due()
        await app.stop()


async def _start_web(app: Application, config):
    """The dashboard on the simulator's loop and clock, and a sign-in link for the first
    admin, so the demo can be opened at once."""
    from bot.web import WebServer
    from handlers.signin import new_link

    web = config.settings.web
    server = WebServer(app, web.host, web.port)
    address = await server.start()
    print(f"社区工作台 dashboard: {address}/", file=sys.stderr)
    admins = config.directory.admins
    if admins:
        with app.store.transaction():
            url = new_link(app.store, admins[0], at=int(app.clock.now().timestamp()), web=web)
        print(f"{admins[0]}（管理员）的登录链接，{web.link_minutes} 分钟内有效：{url}", file=sys.stderr)
    print("其他人：/as 姓名，/private，再发「后台」。", file=sys.stderr)
    return server
