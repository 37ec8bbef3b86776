"""How serious a report is shapes what the bot says and whom it tells. Three levels:

1. danger now (urgent: gas, fire, someone trapped or fallen, flooding): what to do first and
   everyone at once (handlers/report.alarm, the urgent chain of handlers/sla.py);
2. a hazard (the classifier's `hazard`, from the rules' [[hazard]]: a fire lane blocked,
   flying-wire or indoor e-bike charging, water on wiring, something about to fall): the
   worker (whoever has the grid today) is told at once with why it matters; the resident
   hears 「收到」, the matter, why, and that someone looks today — never 「上班后处理」. Its
   clocks run every waking hour (a day off too), nobody is woken for it; it goes up to
   the community only after sla.COMMUNITY_AFTER and only while nobody took it; the street's
   admins see it only as any untaken non-urgent ticket, on their daily list, never as an
   emergency (handlers/sla.py). A resident asking after it (in the group or
   privately) gets a short human answer with what to do meanwhile, and its holder is
   reminded;
3. the rest: acknowledged, and waits its turn.
"""

from __future__ import annotations

from handlers import brief, holding, notify, sla
from handlers.context import Context
from handlers.deadlines import waking
from handlers.directory import Grid
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.office_hours import day_words
from handlers.texts import DATES, HAZARD_ADVICE, HAZARD_ASKED_ADVICE, HAZARD_WHY
from handlers.texts import HAZARD as TEXTS
from intents.model import Classification
from storage import Ticket, TicketState

ASKED_GAP = 30 * 60  # one answer per person and hazard this often (「你们收到没有啊」 twice)
# Water and wiring together (concepts and words of intents/rules/10_concepts.toml): a leak
# onto wires, told after the leak was reported.
WET = frozenset({"泡水", "漏水", "滴水", "渗水", "往下滴", "一滴一滴", "湿透"})
WIRED = frozenset({"电气"})
WET_WIRING = "wet_wiring"
EVENING = 2 * 3600  # this close to the quiet hours, someone looks in the morning
ASKED = "hazard_asked"  # the event kept when a resident asking after a hazard was answered


def hazard_of(c: Classification) -> str | None:
    """The hazard a report speaks of, when it is not a danger now (that is urgent)."""
    return None if c.urgent else c.hazard


def is_hazard(ticket: Ticket) -> bool:
    return bool(ticket.hazard) and not ticket.urgent


def why(ticket: Ticket) -> str:
    return HAZARD_WHY.get(ticket.hazard or "", HAZARD_WHY["other"])


def advice(ticket: Ticket, *, asked: bool = False) -> str:
    """What to do meanwhile; to one who asks again, when to stop waiting and call."""
    if asked and ticket.hazard in HAZARD_ASKED_ADVICE:
        return HAZARD_ASKED_ADVICE[ticket.hazard]
    return HAZARD_ADVICE.get(ticket.hazard or "", "")


def when(ctx: Context) -> str:
    """When someone looks: today; or, reported in the evening (`EVENING` before the quiet
    hours) or in them, first thing in the morning."""
    quiet = ctx.settings.quiet_hours.start
    now = ctx.local(ctx.ts)
    night = int(now.replace(hour=quiet.hour, minute=quiet.minute, second=0, microsecond=0).timestamp())
    clock = waking(ctx)
    if not clock.contains(ctx.ts):
        at = clock.next_moment(ctx.ts)
    elif night - EVENING <= ctx.ts < night and not clock.contains(night):
        at = clock.next_moment(night)
    else:
        return TEXTS["today"]
    return TEXTS["morning"].format(day=day_words(at, ctx.ts, ctx.tz))


