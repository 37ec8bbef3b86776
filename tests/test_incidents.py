"""One real problem is one ticket, and different problems stay different tickets, when the
conversation around a message says more than its words (issue 9): a reporter's next line
naming whose it is, a neighbour of the building speaking in the thread, "我家…" said of
something else, a title said as a word of the sentence — through the application, as the
group and the worker see it.

The classifier here is scripted (a word -> what it reads), so that each test is about the
conversation, not about what the classifier makes of a sentence."""

from __future__ import annotations

import pytest
from conftest import ROOM_BH1, mentioned, posts_in, speaker, texts

from intents import extract_place, mask
from intents.model import Classification

ROOM = ROOM_BH1  # 滨河花园一网格群: worker 李强, backup 王秀英, staff 陈海燕


class Scripted:
    """Reads a text by the first of its words found in it: (intent, confidence, urgent,
    emergency); anything else is chatter. Places are found as the real classifier does."""

    def __init__(self, words: dict[str, tuple[str, float, bool, str | None]]):
        self.words = words

    def classify(self, text: str) -> Classification:
        place = extract_place(text)
        for word, (intent, confidence, urgent, emergency) in self.words.items():
            if word in text:
                return Classification(intent, confidence, urgent, place, (word,), mask(text), emergency)
        return Classification("none", 0.9, False, place, (), mask(text))

    def reload(self) -> str | None:
        return None


WORDS = {
    "摔倒": ("errand", 0.9, True, "120"),
    "快去喊": ("errand", 0.6, True, None),
    "困住": ("safety", 0.9, True, "119"),
    "停水": ("repair", 0.9, False, None),
    "没水": ("repair", 0.9, False, None),
    "恶心": ("sanitation", 0.7, False, None),
    "垃圾": ("sanitation", 0.9, False, None),
    "管一管": ("inquiry", 0.4, False, None),
}


in_room = posts_in(ROOM)
say = speaker(ROOM)


def reporters(chat, ticket_id):
    return {r.person_name for r in chat.store.tickets.reporters(ticket_id)}


async def test_a_reporters_next_urgent_line_saying_whose_it_is_joins_the_emergency(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    first = await say(chat, "16-1-101 老魏", "快来人 5栋车棚里有个老太太摔倒了")
    [ticket] = chat.store.tickets.select()
    assert ticket.urgent and "#1" in texts(in_room(first))
    more = await say(chat, "16-1-101 老魏", "好像是11栋王家的 有认识的吗 快去喊她家里人下来")
    assert [t.id for t in chat.store.tickets.select()] == [ticket.id]
    assert in_room(more) == []  # the room was told once whom to call
    kinds = [r.kind for r in chat.store.conversation.reports(ticket.id)]
    assert kinds == ["report", "detail"]


async def test_a_reporters_next_urgent_line_of_another_thing_is_another_emergency(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "16-1-101 老魏", "快来人 5栋车棚里有个老太太摔倒了")
    other = await say(chat, "16-1-101 老魏", "11栋电梯里还有人被困住了 快")
    tickets = chat.store.tickets.select()
    assert [(t.intent, t.urgent) for t in tickets] == [("errand", True), ("safety", True)]
    assert "#2" in texts(in_room(other))


async def test_a_neighbour_of_the_building_in_the_thread_is_heard_as_part_of_it(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    await say(chat, "8-2-601 小林", "我家也没水")
    said = await say(chat, "8-2-1105 Kevin", "？？？牙刷到一半 满嘴泡沫 恶心")
    [ticket] = chat.store.tickets.select()
    assert said == []
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)][-1] == "8-2-1105 Kevin"


