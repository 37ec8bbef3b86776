"""jieba's dictionary, loaded fast: a first character at a time, when a text needs it.

jieba keeps its prefix dictionary (500,000 words and prefixes with their counts) in a
marshal cache that takes about 0.6 s of CPU to read; building the dict alone, from any
file, takes 0.1-0.2 s, the largest part of the bot's start-up. So the dictionary is kept
in a file of our own, its words grouped by their first character, and a tokenizer's FREQ
is filled a group at a time (`Lazy.load(text)`, before a text is cut): a message needs a
few dozen groups, and the groups of the common characters are in after the first few
hundred messages. What the bot adds to jieba (userdict.txt, the concept words, with the
counts jieba suggests for them) is computed once per set of words and kept in a small
file beside it (`open_prepared` / `keep_prepared`).

The files are written next to jieba's own cache the first time (from jieba's dictionary,
the usual way), are named by jieba's version and its dictionary file's size and time (and
the words added), and anything unexpected in them means jieba's own way is used.

jieba is imported here without `pkg_resources` (0.1-0.2 s of imports to find its data
files; the fallback opens the same files by path).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import sys
import tempfile
import threading
from array import array
from collections.abc import Iterable, Mapping
from itertools import accumulate
from pathlib import Path

if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # jieba falls back to open()
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
import jieba  # noqa: E402

log = logging.getLogger(__name__)

MAGIC = b"gridbot jieba dictionary 3 " + sys.byteorder.encode() + b"\n"
# total, groups, words (one-character ones not counted), bytes of the groups' characters,
# bytes of the words
_HEADER = struct.Struct("<qqqqq")
_NONE = -1  # a group's character is no key of its own


class Lazy:
    """A tokenizer's FREQ filled a first character at a time. Until `load(text)` has
    read a character's group, FREQ holds only what starts with it and has one character,
    or what the bot added: whatever reads FREQ for a text calls `load(text)` first (or
    `load_all()`). Shared by every view of a classifier (filled in place)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._freq: dict[str, int] = {}
        self._added: dict[str, int] = {}  # what the bot added: the groups' counts lose
        self._keep: dict[str, list[str]] = {}  # those by their first character
        self._pending: dict[str, tuple[int, int, int, int]] = {}  # character -> its words
        self._counts: memoryview = memoryview(b"").cast("q")
        self._words = memoryview(b"")

    def load(self, text: str) -> None:
        """The groups of the characters of `text`, into FREQ."""
        if self._pending:
            missing = self._pending.keys() & set(text)
            if missing:
                self._load(missing)

    def load_all(self) -> None:
        """Every group at once: one split of all the words (what a group at a time costs
        over the first messages, about 0.25 s of CPU, in 0.15 s)."""
        if not self._pending:
            return
        with self._lock:
            if not self._pending:
                return
            words = str(self._words, "utf-8").split("\n") if len(self._words) else []
            self._freq.update(zip(words, self._counts, strict=True))
            for word, count in self._added.items():
                self._freq[word] = count
            self._pending.clear()
            self._counts, self._words = memoryview(b"").cast("q"), memoryview(b"")

    def _load(self, chars: Iterable[str]) -> None:
        with self._lock:
            for c in chars:
                span = self._pending.pop(c, None)
                if span is None:  # another thread was first
                    continue
                first, last, start, end = span
                if first == last:
                    continue
                words = str(self._words[start:end], "utf-8").split("\n")
                self._freq.update(zip(words, self._counts[first:last], strict=True))
                for word in self._keep.get(c, ()):
                    self._freq[word] = self._added[word]
            if not self._pending:  # all in: the file's memory can go
                self._counts, self._words = memoryview(b"").cast("q"), memoryview(b"")


def initialize(tokenizer: jieba.Tokenizer) -> None:
    """`tokenizer.initialize()`, the same FREQ and total, from the fast file when there is
    one (made from jieba's result when there is not). A tokenizer with a dictionary of its
    own is left to jieba."""
    if tokenizer.initialized:
        return
    lazy = _open(tokenizer)
    if lazy is not None:
        lazy.load_all()
        return
    tokenizer.initialize()
    path = _cache_path(tokenizer)
    if path is not None:
        _write(path, tokenizer.FREQ, tokenizer.total)


