"""后台: a one-time link that signs an official in to the office's dashboard.

The link carries a random token; only its hash is stored, with the official's name and
an expiry. Opening it (and pressing the button there) spends it and starts a session.
"""

from __future__ import annotations

import hashlib
import secrets

from handlers.directory import Directory, Identity
from handlers.messages import Outgoing, Person
from handlers.settings import WebSettings
from storage import Store

TEXTS = {
    "link": "您的后台登录链接（{minutes} 分钟内有效，只能用一次，请勿转发）：\n{url}",
    "officials_only": "后台只对网格员、社区工作人员和管理员开放。",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def official_by_name(directory: Directory, name: str) -> Identity | None:
    """The roles of a person named in the config, or None for anyone else."""
    identity = directory.identify(directory.configured_id(name) or "", name)
    return identity if identity.is_official else None


def new_link(store: Store, name: str, *, at: int, web: WebSettings) -> str:
    """A fresh sign-in URL for `name`, valid once within `web.link_minutes`."""
    token = secrets.token_urlsafe(24)
    store.web.add_link(token_hash(token), name, at=at, expires_at=at + web.link_minutes * 60)
    return f"{web.base_url}/login/{token}"


def link_message(
    store: Store, identity: Identity, to: Person, *, at: int, web: WebSettings
) -> Outgoing:
    """The answer to 后台: always privately, never in a group."""
    if not identity.is_official:
        return Outgoing(text=TEXTS["officials_only"], to=to)
    url = new_link(store, identity.name, at=at, web=web)
    return Outgoing(text=TEXTS["link"].format(minutes=web.link_minutes, url=url), to=to)
