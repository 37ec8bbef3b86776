"""The work queue, a ticket with its timeline and actions, and the 疑似 messages.

Reads go through `Office.read` (off the event loop); each action is a command of the
chat's table run by its own handler (bot/web/actions.py), so it writes the same events
and queues the same chat messages as the command would.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.web import actions, labels
from bot.web.auth import OFFICE
from bot.web.office import Office, Official
from bot.web.render import OFFICIAL, render
from intents import mask
from intents.model import INTENTS
from storage import Store, Ticket

QUEUE_PAGE = 50  # tickets on one page of the queue, most urgent and most overdue first
MAX_PAGE = 200  # a page further on reads more: filter instead
SUSPECTS_SHOWN = 30
UNPLACED = "住处不明（私聊）"


def not_found(request: web.Request, what: str = "这张工单") -> web.Response:
    return render(
        "message.html", request,
        {"title": "没有找到", "text": f"没有找到{what}，或者它不在您负责的范围内。"}, status=404,
    )


# --- the work queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    grid: str | None
    state: str | None
    intent: str | None
    overdue: bool
    urgent: bool
    page: int = 1

    @classmethod
    def read(cls, query, official: Official) -> QueueFilter:
        """Only values that exist and are the official's own are taken; others ignored."""
        grid = query.get("grid") or None
        state = query.get("state") or None
        intent = query.get("intent") or None
        page = query.get("page", "1")
        return cls(
            grid=grid if grid is not None and official.sees(grid) else None,
            state=state if state in labels.QUEUE_STATES else None,
            intent=intent if intent in labels.TICKET_INTENTS else None,
            overdue=query.get("overdue") == "1",
            urgent=query.get("urgent") == "1",
            page=min(int(page), MAX_PAGE) if page.isdigit() and int(page) >= 1 else 1,
        )

    def query_string(self) -> str:
        """The filters (not the page): what the tiles, the form and the page links keep."""
        pairs = [("grid", self.grid), ("state", self.state), ("intent", self.intent),
                 ("overdue", "1" if self.overdue else None), ("urgent", "1" if self.urgent else None)]
        return "&".join(f"{k}={v}" for k, v in pairs if v)

    def at_page(self, page: int) -> str:
        """This queue's address at another page, its filters kept."""
        return "&".join(filter(None, [self.query_string(), f"page={page}" if page > 1 else ""]))


async def _queue_context(request: web.Request) -> dict:
    office, official = request.app[OFFICE], request[OFFICIAL]
    chosen = QueueFilter.read(request.query, official)
    grid_ids = [chosen.grid] if chosen.grid else list(official.grid_ids)
    states = [chosen.state] if chosen.state else ["open", "accepted"]
    now = office.ts()

    def load(store: Store):
        chosen_queue = store.dashboard.queue(
            grid_ids, states, now=now, intent=chosen.intent,
            urgent_only=chosen.urgent, overdue_only=chosen.overdue,
            limit=QUEUE_PAGE, offset=(chosen.page - 1) * QUEUE_PAGE,
        )
        if not chosen.grid:  # the whole scope: its counts are the tiles'
            return chosen_queue, chosen_queue.counts
        whole = store.dashboard.queue(
            list(official.grid_ids), ["open", "accepted"], now=now, limit=0,
        )
        return chosen_queue, whole.counts

    queue, counts = await office.read(load)
    rows, total = queue.rows, queue.total
    shown = []
    for row in rows:
        words, overdue = labels.countdown(row.deadline, now)
        grid = office.directory.grid(row.ticket.grid_id)
        shown.append({
            "t": row.ticket, "reporters": row.reporters, "countdown": words, "overdue": overdue,
            "grid": grid.name if grid else row.ticket.grid_id,
        })
    shown_to = (chosen.page - 1) * QUEUE_PAGE + len(rows)
    return {
        "rows": shown, "total": total, "filter": chosen, "counts": counts,
        "first": (chosen.page - 1) * QUEUE_PAGE + 1, "last": shown_to,
        "more": max(0, total - shown_to),
        "next": chosen.at_page(chosen.page + 1) if total > shown_to and chosen.page < MAX_PAGE else None,
        "previous": chosen.at_page(chosen.page - 1) if chosen.page > 1 else None,
        "grids": [office.directory.grid(g) for g in official.grid_ids],
        "updated": labels.local_time(now, office.config.tz),
    }


