"""What a residents' group reads about a ticket once it is acknowledged: the one who has it
(never the admin the ladder reached last named as the grid worker, never 待接单), no @ of
people who only joined it, no reply to a quip about it, and the emergency numbers only
where waiting could hurt someone — through the application, as the group sees it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_BH1, TZ, mentioned, posts_in, speaker, texts

ROOM = ROOM_BH1  # 滨河花园一网格群: worker 李强, backup 王秀英, staff 陈海燕, admin 冯媛


in_room = posts_in(ROOM)
say = speaker(ROOM)


async def test_a_follow_up_after_the_ladder_names_the_grid_worker_and_community(chat):
    await say(chat, "3-2-801 老蒋", "3栋2单元的单元门关不上了 门禁坏了 谁都能进")
    for _ in range(2 * 48):  # nobody takes it for two days: the lists hand it up the ladder
        await chat.later(minutes=30)
    assert chat.ticket(1).assignee_name not in ("李强", "王秀英")  # up the ladder now
    chat.clock.advance(timedelta(hours=11))  # the next morning (at night a chase waits, unanswered in public)
    asked = await say(chat, "3-2-801 老蒋", "单元门还是关不上 有人管吗")
    [post] = in_room(asked)
    assert "网格员李强" in post.text
    assert "冯媛" not in post.text and "陈海燕" not in post.text
    assert "待接单" not in post.text
    assert mentioned([post]) == ["3-2-801 老蒋"]


async def test_the_worker_who_took_it_is_named_to_a_neighbour_who_joins_late(chat):
    await say(chat, "6-1-302 小温", "6栋1单元电梯坏了 停在五楼不动")
    taken = await say(chat, "王秀英", "接单 1")
    assert chat.ticket(1).assignee_name == "王秀英"
    assert taken
    for i in range(30):  # the acknowledgement scrolls out of sight
        await say(chat, f"邻居{i}", "今天降温了 多穿点", minutes=5)
    late = await say(chat, "6-2-1101 阿梅", "6栋1单元电梯坏了 一直不动 什么时候能修好？")
    [post] = in_room(late)
    assert "网格员王秀英" in post.text and "#1" in post.text
    assert mentioned([post]) == ["6-2-1101 阿梅"]


async def test_neighbours_who_join_are_not_at_ed_and_a_quip_gets_no_reply(chat):
    await say(chat, "9-1-402 老潘", "9栋停电了 家里一点电都没有")
    quiet = []
    for name, text in [
        ("9-2-101 小董", "我家也没电"),
        ("9栋 田阿姨", "+1 冰箱都停了"),
        ("9-1-1203 大伟", "9栋又停电？让电工师傅顺便把我家灯泡也换了哈哈"),
    ]:
        quiet += await say(chat, name, text)
    assert in_room(quiet) == []
    for i in range(30):
        await say(chat, f"路人{i}", "中午吃啥", minutes=5)
    late = await say(chat, "9-2-702 小岳", "9栋还是没电 整栋楼都停电了")
    posts = in_room(late)
    assert len(posts) <= 1
    assert set(mentioned(posts)) <= {"9-2-702 小岳"}
    assert "小董" not in " ".join(mentioned(posts)) and "田阿姨" not in " ".join(mentioned(posts))


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 11, 24, 23, 10, tzinfo=TZ)  # a Tuesday night, in quiet hours


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("4栋2单元楼道灯坏了 晚上黑漆漆的", "4栋2单元"),
        ("北门垃圾桶满了 垃圾堆到路上了", "垃圾"),
        ("7栋602的孤寡老人王奶奶药吃完了 腿脚不便下不了楼 谁能帮忙买一下", "的事"),
    ],
)
async def test_an_acknowledgement_names_the_thing_and_no_emergency_numbers_when_not_urgent(chat, text, thing):
    sent = await say(chat, "居民小贺", text)
    [ack] = in_room(sent)
    assert "（#1）" in ack.text and "后处理" in ack.text and thing in ack.text
    # the office's category is for the workers; the emergency numbers only for what is urgent
    assert not any(word in ack.text for word in ("设施报修", "环境卫生", "安全隐患", "代办求助"))
    assert "110/119/120" not in texts(sent)


async def test_a_quarrel_is_never_labelled_in_the_group(chat):
    sent = await say(chat, "3栋 老孙", "楼上天天半夜拖椅子 讲了好几回都不听 今晚再拖我就上去敲门")
    [ack] = in_room(sent)
    assert "矛盾纠纷" not in ack.text and "纠纷" not in ack.text and "110" not in ack.text
    assert "您说的事" in ack.text
