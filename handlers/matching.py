"""Which open incident of the room a message is about, if any: the sender's own (what they
add, a question after it), one just done, the one it quotes, the one an official just
spoke of, or the best of those it fits by place, subject and intent (and a quarrel's next
line, a neighbour caught in an emergency, the household a report names answering it).

Deciding only: what then happens to the message is handlers/joining.py.
"""

from __future__ import annotations

import re

from handlers import hearing, places
from handlers.context import Context
from handlers.directory import Grid
from handlers.hearing import Heard
from handlers.messages import IncomingMessage
from handlers.posts import ORGANISATION_NAME
from intents import extract_place, subjects_of
from intents.phrases import phrase
from storage import OPEN_STATES, InboxRow, Ticket, TicketState

# How long things hold together in a group chat (seconds).
DETAIL_WINDOW = 30 * 60  # a reporter's additions this soon after their last word are details
CALLED_WINDOW = 45 * 60  # an organisation's first word this soon answers who @-ed it
NAMED_WINDOW = 15 * 60  # ... or who named it (「物业能安排一下不」)
THREAD_WINDOW = 20 * 60  # a remark naming no place nor subject joins the incident just discussed
SUBJECT_WINDOW = 6 * 3600  # an incident gathers echoes of its subject this long after its last one
PLACE_WINDOW = 24 * 3600  # ... and reports at its place this long
DISPUTE_WINDOW = 60 * 60  # a quarrel is one thread while its lines keep coming
JUST_DONE_WINDOW = 60 * 60  # a reporter's word on their incident this soon after it was done
UNDONE_WINDOW = 24 * 3600  # word that it is still not right reopens an incident done this recently
QUOTED_PIECE_SECONDS = 10 * 60  # a quoted line that opened nothing: its sender's ticket this near
URGENT_APART = 2 * 3600  # danger now this long after a calm report of the same thing: news
SCROLLED = 30  # messages after which the bot's last post about an incident is out of sight
# What an incident's reporters said of it, which tells what it is about.
GATHERED = ("echo", "report", "detail", "follow_up")
# Intents that are a person's own request: never merged into a fault of the same subject.
OWN_REQUESTS = frozenset({"errand", "wish"})
# Asking for something (an answer, a wish, help): the same request only about the same thing.
ASKED_FOR = frozenset({"inquiry", "wish", "errand"})
MISSING = "missing"  # the subject of a lost person (intents/subjects.toml)
# What a reply to an official's notice asks of them (they answer it): a question, a wish.
ASKED_OF_OFFICIALS = frozenset({"inquiry", "wish"})


def _same_subject(a: frozenset[str], b: frozenset[str]) -> bool | None:
    if not a or not b:
        return None
    return bool(a & b)


def incident_subjects(ctx: Context, ticket: Ticket) -> frozenset[str]:
    """What an incident is about: its report and the echoes that joined it (kept by the
    store once read, and added to as messages join: see gathered). Also which ticket an
    official's words name (handlers/targets.py)."""
    kept = ctx.store.conversation.subjects(ticket.id)
    if kept is None:
        found: set[str] = set()
        for text in ctx.store.conversation.texts(ticket.id, GATHERED):
            found |= subjects_of(text)
        ctx.store.conversation.keep_subjects(ticket.id, found)
        kept = frozenset(found)
    return subjects_of(ticket.text) | kept


def gathered(kind: str, text: str) -> frozenset[str]:
    """What a report of this kind adds to its incident's subjects."""
    return subjects_of(text) if kind in GATHERED else frozenset()


def own_incident(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> Ticket | None:
    """The sender's own open incident this message goes on about, if any: what they add
    within minutes (unless they turn to another matter or another place — though of an
    emergency or a person in need the next place is often whose), or later the
    same subject, or a question after it. Of several, the most alike (of its kind first),
    then the latest."""
    at = int(msg.time.timestamp())
    own = [
        t for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
        if t.grid_id == grid.id and t.room_id == msg.room_id
    ]
    asking = bool(hearing.asks_after(heard.text) or hearing.STILL.search(heard.text))
    best: tuple[float, Ticket] | None = None
    for ticket in own:
        subjects = incident_subjects(ctx, ticket)
        same_subject = _same_subject(heard.subjects, subjects)
        elsewhere = places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects | subjects) is False and (
            not places.said_in(heard.place_key, ticket.text)  # 「垃圾站还满着呢」 of 「19号楼西边那垃圾站」
        )
        if elsewhere and not _still_telling(heard, ticket, same_subject):
            continue
        last = last_word(ctx, ticket, msg.sender_id)
        recent = last is not None and at - last <= 2 * hearing.PIECE_GAP
        if elsewhere:  # "快来人 5栋车棚有人摔倒了" / "好像是11栋胡家的老爷子": whose, not where
            fits = last is not None and at - last <= hearing.PIECE_GAP
        elif recent and not heard.place_key and not hearing.ANOTHER_MATTER.search(heard.text) and (
            same_subject is not False or heard.c.intent not in OWN_REQUESTS
        ):
            fits = True  # still telling the same story (a new request is its own, though)
        elif same_subject is False:
            fits = False
        elif same_subject:
            # the same thing again (a new request of its own, an errand or a wish, is not)
            fits = not hearing.ANOTHER_MATTER.search(heard.text) and (
                heard.c.intent not in OWN_REQUESTS or heard.c.intent == ticket.intent or asking
            )
        elif asking and len(own) == 1:
            # "两天了还没人来", "还是黄的": their only open incident here; but "still" said
            # of something the incident is not about ("奶奶还没睡呢") is chat, and a request
            # of another kind ("乐乐发烧了 他爸妈还没回来 谁有退烧药") is a new one
            fits = not hearing.ASKING_NEIGHBOURS.search(heard.text) and not hearing.ANOTHER_MATTER.search(heard.text) and not (
                heard.is_need and heard.c.intent in OWN_REQUESTS and heard.c.intent != ticket.intent
            ) and (
                hearing.asks_after(heard.text) or not heard.subjects
            )
        else:
            fits = (
                last is not None and at - last <= DETAIL_WINDOW and bool(heard.place_key)
                and not heard.is_need
            ) or _more_while_handled(heard, ticket, own)
        if not fits:
            continue
        score = (  # what they said a moment ago is what they go on about (「402张爷爷 耳朵背」)
            _likeness(heard.subjects, ticket, subjects) + (heard.c.intent == ticket.intent)
            + 2.0 * recent + (last or 0) / 1e12
        )
        if best is None or score > best[0]:
            best = (score, ticket)
    return best[1] if best else None


