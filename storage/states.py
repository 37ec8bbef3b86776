"""The states of a ticket: which may follow which, and the one Chinese name of each.

The name is the one residents read in the chat ("工单 #3 当前状态：处理中"), and the one the
CSV export and the command line show: one word per state everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class TicketState(StrEnum):
    OPEN = "open"  # created, the worker pinged, nobody has taken it yet
    ACCEPTED = "accepted"  # a worker took it (or it came back: not fixed)
    RESOLVED = "resolved"  # the worker says it is done; the resident is asked
    CLOSED = "closed"  # rated, or left unrated long enough
    CANCELLED = "cancelled"  # withdrawn by the resident, or invalid
    MERGED = "merged"  # a duplicate of another ticket

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        """Somebody still has to act on it (take it or finish it)."""
        return self in OPEN_STATES

    @property
    def is_done(self) -> bool:
        """The work is done (whether or not the resident has rated it)."""
        return self in (TicketState.RESOLVED, TicketState.CLOSED)

    def may_become(self, other: TicketState) -> bool:
        return other in _NEXT[self]


_LABELS = {
    TicketState.OPEN: "待接单",
    TicketState.ACCEPTED: "处理中",
    TicketState.RESOLVED: "已处理待评价",
    TicketState.CLOSED: "已办结",
    TicketState.CANCELLED: "已撤销",
    TicketState.MERGED: "已合并",
}

# open -> accepted -> resolved -> closed; resolved or closed -> accepted (not fixed after
# all, or broken again within days); accepted -> open when handed to someone else, who
# must take it anew.
_NEXT: dict[TicketState, frozenset[TicketState]] = {
    TicketState.OPEN: frozenset(
        {TicketState.ACCEPTED, TicketState.CANCELLED, TicketState.MERGED}
    ),
    TicketState.ACCEPTED: frozenset(
        {TicketState.RESOLVED, TicketState.OPEN, TicketState.CANCELLED, TicketState.MERGED}
    ),
    TicketState.RESOLVED: frozenset({TicketState.CLOSED, TicketState.ACCEPTED}),
    TicketState.CLOSED: frozenset({TicketState.ACCEPTED}),
    TicketState.CANCELLED: frozenset(),
    TicketState.MERGED: frozenset(),
}

OPEN_STATES = (TicketState.OPEN, TicketState.ACCEPTED)
ACTIVE_STATES = (TicketState.OPEN, TicketState.ACCEPTED, TicketState.RESOLVED)
DONE_STATES = (TicketState.RESOLVED, TicketState.CLOSED)


def state_of(value: str) -> TicketState:
    """The state stored as `value` (a dict lookup: cheaper than the enum's own call)."""
    return _BY_VALUE[value]


def label(state: str) -> str:
    """The Chinese name of a state read from anywhere (an unknown one is shown as is)."""
    known = _BY_VALUE.get(state)
    return known.label if known is not None else state


_BY_VALUE = {s.value: s for s in TicketState}
