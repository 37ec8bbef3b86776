"""What a reply does to a ticket, read from everyday words: pure text in, `Reading` out.

A worker's 「收到，马上到」 accepts, 「修好了，换了新灯泡」 resolves (the rest is the note),
「这个不归我们网格 转社区」 hands it on, 「在处理了」 reports progress; a resident's
「五星好评」 rates, 「没修好啊 又堵上了」 reopens, 「不用了 我儿子回来修好了」 withdraws,
「我反映的事怎么样了」 asks. Which ticket is meant is not decided here (the handlers know
the tickets); only what was said: the act, an explicit number, the quoted message.

The phrases are data (replies.toml beside this file, or the config's [classifier] replies):
concepts (word lists) and, per act, patterns that a whole clause must match once polite
words around it are taken off. An admin's 重载规则 reads the file again (`reload`).
"""

from __future__ import annotations

import copy
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from intents.quoting import quote_parts

DEFAULT_PATH = Path(__file__).with_name("replies.toml")

MAX_REPLY_CHARS = 120  # a longer message is a report or a story, not a reply to a ticket
MAX_OFFICIAL_CHARS = 400  # ... except an official's, read for what it tells of (cues)
GIST_CHARS = 40  # what residents are told was done: the deed, not the whole message
WORKER_ACTS = ("decline", "done", "progress", "accept")
RESIDENT_ACTS = ("status", "reopen", "cancel", "rate", "fixed", "thanks")
SCORES = {"five": 5, "four": 4, "three": 3, "two": 2, "one": 1}

