"""Which ticket a reply means — or that it means none, or that the bot must ask.

For a worker, in this order: a number written in it; a quote-reply (of a resident's
report in this room, or of the bot's message about a ticket); the ticket of this room it
names (its building, what it is about, its reporter: 「4栋南边那个井盖换好了」, 「周大爷
您下楼看看」); the only ticket of this room waiting on them; the one the bot just pinged
them about in this room. A longer message read off cues (Reading.loose) acts only on a
ticket quoted, numbered or named. Never a ticket of
another residents' group (privately and in the staff group, any of theirs). A bare 收到 that answers someone else's notice, or a quote of anything
that is not a ticket, means none. For a resident: their own tickets in the state the act
needs, the one the bot asked them about first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers import lifecycle, questions
from handlers.chase import QUESTION
from handlers.context import Context, Request
from handlers.directory import Identity
from handlers.hearing import without_mentions
from handlers.identity import who
from handlers.matching import incident_subjects
from handlers.messages import IncomingMessage
from intents import normalize_place, subjects_of
from intents.phrases import phrase
from intents.replies import Quote, Reading, reply_part
from storage import OPEN_STATES, InboxRow, Ticket, TicketState

JUST_PINGED_SECONDS = 30 * 60  # 「收到」 this soon after a ping answers that ping
NOTICE_LOOKBACK_SECONDS = 6 * 3600  # what a bare 收到 may answer
QUOTE_LOOKBACK_DAYS = 30
QUOTED_PART = 8  # a quote this long found inside a report is of that report
EMERGENCY_SECONDS = 60 * 60  # an emergency is talked through within this of its report
JUST_DISCUSSED_SECONDS = 15 * 60  # 「这个我记下了」 speaks of what was said this recently
QUOTED_OWN_SECONDS = 2 * 3600  # a quoted line that opened nothing: its sender's ticket this near
ON_THE_WAY_SECONDS = 30 * 60  # 「到了」 goes on with what the official took on this recently
# What an official does to a ticket they are at work on (took it, told how it goes).
THREAD_KINDS = ("accepted", "progress", "update")
WORKED_ON_SECONDS = 2 * 3600  # what an official worked on this recently is still in their hands
PEOPLE = frozenset({"person"})  # the subject of people: of any errand or emergency alike
REOPEN_DAYS = 7  # 「又坏了」 reopens a ticket closed this recently
THANKS_AS_RATING_SECONDS = 2 * 3600  # a bare 谢谢 rates only this soon after the bot asked

# The states a ticket must be in for each act.
WORKER_STATES: dict[str, tuple[TicketState, ...]] = {
    "accept": (TicketState.OPEN,),
    "progress": OPEN_STATES,
    "done": OPEN_STATES,
    "transfer": OPEN_STATES,
    "return": OPEN_STATES,
}
NAMED_LOOKBACK_DAYS = 14  # an official's words may name a ticket of the room this old
_BOT_TICKET = re.compile(r"#\s*(\d{1,9})")
# Buildings named: 4栋 (三栋, 3号楼, 3幢 are normalised to it) and 4-1-302 (building-unit-room).
_BUILDING = re.compile(r"(?<![\d.-])(\d{1,3})栋|(?<![\d.\w-])(\d{1,3})-\d{1,2}-\d{3,4}(?!\d)")
_THIS = phrase("targets.this", r"^(%s)")
# An acknowledgement before calling someone (「好的阿嬷」, 「收到王姨」): off, to read whom.
_ACK_LEAD = re.compile(r"^(好的|好嘞|好滴|好|嗯嗯|嗯|收到|行|ok)\s*", re.I)
_ONLY_BUILDING = re.compile(r"\d{1,3}栋")
_HAN = re.compile(r"[\u4e00-\u9fff0-9]{2}")
_ELLIPSIS = re.compile(r"(…|\.\.\.)+$")
_MIDDLE_CUT = re.compile(r"(?:…|\.\.\.)+")
# A display name's word that is only a title (「5-2-1203 阿嬷」): it names no one in particular.
_TITLES = frozenset({
    "阿嬷", "阿姨", "阿婆", "阿公", "阿伯", "阿叔", "阿姆", "奶奶", "爷爷", "大爷", "大妈", "大娘", "叔叔",
    "婶婶", "外婆", "外公", "姥姥", "姥爷", "老人家", "师傅", "老师", "大姐", "大哥",
})


@dataclass(frozen=True)
class Target:
    ticket: Ticket | None = None
    candidates: tuple[Ticket, ...] = ()  # more than one could be meant: ask
    elsewhere: bool = False  # the reply answers something else (a notice): change nothing


def reading_of(ctx: Context, msg: IncomingMessage, req: Request, *, worker: bool) -> Reading:
    if req.reading is not None:
        return req.reading
    return read_reply(ctx, msg, worker=worker)


def read_reply(ctx: Context, msg: IncomingMessage, *, worker: bool) -> Reading:
    """What a reply says, with the message it quotes (read off the text by every
    transport: IncomingMessage.quote)."""
    book = ctx.phrases
    reading = book.worker(msg.text) if worker else book.resident(msg.text)
    if msg.quote is not None and reading.quote is None:
        reading = replace(reading, quote=Quote(msg.quote.sender_name, msg.quote.text))
    return reading


# --- workers ------------------------------------------------------------------------------


def for_worker(ctx: Context, msg: IncomingMessage, identity: Identity, act: str, reading: Reading) -> Target:
    if reading.quote is not None:
        quoted = quoted_ticket(ctx, msg, reading.quote)
        if quoted is None or not ctx.directory.may_act_on(identity, quoted.grid_id):
            return Target(elsewhere=True)
        return Target(ticket=quoted)
    states = WORKER_STATES.get(act, OPEN_STATES)
    if reading.loose and ctx.phrases.is_notice(reading.body, from_official=False):
        return Target(elsewhere=True)  # 【通知】…: the group's notice, whatever it names
    if not reading.bare:
        if reading.loose:
            # 「我往5号楼去 大家先别进楼道」 names the emergency's own building: still it
            urgent = _emergency_under_way(ctx, msg, identity, states)
            said = _buildings(reading.body)
            if urgent is not None and said and not said <= _ticket_buildings(urgent):
                urgent = None  # another building: another matter, named or not
            if urgent is not None and said and any(  # 「7栋停水的事我在跟物业对接了」 while
                t.id != urgent.id for t in named_tickets(  # 7栋's lift is the emergency: 停水
                    ctx, msg, identity, states, reading.body, by_building=False
                )
            ):
                urgent = None
            if urgent is not None and not any(  # unless they call on another matter's people
                _reporter_named(ctx, t, msg.text) for t in named_tickets(
                    ctx, msg, identity, states, reading.body, by_building=False
                ) if t.id != urgent.id
            ):  # 「501老爷子儿子电话通了」 while the gas leak is handled
                return Target(ticket=urgent)
        if not reading.loose and not _buildings(reading.body):
            # 「到了 味确实大」 from the one who took the gas leak is not taking the gas
            # inspection's question: words of taking, of the emergency in their hands
            urgent = _emergency_under_way(ctx, msg, identity, OPEN_STATES)
            # 「到了」 of another official while a colleague holds it: they came to it too
            if urgent is not None and urgent.status == TicketState.ACCEPTED:
                return Target(ticket=urgent)
        named = named_tickets(ctx, msg, identity, states, reading.body, by_building=not reading.loose)
        if len(named) > 1:
            named = _in_their_hands(ctx, msg, identity, named)
        if len(named) > 1 and reading.loose and not _buildings(reading.body):
            # 「两位别在群里吵了 我私聊」 of two quarrels, naming no place: the one the room is
            # on now (「3栋的灯」 of two 3栋 lights names a place: which one is asked)
            spoken = _just_discussed(ctx, msg, identity, states)
            named = [t for t in named if t.id == spoken.id] if spoken is not None and any(t.id == spoken.id for t in named) else named
        if len(named) == 1 or (named and reading.loose):
            return Target(ticket=named[0]) if len(named) == 1 else Target(candidates=tuple(named))
    if reading.loose:
        # 「这个我记下了」 just after residents spoke of one: that one; else, naming no
        # ticket, it is chat or a notice
        spoken = _just_discussed(ctx, msg, identity, states) if _THIS.search(reading.body) else None
        spoken = spoken or _answers_reporter(ctx, msg, identity, reading)
        spoken = spoken or _answers_question(ctx, msg, identity, states)
        spoken = spoken or _only_thread(ctx, msg, identity, states, reading)
        return Target(ticket=spoken) if spoken is not None else Target(elsewhere=True)
    if not reading.bare:
        asked = _answers_question(ctx, msg, identity, states)
        if asked is not None:  # 「装回去了 正在上水」 to 「阀门装回去了吗 还没热」
            return Target(ticket=asked)
    waiting = _waiting(ctx, msg, identity, states)
    if reading.bare and _residents_room(ctx, msg) and answers_a_notice(ctx, msg, identity):
        return Target(elsewhere=True)
    if len(waiting) <= 1:
        return Target(ticket=waiting[0] if waiting else None)
    pinged = _just_pinged(ctx, identity, waiting)
    if pinged is not None and act != "done":
        return Target(ticket=pinged)
    if act == "done":
        mine = [t for t in waiting if t.status == TicketState.ACCEPTED and t.assignee_name == identity.name]
        if len(mine) == 1:
            return Target(ticket=mine[0])
    going = _on_the_way(ctx, msg, identity) if act in ("accept", "progress", "done") else None
    if going is not None:
        return Target(ticket=going)
    if act in ("accept", "progress"):
        # 「马上到！我在8号楼 跑过去两分钟」 minutes after the danger of an incident already in
        # their hands was told: that emergency, not one of the others waiting (where they are
        # is no ticket's place)
        urgent = _emergency_under_way(ctx, msg, identity, OPEN_STATES)
        if urgent is not None and urgent.status == TicketState.ACCEPTED and urgent.assignee_name == identity.name:
            return Target(ticket=urgent)
    return Target(candidates=tuple(waiting))


def _on_the_way(ctx: Context, msg: IncomingMessage, identity: Identity) -> Ticket | None:
    """The ticket of this residents' room this official took on or spoke of themselves
    minutes ago, still open: 「到了 开锁师傅在开」 after their 「我马上过来」 goes on with
    that one (taken already, it changes nothing), not with the others waiting on them."""
    if not _residents_room(ctx, msg):
        return None
    latest = ctx.store.tickets.taken_by(
        identity.name, ("accepted", "progress"), since=ctx.ts - ON_THE_WAY_SECONDS, room_id=msg.room_id
    )[:1]
    ticket = ctx.store.tickets.get(latest[0]) if latest else None
    return ticket if ticket is not None and ticket.status in OPEN_STATES else None


def _only_thread(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...], reading: Reading
) -> Ticket | None:
    """The one ticket of this residents' room the official has been at work on lately (took
    it, told of it), when their words name no other building nor thing: 「那就这么着
    明天不施工 有事再找俺」 ten minutes after their word to the quarrel settles it. Two such,
    or words of another thing: none (a remark of theirs is not guessed onto a ticket)."""
    if not _residents_room(ctx, msg):
        return None
    found = ctx.store.tickets.taken_by(
        identity.name, THREAD_KINDS, since=ctx.ts - WORKED_ON_SECONDS, room_id=msg.room_id
    )
    live = [t for t in (ctx.store.tickets.get(i) for i in found) if t is not None and t.status in states]
    if len(live) != 1:
        return None
    ticket = live[0]
    text = reading.body
    said, buildings = subjects_of(without_mentions(ctx, text)) - PEOPLE, _buildings(text)
    if (said and not said <= _ticket_subjects(ctx, ticket)) or (buildings and not buildings <= _ticket_buildings(ticket)):
        return None
    spoke = _calls_who_just_spoke(ctx, msg, reading)
    if spoke is not None and not ctx.store.tickets.is_reporter(ticket.id, spoke.sender_id):
        return None  # 「好的外婆 退了就好」: the answer to a neighbour who just spoke, of theirs
    return ticket if ctx.directory.may_act_on(identity, ticket.grid_id) else None


def _waiting(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...]
) -> list[Ticket]:
    """The tickets of this room (any room, privately) held by this worker, or that the bot
    pinged them about last (an urgent one pings every worker of the grid, an escalation
    every staff member it goes to)."""
    grid_ids = ctx.directory.grids_in_charge(identity)
    anywhere = not _residents_room(ctx, msg)
    found = ctx.store.tickets.waiting_on(
        identity.name, states=states, grid_ids=grid_ids, room_id=msg.room_id,
        anywhere=anywhere, limit=questions.MAX_OPTIONS + 1,
    )
    prompt = ctx.store.seen.prompt(identity.name, "ping")
    if prompt is not None and all(t.id != prompt[0] for t in found):
        pinged = ctx.store.tickets.get(prompt[0])
        if (
            pinged is not None and pinged.status in states and pinged.grid_id in grid_ids
            and (anywhere or pinged.room_id == msg.room_id)
        ):
            found.append(pinged)
    return sorted(found, key=lambda t: t.id)


def named_tickets(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...], text: str,
    *, by_building: bool = True,
) -> list[Ticket]:
    """The open tickets of this residents' room an official's words name, best first: by
    the building (4栋, 4-1-302), what it is about (water, the lift, a manhole cover...) and
    the reporter (「周大爷」, an @ of them). Another building or another thing than the
    ticket's rules it out. All those named equally well, when there is no best one.
    `by_building` False: a building alone does not name a ticket (「我下午去3栋给王叔送个
    蛋糕」 is not about the 3栋 井盖); what it is about, its place or its reporter must."""
    if not _residents_room(ctx, msg):
        return []
    # the reply as written: whom it @s are named (their rooms and buildings are not places)
    written = reply_part(msg.text or "") or text
    text = without_mentions(ctx, written)
    place_text = normalize_place(text)
    buildings = _buildings(text)
    said = subjects_of(text)
    intent = ctx.classifier.classify(text).intent if said else None
    since = ctx.ts - NAMED_LOOKBACK_DAYS * 86400
    active = ctx.store.conversation.active_in_room(msg.room_id, states=states, since=since)
    scored: list[tuple[float, Ticket]] = []
    told = _told_privately(ctx, msg, states, since) if buildings and said else []
    for ticket in [t for t, _ in active] + told:
        if not ctx.directory.may_act_on(identity, ticket.grid_id):
            continue
        score, named = 0.0, False
        theirs = _ticket_buildings(ticket)
        if ticket.room_id is None and not (
            buildings & theirs and said & _ticket_subjects(ctx, ticket)
        ):  # told the bot privately: named in the group by its building and its matter both
            continue
        if buildings and theirs:
            if not buildings & theirs:
                continue
            score += 2
        person = _reporter_named(ctx, ticket, written)
        about = _ticket_subjects(ctx, ticket)
        if said and about and (said & about - PEOPLE or person or not said & about):
            # (「医院」, 「老人」 alone name no matter: every errand and emergency has them)
            if not said & about and not person:
                continue
            # what was said, found in the ticket's own report first, then in all said of it
            score += bool(said & about) + 0.5 * len(said & subjects_of(ticket.text)) / len(said)
            score += 0.5 if ticket.intent == intent else 0.0
            named = bool(said & about)
        place = normalize_place(ticket.location_key or "")
        if place and place in place_text and not _ONLY_BUILDING.fullmatch(place):
            score += 2  # 「菜市场拐角垃圾的事」 (a building alone counted above)
            named = True
        if person:
            score += 2
            named = True
        if score and (named or by_building):
            # the words of its report said again (「停水」, 「楼道灯」) tell equals apart
            scored.append((score + 0.01 * min(_shared_words(text, ticket.text), 20), ticket))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return sorted((t for score, t in scored if score == best), key=lambda t: t.id)


def _told_privately(
    ctx: Context, msg: IncomingMessage, states: tuple[TicketState, ...], since: int
) -> list[Ticket]:
    """The open tickets of this room's grid that came to the bot privately (「四号楼一单元六楼
    的王奶奶」 who would not say it in the group): an official may still speak of one in the
    group, sending a volunteer (「@小王 4号楼1单元有个奶奶养老认证刷脸弄不成 去帮帮忙」)."""
    grid = ctx.directory.grid_for_room(msg.room_id, msg.room_topic)
    if grid is None:
        return []
    return ctx.store.tickets.told_privately(grid.id, states, since=since)


def _shared_words(a: str, b: str) -> int:
    """How many two-character pieces of Chinese two texts share."""
    def pieces(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1) if _HAN.fullmatch(text[i:i + 2])}
    return len(pieces(a) & pieces(b))


def _just_discussed(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...]
) -> Ticket | None:
    """The incident of this residents' room something was said of last, minutes ago."""
    if not _residents_room(ctx, msg):
        return None
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=states, since=ctx.ts - JUST_DISCUSSED_SECONDS, limit=1
    )
    if not active or not ctx.directory.may_act_on(identity, active[0][0].grid_id):
        return None
    return active[0][0]


