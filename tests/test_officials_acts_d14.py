"""Officials' words about a ticket, and which ticket they are about (d14, a Saturday: the
worker off duty answering from home, the backup on site; reviews of d10 and d11, finding 6).

What a worker says in passing is read as what it does: a call made for it (no 「我」 said) and
someone sent is taking it on; 「我给街道报一下」 takes a wish on; an @ sending a volunteer to a
person who asked the bot privately takes that request; 「人出来了 都没事」 ends an emergency
of someone trapped; 「那就这么定了」 settles a quarrel. Which ticket: a quote of a line that
opened nothing is of its sender's own report (not of a wish they chimed in on); an unquoted
remark naming nothing is of the official's only thread, and of none when they have two; a
private request is named in the group only by its building and its matter. Through the
Application, as users see it.
"""

from __future__ import annotations

from conftest import ROOM_QN1, speaker

from handlers.messages import Person
from storage.states import TicketState

say = speaker(ROOM_QN1)
LINE = "\n- - - - - - - - - - - - - - -\n"


def quote(who: str, text: str, reply: str) -> str:
    return f"「{who}：{text}」{LINE}{reply}"


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


async def test_a_call_made_and_someone_sent_takes_the_report(chat):
    report = "5号楼高层一滴水都没有 水龙头光出气"
    await say(chat, "5-1-1201 老韩", report)
    [ticket] = chat.store.tickets.select()
    await say(chat, "马建民", quote("5-1-1201 老韩", report, "收到 俺在外头 刚给物业值班室打过电话 已经叫水电工去了"))
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED
    assert chat.ticket(ticket.id).assignee_name == "马建民"


async def test_reporting_a_wish_up_to_the_street_office_takes_it(chat):
    wish = "咱小区能不能在南门那块空地装几个健身器材 老人早上没地方活动"
    await say(chat, "3号楼 老周", wish)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "wish"
    await say(chat, "马建民", quote("3号楼 老周", wish, "这事俺下礼拜跟街道申请一下 批下来了群里说"))
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED


async def _private_request(chat) -> int:
    name = "6号楼刘奶奶"
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(name, chat.person_id(name))])
    await chat.say(name, "你好 我是六号楼二单元五楼的刘奶奶 手机上养老金认证老是刷不上脸 我不会弄", room=None)
    [ticket] = chat.store.tickets.select()
    assert ticket.room_id is None and ticket.intent == "errand"
    return ticket.id


async def test_a_volunteer_sent_in_the_group_takes_a_request_made_privately(chat):
    number = await _private_request(chat)
    sent = await say(
        chat, "马建民", "@小王 今天下午有空不？6号楼2单元有个奶奶养老金认证弄不成 去帮个忙", minutes=90
    )
    assert chat.ticket(number).status == TicketState.ACCEPTED
    assert private_to(sent, "6号楼刘奶奶")  # after her wait she hears it, privately, as she asked
    assert not [m for m in sent if m.room_topic == ROOM_QN1]


async def test_a_volunteer_sent_to_another_building_leaves_the_private_request_alone(chat):
    number = await _private_request(chat)
    await say(chat, "马建民", "@小王 今天下午有空不？9号楼1单元有个大爷养老金认证弄不成 去帮个忙")
    assert chat.ticket(number).status == TicketState.OPEN


async def _trapped(chat) -> int:
    await say(chat, "3号楼 小雨妈妈", "救命 3号楼2单元电梯卡住了 俺和孩子在里头 按警铃没人应")
    [lift] = [t for t in chat.store.tickets.select() if t.urgent]
    await say(chat, "马建民", "俺在附近 马上到")
    assert chat.ticket(lift.id).status == TicketState.ACCEPTED
    return lift.id


async def test_the_trapped_out_and_safe_is_the_emergency_done(chat):
    lift = await _trapped(chat)
    await say(chat, "马建民", "人救出来了 大人孩子都没事 这部电梯先停用 等维保来查", minutes=12)
    assert chat.ticket(lift).status in (TicketState.RESOLVED, TicketState.CLOSED)
    # the official's word on it afterwards is not answered with 「不能再更新了」
    sent = await say(chat, "孙丽", "刚看到 孩子没事就好 明天俺盯着维保查")
    assert private_to(sent, "孙丽") == []