async def test_the_same_words_from_another_building_are_their_own(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    elsewhere = await say(chat, "9-1-1105 Kevin", "？？？楼下满地泡沫 恶心")
    assert [t.intent for t in chat.store.tickets.select()] == ["repair", "sanitation"]
    assert "#2" in texts(in_room(elsewhere))


async def test_another_thing_said_in_the_thread_by_the_building_is_its_own(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    garbage = await say(chat, "8-2-601 小林", "楼下垃圾桶满出来了 恶心")
    assert [t.intent for t in chat.store.tickets.select()] == ["repair", "sanitation"]
    assert "#2" in texts(in_room(garbage))


async def test_my_family_said_of_something_else_is_not_an_echo(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    await say(chat, "8-2-601 小林", "我家孩子今天期末考试 紧张死了")
    await say(chat, "8-2-901 老王", "@8-2-601 小林 你家电视声音小点 我家老人要午睡")
    [ticket] = chat.store.tickets.select()
    assert reporters(chat, ticket.id) == {"8-1-302 老许"}
    echo = await say(chat, "8-1-1501 阿杰", "+1 我家也是")
    assert reporters(chat, ticket.id) == {"8-1-302 老许", "8-1-1501 阿杰"}
    assert in_room(echo) == []


async def test_a_title_in_the_sentence_is_not_a_call_to_the_officials(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    unsure = await say(chat, "18栋 李师傅", "明天社区上班了 这个事得管一管")
    assert unsure == [] and chat.store.tickets.select() == []
    assert [s.sender_name for s in chat.store.notes.suspects(["bh-1"])] == ["18栋 李师傅"]
    called = await say(chat, "18栋 李师傅", "社区的同志 这个事得管一管", minutes=30)
    [ticket] = chat.store.tickets.select()
    assert "#1" in texts(in_room(called)) and mentioned(in_room(called))[0] == "18栋 李师傅"
    assert ticket.intent == "inquiry"


async def test_a_question_to_the_neighbours_is_not_a_follow_up_of_ones_report(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "2-2-1601 琪琪妈", "2栋楼下垃圾三天没人收了")
    asked = await say(chat, "2-2-1601 琪琪妈", "有人知道幼儿园今天几点放学吗", minutes=120)
    assert asked == []
    [ticket] = chat.store.tickets.select()
    assert [r.kind for r in chat.store.conversation.reports(ticket.id)] == ["report"]
    after = await say(chat, "2-2-1601 琪琪妈", "有人管吗 到底什么时候来收", minutes=60)
    assert "#1" in texts(in_room(after))


async def test_a_reporters_word_that_it_goes_on_joins_their_fault_not_their_wish(open_chat):
    words = {"飞线": ("safety", 0.9, False, None), "建议": ("wish", 0.9, False, None)}
    chat = await open_chat(classifier=Scripted(words))
    await say(chat, "19-2 徐姐", "19栋2单元有人飞线充电 线吊在单元门口")
    await say(chat, "19-2 徐姐", "我有个建议 21栋旁边空地建几个充电桩", minutes=60)
    fault, wish = chat.store.tickets.select()
    assert (fault.intent, wish.intent) == ("safety", "wish")
    asked = await say(chat, "19-2 徐姐", "天一黑又飞线充电了 还是从三楼吊下来 有人管吗", minutes=120)
    assert "#1" in texts(in_room(asked))
    assert [r.kind for r in chat.store.conversation.reports(fault.id)] == ["report", "follow_up"]
    assert [r.kind for r in chat.store.conversation.reports(wish.id)] == ["report"]


@pytest.mark.parametrize("remark", ["1单元电梯正常的 2单元的可以绕过来坐", "我们1单元电梯还行 就是慢"])
async def test_word_that_it_works_elsewhere_is_a_remark_on_the_incident(open_chat, remark):
    chat = await open_chat(classifier=Scripted({"电梯": ("repair", 0.6, False, None)}))
    await say(chat, "7-2-1702 楠楠", "7栋2单元电梯停在12楼不动了")
    said = await say(chat, "7-1-902 小宋", remark)
    [ticket] = chat.store.tickets.select()
    assert said == [] and reporters(chat, ticket.id) == {"7-2-1702 楠楠"}
    assert [r.kind for r in chat.store.conversation.reports(ticket.id)] == ["report", "comment"]


async def test_word_that_it_broke_elsewhere_too_is_another_ticket(open_chat):
    chat = await open_chat(classifier=Scripted({"电梯": ("repair", 0.6, False, None)}))
    await say(chat, "7-2-1702 楠楠", "7栋2单元电梯停在12楼不动了")
    other = await say(chat, "7-1-902 小宋", "1单元电梯门也关不上 一直开着")
    assert [t.location_key for t in chat.store.tickets.select()] == ["7栋2单元", "7栋1单元"]
    assert "#2" in texts(in_room(other))


STORY = {"飞线": ("safety", 0.9, False, None), "熏黑": ("repair", 0.7, False, None)}


async def test_a_story_of_another_place_told_in_the_thread_is_a_comment(open_chat):
    chat = await open_chat(classifier=Scripted(STORY))
    await say(chat, "19-2 徐姐", "19栋2单元有人天天从窗户飞线给电瓶车充电")
    said = await say(chat, "15栋 老郑", "这个危险哦 前年东边宿舍就是电瓶车充电烧起来 一栋楼都熏黑了")
    [ticket] = chat.store.tickets.select()
    assert said == [] and reporters(chat, ticket.id) == {"19-2 徐姐"}
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)][-1] == "15栋 老郑"


async def test_the_same_thing_now_at_another_building_is_another_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(STORY))
    await say(chat, "19-2 徐姐", "19栋2单元有人天天从窗户飞线给电瓶车充电")
    other = await say(chat, "15栋 老郑", "上次就说过 今天15栋楼道里也有人飞线充电")
    assert [t.location_key[:3] for t in chat.store.tickets.select()] == ["19栋", "15栋"]
    assert "#2" in texts(in_room(other))


async def test_a_plus_one_follows_what_was_just_said_not_an_older_incident(open_chat):
    words = {"降压药": ("errand", 0.9, False, None), "电梯": ("repair", 0.9, False, None)}
    chat = await open_chat(classifier=Scripted(words))
    await say(chat, "3栋 刘奶奶", "我腿疼下不去楼 谁能帮我捎一盒降压药")
    await say(chat, "11-2-901 陈姐", "11栋2单元电梯又停了 我妈住九楼 明天还得去医院复查", minutes=90)
    await say(chat, "11-2-1101 小杜", "+1 刚扛着婴儿车爬了十一楼")
    errand, lift = chat.store.tickets.select()
    assert reporters(chat, lift.id) == {"11-2-901 陈姐", "11-2-1101 小杜"}
    assert reporters(chat, errand.id) == {"3栋 刘奶奶"}


SEP = "\n- - - - - - - - - - - - - - -\n"
REPLIES = {
    "电梯": ("repair", 0.9, False, None),
    "停水": ("repair", 0.9, False, None),
    "没水": ("repair", 0.9, False, None),
    "井盖": ("repair", 0.9, False, None),
    "能不能": ("wish", 0.8, False, None),
    "吗": ("inquiry", 0.8, False, None),
}


def quoting(name, quoted, reply):
    return f"「{name}：{quoted}」{SEP}{reply}"


async def test_a_quote_reply_to_the_workers_word_on_an_incident_joins_it(open_chat):
    chat = await open_chat(classifier=Scripted(REPLIES))
    await say(chat, "8-1-302 老许", "8栋2单元电梯坏了 停在5楼不动")
    worker = "8栋2单元电梯我跟维保说了 明天上午来修"
    await say(chat, "李强", worker)
    said = await say(chat, "8-2-601 小林", quoting("李强", worker, "明天上午几点能修好吗 我妈要去医院"))
    [ticket] = chat.store.tickets.select()
    assert in_room(said) == []
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)] == ["8-1-302 老许", "8-2-601 小林"]


