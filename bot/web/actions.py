"""The ticket page's buttons. Each is a command of the chat's one table
(handlers/vocabulary.py), run by that entry's own handler as if the official had sent it
to the bot privately: the same checks, events and chat messages as in WeChat. What the
bot answers the official becomes the notice on the page.

The corrections (改 12 安全隐患, 紧急 12 / 不急 12, 不是诉求 12) are such buttons too, so a
correction made on the page is stored as the same labelled example and teaches the
classifier as the chat's does (handlers/corrections.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.web.office import Office, Official
from handlers import corrections, vocabulary
from handlers.commands import Command
from handlers.context import Request
from handlers.messages import Outgoing
from intents.model import INTENT_NAMES_ZH, INTENTS, TICKET_INTENTS
from storage import Ticket, TicketState

NOTICE_COOKIE = "gridbot_notice"
LEVEL_COMMUNITY = 2


def _note(form) -> str:
    return " ".join(str(form.get("note", "")).split())[:500]


def _into(form) -> str | None:
    number = str(form.get("into", "")).strip().lstrip("#")
    return f"到 {number}" if number.isdigit() and len(number) <= 12 else None


def _intent(form) -> str | None:
    """The intent chosen in the select, said as in chat (改 12 安全隐患)."""
    code = str(form.get("intent", ""))
    return INTENT_NAMES_ZH[code] if code in INTENTS else None


@dataclass(frozen=True)
class Action:
    act: str  # the entry of the table
    rest: Callable[[object], str | None]  # what follows the ticket number; None: incomplete
    states: tuple[TicketState, ...]  # the states it applies to


OPEN_ONES = (TicketState.OPEN, TicketState.ACCEPTED)
# What the bot read may be corrected while the ticket lives and after it is done (the
# statistics count by intent, the next model learns the label); not once withdrawn or merged.
CORRECTABLE = (TicketState.OPEN, TicketState.ACCEPTED, TicketState.RESOLVED, TicketState.CLOSED)
ACTIONS = {
    "accept": Action("accept", lambda form: "", (TicketState.OPEN,)),
    "progress": Action("progress", lambda form: _note(form) or None, OPEN_ONES),
    "resolve": Action("done", _note, OPEN_ONES),
    "transfer": Action("transfer", lambda form: str(form.get("to", "")).strip()[:30] or None,
                       OPEN_ONES),
    "escalate": Action("transfer", lambda form: f"社区 {_note(form)}".strip(), OPEN_ONES),
    "merge": Action("merge", lambda form: _into(form), OPEN_ONES),
    "correct": Action("correct", _intent, CORRECTABLE),
    "urgent": Action("urgent", lambda form: "", CORRECTABLE),
    "not_urgent": Action("not_urgent", lambda form: "", CORRECTABLE),
    # closes it quietly: only while somebody still has to act on it
    "not_a_need": Action("not_a_need", _note, OPEN_ONES),
}
CORRECTIONS = ("correct", "urgent", "not_urgent", "not_a_need")


def available(ticket: Ticket) -> set[str]:
    names = {name for name, a in ACTIONS.items() if ticket.status in a.states}
    if ticket.escalation_level >= LEVEL_COMMUNITY:
        names.discard("escalate")
    names.discard("urgent" if ticket.urgent else "not_urgent")  # the other one only
    return names


@dataclass(frozen=True)
class Done:
    reply: str  # what the bot answered the official
    told: str  # who else heard of it, in a few words


def run(office: Office, official: Official, ticket: Ticket, name: str, form) -> Done | None:
    """Run the button `name` on `ticket`; None when it does not apply or lacks its input."""
    action = ACTIONS.get(name)
    if action is None or name not in available(ticket):
        return None
    rest = action.rest(form)
    if rest is None:
        return None
    return say(office, official, action.act, ticket.id, rest)


def say(office: Office, official: Official, act: str, number: int, rest: str = "") -> Done:
    """The table's entry `act` with a number (and what follows it), said privately."""
    entry = vocabulary.by_act(act)
    command = Command(act=entry.act, word=entry.words[0], number=number, rest=rest)
    words = f"{command.word} {number} {rest}".strip()
    request = Request(identity=official.identity, grid=None, command=command)
    outgoing = office.act(official, words, lambda ctx, msg: entry.handler(ctx, msg, request))
    return summarise(outgoing, official)


def summarise(outgoing: list[Outgoing], official: Official) -> Done:
    mine = [o for o in outgoing if o.to is not None and o.to.name == official.name]
    others = [o for o in outgoing if o not in mine]
    told = []
    for o in others:
        if o.room_id is not None:
            at = "".join(f" @{p.name}" for p in o.mentions)
            told.append(f"{o.room_topic or '群'}{at}")
        elif o.to is not None:
            told.append(f"{o.to.name}（私聊）")
    return Done(reply="\n".join(o.text for o in mine), told="；".join(dict.fromkeys(told)))


def register_suspect(office: Office, official: Official, number: int, form) -> Done:
    """登记 <n> (and the grid of one of no grid yet, the need chosen), as said in chat."""
    grid = str(form.get("grid", "")).strip()[:40]
    intent = str(form.get("intent", ""))
    named = INTENT_NAMES_ZH[intent] if intent in TICKET_INTENTS else ""
    return say(office, official, "register", number, f"{grid} {named}".strip())


def dismiss_suspect(office: Office, official: Official, number: int) -> Done:
    """疑似 n is no need: handlers.corrections.dismiss (no chat word says it yet)."""
    outgoing = office.act(
        official, f"不是诉求 疑似 {number}",
        lambda ctx, msg: corrections.dismiss(ctx, msg, official.identity, number),
    )
    return summarise(outgoing, official)


def remember(response: web.StreamResponse, ticket_id: int, done: Done) -> None:
    """Carry the notice over the redirect to the ticket page (a short-lived cookie)."""
    remember_at(response, f"/tickets/{ticket_id}", done)


def remember_at(response: web.StreamResponse, path: str, done: Done) -> None:
    data = json.dumps({"reply": done.reply, "told": done.told}, ensure_ascii=False)
    response.set_cookie(
        NOTICE_COOKIE, base64.urlsafe_b64encode(data.encode()).decode(), max_age=120,
        path=path, httponly=True, samesite="Lax",
    )


def recall(request: web.Request) -> Done | None:
    raw = request.cookies.get(NOTICE_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()).decode())
        return Done(reply=str(data["reply"]), told=str(data["told"]))
    except (ValueError, KeyError, TypeError):
        return None


def forget(response: web.StreamResponse, ticket_id: int | None = None, path: str | None = None) -> None:
    response.del_cookie(NOTICE_COOKIE, path=path or f"/tickets/{ticket_id}")
