"""The python-wechaty compatibility shims, each checked on its own (no gateway needed)."""

from __future__ import annotations

import base64
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.transports import wechaty_shims as shims
from bot.transports.wechaty import _timestamp, strip_leading_mentions

REPO = Path(__file__).resolve().parents[1]


def test_wechaty_imports_on_this_python_through_the_shims() -> None:
    wechaty = shims.load_wechaty()
    assert wechaty.Wechaty and wechaty.WechatyOptions
    from wechaty_puppet.schemas.puppet import PuppetOptions

    assert hash(PuppetOptions()) is not None  # the Python 3.11 dataclass fix
    # wechaty's cache folder is not created in the working directory or the repo.
    assert not Path(os.environ["CACHE_DIR"]).resolve().is_relative_to(REPO)
    assert not (REPO / ".wechaty").exists()


def test_filebox_json_of_file_box_1x_is_read() -> None:
    shims.load_wechaty()
    from wechaty_puppet import FileBox

    data = b"\x89PNG small photo"
    inline = FileBox.from_json(
        json.dumps({"type": 1, "name": "p.png", "base64": base64.b64encode(data).decode(), "size": 16})
    )
    assert base64.b64decode(inline.base64) == data and inline.name == "p.png"
    remote = FileBox.from_json({"type": 2, "name": "a.jpg", "url": "https://example.invalid/a.jpg"})
    assert remote.remoteUrl == "https://example.invalid/a.jpg"
    old = FileBox.from_json({"boxType": 3, "name": "qr.png", "qrCode": "hello"})
    assert old.qrCode == "hello"


def test_filebox_v1_keys_are_translated() -> None:
    out = shims.filebox_json_to_v0({"type": 2, "url": "u", "metadata": None})
    assert (out["boxType"], out["remoteUrl"], out["metadata"], out["name"]) == (2, "u", {}, "file")


def test_inline_filebox_is_decoded_and_uuid_boxes_are_left_to_the_stream() -> None:
    data = os.urandom(100)
    inline = json.dumps({"type": 1, "name": "x.jpg", "base64": base64.b64encode(data).decode()})
    assert shims.decode_inline_filebox(inline) == ("x.jpg", data)
    data_url = json.dumps({"boxType": 1, "name": "y.jpg", "base64": "data:image/jpeg;base64,"
                           + base64.b64encode(data).decode()})
    assert shims.decode_inline_filebox(data_url) == ("y.jpg", data)
    uuid_box = json.dumps({"type": 7, "name": "big.jpg", "uuid": "1234", "size": 40960})
    assert shims.decode_inline_filebox(uuid_box) is None
    assert shims.decode_inline_filebox("not json") is None


def test_file_stream_chunks_are_joined_name_first() -> None:
    chunks = [("big.jpg", b""), ("", b"abc"), ("", b"def")]
    assert shims.chunks_to_file(chunks) == ("big.jpg", b"abcdef")
    assert shims.chunks_to_file([]) == ("file", b"")


async def test_media_bytes_uses_the_stream_for_uuid_boxes() -> None:
    class Chunk:
        def __init__(self, name: str, data: bytes) -> None:
            self.name, self.data = name, data

    class Part:
        def __init__(self, chunk: Chunk) -> None:
            self.file_box_chunk = chunk

    class Stub:
        async def message_file(self, id: str) -> Any:
            return type("R", (), {"filebox": json.dumps({"type": 7, "uuid": "u", "name": "b.jpg"})})()

        async def message_file_stream(self, id: str) -> Any:
            for part in (Part(Chunk("b.jpg", b"")), Part(Chunk("", b"12")), Part(Chunk("", b"34"))):
                yield part

    puppet = type("P", (), {"puppet_stub": Stub()})()
    assert await shims.message_media_bytes(puppet, "m1") == ("b.jpg", b"1234")


def test_each_connection_gets_its_own_object_pools() -> None:
    class Room:
        _pool: dict[str, Any] = {"old": object()}

    bot = type("Bot", (), {})()
    bot.Room = type("Room", (Room,), {})
    bot.Contact = type("Contact", (Room,), {})
    shims.fresh_pools(bot)
    assert bot.Room._pool == {} and bot.Room._pool is not bot.Contact._pool
    assert "old" in Room._pool  # the shared base pool is left alone


async def test_say_does_not_reread_the_sent_message() -> None:
    calls: list[tuple[str, str]] = []

    class Puppet:
        async def message_send_text(self, conversation_id: str, message: str, mention_ids: Any = None) -> str:
            calls.append((conversation_id, message))
            return ""  # what the 1.x mock answers

    puppet = Puppet()
    shims.send_without_reread(puppet)
    assert await puppet.message_send_text("r1@chatroom", "hi") is None
    assert calls == [("r1@chatroom", "hi")]


def test_room_topic_follows_a_rename() -> None:
    payload = type("Payload", (), {"topic": "old"})()
    room = type("Room", (), {"_payload": payload})()
    shims.set_room_topic(room, "new")
    assert payload.topic == "new"


def test_wechaty_logs_are_routed_and_the_token_redacted(caplog: Any) -> None:
    shims.load_wechaty()
    from wechaty_puppet import get_logger

    logger = get_logger("GridbotShimTest")
    assert logger.handlers and not logger.propagate  # as python-wechaty makes them
    shims.route_wechaty_logs("s3cret-token")
    assert not logger.handlers and logger.propagate
    with caplog.at_level(logging.WARNING):
        logger.warning("token<%s> in use", "s3cret-token")
        logger.warning("there are endpoint<a> and token<s3cret-token>, and the endpoint will be used for service ...")
    assert "s3cret-token" not in caplog.text
    assert "token<***> in use" in caplog.text
    assert "endpoint will be used" not in caplog.text


def test_handler_written_mentions_are_not_doubled() -> None:
    assert strip_leading_mentions("@李网格员 请处理", ["李网格员"]) == "请处理"
    assert strip_leading_mentions("@张阿姨\u2005@李网格员 好", ["李网格员", "张阿姨"]) == "好"
    assert strip_leading_mentions("请 @李网格员 处理", ["李网格员"]) == "请 @李网格员 处理"


def test_timestamps_in_seconds_or_milliseconds_become_aware() -> None:
    expected = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    assert _timestamp(expected.timestamp()) == expected
    assert _timestamp(expected.timestamp() * 1000) == expected
    assert _timestamp(0).tzinfo is not None
