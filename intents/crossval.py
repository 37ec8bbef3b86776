"""How well the classifier does on a writer it never saw: leave one corpus file out.

Each file of the corpus is one writer (or one source). For each, the model is fitted on
all the other files and scored on that one, with the same decision code the bot uses
(rules, urgency, thresholds). These are the honest figures for text nobody here wrote;
the figures on the corpus itself (trained on) say little. Needs scikit-learn.

    python -m intents.train --cross-validate [--corpus DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .evaluate import evaluate


def cross_validate(corpus: Path, extra_sets: list[Path] | None = None,
                   out=sys.stdout) -> dict[str, dict[str, Any]]:
    from .classifier import Classifier
    from .train import corpus_files, fit, read_rows

    clf = Classifier.load(with_model=False)
    clf.wait_ready()
    files = corpus_files(corpus)
    rows = [r for f in files for r in read_rows(f)]
    feats = [sorted(clf.features(r["text"])) for r in rows]
    results: dict[str, dict[str, Any]] = {}
    held_out = [f.stem for f in files if not f.stem.startswith("corrections")]
    for name in held_out:
        train_idx = [i for i, r in enumerate(rows) if r["source"] != name]
        test = [r for r in rows if r["source"] == name]
        clf._model = fit([feats[i] for i in train_idx], [rows[i] for i in train_idx])
        results[name] = evaluate(clf, test)
        _print(name, results[name], out)
    if extra_sets:
        from .evaluate import load_rows

        clf._model = fit(feats, rows)
        for path in extra_sets:
            results[path.stem] = evaluate(clf, load_rows(path))
            _print(path.stem, results[path.stem], out)
    return results


def _print(name: str, r: dict[str, Any], out) -> None:
    print(f"{name:<22} n={r['n']:<4} macro-F1 {r['macro_f1']:.3f}  none->ticket "
          f"{r['none_false_ticket_rate']:.3f}  needs->none {r['need_none_rate']:.3f}  "
          f"urgent R {r['urgent_recall']:.3f} P {r['urgent_precision']:.3f}  "
          f"place {r['location_exact']:.3f}", file=out, flush=True)