async def test_a_question_quoting_a_notice_is_for_who_posted_it_not_a_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(REPLIES))
    notice = "【温馨提示】明天8:00-12:00小区停水检修，请提前储水。"
    await say(chat, "滨河物业客服-小刘", notice)
    asked = await say(chat, "8-2-601 小林", quoting("滨河物业客服-小刘", notice, "12点以后肯定能来水吗 家里老人要做饭"))
    wished = await say(chat, "9栋 阿强", quoting("滨河物业客服-小刘", notice, "能不能换到下午 上午要做饭"))
    assert asked == [] and wished == [] and chat.store.tickets.select() == []
    fault = await say(chat, "8-1-302 老许", quoting("滨河物业客服-小刘", notice, "8栋现在就没水了 一滴都没有"))
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "repair" and "#1" in texts(in_room(fault))


async def test_an_at_to_the_official_who_just_gave_news_of_an_incident_joins_it(open_chat):
    chat = await open_chat(classifier=Scripted(REPLIES))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    await say(chat, "滨河物业-工程部老黄", "8栋给水主管爆了 已关阀抢修 预计下午3点前恢复")
    said = await say(chat, "8-2-1502 大卫", "@滨河物业-工程部老黄 黄师傅 能不能先接根临时管子 老人家没水喝")
    [ticket] = chat.store.tickets.select()
    assert in_room(said) == []
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)][-1] == "8-2-1502 大卫"


async def test_an_at_to_the_official_of_another_place_or_thing_is_its_own_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(REPLIES))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    await say(chat, "滨河物业-工程部老黄", "8栋给水主管爆了 已关阀抢修 预计下午3点前恢复")
    other = await say(chat, "9-1-201 老周", "@滨河物业-工程部老黄 黄师傅 9栋楼下井盖也松了 踩上去咣当响")
    assert [t.location_key[:2] for t in chat.store.tickets.select()] == ["8栋", "9栋"]
    assert "#2" in texts(in_room(other))


ASKED = {
    "高龄补贴": ("inquiry", 0.9, False, None),
    "社区办": ("inquiry", 0.8, False, None),
    "户口": ("inquiry", 0.8, False, None),
}


async def test_talk_after_a_question_the_faq_answered_opens_nothing(open_chat):
    chat = await open_chat(classifier=Scripted(ASKED))
    answered = await say(chat, "13栋 张奶奶", "问一下 高龄补贴在哪里办 要带什么东西")
    assert "高龄" in texts(in_room(answered)) and chat.store.tickets.select() == []
    remark = await say(chat, "13栋 张奶奶", "手机上我们搞不来 还是去社区办踏实", minutes=2)
    answer = await say(chat, "夕阳红", "好像还要带户口本 我家老头去年办过")
    assert remark == [] and answer == [] and chat.store.tickets.select() == []
    kept = sorted(s.text for s in chat.store.notes.suspects(["bh-1"]))
    assert kept == sorted(["手机上我们搞不来 还是去社区办踏实", "好像还要带户口本 我家老头去年办过"])


async def test_a_further_question_after_the_faq_answer_is_still_asked_of_the_worker(open_chat):
    chat = await open_chat(classifier=Scripted(ASKED))
    await say(chat, "13栋 张奶奶", "问一下 高龄补贴在哪里办 要带什么东西")
    asked = await say(chat, "13栋 张奶奶", "我家老头户口在外地 能不能在这边办？", minutes=2)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "inquiry" and "#1" in texts(in_room(asked))


