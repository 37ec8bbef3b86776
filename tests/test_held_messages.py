"""Nobody silently skipped: in a real chat an official not known by WeChat id yet (no
wechat_id in the config, not bound) is not written to by name, but their pings and digests
are not dropped either: they wait in the outbox until the official is bound (with the
admin's code, or a wechat_id in the config and a restart), and the admins hear once whose
messages wait and how to bind them. The simulator, which trusts names, sends at once."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import EXAMPLE_CONFIG, Chat, texts, when_due

from bot.app import Application
from bot.clock import ManualClock
from bot.config import load_config
from bot.transports.memory import MemoryTransport
from handlers.messages import DIGEST, REPLY
from storage import Store

QN2 = "青年路二网格居民群"  # 孙丽's grid: she has no wechat_id in the example config
ADMIN = "wx-fengyuan"
LAMP = "5号楼楼道灯坏了好几天了，晚上黑漆漆的"
BINS = "北门的垃圾桶满了三天没人清，臭得不行"


def config_with_ids(tmp_path, **ids: str):
    """The example community with these officials' wechat_ids in the config."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    for name, wechat_id in ids.items():
        text = text.replace(f'name = "{name}"\n', f'name = "{name}"\nwechat_id = "{wechat_id}"\n', 1)
    path = tmp_path / f"gridbot-{len(ids)}.toml"
    path.write_text(text, encoding="utf-8")
    return when_due(load_config(path))  # a reminder half an hour after the ping, no list


async def real_chat(open_chat, config, path) -> Chat:
    chat = await open_chat(config=config, store=Store.open(path))
    chat.transport.trusts_names = False
    return chat


async def say(chat: Chat, name: str, sender: str, text: str, room: str | None = QN2):
    return await chat.say(name, text, room, sender_id=sender, room_id=f"id-{room}" if room else None)


def held(chat: Chat) -> list:
    return [row for row in chat.store.outbox.all() if row.state == "held"]


@pytest.fixture
async def real(open_chat, tmp_path):
    return await real_chat(open_chat, config_with_ids(tmp_path, 冯媛=ADMIN), tmp_path / "bot.db")


async def test_an_unbound_workers_pings_wait_and_the_admin_is_told_once(real: Chat) -> None:
    out = await say(real, "王阿姨", "wx-wang", LAMP)  # #1, 孙丽's
    assert real.ticket(1).assignee_name == "孙丽"
    assert not [m for m in out if m.to and m.to.name == "孙丽"]  # not sent to "a 孙丽"
    [word] = [m for m in out if m.to and m.to.id == ADMIN]
    assert "孙丽还没有绑定微信号" in word.text and "绑定码 孙丽" in word.text
    real.clock.advance(timedelta(minutes=30))  # not moments after #1 (its ping would wait to be listed)
    out = await say(real, "李叔", "wx-li", BINS)  # #2: another ping waits, no second word
    assert not [m for m in out if m.to and m.to.id == ADMIN]
    assert [(r.to_name, "#1" in r.text or "#2" in r.text) for r in held(real)] == [("孙丽", True)] * 2

    code = re.search(r"\d{8}", texts(await say(real, "冯媛", ADMIN, "绑定码 孙丽", None))).group(0)
    out = await say(real, "孙丽", "wx-sunli", f"绑定 {code}", None)
    assert "绑定好了" in texts(out) and "之前有 2 条消息在等您" in texts(out)
    pings = [m for m in out if m.to and m.to.id == "wx-sunli" and "绑定好了" not in m.text]
    assert sorted(re.search(r"#(\d)", m.text).group(1) for m in pings) == ["1", "2"]
    assert held(real) == []


async def test_a_digest_waits_too_and_goes_out_when_the_id_is_in_the_config(
    open_chat, tmp_path, shared_classifier, shared_faq,
) -> None:
    path = tmp_path / "bot.db"
    chat = await real_chat(open_chat, config_with_ids(tmp_path, 冯媛=ADMIN), path)
    await say(chat, "王阿姨", "wx-wang", LAMP)
    reminded = await chat.later(minutes=31)  # not taken in time: 孙丽's reminder waits too
    assert not [m for m in reminded if m.to and m.to.name == "孙丽"]
    assert [r.priority for r in held(chat)] == [REPLY, DIGEST]  # the ping, the reminder
    now = chat.clock.now()
    await chat.app.stop()

    # Her wechat_id is written into the config, and the bot started again.
    config = config_with_ids(tmp_path, 冯媛=ADMIN, 孙丽="wx-sunli")
    config = replace(config, outbox=replace(config.outbox, per_room_seconds=0, overall_seconds=0))
    app = Application(config, MemoryTransport(trusts_names=False), store=Store.open(path),
                      clock=ManualClock(now), classifier=shared_classifier, faq=shared_faq,
                      scheduler=False, deliver=False)
    await app.start()
    try:
        await app.outbox.deliver_due()
        sent = app.transport.take()
    finally:
        await app.stop()
    assert [(m.to.id, m.priority) for m in sent] == [("wx-sunli", REPLY), ("wx-sunli", DIGEST)]
    assert "#1" in sent[0].text and "#1" in sent[1].text


async def test_the_simulator_trusts_names_and_holds_nothing(chat) -> None:
    out = await chat.say("王阿姨", LAMP, room=QN2)
    assert [m.to.name for m in out if m.to and "#1" in m.text] == ["孙丽"]
    assert not any("绑定" in m.text for m in out)
    assert [r for r in chat.store.outbox.all() if r.state == "held"] == []
