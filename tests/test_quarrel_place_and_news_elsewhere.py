"""A quarrel is where its parties are, and news of elsewhere is not a line of it (review of
d13, finding 2: the property's 「11号楼已恢复供水」 and 「6号楼2单元…现已恢复供水」 were filed on
8号楼2单元's quarrel over water from a drain, and the icicle ticket's place was stored as
only 「502」). A room, unit or floor said alone is written down with the building of the
sender's name; a word naming a place outside a quarrel's buildings goes to the incident
there. Through the application, as the tickets and the workers show it."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_BH1, speaker

say = speaker(ROOM_BH1)


async def test_a_bare_room_number_is_written_with_the_senders_building(chat):
    await say(chat, "8-2-402 高姐", "楼上502的 你家洗衣机水往阳台外头排 全冻我家雨搭上了 冰溜子一尺多长 掉下来砸着人咋整")
    [ticket] = chat.store.tickets.select()
    assert ticket.location is not None and "8" in ticket.location and "502" in ticket.location


async def _quarrel_and_an_outage(chat):
    await say(chat, "11号楼 老邢", "11号楼咋没水了？拧开龙头一滴都不出")
    [outage] = chat.store.tickets.select()
    await say(chat, "8-2-402 高姐", "@8-2-502 大刘 你家洗衣机水天天往我家雨搭上排 说了两年了 你讲不讲理")
    await say(chat, "8-2-502 大刘", "你家那雨搭是违建 还有脸说我 你家狗天天在楼道拉屎咋不说")
    await say(chat, "8-2-402 高姐", "你别往别的上扯 你家那排水管今天必须整 不整我就报警")
    await say(chat, "8-2-502 大刘", "评啥理 我家洗衣机排水管接的是下水道 不信你自己上来看")
    quarrels = [t for t in chat.store.tickets.select() if t.intent == "dispute"]
    assert quarrels, "the quarrel has a ticket"
    return outage, quarrels[0]


async def test_news_of_water_at_another_building_is_not_filed_on_the_quarrel(chat):
    outage, quarrel = await _quarrel_and_an_outage(chat)
    chat.clock.advance(timedelta(minutes=20))
    await say(chat, "滨河物业客服", "11号楼已恢复供水，刚来水有点浑，放一会儿就好")
    kinds = {e.kind for e in chat.store.tickets.events(quarrel.id)}
    assert "update" not in kinds
    assert any(e.kind == "update" for e in chat.store.tickets.events(outage.id))


async def test_a_word_on_the_quarrels_own_building_still_joins_it(chat):
    _, quarrel = await _quarrel_and_an_outage(chat)
    await say(chat, "滨河物业客服", "8号楼2单元502阳台那根排水管我们下午去看看 冻住了的话给化开")
    assert any(e.kind == "update" for e in chat.store.tickets.events(quarrel.id))

