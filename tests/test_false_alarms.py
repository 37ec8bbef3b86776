"""An alarm that was nothing, danger words that were no danger, and what follows an emergency
(review of d14, findings 2, 4, 5, 6 and 8).

- A smell of smoke that a neighbour explains minutes later (a grill, burning paper) is
  calmed: nothing goes up, nothing is said in the group, and everyone the alarm woke is asked
  once, privately, to look and confirm (review of d16, finding 2: a neighbour's guess is no
  all-clear). Its reporter's own word, or an official's 不是诉求, stands it down with ONE line
  to everyone it reached. A guess or a question explains nothing.
- A danger thrown at a neighbour in a quarrel (「着了火你赔得起吗」) is no emergency.
- The property's all-clear after an emergency was closed is news of it: no new ticket, no
  public 「周一处理」.
- A resident asking again after an open ticket gets no second group post; its holder is
  reminded, at most once an hour.
All through the Application, with the clock moved by hand."""

from __future__ import annotations

import pytest
from conftest import ROOM_QN1, posts_in, speaker, texts
from conftest import private_to as to

in_group = posts_in(ROOM_QN1)
say = speaker(ROOM_QN1)
WORKERS = ("马建民", "孙丽")
STAFF = ("张继凯", "刘芳")
SMOKE = "6号楼后头冒烟了 呛得睁不开眼"



async def test_smoke_a_neighbour_explains_is_calmed_and_left_to_those_it_woke_to_confirm(chat) -> None:
    sent = await say(chat, "6号楼 小蒋", SMOKE)
    assert "119" in texts(in_group(sent))  # the alarm: fire wakes the workers and the staff at once
    assert all(to(sent, n) for n in (*WORKERS, *STAFF))
    sent = await say(chat, "6号楼 老温", "是楼下饭店在熏腊肉 天天这个点", minutes=1)
    assert in_group(sent) == []  # a neighbour's word is no all-clear for the group
    for name in (*WORKERS, *STAFF):  # the workers are asked, once, to look and confirm; the staff hear so
        [word] = to(sent, name)
        assert "#1" in word.text and "熏腊肉" in word.text and "确认" in word.text
        assert "不用去" not in word.text
    assert "不是诉求 1" in to(sent, "马建民")[0].text and "马建民" in to(sent, "张继凯")[0].text
    assert chat.ticket(1).status == "open"  # closed only on an official's word
    later = []
    for _ in range(8):  # calmed: no 「直接打 119」, no step up to the street, no reminder
        later += await chat.later(minutes=10)
    assert not [m for m in later if "#1" in m.text]
    sent = await chat.say("马建民", "不是诉求 1", room=None)  # he looked: now the group hears
    [line] = in_group(sent)
    assert "#1" in line.text and "虚惊一场" in line.text and chat.ticket(1).status == "cancelled"


async def test_a_second_neighbours_word_asks_nobody_again(chat) -> None:
    await say(chat, "6号楼 小蒋", SMOKE)
    await say(chat, "6号楼 老温", "没着火 是隔壁在烧纸", minutes=2)
    sent = await say(chat, "6号楼 小杜", "就是烧纸 没事", minutes=1)
    assert sent == [] and chat.ticket(1).status == "open"


async def test_the_reporters_own_all_clear_stands_the_alarm_down(chat) -> None:
    await say(chat, "6号楼 小蒋", SMOKE)
    await say(chat, "6号楼 老温", "没着火 是隔壁在烧纸", minutes=2)
    sent = await say(chat, "6号楼 小蒋", "没着火 是隔壁在烧纸 我看见了", minutes=2)
    [line] = in_group(sent)
    assert "#1" in line.text and "虚惊一场" in line.text
    for name in (*WORKERS, *STAFF):
        [word] = to(sent, name)
        assert "不用去" in word.text
    assert chat.ticket(1).status == "cancelled"


@pytest.mark.parametrize("guess", ["是不是烧烤的？", "烤串的吗", "会不会是谁家在烧纸"])
async def test_a_guess_at_the_smoke_stands_nothing_down(chat, guess) -> None:
    await say(chat, "6号楼 小蒋", SMOKE)
    sent = await say(chat, "6号楼 老温", guess, minutes=1)
    assert "虚惊" not in texts(sent) and chat.ticket(1).status == "open" and chat.ticket(1).urgent


async def test_an_alarm_taken_by_a_worker_is_left_to_them(chat) -> None:
    await say(chat, "6号楼 小蒋", SMOKE)
    await chat.say("马建民", "收到 1", room=None)
    sent = await say(chat, "6号楼 老温", "是楼下饭店在熏腊肉", minutes=1)
    assert "虚惊" not in texts(sent) and chat.ticket(1).status == "accepted"


