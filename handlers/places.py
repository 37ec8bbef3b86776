"""Places as keys to compare: which building a place is in, its unit, whether two places
said of one incident are the same, and whose home a display name says ("7-2-1105 Kevin").

A key is the classifier's place normalised (intents.normalize_place: 3号楼, 三栋, 3# are
all 3栋); a unit, floor or room said alone is completed with the building in the sender's
name. Nothing here reads the store: pure functions of keys, names and tickets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from intents import extract_place, normalize_place
from intents.phrases import phrase
from storage import Ticket

# Subjects that concern a whole building: another unit of it is the same incident.
BUILDING_WIDE = frozenset({"water", "power", "heating", "gas"})
# Spots under or in a building, not a building of their own.
SPOT_OF_BUILDING = phrase("places.spot_of_building", r"(地下)?(%s)(里|下面)?")
# A household in a display name: "8-2003 阿杰", "5-2-1203 阿嬷", "黄姐(8栋2003业主)".
HOME = re.compile(r"(?<![\d.])(\d{1,3})(?:栋|号楼|幢|-)(?:\d{1,2}(?:单元|-))?(\d{3,4})(?!\d)")
# Family words a display name adds to a relative's name ("王娭毑孙子 小王", "陈伯女儿").
KIN = phrase("places.kin")


def in_building(key: str | None, text: str) -> str | None:
    """A spot under or in a building (车库, 地下室) said with the one building it is at
    ("刚下车库看了 11栋电梯口…") is at that building."""
    if not key or _building(key) or not SPOT_OF_BUILDING.fullmatch(key):
        return key
    named = {m.group(1) for m in re.finditer(r"(?<![\d.-])(\d{1,3})(?:栋|号楼|幢)", normalize_place(text))}
    return f"{named.pop()}栋{key}" if len(named) == 1 else key


@lru_cache(maxsize=4096)
def place_key(place: str | None, sender_name: str) -> str | None:
    """The place as a key; a unit, floor or room alone gets the building of the sender's
    display name ("2单元18楼" said by "7-1-1203 Amy" is 7栋2单元18楼)."""
    key = (normalize_place(place) or None) if place else None
    if key is None or _building(key) is not None or not _fine_grained(key):
        return key
    home = _home_building(sender_name)
    return f"{home}栋{key}" if home else key


def written_with_building(place: str | None, sender_name: str) -> str | None:
    """A room, unit or floor said alone (「楼上502的」 by "8-2-402 高姐") written down with the
    building the sender's display name puts them in (8栋502), as its key already is: whoever
    reads the ticket must know which building's 502 it is."""
    key = (normalize_place(place) or None) if place else None
    if key is None or _building(key) is not None or not _fine_grained(key):
        return place
    home = _home_building(sender_name)
    return f"{home}栋{place}" if home else place


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


def unit(key: str) -> str | None:
    match = _UNIT.match(key)
    return (match.group(1) or match.group(2)) if match else None


def _fine_grained(key: str) -> bool:
    """A unit, floor or room number without a building: part of some building."""
    return bool(_FINE.match(key))


def same_place(a: str | None, b: str | None, subjects: frozenset[str]) -> bool | None:
    """True, False, or None when either names no place (or too little to tell)."""
    if not a or not b:
        return None
    building_a, building_b = _building(a), _building(b)
    if building_a and building_b:
        if building_a != building_b:
            return False
        unit_a, unit_b = unit(a), unit(b)
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


def said_in(key: str | None, text: str) -> bool:
    """A place without a building that the report itself names (「垃圾站」 of 「19号楼西边那垃圾
    站满了」): the same spot said shorter by who reported it."""
    return bool(key) and _building(key) is None and not _fine_grained(key) and key in normalize_place(text)


# A place key read into its parts, the largest first: 青年路小区12栋2单元501 is the estate
# 青年路小区, building 12, unit 2, room 501; 12-2-501 the same without the estate; what
# follows the parts (门口, 楼下) is a spot at the smallest of them.
_DASHED = re.compile(r"^(?P<estate>\D*?)(?P<building>\d{1,3})-(?:(?P<unit>\d{1,2})-)?(?P<room>\d{3,4})(?P<spot>\D*)$")
_PARTS = re.compile(
    r"^(?:(?P<estate>\D+?)(?=\d{1,3}栋))?(?:(?P<building>\d{1,3})栋)?(?:(?P<unit>\d{1,2})单元)?"
    r"(?:(?P<floor>\d{1,2})(?:楼|层)(?!\d))?(?:(?P<room>\d{3,4})(?:室|号|房)?)?(?P<spot>.*)$"
)


@dataclass(frozen=True)
class Place:
    """A place key's parts; None where it says nothing of that part."""

    estate: str | None = None
    building: str | None = None
    unit: str | None = None
    floor: str | None = None
    room: str | None = None
    spot: str | None = None

    def key(self) -> str:
        """The key of this place, as normalize_place writes one (12栋2单元501)."""
        return "".join((
            self.estate or "", f"{self.building}栋" if self.building else "",
            f"{self.unit}单元" if self.unit else "", f"{self.floor}楼" if self.floor else "",
            self.room or "", self.spot or "",
        ))


