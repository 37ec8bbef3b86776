"""Who is who in the communities: grids, their rooms, workers, staff and admins.

Built from the config by `bot.config`; the handlers only read it. Who is *speaking* is
decided by handlers/identity.py: in a real chat by WeChat id only, in the simulator by
name. Names are compared normalised (`name_key`), so 孙丽, "孙丽 ", 孙\u200b丽 and a
right-to-left override around 孙丽 are all the same name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Invisible characters a look-alike name may hide: zero-width, joiners, bidi controls,
# fillers, variation selectors, soft hyphen, tags.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)


# A role written beside a name in a group nickname, in brackets or after a dash or bar,
# before or after it (compared on name_key's form: NFKC, so full-width brackets are plain).
_ROLES = "网格员|网格长|专职网格员|兼职网格员|社区|社区书记|书记|主任|社区主任|居委会|志愿者|街道|工作人员"
_ROLE_TAG = re.compile(
    rf"^(?:[(\[【]?(?:{_ROLES})[)\]】]?[-_|·:]?)|(?:[-_|·:]?[(\[【]?(?:{_ROLES})[)\]】]?)$"
)

# The role written just after a name as it is typed (@王秀英(网格员) in a message).
ROLE_AFTER_NAME = re.compile(rf"\s*[(（\[【](?:{_ROLES})[)）\]】]")


@lru_cache(maxsize=4096)  # every message's sender is compared with the officials
def name_key(name: str | None) -> str:
    """A name as compared: NFKC, without invisible, bidi or format characters, combining
    marks or spaces, case-folded. Two names that look alike have the same key."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _INVISIBLE.sub("", text)
    text = "".join(
        ch for ch in text
        if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Mn", "Me", "Zs")
    )
    return text.casefold()


@dataclass(frozen=True)
class Community:
    id: str
    name: str
    staff: tuple[str, ...]
    admin_room: str | None = None  # topic or room id of the community staff's own group


@dataclass(frozen=True)
class Grid:
    id: str
    community_id: str
    name: str
    rooms: tuple[str, ...]  # topics or room ids
    workers: tuple[str, ...]  # the first is in charge, the rest back up
    volunteers: tuple[str, ...] = ()
    property: tuple[str, ...] = ()  # the property company's people told of a hazard (handlers/severity.py)


@dataclass(frozen=True)
class PersonEntry:
    name: str
    wechat_id: str | None = None
    grid_id: str | None = None


@dataclass(frozen=True)
class Identity:
    """What the bot knows of a sender: their roles decide what they may do."""

    name: str
    is_admin: bool = False
    worker_of: tuple[str, ...] = ()  # grid ids
    staff_of: tuple[str, ...] = ()  # community ids
    volunteer_of: tuple[str, ...] = ()

    @property
    def is_official(self) -> bool:
        return self.is_admin or bool(self.worker_of) or bool(self.staff_of)


