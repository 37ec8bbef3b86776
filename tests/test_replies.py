"""Replies people actually type, through the Application: each phrasing changes the right
ticket, and the right people are told (residents in their group, workers privately).

The phrasings are written the way workers and residents write in a residents' group:
with 阿姨 and 好的 around them, emoji, two clauses, dialect-free but varied. The words are
recognised by concept (intents/replies.toml), not sentence by sentence.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ROOM_QN1, ROOM_QN2, texts
from conftest import private_to as to

from handlers.messages import Outgoing

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
BINS = "北门垃圾桶满了好几天了，臭得不行"
STAFF_ROOM = "青年路社区工作群"
OTHER_QN1_ROOM = "青年路1-6号楼楼栋群"


def in_room(sent: list[Outgoing], room: str) -> list[Outgoing]:
    return [m for m in sent if m.room_topic == room]



def names(messages: list[Outgoing]) -> set[str]:
    return {p.name for m in messages for p in m.mentions}


def events(chat, number: int) -> list[str]:
    return [e.kind for e in chat.store.tickets.events(number)]


# --- workers: accepting ---------------------------------------------------------------------

ACCEPT = [
    "收到，马上到", "好的马上去看看", "好的，我马上联系物业", "我去看看", "我来处理",
    "收到收到 这就过去", "好的阿姨 我下午过去看看", "明白，马上安排师傅过去", "好嘞 马上到",
    "收到！立刻处理", "ok 我现在过去", "好的 等下就去", "收到，我这就下楼看看", "马上到",
    "收到 我叫师傅过去看看", "没问题 交给我", "好的张阿姨，我一会儿过去", "收到[抱拳] 马上去",
    "嗯嗯 我联系物业处理", "好 这就来", "收到了 明天一早过去看看", "阿姨别急 我马上过来",
    "好的好的 我给物业打电话", "收到，我来跟进", "收到", "好的阿姨",
]


@pytest.mark.parametrize("said", ACCEPT)
async def test_a_worker_accepts_in_their_own_words(chat, said):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", said)
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.assignee_name) == ("accepted", "马建民")
    assert sent == []  # taken at once: no news for the group, no word back to the worker


# --- workers: done, with what was done as the note --------------------------------------------

DONE = [
    ("已经修好了", ""), ("修好了，换了新灯泡", "换了新灯泡"), ("搞定", ""),
    ("灯已经换好了", "灯已经换好了"), ("路灯换好了 换了个灯头", "路灯换好了，换了个灯头"),
    ("井盖已经换新的了", "井盖已经换新的了"), ("处理好了 阿姨", ""), ("好了 下水道通了", "下水道通了"),
    ("已疏通", "已疏通"), ("垃圾已经清运走了", "垃圾已经清运走了"), ("弄好了 您看看", ""),
    ("已联系物业修好了", "已联系物业修好了"), ("师傅修好了", "师傅修好了"),
    ("电梯恢复正常了", "电梯恢复正常了"), ("ok了", ""), ("都弄完了", "都弄完了"),
    ("换好了，您试试", "换好了"), ("已处理完毕", "已处理完毕"), ("楼道杂物已清理干净", "楼道杂物已清理干净"),
    ("药已经送到了", "药已经送到了"), ("修复了", "修复了"), ("完工了", "完工了"),
    ("灯修好了 谢谢大家配合", "灯修好了"),
]


@pytest.mark.parametrize(("said", "note"), DONE)
async def test_a_worker_says_it_is_done_and_what_was_done(chat, said, note):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "好的 马上去")
    await chat.say("王奶奶", "5号楼前面的路灯不亮了", room=OTHER_QN1_ROOM)  # another room's ticket
    sent = await chat.say("马建民", said)
    ticket = chat.ticket(1)
    assert ticket.status == "resolved" and (ticket.resolution_note or "") == note
    # the group read the worker's own words: the bot does not repeat them, nor answer her
    assert sent == []
    assert chat.ticket(2).status == "open"  # the other room's ticket is untouched


async def test_a_number_in_the_words_names_the_ticket_wherever_it_was_reported(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("王奶奶", "5号楼前面的路灯不亮了", room=OTHER_QN1_ROOM)
    sent = await chat.say("马建民", "2号单修好了 换了灯泡")
    assert chat.ticket(2).status == "resolved" and chat.ticket(1).status == "open"
    assert chat.ticket(2).resolution_note == "换了灯泡"
    assert names(in_room(sent, OTHER_QN1_ROOM)) == {"王奶奶"} and in_room(sent, ROOM_QN1) == []


# --- workers: declining and handing on ------------------------------------------------------

ESCALATED, RETURNED = "escalated", "returned"
DECLINE = [
    ("这个不归我们网格 转社区", ESCALATED), ("是物业的事", RETURNED), ("转给孙丽", "孙丽"),
    ("这个归物业管", RETURNED), ("不是我们网格的", RETURNED), ("这事得找物业", RETURNED),
    ("转社区处理吧", ESCALATED), ("这个我们管不了 转社区", ESCALATED), ("麻烦社区协调一下", ESCALATED),
    ("交给孙丽吧", "孙丽"), ("这是城管的事", RETURNED), ("属于供电局管的", RETURNED),
    ("不归我管", RETURNED), ("转给李强", "李强"), ("应该找物业公司", RETURNED),
    ("这个是开发商的问题", RETURNED), ("物业负责的", RETURNED), ("退回社区吧", RETURNED),
    ("这不是我们这边管的", RETURNED), ("我们网格管不了 请社区安排", ESCALATED), ("移交给社区", ESCALATED),
    ("转刘芳", "刘芳"), ("好的 这个是物业的事 转物业", RETURNED),
]


@pytest.mark.parametrize(("said", "outcome"), DECLINE)
async def test_a_worker_hands_a_ticket_on_in_their_own_words(chat, said, outcome):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", said)
    ticket = chat.ticket(1)
    group = in_room(sent, ROOM_QN1)
    if outcome == ESCALATED:
        assert ticket.escalation_level == 2 and ticket.assignee_name == "张继凯"
        assert in_room(sent, STAFF_ROOM) and not to(sent, "张继凯") and not to(sent, "刘芳")
        assert group == []  # who has it now is no news for residents
    elif outcome == RETURNED:
        assert ticket.assignee_name == "张继凯" and ticket.status == "open"
        assert "returned" in events(chat, 1)
        assert in_room(sent, STAFF_ROOM) and to(sent, "马建民")  # the staff's group, a word to the worker
        assert group == []  # nothing for residents to read
    else:
        assert (ticket.assignee_name, ticket.status) == (outcome, "open")
        assert "transferred" in events(chat, 1)
        assert outcome in names(sent) or to(sent, outcome)  # the new holder is pinged
        assert to(sent, "马建民") and "已转给" in texts(to(sent, "马建民"))


# --- workers: progress, and chat left alone -------------------------------------------------

@pytest.mark.parametrize("said", ["在处理了", "正在协调物业", "师傅在路上了", "已经联系物业了 明天来修", "还没修好 明天继续"])
async def test_a_worker_reports_progress_and_the_group_hears_nothing_more(chat, said):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "接单 1")
    sent = await chat.say("马建民", said)
    assert sent == [] and chat.ticket(1).status == "accepted"
    assert events(chat, 1)[-1] in ("progress", "accepted")


@pytest.mark.parametrize("said", ["大家早上好", "今天降温了 大家多穿点", "好的 明天见", "哈哈哈", "谢谢", "阿姨您身体还好吧",
                                  "我明天去买菜", "修好了吗？", "[强]", "周末有空一起打球"])
async def test_a_workers_chat_is_left_alone(chat, said):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", said)
    assert sent == [] and chat.ticket(1).status == "open"
    assert events(chat, 1) == ["created"]


# --- the right ticket --------------------------------------------------------------------------


async def test_never_a_ticket_of_another_room(chat):
    await chat.say("张阿姨", COVER, room=OTHER_QN1_ROOM)
    for said in ("收到", "收到，马上到", "修好了"):
        assert await chat.say("马建民", said, room=ROOM_QN1) == []
    assert chat.ticket(1).status == "open"
    await chat.say("王大爷", "7号楼电梯又坏了", room=ROOM_QN2)  # 孙丽's grid, 马建民 backs up
    assert await chat.say("马建民", "好的马上去看看", room=ROOM_QN1) == []
    assert chat.ticket(2).status == "open"


async def test_two_waiting_the_worker_is_asked_once_privately(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    sent = await chat.say("马建民", "修好了")
    assert [t.status for t in (chat.ticket(1), chat.ticket(2))] == ["open", "open"]
    [question] = sent
    assert question.to.name == "马建民" and question.room_id is None
    assert "#1" in question.text and "#2" in question.text and "编号" in question.text
    answered = await chat.say("马建民", "井盖那个", room=None)
    assert chat.ticket(1).status == "resolved" and chat.ticket(2).status == "open"
    assert "张阿姨" in names(in_room(answered, ROOM_QN1)) and "李叔" not in names(answered)


async def test_two_waiting_the_answer_is_a_number(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    chat.clock.advance(timedelta(hours=1))  # the ping is no longer fresh
    asked = await chat.say("马建民", "收到")
    assert "#1" in texts(asked) and chat.ticket(2).status == "open"
    await chat.say("马建民", "2", room=None)
    assert chat.ticket(2).status == "accepted" and chat.ticket(1).status == "open"


async def test_a_receipt_right_after_a_ping_takes_that_ticket(chat):
    await chat.say("张阿姨", COVER)
    chat.clock.advance(timedelta(hours=2))
    await chat.say("李叔", BINS)
    await chat.say("马建民", "收到 马上去")
    assert chat.ticket(2).status == "accepted" and chat.ticket(1).status == "open"


QUOTE = "「{who}：{text}」\n- - - - - - - - - - - - - - -\n{reply}"


async def test_a_quote_reply_of_the_report_takes_that_ticket(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    sent = await chat.say("马建民", QUOTE.format(who="张阿姨", text=COVER[:14] + "…", reply="收到"))
    assert chat.ticket(1).status == "accepted" and chat.ticket(2).status == "open"
    assert sent == []  # taken at once: no news, and nothing back to the worker
    await chat.say("马建民", QUOTE.format(who="李叔", text=BINS, reply="已经清运走了"))
    assert chat.ticket(2).status == "resolved" and chat.ticket(1).status == "accepted"


async def test_a_quote_reply_of_the_bots_ping_takes_that_ticket(chat):
    await chat.say("张阿姨", COVER)
    [ack] = in_room(await chat.say("李叔", BINS), ROOM_QN1)
    chat.clock.advance(timedelta(hours=1))
    quoted = QUOTE.format(who="网格小助手", text=ack.text.replace("\n", " ")[:30], reply="好的 这就去")
    await chat.say("马建民", quoted)
    assert chat.ticket(2).status == "accepted" and chat.ticket(1).status == "open"


async def test_a_bare_receipt_to_someone_elses_notice_changes_nothing(chat):
    await chat.say("张阿姨", COVER)
    chat.clock.advance(timedelta(minutes=20))
    notice = "【通知】明天上午9点小区消防演练，请大家配合，不要惊慌"
    await chat.say("物业小刘", notice)
    await chat.say("王奶奶", "收到")
    assert await chat.say("马建民", "收到") == []
    assert await chat.say("马建民", QUOTE.format(who="物业小刘", text=notice[:16], reply="好的")) == []
    assert chat.ticket(1).status == "open" and events(chat, 1) == ["created"]
    # a ping after the notice: the same 收到 now answers the ping
    await chat.say("李叔", BINS)
    await chat.say("马建民", "收到")
    assert chat.ticket(2).status == "accepted"


async def test_an_explicit_number_wins_and_a_command_without_one_takes_the_only_ticket(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    await chat.say("马建民", "收到 #1 下午过去")
    assert chat.ticket(1).status == "accepted"
    sent = await chat.say("马建民", "完成")  # #2 is open, #1 accepted by him: #1
    assert chat.ticket(1).status == "resolved" and chat.ticket(2).status == "open"
    assert names(sent) == {"张阿姨"}


# --- residents ----------------------------------------------------------------------------------

RATE = [
    ("满意", 5), ("很满意 谢谢", 5), ("五星好评", 5), ("👍👍", 5), ("👍", 5), ("谢谢 修好了", 5),
    ("满意 谢谢社区", 5), ("5分", 5), ("五星", 5), ("非常满意！", 5), ("好评", 5), ("[强][强]", 5),
    ("修好了 谢谢网格员", 5), ("已经好了，辛苦了", 5), ("灯亮了 谢谢", 5), ("给个五星", 5), ("一般", 3),
    ("还行吧", 3), ("差评", 1), ("不错", 4), ("太感谢了 修得真快", 5), ("3", 3), ("4星", 4), ("谢谢", 5),
]


async def resolved(chat) -> None:
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "收到")
    await chat.say("马建民", "修好了，换了新井盖")


@pytest.mark.parametrize(("said", "score"), RATE)
async def test_a_resident_rates_in_their_own_words(chat, said, score):
    await resolved(chat)
    sent = await chat.say("张阿姨", said)
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.rating) == ("closed", score)
    assert sent == []  # no thanks in the group: one post fewer for everyone


REOPEN = [
    "没修好", "还是没修好", "没修好啊 又堵上了", "又坏了", "还是不亮", "根本没修", "还是松的",
    "不满意，还是坏的", "又堵了", "盖子又松了", "怎么又坏了", "跟原来一样", "还是老样子", "没人来修啊",
    "井盖又翘起来了", "井盖还是松的", "还是不行啊", "压根没弄好", "一点没变", "井盖还是翘的", "又开始响了",
    "还是黑的", "不满意",
]


@pytest.mark.parametrize("said", REOPEN)
async def test_a_resident_says_it_is_not_fixed(chat, said):
    await resolved(chat)
    sent = await chat.say("张阿姨", said)
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.reopened_count) == ("accepted", 1)
    assert len(chat.store.tickets.select()) == 1  # not a new ticket
    assert {"张阿姨", "马建民"} <= names(in_room(sent, ROOM_QN1))


CANCEL = [
    "不用了 我儿子回来修好了", "不用了 已经好了", "不需要了 谢谢", "算了", "不麻烦了 自己弄好了", "撤了吧",
    "已经自己修好了", "不用来了 邻居帮我弄好了", "取消吧", "没事了", "不用管了", "我老伴修好了 不用来了",
    "物业已经修好了", "好了好了 不用了", "已经来水了 不用了", "不需要处理了", "自己解决了",
    "我女儿已经帮我换好了", "不用过来了", "灯亮了 不用来了", "不要了", "电梯好了 不用了谢谢",
]


@pytest.mark.parametrize("said", CANCEL)
async def test_a_resident_withdraws_in_their_own_words(chat, said):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("张阿姨", said)
    assert chat.ticket(1).status == "cancelled"
    assert "已撤销" in texts(in_room(sent, ROOM_QN1))
    assert "撤销" in texts(to(sent, "马建民"))  # the worker is told, privately


async def test_rating_and_cancel_words_from_someone_without_a_ticket_are_ordinary_speech(chat):
    await chat.say("张阿姨", COVER)
    for said in ("满意", "不用了", "又坏了", "谢谢 修好了"):
        await chat.say("李叔", said)
    assert chat.ticket(1).status == "open" and chat.ticket(1).rating is None
    assert events(chat, 1) == ["created"]  # (what else 李叔 meant is the classifier's to read)


async def test_something_else_broken_again_is_a_new_report_not_a_reopening(chat):
    await resolved(chat)
    await chat.say("张阿姨", "5号楼门口的路灯又坏了，黑乎乎的")
    assert chat.ticket(1).status == "resolved"
    assert chat.ticket(2) is not None and chat.ticket(2).location != chat.ticket(1).location


async def test_another_thing_broken_again_is_not_this_ticket(chat):
    await resolved(chat)
    await chat.say("张阿姨", "电梯又坏了")
    assert chat.ticket(1).status == "resolved" and chat.ticket(1).reopened_count == 0


async def test_broken_again_days_after_a_rating_reopens_it(chat):
    await resolved(chat)
    await chat.say("张阿姨", "满意")
    chat.clock.advance(timedelta(days=3))
    await chat.say("张阿姨", "井盖又翘起来了")
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.reopened_count, ticket.rating) == ("accepted", 1, None)


async def test_a_resident_with_two_open_tickets_is_asked_which(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("张阿姨", BINS)
    [question] = await chat.say("张阿姨", "不用了 已经好了")
    assert question.to.name == "张阿姨" and "#1" in question.text and "#2" in question.text
    assert chat.ticket(1).status == chat.ticket(2).status == "open"
    await chat.say("张阿姨", "垃圾桶那个", room=None)
    assert chat.ticket(2).status == "cancelled" and chat.ticket(1).status == "open"


@pytest.mark.parametrize("said", ["我反映的事怎么样了", "我报的井盖修了没", "我反映的问题有进展吗？", "我的工单", "我报的事处理了吗"])
async def test_a_resident_asks_how_their_report_is_going(chat, said):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "收到")
    [answer] = await chat.say("张阿姨", said)
    assert "#1" in answer.text and "处理中" in answer.text and names([answer]) == {"张阿姨"}
    assert len(chat.store.tickets.select()) == 1


# --- private chat as a conversation ------------------------------------------------------------


async def test_a_stranger_is_asked_where_they_live_and_the_answer_is_used(chat):
    [question] = await chat.say("路过的刘阿姨", "我家楼下路灯坏了好几天了", room=None)
    assert question.to.name == "路过的刘阿姨" and "小区" in question.text
    assert chat.store.tickets.select() == []
    sent = await chat.say("路过的刘阿姨", "青年路社区", room=None)  # two grids: which one?
    assert chat.store.tickets.select() == [] and "青年路第一网格" in texts(sent)
    sent = await chat.say("路过的刘阿姨", "1", room=None)
    ticket = chat.ticket(1)
    assert (ticket.grid_id, ticket.room_id, ticket.text) == ("qn-1", None, "我家楼下路灯坏了好几天了")
    assert to(sent, "路过的刘阿姨") and to(sent, "马建民")
    # remembered: the next private report goes straight to that grid
    await chat.say("路过的刘阿姨", "楼道里电动车在充电，太危险了", room=None)
    assert chat.ticket(2).grid_id == "qn-1"


async def test_a_stranger_names_the_grid_in_words(chat):
    await chat.say("周大爷", "小区门口的井盖没了", room=None)
    await chat.say("周大爷", "我住滨河新村", room=None)
    assert chat.ticket(1).grid_id == "bh-2"


async def test_someone_seen_in_a_group_is_not_asked(chat):
    await chat.say("王大爷", "大家早上好")
    sent = await chat.say("王大爷", "5号楼2单元楼道灯坏了好几天了", room=None)
    assert chat.ticket(1).grid_id == "qn-1" and "小区" not in texts(to(sent, "王大爷"))


# --- worker-facing text stays out of the residents' group --------------------------------------


@pytest.mark.parametrize("said", ["待办", "疑似", "查询 1", "转 1 不存在的人", "统计", "帮助", "接单 99", "退回 1", "重载规则"])
async def test_worker_facing_answers_go_privately(chat, said):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", said)
    assert sent and in_room(sent, ROOM_QN1) == []
    assert all(m.to is not None and m.to.name == "马建民" for m in sent)


async def test_a_transfer_is_confirmed_privately_and_the_new_worker_pinged(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", "转 1 孙丽")
    assert "已转给孙丽" in texts(to(sent, "马建民"))
    assert to(sent, "孙丽") and in_room(sent, ROOM_QN1) == []  # the new holder, privately


async def test_transfer_to_the_community_with_a_reason(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "转 1 社区 道闸归物业")
    ticket = chat.ticket(1)
    assert ticket.escalation_level == 2 and ticket.assignee_name == "张继凯"
    [escalated] = [e for e in chat.store.tickets.events(1) if e.kind == "escalated"]
    assert "道闸归物业" in escalated.note


async def test_transfer_to_a_worker_who_has_a_wechat_id(chat):
    await chat.say("王大爷", "7号楼电梯又坏了", room=ROOM_QN2)
    sent = await chat.say("孙丽", "转 1 马建民", room=ROOM_QN2)
    assert chat.ticket(1).assignee_name == "马建民" and "没找到" not in texts(sent)
    assert chat.ticket(1).assignee_id == "wxid_majianmin"


# --- statistics by their words, through the router ------------------------------------------------


@pytest.mark.parametrize(("said", "period"), [("统计", "本周"), ("本周统计", "本周"), ("上周统计", "上周"),
                                               ("本月统计", "本月"), ("今日统计", "今日"), ("今天统计", "今日")])
async def test_statistics_words_through_the_router(chat, said, period):
    await chat.say("张阿姨", COVER)
    in_staff_room = await chat.say("张继凯", said, room=STAFF_ROOM)
    [answer] = in_staff_room
    assert answer.room_topic == STAFF_ROOM and f"青年路社区 · {period}" in answer.text
    [private] = await chat.say("马建民", said)  # asked in the residents' group
    assert private.to.name == "马建民" and f"青年路第一网格 · {period}" in private.text
    refused = await chat.say("张阿姨", said)
    assert "只有" in texts(refused)


async def test_staff_take_an_escalated_ticket_in_their_own_group(chat):
    await chat.say("张阿姨", COVER)
    escalated = await chat.say("马建民", "这个不归我们网格 转社区")
    [post] = in_room(escalated, STAFF_ROOM)
    quoted = QUOTE.format(who="网格小助手", text=post.text[:20], reply="收到 我来协调")
    sent = await chat.say("刘芳", quoted, room=STAFF_ROOM)
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.assignee_name) == ("accepted", "刘芳")
    assert "已由刘芳接单" in texts(in_room(sent, STAFF_ROOM) + to(sent, "刘芳"))
