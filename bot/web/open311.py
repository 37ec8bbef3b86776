"""Open311 GeoReport v2 for the city's systems: services, requests (read and create).

https://wiki.open311.org/GeoReport_v2 — field names and formats as the spec has them;
JSON only. A service is an intent; a request is a ticket; `address_id` is the grid id
(the bot's "addressing system"); status is `open` while somebody has to act, `closed`
after. Nothing personal of residents goes out: no names or ids, the text with phone, ID
and flat numbers masked, no photos.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.web import labels
from bot.web.auth import OFFICE
from bot.web.office import Office
from handlers import report
from handlers.context import Context
from handlers.messages import IncomingMessage, Outgoing
from intents import mask, normalize_place
from storage import Store, Ticket

SERVICE_DESCRIPTIONS = {
    "repair": "公共设施损坏报修：路灯、井盖、电梯、水管、门禁等",
    "errand": "为老人、残疾人等代办、帮办的事",
    "dispute": "邻里矛盾、噪音、漏水、占道等纠纷调解",
    "safety": "消防通道堵塞、楼道充电、高空抛物等安全隐患",
    "sanitation": "垃圾、污水、卫生死角等环境卫生问题",
    "wish": "居民的微心愿，由志愿者和共建单位认领",
    "inquiry": "政策、办事流程等咨询",
}
GROUP = "网格诉求"
DEFAULT_DAYS = 90  # the spec: without dates, the last 90 days
MAX_REQUESTS = 1000  # the spec: at most 1000 requests per answer
OPEN, CLOSED = ("open", "accepted"), ("resolved", "closed", "cancelled", "merged")
REQUESTER = "open311"
_FLAT = re.compile(r"(\d+)\s*[-－—_]\s*(\d+)\s*[-－—_]\s*\d{2,4}")
_ROOM = re.compile(r"\d{3,4}\s*(室|房|号房)")


def public_text(text: str | None) -> str | None:
    """What may leave the office: phone and ID numbers starred, flat numbers cut to the
    building (5-2-601 -> 5-2-***, 601室 -> ***室)."""
    if text is None:
        return None
    text = mask(text)
    text = _FLAT.sub(lambda m: f"{m.group(1)}-{m.group(2)}-***", text)
    return _ROOM.sub(lambda m: f"***{m.group(1)}", text)


def w3c(ts: int | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 / W3C with the offset, as the spec shows: 2010-04-14T06:37:38-08:00."""
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds") if ts is not None else None


