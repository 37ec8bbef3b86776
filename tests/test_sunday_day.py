"""A Sunday of a residents' group as its people speak (review of d10): the backup worker
and the staff talking an emergency through without naming it, a group buy's orders, a
volunteer taking an errand on, a quarrel — through the application, as the group sees it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ROOM_QN2, TZ, texts

from storage import TicketState


@pytest.fixture
def start_time() -> datetime:
    return datetime(2026, 12, 13, 10, 0, tzinfo=TZ)  # a Sunday morning, nobody on duty


async def say(chat, name, text, *, minutes=1):
    chat.clock.advance(timedelta(minutes=minutes))
    return await chat.say(name, text, ROOM_QN2)


def in_group(sent):
    return [m for m in sent if m.room_topic == ROOM_QN2]


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
