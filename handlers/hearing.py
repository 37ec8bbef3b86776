"""A resident's message as heard: its words with the pieces its sender typed just before,
what it is about, where, and what kind of saying it is (an echo, a story of then, advice,
a question after something, word that it is still not right...).

Reading only: nothing here decides which incident a message belongs to
(handlers/matching.py) nor writes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers import places
from handlers.chase import ASKING_AFTER, QUESTION
from handlers.context import Context
from handlers.directory import ROLE_AFTER_NAME
from handlers.messages import IncomingMessage
from handlers.posts import ORGANISATION_NAME
from intents import place_of_quote, subjects_of
from intents.model import Classification
from intents.phrases import phrase, set_of
from storage import InboxRow

# How long things hold together in a group chat (seconds).
PIECE_GAP = 5 * 60  # one sender's messages this close are one report
MAX_PIECES = 4
ANSWERED_WINDOW = 5 * 60  # a neighbour's remark answers a message this recent ...
ANSWERED_MESSAGES = 6  # ... and at most this many messages back
MENTION_CHARS = 40  # the longest display name looked for after an @
# A question put to the neighbours ("有人知道幼儿园几点放学吗"), not after one's report.
ASKING_NEIGHBOURS = phrase("hearing.asking_neighbours")
# A complaint that can be a neighbour's doing (made a quarrel when said to them).
NUISANCES = frozenset({"sanitation", "safety", "repair", "dispute"})
# Speaking to someone of what is theirs: 你家的狗, 你那车, 你自己管管.
YOU = phrase("hearing.you")
# Said to the face of the one spoken to, in a quarrel: 「堵你嘛了」, 「你那车」, 「你管得着吗」.
YOU_SAID = phrase("hearing.you_said", r"你(?!%s)")
QUARREL_SECONDS = 15 * 60  # an exchange of words this recent, after one called the other out
QUARREL_MESSAGES = 20
# Said to someone, of them ("秀兰奶奶您也是一个人住"): no "me too".
TO_SOMEONE = phrase("hearing.to_someone")
# Speaking of oneself: an answer that does is also one's own word.
SELF = phrase("hearing.self")
# Word that it is still not right: 还是没水, 还在滴, 又堵了.
STILL = phrase("hearing.still")
# The same thing worse than when it was told (滴得更邪乎, 越来越大, 比早上快多了), or told as what
# someone said earlier (老齐早上说的, 我上午说那个): that incident grown, not another.
WORSE = phrase("hearing.worse")
# Taking up what was just done as the way to do it (都该这么整, 早该这样弄, 就得这么办): a word
# on that work, even when it goes on to name more of the same (楼道窗户也是破的).
AS_DONE = phrase("hearing.as_done")
# Saying the same of oneself: 我家也, +1, 一样... (an echo even in words that name no need).
ECHO = phrase("hearing.echo")
# A supply out or weak (没水, 水就一点点, 光出气, 停电, 暖气不热): what a building lacks at once, or
# several fed by one pump, cable or main.
OUTAGE = phrase("hearing.outage")
# ... and in words that name nothing at all, only with "too" said ("我家孩子要上学" is not).
TOO = phrase("hearing.too")
# Wanting the same thing too, without naming it: 「也想要一个」, 「也装一个」, 「也弄个一样的」.
ONE_TOO = phrase("hearing.one_too", r"也[^\s，,。.!！?？]{0,3}?(?:%s)(?=$|[^\u4e00-\u9fff]|[吧呗啊呀嘛呢哈])")
# Agreeing with what was just said, as the first word: 「就是 我这小卖部门口全是…」.
AGREE = phrase("hearing.agree", r"^\s*(?:%s)(?=[\s,，.。!！~～]|$)")
# Seconding a proposal just made, as the first word: 「要得 搞个四点半课堂…」, 「支持 …」.
SECONDS = phrase("hearing.seconds", r"^\s*(?:%s)(?=[\s,，.。!！~～]|$)")
# Saying a thing works: "1单元电梯正常的", "6栋水好好的" — where a problem is not.
WORKS = phrase("hearing.works")
# Telling of then, not of now: "前年东边宿舍就是电瓶车烧起来", "以前说要建车棚说了好几年",
# "后来放了个粘鼠板抓到两只"; or one heard of elsewhere: the news, a video ("新闻里…").
THEN = phrase("hearing.then")
# Long ago: a memory of other years ("记得去年那回冻得7栋水表都爆了"), not a fault of these days.
LONG_AGO = phrase("hearing.long_ago")
# Told of somewhere else, of someone else's (「我大哥在唐山那小区 垃圾七天没拉」, 「我们老家那边」):
# a story, not a need of this estate.
ELSEWHERE = phrase("hearing.elsewhere")
NOW = phrase("hearing.now")
# A reporter turning to another matter: 另外, 顺便, 还有个事, 灯也不亮...
ANOTHER_MATTER = phrase("hearing.another_matter")
# A clause of what one thought, or of next time: it asks after nothing now.
NOT_ASKING = phrase("hearing.not_asking")
# Supposing, not telling: "要是着火了怎么办", "万一摔了" — no danger now, whatever the words;
# nor is wondering what to do ("是不是得放放气", "是不是该找物业"): a neighbour thinking along.
SUPPOSING = phrase("hearing.supposing")
# A guess at why (「是不是外头修路把管子挖断了」, 「会不会是泵坏了」), as the first words.
GUESS = phrase("hearing.guess", r"^\s*(?:%s)")
# Telling others what not to do (「楼上的别往池子里倒油了」, 「大家不要再往下水道扔东西」).
DONT = phrase("hearing.dont")
# Telling everyone what to mind (「晚上冲凉要注意」, 「别在浴室里晕倒了」), with what might happen.
ADVICE = phrase("hearing.advice")
# What a smell of smoke or burning turns out to be when nothing is on fire: a stall or a
# grill, cooking, burning paper or leaves, fireworks, a boiler's chimney, steam, a drill.
HARMLESS_SMOKE = phrase("hearing.harmless_smoke")
# Said outright that nothing is wrong (「没着火」, 「虚惊一场」, 「是演练」).
NOTHING_WRONG = phrase("hearing.nothing_wrong")
# Asked, not told: 「是不是烧烤的？」, 「烤红薯的吗」.
ASKED = phrase("hearing.asked")
# Two characters of Chinese (or digits): the pieces two texts may share.
HAN_PAIR = re.compile(r"[\u4e00-\u9fff0-9]{2}")

@dataclass(frozen=True)
class Heard:
    """A resident's message as understood with what the same sender said just before."""

    text: str  # what was classified: the pieces and this message
    c: Classification
    place_key: str | None  # the place, completed with the building in the sender's name
    subjects: frozenset[str]
    before: tuple[InboxRow, ...]  # the sender's unused messages just before (photos too)
    pieces_used: bool  # their words were read into this one

    @property
    def pieces(self) -> tuple[InboxRow, ...]:
        """What this message brings along when it joins an incident: the photos just
        before it, and the words read into it."""
        return tuple(p for p in self.before if self.pieces_used or p.reading == "photo")

    @property
    def is_need(self) -> bool:
        return self.c.opens_ticket


