"""What each official sees on the dashboard: their scope only, the queue with its filters,
deadlines and reporters, a ticket's timeline and reports, photos, 疑似, /health."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import EXAMPLE_CONFIG, ROOM_BH1, ROOM_QN1, ROOM_QN2
from webtools import open_office

from bot.config import load_config
from handlers.messages import Media

REPORTS = [  # (who, room, text): tickets #1-#4
    ("张阿姨", ROOM_QN1, "3栋门口井盖又翘起来了，晚上走路容易绊倒，电话13812345678"),
    ("王大爷", ROOM_QN2, "5号楼楼道里有人给电动车充电，电线拖到楼梯上，太危险了"),
    ("赵阿姨", ROOM_BH1, "楼上天天半夜跺脚，吵得睡不着，说了也不听"),
    ("钱阿姨", "滨河新村二网格群", "滨河新村8栋门口垃圾桶满了好几天没人清，臭得很"),
]
WORDS = ["井盖", "电动车", "跺脚", "垃圾桶"]


@pytest.fixture
async def office(chat):
    office = await open_office(chat)
    yield office
    await office.client.close()


async def report_all(chat) -> None:
    for who, room, text in REPORTS:
        await chat.say(who, text, room=room)
    assert [chat.ticket(n).grid_id for n in range(1, 5)] == ["qn-1", "qn-2", "bh-1", "bh-2"]


def shown(page: str) -> set[str]:
    return {word for word in WORDS if word in page}


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("冯媛", {"井盖", "电动车", "跺脚", "垃圾桶"}),  # admin: every grid
        ("张继凯", {"井盖", "电动车"}),  # staff of 青年路社区
        ("陈海燕", {"跺脚", "垃圾桶"}),  # staff of 滨河社区
        ("李强", {"跺脚", "垃圾桶"}),  # worker of bh-1, backup of bh-2
    ],
)
async def test_each_role_sees_its_scope_only(office, name, sees):
    await report_all(office.chat)
    await office.sign_in(name)
    assert shown(await (await office.get("/")).text()) == sees
    assert shown(await (await office.get("/queue/rows")).text()) == sees
    for number, word in enumerate(WORDS, start=1):
        page = await office.get(f"/tickets/{number}")
        body = await page.text()
        if word in sees:
            assert page.status == 200 and word in body
        else:  # another community's ticket does not exist for them
            assert page.status == 404 and word not in body and REPORTS[number - 1][0] not in body


async def test_a_worker_of_one_grid_sees_that_grid(open_chat, tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('workers = ["马建民", "孙丽"]', 'workers = ["马建民"]')
    text = text.replace('workers = ["孙丽", "马建民"]', 'workers = ["孙丽"]')
    path = tmp_path / "one-grid.toml"
    path.write_text(text, encoding="utf-8")
    chat = await open_chat(load_config(path))
    office = await open_office(chat)
    try:
        await report_all(chat)
        await office.sign_in("马建民")
        assert shown(await (await office.get("/")).text()) == {"井盖"}
        assert (await office.get("/tickets/2")).status == 404
        assert (await office.get("/?grid=qn-2")).status == 200  # a foreign grid is ignored
        assert shown(await (await office.get("/?grid=qn-2")).text()) == {"井盖"}
    finally:
        await office.client.close()


async def test_the_queue_filters(office):
    chat = office.chat
    await report_all(chat)
    await chat.say("孙大爷", "6栋电梯里有人被困住了，快来人")  # #5, urgent, qn-1
    assert chat.ticket(5).urgent
    await chat.say("马建民", "接单 1")
    await office.sign_in("冯媛")

    async def numbers(query: str) -> list[int]:
        page = await (await office.get(f"/queue/rows?{query}")).text()
        return [int(n) for n in re.findall(r'data-ticket="(\d+)"', page)]

    assert await numbers("") == [5, 2, 3, 4, 1]  # urgent first, then by deadline
    assert sorted(await numbers("grid=qn-1")) == [1, 5]
    assert await numbers("state=accepted") == [1]
    assert sorted(await numbers("state=open")) == [2, 3, 4, 5]
    assert await numbers("intent=safety") == [2]
    assert await numbers("urgent=1") == [5]
    assert await numbers("overdue=1") == []
    chat.clock.advance(timedelta(minutes=31))  # past the 30 minutes to accept
    assert sorted(await numbers("overdue=1")) == [2, 3, 4, 5]
    assert await numbers("state=nonsense&intent=nonsense") == [5, 2, 3, 4, 1]  # ignored


async def test_the_queue_counts_down_and_turns_red_when_late(office):
    chat = office.chat
    await chat.say("张阿姨", REPORTS[0][2])
    await chat.say("李叔", "三栋门口那个井盖松了，踩上去咣当响")  # joins #1
    await office.sign_in("马建民")
    chat.clock.advance(timedelta(minutes=20))
    page = await (await office.get("/")).text()
    assert "还剩 10 分钟" in page and "2 人反映" in page and 'class="deadline late"' not in page
    assert re.search(r'<span class="n">1</span>待接单', page)
    chat.clock.advance(timedelta(minutes=25))
    page = await (await office.get("/queue/rows")).text()
    assert '<div class="deadline late">已超时 15 分钟</div>' in page
    assert re.search(r'<span class="n">1</span>已超时', page)
    assert 'hx-trigger="every 30s"' in page and 'hx-swap-oob="true"' in page


async def test_the_ticket_page_shows_timeline_reports_and_masked_phones(office):
    chat = office.chat
    await chat.say("张阿姨", REPORTS[0][2])
    await chat.say("李叔", "三栋门口那个井盖松了，踩上去咣当响，我电话 139-1234-5678")
    await chat.say("马建民", "接单 1")
    chat.clock.advance(timedelta(minutes=40))
    await chat.say("马建民", "完成 1 已更换新井盖")
    await office.sign_in("马建民")
    page = await (await office.get("/tickets/1")).text()
    assert "13812345678" not in page and "5678" not in page
    assert "张阿姨" in page and "李叔" in page and "居民反映（2 人）" in page
    timeline = page[page.index("经过"):]
    for what, who in [("登记", "张阿姨"), ("又有居民反映", "李叔"), ("接单", "马建民"), ("办结", "马建民")]:
        assert re.search(rf"<b>{what}</b> · {who}", timeline), what
    assert "11-23 10:40 · 已更换新井盖" in timeline
    assert '<span class="chip state-resolved" id="ticket-state">已处理待评价</span>' in page
    assert 'action="/tickets/1/accept"' not in page  # nothing left to do on it


async def test_photos_are_shown_in_scope_only(open_chat, example_config, tmp_path):
    chat = await open_chat(replace(example_config, data_dir=tmp_path))
    office = await open_office(chat)
    photo = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    await chat.say("张阿姨", REPORTS[0][2], media=(Media("image", "p.png", photo),))
    attachments = chat.store.notes.attachments(1)
    assert attachments, "the photo was stored with the ticket"
    # the chat's store lives in memory: put the file where a real bot keeps photos
    path = tmp_path / "media" / "ab" / "photo"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(photo)
    chat.store.db.execute("UPDATE attachments SET path = ? WHERE ticket_id = 1", [str(path)])
    try:
        await office.sign_in("马建民")
        url = f"/tickets/1/photos/{attachments[0]['id']}"
        assert url in await (await office.get("/tickets/1")).text()
        response = await office.get(url)
        assert response.status == 200 and response.headers["Content-Type"] == "image/png"
        assert await response.read() == photo
        office.client.session.cookie_jar.clear()
        await office.sign_in("李强")  # another community
        assert (await office.get(url)).status == 404
    finally:
        await office.client.close()


async def test_suspects_show_the_conversation_around_them(office):
    chat = office.chat
    await chat.say("周阿姨", "大家晚上好", message_id="c1")
    await chat.say("孙大妈", "那个谁家的东西是不是又放走廊了，电话13912345678", message_id="c2")
    await chat.say("周阿姨", "是啊，挡着路", message_id="c3")
    await chat.say("赵阿姨", "滨河这边也有人乱放", room=ROOM_BH1, message_id="c4")
    with chat.store.transaction():
        chat.store.notes.add_suspect(
            grid_id="qn-1", room_id=f"room-{ROOM_QN1}", room_topic=ROOM_QN1, sender_id="wx-孙大妈",
            sender_name="孙大妈", text="那个谁家的东西是不是又放走廊了，电话13912345678",
            intent="safety", confidence=0.4, message_id="c2", at=chat.app.context().ts,
        )
    await office.sign_in("马建民")
    page = await (await office.get("/suspects")).text()
    assert "孙大妈" in page and "大家晚上好" in page and "是啊，挡着路" in page
    assert "滨河这边" not in page  # another room's talk
    assert "13912345678" not in page
    assert '<li class="focus">' in page and "像「安全隐患」· 把握 40%" in page
    office.client.session.cookie_jar.clear()
    await office.sign_in("李强")
    assert "孙大妈" not in await (await office.get("/suspects")).text()


async def test_health_says_whether_the_bot_is_alive(office):
    chat = office.chat
    await chat.say("张阿姨", REPORTS[0][2])
    response = await office.get("/health")  # no sign-in needed
    body = await response.json()
    assert response.status == 200
    assert body["ok"] is True and body["connected"] is True and body["transport"] == "memory"
    assert body["last_message_at"] == "2026-11-23T10:00:00+08:00"
    assert body["outbox_backlog"] == 0 and body["last_sweep_at"] is None
    await chat.transport.stop()
    await chat.later(minutes=5)
    body = await (await office.get("/health")).json()
    assert body["ok"] is False and body["connected"] is False
    assert body["last_sweep_at"] == "2026-11-23T10:05:00+08:00"
    await chat.later(hours=4)  # the afternoon's list of what is overdue is queued, nobody can send it
    assert (await (await office.get("/health")).json())["outbox_backlog"] >= 1
    assert "井盖" not in await (await office.get("/health")).text()
