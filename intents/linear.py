"""The trained weights (intents/weights.json) and their use, in plain Python.

`make model` (intents/train.py, scikit-learn at build time only) fits two linear models
on the corpus: one score per intent, and one for "urgent". Here a message's features
(see analysis.py) are looked up and their weights summed; nothing else is needed at run
time. The file records what it was trained on (a hash of the corpus), so a test can
tell when the shipped weights no longer match the corpus in the repository.

Weights are fixed-point numbers (1/8192 apart, clipped to +-3.99: the trained ones stay
within +-2.1). The file keeps them as 16-bit fields, zlib-compressed, one row per
feature (the intents' weights, then the urgency weight), in three lists of names: the
other features, jieba's words and the character n-grams (those two without their w: and
g: prefixes, as the classifier looks them up). In memory a row is one integer of
unsigned 32-bit fields: each weight * 8192 + 2**15, and a 1 that counts the feature. A
sum of rows adds all their fields in one Python addition, so a message's scores are one
sum over its features (no loop per intent); a field overflows only past 65,000 features.
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path

from .model import INTENTS

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"
FORMAT = 4
SCALE = 1 << 13
OFFSET = 1 << 15  # a stored field is weight * SCALE + OFFSET, in 16 bits
LIMIT = 3.99
_FIELD = 32
_MASK = (1 << _FIELD) - 1
WORD, GRAM = "w:", "g:"  # feature name prefixes of jieba words and character n-grams


class ModelError(Exception):
    """The weights file is missing, unreadable or of another format."""


def quantize(weights: Iterable[float]) -> list[int]:
    """One feature's weights as stored: unsigned 16-bit fixed point."""
    return [round(max(-LIMIT, min(LIMIT, w)) * SCALE) + OFFSET for w in weights]


def pack(weights: Iterable[float]) -> int:
    """One feature's row as one integer: fixed-point fields, then a count field of 1."""
    row = quantize(weights) + [1]
    return int.from_bytes(b"".join(v.to_bytes(4, "little") for v in row), "little")


def unpack(total: int, width: int) -> list[float]:
    """The sums of a sum of packed rows (the last field counts the rows)."""
    count = (total >> (_FIELD * width)) & _MASK
    base = count * OFFSET
    return [(((total >> (_FIELD * j)) & _MASK) - base) / SCALE for j in range(width)]


def _rows_from(data: bytes, width: int) -> list[int]:
    """Packed rows from the stored 16-bit fields: each field widened to 32 bits (in C, by
    strided copies) and a count field of 1 put on top."""
    wide = bytearray(2 * len(data))
    wide[0::4] = data[0::2]
    wide[1::4] = data[1::2]
    row = 4 * width
    one = 1 << (_FIELD * width)
    from_bytes = int.from_bytes
    view = memoryview(wide)
    return [from_bytes(view[i:i + row], "little") | one for i in range(0, len(wide), row)]


