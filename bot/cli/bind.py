"""python -m bot bind-code --config C [--db PATH] --name 孙丽

Prints a one-time code that binds an official's WeChat to their name in the config: give
it to them in person or by phone; they send 「绑定 <code>」 privately to the bot from their
own WeChat. Whoever can run this on the bot's machine is trusted: it is how the first
admin is bound when no admin has a wechat_id in the config (after that, an admin can ask
the bot privately: 「绑定码 孙丽」).
"""

from __future__ import annotations

import argparse
import sys
import time

from bot.cli.common import config_arguments, load_or_exit, open_store_or_exit
from handlers.binding import CODE_HOURS, issue_code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot bind-code")
    config_arguments(parser)
    parser.add_argument("--name", required=True, help="the official's name as in the config")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    who = config.directory.official_named(args.name)
    if who is None:
        parser.error(f"no admin, staff or grid worker named {args.name!r} in {config.path}")
    store = open_store_or_exit(config)
    try:
        with store.transaction():
            code = issue_code(store, who.name, at=int(time.time()), by="command line")
    finally:
        store.close()
    print(code)
    print(
        f"给{who.name}的绑定码，{CODE_HOURS} 小时内有效、只能用一次：请本人私聊机器人发「绑定 {code}」。",
        file=sys.stderr,
    )
    return 0
