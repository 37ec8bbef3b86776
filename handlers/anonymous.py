"""A private reporter's words on their own open ticket: 「麻烦不要说是我反映的」, 「明天能来处理吗」,
a photo, a detail (「刚下了雨 线泡在水头 我好怕起火」, 「现在还在充」).

One who reports privately because 「在群里不好说 都认识 怕得罪人」 asks that the group never
learn who reported: the ticket keeps that (an event on its timeline), the worker is told once
(privately, so nobody names them in the group), and the resident hears it will be so. A
question after it (「明天能来处理吗」) is answered with who has it, as in the group. The bot
itself never names a private reporter in the group: they hear of their ticket privately.

Nothing they add is dropped. A photo goes on the ticket quietly. A detail goes on the ticket,
and they hear once that it did (not once per message). A detail that makes their report a
fire risk — something under power (a charging lead, a wire, an e-bike) and water, sparks,
smoke or fire, said of it now or feared (「线泡在水头 我好怕起火」) — cannot wait for the
morning: they are told what to do first (keep away, 119 if it sparks or burns) and the
grid's workers (on a day off, whoever is on duty) hear of it at once, without the
reporter's name; each later word on it reaches the same people at once too. The ticket
keeps its urgency as it was read (the workers decide whether someone knocks tonight).
"""

from __future__ import annotations

from handlers import (
    brief,
    chase,
    hearing,
    holding,
    lifecycle,
    matching,
    notify,
    places,
    severity,
    sla,
)
from handlers.chase import asks
from handlers.context import Context
from handlers.deadlines import SYSTEM
from handlers.directory import Grid
from handlers.messages import URGENT, IncomingMessage, Outgoing, Person
from handlers.posts import Form, form_of
from handlers.report import add_photos, last_said, who_has_it
from handlers.texts import HAZARD as TEXTS_HAZARD
from handlers.texts import REPORT as TEXTS
from intents import subjects_of
from intents.model import INTENT_NAMES_ZH, Classification
from intents.phrases import phrase
from storage import OPEN_STATES, Ticket

# 「不要说是我反映的」「别讲是我」「匿名」「帮我保密」「不要透露我的名字」
ANONYMOUS = phrase("anonymous.anonymous")
WET_WEATHER = phrase("anonymous.wet_weather")  # rain or snow on a lead lying out of doors
RECENT_SECONDS = 24 * 3600  # their own report of this long ago is what they speak of
STILL_TELLING = 10 * 60  # a need said this soon after their last word is more of their report
# A fire risk: something under power (concepts of intents/rules/10_concepts.toml) ...
POWERED = {"充电", "电气", "电动车"}
# ... with water on it, sparks, smoke or fire — now or feared (「我好怕起火」 is the point).
FIRE_RISK = {"泡水", "火花", "火情", "烟", "焦味"}
WET = "泡水"  # rain or snow said of it (WET_WEATHER) is water on it
# Words that add nothing to a ticket: 好的, 谢谢, 辛苦了, a sticker.
PLEASANTRIES = {"回应", "感谢", "夸奖", "寒暄", "表情", "求助"}
HAZARD = sla.FIRE_RISK  # the event kept when the workers were told a private report is a fire risk
RELAYED = "relayed"  # the event kept when a private reporter's word reached the ticket's holder
FOLD = 2 * 3600  # a private reporter's words reach the holder at most this often (the rest: on the ticket)
RELAY_CHARS = 24  # a word of theirs, as the holder reads it: one line, not the whole text


