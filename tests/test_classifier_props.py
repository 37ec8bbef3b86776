"""Property tests: classify() never fails and always returns a sane Classification."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intents import INTENTS, Classification, Classifier


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def check(res: Classification) -> None:
    assert res.intent in INTENTS
    assert 0.0 <= res.confidence <= 1.0
    assert isinstance(res.urgent, bool)
    assert res.emergency in (None, "119", "120", "110")
    assert not res.emergency or res.urgent
    assert res.place is None or isinstance(res.place, str)
    assert isinstance(res.evidence, tuple)


domain = st.sampled_from(list(
    "井盖路灯电梯坏了不亮堵漏水着火煤气味晕倒谢谢网格员希望社区请问怎么办楼上吵垃圾臭"
    "栋号楼单元门口3５#-一二三没有已经修好又还是吗？！，。 😂🧧\x00\ud800"
))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text(clf: Classifier, text: str) -> None:
    check(clf.classify(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(domain, max_size=60).map("".join))
def test_domain_soup(clf: Classifier, text: str) -> None:
    check(clf.classify(text))


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF)))
def test_surrogates_and_nul(clf: Classifier, text: str) -> None:
    res = clf.classify("\ud800" + text + "\x00\udfff")
    check(res)
    res.masked_text.encode("utf-8")  # safe to send


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(max_size=30))
def test_masked_text_hides_phones(clf: Classifier, before: str, phone: str, after: str) -> None:
    res = clf.classify(before + phone + after)
    assert phone not in res.masked_text


def test_huge_text(clf: Classifier) -> None:
    text = "3栋电梯坏了 电话13812345678 " * 6000  # ~130k characters
    res = clf.classify(text[:100_000])
    check(res)
    assert res.intent == "repair"
    assert not re.search(r"1[3-9][0-9]{9}", res.masked_text)


def test_empty_and_whitespace(clf: Classifier) -> None:
    for text in ["", " ", "\n\t", "\x00"]:
        res = clf.classify(text)
        check(res)
        assert res.intent == "none"
