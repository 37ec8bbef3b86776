"""python -m bot web --config C [--db PATH] [--host 127.0.0.1] [--port 8080]

The office's dashboard on its own, beside a bot that runs elsewhere (or none): it reads
the same database and queues its actions' chat messages in the same outbox, which the
running bot sends. `python -m bot run` serves it too when `[web] enabled = true`.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from dataclasses import replace

from bot.app import Application
from bot.cli.common import config_arguments, load_or_exit, setup_logging
from bot.web import WebServer
from handlers.messages import Outgoing


class NoTransport:
    """The dashboard alone has no chat: what it queues, the running bot sends."""

    name = "none"
    trusts_names = False
    connected = False

    async def start(self, on_message) -> None:
        return None

    async def send(self, message: Outgoing) -> None:
        raise ConnectionError("the dashboard alone does not send; the bot does")

    async def stop(self) -> None:
        return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot web")
    config_arguments(parser)
    parser.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: [web] port, 8080)")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    web = config.settings.web
    web = replace(web, host=args.host or web.host, port=args.port if args.port is not None else web.port)
    config = replace(config, settings=replace(config.settings, web=web))
    setup_logging()
    return asyncio.run(_serve(config))


async def _serve(config) -> int:
    # Not started: no transport, no timers, no outbox loop, no recovery of the inbox
    # (that is the running bot's work); only the store, the clock and the classifier.
    app = Application(config, NoTransport(), scheduler=False, deliver=False)
    server = WebServer(app, config.settings.web.host, config.settings.web.port)
    try:
        address = await server.start()
    except OSError as error:
        print(f"无法在 {config.settings.web.host}:{config.settings.web.port} 上启动后台: {error}",
              file=sys.stderr)
        app.store.close()
        return 3
    print(f"社区工作台 dashboard: {address}/  (Ctrl-C 停止)", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    app.store.close()
    return 0
