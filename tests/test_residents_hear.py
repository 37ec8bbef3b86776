"""A residents' group hears news for residents: the acknowledgement, the outcome, and the
acceptance only when it is news. Who is pinged, reminded, escalated to or thanked is told
privately or not at all, and other residents' groups never hear of the ticket."""

from __future__ import annotations

from conftest import ROOM_QN1, ROOM_QN2, texts

COVER = "3栋门口井盖又翘起来了，晚上走路容易绊倒"
OTHER_ROOM_QN1 = "青年路1-6号楼楼栋群"  # the grid's second residents' group


async def test_one_tickets_whole_life_is_at_most_three_posts_in_the_group(chat):
    sent = await chat.say("张阿姨", COVER)
    for _ in range(3 * 60 // 10):  # three hours nobody takes it: reminders, escalations
        sent += await chat.later(minutes=10)
    sent += await chat.say("孙丽", "接单 1")  # the backup worker, after a long wait: news
    sent += await chat.later(minutes=40)
    sent += await chat.say("孙丽", "完成 1 已固定井盖")
    sent += await chat.say("张阿姨", "满意")
    sent += await chat.later(hours=80)  # past the rating question and auto-close

    posts = [m for m in sent if m.room_id is not None and m.room_topic != "青年路社区工作群"]
    assert [m.room_topic for m in posts] == [ROOM_QN1] * 3
    ack, accepted, done = (m.text for m in posts)
    assert "#1" in ack and "接单" not in ack  # no instructions for the worker
    assert "孙丽已接单" in accepted
    assert "已固定井盖" in done and "满意" in done  # the outcome asks for the rating
    assert all("⏰" not in m.text and "⏫" not in m.text for m in posts)
    privately = {m.to.name for m in sent if m.to is not None}
    assert {"马建民", "孙丽"} <= privately  # the ping, reminders and the hand-over


async def test_other_residents_groups_never_hear_of_the_ticket(chat):
    await chat.say("张阿姨", COVER)
    # the worker answers in the grid's other group (and a worker of the next grid in hers)
    elsewhere = await chat.say("马建民", "接单 1", room=OTHER_ROOM_QN1)
    elsewhere += await chat.say("马建民", "转 1 孙丽", room=OTHER_ROOM_QN1)
    elsewhere += await chat.say("孙丽", "接单 1", room=ROOM_QN2)
    assert chat.ticket(1).status == "accepted"
    assert [m.room_id for m in elsewhere] == [None] * len(elsewhere)
    done = await chat.say("孙丽", "完成 1 已固定井盖", room=ROOM_QN2)
    assert {m.room_topic for m in done if m.room_id} == {ROOM_QN1}  # only where it was reported
    assert [m.to.name for m in done if m.to] == ["孙丽"]
    assert "已固定井盖" in texts(done)


async def test_a_reopening_in_the_group_is_news_for_residents_and_the_details_go_privately(chat):
    await chat.say("张阿姨", COVER)
    await chat.say("马建民", "接单 1")
    await chat.say("马建民", "完成 1 换了新井盖")
    sent = await chat.say("张阿姨", "还是没修好，踩上去还咣当响")
    assert chat.ticket(1).status == "accepted"
    [post] = [m for m in sent if m.room_id is not None]
    assert post.room_topic == ROOM_QN1 and {p.name for p in post.mentions} == {"张阿姨", "马建民"}
    assert "#1" in post.text and "咣当" not in post.text  # news: handed back, a bare @ of the worker
    [ping] = [m for m in sent if m.to is not None]
    assert ping.to.name == "马建民" and "#1" in ping.text and "咣当" in ping.text  # what is wrong
