"""The one table of what can be said: README and 帮助 list its words; the router walks it;
ticket states have one label each."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, texts

from handlers import vocabulary
from handlers.vocabulary import OFFICIALS, Role
from storage import TicketState
from storage.states import label

README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_words(section_title: str) -> set[str]:
    """The command words (in backticks) of the second column of the README table under
    this title: `接单 12` counts as 接单."""
    section = README.split(section_title, 1)[1].split("\n## ", 1)[0]
    words = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or set(cells[1]) <= {"-"}:
            continue
        words |= {token.split()[0] for token in re.findall(r"`([^`]+)`", cells[1])}
    return words


@pytest.mark.parametrize("title", ["## 谁能说什么", "## What can be said"])
def test_readme_lists_the_words_of_the_table(title):
    assert table_words(title) == set(vocabulary.words())


def test_no_word_says_two_things():
    all_words = vocabulary.words()
    assert len(all_words) == len(set(all_words))


def first_words(help_text: str) -> set[str]:
    return {m.split()[0] for m in re.findall(r"^· (.+?) —— ", help_text, flags=re.M)}


def entries_for(roles: set[Role]) -> set[str]:
    return {e.usage.split()[0] for e in vocabulary.TABLE if e.help and e.who & roles}


async def test_help_lists_each_role_its_words_from_the_table(chat):
    resident = texts(await chat.say("张阿姨", "帮助"))
    worker = texts(await chat.say("马建民", "帮助"))
    admin = texts(await chat.say("冯媛", "菜单", room=None))
    assert first_words(resident) == entries_for({Role.RESIDENT, Role.REPORTER})
    assert first_words(worker) == entries_for({Role.WORKER})
    assert first_words(admin) == entries_for(set(OFFICIALS))
    assert "接单" not in first_words(resident) and "重载规则" not in first_words(worker)
    assert "重载规则" in first_words(admin)


def test_every_entry_says_what_it_does_or_is_told_by_another():
    for entry in vocabulary.TABLE:
        assert entry.words and entry.usage
        if not entry.help:  # e.g. 上周统计: told in the line of 统计
            shown = " ".join(e.help for e in vocabulary.TABLE)
            assert entry.words[0] in shown, entry.act


async def test_only_an_admin_reloads_and_a_resident_is_refused_a_workers_numbered_word(chat):
    assert "只有管理员" in texts(await chat.say("马建民", "重载规则"))
    assert "只有本网格的网格员" in texts(await chat.say("张阿姨", "待办"))
    assert chat.store.tickets.select() == []


# --- ticket states ------------------------------------------------------------------------


def test_each_state_has_one_label_and_labels_differ():
    labels = [s.label for s in TicketState]
    assert len(set(labels)) == len(labels)
    assert label("closed") == "已办结" and label("nonsense") == "nonsense"


def test_moves_between_states():
    s = TicketState
    assert s.OPEN.may_become(s.ACCEPTED) and s.ACCEPTED.may_become(s.RESOLVED)
    assert s.RESOLVED.may_become(s.ACCEPTED) and s.RESOLVED.may_become(s.CLOSED)
    assert s.ACCEPTED.may_become(s.OPEN)  # handed to someone else
    assert s.CLOSED.may_become(s.ACCEPTED)  # broken again within days
    assert not s.CLOSED.may_become(s.OPEN) and not s.CANCELLED.may_become(s.OPEN)
    assert not s.OPEN.may_become(s.CLOSED)


async def test_chat_and_export_say_the_same_label(chat):
    from bot.cli.export import LocalTimes, ticket_row

    await chat.say("张阿姨", "3栋门口井盖又翘起来了")
    await chat.say("马建民", "接单 1")
    query = texts(await chat.say("路人甲", "查询 1"))
    config = chat.app.config
    times = LocalTimes(config.tz, config.settings.office_hours)
    row = ticket_row(chat.ticket(1), times, config.directory)
    assert row[2] == "处理中" and "处理中" in query
