"""Every set-up mistake stops the bot with one line naming the file and the problem: a
config saved as GBK, a folder given as a path, an empty database name, a broken or missing
rules folder, FAQ or phrases file, two people sharing one WeChat id, a read-only database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_CONFIG, ROOT

from bot.config import ConfigError, load_config


def example() -> str:
    return EXAMPLE_CONFIG.read_text(encoding="utf-8")


def write(folder: Path, text: str, name: str = "gridbot.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def with_classifier(line: str) -> str:
    return example().replace("[classifier]\n", f"[classifier]\n{line}\n", 1)


def refused(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def test_a_config_saved_as_gbk_says_so(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(example().encode("gbk"))
    error = refused(path)
    assert "not UTF-8" in error.problem and "GBK" in error.problem and "save it as UTF-8" in error.problem


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + example().encode("utf-8"))
    assert load_config(path).bot_name == "网格小助手"


def test_a_folder_as_the_config_path(tmp_path):
    assert "is a folder" in refused(tmp_path).problem


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('database = "gridbot.db"', 'database = ""', "bot.database", "is empty"),
        ('database = "gridbot.db"', 'database = "   "', "bot.database", "is empty"),
        ('database = "gridbot.db"', 'database = "."', "bot.database", "is a folder"),
        ('name = "孙丽"\n', 'name = "孙丽"\nwechat_id = "wxid_majianmin"\n', "people[1].wechat_id",
         '"wxid_majianmin" is already the id of "马建民"'),
        ('name = "孙丽"\n', 'name = "孙丽"\nwechat_id = ""\n', "people[1].wechat_id", "is empty"),
    ],
)
def test_bad_values_name_the_key(tmp_path, old, new, key, problem):
    assert old in example()
    error = refused(write(tmp_path, example().replace(old, new, 1)))
    assert error.key == key and problem in error.problem


def test_a_missing_rules_folder_or_faq_file(tmp_path):
    error = refused(write(tmp_path, with_classifier('rules = "my-rules"')))
    assert error.key == "classifier.rules" and "no such folder or file" in error.problem
    error = refused(write(tmp_path, with_classifier('faq = "my-faq.toml"')))
    assert error.key == "classifier.faq" and "no such file" in error.problem
    (tmp_path / "faq-folder").mkdir()
    error = refused(write(tmp_path, with_classifier('faq = "faq-folder"')))
    assert error.key == "classifier.faq" and "is a folder" in error.problem
    error = refused(write(tmp_path, with_classifier('replies = "my-replies.toml"')))
    assert error.key == "classifier.replies" and "no such file" in error.problem


def start(config: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot pipe` with nothing to read: it starts (or refuses to) and ends."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "pipe", "--config", str(config), "--quiet"],
        input="", capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""  # not even "ready"
    return lines[0]


def test_broken_rules_and_faq_files_stop_the_start_with_one_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "repair.toml").write_text("[[rule]\nintent = ", encoding="utf-8")
    config = write(tmp_path, with_classifier('rules = "rules"'))
    line = one_line(start(config))
    assert f"{config}: classifier.rules: repair.toml: TOML syntax error" in line

    (tmp_path / "faq.toml").write_text('[[faq]]\nquestion = "几点开门"\n', encoding="utf-8")
    config = write(tmp_path, with_classifier('faq = "faq.toml"'))
    line = one_line(start(config))
    assert f"{config}: classifier.faq: faq.toml" in line and "answer" in line

    (tmp_path / "replies.toml").write_text('[worker.accept]\npatterns = ["{nothing}"]\n', encoding="utf-8")
    config = write(tmp_path, with_classifier('replies = "replies.toml"'))
    line = one_line(start(config))
    assert f"{config}: classifier.replies: replies.toml" in line and "unknown concept" in line


def test_the_bot_refuses_a_database_it_cannot_write(tmp_path, read_only):
    db = tmp_path / "gridbot.db"
    config = write(tmp_path, example())
    assert start(config).returncode == 0  # creates the database
    read_only(db)
    line = one_line(start(config))
    assert line.startswith(f"数据库错误 database error: {db}: cannot write the database")
