"""Every compatibility fix python-wechaty 0.10 / wechaty-puppet-service 0.8 needs, in one place.

python-wechaty is unmaintained since 2022 and predates Python 3.11 and the 1.x Node
puppet-service. Each shim below says what it fixes. Import wechaty only through
`load_wechaty()`: the import-time shims must run before the first `import wechaty`.
Only `bot/transports/wechaty.py` (and the shim tests) use this module.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterable
from types import ModuleType
from typing import Any

log = logging.getLogger("gridbot.wechaty")

# file-box 1.x FileBoxType values (file-box/src/file-box.type.ts).
FILEBOX_BASE64 = 1
FILEBOX_URL = 2
FILEBOX_QRCODE = 3
FILEBOX_UUID = 7

_loaded: ModuleType | None = None


def load_wechaty() -> ModuleType:
    """Apply the import-time shims once, then import and return the `wechaty` package."""
    global _loaded
    if _loaded is not None:
        return _loaded

    # Shim 1: python-wechaty evaluates `config.cache_dir` at import time, which creates a
    # `.wechaty/` folder in the current directory. Point it at a temp folder instead
    # (an explicit CACHE_DIR from the environment still wins).
    os.environ.setdefault("CACHE_DIR", os.path.join(tempfile.gettempdir(), "gridbot-wechaty-cache"))

    # Shim 2: the wechaty loggers print every message text at INFO to their own stderr
    # handler. Start them at WARNING (WECHATY_LOG from the environment still wins);
    # `route_wechaty_logs()` then sends them through our logging with the token redacted.
    os.environ.setdefault("WECHATY_LOG", "warn")

    # Shim 3: wechaty 0.10 imports `AsyncIOEventEmitter` from pyee's top level, which pyee
    # 9 moved to `pyee.asyncio`. pyproject pins pyee<9; this keeps a newer pyee working.
    import pyee

    if not hasattr(pyee, "AsyncIOEventEmitter"):  # pragma: no cover - pinned pyee<9
        from pyee.asyncio import AsyncIOEventEmitter

        pyee.AsyncIOEventEmitter = AsyncIOEventEmitter  # type: ignore[attr-defined]

    # Shim 4: wechaty's url_link.py imports `urllib3.get_host`, removed in urllib3 2.
    # pyproject pins urllib3<2; this keeps urllib3 2 working.
    import urllib3

    if not hasattr(urllib3, "get_host"):  # pragma: no cover - pinned urllib3<2
        from urllib3.util import parse_url

        def get_host(url: str) -> tuple[str, str | None, int | None]:
            parsed = parse_url(url)
            return parsed.scheme or "http", parsed.hostname, parsed.port

        urllib3.get_host = get_host  # type: ignore[attr-defined]

    # Shim 5: on Python >= 3.11 `import wechaty` raises "ValueError: mutable default
    # <class PuppetOptions> for field puppet_options": dataclasses reject unhashable
    # defaults. PuppetOptions is a plain (non-frozen) dataclass; give it identity hashing.
    from wechaty_puppet.schemas import puppet as puppet_schema

    puppet_schema.PuppetOptions.__hash__ = object.__hash__  # type: ignore[assignment,method-assign]

    # Shim 6: file-box 1.x (the Node server) serialises file boxes as
    # {"type": 1|2|3|7, "url": ...}; python's FileBox.from_json only knows the 0.x keys
    # "boxType"/"remoteUrl" and raises KeyError / "unknown file_box json object".
    # Translate 1.x JSON to 0.x before parsing. UUID boxes (images over 20 KB) carry no
    # bytes; `message_media_bytes()` reads those through the stream RPC.
    from wechaty_puppet.file_box import file_box as file_box_module

    original_from_json = file_box_module.FileBox.from_json.__func__  # type: ignore[attr-defined]

    def from_json(cls: Any, obj: str | dict[str, Any]) -> Any:
        data = json.loads(obj) if isinstance(obj, str) else dict(obj)
        return original_from_json(cls, filebox_json_to_v0(data))

    file_box_module.FileBox.from_json = classmethod(from_json)  # type: ignore[method-assign,assignment]

    # Shim 7: wechaty and wechaty_puppet_service import `telnetlib` (deprecated in 3.11,
    # gone in 3.13: stay below 3.13); keep its DeprecationWarning out of our logs and tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import wechaty
        import wechaty_puppet_service  # noqa: F401 - create its loggers before routing them

    _loaded = wechaty
    return wechaty


def filebox_json_to_v0(data: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a file-box 1.x JSON object with the 0.x keys python-wechaty expects."""
    out = dict(data)
    if "boxType" not in out and "type" in out:
        out["boxType"] = out["type"]
    if "remoteUrl" not in out and "url" in out:
        out["remoteUrl"] = out["url"]
    if out.get("metadata") is None:
        out["metadata"] = {}
    out.setdefault("name", "file")
    return out


