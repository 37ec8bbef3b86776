"""What a worker reads privately about a ticket: the place and the problem first (not the
greeting the resident began with), where to see a photo added later, and no morning word
of a night report they already answered in the group — through the application."""

from __future__ import annotations

from datetime import datetime, timedelta

from conftest import ROOM_QN1, ROOM_QN2, TZ
from conftest import private_to as to

from storage import TicketState


async def test_the_ping_leads_with_the_place_and_problem_not_the_greeting(chat):
    sent = await chat.say(
        "8-3-402 老鲁", "孙丽呀我是八栋的老鲁 8栋3单元电梯按钮掉了一个 按不了九楼 老人上下楼不方便",
        ROOM_QN2,
    )
    [ping] = to(sent, "孙丽")
    assert "#1" in ping.text and "8栋3单元电梯按钮掉了" in ping.text
    assert "孙丽呀" not in ping.text and "我是八栋" not in ping.text
    assert "老鲁" in ping.text  # who said it stays, in brackets


async def test_a_call_before_the_report_is_cut_and_the_place_put_first(chat):
    sent = await chat.say("老葛", "马师傅在吗 2栋后面那个化粪池盖子翘起来了 小孩在边上玩", ROOM_QN1)
    [ping] = to(sent, "马建民")
    summary = ping.text.split("】", 1)[1]
    assert summary.startswith("2栋")
    assert "在吗" not in ping.text


async def test_photos_added_later_are_counted_in_the_next_word_to_the_worker(chat):
    await chat.say("1-2-301 小甘", "1栋2单元门口的路灯不亮了 一片黑", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=3))
    from handlers.messages import Media

    for n in (1, 2):
        sent = await chat.say("1-2-301 小甘", "[图片]", ROOM_QN1, media=(Media("image", "a.jpg", b"\x89PNG%d" % n),))
        assert sent == []  # attached quietly, not one message per photo
    assert len(chat.store.notes.attachments(1)) == 2
    chat.clock.advance(timedelta(hours=3))
    sent = await chat.say("1-2-301 小甘", "路灯到底什么时候修", ROOM_QN1)
    [ping] = to(sent, "马建民")
    assert "#1" in ping.text and "附照片 2 张" in ping.text


async def test_no_morning_word_of_a_night_report_the_worker_answered_in_the_group(chat):
    chat.clock.set(datetime(2026, 11, 24, 22, 40, tzinfo=TZ))  # a Tuesday night, quiet hours
    night = await chat.say("6-1-502 小邬", "6栋1单元楼道里的灭火器箱门掉了 玻璃碎了一地", ROOM_QN1)
    assert to(night, "马建民") == []  # not woken
    chat.clock.advance(timedelta(minutes=20))
    await chat.say("马建民", "@6-1-502 小邬 大家先绕着点走 别踩到", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=10))
    await chat.say("3-3-101 老柏", "3栋3单元门口的垃圾桶翻了 满地都是", ROOM_QN1)
    morning = []
    for _ in range(24):
        morning += await chat.later(minutes=30)
    batch = [m for m in to(morning, "马建民") if "🆕" in m.text]
    assert batch, "the worker hears in the morning of what he did not answer"
    assert all("#2" in m.text and "#1" not in m.text for m in batch)



async def test_a_bare_name_and_a_preamble_before_the_report_are_cut(chat):
    sent = await chat.say("4-1-301 老冼", "马建民 我跟你说个事啊 4栋1单元的单元门锁坏了 关不严 半夜风一吹就响", ROOM_QN1)
    [ping] = to(sent, "马建民")
    summary = ping.text.split("】", 1)[1]
    assert summary.startswith("4栋1单元") and "跟你说" not in summary