def own_word(ctx: Context, msg: IncomingMessage, grid: Grid) -> list[Outgoing] | None:
    """A private message that opens nothing, on the sender's own open ticket of the last day:
    a wish to stay anonymous, or a question after it; None when it is neither."""
    if msg.room_id is not None or not (msg.text or msg.media):
        return None
    mine = [
        t for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
        if t.grid_id == grid.id and ctx.ts - t.created_at <= RECENT_SECONDS
    ]
    if not mine:
        return None
    ticket = max(mine, key=lambda t: t.created_at)
    if form_of(msg) is Form.PHOTO:  # on the ticket, quietly: the worker sees how many there are
        _keep(ctx, msg, ticket, "photo")
        add_photos(ctx, msg, ticket)
        return []
    c = ctx.classifier.classify(msg.text)
    hazard = severity.is_hazard(ticket)
    concepts = _concepts(c.evidence) | ({WET} if WET_WEATHER.search(msg.text) else set())
    going_on = hazard and c.intent == ticket.intent and not c.urgent  # 「天黑了 又在充了」 of a flying wire
    if c.opens_ticket and not going_on and (c.intent == ticket.intent or not _still_telling(ctx, msg, ticket, c)):
        return None  # (the same need again: joined on the private path, handlers/report.py)
    anonymous = bool(ANONYMOUS.search(msg.text))
    if not anonymous and gone(c) and not asks(msg.text):
        return _gone(ctx, msg, ticket, c.masked_text)  # news of the ticket, not a chase
    if hazard and not anonymous and (concepts - PLEASANTRIES or asks(msg.text)):
        # asked after, or told it goes on: a short answer each time, its holder reminded
        # (told of a fire risk already: every word reaches them at once, as below)
        if any(e.kind == HAZARD for e in ctx.store.tickets.events(ticket.id)):
            out = _detail(ctx, msg, ticket, concepts, c.masked_text) or []
            if any(e.kind == HAZARD and e.at == ctx.ts for e in ctx.store.tickets.events(ticket.id)):
                return out  # worse again at night: told at once, and she hears what to do
            told = [m for m in out if m.to is not None and m.to.id != msg.sender_id]
            names = tuple(m.to.name for m in told if not m.not_before)  # a word that went just now
            return severity.asked(ctx, msg, ticket, "", remind=False, told=names) + told
        if not fire_risk(ctx, ticket, concepts):
            _keep(ctx, msg, ticket, "detail")
            return severity.asked(ctx, msg, ticket, brief.gist(c.masked_text, limit=40))
    if not anonymous and not asks(msg.text):
        return _detail(ctx, msg, ticket, concepts, c.masked_text)
    if not anonymous:
        said = TEXTS["same_again"].format(id=ticket.id, who=who_has_it(ctx, ticket), said=last_said(ctx, ticket))
        return [notify.reply(msg, said)]
    if any(e.kind == "anonymous" for e in ctx.store.tickets.events(ticket.id)):
        return [notify.reply(msg, TEXTS["anonymous"])]
    ctx.store.tickets.add_event(
        ticket, "anonymous", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name
    )
    word = TEXTS["anonymous_worker"].format(id=ticket.id)
    holder = notify.hears_now(ctx, ticket)
    told = notify.privately(ctx, [holder], word, about=ticket) if holder else []
    return [notify.reply(msg, TEXTS["anonymous"]), *told]


def _still_telling(ctx: Context, msg: IncomingMessage, ticket: Ticket, c: Classification) -> bool:
    """A need said minutes after their report, a question naming nothing (「认证不了是不是钱就不
    给发了 着急」 after 「手机上让认证养老金 刷脸刷不上」) or a need of the same thing: one private
    chat, one matter, more of it — unless it is danger now, names another place or thing, or
    turns to another matter (另外, 也坏了)."""
    last = ctx.store.conversation.last_word(ticket.id, msg.sender_id) or 0
    if c.urgent or ctx.ts - max(last, ticket.created_at) > STILL_TELLING:
        return False
    if hearing.ANOTHER_MATTER.search(msg.text):
        return False
    said = subjects_of(msg.text)
    shared = bool(said & matching.incident_subjects(ctx, ticket))
    if (said and not shared) or (not shared and c.intent != "inquiry"):
        return False  # (「楼道里堆满了杂物」 is another need; a question may name nothing)
    place = places.place_key(c.place, msg.sender_name) if c.place else None
    return places.same_place(place, places.ticket_place(ticket), said) is not False


def _concepts(evidence: tuple[str, ...] | list[str]) -> set[str]:
    """The concepts found, whatever their mood (泡水@假设:泡在水 -> 泡水)."""
    return {item.partition(":")[0].partition("@")[0] for item in evidence}


def fire_risk(ctx: Context, ticket: Ticket, concepts: set[str]) -> bool:
    """This word with the ticket's own words speak of something under power with water,
    sparks, smoke or fire on it — and this word brings one of the two."""
    said = _concepts(ctx.classifier.classify(ticket.text).evidence) | concepts
    brings = concepts & (POWERED | FIRE_RISK)
    return bool(brings and said & POWERED and said & FIRE_RISK)


def _keep(ctx: Context, msg: IncomingMessage, ticket: Ticket, kind: str) -> None:
    ctx.store.conversation.add_report(
        ticket.id, message_id=msg.message_id, room_id=None, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=msg.text or "[图片]", kind=kind, at=ctx.ts,
    )
    ctx.store.conversation.mark_read(msg.message_id, kind, ticket.id)