async def test_an_alarm_closed_as_no_need_is_stood_down_to_whoever_else_it_reached(chat) -> None:
    await say(chat, "6号楼 小蒋", SMOKE)
    for _ in range(2):
        await chat.later(minutes=6)  # up to the community
    sent = await chat.say("马建民", "不是诉求 1", room=None)
    assert chat.ticket(1).status == "cancelled"
    [line] = in_group(sent)
    assert "#1" in line.text and "虚惊一场" in line.text
    assert all(len(to(sent, n)) == 1 for n in ("孙丽", *STAFF))
    assert len(to(sent, "马建民")) == 1  # his own confirmation only


async def test_a_non_urgent_ticket_closed_as_no_need_stays_quiet(chat) -> None:
    await say(chat, "3栋 张阿姨", "3栋门口井盖又翘起来了 晚上走路容易绊倒")
    sent = await chat.say("马建民", "不是诉求 1", room=None)
    assert in_group(sent) == [] and not to(sent, "孙丽")


@pytest.mark.parametrize("taunt", ["真着起火来你赔得起吗？楼上还有孩子", "烧着了你来负责？"])
async def test_a_danger_thrown_at_a_neighbour_in_a_quarrel_raises_no_alarm(chat, taunt) -> None:
    await say(chat, "5号楼 老邱", "5号楼楼道里有人把电动车推进来充电 插线板扯到门口了")
    await say(chat, "5号楼 大鹏", "充一宿能咋地 俺天天这么充")
    sent = await say(chat, "5号楼 老邱", taunt)
    assert not any(n in texts(sent) for n in ("119", "紧急", "人先走楼梯"))
    assert not chat.ticket(1).urgent and len(chat.store.tickets.select()) == 1
    assert not [m for m in await chat.later(minutes=25) if "紧急" in m.text or m.room_topic == ROOM_QN1]


async def test_the_propertys_all_clear_after_an_emergency_is_news_of_it(chat) -> None:
    sent = await say(chat, "8-3-201 老贺", "8号楼3单元楼道里好大的煤气味 呛得慌")
    assert chat.ticket(1).urgent and "燃气" in texts(in_group(sent))
    await chat.say("马建民", "办好 1 阀门关了 人都没事", room=None)
    assert chat.ticket(1).status == "resolved"
    sent = await say(chat, "翠苑物业 客服小刘", "8号楼3单元燃气管道检修完了 已恢复供气 各家开窗通风", minutes=20)
    assert in_group(sent) == [] and len(chat.store.tickets.select()) == 1
    assert any(e.kind == "update" and e.actor_name == "翠苑物业 客服小刘" for e in chat.store.tickets.events(1))
    assert in_group(await say(chat, "8-3-502 小葛", "谢谢物业 谢谢马哥")) == []


async def test_asking_again_reminds_the_holder_at_most_hourly_and_posts_nothing(chat) -> None:
    await say(chat, "2号楼 老褚", "2号楼西边路灯坏了三个 晚上黑乎乎的")
    first = await say(chat, "2号楼 老褚", "路灯的事有人管没有", minutes=40)
    assert in_group(first) == [] and to(first, "马建民")  # the group read its 收到 just now
    again = await say(chat, "2号楼 老褚", "到底有人管没有", minutes=20)
    assert in_group(again) == [] and not to(again, "马建民")  # reminded 20 minutes ago
    third = await say(chat, "2号楼 老褚", "路灯还黑着呢 有人管没有", minutes=45)
    assert in_group(third) == []
    [ping] = to(third, "马建民")  # an hour on, he hears of it again
    assert "#1" in ping.text and "有人管没有" in ping.text


@pytest.mark.parametrize("asked", ["@马建民 人先顾好 处理完报个情况", "@马建民 修好跟我说一声"])
async def test_a_superiors_when_done_tell_me_closes_nothing(chat, asked) -> None:
    await say(chat, "8-3-201 老贺", "8号楼3单元楼道里好大的煤气味 呛得慌")
    await say(chat, "马建民", "在路上 马上到")
    await say(chat, "冯媛", asked)
    assert chat.ticket(1).status == "accepted"  # an instruction, not word that it is done
    sent = await say(chat, "翠苑物业 客服小刘", "8号楼3单元燃气管道检修完了 已恢复供气 各家开窗通风", minutes=30)
    assert in_group(sent) == [] and len(chat.store.tickets.select()) == 1
    assert "#1" in texts([m for m in sent if m.to is not None and m.to.name == "马建民"])  # to confirm
