"""A bad config stops start-up with one line naming the file, the key and the problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_CONFIG, ROOT

from bot.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


def example() -> str:
    return EXAMPLE_CONFIG.read_text(encoding="utf-8")


def test_example_config_is_a_realistic_community():
    config = load_config(EXAMPLE_CONFIG)
    d = config.directory
    assert len(d.communities) >= 2 and len(d.grids) >= 4
    assert sum(len(g.rooms) for g in d.grids) >= 4
    assert all(c.staff for c in d.communities)
    assert any(g.volunteers for g in d.grids)
    assert config.bot_name == "网格小助手" and config.transport == "console"


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('[[people]]\nname = "张继凯"', '[[people]]\nname = "张继凯"\ngrid = "qn-9"'), "people[4].grid", 'unknown grid "qn-9"'),
        (('rooms = ["青年路二网格居民群"]', 'rooms = ["青年路一网格居民群"]'), "grids[1].rooms", 'room "青年路一网格居民群" is already in grid "qn-1"'),
        (('timezone = "Asia/Shanghai"\n', ""), "bot.timezone", "missing key"),
        (("workers = [\"李强\", \"王秀英\"]", "wrokers = [\"李强\", \"王秀英\"]"), "grids[2].wrokers", 'unknown key (did you mean "workers"?)'),
        (('community = "binhe"\nname = "滨河第一网格"', 'community = "binhai"\nname = "滨河第一网格"'), "grids[2].community", 'unknown community "binhai"'),
        (('transport = "console"', 'transport = "telegram"'), "bot.transport", "must be one of"),
        (("[sla]", "[slaa]"), "slaa", 'unknown section (did you mean "sla"?)'),
        (('min_confidence = 0.5', 'min_confidence = "high"'), "classifier.min_confidence", "must be int"),
        (('clock = "office"', 'clock = "always"'), "sla.clock", "must be one of office, daytime"),
        (('{ errand = "daytime" }', '{ errand = "night" }'), "sla.clock_by_intent.errand", "must be one of"),
        (('daily_list_at = "09:00"', 'daily_list_at = "9am"'), "sla.daily_list_at", 'is not a time like "09:00"'),
        (('start = "21:30"', 'start = "25:00"'), "quiet_hours.start", 'is not a time like "09:00"'),
        (("[quiet_hours]", "[quiet]"), "quiet", 'unknown section (did you mean "quiet_hours"?)'),
    ],
)
def test_each_bad_config_names_file_key_and_problem(tmp_path, change, key, problem):
    old, new = change
    assert old in example()
    path = write(tmp_path, example().replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.key == key
    assert problem in error.problem
    assert str(error).startswith(f"{path}: {key}: ")


def test_the_timers_settings_are_read():
    settings = load_config(EXAMPLE_CONFIG).settings
    assert (settings.quiet_hours.start.hour, settings.quiet_hours.end.hour) == (21, 7)
    assert settings.sla.clock_for("repair") == "office" and settings.sla.clock_for("errand") == "daytime"
    assert (settings.sla.daily_list_at.hour, settings.sla.daily_list_at.minute) == (9, 0)


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[bot\nname="))
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_start_up_stops_with_one_clear_line(tmp_path):
    path = write(tmp_path, example().replace('grid = "qn-2"', 'grid = "qn-7"', 1))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "tickets", "--config", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}: people[1].grid: unknown grid \"qn-7\"" in lines[0]