async def test_one_building_written_three_ways_is_one_place_and_the_next_is_another(chat):
    """The real classifier: places are what this is about."""
    await say(chat, "12-1-201 老蔡", "十二栋楼下井盖没了 黑洞洞的")
    same = await say(chat, "12栋 孟奶奶", "12号楼门口那个井盖 我也差点踩空")
    assert in_room(same) == []
    other = await say(chat, "13-1-101 老吴", "13号楼楼下井盖也没了 晚上吓人")
    lights = await say(chat, "12-1-301 阿华", "十二栋二单元楼道灯不亮了")
    manhole, elsewhere, lamp = chat.store.tickets.select()
    assert reporters(chat, manhole.id) == {"12-1-201 老蔡", "12栋 孟奶奶"}
    assert [t.location_key[:3] for t in (elsewhere, lamp)] == ["13栋", "12栋"]
    assert "#2" in texts(in_room(other)) and "#3" in texts(in_room(lights))


async def test_an_unsure_remark_on_the_wish_being_discussed_joins_the_wish(open_chat):
    words = {
        "飞线": ("safety", 0.9, False, None), "建议": ("wish", 0.9, False, None),
        "支持": ("dispute", 0.45, False, None),
    }
    chat = await open_chat(classifier=Scripted(words))
    await say(chat, "19-2 徐姐", "19栋2单元有人飞线充电 线吊在单元门口")
    await say(chat, "19-2 徐姐", "我有个建议 21栋旁边空地建几个充电桩", minutes=120)
    said = await say(chat, "Tony", "支持 租户电动车多 真有充电桩肯定去用")
    fault, wish = chat.store.tickets.select()
    assert said == [] and [r.sender_name for r in chat.store.conversation.reports(wish.id)][-1] == "Tony"
    hazard = await say(chat, "16栋 刘婶", "15栋楼道里有人飞线充电 插排就放地上")
    assert [t.location_key[:3] for t in chat.store.tickets.select()] == ["19栋", "21栋", "15栋"]
    assert "#3" in texts(in_room(hazard))


async def test_a_plus_one_after_the_workers_quote_reply_joins_the_incident_it_answered(open_chat):
    words = {
        "垃圾桶": ("sanitation", 0.9, False, None), "袋子破了": ("repair", 0.8, False, None),
        "井盖": ("repair", 0.9, False, None),
    }
    chat = await open_chat(classifier=Scripted(words))
    report = "西门菜市场旁边垃圾桶满了 溢出来一地"
    await say(chat, "14-2-302 一只橘", report)
    await say(chat, "李强", quoting("14-2-302 一只橘", report, "收到"), minutes=50)
    echo = await say(chat, "15-1-403 Jenny", "+1 早上路过捂着鼻子走的 袋子破了流了一片", minutes=3)
    [ticket] = chat.store.tickets.select()
    assert reporters(chat, ticket.id) == {"14-2-302 一只橘", "15-1-403 Jenny"}
    assert "工单 #2" not in texts(echo)
    other = await say(chat, "9-1-201 老周", "+1 9栋楼下井盖也松了 踩上去咣当响")
    assert len(chat.store.tickets.select()) == 2 and "#2" in texts(in_room(other))


async def test_a_story_from_the_news_told_in_the_thread_is_a_comment_not_its_place(open_chat):
    chat = await open_chat(classifier=Scripted(STORY))
    await say(chat, "19-2 徐姐", "19栋2单元有人天天从窗户飞线给电瓶车充电")
    said = await say(chat, "15栋 老郑", "莫小看 新闻里讲外地一个小区3栋就是飞线充电烧起来的")
    [ticket] = chat.store.tickets.select()
    assert said == [] and reporters(chat, ticket.id) == {"19-2 徐姐"}
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)][-1] == "15栋 老郑"


async def test_the_news_and_the_same_thing_now_at_another_building_is_another_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(STORY))
    await say(chat, "19-2 徐姐", "19栋2单元有人天天从窗户飞线给电瓶车充电")
    other = await say(chat, "15栋 老郑", "新闻里天天讲 现在15栋楼道里也有人飞线充电")
    assert [t.location_key[:3] for t in chat.store.tickets.select()] == ["19栋", "15栋"]
    assert "#2" in texts(in_room(other))


LEAK = {"煤气味": ("safety", 0.95, True, "119"), "下楼慢": ("errand", 0.7, True, None)}


async def test_a_neighbour_of_the_unit_asking_help_in_its_emergency_is_part_of_it(open_chat):
    chat = await open_chat(classifier=Scripted(LEAK))
    await say(chat, "5-1-402 小何", "5栋1单元楼道里一股煤气味 好重 头都晕了")
    said = await say(chat, "5-1-201 老葛", "我屋里老伴腿脚不好 下楼慢 哪个帮下忙", minutes=3)
    [ticket] = chat.store.tickets.select()
    assert "#2" not in texts(in_room(said))
    assert "5-1-201 老葛" in {r.sender_name for r in chat.store.conversation.reports(ticket.id)}


