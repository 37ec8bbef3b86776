"""A private report from someone the bot has never seen in a grid's group: where does it go?

The report is kept at once, as a 疑似诉求 of no grid: whatever happens next, it is not
lost. The sender is asked where they live; an answer that names a grid places the report
there (handlers.report.place_report handles it as if said in that grid). An answer that
places it nowhere (「5号楼」 alone, a compound the config does not know) is asked once
more, naming the communities the bot serves; a second one leaves the report with the
admins (their 疑似, and a private word to them), and the resident hears that someone will
contact them. Words that are a report of their own are kept too, and placed together.
Nobody answering within two hours leaves the report with the admins too (the timers).

Only a need starts the question (handlers.report.handle_report): a question the FAQ
answers is answered, thanks and chatter are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from handlers import notify, questions
from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import URGENT, IncomingMessage, Outgoing
from handlers.texts import EMERGENCY_WHAT, REPORT
from handlers.texts import QUESTIONS as TEXTS
from intents.model import Classification
from storage.records import Question, Suspect

MISSES_BEFORE_ADMINS = 2  # answers that place the report nowhere: the question, once more
UNANSWERED_SECONDS = questions.VALID_SECONDS  # no answer by then: the admins take it over
COMMUNITIES_NAMED = 8
CLASSIFY_CHARS = 2000


@dataclass(frozen=True)
class Kept:
    """A report that waited for its grid: its message and text."""

    message_id: str
    text: str


@dataclass(frozen=True)
class Answered:
    outgoing: list[Outgoing]
    grid: Grid | None = None  # placed: the kept reports are to be handled in this grid
    reports: tuple[Kept, ...] = ()


def keep_and_ask(ctx: Context, msg: IncomingMessage, text: str, c: Classification) -> list[Outgoing]:
    """The first private report of someone the bot cannot place: kept, and the question.
    Danger now: the emergency number first, and the admins hear of it at once."""
    kept = [_keep(ctx, msg, text, c)]
    grids = list(ctx.directory.grids)
    numbered = len(grids) <= questions.MAX_OPTIONS + 1
    _ask(ctx, msg, grids, kept, misses=0, numbered=numbered)
    if not numbered:
        question = TEXTS["where_free"]
    else:
        question = TEXTS["where"].format(options=TEXTS["where_or"].join(
            TEXTS["where_option"].format(n=i, name=g.name) for i, g in enumerate(grids, 1)
        ))
    out = _emergency(msg, c) + [notify.reply(msg, question)]
    if c.urgent:
        line = TEXTS["where_kept_line"].format(id=kept[0], who=msg.sender_name, text=_short(text))
        text = TEXTS["where_urgent_admins"].format(line=line)
        out += notify.privately(ctx, list(ctx.directory.admins), text, priority=URGENT)
    return out


def answer(ctx: Context, msg: IncomingMessage, question: Question) -> Answered:
    """The sender's answer to 「您住哪个小区？」: placed, narrowed, asked once more, or
    (the second answer that places nothing) handed to the admins."""
    payload = question.payload
    kept = list(payload.get("suspects", []))
    out: list[Outgoing] = []
    c = ctx.classifier.classify(msg.text[:CLASSIFY_CHARS])
    if c.intent not in ("none", "praise") and (
        c.urgent or c.confidence >= ctx.settings.classifier.min_confidence
    ):  # 「还有，楼道灯也坏了」: a report of its own, kept with the first
        kept.append(_keep(ctx, msg, msg.text[:CLASSIFY_CHARS], c))
        out += _emergency(msg, c)
    asked = [g for g in (ctx.directory.grid(i) for i in payload.get("grids", [])) if g]
    grids = questions.where_answer(ctx, question, msg.text)
    if len(grids) == 1:
        ctx.store.seen.clear_question(msg.sender_id)
        return Answered(out, grid=grids[0], reports=_take(ctx, payload, kept))
    misses = int(payload.get("misses", 0))
    if 1 < len(grids) < len(asked):  # 「青年路社区」: one of its grids
        return Answered(out + _ask_which(ctx, msg, grids, kept, misses, again=False))
    misses += 1
    if misses >= MISSES_BEFORE_ADMINS:
        ctx.store.seen.clear_question(msg.sender_id)
        return Answered(out + _hand_over(ctx, msg, kept))
    if len({g.community_id for g in asked}) == 1:  # the community is known: its grids again
        return Answered(out + _ask_which(ctx, msg, asked, kept, misses, again=True))
    return Answered(out + _ask_again(ctx, msg, kept, misses))


def placed(ctx: Context, msg: IncomingMessage, question: Question) -> tuple[Kept, ...]:
    """The question answered without a word: the sender spoke in a grid's residents' group
    (handlers.natural.placed_by_group); their kept reports, to be placed in that grid."""
    ctx.store.seen.clear_question(msg.sender_id)
    return _take(ctx, question.payload, list(question.payload.get("suspects", [])))


# --- asking ---------------------------------------------------------------------------------


def _ask(
    ctx: Context, msg: IncomingMessage, grids: list[Grid], kept: list[int], *, misses: int,
    numbered: bool,
) -> None:
    payload = {"suspects": kept, "grids": [g.id for g in grids], "misses": misses, "numbered": numbered}
    ctx.store.seen.ask(msg.sender_id, "where", "report", payload, None, ctx.ts)


def _ask_which(
    ctx: Context, msg: IncomingMessage, grids: list[Grid], kept: list[int], misses: int, *,
    again: bool,
) -> list[Outgoing]:
    """Which of these grids: each with its groups' names, which residents know."""
    _ask(ctx, msg, grids, kept, misses=misses, numbered=True)
    options = TEXTS["where_or"].join(_option(i, g) for i, g in enumerate(grids, 1))
    key = "where_which_again" if again else "where_which"
    return [notify.reply(msg, TEXTS[key].format(options=options))]