def _detail(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, concepts: set[str], said: str
) -> list[Outgoing] | None:
    """A word that adds to their report: kept on the ticket, and they hear once that it was.
    A fire risk: what to do first, and the grid's workers told at once; a later word on a
    ticket they were told is a fire risk reaches them at once too. None: a bare 好的 or
    谢谢 (nothing to keep), left to the rest of the private path."""
    if not concepts - PLEASANTRIES:
        return None
    _keep(ctx, msg, ticket, "detail")
    events = ctx.store.tickets.events(ticket.id)
    anonymous = any(e.kind == "anonymous" for e in events)
    told_hazard = max((e for e in events if e.kind == HAZARD), key=lambda e: e.at, default=None)
    worse = told_hazard is None or (ctx.ts - told_hazard.at >= FOLD and not notify.waking_now(ctx))
    if worse and fire_risk(ctx, ticket, concepts):
        # its fire risk told now — or told hours ago and back at night (「晚上又拉出来了 … 今晚还
        # 下雪」): someone awake must hear it now, the grid's worker who holds it, then its
        # backup if he does not answer (sla._hazard_backup)
        names = _who_must_know(ctx, ticket)
        if told_hazard is not None:  # the grid's own worker, near and the one who knows it
            holds = holding.of_ticket(ctx, ticket)
            names = [n for n in (holds.on_duty or holds.worker,) if n] or names
        ctx.store.tickets.add_event(ticket, HAZARD, at=ctx.ts, actor_name=msg.sender_name, note="、".join(names))
        sla.fire_risk_told(ctx, ticket, names)  # unanswered: the backup, then the community
        if told_hazard is not None:
            ctx.store.tickets.schedule(ticket.id, ctx.ts + sla.BACKUP_AFTER)
        ctx.store.tickets.add_event(ticket, RELAYED, at=ctx.ts, actor_name=SYSTEM,
                                    note=f"-> {'、'.join(names)}: {_words(ctx, ticket, msg.sender_id)}")
        ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
        text = TEXTS["hazard_ping"].format(
            id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=brief.gist(said, limit=RELAY_CHARS),
            who=TEXTS["private_reporter_hidden"] if anonymous else msg.sender_name,
        )
        advice = TEXTS["hazard_advice"].format(
            names="、".join(names), secret=TEXTS["hazard_secret"] if anonymous else "",
        )
        return [notify.reply(msg, advice), *notify.privately(ctx, names, text, priority=URGENT)]
    holder = notify.hears_now(ctx, ticket)
    if told_hazard is not None and ticket.escalation_level > 0 and ticket.escalated_to:
        holder = ticket.escalated_to.split("、")[0]  # its holder did not answer: who has it now hears
    out = _relay(ctx, msg, ticket, holder, said, anonymous=anonymous)
    if ctx.store.conversation.last_answered_to(ticket.id, msg.sender_id) is None:
        ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
        out.insert(0, notify.reply(msg, _detail_reply(ticket, said, holder)))
    return out


GONE = "已解决"  # the concept of a thing fixed or gone (intents/rules/20_scope.toml)
STILL = "仍然"
GONE_EVENT = "gone"  # kept on the ticket when a resident said it is gone: its holder told once


def gone(c: Classification) -> bool:
    """Their word says the thing is gone or fixed (「那根线撤了 车也推到车棚去了」), not that it
    is still there (「又」, 「还没」)."""
    moods = {part for item in c.evidence for part in item.partition(":")[0].split("@")[1:]}
    names = {item.partition(":")[0] for item in c.evidence}
    if STILL in moods or STILL in names:
        return False
    return GONE in moods or GONE in names or chase.says_gone(c.masked_text)


def _gone(ctx: Context, msg: IncomingMessage, ticket: Ticket, said: str) -> list[Outgoing]:
    """A resident tells their ticket's thing is gone or fixed: thanked, and whoever has it
    (the workers told of its fire risk, else its holder) told once, asked to confirm."""
    events = ctx.store.tickets.events(ticket.id)
    _keep(ctx, msg, ticket, GONE_EVENT)
    if any(e.kind == GONE_EVENT for e in events):  # the holder heard it once already
        return [notify.reply(msg, TEXTS["private_gone_again"].format(id=ticket.id))]
    ctx.store.tickets.add_event(ticket, GONE_EVENT, at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name)
    told_hazard = next((e for e in events if e.kind == HAZARD), None)
    if told_hazard is not None:
        names = [n for n in (told_hazard.note or "").split("、") if n]
    else:
        names = [n for n in (notify.hears_now(ctx, ticket),) if n]
    if not names:
        return [notify.reply(msg, TEXTS["private_gone_again"].format(id=ticket.id))]
    anonymous = any(e.kind == "anonymous" for e in events)
    line = TEXTS["private_gone_ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=brief.gist(said, limit=40),
        who=TEXTS["private_reporter_hidden"] if anonymous else msg.sender_name,
    )
    ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
    reply = TEXTS["private_gone"].format(id=ticket.id, names=TEXTS_HAZARD["told_and"].join(names))
    return [notify.reply(msg, reply), *notify.privately(ctx, names, line, about=ticket)]


def _detail_reply(ticket: Ticket, said: str, holder: str | None) -> str:
    """「记下了」; to a worried word (是不是钱就不给发了 着急), a word of comfort and who has it."""
    if not chase.worried(said):
        return TEXTS["private_detail"].format(id=ticket.id)
    if holder:
        return TEXTS["private_detail_worried"].format(id=ticket.id, holder=holder)
    return TEXTS["private_detail_worried_later"].format(id=ticket.id)