async def test_new_tickets_moments_apart_reach_the_worker_as_one_list(chat):
    """A busy morning: the first report's ping at once, the next ones reported within half an
    hour of it (the reminder interval: handlers/pace.py) listed together when that half hour
    is over — on their own, no 超时 heading."""
    first = await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", ROOM_QN1)
    assert "#1" in to(first, "马建民")[0].text
    said = []
    for minutes, who, text in ((2, "李叔", "北门的垃圾桶满了三天没人清，臭得不行"),
                               (2, "6-1-302 小葛", "6栋1单元楼道灯坏了 三楼到五楼都黑着")):
        chat.clock.advance(timedelta(minutes=minutes))
        said += await chat.say(who, text, ROOM_QN1)
    assert to(said, "马建民") == [] and said  # the residents heard their acknowledgements
    assert to(await chat.later(minutes=25), "马建民") == []  # 29 minutes after #1's ping
    [listed] = to(await chat.later(minutes=1), "马建民")  # half an hour after it
    assert listed.text.startswith("🆕") and "新登记的工单 2 件" in listed.text
    assert "#2" in listed.text and "#3" in listed.text and "超时" not in listed.text


async def test_a_new_ticket_a_quarter_of_an_hour_after_a_ping_waits_for_the_half_hour(chat):
    """d1 #5: thirteen minutes after a ping her phone does not ring again for what can wait;
    she hears of it when the half hour is over, as new (not under 超时); one reported after a
    quiet half hour comes at once."""
    await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=13))
    sent = await chat.say("李叔", "北门的垃圾桶满了三天没人清，臭得不行", ROOM_QN1)
    assert to(sent, "马建民") == []
    [listed] = to(await chat.later(minutes=17), "马建民")
    assert listed.text.startswith("🆕") and "#2" in listed.text and "超时" not in listed.text
    chat.clock.advance(timedelta(minutes=31))
    [ping] = to(await chat.say("6-1-302 小葛", "6栋1单元楼道灯坏了 三楼到五楼都黑着", ROOM_QN1), "马建民")
    assert ping.text.startswith("新工单 #3")


async def test_a_residents_chase_moments_after_a_ping_goes_with_the_next_message(chat):
    """d11: the dog mess reported at 10:00 (its ping at once), a gate at 10:40 (at once: a
    quiet half hour), the dog mess's reporter asking again at 10:50 and a lamp at 11:00: the
    chase and the lamp come together at 11:10, half an hour after the last ring — three
    rings, not four."""
    await chat.say("6-2-201 钱叔", "又是6号楼门口 一大坨狗屎 今天早上我踩了一脚", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=40))
    [gate] = to(await chat.say("4栋 老孟", "北门那个大铁门 锁坏了关不上 一个礼拜了", ROOM_QN1), "马建民")
    assert gate.text.startswith("新工单 #2")
    chat.clock.advance(timedelta(minutes=10))
    chased = await chat.say("6-2-201 钱叔", "6号楼门口狗屎到底有没有人管", ROOM_QN1)
    assert to(chased, "马建民") == [] and chat.ticket(1).status == TicketState.OPEN
    chat.clock.advance(timedelta(minutes=10))
    lamp = await chat.say("6-1-302 小葛", "6栋1单元楼道灯坏了 三楼到五楼都黑着", ROOM_QN1)
    assert to(lamp, "马建民") == []
    assert to(await chat.later(minutes=9), "马建民") == []
    [together] = to(await chat.later(minutes=1), "马建民")  # 11:10
    assert "#3" in together.text and "楼道灯" in together.text
    assert "#1" in together.text and "有没有人管" in together.text


async def test_a_chase_moments_after_the_worker_was_told_rings_nothing(chat):
    """d12: the report's ping (or alarm) went to her minutes ago; a resident asking after it
    now adds nothing she can act on — kept on the ticket; asked again after the half hour,
    she hears it."""
    await chat.say("6-2-201 钱叔", "又是6号楼门口 一大坨狗屎 今天早上我踩了一脚", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=8))
    assert to(await chat.say("6-2-201 钱叔", "6号楼门口狗屎到底有没有人管", ROOM_QN1), "马建民") == []
    assert "有没有人管" in " ".join(r.text for r in chat.store.conversation.reports(1))
    chat.clock.advance(timedelta(minutes=40))
    [ping] = to(await chat.say("6-2-201 钱叔", "6号楼门口的狗屎还是没人管啊", ROOM_QN1), "马建民")
    assert "#1" in ping.text and "还是没人管" in ping.text