def _option(n: int, grid: Grid) -> str:
    rooms = [r for r in grid.rooms if "@" not in r]  # a room configured by id says nothing
    if not rooms:
        return TEXTS["where_option"].format(n=n, name=grid.name)
    return TEXTS["where_option_rooms"].format(n=n, name=grid.name, rooms="、".join(rooms))


def _ask_again(ctx: Context, msg: IncomingMessage, kept: list[int], misses: int) -> list[Outgoing]:
    """Once more, naming the communities the bot serves; any answer by name is read."""
    _ask(ctx, msg, list(ctx.directory.grids), kept, misses=misses, numbered=False)
    names = [c.name for c in ctx.directory.communities]
    if len(names) > COMMUNITIES_NAMED:
        communities = "、".join(names[:COMMUNITIES_NAMED]) + TEXTS["where_communities_more"]
    else:  # 青年路社区、滨河社区和江南社区
        communities = TEXTS["where_and"].join(filter(None, ["、".join(names[:-1]), names[-1]]))
    return [notify.reply(msg, TEXTS["where_again"].format(communities=communities))]


def _hand_over(ctx: Context, msg: IncomingMessage, kept: list[int]) -> list[Outgoing]:
    """Not placed: the reports stay 疑似 of no grid, which the admins see; they are told
    now, and the resident hears that someone will contact them."""
    suspects = [s for s in (ctx.store.notes.suspect(i) for i in kept) if s is not None]
    out = [notify.reply(msg, TEXTS["where_kept"])]
    if not suspects:
        return out
    text = _for_admins(ctx, suspects, "where_kept_admins")
    return out + notify.privately(ctx, list(ctx.directory.admins), text)


def _for_admins(ctx: Context, suspects: list[Suspect], key: str) -> str:
    """The admins' word on reports of no grid: each one, and how to register it."""
    lines = "\n".join(
        TEXTS["where_kept_line"].format(id=s.id, who=s.sender_name, text=_short(s.text))
        for s in suspects
    )
    grid = ctx.directory.grids[0].name if ctx.directory.grids else ""
    return TEXTS[key].format(lines=lines, id=suspects[0].id, grid=grid)


def unanswered(ctx: Context, limit: int = 50) -> list[Outgoing]:
    """The timers' part: "where do you live" left unanswered for `UNANSWERED_SECONDS` (the
    question lapses then) leaves its reports, still 疑似 of no grid, with the admins, who
    hear of them once."""
    out: list[Outgoing] = []
    for question in ctx.store.seen.asked_before("where", ctx.ts - UNANSWERED_SECONDS, limit):
        ctx.store.seen.clear_question(question.person_key)
        waiting = [
            s for s in (ctx.store.notes.suspect(i) for i in question.payload.get("suspects", []))
            if s is not None and s.grid_id is None and s.ticket_id is None
        ]
        if waiting:
            text = _for_admins(ctx, waiting, "where_unanswered_admins")
            out += notify.privately(ctx, list(ctx.directory.admins), text)
    return out


# --- the kept reports -----------------------------------------------------------------------


def _keep(ctx: Context, msg: IncomingMessage, text: str, c: Classification) -> int:
    return ctx.store.notes.add_suspect(
        grid_id=None, room_id=None, room_topic=None, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=text, intent=c.intent, confidence=c.confidence,
        message_id=msg.message_id, at=ctx.ts,
    )


def _take(ctx: Context, payload: dict, kept: list[int]) -> tuple[Kept, ...]:
    """The reports to place, no longer 疑似 of no grid (one an admin registered meanwhile
    is left alone). A question asked before reports were kept carries its one report."""
    if "text" in payload and "suspects" not in payload:
        return (Kept(payload["message_id"], payload["text"]),)
    reports = []
    for suspect_id in kept:
        suspect = ctx.store.notes.suspect(suspect_id)
        if suspect is None or suspect.grid_id is not None or suspect.ticket_id is not None:
            continue
        ctx.store.notes.forget_suspect(suspect.id)
        reports.append(Kept(suspect.message_id or f"suspect:{suspect.id}", suspect.text))
    return tuple(reports)


def _short(text: str) -> str:
    return " ".join(text.split())[:60]


def _emergency(msg: IncomingMessage, c: Classification) -> list[Outgoing]:
    """Danger now: the emergency number first, whatever the bot still has to ask."""
    if not (c.urgent and c.emergency):
        return []
    what = EMERGENCY_WHAT.get(c.emergency, EMERGENCY_WHAT["other"])
    advice = notify.reply(msg, REPORT["urgent_emergency"].format(number=c.emergency, what=what))
    return [replace(advice, priority=URGENT)]
