"""The community office's dashboard, served by the bot itself (aiohttp + Jinja2 + htmx)."""

from bot.web.server import WebServer, create_app

__all__ = ["WebServer", "create_app"]
