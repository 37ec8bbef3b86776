"""The trained weights (intents/weights.json) and their use, in plain Python.

`make model` (intents/train.py, scikit-learn at build time only) fits two linear models
on the corpus: one score per intent, and one for "urgent". Here a message's features
(see analysis.py) are looked up and their weights summed; nothing else is needed at run
time. The file records what it was trained on (a hash of the corpus), so a test can
tell when the shipped weights no longer match the corpus in the repository.

File format (JSON): the feature names joined by newlines, and their weights as
little-endian float32 in base64, one row of len(intents) + 1 numbers per feature (the
intents' weights, then the urgency weight). Reading it takes a few tens of milliseconds;
a JSON table of numbers would take ten times longer at every start.
"""

from __future__ import annotations

import array
import base64
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import INTENTS

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights.json"
FORMAT = 2


class ModelError(Exception):
    """The weights file is missing, unreadable or of another format."""


@dataclass
class LinearModel:
    intents: tuple[str, ...]
    bias: tuple[float, ...]  # per intent
    urgent_bias: float
    # feature -> (weight per intent..., urgency weight)
    table: dict[str, tuple[float, ...]]
    trained_on: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

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
            features = doc["features"].split("\n") if doc["features"] else []
            values = array.array("f")
            values.frombytes(base64.b64decode(doc["weights"]))
            if sys.byteorder != "little":
                values.byteswap()
            if len(bias) != len(intents) or len(values) != width * len(features):
                raise ModelError(f"{name}: weights do not fit the features and intents")
            rows = iter(values)
            table = dict(zip(features, zip(*[rows] * width, strict=True), strict=True))
            return cls(intents, bias, float(doc["urgent_bias"]), table,
                       dict(doc.get("trained_on", {})), dict(doc.get("settings", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{name}: malformed: {exc!r}") from None

    def to_dict(self) -> dict:
        features = sorted(self.table)
        values = array.array("f", (x for f in features for x in self.table[f]))
        if sys.byteorder != "little":
            values.byteswap()
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "settings": self.settings,
            "intents": list(self.intents),
            "bias": list(self.bias),
            "urgent_bias": self.urgent_bias,
            "features": "\n".join(features),
            "weights": base64.b64encode(values.tobytes()).decode("ascii"),
        }

    def scores(self, features: Iterable[str]) -> tuple[list[float], float]:
        """One raw score (logit) per intent, in `self.intents` order, and the urgency logit."""
        present = [w for w in map(self.table.get, features) if w is not None]
        if not present:
            return list(self.bias), self.urgent_bias
        sums = [sum(col) for col in zip(*present, strict=True)]
        return [b + s for b, s in zip(self.bias, sums, strict=False)], self.urgent_bias + sums[-1]

    def contributions(self, features: Iterable[str], intent: str) -> list[tuple[str, float]]:
        """(feature, weight for `intent`) of the features present, largest first."""
        i = self.intents.index(intent) if intent != "urgent" else len(self.intents)
        out = [(f, self.table[f][i]) for f in features if f in self.table]
        return sorted(out, key=lambda fw: (-abs(fw[1]), fw[0]))


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
