"""Who is on duty on a day off, played with the simulator: a worker who says so in the group
(我值班, 有急事@我) or the roster ([[duty]]) has the grid's tickets that day as on a working
day, and residents are told who has it instead of 周一; without either nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_CONFIG
from test_quiet_and_timely import BINS, play, sent_to

from bot.config import ConfigError, load_config

ROOM = "青年路一网格居民群"
LAMP = "[青年路一网格居民群] 王阿姨: 5号楼1单元楼道灯坏了 晚上黑漆漆的"


def with_roster(tmp_path: Path, roster: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8") + "\n" + roster, encoding="utf-8")
    return path


SATURDAY = f"""
/clock 2026-11-21 08:40
{BINS}
/clock 2026-11-21 09:30
[青年路一网格居民群] 马建民: 周六我值班的 大家有事群里喊或者打我电话
/clock 2026-11-21 11:00
{LAMP}
/clock 2026-11-21 12:00
"""


async def test_a_worker_who_says_they_are_on_duty_has_the_days_tickets(shared_classifier, shared_faq):
    async with play(SATURDAY, shared_classifier, shared_faq) as (heard, app):
        acks = sent_to(heard, f"[{ROOM}]")
        assert "周一上班后" in acks[0].text  # before he said so: as before
        assert "周一" not in acks[1].text and "马建民" in acks[1].text  # after: he has it
        mine = [(h.at, h.text[0]) for h in heard if h.to == "马建民"]
        # what waited since the morning, once he said so; the new one, as on a working day
        # (each in the timers' next round, a minute later)
        assert mine == [("Sat 09:31", "🆕"), ("Sat 11:01", "🆕")]
        assert "#1" in heard[1].text and "#2" in sent_to(heard, "马建民")[1].text
        assert not sent_to(heard, "孙丽", "张继凯", "刘芳", "冯媛")  # no ladder on a day off


NOBODY_SAID = f"""
/clock 2026-11-21 09:30
[青年路一网格居民群] 马建民: 明天我值班 今天有事找物业
/clock 2026-11-21 11:00
{LAMP}
/clock 2026-11-21 12:00
"""


async def test_without_anyone_on_duty_the_day_off_stays_as_it_was(shared_classifier, shared_faq):
    async with play(NOBODY_SAID, shared_classifier, shared_faq) as (heard, app):
        acks = sent_to(heard, f"[{ROOM}]")
        assert len(acks) == 1 and "周一上班后" in acks[0].text  # tomorrow's duty is not today's
        assert not [h for h in heard if not h.to.startswith("[")]  # nobody woken on a day off


ROSTER = """
[[duty]]
name = "孙丽"
grids = ["qn-1"]
dates = ["2026-11-21"]
"""

TWO_SATURDAYS = f"""
/clock 2026-11-21 11:00
{LAMP}
/clock 2026-11-21 12:00
/clock 2026-11-28 11:00
{BINS}
/clock 2026-11-28 12:00
"""


async def test_the_roster_names_who_has_a_grids_tickets_on_its_days(shared_classifier, shared_faq, tmp_path):
    async with play(TWO_SATURDAYS, shared_classifier, shared_faq, with_roster(tmp_path, ROSTER)) as (heard, app):
        acks = [h for h in heard if h.to == f"[{ROOM}]" and not h.text.startswith("【")]
        # the roster has 马建民 off and 孙丽 on duty: a stairwell lamp waits for his Monday,
        # and the resident hears who is off and who is on duty, and no date: people see to
        # things within hours on a weekend (review of d14, finding 3)
        assert "今天马建民休息，值班的是孙丽，着急的话直接@孙丽" in acks[0].text
        assert "周一" not in acks[0].text and "上班后" not in acks[0].text
        assert not [h for h in heard if h.at.startswith("Sat") and not h.to.startswith("[")]
        # on the working days it is his ticket: his Monday morning's list has it
        assert "#1" in [h for h in heard if h.to == "马建民" and h.at.startswith("Mon")][0].text
        assert "周一上班后" in acks[1].text and "休息" not in acks[1].text  # the next Saturday is not on the roster
        assert not [h for h in heard if h.to == "马建民" and h.at.startswith("Sat")]


@pytest.mark.parametrize(("roster", "says"), [
    ('[[duty]]\nname = "路人甲"\ndates = ["2026-11-21"]\n', "no grid's worker"),
    ('[[duty]]\nname = "孙丽"\ngrids = ["qn-9"]\ndates = ["2026-11-21"]\n', "unknown grid"),
    ('[[duty]]\nname = "孙丽"\n', "dates or the weekdays"),
    ('[[duty]]\nname = "孙丽"\nweekdays = [8]\n', "ISO weekdays"),
    ('[[duty]]\nname = "刘芳"\ncommunity = "qingnan"\nweekdays = [6]\n', "unknown community"),
    ('[[duty]]\nname = "陈海燕"\ncommunity = "qingnian"\nweekdays = [6]\n', "neither staff nor a grid worker"),
    ('[[duty]]\nname = "刘芳"\ncommunity = "qingnian"\ngrids = ["qn-1"]\nweekdays = [6]\n', "not both"),
])
def test_a_wrong_roster_is_refused_saying_what_is_wrong(tmp_path, roster, says):
    with pytest.raises(ConfigError, match=says):
        load_config(with_roster(tmp_path, roster))


def test_the_roster_is_read(tmp_path):
    config = load_config(with_roster(tmp_path, '[[duty]]\nname = "孙丽"\nweekdays = [6, 7]\n'))
    (entry,) = config.settings.duty
    assert entry.name == "孙丽" and entry.weekdays == (6, 7) and entry.grids == ()


# qn-2: 孙丽 is in charge, 马建民 backs her up. 2026-11-22 is a Sunday.
ROOM2 = "青年路二网格居民群"
ICE = f"[{ROOM2}] 老孟: 8号楼北门口地下渗水 冻了一大片冰 刚才有人差点滑倒"
PILLS = f"[{ROOM2}] 刘阿姨闺女: 我妈住11号楼1门201 一个人住 降压药快吃完了 路滑不敢下楼 谁能帮忙买一盒送上去"
DOOR = f"[{ROOM2}] 钱大妈: 10号楼2门洞的单元门又关不上了 风呼呼往里灌"


def sunday(says_off: str) -> str:
    return f"""
