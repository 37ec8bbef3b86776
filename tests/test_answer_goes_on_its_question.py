"""An official's answer goes on the question it answers (review of d16, finding 5): 刘芳's
quote-reply to 刘静's 高龄补贴 question — one the bot had answered from the FAQ, a matter of
its own — closed 李婶's wheelchair appointment, the ticket 刘静 had chimed in on. And the
worker's 「明天八点半我和小王上您家」, quoting 李婶, takes her errand on: a visit to her home
promised is a commitment. Through the Application, a Monday morning."""

from __future__ import annotations

from conftest import ROOM_QN1, speaker

from storage.states import TicketState

say = speaker(ROOM_QN1)
LINE = "\n- - - - - - - - - - - - - - -\n"
WHEELCHAIR = "我们家老李明天上午九点半要去总医院复查 他坐轮椅 我们住四楼 没电梯 我一个人弄不下去"
ASKED = "我妈今年满八十了 高龄补贴怎么申请啊 要带什么材料"
ANSWER = ("满80周岁的带老人身份证、户口本、本人社保卡或者银行卡 到社区服务站填个申请表就行 手机上“津心办”也能申请。"
          "老人不用来 家属带材料来办就行 实在不方便打电话约我们上门")


def quote(who: str, text: str, reply: str) -> str:
    return f"「{who}：{text}」{LINE}{reply}"


async def test_staff_answering_a_question_the_faq_answered_closes_no_ticket_of_the_asker(chat):
    await say(chat, "5-3-402 李婶", WHEELCHAIR)
    faq = await say(chat, "1-3-202 刘静", ASKED, minutes=10)
    assert any("高龄补贴" in m.text for m in faq)  # answered from the FAQ: a matter of its own
    await say(chat, "1-3-202 刘静", "她腿脚不好 能不能不去现场", minutes=1)  # read as of #1
    await say(chat, "刘芳", quote("1-3-202 刘静", ASKED, ANSWER), minutes=30)
    assert chat.ticket(1).status == TicketState.OPEN  # 李婶's trip tomorrow is still to do


async def test_a_visit_to_her_home_promised_takes_her_errand_on(chat):
    await say(chat, "5-3-402 李婶", WHEELCHAIR)
    await say(chat, "马建民", quote("5-3-402 李婶", WHEELCHAIR[:20], "李婶您放心 明天八点半我和小王上您家 把李叔弄下去 车也帮您叫好"),
              minutes=9)
    assert chat.ticket(1).status == TicketState.ACCEPTED