def _more_while_handled(heard: Heard, ticket: Ticket, own: list[Ticket]) -> bool:
    """While a worker is on the sender's incident (taken, their only one taken here), a need
    they tell that names no place, no thing and no other matter is more of it (「拆开了天花的
    检修口 上面的楼板湿了一大片」 with the worker in their flat), not a new incident. Not a new
    danger (urgent) nor a request of their own."""
    taken = [t.id for t in own if t.status == TicketState.ACCEPTED]
    return (
        heard.is_need and taken == [ticket.id] and not heard.place_key and not heard.subjects
        and not heard.c.urgent and heard.c.intent not in OWN_REQUESTS
        and not hearing.ANOTHER_MATTER.search(heard.text)
    )


def _still_telling(heard: Heard, ticket: Ticket, same_subject: bool | None) -> bool:
    """May the reporter's next line be about the same incident although it names another
    place? Of an emergency, said urgently, or of a person in need (an errand), the place
    said next is often whose or where from ("好像是11栋胡家的老爷子"), not another incident
    — unless it names another thing or turns to another matter ("另外", "也坏了")."""
    if same_subject is False or hearing.ANOTHER_MATTER.search(heard.text):
        return False
    return (ticket.urgent and heard.c.urgent) or heard.c.intent == ticket.intent == "errand"


def just_done(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The sender's own incident of this room done moments ago, which this message goes
    on about (the same subject; or none named and no need told): their word on it is no
    new report; nor is a need said naming neither place nor thing within half an hour of it.
    A request of their own (装几个充电桩) or an urgent need still is; that it is still not
    right is a reopen (handlers/natural.py, before this)."""
    if heard.c.urgent or heard.c.intent in OWN_REQUESTS:
        return None
    at = int(msg.time.timestamp())
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=(TicketState.RESOLVED,)):
        if ticket.room_id != msg.room_id or (ticket.resolved_at or 0) < at - JUST_DONE_WINDOW:
            continue
        same = _same_subject(heard.subjects, incident_subjects(ctx, ticket))
        vague = not heard.place_key and at - (ticket.resolved_at or 0) <= DETAIL_WINDOW
        if same is False or (same is None and heard.is_need and not vague):
            continue  # (naming nothing, minutes after: 「楼道里味小多了 能上去不」 is of it)
        if places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects) is False:
            continue
        return ticket
    return None


def just_done_here(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The incident the room was talking about, done moments ago, which a neighbour's word
    naming no place goes on about by its subject (「租房的时候要跟租客讲清楚 不准拉线」 right
    after the worker took the cable down): a remark on it, not a new report, when it names
    nothing that incident did not, or takes up that work as the way to do it (「各个单元都该这么整
    楼道窗户也是破的」). A request of their own or an urgent need still is."""
    as_done = hearing.AS_DONE.search(msg.text) is not None
    if heard.c.urgent or heard.c.intent in OWN_REQUESTS or heard.place_key or not (heard.subjects or as_done):
        return None
    at = int(msg.time.timestamp())
    assert msg.room_id is not None
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=(*OPEN_STATES, TicketState.RESOLVED), since=at - THREAD_WINDOW, limit=1
    )
    for ticket, _ in active:
        if ticket.status != TicketState.RESOLVED or (ticket.resolved_at or 0) < at - JUST_DONE_WINDOW:
            return None
        if as_done or heard.subjects <= incident_subjects(ctx, ticket):  # nothing else named (电梯 of another)
            return ticket
    return None


def done_just_now(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """An incident of the room done within the hour that an official's word names by its
    thing, at no other place (「燃气公司检测合格 7号楼2单元已恢复供气」 minutes after the worker
    closed the gas leak there): more of its timeline, not something new to keep."""
    if not heard.subjects:
        return None
    at = int(msg.time.timestamp())
    assert msg.room_id is not None
    for ticket, _ in ctx.store.conversation.active_in_room(
        msg.room_id, states=(TicketState.RESOLVED, TicketState.CLOSED), since=at - JUST_DONE_WINDOW, limit=3
    ):
        subjects = incident_subjects(ctx, ticket)
        if (ticket.resolved_at or 0) < at - JUST_DONE_WINDOW or not heard.subjects & subjects:
            continue
        if places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects | subjects) is not False:
            return ticket
    return None