@pytest.mark.parametrize("name", ["5-2-201 老葛", "6-1-301 老丁"])  # another unit, building
async def test_help_asked_from_another_building_or_unit_in_an_emergency_is_its_own(open_chat, name):
    chat = await open_chat(classifier=Scripted(LEAK))
    await say(chat, "5-1-402 小何", "5栋1单元楼道里一股煤气味 好重 头都晕了")
    other = await say(chat, name, "我屋里老伴腿脚不好 下楼慢 哪个帮下忙", minutes=3)
    assert [t.intent for t in chat.store.tickets.select()] == ["safety", "errand"]
    assert "#2" in texts(in_room(other))


SPOT = {"车位": ("repair", 0.8, False, None), "算老几": ("dispute", 0.9, False, None)}


async def test_the_neighbour_answering_the_reporter_back_is_the_same_incident(open_chat):
    chat = await open_chat(classifier=Scripted(SPOT))
    await say(chat, "12-1-502 老贺", "哪个的黑色轿车又停在我B-08车位上 第二回了")
    await say(chat, "12-1-502 老贺", "电话也不接 我要出门上班")
    back = await say(chat, "9栋 阿强", "停一下子又怎么了 你算老几 这么凶")
    [ticket] = chat.store.tickets.select()
    assert "#2" not in texts(in_room(back))
    assert "9栋 阿强" in {r.sender_name for r in chat.store.conversation.reports(ticket.id)}


@pytest.mark.parametrize("line", [
    "你算老几 南门那个摊子天天堵路你怎么不讲",  # another place of their own
    "@3栋老王 你算老几 你家的狗天天在楼道里拉屎",  # another thing
])
async def test_a_quarrel_of_another_place_or_thing_in_the_thread_is_its_own(open_chat, line):
    chat = await open_chat(classifier=Scripted(SPOT))
    await say(chat, "12-1-502 老贺", "哪个的黑色轿车又停在我B-08车位上 第二回了")
    other = await say(chat, "9栋 阿强", line)
    assert [t.intent for t in chat.store.tickets.select()] == ["repair", "dispute"]
    assert "#2" in texts(in_room(other))


GARAGE = {"停水": ("repair", 0.9, False, None), "爆了": ("repair", 0.9, True, None)}


async def test_the_garage_by_the_incidents_building_is_the_same_incident(open_chat):
    chat = await open_chat(classifier=Scripted(GARAGE))
    await say(chat, "9-1-302 老蒋", "9栋怎么停水了 刚要洗菜")
    said = await say(chat, "9-2-1101 小温", "下地库看了一眼 9栋电梯厅边上一地的水 怕是水管爆了", minutes=10)
    [ticket] = chat.store.tickets.select()
    assert ticket.urgent and "9-2-1101 小温" in reporters(chat, ticket.id) | {
        r.sender_name for r in chat.store.conversation.reports(ticket.id)
    }
    assert "#2" not in texts(in_room(said))


async def test_the_garage_by_another_building_is_another_incident(open_chat):
    chat = await open_chat(classifier=Scripted(GARAGE))
    await say(chat, "9-1-302 老蒋", "9栋怎么停水了 刚要洗菜")
    other = await say(chat, "9-2-1101 小温", "下地库看了一眼 15栋电梯厅边上一地的水 怕是水管爆了", minutes=10)
    assert len(chat.store.tickets.select()) == 2
    assert "#2" in texts(in_room(other))


# --- a Saturday of a high-rise estate (d8): who a line is said to, and what it adds -------------

SHOP = {"帮我": ("errand", 0.9, False, None)}


async def test_help_asked_of_the_group_buying_leader_after_her_list_is_an_order(open_chat):
    chat = await open_chat(classifier=Scripted(SHOP))
    await say(chat, "阿梅 4栋", "【周日水果接龙】砂糖橘15元一箱 下午3点4栋门口自提\n1. 阿梅 4栋 2箱")
    await say(chat, "6栋 刘奶奶", "砂糖橘还有吗")
    await say(chat, "阿梅 4栋", "有的 直接写上就行")
    order = await say(chat, "6栋 刘奶奶", "我不会弄那个 你帮我写一箱 6栋302")
    assert order == [] and chat.store.tickets.select() == []
    need = await say(chat, "6栋 刘奶奶", "我腿疼下不去楼 谁能帮我去药店拿盒药", minutes=60)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "errand" and "#1" in texts(in_room(need))


async def test_help_asked_after_a_neighbour_signed_up_to_a_list_is_an_errand(open_chat):
    chat = await open_chat(classifier=Scripted(SHOP))
    await say(chat, "周阿姨", "接龙 粘豆包 十个一袋 25元\n1. 周阿姨 2袋")
    await say(chat, "张姨 4-1-402", "接龙 粘豆包 十个一袋 25元\n1. 周阿姨 2袋\n2. 张姨 4-1-402 2袋")
    need = await say(chat, "7栋 老孟", "我腿疼下不去楼 谁能帮我去药店拿盒药")
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "errand" and "#1" in texts(in_room(need))


HAZARD = {
    "充电": ("safety", 0.9, False, None), "着火": ("safety", 0.8, False, None),
    "晕倒": ("errand", 0.9, True, "120"), "一个人在家": ("errand", 0.9, False, None),
}


