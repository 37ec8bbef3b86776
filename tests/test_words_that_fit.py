"""The words residents read fit what they said and the day it is (review of d14, findings 3
and 9; d11 N5): the thing named as they named it, a question inside a report answered, no
Monday promise on a weekend when someone is on duty, a trapped mother spoken to directly,
a worried old woman comforted, a party to a quarrel not told how many complained of her.
All through the Application, as residents see it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import EXAMPLE_CONFIG, ROOM_QN1, TZ, posts_in, speaker, texts
from conftest import private_to as to

from bot.config import load_config
from handlers.messages import Person

say = speaker(ROOM_QN1)
in_group = posts_in(ROOM_QN1)

# 孙丽 on duty for qn-1 on Saturday 2026-11-21: its worker 马建民 is off
ROSTER = """
[[duty]]
name = "孙丽"
grids = ["qn-1"]
dates = ["2026-11-21"]
"""



async def test_a_pets_mess_is_named_as_the_resident_said_it(chat):
    sent = await say(chat, "朵朵妈", "3号楼东边那个绿化带 谁家狗天天在那拉屎 孩子刚才一脚踩上去 恶心死了")
    post = texts(in_group(sent))
    assert "#1" in post and "狗粪" in post and "宠物" not in post
    assert "（#1）" in post and "工单" not in post  # no office jargon to the group's old people


async def test_no_water_at_all_is_not_a_leak(chat):
    sent = await say(chat, "5-1-1101 老郑", "5号楼怎么停水了？一滴水都没有")
    post = texts(in_group(sent))
    assert "#1" in post and "漏水" not in post and "5号楼停水的事" in post


async def test_a_report_that_asks_who_answers_for_it_is_answered(chat):
    sent = await say(chat, "9-2-102陈嫂", "9号楼下水道堵了是归物业管还是归社区管？俺家厨房池子往上冒脏水 一股子味")
    post = texts(in_group(sent))
    assert "#1" in post and "下下水道" not in post
    assert "归谁管" in post  # her question is not left hanging
    plain = await say(chat, "3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")
    assert "归谁管" not in texts(in_group(plain))


async def test_someone_trapped_in_the_lift_is_spoken_to_not_supposed(chat):
    sent = await say(chat, "晨晨妈妈", "救命 2号楼1单元电梯卡住了 俺和孩子在里头 按警铃没人应")
    [post] = in_group(sent)
    assert chat.ticket(1).urgent
    assert "的话" not in post.text and "别扒门" in post.text and "96333" in post.text


async def test_a_worried_word_after_a_private_report_is_comforted(chat):
    name, other = "4号楼王奶奶", "5号楼李奶奶"
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(n, chat.person_id(n)) for n in (name, other)])
    [ack] = to(await chat.say(name, "闺女 俺是4号楼1单元6楼的 养老金要认证 手机上弄不成 能不能找个人帮帮俺", room=None), name)
    assert "（#1）" in ack.text and "工单" not in ack.text
    sent = await chat.say(name, "认证不了是不是钱就不给发了 着急", room=None)
    [word] = to(sent, name)
    assert "别着急" in word.text and "补充的情况" not in word.text
    # a plain detail is only noted
    await chat.say(other, "俺是5号楼2单元3楼的 腿脚不好 谁能帮俺买点菜", room=None)
    [noted] = to(await chat.say(other, "要两斤鸡蛋 一把青菜", room=None), other)
    assert "别着急" not in noted.text


async def test_a_party_to_a_quarrel_is_not_told_how_many_complained(chat):
    # d11 N5: the group quarrels over dog mess; the neighbour it was aimed at writes privately
    her = "6-1-301 张姐"
    chat.transport.members(f"room-{ROOM_QN1}", ROOM_QN1, [Person(her, chat.person_id(her))])
    await say(chat, "6-2-201 钱叔", "又是6号楼门口 一大坨狗屎 今天早上我踩了一脚 谁家的狗自己心里有数")
    await say(chat, "6-2-201 钱叔", "@马建民 网格员你给评评理 狗屎天天在单元门口 有没有人管")
    sent = await chat.say(her, "我不想在群里跟他吵 我家狗真的每次都收拾 他就是针对我", room=None)
    [word] = to(sent, her)
    assert len(chat.store.tickets.reporters(1)) == 2  # one matter, her side on it too
    assert "位居民反映" not in word.text and "#1" in word.text and "马建民" in word.text


class TestOnARosteredDayOff:
    @pytest.fixture
    def start_time(self) -> datetime:
        return datetime(2026, 11, 21, 9, 0, tzinfo=TZ)  # a Saturday, 马建民 off, 孙丽 on duty

    @pytest.fixture
    async def chat(self, open_chat, tmp_path: Path):
        path = tmp_path / "config.toml"
        path.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8") + "\n" + ROSTER, encoding="utf-8")
        return await open_chat(load_config(path))

    async def test_what_waits_names_who_is_on_duty_and_promises_no_date(self, chat):
        sent = await say(chat, "朵朵妈", "3号楼东边那个绿化带 谁家狗天天在那拉屎 孩子刚才一脚踩上去 恶心死了")
        post = texts(in_group(sent))
        assert "#1" in post and "值班的是孙丽" in post and "@孙丽" in post
        assert "周一" not in post and "上班后" not in post

    async def test_a_question_that_waits_is_answered_by_its_worker_without_a_date(self, chat):
        sent = await say(chat, "4号楼刘大姐", "问一下 明年的城乡居民医保在哪交 一个人交多少 啥时候截止？")
        post = texts(in_group(sent))
        assert "#1" in post and "马建民会回您准话" in post and "值班的孙丽" in post
        assert "周一" not in post and "上班后" not in post

    async def test_a_wish_is_passed_to_the_community_without_a_date(self, chat):
        sent = await say(chat, "豆豆爸", "咱小区能不能弄个集中充电棚 扫码的那种 北门车棚旁边那块空地就中")
        post = texts(in_group(sent))
        assert "#1" in post and "转给社区" in post and "周一" not in post
