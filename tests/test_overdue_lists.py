"""What a grid worker's phone receives over a day (review of d11, finding 3; of d10, finding 7):
new tickets and what cannot wait come at once; what can wait is chased in a morning and an
afternoon list ([sla] reminder_lists_at), each ticket at most once a list, never a list every
half hour; the backup is handed only what is still untaken; 「不用管了」 goes only to whom the
ticket was handed. Through the Application, the clock moved minute by minute."""

from __future__ import annotations

from dataclasses import dataclass

from conftest import ROOM_QN1

WORKER, BACKUP = "马建民", "孙丽"
LAMP = "5栋门口的路灯不亮了 晚上黑黢黢的"
DOG_MESS = "6号楼门口又是一大坨狗屎 没人清理 臭死了"
GATE = "北门的大铁门锁坏了 关不上 一个礼拜了"
PILLS = "我妈一个人住 腿脚不好下不了楼 降压药吃完了 谁能帮忙去药店买一盒 她住3栋2单元101"


@dataclass(frozen=True)
class Heard:
    at: str  # "Mon 14:00"
    to: str  # a person, or [a room]
    text: str


async def walk(chat, minutes: int) -> list[Heard]:
    """Run the timers every minute, as the scheduler does: what went out, and when."""
    heard = []
    for _ in range(minutes):
        for m in await chat.later(minutes=1):
            heard.append(Heard(f"{chat.clock.now():%a %H:%M}", m.to.name if m.to else f"[{m.room_topic}]", m.text))
    return heard


async def say(chat, minutes: int, name: str, text: str) -> list[Heard]:
    """Let `minutes` pass (the timers running), then say it in the residents' group."""
    heard = await walk(chat, minutes)
    for m in await chat.say(name, text, ROOM_QN1):
        heard.append(Heard(f"{chat.clock.now():%a %H:%M}", m.to.name if m.to else f"[{m.room_topic}]", m.text))
    return heard


def to(heard: list[Heard], name: str) -> list[Heard]:
    return [h for h in heard if h.to == name]


def overdue(heard: list[Heard]) -> list[Heard]:
    return [h for h in heard if h.text.startswith(("⏰", "⏫"))]


async def test_what_can_wait_is_chased_in_a_morning_and_an_afternoon_list(chat) -> None:
    # Monday 10:00: three things that can wait, none of them taken all day
    heard = await say(chat, 0, "5栋 李叔", LAMP)
    heard += await say(chat, 20, "6-2-201 钱叔", DOG_MESS)
    heard += await say(chat, 40, "4栋 老孟", GATE)
    assert [chat.ticket(n).urgent for n in (1, 2, 3)] == [False, False, False]
    heard += await walk(chat, 8 * 60)  # to 19:00
    worker = to(heard, WORKER)
    new = [h for h in worker if "新工单" in h.text or h.text.startswith("🆕")]
    # new tickets: the first at once, the next 20 minutes later with the end of that half
    # hour (handlers/pace.py), the third at once (half an hour after the last)
    assert [h.at for h in new] == ["Mon 10:00", "Mon 10:30", "Mon 11:00"]
    # overdue: one list at 14:00 with all three, not a list every half hour
    [listed] = overdue(worker)
    assert listed.at == "Mon 14:00" and all(f"#{n}" in listed.text for n in (1, 2, 3))
    assert len(worker) == 4
    assert to(heard, BACKUP) == []  # not handed to the backup on their first day

    tuesday = await walk(chat, 23 * 60)  # to Tuesday 18:00
    # the second list, Tuesday morning; then, still untaken, the backup has them at 14:00
    assert [(h.at, h.text[0]) for h in overdue(to(tuesday, WORKER))] == [("Tue 09:00", "⏰")]
    [handed] = overdue(to(tuesday, BACKUP))
    assert handed.at == "Tue 14:00" and all(f"#{n}" in handed.text for n in (1, 2, 3))
    # each ticket named at most once a list, to anyone
    for n in (1, 2, 3):
        assert len([h for h in overdue(heard + tuesday) if f"#{n}" in h.text]) == 3


