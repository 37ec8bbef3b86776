"""A residents' group hears news for residents: the acknowledgement, the outcome, and the
acceptance only when it is news. Who is pinged, reminded, escalated to or thanked is told
privately or not at all, and other residents' groups never hear of the ticket."""

from __future__ import annotations

from datetime import timedelta

from conftest import ROOM_QN1, ROOM_QN2, texts

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
OTHER_ROOM_QN1 = "青年路1-6号楼楼栋群"  # the grid's second residents' group


async def test_one_tickets_whole_life_is_at_most_three_posts_in_the_group(chat):
    sent = await chat.say("张阿姨", COVER)
    for _ in range(29 * 60 // 10):  # nobody takes it: the lists' reminders, then the backup
        sent += await chat.later(minutes=10)
    sent += await chat.say("孙丽", "接单 1")  # the backup worker, after a long wait: news
    sent += await chat.later(minutes=40)
    sent += await chat.say("孙丽", "完成 1 已固定井盖")
    sent += await chat.say("张阿姨", "满意")
    sent += await chat.later(hours=80)  # past the rating question and auto-close

    posts = [m for m in sent if m.room_id is not None and m.room_topic != "青年路社区工作群"]
    assert [m.room_topic for m in posts] == [ROOM_QN1] * 3
    ack, accepted, done = (m.text for m in posts)
    assert "#1" in ack and "接单" not in ack  # no instructions for the worker
    assert "孙丽已经接手" in accepted
    assert "已固定井盖" in done and "满意" in done  # the outcome asks for the rating
    assert all("⏰" not in m.text and "⏫" not in m.text for m in posts)
    privately = {m.to.name for m in sent if m.to is not None}
    assert {"马建民", "孙丽"} <= privately  # the ping, reminders and the hand-over


async def test_other_residents_groups_never_hear_of_the_ticket(chat):
    await chat.say("张阿姨", COVER)
    # the worker answers in the grid's other group (and a worker of the next grid in hers)
    elsewhere = await chat.say("马建民", "接单 1", room=OTHER_ROOM_QN1)
    elsewhere += await chat.say("马建民", "转 1 孙丽", room=OTHER_ROOM_QN1)
    elsewhere += await chat.say("孙丽", "接单 1", room=ROOM_QN2)
    assert chat.ticket(1).status == "accepted"
    assert [m.room_id for m in elsewhere] == [None] * len(elsewhere)
    done = await chat.say("孙丽", "完成 1 已固定井盖", room=ROOM_QN2)
    assert {m.room_topic for m in done if m.room_id} == {ROOM_QN1}  # only where it was reported
    assert [m.to.name for m in done if m.to] == ["孙丽"]
    assert "已固定井盖" in texts(done)


async def test_a_reopening_in_the_group_is_news_for_residents_and_the_details_go_privately(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "完成 1 换了新井盖")
    sent = await chat.say("张阿姨", "还是没修好，踩上去还咣当响")
    assert chat.ticket(1).status == "accepted"
    [post] = [m for m in sent if m.room_id is not None]
    assert post.room_topic == ROOM_QN1 and {p.name for p in post.mentions} == {"张阿姨", "马建民"}
    assert "#1" in post.text and "咣当" not in post.text  # news: handed back, a bare @ of the worker
    [ping] = [m for m in sent if m.to is not None]
    assert ping.to.name == "马建民" and "#1" in ping.text and "咣当" in ping.text  # what is wrong


# --- what an official does in the group is not told back to them; closings -------------------

MEALS = "我爸一个人在家 腿不好做不了饭 我在外地回不来 哪位能帮忙看看 11栋302"


async def test_an_official_is_not_told_back_what_they_said_in_the_group_but_commands_are_answered(chat):
    await chat.say("张阿姨", COVER)
    assert await chat.say("马建民", "收到 马上到") == []
    noted = await chat.say("马建民", "进展 1 已联系物业", room=None)
    assert [m.to.name for m in noted] == ["马建民"] and "#1" in texts(noted)
    done = await chat.say("马建民", "完成 1 已固定井盖", room=None)
    [confirmation] = [m for m in done if m.to is not None and m.to.name == "马建民"]
    assert "已请居民确认" in confirmation.text  # the group's closing really asked them
    [closing] = [m for m in done if m.room_id is not None]
    assert "满意" in closing.text and [p.name for p in closing.mentions] == ["张阿姨"]


async def test_a_closing_of_care_names_only_who_asked_and_asks_no_rating(chat):
    await chat.say("陈静(11栋302家属)", MEALS)
    await chat.say("11栋 阿娟", "陈伯我认得 他膝盖不好 下不了楼买菜的")  # a neighbour tells more
    done = await chat.say("马建民", "完成 1 送餐登记好了 以后每天中午送到门口", room=None)
    # one person's care is not news for the group: its holder told them (review of d11, finding 10)
    assert [m for m in done if m.room_id is not None] == []
    [confirmation] = [m for m in done if m.to is not None]
    assert "已请居民确认" not in confirmation.text  # nobody was asked


async def test_a_quarrel_closed_by_command_asks_nobody_to_rate_it(chat):
    await chat.say("3栋 老孙", "楼上天天半夜拖椅子 讲了好几回都不听 今晚再拖我就上去敲门")
    done = await chat.say("马建民", "完成 1 两家谈好了", room=None)
    assert [m for m in done if m.room_id is not None] == []  # a quarrel's outcome is never posted
    assert "满意" not in texts(done) and "矛盾纠纷" not in texts(done)


async def test_a_closing_at_night_rings_no_phone(chat):
    await chat.say("张阿姨", COVER)
    chat.clock.advance(timedelta(hours=13))  # 23:00
    done = await chat.say("马建民", "完成 1 已固定井盖", room=None)
    [closing] = [m for m in done if m.room_id is not None]
    assert "已固定井盖" in closing.text and closing.mentions == ()


async def test_photos_of_a_resident_go_on_the_ticket_without_a_message_each(chat):
    from handlers.messages import Media

    await chat.say("张阿姨", COVER)
    for n in range(3):
        sent = await chat.say("张阿姨", "", media=(Media("image", "p.jpg", b"\xff\xd8%d" % n),))
        assert sent == []
    assert len(chat.store.notes.attachments(1)) == 3


async def test_a_resident_giving_details_privately_is_not_told_to_wait(chat):
    await chat.say("陈静(11栋302家属)", MEALS)
    details = await chat.say("陈静(11栋302家属)", "我爸爸陈国华 住11栋302 一个人在家 麻烦帮我登记一下 谢谢", room=None)
    assert details == []
    reports = [r.text for r in chat.store.conversation.reports(1)]
    assert any("陈国华" in text for text in reports)  # on the ticket for the worker
    asked = await chat.say("陈静(11栋302家属)", "我爸一个人在家做不了饭 什么时候有人来看？", room=None)
    assert "#1" in texts(asked)


async def test_a_staff_notice_with_an_ordinary_word_is_no_command(chat):
    await chat.say("张阿姨", COVER)
    for said in ("亲子手作还有10个名额 大家转告一下带娃的邻居", "登记好了的家长周三带孩子来"):
        assert await chat.say("刘芳", said) == []
    assert chat.ticket(1).status == "open" and chat.ticket(1).assignee_name == "马建民"


# --- the group hears answers to chases and questions only, and only what is true --------------

LIFT = "5栋2单元电梯门关不上 一直叮叮叮叫"


async def _scroll(chat, n=32):
    for i in range(n):
        chat.clock.advance(timedelta(minutes=4))
        await chat.say(f"邻居{i}", "早上好")


async def test_comments_and_reassurance_get_no_reply_and_a_chase_hears_who_has_it(chat):
    await chat.say("5-2-1203 阿嬷", LIFT)
    await _scroll(chat)
    for said in ("阿嬷别急 电梯物业会修的 先慢慢走楼梯 扶好扶手", "这电梯门跟我家那口子一样 说关就是关不上 哈哈"):
        assert [m for m in await chat.say("6栋 大海", said) if m.room_id] == []
    await chat.say("物业管家小林", "5栋电梯已经通知工程部了 师傅大概11点到 两部一起检查")
    chat.clock.advance(timedelta(minutes=40))  # a moment after it, the property company is answering: silence
    chase = await chat.say("5-2-1806 小蔡妈妈", "5栋电梯到底什么时候能修好？推车进不去")
    [post] = [m for m in chase if m.room_id]
    assert "#1" in post.text and "在跟进" not in post.text  # nobody took it yet
    assert "已告诉网格员马建民" in post.text and "师傅大概11点到" in post.text
    chat.clock.advance(timedelta(hours=3))
    again = await chat.say("5-2-1806 小蔡妈妈", "电梯怎么还没修好？")
    assert [m for m in again if m.room_id] == []  # once per person in half a day


async def test_a_word_that_it_is_still_wrong_stays_on_the_ticket_without_a_post(chat):
    await chat.say("5-2-1203 阿嬷", LIFT)
    await chat.say("马建民", "接单 1")
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("5-2-1203 阿嬷", "电梯还是关不上 明天叫我儿子再打物业电话")
    assert sent == []
    asked = await chat.say("5-2-1203 阿嬷", "有人管吗 电梯还是关不上", )
    [post] = [m for m in asked if m.room_id]
    assert "网格员马建民在办" in post.text


async def test_a_new_ticket_reaches_the_worker_in_one_line_where_what_who_since_when(chat):
    sent = await chat.say("张阿姨", COVER)
    [ping] = [m for m in sent if m.to is not None]
    assert ping.to.name == "马建民" and "3栋门口井盖" in ping.text and "（张阿姨 10:00）" in ping.text
    [ack] = [m for m in sent if m.room_id is not None]
    assert "井盖的事" in ack.text and "设施报修" not in ack.text


async def test_the_morning_list_counts_the_photos_and_says_who_and_since_when(chat):
    from handlers.messages import Media

    chat.clock.advance(timedelta(hours=13))  # Monday 23:00, quiet hours: the ping waits
    night = await chat.say("张阿姨", COVER)
    assert [m for m in night if m.to is not None] == []
    assert await chat.say("张阿姨", "", media=(Media("image", "p.jpg", b"\xff\xd8night"),)) == []
    morning = await chat.later(hours=9)
    [digest] = [m for m in morning if m.to is not None and m.to.name == "马建民"]
    assert "#1" in digest.text and "附照片 1 张" in digest.text and "张阿姨 11-23 23:00" in digest.text


async def test_a_leak_from_the_flat_above_is_acknowledged_as_the_reporters_not_the_neighbours(chat):
    """The group never reads the accused neighbour's flat; the ack names what the reporter
    lives with (a leak at home), not a word like 灯槽 the report happens to contain."""
    sent = await chat.say(
        "许先生 3-1903", "3栋2003的在不在群里？你家卫生间漏水漏到我家天花板了 灯槽里都在滴", ROOM_QN1
    )
    [ack] = [m for m in sent if m.room_id is not None]
    assert "#1" in ack.text and "2003" not in ack.text and "灯" not in ack.text
    assert "3栋1903漏水的事" in ack.text
    sent = await chat.say("王阿姨", "楼上502的水又渗下来了 我家厨房顶上全是水印子", ROOM_QN2)
    [ack] = [m for m in sent if m.room_id is not None]
    assert "502" not in ack.text and "漏水" in ack.text
