"""The subcommands, each a module with `main(argv) -> int`, imported only when used."""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "simulate": ("bot.cli.simulate", "try the bot in a simulated group (interactive or a script)"),
    "run": ("bot.cli.run", "run the bot on the transport named in the config"),
    "tickets": ("bot.cli.tickets", "list tickets, one JSON object per line with --json"),
    "pipe": ("bot.cli.pipe", "run the bot over JSON Lines on stdin/stdout (bridges, crash test)"),
    "eval": ("intents.evaluate", "score the classifier on a labelled JSONL file"),
    "explain": ("intents.explain", "show why a message gets its intent, urgency and place"),
    "corrections": ("bot.cli.corrections", "workers' corrections as training rows (corpus/corrections.jsonl)"),
    "stats": ("bot.cli.stats", "statistics for a grid, a community or all, over a period"),
    "export": ("bot.cli.export", "export tickets (or --events) as CSV for Excel/WPS"),
    "bind-code": ("bot.cli.bind", "a one-time code that binds an official's WeChat to their name"),
    "web": ("bot.cli.web", "serve the office's dashboard on its own (see [web] in the config)"),
    "web-link": ("bot.cli.weblink", "print a one-time sign-in link to the dashboard"),
}


def usage() -> str:
    lines = ["usage: python -m bot COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<9} {text}" for name, (_, text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    return module.main(rest)
