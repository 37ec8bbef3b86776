"""Urgency with care (issue 13, part 4): a danger now is urgent in plain and dialect words —
gas leaking, a knife drawn, someone shut in a lift, an old person alone who does not open
the door — and the same concepts are not urgent in a prohibition, a narrow escape that is
over, a "who would answer for it if…", a rescue already done, or an old person who only
does not answer the phone (INTENTS.md: urgent is danger to life now; a phone not answered
is a welfare visit, an errand). Through the application, as the group and workers see it."""

from __future__ import annotations

import pytest
from conftest import ROOM_BH1, texts


def private_to(sent, name):
    return [m.text for m in sent if m.to is not None and m.to.name == name]


@pytest.mark.parametrize("report", [
    "3栋楼下那家烧烤店的液化气罐漏了 嗞嗞响",  # gas leaking, in plain words
    "楼下两口子吵起来了 男的拿着菜刀追出来了 8栋门口",  # a knife drawn in a quarrel
    "我被关电梯里了 5号楼2单元 谁帮忙喊下物业",  # shut in the lift (dialect 关)
    "对门独居的李奶奶两天没开门了 敲门也不应 12栋2单元",  # alone, the door not answered
    "部电梯卡咗 入面有个伯伯 佢话透唔过气 7座",  # Cantonese: stuck, a man inside, can't breathe
    "对门阿公屋里一股煤烟味 敲门敲不开 怕是中煤气了 9栋",  # 怕是 = probably, not a fear
    "电梯关人了 最多等十分钟就要喘不上气了 2栋",  # 最多 after the danger: it is still now
    "我老伴晕了 喊也喊不醒 11栋302",  # fainted (晕了), not dizzy
])
async def test_a_danger_now_in_plain_words_is_urgent(chat, report):
    sent = await chat.say("Leo 15栋", report, ROOM_BH1)
    assert any(t.startswith("【紧急】") for t in private_to(sent, "李强"))
    [ticket] = chat.store.tickets.select()
    assert ticket.urgent


@pytest.mark.parametrize("said", [
    "【温馨提示】暑假到了 严禁小孩到河边玩水 预防溺水",  # a prohibition, not an event
    "阳台上的花盆掉下来了 幸好下面没人 9栋",  # a narrow escape, over
    "楼道里堆满了纸箱 这要着火了谁担得起 4栋",  # a supposition
    "刚才困在电梯里的大姐出来了 物业师傅弄开的",  # the rescue is done
    "我爸一个人住 今天打电话没人接 我在外地 谁能帮忙去看一眼 5栋302",  # only the phone
    "我爷爷腿不好 楼梯太陡他下不来 谁能帮忙去药店拿个药 6栋",  # cannot manage stairs: an errand
    "我妈中风后说话不清楚 下礼拜要去医院复查 谁能陪一趟 3栋",  # a lasting condition
    "基金跌成这样 我快晕倒了",  # a figure of speech
    "这可不行 前两年别的小区电瓶车在楼道里着火 烧死了人的",  # years ago, elsewhere
    "电梯又不会掉下去 顶多困在里面 按警铃就有人来",  # at worst: a supposition
])
async def test_the_same_concepts_not_happening_now_raise_no_alarm(chat, said):
    sent = await chat.say("3栋 王阿姨", said, ROOM_BH1)
    assert "【紧急】" not in texts(sent)
    assert not any(t.urgent for t in chat.store.tickets.select())


@pytest.mark.parametrize("said", [
    "5栋楼下有人车没电了 谁有搭火线 搭个火",  # jump-starting a car: no fire, no hazard
    "楼上装修砸了一上午 我妈头都晕了 5栋",  # dizzy with the noise: no one fainted
])
async def test_words_of_fire_or_fainting_used_for_something_else(chat, said):
    sent = await chat.say("3栋 王阿姨", said, ROOM_BH1)
    assert "【紧急】" not in texts(sent)
    assert not any(t.intent in ("safety", "errand") for t in chat.store.tickets.select())
