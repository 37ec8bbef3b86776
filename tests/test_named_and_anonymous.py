"""Residents who speak to someone: a group member who reports only privately and asks to stay
anonymous (the grid's worker gets the ticket, the group never learns who reported), and a
resident who puts a question the FAQ answered to a named official (the question becomes a
ticket that official hears of and answers). All through the Application, as users see it."""

from __future__ import annotations

from conftest import ROOM_BH1, ROOM_QN1, texts

from handlers.messages import Person

NEIGHBOUR = "16栋 阿华"
BOXES = "你好 想反映个事 16栋1单元一楼楼梯口堆了纸箱子和旧沙发 一个多礼拜了 楼梯只剩一半宽 万一着火跑都跑不出去"
QUOTE = "「{who}：{text}」\n- - - - - - - - - - - - - - -\n{reply}"


async def member(chat, name: str, room: str = ROOM_BH1) -> None:
    """The group's member list as the transport delivers it (WeChat lists it at login)."""
    chat.transport.members(f"room-{room}", room, [Person(name, chat.person_id(name))])


async def test_a_member_who_never_wrote_in_the_group_reports_privately_to_its_worker(chat) -> None:
    await member(chat, NEIGHBOUR)
    out = await chat.say(NEIGHBOUR, BOXES, room=None)
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.grid_id == "bh-1" and ticket.intent == "safety"
    assert {m.to.name for m in out} == {NEIGHBOUR, "李强"} and all(m.room_id is None for m in out)
    assert "#1" in texts(out) and "小区" not in texts(out)  # not asked where they live


async def test_one_seen_writing_in_another_grid_stays_of_that_grid(chat) -> None:
    await chat.say("王大爷", "今天天气真好", room=ROOM_QN1)
    await member(chat, "王大爷")
    await chat.say("王大爷", "楼道灯坏了好几天了 黑乎乎的", room=None)
    assert chat.ticket(1).grid_id == "qn-1"


async def test_an_anonymous_report_never_names_the_reporter_in_the_group(chat) -> None:
    await member(chat, NEIGHBOUR)
    await chat.say(NEIGHBOUR, BOXES, room=None)
    asked = await chat.say(NEIGHBOUR, "在群里不好说 都认识 怕得罪人 麻烦不要说是我反映的", room=None)
    assert [m.to.name for m in asked] == [NEIGHBOUR, "李强"]
    assert "不会在群里说是您反映的" in asked[0].text and "别提是谁反映的" in asked[1].text
    again = await chat.say(NEIGHBOUR, "明天能来处理吗 谢谢", room=None)
    assert [m.to.name for m in again] == [NEIGHBOUR] and "#1" in again[0].text
    said = []
    said += await chat.say("李强", "收到", room=None)
    said += await chat.say("李强", "16栋1单元楼梯口的纸箱和沙发已经清走了", room=ROOM_BH1)
    said += await chat.say("李强", "办结 1 楼梯口杂物已清理", room=ROOM_BH1)
    said += await chat.later(hours=30)
    in_group = [m for m in said if m.room_id is not None]
    assert all(NEIGHBOUR not in m.text and "阿华" not in m.text for m in in_group)
    assert all(p.name != NEIGHBOUR for m in in_group for p in m.mentions)
    assert chat.ticket(1).status in ("resolved", "closed")
    assert any(m.to is not None and m.to.name == NEIGHBOUR for m in said)  # told privately


async def test_a_question_the_faq_answered_put_to_the_staff_by_name_is_their_ticket(chat) -> None:
    asker, question = "小鹿乱撞", "请问一下 我爸满八十了 高龄补贴要什么材料啊 在社区能办吗"
    answered = await chat.say(asker, question, room=ROOM_BH1)
    assert [m.room_topic for m in answered] == [ROOM_BH1] and chat.store.tickets.select() == []
    put = await chat.say(asker, "@陈海燕 打扰了陈主任 想问一下[可怜]", room=ROOM_BH1)
    assert [m.to.name for m in put if m.to] == ["陈海燕"] and all(m.room_id is None for m in put)
    assert "高龄补贴" in put[0].text  # she reads the question itself
    ticket = chat.ticket(1)
    assert ticket.intent == "inquiry" and ticket.text == question
    reply = QUOTE.format(who=asker, text=question, reply="可以的 带老人身份证、户口本到社区一楼综合窗口申请")
    await chat.say("陈海燕", reply, room=ROOM_BH1)
    assert chat.ticket(1).status == "resolved"


async def test_naming_an_official_without_an_faq_answer_first_opens_nothing(chat) -> None:
    out = await chat.say("房东 曾老板", "一般房东拍个照片发过来就行吧 @陈海燕 是不是", room=ROOM_BH1)
    assert out == [] and chat.store.tickets.select() == []