def opened(
    ctx: Context, msg: IncomingMessage, grid: Grid, ticket: Ticket, *, reporter: Person,
    worker: str, what: str, summary: str, photo: str, also: tuple[str, ...],
) -> list[Outgoing]:
    """A new hazard: the resident's 「收到」 with why it matters and a same-day promise; the
    one who has the grid today (on duty on a day off) told now, with why — in quiet hours
    it waits for the morning like any ping (nobody is woken for it)."""
    holds = holding.of(ctx, grid.id)
    on_duty = holds.on_duty_now
    whom = on_duty or worker
    said = when(ctx)
    # a day off and nobody on duty: told all the same, but no promise in their name
    off = holds.why is holding.Why.DAY_OFF
    named = [n for n in also if n != whom]
    told = [p for p in grid.property if p not in (whom, *named)]  # the property company, if configured
    key = "ack" if msg.room_id else "ack_private"
    if not notify.waking_now(ctx):  # the ping waits for the morning: 「已告诉」 would not be true yet
        key += "_later"
    ack = TEXTS[key].format(
        id=ticket.id, what=what, why=why(ticket), advice=advice(ticket),
        worker=(holding.named(ctx, grid.id, holds) if holds.rostered_off else holding.titled(ctx, grid.id, whom))  # 网格员马建民（今天值班，孙丽休息）
        + (TEXTS["and_property"] if told and notify.waking_now(ctx) else ""),
        when=TEXTS["soon"] if off and said == TEXTS["today"] else said,
        at=told_at(ctx, waking(ctx).next_moment(ctx.ts)),
    ).strip()
    if notify.waking_now(ctx):
        ping = TEXTS["ping"].format(
            id=ticket.id, summary=summary, photo=photo, why=why(ticket), when=said,
            answers=notify.answers([ticket]),
        )
        pings = notify.privately(ctx, [whom, *named], ping)
        pings += notify.privately(ctx, told, TEXTS["property_ping"].format(
            id=ticket.id, summary=summary, photo=photo, why=why(ticket), when=said,
        ))
        for name in (whom, *named):
            ctx.store.seen.set_prompt(name, "ping", ticket.id, ctx.ts)
        sla.told(ctx, ticket, [whom, *named], "pinged")
        sla.pinged(ctx, whom)
    else:
        sla.hold_ping(ctx, ticket)  # the morning's list: nobody is woken for a hazard
        pings = []
    if msg.room_id is None:
        return [Outgoing(text=ack, to=reporter), *pings]
    return [
        Outgoing(text=ack, room_id=msg.room_id, room_topic=msg.room_topic, mentions=(reporter,)),
        *pings,
    ]


def told_at(ctx: Context, at: int) -> str:
    """When someone will be told, as a resident says it: 「7:30」, 「明天 7:30」."""
    local = ctx.local(at)
    day = day_words(at, ctx.ts, ctx.tz)
    clock = f"{local.hour}:{local.minute:02d}"
    return clock if day == DATES["near"][0] else f"{day} {clock}"


def asked(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, text: str, *, remind: bool = True,
    told: tuple[str, ...] = (),
) -> list[Outgoing]:
    """A resident asks after a hazard (or tells it goes on: 「天黑了 又在充了」): a short answer
    in plain words with what to do meanwhile (privately, when to call 119; the group hears
    no emergency number for what is not urgent), and its holder reminded (at once in waking
    hours, else in the morning); once per person every `ASKED_GAP`. `told`: whom the caller
    passes the word to itself (remind=False). The answer says 「又跟…说了」 only of whom a word
    went to just now; when nobody was, who has it and since when."""
    events = ctx.store.tickets.events(ticket.id)
    if any(e.kind == ASKED and e.actor_id == msg.sender_id and ctx.ts - e.at < ASKED_GAP for e in events):
        return []
    ctx.store.tickets.add_event(ticket, ASKED, at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name)
    holder = notify.hears_now(ctx, ticket) or ticket.assignee_name or ""
    hidden = any(e.kind == "anonymous" for e in events)
    if ticket.status != TicketState.OPEN:
        key = "asked_taken"
    else:  # told now (waking hours, or a fire risk everyone hears of at once), or in the morning
        key = "asked" if notify.waking_now(ctx) or not remind else "asked_night"
        if key == "asked_night" and not _was_told(events):
            key = "asked_night_held"  # reported in the night: its ping waits for the morning too
        if key == "asked" and any(e.kind == ASKED and e.actor_id == msg.sender_id for e in events):
            key = "asked_again"  # the same words twice read as a machine's
    reminded = [holder] if holder and remind else [n for n in dict.fromkeys(told) if n]
    if key in ("asked", "asked_again") and not reminded:
        key = "asked_waiting"
    at, first = _first_told(ctx, ticket, events, notify.holder(ctx, ticket))
    answer = TEXTS[key].format(
        id=ticket.id, holder=notify.holder(ctx, ticket), told=TEXTS["told_and"].join(reminded),
        at=at, first=first, advice=advice(ticket, asked=msg.room_id is None),
    ).strip()
    out = [notify.reply(msg, answer)]
    if holder and remind:
        ping = TEXTS["asked_ping"].format(
            id=ticket.id, text=text, why=why(ticket),
            who=TEXTS["hidden"] if hidden else msg.sender_name,
        )
        out += notify.privately(ctx, [holder], ping, about=ticket)
    return out


