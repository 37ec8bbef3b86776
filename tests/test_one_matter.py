"""One matter said by several people in their own words is one ticket, and what is said of a
matter just put right is a remark on it, not a new one (review of d9, findings 5 and the
landlord's word after the cable came down) — through the application, as the group sees it."""

from __future__ import annotations

from conftest import ROOM_BH1, speaker, texts

say = speaker(ROOM_BH1, minutes=2)


async def test_a_dark_road_told_as_all_dark_joins_the_street_lights_and_is_not_called_charging(chat):
    await say(chat, "老余 10栋", "昨晚6栋到8栋那一截路灯又冇亮 黑漆麻乌的 我打牌回来差点一脚踩到水凼里")
    sent = await say(chat, "阿杰-外卖", "兄弟们 昨晚十一点多送完单回来 小区里面主路中间那一段全黑的 电瓶车差点怼到石墩子上 啥情况啊")
    assert len(chat.store.tickets.select()) == 1
    assert "充电" not in texts(sent)
    assert {r.person_name for r in chat.store.tickets.reporters(1)} == {"老余 10栋", "阿杰-外卖"}


async def test_a_neighbours_word_on_a_matter_just_put_right_opens_nothing(chat):
    await say(chat, "Leo 15栋", "15栋1单元有人从三楼窗户吊了根线下来给楼下的电瓶车充电 插线板就放在地上")
    [ticket] = chat.store.tickets.select()
    await say(chat, "李强", "接单 1")
    await say(chat, "李强", f"完成 {ticket.id} 线已经收了 插板也拿上去了 跟车主讲清楚了")
    sent = await say(chat, "房东 曾老板", "租房的时候要跟租客讲清楚 不准拉线 我的房子都写在合同里")
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id]
    assert [m for m in sent if m.room_topic == ROOM_BH1] == []
    # a request of their own, on the same subject, is still heard
    await say(chat, "5栋 老吴", "能不能在小区里面搭个充电棚 大家就不用拉线了")
    assert len(chat.store.tickets.select()) == 2


async def test_a_memory_of_last_year_opens_nothing_and_todays_emergency_keeps_its_messages(chat):
    sent = await say(chat, "滨河老刘", "记得去年那回冻得7栋水表都爆了 楼道里淌了一地的水 溜冰场一样")
    assert chat.store.tickets.select() == [] and [m for m in sent if m.room_topic == ROOM_BH1] == []
    await say(chat, "9栋 胡师傅", "9栋2单元楼道里好大一股煤气味 哪家的")
    [gas] = chat.store.tickets.select()
    assert gas.urgent
    await say(chat, "9-2-302 小杨", "卧槽 真的 我一开门就闻到了 还以为是我家的 我家阀门关着的", minutes=1)
    assert "9-2-302 小杨" in {r.person_name for r in chat.store.tickets.reporters(gas.id)}
    # a fault of these days told with last year is still a report
    await say(chat, "5栋 老吴", "去年修过的5栋水管又爆了 楼道里全是水", minutes=30)
    assert len(chat.store.tickets.select()) == 2