def hear(ctx: Context, msg: IncomingMessage, text: str, *, pieces: bool = True) -> Heard:
    text = without_mentions(ctx, text)
    c = ctx.classifier.classify(text)
    before = tuple(_pieces(ctx, msg)) if pieces else ()
    # 「好滴 辛苦辛苦」 answers someone (a notice, a neighbour): no last piece of a report
    # (asked only when there are pieces: most messages have none)
    if before and _acknowledges(ctx, text):
        before = ()
    said = [p for p in before if p.text.strip()]
    used, heard_text = c, text
    sure = ctx.settings.classifier.min_confidence
    if said and (not c.opens_ticket or c.confidence < sure or c.place is None):
        joined = " ".join([without_mentions(ctx, p.text) for p in said] + [text])
        cj = ctx.classifier.classify(joined)
        better = cj.opens_ticket and cj.confidence >= sure and (
            not c.opens_ticket or c.confidence < sure or (c.place is None and cj.place is not None)
        )
        if better:
            used, heard_text = cj, joined
    if used.intent in NUISANCES and (blames_a_neighbour(ctx, msg) or answers_back(ctx, msg, heard_text)):
        used = replace(used, intent="dispute")  # "@3栋王 你家的狗…": a quarrel begins
    whose = msg.sender_name
    if used.place is None and msg.quote is not None:
        # a quote-reply that names no place is about the quoted message's place
        quoted = place_of_quote(msg.quote.sender_name, msg.quote.text)
        if quoted is not None:
            used, whose = replace(used, place=quoted), msg.quote.sender_name
    return Heard(
        text=heard_text, c=used, place_key=places.in_building(places.place_key(used.place, whose), heard_text),
        subjects=subjects_of(heard_text), before=before, pieces_used=heard_text != text,
    )


