"""A danger now is told as one, whatever words it comes in, and the same words in a memory,
a supposition or a piece of advice are not (review of d9, finding 1): mains power touching
water, or sparking, is as urgent as a gas leak — through the application, as the group and
the workers see it."""

from __future__ import annotations

import pytest
from conftest import ROOM_BH1, texts

CABLE_IN_THE_RAIN = "15栋1单元有人从三楼窗户吊了根线下来给楼下的电瓶车充电 线就搭在雨棚上 下着雨 插线板泡在水里 这不找死吗"


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


@pytest.mark.parametrize("report", [
    CABLE_IN_THE_RAIN,
    "北门外面人行道上掉了根电线 还在冒火花 大家别往那边走",
    "12栋1单元一楼的电表箱在冒火花 噼里啪啦的响",
])
async def test_power_in_water_or_sparking_now_is_an_emergency(chat, report):
    sent = await chat.say("Leo 15栋", report, ROOM_BH1)
    post = [m for m in sent if m.room_topic == ROOM_BH1]
    assert len(post) == 1
    assert "别碰" in post[0].text and "明天上班后处理" not in post[0].text
    # both workers of the grid at once, as for gas
    for worker in ("李强", "王秀英"):
        assert any(t.startswith("【紧急】") for t in private_to(sent, worker))
    [ticket] = chat.store.tickets.select()
    assert ticket.urgent


@pytest.mark.parametrize("said", [
    "上次插线板泡在水里 跳了闸 还好没出事",  # a memory
    "万一插线板泡在水里就麻烦了 大家充电莫拉线",  # a supposition, advice
    "敲门敲门 莫按门铃 门铃也打火花的",  # advice during a gas leak
    "老房子那个配电箱 一下雨就滋滋响 还有火星子",  # how it is every time it rains
])
async def test_the_same_words_as_a_memory_a_supposition_or_advice_raise_no_alarm(chat, said):
    sent = await chat.say("3栋 王阿姨", said, ROOM_BH1)
    assert "【紧急】" not in texts(sent) and "别碰" not in texts(sent)
    assert not any(t.urgent for t in chat.store.tickets.select())
