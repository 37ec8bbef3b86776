"""Group member lists as a real chat's transport delivers them (WeChat ids, rooms by id):
a member who only ever writes privately is of the group's grid, so their report opens a
ticket there instead of asking where they live. Through the Application and the memory
transport in real-chat mode (`trusts_names=False`), as a user sees it."""

from __future__ import annotations

from dataclasses import replace

from conftest import ROOM_BH1

from bot.app import Application
from bot.clock import ManualClock
from bot.transports.memory import MemoryTransport
from handlers.messages import IncomingMessage, Person
from storage import Store

ROOM_ID = "5551@chatroom"
NEIGHBOUR = Person("阿华", "wxid_ahua")
BOXES = "你好 想反映个事 16栋1单元一楼楼梯口堆了纸箱子和旧沙发 一个多礼拜了 楼梯只剩一半宽 万一着火跑都跑不出去"


async def open_real_chat(example_config, shared_classifier, shared_faq, start_time):
    transport = MemoryTransport(trusts_names=False)
    config = replace(example_config, outbox=replace(example_config.outbox, per_room_seconds=0, overall_seconds=0))
    app = Application(
        config, transport, store=Store.open(None), clock=ManualClock(start_time),
        classifier=shared_classifier, faq=shared_faq, scheduler=False, deliver=False,
    )
    await app.start()
    return app, transport


def message(n: int, who: Person, text: str, room_id: str | None, app: Application) -> IncomingMessage:
    return IncomingMessage(
        message_id=f"m{n}", room_id=room_id, room_topic=ROOM_BH1 if room_id else None,
        sender_id=who.id, sender_name=who.name, text=text, time=app.clock.now(),
    )


async def test_a_listed_member_reports_privately_into_the_rooms_grid(
    example_config, shared_classifier, shared_faq, start_time
) -> None:
    app, transport = await open_real_chat(example_config, shared_classifier, shared_faq, start_time)
    try:
        # The group is bound to its grid when the bot first sees it (a resident says hello).
        await transport.deliver(message(1, Person("张阿姨", "wxid_zhang"), "大家早上好", ROOM_ID, app))
        stranger = Person("路人", "wxid_stranger")
        transport.members(ROOM_ID, ROOM_BH1, [NEIGHBOUR, Person("张阿姨", "wxid_zhang")])
        await transport.deliver(message(2, stranger, BOXES, None, app))  # not in the list
        assert app.store.tickets.select() == []  # asked where they live first
        await transport.deliver(message(3, NEIGHBOUR, BOXES, None, app))
        tickets = app.store.tickets.select()
        assert [(t.grid_id, t.reporter_id) for t in tickets] == [("bh-1", NEIGHBOUR.id)]
    finally:
        await app.stop()


async def test_the_list_of_a_room_the_bot_does_not_serve_places_nobody(
    example_config, shared_classifier, shared_faq, start_time
) -> None:
    app, transport = await open_real_chat(example_config, shared_classifier, shared_faq, start_time)
    try:
        transport.members("9999@chatroom", "广场舞交流群", [NEIGHBOUR])
        transport.members(ROOM_ID, ROOM_BH1, [NEIGHBOUR])  # not bound yet: no message seen there
        await transport.deliver(message(1, NEIGHBOUR, BOXES, None, app))
        assert app.store.tickets.select() == []
    finally:
        await app.stop()
