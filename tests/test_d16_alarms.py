"""Day d16 re-read by a former grid worker (青年路一网格, a Monday of 老旧小区改造): alarms.

2. 「冒黑烟了」 was called off one minute later on a neighbour's 「施工队烧沥青呢」: the group
   heard 「不是着火」 and both workers 「不用去了」. A neighbour's explanation calms the alarm
   (nothing goes up) and asks those it woke to look and confirm; the group hears no
   all-clear until an official or the reporter says so.
7. A gas leak with a stairwell evacuated woke the workers only, while a parking quarrel
   turning into a fight had woken the community's staff too: what danger now wakes the
   staff is one table, by kind (handlers/danger.WAKES_COMMUNITY).

All through the Application, as users see it."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_QN1, TZ, posts_in, speaker
from conftest import private_to as to

in_group = posts_in(ROOM_QN1)
say = speaker(ROOM_QN1)
WORKERS = ("马建民", "孙丽")
STAFF = ("张继凯", "刘芳")



async def test_smoke_a_neighbour_calls_asphalt_is_no_all_clear_and_the_workers_still_look(chat) -> None:
    await say(chat, "2-1-101 老高", "快看3号楼那边 冒黑烟了！")
    sent = await say(chat, "3-1-601 老周", "甭慌 施工队烧沥青呢 昨儿也是 呛死个人")
    assert in_group(sent) == []  # 400 households are not told 「不是着火」 on a guess
    for name in WORKERS:
        [word] = to(sent, name)
        assert "老周" in word.text and "沥青" in word.text and "确认" in word.text
        assert "不用去" not in word.text and "已关" not in word.text
    assert chat.ticket(1).status == "open"
    sent = await say(chat, "2-1-101 老高", "哦哦 吓我一跳")
    assert in_group(sent) == [] and chat.ticket(1).status == "open"
    sent = await chat.say("马建民", "不是诉求 1", room=None)  # he looked: it was the asphalt
    [line] = in_group(sent)
    assert "#1" in line.text and "虚惊一场" in line.text and chat.ticket(1).status == "cancelled"


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 23, 21, 0, tzinfo=TZ)  # a Monday evening


async def test_a_gas_leak_at_night_wakes_the_community_staff_with_the_workers(chat) -> None:
    sent = await say(chat, "4-2-302 老冯", "4号楼2门楼道里煤气味儿特别大！！", minutes=4)
    [advice] = in_group(sent)
    assert "燃气" in advice.text and not {p.name for p in advice.mentions} & set(STAFF)  # paged, not @-ed
    for name in (*WORKERS, *STAFF):
        [page] = to(sent, name)
        assert "【紧急】" in page.text and "#1" in page.text


async def test_a_quarrel_turning_into_a_fight_wakes_the_same_people_as_a_gas_leak(chat) -> None:
    await say(chat, "9-2-101 大刘", "谁的白色大众 堵在9号楼2门门口 老太太买菜回来连楼门都进不去")
    await say(chat, "孟凡（3号楼）", "主路挖了 我一个车位都没有 你让我停哪儿")
    sent = await say(chat, "9-1-601 田", "@马建民 @孙丽 你们快来看看吧 要打起来了")
    assert {n for n in (*WORKERS, *STAFF) if to(sent, n)} == {*WORKERS, *STAFF}


async def test_a_fall_wakes_the_workers_and_leaves_the_community_to_the_ladder(chat) -> None:
    sent = await say(chat, "5号楼 小郑", "快来人 5号楼门口有个老人摔倒了 起不来了")
    assert chat.ticket(1).urgent and all(to(sent, w) for w in WORKERS)
    assert not any(to(sent, s) for s in STAFF)
