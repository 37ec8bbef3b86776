"""A worker away for part of a working day, and who covers: a hand-over until they are back.

An official of a grid saying in its group that they are away for a while today (培训, 开会,
在医院, 手机静音, 外出 …) and naming a colleague of the grid who covers (「上午培训，手机静音，
有急事找@王秀英」) hands the grid over: until they say they are back (我回来了, 开完会了 …)
or the day ends, the grid's new non-urgent tickets are the one covering's, acknowledgements
name her, and the reminders of the worker's open tickets go to her instead of ringing a phone
on silent. Alarms still wake everyone. Back, the tickets the one covering was given meanwhile
that are still open are the worker's again, and she is told in one message which.
Away for long and out of reach (跟车去医院, 在医院陪着, 住院, 请假) naming nobody: the grid's
backup covers. The words are data (intents/phrases.toml [away]: away, away_long, not_away,
covers, back).
Read only by handlers/holding.py (who holds a grid now, and why), heard by bot/router.py.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from handlers.context import Context
from handlers.directory import Grid, Identity
from handlers.messages import IncomingMessage, Outgoing, without_quote
from handlers.office_hours import is_office_day
from handlers.texts import AWAY as AWAY_TEXTS
from intents.phrases import alternatives, phrase
from storage import TicketState

# Away for a while: where they are (training, a meeting, a hospital, out on errands) or that
# their phone is off; not another day (明天, 下周), not a question.
AWAY = phrase("away.away")
NOT_AWAY = phrase("away.not_away")
# Away for long and out of reach (跟车去医院, 住院, 请假): naming nobody, the grid's backup covers
# (a meeting naming nobody changes nothing: she still reads her phone between items).
AWAY_LONG = phrase("away.away_long")
# Naming who covers: an @ or a colleague's name after 找, 联系, 问, 顶, 代 … (or 「X顶一下」).
# Back: 我回来了, 回来了, 开完会了, 培训完了/结束了, 手机开了.
BACK = phrase("away.back")
KIND = "away"  # actor_name: who is away; note: who covers
BACK_KIND = "away_back"  # actor_name: who is back


def hear(
    ctx: Context, msg: IncomingMessage, identity: Identity, grid: Grid | None
) -> list[Outgoing]:
    """An official of the grid saying in its group they are away and who covers (kept, an
    event of the grid), or that they are back (kept; what the one covering was given
    meanwhile is theirs again, and she is told)."""
    text = msg.text or ""
    if msg.room_id is None or grid is None or identity.name not in grid.workers:
        return []
    if not is_office_day(ctx.local(ctx.ts).date(), ctx.settings.office_hours):
        return []  # a day off: handlers/duty.py
    cover = covering(ctx, grid.id, identity.name)
    if cover is not None and BACK.search(text) and not AWAY.search(text):
        return _back(ctx, msg, grid, identity.name, cover)
    if AWAY.search(text) and not NOT_AWAY.search(text):
        named = _named(text, grid, identity.name)
        own = without_quote(text)  # what they said themselves, not the resident they answer
        if named is None and AWAY_LONG.search(own) and not _of_colleague(own, grid, identity.name):
            named = next((w for w in grid.workers if w != identity.name), None)  # in hospital, on leave
        if named is not None and named != cover:
            ctx.store.tickets.add_event(
                None,
                KIND,
                at=ctx.ts,
                actor_id=msg.sender_id,
                actor_name=identity.name,
                note=named,
                grid_id=grid.id,
                community_id=grid.community_id,
            )
    return []


def _named(text: str, grid: Grid, name: str) -> str | None:
    """The colleague of the grid the words name as covering."""
    covers = f"({alternatives('away.covers')})"
    for other in grid.workers:
        if other == name:
            continue
        short = re.escape(other)
        if re.search(
            f"{covers}.{{0,4}}{short}|{short}.{{0,4}}{covers}|@{short}", text
        ):
            return other
    return None


def _of_colleague(text: str, grid: Grid, name: str) -> bool:
    """The words name a colleague of the grid (王秀英, 王网格): 「王网格在医院」 is where she is,
    not the speaker."""
    return any(other in text or f"{other[0]}网格" in text for other in grid.workers if other != name)


def _midnight(ctx: Context) -> int:
    return int(datetime.combine(ctx.local(ctx.ts).date(), time(0, 0), ctx.tz).timestamp())


def _away_event(ctx: Context, grid_id: str, name: str):
    said = ctx.store.tickets.last_grid_event(KIND, grid_id, since=_midnight(ctx))
    if said is None or said.actor_name != name:
        return None
    back = ctx.store.tickets.last_grid_event(BACK_KIND, grid_id, since=said.at)
    if back is not None and back.actor_name == name:
        return None
    return said


def covering(ctx: Context, grid_id: str, name: str) -> str | None:
    """Who covers for `name` on this grid now: the colleague they named when they said
    today they were away, until they said they are back; else None."""
    said = _away_event(ctx, grid_id, name)
    return said.note if said is not None else None


def _back(ctx: Context, msg: IncomingMessage, grid: Grid, name: str, cover: str) -> list[Outgoing]:
    said = _away_event(ctx, grid.id, name)
    ctx.store.tickets.add_event(
        None,
        BACK_KIND,
        at=ctx.ts,
        actor_id=msg.sender_id,
        actor_name=name,
        note=cover,
        grid_id=grid.id,
        community_id=grid.community_id,
    )
    given = [
        t
        for t in ctx.store.tickets.select(states=[TicketState.OPEN], grid_ids=[grid.id])
        if t.assignee_name == cover
        and not t.urgent
        and said is not None
        and t.created_at >= said.at
    ]
    from handlers import notify  # notify -> holding -> away: at call time

    me = notify.person(ctx, name)
    for ticket in given:
        ctx.store.tickets.update(ticket.id, at=ctx.ts, assignee_name=name, assignee_id=me.id)
        ctx.store.tickets.add_event(
            ticket,
            "handed_back",
            at=ctx.ts,
            actor_name=cover,
            note=name,
            grid_id=grid.id,
            community_id=grid.community_id,
        )
    ids = "、".join(f"#{t.id}" for t in given)
    text = (
        AWAY_TEXTS["back_some"].format(name=name, ids=ids)
        if given
        else AWAY_TEXTS["back_none"].format(name=name)
    )
    return notify.privately(ctx, [cover], text)
