"""Text -> Classification: concepts read from the words, weighed by a trained model.

How a decision is made, so it can be explained to a grid worker (`bot explain`):
1. the text is folded (traditional -> simplified, full-width -> ASCII) and typos and
   dialect words are rewritten (路登 -> 路灯, 莫得 -> 没有);
2. jieba cuts it into words; the concept lists (rules/10_concepts.toml) say which words
   name which concept (设施, 故障, 老人, 求助…), and the scope words (rules/20_scope.toml)
   say whether a concept is happening now or is negated, past, habitual, hypothetical
   or already resolved;
3. the model (weights.json, trained on the corpus by `make model`) adds up the weights of
   what it sees: the concepts and pairs of concepts said together, the words and the
   character pairs and triples; `[[rule]]` entries nudge an intent's score; the best
   score wins and its share (softmax) is the confidence;
4. urgency: an `[[urgent]]` rule (rules/30_urgent.toml) names a danger said now; the
   model's urgency estimate can veto a rule on text that is very unlike an emergency and
   raise urgency on its own when it is sure;
5. a correction by a worker (`改 12 安全隐患`, `紧急 12`) is remembered for its exact text.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from pathlib import Path
from typing import NamedTuple

import jieba

from . import dictionary, segment
from .analysis import Analysis, Parts, analyse, feature_parts
from .lexicon import Lexicon
from .linear import DEFAULT_WEIGHTS, LinearModel, ModelError, sigmoid, softmax
from .masking import mask
from .model import INTENTS, TICKET_INTENTS, Classification
from .normalize import Normalizer, build_fold_table, read_char_map
from .places import PlaceFinder
from .rules import PACKAGE_DIR, Rule, RulesError, RuleSet, load_rules

jieba.setLogLevel(logging.WARNING)

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A WeChat quote-reply: 「name：quoted text」, a dashed line, then the reply. The quoted
# message was read when it was posted; the reply is what this sender says.
_QUOTE_RE = re.compile(r"^\s*「[^」]*」\s*\n\s*(?:[-—－]\s*){5,}\n?")
_QUOTED_RE = re.compile(r"^\s*「(?:(?P<name>[^：:」\n]{1,64})[：:])?(?P<words>[^」]*)」")
# The classifier reads the head of a longer text (its masked text is that head too): a
# message of 100,000 characters costs a bounded multiple of a normal one. No message of
# the corpus is longer than 500 characters; the router passes at most 2,000 anyway.
MAX_INPUT = 500
MAX_CHARS = MAX_INPUT
PLACE_CHARS = MAX_INPUT
# Urgency: a rule fires and the model does not find it very unlikely, or the model alone
# is sure. Tuned on held-out writers (see corpus/README.md).
URGENT_VETO = 0.02
URGENT_ALONE = 0.4
# The model alone makes a message urgent only when the need it reads is one where a life
# is in danger now (a fire or gas, a lift or a burst pipe, a person fallen or ill): dirt,
# a quarrel, a wish or a question is urgent only when an [[urgent]] rule names the danger.
DANGER_NEEDS = frozenset({"safety", "repair", "errand"})
# ... and makes no urgency of what it reads as chatter at least as likely as not:
# advice while an emergency goes on (「快打燃气公司电话啊」) names a danger but is no new one.
# On held-out writers (make crossval): see intents/README.md.
URGENT_ALONE_NONE = 0.5
# ... nor of a message that supposes (着了火咋整, 要是…, 万一…): its danger is what if.
SUPPOSING = frozenset({"假设", "条件"})
URGENT_BOOST = 1.0  # added to the score of the intent an urgent rule names
# Emergency number when only the model found the danger: from the concepts said now.
_NUMBER_OF = (("火情", "119"), ("烟", "119"), ("燃气", "119"), ("被困", "119"), ("落水", "119"),
              ("昏迷", "120"), ("急病", "120"), ("摔倒", "120"), ("暴力", "110"))


class Decision(NamedTuple):
    """Everything that went into one classification (for `bot explain` and tests)."""

    classification: Classification
    analysis: Analysis
    parts: Parts  # the model's input
    probabilities: dict[str, float]
    rules: tuple[Rule, ...]  # [[rule]] nudges that applied
    urgent_rules: tuple[Rule, ...]  # [[urgent]] rules that fired
    urgent_probability: float
    calm: bool
    remembered: bool


class _Knowledge:
    """One consistent set of rules, lexicon and normalizer (swapped whole on reload)."""

    def __init__(self, ruleset: RuleSet, char_map: dict[str, str]) -> None:
        fold = build_fold_table(char_map)
        self.ruleset = ruleset
        self.lexicon = Lexicon(ruleset.all_concepts(), ruleset.scope)
        self.normalizer = Normalizer(fold, ruleset.rewrites)
        self.finder = PlaceFinder(fold)
        self.rules = _RuleIndex(ruleset.rules)
        self.urgent = _RuleIndex(ruleset.urgent)
        self.hazards = _RuleIndex(ruleset.hazards)


class Classifier:
    """Holds the rules, the model and a private jieba tokenizer; `reload()` swaps the
    rules and the model atomically."""

    def __init__(self, ruleset: RuleSet, rules_path: Path | None, char_map_path: Path,
                 userdict_path: Path | None, model: LinearModel | None,
                 model_path: Path | None) -> None:
        self._rules_path = rules_path
        self._char_map_path = char_map_path
        self._model_path = model_path
        self._lock = threading.Lock()
        self._know = _Knowledge(ruleset, self._load_char_map())
        self._model = model
        self._memory: dict[str, tuple[str | None, bool | None]] = {}
        # jieba's dictionary (intents/dictionary.py: a first character at a time, as texts
        # need them; all of it, 0.2 s, when the words added have changed) is opened in a
        # background thread, so start-up goes on meanwhile; the first message waits for it.
        self._tokenizer = jieba.Tokenizer()
        self._dictionary = dictionary.Lazy()  # shared with the sharing() views
        self._jieba_words: set[str] = set()
        # segment.one_character_words once jieba is loaded; one dict, shared with the
        # sharing() views (which may be made before jieba is ready), refilled in place
        self._chars: dict[str, float] = {}
        self._jieba_ready = threading.Event()
        self._jieba_error: BaseException | None = None
        threading.Thread(target=self._init_jieba, args=(userdict_path,),
                         name="intents-jieba", daemon=True).start()

    # -- loading -----------------------------------------------------------------
    @classmethod
    def load(cls, rules_path: Path | None = None, model_path: Path | None = None, *,
             with_model: bool = True) -> Classifier:
        """Build from the package's rule files (or `rules_path`) and weights.json (or
        `model_path`); raises RulesError. `with_model=False` is for training."""
        path = Path(rules_path) if rules_path is not None else None
        base = path if path is not None and path.is_dir() else PACKAGE_DIR
        char_map = base / "t2s.txt" if (base / "t2s.txt").exists() else PACKAGE_DIR / "t2s.txt"
        userdict = base / "userdict.txt" if (base / "userdict.txt").exists() else PACKAGE_DIR / "userdict.txt"
        ruleset = load_rules(path)
        model = None
        mpath = Path(model_path) if model_path is not None else DEFAULT_WEIGHTS
        if with_model:
            try:
                model = LinearModel.load(mpath)
            except ModelError as exc:
                raise RulesError(str(exc)) from None
        return cls(ruleset, path, char_map, userdict, model, mpath if with_model else None)

    def _init_jieba(self, userdict_path: Path | None) -> None:
        try:
            lexicon = self._know.lexicon
            words = lexicon.words()
            tokenizer = self._tokenizer
            if dictionary.open_prepared(tokenizer, self._dictionary, userdict_path, words):
                self._jieba_words = set(words)
                self._chars.update(segment.one_character_words(tokenizer))
                lexicon.seen_by(tokenizer.FREQ)
            else:  # the words added have changed: added the usual way, and kept
                dictionary.initialize(tokenizer)  # a cache file in the temp dir
                plain = dict(tokenizer.FREQ)
                if userdict_path is not None and userdict_path.exists():
                    tokenizer.load_userdict(str(userdict_path))
                self._sync_jieba_words(lexicon)
                dictionary.keep_prepared(tokenizer, plain, userdict_path, words)
        except BaseException as exc:  # noqa: BLE001 - reported on first use
            self._jieba_error = exc
        finally:
            self._jieba_ready.set()

    def _sync_jieba_words(self, lexicon: Lexicon) -> None:
        """Let jieba keep the concept words whole (and forget removed ones)."""
        self._dictionary.load_all()  # jieba's add_word reads it
        words = set(lexicon.words())
        self._chars.clear()  # until it is refilled, the cut asks the whole dictionary
        for word in self._jieba_words - words:
            self._tokenizer.del_word(word)
        for word in sorted(words - self._jieba_words):
            self._tokenizer.add_word(word)
        self._jieba_words = words
        self._chars.update(segment.one_character_words(self._tokenizer))
        lexicon.seen_by(self._tokenizer.FREQ)

    def tokenizer(self) -> jieba.Tokenizer:
        """The private jieba tokenizer with the domain words, all of its dictionary in."""
        tokenizer = self._lean_tokenizer()
        self._dictionary.load_all()
        return tokenizer

    def _lean_tokenizer(self) -> jieba.Tokenizer:
        """The tokenizer once it is opened, its dictionary filled as texts need it: call
        `self._dictionary.load(text)` before cutting `text`."""
        if not self._jieba_ready.is_set():
            self._jieba_ready.wait()
        if self._jieba_error is not None:
            raise RuntimeError(f"jieba failed to load: {self._jieba_error!r}")
        return self._tokenizer

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until jieba is loaded (start-up measurements, tests)."""
        return self._jieba_ready.wait(timeout)

    def _load_char_map(self) -> dict[str, str]:
        try:
            return read_char_map(self._char_map_path)
        except (OSError, ValueError) as exc:
            raise RulesError(f"{self._char_map_path.name}: {exc}") from None

    def reload(self) -> str | None:
        """Re-read the rule files and the weights. None on success, else the error (the
        old rules and weights stay in force)."""
        try:
            know = _Knowledge(load_rules(self._rules_path), self._load_char_map())
            model = LinearModel.load(self._model_path) if self._model_path else self._model
        except (RulesError, ModelError) as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - a reload must never take the bot down
            return f"rules reload failed: {exc!r}"
        self.wait_ready()
        with self._lock:
            self._sync_jieba_words(know.lexicon)
            self._know, self._model = know, model
        return None

    @property
    def ruleset(self) -> RuleSet:
        return self._know.ruleset

    @property
    def model(self) -> LinearModel | None:
        return self._model

    def normalize(self, text: str) -> str:
        """Folded text with typos and dialect words rewritten (what the rules read)."""
        return self._know.normalizer.normalize(text)

    def fold(self, text: str) -> str:
        """Only the one-to-one folding (traditional -> simplified, full-width -> ASCII)."""
        return self._know.normalizer.fold(text)

    def extract_place(self, text: str) -> str | None:
        return self._know.finder.extract(text)

    # -- corrections -----------------------------------------------------------------
    def sharing(self) -> Classifier:
        """The same rules, weights and jieba with a memory of corrections of its own: one
        per bot, since corrections belong to a database (tests run many bots on one)."""
        view = copy.copy(self)
        view._memory = {}
        return view

    def memory_key(self, text: str) -> str:
        """Texts that differ only in spacing, width or script are one text; the key is
        made of the masked text, so a correction stored without phone numbers finds the
        message that had them."""
        masked = _SURROGATE_RE.sub("\ufffd", mask(str(text)[:MAX_INPUT]))
        return " ".join(self._know.normalizer.normalize(masked).split())

    def remember(self, text: str, intent: str | None = None, urgent: bool | None = None) -> None:
        """A worker's correction: the same text gets this intent (and urgency) from now on
        (until the next `make model` has learnt it with the others)."""
        if intent is not None and intent not in INTENTS:
            raise ValueError(f"unknown intent {intent!r}")
        key = self.memory_key(text)
        old_intent, old_urgent = self._memory.get(key, (None, None))
        self._memory[key] = (intent if intent is not None else old_intent,
                             urgent if urgent is not None else old_urgent)

    # -- reading a message -------------------------------------------------------------
    def analyse(self, text: str) -> Analysis:
        know = self._know
        return self._read(know, know.normalizer.normalize(own_words(text)[:MAX_CHARS]))

    def _read(self, know: _Knowledge, norm: str) -> Analysis:
        """Cut a normalized text and read its concepts (the cut finds most concept words)."""
        seen: list[tuple[int, int, str]] = []
        tokenizer = self._lean_tokenizer()
        self._dictionary.load(norm)
        tokens = tuple(segment.cut(tokenizer, norm, know.lexicon.seen_by_cut, seen, self._chars))
        return analyse(norm, tokens, know.lexicon, seen)

    def features(self, text: str) -> set[str]:
        """The model's input for `text` as feature names (what train.py fits on)."""
        text = str(text)[:MAX_INPUT]
        place = self._know.finder.extract(own_words(text)[:PLACE_CHARS])
        return as_names(self._parts(self._know, self.analyse(text), place))

    @staticmethod
    def _parts(know: _Knowledge, a: Analysis, place: str | None) -> Parts:
        if place is None:
            return feature_parts(a)
        parts = feature_parts(a, know.normalizer.fold(place))
        parts.other.add("place")
        return parts

    def classify(self, text: str) -> Classification:
        """Classify one message; never raises on odd input."""
        return self.decide(text).classification

    def decide(self, text: str) -> Decision:
        """Classify and keep everything that decided it."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = text[:MAX_INPUT]
        with self._lock:
            know, model = self._know, self._model
        masked = _SURROGATE_RE.sub("\ufffd", mask(text))
        whole, text = text, own_words(text)
        place = know.finder.extract(text[:PLACE_CHARS])
        norm = know.normalizer.normalize(text[:MAX_CHARS])
        a = self._read(know, norm)
        parts = self._parts(know, a, place)
        if not norm.strip():
            c = Classification("none", 1.0, False, place, (), masked, None)
            return Decision(c, a, parts, {"none": 1.0}, (), (), 0.0, False, False)

        if model is not None:
            scores, urgent_logit = model.scores_of(*parts)
            order = model.intents
        else:
            scores, urgent_logit, order = [0.0] * len(INTENTS), 0.0, INTENTS
        said = _Said(a)
        # (a rule whose terms are not all said now is passed over without a call)
        anywhere = said.anywhere
        nudges = tuple(r for r in know.rules.said(anywhere) if said.fires(r))
        for r in nudges:
            # A rule decides: its intent wins (weight > 0) or loses (weight < 0) by that
            # margin over the best other intent, whatever the model says.
            i = order.index(r.intent)
            best_other = max(s for j, s in enumerate(scores) if j != i)
            if r.weight > 0:
                scores[i] = max(scores[i], best_other + r.weight)
            else:
                scores[i] = min(scores[i], best_other + r.weight)
        calm = a.has_scope("平息")
        urgent_rules = () if calm else tuple(r for r in know.urgent.said(anywhere)
                                             if said.fires(r))
        p_urgent = sigmoid(urgent_logit) if model is not None else (1.0 if urgent_rules else 0.0)
        for r in urgent_rules[:1]:
            if r.intent is not None:
                scores[order.index(r.intent)] += URGENT_BOOST
        probs = dict(zip(order, softmax(scores), strict=True))
        top = max(probs.values())
        intent = next(i for i in INTENTS if probs[i] == top)  # a tie: the first of INTENTS
        confidence = probs[intent]
        urgent = not calm and ((bool(urgent_rules) and (p_urgent >= URGENT_VETO
                                                        or not all(r.model_veto for r in urgent_rules)))
                               or (p_urgent >= URGENT_ALONE and likeliest_need(probs) in DANGER_NEEDS
                                   and probs["none"] < URGENT_ALONE_NONE
                                   and not any(m.name in SUPPOSING for m in a.scopes)))

        remembered = False
        m_intent: str | None = None
        key = " ".join(know.normalizer.normalize(masked).split()) if self._memory else ""
        if key in self._memory:
            m_intent, m_urgent = self._memory[key]
            remembered = True
            if m_intent is not None:
                intent, confidence = m_intent, 1.0
            if m_urgent is not None:
                urgent = m_urgent
        if urgent and intent not in TICKET_INTENTS and not (remembered and m_intent):
            # Danger now is always something to act on: the intent the rule names, else
            # the likeliest intent that opens a ticket.
            named = next((r.intent for r in urgent_rules if r.intent), None)
            intent = named or likeliest_need(probs)
        if urgent and intent in TICKET_INTENTS and not (remembered and m_intent):
            # Urgency settles that this is a need: the confidence is the intent's share
            # among the needs.
            confidence = probs[intent] / sum(probs[i] for i in TICKET_INTENTS)
        if intent not in TICKET_INTENTS:
            urgent = False
        emergency = None
        if urgent:
            emergency = next((r.emergency for r in urgent_rules if r.emergency), None)
            if emergency is None and not urgent_rules:
                now = {c.name for c in a.concepts if c.now}
                emergency = next((n for name, n in _NUMBER_OF if name in now), None)
        evidence = _evidence(a, urgent_rules if urgent else (), nudges)
        hazard = None if calm or intent not in TICKET_INTENTS or intent in NOT_HAZARDS else _hazard(know, a)
        if place is None and text is not whole:  # a quote-reply naming no place: the quote's
            quoted = _QUOTED_RE.match(whole)
            if quoted:
                place = know.finder.of_quote(quoted.group("name") or "", quoted.group("words"))
        c = Classification(intent=intent, confidence=round(min(max(confidence, 0.0), 1.0), 4),
                           urgent=urgent, place=place, evidence=evidence, masked_text=masked,
                           emergency=emergency, hazard=hazard)
        return Decision(c, a, parts, probs, nudges, urgent_rules, p_urgent, calm,
                        remembered)


def as_names(parts: Parts) -> set[str]:
    """Feature names as the weights file holds them (w: and g: prefixes)."""
    return parts.names()


def own_words(text: str) -> str:
    """The reply of a quote-reply, else the whole text."""
    if "」" not in text:
        return text
    m = _QUOTE_RE.match(text)
    return text[m.end():] if m else text


class _RuleIndex:
    """Rules by one term of their `when`: the rules whose terms are all said now are found
    from the few things said, not by trying every rule."""

    def __init__(self, rules: list[Rule]) -> None:
        self._always: list[tuple[int, Rule]] = []
        self._by_term: dict[str, list[tuple[int, Rule]]] = {}
        for n, rule in enumerate(rules):
            if rule.when_set:
                self._by_term.setdefault(min(rule.when_set), []).append((n, rule))
            else:
                self._always.append((n, rule))

    def said(self, anywhere: set[str]) -> list[Rule]:
        """The rules, in file order, all of whose `when` terms are in `anywhere`."""
        found = list(self._always)
        by_term = self._by_term
        for term in anywhere:
            if term in by_term:
                found.extend(by_term[term])
        if len(found) > 1:
            found.sort(key=_first)
        return [rule for _, rule in found if rule.when_set <= anywhere]


def _first(pair: tuple[int, Rule]) -> int:
    return pair[0]


def likeliest_need(probs: dict[str, float]) -> str:
    """The intent that opens a ticket with the highest probability (a tie: the first)."""
    return max(TICKET_INTENTS, key=lambda i: (probs[i], -INTENTS.index(i)))


class _Said:
    """What a message says now, in all and per clause, and what it mentions at all:
    computed once per message (the clauses only when a rule asks), then each rule is a
    few set look-ups."""

    __slots__ = ("_a", "present", "anywhere", "_by_clause")

    def __init__(self, a: Analysis) -> None:
        self._a = a
        now = {c.name for c in a.concepts if not c.readings}
        scopes = {m.name for m in a.scopes}
        self.anywhere = now | scopes
        self.present = {c.name for c in a.concepts} | scopes
        self._by_clause: dict[int, set[str]] | None = None

    def by_clause(self) -> dict[int, set[str]]:
        if self._by_clause is None:
            a = self._a
            self._by_clause = {}
            for c in a.concepts:
                if not c.readings:
                    self._by_clause.setdefault(c.clause, set()).add(c.name)
            for m in a.scopes:
                self._by_clause.setdefault(a.clause_of(m.start), set()).add(m.name)
        return self._by_clause

    def fires(self, rule: Rule) -> bool:
        """All of `when` said now (in one clause unless whole_message), none of `unless`."""
        when = rule.when_set
        if not when <= self.anywhere:
            return False
        if rule.unless and any(t in self.present for t in rule.unless):
            return False
        if rule.whole_message:
            return True
        return any(when <= names for names in self.by_clause().values())


def fires(rule: Rule, a: Analysis) -> bool:
    """All of `when` said now (in one clause unless whole_message), none of `unless`."""
    return _Said(a).fires(rule)


# A hazard is one said now or as what keeps happening (天天飞线充电, 一充一宿); not one denied,
# over, supposed or feared.
_HAZARD_READINGS = frozenset({"@习惯"})
# A wish (搭个充电棚) or a question names the hazard it would end: it is not one.
NOT_HAZARDS = frozenset({"wish", "inquiry"})


def _hazard(know: _Knowledge, a: Analysis) -> str | None:
    """The kind of the first [[hazard]] rule said (now or habitually) in this message."""
    names: set[str] = {m.name for m in a.scopes}
    by_clause: dict[int, set[str]] = {}
    for c in a.concepts:
        if set(c.readings) <= _HAZARD_READINGS:
            names.add(c.name)
            by_clause.setdefault(c.clause, set()).add(c.name)
    present = {c.name for c in a.concepts} | {m.name for m in a.scopes}
    for r in know.hazards.said(names):
        if r.unless and any(t in present for t in r.unless):
            continue
        if r.whole_message or any(r.when_set <= clause for clause in by_clause.values()):
            return r.hazard
    return None


def _evidence(a: Analysis, urgent_rules: tuple[Rule, ...], nudges: tuple[Rule, ...]) -> tuple[str, ...]:
    """Short reasons: urgent rules, nudges, then the concepts with their words."""
    out = [f"紧急:{r.name}" for r in urgent_rules]
    out += [f"规则:{r.name}{r.weight:+g}" for r in nudges]
    # each concept (with its readings) and word once, in order (no name holds a colon)
    out += dict.fromkeys(f"{name}{''.join(readings)}:{word}"
                         for name, word, _start, _clause, readings in a.concepts
                         if not name.startswith("词:"))
    return tuple(out)
