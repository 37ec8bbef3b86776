"""A message read as part of its room's conversation, not on its own.

Before a message may open a ticket, it is read against what the room has just said:

- who speaks and in what form (handlers/posts.py): the property company's notices and
  updates, shops' ads, 接龙 lists, forwards and red packets open nothing; an official's
  update on an open incident goes on that incident's timeline;
- a photo joins its sender's report (or waits for the report that follows it);
- one sender's consecutive messages are one report ("网格员在吗" / "我们12栋楼下" /
  "井盖又没了": the place from the first, the fault from the last);
- a reporter speaking again of their own incident adds a detail (quietly) or asks after
  it (a short answer with its number and state; the worker is reminded privately);
- anyone else's message about an open incident of the room joins it: a quote-reply of
  one of its messages, a quarrel's next line, or the same subject (water, the lift...)
  at a compatible place, or — naming neither — the incident just being discussed. A
  different subject, place or building is a different incident.

Only what is none of these is a possible new report (handlers/report.py). A joined
resident becomes one of the incident's reporters, told of it once (in one short post for
all who joined since the last one, when that has scrolled away) and again when it is done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from handlers import brief, chase, flood, lifecycle, notify, report, sla
from handlers.chase import ASKING_AFTER, QUESTION
from handlers.context import Context
from handlers.directory import Grid, Identity
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.posts import ORGANISATION_NAME, TRADE_NAME, Form, Speaker, form_of, speaker_of
from handlers.texts import CONVERSATION as TEXTS
from intents import extract_place, normalize_place, subjects_of
from intents.model import INTENT_NAMES_ZH, Classification
from storage import OPEN_STATES, InboxRow, Ticket, TicketState

# How long things hold together in a group chat (seconds).
PIECE_GAP = 5 * 60  # one sender's messages this close are one report
DETAIL_WINDOW = 30 * 60  # a reporter's additions this soon after their last word are details
THREAD_WINDOW = 20 * 60  # a remark naming no place nor subject joins the incident just discussed
SUBJECT_WINDOW = 6 * 3600  # an incident gathers echoes of its subject this long after its last one
PLACE_WINDOW = 24 * 3600  # ... and reports at its place this long
DISPUTE_WINDOW = 60 * 60  # a quarrel is one thread while its lines keep coming
JUST_DONE_WINDOW = 60 * 60  # a reporter's word on their incident this soon after it was done
ANSWER_GAP = 2 * 3600  # one answer about an incident per room in this time
TELL_GAP = 2 * 3600  # at most one "also recorded" post per incident and room in this time
PERSON_GAP = 12 * 3600  # at most one answer per person and incident in half a day
SCROLLED = 30  # messages after which the bot's last post about an incident is out of sight
MAX_PIECES = 4
ANSWERED_WINDOW = 5 * 60  # a neighbour's remark answers a message this recent ...
ANSWERED_MESSAGES = 6  # ... and at most this many messages back
FAQ_THREAD = 10 * 60  # the talk after a question the FAQ answered
MENTION_CHARS = 40  # the longest display name looked for after an @

# What an incident's reporters said of it, which tells what it is about.
GATHERED = ("echo", "report", "detail", "follow_up")
# Subjects that concern a whole building: another unit of it is the same incident.
BUILDING_WIDE = frozenset({"water", "power", "heating", "gas"})
# Intents that are a person's own request: never merged into a fault of the same subject.
OWN_REQUESTS = frozenset({"errand", "wish"})
# Asking for something (an answer, a wish, help): the same request only about the same thing.
ASKED_FOR = frozenset({"inquiry", "wish", "errand"})
# A question put to the neighbours ("有人知道幼儿园几点放学吗"), not after one's report.
ASKING_NEIGHBOURS = re.compile(r"有人知道|有谁知道|谁知道|有没有人知道|大家知道|问下大家|请问大家")
# What a reply to an official's notice asks of them (they answer it): a question, a wish.
ASKED_OF_OFFICIALS = frozenset({"inquiry", "wish"})
# A complaint that can be a neighbour's doing (made a quarrel when said to them).
NUISANCES = frozenset({"sanitation", "safety", "repair", "dispute"})
# Speaking to someone of what is theirs: 你家的狗, 你那车, 你自己管管.
YOU = re.compile(r"你家|你们家|你那|你这|你的|你自己|管管|管好")
# Said to someone, of them ("秀兰奶奶您也是一个人住"): no "me too".
TO_SOMEONE = re.compile(r"[你您]也|[你您]们也|您家|您的|您那")
# Speaking of oneself: an answer that does is also one's own word.
SELF = re.compile(r"[我俺咱]")
# Speaking to the officials by title: "陈主任 ...", "网格员在吗", "社区的同志" — the title
# said as a call, not as a word of the sentence ("明天社区上班了…", "我们社区…").
ADDRESS = re.compile(
    r"^\s*@?\S{0,3}(?:主任|书记|网格员|社工|社区(?:的?(?:同志|领导|工作人员|干部))?)"
    r"(?=$|[\s,，.。:：!！?？~]|在|呢|吗|您|你|好|呀|啊|帮|快|麻烦|请)"
)
# Word that it is still not right: 还是没水, 还在滴, 又堵了.
STILL = re.compile(r"还是|还没|还在|还不|依然|仍然|又[坏堵停漏没黑响叫吵]|照样")
# Saying the same of oneself: 我家也, +1, 一样... (an echo even in words that name no need).
ECHO = re.compile(r"[我俺]们?也|也[是没停坏不有]|\+1|同样|一样|我家|我们家|我屋|我这|我们这|我们楼|我们单元|俺家")
# ... and in words that name nothing at all, only with "too" said ("我家孩子要上学" is not).
TOO = re.compile(r"也|\+1|同样|一样|同上")
# Saying a thing works: "1单元电梯正常的", "6栋水好好的" — where a problem is not.
WORKS = re.compile(r"(?<![不没])正常|好好的|能用|没坏")
# Spots under or in a building, not a building of their own.
SPOT_OF_BUILDING = re.compile(r"(地下)?(车库|地库|地下室|负一楼|负一层)(里|下面)?")
# Telling of then, not of now: "前年东边宿舍就是电瓶车烧起来", "以前说要建车棚说了好几年",
# "后来放了个粘鼠板抓到两只"; or one heard of elsewhere: the news, a video ("新闻里…").
THEN = re.compile(r"前年|去年|以前|那年|当年|小时候|几年前|上回|上次|那会|后来|上礼拜|上个礼拜|上周|上个月|新闻|视频里|网上|抖音")
NOW = re.compile(r"今天|现在|刚才|刚刚|今早|今晚|早上|昨晚|昨天|这两天|这几天|马上|又[坏堵停漏没黑响]|还在|还没")
# A reporter turning to another matter: 另外, 顺便, 还有个事, 灯也不亮...
ANOTHER_MATTER = re.compile(r"另外|顺便|再说个|还有个|还有一[个件]|也[坏不没停堵漏黑]")
# A clause of what one thought, or of next time: it asks after nothing now.
NOT_ASKING = re.compile(r"以为|不然|以后|下次|下回|要是|如果")
# Supposing, not telling: "要是着火了怎么办", "万一摔了" — no danger now, whatever the words.
SUPPOSING = re.compile(r"要是|如果|万一|假如|假使|哪天")
# Telling everyone what to mind (「晚上冲凉要注意」, 「别在浴室里晕倒了」), with what might happen.
ADVICE = re.compile(r"注意|小心|留心|留意|记得|一定要|千万|别[^人]|不要")
# The estate in a room's name: 「滨河花园一网格群」 is 滨河花园.
ESTATE = re.compile(r"^(.{2,10}?)(?:[一二三四五六七八九十\d]+网格|[\d-]+号楼|楼栋群|居民群|网格群|业主群|群)")
# A household in a display name: "8-2003 阿杰", "5-2-1203 阿嬷", "黄姐(8栋2003业主)".
HOME = re.compile(r"(?<![\d.])(\d{1,3})(?:栋|号楼|幢|-)(?:\d{1,2}(?:单元|-))?(\d{3,4})(?!\d)")
# A 接龙 of the day: its 【周六海鲜接龙】 header; its first entry ("1. 丽娜 9栋 花蛤2斤").
LIST_HEADER = re.compile(r"^\s*[【\[][^】\]\n]{1,16}[】\]]")
FIRST_ENTRY = re.compile(r"(?:^|\n|/)\s*1\s*[.、．)）]\s*(\S+)")
SELLING_WINDOW = 12 * 3600  # one who started a 接龙 sells in the room the rest of the day
# Family words a display name adds to a relative's name ("王娭毑孙子 小王", "陈伯女儿").
KIN = re.compile(r"孙子|孙女|外孙|儿子|女儿|儿媳|女婿|老伴|老公|老婆|爱人|家属|家人|侄子|侄女")
# Two characters of Chinese (or digits): the pieces two texts may share.
HAN_PAIR = re.compile(r"[\u4e00-\u9fff0-9]{2}")
# Pairs that say nothing of what a text is about.
COMMON_PAIRS = frozenset({
    "我们", "你们", "他们", "这个", "那个", "一下", "什么", "怎么", "可以", "请问", "问一", "现在",
    "今天", "大家", "没有", "是不", "不是", "就是", "还是", "一个", "的话", "知道", "这边", "那边",
})


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


# --- the entry -------------------------------------------------------------------------------


def handle(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, identity: Identity, *, text: str
) -> list[Outgoing]:
    """A message of a resident (or of anyone not an official) in a grid's room or privately."""
    if msg.room_id is None or grid is None:
        return report.handle_report(ctx, msg, grid, text=text)
    form = form_of(msg)
    if form is Form.PHOTO:
        return _photo(ctx, msg)
    speaker = speaker_of(identity, msg.sender_name)
    if speaker is Speaker.TRADE:
        return _read(ctx, msg, "ad")
    if speaker is not Speaker.RESIDENT:
        heard = _hear(ctx, msg, text, pieces=False)
        if not (speaker is Speaker.HELPER and heard.c.urgent):
            return _update(ctx, msg, grid, heard, keep=form is Form.TEXT, doer=speaker is Speaker.ORGANISATION)
    if form is not Form.TEXT:
        return _read(ctx, msg, str(form))
    heard = _hear(ctx, msg, text)
    if _advises(heard):
        heard = _as_remark(heard)  # 「要是家里有老人 晚上冲凉要注意」: advice to everyone
    if _says_it_works(heard):
        heard = _as_remark(heard)  # "1单元电梯正常的": where it is not, said of the incident
    own = _own_incident(ctx, msg, grid, heard)
    if own is not None:
        return _own_again(ctx, msg, own, heard)
    done = _just_done(ctx, msg, heard)
    if done is not None:  # 「他肯定还会拉的」 moments after it was done: a remark on it
        _add_report(ctx, msg, done, "remark")
        return []
    if _answers_a_trader(ctx, msg, grid, heard):  # 「你帮我写花蛤一斤」 after the 接龙: an order
        return _read(ctx, msg, "reply")
    incident = _quoted_incident(ctx, msg)
    official = _official_replied(ctx, msg) if incident is None else None
    if official is None and incident is None and not heard.place_key and _says_same(heard.text):
        official = _official_just_before(ctx, msg)  # "+1" after the worker's word on an incident
    if official is not None:
        incident = _official_incident(ctx, msg, official, heard)
        if incident is None and msg.quote is not None and heard.c.intent in ASKED_OF_OFFICIALS and (
            not heard.c.urgent
        ):  # "「物业：明天停水」 12点以后肯定有水吗": asked of who posted it, who answers
            answered = report.faq_answer(ctx, msg, grid, heard.text)
            return answered + _read(ctx, msg, "faq" if answered else "reply")
    if incident is None and _tells_of_then(heard):
        story = _just_discussed(ctx, msg, heard.subjects)
        if story is not None:  # the place named is where the story happened
            return _join(ctx, msg, story, _as_remark(heard))
    if incident is None and _supposes(heard):
        discussed = _just_discussed(ctx, msg, heard.subjects, intent=heard.c.intent)
        if discussed is not None:  # 「要是着火了怎么办」 while a hazard is discussed: a remark
            return _join(ctx, msg, discussed, _as_remark(heard))
    need = heard.is_need or heard.c.urgent
    if incident is None and (need or heard.subjects or ECHO.search(heard.text)):
        incident = _incident(ctx, msg, heard, need=need)
    if incident is not None:
        # 「要是家里有老人 … 别在浴室里晕倒了」: advice on it, no danger of its own
        return _join(ctx, msg, incident, _as_remark(heard) if _supposes(heard) else heard)
    return _new(ctx, msg, grid, heard)


