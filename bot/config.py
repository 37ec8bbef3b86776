"""Read and check the TOML config; any mistake stops start-up with one clear line.

The line names the file, the key and the problem, e.g.
`config.toml: grids[2].rooms: room "幸福里居民群" is already in grid "qn-1"`.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.directory import Community, Directory, Grid, PersonEntry
from handlers.settings import (
    ACCEPT_MINUTES_BY_INTENT,
    CLOCKS,
    ClassifierSettings,
    Duty,
    FloodSettings,
    Off,
    OfficeHours,
    QuietHours,
    Settings,
    SlaSettings,
    SummarySettings,
    WebSettings,
)


class ConfigError(Exception):
    def __init__(self, file: Path, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file, self.key, self.problem = file, key, problem


@dataclass(frozen=True)
class WechatySettings:
    endpoint: str = "127.0.0.1:8788"
    token: str = field(default="", repr=False)  # a secret: never in a repr, so never in a log
    login_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class OutboxSettings:
    per_room_seconds: float = 1.5  # WeChat punishes accounts that post fast
    overall_seconds: float = 0.5
    max_attempts: int = 8


@dataclass(frozen=True)
class Config:
    path: Path
    bot_name: str
    timezone: str
    database: Path
    data_dir: Path
    transport: str
    directory: Directory
    settings: Settings
    wechaty: WechatySettings
    outbox: OutboxSettings

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# key -> (types, required). A key not listed here is a typo and is refused.
_STR, _LIST, _NUM, _INT, _BOOL = (str,), (list,), (int, float), (int,), (bool,)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "bot": {
        "name": (_STR, True),
        "timezone": (_STR, True),
        "database": (_STR, True),
        "transport": (_STR, True),
        "admins": (_LIST, True),
        "data_dir": (_STR, False),
    },
    "communities": {
        "id": (_STR, True),
        "name": (_STR, True),
        "staff": (_LIST, True),
        "admin_room": (_STR, False),
    },
    "grids": {
        "id": (_STR, True),
        "community": (_STR, True),
        "name": (_STR, True),
        "rooms": (_LIST, True),
        "workers": (_LIST, True),
        "volunteers": (_LIST, False),
        "property": (_LIST, False),
    },
    "people": {
        "name": (_STR, True),
        "wechat_id": (_STR, False),
        "grid": (_STR, False),
        "phone": (_STR, False),
    },
    "duty": {
        "name": (_STR, True),
        "grids": (_LIST, False),
        "community": (_STR, False),
        "dates": (_LIST, False),
        "weekdays": (_LIST, False),
    },
    "off": {
        "name": (_STR, True),
        "dates": (_LIST, False),
        "weekdays": (_LIST, False),
    },
    "classifier": {
        "min_confidence": (_NUM, False),
        "duplicate_window_hours": (_NUM, False),
        "rules": (_STR, False),
        "faq": (_STR, False),
        "replies": (_STR, False),
    },
    "wechaty": {
        "endpoint": (_STR, False),
        "token": (_STR, False),
        "login_timeout_seconds": (_NUM, False),
    },
    "outbox": {
        "per_room_seconds": (_NUM, False),
        "overall_seconds": (_NUM, False),
        "max_attempts": (_INT, False),
    },
    "sla": {
        "accept_minutes": (_INT, False),
        "accept_minutes_urgent": (_INT, False),
        "accept_minutes_by_intent": ((dict,), False),
        "resolve_hours": (_NUM, False),
        "resolve_hours_by_intent": ((dict,), False),
        "reminder_minutes": (_INT, False),
        "reminders_before_escalation": (_INT, False),
        "autoclose_hours": (_NUM, False),
        "rating_question_after_minutes": (_INT, False),
        "accept_news_after_minutes": (_INT, False),
        "clock": (_STR, False),
        "clock_by_intent": ((dict,), False),
        "daily_list_at": (_STR, False),
        "reminder_lists_at": (_LIST, False),
        "active_minutes": (_INT, False),
        "nobody_answered_minutes": (_INT, False),
    },
    "quiet_hours": {
        "start": (_STR, False),
        "end": (_STR, False),
    },
    "office_hours": {
        "days": (_LIST, False),
        "start": (_STR, False),
        "end": (_STR, False),
        "holidays": (_LIST, False),
        "workdays": (_LIST, False),
    },
    "summary": {"weekly": (_STR, False)},
    "web": {
        "enabled": (_BOOL, False),
        "host": (_STR, False),
        "port": (_INT, False),
        "public_url": (_STR, False),
        "link_minutes": (_INT, False),
        "session_hours": (_NUM, False),
        "open311_api_key": (_STR, False),
    },
    "flood": {
        "per_sender_per_minute": (_INT, False),
        "per_room_tickets_per_10_minutes": (_INT, False),
    },
}
ARRAYS = {"communities", "grids", "people", "duty", "off"}
WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
TRANSPORTS = ("console", "wechaty")


def load_config(path: str | Path) -> Config:
    path = Path(path)
    try:
        raw = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "-", f"not valid TOML ({error})") from None
    return _Checker(path).build(raw)


def read_text(path: Path) -> str:
    """The file as text; a BOM (Windows Notepad) is dropped, anything else that is wrong
    is one ConfigError saying what to do."""
    if path.is_dir():
        raise ConfigError(path, "-", "is a folder, not a config file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "-", "file not found") from None
    except OSError as error:
        raise ConfigError(path, "-", f"cannot read it ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        hint = "it looks like GBK: " if _looks_like_gbk(data) else ""
        raise ConfigError(
            path, "-",
            f"not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}); "
            f"{hint}save it as UTF-8",
        ) from None


def _looks_like_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def check_table(self, where: str, section: str, table: object) -> dict:
        if not isinstance(table, dict):
            raise self.fail(where, "must be a table")
        spec = SCHEMA[section]
        for key, value in table.items():
            if key not in spec:
                raise self.fail(f"{where}.{key}", "unknown key" + _suggest(key, list(spec)))
            types, _ = spec[key]
            if isinstance(value, bool) and bool not in types:
                raise self.fail(f"{where}.{key}", f"must be {types[0].__name__}, not bool")
            if not isinstance(value, types):
                raise self.fail(f"{where}.{key}", f"must be {types[0].__name__}")
            if types is _LIST and not all(isinstance(v, (str, int, date)) for v in value):
                raise self.fail(f"{where}.{key}", "must be a list of strings, numbers or dates")
        for key, (_, required) in spec.items():
            if required and key not in table:
                raise self.fail(f"{where}.{key}", "missing key")
        return table

    def build(self, raw: dict) -> Config:
        for section in raw:
            if section not in SCHEMA:
                raise self.fail(section, "unknown section" + _suggest(section, list(SCHEMA)))
        for section in ("bot", "communities", "grids"):
            if section not in raw:
                raise self.fail(section, "missing section")
        bot = self.check_table("bot", "bot", raw["bot"])
        arrays = {}
        for section in ARRAYS:
            items = raw.get(section, [])
            if not isinstance(items, list):
                raise self.fail(section, f"must be an array of tables: [[{section}]]")
            arrays[section] = [
                self.check_table(f"{section}[{i}]", section, item) for i, item in enumerate(items)
            ]
        sections = {
            name: self.check_table(name, name, raw.get(name, {}))
            for name in SCHEMA
            if name not in ARRAYS and name != "bot"
        }
        timezone = bot["timezone"]
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("bot.timezone", f'unknown time zone "{timezone}"') from None
        if bot["transport"] not in TRANSPORTS:
            raise self.fail("bot.transport", f"must be one of {', '.join(TRANSPORTS)}")
        directory = self.directory(bot, arrays)
        base = self.path.parent
        if not bot["database"].strip():
            raise self.fail("bot.database", 'is empty: give a file name, e.g. "gridbot.db"')
        database = Path(bot["database"])
        database = database if database.is_absolute() else base / database
        if database.is_dir():
            raise self.fail("bot.database", f"{database} is a folder: give a file name in it")
        data_dir = Path(bot["data_dir"]) if "data_dir" in bot else database.parent / "data"
        data_dir = data_dir if data_dir.is_absolute() else base / data_dir
        if data_dir.exists() and not data_dir.is_dir():
            raise self.fail("bot.data_dir", f"{data_dir} is a file, not a folder")
        return Config(
            path=self.path,
            bot_name=bot["name"],
            timezone=timezone,
            database=database,
            data_dir=data_dir,
            transport=bot["transport"],
            directory=directory,
            settings=replace(
                self.settings(sections, timezone), duty=self.duty(arrays["duty"], directory),
                off=self.off(arrays["off"], directory),
            ),
            wechaty=WechatySettings(**sections["wechaty"]),
            outbox=OutboxSettings(**sections["outbox"]),
        )

    def web(self, web: dict) -> WebSettings:
        port = web.get("port", 8080)
        if not 0 < port < 65536:
            raise self.fail("web.port", "must be a port number 1-65535")
        url = web.get("public_url", "")
        if url and not url.startswith(("http://", "https://")):
            raise self.fail("web.public_url", 'must start with "http://" or "https://"')
        for key in ("link_minutes", "session_hours"):
            if web.get(key, 1) <= 0:
                raise self.fail(f"web.{key}", "must be more than 0")
        return WebSettings(**web)

    def directory(self, bot: dict, arrays: dict) -> Directory:
        communities = []
        for i, c in enumerate(arrays["communities"]):
            if any(c["id"] == other.id for other in communities):
                raise self.fail(f"communities[{i}].id", f'duplicate community id "{c["id"]}"')
            communities.append(
                Community(
                    id=c["id"], name=c["name"], staff=tuple(map(str, c["staff"])),
                    admin_room=c.get("admin_room"),
                )
            )
        community_ids = [c.id for c in communities]
        grids: list[Grid] = []
        room_owner: dict[str, str] = {}
        for i, g in enumerate(arrays["grids"]):
            where = f"grids[{i}]"
            if any(g["id"] == other.id for other in grids):
                raise self.fail(f"{where}.id", f'duplicate grid id "{g["id"]}"')
            if g["community"] not in community_ids:
                raise self.fail(
                    f"{where}.community",
                    f'unknown community "{g["community"]}"' + _suggest(g["community"], community_ids),
                )
            if not g["workers"]:
                raise self.fail(f"{where}.workers", "a grid needs at least one worker")
            for room in g["rooms"]:
                if room in room_owner:
                    raise self.fail(
                        f"{where}.rooms", f'room "{room}" is already in grid "{room_owner[room]}"'
                    )
                room_owner[room] = g["id"]
            grids.append(
                Grid(
                    id=g["id"], community_id=g["community"], name=g["name"],
                    rooms=tuple(map(str, g["rooms"])), workers=tuple(map(str, g["workers"])),
                    volunteers=tuple(map(str, g.get("volunteers", []))),
                    property=tuple(map(str, g.get("property", []))),
                )
            )
        for i, c in enumerate(communities):
            if c.admin_room and c.admin_room in room_owner:
                raise self.fail(
                    f"communities[{i}].admin_room",
                    f'room "{c.admin_room}" is already in grid "{room_owner[c.admin_room]}"',
                )
        grid_ids = [g.id for g in grids]
        people: list[PersonEntry] = []
        for i, p in enumerate(arrays["people"]):
            grid_id = p.get("grid")
            if grid_id is not None and grid_id not in grid_ids:
                raise self.fail(
                    f"people[{i}].grid", f'unknown grid "{grid_id}"' + _suggest(grid_id, grid_ids)
                )
            if any(p["name"] == other.name for other in people):
                raise self.fail(f"people[{i}].name", f'duplicate person "{p["name"]}"')
            wechat_id = p.get("wechat_id")
            if wechat_id is not None and not wechat_id.strip():
                raise self.fail(f"people[{i}].wechat_id", "is empty: leave it out or give the id")
            owner = next((o.name for o in people if wechat_id and o.wechat_id == wechat_id), None)
            if owner is not None:
                raise self.fail(
                    f"people[{i}].wechat_id", f'"{wechat_id}" is already the id of "{owner}"'
                )
            people.append(PersonEntry(name=p["name"], wechat_id=p.get("wechat_id"), grid_id=grid_id))
        return Directory(
            bot_name=bot["name"], admins=tuple(map(str, bot["admins"])),
            communities=tuple(communities), grids=tuple(grids), people=tuple(people),
        )

    def duty(self, rows: list[dict], directory: Directory) -> tuple[Duty, ...]:
        """The duty roster: each line names a grid worker (or, for a whole community, one of
        its staff or grid workers), and the days they are on duty."""
        grid_ids = [g.id for g in directory.grids]
        workers = {w for g in directory.grids for w in g.workers}
        roster = []
        for i, row in enumerate(rows):
            where = f"duty[{i}]"
            community = row.get("community")
            if community is not None:
                known = [c.id for c in directory.communities]
                if community not in known:
                    raise self.fail(f"{where}.community", f'unknown community "{community}"' + _suggest(community, known))
                if row.get("grids"):
                    raise self.fail(where, "give the grids or the community, not both")
                staff = directory.community(community).staff
                theirs = set(staff) | {w for g in directory.grids if g.community_id == community for w in g.workers}
                if row["name"] not in theirs:
                    raise self.fail(f"{where}.name", f'"{row["name"]}" is neither staff nor a grid worker of "{community}"')
            elif row["name"] not in workers:
                raise self.fail(f"{where}.name", f'"{row["name"]}" is no grid\'s worker')
            for grid_id in row.get("grids", []):
                if grid_id not in grid_ids:
                    raise self.fail(f"{where}.grids", f'unknown grid "{grid_id}"' + _suggest(str(grid_id), grid_ids))
            weekdays = tuple(row.get("weekdays", []))
            if not all(isinstance(d, int) and 1 <= d <= 7 for d in weekdays):
                raise self.fail(f"{where}.weekdays", "must be ISO weekdays 1 (Monday) to 7 (Sunday)")
            dates = tuple(self.day(f"{where}.dates", d) for d in row.get("dates", []))
            if not dates and not weekdays:
                raise self.fail(where, "give the dates or the weekdays of the duty")
            roster.append(Duty(name=row["name"], grids=tuple(map(str, row.get("grids", []))),
                               community=community, dates=dates, weekdays=weekdays))
        return tuple(roster)

    def off(self, rows: list[dict], directory: Directory) -> tuple[Off, ...]:
        """The workers' days off on working days: each line names a grid worker and her
        regular weekday off or her dates of leave."""
        workers = {w for g in directory.grids for w in g.workers}
        lines = []
        for i, row in enumerate(rows):
            where = f"off[{i}]"
            if row["name"] not in workers:
                raise self.fail(f"{where}.name", f'"{row["name"]}" is no grid\'s worker')
            weekdays = tuple(row.get("weekdays", []))
            if not all(isinstance(d, int) and 1 <= d <= 7 for d in weekdays):
                raise self.fail(f"{where}.weekdays", "must be ISO weekdays 1 (Monday) to 7 (Sunday)")
            dates = tuple(self.day(f"{where}.dates", d) for d in row.get("dates", []))
            if not dates and not weekdays:
                raise self.fail(where, "give the dates or the weekdays she is off")
            lines.append(Off(name=row["name"], dates=dates, weekdays=weekdays))
        return tuple(lines)

    def settings(self, sections: dict, timezone: str) -> Settings:
        c = sections["classifier"]
        min_confidence = float(c.get("min_confidence", 0.5))
        if not 0 <= min_confidence <= 1:
            raise self.fail("classifier.min_confidence", "must be between 0 and 1")
        base = self.path.parent
        rules_path = base / c["rules"] if "rules" in c else None
        faq_path = base / c["faq"] if "faq" in c else None
        replies_path = base / c["replies"] if "replies" in c else None
        if rules_path is not None and not rules_path.exists():
            raise self.fail("classifier.rules", f"no such folder or file: {rules_path}")
        for key, path in (("faq", faq_path), ("replies", replies_path)):
            if path is not None and not path.is_file():
                what = "is a folder, not a file" if path.is_dir() else "no such file"
                raise self.fail(f"classifier.{key}", f"{what}: {path}")
        classifier = ClassifierSettings(
            min_confidence=min_confidence,
            duplicate_window_hours=float(c.get("duplicate_window_hours", 24)),
            rules_path=rules_path,
            faq_path=faq_path,
            replies_path=replies_path,
        )
        sla = self.sla(dict(sections["sla"]))
        quiet = sections["quiet_hours"]
        quiet_hours = QuietHours(
            start=self.clock_time("quiet_hours.start", quiet.get("start", "21:30")),
            end=self.clock_time("quiet_hours.end", quiet.get("end", "07:30")),
        )
        office = sections["office_hours"]
        days = tuple(office.get("days", (1, 2, 3, 4, 5)))
        if not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
            raise self.fail("office_hours.days", "must be ISO weekdays 1 (Monday) to 7 (Sunday)")
        office_hours = OfficeHours(
            days=days,
            start=self.clock_time("office_hours.start", office.get("start", "08:30")),
            end=self.clock_time("office_hours.end", office.get("end", "17:30")),
            holidays=tuple(self.day("office_hours.holidays", d) for d in office.get("holidays", [])),
            workdays=tuple(self.day("office_hours.workdays", d) for d in office.get("workdays", [])),
        )
        weekly = sections["summary"].get("weekly", "mon 09:00").split()
        if len(weekly) != 2 or weekly[0].lower()[:3] not in WEEKDAYS:
            raise self.fail("summary.weekly", 'must look like "mon 09:00"')
        summary = SummarySettings(
            weekday=WEEKDAYS[weekly[0].lower()[:3]],
            at=self.clock_time("summary.weekly", weekly[1]),
        )
        return Settings(
            classifier=classifier,
            sla=sla,
            office_hours=office_hours,
            quiet_hours=quiet_hours,
            summary=summary,
            flood=FloodSettings(**sections["flood"]),
            timezone=timezone,
            web=self.web(sections["web"]),
        )

    def sla(self, sla: dict) -> SlaSettings:
        numbers = ("clock", "clock_by_intent", "daily_list_at", "resolve_hours_by_intent",
                   "accept_minutes_by_intent", "accept_news_after_minutes", "reminder_lists_at")
        for key, value in sla.items():
            if key not in numbers and value < 0:
                raise self.fail(f"sla.{key}", "must not be negative")
        for key, value in sla.get("resolve_hours_by_intent", {}).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise self.fail(f"sla.resolve_hours_by_intent.{key}", "must be a number of hours")
        for key, value in sla.get("accept_minutes_by_intent", {}).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise self.fail(f"sla.accept_minutes_by_intent.{key}", "must be a whole number of minutes")
        if "accept_minutes_by_intent" in sla:
            sla["accept_minutes_by_intent"] = ACCEPT_MINUTES_BY_INTENT | sla["accept_minutes_by_intent"]
        clocks = {"clock": sla.get("clock", "office")} | {
            f"clock_by_intent.{k}": v for k, v in sla.get("clock_by_intent", {}).items()
        }
        for key, value in clocks.items():
            if value not in CLOCKS:
                raise self.fail(f"sla.{key}", f"must be one of {', '.join(CLOCKS)}")
        if "daily_list_at" in sla:
            sla["daily_list_at"] = self.clock_time("sla.daily_list_at", sla["daily_list_at"])
        if "reminder_lists_at" in sla:
            sla["reminder_lists_at"] = tuple(sorted(
                self.clock_time(f"sla.reminder_lists_at.{i}", str(v)) for i, v in enumerate(sla["reminder_lists_at"])
            ))
        return SlaSettings(**sla)

    def clock_time(self, key: str, value: str) -> time:
        try:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            raise self.fail(key, f'"{value}" is not a time like "09:00"') from None

    def day(self, key: str, value: object) -> date:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f'"{value}" is not a date like "2026-10-01"') from None
