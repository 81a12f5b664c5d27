"""Independent readers of a feed, each expanding it over a window: icalendar with
recurring-ical-events, the `ical` package, ical.js under Node, and libical (through
GObject introspection); and Radicale, a CalDAV server in-process.

Each returns what a calendar would show: ``events`` as sorted
``(start, summary, uid)`` — start as ``YYYY-MM-DD`` for all-day events or
``YYYY-MM-DDTHH:MM`` in Asia/Shanghai for timed ones — ``todos`` as the sorted
UIDs of the VTODOs, and ``descriptions`` by UID.
"""

from __future__ import annotations

import json
import re
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


# --------------------------------------------------------------------------
# libical (Evolution, GNOME Calendar, KDE's import path) through GObject introspection


def libical():
    """The ICalGLib module (libical 3 through GObject introspection: ``make libical`` installs it)."""
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib

    return ICalGLib


def _children(parent, kind):
    """The components of ``kind`` in ``parent`` (libical walks them with an iterator inside ``parent``)."""
    found = []
    child = parent.get_first_component(kind)
    while child is not None:
        found.append(child)
        child = parent.get_next_component(kind)
    return found


def libical_errors(data: bytes) -> list[str]:
    """What libical's own check says of a feed: its RFC 5545 restrictions and, where the feed names a
    METHOD, RFC 5546's (iTIP).  libical marks each problem as an X-LIC-ERROR property."""
    ical = libical()
    root = ical.Component.new_from_string(data.decode("utf-8"))
    ical.restriction_check(root)
    errors = []

    def walk(comp):
        found = []  # read whole first: naming the component moves the property iterator inside it
        prop = comp.get_first_property(ical.PropertyKind.XLICERROR_PROPERTY)
        while prop is not None:
            found.append(prop.get_xlicerror())
            prop = comp.get_next_property(ical.PropertyKind.XLICERROR_PROPERTY)
        name = comp.get_uid() if comp.isa() != ical.ComponentKind.VCALENDAR_COMPONENT else "VCALENDAR"
        errors.extend(f"{name}: {text}" for text in found)
        for child in _children(comp, ical.ComponentKind.ANY_COMPONENT):
            walk(child)

    walk(root)
    return errors


def _libical_when(ical, t, china) -> str:
    if t.is_date():
        return f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}"
    t = t.clone()
    t.convert_to_zone_inplace(china)
    return f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}T{t.get_hour():02d}:{t.get_minute():02d}"


def with_libical(path: Path, start: date, end: date) -> Reading:
    """libical parses and expands (its own RRULE iterator), time zones by its own VTIMEZONE reading."""
    ical = libical()
    root = ical.Component.new_from_string(path.read_bytes().decode("utf-8"))
    china = ical.Timezone.get_builtin_timezone("Asia/Shanghai")
    events = []
    descriptions = {}
    first, last = start.isoformat(), end.isoformat()
    for ev in _children(root, ical.ComponentKind.VEVENT_COMPONENT):
        dtstart = ev.get_dtstart()
        uid, title = ev.get_uid() or "", ev.get_summary() or ""
        descriptions[uid] = ev.get_description() or ""
        starts = [dtstart]
        rrule = ev.get_first_property(ical.PropertyKind.RRULE_PROPERTY)
        if rrule is not None:
            iterator = ical.RecurIterator.new(rrule.get_rrule(), dtstart)
            starts = []
            while len(starts) < 100_000:
                t = iterator.next()
                if t is None or t.is_null_time():
                    break
                starts.append(t)
        for t in starts:
            when = _libical_when(ical, t, china)
            if first <= when[:10] <= last:
                events.append((when, title, uid))
    todos = []
    for todo in _children(root, ical.ComponentKind.VTODO_COMPONENT):
        todos.append(todo.get_uid() or "")
        descriptions[todo.get_uid() or ""] = todo.get_description() or ""
    return Reading(sorted(events), sorted(todos), descriptions)


READERS["libical"] = with_libical