def _in_their_hands(ctx: Context, msg: IncomingMessage, identity: Identity, named: list[Ticket]) -> list[Ticket]:
    """Of tickets an official's words name equally (「燃气公司给换了新胶管」: the gas leak and
    the question about the gas inspection), the one they took is the one they tell of:
    who is at work on a thing speaks of that thing — or, taking none of them, the one they
    worked on in this room lately (the backup who went to the gas leak a colleague took:
    「医院查了 没大事」). All of them when they took none or several."""
    held = [t for t in named if t.status == TicketState.ACCEPTED and t.assignee_name == identity.name]
    if len(held) != 1 and _residents_room(ctx, msg):
        worked = set(ctx.store.tickets.taken_by(
            identity.name, THREAD_KINDS, since=ctx.ts - WORKED_ON_SECONDS, room_id=msg.room_id
        ))
        held = [t for t in named if t.id in worked]
    return held if len(held) == 1 else named


def _emergency_under_way(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...]
) -> Ticket | None:
    """While an emergency is being talked through in the room (an urgent incident the room
    spoke of minutes ago, the last thing spoken of), an official's 「我离得近马上过去 大家
    别开灯」 or 「收到 我联系家属」 is about it: nobody names the gas leak everyone is
    watching. Its hour runs from when its danger was told (a leak reported at dawn that
    bursts in the afternoon is an emergency from then)."""
    spoken = _just_discussed(ctx, msg, identity, states)
    if spoken is None or not spoken.urgent or ctx.ts - lifecycle.danger_told_at(ctx, spoken) > EMERGENCY_SECONDS:
        return None
    return spoken


