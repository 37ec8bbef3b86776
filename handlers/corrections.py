"""Workers teach the classifier: 改 12 安全隐患, 不是诉求 12, 紧急 12 / 不急 12, 登记 of a
疑似 (a need it missed), and a 疑似 dismissed on the dashboard (no need after all).

Each correction fixes the ticket, is stored as a labelled example (the masked text with
the right intent and urgency), and is remembered by the classifier for the same text at
once; `python -m bot corrections` exports them for the next `make model`. The weekly
summary to staff counts them. A false ticket (不是诉求) is closed quietly: the residents'
group is not told.
"""

from __future__ import annotations

from handlers import lifecycle, notify, standdown
from handlers.context import Context, Request
from handlers.directory import Identity
from handlers.messages import IncomingMessage, Outgoing
from handlers.texts import CORRECTIONS as TEXTS
from handlers.texts import WORKER as WORKER_TEXTS
from intents import mask
from intents.model import INTENT_NAMES_ZH, INTENTS
from storage import Suspect, Ticket, TicketState
from storage.corrections import Correction

# What a worker may write after 改 12: the intent's name, or a shorter word for it.
INTENT_WORDS: dict[str, str] = {
    **{name: code for code, name in INTENT_NAMES_ZH.items()},
    **{code: code for code in INTENTS},
    "报修": "repair", "设施": "repair", "维修": "repair",
    "代办": "errand", "求助": "errand", "微服务": "errand",
    "纠纷": "dispute", "矛盾": "dispute",
    "隐患": "safety", "安全": "safety",
    "卫生": "sanitation", "环境": "sanitation",
    "心愿": "wish", "愿望": "wish",
    "咨询": "inquiry", "政策": "inquiry", "问题咨询": "inquiry",
    "表扬": "praise", "感谢": "praise",
    "不是诉求": "none", "闲聊": "none",
}
KINDS_ZH = {"intent": "改类别", "not_a_need": "不是诉求", "urgent": "改为紧急",
            "not_urgent": "改为不急", "registered": "疑似登记", "dismissed": "疑似不是诉求"}


def intent_named(words: str) -> str | None:
    """The intent a worker names: 安全隐患, 隐患, safety…; None when it names none."""
    text = words.strip().strip("「」\"'“”：:，,。 ")
    if text in INTENT_WORDS:
        return INTENT_WORDS[text]
    for word in sorted(INTENT_WORDS, key=len, reverse=True):
        if text.startswith(word):
            return INTENT_WORDS[word]
    return None


def _ticket(ctx: Context, msg: IncomingMessage, req: Request) -> Ticket | list[Outgoing]:
    # handlers.worker registers 疑似 through this module: imported when first used.
    from handlers.worker import ticket_to_act_on

    return ticket_to_act_on(ctx, msg, req)


