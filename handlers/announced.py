"""What the room's staff (the configured officials) announced: a planned cut of water or power (【停电通知】 …10栋、11栋、
12栋线路检修停电). Residents grumbling about it or asking about it (「又停电 上个月才停了一回」,
「明天停电 12栋楼下还能拿吗」) speak of the notice, not of a fault: an announced, scheduled cut
is nobody's repair. A cut said to be happening now, at a building the notice does not name, or
after the end the notice announced (「两点了 水怎么还没来」 after 「8:00—14:00停水」) still is a report.

Reading only: nothing here writes.
"""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.context import Context
from handlers.hearing import Heard
from handlers.messages import IncomingMessage
from handlers.posts import ORGANISATION_NAME
from intents import subjects_of
from intents.phrases import phrase
from storage import OPEN_STATES, InboxRow, Ticket

NOTICE_WINDOW = 12 * 60 * 60  # a notice is what the room talks about for half a day
NOTICE_ROWS = 10  # an official's last words of that half day read for it (a busy morning says many): bounded, whatever the day
REPLY_WINDOW = 30 * 60  # a notice on a private matter: what a remark under it answers while it is fresh
DOERS_IN_SIGHT = 10  # the property company's or a contractor's word: heard while on the screen
CUTS = frozenset({"power", "water"})
# A notice of a planned cut: the cut, and its header or the words of a plan (检修, 计划…).
CUT = phrase("announced.cut")
PLANNED = phrase("announced.planned")
# Said to be happening now: a cut before the announced time, not the announced one.
NOW = phrase("announced.now")
BUILDING = re.compile(r"(\d{1,3})\s*(?:栋|号楼|幢|座)")
# When the announced cut ends: 「8:00—14:00」「8:30-17:30」 (the span's end), 「预计14:00恢复」.
SPAN_END = re.compile(r"\d{1,2}[:：]\d{2}\s*(?:—|–|-|~|～|至|到)+\s*(\d{1,2})[:：](\d{2})")
END_AT = re.compile(r"(\d{1,2})[:：](\d{2})\s*(?:前|以前|左右)?\s*(?:恢复|来水|来电|结束|送水|送电|供水|供电)")
# The day the cut is on: 「12月10日」, 「明天」; else the day of the notice.
DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
TOMORROW = re.compile(r"明天|明日")
# Asking whether the announced cut reaches one's own building (「10号楼也停吗」, 「我们楼停不停」):
# a question on the notice, not a cut of its own.
ASKS_IF_INCLUDED = phrase("announced.asks_if_included")


def notice_of(ctx: Context, msg: IncomingMessage, heard: Heard) -> InboxRow | None:
    """The staff's notice of a planned cut this message speaks of, if any."""
    said = heard.subjects & CUTS
    if not said or heard.c.urgent or NOW.search(heard.text) or msg.room_id is None:
        return None
    at = int(msg.time.timestamp())
    since = at - NOTICE_WINDOW
    # the staff, and those who speak for the property company or the works (施工队 刘工: 「八点要准时停水」)
    doers = {name for name in ctx.store.conversation.recent_senders(
        msg.room_id, since=since, until=at, limit=DOERS_IN_SIGHT,
    ) if ORGANISATION_NAME.search(name)}
    rows = ctx.store.conversation.said_by(
        msg.room_id, sorted(set(ctx.directory.official_names()) | doers), since=since, until=at,
        limit=NOTICE_ROWS,
    )
    for row in rows:
        if not (CUT.search(row.text) and PLANNED.search(row.text) and said & subjects_of(row.text)):
            continue
        if not CUT.search(heard.text) and heard.subjects - CUTS - subjects_of(row.text):
            continue  # 「燃气管子要改到外墙上 每户得交钱吗」: of another thing (gas), the cut not named
        end = _ends_at(ctx, row)
        if end is not None and at > end:
            return None  # 「两点了 介水怎么还没来啊」 after 「8:00—14:00停水」: running late, a fault
        named = set(BUILDING.findall(heard.text))
        if named and not named <= set(BUILDING.findall(row.text)) and not ASKS_IF_INCLUDED.search(heard.text):
            return None  # a building the notice does not name: a cut of its own
        return row
    return None


