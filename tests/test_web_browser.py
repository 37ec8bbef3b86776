"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright.

Signs in with a link, sees the queue, opens a ticket, accepts it, corrects it (another
intent, urgent; 不是诉求 on another), and checks the tickets in the database; screenshots (phone and desktop) go to tests/artifacts/. `make test`
installs Chromium when it is missing (Debian's package, as root); where it cannot be
installed this test is skipped and says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOM_BH1, ROOM_QN2

from bot.web import WebServer
from handlers.signin import new_link

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 390, "height": 844}


def playwright_or_skip():
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        pytest.skip(
            "no browser: /usr/bin/chromium is missing and could not be installed "
            "(make test runs `apt-get install chromium` as root when it can)"
        )
    return async_playwright


@pytest.fixture
async def served(chat):
    server = WebServer(chat.app, "127.0.0.1", 0)
    base = await server.start()
    yield chat, base
    await server.stop()


async def test_an_official_signs_in_works_the_queue_and_accepts_a_ticket(served, tmp_path):
    async_playwright = playwright_or_skip()
    chat, base = served
    await chat.say("张阿姨", "3栋门口井盖又翘起来了，晚上走路容易绊倒，我电话13812345678")
    await chat.say("李叔", "三栋门口那个井盖松了，踩上去咣当响")
    await chat.say("王大爷", "5号楼楼道里有人给电动车充电，电线拖到楼梯上，太危险了", room=ROOM_QN2)
    await chat.say("赵阿姨", "楼上天天半夜跺脚，吵得睡不着，说了也不听", room=ROOM_BH1)
    await chat.say("孙大妈", "那个谁家的东西是不是又放走廊了", message_id="unsure")
    with chat.store.transaction():  # as the classifier keeps a message it is unsure of
        chat.store.notes.add_suspect(
            grid_id="qn-1", room_id="room-青年路一网格居民群", room_topic="青年路一网格居民群",
            sender_id="wx-孙大妈", sender_name="孙大妈", text="那个谁家的东西是不是又放走廊了",
            intent="safety", confidence=0.42, message_id="unsure", at=chat.app.context().ts,
        )
    # the repair ticket is now overdue, and waited long enough for its acceptance to be news
    await chat.later(minutes=61)
    chat.transport.take()
    web = chat.app.config.settings.web
    with chat.store.transaction():
        link = new_link(chat.store, "马建民", at=int(chat.clock.now().timestamp()), web=web)
    link = link.replace(web.base_url, base)
    ARTIFACTS.mkdir(exist_ok=True)

    async with async_playwright() as p:
        context = await p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=FLAGS,
            headless=True, viewport=PHONE, device_scale_factor=2, locale="zh-CN",
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            await page.goto(link)
            await page.get_by_role("button", name="进入工作台").click()
            await page.wait_for_url(f"{base}/")

            queue = page.locator("#queue")
            await queue.locator("[data-ticket='1']").wait_for()
            text = await queue.inner_text()
            assert "井盖" in text and "电动车" in text  # his grid and the one he backs up
            assert "跺脚" not in text  # another community's ticket
            assert "2 人反映" in text
            assert "已超时" in await queue.locator("[data-ticket='1'] .deadline.late").inner_text()
            await page.screenshot(path=str(ARTIFACTS / "web-queue-phone.png"), full_page=True)

            # Live: what happens in the chat shows without reloading (htmx, as its 30 s poll does)
            accepted = page.locator("#tiles a[href='/?state=accepted'] .n")
            assert await accepted.inner_text() == "0"
            await chat.say("孙丽", "接单 2", room=ROOM_QN2)
            await page.evaluate("htmx.ajax('GET', '/queue/rows', {target: '#queue', swap: 'outerHTML'})")
            await page.wait_for_function(
                "document.querySelector(\"#tiles a[href='/?state=accepted'] .n\").textContent === '1'"
            )

            await queue.locator("[data-ticket='1']").click()
            await page.wait_for_url(f"{base}/tickets/1")
            assert "13812345678" not in await page.content()
            await page.locator("#accept").click()
            await page.wait_for_url(f"{base}/tickets/1?done=accept")
            assert await page.locator("#ticket-state").inner_text() == "处理中"
            notice = await page.locator(".notice").inner_text()  # the bot's answer, as in chat
            assert "工单 #1 已由马建民接单" in notice and "青年路一网格居民群 @张阿姨 @李叔" in notice
            await page.screenshot(path=str(ARTIFACTS / "web-ticket-phone.png"), full_page=True)

            # A correction, as 改 1 安全隐患 in chat: the page's part is replaced in place (htmx)
            await page.evaluate("window.stayed = true")
            await page.locator("#intent").select_option(label="安全隐患")
            await page.locator("#correct").click()
            await page.wait_for_url(f"{base}/tickets/1?done=correct")
            notice = page.locator(".notice")
            await notice.wait_for()
            assert "从「设施报修」改为「安全隐患」" in await notice.inner_text()
            assert await page.evaluate("window.stayed === true")  # no full reload
            assert "安全隐患" in await page.locator(".ticket-head").inner_text()
            await page.locator("#urgent").click()
            await page.wait_for_url(f"{base}/tickets/1?done=urgent")
            await page.locator(".chip.urgent").wait_for()
            assert await page.locator("#not-urgent").count() == 1

            # 不是诉求 asks first, then closes #2 without a word to its group
            await page.goto(f"{base}/tickets/2")
            questions = []

            async def answer(dialog):
                questions.append(dialog.message)
                await dialog.accept()

            page.once("dialog", answer)
            await page.locator("#not-a-need").click()
            await page.wait_for_url(f"{base}/tickets/2?done=not_a_need")
            assert await page.locator("#ticket-state").inner_text() == "已撤销"
            assert questions and "不通知居民群" in questions[0]
            await page.screenshot(path=str(ARTIFACTS / "web-correction-phone.png"), full_page=True)

            await page.goto(f"{base}/suspects")
            assert "放走廊" in await page.locator("main").inner_text()
            await page.screenshot(path=str(ARTIFACTS / "web-suspects-phone.png"), full_page=True)
            page.once("dialog", answer)  # 不是诉求 asks first, then lists it no more
            await page.locator("#suspects-page [id^='dismiss-']").first.click()
            await page.wait_for_url(f"{base}/suspects?done=dismiss")
            assert "标为不是诉求" in await page.locator(".notice").inner_text()
            assert "放走廊" not in await page.locator("#suspects-list").inner_text()

            await page.goto(f"{base}/stats?period=week")
            await page.locator("[data-chart='rates'] svg").wait_for()
            await page.screenshot(path=str(ARTIFACTS / "web-stats-phone.png"), full_page=True)

            await page.set_viewport_size({"width": 1280, "height": 900})
            await page.goto(f"{base}/stats?period=week")
            await page.locator("[data-chart='perDay'] svg").wait_for()
            await page.screenshot(path=str(ARTIFACTS / "web-stats-desktop.png"), full_page=True)
            await page.goto(f"{base}/")
            await page.screenshot(path=str(ARTIFACTS / "web-queue-desktop.png"), full_page=True)
        finally:
            await context.close()

    ticket = chat.ticket(1)
    assert ticket.status == "accepted" and ticket.assignee_name == "马建民"
    assert ticket.intent == "safety" and ticket.urgent
    assert chat.ticket(2).status == "cancelled"
    stored = [(c.kind, c.ticket_id, c.by_name) for c in chat.store.corrections.all()]
    assert stored == [("intent", 1, "马建民"), ("urgent", 1, "马建民"), ("not_a_need", 2, "马建民"),
                      ("dismissed", None, "马建民")]
    assert not [row for row in chat.store.outbox.all() if row.room_topic == ROOM_QN2
                and "#2" in row.text and row.state == "pending"]  # its group is not told
    queued = [row.text for row in chat.store.outbox.all() if row.state == "pending"]
    assert any("马建民已经接手" in text for text in queued)  # the residents are told, as in chat
