"""A resident's message that is part of nothing open: a new ticket, a 疑似 kept for the
worker, an answer from the FAQ, or talk.

Not every need-like message in a group is a new report: an order after a shop's 接龙, a
question asked of who just answered, talk about a FAQ answer, a thing told of another
estate, a report a neighbour already made (this one answers it: that one opens).
"""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import (
    announced,
    flood,
    handled,
    hearing,
    joining,
    lifecycle,
    matching,
    named,
    notify,
    places,
    praised,
    report,
    severity,
)
from handlers.chase import QUESTION
from handlers.context import Context
from handlers.directory import Grid
from handlers.hearing import Heard
from handlers.identity import who
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.posts import TRADE_NAME
from intents import subjects_of
from storage import InboxRow, Ticket, TicketState

FAQ_THREAD = 10 * 60  # the talk after a question the FAQ answered
REGISTER = "要登记:"  # the classifier's concept of asking to be registered (intents/rules/10_concepts.toml)
STAFF_ANSWER = 2 * 3600  # an official's word on a matter in the room this recent answers it
STAFF_SHARED = 2  # two-character pieces a question shares with an official's word on its matter
# Speaking to the officials by title: "陈主任 ...", "网格员在吗", "社区的同志" — the title
# said as a call, not as a word of the sentence ("明天社区上班了…", "我们社区…").
ADDRESS = re.compile(
    r"^\s*@?\S{0,3}(?:主任|书记|网格员|社工|社区(?:的?(?:同志|领导|工作人员|干部))?)"
    r"(?=$|[\s,，.。:：!！?？~]|在|呢|吗|您|你|好|呀|啊|帮|快|麻烦|请)"
)
# The estate in a room's name: 「滨河花园一网格群」 is 滨河花园.
ESTATE = re.compile(r"^(.{2,10}?)(?:[一二三四五六七八九十\d]+网格|[\d-]+号楼|楼栋群|居民群|网格群|业主群|群)")
# A 接龙 of the day: its 【周六海鲜接龙】 header; its first entry ("1. 丽娜 9栋 花蛤2斤").
LIST_HEADER = re.compile(r"^\s*[【\[][^】\]\n]{1,16}[】\]]")
FIRST_ENTRY = re.compile(r"(?:^|\n|/)\s*1\s*[.、．)）]\s*(\S+)")
SELLING_WINDOW = 12 * 3600  # one who started a 接龙 sells in the room the rest of the day
GROUP_BUY_MESSAGES = 400  # the room's messages of that window read for a 接龙
# An amount ordered: 二十斤, 2箱, 三棵; the goods a 接龙 line names (「接龙 大白菜 0.9元/斤」).
UNITS = ("斤", "箱", "份", "盒", "袋", "棵", "件", "提", "瓶", "桶", "包", "串", "兜")
ORDERED = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半百]+)\s*(" + "|".join(UNITS) + ")")
GOODS = re.compile(r"[\u4e00-\u9fff]{2,6}")
# What a need for the grid is when it is a fault: never an order.
FAULTS = frozenset({"repair", "safety", "sanitation", "dispute"})


def _of_another_estate(ctx: Context, grid: Grid, place: str | None) -> bool:
    """The place is in an estate of another grid ("我外甥女在滨河花园…" said in 滨河新村's
    group): told of elsewhere, not a need of this grid."""
    if not place:
        return False
    ours = {m.group(1) for r in grid.rooms if (m := ESTATE.match(r))}
    if any(estate in place for estate in ours):
        return False
    theirs = {
        m.group(1) for g in ctx.directory.grids if g.id != grid.id for r in g.rooms if (m := ESTATE.match(r))
    }
    return any(estate in place for estate in theirs - ours)


def answers_a_trader(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> bool:
    """Help asked right after a shop's or a group-buying leader's post, of them ("你帮我写
    花蛤一斤", "能不能帮我放在门岗"): an order, not an errand for the grid — unless it is
    urgent or said to the officials."""
    if heard.c.urgent or heard.c.intent != "errand" or msg.room_id is None:
        return False
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - hearing.PIECE_GAP, before=msg.message_id, limit=hearing.ANSWERED_MESSAGES
    )
    others = [r for r in rows if r.sender_id != msg.sender_id and r.reading != "photo"]
    if not others:
        return False
    if not _sells(ctx, msg, others[-1]):
        return False
    return not _addressed_to_officials(ctx, msg, grid)


