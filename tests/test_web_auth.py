"""Signing in to the dashboard: one-time links, sessions, pages closed without one, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import EXAMPLE_CONFIG
from webtools import open_office

from bot.cli import weblink

REPORT = "3栋门口井盖又翘起来了，晚上走路容易绊倒，电话13812345678"


@pytest.fixture
async def office(chat):
    office = await open_office(chat)
    yield office
    await office.client.close()


async def test_a_link_signs_in_once(office):
    link = office.link("马建民")
    first = await office.post(link)
    assert first.status == 303 and first.headers["Location"] == "/"
    page = await office.get("/")
    assert page.status == 200 and "马建民" in await page.text()

    office.client.session.cookie_jar.clear()
    again = await office.post(link)
    assert again.status == 410
    assert "用不了了" in await again.text()
    assert (await office.get("/")).status == 303  # no session came of it


async def test_opening_a_link_does_not_spend_it(office):
    """A chat app's link preview fetches the page: only the button signs in."""
    link = office.link("马建民")
    for _ in range(2):
        page = await office.get(link)
        assert page.status == 200
        assert "进入工作台" in await page.text()
    assert (await office.get("/")).status == 303
    assert (await office.post(link)).status == 303
    assert (await office.get("/")).status == 200


@pytest.mark.parametrize(("minutes", "works"), [(14, True), (16, False)])
async def test_a_link_expires_after_fifteen_minutes(office, minutes, works):
    link = office.link("张继凯")
    office.chat.clock.advance(timedelta(minutes=minutes))
    response = await office.post(link)
    assert response.status == (303 if works else 410)
    assert (await office.get(link)).status == 410  # used or expired: either way, gone


async def test_a_session_cookie_is_http_only_and_same_site(office):
    response = await office.post(office.link("马建民"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


async def test_a_session_ends_after_its_hours_and_on_sign_out(office):
    csrf = await office.sign_in("马建民")
    office.chat.clock.advance(timedelta(hours=11))
    assert (await office.get("/")).status == 200
    assert (await office.post("/logout", {"csrf": csrf})).status == 303
    assert (await office.get("/")).status == 303

    await office.sign_in("马建民")
    office.chat.clock.advance(timedelta(hours=12, minutes=1))
    response = await office.get("/")
    assert response.status == 303 and response.headers["Location"] == "/signin"


async def test_nobody_but_an_official_gets_a_link(office):
    assert (await office.post(office.link("张阿姨"))).status == 410
    assert (await office.post(office.link("小王"))).status == 410  # a volunteer
    assert (await office.get("/")).status == 303


PAGES = [
    "/", "/queue/rows", "/tickets/1", "/tickets/1/photos/1", "/suspects", "/stats",
    "/stats/tickets.csv", "/stats/events.csv", "/no-such-page", "/tickets/999",
]


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_without_a_session_redirects_and_shows_nothing(office, path):
    await office.chat.say("张阿姨", REPORT)
    response = await office.get(path)
    assert response.status == 303
    assert response.headers["Location"] == "/signin"
    body = await response.text()
    assert "井盖" not in body and "张阿姨" not in body and "1381234" not in body
    signin = await office.get("/signin")
    assert "后台" in await signin.text()  # the page says how to get a link


async def test_htmx_without_a_session_is_sent_to_the_sign_in_page(office):
    response = await office.client.get("/queue/rows", headers={"HX-Request": "true"})
    assert response.status == 401 and response.headers["HX-Redirect"] == "/signin"


async def test_an_action_without_a_session_changes_nothing(office):
    await office.chat.say("张阿姨", REPORT)
    response = await office.post("/tickets/1/accept")
    assert response.status == 303 and response.headers["Location"] == "/signin"
    assert office.chat.ticket(1).status == "open"


@pytest.mark.parametrize("token", [None, "", "forged-token"])
async def test_an_action_without_the_csrf_token_is_refused(office, token):
    await office.chat.say("张阿姨", REPORT)
    await office.sign_in("马建民")
    outbox_before = len(office.store.outbox.all())
    response = await office.post("/tickets/1/accept", {} if token is None else {"csrf": token})
    assert response.status == 403
    assert "刷新" in await response.text()
    assert office.chat.ticket(1).status == "open"
    assert len(office.store.outbox.all()) == outbox_before


async def test_the_csrf_token_of_another_session_is_refused(office):
    await office.chat.say("张阿姨", REPORT)
    other = await office.sign_in("张继凯")
    office.client.session.cookie_jar.clear()
    await office.sign_in("马建民")
    assert (await office.post("/tickets/1/accept", {"csrf": other})).status == 403
    assert office.chat.ticket(1).status == "open"


async def test_sign_out_needs_the_csrf_token_too(office):
    await office.sign_in("马建民")
    assert (await office.post("/logout")).status == 403
    assert (await office.get("/")).status == 200


async def test_pages_forbid_framing_and_caching(office):
    await office.sign_in("马建民")
    response = await office.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_web_link_prints_a_link_for_an_official_only(tmp_path, capsys):
    db = tmp_path / "g.db"
    assert weblink.main(["--config", str(EXAMPLE_CONFIG), "--db", str(db), "--name", "张继凯"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("http://127.0.0.1:8080/login/") and "15 分钟" in out.err
    assert weblink.main(["--config", str(EXAMPLE_CONFIG), "--db", str(db), "--name", "张阿姨"]) == 2
    assert "不是" in capsys.readouterr().err


async def test_an_official_asks_the_bot_privately_for_a_link(office):
    chat = office.chat
    [answer] = await chat.say("张继凯", "后台", room=None)
    assert answer.to is not None and answer.to.name == "张继凯" and answer.room_id is None
    assert "15 分钟内有效" in answer.text
    url = re.search(r"http://127\.0\.0\.1:8080(/login/\S+)", answer.text)
    assert url, answer.text
    assert (await office.post(url.group(1))).status == 303
    page = await (await office.get("/")).text()
    assert "张继凯" in page and "社区工作人员" in page
    office.client.session.cookie_jar.clear()
    assert (await office.post(url.group(1))).status == 410  # once only


async def test_no_link_in_a_group_nor_for_a_resident(office):
    chat = office.chat
    [in_group] = await chat.say("马建民", "后台")
    assert "请私聊我说" in in_group.text and "/login/" not in in_group.text
    [resident] = await chat.say("张阿姨", "后台", room=None)
    assert "/login/" not in resident.text
    assert chat.store.db.execute("SELECT COUNT(*) FROM web_links").fetchone()[0] == 0