/clock 2026-11-22 08:00
{ICE}
/clock 2026-11-22 09:30
{says_off}
/clock 2026-11-22 10:00
{PILLS}
/clock 2026-11-22 12:40
[{ROOM2}] 孙丽: 接单 1
/clock 2026-11-22 13:00
{DOOR}
/clock 2026-11-22 13:30
"""


@pytest.mark.parametrize("says_off", [
    f"[{ROOM2}] 马建民: 孙丽今天轮休 有急事先找我 我住得近",  # a colleague covering for her
    f"[{ROOM2}] 孙丽: 各位 我今天请假 孩子病了在医院 有事先找马哥",  # she herself, in the group
    "[私聊] 孙丽: 我今天歇班 孩子发烧",  # or privately to the bot
])
async def test_on_her_day_off_what_cannot_wait_goes_to_the_backup_until_she_takes_one_on(
    shared_classifier, shared_faq, says_off
):
    async with play(sunday(says_off), shared_classifier, shared_faq) as (heard, app):
        acks = [h for h in heard if h.to == f"[{ROOM2}]" and h.text.startswith("收到")]
        ice, pills, door = acks[0], acks[1], acks[2]
        assert "孙丽" in ice.text  # 08:00: nobody had said she is off
        # once it was said: the ice waiting since 08:00 and the errand reach the backup,
        # and the resident is told his name, not hers
        to_him = [h.text for h in heard if h.to == "马建民"]
        assert any("#1" in t for t in to_him) and any("#2" in t for t in to_him)
        # (she is named only as off today, as the roster's words say it)
        assert "网格员马建民" in pills.text and "网格员孙丽" not in pills.text
        assert not [h for h in heard if h.to == "孙丽" and "#2" in h.text]  # nor chased for it
        # 12:40 she came back and took the ice on: the door is hers, and she is told of it
        assert "孙丽" in door.text and "马建民" not in door.text
        assert [h for h in heard if h.to == "孙丽" and "#3" in h.text]
        assert app.store.tickets.get(1).assignee_name == "孙丽"


@pytest.mark.parametrize("words", [
    f"[{ROOM2}] 天天向上: 礼拜天 孙丽今天休息吧 网格员估计还没起呢",  # a resident's guess
    f"[{ROOM2}] 孙丽: 大家早点休息 明天我再去看",  # not a day off
    f"[{ROOM2}] 马建民: 孙丽明天请假 周一有事找我",  # another day
])
async def test_a_day_off_is_taken_only_from_an_officials_word_about_today(shared_classifier, shared_faq, words):
    script = f"/clock 2026-11-22 09:30\n{words}\n/clock 2026-11-22 10:00\n{PILLS}\n/clock 2026-11-22 10:30\n"
    async with play(script, shared_classifier, shared_faq) as (heard, app):
        ack = [h for h in heard if h.to == f"[{ROOM2}]" and h.text.startswith("收到")][0]
        assert "孙丽" in ack.text and "马建民" not in ack.text
        assert not [h for h in heard if h.to == "马建民"]


# The roster of the community (review of d10, finding 2): 孙丽 is off at weekends and 马建民
# has 青年路二网格 then. 2026-11-22 is a Sunday.
WEEKENDS = """
[[duty]]
name = "马建民"
grids = ["qn-2"]
weekdays = [6, 7]
"""
GAS = f"[{ROOM2}] 老刘: 7号楼3门洞楼道里煤气味特别大 呛得睁不开眼"
CHASE = f"[{ROOM2}] 钱大妈: 单元门还关不上呢 一下午没人管 风呼呼的"
ROSTER_SUNDAY = f"""
/clock 2026-11-22 06:40
{ICE}
/clock 2026-11-22 10:00
{PILLS}
/clock 2026-11-22 13:00
{DOOR}
/clock 2026-11-22 15:30
{CHASE}
/clock 2026-11-22 16:00
{GAS}
/clock 2026-11-22 17:00
/clock 2026-11-23 09:00
"""


async def test_on_a_rostered_day_off_what_cannot_wait_goes_to_the_one_on_duty_and_the_rest_waits_for_her(
    shared_classifier, shared_faq, tmp_path
):
    async with play(ROSTER_SUNDAY, shared_classifier, shared_faq, with_roster(tmp_path, WEEKENDS)) as (heard, app):
        acks = [h for h in heard if h.to == f"[{ROOM2}]" and h.text.startswith("收到")]
        ice, pills, door = acks[0], acks[1], acks[2]
        # ice underfoot before waking hours: the one on duty, from 7:30 — never a promise in her name
        assert "马建民（今天值班，孙丽休息）今天 7:30 后" in ice.text
        assert "马建民（今天值班，孙丽休息）" in pills.text and "后处理" not in pills.text
        # a door that does not close waits for her Monday, and the group knows who is on duty
        assert "今天孙丽休息，值班的是马建民" in door.text and "上班后" not in door.text
        to_him = [h for h in heard if h.to == "马建民" and h.at.startswith("Sun")]
        assert to_him[0].at == "Sun 07:30" and "#1" in to_him[0].text
        assert any("#2" in h.text for h in to_him) and not any("#3" in h.text for h in to_him[:2])
        # chased in the afternoon, it cannot wait either: the one on duty hears the chase
        chase = [h for h in heard if h.to == f"[{ROOM2}]" and h.at == "Sun 15:30"]
        assert chase and "马建民" in chase[0].text
        assert [h for h in to_him if h.at == "Sun 15:31" and "#3" in h.text]  # the timers' next round
        # on her day off she hears only of the emergency, as everyone does
        hers = [h for h in heard if h.to == "孙丽" and h.at.startswith("Sun")]
        assert hers and all("【紧急】" in h.text and "#4" in h.text for h in hers)
        assert any("#4" in h.text and "【紧急】" in h.text for h in to_him)
        # Monday: the door is on her list, not his
        assert any("#3" in h.text for h in heard if h.to == "孙丽" and h.at.startswith("Mon"))
        assert not any("#3" in h.text for h in heard if h.to == "马建民" and h.at.startswith("Mon"))


COMMUNITY = """
[[duty]]
name = "刘芳"
community = "qingnian"
weekdays = [7]