def still_not_right(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> Ticket | None:
    """An incident of this room done within the day that this message says is still not
    right ("12号楼暖气还是不热 … 这等于没修" hours after the worker said it was fixed): the
    same kind of need, the same thing, at the place it names or one that place is in (naming
    none, the building in the sender's name: 「暖气还是不热」 from "12号楼 刘桂兰") — whoever
    says it, the reporter in words the reply phrases miss or a neighbour it also happens to.
    Found by place (a busy day's done incidents are not read through), so said with no place
    by one whose name tells none, it is not found. Not an urgent need (told at once, as a
    report), not a story or a supposition."""
    if not heard.is_need or heard.c.urgent or not heard.subjects:
        return None
    place = heard.place_key or places.home_key(msg.sender_name)
    if not place or not hearing.STILL.search(heard.text):
        return None
    if hearing.tells_of_then(heard) or hearing.supposes(heard):
        return None
    at = int(msg.time.timestamp())
    keys = (place, *places.enclosing(place))
    home = places.home_key(msg.sender_name)
    if home and home not in keys and not places.building_where(place, ""):
        keys = (*keys, home)  # a spot of no building (「车库门又出问题了」): the sender's own building's
    done = ctx.store.tickets.done_at(
        grid_id=grid.id, intent=heard.c.intent, resolved_since=at - UNDONE_WINDOW,
        location_keys=keys,
    )
    for ticket in done:
        if ticket.room_id == msg.room_id and heard.subjects & incident_subjects(ctx, ticket):
            return ticket
    return None


BROKEN_WORD = phrase("hearing.broken_word")


def quarrel_again(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> Ticket | None:
    """A quarrel of this room settled within the day that one of its parties says is going on
    again (「12点14了还在打 上午才说的中午不打钻」, 「说的话不算数」 hours after both families
    agreed): word that it is still so of its thing, or that the word given was not kept. The
    party is one who reported it (read by reporter: what the room saw done today is not read
    through). Not a story or a supposition; a neighbour calming it is no party."""
    if msg.room_id is None or heard.c.urgent or hearing.tells_of_then(heard) or hearing.supposes(heard):
        return None
    broken = bool(BROKEN_WORD.search(heard.text))
    if not broken and not (hearing.STILL.search(heard.text) and heard.subjects):
        return None
    since = int(msg.time.timestamp()) - UNDONE_WINDOW
    # the sender's own quarrels (an index by reporter), not every incident the room saw done today
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=(TicketState.RESOLVED, TicketState.CLOSED)):
        if ticket.intent != "dispute" or ticket.room_id != msg.room_id or ticket.grid_id != grid.id:
            continue
        if (ticket.resolved_at or ticket.updated_at or 0) < since:
            continue
        if broken or heard.subjects & incident_subjects(ctx, ticket):
            return ticket
    return None


def done_earlier(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> Ticket | None:
    """An incident of this room done within the day that this message names again, by its
    place (or the building it is in) and its thing, with no word that it is still or again
    wrong nor of another matter (「今天这一天 7号楼的水 12号楼的暖气 马网格腿都跑细了」 hours
    after 7号楼's burst pipe was mended): talk of it, not a new report. Not an urgent need."""
    if heard.c.urgent or not heard.place_key or not heard.subjects or heard.c.intent in ASKED_FOR:
        return None
    if hearing.STILL.search(heard.text) or hearing.ANOTHER_MATTER.search(heard.text):
        return None
    at = int(msg.time.timestamp())
    assert msg.room_id is not None
    done = ctx.store.tickets.done_in_room(
        grid_id=grid.id, room_id=msg.room_id, intent=heard.c.intent, resolved_since=at - UNDONE_WINDOW
    )
    for ticket in done:
        there = places.ticket_place(ticket)
        inside = there is not None and heard.place_key in (there, *places.enclosing(there))
        if inside and heard.subjects & incident_subjects(ctx, ticket):
            return ticket
    return None


def last_word(ctx: Context, ticket: Ticket, sender_id: str) -> int | None:
    return ctx.store.conversation.last_word(ticket.id, sender_id)


def quoted_incident(ctx: Context, msg: IncomingMessage) -> Ticket | None:
    """The open incident of the message this one quotes."""
    if msg.quote is None or msg.room_id is None:
        return None
    row = ctx.store.conversation.quoted(msg.room_id, msg.quote.sender_name, msg.quote.text)
    if row is None:
        return None
    if row.ticket_id is None:
        # the first words of a report typed in pieces (「网格员 物业 我家下水道冒起来了」, its
        # ticket opened by the next piece): the ticket its sender opened nearest to it
        own = [
            t for t in ctx.store.tickets.of_reporter(row.sender_id, states=OPEN_STATES)
            if t.room_id == msg.room_id and abs(t.created_at - row.sent_at) <= QUOTED_PIECE_SECONDS
        ]
        return min(own, key=lambda t: (abs(t.created_at - row.sent_at), t.id), default=None)
    ticket = ctx.store.tickets.get(row.ticket_id)
    return ticket if ticket is not None and ticket.status in OPEN_STATES else None


# The subject of people (老人, 医院, 腿脚): every errand and emergency has it, so alone it
# names none of them in an official's remark.
PEOPLE = frozenset({"person"})


def names_more_than_people(ctx: Context, heard: Heard, ticket: Ticket) -> bool:
    """Does a remark name the incident by more than people words: another subject of it,
    its place?"""
    if heard.subjects & incident_subjects(ctx, ticket) - PEOPLE:
        return True
    return bool(heard.place_key) and places.same_place(
        heard.place_key, places.ticket_place(ticket), heard.subjects
    ) is True


def quoted_elsewhere(ctx: Context, msg: IncomingMessage) -> bool:
    """The message this one quotes was about a ticket no longer open, or was an official's
    word about none: a reply to it is not about whatever open incident its words recall."""
    if msg.quote is None or msg.room_id is None:
        return False
    row = ctx.store.conversation.quoted(msg.room_id, msg.quote.sender_name, msg.quote.text)
    if row is None:
        return False
    if row.ticket_id is not None:
        return True  # (an open one is quoted_incident's)
    return hearing.is_official(ctx, row.sender_name)


def official_replied(ctx: Context, msg: IncomingMessage) -> InboxRow | None:
    """The official's message (a worker's, the committee's, the property company's) this one
    replies to: the one it quotes, or — when it @s them — what they said here a moment ago."""
    assert msg.room_id is not None
    if msg.quote is not None:
        if not hearing.is_official(ctx, msg.quote.sender_name):
            return None
        return ctx.store.conversation.quoted(msg.room_id, msg.quote.sender_name, msg.quote.text)
    if "@" not in msg.text and "＠" not in msg.text:
        return None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - THREAD_WINDOW, before=msg.message_id, limit=SCROLLED
    )
    for row in reversed(rows):
        named = f"@{row.sender_name}" in msg.text or f"＠{row.sender_name}" in msg.text
        if named and row.sender_id != msg.sender_id and hearing.is_official(ctx, row.sender_name):
            return row
    return None


def called_on(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The open incident an organisation's word answers when it names none: its first word
    since a message here called on it about one, a moment ago — an @ of its name, or its kind named
    (「@滨河物业客服 11号楼全楼没水」, 「物业能安排一下不」, then 「收到，已经让保安拿融雪剂过去了」)
    by a resident, unless the word names a place that is not the incident's."""
    assert msg.room_id is not None
    if msg.quote is not None:  # a quote says whom it answers (quoted_incident)
        return None
    words = set(ORGANISATION_NAME.findall(msg.sender_name))
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - CALLED_WINDOW, before=msg.message_id, limit=SCROLLED
    )
    for row in reversed(rows):
        if row.sender_id == msg.sender_id:
            return None  # it spoke since: this word is not its answer to the call
        if row.ticket_id is None or hearing.is_official(ctx, row.sender_name):
            continue  # (an official's 「我叫物业来瞅瞅」 calls on nobody for the residents)
        at_it = f"@{msg.sender_name}" in row.text or f"＠{msg.sender_name}" in row.text
        named = at - row.sent_at <= NAMED_WINDOW and any(w in row.text for w in words)
        if not (at_it or named):
            continue
        ticket = ctx.store.tickets.get(row.ticket_id)
        if ticket is None or ticket.status not in OPEN_STATES or (ticket.intent == "dispute" and not at_it):
            return None  # (「物业有规定 周末不让用电钻」 in a quarrel cites it, calls nobody)
        if places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects) is False:
            return None
        return ticket
    return None