def official_update(ctx: Context, msg: IncomingMessage, *, text: str) -> list[Outgoing]:
    """A worker's or staff member's chat in a residents' room that is no command: an update
    on the incident it speaks of goes on that incident's timeline. `text` as in handle."""
    if msg.room_id is None:
        return []
    return _update(ctx, msg, None, _hear(ctx, msg, text, pieces=False))


# --- reading ---------------------------------------------------------------------------------


def _hear(ctx: Context, msg: IncomingMessage, text: str, *, pieces: bool = True) -> Heard:
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
    if used.intent in NUISANCES and _blames_a_neighbour(ctx, msg):
        used = replace(used, intent="dispute")  # "@3栋王 你家的狗…": a quarrel begins
    return Heard(
        text=heard_text, c=used, place_key=_in_building(_place_key(used.place, msg.sender_name), heard_text),
        subjects=subjects_of(heard_text), before=before, pieces_used=heard_text != text,
    )


def _in_building(key: str | None, text: str) -> str | None:
    """A spot under or in a building (车库, 地下室) said with the one building it is at
    ("刚下车库看了 11栋电梯口…") is at that building."""
    if not key or _building(key) or not SPOT_OF_BUILDING.fullmatch(key):
        return key
    named = {m.group(1) for m in re.finditer(r"(?<![\d.-])(\d{1,3})(?:栋|号楼|幢)", normalize_place(text))}
    return f"{named.pop()}栋{key}" if len(named) == 1 else key


def _as_remark(heard: Heard) -> Heard:
    """The message read as a remark: no need of its own, no place of its own."""
    c = replace(heard.c, intent="none", urgent=False, emergency=None)
    return replace(heard, c=c, place_key=None)


def _says_it_works(heard: Heard) -> bool:
    """It says a thing works ("1单元电梯正常的", "6栋有水 水压好好的"), not that it broke."""
    return bool(heard.subjects) and not heard.c.urgent and bool(WORKS.search(heard.text)) and not (
        STILL.search(heard.text)
    )


def _tells_of_then(heard: Heard) -> bool:
    """A story of the past ("前年东边宿舍就是电瓶车烧起来"), with nothing said of now."""
    return (
        bool(heard.subjects) and not heard.c.urgent and bool(THEN.search(heard.text))
        and not NOW.search(heard.text)
    )


