"""后台: a one-time link that signs an official in to the office's dashboard.

The link carries a random token; only its hash is stored, with the official's name and
an expiry. Opening it (and pressing the button there) spends it and starts a session.
"""

from __future__ import annotations

import hashlib
import secrets

from handlers.context import Context, Request
from handlers.directory import Directory, Identity
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.settings import WebSettings
from handlers.texts import SIGNIN as TEXTS
from storage import Store


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def official_by_name(directory: Directory, name: str) -> Identity | None:
    """The roles of an official named in the config (not a volunteer), or None. Only for
    a name the office already trusts (a session, web-link's --name), never for telling
    who a chat sender is."""
    identity = directory.official_named(name)
    return identity if identity is not None and identity.is_official else None


def new_link(store: Store, name: str, *, at: int, web: WebSettings) -> str:
    """A fresh sign-in URL for `name`, valid once within `web.link_minutes`."""
    token = secrets.token_urlsafe(24)
    store.web.add_link(token_hash(token), name, at=at, expires_at=at + web.link_minutes * 60)
    return f"{web.base_url}/login/{token}"


def on_signin(ctx: Context, msg: IncomingMessage, req: Request) -> list[Outgoing]:
    """后台, said privately by an official (the table says who and where): their link."""
    web = ctx.settings.web
    url = new_link(ctx.store, req.identity.name, at=ctx.ts, web=web)
    text = TEXTS["link"].format(minutes=web.link_minutes, url=url)
    return [Outgoing(text=text, to=Person(name=msg.sender_name, id=msg.sender_id))]