def official_just_before(ctx: Context, msg: IncomingMessage) -> InboxRow | None:
    """The room's last message, a moment ago, when an official said it."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - hearing.PIECE_GAP, before=msg.message_id, limit=1
    )
    if rows and rows[-1].sender_id != msg.sender_id and hearing.is_official(ctx, rows[-1].sender_name):
        return rows[-1]
    return None


def official_incident(
    ctx: Context, msg: IncomingMessage, official: InboxRow, heard: Heard
) -> Ticket | None:
    """The open incident the official's message was about (the one it went on, or the one
    its words speak of), unless this reply names another place, or tells of another thing
    (a question or a wish about it may use other words: "几点能修好 我妈要去医院")."""
    ticket = ctx.store.tickets.get(official.ticket_id) if official.ticket_id is not None else None
    if ticket is None and official.quote_name and official.room_id:  # their quote-reply
        quoted = ctx.store.conversation.quoted(official.room_id, official.quote_name, official.quote_text or "")
        if quoted is not None and quoted.ticket_id is not None:
            ticket = ctx.store.tickets.get(quoted.ticket_id)
    if ticket is None or ticket.status not in OPEN_STATES:
        said = hearing.without_mentions(ctx, official.text)
        c = ctx.classifier.classify(said)
        words = Heard(
            text=said, c=c, place_key=places.place_key(c.place, official.sender_name),
            subjects=subjects_of(said), before=(), pieces_used=False,
        )
        ticket = incident(ctx, msg, words, need=False)
    if ticket is None:
        return None
    subjects = incident_subjects(ctx, ticket)
    if places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects | subjects) is False:
        return None
    another = _same_subject(heard.subjects, subjects) is False
    return None if another and heard.is_need and heard.c.intent not in ASKED_OF_OFFICIALS else ticket


def _joins_across(intent: str, ticket_intent: str, shared: frozenset[str]) -> bool:
    """May a message of `intent` join an incident of another intent it shares subjects
    with? A request (an errand, a wish) stays its own; a wish gathers questions about it;
    an errand gathers what is said about its person; a fault, a quarrel, a hazard gathers
    questions and remarks about its subject."""
    if intent in OWN_REQUESTS:
        return False
    if ticket_intent == "wish":
        return intent == "inquiry" and bool(shared)  # a question about the wish
    if ticket_intent == "errand":
        return "person" in shared
    return bool(shared)


def incident(ctx: Context, msg: IncomingMessage, heard: Heard, *, need: bool = True) -> Ticket | None:
    """The open incident of the room this message speaks of, if any: the best of those it
    fits (by place, subject and intent; the more alike and the more recent, the better).
    `need=False`: a remark that names no need, which joins only by its subject."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    best: tuple[float, Ticket] | None = None
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - PLACE_WINDOW
    )
    latest_of: dict[str, int] = {}  # the incident most recently discussed, by intent
    for ticket, _ in active:
        latest_of.setdefault(ticket.intent, ticket.id)
    for rank, (ticket, last_at) in enumerate(active):
        age = at - last_at
        latest = latest_of[ticket.intent] == ticket.id
        if (
            need and ticket.intent == "dispute" and age <= DISPUTE_WINDOW
            and _in_quarrel(ctx, msg, ticket, heard)
            and (not hearing.blames_a_neighbour(ctx, msg) or is_party(ctx, msg, ticket))
        ):
            return ticket  # (a new accusation at someone else is a new quarrel)
        if need and new_danger(heard, ticket, at):
            continue
        if need and age <= PLACE_WINDOW and (places.lives_in(msg.sender_name, ticket) or places.kin_of(msg.sender_name, ticket)) and (
            _same_subject(heard.subjects, incident_subjects(ctx, ticket)) is not False
            # or quarrelling back at whoever reported it (「你家狗天天在楼道拉屎咋不说」): the quarrel
            # that report began, one matter, the group told of it once
            or (heard.c.intent == "dispute" and age <= DISPUTE_WINDOW)
        ):
            return ticket  # the household a report names, answering it ("我是2003的租客 没有漏啊")
        if (
            not need and ticket.intent == "dispute" and age <= DISPUTE_WINDOW
            and heard.subjects & incident_subjects(ctx, ticket) and not _elsewhere_than(ctx, heard, ticket)
        ):
            return ticket  # a remark in the quarrel going on, of what it is about: its timeline
        if need and rank == 0 and _trades_words(ctx, msg, heard, ticket, at):
            return ticket  # 「你让我停哪儿」 to the one who called the car out: the quarrel's other side
        if ticket.intent == "dispute":
            continue  # a quarrel is joined while it goes on, by its parties; not by topic
        if need and rank == 0 and age <= hearing.PIECE_GAP and _caught_in(msg, heard, ticket):
            return ticket
        if need and rank == 0 and _answers_back(ctx, msg, heard, ticket, at):
            return ticket
        subjects = incident_subjects(ctx, ticket)
        shared = heard.subjects & subjects_of(ticket.text)  # across intents: what it is about
        same_place = places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects | subjects)
        if same_place is None and places.same_place(
            heard.place_key or places.home_said(heard.text, msg.sender_name), places.where_reported(ticket),
            heard.subjects | subjects,
        ) is False:
            same_place = False  # 「地下车库B1…滴水」 and 「俺家卫生间…滴水」 by 8-1-402: not one place
        if same_place is False and _outage_spreads(ctx, heard, ticket, rank, age):
            same_place = True  # 「5栋也这样 水就一点点」 while 6号楼's low water is talked of: one pump
        same_subject = _same_subject(heard.subjects, subjects)
        if same_subject is False:
            continue
        if same_place is False and MISSING in heard.subjects & subjects:
            same_place = True  # a lost person searched for is one matter wherever he is seen or found
        if same_place is False and not (
            _said_of_it_elsewhere(heard, ticket, rank, age, shared) or _roams(heard, ticket, rank, age)
        ):
            continue
        same_intent = heard.c.intent == ticket.intent
        echo = not heard.place_key and hearing.says_same(heard.text) and age <= THREAD_WINDOW and not (
            not heard.subjects and _names_an_official(ctx, heard.text)  # 「孙丽是不错 我家那低保也是她给跑的」
        )
        # a remark on the wish being discussed ("支持 真有充电桩肯定去用"), or a reading of
        # the classifier's too unsure to be a need of its own
        on_wish = ticket.intent == "wish" and rank == 0 and age <= THREAD_WINDOW and not heard.place_key and (
            (bool(shared) and (not need or heard.c.confidence < ctx.settings.classifier.min_confidence))
            # 「架空层放滑梯的话 能不能也放两台乒乓球桌」: more for the wish, in its words
            # 「要得 搞个四点半课堂 有人看到写作业就好了」: seconding it, in its words
            or (heard.c.intent == "wish"
                and bool(hearing.TOO.search(heard.text) or hearing.SECONDS.match(heard.text))
                and hearing.shared_words(heard.text, ticket.text) >= 2)
        )
        if not need:
            fits = bool(same_subject) and age <= SUBJECT_WINDOW and _joins_across(
                "none", ticket.intent, shared
            ) or on_wish or (  # "+1", "我家也是": the same as what was just said
                same_subject is None and latest and echo
            ) or (  # 「俺也闻着了 俺在2单元6楼」: the same, where it is, inside its place
                same_subject is None and rank == 0 and bool(same_place) and age <= THREAD_WINDOW
                and hearing.says_same(heard.text)
            )
        elif not same_intent and not (same_subject and _joins_across(heard.c.intent, ticket.intent, shared)):
            # another intent: only a remark on the place just being discussed — named, or,
            # while it is being discussed, the building in the sender's name ("7-2-1105 Kevin")
            fits = on_wish or rank == 0 and heard.c.intent not in ASKED_FOR and (
                (bool(same_place) and age <= THREAD_WINDOW)
                or (same_place is None and same_subject is None and age <= hearing.PIECE_GAP
                    and places.lives_at(msg.sender_name, ticket))
            )
        elif heard.c.intent in ASKED_FOR:
            fits = bool(same_subject) and age <= SUBJECT_WINDOW or on_wish  # the same request, not any
        else:
            fits = (
                (same_place and age <= PLACE_WINDOW)
                or (same_subject and same_intent and age <= PLACE_WINDOW)
                # of another kind, by its subject only where it names no place of its own
                # ("11栋电梯又停了 我妈要去医院" is no news of a neighbour's errand)
                or (same_subject and not heard.place_key and age <= SUBJECT_WINDOW)
                or (not heard.place_key and same_subject is None and latest and age <= THREAD_WINDOW)
            )
        if not fits and not _said_of_it_elsewhere(heard, ticket, rank, age, shared):
            continue
        score = (
            2.0 * bool(same_place) + _likeness(heard.subjects, ticket, subjects) + same_intent
            + 0.5 / (rank + 1) + 2.0 * (echo and rank == 0)  # "+1" follows what was just said
        )
        if best is None or score > best[0]:
            best = (score, ticket)
    return best[1] if best else None