def _asks_after(text: str) -> bool:
    """Asking after it (有人管吗, 什么时候来水) — not in a clause of what one thought or what
    should be next time ("不然大家以为没人管", "以后车坏了提前讲一声")."""
    said = [c for c in re.split(r"[\s,，.。!！;；]+", text) if c and not NOT_ASKING.search(c)]
    return any(ASKING_AFTER.search(c) for c in said)


def _supposes(heard: Heard) -> bool:
    """What might happen ("要是着火了怎么办", "万一摔了"), with nothing said of now."""
    return bool(SUPPOSING.search(heard.text)) and not NOW.search(heard.text)


def _advises(heard: Heard) -> bool:
    """Advice to everyone on what might happen ("要是家里有老人 晚上冲凉要注意"), naming no
    place: no need of anyone's, whatever the words."""
    return _supposes(heard) and not heard.place_key and bool(ADVICE.search(heard.text))


def _of_another_estate(ctx: Context, grid: Grid, place: str | None) -> bool:
    """The place is in an estate of another grid ("我外甥女在滨河花园…" said in 滨河新村's
    group): told of elsewhere, not a need of this grid."""
    if not place:
        return False
    ours = {m.group(1) for r in grid.rooms if (m := ESTATE.match(r))}
    if any(estate in place for estate in ours):
        return False
    theirs = {
        m.group(1) for g in ctx.directory.grids if g.id != grid.id for r in g.rooms if (m := ESTATE.match(r))
    }
    return any(estate in place for estate in theirs - ours)


def shared_words(a: str, b: str) -> int:
    """How many two-character pieces of Chinese two texts share (words like 这个 aside)."""
    def pieces(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1) if HAN_PAIR.fullmatch(text[i:i + 2])}
    return len((pieces(a) & pieces(b)) - COMMON_PAIRS)


def _answers_a_trader(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> bool:
    """Help asked right after a shop's or a group-buying leader's post, of them ("你帮我写
    花蛤一斤", "能不能帮我放在门岗"): an order, not an errand for the grid — unless it is
    urgent or said to the officials."""
    if heard.c.urgent or heard.c.intent != "errand" or msg.room_id is None:
        return False
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - PIECE_GAP, before=msg.message_id, limit=ANSWERED_MESSAGES
    )
    others = [r for r in rows if r.sender_id != msg.sender_id and r.reading != "photo"]
    if not others:
        return False
    if not _sells(ctx, msg, others[-1]):
        return False
    return not _addressed_to_officials(ctx, msg, grid)


def _sells(ctx: Context, msg: IncomingMessage, row: InboxRow) -> bool:
    """The sender of `row` sells in this room: a shop by name, or one who started a 接龙
    here today (its 【…接龙】 header, or its first line their own name) — not one who only
    signed up to it."""
    if row.reading == "ad" or TRADE_NAME.search(row.sender_name):
        return True
    assert msg.room_id is not None
    theirs = ctx.store.conversation.window(
        msg.room_id, since=int(msg.time.timestamp()) - SELLING_WINDOW, before=msg.message_id,
        sender_id=row.sender_id, limit=50,
    )
    name = row.sender_name.split()[0] if row.sender_name.split() else row.sender_name
    for said in theirs:
        if "接龙" not in said.text:
            continue
        header = LIST_HEADER.match(said.text)
        first = FIRST_ENTRY.search(said.text)
        if (header and "接龙" in header.group(0)) or (first and first.group(1) in (name, row.sender_name)):
            return True
    return False


def _answers_a_question(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
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
        _is_official(ctx, asked.sender_name)
    )


def _acknowledges(ctx: Context, text: str) -> bool:
    """Nothing but 收到 / 好的 / 谢谢 / 辛苦了."""
    return ctx.phrases.worker(text).bare or ctx.phrases.resident(text).act == "thanks"


def _blames_a_neighbour(ctx: Context, msg: IncomingMessage) -> bool:
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
        i = end
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


@lru_cache(maxsize=4096)
def _place_key(place: str | None, sender_name: str) -> str | None:
    """The place as a key; a unit, floor or room alone gets the building of the sender's
    display name ("2单元18楼" said by "7-1-1203 Amy" is 7栋2单元18楼)."""
    key = (normalize_place(place) or None) if place else None
    if key is None or _building(key) is not None or not _fine_grained(key):
        return key
    home = _home_building(sender_name)
    return f"{home}栋{key}" if home else key


@lru_cache(maxsize=4096)
def _home_building(sender_name: str) -> str | None:
    place = extract_place(sender_name)
    key = normalize_place(place) if place else None
    return _building(key) if key else None


_BUILDING = re.compile(r"^(\d+)(?:栋|号楼|幢|座|#|-)")
_UNIT = re.compile(r"^(?:\d+(?:栋|号楼|幢|座|#))?(\d+)单元|^\d+-(\d+)")
_FINE = re.compile(r"^(?:\d+单元)?(?:\d+|[一二三四五六七八九十负]+)?(?:楼|层|室|号)?(?:\d{3,4})?$")


def _building(key: str) -> str | None:
    match = _BUILDING.match(key)
    return match.group(1) if match else None


def _unit(key: str) -> str | None:
    match = _UNIT.match(key)
    return (match.group(1) or match.group(2)) if match else None


def _fine_grained(key: str) -> bool:
    """A unit, floor or room number without a building: part of some building."""
    return bool(_FINE.match(key))


def _same_place(a: str | None, b: str | None, subjects: frozenset[str]) -> bool | None:
    """True, False, or None when either names no place (or too little to tell)."""
    if not a or not b:
        return None
    building_a, building_b = _building(a), _building(b)
    if building_a and building_b:
        if building_a != building_b:
            return False
        unit_a, unit_b = _unit(a), _unit(b)
        if unit_a and unit_b and unit_a != unit_b and not subjects & BUILDING_WIDE:
            return False
        return True
    if _fine_grained(a) or _fine_grained(b):
        return None
    if a in b or b in a:
        return True
    gate_a, gate_b = re.match(r"^[东南西北]门", a), re.match(r"^[东南西北]门", b)
    if gate_a and gate_b:
        return gate_a.group(0) == gate_b.group(0)
    return False


def _same_subject(a: frozenset[str], b: frozenset[str]) -> bool | None:
    if not a or not b:
        return None
    return bool(a & b)


def incident_subjects(ctx: Context, ticket: Ticket) -> frozenset[str]:
    """What an incident is about (its report and what joined it): which ticket an
    official's words name (handlers/targets.py)."""
    return _ticket_subjects(ctx, ticket)


def _ticket_subjects(ctx: Context, ticket: Ticket) -> frozenset[str]:
    """What an incident is about: its report and the echoes that joined it (kept by the
    store once read, and added to as messages join: see _gathered)."""
    kept = ctx.store.conversation.subjects(ticket.id)
    if kept is None:
        found: set[str] = set()
        for text in ctx.store.conversation.texts(ticket.id, GATHERED):
            found |= subjects_of(text)
        ctx.store.conversation.keep_subjects(ticket.id, found)
        kept = frozenset(found)
    return subjects_of(ticket.text) | kept


def _gathered(kind: str, text: str) -> frozenset[str]:
    """What a report of this kind adds to its incident's subjects."""
    return subjects_of(text) if kind in GATHERED else frozenset()


def _ticket_place(ticket: Ticket) -> str | None:
    if ticket.location_key is None:
        return None
    return _place_key(ticket.location_key, ticket.reporter_name or "")


