"""Whole days of a residents' group, played through the simulator and scored as users see them.

A day is written by someone who has not read the code, as JSON Lines (`tests/data/days/*.jsonl`):
a header with the day's real needs, then every message with its answer beside it (which need
it speaks of, or none; who speaks). From it come the simulator script (`*.txt`, the k-th
message of the script gets a message id ending in `-k`) and the figures of issue 9:

- tickets per real need (1.0 is right), false tickets per 100 chatter messages,
- recall of real needs (a ticket, or an answer for a question),
- bot posts in the residents' group per 100 messages, private messages per person.

`python -m tests.groupdays tests/data/days/*.jsonl [--transcript]` prints the figures (and the
whole conversation with the bot's messages, to read as a resident and as a worker would).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS_DIR = ROOT / "tests" / "data" / "days"
ROSTER = DAYS_DIR / "roster.toml"  # the communities' weekend duty, as the days' writers describe it
PRIVATE_ROOM = "私聊"


@dataclass(frozen=True)
class Need:
    id: str
    what: str
    intent: str
    urgent: bool
    place: str | None
    expect: str  # "ticket" | "answer"


@dataclass(frozen=True)
class Line:
    k: int  # 1-based position among the day's messages: the message id ends in -k
    time: datetime
    room: str | None  # None: a private message to the bot
    who: str
    text: str
    need: str | None
    role: str
    kind: str | None


@dataclass(frozen=True)
class Day:
    name: str
    room: str
    needs: dict[str, Need]
    lines: tuple[Line, ...]

    @property
    def start(self) -> datetime:
        return self.lines[0].time.replace(minute=0) - timedelta(minutes=30)


def load_day(path: Path, tz) -> Day:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    head, messages = rows[0], rows[1:]
    needs = {
        nid: Need(nid, n["what"], n["intent"], bool(n["urgent"]), n.get("place"), n["expect"])
        for nid, n in head["needs"].items()
    }
    lines = []
    for k, m in enumerate(messages, 1):
        room = m.get("room", head["room"])
        lines.append(
            Line(
                k=k, time=datetime.strptime(m["t"], "%Y-%m-%d %H:%M").replace(tzinfo=tz),
                room=None if room == PRIVATE_ROOM else room, who=m["who"], text=m["text"],
                need=m.get("need"), role=m.get("role", "resident"), kind=m.get("kind"),
            )
        )
    return Day(path.stem, head["room"], needs, tuple(lines))


def to_script(day: Day) -> str:
    """The day in the simulator's script format: a line break inside a message is `\\n`.
    Everyone of the day is in the group's member list (as WeChat lists it to the bot), also
    one who writes to the bot only privately (「在群里不好说 都认识」)."""
    out = [f"# {day.name}: {len(day.lines)} messages, {len(day.needs)} real needs",
           f"/clock {day.start:%Y-%m-%d %H:%M}"]
    out += [f"/member {day.room}: {who}" for who in dict.fromkeys(line.who for line in day.lines)]
    now = day.start
    for line in day.lines:
        if line.time > now:
            out.append(f"/clock {line.time:%Y-%m-%d %H:%M}")
            now = line.time
        text = line.text.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")
        out.append(f"[{line.room or PRIVATE_ROOM}] {line.who}: {text}")
    return "\n".join(out) + "\n"


# --- playing ---------------------------------------------------------------------------------


@dataclass
class Sent:
    after_k: int  # the message (by k) that came just before; 0 before the first
    by_timer: bool  # sent by the timers (reminders, escalations), not in answer to after_k
    room: str | None
    to: str | None
    text: str
    mentions: tuple[str, ...]


@dataclass
class Played:
    day: Day
    sent: list[Sent] = field(default_factory=list)
    tickets: list[dict] = field(default_factory=list)  # id, source k, intent, status, reports (k list)
    readings: dict[int, str] = field(default_factory=dict)  # k -> what the bot read it as
    errors: list[str] = field(default_factory=list)  # messages whose handling failed (a bug)
    # After each official's accept/done line (by k): the state of every ticket, by its source k.
    states_after: dict[int, dict[int | None, str]] = field(default_factory=dict)


ACTS = {"accept": ("accepted", "resolved", "closed"), "done": ("resolved", "closed")}


def days_config():
    """config.example.toml with the days' duty roster (roster.toml) added."""
    import tempfile

    from bot.config import load_config

    text = (ROOT / "config.example.toml").read_text(encoding="utf-8") + "\n" + ROSTER.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path)