def _outage_spreads(ctx: Context, heard: Heard, ticket: Ticket, rank: int, age: int) -> bool:
    """An outage of a shared supply (water, power, heating, gas) told at another building: the
    same outage — several buildings fed by one pump, cable or main — when it tells of the
    outage, as "the same here" or as still so, at a building its reporters already named
    (「七号楼十二楼 还是光出气」 of 6号楼's low water that 7号楼 also reported), or, of the outage
    or as "the same here", at another while the room is talking of it (「俺家也是 … 七号楼」,
    「5栋也这样 水就一点点」). Not danger now (its own ticket), not another thing (a leak)."""
    if heard.c.urgent or ticket.urgent or not hearing.OUTAGE.search(ticket.text):
        return False
    building = places.building_where(heard.place_key, "")
    if building is None or not incident_subjects(ctx, ticket) & places.BUILDING_WIDE:
        return False
    if heard.subjects - places.BUILDING_WIDE:  # 「7号楼电梯也停了」: another thing
        return False
    if hearing.OUTAGE.search(heard.text) or hearing.says_same(heard.text):
        return building in _buildings_told(ctx, ticket) or (rank == 0 and age <= THREAD_WINDOW)
    # 「七号楼还没有」 hours on, where it was reported (not 「7栋水管漏了」: a leak is no outage)
    return bool(hearing.STILL.search(heard.text)) and building in _buildings_told(ctx, ticket)


