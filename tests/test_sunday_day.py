"""A Sunday of a residents' group as its people speak (review of d10): the backup worker
and the staff talking an emergency through without naming it, a group buy's orders, a
volunteer taking an errand on, a quarrel — through the application, as the group sees it."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_QN2, TZ, posts_in, speaker, texts

from storage import TicketState


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 12, 13, 10, 0, tzinfo=TZ)  # a Sunday morning, nobody on duty


say = speaker(ROOM_QN2)
in_group = posts_in(ROOM_QN2)


async def test_the_backup_worker_talking_a_gas_leak_through_takes_it_and_closes_it(chat):
    await say(chat, "7号楼 杜姐", "问一下 那个燃气检查 礼拜二我们两口子都上班 家里没人咋整")
    await say(chat, "7-3-302 老贾", "7号楼3门洞楼道里一股煤气味 倍儿冲 谁家漏气了！", minutes=20)
    gas = next(t for t in chat.store.tickets.select() if t.urgent)
    await say(chat, "7号楼 杜姐", "我也闻见了 越往上越重 是不是五楼")
    await say(chat, "7-3-302 老贾", "孙丽咋不回话", minutes=3)
    # nobody names the leak everyone is watching
    await say(chat, "马建民", "我是一网格马建民 孙丽今天歇班 我离得近马上过去 大家别开灯别动电闸 把楼道窗户打开 人先下楼")
    assert chat.ticket(gas.id).status == TicketState.ACCEPTED
    await say(chat, "张继凯", "501老爷子儿子电话通了 说老人去早市了 家里没人 钥匙在对门502", minutes=8)
    await say(chat, "马建民", "到了 味确实大 燃气公司车也到了 正上楼")
    question = next(t for t in chat.store.tickets.select() if not t.urgent)
    assert chat.ticket(question.id).status == TicketState.OPEN  # the gas inspection's question is not taken
    sent = await say(chat, "马建民", "燃气公司给换了新胶管 打压试了不漏了 楼道味散得差不多了 大家可以回家了", minutes=25)
    assert chat.ticket(gas.id).status == TicketState.RESOLVED
    assert "您说的是" not in texts(sent)  # the gas leak, not the inspection: no question back
    later = await chat.later(hours=2)
    assert "还没有工作人员回复" not in texts(later)
    assert not any(m.to is not None and m.to.name == "张继凯" and f"#{gas.id}" in m.text for m in later)


async def test_orders_of_a_group_buy_open_nothing(chat):
    await say(chat, "鲜果团长 小美", "接龙 大白菜 0.9元/斤 十斤起\n1. 小美 团长")
    await say(chat, "3-1-101 老冯", "接龙 大白菜 0.9元/斤 十斤起\n1. 小美 团长\n2. 3-1-101 老冯 30斤")
    sent = await say(chat, "4号楼 黄奶奶", "我要白菜二十斤 我不会接那个龙 谁帮我接一下")
    sent += await say(chat, "4号楼 黄奶奶", "谢谢闺女")
    sent += await say(chat, "4号楼 黄奶奶", "二十斤我扛不上去啊 四楼")
    assert chat.store.tickets.select() == [] and in_group(sent) == []
    # a need of one's own during the group buy is still heard
    await say(chat, "淑琴闺女(广州)", "我妈一个人住11号楼1门洞201 降压药快吃完了 路滑她不敢下楼 想麻烦网格员帮忙买两盒送上去", minutes=10)
    assert [t.intent for t in chat.store.tickets.select()] == ["errand"]


async def test_an_emergency_an_official_answered_in_the_group_is_not_called_unanswered(chat):
    await say(chat, "7-3-302 老贾", "7号楼3门洞楼道里一股煤气味 倍儿冲 谁家漏气了！")
    await say(chat, "张继凯", "大家都先下楼 别开灯 把楼道窗户打开", minutes=3)
    later = await chat.later(minutes=80)
    assert "还没有工作人员回复" not in texts(later)


async def test_a_volunteer_taking_an_errand_on_stops_the_chase(chat):
    await say(chat, "淑琴闺女(广州)", "各位叔叔阿姨好 打扰了 我是11号楼1门洞201刘淑琴的女儿 我在广州工作 我妈一个人住 "
              "她的降压药（硝苯地平缓释片）快吃完了 这两天路太滑她不敢下楼 想麻烦哪位邻居或者网格员帮忙去药店买两盒送上去 "
              "钱我微信转 谢谢大家[抱拳]")
    [errand] = chat.store.tickets.select()
    assert errand.intent == "errand"
    await say(chat, "11号楼 老何", "刘大姐我认识 就住我楼上 我下午有事走不开 谁年轻帮个忙", minutes=2)
    await say(chat, "周阿姨", "闺女别着急 我是志愿者周阿姨 吃完饭我去药店买了给你妈送上去", minutes=2)
    later = await chat.later(hours=3)
    assert not any(f"#{errand.id}" in m.text for m in later if m.to is None or m.to.name != "孙丽")
    assert "转给您的工单" not in texts(later) and "转社区" not in texts(later)
    await say(chat, "周阿姨", "药买着了 两盒 这就上去", minutes=5)
    await say(chat, "周阿姨", "药送到了 刘大姐挺好", minutes=30)
    notes = [e.note for e in chat.store.tickets.events(errand.id) if e.kind == "update"]
    assert len(notes) == 3 and "药送到了" in notes[-1]


async def test_a_quote_of_part_of_a_report_is_of_that_report(chat):
    await say(chat, "淑琴闺女(广州)", "我妈一个人住11号楼1门洞201 降压药快吃完了 想麻烦哪位邻居或者网格员帮忙去药店买两盒送上去 钱我微信转")
    await say(chat, "15-2-402 老郑", "15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的", minutes=3)
    errand, heating = sorted(chat.store.tickets.select(), key=lambda t: t.id)
    await say(chat, "孙丽", "「淑琴闺女(广州)：想麻烦哪位邻居或者网格员帮忙去药店买两盒送上去」\n- - - - - - - - - - - - - - -\n"
              "姐 我下午跟周阿姨一块过去 顺便看看阿姨家暖气热不热", minutes=30)
    assert chat.ticket(errand.id).status == TicketState.ACCEPTED
    assert chat.ticket(heating.id).status == TicketState.OPEN


async def test_the_reporters_angry_repeat_is_the_same_matter_and_a_story_of_elsewhere_is_none(chat):
    await say(chat, "19号楼 陈叔", "19号楼西边那垃圾站满了 溢得满地都是 礼拜六一天没人拉")
    [bins] = chat.store.tickets.select()
    sent = await say(chat, "19号楼 陈叔", "垃圾站还满着呢 一上午没人管 味儿都出来了", minutes=200)
    assert [t.id for t in chat.store.tickets.select()] == [bins.id]
    sent = await say(chat, "晨练 老刘头", "我大哥在唐山那小区 垃圾七天没拉 最后上了电视才有人管", minutes=8)
    assert in_group(sent) == [] and chat.store.tickets.select() == [chat.ticket(bins.id)]
    assert "晨练 老刘头" not in {r.person_name for r in chat.store.tickets.reporters(bins.id)}


async def test_a_quarrel_over_a_blocked_car_is_one_matter_acknowledged_to_who_asked(chat):
    await say(chat, "老齐 16-2", "@大刘 17号楼 是你的不 赶紧下来挪一下")
    replies = []
    for name, text in [
        ("大刘 17号楼", "嚷嚷嘛 我昨儿喝了点酒 不敢开 停一宿咋了 又不是你家车位"),
        ("老齐 16-2", "你停楼门口堵着道 还有理了？我都等半小时了"),
        ("大刘 17号楼", "堵你嘛了 你那车往后倒倒不就出去了"),
        ("老齐 16-2", "你下来倒一个我看看 后边是花池子"),
        ("大刘 17号楼", "我现在在我丈母娘家呢 下午回去"),
        ("大刘 17号楼", "你管得着吗 上回你家装修堵了半个月楼道我说嘛了"),
    ]:
        replies += in_group(await say(chat, name, text))
    [quarrel] = chat.store.tickets.select()
    assert quarrel.intent == "dispute"
    assert [p.name for m in replies for p in m.mentions] == ["老齐 16-2"]  # never the one blocking the door


async def test_cold_flats_and_ice_on_a_sunday_reach_the_worker_that_day(chat):
    chat.clock.set(datetime(2026, 12, 13, 7, 3, tzinfo=TZ))  # Sunday, before quiet hours end
    sent = await chat.say("15-2-402 老郑", "15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的", ROOM_QN2)
    assert "明天上班后" not in texts(sent) and "今天 7:30 后" in texts(sent)
    assert [m for m in sent if m.to is not None] == []  # nobody is woken
    morning = await chat.later(minutes=30)
    assert any(m.to is not None and m.to.name == "孙丽" and "暖气" in m.text for m in morning)
    sent = await say(chat, "8号楼 老孟", "8号楼北门口地底下往外渗水 冻了一大片冰 跟溜冰场似的", minutes=120)
    assert "会尽快跟进" in texts(in_group(sent))
    assert any(m.to is not None and m.to.name == "孙丽" and "8号楼北门口" in m.text for m in sent)
    # what can wait for Monday still waits
    sent = await say(chat, "合唱团 曹姐", "能不能跟社区说说 冬天礼拜六礼拜天活动室也给开半天 我们合唱团元旦还有演出呢", minutes=10)
    assert "明天上班后" in texts(in_group(sent)) and [m for m in sent if m.to is not None] == []


async def test_officials_taking_a_matter_on_in_their_own_words(chat):
    await say(chat, "15-2-402 老郑", "15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的")
    [heating] = chat.store.tickets.select()
    await say(chat, "张继凯", "「15-2-402 老郑：15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的」\n- - - - - - - - - - - - - - -\n"
              "收到 我给热力公司报上 礼拜天他们值班的人少 我催催", minutes=40)
    assert chat.ticket(heating.id).status == TicketState.ACCEPTED
    await say(chat, "老齐 16-2", "@大刘 17号楼 谁让你把车堵在16号楼2门洞门口 你管得着吗 天天堵这儿 @孙丽 你给评评理 管不管", minutes=30)
    quarrel = next(t for t in chat.store.tickets.select() if t.id != heating.id)
    quote = "「老齐 16-2：@孙丽 你给评评理 管不管」\n- - - - - - - - - - - - - - -\n"
    await say(chat, "孙丽", quote + "齐叔 车的事我单独跟您和大刘哥聊 群里咱别吵了 大礼拜天的[抱拳]", minutes=60)
    assert chat.ticket(quarrel.id).status == TicketState.ACCEPTED
    await say(chat, "孙丽", quote + "齐叔 大刘哥那边我聊过了 他说以后不停楼门口了 阿姨看病还顺利吧", minutes=240)
    assert chat.ticket(quarrel.id).status == TicketState.RESOLVED


async def test_an_officials_answer_to_a_reporters_question_is_about_their_matter(chat):
    await say(chat, "15-2-402 老郑", "15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的")
    await say(chat, "19号楼 陈叔", "19号楼西边那垃圾站满了 溢得满地都是 礼拜六一天没人拉")
    heating, bins = sorted(chat.store.tickets.select(), key=lambda t: t.id)
    for number in (heating.id, bins.id):
        await say(chat, "孙丽", f"接单 {number}")
    await say(chat, "15-2-402 老郑", "阀门装回去了吗 还没热", minutes=300)
    sent = await say(chat, "孙丽", "装回去了 正在上水 慢慢热 大概半小时", minutes=5)
    assert "您说的是" not in texts(sent)
    assert chat.ticket(heating.id).status == TicketState.ACCEPTED  # under way, not done
    assert any(e.kind == "progress" for e in chat.store.tickets.events(heating.id))


async def test_tomorrows_plan_after_an_emergency_is_no_done_and_asks_nothing(chat):
    chat.clock.set(datetime(2026, 12, 13, 21, 0, tzinfo=TZ))
    await chat.say("19号楼 陈叔", "19号楼西边那垃圾站满了 溢得满地都是", ROOM_QN2)
    await say(chat, "12-1-702 小吴", "12号楼1门洞电梯卡住了！！！我妈在里头 卡在四楼五楼中间", minutes=72)
    lift = next(t for t in chat.store.tickets.select() if t.urgent)
    await say(chat, "孙丽", "收到！我马上打维保电话 十分钟到 别扒门", minutes=3)
    assert chat.ticket(lift.id).status == TicketState.ACCEPTED
    await say(chat, "12号楼 周哥", "门开了！阿姨出来了", minutes=20)
    await say(chat, "二十二号楼 老潘", "介加装的电梯才两年 就出介毛病", minutes=12)
    sent = await say(chat, "孙丽", "明天维保修的时候我也在 修完群里说 大家早点休息", minutes=3)
    assert "您说的是" not in texts(sent)
    assert chat.ticket(lift.id).status == TicketState.ACCEPTED


async def test_a_word_about_the_worker_is_no_me_too_of_a_fault(chat):
    await say(chat, "15-2-402 老郑", "15号楼2门洞谁家暖气热乎 我家暖气片摸着跟凉水似的")
    [heating] = chat.store.tickets.select()
    await say(chat, "4号楼 黄奶奶", "我说两句啊 表扬一下咱们网格员孙丽那闺女 上礼拜帮我们家老头子办那个残疾证 来回跑了三趟", minutes=5)
    await say(chat, "3-1-101 老冯", "孙丽是不错 上回我家那低保复审也是她给跑的[强]", minutes=2)
    assert "3-1-101 老冯" not in {r.person_name for r in chat.store.tickets.reporters(heating.id)}
    # "me too" of the fault is still one
    await say(chat, "15号楼 李姐", "+1 我家也不热 我还以为就我们家呢", minutes=2)
    assert "15号楼 李姐" in {r.person_name for r in chat.store.tickets.reporters(heating.id)}
