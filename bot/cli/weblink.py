"""python -m bot web-link --config C --name 张继凯 [--db PATH]

Print a one-time sign-in link to the office's dashboard for an official named in the
config (valid `[web] link_minutes`, 15 by default). The same link an official gets by
sending 后台 to the bot privately.
"""

from __future__ import annotations

import argparse
import sys
import time

from bot.cli.common import config_arguments, load_or_exit
from handlers.signin import new_link, official_by_name
from storage import Store


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot web-link")
    config_arguments(parser)
    parser.add_argument("--name", required=True, help="the official's name as in the config")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    if official_by_name(config.directory, args.name) is None:
        print(f"「{args.name}」不是配置里的网格员、社区工作人员或管理员 "
              f"(not a worker, staff or admin of the config)", file=sys.stderr)
        return 2
    store = Store.open(config.database, media_dir=config.data_dir / "media")
    try:
        with store.transaction():
            url = new_link(store, args.name, at=int(time.time()), web=config.settings.web)
    finally:
        store.close()
    print(url)
    print(f"{config.settings.web.link_minutes} 分钟内有效，只能用一次。", file=sys.stderr)
    return 0
