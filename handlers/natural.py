"""Replies in people's own words, and answers to the bot's questions, reaching the same
handlers as the commands of the table (handlers/vocabulary.py).

A worker's 「收到，马上到」 is 接单; 「修好了，换了新灯泡」 is 完成 with that note; 「这个不归我们
网格 转社区」 is 转 社区; 「是物业的事」 is 退回 with that reason; 「在处理了」 is 进展. A
resident's 「五星好评」 is 评价 5; 「没修好啊 又堵上了」 is 没修好; 「不用了 已经好了」 is 撤销;
「我反映的事怎么样了」 is 我的工单. Words that are none of these are not a reply: None, and
the router reads the message as it would otherwise (chat of a worker, a resident's report).
"""

from __future__ import annotations

from dataclasses import replace

from handlers import hearing, questions, report, targets, unplaced, vocabulary
from handlers.commands import Command, rating_of
from handlers.context import Context, Request
from handlers.directory import Grid, Identity
from handlers.matching import OWN_REQUESTS
from handlers.messages import IncomingMessage, Outgoing
from intents import normalize_place
from intents.phrases import phrase
from intents.replies import Reading
from storage import OPEN_STATES, Ticket

ANSWER_CHARS = 12  # an official's quote-reply this long to a question is its answer


def worker_reply(
    ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None
) -> list[Outgoing] | None:
    reading = targets.read_reply(ctx, msg, worker=True)
    if reading.act is None or (reading.loose and reading.act == "accept" and _tells_more(ctx, reading)):
        reading = _answer_to_question(ctx, msg, identity, reading) or reading
    if reading is None or reading.act is None:
        return None
    if reading.act == "accept" and not reading.loose and reading.number is None and reading.quote is None:
        confirmed = targets.reporter_just_said_done(ctx, msg, identity)
        if confirmed is not None:  # 「好的 我跟环卫说了…」 to the reporter's 「拖干净了 谢谢」
            reading = replace(reading, act="done", number=confirmed.id, note="")
    if reading.loose:
        # 「我下午过去」 said of a ticket is taking it (and its words go on the timeline);
        # said of none, it is an official's chat or update (router: official_update)
        if reading.act == "accept":
            reading = replace(reading, act="progress")
        if reading.number is None:
            target = targets.for_worker(ctx, msg, identity, reading.act, reading)
            if target.ticket is None and not target.candidates:
                return None
    command = _worker_command(reading)
    entry = vocabulary.by_act(command.act)
    return entry.handler(ctx, msg, Request(identity, grid, command, reading))


def _worker_command(reading: Reading) -> Command:
    if reading.act != "decline":
        return Command(act=reading.act, number=reading.number, rest=reading.note)
    if reading.target:  # 转社区 / 转给孙丽 / 这是物业的事 转物业
        rest = f"{reading.target} {reading.note}".strip()
        return Command(act="transfer", number=reading.number, rest=rest)
    return Command(act="return", number=reading.number, rest=reading.note or reading.body)


def _tells_more(ctx: Context, reading: Reading) -> bool:
    """Besides a commitment (我在手机上帮您交), the message tells things (when, where,
    how): at least two clauses that are no act of their own."""
    return sum(1 for c in reading.clauses if ctx.phrases.worker(c).act is None) >= 2


def _answer_to_question(
    ctx: Context, msg: IncomingMessage, identity: Identity, reading: Reading
) -> Reading | None:
    """An official's answer, as a quote-reply, to a resident's question (a 政策咨询
    ticket): the question is answered, so the ticket is done, the answer its note."""
    if len(reading.body) < ANSWER_CHARS or not reading.clauses:
        return None
    ticket = targets.quoted_ticket(ctx, msg, reading.quote) if reading.quote is not None else _asked_by_named(ctx, msg)
    if ticket is None or not ticket.status.is_open:
        return None
    # the question quoted, when the asker's ticket came of a later line of theirs read as
    # another request of their own (「手机上在哪弄」 after 「高龄补贴咋申请」: 代办事项)
    asked = ticket.intent == "inquiry" or (
        ticket.intent in OWN_REQUESTS and reading.act is None
        and ctx.classifier.classify(reading.quote.text).intent == "inquiry"
    )
    if not asked:
        return None
    if not ctx.directory.may_act_on(identity, ticket.grid_id):
        return None
    return replace(reading, act="done", note="，".join(reading.clauses), loose=True)


ASKED_TODAY = 12 * 3600  # an asker @-ed by an official: their question of this long ago


def _asked_by_named(ctx: Context, msg: IncomingMessage) -> Ticket | None:
    """The open question (a 政策咨询 ticket of this room, of the last hours) of the resident
    an official's message @s by name (「@房东 老郑 居住证：身份证、租房合同… 社区服务站一楼办」):
    the answer to it, as a quote-reply would be."""
    if msg.room_id is None or "@" not in msg.text:
        return None
    asked = ctx.store.tickets.select(states=OPEN_STATES, created_from=ctx.ts - ASKED_TODAY)
    for ticket in reversed(asked):
        if ticket.intent == "inquiry" and ticket.room_id == msg.room_id and ticket.reporter_name and (
            f"@{ticket.reporter_name}" in msg.text
        ):
            return ticket
    return None


