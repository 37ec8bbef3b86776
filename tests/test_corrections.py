"""Workers correct the classifier in chat; each correction is a labelled example, changes
the next reading of the same text (at once, and after retraining), and is counted in the
weekly summary."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOM_QN1, ROOM_QN2, texts

from bot.cli import corrections as corrections_cli
from handlers import summary
from handlers.corrections import as_examples, intent_named
from intents import Classifier
from storage import Store, TicketState

WORKER = "马建民"  # grid worker of 青年路一网格
ADMIN = "冯媛"


@pytest.fixture
async def fresh(open_chat):
    """A chat (each bot remembers the corrections of its own database)."""
    return open_chat


def unsure(chat, text: str) -> int:
    """A message of 青年路一网格 the classifier was unsure of, kept as 疑似 (as report.py
    keeps one): its number."""
    grid = chat.app.config.directory.grids[0]
    chat.store.notes.add_suspect(
        grid_id=grid.id, room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1,
        sender_id="wx-张阿姨", sender_name="张阿姨", text=text, intent="repair",
        confidence=0.3, message_id="m-unsure", at=chat.app.context().ts,
    )
    return chat.store.notes.suspects([grid.id], limit=5)[0].id


def test_intent_words() -> None:
    assert intent_named("安全隐患") == "safety"
    assert intent_named("隐患") == "safety"
    assert intent_named("「设施报修」") == "repair"
    assert intent_named("不是诉求") == "none"
    assert intent_named("随便什么") is None


async def test_a_wrong_intent_is_corrected_and_the_same_text_reads_corrected(fresh) -> None:
    chat = await fresh()
    text = "5栋楼道里堆了好多纸箱和旧沙发 走路都要侧身"
    await chat.say("张阿姨", text)
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.intent != "safety"

    told = await chat.say(WORKER, "改 1 安全隐患")
    assert "安全隐患" in texts(told) and all(m.room_id is None for m in told)  # privately
    assert chat.ticket(1).intent == "safety"
    stored = chat.store.corrections.all()
    assert [(c.kind, c.intent, c.was_intent, c.ticket_id) for c in stored] == [
        ("intent", "safety", ticket.intent, 1)]
    assert stored[0].text == ticket.masked_text

    # The same words from someone else in another group: read as corrected, at once.
    await chat.say("王大爷", text, room=ROOM_QN2)
    assert chat.ticket(2).intent == "safety"
    # ... and by a bot started again on the same database.
    again = await fresh(store=chat.store)
    assert again.app.classifier.classify(text).intent == "safety"


async def test_not_a_need_closes_quietly_and_the_text_opens_nothing_again(fresh) -> None:
    chat = await fresh()
    text = "北门那边的路灯是不是坏了"
    await chat.say("张阿姨", text)
    assert chat.ticket(1) is not None
    told = await chat.say(WORKER, "不是诉求 1")
    assert all(m.room_id is None for m in told)  # the residents' group is not told
    assert "不是诉求" in texts(told)
    assert chat.ticket(1).status == TicketState.CANCELLED
    assert [e.kind for e in chat.store.tickets.events(1)][-1] == "not_a_need"
    assert chat.store.corrections.all()[0].intent == "none"

    assert await chat.say("李叔", text) == []
    assert chat.ticket(2) is None


async def test_urgency_is_corrected_both_ways(fresh) -> None:
    chat = await fresh()
    calm = "电梯又卡在三楼了 里面没人 就是门打不开"
    await chat.say("张阿姨", calm)
    first = chat.ticket(1)
    await chat.say(WORKER, "紧急 1")
    assert chat.ticket(1).urgent
    assert chat.app.classifier.classify(calm).urgent
    await chat.say(WORKER, "不急 1")
    assert not chat.ticket(1).urgent
    assert not chat.app.classifier.classify(calm).urgent
    kinds = [c.kind for c in chat.store.corrections.all()]
    assert kinds == ["urgent", "not_urgent"] and first is not None


async def test_registering_a_suspect_is_a_need_it_missed(fresh) -> None:
    chat = await fresh()
    text = "那边那个东西又那样了 谁有空看看"
    number = unsure(chat, text)
    await chat.say(WORKER, f"登记 {number}")
    ticket = chat.store.tickets.by_source_message(f"suspect:{number}")
    assert ticket is not None
    stored = chat.store.corrections.all()
    assert [(c.kind, c.intent, c.suspect_id) for c in stored] == [
        ("registered", ticket.intent, number)]
    res = chat.app.classifier.classify(text)
    assert res.intent == ticket.intent and res.confidence == 1.0


async def test_a_resident_saying_urgent_with_a_building_number_is_a_report(fresh) -> None:
    chat = await fresh()
    told = await chat.say("张阿姨", "紧急 3栋着火了 冒黑烟")
    assert chat.ticket(1) is not None and chat.ticket(1).urgent
    assert "只有" not in texts(told)


async def test_residents_cannot_correct(fresh) -> None:
    chat = await fresh()
    await chat.say("张阿姨", "5栋门口的路灯不亮了")
    told = await chat.say("李叔", "改 1 安全隐患")
    assert "只有" in texts(told)
    assert chat.store.corrections.all() == []


async def test_the_weekly_summary_to_staff_counts_corrections(fresh) -> None:
    chat = await fresh()
    await chat.say("张阿姨", "5栋楼道里堆了好多纸箱和旧沙发 走路都要侧身")
    await chat.say(WORKER, "改 1 安全隐患")
    await chat.say("李叔", "北门那边的路灯是不是坏了")
    await chat.say(WORKER, "不是诉求 2")
    posts = await chat.later(days=7)
    staff = [m for m in posts if "周报" in m.text]
    assert staff, texts(posts)
    assert "更正机器的判断 2 次" in staff[0].text
    assert "改类别 1" in staff[0].text and "不是诉求 1" in staff[0].text
    assert all("更正" not in m.text for m in posts if "小结" in m.text)  # not to residents
    assert summary is not None


async def test_corrections_are_exported_as_training_rows(fresh, tmp_path: Path, example_config,
                                                         capsys) -> None:
    db = tmp_path / "bot.db"
    chat = await fresh(store=Store.open(db))
    await chat.say("张阿姨", "5栋楼道里堆了好多纸箱和旧沙发 电话13812345678")
    await chat.say(WORKER, "改 1 安全隐患")
    await chat.say(WORKER, "改 1 环境卫生")  # the last word on a text wins
    rows = as_examples(chat.store.corrections.latest_per_text())
    assert len(rows) == 1 and rows[0]["intent"] == "sanitation"
    assert "13812345678" not in rows[0]["text"]
    assert corrections_cli.main(["--config", str(example_config.path), "--db", str(db)]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed == rows and set(printed[0]) == {"text", "intent", "urgent", "location"}


async def test_a_correction_changes_the_reading_after_retraining(fresh, tmp_path: Path) -> None:
    """The correction, exported into the corpus, is learnt by `make model`: a classifier
    that never saw the chat reads the text as corrected."""
    pytest.importorskip("sklearn")
    from intents.train import train

    chat = await fresh()
    text = "5栋楼道里堆了好多纸箱和旧沙发 走路都要侧身"
    await chat.say("张阿姨", text)
    before = chat.ticket(1).intent
    target = "safety" if before != "safety" else "sanitation"
    await chat.say(WORKER, f"改 1 {target}")

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    dev = (Path(__file__).resolve().parent.parent / "corpus" / "dev.jsonl").read_text(encoding="utf-8")
    (corpus / "dev.jsonl").write_text(dev, encoding="utf-8")
    rows = as_examples(chat.store.corrections.latest_per_text())
    (corpus / "corrections.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    weights = tmp_path / "weights.json"
    train(corpus, weights)

    plain = Classifier.load(model_path=weights)  # no memory of the chat
    assert plain.classify(text).intent == target

    without = tmp_path / "without.json"
    (corpus / "corrections.jsonl").unlink()
    train(corpus, without)
    assert Classifier.load(model_path=without).classify(text).intent != target
    assert ROOM_QN1 and timedelta  # the chat above used the first group


async def test_a_suspect_dismissed_in_chat_is_listed_no_more_and_counted(fresh) -> None:
    chat = await fresh()
    text = "那边那个东西又那样了 谁有空看看"
    grid = chat.app.config.directory.grids[0]
    number = unsure(chat, text)
    answer = await chat.say(WORKER, f"忽略 {number}")
    assert f"疑似诉求 {number}" in texts(answer) and "不是诉求" in texts(answer)
    assert all(m.room_id is None for m in answer)  # told privately, the group hears nothing
    assert chat.store.notes.suspects([grid.id], limit=5) == []
    assert [(c.kind, c.intent, c.suspect_id) for c in chat.store.corrections.all()] == [
        ("dismissed", "none", number)]
    assert chat.store.tickets.by_source_message(f"suspect:{number}") is None
    # said again, it is already gone: nothing changes
    again = await chat.say(WORKER, f"忽略 {number}")
    assert "没有改动" in texts(again)
    assert len(chat.store.corrections.all()) == 1


async def test_a_resident_cannot_dismiss_a_suspect(fresh) -> None:
    chat = await fresh()
    grid = chat.app.config.directory.grids[0]
    number = unsure(chat, "那边那个东西又那样了")
    await chat.say("李叔", f"忽略 {number}")
    assert len(chat.store.notes.suspects([grid.id], limit=5)) == 1
    assert chat.store.corrections.all() == []
