"""Text -> Classification for Gridbot. Pure: imports nothing of the project.

`classify(text)` uses a default Classifier built lazily on the first call, so
importing this package does no work.
"""

from __future__ import annotations

import threading

from . import dictionary  # noqa: F401  (first: jieba imported the fast way)
from .classifier import Classifier
from .faq import FaqBook
from .masking import mask
from .model import INTENT_NAMES_ZH, INTENTS, TICKET_INTENTS, Classification
from .places import extract_place, normalize_place, place_of_quote
from .rules import RulesError
from .subjects import subjects_of

__all__ = [
    "Classification", "INTENTS", "TICKET_INTENTS", "INTENT_NAMES_ZH", "Classifier", "RulesError",
    "mask", "extract_place", "normalize_place", "place_of_quote", "FaqBook", "classify", "default_classifier", "subjects_of",
]

_default: Classifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> Classifier:
    """The shared Classifier over the package's own rule files (built on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Classifier.load()
    return _default


def classify(text: str) -> Classification:
    """Classify with the default rules."""
    return default_classifier().classify(text)
