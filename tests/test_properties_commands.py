"""Property-based tests (hypothesis) of the command parser and of input sanitising: no
exception on any text, well-formed results, and the cleaning is idempotent."""

from __future__ import annotations

import re
from datetime import UTC

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.app import safe_for_chat
from bot.sanitize import (
    MAX_NAME_CHARS,
    MAX_STORED_CHARS,
    clean_message,
    clean_name,
    clean_text,
    defuse_mentions,
)
from handlers import vocabulary
from handlers.commands import (
    Command,
    Takes,
    normalize,
    rating_of,
)
from handlers.messages import IncomingMessage, Outgoing
from intents import replies

# Any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
WORDS = sorted(set(vocabulary.words()))
ACTS = [e.act for e in vocabulary.TABLE]
FIRST_WORD = {e.act: e.words[0] for e in vocabulary.TABLE}


def parse_command(text: str) -> Command | None:
    said = vocabulary.read(text)
    return said.command if said is not None else None

CHATTY = st.text(
    alphabet=st.sampled_from(list("0123456789 #＃-:：，,@\u2005\n\t０１２３") + list("接单完成查询转退回评价撤销收到好的")),
    max_size=40,
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25), st.sampled_from([0, 1, 10**12 - 1, 10**12])
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def well_formed(cmd: Command | None) -> None:
    if cmd is None:
        return
    assert cmd.act in ACTS and cmd.word in WORDS
    assert isinstance(cmd.rest, str)
    if cmd.number is not None:
        assert 0 < cmd.number < 10**12
        assert not cmd.bad_number


@settings(max_examples=400)
@given(ANY_TEXT)
@example("接单 99999999999999999999")
@example("查询 -0")
@example("\x00接单\x00 1")
@example("\ud800查询 1")
def test_parse_command_never_fails_and_is_well_formed(text):
    well_formed(parse_command(text))
    reading = replies.default().worker(text)
    assert reading.act in (None, *replies.WORKER_ACTS)
    assert replies.default().resident(text).act in (None, *replies.RESIDENT_ACTS)
    score = rating_of(text, replies.default())
    assert score is None or 1 <= score <= 5


@settings(max_examples=300)
@given(st.sampled_from(WORDS), CHATTY)
def test_verb_words_followed_by_anything(word, tail):
    well_formed(parse_command(word + tail))
    well_formed(parse_command(tail + word))


@settings(max_examples=300)
@given(st.sampled_from([e.act for e in vocabulary.TABLE if e.takes != Takes.TEXT]), NUMBERS, st.sampled_from([" ", " #", "#", "：", "  "]))
def test_numbered_command_reads_the_number_or_refuses_it(verb, n, sep):
    word = FIRST_WORD[verb]
    cmd = parse_command(f"{word}{sep}{n}")
    assert cmd is not None and cmd.act == verb
    if 0 < n < 10**12:
        assert cmd.number == n and not cmd.bad_number
    else:
        assert cmd.number is None and cmd.bad_number


@settings(max_examples=200)
@given(st.sampled_from(["accept", "done", "query"]), st.integers(min_value=1, max_value=10**6))
def test_full_width_digits_and_a_mention_of_the_bot_change_nothing(verb, n):
    word = FIRST_WORD[verb]
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    plain = parse_command(f"{word} {n}")
    assert parse_command(f"{word} {full}") == plain
    assert parse_command(f"@网格小助手\u2005{word} {n}") == plain


@given(ANY_TEXT)
def test_normalize_never_fails(text):
    assert isinstance(normalize(text), str)


# --- sanitize ----------------------------------------------------------------------------


@settings(max_examples=400)
@given(st.one_of(ANY_TEXT, st.binary(max_size=300), st.none()))
@example(b"\xff\xfe\x00abc")
@example("\ud800\udc00\ud83d")
def test_clean_text_is_safe_and_idempotent(raw):
    text = clean_text(raw)
    text.encode("utf-8")  # storable: no lone surrogate left
    assert not CONTROL.search(text)
    assert clean_text(text) == text


@settings(max_examples=300)
@given(st.one_of(ANY_TEXT, st.binary(max_size=100), st.none()))
def test_clean_name_is_one_short_line_and_idempotent(raw):
    name = clean_name(raw)
    assert name and len(name) <= MAX_NAME_CHARS
    assert "\n" not in name and "\r" not in name and "\t" not in name
    assert name == name.strip()
    assert clean_name(name) == name


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT, st.integers(min_value=0, max_value=3 * MAX_STORED_CHARS), ANY_TEXT)
def test_clean_message_bounds_the_text_and_notes_a_cut(text, pad, name):
    from datetime import datetime

    raw = text + "字" * pad
    msg = IncomingMessage(
        message_id=text, room_id="r", room_topic=name, sender_id=name, sender_name=name,
        text=raw, time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    cleaned, note = clean_message(msg)
    assert len(cleaned.text) <= MAX_STORED_CHARS
    full = clean_text(raw)
    assert (note is not None) == (len(full) > MAX_STORED_CHARS)
    assert cleaned.text == full[:MAX_STORED_CHARS]
    assert cleaned.message_id and len(cleaned.message_id) <= 200
    for value in (cleaned.message_id, cleaned.sender_id, cleaned.sender_name, cleaned.room_topic):
        value.encode("utf-8")


AT_ALL = st.sampled_from(["@所有人", "＠所有人", "@ 所有人", "@\u2005所有人", "@@所有人", "@All", "@everyone"])


@settings(max_examples=300)
@given(st.lists(st.one_of(ANY_TEXT, AT_ALL), max_size=6))
def test_no_at_all_survives_and_defusing_is_idempotent(parts):
    text = defuse_mentions("".join(parts))
    assert not re.search(r"[@＠][@＠\s\u2005]*所有人", text)
    assert not re.search(r"[@＠][@＠\s\u2005]*(?i:all|everyone)(?![\w.@])", text)
    assert defuse_mentions(text) == text


MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, MOBILE, ANY_TEXT)
def test_no_phone_number_reaches_a_group(before, phone, after):
    out = Outgoing(text=f"{before}{phone}{after}", room_id="room-1", room_topic="群")
    text, _ = safe_for_chat(out)
    assert phone not in text
    again, _ = safe_for_chat(Outgoing(text=text, room_id="room-1", room_topic="群"))
    assert again == text  # idempotent
