"""Things said in a residents' group that sound like a need and are not (d16, a Monday of
老旧小区改造): a lost pet found and neighbours thanked, a rider asking whether a gate still
lets him in, a neighbour asking to be told that the new thing is the one he thinks, one's own
home's switch tripped (reset, it is on again), smoke that a neighbour says is the building works
heating asphalt. None opens a ticket or keeps an alarm
going; a need said in plain words next to the same words still does. All through the
Application, as the group and the workers see it."""

from __future__ import annotations

import pytest
from conftest import ROOM_QN1, posts_in, speaker, texts
from conftest import private_to as to

in_group = posts_in(ROOM_QN1)
say = speaker(ROOM_QN1)
WORKERS = ("马建民", "孙丽")



@pytest.mark.parametrize(("who", "said"), [
    ("12-1-301 吴", "找到了 我家狗在9栋楼道的电表箱后面趴着 谢谢大家"),
    ("3号楼 老范", "找着了！！！球球在3号楼地下室暖气管道上趴着呢 谢谢张叔 谢谢刘姐"),
    ("美团骑手 小胡", "请问一下 9号楼还能进去吗 门口全是沟"),
    ("9-1-601 田", "新装的充电桩就是北门车棚那一排吧？"),
    ("2-2-402 小杜", "我们家跳闸了 灯全黑了 是就我家这样吗"),
])
async def test_chatter_that_sounds_like_a_need_opens_nothing(chat, who, said) -> None:
    sent = await say(chat, who, said)
    assert chat.ticket(1) is None
    assert in_group(sent) == [] and not any(m.to is not None for m in sent)


@pytest.mark.parametrize("said", [
    "我家老头子出门买菜 到现在还没找着 他有老年痴呆 谁看见了帮忙找找",  # not found yet
    "北门的路挖断了 我妈坐轮椅 还能进吗 麻烦社区给铺块板子",  # asks the grid for something
    "北门那排充电桩坏了 扫码没反应 就是新装的那一排",  # a fault
    "我家跳闸了 推不上去 整栋楼都黑了 是不是停电了",  # the building is dark too
])
async def test_a_need_beside_the_same_words_still_opens_a_ticket(chat, said) -> None:
    sent = await say(chat, "3号楼 老范", said)
    assert chat.ticket(1) is not None
    assert "#1" in texts(in_group(sent))


async def test_smoke_a_neighbour_says_is_the_works_heating_asphalt_calms_the_alarm(chat) -> None:
    sent = await say(chat, "2-1-101 老高", "快看5号楼那边 冒黑烟了！")
    assert "119" in texts(in_group(sent)) and all(to(sent, w) for w in WORKERS)  # the alarm
    sent = await say(chat, "3-1-601 老周", "别慌 施工队在熬沥青呢 天天这样", minutes=1)
    # the works explain the smoke: the workers are asked to confirm (d16 finding 2), the group
    # hears no all-clear on a neighbour's word, and the ticket waits for theirs
    assert in_group(sent) == [] and all("沥青" in m.text for m in sent)
    assert all(to(sent, w) for w in WORKERS) and chat.ticket(1).status == "open"
    assert not [m for m in await chat.later(minutes=30) if "#1" in m.text]  # nothing goes up


async def test_fire_at_the_works_is_still_an_alarm(chat) -> None:
    sent = await say(chat, "2-1-101 老高", "5号楼工地着火了！脚手架上的网烧起来了 快打119")
    assert "119" in texts(in_group(sent)) and chat.ticket(1).urgent
