"""Whether a resident's words ask something (a chase after their report, a question), as
opposed to telling: only what asks gets an answer; what tells is kept on the ticket."""

from __future__ import annotations

from intents.phrases import phrase

# A reporter asking after their report: 有人管吗, 什么时候来水, 两天了还没人来...
ASKING_AFTER = phrase("chase.asking_after")
# Asking something (not only saying it): ？, 吗, 行不行...
QUESTION = phrase("chase.question")


# A question put plainly (not the rhetorical 是不是 of a remark): ？, 吗, 能不能...
ASKS = phrase("chase.asks")


# Asking who answers for it (归物业管还是归社区管, 这该找谁, 谁负责): a question inside a report
WHOSE = phrase("chase.whose")


def asks_whose(text: str) -> bool:
    """A report that also asks who answers for it: 「下水道堵了是归物业管还是归社区管？」."""
    return bool(WHOSE.search(text))


# Worried (「是不是钱就不给发了 着急」): answered with a word of comfort, not only 「记下了」
WORRY = phrase("chase.worry")


def worried(text: str) -> bool:
    """A worried word or question: 「认证不了是不是钱就不给发了 着急」."""
    return bool(WORRY.search(text))


def asks(text: str) -> bool:
    """A chase or a question: 「怎么还没人来」, 「电梯今天能修好吗？」."""
    return bool(ASKING_AFTER.search(text) or ASKS.search(text))


# Telling the thing is gone or fixed, beyond the classifier's 已解决 (intents/rules/20_scope.toml):
# something taken away — 「那根线撤了」, 「车推走了」, 「杂物清走了」 — not still there (「还没撤」).
GONE = phrase("chase.gone")
NOT_GONE = phrase("chase.not_gone")


def says_gone(text: str) -> bool:
    """「101门口那根线撤了 车也推到外头车棚去了」: what was reported is gone."""
    return bool(GONE.search(text)) and not NOT_GONE.search(text)