def _who_must_know(ctx: Context, ticket: Ticket) -> list[str]:
    """The one who holds it now: whoever is on duty for the grid today (a day off), else
    its holder, else the grid's worker — one person, not a copy to every worker."""
    holds = holding.of_ticket(ctx, ticket)
    name = holds.on_duty or notify.hears_now(ctx, ticket) or holds.worker
    return [name] if name else []


def _relay(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, holder: str | None, said: str, *, anonymous: bool
) -> list[Outgoing]:
    """A private reporter's later word reaches the one who holds the ticket as one line with
    its number — and folded: within `FOLD` of the last word that reached them nothing goes
    (it is on the ticket); the next one says how many words came since. A non-urgent one
    waits for the morning in quiet hours (nobody is woken to read 「你们收到没有啊」)."""
    if not holder or ticket.escalation_level >= lifecycle.LEVEL_COMMUNITY:
        return []  # at the community: its next reminder counts her words (handlers/sla._community_again)
    events = ctx.store.tickets.events(ticket.id)
    relays = [e for e in events if e.kind == RELAYED]
    last = max((e.at for e in relays if holder in (e.note or "")), default=None)
    if last is not None and ctx.ts - last < FOLD:
        return []
    words = _words(ctx, ticket, msg.sender_id)
    sent = max((_words_then(e.note) for e in relays if e.kind == RELAYED), default=0)
    n = words - sent  # her words since the last that reached anyone: this one and those folded
    line = TEXTS["private_detail_ping"].format(
        id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=brief.gist(said, limit=RELAY_CHARS),
        who=TEXTS["private_reporter_hidden"] if anonymous else msg.sender_name,
        times=TEXTS["private_detail_times"].format(n=n) if n > 1 else "",
    )
    ctx.store.tickets.add_event(ticket, RELAYED, at=ctx.ts, actor_name=SYSTEM, note=f"-> {holder}: {words}")
    if any(e.kind == HAZARD for e in events):  # a fire risk said now: its later words ring at once, the night too
        return notify.privately(ctx, [holder], line, priority=URGENT)
    return notify.privately(ctx, [holder], line, about=ticket)


def _words(ctx: Context, ticket: Ticket, sender_id: str) -> int:
    """How many words she added to her report (kept on it as details)."""
    return sum(1 for r in ctx.store.conversation.reports(ticket.id) if r.sender_id == sender_id and r.kind == "detail")


def _words_then(note: str | None) -> int:
    """How many of her words there were when one reached its holder (a relayed event's note)."""
    tail = (note or "").rpartition(": ")[2]
    return int(tail) if tail.isdigit() else 0


ACTED = "acted_in_group"  # an official's word to the whole group answered this private report


def acted_in_group(ctx: Context, msg: IncomingMessage, grid: Grid, official: str) -> list[Outgoing]:
    """An official's notice to the whole group on the matter of a hazard reported to the bot
    privately (【温馨提醒】…严禁从家里窗户往外拉线 hours after 「一楼那家从窗户里拉根电线」): acting
    on it without naming anyone, as one should. The ticket is in hand (taken, with his word on
    it: the ladder stops pressing him and the community), he is asked privately whether to
    knock on that one door too, and its reporter hears that it was acted on — not by whom it
    was reported. Once per ticket; nothing for a notice on another matter."""
    said = subjects_of(msg.text)
    if not said:
        return []
    for ticket in ctx.store.tickets.select(states=OPEN_STATES, grid_ids=[grid.id], created_from=ctx.ts - RECENT_SECONDS):
        if ticket.room_id is not None or not ticket.hazard or not said & subjects_of(ticket.text):
            continue
        if any(e.kind == ACTED for e in ctx.store.tickets.events(ticket.id)):
            continue
        at = ctx.local(ctx.ts).strftime("%H:%M")
        ctx.store.tickets.add_event(ticket, ACTED, at=ctx.ts, actor_id=msg.sender_id, actor_name=official)
        ticket = lifecycle.accept(ctx, ticket, actor_name=official, actor_id=msg.sender_id)
        lifecycle.progress(ctx, ticket, actor_name=official, actor_id=msg.sender_id,
                           note=brief.gist(msg.text, limit=40))
        ask = TEXTS["acted_ask"].format(id=ticket.id, at=at, where=brief.gist(ticket.masked_text, limit=24))
        out = notify.privately(ctx, [official], ask, about=ticket)
        if ticket.reporter_id:
            reporter = Person(name=ticket.reporter_name or "", id=ticket.reporter_id)
            out.append(Outgoing(text=TEXTS["acted_told"].format(id=ticket.id, who=official), to=reporter))
        return out
    return []
