"""Officials and rooms are bound to WeChat ids in a real chat: an official by a one-time
code (from an admin or the bot's machine), a room at first sight or by an admin's 绑定本群.
A copied group topic is not adopted: nothing opens from it, nothing is sent to it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import EXAMPLE_CONFIG, ROOT, Chat, texts

from bot.config import load_config
from handlers.binding import code_hash, issue_code
from storage import Store

QN1, QN2 = "青年路一网格居民群", "青年路二网格居民群"
STAFF_ROOM = "青年路社区工作群"
ADMIN = "wx-fengyuan"
COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"


@pytest.fixture
def real_config(tmp_path):
    """The example community, with the admin's wechat_id in the config (as a real set-up
    would start); everyone else binds in the chat."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('name = "冯媛"\n', f'name = "冯媛"\nwechat_id = "{ADMIN}"\n', 1)
    path = tmp_path / "gridbot.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.fixture
async def real(open_chat, real_config, tmp_path):
    """A chat that behaves as WeChat does: officials by id, rooms by id."""
    chat: Chat = await open_chat(config=real_config, store=Store.open(tmp_path / "bot.db"))
    chat.transport.trusts_names = False
    return chat


async def say(chat: Chat, name: str, sender: str, text: str, room: str | None = QN1,
              room_id: str | None = None):
    return await chat.say(name, text, room, sender_id=sender,
                          room_id=room_id or (f"id-{room}" if room else None))


def code_in(out) -> str:
    return re.search(r"\d{8}", texts(out)).group(0)


# --- officials ----------------------------------------------------------------------------


async def test_an_official_binds_with_the_admins_code_and_then_acts(real: Chat) -> None:
    await say(real, "张阿姨", "wx-zhang", COVER)
    await say(real, "王阿姨", "wx-wang", "5号楼楼道灯坏了好几天了", QN2)  # #2, 孙丽's grid
    sunli = "wx-sunli-real"
    out = await say(real, "孙丽", sunli, "接单 2", QN2)
    assert real.ticket(2).status == "open"  # a resident until bound
    assert "只有" in texts(out)
    assert any(m.to and m.to.id == ADMIN and "孙丽" in m.text for m in out)  # the admin is told

    out = await say(real, "冯媛", ADMIN, "绑定码 孙丽", None)
    assert [m.to.id for m in out] == [ADMIN] and "当面" in texts(out)
    out = await say(real, "孙丽", sunli, f"绑定 {code_in(out)}", None)
    assert "绑定好了" in texts(out) and "青年路第二网格的网格员" in texts(out)
    assert any(m.to and m.to.id == ADMIN and sunli in m.text for m in out)
    out = await say(real, "孙丽", sunli, "接单 2", QN2)
    assert real.ticket(2).status == "accepted" and real.ticket(2).assignee_id == sunli
    # From now on what is for her goes to her id, whatever name others use.
    real.clock.advance(timedelta(minutes=30))  # not moments after #2's ping (it would be listed)
    out = await say(real, "李叔", "wx-li", "北门的垃圾桶满了三天没人清", QN2)
    ping = [m for m in out if "#3" in m.text and m.to is not None]
    assert ping and ping[0].to.id == sunli
    assert all(p.id == sunli for m in out for p in m.mentions if p.name == "孙丽")