@lru_cache(maxsize=4096)
def parse(key: str) -> Place:
    """The parts of a place key: its estate, building, unit, floor, room, and the spot."""
    match = _DASHED.match(key) or _PARTS.match(key)
    assert match is not None  # the second expression matches any text
    parts = {name: value or None for name, value in match.groupdict().items()}
    return Place(**{name: parts.get(name) for name in Place.__dataclass_fields__})


def enclosing(key: str) -> tuple[str, ...]:
    """The places a place is in, the nearest first: a flat's unit, its building, the estate
    the key names (青年路小区12栋2单元501: 青年路小区12栋2单元, 12栋2单元, 青年路小区12栋,
    12栋, 青年路小区); a spot's building (12栋门口: 12栋). None for a place not in a building."""
    place = parse(key)
    if place.building is None:
        return ()
    out = []
    for part in ("spot", "room", "floor", "unit", "building"):
        if getattr(place, part) is None:
            continue
        place = replace(place, **{part: None})
        if part == "building":
            out.append(place.estate or "")
            break
        out.append(place.key())
        if place.estate:
            out.append(replace(place, estate=None).key())
    return tuple(dict.fromkeys(k for k in out if k and k != key))


def finer(key: str | None, detail: str | None) -> str | None:
    """The place of `key` (a building or its unit) made finer by a floor or flat said alone
    after it (三栋一单元, then 「四楼 401」: 3栋1单元401); None when `detail` adds nothing
    there (another building, a spot, or `key` names a floor or flat already)."""
    if not key or not detail:
        return None
    where, more = parse(key), parse(detail)
    if where.building is None or where.floor or where.room or where.spot:
        return None
    if more.estate or more.building or more.spot or not (more.floor or more.room):
        return None
    if more.unit and where.unit and more.unit != where.unit:
        return None
    return replace(where, unit=where.unit or more.unit, floor=more.floor, room=more.room).key()


def ticket_place(ticket: Ticket) -> str | None:
    if ticket.location_key is None:
        return None
    return place_key(ticket.location_key, ticket.reporter_name or "")


# Telling of one's own home (「俺家卫生间…」, 「我家也闻到了」).
AT_HOME = phrase("places.at_home")


def home_said(text: str, sender_name: str) -> str | None:
    """The place of words that tell of the sender's own home and name no place: the home
    (or building) their display name says (「俺家卫生间屋顶往下滴水」 by "8-1-402 老刘":
    8-1-402; 「我家也闻到了」 by "5号楼3单元 林阿姨": 5栋3单元)."""
    if not AT_HOME.search(text):
        return None
    place = extract_place(sender_name)
    key = place_key(place, "") if place else None
    return key if key and _building(key) else None


def where_reported(ticket: Ticket) -> str | None:
    """The incident's place; for one that names none but tells of the reporter's home, that
    home — only to tell a report clearly elsewhere (a garage spot) from it: a home said is
    not named, so it never makes a report the same place as another (matching.incident)."""
    return ticket_place(ticket) or home_said(ticket.text, ticket.reporter_name or "")


def lives_in(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name is of the very home the incident is at ("8-2003 阿杰" of
    an incident at 8栋2003): the household it names, not a neighbour."""
    home = HOME.search(sender_name)
    there = HOME.search(ticket_place(ticket) or "")
    return bool(home and there and home.group(1, 2) == there.group(1, 2))


def kin_of(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name is one of the reporter's family ("王娭毑孙子 小王" of a
    report by "18栋 王娭毑"): speaking for the same household."""
    reporter = ticket.reporter_name or ""
    if not reporter or reporter == sender_name:
        return False
    return any(w in sender_name and KIN.search(sender_name.replace(w, "", 1)) for w in _name_words(reporter))


_NAME_PARTS = re.compile(r"[\s()（）]+")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    """The words of a display name that may name a person (two characters or more, no
    digits): read once per name, not once per message and incident."""
    return tuple(w for w in _NAME_PARTS.split(name) if len(w) >= 2 and not _DIGIT.search(w))


def building_where(place_key: str | None, sender_name: str) -> str | None:
    """The building a place key names, else the one the display name puts its sender in."""
    return (_building(place_key) if place_key else None) or _home_building(sender_name)


def home_key(sender_name: str) -> str | None:
    """The key of the building a display name puts its sender in ("12号楼 刘桂兰": 12栋)."""
    home = _home_building(sender_name)
    return f"{home}栋" if home else None


def lives_at(sender_name: str, ticket: Ticket) -> bool:
    """The sender's display name puts them in the incident's building ("7-2-1105 Kevin",
    "7栋 张姐" of an incident at 7栋)."""
    home = _home_building(sender_name)
    place = ticket_place(ticket)
    return bool(home and place and _building(place) == home)
