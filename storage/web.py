"""Sign-in links and sessions of the office's dashboard.

Only hashes of the secrets are kept: whoever reads the database file cannot sign in with
what they find there. A link works once, before it expires; a session until it expires
or its holder signs out.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database


@dataclass(frozen=True)
class WebSession:
    name: str  # the official's name in the config
    csrf: str  # the token every form of this session carries
    expires_at: int


class WebAccess:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_link(self, token_hash: str, name: str, *, at: int, expires_at: int) -> None:
        self._db.execute("DELETE FROM web_links WHERE expires_at <= ?", [at])
        self._db.execute(
            "INSERT INTO web_links (token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?)",
            [token_hash, name, at, expires_at],
        )

    def link_name(self, token_hash: str, *, at: int) -> str | None:
        """Whose link this is, while it is unused and not expired (it stays unused)."""
        row = self._db.execute(
            "SELECT name FROM web_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            [token_hash, at],
        ).fetchone()
        return row[0] if row else None

    def use_link(self, token_hash: str, *, at: int) -> str | None:
        """Spend the link: the name once, None ever after (or when it expired)."""
        cursor = self._db.execute(
            "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            "AND expires_at > ?",
            [at, token_hash, at],
        )
        if cursor.rowcount != 1:
            return None
        row = self._db.execute(
            "SELECT name FROM web_links WHERE token_hash = ?", [token_hash]
        ).fetchone()
        return row[0]

    def add_session(
        self, id_hash: str, name: str, *, csrf: str, at: int, expires_at: int
    ) -> None:
        self._db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", [at])
        self._db.execute(
            "INSERT INTO web_sessions (id_hash, name, csrf, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [id_hash, name, csrf, at, expires_at],
        )

    def session(self, id_hash: str, *, at: int) -> WebSession | None:
        row = self._db.execute(
            "SELECT name, csrf, expires_at FROM web_sessions WHERE id_hash = ? AND expires_at > ?",
            [id_hash, at],
        ).fetchone()
        return WebSession(*row) if row else None

    def end_session(self, id_hash: str) -> None:
        self._db.execute("DELETE FROM web_sessions WHERE id_hash = ?", [id_hash])
