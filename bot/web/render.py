"""Rendering a page: the template's own values plus who is signed in (and their CSRF
token, which every form of the page carries)."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.web.office import Official

OFFICIAL = web.RequestKey("official", Official)


def render(
    template: str, request: web.Request, context: dict | None = None, *, status: int = 200
) -> web.Response:
    official = request.get(OFFICIAL)
    page = {
        "official": official, "csrf": official.csrf if official else "", "path": request.path,
        **(context or {}),
    }
    return aiohttp_jinja2.render_template(template, request, page, status=status)