def as_remark(heard: Heard) -> Heard:
    """The message read as a remark: no need of its own, no place of its own."""
    c = replace(heard.c, intent="none", urgent=False, emergency=None)
    return replace(heard, c=c, place_key=None)


def says_it_works(heard: Heard) -> bool:
    """It says a thing works ("1单元电梯正常的", "6栋有水 水压好好的"), not that it broke."""
    return bool(heard.subjects) and not heard.c.urgent and bool(WORKS.search(heard.text)) and not (
        STILL.search(heard.text)
    )


def tells_of_then(heard: Heard) -> bool:
    """A story of the past ("前年东边宿舍就是电瓶车烧起来"), with nothing said of now."""
    return (
        bool(heard.subjects) and not heard.c.urgent and bool(THEN.search(heard.text))
        and not NOW.search(heard.text)
    )


def remembers(heard: Heard) -> bool:
    """A memory of long ago with nothing said of now or of still ("记得去年那回冻得7栋水表都爆了
    楼道里淌了一地的水"): a story, no report, whatever its words name."""
    return (
        tells_of_then(heard) and bool(LONG_AGO.search(heard.text))
        and not STILL.search(heard.text) and "又" not in heard.text  # 去年修过的水管又爆了: now
    )


def tells_of_elsewhere(heard: Heard) -> bool:
    """A story of another place, someone else's (「我大哥在唐山那小区 垃圾七天没拉 最后上了电视
    才有人管」), with nothing said of now nor of a place here: no need of this estate's, and
    not news of one of its incidents."""
    return (
        not heard.c.urgent and not heard.place_key and bool(ELSEWHERE.search(heard.text))
        and not NOW.search(heard.text) and not STILL.search(heard.text)
    )


def asks_after(text: str) -> bool:
    """Asking after it (有人管吗, 什么时候来水) — not in a clause of what one thought or what
    should be next time ("不然大家以为没人管", "以后车坏了提前讲一声")."""
    said = [c for c in re.split(r"[\s,，.。!！;；]+", text) if c and not NOT_ASKING.search(c)]
    return any(ASKING_AFTER.search(c) for c in said)


def tells_harmless(text: str) -> bool:
    """Told, not asked or guessed, that a smell of smoke is something harmless (「烤红薯的
    北门那个摊」) or that nothing is on fire (「没着火 虚惊一场」)."""
    if ASKED.search(text) or GUESS.search(text):
        return False
    return bool(HARMLESS_SMOKE.search(text) or NOTHING_WRONG.search(text))


