"""The escalation ladder as a grid worker and a community admin expect it, played with the
simulator minute by minute: it counts from when the holder was told, in working time; each
person hears of a ticket once per step; a worker at work is not 无人接单; a thing the property,
a neighbour or 120 is seeing to stops the climb and reaches the holder once, in their next
digest; an emergency says what to do first, tells the group plainly when no official has
answered, and asks nobody to rate it."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_CONFIG, ROOT
from test_quiet_and_timely import BINS, play, sent_to

ROOM = "青年路一网格居民群"


def chased(heard):
    """What the ladder sent: reminders, escalations, the daily list."""
    return [h for h in heard if h.text.startswith(("⏰", "⏫", "📋"))]


def assert_the_ladder_stopped(heard):
    """Nobody chased, and nobody above the worker told: the backup, staff, admin, the work group."""
    assert not chased(heard)
    assert not sent_to(heard, "孙丽", "张继凯", "刘芳", "冯媛", "[青年路社区工作群]")


GAS = "[青年路一网格居民群] 老周: 5号楼2单元楼道里好大一股煤气味 开门就呛人"  # an emergency


NIGHT_REPORT = f"""
/clock 2026-11-23 23:10
{BINS}
/clock 2026-11-24 09:05
"""


async def test_a_night_report_has_waited_from_the_morning_not_the_night(shared_classifier, shared_faq):
    async with play(NIGHT_REPORT, shared_classifier, shared_faq) as (heard, app):
        mine = sent_to(heard, "马建民")
        assert [h.at for h in mine] == ["Tue 07:30", "Tue 09:00"]  # told, then reminded
        assert mine[0].text.startswith("🆕")
        # office hours from 08:30: half an hour of his working time, not ten hours of night
        assert "已等 30 分钟" in mine[1].text and "小时" not in mine[1].text


DAY_REPORT = f"""
/clock 2026-11-24 09:00
{BINS}
/clock 2026-11-24 11:05
"""


async def test_a_worker_who_says_nothing_is_reminded_then_the_backup_has_it(shared_classifier, shared_faq):
    async with play(DAY_REPORT, shared_classifier, shared_faq) as (heard, app):
        steps = [(h.at, h.to) for h in heard if h.to != f"[{ROOM}]" and not h.text.startswith("新工单")]
        assert steps[:3] == [("Tue 09:30", "马建民"), ("Tue 10:00", "马建民"), ("Tue 10:30", "孙丽")]
        backup = sent_to(heard, "孙丽")
        assert len(backup) == 1 and "已等 1.5 小时 无人接单；之前找过马建民（提醒 2 次）" in backup[0].text


WORKING = f"""
/clock 2026-11-24 09:00
{BINS}
/clock 2026-11-24 09:20
[青年路一网格居民群] 马建民: 大家早上好 今天事多 我一条条看 稍等我一下
/clock 2026-11-24 10:15
"""


async def test_a_worker_answering_in_the_group_is_not_chased_meanwhile(shared_classifier, shared_faq):
    async with play(WORKING, shared_classifier, shared_faq) as (heard, app):
        reminded = [h for h in heard if h.text.startswith(("⏰", "⏫"))]
        assert reminded == []  # she spoke at 09:20: not 无人接单 until an hour after that
        assert app.store.tickets.get(1).escalation_level == 0


PROPERTY_DID_IT = f"""
/clock 2026-11-24 09:00
{BINS}
/clock 2026-11-24 09:10
[青年路一网格居民群] 物业-阿辉: 「老周：3号楼门口垃圾桶满了 袋子堆了一地 臭得很」\\n- - - - - - - - - - - - - - -\\n3号楼门口已经清完了 地面也冲洗了
/clock 2026-11-25 10:00
"""


async def test_done_by_the_property_stops_the_ladder_and_reaches_the_worker_once(shared_classifier, shared_faq):
    async with play(PROPERTY_DID_IT, shared_classifier, shared_faq) as (heard, app):
        assert_the_ladder_stopped(heard)
        # told once: as the property said it (the conversation's word), not again in a digest;
        # ten minutes after the ticket's ping, kept to the end of that half hour (handlers/pace.py)
        said = [h for h in sent_to(heard, "马建民") if "物业-阿辉" in h.text]
        assert len(said) == 1 and said[0].at == "Tue 09:30" and "办好 1" in said[0].text
        assert "清完了" in said[0].text and "臭得很" not in said[0].text  # its own words, not the quote
        assert not [h for h in heard if "✅" in h.text]
        assert app.store.tickets.get(1).status == "open"  # closing it is still his word


VOLUNTEER_DID_IT = f"""
/clock 2026-11-24 09:00
{BINS}
/clock 2026-11-24 09:10
[青年路一网格居民群] 小王: 「老周：3号楼门口垃圾桶满了 袋子堆了一地 臭得很」\\n- - - - - - - - - - - - - - -\\n我跟赵大爷已经把袋子都收走了 地也扫了
/clock 2026-11-25 10:00
"""


async def test_done_by_a_volunteer_reaches_the_worker_once_in_the_next_morning(shared_classifier, shared_faq):
    async with play(VOLUNTEER_DID_IT, shared_classifier, shared_faq) as (heard, app):
        assert_the_ladder_stopped(heard)
        handled = [h for h in sent_to(heard, "马建民") if "✅" in h.text]
        assert len(handled) == 1 and handled[0].at == "Wed 07:30"  # his next morning message
        assert "小王 09:10 说：我跟赵大爷已经把袋子都收走了" in handled[0].text and "「办好 1」" in handled[0].text


async def test_done_by_a_volunteer_whose_name_shows_the_community_reaches_the_worker_too(
    shared_classifier, shared_faq, tmp_path
):
    # 「社区志愿者-老李」 is a volunteer of the grid, not the property company: the group's
    # word that it is done was told to nobody, so the next morning message tells it
    config = tmp_path / "config.toml"
    volunteers = 'volunteers = ["小王", "赵大爷"]'
    example = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    assert volunteers in example
    config.write_text(example.replace(volunteers, 'volunteers = ["小王", "赵大爷", "社区志愿者-老李"]', 1),
                      encoding="utf-8")
    script = VOLUNTEER_DID_IT.replace("小王:", "社区志愿者-老李:")
    async with play(script, shared_classifier, shared_faq, config) as (heard, app):
        assert_the_ladder_stopped(heard)
        handled = [h for h in sent_to(heard, "马建民") if "✅" in h.text]
        assert len(handled) == 1 and handled[0].at == "Wed 07:30"
        assert "社区志愿者-老李 09:10 说：我跟赵大爷已经把袋子都收走了" in handled[0].text


GAS_AT_NIGHT = f"""
/clock 2026-11-25 22:50
{GAS}
/clock 2026-11-25 23:20
"""


async def test_gas_says_what_to_do_first_and_tells_the_group_when_nobody_answers(shared_classifier, shared_faq):
    async with play(GAS_AT_NIGHT, shared_classifier, shared_faq) as (heard, app):
        alarm = heard[0]
        assert alarm.to == f"[{ROOM}]" and alarm.at == "Wed 22:50"
        first = alarm.text.splitlines()[0]
        for advice in ("别开关电灯电器", "别打火", "开窗", "人先下楼", "燃气抢修电话"):
            assert advice in first
        in_group = [h for h in heard if h.to == f"[{ROOM}]"]
        assert [h.at for h in in_group] == ["Wed 22:50", "Wed 23:00"]  # told once, no repeat
        assert "还没有工作人员回复" in in_group[1].text and "燃气抢修电话" in in_group[1].text
        # nobody hears of it twice: the workers at once, the staff at +10, the admin at +20
        names = [h.to for h in heard if not h.to.startswith("[")]
        assert sorted(names) == sorted(["马建民", "孙丽", "张继凯", "刘芳", "冯媛"])


GAS_COMPANY_COMING = f"""
/clock 2026-11-25 22:50
{GAS}
/clock 2026-11-25 22:55
[青年路一网格居民群] 小刘: 我打了燃气公司抢修电话了 说马上派人来 大家别用明火
/clock 2026-11-26 09:00
"""


async def test_a_responder_on_the_way_stops_the_ladder_and_the_night_stays_quiet(shared_classifier, shared_faq):
    async with play(GAS_COMPANY_COMING, shared_classifier, shared_faq) as (heard, app):
        night = [h for h in heard if h.at.startswith("Wed")]
        # only the alarm: a gas leak wakes the grid's workers and the community's staff at once
        assert {h.to for h in night} == {f"[{ROOM}]", "马建民", "孙丽", "张继凯", "刘芳"}
        assert all(h.at == "Wed 22:50" for h in sent_to(heard, "张继凯", "刘芳"))
        assert not [h for h in heard if "还没有工作人员回复" in h.text]
        assert not sent_to(heard, "冯媛")
        handled = [h for h in sent_to(heard, "马建民") if "✅" in h.text]
        assert len(handled) == 1 and handled[0].at == "Thu 07:30" and "燃气公司" in handled[0].text


GAS_CLOSED_AT_NIGHT = f"""
/clock 2026-11-25 22:50
{GAS}
/clock 2026-11-25 22:53
[青年路一网格居民群] 马建民: 收到 我马上过去 大家先下楼
/clock 2026-11-25 23:20
[青年路一网格居民群] 马建民: 完成 1 燃气公司查过了 是3楼灶台软管裂了 已经换好 浓度正常了
/clock 2026-11-26 10:00
"""


async def test_an_emergency_closed_at_night_asks_nobody_to_rate_it(shared_classifier, shared_faq):
    async with play(GAS_CLOSED_AT_NIGHT, shared_classifier, shared_faq) as (heard, app):
        assert app.store.tickets.get(1).status == "resolved"
        in_group = [h for h in heard if h.to == f"[{ROOM}]" and not h.text.startswith("【")]
        closing = [h for h in in_group if h.at == "Wed 23:20"]
        assert closing and all("满意" not in h.text and "1-5" not in h.text for h in in_group)
        assert not [h for h in heard if "还没有工作人员回复" in h.text]  # he answered at 22:53
        # the staff had the alarm (a gas leak wakes them with the workers), nothing after it
        assert all(h.at == "Wed 22:50" for h in sent_to(heard, "张继凯", "刘芳")) and not sent_to(heard, "冯媛")
        assert not [h for h in heard if "现在还好吗" in h.text]  # no rating question later


TAKEN_AFTER_IT_WENT_UP = f"""
/clock 2026-11-24 09:00
{BINS}
/clock 2026-11-24 11:40
[青年路一网格居民群] 马建民: 接单 1
/clock 2026-11-24 12:00
"""


async def test_who_a_ticket_went_up_to_hear_once_when_someone_took_it(shared_classifier, shared_faq):
    async with play(TAKEN_AFTER_IT_WENT_UP, shared_classifier, shared_faq) as (heard, app):
        assert [h.to for h in heard if h.text.startswith("⏫")] == ["孙丽", "[青年路社区工作群]"]
        # 马建民 took it at last: the backup hears it, the community in the group it read it in
        # (one line, not one to each of its staff); the street's admin was never handed it
        for name in ("孙丽", "[青年路社区工作群]"):
            after = [h for h in sent_to(heard, name) if h.at >= "Tue 11:40"]
            assert len(after) == 1 and "#1 马建民已接手" in after[0].text
        assert not [h for h in sent_to(heard, "张继凯", "刘芳", "冯媛") if "已接手" in h.text]
        assert not [h for h in sent_to(heard, "马建民") if "已接手" in h.text]  # not the one who took it


# Who counts as a responder is data (intents/replies.toml [responder]), not code: a community
# that calls its own 应急小分队 adds the words, and their coming stops the ladder as 燃气公司's does.
SQUAD_COMING = GAS_COMPANY_COMING.replace("燃气公司抢修电话了 说马上派人来", "社区应急小分队 说五分钟到")


@pytest.mark.parametrize("squad_is_a_responder", [False, True])
async def test_who_is_a_responder_is_read_from_the_phrases_file(
    shared_classifier, shared_faq, tmp_path, squad_is_a_responder
):
    replies = (ROOT / "intents" / "replies.toml").read_text(encoding="utf-8")
    if squad_is_a_responder:
        replies = replies.replace('who = ["救护车",', 'who = ["应急小分队", "救护车",')
    (tmp_path / "replies.toml").write_text(replies, encoding="utf-8")
    config = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        "[classifier]\n", '[classifier]\nreplies = "replies.toml"\n', 1
    )
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    async with play(SQUAD_COMING, shared_classifier, shared_faq, tmp_path / "config.toml") as (heard, app):
        told_the_group = [h for h in heard if "还没有工作人员回复" in h.text]
        went_up = [h for h in sent_to(heard, "张继凯", "刘芳", "冯媛") if h.at != "Wed 22:50"]  # after the alarm
        if squad_is_a_responder:
            assert not told_the_group and not went_up
        else:
            assert told_the_group and went_up
