"""Read the rule files (intents/rules/*.toml): what a grid worker can change.

Four kinds of tables, in any file of the folder (files are read in name order):
- `[normalize]`  "写法" = "标准写法": typos, dialect and traditional forms, rewritten first;
- `[concepts]`   概念 = [words]: which words say which concept (设施, 故障, 老人, 求助…);
- `[scope]`      否定 / 过去 / 习惯 / 假设 / 条件 / 风险 / 已解决 / 仍然 / 现在 / 平息 = [words]: readings;
- `[[urgent]]`   a danger now, written in concepts: `when = ["{燃气}", "{浓烈}"]`;
- `[[hazard]]`   a hazard that cannot wait for the usual turn (a fire lane blocked, an e-bike
                 charging on a flying wire), written the same way, with its `kind`;
- `[[rule]]`     an intent decided by rule, written the same way: it wins (weight > 0)
                 or loses (weight < 0) by that margin over the model's best other intent.

A term of `when` / `unless` is `{概念}` (any word of that concept or scope list) or a
plain word. Any problem is a RulesError naming the file, the entry and what is wrong;
the caller keeps its old rules then.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .lexicon import SCOPES
from .model import INTENTS

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_RULES_DIR = PACKAGE_DIR / "rules"

_TOP_KEYS = {"normalize", "concepts", "scope", "urgent", "hazard", "rule"}
_URGENT_KEYS = {"name", "emergency", "intent", "when", "unless", "within", "model_veto"}
_RULE_KEYS = {"name", "intent", "weight", "when", "unless", "within"}
_HAZARD_KEYS = {"name", "kind", "when", "unless", "within"}
_KIND = re.compile(r"^[a-z_]+$")
_EMERGENCY_NUMBERS = {"119", "120", "110"}
_TERM = re.compile(r"^\{([^{}]+)\}$")
WORD_PREFIX = "词:"  # the concept name given to a plain word used in a rule


class RulesError(Exception):
    """A rules file cannot be used; the message names file, entry and problem."""


@dataclass(frozen=True)
class Rule:
    """`when` all said now (in one clause, or anywhere with within = "message"), none of
    `unless` anywhere: then an urgent danger ([[urgent]]) or an intent decided ([[rule]])."""

    name: str
    when: tuple[str, ...]  # concept names (plain words as 词:word)
    unless: tuple[str, ...]
    whole_message: bool
    where: str  # "urgent.toml [[urgent]] #2"
    intent: str | None = None
    weight: float = 0.0
    emergency: str | None = None
    model_veto: bool = True  # [[urgent]]: may the model's "most unlikely" overrule it (a joke)?
    hazard: str | None = None  # [[hazard]]: its kind (handlers/severity.py words it)

    @cached_property
    def when_set(self) -> frozenset[str]:
        return frozenset(self.when)


@dataclass
class RuleSet:
    rewrites: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, list[str]] = field(default_factory=dict)
    scope: dict[str, list[str]] = field(default_factory=dict)
    urgent: list[Rule] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    hazards: list[Rule] = field(default_factory=list)
    files: tuple[Path, ...] = ()

    def all_concepts(self) -> dict[str, list[str]]:
        """The concept lists plus one list per plain word used in a rule."""
        out = {k: list(v) for k, v in self.concepts.items()}
        for rule in (*self.urgent, *self.rules, *self.hazards):
            for name in (*rule.when, *rule.unless):
                if name.startswith(WORD_PREFIX):
                    out.setdefault(name, [name[len(WORD_PREFIX):]])
        return out


def rules_files(path: Path) -> list[Path]:
    """The .toml files that make up a rule set, in name order."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            raise RulesError(f"{path}: no .toml rule files in this folder")
        return files
    if not path.exists():
        raise RulesError(f"{path}: rules file not found")
    return [path]


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path.name}: TOML syntax error: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path.name}: cannot read: {exc}") from None


