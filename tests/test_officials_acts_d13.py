"""Officials' words about a ticket (d13, a cold-snap Wednesday: the backup worker on a
quarrel in the morning, the worker on a burst pipe till night).

「我私信你俩」 takes a quarrel on as 「我私聊」 does; 「我整理一下报街道」 takes a wish on
(reported up to an owner); a quote WeChat cut short in the middle (「头……尾」) is still of
the report it quotes; 「两家说开了」 and 「楼梯的冰已经清了」 are done; a caution to
everyone about what is left (「楼道还有点滑，大家慢点走」) is not more work to come.
Through the Application, as users see it.
"""

from __future__ import annotations

from conftest import ROOM_QN1, speaker

from storage.states import TicketState

say = speaker(ROOM_QN1)
LINE = "\n- - - - - - - - - - - - - - -\n"
DONE = (TicketState.RESOLVED, TicketState.CLOSED)


def quote(who: str, text: str, reply: str) -> str:
    return f"「{who}：{text}」{LINE}{reply}"


QUARREL = "楼上402你家空调外机的水天天往我家窗台上滴 冬天冻一层冰 说了也不管"


async def _quarrel(chat) -> int:
    await say(chat, "9-1-302 老吴", QUARREL)
    await say(chat, "9-1-402 小孟", "我家外机早就不用了 你别啥都赖我")
    [ticket] = chat.store.tickets.select()
    return ticket.id


async def test_writing_to_both_privately_takes_the_quarrel_on(chat):
    number = await _quarrel(chat)
    await say(chat, "马建民", quote("9-1-302 老吴", QUARREL, "吴叔 孟哥 先别在群里争了，我私信你们两家"))
    assert chat.ticket(number).status == TicketState.ACCEPTED


async def test_the_two_households_having_talked_it_out_is_the_quarrel_done(chat):
    number = await _quarrel(chat)
    await say(chat, "马建民", quote("9-1-302 老吴", QUARREL, "吴叔 我下午上门看看"))
    assert chat.ticket(number).status == TicketState.ACCEPTED
    await say(chat, "马建民", quote("9-1-302 老吴", QUARREL, "两家当面说开了，窗台的冰已经清了"), minutes=180)
    assert chat.ticket(number).status in DONE


WISH = "提个建议 咱们老楼都没有电梯 老人爬楼太累 能不能在楼道拐角装个扶手 再放个小凳子 冬天让老人歇歇脚"


async def test_a_wish_quoted_cut_short_in_the_middle_and_reported_up_is_taken_on(chat):
    await say(chat, "2号楼 吴老师", WISH)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "wish"
    cut = "提个建议 咱们老楼都没有电梯……冬天让老人歇歇脚"
    await say(chat, "马建民", quote("2号楼 吴老师", cut, "吴老师 好主意，我汇总一下报街道，有消息告诉您"))
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED


PIPE = "3号楼2单元楼道水管冻裂了 哗哗往下淌水 全楼停水了"


async def _pipe(chat) -> int:
    await say(chat, "3-2-201 老田", PIPE)
    [ticket] = chat.store.tickets.select()
    await say(chat, "马建民", quote("3-2-201 老田", PIPE, "收到 我马上过去"))
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED
    return ticket.id


async def test_water_back_with_a_caution_about_the_wet_stairs_is_done(chat):
    number = await _pipe(chat)
    await say(chat, "马建民", "3号楼2单元已经通水，楼梯上还有点滑，大家慢点走", minutes=240)
    assert chat.ticket(number).status in DONE


async def test_water_back_but_a_home_still_without_it_is_not_done(chat):
    number = await _pipe(chat)
    await say(chat, "马建民", "3号楼2单元已经通水，还有两户没来水，明天再弄", minutes=240)
    assert chat.ticket(number).status == TicketState.ACCEPTED


async def test_a_neighbour_taking_up_the_work_just_done_as_the_way_opens_nothing(chat):
    number = await _pipe(chat)
    await say(chat, "马建民", "3号楼2单元的管子换好了，包了保温棉", minutes=240)
    assert chat.ticket(number).status in DONE
    await say(chat, "3-2-201 老田", "来水了 谢谢马书记", minutes=3)
    await say(chat, "3-2-501 老葛", "早该这么整 好几个楼道窗户都是破的 风呼呼往里灌", minutes=6)
    assert [t.id for t in chat.store.tickets.select()] == [number]
