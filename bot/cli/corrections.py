"""python -m bot corrections --config C [--db PATH] [--out FILE]

Workers' corrections (改 / 不是诉求 / 紧急 / 不急 / 登记 of a 疑似) as labelled examples, one
JSON object per line in the corpus format, the latest word on each text. Save them as
corpus/corrections.jsonl and run `make model`: the next model learns them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import config_arguments, load_or_exit, open_store_or_exit
from handlers.corrections import as_examples


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot corrections", description=__doc__)
    config_arguments(parser)
    parser.add_argument("--out", type=Path, help="write to this file (default: stdout)")
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    store = open_store_or_exit(config, writable=False)
    try:
        rows = as_examples(store.corrections.latest_per_text())
    finally:
        store.close()
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.out:
        args.out.write_text(lines, encoding="utf-8")
        print(f"{len(rows)} corrections -> {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(lines)
    return 0