def _was_told(events) -> bool:
    """Some official was told of it already (a ping, an alarm, a list), not only promised."""
    return any(e.kind in sla.TELLING_KINDS and "-> " in (e.note or "") for e in events)


def _first_told(ctx: Context, ticket: Ticket, events, holder: str) -> tuple[str, str]:
    """When its officials were first told of it (its ping, an alarm, a list), and who: 「15:16」,
    「马建民」 (never 「社区」 before the community was told)."""
    first = min((e for e in events if e.kind in sla.TELLING_KINDS and "-> " in (e.note or "")),
                key=lambda e: e.at, default=None)
    if first is None:
        return ctx.local(ticket.created_at).strftime("%H:%M"), holder
    names = first.note.partition("-> ")[2].partition(":")[0].replace("、", TEXTS["told_and"])
    return ctx.local(first.at).strftime("%H:%M"), names


def raised(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, text: str, evidence: tuple[str, ...]
) -> list[Outgoing] | None:
    """A word on an ordinary open ticket that makes it a hazard with what was reported: water
    (a leak, 泡水) and wiring, said now or feared (「吊顶都湿透了 俺怕泡坏了电线」 of a leak from
    above). The ticket is a hazard from now on: its holder hears why at once (in waking
    hours), the one who said it hears what to do meanwhile. None: nothing of the kind."""
    if ticket.hazard or ticket.urgent or not ticket.status.is_open:
        return None
    said = _said(evidence)  # the word as it was read (`evidence`): the report read again only then
    if not said & WIRED or not (_said(ctx.classifier.classify(ticket.text).evidence) | said) & WET:
        return None
    ticket = ctx.store.tickets.update(ticket.id, at=ctx.ts, hazard=WET_WIRING)
    ctx.store.tickets.add_event(ticket, "hazard_raised", at=ctx.ts, actor_id=msg.sender_id,
                                actor_name=msg.sender_name, note=WET_WIRING)
    holder = notify.hears_now(ctx, ticket) or ticket.assignee_name or ""
    said_when = when(ctx)
    held = notify.morning(ctx, ticket, holder or None)  # its ping waits for the morning: not 「已告诉」 yet
    # no second 「收到」 to one acknowledged minutes ago: why it matters, what to do, who looks when
    answer = TEXTS["raised_later" if held else "raised"].format(
        id=ticket.id, why=why(ticket), holder=notify.holder(ctx, ticket), when=said_when,
        advice=advice(ticket), at=told_at(ctx, held) if held else "",
    ).strip()
    out = [notify.reply(msg, answer)]
    if holder:
        ping = TEXTS["raised_ping"].format(
            id=ticket.id, text=brief.gist(text, limit=40), who=msg.sender_name, why=why(ticket),
            when=said_when,
        )
        out += notify.privately(ctx, [holder], ping, about=ticket)
    return out


def _said(evidence: tuple[str, ...]) -> set[str]:
    """The concepts of a classification, whatever their mood (电气@假设 -> 电气), and its words."""
    out: set[str] = set()
    for item in evidence:
        name, _, word = item.partition(":")
        out |= {name.partition("@")[0], word}
    return out