# --------------------------------------------------------------------------
# Radicale, a CalDAV server, in-process


def split_items(data: bytes) -> list[tuple[str, bytes]]:
    """Each VEVENT or VTODO of a feed as a calendar object of its own (with the feed's
    VTIMEZONE where it names a TZID), as a CalDAV client uploads it: (UID, bytes)."""
    text = data.decode("utf-8")
    head = text.split("\r\nBEGIN:", 1)[0] + "\r\n"
    zone = ""
    if "\r\nBEGIN:VTIMEZONE\r\n" in text:
        zone = "BEGIN:VTIMEZONE\r\n" + text.split("\r\nBEGIN:VTIMEZONE\r\n", 1)[1].split("END:VTIMEZONE\r\n", 1)[0]
        zone += "END:VTIMEZONE\r\n"
    items = []
    for found in re.finditer(r"^BEGIN:(VEVENT|VTODO)\r\n.*?^END:\1\r\n", text, re.M | re.S):
        body = found.group(0)
        uid = body.replace("\r\n ", "").split("\r\nUID:", 1)[1].split("\r\n", 1)[0]
        tz = zone if "TZID=" in body else ""
        items.append((uid, (head + tz + body + "END:VCALENDAR\r\n").encode("utf-8")))
    return items


class Radicale:
    """A Radicale server on 127.0.0.1 (its own WSGI app in a thread), anonymous, storing under ``folder``."""

    def __init__(self, folder: Path):
        import threading
        import wsgiref.simple_server

        import logging

        import radicale
        import radicale.config

        logging.getLogger("radicale").setLevel(logging.CRITICAL)  # a refused PUT is the test's to report
        conf = radicale.config.load([])
        conf.update({"auth": {"type": "none"}, "rights": {"type": "owner_only"},
                     "storage": {"filesystem_folder": str(folder), "_filesystem_fsync": "False"},
                     "logging": {"level": "error"}},
                    "test", privileged=True)

        class Quiet(wsgiref.simple_server.WSGIRequestHandler):
            def log_message(self, *args):
                pass

        self.server = wsgiref.simple_server.make_server("127.0.0.1", 0, radicale.Application(conf),
                                                        handler_class=Quiet)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Radicale:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body, headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def calendar(self, name: str) -> str:
        """A new calendar collection ``/user/<name>/``; its path."""
        self.request("MKCOL", "/user/")
        status, _ = self.request("MKCALENDAR", f"/user/{name}/")
        assert status == 201, status
        return f"/user/{name}/"

    def put(self, collection: str, uid: str, data: bytes) -> int:
        """A plain PUT of one calendar object as ``<UID>.ics`` (the UID as the file name, as CalDAV clients do)."""
        from urllib.parse import quote

        status, _ = self.request("PUT", collection + quote(uid + ".ics", safe="@"), data,
                                 {"Content-Type": "text/calendar; charset=utf-8"})
        return status

    def uids_between(self, collection: str, start: date, end: date, kind: str = "VEVENT") -> set[str]:
        """The UIDs (file names) of the objects Radicale finds with an instance from ``start`` to ``end``
        (a calendar-query REPORT with a time range: Radicale expands recurrences itself)."""
        from urllib.parse import unquote
        from xml.etree import ElementTree

        query = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            "<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\">"
            f'<C:comp-filter name="{kind}"><C:time-range start="{start:%Y%m%d}T000000Z" '
            f'end="{end + timedelta(days=1):%Y%m%d}T000000Z"/></C:comp-filter>'
            "</C:comp-filter></C:filter></C:calendar-query>"
        ).encode()
        status, body = self.request("REPORT", collection, query, {"Depth": "1", "Content-Type": "application/xml"})
        assert status == 207, (status, body[:300])
        hrefs = [e.text or "" for e in ElementTree.fromstring(body).iter("{DAV:}href")]
        return {unquote(h.rsplit("/", 1)[1]).removesuffix(".ics") for h in hrefs if h.endswith(".ics")}
