"""`python -m bot run` on real WeChat settings: it can always be stopped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

from conftest import EXAMPLE_CONFIG, ROOT


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def test_sigterm_stops_the_bot_while_the_gateway_is_unreachable(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace('transport = "console"', 'transport = "wechaty"')
    text = text.replace('endpoint = "127.0.0.1:8788"', f'endpoint = "127.0.0.1:{closed_port()}"')
    config = tmp_path / "wechat.toml"
    config.write_text(text, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config), "--db", str(tmp_path / "g.db")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:  # wait until it says the gateway is not there
            line = proc.stdout.readline()
            lines.append(line)
            if "127.0.0.1" in line or not line:
                break
        assert proc.poll() is None, "".join(lines)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
