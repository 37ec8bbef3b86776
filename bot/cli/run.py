"""python -m bot run --config C [--db PATH]: the bot on the configured transport."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys

from bot.cli.common import application_or_exit, config_arguments, load_or_exit, setup_logging


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot run")
    config_arguments(parser)
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    setup_logging()
    if config.transport == "console":
        from bot.cli import simulate

        return simulate.main(["--config", args.config] + (["--db", args.db] if args.db else []))
    return asyncio.run(_run(config))


async def _run(config) -> int:
    from bot.transports.wechaty import WechatyTokenRejected, WechatyTransport

    token = os.environ.get("WECHATY_PUPPET_SERVICE_TOKEN") or config.wechaty.token
    endpoint = os.environ.get("WECHATY_PUPPET_SERVICE_ENDPOINT") or config.wechaty.endpoint
    # With a login timeout the bot starts even while the gateway is down (and keeps
    # retrying), so Ctrl-C and SIGTERM work at every moment.
    transport = WechatyTransport(
        endpoint, token, config.bot_name, login_timeout=config.wechaty.login_timeout_seconds
    )
    app = application_or_exit(config, transport)
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
        await app.stop()
        return 0
    error = starting.exception()
    if isinstance(error, WechatyTokenRejected):
        print(f"无法连接微信网关: {error}", file=sys.stderr)
        stopped.cancel()
        await app.stop()
        return 3
    if error is not None:
        stopped.cancel()
        await app.stop()
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
    await app.stop()
    return code