def _buildings_told(ctx: Context, ticket: Ticket) -> frozenset[str]:
    """The buildings an incident's place and its reporters' words name."""
    found = {places.building_where(places.ticket_place(ticket), "")}
    for report in ctx.store.conversation.reports(ticket.id):
        if report.kind in GATHERED:
            place = extract_place(report.text)
            found.add(places.building_where(places.place_key(place, report.sender_name), ""))
    return frozenset(b for b in found if b)


def new_danger(heard: Heard, ticket: Ticket, at: int) -> bool:
    """Danger now (「快来人 12号楼2单元电梯卡住了 我家小雨在里面」) told hours after a report of
    the same thing that was no danger (「电梯又等了五分钟」 that morning): a new incident with
    its own ticket, its own words in the workers' urgent ping and its own reporter — not a
    neighbour's echo of the morning's remark. Unless it says the same is still or again
    wrong (「还在漏」), or that it has grown worse since it was told (「老齐早上说的 现在滴得更邪乎了」):
    then it is that incident, now urgent."""
    return (
        heard.c.urgent and not ticket.urgent and at - ticket.created_at > URGENT_APART
        and not hearing.STILL.search(heard.text) and not hearing.WORSE.search(heard.text)
    )


def _names_an_official(ctx: Context, text: str) -> bool:
    """The text names one of the officials (「孙丽是不错」): said of them, not "me too" of a fault."""
    return any(len(name) >= 2 and name in text for name in ctx.directory.official_names())


def _said_of_it_elsewhere(
    heard: Heard, ticket: Ticket, rank: int, age: int, shared: frozenset[str]
) -> bool:
    """At another place, yet the incident just discussed: the same wish wanted there too,
    the thing not named again (「3号楼门口也想要一个」 after 「能不能在5号楼门口装个扶手」: one
    proposal, two doorways; 「也想装个充电桩」 is another wish); or agreeing with the report just made and telling where it
    shows (「就是 我这小卖部门口全是风刮过来的垃圾」 after 「北门垃圾站…满得冒尖了」), the same
    kind of need of the same thing, in no other building."""
    if rank != 0 or heard.c.intent != ticket.intent:
        return False
    if ticket.intent == "wish":
        return age <= THREAD_WINDOW and bool(hearing.ONE_TOO.search(heard.text)) and (
            not heard.subjects or bool(shared)
        )
    return (
        age <= hearing.PIECE_GAP and bool(shared) and bool(hearing.AGREE.match(heard.text))
        and not hearing.TOO.search(heard.text) and places.parse(heard.place_key or "").building is None
    )


