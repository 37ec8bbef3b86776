"""The FAQ answers common questions; no fitting entry means the worker answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intents import FaqBook, RulesError


@pytest.fixture(scope="module")
def faq() -> FaqBook:
    return FaqBook.load()


@pytest.mark.parametrize("question,expect", [
    ("请问养老资格认证在哪办", "资格认证"),
    ("养老资格认正怎么弄", "资格认证"),  # typo
    ("今年的医保在哪里交", "医保"),
    ("办居住证要什么材料", "居住证"),
    ("老人打流感疫苗在哪里打", "疫苗"),
    ("社区几点上班", "工作日"),
    ("老年卡怎么办", "老年"),
    ("低保怎么申请", "低保"),
    ("垃圾分类几点投放", "投放"),
    ("要开什么证明", "证明"),
    ("請問醫保在哪裡繳", "医保"),  # traditional
])
def test_answers(faq: FaqBook, question: str, expect: str) -> None:
    answer = faq.answer(question)
    assert answer is not None and expect in answer


@pytest.mark.parametrize("question", [
    "公租房怎么申请", "养狗要办证吗", "今天天气怎么样", "",
    # the entry's word says who asks, not what: 低保 is the asker's standing here
    "我妈是低保户 今年冬天的取暖补贴咋个申请", "我们不是低保的可以申请不",
    "我家是特困户 那个电费补助在哪领",  # another benefit than the entry's
])
def test_no_answer_goes_to_the_worker(faq: FaqBook, question: str) -> None:
    assert faq.answer(question) is None


def test_a_keyword_said_of_the_asker_still_counts_where_it_is_asked_of(faq: FaqBook) -> None:
    answer = faq.answer("我家是低保户 低保年审在哪里办")
    assert answer is not None and "年审" in answer


def test_entries_are_plain_and_have_no_phone_numbers(faq: FaqBook) -> None:
    assert 10 <= len(faq.entries) <= 20
    for entry in faq.entries:
        assert entry.answer and entry.keywords
        assert not re.search(r"[0-9]{7,}", entry.answer)


def test_broken_faq_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "faq.toml"
    bad.write_text('[[faq]]\nquestion = "x"\nanswer = "y"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="keywords"):
        FaqBook.load(bad)
    bad.write_text("[[faq]\n", encoding="utf-8")
    with pytest.raises(RulesError, match="TOML"):
        FaqBook.load(bad)