def _words(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{where}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def read_rewrites(path: Path | None = None) -> dict[str, str]:
    """Only the [normalize] tables of the rule files (typos, dialect)."""
    rewrites: dict[str, str] = {}
    for f in rules_files(Path(path) if path is not None else DEFAULT_RULES_DIR):
        norm = _read(f).get("normalize", {})
        if isinstance(norm, dict):
            rewrites.update({k.lower(): v for k, v in norm.items() if isinstance(v, str) and k})
    return rewrites


def load_rules(path: Path | None = None) -> RuleSet:
    """Read every rule file under `path` (a folder or one .toml file)."""
    path = Path(path) if path is not None else DEFAULT_RULES_DIR
    files = rules_files(path)
    docs = [(f, _read(f)) for f in files]
    rs = RuleSet(files=tuple(files))
    for f, doc in docs:
        unknown = set(doc) - _TOP_KEYS
        if unknown:
            raise RulesError(f"{f.name}: unknown top-level key(s) {sorted(unknown)}; "
                             f"allowed: {sorted(_TOP_KEYS)}")
        norm = doc.get("normalize", {})
        if not isinstance(norm, dict):
            raise RulesError(f"{f.name}: [normalize] must be a table of \"写法\" = \"标准写法\"")
        for k, v in norm.items():
            if not isinstance(v, str) or not k:
                raise RulesError(f"{f.name}: [normalize] \"{k}\" must map to a string")
            rs.rewrites[k.lower()] = v
        for key, target in (("concepts", rs.concepts), ("scope", rs.scope)):
            table = doc.get(key, {})
            if not isinstance(table, dict):
                raise RulesError(f"{f.name}: [{key}] must be a table of lists")
            for name, words in table.items():
                if key == "scope" and name not in SCOPES:
                    raise RulesError(f"{f.name}: [scope] unknown reading '{name}'; "
                                     f"allowed: {', '.join(SCOPES)}")
                if key == "concepts" and (name in SCOPES or name.startswith(WORD_PREFIX)):
                    raise RulesError(f"{f.name}: [concepts] '{name}' is a reserved name")
                target.setdefault(name, []).extend(_words(words, f"{f.name} [{key}] {name}"))
    known = set(rs.concepts) | set(rs.scope)
    for f, doc in docs:
        for kind, keys in (("urgent", _URGENT_KEYS), ("rule", _RULE_KEYS), ("hazard", _HAZARD_KEYS)):
            entries = doc.get(kind, [])
            if not isinstance(entries, list):
                raise RulesError(f"{f.name}: use [[{kind}]] (an array of tables)")
            for i, raw in enumerate(entries, 1):
                rule = _rule(raw, kind, keys, f"{f.name} [[{kind}]] #{i}", known)
                {"urgent": rs.urgent, "rule": rs.rules, "hazard": rs.hazards}[kind].append(rule)
    if not rs.concepts:
        raise RulesError(f"{path}: no [concepts] found")
    return rs


def _terms(value: object, where: str, known: set[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    out: list[str] = []
    for term in _words(value, where):
        if term.startswith("re:"):
            raise RulesError(f"{where}: {term!r}: rules are written in words and {{概念}}, "
                             "not regular expressions")
        m = _TERM.match(term)
        if m is None:
            if "{" in term or "}" in term:
                raise RulesError(f"{where}: write a concept as {{概念}}, got {term!r}")
            out.append(WORD_PREFIX + term.lower())
        elif m.group(1) not in known:
            raise RulesError(f"{where}: unknown concept {{{m.group(1)}}} "
                             "(define it under [concepts])")
        else:
            out.append(m.group(1))
    return tuple(out)


def _rule(raw: object, kind: str, keys: set[str], where: str, known: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be a table")
    unknown = set(raw) - keys
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(keys)}")
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise RulesError(f"{where}: name must be a string")
    when = _terms(raw.get("when"), f"{where} when", known)
    if not when:
        raise RulesError(f"{where}: needs 'when' (a list of {{概念}} or words)")
    unless = _terms(raw.get("unless"), f"{where} unless", known)
    within = raw.get("within", "clause")
    if within not in ("clause", "message"):
        raise RulesError(f"{where}: within must be \"clause\" or \"message\"")
    intent = raw.get("intent")
    if intent is not None and intent not in INTENTS:
        raise RulesError(f"{where}: intent {intent!r} is not one of {', '.join(INTENTS)}")
    label = name or " + ".join(t.removeprefix(WORD_PREFIX) for t in when)
    if kind == "urgent":
        number = raw.get("emergency")
        if number is not None and number not in _EMERGENCY_NUMBERS:
            raise RulesError(f"{where}: emergency must be one of 119, 120, 110 (or left out)")
        veto = raw.get("model_veto", True)
        if not isinstance(veto, bool):
            raise RulesError(f"{where}: model_veto must be true or false")
        return Rule(label, when, unless, within == "message", where, intent, 0.0, number, veto)
    if kind == "hazard":
        hazard = raw.get("kind")
        if not isinstance(hazard, str) or not _KIND.match(hazard):
            raise RulesError(f"{where}: needs a kind (lower-case letters and _, e.g. \"fire_lane\")")
        return Rule(label, when, unless, within == "message", where, hazard=hazard)
    if intent is None:
        raise RulesError(f"{where}: needs an intent, one of {', '.join(INTENTS)}")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not -10 <= weight <= 10:
        raise RulesError(f"{where}: weight must be a number between -10 and 10")
    return Rule(label, when, unless, within == "message", where, intent, float(weight))
