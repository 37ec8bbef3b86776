"""What the group hears when the bot acknowledges, answers a chase and closes (reviews of d10,
findings 4, 5, 8, and of d11, finding 10): each kind of need gets the promise that fits it and
the bot keeps; a chase gets a reminder to the holder and one warm line, or silence — never a
public 「明天上班后会看到」, never while an official is answering in that thread; a household's or
a person's matter is never closed in public."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ROOM_QN1, TZ, posts_in, speaker, texts

say = speaker(ROOM_QN1)
in_group = posts_in(ROOM_QN1)
QUOTE = "「{who}：{text}」\n- - - - - - - - - - - - - - -\n{reply}"


def privately_to(sent, name: str):
    return [m for m in sent if m.to is not None and m.to.name == name]


@pytest.mark.parametrize("who,said,promise,never", [
    # a fault in a shared place: the group hears when it is done
    ("3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒", "办好了在群里说一声", "有进展"),
    # a quarrel: the worker speaks to them, the group never reads its outcome
    ("12-1-1102 何先生", "楼上1202天天半夜拖桌子蹦跶 吵得孩子睡不着 说了几次都不听", "单独跟您联系", "群里"),
    # a question: an answer, not 处理好了
    ("Tony", "请问一下 公租房怎么申请 要带什么材料", "回您准话", "处理好"),
    # a wish: an answer from the community, not 处理好了
    ("1栋 白大爷", "能不能在小广场多放几条长椅 老人跳完舞没地方坐", "有回音会回您", "处理好"),
    # one person's errand: its holder answers them
    ("5栋 刘奶奶", "我腿脚不好下不了楼 谁能帮我买点菜 我住5栋2单元301", "有进展会回您", "群里"),
])
async def test_each_kind_of_need_gets_the_promise_that_fits_it(chat, who, said, promise, never):
    sent = await say(chat, who, said)
    post = texts(in_group(sent))
    assert chat.ticket(1) is not None and "#1" in post
    assert promise in post and never not in post


async def test_an_errand_done_is_not_told_in_the_group(chat):
    await say(chat, "5栋 刘奶奶", "我腿脚不好下不了楼 谁能帮我买点菜 我住5栋2单元301")
    sent = await chat.say("马建民", "办好 1 菜送上去了", room=None)
    assert chat.ticket(1).status == "resolved"
    assert in_group(sent) == []  # her shopping is not news for 400 households


async def test_a_fault_done_is_told_in_one_short_line(chat):
    await say(chat, "3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")
    sent = await chat.say("马建民", "办好 1 换了新井盖", room=None)
    post = in_group(sent)
    assert len(post) == 1 and "#1" in post[0].text and "换了新井盖" in post[0].text
    assert "\n" not in post[0].text and len(post[0].text) <= 45


async def test_a_chase_reminds_the_holder_and_says_so(chat):
    await say(chat, "1栋 白大爷", "能不能在小广场多放几条长椅 老人跳完舞没地方坐")
    sent = await say(chat, "1栋 白大爷", "长椅的事有人管没", minutes=180)
    assert "刚又提醒了网格员马建民" in texts(in_group(sent))
    assert "#1" in texts(privately_to(sent, "马建民"))  # and he was reminded


async def test_a_chase_at_night_is_not_answered_with_tomorrow(chat):
    chat.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=TZ))  # a Tuesday evening
    await say(chat, "3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")
    sent = await say(chat, "3栋 张阿姨", "有人管吗 井盖还翘着呢", minutes=300)  # 23:00
    assert in_group(sent) == []  # no 「马建民明天上班后会看到」 for the whole group to read
    morning = await chat.later(hours=9)
    assert "有人管吗" in texts(privately_to(morning, "马建民"))  # the reminder in the morning


async def test_silence_while_the_worker_answers_in_the_thread(chat):
    chat.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=TZ))
    report = "3栋门口井盖又翘起来了 晚上走路容易绊倒"
    await say(chat, "3栋 张阿姨", report)
    await say(chat, "马建民", QUOTE.format(who="3栋 张阿姨", text=report, reply="收到张姨 明天上午我带物业师傅过去"), minutes=30)
    sent = await say(chat, "3栋 张阿姨", "好 明天几点啊")
    assert in_group(sent) == [] and privately_to(sent, "马建民") == []  # he is answering her
    # hours later, with nobody answering, a chase is answered again
    chat.clock.set(datetime(2026, 11, 25, 15, 0, tzinfo=TZ))
    sent = await say(chat, "3栋 张阿姨", "井盖的事怎么还没人来修？")
    assert "刚又提醒了一下" in texts(in_group(sent)) and privately_to(sent, "马建民")


# --- the FAQ: only the community's own answers, and never twice the same day (review of d11, finding 9)

async def test_a_general_answer_is_not_posted_the_worker_answers(chat):
    sent = await say(chat, "房东 老郑", "问一下 俺租户要办居住证 要带啥材料 去哪办 社区能办不")
    post = texts(in_group(sent))
    assert "居住证的事社区会回您准话" in post and "一般" not in post  # not 「一般要…有的地方…」
    assert chat.ticket(1).intent == "inquiry" and "#1" in texts(privately_to(sent, "马建民"))
    # a neighbour's guess right after it is talk about the question, not a question of its own
    assert in_group(await say(chat, "1号楼 曲大姐", "好像要租房合同和房东身份证复印件", minutes=4)) == []
    # asked again in the afternoon while he has not answered: one question, one answer to come
    again = await say(chat, "9-1-601 Tony", "请问办居住证要带什么材料", minutes=240)
    assert in_group(again) == [] and len(chat.store.tickets.select()) == 1
    assert "9-1-601 Tony" in {r.person_name for r in chat.store.tickets.reporters(1)}


async def test_the_communitys_own_answer_is_posted_once_a_day_then_pointed_back_to(chat):
    first = await say(chat, "11-1-301 老白", "问个事 我爸今年满八十了 听说有高龄补贴 咋申请 要带啥")
    assert "户口本" in texts(in_group(first))  # the community's confirmed answer
    assert in_group(await say(chat, "6栋 老孟", "高龄补贴要带啥啊", minutes=10)) == []  # still on the screen
    later = await say(chat, "3栋 李奶奶", "问一下高龄补贴怎么申请", minutes=180)
    post = texts(in_group(later))
    assert "10:01" in post and "往上翻" in post and "户口本" not in post  # points back, no repost
    chat.clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=TZ))  # the next day: answered again
    assert "户口本" in texts(in_group(await say(chat, "5栋 赵大爷", "高龄补贴怎么申请"))) and chat.store.tickets.select() == []


async def test_the_workers_answer_at_the_asker_closes_the_question(chat):
    await say(chat, "房东 老郑", "问一下 俺租户要办居住证 要带啥材料 去哪办 社区能办不")
    sent = await say(chat, "马建民", "@房东 老郑 居住证：身份证、租房合同、房东房产证复印件 社区服务站一楼办 工作日", minutes=300)
    assert chat.ticket(1).status == "resolved" and in_group(sent) == []  # his words are the answer
    after = await say(chat, "房东 老郑", "租户自己去就行吧 俺不用去吧", minutes=3)
    assert in_group(after) == [] and len(chat.store.tickets.select()) == 1  # asked of him, who is there


async def test_an_official_the_asker_turns_to_hears_of_the_question(chat):
    await say(chat, "小鹿乱撞", "请问一下 办居住证要什么材料啊 在社区能办吗 我们是租房子的")
    sent = await say(chat, "小鹿乱撞", "@刘芳 打扰了刘主任 想问一下[可怜]")
    [told] = privately_to(sent, "刘芳")
    assert "#1" in told.text and "居住证" in told.text and in_group(sent) == []


# --- asking an official to explain, settle or register: needs, not chatter (d11 finding 10, d10 finding 8)

async def test_asking_the_worker_to_settle_a_matter_of_ones_ticket_reaches_him(chat):
    await say(chat, "3-2-402 老刘", "楼上漏水漏到我家卫生间了 吊顶都湿透了 我住3栋2单元402")
    sent = await say(chat, "3-2-402 老刘", "马网格 吊顶那事你给说道说道 楼上说不是他家管子漏的", minutes=240)
    assert in_group(sent) == []  # said to him, not to the group
    assert "吊顶那事" in texts(privately_to(sent, "马建民")) and len(chat.store.tickets.select()) == 1


@pytest.mark.parametrize("said", [
    "王网格 你给说道说道 他家空调外机天天对着我家窗户吹",
    "物业必须给个说法 车停地库被水泡了",
])
async def test_asking_an_official_for_an_explanation_is_a_need(chat, said):
    sent = await say(chat, "9-1-702 周姐", said)
    assert chat.ticket(1).intent == "dispute" and "单独跟您联系" in texts(in_group(sent))


async def test_asking_a_neighbour_to_tell_is_chatter(chat):
    assert await say(chat, "Tony", "哈哈 你给说说 昨天那场球咋输的") == [] and chat.store.tickets.select() == []


async def test_registering_for_what_an_official_just_answered_goes_on_its_list(chat):
    question = "问一下 礼拜二那个燃气入户检查 我们两口子都上班 家里没人咋整"
    await say(chat, "7号楼 杜姐", question)
    await say(chat, "刘芳", QUOTE.format(who="7号楼 杜姐", text=question, reply="白天家里没人的 本周六上午有补检 找马建民登记"), minutes=60)
    sent = await say(chat, "12-3-601 阳光", "@马建民 我们家也登记一个 12号楼3门洞601 礼拜六")
    assert in_group(sent) == [] and len(chat.store.tickets.select()) == 1  # on the question's ticket
    assert "12号楼3门洞601" in texts(privately_to(sent, "马建民"))
    assert "12-3-601 阳光" in {r.person_name for r in chat.store.tickets.reporters(1)}