async def test_what_might_happen_said_while_a_hazard_is_discussed_is_a_remark_on_it(open_chat):
    chat = await open_chat(classifier=Scripted(HAZARD))
    await say(chat, "9-3-1504 老谢", "9栋3单元15楼有人在楼道里给电动车充电 线从门缝拉出来")
    said = await say(chat, "3-1-808 阿娟", "要是着火了怎么办 15楼往上的人跑都跑不下来")
    [ticket] = chat.store.tickets.select()
    assert said == [] and reporters(chat, ticket.id) == {"9-3-1504 老谢"}
    assert [r.kind for r in chat.store.conversation.reports(ticket.id)] == ["report", "comment"]


async def test_a_hazard_reported_with_what_might_happen_is_a_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(HAZARD))
    said = await say(chat, "3-1-808 阿娟", "3栋楼道堆满了纸箱 要是着火了怎么办")
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "safety" and "#1" in texts(in_room(said))


async def test_advice_on_an_errand_does_not_make_it_an_emergency_but_news_of_danger_does(open_chat):
    chat = await open_chat(classifier=Scripted(HAZARD))
    await say(chat, "陈静(3栋1102家属)", "我爸一个人在家 腿不好 哪位邻居帮忙敲个门看看")
    advice = await say(chat, "2-2-1501 小欧", "要是家里有老人 晚上冲凉要注意 别在浴室里晕倒了", minutes=10)
    [ticket] = chat.store.tickets.select()
    assert advice == [] and not ticket.urgent
    news = await say(chat, "3-1-1002 向日葵", "刚才敲门 阿伯在浴室里晕倒了 快叫120", minutes=10)
    assert any(t.urgent for t in chat.store.tickets.select()) and "120" in texts(in_room(news))


UPSTAIRS = {
    "漏水": ("repair", 0.9, False, None), "没有漏": ("dispute", 0.6, False, None),
    "停电": ("repair", 0.9, False, None),
}


async def test_the_household_a_report_names_answering_it_joins_that_incident(open_chat):
    chat = await open_chat(classifier=Scripted(UPSTAIRS))
    await say(chat, "许先生 8-1903", "8栋2003的在吗 你家卫生间漏水漏到我家天花板了")
    said = await say(chat, "阿杰 8-2003", "我是2003的租客 我们家卫生间好好的 地上是干的 没有漏啊", minutes=40)
    [ticket] = chat.store.tickets.select()
    assert in_room(said) == []
    assert [r.sender_name for r in chat.store.conversation.reports(ticket.id)][-1] == "阿杰 8-2003"
    assert reporters(chat, ticket.id) == {"许先生 8-1903"}  # a party to it, not told "您反映的问题"


async def test_the_household_a_report_names_telling_of_another_thing_is_its_own(open_chat):
    chat = await open_chat(classifier=Scripted(UPSTAIRS))
    await say(chat, "许先生 8-1903", "8栋2003的在吗 你家卫生间漏水漏到我家天花板了")
    other = await say(chat, "阿杰 8-2003", "8栋20楼突然停电了 整层都黑了", minutes=40)
    assert [t.intent for t in chat.store.tickets.select()] == ["repair", "repair"]
    assert "#2" in texts(in_room(other))


MEDICINE = {
    "降压药": ("errand", 0.9, False, None), "回不来": ("errand", 0.9, False, None),
    "井盖": ("repair", 0.9, False, None),
}


async def test_a_relative_named_for_the_reporter_speaks_for_the_same_household(open_chat):
    chat = await open_chat(classifier=Scripted(MEDICINE))
    await say(chat, "18栋 王娭毑", "我是18栋的王阿姐 降压药吃完了 脚痛下不得楼 谁能帮我去卫生站拿一下")
    await say(chat, "3栋 刘奶奶", "3栋502老人一个人在家 儿子在外地回不来 哪位邻居帮忙送个饭", minutes=2)
    said = await say(chat, "王娭毑孙子 小王", "我奶奶一个人住 我在长沙回不来 麻烦大家了", minutes=3)
    hers, other = chat.store.tickets.select()
    assert in_room(said) == [] and "王娭毑孙子 小王" in reporters(chat, hers.id)
    assert reporters(chat, other.id) == {"3栋 刘奶奶"}


async def test_a_relative_of_the_reporter_telling_of_another_thing_is_its_own(open_chat):
    chat = await open_chat(classifier=Scripted(MEDICINE))
    await say(chat, "18栋 王娭毑", "我降压药吃完了 脚痛下不得楼 谁能帮我去卫生站拿一下")
    other = await say(chat, "王娭毑孙子 小王", "18栋楼下井盖也没了 晚上黑 怕踩空", minutes=20)
    assert [t.intent for t in chat.store.tickets.select()] == ["errand", "repair"]
    assert "#2" in texts(in_room(other))


ANSWERED = {
    "医保": ("inquiry", 0.9, False, None), "游泳池": ("inquiry", 0.9, False, None),
}


