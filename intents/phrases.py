"""What people say in the group that the handlers look for (要是…, 是不是…, 培训, 回来了, 还没撤…):
word lists kept as data (`phrases.toml` beside this file), so a handler holds only its logic.

Each list is a set of alternatives: a word, or a small pattern ([坏堵] is any one of those
characters). A handler asks for a list by name (`"hearing.supposing"`) and, when it needs
one, a frame around it (`r"^\\s*(?:%s)"`: said first) — the frame is logic, the words data.
An admin's 重载规则 reads the file again (`reload`), as with replies.toml: a broken file is
refused with the list and the problem, and the lists in force stay.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("phrases.toml")


class PhraseError(ValueError):
    pass


class PhraseTable:
    """The lists of phrases.toml by name (`section.list`), and the file they came from."""

    def __init__(self, data: dict, source: str = DEFAULT_PATH.name) -> None:
        self._lists: dict[str, tuple[str, ...]] = {}
        for section, lists in data.items():
            if not isinstance(lists, dict):
                raise PhraseError(f"{source}: [{section}] must be a table of lists")
            for name, words in lists.items():
                key = f"{section}.{name}"
                if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
                    raise PhraseError(f"{source}: {key} must be a non-empty list of words")
                try:
                    re.compile("|".join(words))
                except re.error as error:
                    raise PhraseError(f"{source}: {key}: {error}") from None
                self._lists[key] = tuple(words)
        self._patterns: dict[tuple[str, str], re.Pattern] = {}
        self._sets: dict[str, frozenset[str]] = {}

    path: Path = DEFAULT_PATH

    @classmethod
    def load(cls, path: Path | None = None) -> PhraseTable:
        """Read a phrase file; raises PhraseError naming the file and what is wrong."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise PhraseError(f"{path.name}: cannot read: {error}") from None
        table = cls(data, path.name)
        table.path = path
        return table

    def reload(self) -> str | None:
        """Read the same file again. None on success, else the error (the lists in force stay)."""
        try:
            fresh = PhraseTable.load(self.path)
        except PhraseError as error:
            return str(error)
        except Exception as error:  # noqa: BLE001 - a reload must never take the bot down
            return f"phrases reload failed: {error!r}"
        vars(self).update(vars(fresh))
        return None

    def names(self) -> tuple[str, ...]:
        return tuple(self._lists)

    def words(self, name: str) -> tuple[str, ...]:
        """The list as written (KeyError for a name the file does not have)."""
        return self._lists[name]

    def set_of(self, name: str) -> frozenset[str]:
        """The list as a set of plain words (to take away from another set)."""
        found = self._sets.get(name)
        if found is None:
            found = self._sets[name] = frozenset(self._lists[name])
        return found

    def alternatives(self, name: str) -> str:
        """The list as one regular-expression alternation: 「a|b|c」."""
        return "|".join(self._lists[name])

    def pattern(self, name: str, frame: str = "%s") -> re.Pattern:
        """The list compiled, inside `frame` (`%s` stands for the alternation)."""
        key = (name, frame)
        compiled = self._patterns.get(key)
        if compiled is None:
            compiled = self._patterns[key] = re.compile(frame % self.alternatives(name))
        return compiled


@cache
def default() -> PhraseTable:
    """The package's table, shared by every handler (and reloaded in place by 重载规则)."""
    return PhraseTable.load()


class Phrase:
    """A list of the default table as a compiled pattern that follows reloads: a handler
    keeps `SUPPOSING = phrase("hearing.supposing")` and calls `SUPPOSING.search(text)`."""

    __slots__ = ("name", "frame")

    def __init__(self, name: str, frame: str = "%s") -> None:
        self.name = name
        self.frame = frame

    @property
    def compiled(self) -> re.Pattern:
        return default().pattern(self.name, self.frame)

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def search(self, text: str, *args):
        return self.compiled.search(text, *args)

    def match(self, text: str, *args):
        return self.compiled.match(text, *args)

    def fullmatch(self, text: str, *args):
        return self.compiled.fullmatch(text, *args)

    def finditer(self, text: str, *args):
        return self.compiled.finditer(text, *args)

    def findall(self, text: str, *args):
        return self.compiled.findall(text, *args)

    def sub(self, repl, text: str, count: int = 0):
        return self.compiled.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0):
        return self.compiled.split(text, maxsplit)

    def __repr__(self) -> str:
        return f"Phrase({self.name!r})"


def phrase(name: str, frame: str = "%s") -> Phrase:
    """A list of the table, as a pattern (see Phrase). Checked at once: a handler naming a
    list the file lacks fails on import, not on the first message that would use it."""
    default().words(name)
    return Phrase(name, frame)


def alternatives(name: str) -> str:
    """A list of the default table as an alternation, to build a pattern with a name in it."""
    return default().alternatives(name)


def set_of(name: str) -> frozenset[str]:
    """A list of the default table as a set of plain words."""
    return default().set_of(name)


def words(name: str) -> tuple[str, ...]:
    """A list of the default table as written."""
    return default().words(name)
