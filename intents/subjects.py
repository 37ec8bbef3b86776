"""What a message is about (water, the lift, the stair lights, a manhole cover...): how
the conversation tells one incident from another in the same building.

The words are data (`subjects.toml`); text is folded (traditional -> simplified,
full-width -> ASCII) before matching. Pure: no state but the loaded table.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from .normalize import build_fold_table, read_char_map, strip_surrogates, trie_regex

PACKAGE_DIR = Path(__file__).resolve().parent
SUBJECTS_PATH = PACKAGE_DIR / "subjects.toml"


class SubjectBook:
    def __init__(
        self, groups: dict[str, list[str]], fold_table: dict[int, str], unsaid: list[str] = ()
    ) -> None:
        self._fold = fold_table
        # Words that hold a subject's word but speak of no subject (「打不着火」: a heater that
        # will not light is no fire): blanked before the subjects are looked for.
        folded_unsaid = [w.translate(fold_table).strip() for w in unsaid]
        folded_unsaid = [w for w in folded_unsaid if w]
        self._unsaid = re.compile(trie_regex(folded_unsaid)) if folded_unsaid else None
        self._group_of: dict[str, set[str]] = {}
        for name, words in groups.items():
            for word in words:
                folded = word.translate(fold_table).strip()
                if folded:
                    self._group_of.setdefault(folded, set()).add(name)
        words = list(self._group_of)
        # Overlapping words (「电瓶车」 and 「电瓶」) all count: search from every position.
        self._lookahead = re.compile(f"(?=({trie_regex(words)}))") if words else None

    @classmethod
    def load(cls, path: Path = SUBJECTS_PATH) -> SubjectBook:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        groups = data.get("subjects", {})
        if not isinstance(groups, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in groups.values()
        ):
            raise ValueError(f"{path.name}: [subjects] must map names to lists of words")
        unsaid = data.get("unsaid", {}).get("words", [])
        if not isinstance(unsaid, list) or not all(isinstance(w, str) for w in unsaid):
            raise ValueError(f"{path.name}: [unsaid] words must be a list of words")
        char_map = read_char_map(PACKAGE_DIR / "t2s.txt")
        return cls(groups, build_fold_table(char_map), unsaid)

    def of(self, text: str) -> frozenset[str]:
        """The subjects the text speaks of (empty when it names none)."""
        if self._lookahead is None or not text:
            return frozenset()
        folded = strip_surrogates(text).translate(self._fold)
        if self._unsaid is not None:
            folded = self._unsaid.sub(lambda m: "\u3000" * len(m.group(0)), folded)
        found: set[str] = set()
        for match in self._lookahead.finditer(folded):
            found |= self._group_of.get(match.group(1), set())
        return frozenset(found)


@lru_cache(maxsize=1)
def default_subjects() -> SubjectBook:
    return SubjectBook.load()


@lru_cache(maxsize=8192)
def subjects_of(text: str) -> frozenset[str]:
    """What `text` is about, by the package's own subject words (the same texts come back
    often: an incident's messages are read for each message said after them)."""
    return default_subjects().of(text)
