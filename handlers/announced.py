"""What the room's staff (the configured officials) announced: a planned cut of water or power (【停电通知】 …10栋、11栋、
12栋线路检修停电). Residents grumbling about it or asking about it (「又停电 上个月才停了一回」,
「明天停电 12栋楼下还能拿吗」) speak of the notice, not of a fault: an announced, scheduled cut
is nobody's repair. A cut said to be happening now, or at a building the notice does not name,
still is a report.

Reading only: nothing here writes.
"""

from __future__ import annotations

import re

from handlers.context import Context
from handlers.hearing import Heard
from handlers.messages import IncomingMessage
from intents import subjects_of
from storage import InboxRow, Ticket

NOTICE_WINDOW = 12 * 60 * 60  # a notice is what the room talks about for half a day
CUTS = frozenset({"power", "water"})
# A notice of a planned cut: the cut, and its header or the words of a plan (检修, 计划…).
CUT = re.compile(r"停电|停水|断电|断水|停气")
PLANNED = re.compile(r"【[^】]*(?:通知|公告|提示|告知)[^】]*】|计划|检修|施工|维修停|预计|提前做好")
# Said to be happening now: a cut before the announced time, not the announced one.
NOW = re.compile(r"现在|刚刚|刚才|突然|这会儿|已经停")
BUILDING = re.compile(r"(\d{1,3})\s*(?:栋|号楼|幢|座)")


def notice_of(ctx: Context, msg: IncomingMessage, heard: Heard) -> InboxRow | None:
    """The staff's notice of a planned cut this message speaks of, if any."""
    said = heard.subjects & CUTS
    if not said or heard.c.urgent or NOW.search(heard.text) or msg.room_id is None:
        return None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.said_by(
        msg.room_id, sorted(ctx.directory.official_names()), since=at - NOTICE_WINDOW, until=at
    )
    for row in rows:
        if not (CUT.search(row.text) and PLANNED.search(row.text) and said & subjects_of(row.text)):
            continue
        named = set(BUILDING.findall(heard.text))
        if named and not named <= set(BUILDING.findall(row.text)):
            return None  # a building the notice does not name: a cut of its own
        return row
    return None


EXPLAIN_WINDOW = 15 * 60  # a notice within minutes of a new ticket answers it
# Planned work: an inspection, maintenance, works or a planned cut (what the notice is about).
WORK = re.compile(r"检验|年检|检测|检修|维修|维护|保养|施工|改造|停电|停水|停气|停用|暂停使用")
# The time it ends: 「9点前恢复」「预计11:30结束」「下午恢复供水」.
ENDS = re.compile(
    r"(?:\d{1,2}\s*(?:点|时|:|：)\d{0,2}|上午|中午|下午|傍晚|今天|今日|明天)[^，。,.！!]{0,8}"
    r"(?:恢复|结束|完成|完工|来电|来水|开通|正常)"
)


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