# --- whose incident --------------------------------------------------------------------------


def _own_incident(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> Ticket | None:
    """The sender's own open incident this message goes on about, if any: what they add
    within minutes (unless they turn to another matter or another place — though of an
    emergency or a person in need the next place is often whose), or later the
    same subject, or a question after it. Of several, the most alike (of its kind first),
    then the latest."""
    at = int(msg.time.timestamp())
    own = [
        t for t in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES)
        if t.grid_id == grid.id and t.room_id == msg.room_id
    ]
    asking = bool(_asks_after(heard.text) or STILL.search(heard.text))
    best: tuple[float, Ticket] | None = None
    for ticket in own:
        subjects = _ticket_subjects(ctx, ticket)
        same_subject = _same_subject(heard.subjects, subjects)
        elsewhere = _same_place(heard.place_key, _ticket_place(ticket), heard.subjects | subjects) is False
        if elsewhere and not _still_telling(heard, ticket, same_subject):
            continue
        last = _last_word(ctx, ticket, msg.sender_id)
        recent = last is not None and at - last <= 2 * PIECE_GAP
        if elsewhere:  # "快来人 5栋车棚有人摔倒了" / "好像是11栋胡家的老爷子": whose, not where
            fits = last is not None and at - last <= PIECE_GAP
        elif recent and not heard.place_key and not ANOTHER_MATTER.search(heard.text) and (
            same_subject is not False or heard.c.intent not in OWN_REQUESTS
        ):
            fits = True  # still telling the same story (a new request is its own, though)
        elif same_subject is False:
            fits = False
        elif same_subject:
            # the same thing again (a new request of its own, an errand or a wish, is not)
            fits = not ANOTHER_MATTER.search(heard.text) and (
                heard.c.intent not in OWN_REQUESTS or heard.c.intent == ticket.intent or asking
            )
        elif asking and len(own) == 1:
            # "两天了还没人来", "还是黄的": their only open incident here; but "still" said
            # of something the incident is not about ("奶奶还没睡呢") is chat, and a request
            # of another kind ("乐乐发烧了 他爸妈还没回来 谁有退烧药") is a new one
            fits = not ASKING_NEIGHBOURS.search(heard.text) and not (
                heard.is_need and heard.c.intent in OWN_REQUESTS and heard.c.intent != ticket.intent
            ) and (
                _asks_after(heard.text) or not heard.subjects
            )
        else:
            fits = (
                last is not None and at - last <= DETAIL_WINDOW and bool(heard.place_key)
                and not heard.is_need
            )
        if not fits:
            continue
        score = (
            _likeness(heard.subjects, ticket, subjects) + (heard.c.intent == ticket.intent)
            + (last or 0) / 1e12
        )
        if best is None or score > best[0]:
            best = (score, ticket)
    return best[1] if best else None


def _still_telling(heard: Heard, ticket: Ticket, same_subject: bool | None) -> bool:
    """May the reporter's next line be about the same incident although it names another
    place? Of an emergency, said urgently, or of a person in need (an errand), the place
    said next is often whose or where from ("好像是11栋胡家的老爷子"), not another incident
    — unless it names another thing or turns to another matter ("另外", "也坏了")."""
    if same_subject is False or ANOTHER_MATTER.search(heard.text):
        return False
    return (ticket.urgent and heard.c.urgent) or heard.c.intent == ticket.intent == "errand"


def _just_done(ctx: Context, msg: IncomingMessage, heard: Heard) -> Ticket | None:
    """The sender's own incident of this room done moments ago, which this message goes
    on about (the same subject; or none named and no need told): their word on it is no
    new report. A request of their own (装几个充电桩) or an urgent need still is; that it
    is still not right is a reopen (handlers/natural.py, before this)."""
    if heard.c.urgent or heard.c.intent in OWN_REQUESTS:
        return None
    at = int(msg.time.timestamp())
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=(TicketState.RESOLVED,)):
        if ticket.room_id != msg.room_id or (ticket.resolved_at or 0) < at - JUST_DONE_WINDOW:
            continue
        same = _same_subject(heard.subjects, _ticket_subjects(ctx, ticket))
        if same is False or (same is None and heard.is_need):
            continue
        if _same_place(heard.place_key, _ticket_place(ticket), heard.subjects) is False:
            continue
        return ticket
    return None


def _last_word(ctx: Context, ticket: Ticket, sender_id: str) -> int | None:
    return ctx.store.conversation.last_word(ticket.id, sender_id)


def _quoted_incident(ctx: Context, msg: IncomingMessage) -> Ticket | None:
    """The open incident of the message this one quotes."""
    if msg.quote is None or msg.room_id is None:
        return None
    row = ctx.store.conversation.quoted(msg.room_id, msg.quote.sender_name, msg.quote.text)
    if row is None or row.ticket_id is None:
        return None
    ticket = ctx.store.tickets.get(row.ticket_id)
    return ticket if ticket is not None and ticket.status in OPEN_STATES else None


def _official_replied(ctx: Context, msg: IncomingMessage) -> InboxRow | None:
    """The official's message (a worker's, the committee's, the property company's) this one
    replies to: the one it quotes, or — when it @s them — what they said here a moment ago."""
    assert msg.room_id is not None
    if msg.quote is not None:
        if not _is_official(ctx, msg.quote.sender_name):
            return None
        return ctx.store.conversation.quoted(msg.room_id, msg.quote.sender_name, msg.quote.text)
    if "@" not in msg.text and "＠" not in msg.text:
        return None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - THREAD_WINDOW, before=msg.message_id, limit=SCROLLED
    )
    for row in reversed(rows):
        named = f"@{row.sender_name}" in msg.text or f"＠{row.sender_name}" in msg.text
        if named and row.sender_id != msg.sender_id and _is_official(ctx, row.sender_name):
            return row
    return None