async def test_a_report_that_names_the_backup_pings_them_too(chat) -> None:
    out = await chat.say("3栋 张阿姨", "@孙丽 3栋门口井盖又翘起来了 晚上走路容易绊倒", room=ROOM_QN1)
    pinged = [m.to.name for m in out if m.to is not None]
    assert pinged == ["马建民", "孙丽"] and all("#1" in m.text for m in out if m.to is not None)


async def test_on_a_day_off_the_backup_on_duty_hears_the_follow_ups(chat) -> None:
    """Saturday: 孙丽, the grid's backup, said she is on duty; a resident's chase of 马建民's
    ticket (with the photo she sent) reaches her now, not him on Monday."""
    from datetime import datetime

    from conftest import TZ

    chat.clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=TZ))  # Friday afternoon
    await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", room=ROOM_QN1)
    assert chat.ticket(1).assignee_name == "马建民"
    chat.clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=TZ))  # Saturday
    await chat.say("孙丽", "今天我值班 大家有急事@我", room=ROOM_QN1)
    chat.clock.set(datetime(2026, 11, 28, 10, 5, tzinfo=TZ))
    out = await chat.say("3栋 张阿姨", "井盖的事怎么还没人来修？昨天就说了", room=ROOM_QN1)
    pinged = [m for m in out if m.to is not None]
    assert [m.to.name for m in pinged] == ["孙丽"] and "#1" in pinged[0].text
    assert all(m.not_before == 0 for m in pinged)  # now, not Monday


async def test_a_report_that_begins_with_the_backups_name_pings_them_too(chat) -> None:
    out = await chat.say("3栋 张阿姨", "孙丽 3栋门口井盖又翘起来了 晚上走路容易绊倒", room=ROOM_QN1)
    assert [m.to.name for m in out if m.to is not None] == ["马建民", "孙丽"]


async def test_no_canned_answer_after_the_staff_answered_the_matter(chat) -> None:
    """(review of d12, finding 4) A question the FAQ's words appear in but that asks of
    something else gets no canned answer; once the staff answered the matter in the group,
    a neighbour's question on it is theirs to answer: the bot says nothing."""
    question = "请问一下 我妈是低保户 今年冬天的取暖补贴咋个申请 要带啥子材料"
    asked = await chat.say("13-2-601 谭姐", question, room=ROOM_BH1)
    assert "申请低保以家庭为单位" not in texts(asked)  # not the 低保 template
    answer = QUOTE.format(who="13-2-601 谭姐", text=question,
                          reply="谭姐 冬季取暖补贴是给低保、特困和低收入家庭的 带户口本、身份证、低保证到社区一楼窗口填申请表")
    await chat.say("陈海燕", answer, room=ROOM_BH1)
    after = await chat.say("14幢 马婆婆", "陈主任 我们不是低保的可以申请不", room=ROOM_BH1)
    assert [m for m in after if m.room_id is not None] == []


async def test_a_question_on_another_matter_is_still_put_to_the_staff_who_just_answered_one(chat) -> None:
    """(d15 N9) The staff answered a wish quoting 「能不能整个烤火炉嘛」; a question put to her
    minutes later on a disability card (「…能不能办残疾证」) shares only the asking (能不能) with
    it: not the matter she answered, so she hears it, with the FAQ's answer to lean on."""
    wish = "社区活动室冷得很 能不能装个空调嘛"
    await chat.say("7栋 龙大爹", wish, room=ROOM_BH1)
    answer = QUOTE.format(who="7栋 龙大爹", text=wish, reply="这个建议好 我们报上去看能不能装两台电取暖器")
    await chat.say("陈海燕", answer, room=ROOM_BH1)
    asked = await chat.say("1栋 杨婷", "陈主任 请问一下 我妈眼睛看不见了 能不能办残疾证", room=ROOM_BH1)
    told = [m.text for m in asked if m.to is not None and m.to.name == "陈海燕"]
    assert len(told) == 1 and "残疾证" in told[0] and "杨婷" in told[0]


async def test_the_faq_does_not_answer_again_after_the_staff_did(chat) -> None:
    question = "请问一下 办居住证要什么材料啊 在社区能办吗"
    first = await chat.say("小鹿乱撞", question, room=ROOM_BH1)
    assert "居住" in texts(first)  # the FAQ's answer, the first time
    answer = QUOTE.format(who="小鹿乱撞", text=question,
                          reply="可以的 带本人身份证、租房合同到社区一楼综合窗口先办居住登记 满半年申领居住证")
    await chat.say("陈海燕", answer, room=ROOM_BH1)
    again = await chat.say("岁月静好", "我们也是租房的 办居住证要什么材料", room=ROOM_BH1)
    assert [m for m in again if m.room_id is not None] == []  # 陈海燕 just answered it