_NUMBER = re.compile(
    r"(?:[#＃]\s*(\d{1,9}))|(?:工单\s*[#＃]?\s*(\d{1,9}))|(?:单号\s*[#＃]?\s*(\d{1,9}))"
    r"|(?:第\s*(\d{1,9})\s*(?:号)?单)|(?:(\d{1,9})\s*号\s*(?:工)?单)"
)
_MENTION = re.compile(r"[@＠][^\s\u2005@＠]{1,30}[\s\u2005]?")
_QUESTION_END = re.compile(r"[?？]")
_QUESTION_WORD = re.compile(r"(吗|么|没有?)$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_EMOJI = re.compile(r"\[[^\[\]\s]{1,4}\]|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?")
# Words of the `thing` concept that name no particular thing (这个, 问题, 都).
_NOT_A_THING = {"东西", "问题", "事", "事情", "这个", "那个", "这事", "这件事", "那件事", "都", "全部"}
_SCORE_LEAD = re.compile(r"^(给|打)(个|你们|您|你)?")
# Going somewhere (not gone): 「中午前过去」, 「下午上门」.
_GOING = re.compile(r"(去|过去|过来|上门|赶过去|到)(?!了|过)")
# What is left of an @ of a display name with a room in it (「@宝宝妈 13-2-301」).
_ROOM_ONLY = re.compile(r"[\d-]+")
# 「大家可以上楼了」「你们先下楼」: telling the residents where to go, not the official going
_TO_OTHERS = re.compile(r"^(大家|各位|你们|邻居们)(都|就|先)?(可以|能|可)?(回家|回去|上楼|下楼|回屋|进屋|出来|下来|上去|回来)")
# A deed that is still to come: 「估计下午能拉走」.
_LATER = re.compile(r"能|会|要|估计|预计|争取|打算|准备|可以|得")
# Care that goes on after the deed (「我每天上午也会上门看一眼」): no errand still to run.
_ONGOING = re.compile(r"每天|天天|每周|每个星期|每个礼拜|以后|经常|随时|定期")
# A deed still to come, or under way, said in another clause (「要换配件」, 「大概两点前能好」,
# 「现在送他回去」, 「等下挖开看」, 「预计下午3点前恢复供水」).
_STILL_TO_COME = re.compile(
    r"(能|会|要|得)(修|换|弄|装|好|通|来)|^(现在|正在|这就)[^，]{0,3}(送|带|陪|扶)"
    r"|^(等下|等会儿?|待会儿?|一会儿?|稍后|随后|晚点)[^，]{0,4}(挖|修|换|弄|装|看|来|拉|通|清)"
    r"|(估计|预计)[^，]{0,8}(来|好|恢复|通)"
    r"|^正在(上水|通风|散味|升温|恢复|放气)"  # 「装回去了 正在上水 慢慢热」: still coming back
)
# A clause that starts on a day to come (「明天维保修的时候我也在 修完群里说」): a plan, not a deed done.
_DAY_TO_COME = re.compile(r"^(明天|明早|明儿|后天|下周|周一|礼拜一|回头)")
# 「看看还有没有印子」: asking whether, not saying what is left (还有, 还要 are).
# 「大家慢点走」「小心脚下」: a caution to everyone about what is left (a wet floor, ice).
_CAUTION = re.compile(r"^(大家|各位|邻居们|您|你们)?(都|还是)?(慢点|慢些|慢着|小心|当心|注意脚下|注意路滑|留神)")
_A_NOT_A = re.compile(r"(.)[不没]\1")
# 「我们报上去看能不能装两台」: seeing whether is no negation of the commitment (a deed said
# with it, 「修好了看能不能用」, is still no deed done).
_WHETHER = re.compile(r"(看看?|问问?|试试?)(.)[不没]\2")
# A clause that says something did not, or might, happen: no deed is told in it (「没事」,
# 「没大事」, 「没受伤」 say a person is fine).
_NOT_SO = re.compile(r"不|没(?!事|大事|啥大事|什么大事|大碍|受伤|伤着)|(?<![分特区告级类个识辨])别|甭|未|要是|如果|假如|万一|是否|能不能|会不会|的时候|以后|之前")


@dataclass(frozen=True)
class Quote:
    sender: str
    text: str


@dataclass(frozen=True)
class Reading:
    """What a reply says. `act` None: not a reply to a ticket (chat, or a new report)."""

    act: str | None
    body: str = ""  # the reply without the quote and @-mentions
    bare: bool = False  # nothing but acknowledgement words (收到 / 好的): an answer, not a deed
    number: int | None = None  # a ticket number written in it (#3, 3号单, 工单3)
    note: str = ""  # done: what was done; decline: why; progress: what is happening
    target: str | None = None  # decline: to whom (社区, 物业, 孙丽) when said
    score: int | None = None  # rate: 1-5
    quote: Quote | None = None
    clauses: tuple[str, ...] = field(default=(), repr=False)
    # Read off cues in a longer message (「…楼道灯都换好了 原来是…」): it acts only on a
    # ticket it clearly speaks of (quoted, numbered, or named by place, thing or person).
    loose: bool = False


class PhrasesError(ValueError):
    pass


class Phrasebook:
    """The compiled phrases of replies.toml, and the file they came from."""

    path: Path = DEFAULT_PATH

    def __init__(self, data: dict) -> None:
        concepts = {name: _alternation(words) for name, words in data.get("concepts", {}).items()}
        things = [w for w in data.get("concepts", {}).get("thing", []) if w not in _NOT_A_THING]
        self._things = re.compile(_alternation(things)) if things else None
        filler = data.get("filler", {})
        self._before = _words_regex(filler.get("before", []) + data.get("concepts", {}).get("ack", []), at="start")
        self._after = _words_regex(filler.get("after", []), at="end")
        self._polite = {_fold(c) for c in filler.get("clauses", [])}
        self._ack_start = re.compile("^" + concepts.get("ack", "(?!)"))
        # One expression per act (its patterns as alternatives): a clause is tried once per act.
        self._patterns: dict[str, re.Pattern] = {}
        self._bare: dict[str, re.Pattern] = {}
        self._cues: dict[str, re.Pattern] = {}
        self._questions: set[str] = set()
        for side in ("worker", "resident"):
            for act, spec in data.get(side, {}).items():
                key = f"{side}.{act}"
                if spec.get("patterns"):
                    self._patterns[key] = _compile_all(spec["patterns"], concepts, key)
                if spec.get("bare"):
                    self._bare[key] = _compile_all(spec["bare"], concepts, key)
                if spec.get("cues"):
                    self._cues[key] = _compile_all(spec["cues"], concepts, key)
                if spec.get("questions"):
                    self._questions.add(key)
        self._scores = {
            SCORES[name]: re.compile(concepts[name] + "+") for name in SCORES if name in concepts
        }
        self._done_bare = {_fold(w) for w in data.get("worker", {}).get("done", {}).get("bare", [])}
        self._unfinished = re.compile(_alternation(data.get("concepts", {}).get("unfinished", [])) or "(?!)")
        notice = data.get("notice", {})
        self._notice = re.compile(_alternation(notice.get("markers", []) or ["【"]))
        self._official_notice = re.compile(_alternation(notice.get("official_markers", []) or ["【"]))
        responder = data.get("responder", {})
        self._responder = re.compile(_alternation(responder.get("who", [])) if responder.get("who") else "(?!)")
        coming = [re.escape(_fold(w)) if w.isalnum() else w for w in responder.get("coming", [])]
        self._coming = re.compile("|".join(coming) or "(?!)")
        self._in_care = re.compile(_alternation(responder.get("in_care", [])) if responder.get("in_care") else "(?!)")

    @classmethod
    def load(cls, path: Path | None = None) -> Phrasebook:
        """Read a phrases file; raises PhrasesError naming the file and what is wrong."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PhrasesError(f"{path.name}: cannot read: {error}") from None
        book = copy.copy(_compiled(text, path.name))  # a copy: `reload` changes only this one
        book.path = path
        return book

    def reload(self) -> str | None:
        """Read the same file again. None on success, else the error (the phrases in force
        stay, as with the rules and the FAQ)."""
        try:
            fresh = Phrasebook.load(self.path)
        except PhrasesError as error:
            return str(error)
        except Exception as error:  # noqa: BLE001 - a reload must never take the bot down
            return f"replies reload failed: {error!r}"
        vars(self).update(vars(fresh))
        return None

    # --- the two sides -----------------------------------------------------------------

    def worker(self, text: str) -> Reading:
        quote, body = split_quote(text)
        body = _without_emoji(body).strip()
        if len(body) > MAX_OFFICIAL_CHARS:
            return Reading(None, body=body, quote=quote)
        number, body = _take_number(body)
        clauses = _clauses(body)
        base = {"body": body, "number": number, "quote": quote, "clauses": tuple(c.text for c in clauses)}
        if len(body) <= MAX_REPLY_CHARS:
            reading = self._worker_words(clauses, base)
            if reading.act is not None or reading.bare:
                return reading
        return self._worker_cues(clauses, base)

    def _worker_words(self, clauses: list[_Clause], base: dict) -> Reading:
        """A short reply whose clauses are each a known phrase (or polite words)."""
        kinds = [self._kind(c, "worker", WORKER_ACTS) for c in clauses]
        acts = {k for k, _ in kinds}
        if "decline" in acts and "accept" not in acts:
            target = next((t for k, t in kinds if k == "decline" and t), None)
            note = "，".join(c.text for c, (k, t) in zip(clauses, kinds, strict=True)
                            if k not in ("polite", "ack") and not (k == "decline" and t))
            return Reading("decline", note=note, target=target, **base)
        if "done" in acts and not self._more_to_come(clauses, base["body"]):
            note = "，".join(
                c.text for c, (k, _) in zip(clauses, kinds, strict=True)
                if k in ("done", "other", "progress") and _fold(c.core) not in self._done_bare
                and not _ROOM_ONLY.fullmatch(c.core)
            )
            return Reading("done", note=note, **base)
        if "progress" in acts or "done" in acts:  # 「换好还要等胶干」: done, with more to come
            note = "，".join(c.text for c, (k, _) in zip(clauses, kinds, strict=True) if k not in ("polite", "ack"))
            return Reading("progress", note=note, **base)
        if "accept" in acts:
            return Reading("accept", **base)
        if acts == {"ack"} or acts == {"ack", "polite"}:
            return Reading("accept", bare=True, **base)
        return Reading(None, **base)

    def _worker_cues(self, clauses: list[_Clause], base: dict) -> Reading:
        """A longer message of an official, read for what it tells: a clause ending in a
        deed done (换好了, 收掉, 交上了) is done, unless more is still to come (明天再来);
        a commitment (我下午过去, 我记下了, 我让师傅来看) or an arrangement (在跟物业对接,
        他们说周一派人来) is taken as accepting it. Questions and what did not or may
        happen (没换好, 要是还没好) tell nothing. The note of a done is its deed."""
        said = [c for c in clauses if not c.question and not _ROOM_ONLY.fullmatch(c.core)]
        deeds = [c for c in said if self._cue("worker.done", c) and not _LATER.search(c.core)]
        body = base["body"]
        # 「我把门口那边弄利索了 中午前过去看看灯」: going somewhere after the deed is
        # another errand (or the rest of this one), so this one is not done yet
        after = said[said.index(deeds[0]) + 1:] if deeds else []
        going = any(
            self._cue("worker.accept", c) and _GOING.search(c.core) and not _ONGOING.search(c.core)
            for c in after
        )
        to_come = any(
            c not in deeds and _STILL_TO_COME.search(c.core) and not _NOT_SO.search(c.core) for c in said
        )
        if deeds and not going and not to_come and not self._unfinished.search(_A_NOT_A.sub("", _left_over(clauses))):
            gist = "，".join(c.text for c in deeds)
            return Reading("done", note=gist, loose=True, **base)
        if deeds or any(self._cue("worker.progress", c) for c in said):
            return Reading("progress", note=body, loose=True, **base)
        if any(self._cue("worker.accept", c) for c in said):
            return Reading("accept", note=body, loose=True, **base)
        return Reading(None, **base)

    def _more_to_come(self, clauses: list[_Clause], body: str) -> bool:
        """Besides a deed, the message says more is to come: 「还要等胶干」, 「明天再来」,
        「两点前能好」 (asking whether, 「看看还有没有」, is not)."""
        if self._unfinished.search(_A_NOT_A.sub("", _fold(body))):
            return True
        return any(
            (_STILL_TO_COME.search(c.core) and not _NOT_SO.search(c.core)) or _DAY_TO_COME.match(c.core)
            for c in clauses
        )

    def _cue(self, key: str, clause: _Clause) -> bool:
        pattern = self._cues.get(key)
        core = _WHETHER.sub("", clause.core) if key == "worker.accept" else clause.core
        return pattern is not None and not _NOT_SO.search(core) and pattern.search(clause.core) is not None

    def resident(self, text: str) -> Reading:
        quote, body = split_quote(text)
        if len(body) > MAX_REPLY_CHARS:
            return Reading(None, body=body, quote=quote)
        number, body = _take_number(body)
        clauses = _clauses(body)
        kinds = [self._kind(c, "resident", RESIDENT_ACTS) for c in clauses]
        acts = {k for k, _ in kinds}
        base = {"body": body, "number": number, "quote": quote, "clauses": tuple(c.text for c in clauses)}
        if "status" in acts:
            return Reading("status", **base)
        if "reopen" in acts:
            return Reading("reopen", note=body.strip(), **base)
        if "cancel" in acts:
            return Reading("cancel", note=body.strip(), **base)
        if "rate" in acts:
            score = next(self.score_of(c.core) for c, (k, _) in zip(clauses, kinds, strict=True) if k == "rate")
            return Reading("rate", score=score, **base)
        if acts <= {"fixed", "thanks", "polite"} and "fixed" in acts:
            return Reading("fixed", score=5, **base)
        if acts <= {"thanks", "polite"} and "thanks" in acts:
            return Reading("thanks", score=5, **base)
        return Reading(None, **base)

    def is_notice(self, text: str, *, from_official: bool) -> bool:
        """A notice to the group (【通知】, 温馨提示; from an official also 明天停水...), not a
        chat line or a report."""
        folded = _fold(text)
        if self._notice.search(folded):
            return True
        return from_official and self._official_notice.search(folded) is not None

    def responder(self, text: str) -> str | None:
        """Someone called in an emergency coming or come (「救护车来了」「燃气公司说十分钟到」):
        "in_care" when the person is in their care (拉走了, 送医院), else "coming"; None
        when the words say neither."""
        folded = _fold(text)
        if not (self._responder.search(folded) and self._coming.search(folded)):
            return None
        return "in_care" if self._in_care.search(folded) else "coming"

    def things(self, text: str) -> set[str]:
        """The things named in a reply (灯, 井盖, 电梯): 「电梯又坏了」 is not about a 井盖."""
        if self._things is None:
            return set()
        return {m.group(0) for m in self._things.finditer(_fold(text))}

    def score_of(self, text: str) -> int | None:
        """五星 -> 5, 一般 -> 3, 差评 -> 1; None when the words are no score."""
        core = _SCORE_LEAD.sub("", _fold(text))
        for score, pattern in self._scores.items():
            if pattern.fullmatch(core):
                return score
        return None

    # --- one clause ----------------------------------------------------------------------

    def _kind(self, clause: _Clause, side: str, acts: tuple[str, ...]) -> tuple[str, str | None]:
        """(act, target) of one clause; act is also "ack", "polite" or "other"."""
        variants, only_polite = self._variants(clause.core)
        if _TO_OTHERS.match(clause.core):
            return ("other", None)
        for act in acts:
            key = f"{side}.{act}"
            pattern = self._patterns.get(key)
            if pattern is None or (clause.question and key not in self._questions):
                continue
            for variant in variants:
                match = pattern.fullmatch(variant)
                if match:
                    target = next((v for k, v in match.groupdict().items() if v and k.startswith("target")), None)
                    return (act, self._trim(target) if target else None)
        if clause.question:
            return ("other", None)
        bare = self._bare.get(f"{side}.accept")
        if bare is not None and bare.fullmatch(clause.core):
            return ("ack", None)
        if only_polite or any(v in self._polite for v in variants):
            # 好的阿姨 / 收到谢谢: an acknowledgement with polite words around it
            return ("ack", None) if bare and self._ack_start.match(clause.core) else ("polite", None)
        return ("other", None)

    def _variants(self, core: str) -> tuple[list[str], bool]:
        """The clause, then with polite words taken off its start and end (most stripped
        last); and whether nothing but polite words is left once they are off."""
        seen: list[str] = [core]
        text = core
        for _ in range(4):
            shorter = self._after.sub("", self._before.sub("", text))
            if not shorter:
                return seen, True
            if shorter == text:
                break
            if shorter not in seen:
                seen.append(shorter)
            text = shorter
        return seen, False

    def _trim(self, target: str) -> str:
        return self._after.sub("", target).strip()


@dataclass(frozen=True)
class _Clause:
    text: str  # as written
    core: str  # folded (NFKC, lower case)
    question: bool


def split_quote(text: str) -> tuple[Quote | None, str]:
    """(the quoted message, the reply) of a WeChat quote-reply; (None, text) otherwise."""
    parts = quote_parts(text)
    if parts is None:
        return None, _clean(text or "")
    who, quoted, reply = parts
    return Quote(who, quoted), _clean(reply)


def reply_part(text: str) -> str:
    """The reply of a quote-reply as written (@-mentions kept); the whole text otherwise."""
    parts = quote_parts(text)
    return parts[2] if parts else (text or "")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _MENTION.sub(" ", text).strip()


def _without_emoji(text: str) -> str:
    """A worker's [抱拳] or 🙏 says nothing about the ticket."""
    return _EMOJI.sub(" ", text)


def _take_number(text: str) -> tuple[int | None, str]:
    match = _NUMBER.search(text)
    if match is None:
        return None, text
    digits = next(g for g in match.groups() if g)
    rest = (text[: match.start()] + " " + text[match.end():]).strip()
    return int(digits), rest


def _left_over(clauses: list[_Clause]) -> str:
    """The clauses that may tell of work still to do: 「楼道还有湿的地方，大家慢点走」 warns
    everyone of what is left after the deed (a caution), it is not more work to come."""
    kept = [
        c.core for i, c in enumerate(clauses)
        if not _CAUTION.match(c.core)
        and not (i + 1 < len(clauses) and _CAUTION.match(clauses[i + 1].core))
    ]
    return "，".join(kept)


def _clauses(body: str) -> list[_Clause]:
    out = []
    for piece in re.finditer(r"[^，,。.！!；;、~～…\s\u2005\u3000?？]+[?？]*", body):
        raw = piece.group(0)
        question = bool(_QUESTION_END.search(raw))
        text = raw.rstrip("?？")
        core = _fold(text)
        if not core:
            continue
        out.append(_Clause(text, core, question or bool(_QUESTION_WORD.search(core))))
    return out


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _alternation(words: list[str]) -> str:
    ordered = sorted({_fold(w) for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in ordered) + ")"


def _words_regex(words: list[str], *, at: str) -> re.Pattern:
    body = _alternation(words)
    return re.compile(f"^{body}+" if at == "start" else f"{body}+$")


def _compile_all(patterns: list[str], concepts: dict[str, str], where: str) -> re.Pattern:
    """The patterns as the alternatives of one expression; a (?P<target>...) group becomes
    target0, target1... When it cannot be made, each is checked on its own, so the error
    names the pattern (compiled once each only then: start-up does not pay twice)."""
    try:
        parts = []
        for i, pattern in enumerate(patterns):
            expanded = _PLACEHOLDER.sub(lambda m: concepts[m.group(1)], unicodedata.normalize("NFKC", pattern))
            parts.append("(?:" + expanded.replace("(?P<target>", f"(?P<target{i}>") + ")")
        return re.compile("|".join(parts))
    except (KeyError, re.error):
        for pattern in patterns:
            _compile(pattern, concepts, where)  # raises for the first one that is wrong
        raise


def _compile(pattern: str, concepts: dict[str, str], where: str) -> re.Pattern:
    def expand(match: re.Match) -> str:
        name = match.group(1)
        if name not in concepts:
            raise PhrasesError(f"{where}: unknown concept {{{name}}} in {pattern!r}")
        return concepts[name]

    try:
        return re.compile(_PLACEHOLDER.sub(expand, unicodedata.normalize("NFKC", pattern)))
    except re.error as error:
        raise PhrasesError(f"{where}: {pattern!r}: {error}") from error


@lru_cache(maxsize=8)
def _compiled(text: str, name: str) -> Phrasebook:
    """The phrasebook of a file's text. The same text compiles once (≈50 ms): every
    Application of a test run, and a reload of an unchanged file, share it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PhrasesError(f"{name}: TOML syntax error: {error}") from None
    try:
        return Phrasebook(data)
    except PhrasesError as error:
        raise PhrasesError(f"{name}: {error}") from None
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise PhrasesError(f"{name}: not the shape of a phrases file: {error!r}") from None


@cache
def default() -> Phrasebook:
    """The phrasebook of the package's own replies.toml, read once."""
    return Phrasebook.load()
