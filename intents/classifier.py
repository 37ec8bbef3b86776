"""Rule-based classifier: text -> Classification.

How a decision is made, so it can be explained to a grid worker:
1. the text is folded (traditional -> simplified, full-width -> ASCII) and typos and
   dialect words are rewritten (路登 -> 路灯, 莫得 -> 没有);
2. it is cut into clauses at punctuation, spaces and 不过/但是; voice-to-text without
   punctuation simply stays one clause;
3. negations (没有人反映, 不用来了) cancel the evidence for a ticket in their clause,
   and a resolved marker (修好了, 清走了) cancels it in its clause and the ones before,
   unless the clause says it is still or again broken (又, 还是, 修好了吗);
4. every rule whose words still match adds its weight to its intent; the best score
   wins, and the confidence grows with that score and shrinks with the runner-up.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import threading
from pathlib import Path

import jieba

from .masking import mask
from .model import TICKET_INTENTS, Classification
from .normalize import Normalizer, build_fold_table, read_char_map
from .places import PlaceFinder
from .rules import PACKAGE_DIR, Expr, RulesError, RuleSet, load_rules

jieba.setLogLevel(logging.WARNING)

_CLAUSE_SPLIT = re.compile(r"[。！？!?；;，,、\n\r\t 　…~～]+|不过|但是|可是|然而|结果现在|现在又")
# Order used to break ties between equal scores: the more serious need first.
_PRIORITY = ("safety", "repair", "errand", "dispute", "sanitation", "inquiry", "wish", "praise", "none")
_TEMP = 2.0  # softmax temperature over rule scores
_NULL_SCORE = 2.5  # score of "nothing the bot should act on"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_PLACE_BOOSTED = ("repair", "safety", "sanitation", "dispute", "errand")
_PLACE_BOOST = 1.0
_MIN_RIVAL = 2.0
_MAX_CHARS = 4000  # longer texts are scored on their head and tail; places/masking see all


class Classifier:
    """Holds one compiled rule set; `reload()` swaps it atomically."""

    def __init__(self, ruleset: RuleSet, rules_path: Path | None, char_map_path: Path,
                 userdict_path: Path | None) -> None:
        self._rules_path = rules_path
        self._char_map_path = char_map_path
        self._userdict_path = userdict_path
        self._lock = threading.Lock()
        # jieba loads its 9 MB dictionary cache (~0.7 s): do it in a background
        # thread so start-up goes on meanwhile; the few messages that need token
        # boundaries before it is ready wait for it (see tokenizer()).
        self._tokenizer = jieba.Tokenizer()
        self._jieba_ready = threading.Event()
        self._jieba_error: BaseException | None = None
        self._install(ruleset, self._load_char_map())
        threading.Thread(target=self._init_jieba, args=(userdict_path,),
                         name="intents-jieba", daemon=True).start()

    def _init_jieba(self, userdict_path: Path | None) -> None:
        try:
            self._tokenizer.initialize()  # reuses jieba's cache file in the temp dir
            if userdict_path is not None and userdict_path.exists():
                self._tokenizer.load_userdict(str(userdict_path))
        except BaseException as exc:  # noqa: BLE001 - reported on first use
            self._jieba_error = exc
        finally:
            self._jieba_ready.set()

    def tokenizer(self) -> jieba.Tokenizer:
        """The private jieba tokenizer with the domain words, once it is loaded."""
        self._jieba_ready.wait()
        return self._tokenizer

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until jieba is loaded (start-up measurements, tests)."""
        return self._jieba_ready.wait(timeout)

    # -- loading -----------------------------------------------------------------
    @classmethod
    def load(cls, rules_path: Path | None = None) -> Classifier:
        """Build from the package's rule files (or `rules_path`); raises RulesError."""
        path = Path(rules_path) if rules_path is not None else None
        base = path if path is not None and path.is_dir() else PACKAGE_DIR
        char_map = base / "t2s.txt" if (base / "t2s.txt").exists() else PACKAGE_DIR / "t2s.txt"
        userdict = base / "userdict.txt" if (base / "userdict.txt").exists() else PACKAGE_DIR / "userdict.txt"
        ruleset = load_rules(path)
        return cls(ruleset, path, char_map, userdict)

    def _load_char_map(self) -> dict[str, str]:
        try:
            return read_char_map(self._char_map_path)
        except (OSError, ValueError) as exc:
            raise RulesError(f"{self._char_map_path.name}: {exc}") from None

    def _install(self, ruleset: RuleSet, char_map: dict[str, str]) -> None:
        fold = build_fold_table(char_map)
        normalizer = Normalizer(fold, ruleset.rewrites)
        finder = PlaceFinder(fold)
        with self._lock:
            self._rs = ruleset
            self._normalizer = normalizer
            self._finder = finder

    def reload(self) -> str | None:
        """Re-read the same files. None on success, else the error (old rules stay)."""
        try:
            ruleset = load_rules(self._rules_path)
            char_map = self._load_char_map()
            self._install(ruleset, char_map)
        except RulesError as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - a reload must never take the bot down
            return f"rules reload failed: {exc!r}"
        return None

    @property
    def ruleset(self) -> RuleSet:
        return self._rs

    def normalize(self, text: str) -> str:
        return self._normalizer.normalize(text)

    def extract_place(self, text: str) -> str | None:
        return self._finder.extract(text)

    # -- classification ------------------------------------------------------------
    def classify(self, text: str) -> Classification:
        """Classify one message; never raises on odd input."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        with self._lock:
            rs, normalizer, finder = self._rs, self._normalizer, self._finder
        # Lone surrogates cannot be sent anywhere: show them as U+FFFD.
        masked = _SURROGATE_RE.sub("\ufffd", mask(text))
        place = finder.extract(text[:20000])
        norm = normalizer.normalize(text)
        if len(norm) > _MAX_CHARS:
            half = _MAX_CHARS // 2
            norm = norm[:half] + "\n" + norm[-half:]
        intent, confidence, urgent, emergency, evidence = self._score(rs, norm, place is not None)
        return Classification(
            intent=intent,
            confidence=confidence,
            urgent=urgent,
            place=place,
            evidence=evidence,
            masked_text=masked,
            emergency=emergency,
        )

    def _boundaries(self, text: str) -> set[int]:
        bounds = {0}
        pos = 0
        for tok in self.tokenizer().cut(text, HMM=False):
            pos += len(tok)
            bounds.add(pos)
        return bounds

    def _score(self, rs: RuleSet, text: str,
               has_place: bool) -> tuple[str, float, bool, str | None, tuple[str, ...]]:
        if not text.strip():
            return "none", 1.0, False, None, ()
        ctx = _Context(text, self, rs)
        evidence: list[str] = []

        # Clauses whose ticket evidence does not count.
        cancelled: set[int] = set()
        for expr in rs.negation:
            for m in ctx.matches(expr):
                cancelled.add(ctx.clause_of(m.start()))
                evidence.append(f"否定:{m.group(0)}")
        still_clauses = {ctx.clause_of(m.start()) for e in rs.still for m in ctx.matches(e)}
        for expr in rs.resolved:
            for m in ctx.matches(expr):
                c = ctx.clause_of(m.start())
                if c in still_clauses:
                    continue
                evidence.append(f"已解决:{m.group(0)}")
                cancelled.update(i for i in range(c + 1) if i not in still_clauses)

        scores: dict[str, float] = {}
        fired: list[tuple[float, str, str]] = []
        live = ctx.live
        first = ctx.first
        for rule, gates, any_pairs in zip(rs.rules, rs.rule_gates, rs.rule_any, strict=True):
            # Hot loop: a cheap key check skips most rules without a regex scan.
            if not gates <= live:
                continue
            blocked = cancelled if rule.intent in TICKET_INTENTS else None
            hit = None
            if any_pairs:
                for expr, gid in any_pairs:
                    if gid >= 0 and gid not in live:
                        continue
                    hit = first(expr, blocked)
                    if hit is not None:
                        break
                if hit is None:
                    continue
            if rule.all:
                hits: list[str] = []
                for expr in rule.all:  # stop at the first missing part
                    part = first(expr, blocked)
                    if part is None:
                        break
                    hits.append(part)
                else:
                    part = ""
                if part is None:
                    continue
                hit = hit if hit is not None else "+".join(h for h in hits if h)
            if rule.unless and any(first(expr, None) is not None for expr in rule.unless):
                continue
            scores[rule.intent] = scores.get(rule.intent, 0.0) + rule.weight
            fired.append((rule.weight, rule.intent, hit or ""))

        urgent = False
        emergency: str | None = None
        urgent_block: set[int] | None = None  # built when an urgent rule can fire
        for urule, ugates, uany in zip(rs.urgent, rs.urgent_gates, rs.urgent_any, strict=True):
            if not ugates <= live:
                continue
            if urgent_block is None:
                urgent_block = cancelled | {ctx.clause_of(m.start())
                                            for e in rs.hypothetical for m in ctx.matches(e)}
            hit = None
            for expr, gid in uany:
                if gid >= 0 and gid not in live:
                    continue
                hit = ctx.first(expr, urgent_block)
                if hit is not None:
                    break
            if urule.all:
                hits = [ctx.first(expr, urgent_block) for expr in urule.all]
                if None in hits or (urule.any and hit is None):
                    continue
                hit = hit if hit is not None else "+".join(h for h in hits if h)
            if hit is None:
                continue
            if urule.unless and any(ctx.first(expr, None) is not None for expr in urule.unless):
                continue
            if not urgent:
                urgent = True
                emergency = urule.emergency
                evidence.append(f"紧急:{hit}")
                if urule.intent:
                    scores[urule.intent] = scores.get(urule.intent, 0.0) + 3.0
            elif emergency is None and urule.emergency:
                emergency = urule.emergency

        if has_place:
            # Naming a building or spot makes a concrete report more likely.
            for name in _PLACE_BOOSTED:
                if scores.get(name, 0.0) >= _MIN_RIVAL:
                    scores[name] += _PLACE_BOOST
        # A lone weak hint (score below 2) is noise, not a rival: leave it out.
        ranked = sorted(
            ((s, i) for i, s in scores.items() if s >= _MIN_RIVAL),
            key=lambda si: (-si[0], _PRIORITY.index(si[1])),
        )
        best, best_intent = ranked[0] if ranked else (0.0, "none")
        if best <= 0:
            intent, confidence = "none", 0.8
        else:
            intent = best_intent
            # Softmax over the intents' scores plus a "nothing here" option: one
            # strong rule alone gives ~0.68, two rivals of equal weight stay < 0.5.
            denom = math.exp(_NULL_SCORE / _TEMP) + sum(math.exp(s / _TEMP) for s, _ in ranked)
            confidence = math.exp(best / _TEMP) / denom
        if intent not in TICKET_INTENTS:
            urgent, emergency = False, None
        if urgent:
            for expr in rs.calm:
                hit = ctx.first(expr, None)
                if hit is not None:
                    urgent, emergency = False, None
                    evidence.append(f"不紧急:{hit}")
                    break
        fired.sort(key=lambda f: (f[1] != intent, -f[0]))
        evidence = [f"{i}{w:+g}:{h}" for w, i, h in fired if w > 0] + evidence
        return intent, round(min(max(confidence, 0.0), 1.0), 4), urgent, emergency, tuple(evidence)


_NO_MATCHES: list = []  # shared, never mutated


class _Hit:
    """A match found without a regex (see _Context._pair); quacks like re.Match."""

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, index: int = 0) -> str:
        return self._text


class _Context:
    """Per-message match cache: clauses, jieba boundaries and regex results."""

    __slots__ = ("text", "owner", "_starts", "_cache", "_bounds", "live", "_expr_gate", "_groups")

    def __init__(self, text: str, owner: Classifier, rs: RuleSet) -> None:
        self.text = text
        self.owner = owner
        self._starts = [m.end() for m in _CLAUSE_SPLIT.finditer(text)]
        self._cache: dict[Expr, list[re.Match[str]]] = {}
        self._bounds: set[int] | None = None
        self._groups: dict[re.Pattern[str], list[tuple[int, int]]] = {}
        # Every character and every pair of neighbours: the cheap pre-check.
        keys = set(text)
        keys.update(map(str.__add__, text, text[1:]))
        # Ids of the key sets this text touches: a rule or expression whose key
        # set is not live cannot match.
        live: set[int] = set()
        for ids in filter(None, map(rs.key_index.get, keys)):
            live.update(ids)
        self.live = live
        self._expr_gate = rs.expr_gate

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos)

    def matches(self, expr: Expr) -> list[re.Match[str]]:
        found = self._cache.get(expr)
        if found is None:
            gid = self._expr_gate.get(expr)
            if gid is not None and gid not in self.live:
                self._cache[expr] = found = _NO_MATCHES
                return found
            found = self._scan(expr)
        return found

    def _scan(self, expr: Expr) -> list:
        """Run one expression over the text (gate already passed) and cache it."""
        if expr.pair is not None:
            found = self._pair(expr.pair)
        elif expr.whole_token or expr.token_groups:
            found = self._scan_tokens(expr)
        else:
            found = list(expr.regex.finditer(self.text))
        self._cache[expr] = found
        return found

    def _group_hits(self, regex: re.Pattern[str]) -> list[tuple[int, int]]:
        hits = self._groups.get(regex)
        if hits is None:
            hits = self._groups[regex] = [m.span() for m in regex.finditer(self.text)]
        return hits

    def _pair(self, pair: tuple[re.Pattern[str], int, re.Pattern[str], re.Pattern[str]]) -> list:
        """Non-overlapping A...B spans with at most `gap` characters in between and
        no stop character (sentence end, or clause end for "_") there."""
        a_re, gap, b_re, stops = pair
        a_hits = self._group_hits(a_re)
        if not a_hits:
            return []
        b_hits = self._group_hits(b_re)
        found: list[_Hit] = []
        text, last_end = self.text, -1
        for a_start, a_end in a_hits:
            if a_start < last_end:
                continue
            for b_start, b_end in b_hits:
                # B may overlap the end of a long A (怎么报|报名 in 怎么报名): a
                # regex would have backtracked to the shorter A.
                if b_start <= a_start or b_end <= a_end:
                    continue
                if b_start - a_end > gap:
                    break
                if b_start > a_end and stops.search(text, a_end, b_start):
                    continue
                found.append(_Hit(a_start, b_end, text[a_start:b_end]))
                last_end = b_end
                break
        return found

    def bounds(self) -> set[int]:
        """jieba token boundaries, computed only when a rule needs them."""
        if self._bounds is None:
            self._bounds = self.owner._boundaries(self.text)
        return self._bounds

    def _scan_tokens(self, expr: Expr) -> list[re.Match[str]]:
        """Matches that respect jieba token boundaries. A rejected match only
        moves the search on by one character, so a valid match inside it (路 in
        小路 rejected, 地砖松了 right after) is still found."""
        found: list[re.Match[str]] = []
        text, regex, pos = self.text, expr.regex, 0
        while pos <= len(text):
            m = regex.search(text, pos)
            if m is None:
                break
            ok = True
            if expr.whole_token:
                bounds = self.bounds()
                ok = m.start() in bounds and m.end() in bounds
            if ok and expr.token_groups:
                ok = self._tokens_ok(m, expr.token_groups)
            if ok:
                found.append(m)
                pos = max(m.end(), m.start() + 1)
            else:
                pos = m.start() + 1
        return found

    def _tokens_ok(self, m: re.Match[str], names: tuple[str, ...]) -> bool:
        for name in names:
            start = m.start(name)
            if start >= 0:
                bounds = self.bounds()
                if start not in bounds or m.end(name) not in bounds:
                    return False
        return True

    def first(self, expr: Expr, blocked: set[int] | None) -> str | None:
        found = self._cache.get(expr)
        if found is None:
            gid = self._expr_gate.get(expr)
            if gid is not None and gid not in self.live:  # hot path: cannot match
                self._cache[expr] = _NO_MATCHES
                return None
            found = self._scan(expr)
        if not found:
            return None
        if not blocked:
            return found[0].group(0)
        for m in found:
            if self.clause_of(m.start()) not in blocked:
                return m.group(0)
        return None