async def test_a_code_works_once_for_a_day_and_wrong_codes_are_limited(real: Chat) -> None:
    code = code_in(await say(real, "冯媛", ADMIN, "绑定码 李强", None))
    out = await say(real, "李强", "wx-thief", "绑定 12345678", None)
    assert "不对" in texts(out)
    for _ in range(4):
        await say(real, "李强", "wx-thief", "绑定 87654321", None)
    out = await say(real, "李强", "wx-thief", f"绑定 {code}", None)  # five wrong: wait an hour
    assert "一小时" in texts(out) and real.store.bindings.id_of("李强") is None

    out = await say(real, "李强", "wx-liqiang", f"绑定{code}", None)  # glued, and once
    assert "绑定好了" in texts(out)
    out = await say(real, "李强", "wx-other", f"绑定 {code}", None)
    assert "不对" in texts(out) and real.store.bindings.id_of("李强") == "wx-liqiang"

    late = code_in(await say(real, "冯媛", ADMIN, "绑定码 王秀英", None))
    real.clock.advance(timedelta(hours=25))
    out = await say(real, "王秀英", "wx-wang-xy", f"绑定 {late}", None)
    assert "过期" in texts(out) and real.store.bindings.id_of("王秀英") is None


async def test_only_the_admin_issues_codes_and_only_privately(real: Chat) -> None:
    out = await say(real, "冯媛", ADMIN, "绑定码 孙丽", QN1)
    assert "私聊" in texts(out) and not re.search(r"\d{8}", texts(out))
    out = await say(real, "冯媛", "wx-not-her", "绑定码 孙丽", None)
    assert not re.search(r"\d{8}", texts(out))
    out = await say(real, "冯媛", ADMIN, "绑定码 路人甲", None)
    assert "没有叫「路人甲」" in texts(out)
    # Ordinary words that start like the command are no command.
    out = await say(real, "张阿姨", "wx-zhang", "绑定银行卡怎么弄啊", QN1)
    assert "私聊" not in texts(out)


async def test_a_new_phone_rebinds_and_the_old_id_is_a_resident_again(real: Chat) -> None:
    for sender in ("wx-ma-old", "wx-ma-new"):
        code = code_in(await say(real, "冯媛", ADMIN, "绑定码 孙丽", None))
        out = await say(real, "孙丽", sender, f"绑定 {code}", None)
    assert any("wx-ma-old" in m.text and m.to.id == ADMIN for m in out)  # "no longer her"
    await say(real, "王阿姨", "wx-wang", "5号楼楼道灯坏了好几天了", QN2)
    await say(real, "孙丽", "wx-ma-old", "接单 1", QN2)
    assert real.ticket(1).status == "open"
    await say(real, "孙丽", "wx-ma-new", "接单 1", QN2)
    assert real.ticket(1).status == "accepted"


