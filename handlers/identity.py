"""Who is speaking, and how to reach an official.

In a real chat (wechaty, the pipe) an official is known by WeChat id only: the id in the
config, or the one bound with a one-time code (handlers/binding.py). A display name can
be copied by anyone, so whoever else writes, under any name, is a resident; when that name
looks like an official's (孙丽, "孙丽 ", 孙\u200b丽...), the admins are told once. In the
simulator and the test chats names are trusted, as people try the bot there.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.directory import Identity
from handlers.messages import IncomingMessage, Outgoing, Person
from handlers.texts import BINDING as TEXTS


def identify(ctx: Context, msg: IncomingMessage) -> tuple[Identity, list[Outgoing]]:
    """The sender's roles, and a word to the admins when a look-alike name is not bound."""
    identity = who(ctx, msg.sender_id, msg.sender_name)
    if identity.is_official or ctx.names_trusted:
        return identity, []
    alike = ctx.directory.official_name(msg.sender_name)
    if alike is None or not ctx.store.bindings.first_time(f"alike:{msg.sender_id}:{alike}", at=ctx.ts):
        return identity, []
    where = msg.room_topic or TEXTS["privately"]
    text = TEXTS["look_alike"].format(
        name=alike, shown=msg.sender_name, where=where, id=msg.sender_id
    )
    return identity, tell_admins(ctx, text)


def who(ctx: Context, sender_id: str, sender_name: str) -> Identity:
    """The roles of whoever sent a message with this id and name (telling no one)."""
    directory = ctx.directory
    if ctx.names_trusted:
        return directory.identify(sender_id, sender_name)
    name = directory.configured_name(sender_id) or ctx.store.bindings.name_of(sender_id)
    if name is not None:
        identity = directory.roles_of(name)
        if identity.is_official:
            return identity
    return Identity(name=sender_name)


def official_id(ctx: Context, name: str) -> str | None:
    """The WeChat id of an official: configured, bound, or (simulator only) last seen."""
    found = ctx.directory.configured_id(name) or ctx.store.bindings.id_of(name)
    if found is None and ctx.names_trusted:
        found = ctx.store.seen.person_id_by_name(name)
    return found


def official(ctx: Context, name: str) -> Person:
    return Person(name=name, id=official_id(ctx, name))


def reachable(ctx: Context, person: Person) -> bool:
    """Whether a private message can go to this person: by id in a real chat (a name
    could lead to anyone), by name too in the simulator."""
    return person.id is not None or ctx.names_trusted


def tell_admins(ctx: Context, text: str) -> list[Outgoing]:
    """To every admin privately (one not bound yet gets it once bound: the outbox keeps it)."""
    return [Outgoing(text=text, to=official(ctx, name)) for name in ctx.directory.admins]
