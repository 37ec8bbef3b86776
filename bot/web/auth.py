"""Who is asking: sign-in by a one-time link, a session cookie, roles, and CSRF.

Every page but the public ones (health, the sign-in help, the link itself, static files,
Open311) needs a session of someone the config still calls an official; without one it
redirects to the page that says how to get a link, so nothing of a ticket leaks. Every
action (any method but GET/HEAD) must carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

from bot.web.office import Office, Official
from bot.web.render import OFFICIAL, render
from handlers.signin import official_by_name, token_hash

SESSION_COOKIE = "gridbot_session"
PUBLIC_PREFIXES = ("/static/", "/login/", "/open311/")
PUBLIC_PATHS = ("/health", "/signin")
OFFICE = web.AppKey("office", Office)


def official_of(office: Office, request: web.Request) -> Official | None:
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    session = office.store.web.session(token_hash(sid), at=office.ts())
    if session is None:
        return None
    identity = official_by_name(office.directory, session.name)
    if identity is None:  # no longer an official in the config
        return None
    grid_ids = tuple(office.directory.grids_in_charge(identity))
    return Official(identity=identity, grid_ids=grid_ids, csrf=session.csrf)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


@web.middleware
async def require_session(request: web.Request, handler):
    if is_public(request.path):
        return await handler(request)
    official = official_of(request.app[OFFICE], request)
    if official is None:
        if request.headers.get("HX-Request"):
            return web.Response(status=401, headers={"HX-Redirect": "/signin"})
        raise web.HTTPSeeOther("/signin")
    if request.method not in ("GET", "HEAD"):
        sent = request.headers.get("X-CSRF-Token")
        if sent is None:
            sent = (await request.post()).get("csrf")
        if not isinstance(sent, str) or not hmac.compare_digest(sent, official.csrf):
            return render(
                "message.html", request,
                {"title": "页面已过期", "text": "这个页面打开太久了，请刷新后再操作一次。"},
                status=403,
            )
    request[OFFICIAL] = official
    return await handler(request)


# --- the pages of signing in and out -----------------------------------------------------


async def signin_help(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    return render(
        "signin.html", request, {"minutes": office.web.link_minutes}
    )


async def login_page(request: web.Request) -> web.Response:
    """Show whose link it is and a button: opening the link alone spends nothing (a chat
    app's link preview must not sign anyone in or use the link up)."""
    office = request.app[OFFICE]
    name = office.store.web.link_name(token_hash(request.match_info["token"]), at=office.ts())
    if name is None or official_by_name(office.directory, name) is None:
        return _link_invalid(request, office)
    return render("login.html", request, {"name": name})


async def login(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    at = office.ts()
    with office.store.transaction():
        name = office.store.web.use_link(token_hash(request.match_info["token"]), at=at)
        identity = official_by_name(office.directory, name) if name else None
        if identity is None:
            return _link_invalid(request, office)
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        lifetime = int(office.web.session_hours * 3600)
        office.store.web.add_session(
            token_hash(sid), identity.name, csrf=csrf, at=at, expires_at=at + lifetime
        )
    response = web.HTTPSeeOther("/")
    response.set_cookie(
        SESSION_COOKIE, sid, max_age=lifetime, path="/", httponly=True, samesite="Lax",
        secure=office.web.base_url.startswith("https://"),
    )
    raise response


async def logout(request: web.Request) -> web.Response:
    office = request.app[OFFICE]
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        with office.store.transaction():
            office.store.web.end_session(token_hash(sid))
    response = web.HTTPSeeOther("/signin")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def _link_invalid(request: web.Request, office: Office) -> web.Response:
    return render(
        "signin.html", request, {"minutes": office.web.link_minutes, "invalid": True}, status=410
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/signin", signin_help),
        web.get("/login/{token}", login_page),
        web.post("/login/{token}", login),
        web.post("/logout", logout),
    ]