async def play(day: Day, config=None, classifier=None, faq=None, *, tail_hours: float = 2) -> Played:
    """Play the day's script through the Application (memory transport, in-memory database)."""
    from bot.app import Application
    from bot.clock import ManualClock
    from bot.simulator import Simulator
    from bot.transports.memory import MemoryTransport
    from storage import Store

    config = config or days_config()
    config = replace(config, outbox=replace(config.outbox, per_room_seconds=0, overall_seconds=0))
    clock = ManualClock(day.start)
    transport = MemoryTransport()
    app = Application(config, transport, store=Store.open(None), clock=clock, classifier=classifier,
                      faq=faq, scheduler=False, deliver=False)
    await app.start()
    sim = Simulator(app, clock, config, io.StringIO())
    played = Played(day)
    said = 0
    try:
        script = to_script(day).splitlines() + [f"/clock {day.lines[-1].time + timedelta(hours=tail_hours):%Y-%m-%d %H:%M}"]
        for raw in script:
            before = sim.counter
            problem = await sim.line(raw)
            if problem:
                raise ValueError(f"{day.name}: the simulator did not understand: {raw[:80]}")
            by_timer = sim.counter == before
            said = sim.counter
            if not by_timer and _is_official_act(day.lines[said - 1]):
                prefix = f"sim-{sim.run_id}-"
                played.states_after[said] = {
                    _k(t.source_message_id, prefix): str(t.status) for t in app.store.tickets.select()
                }
            for out in transport.take():
                played.sent.append(
                    Sent(said, by_timer, out.room_topic, out.to.name if out.to else None, out.text,
                         tuple(p.name for p in out.mentions))
                )
        prefix = f"sim-{sim.run_id}-"
        k_of = {f"{prefix}{line.k}": line.k for line in day.lines}
        played.errors = [
            f"{row['message_id']}: {row['note']}"
            for row in app.store.db.query("SELECT message_id, note FROM inbox WHERE status = 'error'")
        ]
        for row in app.store.db.query("SELECT message_id, reading, ticket_id FROM inbox"):
            if row["message_id"] in k_of and row["reading"]:
                tail = f"#{row['ticket_id']}" if row["ticket_id"] else ""
                played.readings[k_of[row["message_id"]]] = f"{row['reading']}{tail}"
        for t in app.store.tickets.select():
            reporters = app.store.tickets.reporters(t.id)
            played.tickets.append({
                "id": t.id, "k": k_of.get(t.source_message_id or ""), "intent": t.intent,
                "urgent": t.urgent, "status": str(t.status), "location": t.location,
                "reports": sorted(k_of[r.message_id] for r in reporters if r.message_id in k_of),
            })
    finally:
        await app.stop()
    return played


def _is_official_act(line: Line) -> bool:
    return line.role in ("worker", "staff") and line.kind in ACTS and line.need is not None


def _k(message_id: str | None, prefix: str) -> int | None:
    tail = (message_id or "").removeprefix(prefix)
    return int(tail) if tail.isdigit() and message_id.startswith(prefix) else None


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    name: str
    messages: int
    needs: int
    chatter: int  # residents' messages that speak of no need
    tickets: int
    tickets_for_needs: int
    needs_with_ticket: int
    false_tickets: int
    recalled: int
    room_posts: int
    private_by_person: dict[str, int]
    missed: tuple[str, ...]  # need ids with neither a ticket nor an answer
    split: tuple[str, ...]  # need ids with more than one ticket
    false: tuple[int, ...]  # k of messages that opened a false ticket
    acts: int = 0  # officials' accept/done lines about a need that has a ticket
    acts_missed: tuple[int, ...] = ()  # k of those the ticket did not follow

    @property
    def tickets_per_need(self) -> float:
        return self.tickets_for_needs / self.needs_with_ticket if self.needs_with_ticket else 0.0

    @property
    def false_per_100_chatter(self) -> float:
        return 100 * self.false_tickets / self.chatter if self.chatter else 0.0

    @property
    def recall(self) -> float:
        return self.recalled / self.needs if self.needs else 1.0

    @property
    def acts_understood(self) -> float:
        """Officials' accept/done lines the ticket followed (issue 10: their own words)."""
        return (self.acts - len(self.acts_missed)) / self.acts if self.acts else 1.0

    @property
    def posts_per_100(self) -> float:
        return 100 * self.room_posts / self.messages if self.messages else 0.0

    def row(self) -> dict:
        return {
            "day": self.name, "messages": self.messages, "needs": self.needs,
            "tickets": self.tickets, "tickets_per_need": round(self.tickets_per_need, 2),
            "false_per_100_chatter": round(self.false_per_100_chatter, 2),
            "recall": round(self.recall, 3), "posts_per_100": round(self.posts_per_100, 2),
            "max_private_per_person": max(self.private_by_person.values(), default=0),
            "missed": list(self.missed), "split": list(self.split), "false_k": list(self.false),
            "worker_acts_understood": f"{self.acts - len(self.acts_missed)}/{self.acts}",
            "acts_missed_k": list(self.acts_missed),
        }


