"""Each sender's last messages, kept in memory as the inbox has them.

Every resident's message asks how many its sender said in the last minute (flood) and
which of their messages just before it are still unused (a report typed in pieces): both
read the sender's own last minutes of the inbox. Those rows are kept here, complete from a
time on, in step with the writes of the inbox (storage/mail.py: a message stored, marked)
and of what a message was read as (storage/conversation.py); emptied on a rollback and
before a read snapshot. Anything older, or a sender not kept, is read from the database.
"""

from __future__ import annotations

from storage.database import Database
from storage.records import InboxRow, changed, columns, inbox_row

_INBOX_I = columns(InboxRow, "i.")

KEEP_SECONDS = 30 * 60  # a sender's messages kept this far back from the one asked about
ROWS_KEPT = 200  # a sender with more in that time (a flood) is read from the database
SENDERS_KEPT = 20_000  # senders kept; emptied when full


class _Kept:
    """One sender's rows said since `floor` (all of them), in the inbox's order."""

    __slots__ = ("floor", "rows")

    def __init__(self, floor: int, rows: list[tuple[int, InboxRow]]) -> None:
        self.floor = floor
        self.rows = rows  # (rowid, row), rowid ascending

    def find(self, message_id: str) -> tuple[int, InboxRow] | None:
        for kept in reversed(self.rows):  # the one asked about is nearly always the last
            if kept[1].message_id == message_id:
                return kept
        return None


class Recent:
    def __init__(self, db: Database) -> None:
        self._conn = db.conn
        self._senders: dict[str, _Kept] = {}
        self._sender_of: dict[str, str] = {}  # message id -> sender id, of the rows kept

    def forget(self) -> None:
        """What was written may have been rolled back: read it again from the database."""
        self._senders.clear()
        self._sender_of.clear()

    def _keep(self, sender_id: str, kept: _Kept) -> None:
        if len(self._senders) >= SENDERS_KEPT:
            self.forget()
        self._senders[sender_id] = kept
        for _, row in kept.rows:
            self._sender_of[row.message_id] = sender_id

    def added(self, rowid: int, row: InboxRow) -> None:
        """A message was stored (as `row`, at `rowid`)."""
        kept = self._senders.get(row.sender_id)
        if kept is None:
            return
        kept.rows.append((rowid, row))
        self._sender_of[row.message_id] = row.sender_id
        floor = row.sent_at - KEEP_SECONDS  # older ones are no longer asked about
        if kept.rows[0][1].sent_at < floor and floor > kept.floor:
            for _, old in kept.rows:
                if old.sent_at < floor:
                    self._sender_of.pop(old.message_id, None)
            kept.rows = [(r, old) for r, old in kept.rows if old.sent_at >= floor]
            kept.floor = floor
        if len(kept.rows) > ROWS_KEPT:
            self._drop(row.sender_id)

    def read_as(self, message_id: str, reading: str, ticket_id: int | None) -> None:
        kept = self._senders.get(self._sender_of.get(message_id, ""))
        if kept is None:
            return
        for i, (rowid, row) in enumerate(kept.rows):
            if row.message_id == message_id:
                kept.rows[i] = (rowid, changed(row, reading=reading, ticket_id=ticket_id))
                return

    def changed(self, message_id: str) -> None:
        """A message's row changed otherwise (marked): its sender is read again."""
        sender_id = self._sender_of.get(message_id)
        if sender_id is not None:
            self._drop(sender_id)

    def _drop(self, sender_id: str) -> None:
        kept = self._senders.pop(sender_id, None)
        if kept is not None:
            for _, row in kept.rows:
                self._sender_of.pop(row.message_id, None)

    def around(self, sender_id: str, message_id: str) -> tuple[_Kept, int, InboxRow] | None:
        """The sender's rows kept (whole since their `floor`), and the rowid and row of
        `message_id` among them; read from the database when the sender is not kept.
        None: not kept (too many, or not theirs): the caller asks the database."""
        kept = self._senders.get(sender_id)
        if kept is None:
            rows = self._conn.execute(
                f"SELECT i.rowid, {_INBOX_I} FROM inbox i, "
                "(SELECT sent_at AS t FROM inbox WHERE message_id = ?) m "
                "WHERE i.sender_id = ? AND i.sent_at >= m.t - ? ORDER BY i.rowid LIMIT ?",
                [message_id, sender_id, KEEP_SECONDS, ROWS_KEPT + 1],
            ).fetchall()
            if not rows or len(rows) > ROWS_KEPT:
                return None
            pairs = [(row[0], inbox_row(row[1:])) for row in rows]
            found = next((pair for pair in pairs if pair[1].message_id == message_id), None)
            if found is None:
                return None
            kept = _Kept(found[1].sent_at - KEEP_SECONDS, pairs)
            self._keep(sender_id, kept)
            return kept, found[0], found[1]
        found = kept.find(message_id)
        if found is None:
            return None
        return kept, found[0], found[1]