def decode_inline_filebox(filebox_json: str) -> tuple[str, bytes] | None:
    """Return (name, bytes) of an inline base64 file box, or None if the bytes live elsewhere.

    Small files (<= 20 KB) come inline as base64; bigger ones as a UUID box, and URL boxes
    point outside: both need another way to the bytes.
    """
    try:
        data = json.loads(filebox_json)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("type", data.get("boxType"))
    if kind != FILEBOX_BASE64 or not data.get("base64"):
        return None
    payload = data["base64"]
    if "," in payload and payload.startswith("data:"):
        payload = payload.split(",", 1)[1]
    try:
        return str(data.get("name") or "file"), base64.b64decode(payload)
    except (binascii.Error, ValueError):
        return None


def chunks_to_file(chunks: Iterable[tuple[str, bytes]]) -> tuple[str, bytes]:
    """Join the (name, data) chunks of a MessageFileStream answer: the name comes first."""
    name = ""
    parts: list[bytes] = []
    for chunk_name, data in chunks:
        if chunk_name:
            name = chunk_name
        if data:
            parts.append(data)
    return name or "file", b"".join(parts)


async def message_media_bytes(puppet: Any, message_id: str) -> tuple[str, bytes]:
    """Read the file of a message (a photo) as (name, bytes), whatever its size.

    Shim 8: python-wechaty's `message.to_file_box()` asks `MessageImage` for images, which
    some puppets answer with a thumbnail or a placeholder (the mock: a QR code), and it
    cannot fetch a 1.x UUID box (images over 20 KB: the 1.x `Download` RPC is missing
    from wechaty-grpc 0.20). Ask `MessageFile` (what Node wechaty 1.x's toFileBox uses);
    when the answer is not inline, read the same file through the older
    `MessageFileStream` RPC, which the 1.x server still serves, in chunks.
    """
    stub = puppet.puppet_stub
    response = await stub.message_file(id=message_id)
    inline = decode_inline_filebox(response.filebox)
    if inline is not None:
        return inline
    collected: list[tuple[str, bytes]] = []
    async for part in stub.message_file_stream(id=message_id):
        chunk = part.file_box_chunk
        collected.append((chunk.name or "", bytes(chunk.data or b"")))
    return chunks_to_file(collected)


def fresh_pools(bot: Any) -> None:
    """Shim 9: give this connection's Room/Contact/Tag classes their own object caches.

    python-wechaty caches Room and Contact objects in one class-level `_pool` dict shared
    by every Wechaty instance and every `init_puppet()`. After a reconnect, `Room.load()`
    would hand back objects bound to the closed puppet ("puppet_stub should not be
    none"). Called right after `bot.init_puppet()`, which made fresh subclasses.
    """
    for name in ("Room", "Contact", "ContactSelf", "Tag"):
        cls = getattr(bot, name, None)
        if cls is not None:
            cls._pool = {}


def send_without_reread(puppet: Any) -> None:
    """Shim 10: make `room.say()` / `contact.say()` not re-read the message they just sent.

    After sending, python-wechaty loads the new message by the id the server returned.
    The 1.x servers return "" (the mock) or an id the puppet may not know yet, so that
    read raises *after* the message went out: the outbox would then send it again.
    Returning None from the send RPCs skips the read; we never need the sent message.
    """
    for name in ("message_send_text", "message_send_file", "message_send_contact",
                 "message_send_url", "message_send_mini_program"):
        original = getattr(puppet, name, None)
        if original is None:
            continue

        async def send(*args: Any, _original: Any = original, **kwargs: Any) -> None:
            await _original(*args, **kwargs)
            return None

        setattr(puppet, name, send)


def set_room_topic(room: Any, new_topic: str | None) -> None:
    """Shim 11: make a renamed room report its new topic.

    `Room.ready(force_sync=True)` returns early when a payload is cached, so python-wechaty
    would keep the old topic for ever. Take the new topic from the room-topic event.
    """
    if new_topic and room._payload is not None:
        room._payload.topic = new_topic


class _RedactTokens(logging.Filter):
    """Replace known tokens in log records (PuppetService logs the token at WARNING)."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "the endpoint will be used for service" in message:
            return False  # noise at every connect: we always give both on purpose
        hits = [token for token in self.tokens if token in message]
        if hits:
            for token in hits:
                message = message.replace(token, "***")
            record.msg, record.args = message, ()
        return True


_REDACT = _RedactTokens()
_WECHATY_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


def route_wechaty_logs(token: str) -> None:
    """Shim 12: send python-wechaty's loggers through ours, with the token redacted.

    wechaty's `get_logger()` gives every logger its own stderr handler and turns off
    propagation, so its lines bypass the application's logging config; and
    PuppetService logs the token in clear ("there are endpoint<..> and token<..>").
    """
    # PuppetService also reads (and logs) tokens from these environment variables.
    for candidate in (token, *(os.environ.get(k) for k in ("WECHATY_PUPPET_SERVICE_TOKEN", "TOKEN", "token"))):
        if candidate:
            _REDACT.tokens.add(candidate)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger) or name.startswith("gridbot"):
            continue
        own = [
            h
            for h in logger.handlers
            if type(h) is logging.StreamHandler
            and h.formatter is not None
            and h.formatter._fmt == _WECHATY_FORMAT
        ]
        for handler in own:
            logger.removeHandler(handler)
        if own:
            logger.propagate = True
            logger.addFilter(_REDACT)
