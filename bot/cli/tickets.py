"""python -m bot tickets --config C [--db PATH] [--json] [--status S]

With --json, each ticket carries its `reports`: every resident message joined to it (the
report, its pieces, photos, neighbours' echoes, follow-ups), in order, masked as its text."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import datetime

from bot.cli.common import config_arguments, load_or_exit, open_store_or_exit
from intents import mask
from intents.model import INTENT_NAMES_ZH
from storage import Report, Ticket, TicketState

CHUNK = 500  # tickets whose reports are read at once


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot tickets")
    config_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--status", action="append", choices=[s.value for s in TicketState],
        help="only tickets in this state (repeatable)",
    )
    args = parser.parse_args(argv)
    config = load_or_exit(args)
    store = open_store_or_exit(config, writable=False)
    try:
        pages = _pages(store.tickets.each(states=args.status), CHUNK)
        for chunk in pages:
            reports = store.conversation.reports_of(t.id for t in chunk) if args.json else {}
            for ticket in chunk:
                row = as_row(ticket, config.tz)
                if args.json:
                    row["reports"] = [
                        report_row(r, config.tz) for r in reports.get(ticket.id, ())
                        if r.kind != "registered"
                    ]
                    print(json.dumps(row, ensure_ascii=False))
                else:
                    print(
                        f"#{row['id']:<5} {ticket.status.label:<6} {INTENT_NAMES_ZH[row['intent']]:<5} "
                        f"{row['grid']:<6} {row['assignee'] or '-':<5} {row['text'][:30]}"
                    )
    finally:
        store.close()
    return 0


def _pages(tickets: Iterator[Ticket], size: int) -> Iterator[list[Ticket]]:
    page: list[Ticket] = []
    for ticket in tickets:
        page.append(ticket)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def report_row(report: Report, tz) -> dict:
    """A message joined to a ticket, as `tickets --json` shows it."""
    return {
        "message_id": report.message_id,
        "sender": report.sender_name,
        "text": mask(report.text),
        "time": datetime.fromtimestamp(report.at, tz).isoformat(),
    }


def as_row(ticket: Ticket, tz) -> dict:
    def iso(ts: int | None) -> str | None:
        return datetime.fromtimestamp(ts, tz).isoformat() if ts is not None else None

    return {
        "id": ticket.id,
        "intent": ticket.intent,
        "status": str(ticket.status),
        "status_zh": ticket.status.label,
        "urgent": ticket.urgent,
        "grid": ticket.grid_id,
        "room": ticket.room_topic,
        "reporter": ticket.reporter_name,
        "assignee": ticket.assignee_name,
        "location": ticket.location,
        "text": ticket.masked_text,
        "created_at": iso(ticket.created_at),
        "accepted_at": iso(ticket.accepted_at),
        "resolved_at": iso(ticket.resolved_at),
        "rating": ticket.rating,
    }
