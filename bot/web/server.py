"""The dashboard's aiohttp application, and the server that runs it on the bot's loop.

Pages are rendered on the server (Jinja2); htmx refreshes the queue; ECharts draws the
statistics; every asset is served from this package (the machines may have no internet).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.app import Application
from bot.web import auth, labels, open311, pages, stats
from bot.web.auth import OFFICE
from bot.web.office import Office
from bot.web.render import OFFICIAL, render

log = logging.getLogger("gridbot.web")
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
MAX_BODY = 1024 * 1024


def _static_versions() -> dict[str, str]:
    """A short hash per static file, so a browser never keeps an old copy after an update."""
    return {
        str(path.relative_to(STATIC)): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in STATIC.rglob("*") if path.is_file()
    }


def create_app(app: Application) -> web.Application:
    office = Office(app)
    web_app = web.Application(middlewares=[guard_headers, auth.require_session],
                              client_max_size=MAX_BODY)
    web_app[OFFICE] = office
    versions = _static_versions()
    env = aiohttp_jinja2.setup(
        web_app, loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["static"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
    env.globals["bot_name"] = app.config.bot_name
    env.filters.update(
        state=labels.state_label, intent=labels.intent_label, pct=labels.percent,
        when=lambda ts: labels.local_time(ts, app.config.tz),
        when_full=lambda ts: labels.local_time(ts, app.config.tz, year=True),
    )
    env.globals["intents"] = [(k, labels.intent_label(k)) for k in labels.TICKET_INTENTS]
    env.globals["queue_states"] = [(s, labels.state_label(s)) for s in labels.QUEUE_STATES]
    for name in env.list_templates():  # compiled now, not on the loop at someone's first visit
        env.get_template(name)
    web_app.add_routes(auth.routes() + pages.routes() + stats.routes() + open311.routes())
    web_app.router.add_get("/health", health)
    web_app.router.add_static("/static", STATIC)
    return web_app


@web.middleware
async def guard_headers(request: web.Request, handler):
    """Headers every answer carries; pages are never cached (they show tickets); a wrong
    address shows a page, not a bare 404."""
    try:
        response = await handler(request)
    except web.HTTPNotFound as exc:
        if request.get(OFFICIAL) is None:  # a public address: no page around it
            _secure(request, exc)
            raise
        response = render(
            "message.html", request, {"title": "没有这个页面", "text": "地址不对，请从上面的菜单进入。"},
            status=404,
        )
    except web.HTTPException as exc:
        _secure(request, exc)
        raise
    _secure(request, response)
    return response


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    if response.prepared:  # a streamed download has sent its headers already
        return
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", CSP)
    if request.path.startswith("/static/"):
        headers.setdefault("Cache-Control", "public, max-age=604800, immutable")
    else:
        headers.setdefault("Cache-Control", "no-store")


async def health(request: web.Request) -> web.Response:
    """Is the bot alive: the chat link, the latest message, the outbox, the latest sweep."""
    office = request.app[OFFICE]
    app, store, tz = office.app, office.store, office.config.tz
    connected = bool(getattr(app.transport, "connected", False))

    def iso(moment: datetime | int | None) -> str | None:
        if moment is None:
            return None
        if isinstance(moment, int):
            moment = datetime.fromtimestamp(moment, tz)
        return moment.astimezone(tz).isoformat(timespec="seconds")

    return web.json_response({
        "ok": connected,
        "transport": app.transport.name,
        "connected": connected,
        "last_message_at": iso(store.dashboard.last_message_at()),
        "outbox_backlog": store.outbox.pending_count(),
        "last_sweep_at": iso(app.last_sweep_at),
        "now": iso(office.now()),
    })


class QuietAccessLogger(AbstractAccessLogger):
    """One line per request, with sign-in tokens cut out of the path."""

    def log(self, request, response, time):  # noqa: A003 - aiohttp's name
        path = re.sub(r"^/login/[^/?]+", "/login/…", request.path)
        self.logger.info("%s %s %s %.0fms", request.method, path, response.status, time * 1000)


class WebServer:
    """The dashboard on the running loop of `app` (the bot's, or its own for `bot web`)."""

    def __init__(self, app: Application, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Listen; return the address it answers on (port 0 picks a free port)."""
        self._runner = web.AppRunner(
            create_app(self.app), access_log_class=QuietAccessLogger,
            access_log=logging.getLogger("gridbot.web.access"),
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.port = port
        log.info("dashboard on http://%s:%s", host, port)
        return f"http://{self.host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
