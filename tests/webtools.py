"""Helpers of the dashboard's tests: a chat with the dashboard beside it, signing in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiohttp.test_utils import TestClient, TestServer
from conftest import Chat

from bot.web import create_app
from handlers.signin import new_link


@dataclass
class Office:
    """The bot's chat (people talk, the clock moves) and a browser-less client of its
    dashboard on the same application."""

    chat: Chat
    client: TestClient

    @property
    def store(self):
        return self.chat.store

    def link(self, name: str) -> str:
        """A sign-in link's path, as 后台 or web-link would give it."""
        web = self.chat.app.config.settings.web
        with self.store.transaction():
            url = new_link(self.store, name, at=int(self.chat.clock.now().timestamp()), web=web)
        return url.removeprefix(web.base_url)

    async def sign_in(self, name: str) -> str:
        """Sign in as `name`; return the session's CSRF token (read from a page)."""
        response = await self.client.post(self.link(name), allow_redirects=False)
        assert response.status == 303, await response.text()
        return await self.csrf()

    async def csrf(self) -> str:
        page = await (await self.client.get("/")).text()
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match, page
        return match.group(1)

    async def get(self, path: str):
        return await self.client.get(path, allow_redirects=False)

    async def post(self, path: str, data: dict | None = None):
        return await self.client.post(path, data=data or {}, allow_redirects=False)


async def open_office(chat: Chat) -> Office:
    client = TestClient(TestServer(create_app(chat.app)))
    await client.start_server()
    return Office(chat, client)