def _answers_reporter(
    ctx: Context, msg: IncomingMessage, identity: Identity, reading: Reading
) -> Ticket | None:
    """「好的阿嬷 退了就好…」 right after 「乐乐阿嬷 6栋」 said how it went: the official
    answers the one who just spoke, calling them as their name does (its last word, or
    the title in it), about their ticket of this room the official took and they have
    spoken since (a title alone names no one otherwise)."""
    spoke = _calls_who_just_spoke(ctx, msg, reading)
    return _held_of(ctx, identity, spoke) if spoke is not None else None


def _calls_who_just_spoke(ctx: Context, msg: IncomingMessage, reading: Reading) -> InboxRow | None:
    """A word in the room of the last few, minutes ago, when the official's words begin by
    calling its speaker as their name does (its last word, or the title in it): 「好的阿嬷 …」,
    「大娘甭客气」 to 孟大娘's thanks with two neighbours' 「[强]」 after it."""
    if not reading.clauses or not _residents_room(ctx, msg):
        return None
    called = _ACK_LEAD.sub("", reading.clauses[0])
    if len(called) < 2:
        return None
    rows = ctx.store.conversation.window(
        msg.room_id, since=ctx.ts - JUST_DISCUSSED_SECONDS, before=msg.message_id, limit=5
    )
    return next((row for row in reversed(rows) if row.sender_id != msg.sender_id and _calls(called, row.sender_name)), None)


