"""Reading a chat line as a command: `接单 12`, `完成 12 已更换井盖`, `转 12 社区`, a bare 收到.

Pure text in, `Command` out (or None: not a command). What the command may do is decided
by the handlers, not here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# verb -> the words that say it (the first is the one shown in 帮助)
VERBS: dict[str, tuple[str, ...]] = {
    "accept": ("接单", "接", "受理"),
    "done": ("完成", "办结", "已完成", "处理完"),
    "transfer": ("转", "转给", "转交", "转派"),
    "return": ("退回", "退单"),
    "todo": ("待办", "我的待办", "待处理"),
    "query": ("查询", "查", "进度"),
    "register": ("登记", "代登记"),
    "mine": ("我的工单", "我的报修"),
    "rate": ("评价", "打分"),
    "cancel": ("撤销", "取消", "撤回"),
    "help": ("帮助", "help", "菜单", "怎么用"),
    "stats": ("本周统计", "统计"),
    "suspects": ("疑似", "疑似诉求"),
    "reload": ("重载规则",),
}
# Bare replies that mean something only as an answer to the bot's latest question.
BARE_ACCEPT = ("收到", "好的", "好", "ok", "OK", "马上去", "这就去", "马上到", "收到了", "好嘞", "明白")
BARE_DONE = ("已处理", "修好了", "处理好了", "办好了", "搞定了", "已解决", "弄好了", "已修好")
BARE_SATISFIED = ("满意", "很满意", "非常满意", "好评", "满意了", "谢谢满意")
BARE_UNHAPPY = ("不满意", "没修好", "没有修好", "还没修好", "还是坏的", "没解决", "没弄好", "还没好")

_WORD_TO_VERB = sorted(
    ((word, verb) for verb, words in VERBS.items() for word in words),
    key=lambda pair: -len(pair[0]),
)
_NUMBER = re.compile(r"^#?\s*(-?\d+)")
_MAX_TICKET = 10**12


@dataclass(frozen=True)
class Command:
    verb: str
    number: int | None = None  # ticket (or 疑似) number, None when not given
    rest: str = ""  # what follows: a note, a name, a score, a report text
    bad_number: bool = False  # a number was given but is not a ticket number (-3, 10^20)


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, trimmed, an @bot prefix dropped."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"^(@\S+[\s\u2005]+)+", "", text)  # leading @mentions (WeChat puts U+2005 after)
    return text.strip()


def parse_command(text: str) -> Command | None:
    text = normalize(text)
    if not text:
        return None
    for word, verb in _WORD_TO_VERB:
        if not text.startswith(word):
            continue
        rest = text[len(word):]
        # A verb glued to ordinary words is not a command: 「查查水表」「转发文章」「完成度」.
        if rest and not (rest[0].isspace() or rest[0] in "#＃0123456789-:：，,"):
            if verb not in ("register",):
                continue
        return _with_arguments(verb, rest.strip(" :：，,"))
    return None


def _with_arguments(verb: str, rest: str) -> Command:
    match = _NUMBER.match(rest)
    if verb in ("register",):
        # 登记 12 turns 疑似 #12 into a ticket; 登记 <text> reports on a resident's behalf.
        if match and match.end() == len(rest.rstrip()):
            return _numbered(verb, match.group(1), "")
        return Command(verb=verb, rest=rest)
    if match is None:
        return Command(verb=verb, rest=rest)
    return _numbered(verb, match.group(1), rest[match.end():].strip(" :：，,"))


def _numbered(verb: str, digits: str, rest: str) -> Command:
    if len(digits) > 13:
        return Command(verb=verb, rest=rest, bad_number=True)
    number = int(digits)
    if number <= 0 or number >= _MAX_TICKET:
        return Command(verb=verb, rest=rest, bad_number=True)
    return Command(verb=verb, number=number, rest=rest)


def is_one_of(text: str, words: tuple[str, ...]) -> bool:
    """True when the whole message is one of these words (punctuation and 了/啦 allowed)."""
    bare = re.sub(r"[\s!！。.,，~～👌👍🙏]+", "", normalize(text))
    return bare in words or bare.rstrip("啦了呀哈") in words


def rating_of(text: str) -> int | None:
    """A bare rating: 1-5 (also 5分, ５, 五星) or 满意 (5)."""
    bare = re.sub(r"[\s!！。.,，]+", "", normalize(text))
    match = re.fullmatch(r"([1-5])(分|星)?", bare)
    if match:
        return int(match.group(1))
    chinese = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
    match = re.fullmatch(r"([一二两三四五])(分|星)", bare)
    if match:
        return chinese[match.group(1)]
    if is_one_of(text, BARE_SATISFIED):
        return 5
    return None
