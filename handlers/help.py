"""帮助: what one can say, by role, written from the table of what can be said."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Protocol

from handlers.texts import HELP as TEXTS


class HelpLine(Protocol):
    """What 帮助 reads of a table entry (handlers.vocabulary.Entry)."""

    who: frozenset
    usage: str
    help: str


def help_text(entries: Iterable[HelpLine], roles: Set, bot_name: str) -> str:
    """Officials see the officials' commands (and the admin's, for an admin); residents
    see theirs. `roles` are the roles the asker holds (vocabulary.roles)."""
    entries = [e for e in entries if e.help]
    official = {"worker", "staff", "admin"} & set(roles)
    if official:
        lines = [TEXTS["official_head"]]
        theirs = [e for e in entries if e.who & official]
        # their own commands first, then what everybody may say (查询, 帮助)
        theirs.sort(key=lambda e: not set(e.who) <= {"worker", "staff", "admin"})
        lines += [_line(e) for e in theirs]
    else:
        lines = [TEXTS["resident_head"].format(bot=bot_name)]
        lines += [_line(e) for e in entries if e.who & set(roles)]
        lines.append(TEXTS["resident_tail"])
    return "\n".join(lines)


def _line(entry: HelpLine) -> str:
    return TEXTS["line"].format(usage=entry.usage, help=entry.help)