async def test_an_old_womans_errand_moments_after_a_ping_is_not_held(chat):
    """Alone, legs bad, out of medicine: her errand reaches the worker at once, whatever
    was sent a minute ago."""
    await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=1))
    sent = await chat.say(
        "3栋 刘奶奶", "我是三栋一单元的刘淑珍 我那个降压药吃完了 我这两天腿疼得厉害下不去楼 "
        "老头子走了以后就我一个人 谁能帮我捎一盒子 钱我给", ROOM_QN1,
    )
    [ping] = to(sent, "马建民")
    assert ping.text.startswith("新工单 #2") and "降压药" in ping.text


async def test_an_urgent_report_moments_after_a_ping_is_not_held(chat):
    await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=2))
    sent = await chat.say("5栋 刘姐", "5栋2单元楼道里好大一股煤气味 熏得人头晕", ROOM_QN1)
    assert any("#2" in m.text and "紧急" in m.text for m in to(sent, "马建民"))


async def test_a_held_ping_the_worker_took_in_the_group_meanwhile_is_not_sent(chat):
    await chat.say("3栋 张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=3))
    await chat.say("李叔", "北门的垃圾桶满了三天没人清，臭得不行", ROOM_QN1)
    chat.clock.advance(timedelta(minutes=2))
    await chat.say("马建民", "接单 2", ROOM_QN1)
    assert "#2" not in " ".join(m.text for m in to(await chat.later(minutes=30), "马建民"))


async def test_a_report_opened_with_qing_wen_yi_xia_leads_with_what_is_wrong(chat):
    sent = await chat.say("小鹿乱撞", "请问一下 3栋门口的井盖翘起来好几天了 谁来修一下啊", ROOM_QN1)
    [ping] = to(sent, "马建民")
    assert ping.text.split("】", 1)[1].startswith("3栋门口的井盖")  # not 「一下 3栋…」


async def test_the_ping_keeps_why_it_is_pressing(chat):
    """d1 #9: the clause that says why now (明天上午还得去医院复查) is not cut from the ping."""
    sent = await chat.say(
        "11-2-901 陈姐", "11栋2单元电梯又停了 门口贴了张条 写着故障维修暂停使用 也没写几点能修好 "
        "我妈八十三了住九楼 明天上午还得去医院复查 这可咋整", ROOM_QN1,
    )
    [ping] = to(sent, "马建民")
    assert "明天上午还得去医院复查" in ping.text and "11栋2单元电梯又停了" in ping.text


async def test_a_long_request_reaches_the_worker_as_one_short_line(chat):
    """Review of d10, finding 7: not the 110 characters said, but one line on a phone: where,
    what is wrong, who suffers; no greeting, no thanks, no emoji."""
    sent = await chat.say(
        "桂兰儿子(外地)", "各位邻居好 打扰一下 我是5号楼2单元301王桂兰的儿子 我在外地上班 我妈一个人住 "
        "她的胰岛素快用完了 最近下雪她不敢出门 想麻烦哪位邻居或者网格员帮忙去医院药房开两盒送上去 钱我微信转 谢谢大家[抱拳]",
        ROOM_QN1,
    )
    [ping] = to(sent, "马建民")
    words = ping.text.split("】", 1)[1].split("（桂兰儿子")[0]
    assert len(words) <= 51  # 50 and the … that says there was more
    assert "5号楼2单元301" in words and "一个人住" in words and "胰岛素快用完了" in words
    assert "钱我微信转" not in words and "谢谢" not in words and "[抱拳]" not in words and "各位" not in words


async def test_an_urgent_ping_says_where_and_what_without_exclamations(chat):
    sent = await chat.say("老周", "快来人 3号楼2单元楼道里着火了 好大的烟", ROOM_QN1)
    pings = to(sent, "马建民") + to(sent, "孙丽")
    assert len(pings) == 2
    for ping in pings:
        assert ping.text.startswith("【紧急】") and "3号楼2单元楼道里着火了" in ping.text
        assert "请立即处理" not in ping.text
