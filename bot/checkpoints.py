"""The database's checkpoints on a thread of their own, when the bot is quiet.

In WAL mode a commit appends to the log; copying the log into the database file (and its
fsync) is the checkpoint. Left to SQLite it happens inside whichever commit crosses the
size, and holds the event loop for it (~100 ms on a busy disk). Here a thread does it on a
connection of its own: after a quiet moment (no commit for half a second), or every few
seconds in a long busy spell (a catch-up writes ~50 MB a second: copying it meanwhile
slows the loop's own writes, so not more often); the bot's connection keeps its own only
as a far backstop. Crash guarantees are SQLite's either way: a commit is in the log before
it returns, and a checkpoint only copies what is committed.
"""

from __future__ import annotations

import logging
import threading
import time

from storage import Store
from storage.database import StorageError

log = logging.getLogger("gridbot")

QUIET_SECONDS = 0.5  # how often the thread looks; a look with no commit since is quiet
BUSY_SECONDS = 5.0  # the longest a busy spell goes without a checkpoint


def due(dirty: bool, committed: bool, since_last: float, busy: float = BUSY_SECONDS) -> bool:
    """Whether to checkpoint now: something is to copy (`dirty`), and nothing was committed
    since the last look (quiet), or a busy spell has gone `busy` seconds without one."""
    return dirty and (not committed or since_last >= busy)


class Checkpoints:
    """Start and stop the checkpoint thread of a store (nothing for one in memory)."""

    def __init__(self, store: Store, quiet: float = QUIET_SECONDS, busy: float = BUSY_SECONDS) -> None:
        self._store = store
        self._quiet, self._busy = quiet, busy
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
            seen = checkpointer.data_version()
            dirty, last = True, time.monotonic()  # what the start wrote
            while not self._stop.wait(self._quiet):
                now, version = time.monotonic(), checkpointer.data_version()
                committed, seen = version != seen, version
                dirty = dirty or committed
                if due(dirty, committed, now - last, self._busy):
                    self._checkpoint(checkpointer)
                    dirty, last = False, now
        finally:
            checkpointer.close()

    def _checkpoint(self, checkpointer) -> None:
        try:
            checkpointer.run()
            self.done += 1
        except StorageError as error:  # the backstop will do it if this goes on
            log.warning("checkpoint failed, trying again soon: %s", error)

    def stop(self) -> None:
        """Wait for a checkpoint under way, then close its connection."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
