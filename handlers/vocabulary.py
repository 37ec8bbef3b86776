"""What can be said, and by whom: the one table of commands.

Each entry is one act: the words that say it (the first is the one shown in 帮助), who
may say it, where, what may follow the word, the handler, and the line of 帮助. The
router walks this table; 帮助 is generated from it; the README's table lists the same
words (a test checks). Natural replies ("收到 马上到", "修好了 换了灯泡") are recognised
elsewhere and reach the same handlers through `by_act`.

To add a command: one `Entry` here and its handler `(ctx, msg, req) -> list[Outgoing]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from handlers import binding, corrections, merge, notify, resident, signin, stats, worker
from handlers.commands import Command, Spelling, Takes, by_first_character, parse_command
from handlers.context import Context, Request
from handlers.directory import Identity
from handlers.help import help_text
from handlers.messages import IncomingMessage, Outgoing

Handler = Callable[[Context, IncomingMessage, Request], list[Outgoing]]


class Role(StrEnum):
    RESIDENT = "resident"  # anyone in a residents' group or writing to the bot
    REPORTER = "reporter"  # the resident who reported the ticket named (checked on it)
    WORKER = "worker"  # a grid worker (of the ticket's grid: checked on it)
    STAFF = "staff"  # community staff
    ADMIN = "admin"  # the street office


class Where(StrEnum):
    GROUP = "group"
    PRIVATE = "private"
    BOTH = "both"


EVERYONE = frozenset(Role)
OFFICIALS = frozenset({Role.WORKER, Role.STAFF, Role.ADMIN})
RESIDENTS = frozenset({Role.RESIDENT, Role.REPORTER})


@dataclass(frozen=True)
class Entry:
    act: str
    words: tuple[str, ...]
    who: frozenset[Role]
    where: Where
    handler: Handler
    usage: str  # how it is written in 帮助: "接单 12"
    help: str  # what it does, for 帮助; "" when another entry's line tells it
    takes: Takes = Takes.TICKET
    heavy: bool = False  # reads much and writes nothing (statistics): answered off the loop
    # Everyday words that are this act only with a ticket number after them, and only from
    # an official (the short answers the bot's pings offer: 收到 12, 办好 12): without a
    # number 「收到」 is a reply read in natural.py; from a resident, ordinary speech.
    numbered: tuple[str, ...] = ()


def show_help(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    text = help_text(TABLE, roles(req.identity), ctx.directory.bot_name)
    if req.identity.is_official:
        return [notify.to_official(ctx, msg, text)]
    return [notify.reply(msg, text)]


TABLE: tuple[Entry, ...] = (
    # --- residents ------------------------------------------------------------------------
    Entry("mine", ("我的工单", "我的报修"), EVERYONE, Where.BOTH, resident.on_mine,
          "我的工单", "看自己反映的事办到哪了", Takes.NOTHING),
    Entry("query", ("查询", "查", "进度"), EVERYONE, Where.BOTH, resident.on_query,
          "查询 12", "查工单 #12（别人的工单只显示状态）"),
    Entry("rate", ("评价", "打分"), frozenset({Role.REPORTER}), Where.BOTH, resident.on_rate,
          "评价 12 5", "给办好的工单打 1-5 分（也可以直接回「满意」「五星」「👍」）"),
    Entry("reopen", ("没修好", "重办"), frozenset({Role.REPORTER}), Where.BOTH, resident.on_reopen,
          "没修好 12", "办好的工单其实没解决，重新交给网格员（也可以说「还是坏的」「又堵上了」）"),
    Entry("cancel", ("撤销", "取消", "撤回"), frozenset({Role.REPORTER}), Where.BOTH,
          resident.on_cancel, "撤销 12", "撤回自己的工单（也可以说「不用了 已经好了」）"),
    Entry("help", ("帮助", "help", "菜单", "怎么用"), EVERYONE, Where.BOTH, show_help,
          "帮助", "按身份列出能说的话", Takes.NOTHING),
    # --- grid workers, community staff, admins --------------------------------------------
    Entry("accept", ("接单", "接", "受理"), OFFICIALS, Where.BOTH, worker.on_accept,
          "接单 12", "接单（也可以回「收到 12」，或直接说「收到，马上到」「我去看看」；不写编号就是本群等您的那张，拿不准会私下问您）",
          numbered=("收到",)),
    Entry("progress", ("进展", "跟进"), OFFICIALS, Where.BOTH, worker.on_progress,
          "进展 12 已联系物业", "记一笔进展（也可以直接说「在处理了」「师傅在路上了」）"),
    Entry("done", ("完成", "办结", "已完成", "处理完"), OFFICIALS, Where.BOTH, worker.on_done,
          "完成 12 已更换井盖", "办结，居民会收到通知（也可以回「办好 12」，或说「修好了，换了新灯泡」）",
          numbered=("办好",)),
    Entry("transfer", ("转", "转给", "转交", "转派"), OFFICIALS, Where.BOTH, worker.on_transfer,
          "转 12 社区 道闸归物业 / 转 12 孙丽", "上交社区 / 转给别的网格员（也可以说「这个不归我们网格 转社区」）"),
    Entry("return", ("退回", "退单"), OFFICIALS, Where.BOTH, worker.on_return,
          "退回 12 不归我们网格", "退回社区重新分派（也可以说「是物业的事」）"),
    Entry("todo", ("待办", "我的待办", "待处理"), OFFICIALS, Where.BOTH, worker.on_todo,
          "待办", "我的待办清单，最急的在前（「待办 2」看下一页）", Takes.NOTHING),
    Entry("register", ("登记", "代登记"), OFFICIALS, Where.BOTH, worker.on_register,
          "登记 <内容> / 登记 <疑似编号> [类别]", "替居民登记 / 把疑似诉求转成工单（可写类别）", Takes.TEXT),
    Entry("suspects", ("疑似", "疑似诉求"), OFFICIALS, Where.BOTH, worker.on_suspects,
          "疑似", "看机器拿不准的消息", Takes.NOTHING),
    Entry("dismiss_suspect", ("忽略", "忽略疑似"), OFFICIALS, Where.BOTH,
          corrections.on_dismiss_suspect, "忽略 5",
          "疑似诉求 5 不是诉求：不再列出，以后同样的话不再当疑似", Takes.NUMBER),
    Entry("stats", ("统计", "本周统计"), OFFICIALS, Where.BOTH,
          partial(stats.on_stats, period="week"),
          "统计", "本网格（社区）本周的数字；也可以说「上周统计」「本月统计」「今日统计」",
          Takes.NOTHING, heavy=True),
    Entry("stats_last_week", ("上周统计",), OFFICIALS, Where.BOTH,
          partial(stats.on_stats, period="last_week"), "上周统计", "", Takes.NOTHING, heavy=True),
    Entry("stats_month", ("本月统计",), OFFICIALS, Where.BOTH,
          partial(stats.on_stats, period="month"), "本月统计", "", Takes.NOTHING, heavy=True),
    Entry("stats_today", ("今日统计", "今天统计"), OFFICIALS, Where.BOTH,
          partial(stats.on_stats, period="today"), "今日统计", "", Takes.NOTHING, heavy=True),
    Entry("correct", ("改", "改为", "改成", "更正"), OFFICIALS, Where.BOTH,
          corrections.on_correct_intent, "改 12 安全隐患",
          "机器分错了类：改过来，以后同样的话都这样认", Takes.NUMBER),
    Entry("not_a_need", ("不是诉求", "非诉求", "误报"), OFFICIALS, Where.BOTH,
          corrections.on_not_a_need, "不是诉求 12", "机器误登记：工单关闭，不通知居民群",
          Takes.NUMBER),
    Entry("urgent", ("紧急",), OFFICIALS, Where.BOTH, corrections.on_urgent,
          "紧急 12 / 不急 12", "机器看错了急不急：改过来", Takes.NUMBER),
    Entry("not_urgent", ("不急", "不紧急"), OFFICIALS, Where.BOTH, corrections.on_not_urgent,
          "不急 12", "", Takes.NUMBER),
    Entry("reload", ("重载规则",), frozenset({Role.ADMIN}), Where.BOTH, worker.on_reload,
          "重载规则", "改完规则文件后重新加载", Takes.NOTHING),
    Entry("merge", ("合并", "并单"), OFFICIALS, Where.BOTH, merge.on_merge,
          "合并 12 到 8", "同一件事登记成了两张：把 #12 并到 #8"),
    Entry("signin", ("后台", "工作台"), OFFICIALS, Where.PRIVATE, signin.on_signin,
          "后台", "私聊我发，拿社区工作台（网页）的登录链接", Takes.NOTHING),
    # --- binding officials and rooms to their WeChat ids ----------------------------------
    Entry("bind", ("绑定",), EVERYONE, Where.PRIVATE, binding.on_redeem,
          "绑定 <绑定码>", "网格员、社区工作人员第一次用：私聊我发管理员给的绑定码"),
    Entry("bind_code", ("绑定码",), frozenset({Role.ADMIN}), Where.PRIVATE, binding.on_issue,
          "绑定码 孙丽", "私聊我发，拿一个给孙丽本人的一次性绑定码", Takes.TEXT),
    Entry("bind_room", ("绑定本群",), frozenset({Role.ADMIN}), Where.GROUP, binding.on_bind_room,
          "绑定本群", "在群里发：本群就是配置里同名的群（换了新群或有人建了同名群时）",
          Takes.NOTHING),
)

_BY_ACT = {entry.act: entry for entry in TABLE}
_SPELLINGS = by_first_character(
    [Spelling(word, entry.act, entry.takes) for entry in TABLE for word in entry.words]
    + [Spelling(word, entry.act, Takes.NUMBER) for entry in TABLE for word in entry.numbered]
)


def by_act(act: str) -> Entry:
    return _BY_ACT[act]


def words() -> list[str]:
    """Every word of the table, in table order."""
    return [word for entry in TABLE for word in (*entry.words, *entry.numbered)]


@dataclass(frozen=True)
class Said:
    entry: Entry
    command: Command


def read(text: str) -> Said | None:
    """The command this message starts with, or None (ordinary speech)."""
    command = parse_command(text, _SPELLINGS)
    return Said(_BY_ACT[command.act], command) if command is not None else None


def help_request() -> Said:
    """帮助, as if asked: what an official writing something else privately is shown."""
    entry = _BY_ACT["help"]
    return Said(entry, Command(act=entry.act, word=entry.words[0]))


def roles(identity: Identity) -> frozenset[Role]:
    """What this person is: everyone is a resident (and may be a reporter)."""
    held = set(RESIDENTS)
    if identity.worker_of:
        held.add(Role.WORKER)
    if identity.staff_of:
        held.add(Role.STAFF)
    if identity.is_admin:
        held.add(Role.ADMIN)
    return frozenset(held)


def may_say(entry: Entry, identity: Identity) -> bool:
    return bool(entry.who & roles(identity))


def is_speech_for(said: Said, identity: Identity) -> bool:
    """An official's word said by a resident without a ticket number is ordinary speech
    (「登记一下我家的情况」): it goes to the classifier, not refused; so is an everyday word
    that is an official's act only with a number (「收到 2 个快递」)."""
    if not may_say(said.entry, identity) and said.command.word in said.entry.numbered:
        return True
    return (
        not may_say(said.entry, identity)
        and said.entry.takes != Takes.NOTHING
        and said.command.number is None
        and not said.command.bad_number
    )


def may_say_here(entry: Entry, msg: IncomingMessage) -> bool:
    if entry.where == Where.GROUP:
        return msg.room_id is not None
    if entry.where == Where.PRIVATE:
        return msg.room_id is None
    return True