def _official_just_before(ctx: Context, msg: IncomingMessage) -> InboxRow | None:
    """The room's last message, a moment ago, when an official said it."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - PIECE_GAP, before=msg.message_id, limit=1
    )
    if rows and rows[-1].sender_id != msg.sender_id and _is_official(ctx, rows[-1].sender_name):
        return rows[-1]
    return None


def _is_official(ctx: Context, name: str) -> bool:
    return name in ctx.directory.official_names() or bool(ORGANISATION_NAME.search(name))


def _official_incident(
    ctx: Context, msg: IncomingMessage, official: InboxRow, heard: Heard
) -> Ticket | None:
    """The open incident the official's message was about (the one it went on, or the one
    its words speak of), unless this reply names another place, or tells of another thing
    (a question or a wish about it may use other words: "几点能修好 我妈要去医院")."""
    ticket = ctx.store.tickets.get(official.ticket_id) if official.ticket_id is not None else None
    if ticket is None and official.quote_name and official.room_id:  # their quote-reply
        quoted = ctx.store.conversation.quoted(official.room_id, official.quote_name, official.quote_text or "")
        if quoted is not None and quoted.ticket_id is not None:
            ticket = ctx.store.tickets.get(quoted.ticket_id)
    if ticket is None or ticket.status not in OPEN_STATES:
        said = without_mentions(ctx, official.text)
        c = ctx.classifier.classify(said)
        words = Heard(
            text=said, c=c, place_key=_place_key(c.place, official.sender_name),
            subjects=subjects_of(said), before=(), pieces_used=False,
        )
        ticket = _incident(ctx, msg, words, need=False)
    if ticket is None:
        return None
    subjects = _ticket_subjects(ctx, ticket)
    if _same_place(heard.place_key, _ticket_place(ticket), heard.subjects | subjects) is False:
        return None
    another = _same_subject(heard.subjects, subjects) is False
    return None if another and heard.is_need and heard.c.intent not in ASKED_OF_OFFICIALS else ticket


def _joins_across(intent: str, ticket_intent: str, shared: frozenset[str]) -> bool:
    """May a message of `intent` join an incident of another intent it shares subjects
    with? A request (an errand, a wish) stays its own; a wish gathers questions about it;
    an errand gathers what is said about its person; a fault, a quarrel, a hazard gathers
    questions and remarks about its subject."""
    if intent in OWN_REQUESTS:
        return False
    if ticket_intent == "wish":
        return intent == "inquiry" and bool(shared)  # a question about the wish
    if ticket_intent == "errand":
        return "person" in shared
    return bool(shared)


def _incident(ctx: Context, msg: IncomingMessage, heard: Heard, *, need: bool = True) -> Ticket | None:
    """The open incident of the room this message speaks of, if any: the best of those it
    fits (by place, subject and intent; the more alike and the more recent, the better).
    `need=False`: a remark that names no need, which joins only by its subject."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    best: tuple[float, Ticket] | None = None
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - PLACE_WINDOW
    )
    latest_of: dict[str, int] = {}  # the incident most recently discussed, by intent
    for ticket, _ in active:
        latest_of.setdefault(ticket.intent, ticket.id)
    for rank, (ticket, last_at) in enumerate(active):
        age = at - last_at
        latest = latest_of[ticket.intent] == ticket.id
        if (
            need and ticket.intent == "dispute" and age <= DISPUTE_WINDOW
            and _in_quarrel(ctx, msg, ticket, heard)
            and (not _blames_a_neighbour(ctx, msg) or _is_party(ctx, msg, ticket))
        ):
            return ticket  # (a new accusation at someone else is a new quarrel)
        if need and age <= PLACE_WINDOW and (_lives_in(msg.sender_name, ticket) or _kin_of(msg.sender_name, ticket)) and (
            _same_subject(heard.subjects, _ticket_subjects(ctx, ticket)) is not False
        ):
            return ticket  # the household a report names, answering it ("我是2003的租客 没有漏啊")
        if ticket.intent == "dispute":
            continue  # a quarrel is joined while it goes on, by its parties; not by topic
        if need and rank == 0 and age <= PIECE_GAP and _caught_in(msg, heard, ticket):
            return ticket
        if need and rank == 0 and _answers_back(ctx, msg, heard, ticket, at):
            return ticket
        subjects = _ticket_subjects(ctx, ticket)
        shared = heard.subjects & subjects_of(ticket.text)  # across intents: what it is about
        same_place = _same_place(heard.place_key, _ticket_place(ticket), heard.subjects | subjects)
        same_subject = _same_subject(heard.subjects, subjects)
        if same_place is False or same_subject is False:
            continue
        same_intent = heard.c.intent == ticket.intent
        echo = not heard.place_key and _says_same(heard.text) and age <= THREAD_WINDOW
        # a remark on the wish being discussed ("支持 真有充电桩肯定去用"), or a reading of
        # the classifier's too unsure to be a need of its own
        on_wish = ticket.intent == "wish" and rank == 0 and age <= THREAD_WINDOW and not heard.place_key and (
            (bool(shared) and (not need or heard.c.confidence < ctx.settings.classifier.min_confidence))
            # 「架空层放滑梯的话 能不能也放两台乒乓球桌」: more for the wish, in its words
            or (heard.c.intent == "wish" and bool(TOO.search(heard.text))
                and shared_words(heard.text, ticket.text) >= 2)
        )
        if not need:
            fits = bool(same_subject) and age <= SUBJECT_WINDOW and _joins_across(
                "none", ticket.intent, shared
            ) or on_wish or (  # "+1", "我家也是": the same as what was just said
                same_subject is None and latest and echo
            )
        elif not same_intent and not (same_subject and _joins_across(heard.c.intent, ticket.intent, shared)):
            # another intent: only a remark on the place just being discussed — named, or,
            # while it is being discussed, the building in the sender's name ("7-2-1105 Kevin")
            fits = on_wish or rank == 0 and heard.c.intent not in ASKED_FOR and (
                (bool(same_place) and age <= THREAD_WINDOW)
                or (same_place is None and same_subject is None and age <= PIECE_GAP
                    and _lives_at(msg.sender_name, ticket))
            )
        elif heard.c.intent in ASKED_FOR:
            fits = bool(same_subject) and age <= SUBJECT_WINDOW or on_wish  # the same request, not any
        else:
            fits = (
                (same_place and age <= PLACE_WINDOW)
                or (same_subject and same_intent and age <= PLACE_WINDOW)
                # of another kind, by its subject only where it names no place of its own
                # ("11栋电梯又停了 我妈要去医院" is no news of a neighbour's errand)
                or (same_subject and not heard.place_key and age <= SUBJECT_WINDOW)
                or (not heard.place_key and same_subject is None and latest and age <= THREAD_WINDOW)
            )
        if not fits:
            continue
        score = (
            2.0 * bool(same_place) + _likeness(heard.subjects, ticket, subjects) + same_intent
            + 0.5 / (rank + 1) + 2.0 * (echo and rank == 0)  # "+1" follows what was just said
        )
        if best is None or score > best[0]:
            best = (score, ticket)
    return best[1] if best else None


def _says_same(text: str) -> bool:
    """"+1", "我家也是", "一样": the same of oneself ("我家孩子…" is not; "你家…" is said
    to someone)."""
    return bool(ECHO.search(text) and TOO.search(text)) and not YOU.search(text)


def _answers_back(ctx: Context, msg: IncomingMessage, heard: Heard, ticket: Ticket, at: int) -> bool:
    """The other side of a quarrel over a reported problem: a neighbour, not its reporter,
    answering them back ("停一下怎么了 你算老几") while the reporter is still at it, naming
    no place nor other thing of their own: the same incident, not a new quarrel."""
    if heard.c.intent != "dispute" or heard.place_key or ticket.reporter_id in (None, msg.sender_id):
        return False
    said = heard.subjects - {"conflict"}
    if said and not said & _ticket_subjects(ctx, ticket):
        return False
    last = _last_word(ctx, ticket, ticket.reporter_id)
    return last is not None and at - last <= PIECE_GAP


def _caught_in(msg: IncomingMessage, heard: Heard, ticket: Ticket) -> bool:
    """A neighbour of the emergency's building (and unit) asking urgent help for one of
    theirs while it goes on ("我老头子腿脚不好 下楼慢" in a gas leak of their unit), naming
    no place of their own: someone caught in that emergency, not another one."""
    if not (ticket.urgent and heard.c.urgent and heard.c.intent == "errand") or heard.place_key:
        return False
    if not _lives_at(msg.sender_name, ticket):
        return False
    home = _place_key(extract_place(msg.sender_name), "")
    unit_home, unit_there = _unit(home or ""), _unit(_ticket_place(ticket) or "")
    return not (unit_home and unit_there and unit_home != unit_there)