@dataclass
class LinearModel:
    intents: tuple[str, ...]
    bias: tuple[float, ...]  # per intent
    urgent_bias: float
    # feature -> packed row (see pack): weight per intent, urgency weight, count. Words
    # and character n-grams in tables of their own, keyed without their prefix.
    other: dict[str, int]
    words: dict[str, int]
    grams: dict[str, int]
    trained_on: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._width = len(self.intents) + 1

    @classmethod
    def from_table(cls, intents: tuple[str, ...], bias: tuple[float, ...], urgent_bias: float,
                   table: dict[str, tuple[float, ...]], **info: dict) -> LinearModel:
        other, words, grams = {}, {}, {}
        for f, w in table.items():
            if f.startswith(WORD):
                words[f[2:]] = pack(w)
            elif f.startswith(GRAM):
                grams[f[2:]] = pack(w)
            else:
                other[f] = pack(w)
        return cls(intents, bias, urgent_bias, other, words, grams, **info)

    @cached_property
    def rows(self) -> dict[str, int]:
        """feature name (with its prefix) -> packed row: training, explain and tests."""
        rows = dict(self.other)
        rows.update((WORD + w, r) for w, r in self.words.items())
        rows.update((GRAM + g, r) for g, r in self.grams.items())
        return rows

    @cached_property
    def table(self) -> dict[str, tuple[float, ...]]:
        """feature -> (weight per intent..., urgency weight), as stored (for explain)."""
        return {f: tuple(unpack(r, self._width)) for f, r in self.rows.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> LinearModel:
        path = Path(path) if path is not None else DEFAULT_WEIGHTS
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path.name}: cannot read: {exc}") from None
        return cls.from_dict(doc, path.name)

    @classmethod
    def from_dict(cls, doc: dict, name: str = "weights") -> LinearModel:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ModelError(f"{name}: not a weights file of format {FORMAT}")
        try:
            intents = tuple(doc["intents"])
            if set(intents) != set(INTENTS):
                raise ModelError(f"{name}: intents {intents} are not {INTENTS}")
            width = len(intents) + 1
            bias = tuple(float(b) for b in doc["bias"])
            kinds = [doc[k].split("\n") if doc[k] else [] for k in ("features", "words", "grams")]
            data = zlib.decompress(base64.b64decode(doc["weights"]))
            if len(bias) != len(intents) or len(data) != 2 * width * sum(map(len, kinds)):
                raise ModelError(f"{name}: weights do not fit the features and intents")
            rows = iter(_rows_from(data, width))
            other, words, grams = ({f: next(rows) for f in names} for names in kinds)
            return cls(intents, bias, float(doc["urgent_bias"]), other, words, grams,
                       dict(doc.get("trained_on", {})), dict(doc.get("settings", {})))
        except (KeyError, TypeError, ValueError, AttributeError, zlib.error) as exc:
            raise ModelError(f"{name}: malformed: {exc!r}") from None

    def to_dict(self) -> dict:
        width = self._width
        kinds = [sorted(table) for table in (self.other, self.words, self.grams)]
        data = bytearray()
        for table, names in zip((self.other, self.words, self.grams), kinds, strict=True):
            for f in names:
                row = table[f]
                for j in range(width):
                    data += ((row >> (_FIELD * j)) & 0xFFFF).to_bytes(2, "little")
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "settings": self.settings,
            "intents": list(self.intents),
            "bias": list(self.bias),
            "urgent_bias": self.urgent_bias,
            "features": "\n".join(kinds[0]),
            "words": "\n".join(kinds[1]),
            "grams": "\n".join(kinds[2]),
            # level 9 and no header time stamp: the same rows give the same bytes
            "weights": base64.b64encode(zlib.compress(bytes(data), 9)).decode("ascii"),
        }

    def scores(self, features: Iterable[str]) -> tuple[list[float], float]:
        """One raw score (logit) per intent, in `self.intents` order, and the urgency logit."""
        return self._total(sum(filter(None, map(self.rows.get, features))))

    def scores_of(self, other: Iterable[str], words: Iterable[str],
                  grams: Iterable[str]) -> tuple[list[float], float]:
        """The same from the three kinds of analysis.Parts (the classifier's fast path)."""
        return self._total(sum(filter(None, chain(map(self.other.get, other),
                                                  map(self.words.get, words),
                                                  map(self.grams.get, grams)))))

    def _total(self, total: int) -> tuple[list[float], float]:
        sums = unpack(total, self._width)
        return [b + s for b, s in zip(self.bias, sums, strict=False)], self.urgent_bias + sums[-1]

    def contributions(self, features: Iterable[str], intent: str) -> list[tuple[str, float]]:
        """(feature, weight for `intent`) of the features present, largest first."""
        i = self.intents.index(intent) if intent != "urgent" else len(self.intents)
        table = self.table
        out = [(f, table[f][i]) for f in features if f in table]
        return sorted(out, key=lambda fw: (-abs(fw[1]), fw[0]))


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
