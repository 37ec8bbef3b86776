"""A group is a conversation: echoes join the incident they echo, a report typed in pieces is
one report, a reporter's follow-up joins their ticket, a quarrel is one ticket, notices, ads
and 接龙 open nothing — through the application, as the group and the worker see it."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import EXAMPLE_CONFIG, ROOM_BH1, mentioned, texts

from handlers.messages import Media
from intents import extract_place, mask, subjects_of
from intents.model import Classification

ROOM = ROOM_BH1  # 滨河花园一网格群: worker 李强, backup 王秀英, staff 陈海燕
WORKER = "李强"


def in_room(sent):
    return [m for m in sent if m.room_topic == ROOM]


def privately_to(sent, name):
    return [m for m in sent if m.to is not None and m.to.name == name]


async def say(chat, name, text, *, minutes=1, **kw):
    """Someone says something a little after the last message."""
    chat.clock.advance(timedelta(minutes=minutes))
    return await chat.say(name, text, ROOM, **kw)


async def test_echoes_of_an_outage_join_one_ticket_and_the_group_hears_one_answer(chat):
    first = await say(chat, "8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    assert "（#1）" in texts(in_room(first))
    echoes = []
    for name, text in [
        ("8-2-601 小林", "我家也没水"),
        ("8栋 钱阿姨", "+1 刚要做饭"),
        ("8-1-1102 阿强", "什么时候来水啊 等着洗澡"),
        ("8-2-1501 Coco", "8栋又停水？？"),
    ]:
        echoes += await say(chat, name, text)
    [ticket] = chat.store.tickets.select()
    assert (ticket.intent, ticket.location) == ("repair", "8栋")
    reporters = {r.person_name for r in chat.store.tickets.reporters(ticket.id)}
    assert reporters == {"8-1-302 老许", "8-2-601 小林", "8栋 钱阿姨", "8-1-1102 阿强", "8-2-1501 Coco"}
    assert in_room(echoes) == []  # the acknowledgement is right above
    reports = chat.store.conversation.reports(ticket.id)
    assert [r.sender_name for r in reports][:2] == ["8-1-302 老许", "8-2-601 小林"]


async def test_another_fault_or_another_building_is_another_ticket(chat):
    await say(chat, "8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    await say(chat, "8-2-601 小林", "我家也没水")
    lift = await say(chat, "8-2-601 小林", "8栋2单元电梯也停了 按了半天没反应")
    other = await say(chat, "9栋 老黄", "9栋也停水了 厕所都冲不了")
    tickets = chat.store.tickets.select()
    assert [(t.intent, t.location) for t in tickets] == [
        ("repair", "8栋"), ("repair", "8栋2单元"), ("repair", "9栋"),
    ]
    assert "（#2）" in texts(in_room(lift)) and "（#3）" in texts(in_room(other))


async def test_a_report_typed_in_three_messages_keeps_its_place(chat):
    asked = await say(chat, "12栋 孟奶奶", "网格员在吗")
    assert asked == [] and chat.store.tickets.select() == []  # nothing to register yet
    await say(chat, "12栋 孟奶奶", "我们12栋楼下")
    told = await say(chat, "12栋 孟奶奶", "井盖又没了 黑洞洞的")
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "repair" and "12栋" in ticket.location
    assert "（#1）" in texts(in_room(told))
    reports = chat.store.conversation.reports(ticket.id)
    assert [r.text for r in reports] == ["网格员在吗", "我们12栋楼下", "井盖又没了 黑洞洞的"]


async def test_a_photo_then_who_handles_this_is_one_report_with_its_photo(chat):
    photo = Media(kind="image", name="heap.jpg", data=b"\xff\xd8 a heap of rubble")
    await say(chat, "6-1-201 老田", "", media=(photo,))
    await say(chat, "6-1-201 老田", "这个谁管啊 6栋门口装修垃圾堆了一大堆 车都过不去")
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "sanitation"
    assert len(chat.store.notes.attachments(ticket.id)) == 1


async def test_a_follow_up_next_morning_joins_answers_and_reminds_the_worker(chat):
    await say(chat, "5-3-402 周阿姨", "5栋3单元楼道灯不亮了 三楼到五楼都是黑的")
    chat.clock.advance(timedelta(hours=22))  # Tuesday 08:00 (at midnight the worker hears at 07:30)
    later = await say(chat, "5-3-402 周阿姨", "有人管吗 楼道灯还是不亮 昨晚摸黑上的楼")
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "repair"  # not changed by the follow-up
    [answer] = in_room(later)
    assert "#1" in answer.text and "待接单" not in answer.text  # a group never reads 待接单
    assert f"网格员{ticket.assignee_name}" in answer.text
    assert mentioned([answer]) == ["5-3-402 周阿姨"]
    [reminder] = privately_to(later, ticket.assignee_name)
    assert "#1" in reminder.text and "还是不亮" in reminder.text
    kinds = [r.kind for r in chat.store.conversation.reports(ticket.id)]
    assert kinds == ["report", "follow_up"]


async def test_a_reporters_different_complaint_is_not_folded_into_their_ticket(chat):
    await say(chat, "5-3-402 周阿姨", "5栋3单元楼道灯不亮了 三楼到五楼都是黑的")
    chat.clock.advance(timedelta(hours=3))
    await say(chat, "5-3-402 周阿姨", "北门那边路灯也不亮了")
    await say(chat, "5-3-402 周阿姨", "还有5栋的垃圾桶满了好几天没人收 臭死了")
    tickets = chat.store.tickets.select()
    assert [t.intent for t in tickets] == ["repair", "repair", "sanitation"]
    assert [t.location[:2] for t in tickets] == ["5栋", "北门", "5栋"]


async def test_the_reporters_word_while_the_worker_is_on_it_goes_on_their_ticket(chat, shared_classifier):
    await say(chat, "8-1903 许先生", "8栋2003卫生间漏水漏到我家天花板了 灯槽里都在滴")
    await chat.say(WORKER, "接单 1", None)
    chat.clock.advance(timedelta(hours=4))  # the worker and the plumber in their flat
    more = "师傅把吊顶拆开了 里面的板子湿了一大片 还往下掉渣"
    read = shared_classifier.classify(more)  # read as a need of its own, naming no place nor thing
    assert read.opens_ticket and read.place is None and not subjects_of(more)
    sent = await say(chat, "8-1903 许先生", more)
    [ticket] = chat.store.tickets.select()
    assert ticket.status == "accepted" and in_room(sent) == []
    assert [r.kind for r in chat.store.conversation.reports(ticket.id)] == ["report", "remark"]
    # a new place is a new incident, taken one or not
    await say(chat, "8-1903 许先生", "8栋电梯也坏了 门关不上")
    assert len(chat.store.tickets.select()) == 2


async def test_a_quarrel_is_one_dispute_ticket_with_both_parties_and_one_post(chat):
    sent = []
    for name, text in [
        ("16-1-101 胡大爷", "谁家的狗天天在俺单元门口拉屎！@17栋 段大姐 你家那条黄狗管管"),
        ("17栋 段大姐", "你哪只眼睛看到是我家狗？巷子里狗多得很"),
        ("16-1-101 胡大爷", "就你家狗不拴绳 晚上还叫到半夜 俺老两口觉都睡不成"),
        ("17栋 段大姐", "你那破车天天横在我家门口 我说过你没有？"),
        ("15栋 老郑", "好了好了 都是老邻居 莫在群里吵"),
        ("16-1-101 胡大爷", "不要脸"),
        ("17栋 段大姐", "你才不要脸！"),
        ("乐乐妈妈", "实在不行报警啊 让派出所来处理"),
        ("16-1-101 胡大爷", "报啊 谁怕谁"),
    ]:
        sent += await say(chat, name, text)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "dispute"
    parties = {r.person_name for r in chat.store.tickets.reporters(ticket.id)}
    assert {"16-1-101 胡大爷", "17栋 段大姐"} <= parties
    assert len(in_room(sent)) == 1  # the acknowledgement, not a post between insults


async def test_notices_ads_lists_forwards_and_lost_pets_open_nothing(chat):
    sent = []
    for name, text in [
        ("滨河物业客服-小刘", "【温馨提示】明天8:00-12:00小区停水检修，请提前储水。"),
        ("丽丽水果店", "砂糖橘到了 5块一斤 要的私聊 东门自提"),
        ("疏通王师傅", "下水道堵了找我 半小时上门 不通不收费 电话13812345678"),
        ("阿芳", "接龙 砂糖橘 5斤一箱\n1. 阿芳 2箱\n2. 3栋 王 1箱\n3. 老孙 1箱"),
        ("快乐每一天", "【转发】冬天水管冻裂了怎么办？https://mp.weixin.qq.com/s/abc"),
        ("9-1-503 王阿姨", "寻狗启事：白色比熊 早上从9栋跑丢了 有看到的联系我"),
        ("快乐每一天", "[红包]恭喜发财"),
        ("4栋 徐阿姨", "收到"),
    ]:
        sent += await say(chat, name, text)
    assert chat.store.tickets.select() == []
    assert sent == []


async def test_a_posts_shape_is_read_line_by_line_whatever_its_spacing(chat):
    """接龙 lists and notices are told by their lines (blank lines, indents, a # before the
    word, amounts of any length); spaces, newlines and digits by the thousand are neither."""
    readings = {}
    for i, (text, reading) in enumerate([
        ("\n\n  1. 阿芳 2斤\n\n2、 3栋 王 1.5斤\n   3) 老孙 一箱\n", "list"),
        ("1. 老周 120000斤\n2. 王 1000000箱\n3. 李 12345678元", "list"),
        ("1. 3栋\n2. 5栋\n3. 7栋", None),
        ("  #  寻狗 白色比熊 早上从9栋跑丢了", "notice"),
        ("\t出租 9栋两室一厅", "notice"),
        ((" \n" * 5000)[:10_000], None),
        (("1. " + "5" * 3000 + "\n") * 3, None),
        ("\n" * 10_000, None),
    ]):
        chat.clock.advance(timedelta(minutes=10))
        await chat.say(f"{i}栋 邻居", text, ROOM, message_id=f"shape-{i}")
        got = chat.store.inbox.get(f"shape-{i}").reading
        readings[i] = (got if got in ("list", "notice") else None, reading)  # None: read as words
    assert all(got == want for got, want in readings.values()), readings
    assert chat.store.tickets.select() == []


async def test_an_official_update_goes_on_the_incident_timeline_quietly(chat):
    await say(chat, "8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    update = await say(chat, "滨河物业-工程部老黄", "8栋给水主管爆了 已关阀抢修 预计下午3点前恢复供水")
    await say(chat, WORKER, "8栋停水的事我在跟物业对接了")
    assert update == []
    [ticket] = chat.store.tickets.select()
    updates = [e for e in chat.store.tickets.events(ticket.id) if e.kind in ("update", "progress")]
    assert [e.actor_name for e in updates] == ["滨河物业-工程部老黄", WORKER]
    assert "下午3点" in updates[0].note
    # the worker's own words name the incident: taken, and on its timeline (issue 10)
    assert ticket.status == "accepted" and "在跟物业对接" in updates[1].note


async def test_a_volunteers_word_of_a_need_is_kept_for_the_worker_not_lost(chat):
    said = await say(chat, "小陈", "7栋2单元2101的何婆婆腿脚不好 家里没水了 要人送两桶水上去")
    assert said == [] and chat.store.tickets.select() == []  # a helper opens no ticket
    [kept] = chat.store.notes.suspects(["bh-1"])
    assert kept.sender_name == "小陈" and "何婆婆" in kept.text


async def test_a_quote_reply_of_a_report_joins_its_incident(chat):
    await say(chat, "3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")
    quoted = "「3栋 张阿姨：3栋门口井盖又翘起来了 晚上走路容易绊倒」\n- - - - - - - - - - - - - - -\n早上送孩子我也差点绊倒"
    await say(chat, "1-1-302 王老师", quoted)
    [ticket] = chat.store.tickets.select()
    [joined] = [r for r in chat.store.conversation.reports(ticket.id) if r.sender_name == "1-1-302 王老师"]
    assert joined.text == "早上送孩子我也差点绊倒"  # the reply, without the quote
    row = chat.store.inbox.get(joined.message_id)
    assert (row.quote_name, row.quote_text) == ("3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")


async def test_joined_residents_are_told_once_and_again_when_it_is_done(chat):
    await say(chat, "8-1-302 老许", "8栋怎么停水了？一滴水都没有")
    quiet = await say(chat, "8-2-601 小林", "我家也没水")
    assert quiet == []
    for i in range(30):  # the group talks of other things; the acknowledgement scrolls away
        await say(chat, f"邻居{i}", "早上好", minutes=5)
    echo = await say(chat, "8-2-901 小敏", "我家也没水 +1")
    assert in_room(echo) == []  # a +1 folds in quietly, however long ago the acknowledgement
    told = await say(chat, "8-1-1102 阿强", "8栋停水了 水龙头一滴水都没有 什么情况")
    [post] = in_room(told)  # one who tells of the need anew hears one short line
    assert mentioned([post]) == ["8-1-1102 阿强"]  # not 小林 nor 小敏, who joined quietly
    assert "#1" in post.text
    again = await say(chat, "8栋 钱阿姨", "+1 一样没水", minutes=2)
    assert in_room(again) == []  # told just now: not again
    done = await chat.say(WORKER, "完成 1 已换好管子 恢复供水", ROOM)
    everyone = {"8-1-302 老许", "8-2-601 小林", "8-2-901 小敏", "8-1-1102 阿强", "8栋 钱阿姨"}
    assert everyone <= set(mentioned(done))


class OnlyAlarmed:
    """A classifier that hears a need only in alarm words ("危险"): what a message says
    of a hazard without them is missed, as unseen wording often is."""

    def classify(self, text: str) -> Classification:
        place = extract_place(text)
        if "危险" in text:
            return Classification("safety", 0.9, False, place, ("危险",), mask(text))
        return Classification("none", 0.8, False, place, (), mask(text))

    def reload(self) -> str | None:
        return None


async def test_a_neighbours_answer_reveals_the_report_it_answers(open_chat):
    chat = await open_chat(classifier=OnlyAlarmed())
    first = await say(chat, "19-2 徐姐", "我们19栋2单元有人天天从窗户吊根线下来给电瓶车充电")
    assert first == [] and chat.store.tickets.select() == []  # missed on its own
    sent = await say(chat, "15栋 老郑", "这个危险哦 电瓶车充电起火的新闻天天有")
    [ticket] = chat.store.tickets.select()
    assert (ticket.intent, ticket.reporter_name, ticket.location) == ("safety", "19-2 徐姐", "19栋2单元")
    assert {"19-2 徐姐", "15栋 老郑"} <= set(mentioned(in_room(sent)))
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)] == ["19-2 徐姐", "15栋 老郑"]


async def test_suspects_are_listed_with_what_was_said_before(open_chat, example_config):
    from dataclasses import replace

    strict = replace(example_config, settings=replace(
        example_config.settings,
        classifier=replace(example_config.settings.classifier, min_confidence=0.999),
    ))
    chat = await open_chat(config=strict)
    await chat.say("李大爷", "昨天风太大了", ROOM)
    chat.clock.advance(timedelta(minutes=1))
    await chat.say("王阿姨", "3栋楼顶那块铁皮晃得厉害", ROOM)
    listing = texts(await chat.say(WORKER, "疑似", room=None))
    assert "王阿姨" in listing and "铁皮" in listing
    assert "前面 李大爷：昨天风太大了" in listing


async def test_tickets_json_lists_every_message_joined(open_chat, tmp_path, capsys):
    from bot.cli import tickets as tickets_cli
    from storage import Store

    path = tmp_path / "g.db"
    chat = await open_chat(store=Store.open(path))
    await say(chat, "12栋 孟奶奶", "网格员在吗")
    await say(chat, "12栋 孟奶奶", "12栋楼下井盖没了")
    await say(chat, "12-1-201 老蔡", "我家楼下也是 井盖没了 电话13812345678")
    chat.store.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert tickets_cli.main(["--config", str(EXAMPLE_CONFIG), "--db", str(path), "--json"]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["sender"], r["text"]) for r in row["reports"]] == [
        ("12栋 孟奶奶", "网格员在吗"),
        ("12栋 孟奶奶", "12栋楼下井盖没了"),
        ("12-1-201 老蔡", mask("我家楼下也是 井盖没了 电话13812345678")),
    ]
    assert all(r["message_id"] and r["time"].startswith("2026-11-23T") for r in row["reports"])
