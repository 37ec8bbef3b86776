"""「着起来了」 is 西南 speech for 烧起来了 (caught fire): the subject fire (intents/subjects.toml), so a
reporter's fear said so minutes after her own smoke report, naming where it drifts from, is more of
that report (d15 k17: 「…从11栋那边飘过来的 我怕是哪家屋头着起来了」 opened a second alarm, posted
to the whole group again). Through the application, as the group sees it."""

from __future__ import annotations

from conftest import ROOM_BH1, speaker

say = speaker(ROOM_BH1, minutes=2)


async def test_her_fear_of_a_fire_said_in_dialect_is_more_of_her_smoke_report(chat) -> None:
    first = await say(chat, "3栋 王阿姨", "好大一股烟味 是不是哪里着火了")
    assert len(chat.store.tickets.select()) == 1 and [m for m in first if m.to is None]
    more = await say(chat, "3栋 王阿姨", "烟是从5栋那边飘过来的 我怕是哪家厨房着起来了")
    assert len(chat.store.tickets.select()) == 1
    assert [m for m in more if m.to is None] == []  # no second alarm in the group
