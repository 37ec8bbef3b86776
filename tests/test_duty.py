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
        assert "孙丽" in acks[0].text and "周一" not in acks[0].text
        assert [h.at for h in heard if h.to == "孙丽"] == ["Sat 11:01"]  # the timers' next round
        # on the working days it is his ticket again: the ladder starts with him
        assert [h for h in heard if h.to == "马建民" and h.at.startswith("Mon")][0].text.startswith("⏰")
        assert "周一上班后" in acks[1].text  # the next Saturday is not on the roster
        assert not [h for h in heard if h.to == "马建民" and h.at.startswith("Sat")]


@pytest.mark.parametrize(("roster", "says"), [
    ('[[duty]]\nname = "路人甲"\ndates = ["2026-11-21"]\n', "no grid's worker"),
    ('[[duty]]\nname = "孙丽"\ngrids = ["qn-9"]\ndates = ["2026-11-21"]\n', "unknown grid"),
    ('[[duty]]\nname = "孙丽"\n', "dates or the weekdays"),
    ('[[duty]]\nname = "孙丽"\nweekdays = [8]\n', "ISO weekdays"),
])
def test_a_wrong_roster_is_refused_saying_what_is_wrong(tmp_path, roster, says):
    with pytest.raises(ConfigError, match=says):
        load_config(with_roster(tmp_path, roster))


def test_the_roster_is_read(tmp_path):
    config = load_config(with_roster(tmp_path, '[[duty]]\nname = "孙丽"\nweekdays = [6, 7]\n'))
    (entry,) = config.settings.duty
    assert entry.name == "孙丽" and entry.weekdays == (6, 7) and entry.grids == ()
