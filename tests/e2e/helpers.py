"""Small async helpers for the end-to-end tests (real processes, so we poll with a deadline)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def eventually(check: Callable[[], T], timeout: float = 10.0, what: str = "condition") -> T:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


def sent_to(sent: list[dict[str, Any]], conversation: str) -> list[dict[str, Any]]:
    return [entry for entry in sent if entry["conversationId"] == conversation]
