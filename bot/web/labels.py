"""The dashboard's words: Chinese names of what it shows, and how times read.

States and intents take their one label from where the chat takes it; the timeline's
event names live here (only the dashboard shows events one by one).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from intents.model import INTENT_NAMES_ZH
from storage.states import label as _state_label

EVENT_ZH = {
    "created": "登记",
    "joined": "又有居民反映",
    "left": "一位居民撤回了反映",
    "photo": "补充照片",
    "accepted": "接单",
    "progress": "进展",
    "resolved": "办结",
    "reopened": "居民说没办好，重新办理",
    "rated": "居民评价",
    "rating_asked": "询问评价",
    "closed": "归档",
    "cancelled": "撤销",
    "merged": "合并",
    "escalated": "上报",
    "transferred": "转派",
    "returned": "退回",
    "reminded": "提醒",
    "handed": "交给（私聊或社区工作群）",
    "alerted": "紧急通知",
    "pinged": "通知网格员（休息时间后）",
    "listed": "通知网格员（和其他新工单一起）",
    "danger": "群里说了先做什么",
    "nobody_answered": "告诉群里还没人回复、请直接打电话",
    "handled": "群里有人说在办或办好了，已告诉网格员",
    "urgent": "升为紧急",
    "update": "群里的新消息（物业、社区的通知）",
    "corrected": "更正",
    "not_a_need": "不是诉求，已关闭（不通知居民群）",
    "explained": "群里的通知说是安排好的检修停用，已关闭（告诉了反映人）",
    "anonymous": "反映人要求不在群里说是谁反映的",
}
# The notes of a correction (handlers/corrections.py): `repair -> safety`, `urgent`.
URGENCY_NOTE_ZH = {"urgent": "改为紧急", "not urgent": "改为不急"}
_INTENT_NOTE = re.compile(r"^(\w+) -> (\w+)$")
LEVEL_ZH = {0: "网格", 1: "备岗网格员", 2: "社区", 3: "街道"}
# The intents a ticket can have (not chatter, not praise), in the order people think of them.
TICKET_INTENTS = tuple(k for k in INTENT_NAMES_ZH if k not in ("none", "praise"))
# States a queue can be filtered by: the ones somebody still has to act on, then done.
QUEUE_STATES = ("open", "accepted", "resolved")


def state_label(state: str) -> str:
    return _state_label(state)


def intent_label(intent: str) -> str:
    return INTENT_NAMES_ZH.get(intent, intent)


def event_label(kind: str) -> str:
    return EVENT_ZH.get(kind, kind)


_LEVEL_NOTE = re.compile(r"^L(\d) -> ([^:]*)(?:: (.*))?$", re.S)
_TO_NOTE = re.compile(r"^-> ([^:]*)(?:: (.*))?$", re.S)
_REMINDER_NOTE = re.compile(r"^(\d+)/(\d+) -> (.*)$", re.S)
ACTORS_ZH = {"system": "网格小助手", "rating": "居民评价"}


def event_note(kind: str, note: str | None) -> str:
    """An event's note as a person reads it (the timeline keeps machine-readable notes:
    `L2 -> 张继凯、刘芳: 道闸归物业`, `-> 孙丽`, `1/2 -> 马建民`, the intent, the score)."""
    if not note:
        return ""
    if kind == "created":
        return intent_label(note) if note in INTENT_NAMES_ZH else note
    if kind == "rated":
        return f"{note} 分"
    if kind == "merged":
        return note.replace("-> #", "并到工单 #")
    if kind == "corrected":
        match = _INTENT_NOTE.match(note)
        if match and all(m in INTENT_NAMES_ZH for m in match.groups()):
            return f"类别：{intent_label(match.group(1))} → {intent_label(match.group(2))}"
        return URGENCY_NOTE_ZH.get(note, note)
    match = _LEVEL_NOTE.match(note) if kind == "escalated" else None
    if match:
        level, names, why = match.groups()
        text = f"到{LEVEL_ZH.get(int(level), '上级')}：{names}"
        return text + (f"（{why}）" if why else "")
    match = _TO_NOTE.match(note) if kind in ("transferred", "returned") else None
    if match:
        name, why = match.groups()
        return f"给{name}" + (f"（{why}）" if why else "")
    match = _REMINDER_NOTE.match(note) if kind == "reminded" else None
    if match:
        n, of, names = match.groups()
        return f"第 {n} 次（{of} 次后上报），提醒{names}"
    return note


def actor_label(actor: str | None) -> str:
    return ACTORS_ZH.get(actor or "", actor or "")


def local_time(ts: int | None, tz: ZoneInfo, *, year: bool = False) -> str:
    if ts is None:
        return "—"
    return datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M" if year else "%m-%d %H:%M")


def span(seconds: int) -> str:
    """A duration as a person says it: 25 分钟, 3 小时 10 分, 2 天 3 小时."""
    minutes = max(0, seconds) // 60
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} 小时" + (f" {rest} 分" if rest else "")
    days, hours = divmod(hours, 24)
    return f"{days} 天" + (f" {hours} 小时" if hours else "")


def countdown(deadline: int | None, now: int) -> tuple[str, bool]:
    """(words, overdue) for a deadline: 还剩 25 分钟 / 已超时 1 小时 5 分."""
    if deadline is None:
        return "", False
    if deadline >= now:
        return f"还剩 {span(deadline - now)}", False
    return f"已超时 {span(now - deadline)}", True


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"