def on_a_private_matter(ctx: Context, msg: IncomingMessage, heard: Heard, grid_id: str) -> Ticket | None:
    """The matter told to the bot privately, still open, that an official or the property
    company has posted a notice on in this room within the half hour, and that this message speaks of
    by the same thing (「哪个去物业告的嘛 我在天台上养几只鸡都不得」 under 「禁止…饲养鸡鸭等家禽」,
    hours after a neighbour told of the roof's chickens privately): a reply to the notice on a
    matter in hand, not a new one — and nothing said of it may point at who told."""
    said = heard.subjects - {"conflict"}
    if not said or heard.c.urgent or msg.room_id is None:
        return None
    at = int(msg.time.timestamp())
    doers = {name for name in ctx.store.conversation.recent_senders(
        msg.room_id, since=at - REPLY_WINDOW, until=at, limit=DOERS_IN_SIGHT,
    ) if ORGANISATION_NAME.search(name)}
    notices = [  # the notices first: the room's last half hour, not the grid's tickets, is read
        row for row in ctx.store.conversation.said_by(
            msg.room_id, sorted(set(ctx.directory.official_names()) | doers), since=at - REPLY_WINDOW, until=at,
            limit=NOTICE_ROWS,
        ) if said & subjects_of(row.text) and ctx.phrases.is_notice(row.text, from_official=True)
    ]
    if not notices:
        return None
    for ticket in ctx.store.tickets.told_privately(grid_id, OPEN_STATES, since=at - NOTICE_WINDOW):
        if any(ticket.created_at <= row.sent_at and said & subjects_of(row.text) & subjects_of(ticket.text)
               for row in notices):
            return ticket
    return None


def _ends_at(ctx: Context, row: InboxRow) -> int | None:
    """When the cut the notice announces is to end (a timestamp), if it says: the span's end
    or the time it is back, on the day it names (today when it names none)."""
    found = SPAN_END.search(row.text) or END_AT.search(row.text)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    day = ctx.local(row.sent_at).replace(hour=0, minute=0, second=0, microsecond=0)
    date = DATE.search(row.text)
    if date is not None:
        try:
            named = day.replace(month=int(date.group(1)), day=int(date.group(2)))
        except ValueError:
            return None
        day = named if named >= day else named.replace(year=day.year + 1)
    elif TOMORROW.search(row.text):
        day = day + timedelta(days=1)
    return int((day + timedelta(hours=hour, minutes=minute)).timestamp())


EXPLAIN_WINDOW = 15 * 60  # a notice within minutes of a new ticket answers it
# Planned work: an inspection, maintenance, works or a planned cut (what the notice is about).
WORK = phrase("announced.work")
# The time it ends: 「9点前恢复」「预计11:30结束」「下午恢复供水」.
ENDS = phrase("announced.ends", r"(?:\d{1,2}\s*(?:点|时|:|：)\d{0,2}|上午|中午|下午|傍晚|今天|今日|明天)[^，。,.！!]{0,8}(?:%s)")


def explains(text: str, ticket: Ticket, at: int) -> bool:
    """An official's notice (`text`, said at `at`) that explains the new, not urgent ticket
    as planned work there: 【通知】12号楼…电梯…年度检验…9点前恢复 minutes after
    「12号楼两部梯只开一部？」. The place the ticket names must be one the notice names."""
    if ticket.urgent or not 0 <= at - ticket.created_at <= EXPLAIN_WINDOW:
        return False
    if not (PLANNED.search(text) and WORK.search(text) and ENDS.search(text)):
        return False
    if not subjects_of(ticket.text) & subjects_of(text):
        return False
    named = set(BUILDING.findall(ticket.text))
    return bool(named) and named <= set(BUILDING.findall(text))
