"""A neighbour offering to lend a hand (「要帮忙扫雪不 我有空」「需要帮忙吗 我家有铁锹」) gives
help, he does not ask for it: no ticket, no 「记下了」 in the group (review of d13, finding 10).
Someone asking for help still gets a ticket. All through the Application."""

from __future__ import annotations

import pytest
from conftest import ROOM_QN1, posts_in, texts

in_group = posts_in(ROOM_QN1)


@pytest.mark.parametrize("offer", [
    "3号楼门口雪堆了一大堆 要帮忙扫不 我可以过去 带着铁锹",
    "楼道的水结冰了 需要帮忙吗 我家有铁锹",
    "物业搬东西要不要帮忙 我在家闲着",
])
async def test_an_offer_of_help_opens_no_ticket(chat, offer) -> None:
    sent = await chat.say("5号楼 小周", offer)
    assert chat.ticket(1) is None
    assert "记下了" not in texts(in_group(sent))


async def test_asking_for_help_still_opens_a_ticket(chat) -> None:
    sent = await chat.say("5号楼 刘奶奶", "我腿脚不好 门口雪太厚出不去 谁能来帮忙扫一下")
    assert chat.ticket(1) is not None
    assert "#1" in texts(in_group(sent))
