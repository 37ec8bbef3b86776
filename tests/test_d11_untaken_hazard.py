"""Day d11 re-read by a former grid worker (青年路一网格, a Friday): a flying-wire charging
hazard reported privately by an old woman stayed untaken all afternoon and night.

1. The community, handed it, heard of it once and never again: it hears of it again, on a
   ladder that ends (two more words, each twice as long after the last, in waking hours
   only), then it is the street's daily list.
2. Her words reached both workers raw, one message a word: they reach the one who holds it,
   one line with the ticket's number, folded.
3. A resident acknowledged at 06:31 was acknowledged again at 06:40 for the same leak: the
   second word says what is new (why, what to do), not 「收到」 again.
4. 「已告诉网格员」 was said at 06:40 of a ping that went at 07:30: the words are true when said.

All through the Application, as users see it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN1, TZ, posts_in
from conftest import private_to as to

from handlers.messages import Person

in_group = posts_in(ROOM_QN1)
WORK_GROUP = "青年路社区工作群"
GRANNY = "7号楼 高奶奶"
WIRE = "我们单元一楼102那家租户 从窗户扯个线下来给电动车充电 晚上一充一宿 就在我家窗户底下"



def in_work_group(messages):
    return [m for m in messages if m.room_topic == WORK_GROUP]


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 27, 6, 0, tzinfo=TZ)  # a Friday, before the quiet hours end


async def _granny_reports(chat) -> list:
    chat.clock.set(datetime(2026, 11, 27, 15, 16, tzinfo=TZ))
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(GRANNY, chat.person_id(GRANNY))])
    sent = await chat.say(GRANNY, WIRE, room=None)
    chat.clock.advance(timedelta(minutes=1))
    sent += await chat.say(GRANNY, "那线就搭在楼道口铁栏杆上 下雨天吓死人 我一个人住 怕着火", room=None)
    return sent


async def test_an_untaken_hazard_comes_back_to_the_community_on_a_ladder_that_ends(chat) -> None:
    await _granny_reports(chat)
    seen: list = []
    at: list[datetime] = []
    for _ in range(6 * 24 * 3):  # Friday 15:17 to Monday 15:17, every ten minutes: nobody takes it
        said = [m for m in in_work_group(await chat.later(minutes=10)) if "#1" in m.text]  # (not the weekly tally)
        seen += said
        at += [chat.clock.now()] * len(said)
    seen_at = [(t, m.text) for t, m in zip(at, seen, strict=True)]
    assert len(seen) == 3, seen_at  # handed once, then again twice: it ends
    first, again, last = at
    assert first.hour in (17, 18) and first.day == 27  # after the longer wait of a hazard
    assert again - first >= timedelta(hours=2) and again.day == 27 and again.hour < 21  # the same evening
    assert "转到社区" in seen[1].text and "至今没人接" in seen[1].text
    assert last.day == 28 and 7 <= last.hour < 12  # not in the quiet hours: the next morning
    assert "最后一次" in seen[2].text and "街道" in seen[2].text


async def test_the_ladder_stops_when_someone_takes_it(chat) -> None:
    await _granny_reports(chat)
    seen: list = []
    for _ in range(3 * 6):  # to 18:17: the community has it
        seen += in_work_group(await chat.later(minutes=10))
    assert len(seen) == 1
    await chat.say("张继凯", "收到 1", room=None)
    later: list = []
    for _ in range(6 * 24):
        later += in_work_group(await chat.later(minutes=10))
    assert not [m for m in later if "转社区后还没人接" in m.text]


async def test_a_private_reporters_words_reach_the_one_who_holds_it_folded(chat) -> None:
    sent = await _granny_reports(chat)
    fire = [m for m in sent if m.to is not None and m.to.name in ("马建民", "孙丽") and "起火" in m.text and "#1" in m.text]
    assert [m.to.name for m in fire].count("孙丽") == 0  # not a copy to every worker
    alarm = [m for m in to(sent, "马建民") if "可能起火" in m.text]
    assert len(alarm) == 1 and "\n" not in alarm[0].text and WIRE[:20] not in alarm[0].text  # one line

    words = ("有人看见没有", "还在充呢", "你们收到没有啊")
    relayed: list = []
    for word in words:  # minutes apart: one matter, folded
        chat.clock.advance(timedelta(minutes=10))
        out = await chat.say(GRANNY, word, room=None)
        assert len(to(out, GRANNY)) <= 1
        relayed += [m for m in out if m.to is not None and m.to.name != GRANNY]
    assert relayed == []  # the holder heard of it minutes ago; her words are on the ticket
    assert all(w in " ".join(r.text for r in chat.store.conversation.reports(1)) for w in words)

    chat.clock.advance(timedelta(hours=2))  # later: one line with how many words came since
    out = await chat.say(GRANNY, "天黑了 又在充了", room=None)
    lines = [m for m in out if m.to is not None and m.to.name != GRANNY]
    assert len(lines) <= 1
    for line in lines:
        assert "#1" in line.text and "\n" not in line.text and "次" in line.text


async def test_a_leak_that_turns_to_the_wiring_is_no_second_ack_and_no_untrue_told(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 6, 31, tzinfo=TZ))  # quiet hours until 07:30
    first = await chat.say("8-1-402 老刘", "俺家卫生间屋顶往下地水 一滴一滴的 一宿了")
    [ack] = in_group(first)
    assert ack.text.startswith("收到") and "#1" in ack.text
    chat.clock.set(datetime(2026, 11, 27, 6, 40, tzinfo=TZ))
    then = await chat.say("8-1-402 老刘", "盆接着呢 都接了半盆了 吊顶都湿透了 俺怕泡坏了电线")
    [word] = in_group(then)
    assert chat.ticket(1).hazard == "wet_wiring"
    assert not word.text.startswith("收到")  # acknowledged nine minutes ago: what is new, not 收到 again
    assert "电线" in word.text and "别碰" in word.text and "#1" in word.text
    assert not to(then, "马建民")  # quiet hours: his word of it waits for 07:30 ...
    assert "已告诉" not in word.text and "7:30" in word.text  # ... and she is told just that
    morning = await chat.later(minutes=55)  # 07:35
    assert any("#1" in m.text and "电线" in m.text for m in to(morning, "马建民"))


async def test_a_hazard_reported_in_the_night_is_not_said_to_be_told_before_it_is(chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 23, 10, tzinfo=TZ))
    sent = await chat.say("3号楼 老彭", "3号楼门口的消防通道被一辆白色面包车堵住了")
    [ack] = in_group(sent)
    assert not to(sent, "马建民")  # nobody woken for it
    assert "已告诉" not in ack.text and "7:30" in ack.text and "明天一早" in ack.text

    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(GRANNY, chat.person_id(GRANNY))])
    chat.clock.set(datetime(2026, 11, 27, 23, 20, tzinfo=TZ))
    acked = await chat.say(GRANNY, WIRE, room=None)
    assert "已告诉" not in to(acked, GRANNY)[0].text
    chat.clock.set(datetime(2026, 11, 27, 23, 55, tzinfo=TZ))
    asked = await chat.say(GRANNY, "你们收到没有啊", room=None)
    [answer] = to(asked, GRANNY)
    assert "已经跟" not in answer.text and "说了" not in answer.text and "明天一早" in answer.text
