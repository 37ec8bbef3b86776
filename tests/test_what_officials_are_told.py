"""What a worker and the staff are told privately (pings, reminders, steps up): each offers
the short answer of each act (收到 12 / 办好 12 / 不是诉求 12), and those answers work."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import private_to as to
from conftest import texts

from handlers import lifecycle
from storage import TicketState


def ticket_number(messages) -> int:
    return int(re.search(r"#(\d+)", texts(messages)).group(1))


async def test_a_new_tickets_ping_offers_one_short_answer_per_act_and_each_works(chat):
    said = await chat.say("6-2-501 老韩", "6栋2单元楼道灯不亮了 三楼四楼全黑")
    n = ticket_number(said)
    ping = texts(to(said, "马建民"))
    assert f"回「收到 {n}」接单，「办好 {n}」办结，「不是诉求 {n}」关掉误登记" in ping
    answer = await chat.say("马建民", f"收到 {n}", room=None)
    assert chat.ticket(n).status == TicketState.ACCEPTED
    assert f"工单 #{n} 已由马建民接单" in texts(answer)
    answer = await chat.say("马建民", f"办好 {n}", room=None)
    assert chat.ticket(n).status == TicketState.RESOLVED
    assert "：办好" not in texts(answer)  # the answer word is no note of what was done


async def test_a_reminder_offers_not_a_need_and_it_closes_the_ticket_quietly(chat):
    said = await chat.say("12栋 老蔡", "12栋楼道里堆满了纸箱子 消防通道都堵了")
    n = ticket_number(said)
    reminded = texts(to(await chat.later(minutes=31), "马建民"))
    assert "⏰ 超时的工单 1 件" in reminded
    # the answers were in his first message of the day (the ping): not again in every one
    assert f"「不是诉求 {n}」" in texts(to(said, "马建民")) and "「收到" not in reminded
    answer = await chat.say("马建民", f"不是诉求 {n}", room=None)
    assert chat.ticket(n).status == TicketState.CANCELLED
    assert all(m.to is not None for m in answer)  # the residents' group is not told


async def test_a_list_of_several_offers_the_answers_with_a_number_to_fill_in(chat):
    await chat.say("6-2-501 老韩", "6栋2单元楼道灯不亮了 三楼四楼全黑")
    await chat.say("9-1-202 老孙", "9栋北边下水道堵了 污水漫到路上了")
    # his first message on Tuesday, the morning's list of both, offers them with 编号
    reminded = texts(to(await chat.later(hours=23), "马建民"))
    assert "#1" in reminded and "#2" in reminded
    assert "回「收到 编号」接单，「办好 编号」办结，「不是诉求 编号」关掉误登记" in reminded


async def test_a_taken_ticket_over_time_offers_only_done(chat):
    n = ticket_number(await chat.say("6-2-501 老韩", "6栋2单元楼道灯不亮了 三楼四楼全黑"))
    await chat.say("马建民", f"接单 {n}", room=None)
    reminded = texts(to(await chat.later(days=3, hours=4), "马建民"))  # Thursday's 14:00 list
    assert "已超过办理时限" in reminded
    assert f"办好了回「办好 {n}」" in reminded and "收到" not in reminded


async def test_the_answers_are_taught_once_a_day_and_work_without_being_repeated(chat):
    first = texts(to(await chat.say("6-2-501 老韩", "6栋2单元楼道灯不亮了 三楼四楼全黑"), "马建民"))
    chat.clock.advance(timedelta(minutes=30))  # not moments after #1 (it would be kept for a list)
    second = to(await chat.say("9-1-202 老孙", "9栋北边下水道堵了 污水漫到路上了"), "马建民")
    assert "回「收到 1」接单，「办好 1」办结，「不是诉求 1」关掉误登记" in first
    [ping] = second
    assert ping.text.startswith("新工单 #2") and "「" not in ping.text and ping.text.endswith("。")
    answer = await chat.say("马建民", "收到", room=None)  # a bare 收到: the message he was sent
    assert chat.ticket(2).status == TicketState.ACCEPTED and chat.ticket(1).status == TicketState.OPEN
    assert "工单 #2 已由马建民接单" in texts(answer)
    chat.clock.advance(timedelta(days=1))  # the next day's first message teaches them again
    third = texts(to(await chat.say("3-1-101 老齐", "3栋门口的井盖翘起来了 晚上容易绊倒"), "马建民"))
    assert "回「收到 3」接单" in third


async def test_a_residents_received_with_a_number_is_ordinary_speech(chat):
    said = await chat.say("8栋 乐乐妈", "收到 3 谢谢")
    assert "只有本网格的网格员" not in texts(said)


async def run_until(chat, hours: float):
    """Run the timers every 10 minutes for this long: what went out."""
    heard = []
    for _ in range(int(hours * 6)):
        heard += await chat.later(minutes=10)
    return heard


STAFF_ROOM = "青年路社区工作群"


async def test_a_ticket_nobody_confirmed_reaches_the_community_once_flagged_not_the_street(chat):
    n = ticket_number(await chat.say("12栋 老蔡", "12栋楼道里堆满了纸箱子 消防通道都堵了"))
    heard = await run_until(chat, 48)  # Monday 10:00 to Wednesday 10:00, nobody answers
    staff = [m for m in heard if m.room_topic == STAFF_ROOM]
    assert len(staff) == 1
    assert f"#{n}" in staff[0].text and "还没人确认是诉求" in staff[0].text
    assert "马建民" not in staff[0].text  # not the worker's name on what may be no need
    assert f"「不是诉求 {n}」" in staff[0].text
    assert to(heard, "冯媛") == []  # the street's admin: nothing
    assert to(heard, "张继凯") == to(heard, "刘芳") == []  # nor a daily list to the staff
    assert chat.ticket(n).status == TicketState.OPEN
    assert chat.ticket(n).escalation_level == lifecycle.LEVEL_COMMUNITY  # the staff have it


async def test_a_chased_ticket_goes_on_to_the_streets_daily_list(chat):
    n = ticket_number(await chat.say("12栋 老蔡", "12栋楼道里堆满了纸箱子 消防通道都堵了"))
    await run_until(chat, 3)  # reminded, the backup, the community
    await chat.say("12栋 老蔡", "12栋楼道纸箱子的事到底有没有人管啊")
    heard = await run_until(chat, 48)
    admin = texts(to(heard, "冯媛"))
    assert f"#{n}" in admin and "📋" in admin


async def test_the_reporters_next_line_with_the_flat_is_the_tickets_place(chat):
    said = await chat.say("5栋 周奶奶", "我是五栋二单元的 家里降压药吃完了 腿疼下不去楼 谁能帮我捎一盒 钱我给")
    n = ticket_number(said)
    assert "401" not in (chat.ticket(n).location or "")
    assert to(await chat.say("5栋 周奶奶", "三楼 302"), "马建民") == []  # no message of its own
    assert "302" in chat.ticket(n).location
    reminded = texts(to(await chat.later(minutes=31), "马建民"))
    assert f"#{n}" in reminded and "302" in reminded
    assert "302" in texts(await chat.say("马建民", f"查询 {n}", room=None))


async def test_a_later_line_naming_another_building_leaves_the_place(chat):
    n = ticket_number(await chat.say("5栋 周奶奶", "五栋二单元楼道灯不亮了 黑咕隆咚的"))
    before = chat.ticket(n).location
    await chat.say("5栋 周奶奶", "七栋 302 也是")
    assert chat.ticket(n).location == before


async def test_a_volunteer_taking_on_a_neighbours_errand_is_told_to_the_worker_not_chased(chat):
    errand = ticket_number(await chat.say(
        "5栋 周奶奶", "我是五栋二单元的 家里降压药吃完了 腿疼下不去楼 一个人在家 谁能帮我捎一盒 钱我给"
    ))
    await chat.later(minutes=7)
    drain = ticket_number(await chat.say("9-1-202 老孙", "9栋北边下水道堵了 污水漫到路上了"))
    await chat.later(minutes=6)
    # a quarter of an hour on, calling her by name: the volunteer takes the errand on
    await chat.say("小王", "周奶奶您好 我是志愿者小王 我中午去药店给您买 药盒子您留着")
    heard = await run_until(chat, 1)
    worker = texts(to(heard, "马建民"))
    assert f"#{drain}" in worker and "还没有人接单" in worker  # the drain: chased
    # the errand: in the same message, who has it in hand, not 还没有人接单
    assert f"#{errand}" in worker and "小王" in worker and "我中午去药店给您买" in worker
    assert [line for line in worker.splitlines() if f"#{errand}" in line and "还没有人接单" in line] == []
    heard = await run_until(chat, 4)
    assert f"#{errand}" not in texts(heard)  # nobody chased about it after


async def test_a_question_put_to_an_official_by_title_is_theirs_to_answer_not_the_faqs(chat):
    said = await chat.say("10-2-601 吴大妈", "刘主任问一下 明年的医保在哪交啊 我们老两口还没交呢")
    assert [m for m in said if m.room_id is not None] == []  # no general answer ahead of her
    [told] = to(said, "刘芳")
    assert "吴大妈在群里问您" in told.text and "医保" in told.text
    assert "常见问题里的答案供参考" in told.text  # the FAQ's answer, for her to lean on
    assert chat.store.tickets.select() == []


async def test_the_same_question_asked_of_nobody_is_answered_from_the_faq(chat):
    said = await chat.say("10-2-601 吴大妈", "问一下 明年的医保在哪交啊 我们老两口还没交呢")
    assert [m for m in said if m.room_id is not None] != []
    assert to(said, "刘芳") == []


async def test_a_ticket_turned_urgent_minutes_after_its_ping_tells_its_worker_only_what_is_new(chat):
    said = await chat.say("6-2-501 老韩", "6栋2单元电梯停在五楼不动了 按了半天没反应")
    n = ticket_number(said)
    assert not chat.ticket(n).urgent and len(to(said, "马建民")) == 1
    await chat.later(minutes=2)
    said = await chat.say("6-2-501 老韩", "电梯里面有人在喊 困住出不来了")
    assert chat.ticket(n).urgent
    [again] = to(said, "马建民")
    assert f"【紧急】工单 #{n}" in again.text and "现在按紧急处理：电梯里面有人在喊" in again.text
    assert "按了半天没反应" not in again.text  # not the report he was sent a minute ago
    [backup] = to(said, "孙丽")  # the colleague hears it for the first time: the whole of it
    assert "按了半天没反应" in backup.text