def open_prepared(tokenizer: jieba.Tokenizer, lazy: Lazy, userdict: Path | None,
                  words: list[str]) -> bool:
    """The tokenizer as `keep_prepared` left it for these words (jieba's dictionary, the
    userdict and `words` added), to be filled by `lazy`: False when either file is
    missing or unusable (then the caller adds them the usual way and keeps the result)."""
    if tokenizer.initialized:
        return False
    path = _prepared_path(tokenizer, userdict, words)
    if path is None:
        return False
    try:
        added = json.loads(path.read_text(encoding="utf-8"))
        total, counts = added["total"], added["words"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(total, int) or not isinstance(counts, dict):
        return False
    with tokenizer.lock:
        if _open(tokenizer, lazy, counts) is None:
            return False
        tokenizer.total = total
    return True


def keep_prepared(tokenizer: jieba.Tokenizer, plain: Mapping[str, int], userdict: Path | None,
                  words: list[str]) -> None:
    """What the bot added to jieba's dictionary `plain` (every key whose count differs,
    and `words` themselves) and the total, for `open_prepared` next time."""
    path = _prepared_path(tokenizer, userdict, words)
    if path is None:
        return
    freq = tokenizer.FREQ
    wanted = set(words)
    added = {w: f for w, f in freq.items() if w in wanted or plain.get(w) != f}
    text = json.dumps({"total": tokenizer.total, "words": added}, ensure_ascii=False)
    _replace(path, text.encode("utf-8"))


def _open(tokenizer: jieba.Tokenizer, lazy: Lazy | None = None,
          added: Mapping[str, int] | None = None) -> Lazy | None:
    """The fast file, its one-character keys in FREQ and the rest pending in `lazy`;
    `added` over it. None (and the tokenizer untouched) when it cannot be used."""
    path = _cache_path(tokenizer)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    read = _read(data)
    if read is None:
        return None
    total, firsts, singles, pending, counts, words = read
    freq = {c: f for c, f in zip(firsts, singles, strict=True) if f != _NONE}
    lazy = lazy if lazy is not None else Lazy()
    if added:
        freq.update(added)
        lazy._added = dict(added)
        for word in added:
            lazy._keep.setdefault(word[0], []).append(word)
    lazy._freq, lazy._pending, lazy._counts, lazy._words = freq, pending, counts, words
    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.initialized = True
    return lazy


def _read(data: bytes):
    try:
        if not data.startswith(MAGIC):
            return None
        total, groups, n, size_firsts, size_words = _HEADER.unpack_from(data, len(MAGIC))
        at = len(MAGIC) + _HEADER.size
        if min(groups, n, size_firsts, size_words) < 0:
            return None
        if len(data) != at + 8 * (3 * groups + n) + size_firsts + size_words:
            return None
        view = memoryview(data)
        firsts = str(view[at:at + size_firsts], "utf-8")
        at += size_firsts
        sizes = view[at:at + 8 * groups].cast("q")  # words of each group
        at += 8 * groups
        spans = view[at:at + 8 * groups].cast("q")  # bytes of each group's words, joined
        at += 8 * groups
        singles = view[at:at + 8 * groups].cast("q")
        at += 8 * groups
        counts = view[at:at + 8 * n].cast("q")
        words = view[at + 8 * n:]
        # all the words joined by line breaks, a group after the other (an empty group
        # takes no room): a group's words are its span, after its predecessors' and theirs
        steps = [span + 1 if size else 0 for size, span in zip(sizes, spans, strict=True)]
        if len(firsts) != groups or sum(sizes) != n or max(sum(steps) - 1, 0) != size_words:
            return None
        ends = list(accumulate(sizes))
        byte_ends = [b - 1 for b in accumulate(steps)]
        pending = {c: (e - s, e, b - k, b) for c, s, e, k, b
                   in zip(firsts, sizes, ends, spans, byte_ends, strict=True)}
        return total, firsts, singles, pending, counts, words
    except (ValueError, struct.error, UnicodeDecodeError, TypeError):
        return None


def _cache_path(tokenizer: jieba.Tokenizer) -> Path | None:
    if tokenizer.dictionary != jieba.DEFAULT_DICT:
        return None
    try:
        source = os.stat(Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
    except OSError:
        return None
    name = f"gridbot-jieba3-{jieba.__version__}-{source.st_size}-{source.st_mtime_ns}.dict"
    return Path(tokenizer.tmp_dir or tempfile.gettempdir()) / name


def _prepared_path(tokenizer: jieba.Tokenizer, userdict: Path | None,
                   words: list[str]) -> Path | None:
    path = _cache_path(tokenizer)
    if path is None:
        return None
    digest = hashlib.sha256(MAGIC + path.name.encode())
    try:
        digest.update(userdict.read_bytes() if userdict is not None and userdict.exists() else b"-")
    except OSError:
        return None
    digest.update("\n".join(words).encode("utf-8"))
    return path.with_name(f"gridbot-jieba3-added-{digest.hexdigest()[:24]}.json")


def _write(path: Path, freq: dict[str, int], total: int) -> None:
    """The words by their first character: per group its character, how many words and
    bytes it has and the count of the character itself; then the counts and the words."""
    groups: dict[str, list[str]] = {}
    singles: dict[str, int] = {}
    for word in freq:
        if "\n" in word or not word:
            return
        if len(word) == 1:
            singles[word] = freq[word]
            groups.setdefault(word, [])
        else:
            groups.setdefault(word[0], []).append(word)
    try:
        firsts = "".join(groups)
        blobs = ["\n".join(ws).encode("utf-8") for ws in groups.values()]
        joined = b"\n".join(blob for blob, ws in zip(blobs, groups.values(), strict=True) if ws)
        counts = array("q", (freq[w] for ws in groups.values() for w in ws))
        head = _HEADER.pack(total, len(groups), len(counts), len(firsts.encode("utf-8")),
                            len(joined))
        data = b"".join([
            MAGIC, head, firsts.encode("utf-8"),
            array("q", (len(ws) for ws in groups.values())).tobytes(),
            array("q", map(len, blobs)).tobytes(),
            array("q", (singles.get(c, _NONE) for c in groups)).tobytes(),
            counts.tobytes(), joined,
        ])
    except OverflowError:
        return
    _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Atomically, like jieba's own cache; a failure only means the slow way next time."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".gridbot-jieba-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        log.warning("could not keep jieba's dictionary for a fast start: %s", exc)