def _lives_in(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name is of the very home the incident is at ("8-2003 阿杰" of
    an incident at 8栋2003): the household it names, not a neighbour."""
    home = HOME.search(sender_name)
    there = HOME.search(_ticket_place(ticket) or "")
    return bool(home and there and home.group(1, 2) == there.group(1, 2))


def _kin_of(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name is one of the reporter's family ("王娭毑孙子 小王" of a
    report by "18栋 王娭毑"): speaking for the same household."""
    reporter = ticket.reporter_name or ""
    if not reporter or reporter == sender_name:
        return False
    words = [w for w in re.split(r"[\s()（）]+", reporter) if len(w) >= 2 and not re.search(r"\d", w)]
    return any(w in sender_name and KIN.search(sender_name.replace(w, "", 1)) for w in words)


def _lives_at(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name puts them in the incident's building ("7-2-1105 Kevin",
    "7栋 张姐" of an incident at 7栋)."""
    home = _home_building(sender_name)
    place = _ticket_place(ticket)
    return bool(home and place and _building(place) == home)


def _just_discussed(
    ctx: Context, msg: IncomingMessage, subjects: frozenset[str], *, intent: str | None = None
) -> Ticket | None:
    """The incident the room was talking about a moment ago, when it is of these subjects
    (or, `intent` given, of that kind of need)."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=OPEN_STATES, since=at - THREAD_WINDOW
    )
    for ticket, _ in active[:1]:
        if ticket.intent != "dispute" and (
            subjects & _ticket_subjects(ctx, ticket) or (intent is not None and intent == ticket.intent)
        ):
            return ticket
    return None


def _said_of(heard: Heard, ticket: Ticket) -> bool:
    """The message names the incident's place or subject (not only its kind of need)."""
    return bool(heard.subjects & subjects_of(ticket.text)) or bool(
        heard.place_key and _same_place(heard.place_key, _ticket_place(ticket), heard.subjects)
    )


def _likeness(said: frozenset[str], ticket: Ticket, gathered: frozenset[str]) -> float:
    """How alike a message is to an incident: its subjects against the incident's own
    report (closest first), then against all that was said of it."""
    if not said:
        return 0.0
    core = subjects_of(ticket.text)
    jaccard = len(said & core) / len(said | core) if core else 0.0
    return jaccard + 0.5 * len(said & gathered) / len(said)


