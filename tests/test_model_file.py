"""The shipped weights match the corpus in the repository, read back exactly, and `make
model` is reproducible (a small corpus here, to stay fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents import INTENTS, Classifier
from intents.linear import DEFAULT_WEIGHTS, LinearModel, ModelError
from intents.train import DEFAULT_CORPUS, check, corpus_files, corpus_hash


def test_weights_were_trained_on_this_corpus() -> None:
    problem = check()
    assert problem is None, problem
    model = LinearModel.load()
    files = {f.name for f in corpus_files(DEFAULT_CORPUS)}
    assert set(model.trained_on["files"]) == files
    assert model.trained_on["rows"] >= 3000 + 320  # the dev set and >= 3,000 from the writers


def test_weights_trained_before_a_rules_change_are_refused(tmp_path: Path) -> None:
    """The model weighs the features the rules give (concepts, jieba words, how text is cut):
    weights fitted before a rules change weigh words the classifier no longer sees. The check
    says so, and says the command that fixes it."""
    pytest.importorskip("sklearn")
    import shutil

    from intents.rules import DEFAULT_RULES_DIR
    from intents.train import train

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = (DEFAULT_CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    (corpus / "small.jsonl").write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    weights = tmp_path / "weights.json"
    train(corpus, weights)
    assert check(corpus, weights) is None
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    concepts = rules / "10_concepts.toml"
    text = concepts.read_text(encoding="utf-8")
    concepts.write_text(text.replace("[concepts]\n", '[concepts]\n"测试新概念" = ["电梯"]\n', 1),
                        encoding="utf-8")
    problem = check(corpus, weights, rules)
    assert problem is not None and "python -m intents.train" in problem and "make model" in problem


def test_weights_round_trip(tmp_path: Path) -> None:
    model = LinearModel.load()
    assert set(model.intents) == set(INTENTS) and len(model.table) > 1000
    copy = tmp_path / "w.json"
    copy.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    again = LinearModel.load(copy)
    assert again.rows == model.rows and again.bias == model.bias


@pytest.mark.parametrize("content", ["", "{}", '{"format": 3}', '{"format": 3, "intents": ["x"]}'])
def test_a_broken_weights_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "weights.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError):
        LinearModel.load(path)


def test_the_corpus_hash_sees_any_change(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text('{"text": "井盖坏了", "intent": "repair", "urgent": false, "location": null}\n',
                 encoding="utf-8")
    before = corpus_hash([a])
    a.write_text(a.read_text(encoding="utf-8").replace("repair", "safety"), encoding="utf-8")
    assert corpus_hash([a]) != before


def test_training_is_reproducible(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from intents.train import train

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = (DEFAULT_CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    (corpus / "small.jsonl").write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    train(corpus, first)
    train(corpus, second)
    assert first.read_bytes() == second.read_bytes()
    clf = Classifier.load(model_path=first)
    assert clf.classify("3栋电梯坏了 好几天了").intent in INTENTS


def test_the_package_weights_are_the_default() -> None:
    assert DEFAULT_WEIGHTS.name == "weights.json" and DEFAULT_WEIGHTS.exists()


def test_packed_rows_add_up_like_the_weights() -> None:
    from intents.linear import LIMIT, pack, unpack

    rows = [(0.5, -1.25, 3.0), (-0.125, 2.0, -3.9), (1.0, 0.0, 0.001)]
    total = sum(pack(r) for r in rows)
    sums = unpack(total, 3)
    for got, want in zip(sums, [sum(c) for c in zip(*rows, strict=True)], strict=True):
        assert abs(got - want) < 3 / 8192
    assert abs(unpack(pack([40.0]), 1)[0] - LIMIT) < 1 / 8192  # clipped, never overflowing
    many = unpack(sum([pack([LIMIT, -LIMIT])] * 2000), 2)  # longer than any message reads
    assert abs(many[0] - 2000 * LIMIT) < 2000 / 8192 and abs(many[1] + 2000 * LIMIT) < 2000 / 8192


def test_the_weights_file_stays_small() -> None:
    assert DEFAULT_WEIGHTS.stat().st_size < 1_500_000  # the before-stop hook flags 2 MB


def test_the_fast_sums_are_the_sums_of_the_named_features() -> None:
    """The classifier sums rows from the three tables (every token looked up as it is,
    since the model knows only tokens that are words): the same scores as summing the
    weights of the feature names training sees."""
    clf = Classifier.load()
    clf.wait_ready()
    model = clf.model
    lines = (DEFAULT_CORPUS / "extra.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:400] + ["", "，，，", "😂 ok 3栋 !!", "【通知】 停水 8:00-12:00"]:
        text = json.loads(line)["text"] if line.startswith("{") else line
        parts = clf.decide(text).parts
        assert model.scores_of(*parts) == model.scores(parts.names()), text
