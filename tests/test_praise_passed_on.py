"""A resident's praise of an official in the group is passed to the one praised (d10 N7, d13 N12,
d14 N13, d16 N11: praise was counted and nobody heard it): the officials it names, by name or as
residents call them (小李, 刘主任), or the worker in charge when it names volunteers or nobody;
once a day per resident and official; a reporter's thanks on their own live ticket is not passed
on. Through the application, as the officials see it."""

from __future__ import annotations

from conftest import ROOM_BH1, ROOM_QN1, speaker

say = speaker(ROOM_QN1, minutes=2)
say_bh = speaker(ROOM_BH1, minutes=2)


def private(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


async def test_praise_of_a_worker_called_by_surname_reaches_them(chat):
    sent = await say_bh(chat, "10号楼 老孙头", "表扬一下咱网格员小李 上礼拜帮我们老两口把高龄补贴给办下来了 跑了三趟 这小伙子贼实在[强]")
    assert len(private(sent, "李强")) == 1 and "老孙头" in private(sent, "李强")[0]
    assert [m for m in sent if m.to is None] == []  # nothing in the group
    assert chat.store.tickets.select() == []


async def test_thanks_to_you_all_reach_the_worker_in_charge_once(chat):
    sent = await say(chat, "1-2-301 孟大娘", "我们老两口子谢谢你们啦[玫瑰][玫瑰]")
    sent += await say(chat, "1-2-301 孟大娘", "真是谢谢你们了 好人啊")
    assert len(private(sent, "马建民")) == 1


async def test_praise_of_volunteers_is_the_worker_in_charges_to_know(chat):
    sent = await say(chat, "1号楼 张姨", "今儿赵大爷在3号楼门口站了俩钟头 小王楼上楼下跑着送水 给他们点个赞 谢谢赵大爷 谢谢小王")
    told = private(sent, "马建民")
    assert len(told) == 1 and "赵大爷" in told[0] and "小王" in told[0]


async def test_a_reporters_thanks_on_their_own_ticket_is_not_passed_on(chat):
    await say(chat, "5-3-402 李婶", "我们家老李明天要去医院复查 他坐轮椅 我们住四楼 没电梯 我一个人弄不下去")
    sent = await say(chat, "5-3-402 李婶", "哎呦谢谢你们了 谢谢小马[抱拳]", minutes=10)
    assert private(sent, "马建民") == []


async def test_thanks_to_the_property_companys_people_or_no_thanks_at_all_are_not_passed_on(chat):
    sent = await say(chat, "15幢 曾丽", "谢谢小何 谢谢师傅")
    sent += await say(chat, "15-2-101 曾大爷", "网格员 物业 我家下水到冒起来了 厕所头全是水 臭得很")
    assert [m.text for m in sent if "👍" in m.text] == []


async def test_a_reporters_thanks_naming_others_than_the_one_in_charge_reach_them(chat):
    """d15 N12: 「今天真的要感谢网格员王秀英 李强 还有陈主任 跑了一下午」 from the son whose father
    they found: the ticket's thanks is the worker in charge's, but the backup and the staff who ran
    with her hear nothing of it unless it is passed on."""
    await say(chat, "5-3-402 李婶", "我们家老李明天要去医院复查 他坐轮椅 我们住四楼 没电梯 我一个人弄不下去")
    sent = await say(chat, "5-3-402 李婶", "今天真的要感谢网格员马建民 孙丽 还有刘主任 跑了一下午 再次谢谢[抱拳]", minutes=300)
    assert private(sent, "马建民") == []
    assert len(private(sent, "孙丽")) == 1 and "李婶" in private(sent, "孙丽")[0]
    assert len(private(sent, "刘芳")) == 1
