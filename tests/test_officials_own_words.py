"""Officials answering in a residents' group in their own words, as they do on whole days:
a quote-reply of the report with a long answer, a done that names the place or the thing
rather than the number, a progress line with details, an official who is not the worker
in charge, a question answered in the group. Each through the Application, checked on the
ticket and on what the bot sent. And what must move nothing: greetings, notices, chat.

The sentences are written for these tests by category (not taken from the dev days).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ROOM_QN1

from handlers.messages import Outgoing

LAMP = "5栋3单元门口的路灯坏了好几天了 晚上黑乎乎的 老人出门不方便"
COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
BINS = "北门垃圾桶满了好几天了，臭得不行"
QUOTE = "「{who}：{text}」\n- - - - - - - - - - - - - - -\n{reply}"


def in_room(sent: list[Outgoing], room: str = ROOM_QN1) -> list[Outgoing]:
    return [m for m in sent if m.room_topic == room]


def statuses(chat, *numbers: int) -> list[str]:
    return [str(chat.ticket(n).status) for n in numbers]


async def taken(chat, name: str, report: str) -> None:
    """A report said in the group, and its ticket (the newest) taken by the worker: 接单 n."""
    await chat.say(name, report)
    await chat.say("马建民", f"接单 {chat.store.tickets.select()[-1].id}")


# --- a quote-reply of the report, with a long answer -------------------------------------------

LONG_ACCEPTS = [
    "收到大姐 今天下午我先去物业库房领个灯泡 四点多过来给您装上 顺便看看二单元那盏",
    "王叔 这事我记下了 明天上午找电工一起过来看",
    "收到 我跟物业打个招呼 让他们明天派人来换",
    "您别急 我让楼长先过去看一眼 下午我再来",
    "好的 我联系了物业维修的老周 他说三点左右过来",
    "看到了 我刚给物业工程部打了电话 明天一早来修",
]


@pytest.mark.parametrize("reply", LONG_ACCEPTS)
async def test_a_long_quote_reply_to_the_report_takes_that_ticket(chat, reply):
    await chat.say("5栋 王叔", LAMP)
    await chat.say("李叔", BINS)
    chat.clock.advance(timedelta(hours=3))  # long enough for the acceptance to be news
    sent = await chat.say("马建民", QUOTE.format(who="5栋 王叔", text=LAMP, reply=reply))
    assert statuses(chat, 1, 2) == ["accepted", "open"]
    # the group read the worker's own words: no post of the bot's besides them
    assert in_room(sent) == []


async def test_what_the_worker_said_goes_on_the_timeline(chat):
    await chat.say("5栋 王叔", LAMP)
    reply = "收到王叔 我上午先去库房领灯泡 下午两点过去给您换上"
    await chat.say("马建民", QUOTE.format(who="5栋 王叔", text=LAMP, reply=reply))
    assert statuses(chat, 1) == ["accepted"]
    notes = [e.note or "" for e in chat.store.tickets.events(1) if e.kind == "progress"]
    assert notes and "下午两点过去给您换上" in notes[-1]


# --- a done naming the place, the thing or the person --------------------------------------------

NAMED_DONES = [
    (1, "3栋门口那个井盖今天下午换好了 换的是加厚的铸铁盖 晚上走路放心 张阿姨有空下楼看看", "3栋门口那个井盖今天下午换好了"),
    (2, "北门那几个垃圾桶都清运走了 地上也冲了一遍 谢谢李叔提醒", "北门那几个垃圾桶都清运走了"),
    (1, "张阿姨 您说的那个盖子 物业师傅已经弄好了 还在底下加了个防坠网", "物业师傅已经弄好了"),
]


@pytest.mark.parametrize(("number", "said", "gist"), NAMED_DONES)
async def test_a_done_that_names_its_ticket_resolves_that_one(chat, number, said, gist):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "接单 2")
    sent = await chat.say("马建民", said)
    other = 2 if number == 1 else 1
    assert statuses(chat, number, other) == ["resolved", "accepted"]
    # the group read the worker's own words: the bot does not say it again
    assert sent == []
    assert gist in (chat.ticket(number).resolution_note or "")


async def test_a_done_with_more_to_come_is_progress(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", "3栋的井盖先临时补上了 明天物业再来换个新的")
    assert statuses(chat, 1) == ["accepted"]
    assert in_room(sent) == []


async def test_a_progress_line_naming_the_thing_takes_the_ticket_it_names(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    await chat.say("马建民", "北门垃圾的事我在跟环卫站协调了 估计下午能拉走")
    assert statuses(chat, 1, 2) == ["open", "accepted"]
    notes = [e.note for e in chat.store.tickets.events(2) if e.kind == "progress"]
    assert notes and "环卫站" in notes[-1]


async def test_two_tickets_named_equally_the_worker_is_asked(chat):
    await chat.say("3栋 刘奶奶", "3栋楼道灯不亮了 二楼三楼都黑的")
    chat.clock.advance(timedelta(days=2))  # still not fixed: a second report is its own
    await chat.say("3栋 孙大爷", "3栋后门路灯坏了")
    assert statuses(chat, 1, 2) == ["open", "open"]
    sent = await chat.say("马建民", "3栋的灯我下午带电工过去一起看")
    assert statuses(chat, 1, 2) == ["open", "open"]
    [question] = sent
    assert question.to.name == "马建民" and "#1" in question.text and "#2" in question.text
    await chat.say("马建民", "2", room=None)
    assert statuses(chat, 1, 2) == ["open", "accepted"]


# --- not the worker in charge -------------------------------------------------------------------


async def test_community_staff_answer_in_their_own_words(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    await chat.say("张继凯", "北门垃圾桶的事我刚给环卫站打了电话 他们说一会儿派车过来拉")
    assert statuses(chat, 1, 2) == ["open", "accepted"]
    await chat.say("孙丽", "张阿姨 3栋那个井盖已经换好了 您晚上出门看看")  # the backup worker
    assert statuses(chat, 1) == ["resolved"]


# --- a question answered in the group -------------------------------------------------------------


async def test_a_question_answered_as_a_quote_reply_is_done_quietly(chat):
    question = "请问独生子女父母奖励费怎么申请 要去哪里办"  # not in the FAQ: a ticket
    await chat.say("7栋 小周", question)
    assert chat.ticket(1).intent == "inquiry"
    answer = "小周 带夫妻双方身份证 户口本和独生子女证 工作日到社区一楼计生窗口填个申请表就行"
    sent = await chat.say("刘芳", QUOTE.format(who="7栋 小周", text=question, reply=answer))
    assert statuses(chat, 1) == ["resolved"]
    assert in_room(sent) == []  # the answer was the news
    assert "户口本" in (chat.ticket(1).resolution_note or "")


async def test_a_short_word_to_a_question_is_no_answer(chat):
    question = "请问独生子女父母奖励费怎么申请 要去哪里办"
    await chat.say("7栋 小周", question)
    await chat.say("刘芳", QUOTE.format(who="7栋 小周", text=question, reply="我问问再告诉您"))
    assert statuses(chat, 1) == ["accepted"]  # taken, not answered


async def test_an_answer_that_also_offers_help_still_answers_the_question(chat):
    question = "请问独生子女父母奖励费怎么申请 要去哪里办"
    await chat.say("7栋 小周", question)
    answer = "小周 这个每年三月集中申请 带夫妻双方身份证和独生子女证到社区 你们上班忙 我上门帮您填表"
    sent = await chat.say("刘芳", QUOTE.format(who="7栋 小周", text=question, reply=answer))
    assert statuses(chat, 1) == ["resolved"]
    assert in_room(sent) == []
    assert "三月" in (chat.ticket(1).resolution_note or "")


async def test_a_promise_with_no_answer_to_a_question_takes_it_without_answering(chat):
    question = "请问独生子女父母奖励费怎么申请 要去哪里办"
    await chat.say("7栋 小周", question)
    reply = "小周 这个我记下了 明天上午我去街道问清楚"
    await chat.say("刘芳", QUOTE.format(who="7栋 小周", text=question, reply=reply))
    assert statuses(chat, 1) == ["accepted"]


# --- what moves nothing ---------------------------------------------------------------------------

CHAT = [
    "各位邻居早上好 今天降温了 我上午在社区值班 有事找我",
    "我明天下午去街道开会 大家有事微信留言",
    "3栋的王叔今天过生日 我下午过去给他送个蛋糕",
    "【通知】3栋门口井盖明天上午更换 施工期间请绕行 我们网格员会过去盯着",
    "温馨提示：明天起小区北门晚上十点关门 请大家从南门走 我们已经跟物业说好了",
    "谢谢大家这段时间的配合 冬天路滑 出门慢点 有事随时说",
]


@pytest.mark.parametrize("said", CHAT)
async def test_a_workers_greeting_notice_or_chat_moves_no_ticket(chat, said):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", BINS)
    sent = await chat.say("马建民", said)
    assert statuses(chat, 1, 2) == ["open", "open"]
    assert in_room(sent) == []
    assert all(e.kind in ("created", "update") for n in (1, 2) for e in chat.store.tickets.events(n))


# --- a reporter speaking right after it was done --------------------------------------------------


async def test_the_reporters_word_after_it_is_done_is_no_new_ticket(chat):
    await taken(chat, "张阿姨", COVER)
    await chat.say("马建民", "3栋门口的井盖换好了 换了个新的")
    chat.clock.advance(timedelta(minutes=3))
    sent = await chat.say("张阿姨", "这回的井盖看着挺结实 就怕过两天大车一压又坏了")
    assert len(chat.store.tickets.select()) == 1
    assert in_room(sent) == []
    # a wish of her own, though, is its own
    chat.clock.advance(timedelta(minutes=3))
    await chat.say("张阿姨", "能不能在3栋门口装个减速带 车开得太快了")
    assert len(chat.store.tickets.select()) == 2


# --- a co-reporter's news is no withdrawal --------------------------------------------------------


async def test_a_co_reporters_it_is_back_is_not_a_withdrawal(chat):
    await chat.say("7栋 张姐", "7栋停水了 一滴都没有")
    await chat.say("7-1-1203 Amy", "我家也没水")
    assert len(chat.store.tickets.reporters(1)) == 2
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("7-1-1203 Amy", "来水了！！")
    assert statuses(chat, 1) == ["open"] and len(chat.store.tickets.reporters(1)) == 2
    assert "撤" not in "".join(m.text for m in sent)
    # the only reporter saying so (with 不用了) still withdraws
    sent = await chat.say("3栋 李奶奶", "3栋楼道灯不亮了")
    await chat.say("3栋 李奶奶", "灯亮了 不用来了")
    assert chat.ticket(2).status == "cancelled"


# --- more of the same categories: fault words, another errand, @-names, a thanks -------------------


async def test_telling_the_property_company_of_the_fault_does_not_finish_it(chat):
    await chat.say("6-1-101 老周", "6栋1单元下水道堵了 地漏往上冒脏水")
    await chat.say("马建民", "@物业小王 6栋1单元主管道堵了 一楼两家都返水了 麻烦安排师傅来通一下")
    assert chat.ticket(1).status != "resolved"


async def test_a_deed_then_going_to_this_one_takes_it_but_does_not_finish_it(chat):
    await chat.say("9栋 王桂兰", "9栋3单元楼道灯又不亮了 早上摸黑下的楼")
    sent = await chat.say("马建民", "好嘞王姨 我把小区门口那边弄好了 下午过去看看您那楼道灯")
    assert statuses(chat, 1) == ["accepted"]
    assert in_room(sent) == []


async def test_an_at_of_the_reporter_names_the_ticket(chat):
    await chat.say("11-3-201 赵阿姨", "降压药吃完了 腿疼下不了楼 谁能帮我买一盒")
    await chat.say("李叔", BINS)
    assert chat.ticket(1).intent == "errand"
    await chat.say("刘芳", "@11-3-201 赵阿姨 药送到了就好 这两天别下楼 缺啥直接打我电话")
    assert statuses(chat, 1, 2) == ["resolved", "open"]


async def test_the_building_in_a_named_persons_display_name_is_no_place(chat):
    await chat.say("2栋 于大爷", "2栋门口的路灯不亮了 晚上黑乎乎的")
    await chat.say("一只橘 14-2-302", "西门菜市场旁边那几个垃圾桶满了 溢出来一地")
    await chat.say("张继凯", "@一只橘 14-2-302 @2栋 于大爷 西门那几个垃圾桶拉走了 地上也冲干净了")
    assert statuses(chat, 1, 2) == ["open", "resolved"]


async def test_thanks_after_a_notice_is_no_last_piece_of_a_report(chat):
    await chat.say("Leo 3-2-501", "出单元门差点滑一跤 这雪下的 一脚下去没脚脖子")
    before = len(chat.store.tickets.select())
    await chat.say("物业老郑", "各位业主早上好 物业正在扫雪 先扫主道和各单元门口 大家出门注意脚下")
    sent = await chat.say("Leo 3-2-501", "好滴 辛苦辛苦")
    assert len(chat.store.tickets.select()) == before and in_room(sent) == []


async def test_a_reporters_still_said_of_something_else_is_chat_not_a_follow_up(chat):
    await chat.say("7栋 小周", "请问独生子女父母奖励费怎么申请 要去哪里办")
    assert chat.ticket(1).intent == "inquiry"
    chat.clock.advance(timedelta(hours=3))  # its receipt long scrolled away
    sent = await chat.say("7栋 小周", "我家老人还没睡呢 天天看电视到半夜")
    assert in_room(sent) == [] and [m for m in sent if m.to is not None] == []
    chat.clock.advance(timedelta(hours=3))
    asked = await chat.say("7栋 小周", "两天了还没人回我 我问的那个奖励费到底咋办")
    assert "#1" in "".join(m.text for m in in_room(asked))  # asking after it still is


# --- telling the residents where to go is not the official going ---------------------------------

SMOKE = "8栋2单元楼道里一股烧焦的味道 好呛人 不晓得哪里烧了"


async def test_a_done_that_sends_the_residents_home_and_says_it_was_replaced_resolves_it(chat):
    await taken(chat, "8-2-301 刘姐", SMOKE)
    said = "8栋2单元查过了 是配电箱里一个开关烧了 大家可以回家了 那个开关电工当场换了个新的"
    sent = await chat.say("马建民", said)
    assert statuses(chat, 1) == ["resolved"]
    assert sent == [] and "换了个新的" in (chat.ticket(1).resolution_note or "")


@pytest.mark.parametrize("said", ["大家可以上楼了", "各位可以下来了"])
async def test_telling_the_residents_to_go_takes_no_ticket(chat, said):
    await chat.say("8-2-301 刘姐", SMOKE)
    await chat.say("马建民", said)
    assert statuses(chat, 1) == ["open"]


async def test_a_quarrel_talked_out_in_the_southern_word_is_done(chat):
    await taken(chat, "3栋 老孙", "楼上天天半夜拖椅子 讲了好几回都不听 今晚再拖我就上去敲门")
    sent = await chat.say("马建民", "老孙和楼上的事讲好了 以后晚上十点后不拖椅子了 两家都加了微信")
    assert statuses(chat, 1) == ["resolved"]
    assert sent == []  # said in the group: not repeated, and no rating of a quarrel


# --- longer words of a Saturday: a visit with others, on call, care going on, a state back -------

LEAK = "4栋1202卫生间天花板往下滴水 应该是楼上漏的 灯槽里都是水"
LIFT = "6栋2单元电梯门关不上 一直开开关关 等了十分钟"


@pytest.mark.parametrize("reply", [
    "两位先别急 我和物业的师傅明天上午九点一起上门 先看你家天花 再上楼查",
    "先别慌 把灯关了别碰水 有事直接打我",
])
async def test_a_quote_reply_going_with_others_or_on_call_takes_the_ticket(chat, reply):
    await chat.say("4-1-1202 许先生", LEAK)
    await chat.say("李叔", BINS)
    await chat.say("马建民", QUOTE.format(who="4-1-1202 许先生", text=LEAK, reply=reply))
    assert statuses(chat, 1, 2) == ["accepted", "open"]


@pytest.mark.parametrize("said", ["你们两家可以一起去物业问问", "大家有事直接打物业电话"])
async def test_telling_others_whom_to_go_to_or_call_takes_no_ticket(chat, said):
    await chat.say("4-1-1202 许先生", LEAK)
    await chat.say("马建民", said)
    assert statuses(chat, 1) == ["open"]


async def test_a_done_with_care_going_on_after_it_is_done(chat):
    await chat.say("陈静(11栋302家属)", "我爸一个人在家 腿不好做不了饭 我在外地回不来 哪位能帮忙看看")
    await chat.say("李叔", BINS)
    sent = await chat.say(
        "马建民", "@陈静(11栋302家属) 送餐登记好了 以后每天中午送到门口 我每周也上门看一眼 你放心"
    )
    assert statuses(chat, 1, 2) == ["resolved", "open"]
    assert sent == []  # she told the daughter herself in the group


async def test_a_done_that_asks_whether_is_done_and_one_that_says_what_is_left_is_not(chat):
    await taken(chat, "4-1-1202 许先生", LEAK)
    await chat.say("马建民", "4栋1302和1202的事处理好了 漏水的胶已经重新打好 等天花干了看看还有没有印子")
    assert statuses(chat, 1) == ["resolved"]
    await taken(chat, "3栋 刘奶奶", "3栋楼道灯不亮了 二楼三楼都黑的")
    await chat.say("马建民", "3栋二楼的灯换好了 还有三楼那盏没弄 明天再来")
    assert statuses(chat, 2) == ["accepted"]


async def test_a_thing_too_put_away_is_done(chat):
    await taken(chat, "9-3-1504 老谢", "9栋3单元15楼有人在楼道里给电动车充电 电线从门缝拉出来")
    await chat.say("马建民", "到9栋15楼了 跟他讲了不能这样充 楼道的电线也收了")
    assert statuses(chat, 1) == ["resolved"]


async def test_a_state_back_to_normal_is_done_but_not_with_a_repair_still_to_come(chat):
    await taken(chat, "5-2-801 老郭", "5栋2单元8楼走廊好大的煤气味 谁家的")
    await chat.say("马建民", "燃气公司师傅检测过了 5栋2单元走廊的浓度已经正常 大家开窗通通风")
    assert statuses(chat, 1) == ["resolved"]
    await taken(chat, "6-2-1203 阿婆", LIFT)
    await chat.say("马建民", "6栋2单元左边那部电梯调过了 现在正常 右边那部要换配件 大概两点前能好")
    assert statuses(chat, 2) == ["accepted"]


async def test_a_done_while_still_under_way_is_progress(chat):
    await taken(chat, "22-3-502 陈静", "我爸腿疼得走不了路 一个人在家 谁能陪他去医院看看")
    await chat.say("马建民", "22栋陈师傅看完医生了 药也拿了 现在送他回去")
    assert statuses(chat, 1) == ["accepted"]


async def test_a_title_alone_in_a_display_name_names_no_one(chat):
    await chat.say("6-2-1203 阿婆", LIFT)
    await chat.say("马建民", "好的阿婆 退了就好 今晚再量两次 有事打我")
    assert statuses(chat, 1) == ["open"]


# --- the property company's word that it is done: the worker confirms ---------------------------

PROPERTY = "青年路物业-老郑"


def privately_to(sent: list[Outgoing], name: str) -> list[Outgoing]:
    return [m for m in sent if m.to is not None and m.to.name == name]


async def test_the_property_companys_done_is_told_to_the_worker_once_to_confirm(chat):
    await chat.say("11-2-1203 小杜", "11栋2单元电梯停在5楼不动了 按了没反应")
    progress = await chat.say(PROPERTY, "11栋2单元电梯维保师傅在路上了 半小时到")
    assert privately_to(progress, "马建民") == []
    done = await chat.say(PROPERTY, "11栋2单元电梯主板换好了 试运行了几趟 大家可以用了")
    assert privately_to(done, "马建民") == []  # nothing to run for: in his next list
    again = await chat.say(PROPERTY, "11栋2单元电梯门也调好了 开关顺畅")
    assert privately_to(again, "马建民") == []
    [told] = privately_to(await chat.later(hours=4), "马建民")  # the 14:00 list, once
    assert "#1" in told.text and "主板换好了" in told.text and "门也调好了" not in told.text
    assert statuses(chat, 1) == ["open"]  # the worker confirms; the group read the news
    await chat.say("马建民", "办结 1", room=None)
    assert statuses(chat, 1) == ["resolved"]


@pytest.mark.parametrize("said", [
    "11栋2单元电梯在换主板 换好还要等调试 具体时间定了我马上发群里",
    "各位业主 11栋电梯正在抢修 修好第一时间在群里通知",
])
async def test_words_that_more_is_to_come_are_no_done_whoever_says_them(chat, said):
    await chat.say("11-2-1203 小杜", "11栋2单元电梯停在5楼不动了 按了没反应")
    sent = await chat.say(PROPERTY, said)
    assert privately_to(sent, "马建民") == []
    await chat.say("马建民", said)
    assert statuses(chat, 1) != ["resolved"]


# --- done said as its result, taking on said as asking or calling, answers to the one who spoke -

PIPE = "6栋2单元楼道的水管冻裂了 水哗哗往下流 快来人看看"


@pytest.mark.parametrize("reply", [
    "刘叔 6栋已通水 裂开的那段换成了新管子 外面缠了保温层 明天物业来拖楼梯",
    "刘叔 6栋2单元已经来水了 坏的那节接头换成了新的",
])
async def test_a_quote_reply_telling_the_result_is_done(chat, reply):
    await chat.say("6-2-302 刘叔", PIPE)
    await chat.say("李叔", BINS)
    await chat.say("马建民", "接单 1")
    sent = await chat.say("马建民", QUOTE.format(who="6-2-302 刘叔", text=PIPE, reply=reply))
    assert statuses(chat, 1, 2) == ["resolved", "open"]
    assert in_room(sent) == []  # the group read the worker's own words


@pytest.mark.parametrize("said", [
    "3栋楼道灯全亮了 感应开关也调灵了",
    "北门垃圾桶那边搞定了 地也扫了一遍",
])
async def test_a_result_that_names_its_ticket_is_done(chat, said):
    await chat.say("3栋 刘奶奶", "3栋楼道灯不亮了 二楼三楼都黑的")
    await chat.say("李叔", BINS)
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "接单 2")
    await chat.say("马建民", said)
    done = 1 if "灯" in said else 2
    assert statuses(chat, done, 3 - done) == ["resolved", "accepted"]


@pytest.mark.parametrize("reply", [
    "李叔 收到 我问了环卫站 他们车子坏了 今天晚上补拉 乱倒的砖头我让物业贴个告示",
    "李叔 我刚催过物业了 说是人手不够 明早过来清",
    "收到李叔 今天下午过来拉 大家先别往那边倒了",
])
async def test_asking_calling_or_a_time_in_a_quote_reply_takes_the_ticket(chat, reply):
    await chat.say("李叔", BINS)
    await chat.say("5栋 王叔", LAMP)
    sent = await chat.say("张继凯", QUOTE.format(who="李叔", text=BINS, reply=reply))
    assert statuses(chat, 1, 2) == ["accepted", "open"]
    assert in_room(sent) == []


async def test_a_quote_reply_answering_a_question_whose_ticket_came_of_a_later_line(chat):
    question = "问一下 我妈今年满八十了 听说能领高龄补贴 咋办 要带些啥"
    await chat.say("9-1-201 老韩", question)
    chat.clock.advance(timedelta(minutes=2))
    await chat.say("9-1-201 老韩", "她腿脚不好 能不能帮她在手机上弄")
    [ticket] = chat.store.tickets.select()
    answer = ("韩叔 满80岁就能领 带老人身份证 户口本和银行卡 到社区一楼窗口填个表 "
              "老人不方便您代办也行 带上您自己的身份证 工作日上午下午都能办")
    sent = await chat.say("刘芳", QUOTE.format(who="9-1-201 老韩", text=question, reply=answer))
    assert ticket.intent in ("errand", "wish")  # of the later line, not the question
    assert statuses(chat, ticket.id) == ["resolved"]
    assert in_room(sent) == []
    # a worker's long quote-reply to a question about a repair does not close the repair
    await chat.say("3栋 刘奶奶", "3栋楼道灯不亮了 二楼三楼都黑的 什么时候能修好？")
    lamp = chat.store.tickets.select()[-1]
    reply = "刘奶奶 灯的事物业说配件要从厂家订 估计得等个两三天 这两天晚上走楼梯您慢点 带个手电"
    await chat.say("马建民", QUOTE.format(who="3栋 刘奶奶", text="3栋楼道灯不亮了 二楼三楼都黑的 什么时候能修好？", reply=reply))
    assert str(chat.ticket(lamp.id).status) != "resolved"


async def test_answering_the_reporter_who_just_said_it_is_better_is_done(chat):
    await chat.say("朵朵外婆 5栋", "朵朵半夜发烧了 三十九度 家里退烧药没了 谁家有 我走不开")
    await chat.say("李叔", BINS)
    await chat.say("马建民", "接单 1")
    chat.clock.advance(timedelta(minutes=40))
    await chat.say("朵朵外婆 5栋", "药喂了 刚量了三十八度一 睡着了 谢谢马网格")
    chat.clock.advance(timedelta(minutes=2))
    await chat.say("马建民", "好的外婆 退了就好 夜里再量一次 有事打我")
    assert statuses(chat, 1, 2) == ["resolved", "open"]


async def test_answering_someone_else_who_just_spoke_closes_nothing(chat):
    await taken(chat, "朵朵外婆 5栋", "朵朵半夜发烧了 三十九度 家里退烧药没了 谁家有 我走不开")
    chat.clock.advance(timedelta(minutes=40))
    await chat.say("牛牛外婆 8栋", "我家牛牛也咳嗽 烧倒是退了")
    await chat.say("马建民", "好的外婆 退了就好 夜里再量一次 有事打我")
    assert statuses(chat, 1) == ["accepted"]


async def test_a_quarrel_talked_over_face_to_face_is_done(chat):
    await taken(chat, "3栋 老孙", "楼上天天半夜拖椅子 讲了好几回都不听 今晚再拖我就上去敲门")
    await chat.say("马建民", "3栋老孙跟楼上当面商量好了 椅子腿都包上垫子 晚上十点以后不拖了 大家互相体谅")
    assert statuses(chat, 1) == ["resolved"]


async def test_a_recount_of_the_day_hours_later_is_no_new_report(chat):
    await taken(chat, "6-2-302 刘叔", PIPE)
    await chat.say("马建民", QUOTE.format(who="6-2-302 刘叔", text=PIPE, reply="刘叔 6栋已通水 裂的那段换成了新管子"))
    assert statuses(chat, 1) == ["resolved"]
    chat.clock.advance(timedelta(hours=5))
    sent = await chat.say("老吴 2栋", "今天真够忙的 6栋水管漏水 马网格跑上跑下一天")
    assert len(chat.store.tickets.select()) == 1 and in_room(sent) == []
    # said to be wrong again, it is not talk of it: reopened or reported anew
    await chat.say("6-2-302 刘叔", "6栋水管又漏水了 楼梯上又是水")
    assert any(str(t.status) == "open" for t in chat.store.tickets.select())


@pytest.mark.parametrize("said", ["修好了吗", "6栋的水管修好了没有", "听说6栋通水了？"])
async def test_a_residents_asking_whether_it_is_done_closes_nothing(chat, said):
    await taken(chat, "6-2-302 刘叔", PIPE)
    await chat.say("6-2-501 小钱", said)
    await chat.say("6-2-302 刘叔", said)
    assert statuses(chat, 1) == ["accepted"]


async def test_the_workers_word_after_the_reporter_says_it_is_done_confirms_it(chat):
    await chat.say("菜场 老何", "菜场后门垃圾桶三天没人拖了 臭得要命 苍蝇到处飞")
    await chat.say("5栋 王叔", LAMP)
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "接单 2")
    chat.clock.advance(timedelta(hours=2))
    await chat.say("菜场 老何", "冲干净了 桶也洗了 谢谢小马")
    await chat.say("马建民", "好的 我跟环卫说了 以后隔天来拖一次")
    assert statuses(chat, 1, 2) == ["resolved", "accepted"]


async def test_the_workers_word_after_the_reporter_asks_or_complains_closes_nothing(chat):
    await taken(chat, "菜场 老何", "菜场后门垃圾桶三天没人拖了 臭得要命 苍蝇到处飞")
    chat.clock.advance(timedelta(hours=2))
    await chat.say("菜场 老何", "冲干净了没有？还是臭")
    await chat.say("马建民", "好的 我跟环卫说了")
    await chat.say("菜场 老何", "人呢 还没来")
    await chat.say("马建民", "好的")
    assert statuses(chat, 1) == ["accepted"]
