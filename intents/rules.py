"""Load and compile the rule files (intents/rules/*.toml) into matchers.

Rules are data so a community worker can add a synonym without touching code. Any
problem is reported as RulesError naming the file, the key and what is wrong; the
caller keeps its old rules in that case.

Expression syntax (strings in `any`, `all`, `unless` and the modifier lists):
  {组名}   any word of that synonym group
  ~ / ~~   a gap of 0-8 / 0-20 characters within one sentence
  _        a gap of 0-6 characters within one clause (no space or comma)
  re:...   a raw regular expression (groups still expand)
  =词      the word must be a whole jieba token (avoids 没电 inside 没电梯)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .model import INTENTS
from .normalize import trie_regex as _trie_regex

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_RULES_DIR = PACKAGE_DIR / "rules"

_GROUP_REF = re.compile(r"\{([^{}0-9,][^{},]*)\}")
_GAP = "[^。！？!?\\n]{0,8}?"
_LONG_GAP = "[^。！？!?\\n]{0,20}?"
_PAIR_RE = re.compile(r"\{([^{}]+)\}(~~|~|_)\{([^{}]+)\}")
_GAP_SIZES = {"~": 8, "~~": 20, "_": 6}
_GAP_STOPS = {"~": re.compile("[。！？!?\n]"), "~~": re.compile("[。！？!?\n]"),
              "_": re.compile("[。！？!?，,；;、\\s]")}
_CLAUSE_GAP = "[^。！？!?，,；;、\\s]{0,6}?"
_TOP_KEYS = {"normalize", "groups", "modifiers", "rule", "urgent"}
_RULE_KEYS = {"intent", "weight", "any", "all", "unless", "name"}
_URGENT_KEYS = {"emergency", "intent", "any", "all", "unless", "name"}
_MODIFIER_KEYS = {"negation", "resolved", "still", "hypothetical", "calm"}
_EMERGENCY_NUMBERS = {"119", "120", "110"}


class RulesError(Exception):
    """A rules file cannot be used; the message names file, key and problem."""


@dataclass(frozen=True, eq=False)  # identity hash: used as a cache key per message
class Expr:
    """One compiled expression; `whole_token` asks for jieba token boundaries."""

    source: str
    regex: re.Pattern[str]
    whole_token: bool = False
    literal: str | None = None  # set when the expression is plain text
    # Named regex groups holding group words written "=词": such a match only
    # counts when that span is a whole jieba token.
    token_groups: tuple[str, ...] = ()
    # Characters or two-character strings one of which any match must start with;
    # None when unknown. Lets the classifier skip a scan cheaply.
    keys: frozenset[str] | None = None
    # "{A}~{B}": two groups near each other. Found from one scan per group plus a
    # distance check, which is much cheaper than a regex with a lazy gap.
    pair: tuple[re.Pattern[str], int, re.Pattern[str], re.Pattern[str]] | None = None


@dataclass(frozen=True)
class Rule:
    intent: str
    weight: float
    any: tuple[Expr, ...]
    all: tuple[Expr, ...]
    unless: tuple[Expr, ...]
    where: str  # "repair.toml [[rule]] #2", for messages and evidence
    gates: tuple[frozenset[str], ...] = ()  # each: one of its keys must occur, else skip


@dataclass(frozen=True)
class UrgentRule:
    emergency: str | None
    intent: str | None
    any: tuple[Expr, ...]
    unless: tuple[Expr, ...]
    where: str
    all: tuple[Expr, ...] = ()


@dataclass
class RuleSet:
    """Everything the classifier needs, built in one go so a reload is atomic."""

    rewrites: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    urgent: list[UrgentRule] = field(default_factory=list)
    negation: tuple[Expr, ...] = ()
    resolved: tuple[Expr, ...] = ()
    still: tuple[Expr, ...] = ()
    hypothetical: tuple[Expr, ...] = ()
    calm: tuple[Expr, ...] = ()  # anywhere in the message: not an emergency
    files: tuple[Path, ...] = ()
    # Inverted index for the cheap pre-check: key -> ids of the key sets holding it.
    key_index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    expr_gate: dict[Expr, int] = field(default_factory=dict)  # expr -> key set id
    rule_gates: list[frozenset[int]] = field(default_factory=list)  # per rule
    rule_any: list[tuple[tuple[Expr, int], ...]] = field(default_factory=list)  # (expr, key set id or -1)
    urgent_gates: list[frozenset[int]] = field(default_factory=list)
    urgent_any: list[tuple[tuple[Expr, int], ...]] = field(default_factory=list)

    def index_keys(self) -> None:
        """Number every distinct key set and index it by key (done once per load)."""
        ids: dict[frozenset[str], int] = {}

        def gid(keys: frozenset[str]) -> int:
            return ids.setdefault(keys, len(ids))

        exprs = [e for r in self.rules for e in (*r.any, *r.all, *r.unless)]
        exprs += [e for u in self.urgent for e in (*u.any, *u.all, *u.unless)]
        exprs += [*self.negation, *self.resolved, *self.still, *self.hypothetical, *self.calm]
        self.expr_gate = {e: gid(e.keys) for e in exprs if e.keys is not None}
        self.rule_gates = [frozenset(gid(g) for g in r.gates) for r in self.rules]
        self.rule_any = [tuple((e, self.expr_gate.get(e, -1)) for e in r.any) for r in self.rules]
        self.urgent_gates = [frozenset(gid(g) for g in _gates(u.any, u.all)) for u in self.urgent]
        self.urgent_any = [tuple((e, self.expr_gate.get(e, -1)) for e in u.any) for u in self.urgent]
        index: dict[str, list[int]] = {}
        for keys, i in ids.items():
            for k in keys:
                index.setdefault(k, []).append(i)
        self.key_index = {k: tuple(v) for k, v in index.items()}


def _first_chars(pattern: str) -> frozenset[str] | None:
    """Strings of one or two characters one of which a match must start with, or
    None if unknown. Uses the stdlib regex parser; anything it cannot see through
    gives None, which only means "always scan"."""
    try:
        from re import _constants as C  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        def walk(items: list, need: int) -> set[str] | None:
            for i, (op, av) in enumerate(items):
                if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                    continue  # zero-width: look at what follows
                rest = items[i + 1:]
                if op is C.LITERAL:
                    head = {chr(av)}
                elif op is C.IN:
                    head = set()
                    for o, v in av:
                        if o is C.LITERAL:
                            head.add(chr(v))
                        elif o is C.RANGE and v[1] - v[0] < 20:
                            head.update(chr(c) for c in range(v[0], v[1] + 1))
                        else:
                            return None
                    if len(head) > 30:
                        return None
                elif op is C.SUBPATTERN:
                    return walk(list(av[-1]) + rest, need)
                elif op is C.BRANCH:
                    out: set[str] = set()
                    for branch in av[1]:
                        sub = walk(list(branch) + rest, need)
                        if sub is None:
                            return None
                        out |= sub
                    return out
                elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
                    return walk(list(av[2]), 1)

                else:
                    return None
                if need == 1:
                    return head
                tails = walk(rest, need - 1)
                if not tails or len(head) * len(tails) > 400:
                    return head
                return {h + t for h in head for t in tails}
            return {""}

        found = walk(list(_parser.parse(pattern)), 2)
    except Exception:  # noqa: BLE001 - private API; fall back to scanning
        return None
    if not found or "" in found:
        return None
    return frozenset(found)


_UNCOMPILED = re.compile("(?!)")  # plain words are compiled when combined, not one by one


def _ready(e: Expr) -> Expr:
    """The expression with a compiled regex (plain words are compiled lazily)."""
    if e.regex is not _UNCOMPILED:
        return e
    return Expr(e.source, re.compile(re.escape(e.literal or "")), e.whole_token, e.literal,
                e.token_groups, e.keys)


def combine(exprs: tuple[Expr, ...]) -> tuple[Expr, ...]:
    """Fold alternatives into few regexes (one scan instead of many): plain words
    into one prefix tree, regular expressions into another alternation. Whole-token
    expressions stay apart because their matches are checked one by one."""
    exprs = tuple(dict.fromkeys(exprs))  # a word listed twice is one alternative
    plain = [e for e in exprs if not e.whole_token]
    rest = tuple(e for e in exprs if e.whole_token)
    if len(plain) <= 1:
        return tuple(_ready(e) for e in plain) + rest
    out: list[Expr] = []
    literals = [e for e in plain if e.literal]
    # Regular expressions with known start keys stay apart: each is then skipped
    # on its own when its keys are absent; the unknown ones share one scan.
    keyed = [e for e in plain if not e.literal and e.keys is not None]
    unkeyed = [e for e in plain if not e.literal and e.keys is None]
    out.extend(keyed)
    for part, is_literal in ((literals, True), (unkeyed, False)):
        if not part:
            continue
        if len(part) == 1:
            out.append(_ready(part[0]))
            continue
        if is_literal:
            pattern = _trie_regex([e.literal or "" for e in part])
        else:
            pattern = "|".join(f"(?:{e.regex.pattern})" for e in part)
        keys: frozenset[str] | None = frozenset()
        for e in part:
            keys = None if keys is None or e.keys is None else keys | e.keys
        out.append(Expr(" | ".join(e.source for e in part), re.compile(pattern), keys=keys,
                        token_groups=tuple(g for e in part for g in e.token_groups)))
    return tuple(out) + rest


def _gates(any_: tuple[Expr, ...], all_: tuple[Expr, ...]) -> tuple[frozenset[str], ...]:
    """Key sets a text must touch for the rule to have a chance (cheap pre-check)."""
    gates: list[frozenset[str]] = []
    if any_ and all(e.keys is not None for e in any_):
        gates.append(frozenset().union(*(e.keys for e in any_ if e.keys is not None)))
    gates.extend(e.keys for e in all_ if e.keys is not None)
    return tuple(sorted(gates, key=len))


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


class _Compiler:
    def __init__(self, groups: dict[str, list[str]]) -> None:
        self.groups = groups
        self._group_cache: dict[str, tuple[str, str]] = {}
        self._token_seq = 0
        self._token_names: list[str] = []
        # The same expression in several rules compiles to one object, so a
        # message scans it once (matches are cached per expression).
        self._expr_cache: dict[str, Expr] = {}
        self._group_res: dict[str, re.Pattern[str]] = {}

    def group_regex(self, name: str, where: str) -> str:
        if re.fullmatch(r"[0-9, ]+", name):
            raise RulesError(f"{where}: {{{name}}} looks like a regex repeat; "
                             "start the expression with re: to use regex syntax")
        if name not in self.groups:
            raise RulesError(f"{where}: unknown group {{{name}}} (define it under [groups])")
        if name not in self._group_cache:
            words = [w for w in self.groups[name] if w and not w.startswith("=")]
            tokens = [w[1:] for w in self.groups[name] if w.startswith("=") and len(w) > 1]
            self._group_cache[name] = (_trie_regex(words) if words else "", _trie_regex(tokens) if tokens else "")
        plain, tokens = self._group_cache[name]
        if not tokens:
            return plain
        self._token_seq += 1
        label = f"tok{self._token_seq}"
        self._token_names.append(label)
        body = f"(?P<{label}>{tokens})"
        return f"(?:{plain}|{body})" if plain else body

    def compile(self, source: object, where: str) -> Expr:
        if not isinstance(source, str) or not source.strip():
            raise RulesError(f"{where}: expected a non-empty string, got {source!r}")
        text = source.strip()
        cached = self._expr_cache.get(text)
        if cached is not None:
            return cached
        self._token_names = []
        whole = False
        literal: str | None = None
        keys: frozenset[str] | None = None
        if text.startswith("re:"):
            body = text[3:]
            pattern = _GROUP_REF.sub(lambda m: self.group_regex(m.group(1), where), body)
            first = None
        else:
            if text.startswith("=") and len(text) > 1:
                whole, text = True, text[1:]
            parts: list[str] = []
            pos = 0
            first = re.match(r"\{([^{}]+)\}|~|_", text)
            if first is None:
                keys = frozenset({text[:2]})
            elif first.group(1) in self.groups:
                keys = frozenset(w.lstrip("=")[:2] for w in self.groups[first.group(1)]
                                 if w.lstrip("="))
            for m in re.finditer(r"\{[^{}]+\}|~~|~|_", text):
                parts.append(re.escape(text[pos:m.start()]))
                tok = m.group(0)
                if tok == "~":
                    parts.append(_GAP)
                elif tok == "~~":
                    parts.append(_LONG_GAP)
                elif tok == "_":
                    parts.append(_CLAUSE_GAP)
                else:
                    parts.append(self.group_regex(tok[1:-1], where))
                pos = m.end()
            parts.append(re.escape(text[pos:]))
            pattern = "".join(parts)
            if pos == 0 and not whole:
                literal = text
        if literal is not None:
            regex = _UNCOMPILED  # a plain word: compiled with its neighbours in combine()
        else:
            try:
                regex = re.compile(pattern)
            except re.error as exc:
                raise RulesError(f"{where}: bad expression {source!r}: {exc}") from None
        if regex is not _UNCOMPILED and regex.match(""):
            raise RulesError(f"{where}: expression {source!r} matches empty text")
        if text.startswith("re:"):
            keys = _first_chars(pattern)
        elif keys is not None and first is None:
            # A literal head shorter than two characters before a group: use one char.
            head = re.split(r"\{|~|_", text, maxsplit=1)[0]
            keys = frozenset({head[:2]}) if len(head) >= 2 else frozenset({head[:1]}) if head else None
        pair = None
        m = _PAIR_RE.match(text)
        if m and not self._token_names and not whole:
            a, gap, b = m.groups()
            if not any(w.startswith("=") for w in self.groups[a] + self.groups[b]):
                pair = (self._group_re(a, where), _GAP_SIZES[gap], self._group_re(b, where),
                        _GAP_STOPS[gap])
        expr = Expr(source, regex, whole, literal, tuple(self._token_names), keys, pair)
        self._expr_cache[text] = expr
        return expr

    def _group_re(self, name: str, where: str) -> re.Pattern[str]:
        if name not in self._group_res:
            self._group_res[name] = re.compile(self.group_regex(name, where))
        return self._group_res[name]

    def compile_list(self, value: object, where: str) -> tuple[Expr, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise RulesError(f"{where}: expected a list of strings")
        return tuple(self.compile(v, f"{where}[{i}]") for i, v in enumerate(value))


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path.name}: TOML syntax error: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path.name}: cannot read: {exc}") from None


def read_rewrites(path: Path | None = None) -> dict[str, str]:
    """Only the [normalize] tables of the rule files (typos, dialect), uncompiled."""
    rewrites: dict[str, str] = {}
    for f in rules_files(Path(path) if path is not None else DEFAULT_RULES_DIR):
        norm = _read(f).get("normalize", {})
        if isinstance(norm, dict):
            rewrites.update({k.lower(): v for k, v in norm.items() if isinstance(v, str) and k})
    return rewrites


def _str_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(f"{where}: expected a list of non-empty strings")
    return list(value)


def load_rules(path: Path | None = None) -> RuleSet:
    """Read and compile every rule file under `path` (a folder or one .toml file)."""
    path = Path(path) if path is not None else DEFAULT_RULES_DIR
    files = rules_files(path)
    docs = [(f, _read(f)) for f in files]

    rs = RuleSet(files=tuple(files))
    modifiers: dict[str, list[tuple[str, object]]] = {k: [] for k in _MODIFIER_KEYS}
    # First pass: words and groups from every file, so rules may use any group.
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
        groups = doc.get("groups", {})
        if not isinstance(groups, dict):
            raise RulesError(f"{f.name}: [groups] must be a table of lists")
        for name, words in groups.items():
            words = _str_list(words, f"{f.name} [groups] {name}")
            rs.groups.setdefault(name, []).extend(words)
        mods = doc.get("modifiers", {})
        if not isinstance(mods, dict):
            raise RulesError(f"{f.name}: [modifiers] must be a table")
        for key, value in mods.items():
            if key not in _MODIFIER_KEYS:
                raise RulesError(f"{f.name}: [modifiers] unknown key '{key}'; "
                                 f"allowed: {sorted(_MODIFIER_KEYS)}")
            modifiers[key].append((f"{f.name} [modifiers] {key}", value))

    comp = _Compiler(rs.groups)
    for key, entries in modifiers.items():
        exprs: list[Expr] = []
        for where, value in entries:
            exprs.extend(comp.compile_list(value, where))
        setattr(rs, key, combine(tuple(exprs)))

    for f, doc in docs:
        rules = doc.get("rule", [])
        if not isinstance(rules, list):
            raise RulesError(f"{f.name}: use [[rule]] (an array of tables)")
        for i, raw in enumerate(rules, 1):
            where = f"{f.name} [[rule]] #{i}"
            if not isinstance(raw, dict):
                raise RulesError(f"{where}: must be a table")
            unknown = set(raw) - _RULE_KEYS
            if unknown:
                raise RulesError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
            intent = raw.get("intent")
            if intent not in INTENTS:
                raise RulesError(f"{where}: intent {intent!r} is not one of {', '.join(INTENTS)}")
            weight = raw.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not -20 <= weight <= 20:
                raise RulesError(f"{where}: weight must be a number between -20 and 20")
            any_ = comp.compile_list(raw.get("any"), f"{where} any")
            all_ = tuple(combine((e,))[0] for e in comp.compile_list(raw.get("all"), f"{where} all"))
            if not any_ and not all_:
                raise RulesError(f"{where}: needs 'any' or 'all' (a list of expressions)")
            unless = comp.compile_list(raw.get("unless"), f"{where} unless")
            any_ = combine(any_)
            rs.rules.append(Rule(intent, float(weight), any_, all_, combine(unless), where,
                                 _gates(any_, all_)))
        urgent = doc.get("urgent", [])
        if not isinstance(urgent, list):
            raise RulesError(f"{f.name}: use [[urgent]] (an array of tables)")
        for i, raw in enumerate(urgent, 1):
            where = f"{f.name} [[urgent]] #{i}"
            if not isinstance(raw, dict):
                raise RulesError(f"{where}: must be a table")
            unknown = set(raw) - _URGENT_KEYS
            if unknown:
                raise RulesError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_URGENT_KEYS)}")
            number = raw.get("emergency")
            if number is not None and number not in _EMERGENCY_NUMBERS:
                raise RulesError(f"{where}: emergency must be one of 119, 120, 110 (or left out)")
            intent = raw.get("intent")
            if intent is not None and intent not in INTENTS:
                raise RulesError(f"{where}: intent {intent!r} is not one of {', '.join(INTENTS)}")
            any_ = comp.compile_list(raw.get("any"), f"{where} any")
            all_ = tuple(combine((e,))[0] for e in comp.compile_list(raw.get("all"), f"{where} all"))
            if not any_ and not all_:
                raise RulesError(f"{where}: needs 'any' or 'all' (a list of expressions)")
            unless = comp.compile_list(raw.get("unless"), f"{where} unless")
            rs.urgent.append(UrgentRule(number, intent, combine(any_), combine(unless), where,
                                        all_))
    rs.index_keys()
    if not rs.rules:
        raise RulesError(f"{path}: no [[rule]] found")
    return rs