def _calls(clause: str, name: str | None) -> bool:
    """The clause is, or begins with, what someone of this display name is called: a word of
    it or its last two or three characters (「阿嬷」, 「大娘甭客气」 to 孟大娘)."""
    if len(clause) <= 4 and any(w.endswith(clause) for w in (name or "").split()):
        return True
    return any(clause.startswith(w[-n:]) for w in (name or "").split() for n in (2, 3) if len(w) > n)


def _answers_question(
    ctx: Context, msg: IncomingMessage, identity: Identity, states: tuple[TicketState, ...]
) -> Ticket | None:
    """The last word in the room before the official's, minutes ago, was a question (「阀门装回去
    了吗 还没热」) from a reporter of one ticket of this room the official may act on: the
    official's next words answer it, about that ticket."""
    spoke = _last_other_word(ctx, msg)
    if spoke is None or not QUESTION.search(spoke.text) or who(ctx, spoke.sender_id, spoke.sender_name).is_official:
        return None
    theirs = [
        t for t in ctx.store.tickets.of_reporter(spoke.sender_id, states=states)
        if t.room_id == msg.room_id and ctx.directory.may_act_on(identity, t.grid_id)
    ]
    return theirs[0] if len(theirs) == 1 else None


def reporter_just_said_done(ctx: Context, msg: IncomingMessage, identity: Identity) -> Ticket | None:
    """The ticket this official holds whose reporter said just now, as the last word before
    theirs, that it is done (「拖干净了 还冲了水 谢谢小李」): the official's 「好的」 after it
    confirms that, whatever else they add."""
    spoke = _last_other_word(ctx, msg)
    if spoke is None:
        return None
    book = ctx.phrases
    if book.worker(spoke.text).act != "done" and book.resident(spoke.text).act != "fixed":
        return None
    return _held_of(ctx, identity, spoke)