async def queue_page(request: web.Request) -> web.Response:
    context = await _queue_context(request)
    return render("queue.html", request, context)


async def queue_rows(request: web.Request) -> web.Response:
    """The rows alone: what htmx fetches every 30 seconds."""
    context = await _queue_context(request)
    return render("_queue_fragment.html", request, context)


# --- one ticket ---------------------------------------------------------------------------


def _ticket_in_scope(request: web.Request) -> Ticket | None:
    office, official = request.app[OFFICE], request[OFFICIAL]
    try:
        number = int(request.match_info["id"])
    except ValueError:
        return None
    ticket = office.store.tickets.get(number)
    if ticket is None or not official.sees(ticket.grid_id):
        return None
    return ticket


async def ticket_page(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    ticket = _ticket_in_scope(request)
    if ticket is None:
        return not_found(request)
    tz = office.config.tz

    def load(store: Store) -> tuple:
        return (
            store.tickets.events(ticket.id), store.dashboard.reports(ticket.id),
            store.notes.attachments(ticket.id),
        )

    events, reports, photos = await office.read(load)
    words, overdue = labels.countdown(ticket.deadline_at if ticket.status.is_open else None, office.ts())
    grid = office.directory.grid(ticket.grid_id)
    community = office.directory.community(ticket.community_id)
    notice = actions.recall(request)
    response = render("ticket.html", request, {
        "t": ticket, "grid": grid, "community": community, "countdown": words,
        "overdue": overdue, "tz": tz,
        "events": [
            {"at": labels.local_time(e.at, tz), "what": labels.event_label(e.kind),
             "kind": e.kind, "who": labels.actor_label(e.actor_name),
             "note": mask(labels.event_note(e.kind, e.note))}
            for e in events
        ],
        "reports": [
            {"who": r.person_name, "room": r.room_topic or "私聊", "at": labels.local_time(r.joined_at, tz),
             "text": mask(r.text) if r.text else "", "photos": r.media_count}
            for r in reports
        ],
        "photos": [p["id"] for p in photos if p["kind"] == "image"],
        "actions": actions.available(ticket),
        "corrections": [a for a in actions.CORRECTIONS if a in actions.available(ticket)],
        "all_intents": [(code, labels.intent_label(code)) for code in INTENTS],
        "urgent_minutes": office.config.settings.sla.accept_minutes_urgent,
        "transfer_to": transfer_choices(office, ticket),
        "notice": notice,
        "level": labels.LEVEL_ZH.get(ticket.escalation_level, ""),
    })
    if notice is not None:
        actions.forget(response, ticket.id)
    return response


async def ticket_photo(request: web.Request) -> web.StreamResponse:
    office = request.app[OFFICE]
    ticket = _ticket_in_scope(request)
    try:
        attachment_id = int(request.match_info["photo"])
    except ValueError:
        attachment_id = -1
    row = office.store.dashboard.attachment(ticket.id, attachment_id) if ticket else None
    media = (office.config.data_dir / "media").resolve()
    path = Path(row["path"]).resolve() if row else None
    if path is None or not path.is_relative_to(media) or not path.is_file():
        return not_found(request, "这张照片")
    return web.FileResponse(path, headers={
        "Content-Type": _image_type(path), "Cache-Control": "private, max-age=3600",
    })


def _image_type(path: Path) -> str:
    head = path.open("rb").read(12)
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head.startswith(b"GIF8"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.types_map.get(path.suffix, "application/octet-stream")


# --- actions: the chat command's own handlers ------------------------------------------------


def transfer_choices(office: Office, ticket: Ticket) -> list[str]:
    """Workers of the ticket's community and its staff, the grid's own workers first."""
    grid = office.directory.grid(ticket.grid_id)
    names = list(grid.workers) if grid else []
    for g in office.directory.grids_of_community(ticket.community_id):
        names += g.workers
    community = office.directory.community(ticket.community_id)
    names += community.staff if community else ()
    return [n for n in dict.fromkeys(names) if n != ticket.assignee_name]


async def ticket_action(request: web.Request) -> web.Response:
    office, official = request.app[OFFICE], request[OFFICIAL]
    ticket = _ticket_in_scope(request)
    if ticket is None:
        return not_found(request)
    name = request.match_info["action"]
    done = actions.run(office, official, ticket, name, await request.post())
    if done is None:  # not for this ticket now, or the form was incomplete
        raise web.HTTPSeeOther(f"/tickets/{ticket.id}")
    response = web.HTTPSeeOther(f"/tickets/{ticket.id}?done={name}")
    actions.remember(response, ticket.id, done)
    raise response


# --- 疑似: messages the bot was unsure of ------------------------------------------------------


async def suspects_page(request: web.Request) -> web.Response:
    office, official = request.app[OFFICE], request[OFFICIAL]
    tz = office.config.tz

    def load(store: Store) -> list:
        rows = store.notes.suspects(
            list(official.grid_ids), limit=SUSPECTS_SHOWN, unplaced=official.identity.is_admin
        )
        return [(s, store.dashboard.conversation(s.message_id)) for s in rows]

    shown = []
    for suspect, talk in await office.read(load):
        grid = office.directory.grid(suspect.grid_id) if suspect.grid_id else None
        shown.append({
            "s": suspect, "grid": grid.name if grid else suspect.grid_id or UNPLACED,
            "at": labels.local_time(suspect.created_at, tz),
            "guess": labels.intent_label(suspect.intent),
            "as": suspect.intent if suspect.intent in labels.TICKET_INTENTS else "inquiry",
            "talk": [
                {"who": m.sender_name, "at": labels.local_time(m.sent_at, tz),
                 "text": mask(m.text), "me": m.message_id == suspect.message_id}
                for m in talk
            ] or [{"who": suspect.sender_name, "at": labels.local_time(suspect.created_at, tz),
                   "text": mask(suspect.text), "me": True}],
        })
    grids = [office.directory.grid(g) for g in official.grid_ids]
    notice = actions.recall(request)
    response = render("suspects.html", request, {
        "suspects": shown, "grids": grids, "notice": notice,
        "ticket_intents": [(code, labels.intent_label(code)) for code in labels.TICKET_INTENTS],
    })
    if notice is not None:
        actions.forget(response, path="/suspects")
    return response


def _suspect_in_scope(request: web.Request):
    """The 疑似 of the path's id, if the signed-in official's scope holds it."""
    try:
        number = int(request.match_info["id"])
    except ValueError:
        return None
    suspect = request.app[OFFICE].store.notes.suspect(number)
    return suspect if suspect is not None and request[OFFICIAL].sees(suspect.grid_id) else None


async def register_suspect(request: web.Request) -> web.Response:
    """登记 <n>: the 疑似 message becomes a ticket, as when said in chat."""
    office, official = request.app[OFFICE], request[OFFICIAL]
    suspect = _suspect_in_scope(request)
    if suspect is None:
        return not_found(request, "这条疑似诉求")
    form = await request.post()  # a 疑似 of no grid yet: the grid chosen on the page
    if suspect.grid_id is not None:
        form = {"intent": form.get("intent", "")}
    done = actions.register_suspect(office, official, suspect.id, form)
    registered = office.store.notes.suspect(suspect.id)
    if registered is None or registered.ticket_id is None:
        response = web.HTTPSeeOther("/suspects")
    else:
        response = web.HTTPSeeOther(f"/tickets/{registered.ticket_id}?done=register")
        actions.remember(response, registered.ticket_id, done)
    raise response


async def dismiss_suspect(request: web.Request) -> web.Response:
    """Not a need: listed no more, and learnt as chatter (handlers.corrections.dismiss)."""
    office, official = request.app[OFFICE], request[OFFICIAL]
    suspect = _suspect_in_scope(request)
    if suspect is None:
        return not_found(request, "这条疑似诉求")
    done = actions.dismiss_suspect(office, official, suspect.id)
    response = web.HTTPSeeOther("/suspects?done=dismiss")
    actions.remember_at(response, "/suspects", done)
    raise response


def routes() -> list[web.RouteDef]:
    return [
        web.get("/", queue_page),
        web.get("/queue/rows", queue_rows),
        web.get("/tickets/{id}", ticket_page),
        web.get("/tickets/{id}/photos/{photo}", ticket_photo),
        web.post("/tickets/{id}/{action}", ticket_action),
        web.get("/suspects", suspects_page),
        web.post("/suspects/{id}/register", register_suspect),
        web.post("/suspects/{id}/dismiss", dismiss_suspect),
    ]
