"""Who posts and what shape of post it is, read before any meaning.

A residents' group is mostly not residents speaking of their own lives: the property
company and the neighbourhood committee post notices and updates, shops and tradesmen
post ads and 接龙 lists, people forward articles and hand out red packets. None of these
is a new need, whatever words they contain. The speaker is told by the directory (a
grid's volunteers) or by the display name ("滨河物业客服-小刘", "丽丽鲜果蔬菜团"); the
shape by WeChat's conventions (a 【通知】 header, a numbered 接龙, a link, [红包]).
"""

from __future__ import annotations

import re
from enum import StrEnum

from handlers.directory import Identity
from handlers.messages import IncomingMessage
from intents.phrases import phrase


class Speaker(StrEnum):
    RESIDENT = "resident"
    HELPER = "helper"  # a volunteer of the grid: helps, reports what was done
    ORGANISATION = "organisation"  # property company, committee, police: notices, updates
    TRADE = "trade"  # a shop, a group-buying leader, a tradesman: ads, 接龙


class Form(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    NOTICE = "notice"  # 【通知】, 【温馨提示】, 寻狗启事, 出租...
    LIST = "list"  # 接龙 and other numbered lists
    FORWARD = "forward"  # links, videos, forwarded articles
    RED_PACKET = "red_packet"


# Words in a display name that mark an organisation or a trade, not a household. The contractor
# doing works in the estate (施工队 刘工, 项目部 小张) speaks for it like the property company.
ORGANISATION_NAME = phrase("posts.organisation_name")
TRADE_NAME = phrase("posts.trade_name")
# A post that opens with a bracketed header of these words is a notice, not a report.
_HEADER = re.compile(r"^\s*[【\[](?P<head>[^】\]\n]{1,12})[】\]]")
_NOTICE_HEAD = phrase("posts.notice_head")
_NOTICE_START = phrase("posts.notice_start", r"^\s*(?:#\s*)?(?:%s)")
_LIST_LINE = re.compile(r"^[^\S\n]*\d{1,3}\s*[.、．)）]\s*(?P<item>\S.*)$", re.MULTILINE)
# A line of a group-buying list: a name and an amount ("3. 12栋 老蔡 60斤").
_AMOUNT = re.compile(r"(?:(?<!\d)\d+(?:\.\d+)?|(?<![一二两三四五六七八九十半])[一二两三四五六七八九十半]+)\s*(?:斤|箱|份|个|件|盒|袋|只|瓶|桶|包|提|串|条|kg|公斤|元)\s*\S{0,4}$")
_LINK = re.compile(r"https?://|mp\.weixin\.qq\.com|\[(?:视频|链接|文件|小程序|音乐)\]")
_RED_PACKET = re.compile(r"^\s*\[红包\]")
_PHOTO_ONLY = re.compile(r"^\s*(?:\[(?:图片|表情|动画表情)\]\s*)+$")


def speaker_of(identity: Identity, sender_name: str) -> Speaker:
    """Who is speaking, for a sender who is not one of the grid's officials."""
    if identity.volunteer_of:
        return Speaker.HELPER
    if ORGANISATION_NAME.search(sender_name):
        return Speaker.ORGANISATION
    if TRADE_NAME.search(sender_name):
        return Speaker.TRADE
    return Speaker.RESIDENT


def form_of(msg: IncomingMessage) -> Form:
    text = msg.text
    if msg.media and not text.strip() or _PHOTO_ONLY.match(text):
        return Form.PHOTO
    if _RED_PACKET.match(text):
        return Form.RED_PACKET
    header = _HEADER.match(text)
    if header and _NOTICE_HEAD.search(header["head"]):
        return Form.NOTICE
    if _NOTICE_START.match(text):
        return Form.NOTICE
    if "接龙" in text or _is_order_list(text):
        return Form.LIST
    if _LINK.search(text):
        return Form.FORWARD
    return Form.TEXT


def _is_order_list(text: str) -> bool:
    """Numbered lines that are mostly names with amounts: a 接龙 without the word."""
    items = [m["item"] for m in _LIST_LINE.finditer(text)]
    return len(items) >= 3 and sum(bool(_AMOUNT.search(i)) for i in items) * 3 >= len(items) * 2
