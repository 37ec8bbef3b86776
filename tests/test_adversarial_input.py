"""No input stalls the classifier (issue 15, item 3).

The rule files hold words and {concepts}, never regular expressions (a `re:` term is
refused when the rules are loaded), so a worker cannot write a pattern that backtracks.
The expressions in the code (places, clauses, quotes, typing, replies) are fed long runs
of digits, letters, repeats and near-misses: eight times the input must take well under
24 times the time (a quadratic pattern takes 64; a busy machine adds noise). Ratios within one run, no
absolute time limits on speed.

A runaway, though, must fail and not hang (an expression that backtracks exponentially never
finishes its scan: one once held the suite for 19 minutes). So each check runs in a worker
process with a hard stop, HARD_STOP seconds, about a hundred times what a check takes on a
busy machine: past it the worker is killed and the check fails, naming the expression."""

from __future__ import annotations

import gc
import multiprocessing
import re
import time
import types
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

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


HARD_STOP = 30.0  # seconds for one check; each takes well under one
START_UP = 120.0  # seconds for the worker to import the classifier


def check(task: tuple) -> tuple[float, str, str]:
    """(worst growth, the input it was on, what was checked) for one task: ("pattern", i),
    ("source", pattern text), ("step", name of a Classifier method) or ("bounded", None)."""
    kind, arg = task
    if kind == "pattern":
        pattern = patterns()[arg]
        return (*slowest_growth(scan(pattern)), pattern.pattern[:120])
    if kind == "source":
        return (*slowest_growth(scan(re.compile(arg))), arg)
    if kind == "bounded":
        return (*bounded(), "classify")
    clf = Classifier.load()
    clf.wait_ready()
    return (*slowest_growth(getattr(clf, arg), size=120), arg)


def serve(conn: Connection) -> None:
    """The worker: says it is ready, then answers tasks until the pipe closes."""
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        conn.send(check(task))


class Runaway(Exception):
    pass


class Worker:
    """A spawned process (no threads of the test process come along) that runs the checks
    one at a time. A check still running after its hard stop is killed, with the process;
    the next check starts a new one."""

    def __init__(self) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()
        if not self.conn.poll(START_UP):
            self.stop()
            raise Runaway("the worker did not start")
        self.conn.recv()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.conn.close()
        self.process = self.conn = None

    def run(self, task: tuple, hard_stop: float = HARD_STOP) -> tuple[float, str, str]:
        if self.process is None or not self.process.is_alive():
            self.start()
        self.conn.send(task)
        if not self.conn.poll(hard_stop):
            self.stop()
            raise Runaway(f"{task} still running after {hard_stop:.0f} s: killed")
        return self.conn.recv()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.stop()


def test_the_code_has_expressions_to_check() -> None:
    assert 15 <= len(patterns()) <= CHECKED, "raise CHECKED so that every expression is checked"


CHECKED = 80  # expressions checked one by one below


@pytest.mark.parametrize("index", range(CHECKED))
def test_no_expression_backtracks_on_long_runs(index: int, worker: Worker) -> None:
    found = patterns()
    if index >= len(found):
        pytest.skip("fewer expressions")
    try:
        worst, what, pattern = worker.run(("pattern", index))
    except Runaway as stopped:
        pytest.fail(f"runaway expression {found[index].pattern[:120]!r}: {stopped}")
    assert worst < LIMIT, (pattern, what, worst)


@pytest.mark.parametrize("name", ["extract_place", "normalize", "analyse"])
def test_no_reading_step_grows_faster_than_its_input(name: str, worker: Worker) -> None:
    """The place finder tries its patterns at many positions; typing and dialect rewrites
    and the concept scan run over the whole text."""
    try:
        worst, what, _ = worker.run(("step", name))
    except Runaway as stopped:
        pytest.fail(f"runaway reading step {name}: {stopped}")
    assert worst < LIMIT, (name, what, worst)


def bounded() -> tuple[float, str]:
    """The largest cost of 100,000 characters against their first 500."""
    clf = Classifier.load()
    clf.wait_ready()

    def run(text: str) -> None:
        clf.classify(text)

    worst, what = 0.0, ""
    for long in adversarial(100_000):
        ratio = growth(run, long[:500], long)
        for _ in range(2):
            if ratio < 3:
                break
            ratio = min(ratio, growth(run, long[:500], long))
        if ratio > worst:
            worst, what = ratio, long[:12]
    return worst, what


def test_classification_input_is_bounded(worker: Worker) -> None:
    """A message of 100,000 characters costs what its first 500 cost: the classifier
    reads a bounded head (bench_classify.py compares it with a normal message)."""
    try:
        worst, what, _ = worker.run(("bounded", None))
    except Runaway as stopped:
        pytest.fail(f"runaway classification: {stopped}")
    assert worst < 3, (what, worst)


def test_the_check_tells_a_quadratic_expression_from_a_linear_one() -> None:
    """The measure itself: a run of digits with no 元 after it is tried from every start."""
    quadratic, _ = slowest_growth(scan(re.compile(r"[0-9]+元")))
    linear, _ = slowest_growth(scan(re.compile(r"[0-9]+")))
    assert linear < LIMIT <= quadratic, (linear, quadratic)


def test_a_runaway_expression_fails_at_the_hard_stop(worker: Worker) -> None:
    """An expression that backtracks exponentially ((a+)+b on a run of a's) is stopped:
    the check fails within its hard stop instead of hanging, and the next check runs in a
    new worker."""
    started = time.monotonic()
    with pytest.raises(Runaway):
        worker.run(("source", r"(?:a+)+b"), hard_stop=3.0)
    assert time.monotonic() - started < START_UP
    worst, _, _ = worker.run(("source", r"[0-9]+"))
    assert worst < LIMIT