async def test_glad_nobody_was_hurt_is_not_the_emergency_done(chat):
    lift = await _trapped(chat)
    await say(chat, "孙丽", "人没事就好 晨晨妈妈别慌")
    assert chat.ticket(lift).status == TicketState.ACCEPTED


QUARREL = "楼上302天天晚上十一点还在剁肉 咚咚咚的 说了好几回也不听"


async def _quarrel(chat) -> int:
    await say(chat, "3-1-202 老钱", QUARREL)
    await say(chat, "3-1-302 李姐", "俺家就晚上有空做饭 你咋这么事多")
    await say(chat, "3-1-402 小刘", "楼上剁肉真难受 俺家楼上也是天天咚咚的")  # a neighbour chimes in
    [ticket] = chat.store.tickets.select()
    await say(chat, "马建民", quote("3-1-202 老钱", QUARREL, "钱叔 俺一会儿过去跟两家说说"))
    assert chat.ticket(ticket.id).status == TicketState.ACCEPTED
    return ticket.id


async def test_settled_said_with_nothing_named_is_the_done_of_the_officials_only_thread(chat):
    number = await _quarrel(chat)
    await say(chat, "3-1-302 李姐", "行吧 以后早点剁", minutes=8)
    await say(chat, "马建民", "那就这么定了 以后晚上十点以后不剁了 有事再找俺", minutes=3)
    assert chat.ticket(number).status in (TicketState.RESOLVED, TicketState.CLOSED)


async def test_settled_said_by_an_official_with_two_threads_goes_on_neither(chat):
    number = await _quarrel(chat)
    report = "5号楼门口井盖翘起来了 差点绊倒人"
    await say(chat, "5-2-101 老孟", report)
    other = next(t.id for t in chat.store.tickets.select() if t.id != number)
    await say(chat, "马建民", quote("5-2-101 老孟", report, "收到 俺下午带师傅过去"))
    assert chat.ticket(other).status == TicketState.ACCEPTED
    await say(chat, "马建民", "那就这么定了 有事再找俺", minutes=5)
    assert chat.ticket(number).status == TicketState.ACCEPTED
    assert chat.ticket(other).status == TicketState.ACCEPTED


async def test_a_quoted_line_that_opened_nothing_is_of_its_senders_own_report(chat):
    cable = "12号楼西头 又有人从五楼窗户往下吊电线给电动车充电 线搭在一楼防盗窗上"
    await say(chat, "12号楼老杨", cable)
    [own] = chat.store.tickets.select()
    await say(chat, "马建民", quote("12号楼老杨", cable, "收到 俺一会儿过去看看"))
    await say(chat, "豆豆爸", "咱小区能不能弄个集中充电棚 扫码的那种 北门车棚旁边那块空地就中")
    wish = next(t for t in chat.store.tickets.select() if t.id != own.id)
    await say(chat, "12号楼老杨", "俺也想要个充电棚 车棚的插座根本不够用")
    assert chat.store.tickets.is_reporter(wish.id, chat.person_id("12号楼老杨"))
    still = "线还挂着呢 光说收 没见动"
    await say(chat, "12号楼老杨", still, minutes=15)
    await say(chat, "马建民", quote("12号楼老杨", still, "线收了 车推到北门车棚充电桩那了 跟501说好了"), minutes=20)
    assert chat.ticket(own.id).status in (TicketState.RESOLVED, TicketState.CLOSED)
    assert chat.ticket(wish.id).status == TicketState.OPEN


async def test_a_neighbour_who_chimed_in_on_a_settled_quarrel_does_not_rate_it_by_thanking_someone(chat):
    number = await _quarrel(chat)
    assert chat.store.tickets.is_reporter(number, chat.person_id("3-1-402 小刘"))
    await say(chat, "马建民", quote("3-1-202 老钱", QUARREL, "钱叔 两家说好了 以后晚上十点以后不剁了"), minutes=10)
    assert chat.ticket(number).status == TicketState.RESOLVED
    await say(chat, "3-1-402 小刘", "谢谢[抱拳]")
    [theirs] = [r for r in chat.store.tickets.reporters(number) if r.person_id == chat.person_id("3-1-402 小刘")]
    assert theirs.rating is None
    assert chat.ticket(number).rating is None