def on_correct_intent(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """改 12 安全隐患: the ticket's need was read wrong."""
    intent = intent_named(req.command.rest)
    if intent is None:
        return [notify.to_official(ctx, msg, TEXTS["which_intent"])]
    ticket = _ticket(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    if intent == "none":
        return not_a_need(ctx, msg, req, ticket)
    if intent == ticket.intent:
        return [notify.to_official(ctx, msg, TEXTS["same_intent"].format(
            id=ticket.id, intent=INTENT_NAMES_ZH[intent]))]
    lifecycle.correct(ctx, ticket, intent=intent)
    ctx.store.tickets.add_event(
        ticket, "corrected", at=ctx.ts, actor_id=msg.sender_id, actor_name=req.identity.name,
        note=f"{ticket.intent} -> {intent}",
    )
    record(ctx, msg, req.identity, kind="intent", ticket=ticket, intent=intent, urgent=None)
    return [notify.to_official(ctx, msg, TEXTS["intent_changed"].format(
        id=ticket.id, was=INTENT_NAMES_ZH[ticket.intent], intent=INTENT_NAMES_ZH[intent]))]


def on_not_a_need(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """不是诉求 12: a false ticket, closed quietly and counted apart."""
    ticket = _ticket(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    return not_a_need(ctx, msg, req, ticket)


def not_a_need(ctx: Context, msg: IncomingMessage, req: Request, ticket: Ticket) -> list[Outgoing]:
    record(ctx, msg, req.identity, kind="not_a_need", ticket=ticket, intent="none", urgent=False)
    if ticket.status.may_become(TicketState.CANCELLED):
        # Not lifecycle.cancel: nobody is told, and the event says why it ended.
        ctx.store.tickets.add_event(
            ticket, "not_a_need", at=ctx.ts, actor_id=msg.sender_id,
            actor_name=req.identity.name, note=req.command.rest or None,
        )
        lifecycle.correct(ctx, ticket, status=TicketState.CANCELLED, closed_at=ctx.ts)
        # an alarm: whoever else it reached (the group, the staff it went up to) hears it was nothing
        stood = standdown.by_official(ctx, ticket, req.identity.name) if ticket.urgent else []
        return [notify.to_official(ctx, msg, TEXTS["not_a_need"].format(id=ticket.id)), *stood]
    return [notify.to_official(ctx, msg, TEXTS["not_a_need_kept"].format(
        id=ticket.id, status=ticket.status.label))]


def on_urgent(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """紧急 12: it was an emergency."""
    return _urgency(ctx, msg, req, urgent=True)


def on_not_urgent(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """不急 12: it was no emergency."""
    return _urgency(ctx, msg, req, urgent=False)


def _urgency(ctx: Context, msg: IncomingMessage, req: Request, *, urgent: bool) -> list[Outgoing]:
    ticket = _ticket(ctx, msg, req)
    if isinstance(ticket, list):
        return ticket
    if ticket.urgent != urgent:
        lifecycle.correct(ctx, ticket, urgent=urgent)
        ctx.store.tickets.add_event(
            ticket, "corrected", at=ctx.ts, actor_id=msg.sender_id,
            actor_name=req.identity.name, note="urgent" if urgent else "not urgent",
        )
    record(ctx, msg, req.identity, kind="urgent" if urgent else "not_urgent", ticket=ticket,
           intent=ticket.intent, urgent=urgent)
    key = "now_urgent" if urgent else "now_not_urgent"
    return [notify.to_official(ctx, msg, TEXTS[key].format(id=ticket.id))]


def registered(ctx: Context, msg: IncomingMessage, identity: Identity, suspect: Suspect,
               ticket: Ticket) -> None:
    """登记 of a 疑似: the classifier missed a need; the ticket's intent is the label."""
    record(ctx, msg, identity, kind="registered", ticket=ticket, intent=ticket.intent,
           urgent=ticket.urgent, suspect=suspect)


def on_dismiss_suspect(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """忽略 5: the 疑似 list's own way to say "not a need" (the dashboard has a button)."""
    return dismiss(ctx, msg, req.identity, req.command.number)


def dismiss(ctx: Context, msg: IncomingMessage, identity: Identity, number: int) -> list[Outgoing]:
    """疑似 n is no need: listed no more, and kept as a labelled example of chatter."""
    suspect = ctx.store.notes.suspect(number)
    if suspect is None:
        return [notify.to_official(ctx, msg, WORKER_TEXTS["suspect_missing"].format(id=number))]
    allowed = (identity.is_admin if suspect.grid_id is None
               else ctx.directory.may_act_on(identity, suspect.grid_id))
    if not allowed:
        return [notify.to_official(ctx, msg, WORKER_TEXTS["suspect_missing"].format(id=number))]
    if not ctx.store.notes.dismiss_suspect(suspect.id, at=ctx.ts, by=identity.name):
        return [notify.to_official(ctx, msg, TEXTS["suspect_gone"].format(id=number))]
    text = mask(suspect.text)
    grid = ctx.directory.grid(suspect.grid_id) if suspect.grid_id else None
    ctx.store.corrections.add(
        kind="dismissed", text=text, intent="none", urgent=False, place=None,
        was_intent=suspect.intent, was_urgent=None, ticket_id=None, suspect_id=suspect.id,
        grid_id=suspect.grid_id, community_id=grid.community_id if grid else None,
        by_id=msg.sender_id, by_name=identity.name, at=ctx.ts,
    )
    teach(ctx.classifier, text, "none", False)
    return [notify.to_official(ctx, msg, TEXTS["suspect_dismissed"].format(id=suspect.id))]


def record(ctx: Context, msg: IncomingMessage, identity: Identity, *, kind: str, ticket: Ticket,
           intent: str, urgent: bool | None, suspect: Suspect | None = None) -> None:
    """Store the labelled example and teach the classifier the same text at once."""
    text = ticket.masked_text
    place = ticket.location if ticket.location and ticket.location in text else None
    ctx.store.corrections.add(
        kind=kind, text=text, intent=intent, urgent=urgent, place=place,
        was_intent=ticket.intent, was_urgent=ticket.urgent, ticket_id=ticket.id,
        suspect_id=suspect.id if suspect else None, grid_id=ticket.grid_id,
        community_id=ticket.community_id, by_id=msg.sender_id, by_name=identity.name,
        at=ctx.ts,
    )
    teach(ctx.classifier, text, intent, urgent)


def teach(classifier: object, text: str, intent: str, urgent: bool | None) -> None:
    remember = getattr(classifier, "remember", None)
    if callable(remember):
        remember(text, intent, urgent)


def teach_all(store_corrections: list[Correction], classifier: object) -> int:
    """At start: the classifier remembers every stored correction (the latest per text)."""
    for c in store_corrections:
        teach(classifier, c.text, c.intent, c.urgent)
    return len(store_corrections)


def as_examples(corrections: list[Correction]) -> list[dict]:
    """Corpus rows (INTENTS.md format) for `make model`: the latest word on each text."""
    rows = []
    for c in corrections:
        urgent = bool(c.urgent) if c.urgent is not None else (
            bool(c.was_urgent) and c.intent != "none")
        rows.append({"text": c.text, "intent": c.intent, "urgent": urgent, "location": c.place})
    return rows