def _json(data: object, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def _dumps(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


def _error(status: int, description: str) -> web.Response:
    return _json([{"code": status, "description": description}], status=status)


# --- services -----------------------------------------------------------------------------


async def services(request: web.Request) -> web.Response:
    return _json([
        {
            "service_code": code, "service_name": labels.intent_label(code),
            "description": SERVICE_DESCRIPTIONS.get(code, ""), "metadata": False,
            "type": "realtime", "keywords": "", "group": GROUP,
        }
        for code in labels.TICKET_INTENTS
    ])


# --- requests -----------------------------------------------------------------------------


def as_request(office: Office, ticket: Ticket) -> dict:
    tz = office.config.tz
    grid = office.directory.grid(ticket.grid_id)
    community = office.directory.community(ticket.community_id)
    agency = " ".join(x.name for x in (community, grid) if x is not None) or ticket.grid_id
    expected = ticket.deadline_at if ticket.status in OPEN else None  # the holder's, as the bot's
    return {
        "service_request_id": str(ticket.id),
        "status": "open" if ticket.status in OPEN else "closed",
        "status_notes": _status_notes(ticket),
        "service_name": labels.intent_label(ticket.intent),
        "service_code": ticket.intent,
        "description": public_text(ticket.masked_text),
        "agency_responsible": agency,
        "service_notice": "紧急" if ticket.urgent else None,
        "requested_datetime": w3c(ticket.created_at, tz),
        "updated_datetime": w3c(ticket.updated_at, tz),
        "expected_datetime": w3c(expected, tz),
        "address": public_text(ticket.location),
        "address_id": ticket.grid_id,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _status_notes(ticket: Ticket) -> str:
    state = labels.state_label(ticket.status)
    if ticket.status == "merged" and ticket.merged_into:
        return f"{state}到工单 {ticket.merged_into}"
    if ticket.status in ("resolved", "closed") and ticket.resolution_note:
        return f"{state}：{public_text(ticket.resolution_note)}"
    return state


def _parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment


async def requests_list(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    q = request.query
    tz = office.config.tz
    ids = None
    if q.get("service_request_id"):
        try:
            ids = [int(x) for x in q["service_request_id"].split(",") if x.strip()]
        except ValueError:
            return _error(400, "service_request_id: comma-separated numbers")
    codes = [c.strip() for c in q["service_code"].split(",")] if q.get("service_code") else None
    if codes and any(c not in labels.TICKET_INTENTS for c in codes):
        return _error(400, f"service_code: one of {', '.join(labels.TICKET_INTENTS)}")
    states = None
    if q.get("status"):
        wanted = {s.strip() for s in q["status"].split(",")}
        if not wanted <= {"open", "closed"}:
            return _error(400, "status: open or closed")
        states = [*(OPEN if "open" in wanted else ()), *(CLOSED if "closed" in wanted else ())]
    bounds = []
    for key in ("start_date", "end_date"):
        moment = _parse_time(q[key]) if q.get(key) else None
        if q.get(key) and moment is None:
            return _error(400, f"{key}: a W3C date-time, e.g. 2026-11-23T09:00:00+08:00")
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        bounds.append(moment)
    start_at, end_at = bounds
    now = office.now()
    end_at = end_at or now + timedelta(seconds=1)
    start_at = start_at or end_at - timedelta(days=DEFAULT_DAYS)

    def load(store: Store) -> list[dict]:
        tickets = store.dashboard.requests(
            start=int(start_at.timestamp()), end=int(end_at.timestamp()), ids=ids,
            intents=codes, states=states, limit=MAX_REQUESTS,
        )
        return [as_request(office, t) for t in tickets]

    return _json(await office.read(load))


async def request_one(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    try:
        number = int(request.match_info["id"])
    except ValueError:
        return _error(404, "no such service request")
    ticket = office.store.tickets.get(number)
    if ticket is None:
        return _error(404, "no such service request")
    return _json([as_request(office, ticket)])


async def create_request(request: web.Request) -> web.Response:
    """POST requests.json: a ticket in the grid named by `address_id`, its worker pinged
    as for any report; the answer is the new request's id."""
    office = request.app[OFFICE]
    form = await request.post()
    key = office.web.open311_api_key
    given = str(form.get("api_key", ""))
    if not key or not hmac.compare_digest(given.encode(), key.encode()):
        return _error(403, "api_key: missing or not valid")
    code = str(form.get("service_code", ""))
    if code not in labels.TICKET_INTENTS:
        return _error(400, f"service_code: one of {', '.join(labels.TICKET_INTENTS)}")
    description = str(form.get("description", "")).strip()
    if not description:
        return _error(400, "description: required")
    grids = office.directory.grids
    grid_id = str(form.get("address_id", "")).strip() or (grids[0].id if len(grids) == 1 else "")
    grid = office.directory.grid(grid_id)
    if grid is None:
        return _error(400, f"address_id: the grid, one of {', '.join(g.id for g in grids)}")
    place = str(form.get("address_string", "")).strip()[:100] or None
    name = " ".join(str(form.get(k, "")).strip() for k in ("first_name", "last_name")).strip()
    phone = str(form.get("phone", "")).strip()
    text = description[:2000] + (f"（联系电话 {phone[:30]}）" if phone else "")
    reporter = name[:30] or "市民"

    def handler(ctx: Context, msg: IncomingMessage) -> list[Outgoing]:
        c = ctx.classifier.classify(description[:2000])
        where = place or c.place
        out = report.open_from_message(
            ctx, msg, grid, text=text, intent=code, urgent=c.urgent, place=where,
            place_key=normalize_place(where) if where else None, masked_text=mask(text),
            emergency=c.emergency,
        )
        # The requester is a system: it is answered by this response, not by a chat message.
        return [o for o in out if o.to is None or o.to.id != msg.sender_id]

    msg = office.message(sender_id=REQUESTER, sender_name=reporter, text=text)
    office.run(msg, handler)
    ticket = office.store.tickets.by_source_message(msg.message_id)
    if ticket is None:
        return _error(500, "the request could not be stored")
    return _json([{
        "service_request_id": str(ticket.id),
        "service_notice": f"已登记为工单 {ticket.id}，{grid.name}网格员会跟进。",
        "account_id": None,
    }])


def routes() -> list[web.RouteDef]:
    return [
        web.get("/open311/v2/services.json", services),
        web.get("/open311/v2/requests.json", requests_list),
        web.post("/open311/v2/requests.json", create_request),
        web.get("/open311/v2/requests/{id}.json", request_one),
    ]
