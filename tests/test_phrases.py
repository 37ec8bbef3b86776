"""What people say is data (intents/phrases.toml): the table loads, no list is empty, and a
worker's edit is heard after an admin's 重载规则, through the bot's own reload."""

from __future__ import annotations

import pytest
from conftest import ROOM_QN1, texts

from handlers.texts import WORKER as TEXTS
from intents import phrases
from intents.phrases import DEFAULT_PATH, PhraseTable

WORKER, BACKUP, ADMIN = "马建民", "孙丽", "冯媛"


def test_the_table_loads_and_no_list_is_empty():
    table = PhraseTable.load()
    assert len(table.names()) >= 40
    for name in table.names():
        assert table.words(name), name
        assert table.pattern(name).pattern == "|".join(table.words(name))


def test_every_list_says_what_it_means_and_who_uses_it():
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "= [" in line:
            assert lines[i - 1].startswith("# ") and lines[i - 1].rstrip().endswith(".py]"), line


@pytest.fixture
def edited_table(tmp_path):
    """The shared table read from a copy the test may edit; the package's file again after."""
    copy = tmp_path / "phrases.toml"
    copy.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    table = phrases.default()
    table.path = copy
    yield copy
    table.path = DEFAULT_PATH
    assert table.reload() is None


async def test_an_edited_list_is_heard_after_reload_and_a_broken_one_refused(chat, edited_table):
    away = "上午去打疫苗 有事联系孙丽"  # 打疫苗: no word of being away, until a worker adds it
    text = edited_table.read_text(encoding="utf-8")
    edited_table.write_text(text.replace("away = ['培训', ", "away = ['打疫苗', '培训', "), encoding="utf-8")

    await chat.say(WORKER, away, ROOM_QN1)
    first = await chat.say("4栋 老孟", "4栋单元门关不上了 一直开着", ROOM_QN1)
    assert chat.ticket(1).assignee_name == WORKER  # not yet: the old lists are in force

    assert texts(await chat.say(ADMIN, "重载规则", room=None)) == TEXTS["reloaded"]
    await chat.later(minutes=5)
    await chat.say(WORKER, away, ROOM_QN1)
    await chat.later(minutes=5)
    await chat.say("5栋 李叔", "5栋楼道灯不亮了", ROOM_QN1)
    assert chat.ticket(2).assignee_name == BACKUP  # the added word is heard
    assert first  # the first report was acknowledged as before

    edited_table.write_text(text.replace("back = [", "back = [] # ["), encoding="utf-8")  # emptied
    refused = texts(await chat.say(ADMIN, "重载规则", room=None))
    assert "phrases.toml" in refused and "away.back" in refused
    assert phrases.default().words("away.away")[0] == "打疫苗"  # the lists in force stay
