"""Three independent readers of a feed, each expanding it over a window.

Each returns what a calendar would show: ``events`` as sorted
``(start, summary, uid)`` — start as ``YYYY-MM-DD`` for all-day events or
``YYYY-MM-DDTHH:MM`` in Asia/Shanghai for timed ones — ``todos`` as the sorted
UIDs of the VTODOs, and ``descriptions`` by UID.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
JS = Path(__file__).resolve().parent / "js"


@dataclass
class Reading:
    events: list[tuple[str, str, str]]
    todos: list[str]
    descriptions: dict[str, str]


def _when(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA)
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(CHINA) if value.tzinfo else value).date()
    return value


def with_icalendar(path: Path, start: date, end: date) -> Reading:
    """icalendar 7 parses; recurring-ical-events 3 expands."""
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = []
    descriptions = {}
    for ev in recurring_ical_events.of(cal).between(start, end + timedelta(days=1)):
        when = ev.decoded("DTSTART")
        if start <= _day(when) <= end:
            events.append((_when(when), str(ev["SUMMARY"]), str(ev["UID"])))
            descriptions[str(ev["UID"])] = str(ev.get("DESCRIPTION", ""))
    todos = []
    for todo in cal.walk("VTODO"):
        todos.append(str(todo["UID"]))
        descriptions[str(todo["UID"])] = str(todo.get("DESCRIPTION", ""))
    return Reading(sorted(events), sorted(todos), descriptions)


def with_ical(path: Path, start: date, end: date) -> Reading:
    """The ``ical`` package: its own parser and its timeline."""
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    events = []
    descriptions = {}
    for ev in cal.timeline_tz(CHINA):
        if _day(ev.dtstart) > end:
            break
        if start <= _day(ev.dtstart) <= end:
            events.append((_when(ev.dtstart), ev.summary or "", ev.uid or ""))
            descriptions[ev.uid] = ev.description or ""
    todos = []
    for todo in cal.todos:
        todos.append(todo.uid)
        descriptions[todo.uid] = todo.description or ""
    return Reading(sorted(events), sorted(todos), descriptions)


def icaljs_ready() -> str | None:
    """None when ical.js can run; else why not.  Installs it from the lockfile if needed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed"
    if not (JS / "node_modules" / "ical.js").is_dir():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, capture_output=True, text=True)
        if done.returncode != 0:
            return f"npm ci failed: {done.stderr.strip()[-500:]}"
    return None


def _reading_of_icaljs(data: dict) -> Reading:
    events = [(e["start"], e["summary"], e["uid"]) for e in data["events"]]
    descriptions = {e["uid"]: e["description"] for e in data["events"]}
    descriptions.update({t["uid"]: t["description"] for t in data["todos"]})
    return Reading(sorted(events), sorted(t["uid"] for t in data["todos"]), descriptions)


def icaljs_many(paths: list[Path], start: date, end: date) -> dict[Path, Reading]:
    """ical.js 2 under Node (tests/js/expand.mjs): every feed in one Node process."""
    out = subprocess.run(
        ["node", str(JS / "expand.mjs"), start.isoformat(), end.isoformat(), *map(str, paths)],
        capture_output=True, text=True, check=True,
    )
    data = json.loads(out.stdout)
    return {path: _reading_of_icaljs(data[str(path)]) for path in paths}


def with_icaljs(path: Path, start: date, end: date) -> Reading:
    return icaljs_many([path], start, end)[path]


READERS = {"icalendar+recurring-ical-events": with_icalendar, "ical": with_ical, "ical.js": with_icaljs}


def read_all(reader: str, paths: list[Path], start: date, end: date) -> dict[Path, Reading]:
    """Every feed of ``paths`` read by ``reader`` (ical.js: all in one Node process)."""
    if reader == "ical.js":
        return icaljs_many(paths, start, end)
    return {path: READERS[reader](path, start, end) for path in paths}