def of_a_group_buy(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> bool:
    """An amount of the goods of a 接龙 the room runs today (「我要白菜二十斤 我不会接那个龙」,
    「二十斤我扛不上去啊 四楼」 under 「接龙 大白菜 0.9元/斤」): said to the buyers and the one
    selling, who answer it (「四楼以下的我们给送上楼」) — not a need for the grid. Unless it is
    urgent, a fault, or said to the officials."""
    if heard.c.urgent or heard.c.intent in FAULTS or heard.c.intent == "none" or msg.room_id is None:
        return False
    amounts = {m.group(1) for m in ORDERED.finditer(heard.text)}
    if not amounts:
        return False
    rows = ctx.store.conversation.window(
        msg.room_id, since=int(msg.time.timestamp()) - SELLING_WINDOW, before=msg.message_id,
        limit=GROUP_BUY_MESSAGES,
    )
    for row in rows:
        head = next((line for line in row.text.splitlines() if "接龙" in line), None)
        if head is None or row.sender_id == msg.sender_id and not FIRST_ENTRY.search(row.text):
            continue
        goods = [w for w in GOODS.findall(LIST_HEADER.sub("", head).replace("接龙", " ")) if w not in UNITS]
        units = {m.group(1) for m in ORDERED.finditer(row.text)} | set(re.findall(r"/\s*(" + "|".join(UNITS) + ")", head))
        if any(g in heard.text or g[-2:] in heard.text for g in goods) or amounts & units:
            return not _addressed_to_officials(ctx, msg, grid)
    return False


def _sells(ctx: Context, msg: IncomingMessage, row: InboxRow) -> bool:
    """The sender of `row` sells in this room: a shop by name, or one who started a 接龙
    here today (its 【…接龙】 header, or its first line their own name) — not one who only
    signed up to it."""
    if row.reading == "ad" or TRADE_NAME.search(row.sender_name):
        return True
    assert msg.room_id is not None
    theirs = ctx.store.conversation.window(
        msg.room_id, since=int(msg.time.timestamp()) - SELLING_WINDOW, before=msg.message_id,
        sender_id=row.sender_id, limit=50,
    )
    name = row.sender_name.split()[0] if row.sender_name.split() else row.sender_name
    for said in theirs:
        if "接龙" not in said.text:
            continue
        header = LIST_HEADER.match(said.text)
        first = FIRST_ENTRY.search(said.text)
        if (header and "接龙" in header.group(0)) or (first and first.group(1) in (name, row.sender_name)):
            return True
    return False


def _addressed_to_officials(ctx: Context, msg: IncomingMessage, grid: Grid) -> bool:
    """Said to the grid's worker or the community's staff: @ them, or a title first
    ("陈主任 ...", "网格员在吗")."""
    community = ctx.directory.community(grid.community_id)
    names = list(grid.workers) + (list(community.staff) if community else [])
    ids = {notify.person(ctx, n).id for n in names} - {None}
    if set(msg.mention_ids) & ids or any(f"@{n}" in msg.text for n in names):
        return True
    return bool(ADDRESS.match(msg.text))


def new(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> list[Outgoing]:
    """Not part of anything open: possibly a new report."""
    c = heard.c
    if c.intent in ("none", "inquiry") and not c.urgent:
        asked = named.put_to_official(ctx, msg, grid)  # 「@陈海燕 想问一下」 after the FAQ's answer
        if asked is not None:
            return asked
    if c.intent == "none":
        return joining.read(ctx, msg, "chatter")
    if c.intent == "praise":
        report.keep_praise(ctx, msg, grid, c)
        return praised.pass_on(ctx, msg, grid, heard.text, c) + joining.read(ctx, msg, "praise")
    unsure = c.confidence < ctx.settings.classifier.min_confidence
    if unsure and not c.urgent and not _addressed_to_officials(ctx, msg, grid):
        return joining.keep(ctx, msg, grid, heard)
    if c.intent == "errand" and REGISTER in " ".join(c.evidence):
        answered = _question_being_answered(ctx, msg, grid)
        if answered is not None:  # 「我们家也登记一个 …601 礼拜六」 under the answer: on its list
            return joining.register(ctx, msg, answered, heard)
    if c.intent == "inquiry" and not c.urgent:
        if _staff_spoke_of_it(ctx, msg, heard):  # theirs to answer: no template after them
            return joining.keep(ctx, msg, grid, heard)
        asked = named.asked_of_official(ctx, msg, grid, heard.text)  # 「刘主任问一下 …」: theirs too
        if asked is not None:
            return asked
        answered = report.faq_answer(ctx, msg, grid, heard.text)
        if answered is not None:
            return answered + joining.read(ctx, msg, "faq")
        again = report.same_question(ctx, msg, grid, heard.text)
        if again is not None:  # asked again today: the worker's one answer is for both
            return _asked_again(ctx, msg, grid, heard, again)
        if _answered_just_now(ctx, msg, heard):
            return joining.keep(ctx, msg, grid, heard)  # 「医保这个我也要弄吗」: asked of who just answered
    if heard.place_key is None and not c.urgent and not QUESTION.search(heard.text) and (
        _faq_just_answered(ctx, msg)
    ):  # the asker's "还是去社区办踏实", a neighbour's "租房的话要房东出合同": talk about the answer
        return joining.keep(ctx, msg, grid, heard)
    if heard.place_key is None:
        surge = flood.fold_target(ctx, msg, grid, c.intent, c.urgent)
        if surge is not None:
            return joining.join(ctx, msg, surge, heard)
    if not c.urgent and _of_another_estate(ctx, grid, c.place):
        return joining.keep(ctx, msg, grid, heard)  # told of another estate: for the worker to judge
    duplicate = report.same_need(ctx, msg, grid, c.intent, heard.place_key, heard.subjects)
    if duplicate is not None and not matching.new_danger(heard, duplicate, ctx.ts):
        return joining.join(ctx, msg, duplicate, heard)
    if announced.on_a_private_matter(ctx, msg, heard, grid.id) is not None:
        return joining.read(ctx, msg, "reply")  # 「我在天台上养几只鸡都不得」 under 「禁止…饲养鸡鸭」: of the notice
    earlier = _answered_report(ctx, msg, heard)
    if earlier is not None:
        return _open_on_earlier(ctx, msg, grid, heard, earlier)
    out = report.open_from_message(
        ctx, msg, grid, text=heard.text, intent=c.intent, urgent=c.urgent, place=c.place,
        place_key=heard.place_key, masked_text=c.masked_text, emergency=c.emergency,
        hazard=severity.hazard_of(c),
    )
    ticket = ctx.store.tickets.by_source_message(msg.message_id)
    if ticket is not None:
        for piece in heard.before:  # the sender's turn that led to this report
            joining.join_piece(ctx, ticket, piece)
        ctx.store.conversation.mark_read(msg.message_id, "report", ticket.id)
    return out


def _asked_again(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard, ticket) -> list[Outgoing]:
    """The same question as a ticket of today: while it waits, one more asker on it, quietly
    (the worker answers them together); once answered, kept for the worker to see."""
    if not ticket.status.is_open:
        return joining.keep(ctx, msg, grid, heard)
    joining.add_report(ctx, msg, ticket, "echo")
    lifecycle.join(
        ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
        room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
    )
    return []


def _staff_spoke_of_it(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A worker or staff member answered a resident's question on this matter in the room
    lately, quoting it (陈海燕's answer on the heating subsidy, and then 「陈主任 我们不是低保
    的可以申请不」): the official is answering it; the bot's canned answer after theirs would
    contradict or parrot them. Kept for them to see, not answered, not a ticket. Their
    notices answer nobody: a question on a notice is still asked."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - STAFF_ANSWER, before=msg.message_id, limit=80
    )
    return any(
        row.quote_text and row.sender_id != msg.sender_id  # a reply to someone: not a notice
        and hearing.is_official(ctx, who(ctx, row.sender_id, row.sender_name).name)
        and hearing.shared_words(heard.text, row.text) >= STAFF_SHARED
        for row in rows
    )


def _answered_just_now(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A question of the room was answered in the group minutes ago (its ticket done by an
    official's words), and this question is on the same matter ("医保这个我也要弄吗" after
    the answer about 医保): asked of the one answering, who is there — kept for the worker
    to see, not a ticket of its own."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=(TicketState.RESOLVED,), since=at - matching.THREAD_WINDOW
    )
    return any(
        t.intent == "inquiry" and (t.resolved_at or 0) >= at - matching.THREAD_WINDOW
        and t.reporter_id != msg.sender_id and hearing.shared_words(heard.text, t.text) > 0
        for t, _ in active
    )


def _question_being_answered(ctx: Context, msg: IncomingMessage, grid: Grid) -> Ticket | None:
    """Today's question of this room an official answered in the last half hour (刘芳's
    「本周六上午燃气公司有补检 找孙丽登记」 to the gas check's question), the latest."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    quoted = [
        row.quote_text for row in ctx.store.conversation.window(
            msg.room_id, since=at - handled.ANSWERING_WINDOW, before=msg.message_id, limit=80
        )
        if row.quote_text and hearing.is_official(ctx, who(ctx, row.sender_id, row.sender_name).name)
    ]
    for ticket in reversed(ctx.store.tickets.select(grid_ids=[grid.id], created_from=at - 86400)):
        if ticket.intent != "inquiry" or ticket.room_id != msg.room_id:
            continue
        if handled.answering_now(ctx, ticket, at) or any(ticket.text[:10] in q for q in quoted):
            return ticket
    return None


def _faq_just_answered(ctx: Context, msg: IncomingMessage) -> bool:
    """A question of this room was answered from the FAQ minutes ago: what follows it and
    asks nothing (the asker's "手机上搞不来 还是去社区办", a neighbour's "好像要带户口本") is
    talk about that answer, not a new question."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - FAQ_THREAD, before=msg.message_id, limit=2 * hearing.ANSWERED_MESSAGES
    )
    # ... or a question of the room went to the worker minutes ago (「居住证的事…回您准话」): a
    # neighbour's 「好像要租房合同」 is talk about it too, for the worker to see, not a question
    asked = {row.ticket_id for row in rows if row.reading == "report" and row.ticket_id is not None}
    return any(row.reading == "faq" for row in rows) or any(
        (t := ctx.store.tickets.get(i)) is not None and t.intent == "inquiry" for i in asked
    )


def _answered_report(ctx: Context, msg: IncomingMessage, heard: Heard) -> InboxRow | None:
    """A neighbour's message just before this one, naming a place and the same subject but
    not taken for a need on its own ("我们19栋2单元有人天天飞线充电" / "这个危险哦 ..."):
    this one answers it, so it was the report."""
    if not heard.subjects or heard.place_key or heard.pieces_used or msg.quote is not None:
        return None  # an answer to a report does not name a place of its own
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - hearing.ANSWERED_WINDOW, before=msg.message_id, limit=hearing.ANSWERED_MESSAGES
    )
    for row in reversed(rows):
        if row.sender_id == msg.sender_id or row.ticket_id is not None:
            continue
        if row.reading not in ("chatter", "suspect") or not row.text.strip():
            continue
        if not heard.subjects & subjects_of(row.text):
            continue
        c = ctx.classifier.classify(hearing.without_mentions(ctx, row.text))
        if c.place is not None:  # a report says where; a remark answering it may not
            return row
    return None


