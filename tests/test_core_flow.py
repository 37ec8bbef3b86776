"""The core loop through the test transport: what residents and workers see, and what is stored."""

from __future__ import annotations

import logging

from conftest import EXAMPLE_CONFIG, ROOM_BH1, ROOM_QN1, mentioned, texts

from bot.config import load_config

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"


async def test_report_is_acknowledged_and_the_worker_in_charge_pinged(chat):
    sent = await chat.say("张阿姨", COVER)

    [post] = [m for m in sent if m.room_id is not None]
    assert post.room_topic == ROOM_QN1
    assert "#1" in post.text and "马建民" in post.text
    assert [p.name for p in post.mentions] == ["张阿姨"]
    assert "接单" not in post.text  # what the worker is to do is not the residents' news
    [ping] = [m for m in sent if m.to is not None]
    assert ping.to.name == "马建民" and "回「收到 1」接单" in ping.text
    assert ping.to.id == "wxid_majianmin"  # configured id, not just the name
    ticket = chat.ticket(1)
    assert (ticket.intent, ticket.status, ticket.grid_id) == ("repair", "open", "qn-1")
    assert ticket.assignee_name == "马建民"
    assert ticket.reporter_name == "张阿姨"
    assert ticket.location == "3栋门口"
    assert [e.kind for e in chat.store.tickets.events(1)] == ["created"]


async def test_full_loop_accept_complete_rate(chat):
    await chat.say("张阿姨", COVER)

    accepted = await chat.say("马建民", "收到")
    assert chat.ticket(1).status == "accepted"
    # accepted at once: no news for the group, and no word back to the worker of what she
    # just said herself in the group
    assert accepted == []

    done = await chat.say("马建民", "完成 1 已更换井盖")
    ticket = chat.ticket(1)
    assert ticket.status == "resolved" and ticket.resolution_note == "已更换井盖"
    assert "张阿姨" in mentioned(done)
    assert "已更换井盖" in texts(done) and "满意" in texts(done)

    rated = await chat.say("张阿姨", "满意")
    ticket = chat.ticket(1)
    assert (ticket.status, ticket.rating) == ("closed", 5)
    assert rated == []  # no thanks in the group: one post fewer for everyone
    kinds = [e.kind for e in chat.store.tickets.events(1)]
    assert kinds == ["created", "accepted", "resolved", "rated", "closed"]
    actors = {e.kind: e.actor_name for e in chat.store.tickets.events(1)}
    assert actors["accepted"] == "马建民" and actors["rated"] == "张阿姨"


async def test_numbered_commands_and_bare_done(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "接单 1")
    assert chat.ticket(1).status == "accepted"
    await chat.say("马建民", "修好了")
    assert chat.ticket(1).status == "resolved"
    await chat.say("张阿姨", "评价 1 4")
    assert chat.ticket(1).rating == 4 and chat.ticket(1).status == "closed"
    thanks = await chat.say("张阿姨", "评价 1 3", room=None)  # privately: thanked privately
    assert chat.ticket(1).rating == 3
    assert [m.to.name for m in thanks] == ["张阿姨"] and "3 分" in texts(thanks)


async def test_resident_says_not_fixed_reopens(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "收到")
    await chat.say("马建民", "已处理")
    sent = await chat.say("张阿姨", "没修好")
    ticket = chat.ticket(1)
    assert ticket.status == "accepted" and ticket.reopened_count == 1
    assert "马建民" in mentioned(sent)
    assert "reopened" in [e.kind for e in chat.store.tickets.events(1)]