async def test_a_question_on_what_an_official_just_answered_is_kept_for_them(open_chat):
    chat = await open_chat(classifier=Scripted(ANSWERED))
    question = "请问一下 我医保是老家交的 在这边看病能不能报"
    await say(chat, "4栋 湘妹子外婆", question)
    answer = "阿姨您好 可以报的 要先做异地就医备案 手机上国家医保服务平台搜异地备案就行"
    await say(chat, "陈海燕", quoting("4栋 湘妹子外婆", question, answer), minutes=10)
    [ticket] = chat.store.tickets.select()
    assert ticket.status.is_done
    asked = await say(chat, "6栋 乐乐阿嬷", "医保这个我也要弄吗 我是潮州的 算不算异地", minutes=5)
    assert asked == [] and len(chat.store.tickets.select()) == 1
    assert [s.sender_name for s in chat.store.notes.suspects(["bh-1"])] == ["6栋 乐乐阿嬷"]
    other = await say(chat, "10栋 小雨爸爸", "请问一下 小区游泳池冬天开不开", minutes=2)
    assert len(chat.store.tickets.select()) == 2 and "#2" in texts(in_room(other))


async def test_a_neighbours_remark_after_the_faq_answer_is_kept_not_a_ticket(open_chat):
    chat = await open_chat(classifier=Scripted({**ASKED, "租客": ("dispute", 0.7, False, None)}))
    await say(chat, "13栋 张奶奶", "问一下 高龄补贴在哪里办 要带什么东西")
    remark = await say(chat, "12栋 阿宏", "租房的话要房东配合 我的租客每年都找我要合同 我都给的")
    assert remark == [] and chat.store.tickets.select() == []
    assert [s.sender_name for s in chat.store.notes.suspects(["bh-1"])] == ["12栋 阿宏"]
    placed = await say(chat, "12栋 阿宏", "12栋3楼租客跟房东吵起来了 在楼道里推推搡搡", minutes=2)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "dispute" and "#1" in texts(in_room(placed))


WISH = {"能不能": ("wish", 0.85, False, None)}


async def test_more_for_the_wish_being_discussed_in_its_words_joins_the_wish(open_chat):
    chat = await open_chat(classifier=Scripted(WISH))
    await say(chat, "9-1-702 Yoyo妈", "小区能不能在架空层弄个儿童游乐区 放个滑滑梯")
    said = await say(chat, "2-2-1501 小欧", "架空层放滑梯的话 能不能也放两台乒乓球桌", minutes=5)
    [wish] = chat.store.tickets.select()
    assert said == [] and [r.sender_name for r in chat.store.conversation.reports(wish.id)][-1] == "2-2-1501 小欧"
    other = await say(chat, "3-1-808 阿娟", "能不能也在小区装个快递柜 每次取快递都要跑老远", minutes=5)
    assert len(chat.store.tickets.select()) == 2 and "#2" in texts(in_room(other))


DOOR = {"门禁": ("repair", 0.9, False, None), "退烧药": ("errand", 0.9, False, None)}


async def test_a_request_of_another_kind_is_no_follow_up_of_an_incident_one_echoed(open_chat):
    chat = await open_chat(classifier=Scripted(DOOR))
    await say(chat, "1栋 老纪", "1栋大堂门禁坏了 刷卡没反应")
    await say(chat, "乐乐阿嬷", "我们也是 门禁也刷不开", minutes=2)
    asked = await say(chat, "乐乐阿嬷", "谁家有小孩退烧药 乐乐发烧了 他爸妈还没回来", minutes=180)
    door, fever = chat.store.tickets.select()
    assert (door.intent, fever.intent) == ("repair", "errand") and "#2" in texts(in_room(asked))
    again = await say(chat, "乐乐阿嬷", "门禁还没修好吗 有人管吗", minutes=60)
    assert "#1" in texts(in_room(again)) and len(chat.store.tickets.select()) == 2


async def test_advice_to_everyone_on_what_might_happen_opens_nothing(open_chat):
    chat = await open_chat(classifier=Scripted(HAZARD))
    said = await say(chat, "2-2-1501 小欧", "要是家里有老人 晚上冲凉要注意 别在浴室里晕倒了")
    assert said == [] and chat.store.tickets.select() == []
    news = await say(chat, "3-1-1002 向日葵", "3栋502的老人在浴室里晕倒了 快来人", minutes=10)
    [ticket] = chat.store.tickets.select()
    assert ticket.urgent and "120" in texts(in_room(news))


ESTATES = {"没人接": ("dispute", 0.8, False, None), "路灯": ("repair", 0.9, False, None)}


async def test_what_is_told_of_another_grids_estate_is_kept_not_a_ticket(open_chat):
    chat = await open_chat(classifier=Scripted(ESTATES))
    said = await say(chat, "2-2-1501 小欧", "我外甥女在滨河新村 她说他们物业周末打电话根本没人接")
    assert said == [] and chat.store.tickets.select() == []
    assert [s.sender_name for s in chat.store.notes.suspects(["bh-1"])] == ["2-2-1501 小欧"]
    ours = await say(chat, "3-1-808 阿娟", "滨河花园3栋门口的路灯坏了 晚上黑乎乎的", minutes=10)
    [ticket] = chat.store.tickets.select()
    assert ticket.intent == "repair" and "#1" in texts(in_room(ours))


