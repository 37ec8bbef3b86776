"""Masking of phone and ID-card numbers before anything is posted in a group."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intents import mask

CASES = [
    ("电话13812345678找我", "电话***********找我"),
    ("138-1234-5678", "***-****-****"),
    ("138 1234 5678 王姐", "*** **** **** 王姐"),
    ("+86 13912345678", "+** ***********"),
    ("身份证号11010519491231002X", "身份证号******************"),
    ("身份证 110105194912310021 请核对", "身份证 ****************** 请核对"),
    ("座机0571-88886666", "座机****-********"),
    ("（010）12345678", "（***）********"),
    ("１３８１２３４５６７８", "***********"),  # full-width digits
    # left alone: already masked, prices, dates, rooms, short codes
    ("电话138****6621", "电话138****6621"),
    ("48一箱 下午四点自提", "48一箱 下午四点自提"),
    ("2025-03-05 开会", "2025-03-05 开会"),
    ("5-2-601 李 一箱", "5-2-601 李 一箱"),
    ("取件码 8-3-2051", "取件码 8-3-2051"),
    ("12345管吗", "12345管吗"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_mask(text: str, expected: str) -> None:
    assert mask(text) == expected


phones = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
separators = st.sampled_from(["", " ", "-"])


def formatted(phone: str, sep: str) -> str:
    return phone[:3] + sep + phone[3:7] + sep + phone[7:] if sep else phone


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), phones, separators, st.text(max_size=40))
def test_no_phone_digits_survive(before: str, phone: str, sep: str, after: str) -> None:
    masked = mask(before + formatted(phone, sep) + after)
    digits_only = re.sub(r"[^0-9]", "", masked)
    assert phone not in masked
    assert phone not in digits_only or phone in re.sub(r"[^0-9]", "", before + after)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_mask_is_idempotent(text: str) -> None:
    once = mask(text)
    assert mask(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -xX+()（）电话身份证", max_size=80))
def test_mask_idempotent_on_digit_soup(text: str) -> None:
    once = mask(text)
    assert mask(once) == once
    assert len(once) == len(text)  # only characters are replaced, nothing moves


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_id_cards_hidden(body: str, last: str) -> None:
    masked = mask(f"身份证{body}{last}。")
    assert not re.search(r"[0-9]", masked)


def test_odd_input() -> None:
    assert mask("") == ""
    assert mask("\ud800\x00") == "\ud800\x00"
    long = "13812345678 " * 10_000
    assert not re.search(r"[0-9]", mask(long))
