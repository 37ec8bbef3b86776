"""Urgent by concept (issue 13, held-out writers): what the writers called urgent and the
model missed when their file was held out, grouped by concept — an old person fallen with a
call for help, gas said in dialect (滋滋漏, 味儿老大了), the signs of a stroke or of breath
failing said plainly, someone climbing in and moving through the estate now — and their
scopes (a fall long ago, a faint smell, a lift that *would* trap someone).

Sentences written for this test (none from a blind set or the corpus).
"""

from __future__ import annotations

import pytest

from intents import Classifier


@pytest.fixture(scope="module")
def clf() -> Classifier:
    c = Classifier.load()
    c.wait_ready()
    return c


@pytest.mark.parametrize("text,emergency", [
    ("我爸在阳台摔了 我在单位 谁能帮忙过去看一眼 6栋302", "120"),
    ("楼下刘奶奶在菜市场门口摔了一跤 哪位邻居帮帮忙扶一下", "120"),
    ("厨房燃气灶那里滋滋漏 味儿老大了 9号楼", "119"),
    ("我爸突然说话不利索 嘴都歪了", "120"),
    ("我妈脸色不对 捂着胸口 喘不上气", "120"),
    ("有个生人翻墙进来了 现在正往3号楼那边走", "110"),
])
def test_danger_said_plainly_is_urgent(clf: Classifier, text: str, emergency: str) -> None:
    res = clf.classify(text)
    assert res.urgent and res.emergency == emergency, (res.urgent, res.emergency, res.evidence)


@pytest.mark.parametrize("text", [
    "我妈腿摔了以后一直不敢出门 想找人帮着买点菜",    # a fall long ago: an errand
    "燃气表那边好像有点味 不太重 路过的帮忙闻闻",      # a faint smell
    "电梯有安全钳 不会直接掉下去 最多困在里面 按警铃就行",  # at worst: a supposition
    "两个孙子闹了一下午 我头都晕了",                  # a figure of speech, nobody fainted
])
def test_no_danger_now_is_not_urgent(clf: Classifier, text: str) -> None:
    assert not clf.classify(text).urgent, clf.classify(text).evidence