def _open_on_earlier(
    ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard, earlier: InboxRow
) -> list[Outgoing]:
    """Open the incident on the report this message answers; this one joins it."""
    c = heard.c
    first = ctx.classifier.classify(hearing.without_mentions(ctx, earlier.text))
    place = first.place or c.place
    origin = IncomingMessage(
        message_id=earlier.message_id, room_id=earlier.room_id, room_topic=earlier.room_topic,
        sender_id=earlier.sender_id, sender_name=earlier.sender_name, text=earlier.text,
        time=ctx.local(earlier.sent_at),
    )
    out = report.open_from_message(
        ctx, origin, grid, text=earlier.text, intent=c.intent, urgent=c.urgent, place=place,
        place_key=places.place_key(place, earlier.sender_name), masked_text=first.masked_text,
        emergency=c.emergency, hazard=severity.hazard_of(c),
    )
    ticket = ctx.store.tickets.by_source_message(earlier.message_id)
    if ticket is None:
        return out
    ctx.store.conversation.mark_read(earlier.message_id, "report", ticket.id)
    joining.add_report(ctx, msg, ticket, "echo")
    lifecycle.join(
        ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
        room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
    )
    ctx.store.conversation.mark_told(ticket.id, [msg.sender_id], ctx.ts)
    return [_also_mention(o, msg) for o in out]


def _also_mention(out: Outgoing, msg: IncomingMessage) -> Outgoing:
    """The acknowledgement in the room @s the one who answered too."""
    if out.room_id is None or out.room_id != msg.room_id:
        return out
    me = Person(name=msg.sender_name, id=msg.sender_id)
    return replace(out, mentions=(*out.mentions[:1], me, *out.mentions[1:]))