def supposes(heard: Heard) -> bool:
    """What might happen ("要是着火了怎么办", "万一摔了"), with nothing said of now."""
    return bool(SUPPOSING.search(heard.text)) and not NOW.search(heard.text)


def advises(heard: Heard) -> bool:
    """Advice to everyone on what might happen ("要是家里有老人 晚上冲凉要注意"), naming no
    place: no need of anyone's, whatever the words."""
    return supposes(heard) and not heard.place_key and bool(ADVICE.search(heard.text))


def guesses_or_warns(heard: Heard) -> bool:
    """A guess at why (「是不是外头修路把管子挖断了」) or telling others what not to do (「楼上的
    别往池子里倒剩饭倒油了 都是这么堵的」), naming no building: talk of something, no need of
    the speaker's. Not danger now."""
    if heard.c.urgent or places.building_where(heard.place_key, "") is not None:
        return False
    return bool(GUESS.match(heard.text) or DONT.search(heard.text))


def shared_words(a: str, b: str) -> int:
    """How many two-character pieces of Chinese two texts share (words like 这个 aside)."""
    def pieces(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1) if HAN_PAIR.fullmatch(text[i:i + 2])}
    return len((pieces(a) & pieces(b)) - set_of("hearing.common_pairs"))


def answers_a_question(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A neighbour just asked what might happen ("要是电梯半路掉下去怎么办"), and this answers
    them ("电梯有安全钳的 不会直接掉下去"): asking nothing, saying nothing of oneself."""
    if msg.room_id is None or QUESTION.search(heard.text) or SELF.search(heard.text) or heard.c.urgent:
        return False
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - ANSWERED_WINDOW, before=msg.message_id, limit=2
    )
    others = [r for r in rows if r.sender_id != msg.sender_id]
    asked = others[-1] if others and others[-1] is rows[-1] else None
    return asked is not None and bool(QUESTION.search(asked.text) and SUPPOSING.search(asked.text)) and not (
        is_official(ctx, asked.sender_name)
    )


# Thanking someone by name, first: 「谢谢豆豆奶奶 放在…」.
# (a thanks and nothing more is chat anyway: only one that goes on is read further)
THANKS_NAMED = phrase("hearing.thanks_named", r"^\s*(?:%s)(?:你|您)?\s*(\S{1,6}?)(?:了|哈|啊|呀)?[\s,，.。!！~～]+\S")
# A neighbour taking up a favour asked: 「我送豆豆 帮你带」, 「我顺路 我给你拿」.
OFFERS = phrase("hearing.offers")
FAVOUR_WINDOW = 10 * 60


def favour_taken_up(ctx: Context, msg: IncomingMessage) -> bool:
    """The sender thanks by name a neighbour who has just offered to do what they asked
    (「有没有人去幼儿园 帮我带下水杯」 / 「我送豆豆 帮你带」 / 「谢谢豆豆奶奶 放在门卫那儿的」):
    a favour between neighbours, settled among them — no need for the grid."""
    thanked = THANKS_NAMED.match(msg.text or "")
    if msg.room_id is None or thanked is None:
        return False
    name = thanked.group(1)
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(msg.room_id, since=at - FAVOUR_WINDOW, before=msg.message_id, limit=10)
    return any(
        r.sender_id != msg.sender_id and name in (r.sender_name or "") and bool(OFFERS.search(r.text or ""))
        and not is_official(ctx, r.sender_name or "")
        for r in rows
    )


def _acknowledges(ctx: Context, text: str) -> bool:
    """Nothing but 收到 / 好的 / 谢谢 / 辛苦了."""
    return ctx.phrases.worker(text).bare or ctx.phrases.resident(text).act == "thanks"


def blames_a_neighbour(ctx: Context, msg: IncomingMessage) -> bool:
    """A complaint said to a neighbour: an @ of someone who is not an official nor the
    bot, and "you" ("你家的狗", "你那车", "管管")."""
    if not YOU.search(msg.text):
        return False
    known = ctx.directory.official_names() | {ctx.directory.bot_name}
    for at in re.finditer(r"[@＠]", msg.text):
        rest = msg.text[at.end():at.end() + MENTION_CHARS]
        if rest and not any(rest.startswith(n) for n in known):
            return True
    return False


def answers_back(ctx: Context, msg: IncomingMessage, text: str) -> bool:
    """Two neighbours trading words at each other (「你停楼门口堵着道 还有理了？」 to 「堵你嘛了
    你那车往后倒倒不就出去了」) after one called the other out by name (「@大刘 17号楼 是你的不
    赶紧下来挪一下」): a complaint said to the face of the one who answered back is a quarrel,
    whatever the thing it is over. Banter (「你还嘚瑟」) calls nobody out."""
    if "你" not in text or msg.room_id is None:
        return False
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - QUARREL_SECONDS, before=msg.message_id, limit=QUARREL_MESSAGES
    )
    known = ctx.directory.official_names()
    mine = [r.text for r in rows if r.sender_id == msg.sender_id] + [msg.text]
    for other in {r.sender_name for r in rows if r.sender_id != msg.sender_id and r.sender_name not in known
                  and YOU_SAID.search(r.text) and r.sent_at >= at - PIECE_GAP}:
        theirs = [r.text for r in rows if r.sender_name == other]
        if _calls(mine, other) or _calls(theirs, msg.sender_name):
            return True
    return False


def _calls(texts: list[str], name: str) -> bool:
    """One of these texts @s this person (by their display name, or its first word)."""
    names = {name, name.split()[0]} if name.split() else {name}
    return any(f"{m}{n}" in t for t in texts for n in names if len(n) >= 2 for m in "@＠")


def without_mentions(ctx: Context, text: str) -> str:
    """The text without its @-mentions: "@青年路物业-老郑 电梯还停着" names no place, and
    "@17栋 段红梅" is a person, not a building. A mention runs to the end of a known name
    (display names have spaces), else to the next space."""
    if "@" not in text and "＠" not in text:
        return text
    known = set(ctx.directory.official_names())
    out, i = [], 0
    while i < len(text):
        if text[i] not in "@＠":
            out.append(text[i])
            i += 1
            continue
        rest = text[i + 1:i + 1 + MENTION_CHARS]
        name = max((n for n in known if rest.startswith(n)), key=len, default=None)
        name = name or ctx.store.seen.name_at_start(rest)
        end = i + 1 + len(name) if name else i + 1 + len(re.match(r"[^\s\u2005]*", rest).group(0))
        role = ROLE_AFTER_NAME.match(text, end) if name else None  # @王秀英(网格员)
        i = role.end() if role else end
        while i < len(text) and text[i] in " \u2005":
            i += 1
        out.append(" ")
    return "".join(out).strip()


def _pieces(ctx: Context, msg: IncomingMessage) -> list[InboxRow]:
    """The sender's messages just before this one that are still unused: a report typed in
    pieces, each within a few minutes of the next."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - PIECE_GAP * MAX_PIECES, before=msg.message_id,
        sender_id=msg.sender_id,
    )
    chain: list[InboxRow] = []
    after = at
    for row in reversed(rows):
        if after - row.sent_at > PIECE_GAP or row.ticket_id is not None:
            break
        if row.reading not in ("chatter", "photo"):
            break
        chain.append(row)
        after = row.sent_at
        if len(chain) >= MAX_PIECES:
            break
    return chain[::-1]


def is_official(ctx: Context, name: str) -> bool:
    return name in ctx.directory.official_names() or bool(ORGANISATION_NAME.search(name))


def says_same(text: str) -> bool:
    """"+1", "我家也是", "一样": the same of oneself ("我家孩子…" is not; "你家…" is said
    to someone)."""
    return bool(ECHO.search(text) and TOO.search(text)) and not YOU.search(text)
