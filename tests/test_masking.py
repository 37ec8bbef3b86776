"""Masking of phone and ID-card numbers before anything is posted in a group."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intents import mask
from intents.masking import digit_value

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


# --- every way people write a number -------------------------------------------------------

MORE_CASES = [
    ("139.1234.5678", "***.****.****"),
    ("139/1234/5678", "***/****/****"),
    ("139_1234_5678", "***_****_****"),
    ("1 3 9 1 2 3 4 5 6 7 8", "* * * * * * * * * * *"),
    ("电话一三九一二三四五六七八", "电话***********"),
    ("幺三九 幺二三四 五六七八", "*** **** ****"),
    ("壹叁玖壹贰叁肆伍陆柒捌", "***********"),
    ("139一二三四5678", "***********"),
    ("１３９-１２３４-５６７８", "***-****-****"),
    ("138\u200b1234\u200b5678", "***\u200b****\u200b****"),
    ("1\u202e3\u200d8\u00ad1234\ufeff5678", "*\u202e*\u200d*\u00ad****\ufeff****"),
    ("①③⑨①②③④⑤⑥⑦⑧", "***********"),
    ("110105 19491231 002X", "****** ******** ****"),
    ("身份证一一〇一〇五一九四九一二三一〇〇二x", "身份证******************"),
    ("卡号6222 0212 3456 7890 123", "卡号**** **** **** **** ***"),
    ("400-800-1234", "***-***-****"),
    ("5-2-601 13812345678 王姐", "5-2-601 *********** 王姐"),  # the room stays
    ("电话:1313912345678", "电话:*************"),
    # left alone: dates and times, lists of counts, words that are Chinese numerals
    ("2026-11-23 10:00:00 到 2026-11-23 18:30", "2026-11-23 10:00:00 到 2026-11-23 18:30"),
    ("一二三四五六七八九十，排好队", "一二三四五六七八九十，排好队"),
    ("3栋2单元501 13812345678", "3栋2单元501 ***********"),
]


@pytest.mark.parametrize("text,expected", MORE_CASES)
def test_mask_every_way_of_writing(text: str, expected: str) -> None:
    assert mask(text) == expected


# Digit scripts: each digit of a number may be written in any of them (mixed forms too).
SCRIPTS = [
    "0123456789",
    "０１２３４５６７８９",
    "〇一二三四五六七八九",
    "零幺两三四五六七八九",
    "○壹贰叁肆伍陆柒捌玖",
    "⓪①②③④⑤⑥⑦⑧⑨",
    "٠١٢٣٤٥٦٧٨٩",
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "⁰¹²³⁴⁵⁶⁷⁸⁹",
]
VISIBLE = [" ", "-", ".", "/", "_", "\u3000", "．", "／", "－", "·", "(", ")"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u200e", "\u00ad",
             "\u0301", "\ufe0f", "\u20e3", "\u2066"]
X_FORMS = ["X", "x", "Ｘ"]


@st.composite
def written(draw: st.DrawFn, digits: str) -> str:
    """`digits` as someone might type them: any script per digit, and between two digits
    up to three separators and any invisible characters."""
    out = []
    for i, d in enumerate(digits):
        if d in "Xx":
            out.append(draw(st.sampled_from(X_FORMS)))
        else:
            out.append(draw(st.sampled_from(SCRIPTS))[int(d)])
        if i < len(digits) - 1:
            gap = draw(st.lists(st.sampled_from(VISIBLE), max_size=3)) if draw(st.booleans()) else []
            for _ in range(draw(st.integers(0, 2))):
                gap.insert(draw(st.integers(0, len(gap))), draw(st.sampled_from(INVISIBLE)))
            out.extend(gap)
    return "".join(out)


mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9),
)


def id_card(region: str, birth: date, sequence: str) -> str:
    """A resident ID with its real check character (GB 11643-1999)."""
    body = region + birth.strftime("%Y%m%d") + sequence
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


id_cards = st.builds(
    id_card,
    st.text(alphabet="0123456789", min_size=5, max_size=5).map(lambda s: "1" + s),
    st.dates(date(1920, 1, 1), date(2025, 12, 31)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


def shows_a_digit(segment: str) -> bool:
    return any(digit_value(c) is not None or c in "XxＸ" for c in segment)


def assert_hidden(before: str, number: str, after: str) -> None:
    masked = mask(before + number + after)
    assert len(masked) == len(before + number + after)
    segment = masked[len(before):len(before) + len(number)]
    assert not shows_a_digit(segment), (number, masked)


surroundings = st.text(max_size=20) | st.sampled_from(["电话", "我的手机：", "身份证号 ", "", "，"])


@settings(max_examples=300, deadline=None)
@given(surroundings, mobiles.flatmap(written), surroundings)
def test_no_mobile_survives_in_any_script(before: str, phone: str, after: str) -> None:
    assert_hidden(before, phone, after)


@settings(max_examples=200, deadline=None)
@given(surroundings, id_cards.flatmap(written), surroundings)
def test_no_id_card_survives_in_any_script(before: str, card: str, after: str) -> None:
    assert_hidden(before, card, after)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="".join(SCRIPTS) + "".join(VISIBLE + INVISIBLE) + "X电话", max_size=60))
def test_idempotent_and_in_place_on_soup_of_all_scripts(text: str) -> None:
    once = mask(text)
    assert mask(once) == once and len(once) == len(text)
