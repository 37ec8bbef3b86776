"""Someone never seen in a grid's group writes to the bot privately: a question the FAQ can
answer is answered at once, thanks and chatter are left alone, and only a need starts the
where-do-you-live conversation; when nobody answers that question within two hours, the
admins hear once of the report that waits. A building said in Chinese numerals (五号楼,
十二栋) is read as its number. All through the Application."""

from __future__ import annotations

from conftest import EXAMPLE_CONFIG, texts

from bot.config import load_config

STRANGER = "路过的刘阿姨"
LAMP = "我家楼下路灯坏了好几天了"


async def ask(chat, text: str):
    return await chat.say(STRANGER, text, room=None)


async def test_a_question_the_faq_answers_is_answered_without_asking_where(chat) -> None:
    out = await ask(chat, "请问养老资格认证怎么办")
    assert [m.to.name for m in out] == [STRANGER]
    assert "掌上12333" in out[0].text and "小区" not in out[0].text
    assert chat.store.seen.question(chat.person_id(STRANGER)) is None


async def test_thanks_and_chatter_are_left_alone(chat) -> None:
    for text in ("谢谢网格员，服务太好了", "点赞社区工作人员", "谢谢", "你好", "今天天气真不错"):
        assert await ask(chat, text) == [], text
    assert chat.store.seen.question(chat.person_id(STRANGER)) is None
    assert chat.store.tickets.select() == []


async def test_a_need_nobody_places_within_two_hours_goes_to_the_admins_once(chat) -> None:
    [question] = await ask(chat, LAMP)
    assert "小区" in question.text
    assert await chat.later(minutes=119) == []  # still waiting for the answer
    told = await chat.later(minutes=2)
    assert [m.to.name for m in told] == ["冯媛"]
    assert "两个小时没有回复" in told[0].text and STRANGER in told[0].text and "路灯" in told[0].text
    assert await chat.later(hours=3) == []  # once
    assert "【私聊，住处不明】我家楼下路灯坏了" in texts(await chat.say("冯媛", "疑似", room=None))
    await chat.say("冯媛", "登记 1 青年路第一网格", room=None)
    assert chat.ticket(1).grid_id == "qn-1" and chat.ticket(1).text == LAMP


async def test_an_answer_in_time_tells_the_admins_nothing(chat) -> None:
    await ask(chat, LAMP)
    await chat.later(minutes=30)
    await ask(chat, "滨河新村5号楼")
    assert chat.ticket(1).grid_id == "bh-2"
    assert [m for m in await chat.later(hours=3) if m.to and m.to.name == "冯媛"] == []


async def test_a_building_said_in_chinese_numerals_places_the_report(chat) -> None:
    """青年路社区 has two grids; only the first one's group says it has buildings 1-6."""
    await ask(chat, LAMP)
    placed = await ask(chat, "青年路社区五号楼")
    assert chat.ticket(1).grid_id == "qn-1" and "#1" in texts(placed)


async def test_numerals_in_the_answer_and_in_the_groups_name(open_chat, tmp_path) -> None:
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        'rooms = ["青年路二网格居民群"]', 'rooms = ["青年路二网格居民群", "青年路七至十二号楼楼栋群"]'
    )
    path = tmp_path / "gridbot.toml"
    path.write_text(text, encoding="utf-8")
    chat = await open_chat(config=load_config(path))
    await chat.say("刘阿姨", LAMP, room=None)
    await chat.say("刘阿姨", "我住青年路社区十二栋", room=None)
    await chat.say("王大爷", "楼道里有人给电动车充电，太危险了", room=None)
    await chat.say("王大爷", "青年路社区二号楼", room=None)
    assert [chat.ticket(1).grid_id, chat.ticket(2).grid_id] == ["qn-2", "qn-1"]
