"""The database's checkpoints on a thread of their own, every few seconds.

In WAL mode a commit appends to the log; copying the log into the database file (and its
fsync) is the checkpoint. Left to SQLite it happens inside whichever commit crosses the
size, and holds the event loop for it (~100 ms on a busy disk). Here a thread does it on a
connection of its own, whatever the loop is doing; the bot's connection keeps its own only
as a far backstop. Crash guarantees are SQLite's either way: a commit is in the log before
it returns, and a checkpoint only copies what is committed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from storage import Store

log = logging.getLogger("gridbot")

CHECKPOINT_SECONDS = 2.0


class Checkpoints:
    """Start and stop the checkpoint thread of a store (nothing for one in memory)."""

    def __init__(self, store: Store, every: float = CHECKPOINT_SECONDS) -> None:
        self._store = store
        self._every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.done = 0  # checkpoints run (the benchmark reports them)

    def start(self) -> None:
        checkpointer = self._store.checkpointer()
        if checkpointer is None or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(checkpointer,), name="gridbot-checkpoints", daemon=True
        )
        self._thread.start()

    def _run(self, checkpointer) -> None:
        try:
            while not self._stop.wait(self._every):
                try:
                    checkpointer.run()
                    self.done += 1
                except sqlite3.Error as error:  # the backstop will do it if this goes on
                    log.warning("checkpoint failed, trying again in %.0f s: %s", self._every, error)
        finally:
            checkpointer.close()

    def stop(self) -> None:
        """Wait for a checkpoint under way, then close its connection."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
