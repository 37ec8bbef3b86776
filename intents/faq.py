"""Answers to common questions from intents/faq.toml.

The handlers ask the FAQ only for `inquiry` messages; when no entry fits, the
question goes to the grid worker as a ticket. An entry fits when one of its
keywords appears (after traditional -> simplified folding); the entry with the
most matched keywords wins, then the one with the longest matched keyword.

A keyword counts only where it names what is asked, not who is asking: 「我妈是低保户
取暖补贴咋个申请」 asks about the heating subsidy, and 「我们不是低保的可以申请不」 asks
whether one may apply without it — neither asks how to apply for 低保. So a keyword said as
the asker's standing (是低保户, 不是低保的, 属于特困) does not count, and a question that
names another benefit (「取暖补贴」, 「高龄津贴」: a word ending in 补贴, 补助, 津贴, 救助
that no keyword of the entry covers) is not this entry's.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .normalize import Normalizer, build_fold_table, read_char_map
from .rules import PACKAGE_DIR, RulesError, read_rewrites

DEFAULT_FAQ = PACKAGE_DIR / "faq.toml"
# Who the asker is, not what they ask: 是低保户, 不是低保的, 属于特困, 作为低保对象.
STANDING_BEFORE = ("是", "属于", "算", "作为", "当")
STANDING_AFTER = ("户", "家庭", "人员", "对象", "的")
# A benefit named in the question: two or more characters before 补贴/补助/津贴/救助.
BENEFIT = re.compile(r"[\u4e00-\u9fff]{2}(?:补贴|补助|津贴|救助)")


@dataclass(frozen=True)
class FaqEntry:
    question: str
    keywords: tuple[str, ...]
    answer: str
    # The community's own answer, checked against how it does things here (confirmed = true):
    # only such an answer is posted. Another is a general answer (「一般…有的地方…」) that may
    # differ from the worker's: the question goes to the worker, the answer is their crib.
    confirmed: bool = False
    topic: str = ""  # what the question is about, as the acknowledgement names it (居住证)


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
            confirmed, topic = item.get("confirmed", False), item.get("topic", keywords[0])
            if not isinstance(confirmed, bool):
                raise RulesError(f"{where}: 'confirmed' must be true or false")
            if not isinstance(topic, str) or not topic.strip():
                raise RulesError(f"{where}: 'topic' must be a non-empty string")
            entries.append(FaqEntry(question.strip(), tuple(k.strip().lower() for k in keywords),
                                    answer.strip(), confirmed, topic.strip()))
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
        benefits = {m.group(0) for m in BENEFIT.finditer(folded)}
        for entry in self.entries:
            hits = [k for k in entry.keywords if _asked(folded, k)]
            if not hits:
                continue
            if any(not any(b in k or k in b for k in entry.keywords) for b in benefits):
                continue  # it asks of another benefit than this entry's
            key = (len(hits), max(len(k) for k in hits))
            if key > best:
                best, found = key, entry
        return found

    def answer(self, text: str) -> str | None:
        entry = self.match(text)
        return entry.answer if entry else None


def _asked(text: str, keyword: str) -> bool:
    """The keyword is in the text as what is asked of, somewhere: not only as the asker's
    standing (是低保户, 不是低保的)."""
    start = text.find(keyword)
    while start >= 0:
        before, after = text[:start], text[start + len(keyword):]
        if not (before.endswith(STANDING_BEFORE) and after.startswith(STANDING_AFTER)):
            return True
        start = text.find(keyword, start + 1)
    return False