# An animal about (not what it left): where it was seen moves with it.
_ANIMAL = phrase("matching.animal")
_LEFT_BEHIND = phrase("matching.left_behind")


def _roams(heard: Heard, ticket: Ticket, rank: int, age: int) -> bool:
    """The stray animal just being discussed, seen at another place (「是不是那条黄毛土狗
    这几天天天在菜市场门口转」 minutes after 「幼儿园门口又有条黄狗 …追娃娃」): the same
    animal, not another hazard; what it left somewhere (狗屎) stays where it is."""
    if rank != 0 or age > THREAD_WINDOW or "pet" not in heard.subjects:
        return False
    return all(
        _ANIMAL.search(text) and not _LEFT_BEHIND.search(text) for text in (heard.text, ticket.text)
    )


def _answers_back(ctx: Context, msg: IncomingMessage, heard: Heard, ticket: Ticket, at: int) -> bool:
    """The other side of a quarrel over a reported problem: a neighbour, not its reporter,
    answering them back ("停一下怎么了 你算老几") while the reporter is still at it, naming
    no place nor other thing of their own: the same incident, not a new quarrel."""
    if heard.c.intent != "dispute" or heard.place_key or ticket.reporter_id in (None, msg.sender_id):
        return False
    said = heard.subjects - {"conflict"}
    if said and not said & incident_subjects(ctx, ticket):
        return False
    last = last_word(ctx, ticket, ticket.reporter_id)
    return last is not None and at - last <= hearing.PIECE_GAP


def _trades_words(ctx: Context, msg: IncomingMessage, heard: Heard, ticket: Ticket, at: int) -> bool:
    """The other side of the matter being argued out: words said to someone (「你让我停哪儿」,
    「你家狗天天在楼道拉屎咋不说」) while its reporter is at it, minutes ago, by one who already
    spoke on it or of what it is about — where they are from or another grievance thrown
    back is no matter of its own. A new danger is."""
    if heard.c.urgent or ticket.reporter_id in (None, msg.sender_id) or not hearing.YOU_SAID.search(msg.text):
        return False
    if ticket.intent != "dispute" and "conflict" not in incident_subjects(ctx, ticket) | heard.subjects:
        return False  # (a fault talked of is argued over only when words fly)
    if hearing.blames_a_neighbour(ctx, msg) and not is_party(ctx, msg, ticket):
        return False  # an @ of someone else: a new accusation, a new quarrel
    last = last_word(ctx, ticket, ticket.reporter_id)
    if last is None or at - last > 2 * hearing.PIECE_GAP:
        return False
    if (heard.subjects - {"conflict"}) & incident_subjects(ctx, ticket):
        return True
    # or one already in the exchange: on it, or speaking in the room since it began
    return last_word(ctx, ticket, msg.sender_id) is not None or bool(ctx.store.conversation.window(
        msg.room_id, since=max(ticket.created_at, at - DISPUTE_WINDOW), before=msg.message_id,
        sender_id=msg.sender_id, limit=1,
    ))


def _caught_in(msg: IncomingMessage, heard: Heard, ticket: Ticket) -> bool:
    """A neighbour of the emergency's building (and unit) asking help for one of theirs
    while it goes on ("我老头子腿脚不好 下楼慢" in a gas leak of their unit; stuck upstairs
    by the flooded stairs, a medicine to fetch), naming no place of their own: someone
    caught in that emergency, not another one — urgent in their words or not."""
    if not (ticket.urgent and heard.c.intent == "errand") or heard.place_key:
        return False
    if not places.lives_at(msg.sender_name, ticket):
        return False
    home = places.place_key(extract_place(msg.sender_name), "")
    unit_home, unit_there = places.unit(home or ""), places.unit(places.ticket_place(ticket) or "")
    return not (unit_home and unit_there and unit_home != unit_there)


