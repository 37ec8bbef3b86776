"""No input stalls the classifier (issue 15, item 3).

The rule files hold words and {concepts}, never regular expressions (a `re:` term is
refused when the rules are loaded), so a worker cannot write a pattern that backtracks.
The expressions in the code (places, clauses, quotes, typing, replies) are fed long runs
of digits, letters, repeats and near-misses: eight times the input must take well under
24 times the time (a quadratic pattern takes 64; a busy machine adds noise). Ratios within one run, no
absolute time limits."""

from __future__ import annotations

import gc
import re
import time
import types
from collections.abc import Callable, Iterator

import pytest

import intents.analysis
import intents.classifier
import intents.normalize
import intents.places
from intents import Classifier, replies

LIMIT = 24.0  # eight times the input: linear is 8, quadratic 64
PIECES = ["7", "3栋", "b2-", "号楼", "楼", "a", "1-2-", "那家", " 3", "12:", "路", "门口", "区",
          "里", "我", "不", "了", "，", "\n", "- ", "「", "一二三"]


def adversarial(size: int) -> Iterator[str]:
    for piece in PIECES:
        yield (piece * (size // len(piece) + 1))[:size]
    yield ("3栋2单元" * size)[:size]
    yield ("".join(PIECES) * size)[:size]


def patterns() -> list[re.Pattern]:
    found: dict[int, re.Pattern] = {}

    def collect(obj: object, depth: int = 0) -> None:
        if isinstance(obj, re.Pattern):
            found[id(obj)] = obj
        elif depth < 3 and isinstance(obj, list | tuple | set | frozenset):
            for x in obj:
                collect(x, depth + 1)
        elif depth < 3 and isinstance(obj, dict):
            for x in obj.values():
                collect(x, depth + 1)
        elif (depth < 2 and hasattr(obj, "__dict__") and not isinstance(obj, type)
              and not isinstance(obj, types.ModuleType) and not callable(obj)):
            for x in vars(obj).values():
                collect(x, depth + 1)

    for module in (intents.places, intents.analysis, intents.classifier, intents.normalize):
        collect(list(vars(module).values()))
    collect(replies.default())
    return list(found.values())


def growth(run: Callable[[str], object], small: str, large: str, *, reps: int = 1) -> float:
    """time(large) / time(small), each the best of three runs. With `reps`, the small input
    is run that many times and its time divided by them: both sides then last about as
    long, so a busy machine's noise weighs on them alike."""
    times = []
    for text, n in ((small, reps), (large, 1)):
        best = float("inf")
        for _ in range(3):
            gc.disable()
            start = time.perf_counter()
            for _ in range(n):
                run(text)
            best = min(best, time.perf_counter() - start)
            gc.enable()
        times.append(max(best / n, 1e-7))
    return times[1] / times[0]


def slowest_growth(run: Callable[[str], object], size: int = 1000,
                   limit: float = LIMIT) -> tuple[float, str]:
    """The largest growth over the adversarial inputs from n to 8n characters. A ratio
    over the limit is measured again (a busy machine adds noise; a quadratic pattern
    stays over it every time)."""
    worst, what = 0.0, ""
    for small, large in zip(adversarial(size), adversarial(8 * size), strict=True):
        ratio = growth(run, small, large, reps=8)
        for _ in range(3):
            if ratio < limit:
                break
            ratio = min(ratio, growth(run, small, large, reps=8))
        if ratio > worst:
            worst, what = ratio, small[:12]
    return worst, what


def scan(pattern: re.Pattern) -> Callable[[str], object]:
    def run(text: str) -> None:
        for _ in pattern.finditer(text):
            pass
    return run


def test_the_code_has_expressions_to_check() -> None:
    assert 15 <= len(patterns()) <= CHECKED, "raise CHECKED so that every expression is checked"


CHECKED = 64  # expressions checked one by one below


@pytest.mark.parametrize("index", range(CHECKED))
def test_no_expression_backtracks_on_long_runs(index: int) -> None:
    found = patterns()
    if index >= len(found):
        pytest.skip("fewer expressions")
    worst, what = slowest_growth(scan(found[index]))
    assert worst < LIMIT, (found[index].pattern[:120], what, worst)


@pytest.mark.parametrize("name", ["extract_place", "normalize", "analyse"])
def test_no_reading_step_grows_faster_than_its_input(name: str) -> None:
    """The place finder tries its patterns at many positions; typing and dialect rewrites
    and the concept scan run over the whole text."""
    clf = Classifier.load()
    clf.wait_ready()
    worst, what = slowest_growth(getattr(clf, name), size=120)
    assert worst < LIMIT, (name, what, worst)


def test_classification_input_is_bounded() -> None:
    """A message of 100,000 characters costs what its first 500 cost: the classifier
    reads a bounded head (bench_classify.py compares it with a normal message)."""
    clf = Classifier.load()
    clf.wait_ready()

    def run(text: str) -> None:
        clf.classify(text)

    for long in adversarial(100_000):
        ratio = growth(run, long[:500], long)
        for _ in range(2):
            if ratio < 3:
                break
            ratio = min(ratio, growth(run, long[:500], long))
        assert ratio < 3, (long[:12], ratio)


def test_the_check_tells_a_quadratic_expression_from_a_linear_one() -> None:
    """The measure itself: a run of digits with no 元 after it is tried from every start."""
    quadratic, _ = slowest_growth(scan(re.compile(r"[0-9]+元")))
    linear, _ = slowest_growth(scan(re.compile(r"[0-9]+")))
    assert linear < LIMIT <= quadratic, (linear, quadratic)
