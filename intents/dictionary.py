"""jieba's dictionary, loaded fast: start-up waits for it before the first message.

jieba keeps its prefix dictionary (500,000 words and prefixes with their counts) in a
marshal cache that takes about 0.6 s of CPU to read. The same dictionary kept as one
block of counts and one of words, rebuilt with a single split and zip, reads in about a
third of that. The file is written next to jieba's own cache the first time (from
jieba's dictionary, the usual way), is named by jieba's version and its dictionary
file's size and time, and anything unexpected in it means jieba's own way is used.

jieba is imported here without `pkg_resources` (0.1-0.2 s of imports to find its data
files; the fallback opens the same files by path).
"""

from __future__ import annotations

import logging
import os
import struct
import sys
import tempfile
from array import array
from pathlib import Path

if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # jieba falls back to open()
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
import jieba  # noqa: E402

log = logging.getLogger(__name__)

MAGIC = b"gridbot jieba dictionary 1 " + sys.byteorder.encode() + b"\n"
_HEADER = struct.Struct("<qqq")  # total, number of words, bytes of words


def initialize(tokenizer: jieba.Tokenizer) -> None:
    """`tokenizer.initialize()`, the same FREQ and total, from the fast file when there is
    one (made from jieba's result when there is not). A tokenizer with a dictionary of its
    own is left to jieba."""
    if tokenizer.initialized:
        return
    path = _cache_path(tokenizer)
    if path is not None:
        with tokenizer.lock:
            loaded = _read(path)
            if loaded is not None:
                tokenizer.FREQ, tokenizer.total = loaded
                tokenizer.initialized = True
                return
    tokenizer.initialize()
    if path is not None:
        _write(path, tokenizer.FREQ, tokenizer.total)


def _cache_path(tokenizer: jieba.Tokenizer) -> Path | None:
    if tokenizer.dictionary != jieba.DEFAULT_DICT:
        return None
    try:
        source = os.stat(Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
    except OSError:
        return None
    name = f"gridbot-jieba-{jieba.__version__}-{source.st_size}-{source.st_mtime_ns}.dict"
    return Path(tokenizer.tmp_dir or tempfile.gettempdir()) / name


def _read(path: Path) -> tuple[dict[str, int], int] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        total, n, size = _HEADER.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _HEADER.size
        if n < 0 or size < 0 or len(data) != start + 8 * n + size:
            return None
        counts = array("q")
        counts.frombytes(data[start:start + 8 * n])
        words = data[start + 8 * n:].decode("utf-8").split("\n")
        if len(words) != n or len(counts) != n:
            return None
        return dict(zip(words, counts, strict=True)), total
    except (ValueError, struct.error, UnicodeDecodeError):
        return None


def _write(path: Path, freq: dict[str, int], total: int) -> None:
    """Atomically, like jieba's own cache; a failure only means the slow way next time."""
    words = list(freq)
    if any("\n" in word for word in words):
        return
    try:
        counts = array("q", (freq[word] for word in words)).tobytes()
        blob = "\n".join(words).encode("utf-8")
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".gridbot-jieba-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + _HEADER.pack(total, len(words), len(blob)) + counts + blob)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except (OSError, OverflowError) as exc:
        log.warning("could not keep jieba's dictionary for a fast start: %s", exc)
