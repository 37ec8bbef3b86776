"""Whether a resident's words ask something (a chase after their report, a question), as
opposed to telling: only what asks gets an answer; what tells is kept on the ticket."""

from __future__ import annotations

import re

# A reporter asking after their report: 有人管吗, 什么时候来水, 两天了还没人来...
ASKING_AFTER = re.compile(
    r"有人管|有没有人管|管不管|没人管|冇人管|没人来|还没人|冇人来|怎么还|咋还|到底|什么时候|啥时候|"
    r"几时|几点|多久|进度|怎么样了|咋样了|[两三四五几]天了|一个星期了|催一下|快点来|"
    # what one asked or told earlier, asked after again: 「上午问的养老金认证 有人能帮帮不」
    r"(?:上午|早上|早晨|昨天|昨晚|前天|之前|前几天)(?:问|说|报|反映|讲)的"
)
# Asking something (not only saying it): ？, 吗, 行不行...
QUESTION = re.compile(r"[？?]|吗|行不行|可不可以|能不能|可以不|是不是|有没有|怎么办")


# A question put plainly (not the rhetorical 是不是 of a remark): ？, 吗, 能不能...
ASKS = re.compile(r"[？?]|吗|能不能|可不可以|有没有人|什么情况|怎么回事|咋回事")


# Asking who answers for it (归物业管还是归社区管, 这该找谁, 谁负责): a question inside a report
WHOSE = re.compile(r"归(?:谁|哪|物业|社区|街道)[^，。,\s]{0,6}管|(?:该|应该|得|要)找谁|找谁(?:管|修|弄|解决)|谁(?:来)?负责|谁管[？?吗]")


def asks_whose(text: str) -> bool:
    """A report that also asks who answers for it: 「下水道堵了是归物业管还是归社区管？」."""
    return bool(WHOSE.search(text))


# Worried (「是不是钱就不给发了 着急」): answered with a word of comfort, not only 「记下了」
WORRY = re.compile(r"着急|急死|急人|担心|害怕|怕是|会不会|咋办|怎么办|不给发|停发|没法活")


def worried(text: str) -> bool:
    """A worried word or question: 「认证不了是不是钱就不给发了 着急」."""
    return bool(WORRY.search(text))


def asks(text: str) -> bool:
    """A chase or a question: 「怎么还没人来」, 「电梯今天能修好吗？」."""
    return bool(ASKING_AFTER.search(text) or ASKS.search(text))


# Telling the thing is gone or fixed, beyond the classifier's 已解决 (intents/rules/20_scope.toml):
# something taken away — 「那根线撤了」, 「车推走了」, 「杂物清走了」 — not still there (「还没撤」).
GONE = re.compile(r"(?:撤|拆|拔)(?:掉|走)?了|(?:推|搬|挪|清|移|收)(?:走|掉)了")
NOT_GONE = re.compile(r"[还没]没?(?:撤|拆|拔|推|搬|挪|清|移|收)|又在|还在")


def says_gone(text: str) -> bool:
    """「101门口那根线撤了 车也推到外头车棚去了」: what was reported is gone."""
    return bool(GONE.search(text)) and not NOT_GONE.search(text)