[[duty]]
name = "孙丽"
grids = ["qn-1"]
weekdays = [7]
"""


async def test_a_community_on_duty_line_covers_the_grids_no_line_names(shared_classifier, shared_faq, tmp_path):
    script = f"/clock 2026-11-22 10:00\n{PILLS}\n/clock 2026-11-22 10:05\n{LAMP}\n/clock 2026-11-22 11:00\n"
    async with play(script, shared_classifier, shared_faq, with_roster(tmp_path, COMMUNITY)) as (heard, app):
        acks = [h for h in heard if h.to.startswith("[") and h.text.startswith("收到")]
        assert "社区值班的刘芳（今天孙丽休息）" in acks[0].text  # qn-2: the community's line
        assert "网格员刘芳" not in acks[0].text  # she is the community's staff, not a grid worker
        assert any("#1" in h.text for h in heard if h.to == "刘芳")
        # qn-1 has its own line: 孙丽 has it, and a lamp waits for its worker's Monday
        assert "今天马建民休息，值班的是孙丽" in acks[1].text and "上班后" not in acks[1].text
        assert not any("#2" in h.text for h in heard if h.to in ("刘芳", "孙丽", "马建民"))


async def test_the_communitys_one_on_duty_is_woken_by_an_emergency_and_called_by_her_title(
    shared_classifier, shared_faq, tmp_path
):
    """刘芳 (staff) on the community's line on a Sunday: on duty she gets what the worker
    would — an emergency of the grid wakes her with its workers — and the group hears her
    as what she is (社区值班的刘芳), never as a grid worker."""
    script = f"/clock 2026-11-22 10:00\n{GAS}\n/clock 2026-11-22 10:05\n"
    async with play(script, shared_classifier, shared_faq, with_roster(tmp_path, COMMUNITY)) as (heard, app):
        alarm = [h for h in heard if h.to == f"[{ROOM2}]" and "已通知" in h.text][0]
        assert "社区值班的刘芳" in alarm.text and "网格员孙丽、马建民" in alarm.text
        assert any("【紧急】" in h.text and "#1" in h.text for h in heard if h.to == "刘芳")
        assert any("【紧急】" in h.text for h in heard if h.to == "孙丽")  # the workers as before


SAYS_IN_HIS_GROUP = f"""
/clock 2026-11-21 09:30
[{ROOM}] 马建民: 周六我值班的 大家有事群里喊或者打我电话
/clock 2026-11-21 10:00
{PILLS}
/clock 2026-11-21 10:30
{DOOR}
/clock 2026-11-21 11:00
[滨河花园一网格群] 钱大妈: 3栋楼道灯坏了 晚上黑漆漆的
/clock 2026-11-21 12:00
"""


async def test_a_worker_on_duty_covers_the_grids_he_works_in_and_no_other(shared_classifier, shared_faq):
    """「我值班」 said in 青年路一网格's group (his grid) covers 青年路二网格 too, which he backs
    up: the errand there is his today, the door waits for 孙丽 and the group hears so; a
    grid he does not work in (滨河) is not his."""
    async with play(SAYS_IN_HIS_GROUP, shared_classifier, shared_faq) as (heard, app):
        acks = [h for h in heard if h.to.startswith("[") and h.text.startswith("收到")]
        pills, door, lamp = acks
        assert "马建民" in pills.text and "周一" not in pills.text
        assert any("#1" in h.text for h in heard if h.to == "马建民")
        assert "今天孙丽休息，值班的是马建民" in door.text
        assert not any("#2" in h.text for h in heard if h.to == "马建民")
        assert "马建民" not in lamp.text and "周一上班后" in lamp.text
        assert not any("#3" in h.text for h in heard if h.to == "马建民")


# 孙丽's regular day off is Wednesday (2026-11-25), a working day: the community writes it
# once ([[off]]); her leave is written by dates the same way.
OFF = """
[[off]]
name = "孙丽"
weekdays = [3]
dates = ["2026-11-27"]
"""
WEDNESDAY = f"""
/clock 2026-11-25 10:00
{PILLS}
/clock 2026-11-25 10:30
{DOOR}
/clock 2026-11-25 11:00
{GAS}
/clock 2026-11-25 17:00
/clock 2026-11-26 09:00
"""


async def test_on_her_weekday_off_the_backup_holds_what_cannot_wait_and_the_rest_waits_for_her(
    shared_classifier, shared_faq, tmp_path
):
    async with play(WEDNESDAY, shared_classifier, shared_faq, with_roster(tmp_path, OFF)) as (heard, app):
        acks = [h for h in heard if h.to == f"[{ROOM2}]" and h.text.startswith("收到")]
        pills, door = acks[0], acks[1]
        # the errand cannot wait: her backup has it today, and the group hears who
        assert "网格员马建民（今天值班，孙丽休息）" in pills.text
        assert any("#1" in h.text for h in heard if h.to == "马建民" and h.at.startswith("Wed"))
        # the door waits for her Thursday, in one line that says who is there today
        assert "今天孙丽休息，值班的是马建民" in door.text
        hers = [h for h in heard if h.to == "孙丽" and h.at.startswith("Wed")]
        assert hers and all("【紧急】" in h.text for h in hers)  # on her day off: only the emergency
        assert any("#2" in h.text for h in heard if h.to == "孙丽" and h.at.startswith("Thu"))
        assert not any("#2" in h.text for h in heard if h.to == "马建民")


def test_a_day_off_of_no_worker_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="no grid's worker"):
        load_config(with_roster(tmp_path, '[[off]]\nname = "路人甲"\nweekdays = [3]\n'))


async def test_an_at_of_the_worker_off_today_reaches_the_backup(shared_classifier, shared_faq, tmp_path):
    script = f"/clock 2026-11-25 10:00\n[{ROOM2}] 王姐: @孙丽 问一下 今年的医保在哪里交\n/clock 2026-11-25 10:30\n"
    async with play(script, shared_classifier, shared_faq, with_roster(tmp_path, OFF)) as (heard, app):
        assert not [h for h in heard if h.to == "孙丽"]  # her day off: not rung for it
        assert any("医保" in h.text for h in heard if h.to == "马建民")
        assert any("孙丽今天休息，您的话已转给网格员马建民。" in h.text for h in heard if h.to == f"[{ROOM2}]")


async def test_an_at_of_the_worker_off_who_is_at_it_all_the_same_reaches_her(shared_classifier, shared_faq, tmp_path):
    """Off on the roster, she took a ticket on today all the same (d10: 孙丽 from 12:38): an @
    of her in the evening reaches her, not 「孙丽今天休息」."""
    script = f"""
/clock 2026-11-22 10:00
{DOOR}
/clock 2026-11-22 12:40
[{ROOM2}] 孙丽: 接单 1
/clock 2026-11-22 19:45
[{ROOM2}] 王姐: @孙丽 问一下 今年的医保在哪里交
/clock 2026-11-22 19:50
"""
    async with play(script, shared_classifier, shared_faq, with_roster(tmp_path, WEEKENDS)) as (heard, app):
        assert any("医保" in h.text for h in heard if h.to == "孙丽")
        assert not any("您的话已转给" in h.text for h in heard)
