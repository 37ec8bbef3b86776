"""The bot's questions and their answers: which ticket did you mean, where do you live.

One open question per person, kept in storage (a restart does not forget it), asked
privately and briefly. The next message of that person is first read as its answer: 「1」,
「#2」, 「井盖那个」, 「青年路社区」. A message that is no answer to "which ticket" drops
the question and is read as usual; "where do you live" is asked once more, and then the
report goes to the admins (handlers/unplaced.py).
"""

from __future__ import annotations

import re
import unicodedata

from handlers.context import Context
from handlers.directory import Grid
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import QUESTIONS as TEXTS
from intents.phrases import phrase
from storage import Ticket
from storage.records import Question

VALID_SECONDS = 2 * 3600
MAX_OPTIONS = 5
_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "头": 1, "前": 1, "后": -1, "最后": -1}
_FILLER = phrase("questions.filler", r"(%s)")
_GENERIC = re.compile(r"(社区|网格|小区|居民群|楼栋群|群|第|号楼|栋|我住|我家|住在|在|的|我)")
# What many compounds are called: sharing one of these says nothing of which compound.
_KINDS_OF_PLACE = ("花园", "新村", "家园", "公寓", "大厦", "花苑", "嘉园", "雅苑", "名苑", "新城",
                   "小区", "广场", "公馆", "山庄", "一期", "二期", "三期")


def asker(msg: IncomingMessage) -> Person:
    return Person(name=msg.sender_name, id=msg.sender_id)


# --- which ticket? ------------------------------------------------------------------------


def ask_which(
    ctx: Context, msg: IncomingMessage, act: str, candidates: tuple[Ticket, ...], payload: dict
) -> list[Outgoing]:
    shown = candidates[:MAX_OPTIONS]
    ctx.store.seen.ask(
        msg.sender_id, "which", act, {**payload, "tickets": [t.id for t in shown]}, msg.room_id,
        ctx.ts,
    )
    options = TEXTS["or"].join(TEXTS["option"].format(id=t.id, brief=brief(t)) for t in shown)
    return [Outgoing(text=TEXTS["which"].format(options=options), to=asker(msg))]


def brief(ticket: Ticket) -> str:
    text = " ".join(ticket.masked_text.split())
    return text[:12] + ("…" if len(text) > 12 else "")


def which_answer(ctx: Context, question: Question, text: str) -> int | None:
    """The ticket number an answer picks: its number, its place in the list, or words of
    its text (「井盖那个」)."""
    ids = list(question.payload.get("tickets", []))
    bare = unicodedata.normalize("NFKC", text).strip().strip("。.!！?？ ")
    digits = re.fullmatch(r"[#＃]?\s*(\d{1,9})\s*(号|个|张|单|号单)?", bare)
    if digits:
        n = int(digits.group(1))
        if n in ids:
            return n
        return ids[n - 1] if 1 <= n <= len(ids) else None
    ordinal = re.fullmatch(r"第?(一|二|两|三|四|五|头|前|后|最后)(个|张|件|单)?(那个)?", bare)
    if ordinal:
        n = _ORDINALS[ordinal.group(1)]
        return ids[n - 1] if 1 <= n <= len(ids) else ids[-1] if n == -1 and ids else None
    key = _FILLER.sub("", bare)
    if not key or len(key) > 12:
        return None
    tickets = [t for t in (ctx.store.tickets.get(i) for i in ids) if t is not None]
    found = [t.id for t in tickets if key in t.masked_text or (t.location and key in t.location)]
    return found[0] if len(found) == 1 else None


# --- where do you live? -------------------------------------------------------------------
# The conversation itself (asking, asking once more, handing over) is handlers/unplaced.py.

_BUILDING = re.compile(r"(\d{1,4})\s*(?:号楼|号|栋|幢|座)")
_BUILDINGS = re.compile(r"(\d{1,4})\s*(?:[-~～—至到]\s*(\d{1,4}))?\s*(?:号楼|栋|幢|座)")
# A number in Chinese before a building word or a range's dash: 五号楼, 十二栋, 七至十二号楼.
_CN_BUILDING = re.compile(r"[零〇一二两三四五六七八九十百]+(?=\s*(?:号楼|号|栋|幢|座|[-~～—至到]))")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