GAS = "5号楼1单元楼道里煤气味特别冲 谁家漏气了"
PILLS = "网格员在吗 俺是9号楼的老周 降压药吃完了 腿疼下不了楼 谁能帮俺捎一盒"


async def _gas_with_an_old_man_taken_to_hospital(chat) -> tuple[int, int]:
    await say(chat, "9号楼 老周", PILLS)
    await say(chat, "5-1-301 吴姐", GAS, minutes=30)
    errand, gas = sorted(t.id for t in chat.store.tickets.select())
    assert chat.ticket(gas).urgent
    await say(chat, "孙丽", quote("5-1-301 吴姐", GAS, "收到！都别开灯 先下楼 俺这就打燃气抢修"))
    await say(chat, "马建民", "到了 401开门了 老人睡着了 灶上的火叫汤扑灭了 阀门关了 开窗通风", minutes=6)
    await say(chat, "马建民", "燃气公司查完了 管道没问题 老人叫120拉去医院了 俺跟着去", minutes=12)
    return errand, gas


async def test_the_leaders_when_done_tell_me_does_not_close_the_emergency(chat):
    _, gas = await _gas_with_an_old_man_taken_to_hospital(chat)
    await say(chat, "冯媛", "@孙丽 @马建民 人要紧 弄完了群里说一声")
    await say(chat, "冯媛", "@孙丽 @马建民 安全第一 处理完报个情况")
    assert chat.ticket(gas).status == TicketState.ACCEPTED


async def test_the_backups_word_from_hospital_closes_the_emergency_he_went_with_not_an_old_mans_errand(chat):
    errand, gas = await _gas_with_an_old_man_taken_to_hospital(chat)
    await say(chat, "马建民", "医院查了 没啥大事 留观一晚 他儿子到了 俺回了", minutes=40)
    assert chat.ticket(gas).status in (TicketState.RESOLVED, TicketState.CLOSED)
    assert chat.ticket(errand).status == TicketState.OPEN


async def test_thanking_a_colleague_for_his_word_on_a_done_ticket_goes_on_no_other(chat):
    errand, gas = await _gas_with_an_old_man_taken_to_hospital(chat)
    done = "医院查了 没啥大事 留观一晚 他儿子到了 俺回了"
    await say(chat, "马建民", done, minutes=40)
    before = len(chat.store.tickets.events(errand))
    await say(chat, "孙丽", quote("马建民", done, "辛苦马哥 明天俺再去看看老爷子"))
    assert len(chat.store.tickets.events(errand)) == before  # not the errand's timeline
    assert chat.ticket(errand).status == TicketState.OPEN


async def test_an_officials_own_news_in_people_words_goes_on_no_errand_but_a_word_to_its_reporter_does(chat):
    await say(chat, "9号楼 老周", PILLS)
    [errand] = chat.store.tickets.select()
    before = len(chat.store.tickets.events(errand.id))
    await say(chat, "孙丽", "不好意思各位 上午陪老人去医院复查 才看手机 我一条一条看", minutes=20)
    assert len(chat.store.tickets.events(errand.id)) == before  # her own morning, not his pills
    await say(chat, "孙丽", "@9号楼 老周 周叔 您那降压药是哪个厂的 拍个药盒发群里")
    assert len(chat.store.tickets.events(errand.id)) == before + 1


async def test_a_notice_to_everyone_naming_pipes_is_no_news_of_the_burst_pipe(chat):
    await say(chat, "7-2-502 老王", "7号楼2单元水管爆了 楼道里全是水 家里也停水了")
    [pipe] = chat.store.tickets.select()
    before = len(chat.store.tickets.events(pipe.id))
    await say(chat, "物业客服小陈", "【温馨提示】今晚降温到零下八度 请各位业主室外水表和管道做好防冻 出门注意防滑")
    await say(chat, "刘芳", "【冬季安全提示】天冷了 电暖气别整夜开着 水管包好保温棉 用完燃气关阀门")
    assert len(chat.store.tickets.events(pipe.id)) == before
