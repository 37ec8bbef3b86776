"""Answers to common questions from intents/faq.toml.

The handlers ask the FAQ only for `inquiry` messages; when no entry fits, the
question goes to the grid worker as a ticket. An entry fits when one of its
keywords appears (after traditional -> simplified folding); the entry with the
most matched keywords wins, then the one with the longest matched keyword.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .normalize import Normalizer, build_fold_table, read_char_map
from .rules import PACKAGE_DIR, RulesError, read_rewrites

DEFAULT_FAQ = PACKAGE_DIR / "faq.toml"


@dataclass(frozen=True)
class FaqEntry:
    question: str
    keywords: tuple[str, ...]
    answer: str


class FaqBook:
    """A loaded FAQ file; `answer(text)` returns the fitting answer or None."""

    def __init__(self, entries: list[FaqEntry], normalizer: Normalizer | None = None,
                 path: Path | None = None) -> None:
        self.entries = tuple(entries)
        self._normalizer = normalizer or Normalizer(build_fold_table({}), {})
        self.path = Path(path) if path is not None else None

    @classmethod
    def load(cls, path: Path | None = None) -> FaqBook:
        """Read faq.toml; raises RulesError naming the entry on a broken file."""
        path = Path(path) if path is not None else DEFAULT_FAQ
        try:
            with path.open("rb") as fh:
                doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"{path.name}: TOML syntax error: {exc}") from None
        except OSError as exc:
            raise RulesError(f"{path.name}: cannot read: {exc}") from None
        raw = doc.get("faq")
        if not isinstance(raw, list) or not raw:
            raise RulesError(f"{path.name}: needs [[faq]] entries")
        entries: list[FaqEntry] = []
        for i, item in enumerate(raw, 1):
            where = f"{path.name} [[faq]] #{i}"
            if not isinstance(item, dict):
                raise RulesError(f"{where}: must be a table")
            question, answer, keywords = item.get("question"), item.get("answer"), item.get("keywords")
            if not isinstance(question, str) or not question.strip():
                raise RulesError(f"{where}: 'question' must be a non-empty string")
            if not isinstance(answer, str) or not answer.strip():
                raise RulesError(f"{where}: 'answer' must be a non-empty string")
            if (not isinstance(keywords, list) or not keywords
                    or not all(isinstance(k, str) and k.strip() for k in keywords)):
                raise RulesError(f"{where}: 'keywords' must be a non-empty list of strings")
            entries.append(FaqEntry(question.strip(), tuple(k.strip().lower() for k in keywords),
                                    answer.strip()))
        try:  # understand 繁體 and the usual typos the same way the classifier does
            normalizer = Normalizer(build_fold_table(read_char_map(PACKAGE_DIR / "t2s.txt")),
                                    read_rewrites())
        except (OSError, ValueError, RulesError):
            normalizer = None
        return cls(entries, normalizer, path)

    def reload(self) -> str | None:
        """Re-read the same file. None on success, else the error (old answers stay)."""
        try:
            fresh = FaqBook.load(self.path)
        except RulesError as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - a reload must never take the bot down
            return f"faq reload failed: {exc!r}"
        # One assignment each; a reader sees the old or the new entries, never a mix
        # that matters (match() reads entries and normalizer once each).
        self._normalizer = fresh._normalizer
        self.entries = fresh.entries
        return None

    def match(self, text: str) -> FaqEntry | None:
        """The best fitting entry, or None."""
        if not isinstance(text, str) or not text:
            return None
        folded = self._normalizer.normalize(text)
        best: tuple[int, int] = (0, 0)
        found: FaqEntry | None = None
        for entry in self.entries:
            hits = [k for k in entry.keywords if k in folded]
            if not hits:
                continue
            key = (len(hits), max(len(k) for k in hits))
            if key > best:
                best, found = key, entry
        return found

    def answer(self, text: str) -> str | None:
        entry = self.match(text)
        return entry.answer if entry else None
