"""Poultry kept on a roof is a matter of its own (intents/subjects.toml: poultry), so the words of a
quarrel over it find the quarrel (d15 k277: 「龙婶 楼顶上养鸡是不得行 臭嘛」 to the one who keeps them,
a neighbour's word in the quarrel going on, opened a sanitation ticket and a post of its own).
Through the application, as the group sees it."""

from __future__ import annotations

from conftest import ROOM_BH1, speaker

say = speaker(ROOM_BH1, minutes=2)


async def test_a_neighbours_word_in_a_quarrel_over_poultry_is_part_of_it(chat) -> None:
    opened = await say(chat, "5栋 龙婶", "哪个去物业告我的状嘛 我在天台上养几只鸡都不得 欺负人嘛")
    assert len(chat.store.tickets.select()) == 1 and chat.store.tickets.select()[0].intent == "dispute"
    assert opened
    said = await say(chat, "13栋 岑阿姨", "龙婶 你在楼顶养鸡确实不得行 鸡屎臭得很 楼下的人受不了")
    assert [m for m in said if m.to is None] == []  # nothing more in the group
    assert len(chat.store.tickets.select()) == 1

