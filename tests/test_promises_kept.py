"""A promise the bot makes on someone's behalf is one it keeps or does not make (reviews of
d12, finding 8, and d16, finding 8): a question is answered by whoever of the office answers
(「社区会回您准话」, not a named worker someone else answers for); 「办好了在群里说一声」 is
kept by an official's own word in the group that it is done (the bot says nothing more), and
by the bot's one short line only when nobody told the group."""

from __future__ import annotations

from conftest import ROOM_QN1, posts_in, speaker, texts

say = speaker(ROOM_QN1)
in_group = posts_in(ROOM_QN1)
FAULT = "3栋门口井盖又翘起来了 晚上走路容易绊倒"


async def test_a_question_is_promised_an_answer_from_the_office_not_from_a_named_worker(chat):
    sent = await say(chat, "2-2-402 小杜", "问一下 改造完了燃气管子改到外墙 每户得交钱吗 交多少啊")
    post = texts(in_group(sent))
    assert chat.ticket(1) is not None and chat.ticket(1).intent == "inquiry"
    assert "社区会回您准话" in post and "马建民" not in post


async def test_done_told_in_the_group_by_an_official_is_not_told_again(chat):
    await say(chat, "3栋 张阿姨", FAULT)
    await say(chat, "物业客服小陈", "3栋门口井盖已经换好了 大家放心走", minutes=60)
    sent = await chat.say("马建民", "办好 1 换了新井盖", room=None)
    assert chat.ticket(1).status == "resolved"
    assert in_group(sent) == []  # the group read it from the property company: the promise is kept


async def test_done_with_no_word_in_the_group_is_told_in_one_short_line(chat):
    await say(chat, "3栋 张阿姨", FAULT)
    sent = await chat.say("马建民", "办好 1 换了新井盖", room=None)
    post = in_group(sent)
    assert len(post) == 1 and "#1" in post[0].text


async def test_a_bare_chase_hours_later_is_not_answered_with_the_old_tickets_news(chat):
    """d16 16:30: 「介到底嘛时候来啊」 about the water the worker had just announced, answered in
    the group with the morning's noise ticket and his 07:12 words."""
    report = "介才几点啊 楼底下就开始切管子了 滋啦滋啦的 还让不让人睡了"
    await say(chat, "3-1-601 老周", report)
    await say(chat, "马建民", f"「3-1-601 老周：{report}」\n- - - - - - - - - - - - - - -\n周叔 我刚到 早上的事跟刘工当面说了", minutes=30)
    await say(chat, "马建民", "跟大家说一下：1-6号楼新管有个接口渗水 正在返工重焊 预计下午五点左右恢复供水", minutes=7 * 60)
    sent = await say(chat, "3-1-601 老周", "介到底嘛时候来啊", minutes=90)
    assert in_group(sent) == []  # not 「您说的事（#1）…马建民 07:12 说：…」
    assert [m for m in sent if m.to is not None and m.to.name == "马建民"] == []  # nor 「居民又问工单 #1」


async def test_a_request_to_the_helper_the_worker_named_gets_no_acknowledgement(chat):
    """d16 17:06: the worker had said who brings water on request; 李婶 asked 赵大爷 by name and
    the bot posted 「网格员马建民会尽快跟进」 and pinged him a new ticket. His word took it on."""
    await say(chat, "马建民", "【1-6号楼临时供水】社区在3号楼门口放了水桶 行动不方便的在群里说一声 赵大爷和小王给送")
    sent = await say(chat, "5-3-402 李婶", "赵大爷 我们5-3-402 老李离不开人 我下不去 能给送一桶上来吗", minutes=6)
    assert in_group(sent) == []
    assert [m for m in sent if m.to is not None and m.to.name == "马建民"] == []
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.status != "open"  # kept, as his


async def test_a_request_to_a_helper_nobody_arranged_is_acknowledged(chat):
    sent = await say(chat, "5-3-402 李婶", "小王 我腿脚不好下不了楼 能帮我买点菜送上来吗 我住5号楼3门402")
    assert "#1" in texts(in_group(sent))
