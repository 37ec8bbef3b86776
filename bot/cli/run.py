"""python -m bot run --config C [--db PATH]: the bot on the configured transport."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from typing import TYPE_CHECKING

from bot.cli.common import application_or_exit, config_arguments, load_or_exit, setup_logging

if TYPE_CHECKING:
    from bot.app import Application


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot run")
    config_arguments(parser)
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    setup_logging()
    if config.transport == "console":
        from bot.cli import simulate

        return simulate.main(
            ["--config", args.config] + (["--db", args.db] if args.db else [])
            + (["--web"] if config.settings.web.enabled else [])
        )
    return asyncio.run(_run(config))


async def _run(config) -> int:
    from bot.transports.wechaty import WechatyTransport

    token = os.environ.get("WECHATY_PUPPET_SERVICE_TOKEN") or config.wechaty.token
    endpoint = os.environ.get("WECHATY_PUPPET_SERVICE_ENDPOINT") or config.wechaty.endpoint
    # With a login timeout the bot starts even while the gateway is down (and keeps
    # retrying), so Ctrl-C and SIGTERM work at every moment.
    transport = WechatyTransport(
        endpoint, token, config.bot_name, login_timeout=config.wechaty.login_timeout_seconds
    )
    app = application_or_exit(config, transport)
    try:
        web = await start_web(app)
    except OSError as error:
        print(f"无法启动社区工作台（[web] host/port）: {error}", file=sys.stderr)
        app.store.close()
        return 3
    return await _run_app(app, transport, web)


async def start_web(app: Application):
    """The dashboard on this loop, with this store, when `[web] enabled = true`; it is up
    before the chat connects, so /health can say the chat is not there yet."""
    settings = app.config.settings.web
    if not settings.enabled:
        return None
    from bot.web import WebServer

    server = WebServer(app, settings.host, settings.port)
    address = await server.start()
    print(f"社区工作台 dashboard: {address}/", file=sys.stderr)
    return server


async def _run_app(app: Application, transport, web) -> int:
    from bot.transports.wechaty import WechatyTokenRejected

    async def shutdown() -> None:
        if web is not None:  # no page may reach for the store once it is closed
            await web.stop()
        await app.stop()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    starting = asyncio.create_task(app.start())
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        await shutdown()
        return 0
    error = starting.exception()
    if isinstance(error, WechatyTokenRejected):
        print(f"无法连接微信网关: {error}", file=sys.stderr)
        stopped.cancel()
        await shutdown()
        return 3
    if error is not None:
        stopped.cancel()
        await shutdown()
        raise error
    closed = asyncio.create_task(transport.wait_closed())
    stopped = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({closed, stopped}, return_when=asyncio.FIRST_COMPLETED)
    code = 0
    if closed in done:
        error = closed.exception()
        print(f"微信网关连接已结束，机器人停止: {error or '连接关闭'}", file=sys.stderr)
        code = 3
    for task in (closed, stopped):
        task.cancel()
    await shutdown()
    return code