def arabic_buildings(text: str) -> str:
    """Building numbers said in Chinese written in digits (五号楼 -> 5号楼, 十二栋 -> 12栋,
    一百零五号 -> 105号); other words with numerals (第一网格, 一期) are left as they are."""
    def digits(match: re.Match) -> str:
        value = _cn_number(match.group(0))
        return match.group(0) if value is None else str(value)

    return _CN_BUILDING.sub(digits, text)


def _cn_number(word: str) -> int | None:
    """十二 -> 12, 二十三 -> 23, 一百零五 -> 105; a run of digits alone is read digit by
    digit (一二 -> 12)."""
    if all(ch in _CN_DIGITS for ch in word):
        return int("".join(str(_CN_DIGITS[ch]) for ch in word))
    total, digit = 0, None
    for ch in word:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "十":
            total += (1 if digit is None else digit) * 10
            digit = None
        elif digit is not None:  # 百
            total += digit * 100
            digit = None
        else:
            return None
    return total + (digit or 0)


def where_answer(ctx: Context, question: Question, text: str) -> list[Grid]:
    """The grids an answer may mean: one when it is clear, several when it names a
    community of several grids, none when it is no answer. A number picks an option only
    when the question listed numbered options; a building (5号楼) decides between grids of
    one community when only one of them says it has it (a group 「青年路1-6号楼楼栋群」)."""
    grids = [g for g in (ctx.directory.grid(i) for i in question.payload.get("grids", [])) if g]
    bare = unicodedata.normalize("NFKC", text).strip().strip("。.!！?？ ")
    digits = re.fullmatch(r"(\d{1,2})\s*(号|个)?", bare)
    if digits and question.payload.get("numbered", True):
        n = int(digits.group(1))
        return [grids[n - 1]] if 1 <= n <= len(grids) else []
    scored = [(max(_overlap(bare, name) for name in _names(ctx, g)), g) for g in grids]
    best = max((s for s, _ in scored), default=0)
    named = [g for s, g in scored if s == best] if best >= 2 else []
    one_community = len({g.community_id for g in grids}) == 1
    candidates = named or (grids if one_community else [])
    building = _BUILDING.search(arabic_buildings(bare))
    if len(candidates) > 1 and building is not None:
        having = [g for g in candidates if _has_building(g, int(building.group(1)))]
        if len(having) == 1:
            return having
    return named


def _has_building(grid: Grid, number: int) -> bool:
    for name in (grid.name, *grid.rooms):
        for match in _BUILDINGS.finditer(arabic_buildings(unicodedata.normalize("NFKC", name))):
            first, last = int(match.group(1)), int(match.group(2) or match.group(1))
            if first <= number <= last:
                return True
    return False


def _names(ctx: Context, grid: Grid) -> list[str]:
    community = ctx.directory.community(grid.community_id)
    return [grid.name, *grid.rooms] + ([community.name] if community else [])


def _overlap(answer: str, name: str) -> int:
    """The longest run of characters the answer shares with a name, generic words aside
    (阳光花园 and 滨河花园 share only the kind of place)."""
    a, b = _GENERIC.sub(" ", answer), _GENERIC.sub(" ", name)
    best = 0
    for i in range(len(a)):
        for j in range(i + 1, len(a) + 1):
            piece = a[i:j]
            if " " in piece or piece not in b:
                break
            if j - i > best and not any(piece in word for word in _KINDS_OF_PLACE):
                best = j - i
    return best


# --- the open question --------------------------------------------------------------------


def pending(ctx: Context, msg: IncomingMessage) -> Question | None:
    """This person's open question, if it is still fresh (a stale one is dropped)."""
    question = ctx.store.seen.question(msg.sender_id)
    if question is None:
        return None
    if ctx.ts - question.at > VALID_SECONDS:
        ctx.store.seen.clear_question(msg.sender_id)
        return None
    return question