RATS = {"老鼠": ("sanitation", 0.9, False, None)}


async def test_a_story_of_ones_own_dealt_with_later_told_in_the_thread_is_a_comment(open_chat):
    chat = await open_chat(classifier=Scripted(RATS))
    await say(chat, "7-2 蓝姐", "7栋垃圾房堆满了 一只老鼠从袋子堆里窜出来")
    said = await say(chat, "12栋 阿宏", "老鼠是真多 我12栋那个出租屋半夜厨房有动静 后来放了个粘鼠板抓到两只", minutes=3)
    [ticket] = chat.store.tickets.select()
    assert said == [] and reporters(chat, ticket.id) == {"7-2 蓝姐"}
    now = await say(chat, "15栋 老郑", "15栋地下室今天也有老鼠 到处都是屎", minutes=5)
    assert [t.location_key[:3] for t in chat.store.tickets.select()] == ["7栋垃", "15栋"]
    assert "#2" in texts(in_room(now))


LIFTS = {"电梯": ("repair", 0.9, False, None), "停水": ("repair", 0.9, False, None)}


async def test_a_story_of_then_in_the_thread_is_no_one_more_household(open_chat):
    chat = await open_chat(classifier=Scripted(LIFTS))
    await say(chat, "8-1-302 老许", "8栋怎么停水了 一滴都没有")
    await say(chat, "8-2-601 小林", "我们家上回也是这样停水 修了一整天")
    await say(chat, "8-2-901 老王", "+1 我家也停水了 刚起床")
    [ticket] = chat.store.tickets.select()
    assert reporters(chat, ticket.id) == {"8-1-302 老许", "8-2-901 老王"}


async def test_an_answer_to_a_what_if_is_a_comment_the_same_words_after_news_are_an_echo(open_chat):
    chat = await open_chat(classifier=Scripted(LIFTS))
    await say(chat, "5-2-1203 阿嬷", "5栋2单元电梯门关不上 一直开开关关")
    await say(chat, "3-1-808 阿娟", "要是电梯掉下去怎么办 我每次坐都怕", minutes=10)
    answer = await say(chat, "大海 6栋", "电梯有安全钳的 不会直接掉下去 困在里面按警铃就行")
    [ticket] = chat.store.tickets.select()
    assert answer == [] and reporters(chat, ticket.id) == {"5-2-1203 阿嬷"}
    await say(chat, "5-2-1806 小蔡妈妈", "5栋2单元电梯左边那部也卡了一次", minutes=30)
    echo = await say(chat, "5-2-601 林生", "电梯又卡住了 按警铃半天才有人应")
    assert "5-2-601 林生" in reporters(chat, ticket.id) and len(chat.store.tickets.select()) == 1
    assert all(m.room_topic != ROOM or "#1" in m.text for m in echo)


async def test_a_word_said_to_a_neighbour_of_them_is_no_me_too(open_chat):
    chat = await open_chat(classifier=Scripted(HAZARD))
    await say(chat, "陈静(3栋1102家属)", "我爸一个人在家 腿不好 哪位邻居帮忙敲个门看看")
    await say(chat, "秀兰奶奶 4-1-601", "老人家独居最怕摔 有事要喊邻居", minutes=5)
    await say(chat, "阿娟 3-1-808", "秀兰奶奶您也是独居 要注意啊", minutes=1)
    [ticket] = chat.store.tickets.select()
    assert "阿娟 3-1-808" not in reporters(chat, ticket.id)
    await say(chat, "3-2-502 老周", "我家老头也是独居 腿也不好", minutes=5)
    assert "3-2-502 老周" in reporters(chat, ticket.id)


async def test_a_word_on_next_time_is_no_asking_after_but_asking_now_is(open_chat):
    chat = await open_chat(classifier=Scripted(WORDS))
    await say(chat, "Kevin 7栋", "7栋后面垃圾房满到门口了 臭得要命")
    remark = await say(chat, "Kevin 7栋", "可以 以后车坏了提前在群里讲一声 不然大家以为没人管", minutes=240)
    assert remark == []
    asked = await say(chat, "Kevin 7栋", "有人管吗 垃圾房到现在还没清", minutes=60)
    assert "#1" in texts(in_room(asked))



async def test_a_quote_reply_that_names_no_place_is_at_the_quoted_place(open_chat):
    """A reply naming no place is about where the quoted message was (issue 13, places):
    its ticket is there, and the group hears where."""
    chat = await open_chat(classifier=Scripted(REPLIES))
    await say(chat, "李姐", "刚从12栋楼下过来 好多人在那打牌")
    said = await say(chat, "9-1-201 老周", quoting("李姐", "刚从12栋楼下过来 好多人在那打牌", "那边井盖也松了 踩上去咣当响"))
    [ticket] = chat.store.tickets.select()
    assert ticket.location == "12栋楼下"
    assert "12栋楼下井盖的事记下了" in texts(in_room(said))