def _last_other_word(ctx: Context, msg: IncomingMessage) -> InboxRow | None:
    """The last message of this residents' room before this one, minutes ago, by someone else."""
    if not _residents_room(ctx, msg):
        return None
    rows = ctx.store.conversation.window(
        msg.room_id, since=ctx.ts - JUST_DISCUSSED_SECONDS, before=msg.message_id, limit=5
    )
    return next((row for row in reversed(rows) if row.sender_id != msg.sender_id), None)


def _held_of(ctx: Context, identity: Identity, spoke: InboxRow) -> Ticket | None:
    """The one ticket of the speaker's, in their room, this official took before they spoke."""
    held = [
        t for t in ctx.store.tickets.of_reporter(spoke.sender_id, states=(TicketState.ACCEPTED,))
        if t.room_id == spoke.room_id and t.assignee_name == identity.name
        and (t.accepted_at or 0) < spoke.sent_at
    ]
    return held[0] if len(held) == 1 else None


def _buildings(text: str) -> set[str]:
    return {a or b for a, b in _BUILDING.findall(normalize_place(text))}


def _ticket_buildings(ticket: Ticket) -> set[str]:
    """The buildings of the ticket's place (「15栋16栋中间」), else of its reporter's name
    (「4-1-302 周大爷」)."""
    return _buildings(ticket.location_key or "") or _buildings(ticket.reporter_name or "")


