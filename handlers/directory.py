"""Who is who in the communities: grids, their rooms, workers, staff and admins.

Built from the config by `bot.config`; the handlers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from handlers.messages import Person


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
    def _admin_rooms(self) -> dict[str, Community]:
        return {c.admin_room: c for c in self.communities if c.admin_room}

    @cached_property
    def _by_wechat_id(self) -> dict[str, PersonEntry]:
        return {p.wechat_id: p for p in self.people if p.wechat_id}

    @cached_property
    def _by_name(self) -> dict[str, PersonEntry]:
        return {p.name: p for p in self.people}

    @cached_property
    def _official_names(self) -> frozenset[str]:
        names = set(self.admins)
        for c in self.communities:
            names.update(c.staff)
        for g in self.grids:
            names.update(g.workers)
            names.update(g.volunteers)
        return frozenset(names)

    def grid(self, grid_id: str) -> Grid | None:
        return self._grids.get(grid_id)

    def community(self, community_id: str) -> Community | None:
        return self._communities.get(community_id)

    def grid_for_room(self, room_id: str | None, topic: str | None) -> Grid | None:
        return self._rooms.get(room_id) or (self._rooms.get(topic) if topic else None)

    def community_for_admin_room(self, room_id: str | None, topic: str | None) -> Community | None:
        rooms = self._admin_rooms
        return rooms.get(room_id) or (rooms.get(topic) if topic else None)

    def grids_of_community(self, community_id: str) -> list[Grid]:
        return [g for g in self.grids if g.community_id == community_id]

    def canonical_name(self, sender_id: str, sender_name: str) -> str | None:
        """The config name of this sender, or None for a resident.

        A person with a wechat_id is recognised by that id only (a display name can be
        copied); a person without one is recognised by display name.
        """
        entry = self._by_wechat_id.get(sender_id)
        if entry is not None:
            return entry.name
        entry = self._by_name.get(sender_name)
        if entry is not None and entry.wechat_id:
            return None
        if entry is not None or sender_name in self._official_names:
            return sender_name
        return None

    def identify(self, sender_id: str, sender_name: str) -> Identity:
        name = self.canonical_name(sender_id, sender_name)
        if name is None:
            return Identity(name=sender_name)
        return self._roles_of(name)

    def official_named(self, name: str) -> Identity | None:
        """The official of this config name, to address (a 转 12 马建民 target), whether or
        not they have a wechat_id; None when no official has this name. Not for telling who
        a sender is: that is `identify`."""
        return self._roles_of(name) if name in self._official_names else None

    def official_names(self) -> frozenset[str]:
        return self._official_names

    def _roles_of(self, name: str) -> Identity:
        return Identity(
            name=name,
            is_admin=name in self.admins,
            worker_of=tuple(g.id for g in self.grids if name in g.workers),
            staff_of=tuple(c.id for c in self.communities if name in c.staff),
            volunteer_of=tuple(g.id for g in self.grids if name in g.volunteers),
        )

    def configured_id(self, name: str) -> str | None:
        entry = self._by_name.get(name)
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

    def person(self, name: str, seen_id: str | None = None) -> Person:
        return Person(name=name, id=self.configured_id(name) or seen_id)
