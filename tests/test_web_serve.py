"""The dashboard is served by `python -m bot web` on its own, and by `python -m bot run`
itself (same process, same loop, same database connection) when `[web] enabled = true`."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import EXAMPLE_CONFIG, ROOT

from bot.config import ConfigError, load_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """Start the bot; return it and the dashboard address it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "dashboard: http://" in line:
            return proc, line.split("dashboard: ")[1].split()[0].rstrip("/")
        if not line:
            break
    proc.kill()
    raise AssertionError("no dashboard address printed:\n" + "".join(lines))


def health(address: str) -> dict:
    with urllib.request.urlopen(f"{address}/health", timeout=10) as response:
        return json.loads(response.read())


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_bot_web_serves_the_dashboard_on_its_own(tmp_path):
    port = free_port()
    proc, address = start("web", "--config", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "g.db"),
                          "--port", str(port))
    try:
        assert address == f"http://127.0.0.1:{port}"
        body = health(address)
        assert body["transport"] == "none" and body["connected"] is False
        with urllib.request.urlopen(f"{address}/signin", timeout=10) as page:
            assert "后台" in page.read().decode("utf-8")
    finally:
        assert stop(proc) == 0


def test_bot_run_serves_it_from_its_own_process(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('transport = "console"', 'transport = "wechaty"')
    text = text.replace('endpoint = "127.0.0.1:8788"', f'endpoint = "127.0.0.1:{free_port()}"')
    text = text.replace('token = "change-me"', 'token = "change-me"\nlogin_timeout_seconds = 1')
    port = free_port()
    text = text.replace("enabled = false", "enabled = true").replace("port = 8080", f"port = {port}")
    config = tmp_path / "wechat.toml"
    config.write_text(text, encoding="utf-8")
    proc, address = start("run", "--config", str(config), "--db", str(tmp_path / "g.db"))
    try:
        body = health(address)  # up while the chat is not: and it says so
        assert body["transport"] == "wechaty" and body["connected"] is False
        assert body["ok"] is False and body["outbox_backlog"] == 0
    finally:
        assert stop(proc) == 0


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ("port = 70000", "web.port", "port number"),
        ('public_url = "grid.example.gov.cn"', "web.public_url", "http"),
        ("link_minutes = 0", "web.link_minutes", "more than 0"),
        ('enabled = "yes"', "web.enabled", "must be bool"),
        ("prot = 8080", "web.prot", 'did you mean "port"'),
    ],
)
def test_a_wrong_web_setting_is_one_line(tmp_path, line, key, problem):
    path = tmp_path / "bad.toml"
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    start = text.index("[web]\n")
    text = text[:start] + text[text.index("[[communities]]", start):]  # this test's own [web]
    path.write_text(f"{text}\n[web]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key and problem in caught.value.problem