def test_the_first_admin_is_bound_with_a_code_from_the_bots_machine(tmp_path) -> None:
    config = tmp_path / "gridbot.toml"
    config.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bind-code", "--config", str(config), "--name", "冯媛"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    assert re.fullmatch(r"\d{8}", code) and "绑定" in done.stderr
    store = Store.open(tmp_path / "gridbot.db")
    assert store.bindings.spend_code(code_hash(code), at=int(time.time()), by="x") == "冯媛"
    store.close()
    refused = subprocess.run(
        [sys.executable, "-m", "bot", "bind-code", "--config", str(config), "--name", "路人甲"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert refused.returncode == 2 and "路人甲" in refused.stderr


async def test_a_config_without_wechat_ids_is_valid_and_the_simulator_trusts_names(open_chat) -> None:
    chat = await open_chat()  # the example config, a test chat (trusts names)
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "收到")
    assert chat.ticket(1).status == "accepted"


async def test_codes_issued_in_storage_are_hashed(real: Chat) -> None:
    with real.store.transaction():
        code = issue_code(real.store, "孙丽", at=0, by="t")
    rows = real.store.db.execute("SELECT * FROM binding_codes").fetchall()
    assert rows and code not in repr(rows)


# --- rooms ---------------------------------------------------------------------------------


async def test_a_copycat_group_is_not_adopted_and_the_admin_is_told(real: Chat) -> None:
    await say(real, "张阿姨", "wx-zhang", COVER)  # the real group, first seen: bound
    assert real.ticket(1).room_id == f"id-{QN1}"
    out = await say(real, "骗子", "wx-crook", "5号楼楼道灯坏了好几天了，晚上黑漆漆的", QN1, room_id="id-copy")
    assert real.ticket(2) is None
    assert not [m for m in out if m.room_id == "id-copy"]
    told = [m for m in out if m.to and m.to.id == ADMIN]
    assert len(told) == 1 and "id-copy" in told[0].text
    out = await say(real, "骗子", "wx-crook", "北门的垃圾桶满了三天没人清", QN1, room_id="id-copy")
    assert out == [] and real.ticket(2) is None  # told once
    # A renamed group that now bears the topic is no better.
    out = await say(real, "骗子", "wx-crook", "北门的垃圾桶满了三天没人清", QN1, room_id="id-renamed")
    assert real.ticket(2) is None and not [m for m in out if m.room_id == "id-renamed"]


async def test_escalations_and_summaries_go_to_the_bound_staff_group_only(real: Chat) -> None:
    await say(real, "张继凯", "wx-zhang-jk", "大家好", STAFF_ROOM)  # the real staff group
    await say(real, "骗子", "wx-crook", "大家好", STAFF_ROOM, room_id="id-copy-staff")
    await say(real, "张阿姨", "wx-zhang", COVER)
    # Nobody accepts: reminders, the backup, then the community (its staff group), in the
    # morning's and afternoon's lists of two days.
    posted = []
    for _ in range(2 * 48):
        posted += await real.later(minutes=30)
    staff_posts = [m for m in posted if m.room_topic == STAFF_ROOM or m.room_id in (f"id-{STAFF_ROOM}", "id-copy-staff")]
    assert staff_posts and {m.room_id for m in staff_posts} == {f"id-{STAFF_ROOM}"}
    # The weekly summary: to bound rooms only (滨河's rooms were never seen: nothing to them).
    weekly = await real.later(days=7)
    rooms = {m.room_id for m in weekly if m.room_id}
    assert f"id-{QN1}" in rooms and "id-copy-staff" not in rooms
    assert not [r for r in rooms if "滨河" in r]


async def test_an_admin_moves_a_group_to_a_new_room_with_bind_this_room(real: Chat) -> None:
    await say(real, "张阿姨", "wx-zhang", COVER)  # bound to id-青年路一网格居民群
    out = await say(real, "张阿姨", "wx-zhang", "绑定本群", QN1, room_id="id-new")
    assert real.store.bindings.room_for(QN1) == f"id-{QN1}"  # not by a resident
    out = await say(real, "冯媛", ADMIN, "绑定本群", QN1, room_id="id-new")
    assert "已绑定" in texts(out) and real.store.bindings.room_for(QN1) == "id-new"
    await say(real, "王阿姨", "wx-wang", "5号楼楼道灯坏了好几天了", QN1, room_id="id-new")
    assert real.ticket(2) is not None and real.ticket(2).room_id == "id-new"
    await say(real, "李叔", "wx-li", "北门的垃圾桶满了三天没人清", QN1)  # the old room
    assert real.ticket(3) is None
    out = await say(real, "冯媛", ADMIN, "绑定本群", "不相干的群", room_id="id-other")
    assert "不在配置里" in texts(out)


async def test_a_bound_room_keeps_its_grid_when_renamed(real: Chat) -> None:
    await say(real, "张阿姨", "wx-zhang", COVER)
    await say(real, "王阿姨", "wx-wang", "5号楼楼道灯坏了好几天了", "青年路一网格邻里群", room_id=f"id-{QN1}")
    assert real.ticket(2) is not None and real.ticket(2).grid_id == "qn-1"


def test_room_names_are_compared_normalised():
    config = load_config(EXAMPLE_CONFIG)
    d = config.directory
    for topic in (QN1 + " ", QN1 + "\u3000", QN1[:2] + "\u200b" + QN1[2:], "\u202e" + QN1):
        assert d.room_ref("some-id", topic) == QN1
    assert replace(config).directory.official_named("孙\u200b丽 ").name == "孙丽"