# What a resident's reply does, by the act read: the table's act, and what follows it.
GOING_ON = phrase("hearing.going_on")
_RESIDENT_ACTS = {"rate": "rate", "thanks": "rate", "reopen": "reopen", "cancel": "cancel"}


def resident_reply(
    ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None
) -> list[Outgoing] | None:
    since = ctx.ts - targets.REOPEN_DAYS * 86400
    if not ctx.store.tickets.has_live_report(msg.sender_id, closed_since=since):
        return None  # most of a group has nothing in hand: their words are no reply
    reading = targets.read_reply(ctx, msg, worker=False)
    act = target_act = reading.act
    if act is None and rating_of(msg.text, ctx.phrases) is not None:
        # a bare 4 or 5分: only as the answer to the bot's rating question
        act, target_act = "rate", "score"
        score = rating_of(msg.text, ctx.phrases)
        reading = Reading("rate", body=reading.body, score=score, quote=reading.quote)
    if act is None:
        return None
    if act == "status":
        return vocabulary.by_act("mine").handler(ctx, msg, _request(identity, grid, "mine", None, "", reading))
    if act == "fixed":  # fixed by the worker (rate it), or by the family (withdraw it)
        done = targets.for_resident(ctx, msg, "rate", reading)
        act = target_act = "rate" if done.ticket is not None or done.candidates else "cancel"
        if act == "cancel" and _shared_with_others(ctx, msg, reading):
            return None  # 「来水了」 of one of many: news of the incident, not a withdrawal
    table_act = _RESIDENT_ACTS[act]
    if table_act == "cancel" and (hearing.STILL.search(reading.body) or GOING_ON.search(reading.body)):
        return None  # 「又开始了 算了 这个时间我不说」: resigned to what goes on, not withdrawing it
    target = targets.for_resident(ctx, msg, target_act, reading)
    rest = str(reading.score) if table_act == "rate" else reading.note
    if target.candidates:
        return questions.ask_which(ctx, msg, table_act, target.candidates, {"rest": rest})
    if target.ticket is None:
        return None
    if table_act == "reopen" and not _same_problem(ctx, reading, target.ticket):
        return None  # 「3栋路灯又坏了」 about another thing: a new report
    request = _request(identity, grid, table_act, target.ticket.id, rest, reading)
    return vocabulary.by_act(table_act).handler(ctx, msg, request)


def _shared_with_others(ctx: Context, msg: IncomingMessage, reading: Reading) -> bool:
    """The open ticket 「好了」 would withdraw has other reporters too."""
    target = targets.for_resident(ctx, msg, "cancel", reading)
    ticket = target.ticket
    return ticket is not None and any(
        r.person_id != msg.sender_id for r in ctx.store.tickets.reporters(ticket.id)
    )


def _request(
    identity: Identity, grid: Grid | None, act: str, number: int | None, rest: str,
    reading: Reading | None,
) -> Request:
    return Request(identity, grid, Command(act=act, number=number, rest=rest), reading)


def _same_problem(ctx: Context, reading: Reading, ticket) -> bool:
    """「又坏了」 is about this ticket unless it names another thing (电梯, not the 井盖 of
    the ticket), another place or another kind of need."""
    named = ctx.phrases.things(reading.body)
    if named and not any(thing.rstrip("子儿头") in ticket.text for thing in named):
        return False
    c = ctx.classifier.classify(reading.body)
    if c.intent not in ("none", "praise", "inquiry", ticket.intent) and c.opens_ticket:
        return False
    place = normalize_place(c.place) if c.place else None
    return not (place and ticket.location_key and place != ticket.location_key)


def placed_by_group(ctx: Context, msg: IncomingMessage, grid: Grid) -> list[Outgoing] | None:
    """Someone the bot asked privately where they live now speaks in a grid's residents'
    group: the group says where (nobody is asked that in public); the reports kept while
    asking are handled in that grid. None when no such question waits."""
    question = questions.pending(ctx, msg)
    if question is None or question.kind != "where":
        return None
    return report.place_report(ctx, msg, grid, unplaced.placed(ctx, msg, question))


def answer(
    ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None
) -> list[Outgoing] | None:
    """The answer to the bot's open question to this person, acted on; None when there is
    no question or this message does not answer "which ticket" (that question is then
    dropped). "Where do you live" takes the message whatever it says (handlers/unplaced.py)."""
    question = questions.pending(ctx, msg)
    if question is None:
        return None
    if question.kind == "which":
        chosen = questions.which_answer(ctx, question, msg.text)
        ctx.store.seen.clear_question(msg.sender_id)
        if chosen is None:
            return None
        request = _request(identity, grid, question.act, chosen, question.payload.get("rest", ""), None)
        return vocabulary.by_act(question.act).handler(ctx, msg, request)
    answered = unplaced.answer(ctx, msg, question)  # where do you live: always an answer
    if answered.grid is None:
        return answered.outgoing
    return answered.outgoing + report.place_report(ctx, msg, answered.grid, answered.reports)