def just_discussed(
    ctx: Context, msg: IncomingMessage, subjects: frozenset[str], *, intent: str | None = None
) -> Ticket | None:
    """The incident the room was talking about a moment ago, when it is of these subjects
    (or, `intent` given, of that kind of need)."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - THREAD_WINDOW
    )
    for ticket, _ in active[:1]:
        if ticket.intent != "dispute" and (
            subjects & incident_subjects(ctx, ticket) or (intent is not None and intent == ticket.intent)
        ):
            return ticket
    return None


def talked_of(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The incident the room is talking of (the last joined, minutes ago), when the message
    names nothing it is not about; not a quarrel (joined by its parties only)."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    for ticket, _ in ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - 2 * hearing.PIECE_GAP, limit=1
    ):
        if ticket.intent != "dispute" and heard.subjects <= incident_subjects(ctx, ticket):
            return ticket
    return None


# What one tells a reporter to do meanwhile (「恁先拿个盆接着」, 「要不让物业开门」, 「得找着业主」).
ADVICE_TO_REPORTER = phrase("matching.advice_to_reporter")


def advises_its_reporter(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """A neighbour's advice to the reporter of the incident the room was just talking about,
    calling them by name or naming their home (「老刘 恁先拿个盆接着」, 「老刘家这个得找着业主
    要不让物业开门？」 of 8-1-402 老刘's leak): a remark on it, no need of theirs. Not danger
    now (urgent), and not words to the reporter without advice (「老刘 你家狗…」)."""
    if heard.c.urgent or not ADVICE_TO_REPORTER.search(heard.text):
        return None
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    for ticket, _ in ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - THREAD_WINDOW, limit=3
    ):
        if ticket.reporter_id == msg.sender_id:
            continue
        name = _called(ticket.reporter_name or "")
        if name and (heard.text.startswith(name) or f"{name}家" in heard.text):
            return ticket
    return None


def _called(display_name: str) -> str | None:
    """What neighbours call someone: the last word of their display name when it is a name
    (「8-1-402 老刘」: 老刘), not a flat or a building."""
    words = display_name.split()
    name = words[-1] if words else ""
    return name if len(name) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", name) else None


def helped_with(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """What a volunteer's word of doing (「吃完饭我去药店买了给你妈送上去」, 「药买着了 跟孙丽这
    就上去」) is about when it names nothing: a request for help made minutes ago (an errand, a
    wish) that the room was just talking about; else the matter they took on earlier today,
    while the room is not in the middle of a quarrel (「老胡 红梅 你们两家都消消气」 is about
    that)."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - THREAD_WINDOW, limit=1
    )
    top, last_at = active[0] if active else (None, 0)
    if top is not None and top.intent in OWN_REQUESTS and at - last_at <= 2 * hearing.PIECE_GAP and (
        places.same_place(heard.place_key, places.ticket_place(top), heard.subjects) is not False
    ):
        return top  # 「闺女别着急 我是志愿者周阿姨 …」 right after the daughter's plea
    called = _request_of_the_one_called(ctx, msg, at)
    if called is not None:
        return called  # 「刘奶奶您好 我是志愿者小王 我中午去…给您买」 a quarter of an hour on
    if top is not None and top.intent == "dispute":
        return None
    theirs = ctx.store.conversation.window(
        msg.room_id, since=at - SUBJECT_WINDOW, before=msg.message_id, sender_id=msg.sender_id, limit=20
    )
    for row in reversed(theirs):
        if row.reading == "update" and row.ticket_id is not None:
            ticket = ctx.store.tickets.get(row.ticket_id)
            if ticket is None or ticket.status not in OPEN_STATES:
                return None
            # 「两家我都去坐了一会 暂时都不吵了」 is of another matter than the errand they ran
            return ticket if not heard.subjects or heard.subjects & incident_subjects(ctx, ticket) else None
    return None


def _request_of_the_one_called(ctx: Context, msg: IncomingMessage, at: int) -> Ticket | None:
    """The one open request for help (an errand, a wish) of this room today whose reporter
    the words call by the name they go by (「刘奶奶您好」 to 「3栋 刘奶奶」)."""
    assert msg.room_id is not None
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - SUBJECT_WINDOW, limit=10
    )
    called = [
        t for t, _ in active
        if t.intent in OWN_REQUESTS and any(name in msg.text for name in _names(t.reporter_name or ""))
    ]
    return called[0] if len(called) == 1 else None


def _names(display_name: str) -> list[str]:
    """The names a display name goes by: its words of two characters or more without a
    digit (「3栋 刘奶奶」: 刘奶奶; 「10-2-601 吴大妈」: 吴大妈)."""
    return [w for w in re.split(r"[\s()（）]+", display_name) if len(w) >= 2 and not re.search(r"\d", w)]


def said_of(heard: Heard, ticket: Ticket) -> bool:
    """The message names the incident's place or subject (not only its kind of need)."""
    return bool(heard.subjects & subjects_of(ticket.text)) or bool(
        heard.place_key and places.same_place(heard.place_key, places.ticket_place(ticket), heard.subjects)
    )


def _likeness(said: frozenset[str], ticket: Ticket, gathered: frozenset[str]) -> float:
    """How alike a message is to an incident: its subjects against the incident's own
    report (closest first), then against all that was said of it."""
    if not said:
        return 0.0
    core = subjects_of(ticket.text)
    jaccard = len(said & core) / len(said | core) if core else 0.0
    return jaccard + 0.5 * len(said & gathered) / len(said)


def _elsewhere_than(ctx: Context, heard: Heard, quarrel: Ticket) -> bool:
    """A word naming a place outside the buildings of a quarrel — where it was said to be and
    where its parties live (「11号楼已恢复供水」, 「新村那边…下午两点来水」 while 8号楼2单元's
    neighbours argue over water from a drain): news of something else, whatever subject it
    shares."""
    if not heard.place_key:
        return False
    theirs = {places.building_where(places.ticket_place(quarrel), "")} | {
        places.building_where(None, r.person_name) for r in ctx.store.tickets.reporters(quarrel.id)
    }
    theirs.discard(None)
    return bool(theirs) and places.building_where(heard.place_key, "") not in theirs


def _in_quarrel(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> bool:
    """A line of the quarrel going on: more of it, a call for the police, or its parties."""
    if heard.c.intent == "dispute" or heard.c.emergency == "110" or "conflict" in heard.subjects:
        return True
    if heard.is_need and not heard.place_key and heard.subjects & incident_subjects(ctx, ticket):
        return True  # what the quarrel is about: "那巷子车一停 消防车都进不来"
    return heard.is_need and is_party(ctx, msg, ticket)


def is_party(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> bool:
    """One of those the quarrel is between: who reported it, or whom it @s."""
    if ctx.store.tickets.is_reporter(ticket.id, msg.sender_id):
        return True
    return ctx.store.conversation.mentioned(ticket.id, msg.sender_name)
