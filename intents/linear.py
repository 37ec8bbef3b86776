"""The trained weights (intents/weights.json) and their use, in plain Python.

`make model` (intents/train.py, scikit-learn at build time only) fits two linear models
on the corpus: one score per intent, and one for "urgent". Here a message's features
(see analysis.py) are looked up and their weights summed; nothing else is needed at run
time. The file records what it was trained on (a hash of the corpus), so a test can
tell when the shipped weights no longer match the corpus in the repository.

Weights are fixed-point numbers (1/8192 apart) kept as little-endian unsigned 32-bit
fields, one row per feature: the intents' weights, the urgency weight, and a 1 that
counts the feature. A row read as one integer adds all its fields in one Python
addition, so a message's scores are one sum over its features (no loop per intent):
each field holds weight * 8192 + 2**18 (weights are clipped to +-31.9), which stays
positive and leaves room for 8,000 features before a field could overflow.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .model import INTENTS

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"
FORMAT = 3
SCALE = 1 << 13
OFFSET = 1 << 18
LIMIT = 31.9
_FIELD = 32
_MASK = (1 << _FIELD) - 1


class ModelError(Exception):
    """The weights file is missing, unreadable or of another format."""


def pack(weights: Iterable[float]) -> int:
    """One feature's row as one integer: fixed-point fields, then a count field of 1."""
    row = [round(max(-LIMIT, min(LIMIT, w)) * SCALE) + OFFSET for w in weights] + [1]
    return int.from_bytes(b"".join(v.to_bytes(4, "little") for v in row), "little")


def unpack(total: int, width: int) -> list[float]:
    """The sums of a sum of packed rows (the last field counts the rows)."""
    count = (total >> (_FIELD * width)) & _MASK
    base = count * OFFSET
    return [(((total >> (_FIELD * j)) & _MASK) - base) / SCALE for j in range(width)]


@dataclass
class LinearModel:
    intents: tuple[str, ...]
    bias: tuple[float, ...]  # per intent
    urgent_bias: float
    # feature -> packed row (see pack): weight per intent, urgency weight, count
    rows: dict[str, int]
    trained_on: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._width = len(self.intents) + 1
        # Words and character n-grams in tables of their own, keyed without the prefix.
        self._words = {f[2:]: r for f, r in self.rows.items() if f.startswith("w:")}
        self._grams = {f[2:]: r for f, r in self.rows.items() if f.startswith("g:")}

    @classmethod
    def from_table(cls, intents: tuple[str, ...], bias: tuple[float, ...], urgent_bias: float,
                   table: dict[str, tuple[float, ...]], **info: dict) -> LinearModel:
        return cls(intents, bias, urgent_bias, {f: pack(w) for f, w in table.items()}, **info)

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
            row = 4 * (len(intents) + 2)
            bias = tuple(float(b) for b in doc["bias"])
            features = doc["features"].split("\n") if doc["features"] else []
            data = base64.b64decode(doc["weights"])
            if len(bias) != len(intents) or len(data) != row * len(features):
                raise ModelError(f"{name}: weights do not fit the features and intents")
            from_bytes = int.from_bytes
            rows = {f: from_bytes(data[i * row:(i + 1) * row], "little")
                    for i, f in enumerate(features)}
            return cls(intents, bias, float(doc["urgent_bias"]), rows,
                       dict(doc.get("trained_on", {})), dict(doc.get("settings", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{name}: malformed: {exc!r}") from None

    def to_dict(self) -> dict:
        features = sorted(self.rows)
        row = 4 * (self._width + 1)
        data = b"".join(self.rows[f].to_bytes(row, "little") for f in features)
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "settings": self.settings,
            "intents": list(self.intents),
            "bias": list(self.bias),
            "urgent_bias": self.urgent_bias,
            "features": "\n".join(features),
            "weights": base64.b64encode(data).decode("ascii"),
        }

    def scores(self, features: Iterable[str]) -> tuple[list[float], float]:
        """One raw score (logit) per intent, in `self.intents` order, and the urgency logit."""
        return self._total(sum(filter(None, map(self.rows.get, features))))

    def scores_of(self, other: Iterable[str], words: Iterable[str],
                  grams: Iterable[str]) -> tuple[list[float], float]:
        """The same from the three kinds of analysis.Parts (the classifier's fast path)."""
        return self._total(sum(filter(None, map(self.rows.get, other)))
                           + sum(filter(None, map(self._words.get, words)))
                           + sum(filter(None, map(self._grams.get, grams))))

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