def _in_quarrel(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> bool:
    """A line of the quarrel going on: more of it, a call for the police, or its parties."""
    if heard.c.intent == "dispute" or heard.c.emergency == "110" or "conflict" in heard.subjects:
        return True
    if heard.is_need and not heard.place_key and heard.subjects & _ticket_subjects(ctx, ticket):
        return True  # what the quarrel is about: "那巷子车一停 消防车都进不来"
    return heard.is_need and _is_party(ctx, msg, ticket)


def _is_party(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> bool:
    """One of those the quarrel is between: who reported it, or whom it @s."""
    if ctx.store.tickets.is_reporter(ticket.id, msg.sender_id):
        return True
    return ctx.store.conversation.mentioned(ticket.id, msg.sender_name)


def _addressed_to_officials(ctx: Context, msg: IncomingMessage, grid: Grid) -> bool:
    """Said to the grid's worker or the community's staff: @ them, or a title first
    ("陈主任 ...", "网格员在吗")."""
    community = ctx.directory.community(grid.community_id)
    names = list(grid.workers) + (list(community.staff) if community else [])
    ids = {notify.person(ctx, n).id for n in names} - {None}
    if set(msg.mention_ids) & ids or any(f"@{n}" in msg.text for n in names):
        return True
    return bool(ADDRESS.match(msg.text))


# --- acting ----------------------------------------------------------------------------------


def _read(ctx: Context, msg: IncomingMessage, reading: str, ticket: Ticket | None = None) -> list[Outgoing]:
    ctx.store.conversation.mark_read(msg.message_id, reading, ticket.id if ticket else None)
    return []


def _add_report(
    ctx: Context, msg: IncomingMessage, ticket: Ticket, kind: str, *, text: str | None = None,
) -> None:
    text = msg.text if text is None else text
    ctx.store.conversation.add_report(
        ticket.id, message_id=msg.message_id, room_id=msg.room_id, sender_id=msg.sender_id,
        sender_name=msg.sender_name, text=text, kind=kind, at=int(msg.time.timestamp()),
        subjects=_gathered(kind, text),
    )
    ctx.store.conversation.mark_read(msg.message_id, kind, ticket.id)


def _photo(ctx: Context, msg: IncomingMessage) -> list[Outgoing]:
    """A photo joins the sender's report of the last half hour, or waits for the next one."""
    at = int(msg.time.timestamp())
    for ticket in ctx.store.tickets.of_reporter(msg.sender_id, states=OPEN_STATES):
        last = _last_word(ctx, ticket, msg.sender_id)
        if ticket.room_id == msg.room_id and last is not None and at - last <= report.PHOTO_WINDOW_SECONDS:
            _add_report(ctx, msg, ticket, "photo", text=msg.text or "[图片]")
            report.add_photos(ctx, msg, ticket)
            return []
    for media in msg.media:
        if media.kind == "image" and media.data:
            ctx.store.notes.keep_loose(msg.message_id, media.data, kind=media.kind, at=ctx.ts)
    return _read(ctx, msg, "photo")


def _update(
    ctx: Context, msg: IncomingMessage, grid: Grid | None, heard: Heard, *, keep: bool = False,
    doer: bool = False,
) -> list[Outgoing]:
    """The property company, a volunteer or an official on an incident: its timeline.
    `keep`: what reads as a need of no open incident (a volunteer telling of a neighbour
    in need, say) is kept as 疑似 for the worker rather than lost. `doer`: one who does the
    work but holds no ticket (the property company): their word that it is done is told to
    the worker who holds it, once, to confirm."""
    ticket = _quoted_incident(ctx, msg)
    if ticket is None and msg.room_id is not None:
        ticket = _incident(ctx, msg, heard, need=False)
    if ticket is None:
        if keep and grid is not None and heard.is_need:
            return _keep(ctx, msg, grid, heard)
        return _read(ctx, msg, "notice")
    said_done = doer and ticket.status in OPEN_STATES and _tells_done(ctx, msg.text)
    told_before = said_done and any(
        e.kind == "update" and e.actor_name == msg.sender_name and _tells_done(ctx, e.note or "")
        for e in ctx.store.tickets.events(ticket.id)
    )
    ctx.store.tickets.add_event(
        ticket, "update", at=ctx.ts, actor_id=msg.sender_id, actor_name=msg.sender_name,
        note=" ".join(msg.text.split())[:200],
    )
    _read(ctx, msg, "update", ticket)
    held_by = ctx.directory.grid(ticket.grid_id)
    holder = ticket.assignee_name or (held_by.workers[0] if held_by and held_by.workers else None)
    if not said_done or told_before or holder is None:
        return []
    reading = ctx.phrases.worker(msg.text)
    text = TEXTS["done_by_others"].format(
        who=msg.sender_name, id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent],
        gist=_short(reading.note or reading.body),
    )
    return notify.privately(ctx, [holder], text, about=ticket)


def _tells_done(ctx: Context, text: str) -> bool:
    """Words that the work is done (「电梯修好了 门机皮带换了新的」), read as a worker's."""
    return ctx.phrases.worker(text).act == "done"


def _own_again(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """The reporter again: a detail said soon after, or a remark later (kept quietly), or a
    question after the incident or word that it is still not right (a short answer with
    its number and state, at most once in a while per incident and room, and a word to
    the worker in charge)."""
    at = int(msg.time.timestamp())
    last = _last_word(ctx, ticket, msg.sender_id)
    asking = _asks_after(heard.text) or (
        bool(STILL.search(heard.text)) and (heard.is_need or bool(heard.subjects))
    )
    if not asking:
        detail = last is not None and at - last <= DETAIL_WINDOW
        _add_report(ctx, msg, ticket, "detail" if detail else "remark")
        if detail and ticket.location is None and heard.c.place:
            ctx.store.tickets.update(
                ticket.id, at=ctx.ts, location=heard.c.place, location_key=heard.place_key
            )
        report.add_photos(ctx, msg, ticket)
        if heard.c.urgent and not ticket.urgent:
            return _raise_urgent(ctx, msg, ticket, heard)
        return []
    assert msg.room_id is not None
    answered = ctx.store.conversation.last_answered_in_room(ticket.id, msg.room_id)
    _add_report(ctx, msg, ticket, "follow_up")
    if heard.c.urgent and not ticket.urgent:
        return _raise_urgent(ctx, msg, ticket, heard)
    # Only a real chase or question (not 「还在滴」 said in passing, not a question put to the
    # property company) is answered, once in a while per room and per person, with who has
    # it and what an official last said; the worker hears that chase (in the morning when
    # it can wait). The rest stays on the ticket for the worker to read.
    if (answered is not None and at - answered < ANSWER_GAP) or not _asks_the_bot(ctx, msg, heard):
        return []
    if _answered_person_lately(ctx, msg, ticket):
        return []
    ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
    worker = ticket.assignee_name or ""
    forwarded = bool(worker) and not notify.morning(ctx, ticket)
    text = TEXTS["follow_up" if forwarded else "follow_up_later"].format(
        id=ticket.id, who=report.who_has_it(ctx, ticket), name=worker, said=report.last_said(ctx, ticket),
    )
    out = [notify.reply(msg, text)]
    if worker:
        out += notify.privately(ctx, [worker], TEXTS["follow_up_ping"].format(
            id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=_short(msg.text),
            who=msg.sender_name, photo=report.photo_note(ctx, ticket),
        ), about=ticket)
    return out


def _join(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Someone else's message about an open incident: one more reporter when it tells of
    the need (an echo, a question about it), else a comment; told once, in one short post
    for all who joined since the last one, when that has scrolled out of sight."""
    if ticket.intent == "dispute":  # the parties of a quarrel, not those who calm it
        reporter = heard.is_need and (heard.c.intent == "dispute" or _is_party(ctx, msg, ticket))
    else:  # a bare "又坏了" after a report is a remark on it, not one more reporter
        reporter = (
            (heard.is_need and heard.c.intent == ticket.intent and _said_of(heard, ticket))
            or heard.c.urgent or bool(ECHO.search(heard.text) and not TO_SOMEONE.search(heard.text))
            # in words that name no need: "8栋又停水？？", "什么时候来水啊"
            or (_said_of(heard, ticket) and bool(heard.place_key or _asks_after(heard.text)))
        ) and not (
            # a story of then, what might happen, or an answer to a neighbour's question is
            # said about it, not one more household it happens to; nor is the household the
            # report names answering it ("我是2003的租客 没有漏啊")
            _tells_of_then(heard) or _supposes(heard) or _answers_a_question(ctx, msg, heard)
            or (_lives_in(msg.sender_name, ticket) and not heard.c.urgent)
        )
    _add_report(ctx, msg, ticket, "echo" if reporter else "comment")
    for piece in heard.pieces:
        _join_piece(ctx, ticket, piece)
    if reporter:
        lifecycle.join(
            ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
            room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
        )
    report.add_photos(ctx, msg, ticket)
    out: list[Outgoing] = []
    if heard.c.urgent and not ticket.urgent:
        return _raise_urgent(ctx, msg, ticket, heard)
    # an echo, a "+1", a comment, a joke or a neighbour's reassurance folds in quietly; one
    # who asks after it (a chase, a question) hears one short line, long after the bot last
    # spoke of it, never in a quarrel
    if reporter and ticket.intent != "dispute" and _asks_the_bot(ctx, msg, heard):
        out += _tell_joined(ctx, msg, ticket)
    return out


def _join_piece(ctx: Context, ticket: Ticket, row: InboxRow) -> None:
    kind = "photo" if row.reading == "photo" else "report"
    ctx.store.conversation.add_report(
        ticket.id, message_id=row.message_id, room_id=row.room_id, sender_id=row.sender_id,
        sender_name=row.sender_name, text=row.text or "[图片]", kind=kind, at=row.sent_at,
        subjects=_gathered(kind, row.text or "[图片]"),
    )
    ctx.store.conversation.mark_read(row.message_id, "report", ticket.id)
    if row.reading == "photo":
        ctx.store.notes.attach_loose(ticket.id, row.message_id, at=ctx.ts)


def _tell_joined(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> list[Outgoing]:
    """One short line to the one who just joined — only once the bot's last post about this
    incident has scrolled away and some time has passed, and never @ anyone else: the others
    who joined quietly hear with everyone when it is done."""
    assert msg.room_id is not None
    last = ctx.store.conversation.last_told(ticket.id, msg.room_id)
    if last is not None and (
        ctx.ts - last < TELL_GAP
        or ctx.store.conversation.messages_since(msg.room_id, last, up_to=SCROLLED) < SCROLLED
    ):
        return []
    if _answered_person_lately(ctx, msg, ticket):
        return []
    untold = ctx.store.conversation.untold(ticket.id, msg.room_id)
    # those who joined before, quietly, are not @-ed now: they hear when it is done
    ctx.store.conversation.mark_told(ticket.id, [r.person_id for r in untold], ctx.ts)
    ctx.store.conversation.mark_answered(ticket.id, msg.message_id)
    text = TEXTS["joined"].format(id=ticket.id, who=report.who_has_it(ctx, ticket), said=report.last_said(ctx, ticket))
    return [notify.reply(msg, text)]


def _asks_the_bot(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A chase or a question (有人管吗, 几点来水？) that is not put to someone else in the
    group — the property company, a neighbour — who is there to answer it."""
    return chase.asks(heard.text) and not _put_to_someone_else(ctx, msg)


def _put_to_someone_else(ctx: Context, msg: IncomingMessage) -> bool:
    """It @s someone, and none of them is an official or the bot."""
    ats = [msg.text[m.end():m.end() + MENTION_CHARS] for m in re.finditer(r"[@＠]", msg.text)]
    if not ats:
        return False
    ours = ctx.directory.official_names() | {ctx.directory.bot_name}
    return not any(any(at.startswith(n) for n in ours) for at in ats)


def _answered_person_lately(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> bool:
    """The bot answered this person about this ticket within half a day."""
    last = ctx.store.conversation.last_answered_to(ticket.id, msg.sender_id)
    return last is not None and int(msg.time.timestamp()) - last < PERSON_GAP


def _raise_urgent(ctx: Context, msg: IncomingMessage, ticket: Ticket, heard: Heard) -> list[Outgoing]:
    """Danger now in an incident that was not urgent: it becomes urgent, and everyone who
    must act hears at once — privately, unless the group must be told whom to call (and
    never in the middle of a quarrel: the group has heard enough of it)."""
    ticket = lifecycle.mark_urgent(ctx, ticket, actor_name=msg.sender_name, actor_id=msg.sender_id)
    grid = ctx.directory.grid(ticket.grid_id)
    if grid is None:
        return []
    if ticket.intent == "dispute" or not heard.c.emergency:
        community = ctx.directory.community(grid.community_id)
        names = list(grid.workers) + (list(community.staff) if community else [])
        text = TEXTS["urgent_ping"].format(
            id=ticket.id, kind=INTENT_NAMES_ZH[ticket.intent], text=_short(msg.text),
            who=msg.sender_name, photo=report.photo_note(ctx, ticket),
        )
        sla.told(ctx, ticket, names)  # the ladder does not tell them again
        return notify.privately(ctx, names, text)
    reporter = Person(name=msg.sender_name, id=msg.sender_id)
    return report.alarm(ctx, msg, grid, ticket, heard.c.emergency, reporter)


def _new(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> list[Outgoing]:
    """Not part of anything open: possibly a new report."""
    c = heard.c
    if c.intent == "none":
        return _read(ctx, msg, "chatter")
    if c.intent == "praise":
        report.keep_praise(ctx, msg, grid, c)
        return _read(ctx, msg, "praise")
    unsure = c.confidence < ctx.settings.classifier.min_confidence
    if unsure and not c.urgent and not _addressed_to_officials(ctx, msg, grid):
        return _keep(ctx, msg, grid, heard)
    if c.intent == "inquiry" and not c.urgent:
        answered = report.faq_answer(ctx, msg, grid, heard.text)
        if answered:
            return answered + _read(ctx, msg, "faq")
        if _answered_just_now(ctx, msg, heard):
            return _keep(ctx, msg, grid, heard)  # 「医保这个我也要弄吗」: asked of who just answered
    if heard.place_key is None and not c.urgent and not QUESTION.search(heard.text) and (
        _faq_just_answered(ctx, msg)
    ):  # the asker's "还是去社区办踏实", a neighbour's "租房的话要房东出合同": talk about the answer
        return _keep(ctx, msg, grid, heard)
    if heard.place_key is None:
        surge = flood.fold_target(ctx, msg, grid, c.intent, c.urgent)
        if surge is not None:
            return _join(ctx, msg, surge, heard)
    if not c.urgent and _of_another_estate(ctx, grid, c.place):
        return _keep(ctx, msg, grid, heard)  # told of another estate: for the worker to judge
    duplicate = report.same_need(ctx, msg, grid, c.intent, heard.place_key)
    if duplicate is not None:
        return _join(ctx, msg, duplicate, heard)
    earlier = _answered_report(ctx, msg, heard)
    if earlier is not None:
        return _open_on_earlier(ctx, msg, grid, heard, earlier)
    out = report.open_from_message(
        ctx, msg, grid, text=heard.text, intent=c.intent, urgent=c.urgent, place=c.place,
        place_key=heard.place_key, masked_text=c.masked_text, emergency=c.emergency,
    )
    ticket = ctx.store.tickets.by_source_message(msg.message_id)
    if ticket is not None:
        for piece in heard.before:  # the sender's turn that led to this report
            _join_piece(ctx, ticket, piece)
        ctx.store.conversation.mark_read(msg.message_id, "report", ticket.id)
    return out


def _keep(ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard) -> list[Outgoing]:
    """Kept as 疑似 for the worker, with the talk around it: no ticket, nothing said."""
    c = heard.c
    ctx.store.notes.add_suspect(
        grid_id=grid.id, room_id=msg.room_id, room_topic=msg.room_topic,
        sender_id=msg.sender_id, sender_name=msg.sender_name, text=heard.text,
        intent=c.intent, confidence=c.confidence, message_id=msg.message_id, at=ctx.ts,
    )
    return _read(ctx, msg, "suspect")


def _answered_just_now(ctx: Context, msg: IncomingMessage, heard: Heard) -> bool:
    """A question of the room was answered in the group minutes ago (its ticket done by an
    official's words), and this question is on the same matter ("医保这个我也要弄吗" after
    the answer about 医保): asked of the one answering, who is there — kept for the worker
    to see, not a ticket of its own."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    active = ctx.store.conversation.active_in_room(
        msg.room_id, states=(TicketState.RESOLVED,), since=at - THREAD_WINDOW
    )
    return any(
        t.intent == "inquiry" and (t.resolved_at or 0) >= at - THREAD_WINDOW
        and t.reporter_id != msg.sender_id and shared_words(heard.text, t.text) > 0
        for t, _ in active
    )


def _faq_just_answered(ctx: Context, msg: IncomingMessage) -> bool:
    """A question of this room was answered from the FAQ minutes ago: what follows it and
    asks nothing (the asker's "手机上搞不来 还是去社区办", a neighbour's "好像要带户口本") is
    talk about that answer, not a new question."""
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - FAQ_THREAD, before=msg.message_id, limit=2 * ANSWERED_MESSAGES
    )
    return any(row.reading == "faq" for row in rows)


def _answered_report(ctx: Context, msg: IncomingMessage, heard: Heard) -> InboxRow | None:
    """A neighbour's message just before this one, naming a place and the same subject but
    not taken for a need on its own ("我们19栋2单元有人天天飞线充电" / "这个危险哦 ..."):
    this one answers it, so it was the report."""
    if not heard.subjects or heard.place_key or heard.pieces_used or msg.quote is not None:
        return None  # an answer to a report does not name a place of its own
    assert msg.room_id is not None
    at = int(msg.time.timestamp())
    rows = ctx.store.conversation.window(
        msg.room_id, since=at - ANSWERED_WINDOW, before=msg.message_id, limit=ANSWERED_MESSAGES
    )
    for row in reversed(rows):
        if row.sender_id == msg.sender_id or row.ticket_id is not None:
            continue
        if row.reading not in ("chatter", "suspect") or not row.text.strip():
            continue
        if not heard.subjects & subjects_of(row.text):
            continue
        c = ctx.classifier.classify(without_mentions(ctx, row.text))
        if c.place is not None:  # a report says where; a remark answering it may not
            return row
    return None


def _open_on_earlier(
    ctx: Context, msg: IncomingMessage, grid: Grid, heard: Heard, earlier: InboxRow
) -> list[Outgoing]:
    """Open the incident on the report this message answers; this one joins it."""
    c = heard.c
    first = ctx.classifier.classify(without_mentions(ctx, earlier.text))
    place = first.place or c.place
    origin = IncomingMessage(
        message_id=earlier.message_id, room_id=earlier.room_id, room_topic=earlier.room_topic,
        sender_id=earlier.sender_id, sender_name=earlier.sender_name, text=earlier.text,
        time=ctx.local(earlier.sent_at),
    )
    out = report.open_from_message(
        ctx, origin, grid, text=earlier.text, intent=c.intent, urgent=c.urgent, place=place,
        place_key=_place_key(place, earlier.sender_name), masked_text=first.masked_text,
        emergency=c.emergency,
    )
    ticket = ctx.store.tickets.by_source_message(earlier.message_id)
    if ticket is None:
        return out
    ctx.store.conversation.mark_read(earlier.message_id, "report", ticket.id)
    _add_report(ctx, msg, ticket, "echo")
    lifecycle.join(
        ctx, ticket, person_id=msg.sender_id, person_name=msg.sender_name,
        room_id=msg.room_id, room_topic=msg.room_topic, message_id=msg.message_id,
    )
    ctx.store.conversation.mark_told(ticket.id, [msg.sender_id], ctx.ts)
    return [_also_mention(o, msg) for o in out]


def _also_mention(out: Outgoing, msg: IncomingMessage) -> Outgoing:
    """The acknowledgement in the room @s the one who answered too."""
    if out.room_id is None or out.room_id != msg.room_id:
        return out
    me = Person(name=msg.sender_name, id=msg.sender_id)
    return replace(out, mentions=(*out.mentions[:1], me, *out.mentions[1:]))


def _short(text: str, length: int = 40) -> str:
    return brief.gist(text, limit=length)
