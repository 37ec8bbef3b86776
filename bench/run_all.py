"""Run every bench/bench_*.py, one after another on this machine, and print their JSON
lines and then one table of all figures (`make bench`).

Each benchmark prints one JSON line of its figures (the last line of its output that
parses as a JSON object is taken). The table has one row per figure; rows whose name
says `ratio` are the comparisons against a limit or a floor measured in the same run.

    .venv/bin/python bench/run_all.py [--only pipeline,startup] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIMEOUT_SECONDS = 1800


def run(path: Path) -> tuple[dict | None, str, float]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {TIMEOUT_SECONDS} s", time.perf_counter() - started
    elapsed = time.perf_counter() - started
    for line in reversed(done.stdout.strip().splitlines()):
        try:
            figures = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(figures, dict):
            if done.returncode != 0:
                figures.setdefault("exit_code", done.returncode)
            return figures, "", elapsed
    problem = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return None, f"exit {done.returncode}: {problem}", elapsed


def rows(name: str, figures: dict) -> list[tuple[str, str, str]]:
    out = []
    for key, value in figures.items():
        if key == "benchmark" or isinstance(value, (dict, list)):
            continue
        out.append((name, key, _fmt(value)))
    return out


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.1f}"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)


def table(all_rows: list[tuple[str, str, str]], markdown: bool) -> str:
    head = ("benchmark", "figure", "value")
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---|---:|"]
        lines += ["| " + " | ".join(r) + " |" for r in all_rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *all_rows]) for i in range(3)]
    fmt = f"{{:<{widths[0]}}}  {{:<{widths[1]}}}  {{:>{widths[2]}}}"
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in all_rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="comma-separated names, e.g. pipeline,startup")
    parser.add_argument("--markdown", action="store_true", help="the table as Markdown (for the README)")
    args = parser.parse_args()
    benches = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {f"bench_{n.strip()}.py" for n in args.only.split(",")}
        benches = [b for b in benches if b.name in wanted]
    print(json.dumps({"machine": platform.node(), "python": platform.python_version(),
                      "cpu": platform.processor() or platform.machine(),
                      "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))
    all_rows: list[tuple[str, str, str]] = []
    failed = False
    for path in benches:
        name = path.stem.removeprefix("bench_")
        figures, problem, elapsed = run(path)
        if figures is None:
            failed = True
            print(json.dumps({"benchmark": name, "error": problem}), flush=True)
            all_rows.append((name, "error", problem))
            continue
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        all_rows += rows(name, figures)
        all_rows.append((name, "wall_seconds", f"{elapsed:.1f}"))
    print()
    print(table(all_rows, args.markdown))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
