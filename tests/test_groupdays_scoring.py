"""The day scorer counts what the issue counts (checked on a tiny day whose answers are known)."""

from __future__ import annotations

import io
import json
from datetime import datetime

from tests.conftest import TZ
from tests.groupdays import Played, Sent, load_day, score, to_script


def _day(tmp_path):
    rows = [
        {"day": "2026-11-24", "room": "青年路一网格居民群", "writer": "test",
         "needs": {"N1": {"what": "井盖", "intent": "repair", "urgent": False, "place": "3栋",
                          "expect": "ticket"},
                   "N2": {"what": "医保", "intent": "inquiry", "urgent": False, "place": None,
                          "expect": "answer"}}},
        {"t": "2026-11-24 07:00", "who": "王阿姨", "text": "早上好", "need": None, "role": "resident"},
        {"t": "2026-11-24 07:05", "who": "3栋 李奶奶", "text": "3栋井盖没了", "need": "N1", "role": "resident"},
        {"t": "2026-11-24 07:06", "who": "老李", "text": "+1", "need": "N1", "role": "resident"},
        {"t": "2026-11-24 07:10", "who": "老张", "text": "医保在哪交", "need": "N2", "role": "resident"},
        {"t": "2026-11-24 07:20", "who": "老周", "text": "接龙\n1. 老周 2斤", "need": None, "role": "resident"},
        {"t": "2026-11-24 07:30", "who": "马建民", "text": "收到", "need": "N1", "role": "worker"},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return load_day(path, TZ)


def test_script_keeps_one_message_per_line(tmp_path):
    script = to_script(_day(tmp_path)).splitlines()
    assert "[青年路一网格居民群] 老周: 接龙\\n1. 老周 2斤" in script
    assert script[1] == "/clock 2026-11-24 06:30"


def test_figures_of_a_known_day(tmp_path):
    day = _day(tmp_path)
    played = Played(day)
    # two tickets for the manhole (one too many), one from the 接龙 (false), an answer to N2
    played.tickets = [
        {"id": 1, "k": 2, "reports": [2]}, {"id": 2, "k": 3, "reports": [3]},
        {"id": 3, "k": 5, "reports": [5]},
    ]
    room = day.room
    played.sent = [Sent(2, False, room, None, "ack", ()), Sent(4, False, room, None, "医保…", ()),
                   Sent(6, True, None, "马建民", "reminder", ())]
    s = score(played)
    assert (s.tickets_per_need, s.false_tickets, s.recall) == (2.0, 1, 1.0)
    assert s.chatter == 2 and s.false_per_100_chatter == 50.0
    assert s.posts_per_100 == 100 * 2 / 6
    assert s.split == ("N1",) and s.private_by_person == {"马建民": 1}
    played.sent = played.sent[:1]  # no answer to the question: N2 is missed
    assert score(played).missed == ("N2",)
    assert datetime(2026, 11, 24, 7, 5, tzinfo=TZ) == day.lines[1].time


async def test_a_script_line_with_line_breaks_is_one_message(chat):
    """`\\n` in a script line is a line break inside one message (a 接龙 is one message)."""
    from bot.simulator import Simulator

    seen = []
    real = chat.app.on_message

    async def spy(msg):
        seen.append(msg.text)
        await real(msg)

    chat.app.on_message = spy
    sim = Simulator(chat.app, chat.clock, chat.app.config, out=io.StringIO())
    await sim.line("[青年路一网格居民群] 老周: 接龙 砂糖橘\\n1. 3栋 王 2斤\\n2. 路径 C:\\\\n")
    assert seen == ["接龙 砂糖橘\n1. 3栋 王 2斤\n2. 路径 C:\\n"]


def test_an_officials_act_counts_when_its_ticket_follows(tmp_path):
    day = _day(tmp_path)  # k=6 becomes 马建民 accepting N1
    line = day.lines[5]
    day = type(day)(day.name, day.room, day.needs, day.lines[:5] + (
        type(line)(line.k, line.time, line.room, line.who, line.text, "N1", "worker", "accept"),))
    played = Played(day)
    played.tickets = [{"id": 1, "k": 2, "reports": [2]}]
    played.states_after = {6: {2: "open", None: "open"}}
    assert (score(played).acts, score(played).acts_missed) == (1, (6,))
    played.states_after = {6: {2: "accepted"}}
    assert score(played).acts_understood == 1.0