async def test_what_cannot_wait_is_chased_at_its_own_time_and_a_bin_waits_for_the_list(chat) -> None:
    heard = await say(chat, 0, "3-2-101 刘阿姨的女儿", PILLS)  # an old woman alone, out of her pills
    heard += await say(chat, 5, "6-2-201 钱叔", DOG_MESS)
    assert chat.ticket(1).intent == "errand" and not chat.ticket(1).urgent
    heard += await walk(chat, 4 * 60)  # to 14:05
    chased = overdue(heard)
    # the pills: reminded when their half hour is up (the dog mess, reported 5 minutes after
    # their ping, kept for that message), then the backup has them, not a second reminder
    assert [(h.at, h.to) for h in chased if "#1" in h.text][:2] == [("Mon 10:30", WORKER), ("Mon 11:00", BACKUP)]
    # the dog mess: told as new in the pills' 10:30 message (not as overdue), then in the
    # afternoon's list, and nowhere else
    assert [(h.at, h.to) for h in chased if "#2" in h.text] == [("Mon 10:30", WORKER), ("Mon 14:00", WORKER)]
    [with_pills] = [h for h in chased if h.at == "Mon 10:30" and h.to == WORKER]
    assert "#2" in with_pills.text.partition("🆕")[2] and "#2" not in with_pills.text.partition("🆕")[0]


async def test_a_worker_busy_in_the_group_is_not_chased_and_is_listed_later(chat) -> None:
    heard = await say(chat, 0, "5栋 李叔", LAMP)
    # the worker answers in the group at 13:30 (about something else): at work, not 无人接单
    heard += await say(chat, 210, WORKER, "大家注意 明天上午小区消杀 把孩子看好")
    heard += await walk(chat, 60)  # past 14:00
    assert overdue(to(heard, WORKER)) == []  # not a lone reminder at 14:30 either
    tuesday = await walk(chat, 20 * 60)  # to Tuesday 10:30
    [listed] = overdue(to(tuesday, WORKER))
    assert listed.at == "Tue 09:00" and "#1" in listed.text


async def test_taken_after_it_went_up_only_whom_it_was_handed_hear_it(chat) -> None:
    await chat.say(WORKER, "大家好", "青年路社区工作群")  # the staff group, seen: the bot can post there
    heard = await say(chat, 0, "5栋 李叔", LAMP)
    heard += await walk(chat, 2 * 24 * 60)  # to Wednesday 10:00: the backup, then the community
    assert [h.to for h in heard if h.text.startswith("⏫")] == [BACKUP, "[青年路社区工作群]"]
    heard = await say(chat, 30, WORKER, "接单 1")
    told = [h for h in heard if "已接手" in h.text]
    # the backup privately, the staff group once; not each of its staff, not the street's admin
    assert sorted(h.to for h in told) == ["[青年路社区工作群]", BACKUP]


async def test_the_propertys_done_waits_for_the_list_an_emergencys_does_not(chat) -> None:
    heard = await say(chat, 0, "5栋 李叔", LAMP)
    done = await say(chat, 40, "物业客服小陈", "5栋门口的路灯已经修好了 换了个灯头")
    assert [h for h in to(done, WORKER) if h.at == "Mon 10:40"] == []  # not a message of its own
    heard += done
    heard += await walk(chat, 4 * 60)  # past 14:00
    [listed] = [h for h in to(heard, WORKER) if "物业客服小陈" in h.text]
    assert listed.at == "Mon 14:00" and "✅" in listed.text and "#1" in listed.text
    gas = await say(chat, 10, "7-2-502 老罗", "7号楼2单元楼道里好大一股煤气味 谁家漏气了")
    assert chat.ticket(2).urgent and to(gas, WORKER)
    done = await say(chat, 5, "物业小何", "找到了 7号楼2单元504 灶台后面的软管老化裂了 阀门已经关了")
    assert [h for h in to(done, WORKER) if "#2" in h.text]  # an emergency's news: at once


async def test_the_propertys_done_is_not_listed_once_the_worker_closed_it(chat) -> None:
    await say(chat, 0, "5栋 李叔", LAMP)
    await say(chat, 40, "物业客服小陈", "5栋门口的路灯已经修好了 换了个灯头")
    await say(chat, 20, WORKER, "办好 1")  # he saw it in the group and closed it himself
    heard = await walk(chat, 4 * 60)  # past 14:00
    assert [h for h in to(heard, WORKER) if "#1" in h.text] == []
