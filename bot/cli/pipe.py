"""python -m bot pipe --config C [--db PATH] [--no-scheduler]: the bot over JSON Lines.

Messages in on stdin, what the bot sends out on stdout (see bot/transports/pipe.py for
the format); logs go to stderr. On end of input the outbox is emptied and the bot exits.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from bot.app import Application
from bot.cli.common import application_or_exit, config_arguments, load_or_exit, setup_logging
from bot.transports.pipe import PipeTransport

DRAIN_SECONDS = 30.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot pipe")
    config_arguments(parser)
    parser.add_argument(
        "--no-scheduler", action="store_true",
        help="no reminders, escalations or weekly posts (for tests and bridges that replay)",
    )
    parser.add_argument("--quiet", action="store_true", help="log warnings and errors only")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    setup_logging(logging.WARNING if args.quiet else logging.INFO)
    return asyncio.run(_run(config, scheduler=not args.no_scheduler))


async def _run(config, *, scheduler: bool) -> int:
    transport = PipeTransport(config.tz)
    app = application_or_exit(config, transport, scheduler=scheduler)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.start()
    transport.begin()
    finished = asyncio.create_task(transport.finished.wait())
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({finished, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if finished.done():
        await _drain(app)
    for task in (finished, stopped):
        task.cancel()
    await app.stop()
    return 0


async def _drain(app: Application) -> None:
    """Send what is due before leaving (rows waiting for a retry later stay for next time)."""
    deadline = asyncio.get_running_loop().time() + DRAIN_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        await app.outbox.deliver_due()
        now = int(app.clock.now().timestamp())
        if not app.store.outbox.due(now, limit=1):
            return
        await asyncio.sleep(0.05)
