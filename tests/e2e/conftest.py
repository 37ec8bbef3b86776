"""End-to-end fixtures: the Node gateway with the mock puppet, driven over loopback.

The gateway's Node packages are installed from the lockfile on first use (`npm ci`);
each test gets its own gateway on free loopback ports and a scripted world: the bot, two
residents' rooms of two grids with their worker, and a room the bot does not serve.
Every process started here is stopped in teardown.
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
GATEWAY_DIR = REPO / "gateway"
TOKEN = "e2e-token-0123456789"

BOT = {"id": "bot", "name": "网格小助手"}
CONTACTS = [
    {"id": "u1", "name": "张阿姨"},  # resident, room 1 (grid 1)
    {"id": "u2", "name": "王大爷"},  # resident, room 2 (grid 2)
    {"id": "w1", "name": "李网格员"},  # worker of grid 1
    {"id": "w2", "name": "赵网格员"},  # worker of grid 2
    {"id": "x1", "name": "路人甲"},  # only in the unknown room
]
ROOMS = [
    {"id": "r1@chatroom", "topic": "幸福里1号楼居民群", "members": ["u1", "w1"]},
    {"id": "r2@chatroom", "topic": "幸福里2号楼居民群", "members": ["u2", "w2"]},
    {"id": "r9@chatroom", "topic": "广场舞交流群", "members": ["x1", "u1"]},
]
SCENARIO = {"bot": BOT, "contacts": CONTACTS, "rooms": ROOMS}


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """An end-to-end test that hangs stops the run with a traceback instead of blocking CI.

    (The gateways started here exit on their own when this process is gone: PARENT_PID.)
    """
    faulthandler.dump_traceback_later(120, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lock_is_installed() -> bool:
    """node_modules exists and was installed from the current lockfile."""
    installed = GATEWAY_DIR / "node_modules" / ".package-lock.json"
    lock = GATEWAY_DIR / "package-lock.json"
    return installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime


@pytest.fixture(scope="session")
def gateway_installed() -> Path:
    """Install the gateway's Node packages from the lockfile if needed (about 15 s once)."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("the e2e tests need Node.js >= 18 and npm on PATH (for gateway/)")
    if not _lock_is_installed():
        result = subprocess.run(
            [npm, "ci", "--legacy-peer-deps", "--no-audit", "--no-fund"],
            cwd=GATEWAY_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci in gateway/ failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return Path(node)


class Gateway:
    """One gateway process (mock puppet) on fixed loopback ports; restartable."""

    def __init__(
        self, node: Path, workdir: Path, *, token: str = TOKEN, tls: bool = False,
        journal_max: int | None = None,
    ) -> None:
        self.node = node
        self.port = free_port()
        self.control_port = free_port()
        self.endpoint = f"127.0.0.1:{self.port}"
        self.token = token
        self.tls = tls
        self.scenario_path = workdir / "scenario.json"
        self.scenario_path.write_text(json.dumps(SCENARIO, ensure_ascii=False), encoding="utf-8")
        self.log_path = workdir / "gateway.log"
        self.journal_path = workdir / "journal.jsonl"  # survives restarts, like the real one
        self.journal_max = journal_max
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self) -> None:
        assert self.proc is None, "gateway already running"
        env = {
            **os.environ,
            "PUPPET": "wechaty-puppet-mock",
            "ENDPOINT": self.endpoint,
            "TOKEN": self.token,
            "CONTROL_PORT": str(self.control_port),
            "SCENARIO": str(self.scenario_path),
            "WECHATY_LOG": "warn",
            "PARENT_PID": str(os.getpid()),
            "JOURNAL": str(self.journal_path),
        }
        if self.journal_max is not None:
            env["JOURNAL_MAX"] = str(self.journal_max)
        if self.tls:
            env["TLS"] = "on"
        self.runs += 1
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [str(self.node), "server.js"],
            cwd=GATEWAY_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gateway exited at start:\n{self.log()}")
            try:
                self.health()
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"gateway did not come up:\n{self.log()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def kill(self) -> None:
        """Stop abruptly, as a crash would."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    # ----------------------------------------------------------- control API

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.control_port}{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.read().decode()}") from None

    def health(self) -> dict[str, Any]:
        return self.call("GET", "/health")

    def say(self, sender: str, text: str, *, room: str | None = None, to: str | None = None,
            mentions: list[str] | None = None) -> str:
        body: dict[str, Any] = {"from": sender, "text": text, "mentions": mentions or []}
        body.update({"room": room} if room else {"to": to or BOT["id"]})
        return str(self.call("POST", "/say", body)["id"])

    def image(self, sender: str, data: bytes, *, room: str | None = None, name: str = "photo.jpg") -> str:
        import base64

        body: dict[str, Any] = {"from": sender, "name": name, "base64": base64.b64encode(data).decode()}
        body.update({"room": room} if room else {"to": BOT["id"]})
        return str(self.call("POST", "/image", body)["id"])

    def rename(self, room: str, topic: str, by: str) -> None:
        self.call("POST", "/topic", {"room": room, "topic": topic, "by": by})

    def sent(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "/sent")["sent"])


@pytest.fixture(scope="module")
def shared_gateway(gateway_installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    gw = Gateway(gateway_installed, tmp_path_factory.mktemp("gateway"))
    gw.start()
    try:
        yield gw
    finally:
        gw.stop()


@pytest.fixture
def gateway(shared_gateway: Gateway) -> Gateway:
    """The module's gateway, reset: nothing sent yet, rooms with their first topics.

    Starting a gateway takes about a second, so tests share one per module; a test that
    may kill or freeze it uses `own_gateway`. A test may stop and start it (same ports).
    """
    if shared_gateway.proc is None or shared_gateway.proc.poll() is not None:
        shared_gateway.proc = None
        shared_gateway.start()
    shared_gateway.call("POST", "/reset")
    return shared_gateway


@pytest.fixture
def own_gateway(gateway_installed: Path, tmp_path: Path) -> Iterator[Gateway]:
    gw = Gateway(gateway_installed, tmp_path)
    gw.start()
    try:
        yield gw
    finally:
        gw.stop()


@pytest.fixture
def make_gateway(gateway_installed: Path, tmp_path: Path) -> Iterator[Any]:
    """Gateways with other settings (TLS on, another token); all stopped in teardown."""
    made: list[Gateway] = []

    def make(**kwargs: Any) -> Gateway:
        workdir = tmp_path / f"gw{len(made)}"
        workdir.mkdir()
        gw = Gateway(gateway_installed, workdir, **kwargs)
        made.append(gw)
        return gw

    try:
        yield make
    finally:
        for gw in made:
            gw.stop()
