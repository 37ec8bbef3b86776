"""The simulated group: try the whole loop in a terminal, or play a script.

Script lines:
    [房间名] 姓名: 消息        a group message (`\\n` inside is a line break of the message;
                              a quote-reply is written as WeChat shows it:
                              「张阿姨：3栋井盖翘起来了」\\n- - - - - - - - - - - - - - -\\n收到;
                              `[图片]` alone is a photo)
    [私聊] 姓名: 消息          a private message to the bot
    /clock 2026-11-23 22:10    set the simulated local time
    /advance 45m               move time on (m, h, d), running what the scheduler would run
    /member 房间名: 姓名        someone in the group's member list (as WeChat lists them): a
                              private message of theirs belongs to the group's grid
    # ...                      a comment
Interactively also: /as 姓名, /in 房间名, /private, and plain text as the current person.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO

from bot.app import Application
from bot.clock import ManualClock
from bot.config import Config
from handlers.messages import IncomingMessage, Media, Person

TEXTS = {
    "welcome": "网格小助手模拟器（这里按名字认人、按群名认群；真微信里网格员要先绑定微信号，群按群 id 认）。"
    "像在群里一样打字；/as 姓名 换人，/in 房间名 换群，/private 私聊，"
    "/clock 2026-11-23 22:10 设时间，/advance 45m 快进，/quit 退出。",
    "rooms": "可用的群：{rooms}",
    "now": "现在是 {time}，你是「{who}」，在{where}。",
    "bad_line": "看不懂这一行：{line}",
    "bad_time": "时间格式不对，例如 /clock 2026-11-23 22:10",
    "bad_advance": "快进格式不对，例如 /advance 45m、/advance 2h、/advance 7d",
    "day": "  —— {month}月{day}日 周{weekday} ——",
}
WEEKDAYS = "一二三四五六日"
LINE = re.compile(r"^\[(?P<room>[^\]]+)\]\s*(?P<name>[^:：]+?)\s*[:：]\s?(?P<text>.*)$")
MEMBER = re.compile(r"(?P<room>[^:：]+?)\s*[:：]\s*(?P<name>\S.*)")
PRIVATE = {"私聊", "private"}
PHOTO = re.compile(r"\s*\[图片\]\s*")
STEP = timedelta(minutes=1)


@dataclass
class Speaker:
    name: str = "张阿姨"
    room: str | None = None  # None: private chat


class Simulator:
    def __init__(
        self, app: Application, clock: ManualClock, config: Config, out: TextIO, *, echo: bool = False
    ) -> None:
        """`echo`: print what people say too, so a played script reads as a conversation."""
        self.app = app
        self.echo = echo
        self.clock = clock
        self.config = config
        self.out = out
        self.run_id = secrets.token_hex(3)
        self.counter = 0
        rooms = [room for g in config.directory.grids for room in g.rooms]
        self.speaker = Speaker(room=rooms[0] if rooms else None)
        self.shown_day: date | None = None

    def day_mark(self, now: datetime) -> str | None:
        """A line naming the day when what is printed next is on another day than what was
        printed last (a line shows only the time; a script may run across days)."""
        if now.date() == self.shown_day:
            return None
        self.shown_day = now.date()
        return TEXTS["day"].format(month=now.month, day=now.day, weekday=WEEKDAYS[now.weekday()])

    def person_id(self, name: str) -> str:
        """Config people with a wechat_id use it; everyone else gets a stable id."""
        return self.config.directory.configured_id(name) or f"sim-{name}"

    async def say(self, room: str | None, name: str, text: str, media: tuple[Media, ...] = ()) -> None:
        self.counter += 1
        message_id = f"sim-{self.run_id}-{self.counter}"
        if self.echo:
            mark = self.day_mark(self.clock.now())
            if mark:
                print(mark, file=self.out)
            where = f"[{room}]" if room is not None else "[私聊]"
            print(f"  {self.clock.now():%H:%M} {where} {name}: {text}", file=self.out)
        if not media and PHOTO.fullmatch(text):
            # WeChat shows a photo as [图片]; the bot receives an image without text.
            media, text = (Media(kind="image", name="photo.jpg", data=f"photo {message_id}".encode()),), ""
        msg = IncomingMessage(
            message_id=message_id,
            room_id=f"sim-room:{room}" if room is not None else None,
            room_topic=room,
            sender_id=self.person_id(name),
            sender_name=name,
            text=text,
            time=self.clock.now(),
            media=media,
        )
        await self.app.on_message(msg)
        await self.app.outbox.deliver_due()

    async def advance(self, delta: timedelta) -> None:
        """Move time on minute by minute, running the timers as the scheduler would."""
        end = self.clock.now() + delta
        while self.clock.now() + STEP <= end:
            self.clock.set(self.clock.now() + STEP)
            self.app.run_timers(self.clock.now())
            await self.app.outbox.deliver_due()
        self.clock.set(end)

    async def line(self, raw: str) -> str | None:
        """Play one line; return a message for the user when the line was not understood."""
        line = raw.strip()
        if not line or line.startswith("#"):
            return None
        if line.startswith("/"):
            return await self.command(line)
        match = LINE.match(line)
        if match:
            room = match["room"].strip()
            text = unescape(match["text"])
            await self.say(None if room in PRIVATE else room, match["name"].strip(), text)
            return None
        await self.say(self.speaker.room, self.speaker.name, line)
        return None

    async def command(self, line: str) -> str | None:
        word, _, arg = line.partition(" ")
        arg = arg.strip()
        if word == "/clock":
            try:
                when = datetime.fromisoformat(arg)
            except ValueError:
                return TEXTS["bad_time"]
            if when.tzinfo is None:
                when = when.replace(tzinfo=self.config.tz)
            if when > self.clock.now():
                await self.advance(when - self.clock.now())
            else:
                self.clock.set(when)
            return None
        if word == "/advance":
            delta = parse_duration(arg)
            if delta is None:
                return TEXTS["bad_advance"]
            await self.advance(delta)
            return None
        if word == "/member":
            member = MEMBER.fullmatch(arg)
            if member is None:
                return TEXTS["bad_line"].format(line=line)
            room, name = member["room"].strip(), member["name"].strip()
            self.app.members(f"sim-room:{room}", room, [Person(name, self.person_id(name))])
            return None
        if word == "/as" and arg:
            self.speaker.name = arg
            return self.status()
        if word == "/in" and arg:
            self.speaker.room = arg
            return self.status()
        if word == "/private":
            self.speaker.room = None
            return self.status()
        if word in ("/who", "/status"):
            return self.status()
        return TEXTS["bad_line"].format(line=line)

    def status(self) -> str:
        where = f"「{self.speaker.room}」" if self.speaker.room else "和机器人私聊"
        return TEXTS["now"].format(
            time=self.clock.now().strftime("%Y-%m-%d %H:%M"), who=self.speaker.name, where=where
        )

    async def play(self, lines: TextIO) -> int:
        problems = 0
        for raw in lines:
            problem = await self.line(raw)
            if problem:
                problems += 1
                print(problem, file=sys.stderr)
        return problems

    async def interact(self, stdin: TextIO) -> None:
        rooms = "、".join(r for g in self.config.directory.grids for r in g.rooms)
        print(TEXTS["welcome"], file=self.out)
        print(TEXTS["rooms"].format(rooms=rooms), file=self.out)
        print(self.status(), file=self.out)
        while True:
            prompt = f"{self.speaker.name}@{self.speaker.room or '私聊'}> "
            self.out.write(prompt)
            self.out.flush()
            raw = await asyncio.to_thread(stdin.readline)  # the dashboard may be serving
            if not raw or raw.strip() in ("/quit", "/exit"):
                break
            problem = await self.line(raw)
            if problem:
                print(problem, file=self.out)


def unescape(text: str) -> str:
    """A script line holds one message: `\\n` in it is a line break (a 接龙, a quote-reply)."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def parse_duration(text: str) -> timedelta | None:
    match = re.fullmatch(r"\s*(\d+)\s*(m|min|h|d)\s*", text or "")
    if not match:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    return {"m": timedelta(minutes=amount), "min": timedelta(minutes=amount),
            "h": timedelta(hours=amount), "d": timedelta(days=amount)}[unit]
