"""Reading our iCalendar output the way calendar apps do: three independent parsers, and
the raw lines for the rules that parsers forgive (line length, CRLF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import vobject
from icalendar import Calendar

JS_DIR = Path(__file__).resolve().parent.parent / "js"
PARSE_SCRIPT = JS_DIR / "parse_ics.mjs"


@dataclass(frozen=True, order=True)
class Seen:
    """One event as a calendar app would show it; times in UTC."""

    start: datetime
    end: datetime
    uid: str
    summary: str
    status: str
    sequence: int


def _utc(moment: datetime) -> datetime:
    assert moment.tzinfo is not None, f"floating time {moment}"
    return moment.astimezone(UTC)


def with_icalendar(body: bytes) -> list[Seen]:
    calendar = Calendar.from_ical(body)
    problems = [(part.name, part.errors) for part in calendar.walk() if part.errors]
    assert not problems, problems
    assert not calendar.get_missing_tzids(), "a TZID without its VTIMEZONE"
    return sorted(
        Seen(
            start=_utc(event.start),
            end=_utc(event.end),
            uid=str(event["UID"]),
            summary=str(event["SUMMARY"]),
            status=str(event["STATUS"]),
            sequence=int(event["SEQUENCE"]),
        )
        for event in calendar.events
    )


def with_vobject(body: bytes) -> list[Seen]:
    calendar = vobject.readOne(body.decode("utf-8"), validate=True)
    events = calendar.contents.get("vevent", [])
    return sorted(
        Seen(
            start=_utc(event.dtstart.value),
            end=_utc(event.dtend.value),
            uid=event.uid.value,
            summary=event.summary.value,
            status=event.status.value,
            sequence=int(event.sequence.value),
        )
        for event in events
    )


def icaljs_result(body: bytes) -> dict:
    node = shutil.which("node")
    assert node, "node is needed for the ical.js check (see README: make test)"
    assert (JS_DIR / "node_modules" / "ical.js").exists(), "run: npm ci --prefix tests/js"
    run = subprocess.run(  # noqa: S603 - a fixed script of ours on our own output
        [node, str(PARSE_SCRIPT)], input=body, capture_output=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout)


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def with_icaljs(body: bytes) -> list[Seen]:
    return sorted(
        Seen(
            start=_iso(event["start"]),
            end=_iso(event["end"]),
            uid=event["uid"],
            summary=event["summary"],
            status=event["status"],
            sequence=event["sequence"],
        )
        for event in icaljs_result(body)["events"]
    )


def parsed_alike(body: bytes) -> list[Seen]:
    """The events as icalendar, vobject and ical.js read them; all three must agree."""
    seen = with_icalendar(body)
    assert with_vobject(body) == seen
    assert with_icaljs(body) == seen
    return seen


# --- Raw lines ----------------------------------------------------------------------------


def physical_lines(body: bytes) -> list[bytes]:
    """The lines as sent, each checked to end in CRLF (RFC 5545 3.1)."""
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines), "a bare CR or LF"
    return lines


def content_lines(body: bytes) -> list[str]:
    """Unfolded content lines (RFC 5545 3.1)."""
    unfolded: list[str] = []
    for line in physical_lines(body):
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")):
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    return unfolded


def names(body: bytes) -> list[str]:
    """Each content line's property name with its parameters, e.g. 'DTSTART;TZID=...'."""
    return [line.split(":", 1)[0] for line in content_lines(body)]


def values(body: bytes, name: str) -> list[str]:
    """The raw values of a property (name with parameters, as in names())."""
    return [line.split(":", 1)[1] for line in content_lines(body) if line.split(":", 1)[0] == name]