def _ticket_subjects(ctx: Context, ticket: Ticket) -> frozenset[str]:
    """What a ticket is about: its report and what its reporters said; a quarrel is a
    quarrel whatever it is over."""
    found = incident_subjects(ctx, ticket)
    return found | {"conflict"} if ticket.intent == "dispute" else found


def _reporter_named(ctx: Context, ticket: Ticket, text: str) -> bool:
    """A reporter called by their name without its building or room (「4-1-302 周大爷」: 周大爷)."""
    for r in ctx.store.tickets.reporters(ticket.id):
        # the words of a display name that are no building nor room: 「momo 7-1-602」 momo
        words = [w for w in (r.person_name or "").split() if not re.search(r"\d", w) and w not in _TITLES]
        if any(len(w) >= 2 and w in text for w in words):
            return True
        if r.person_name and (f"@{r.person_name}" in text or f"＠{r.person_name}" in text):
            return True  # 「@陈静(3栋1102家属) 长者饭堂登记好了」: an @ of them, whatever the name
    return False


def speaks_to_its_people(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> bool:
    """An official's words call one of the ticket's reporters (「@陈静 我在阿伯家了」), or @ someone
    whose words here minutes ago were about it (「@赵大爷 我也往过走」 to the volunteer who went)."""
    if _reporter_named(ctx, ticket, msg.text or ""):
        return True
    if msg.room_id is None:
        return False
    rows = ctx.store.conversation.window(
        msg.room_id, since=ctx.ts - JUST_DISCUSSED_SECONDS, before=msg.message_id, limit=30
    )
    return any(
        row.ticket_id == ticket.id and row.sender_id != msg.sender_id
        and (f"@{row.sender_name}" in msg.text or f"＠{row.sender_name}" in msg.text)
        for row in rows
    )


def _just_pinged(ctx: Context, identity: Identity, waiting: list[Ticket]) -> Ticket | None:
    prompt = ctx.store.seen.prompt(identity.name, "ping")
    if prompt is None or ctx.ts - prompt[1] > JUST_PINGED_SECONDS:
        return None
    return next((t for t in waiting if t.id == prompt[0]), None)


def answers_a_notice(ctx: Context, msg: IncomingMessage, identity: Identity) -> bool:
    """A bare 收到 after someone else's notice (and no ping of the bot since) answers the
    notice. Other people's bare replies to it (收到, 好的) are skipped over."""
    assert msg.room_id is not None
    book = ctx.phrases
    since = ctx.ts - NOTICE_LOOKBACK_SECONDS
    for row in ctx.store.inbox.before_in_room(msg.room_id, msg.message_id, since):
        if row.sender_id == msg.sender_id or book.worker(row.text).bare:
            continue
        sender = who(ctx, row.sender_id, row.sender_name)
        if not book.is_notice(row.text, from_official=sender.is_official):
            return False
        prompt = ctx.store.seen.prompt(identity.name, "ping")
        return prompt is None or prompt[1] < row.sent_at
    return False


def quoted_ticket(ctx: Context, msg: IncomingMessage, quote: Quote) -> Ticket | None:
    """The ticket a quote-reply quotes: the bot's message about #N, or a resident's report
    in this room. None for anything else (a notice, chatter)."""
    if _is_bot(ctx, quote.sender):
        match = _BOT_TICKET.search(quote.text)
        ticket = ctx.store.tickets.get(int(match.group(1))) if match else None
        if ticket is None or (_residents_room(ctx, msg) and ticket.room_id != msg.room_id):
            return None
        return ticket
    if not _residents_room(ctx, msg):
        return None
    quoted = _ELLIPSIS.sub("", quote.text.strip())
    if len(quoted) < 2:
        return None
    since = ctx.ts - QUOTE_LOOKBACK_DAYS * 86400
    for ticket_id, name, text in ctx.store.tickets.reports_in_room(msg.room_id, since):
        said = " ".join((text or "").split())
        same_text = said.startswith(quoted) or (len(said) >= 4 and quoted.startswith(said)) or (
            len(quoted) >= QUOTED_PART and quoted in said  # a part of it (「想麻烦哪位邻居…送上去」)
        ) or _cut_in_middle(quoted, said)
        if same_text and (name == quote.sender or len(quoted) >= 6):
            return ctx.store.tickets.get(ticket_id)
    # one piece of a report typed in pieces (「这个谁管啊」), or a follow-up joined to it
    row = ctx.store.conversation.quoted(msg.room_id, quote.sender, quoted)
    if row is None:
        return None
    if row.ticket_id is not None:
        return ctx.store.tickets.get(row.ticket_id)
    # a line of theirs that opened nothing (「线还挂着呢」 of the cable they reported): their open
    # ticket of this room opened nearest to it, within a while, is what the official answers
    # — one they reported themselves before one they only chimed in on (「线还挂着呢」 from
    # the one who reported the cable, who also said 「早该弄了」 of the charging-shed wish).
    # A question the FAQ answered is a matter of its own: the answer is of it, or of what its
    # asker went on to ask of it (「她腿脚不好 能不能帮她在手机上弄」, their own ticket), never
    # of another's matter they chimed in on (李婶's wheelchair trip, d16)
    faq = row.reading == "faq"
    own = [
        t for t in ctx.store.tickets.of_reporter(row.sender_id, states=OPEN_STATES)
        if t.room_id == msg.room_id and abs(t.created_at - row.sent_at) <= QUOTED_OWN_SECONDS
        and not (faq and t.reporter_id != row.sender_id)
    ]
    return min(
        own, key=lambda t: (t.reporter_id != row.sender_id, abs(t.created_at - row.sent_at), t.id), default=None
    )


def _cut_in_middle(quoted: str, said: str) -> bool:
    """WeChat shortens a long quoted message in the middle (「头几句……末一句」): the
    message starts with the part before the 「……」 and goes on with the part after it."""
    pieces = [p.strip() for p in _MIDDLE_CUT.split(quoted)]
    if len(pieces) < 2 or not all(pieces) or len(pieces[0]) < QUOTED_PART or not said.startswith(pieces[0]):
        return False
    at = len(pieces[0])
    for piece in pieces[1:]:
        at = said.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def _residents_room(ctx: Context, msg: IncomingMessage) -> bool:
    """A residents' group: replies there are about its own tickets only. Privately and in
    the staff group (where the bot posts escalations) they may be about any of theirs."""
    if msg.room_id is None:
        return False
    return ctx.directory.community_for_admin_room(msg.room_id, msg.room_topic) is None


def _is_bot(ctx: Context, name: str) -> bool:
    return name.strip() == ctx.directory.bot_name


# --- residents ----------------------------------------------------------------------------


def for_resident(ctx: Context, msg: IncomingMessage, act: str, reading: Reading) -> Target:
    """The resident's own ticket this act is about. Acts: rate, fixed, reopen, cancel;
    thanks (a bare 谢谢) and score (a bare 4) only answer the bot's rating question."""
    if reading.quote is not None and _is_bot(ctx, reading.quote.sender):
        quoted = quoted_ticket(ctx, msg, reading.quote)
        if quoted is not None and _is_reporter(ctx, quoted, msg.sender_id):
            return Target(ticket=quoted if fits(ctx, quoted, act, msg.sender_id) else None)
    asked = _asked_to_rate(ctx, msg, act)
    if asked is not None or act in ("thanks", "score"):
        return Target(ticket=asked)
    own = [t for t in _own(ctx, msg, act) if fits(ctx, t, act, msg.sender_id)]
    if len(own) <= 1:
        return Target(ticket=own[0] if own else None)
    return Target(candidates=tuple(own))


def _own(ctx: Context, msg: IncomingMessage, act: str) -> list[Ticket]:
    states = {
        "cancel": OPEN_STATES,
        "reopen": (TicketState.RESOLVED, TicketState.CLOSED),
    }.get(act, (TicketState.RESOLVED,))
    return sorted(ctx.store.tickets.of_reporter(msg.sender_id, states=states), key=lambda t: t.id)


def fits(ctx: Context, ticket: Ticket, act: str, person_id: str | None = None) -> bool:
    """Whether the ticket is in the state for this act (for a rating: not yet rated by
    `person_id`, as each reporter rates for themselves; by anyone when not given)."""
    if act == "cancel":
        return ticket.status.is_open
    if act == "reopen":
        if ticket.status == TicketState.RESOLVED:
            return True
        resolved = ticket.resolved_at or ticket.closed_at or 0
        return ticket.status == TicketState.CLOSED and ctx.ts - resolved <= REOPEN_DAYS * 86400
    return ticket.status.is_done and not _rated(ctx, ticket, person_id)  # rate, fixed, thanks


def _rated(ctx: Context, ticket: Ticket, person_id: str | None) -> bool:
    if person_id is None:
        return ticket.rating is not None
    mine = [r for r in ctx.store.tickets.reporters(ticket.id) if r.person_id == person_id]
    return not mine or mine[0].rating is not None


def _asked_to_rate(ctx: Context, msg: IncomingMessage, act: str) -> Ticket | None:
    """The ticket whose rating the bot asked this resident for, if unrated: what a bare
    满意 / 3 / 谢谢 answers. A bare 谢谢 counts only soon after the question."""
    if act not in ("rate", "fixed", "thanks", "score", "reopen"):
        return None
    prompt = ctx.store.seen.prompt(msg.sender_id, "rating")
    if prompt is None or (act == "thanks" and ctx.ts - prompt[1] > THANKS_AS_RATING_SECONDS):
        return None
    ticket = ctx.store.tickets.get(prompt[0])
    if ticket is None or _rated(ctx, ticket, msg.sender_id) or not fits(ctx, ticket, act, msg.sender_id):
        return None
    return ticket


def _is_reporter(ctx: Context, ticket: Ticket, person_id: str) -> bool:
    return any(r.person_id == person_id for r in ctx.store.tickets.reporters(ticket.id))