async def test_transfer_to_another_worker(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", "转 1 孙丽")
    ticket = chat.ticket(1)
    assert (ticket.assignee_name, ticket.status) == ("孙丽", "open")
    assert "孙丽" in texts(sent)
    taken = await chat.say("孙丽", "收到")
    assert chat.ticket(1).status == "accepted" and chat.ticket(1).assignee_name == "孙丽"
    assert taken == []  # she said it in the group herself: nothing back
    noted = await chat.say("孙丽", "进展 1 已联系物业", room=None)  # a command is answered
    assert [m.to.name for m in noted] == ["孙丽"] and "#1" in texts(noted)


async def test_residents_hear_of_acceptance_only_after_a_long_wait(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("李叔", "9栋后面的井盖也丢了，黑乎乎一个洞")
    quick = await chat.say("马建民", "接单 1")
    assert [m.room_id for m in quick] == [None]  # within the hour: only the worker is told
    await chat.later(minutes=61)  # accept_news_after_minutes = 60
    late = await chat.say("马建民", "接单 2")
    [news] = late  # said in the group that is told: one post, with the resident @-mentioned
    assert news.room_topic == ROOM_QN1 and mentioned(late) == ["李叔"] and "马建民已经接手" in news.text


async def test_escalate_to_community_staff(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", "转 1 社区")
    ticket = chat.ticket(1)
    assert ticket.escalation_level == 2 and ticket.assignee_name == "张继凯"
    private = [m for m in sent if m.to is not None]
    assert [m.to.name for m in private] == ["马建民"]  # the worker's confirmation
    admin_posts = [m for m in sent if m.room_topic == "青年路社区工作群"]
    assert len(admin_posts) == 1  # the staff read it once, in their own group
    assert not [m for m in sent if m.room_topic == ROOM_QN1]  # who has it now is no news for residents
    assert "escalated" in [e.kind for e in chat.store.tickets.events(1)]


async def test_staff_without_a_staff_group_hear_each_privately(open_chat, tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('admin_room = "青年路社区工作群"', "")
    (tmp_path / "no_staff_group.toml").write_text(text, encoding="utf-8")
    chat = await open_chat(config=load_config(tmp_path / "no_staff_group.toml"))
    await chat.say("张阿姨", COVER)
    sent = await chat.say("马建民", "退回 1 不归我们网格")
    assert sorted(m.to.name for m in sent if m.to is not None) == ["刘芳", "张继凯", "马建民"]
    assert [m for m in sent if m.room_id is not None] == []


async def test_return_to_community_needs_a_reason(chat):
    await chat.say("张阿姨", COVER)
    asked = await chat.say("马建民", "退回 1")
    assert "原因" in texts(asked) and chat.ticket(1).assignee_name == "马建民"
    await chat.say("马建民", "退回 1 不归我们网格")
    ticket = chat.ticket(1)
    assert ticket.assignee_name == "张继凯" and ticket.status == "open"
    assert "returned" in [e.kind for e in chat.store.tickets.events(1)]


async def test_resident_withdraws_own_ticket(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("张阿姨", "撤销 1")
    assert chat.ticket(1).status == "cancelled"
    assert "已撤销" in texts(sent)


async def test_residents_and_strangers_are_refused_politely(chat):
    await chat.say("张阿姨", COVER)
    sent = await chat.say("路人甲", "接单 1")
    assert "只有" in texts(sent)
    sent = await chat.say("路人甲", "撤销 1")
    assert "不是您反映的" in texts(sent)
    sent = await chat.say("路人甲", "评价 1 1")
    assert "不是您反映的" in texts(sent)
    # a worker of another community may not act on this grid's ticket
    sent = await chat.say("李强", "完成 1", room=ROOM_BH1)
    assert "不在您负责的网格" in texts(sent)
    ticket = chat.ticket(1)
    assert ticket.status == "open" and ticket.rating is None
    assert [e.kind for e in chat.store.tickets.events(1)] == ["created"]


async def test_query_by_stranger_shows_status_only(chat):
    await chat.say("张阿姨", "我家电话13812345678，3栋门口井盖又翘起来了")
    sent = await chat.say("路人甲", "查询 1")
    assert texts(sent) == "工单 #1 当前状态：待接单。"
    own = await chat.say("张阿姨", "查询 1")
    assert "井盖" in texts(own) and "13812345678" not in texts(own)


async def test_duplicate_commands_and_numbers_that_are_not_tickets(chat):
    await chat.say("张阿姨", COVER)
    assert "没有找到工单 #99" in texts(await chat.say("马建民", "接单 99"))
    assert "工单号不对" in texts(await chat.say("马建民", "接单 -3"))
    assert "工单号不对" in texts(await chat.say("马建民", "接单 99999999999999999999"))
    assert "请带上工单号" in texts(await chat.say("马建民", "完成", room=ROOM_BH1))  # none waits there
    await chat.say("马建民", "接单 1")
    assert "不用再接单" in texts(await chat.say("马建民", "接单 1"))


async def test_private_report_goes_to_the_grid_of_the_residents_group(chat):
    await chat.say("王大爷", "大家早上好")
    sent = await chat.say("王大爷", "5号楼2单元楼道灯坏了好几天了", room=None)
    ticket = chat.ticket(1)
    assert ticket.grid_id == "qn-1" and ticket.room_id is None
    assert {m.to.name for m in sent} == {"王大爷", "马建民"}
    assert all(m.room_id is None for m in sent)
    done = await chat.say("马建民", "完成 1 换了灯泡", room=None)
    news = [m for m in done if m.to is not None and m.to.name == "王大爷"]
    assert news and "换了灯泡" in news[0].text


async def test_worker_private_commands_todo_and_query(chat):
    await chat.say("张阿姨", COVER)
    todo = await chat.say("马建民", "待办", room=None)
    assert "#1" in texts(todo) and todo[0].to.name == "马建民"
    query = await chat.say("马建民", "查询 1", room=None)
    assert "张阿姨" in texts(query) and "待接单" in texts(query)


async def test_worker_registers_on_behalf_of_a_resident(chat):
    sent = await chat.say("马建民", "登记 6号楼西侧路灯不亮，刘奶奶电话反映")
    ticket = chat.ticket(1)
    assert ticket is not None and ticket.intent == "repair"
    assert ticket.status == "accepted" and ticket.assignee_name == "马建民"
    assert "#1" in texts(sent)


async def test_message_from_unknown_room_is_ignored_and_logged(chat, caplog):
    with caplog.at_level(logging.INFO, logger="gridbot"):
        sent = await chat.say("张阿姨", COVER, room="隔壁小区业主群")
    assert sent == []
    assert chat.ticket(1) is None
    row = chat.store.inbox.get("m1")
    assert row.status == "ignored" and "隔壁小区业主群" in row.note
    assert "ignored message m1" in caplog.text


async def test_chatter_gets_no_reply_and_no_ticket(chat):
    for text in ("早上好", "[红包]", "哈哈哈哈", "周末团购接龙 1. 张三 2箱"):
        assert await chat.say("张阿姨", text) == []
    assert chat.store.tickets.select() == []


async def test_help_by_role(chat):
    resident = texts(await chat.say("张阿姨", "帮助"))
    worker = texts(await chat.say("马建民", "帮助"))
    admin = texts(await chat.say("冯媛", "帮助", room=None))
    assert "我的工单" in resident and "接单" not in resident
    assert "接单" in worker and "重载规则" not in worker
    assert "重载规则" in admin


async def test_redelivered_message_is_handled_once(chat):
    first = await chat.say("张阿姨", COVER, message_id="wx-42")
    again = await chat.say("张阿姨", COVER, message_id="wx-42")
    assert len(first) == 2 and again == []  # the acknowledgement and the worker's ping
    assert len(chat.store.tickets.select()) == 1
    assert chat.store.inbox.count() == 1


async def test_renamed_room_keeps_its_grid(chat):
    await chat.say("张阿姨", COVER)  # the room id is remembered for grid qn-1
    sent = await chat.say(
        "李叔", "7号楼下水道堵了往外冒水", room="幸福一家人", room_id=f"room-{ROOM_QN1}"
    )
    assert chat.ticket(2).grid_id == "qn-1"
    assert sent and sent[0].room_topic == "幸福一家人"
    ignored = await chat.say("李叔", "7号楼下水道堵了往外冒水", room="幸福一家人")
    assert ignored == []  # the same name under another id is not that group