@dataclass(frozen=True)
class Directory:
    bot_name: str
    admins: tuple[str, ...]
    communities: tuple[Community, ...]
    grids: tuple[Grid, ...]
    people: tuple[PersonEntry, ...] = ()

    # Lookups by key, built on first use (the directory never changes once loaded).
    @cached_property
    def _grids(self) -> dict[str, Grid]:
        return {g.id: g for g in self.grids}

    @cached_property
    def _communities(self) -> dict[str, Community]:
        return {c.id: c for c in self.communities}

    @cached_property
    def _rooms(self) -> dict[str, Grid]:
        return {ref: g for g in self.grids for ref in g.rooms}

    @cached_property
    def _rooms_by_topic(self) -> dict[str, Grid]:
        return {name_key(ref): g for g in self.grids for ref in g.rooms}

    @cached_property
    def _admin_rooms(self) -> dict[str, Community]:
        return {c.admin_room: c for c in self.communities if c.admin_room}

    @cached_property
    def _admin_rooms_by_topic(self) -> dict[str, Community]:
        return {name_key(c.admin_room): c for c in self.communities if c.admin_room}

    @cached_property
    def _by_wechat_id(self) -> dict[str, PersonEntry]:
        return {p.wechat_id: p for p in self.people if p.wechat_id}

    @cached_property
    def _by_name(self) -> dict[str, PersonEntry]:
        return {name_key(p.name): p for p in self.people}

    @cached_property
    def _official_names(self) -> dict[str, str]:
        """name key -> the name as configured, of every admin, staff, worker, volunteer."""
        names = list(self.admins)
        for c in self.communities:
            names += c.staff
        for g in self.grids:
            names += g.workers + g.volunteers
        return {name_key(n): n for n in names}

    def grid(self, grid_id: str) -> Grid | None:
        return self._grids.get(grid_id)

    def community(self, community_id: str) -> Community | None:
        return self._communities.get(community_id)

    def grid_for_room(self, room_id: str | None, topic: str | None) -> Grid | None:
        """The grid whose configured rooms name this room, by id or by (normalised) topic."""
        return self._rooms.get(room_id) or (
            self._rooms_by_topic.get(name_key(topic)) if topic else None
        )

    def community_for_admin_room(self, room_id: str | None, topic: str | None) -> Community | None:
        return self._admin_rooms.get(room_id) or (
            self._admin_rooms_by_topic.get(name_key(topic)) if topic else None
        )

    def room_ref(self, room_id: str | None, topic: str | None) -> str | None:
        """The configured room reference (a topic or an id) that names this room."""
        if room_id in self._rooms or room_id in self._admin_rooms:
            return room_id
        key = name_key(topic) if topic else None
        refs = [r for g in self.grids for r in g.rooms]
        refs += [c.admin_room for c in self.communities if c.admin_room]
        return next((r for r in refs if key and name_key(r) == key), None)

    def is_room_id_ref(self, ref: str) -> bool:
        """A configured room given by its id (bound by the config itself) or by topic."""
        return "@" in ref or ref.startswith("sim-room:")

    def grids_of_community(self, community_id: str) -> list[Grid]:
        return [g for g in self.grids if g.community_id == community_id]

    def configured_name(self, wechat_id: str) -> str | None:
        """The config person whose wechat_id this is."""
        entry = self._by_wechat_id.get(wechat_id)
        return entry.name if entry is not None else None

    def official_name(self, name: str) -> str | None:
        """The configured name of the official (or volunteer) this name looks like; a
        group nickname that adds the role to the name (王秀英(网格员), 网格员-王秀英,
        李强｜社区) is that name too."""
        key = name_key(name)
        found = self._official_names.get(key)
        if found is None:
            bare = _ROLE_TAG.sub("", key)
            found = self._official_names.get(bare) if bare and bare != key else None
        return found

    def canonical_name(self, sender_id: str, sender_name: str) -> str | None:
        """The config name of this sender when names are trusted (the simulator), or None
        for a resident. A person with a wechat_id is recognised by that id only."""
        by_id = self.configured_name(sender_id)
        if by_id is not None:
            return by_id
        name = self.official_name(sender_name)
        if name is None or self.configured_id(name):
            return None
        return name

    def identify(self, sender_id: str, sender_name: str) -> Identity:
        """Who this sender is when display names are trusted (the simulator, test chats)."""
        name = self.canonical_name(sender_id, sender_name)
        return self.roles_of(name) if name is not None else Identity(name=sender_name)

    def roles_of(self, name: str) -> Identity:
        """The roles the config gives this (configured) name."""
        return Identity(
            name=name,
            is_admin=name in self.admins,
            worker_of=tuple(g.id for g in self.grids if name in g.workers),
            staff_of=tuple(c.id for c in self.communities if name in c.staff),
            volunteer_of=tuple(g.id for g in self.grids if name in g.volunteers),
        )

    def official_names(self) -> frozenset[str]:
        """Every admin, staff, worker and volunteer name as configured."""
        return frozenset(self._official_names.values())

    def official_named(self, name: str) -> Identity | None:
        """The official a name refers to (转 12 孙丽, a binding code for 孙丽), compared
        normalised; None when no official has this name. Not for telling who a sender
        is: that is handlers/identity.py."""
        configured = self.official_name(name)
        if configured is None:
            return None
        identity = self.roles_of(configured)
        return identity if identity.is_official else None

    def configured_id(self, name: str) -> str | None:
        entry = self._by_name.get(name_key(name))
        return entry.wechat_id if entry else None

    def may_act_on(self, identity: Identity, grid_id: str) -> bool:
        """Workers of the grid, staff of its community and admins act on its tickets."""
        if identity.is_admin or grid_id in identity.worker_of:
            return True
        grid = self.grid(grid_id)
        return grid is not None and grid.community_id in identity.staff_of

    def grids_in_charge(self, identity: Identity) -> list[str]:
        """The grids whose tickets this person sees in 待办 / 疑似 / 统计."""
        if identity.is_admin:
            return [g.id for g in self.grids]
        ids = list(identity.worker_of)
        for community_id in identity.staff_of:
            ids += [g.id for g in self.grids_of_community(community_id) if g.id not in ids]
        return ids