def score(played: Played) -> Score:
    day = played.day
    need_of = {line.k: line.need for line in day.lines}
    per_need: Counter[str] = Counter()
    false = []
    for t in played.tickets:
        need = need_of.get(t["k"]) if t["k"] else None
        if need is None:
            false.append(t["k"] or 0)
        else:
            per_need[need] += 1
    answered = {
        need_of.get(s.after_k) for s in played.sent
        if s.after_k and not s.by_timer and need_of.get(s.after_k) and day.needs[need_of[s.after_k]].expect == "answer"
        and (s.room is not None or s.to is not None)
    }
    recalled = {n for n in day.needs if per_need[n] or n in answered}
    chatter = sum(1 for line in day.lines if line.need is None and line.role == "resident")
    private = Counter(s.to for s in played.sent if s.to is not None)
    acts, acts_missed = 0, []
    for k, states in played.states_after.items():
        line = day.lines[k - 1]
        of_need = [state for src, state in states.items() if src and need_of.get(src) == line.need]
        if of_need:
            acts += 1
            if not any(state in ACTS[line.kind] for state in of_need):
                acts_missed.append(k)
    return Score(
        name=day.name, messages=len(day.lines), needs=len(day.needs), chatter=chatter,
        tickets=len(played.tickets), tickets_for_needs=sum(per_need.values()),
        needs_with_ticket=len(per_need), false_tickets=len(false), recalled=len(recalled),
        room_posts=sum(1 for s in played.sent if s.room == day.room),
        private_by_person=dict(private), missed=tuple(sorted(set(day.needs) - recalled)),
        split=tuple(sorted(n for n, c in per_need.items() if c > 1)), false=tuple(false),
        acts=acts, acts_missed=tuple(acts_missed),
    )


def transcript(played: Played) -> str:
    """The day as a resident and a worker read it: each message, then what the bot sent."""
    day = played.day
    by_k: dict[int, list[Sent]] = {}
    for s in played.sent:
        by_k.setdefault(s.after_k, []).append(s)
    ticket_of = {t["k"]: t for t in played.tickets if t["k"]}
    lines = []

    def bot(k: int) -> None:
        for s in by_k.get(k, []):
            where = f"[{s.room}]" if s.room else f"[私聊→{s.to}]"
            at = f" @{'@'.join(s.mentions)}" if s.mentions else ""
            clock = "⏱" if s.by_timer else ">>"
            lines.append(f"      {clock} {where}{at} {s.text}".replace("\n", "\n         "))

    bot(0)
    for line in day.lines:
        label = line.need or "-"
        t = ticket_of.get(line.k)
        opened = f"  => #{t['id']} {t['intent']}" if t else ""
        if not t and line.k in played.readings:
            opened = f"  ~ {played.readings[line.k]}"
        text = line.text.replace("\n", " / ")
        lines.append(f"{line.k:4d} {line.time:%H:%M} [{label:>3}] {line.who}: {text}{opened}")
        bot(line.k)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from zoneinfo import ZoneInfo

    parser = argparse.ArgumentParser(prog="python -m tests.groupdays")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--transcript", action="store_true", help="print the whole conversation")
    parser.add_argument("--write-scripts", action="store_true", help="write each day's .txt script")
    args = parser.parse_args(argv)
    files = args.files or sorted(DAYS_DIR.glob("*.jsonl"))
    tz = ZoneInfo("Asia/Shanghai")
    for path in files:
        day = load_day(path, tz)
        if args.write_scripts:
            path.with_suffix(".txt").write_text(to_script(day), encoding="utf-8")
        played = asyncio.run(play(day))
        if args.transcript:
            print(transcript(played))
        print(json.dumps(score(played).row(), ensure_ascii=False))
        print("private messages:", score(played).private_by_person)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

