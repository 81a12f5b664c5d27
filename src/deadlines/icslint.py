"""A lint for iCalendar feeds: what clients need, which parsers do not check.

icalendar, recurring-ical-events, ``ical``, vobject and ical.js all accept a
missing UID or DTSTAMP, DTEND before DTSTART, duplicate UIDs, LF line ends,
300-octet lines and a TZID with no VTIMEZONE — and calendar clients then drop
or duplicate events.  This reads the raw bytes itself, so it sees what a
lenient parser would smooth over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import PathError

MAX_OCTETS = 75  # RFC 5545 3.1, without the CRLF
_DURATION = re.compile(r"^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$")
_DATE = re.compile(r"^\d{8}$")
_DATETIME = re.compile(r"^\d{8}T\d{6}Z?$")
_ITEMS = ("VEVENT", "VTODO", "VJOURNAL")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class _Prop:
    name: str
    params: dict[str, str]
    value: str
    line: int


@dataclass
class _Component:
    name: str
    line: int
    props: list[_Prop] = field(default_factory=list)
    children: list[_Component] = field(default_factory=list)

    def get(self, name: str) -> _Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[_Prop]:
        return [p for p in self.props if p.name == name]


def _split(line: str) -> tuple[str, dict[str, str], str] | None:
    """NAME;PARAM=value;PARAM="quoted":value → parts; None if there is no value separator."""
    i, n = 0, len(line)
    while i < n and line[i] not in ";:":
        i += 1
    name = line[:i].upper()
    params: dict[str, str] = {}
    while i < n and line[i] == ";":
        j = i + 1
        while j < n and line[j] not in "=;:":
            j += 1
        key = line[i + 1 : j].upper()
        value_chars = []
        if j < n and line[j] == "=":
            j += 1
            quoted = False
            while j < n and (quoted or line[j] not in ";:"):
                if line[j] == '"':
                    quoted = not quoted
                else:
                    value_chars.append(line[j])
                j += 1
        params[key] = "".join(value_chars)
        i = j
    if i >= n or line[i] != ":" or not name:
        return None
    return name, params, line[i + 1 :]


def _logical_lines(data: bytes, problems: list[Problem]) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of their first physical line."""
    out: list[tuple[int, str]] = []
    physical = data.split(b"\n")
    if physical and physical[-1] == b"":
        physical.pop()
    elif physical:
        problems.append(Problem(len(physical), "the file does not end with CRLF"))
    lf_only: list[int] = []
    for number, raw in enumerate(physical, 1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        else:
            lf_only.append(number)
        if len(raw) > MAX_OCTETS:
            problems.append(Problem(number, f"line is {len(raw)} octets: fold lines at {MAX_OCTETS}"))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(number, "not UTF-8 (or a fold splits a character)"))
            text = raw.decode("utf-8", "replace")
        if text[:1] in (" ", "\t") and out:
            first, head = out[-1]
            out[-1] = (first, head + text[1:])
        elif text:
            out.append((number, text))
    if lf_only:
        problems.append(Problem(lf_only[0], f"{len(lf_only)} line(s) end with LF alone: content lines end with CRLF"))
    return out


def _parse(data: bytes, problems: list[Problem]) -> list[_Component]:
    roots: list[_Component] = []
    stack: list[_Component] = []
    for number, text in _logical_lines(data, problems):
        parts = _split(text)
        if parts is None:
            problems.append(Problem(number, f"not a content line: {text[:40]!r}"))
            continue
        name, params, value = parts
        if name == "BEGIN":
            comp = _Component(value.upper(), number)
            (stack[-1].children if stack else roots).append(comp)
            stack.append(comp)
        elif name == "END":
            if not stack or stack[-1].name != value.upper():
                problems.append(Problem(number, f"END:{value} closes nothing open"))
            else:
                stack.pop()
        elif not stack:
            problems.append(Problem(number, f"{name} outside BEGIN:VCALENDAR"))
        else:
            stack[-1].props.append(_Prop(name, params, value, number))
    for comp in stack:
        problems.append(Problem(comp.line, f"BEGIN:{comp.name} is never closed"))
    return roots


def _when(prop: _Prop) -> date | datetime | None:
    value = prop.value.strip()
    try:
        if prop.params.get("VALUE", "").upper() == "DATE" or _DATE.match(value):
            return datetime.strptime(value, "%Y%m%d").date()
        if _DATETIME.match(value):
            return datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        pass
    return None


# What a UID may hold so that a client can keep the event as "<UID>.ics": a
# CalDAV PUT (Radicale answers 400 or 403 to a "/" or non-ASCII in the path),
# a vdir folder (khal, todoman).
_UID_SAFE = re.compile(r"^[A-Za-z0-9._@-]+$")


def _check_item(comp: _Component, problems: list[Problem], itip: bool = False) -> None:
    for required in ("UID", "DTSTAMP"):
        if comp.get(required) is None:
            problems.append(Problem(comp.line, f"{comp.name} has no {required}"))
    uid = comp.get("UID")
    if uid is not None and not _UID_SAFE.match(uid.value):
        problems.append(Problem(uid.line, f"UID {uid.value!r} is not ASCII letters, digits and . _ @ - "
                                          "(a client keeps the event as <UID>.ics)"))
    if itip and comp.get("ORGANIZER") is None:
        problems.append(Problem(comp.line, f"{comp.name} has no ORGANIZER, which METHOD (iTIP, RFC 5546) requires"))
    start, end = comp.get("DTSTART"), comp.get("DTEND")
    if comp.name == "VEVENT" and start is None:
        problems.append(Problem(comp.line, "VEVENT has no DTSTART"))
    for prop in (start, end, comp.get("DUE"), comp.get("RECURRENCE-ID")):
        if prop is not None and _when(prop) is None:
            problems.append(Problem(prop.line, f"{prop.name} is not a date or date-time: {prop.value!r}"))
    if end is not None and comp.get("DURATION") is not None:
        problems.append(Problem(end.line, "DTEND and DURATION together"))
    if start is not None and end is not None:
        a, b = _when(start), _when(end)
        if a is not None and b is not None:
            if isinstance(a, datetime) != isinstance(b, datetime):
                problems.append(Problem(end.line, "DTSTART and DTEND differ in value type (DATE vs DATE-TIME)"))
            elif start.params.get("TZID") == end.params.get("TZID") and start.value.endswith("Z") == end.value.endswith("Z") and b <= a:
                problems.append(Problem(end.line, f"DTEND {end.value} is not after DTSTART {start.value}"))
    rrules = comp.all("RRULE")
    for rrule in rrules:
        parts = dict(p.split("=", 1) for p in rrule.value.upper().split(";") if "=" in p)
        if "UNTIL" not in parts and "COUNT" not in parts:
            problems.append(Problem(rrule.line, "RRULE without UNTIL: an unbounded series (give UNTIL)"))
        until = parts.get("UNTIL")
        if until and start is not None:
            date_start = isinstance(_when(start), date) and not isinstance(_when(start), datetime)
            if date_start and not _DATE.match(until):
                problems.append(Problem(rrule.line, "UNTIL must be a DATE when DTSTART is a DATE"))
            if "TZID" in start.params and not until.endswith("Z"):
                problems.append(Problem(rrule.line, "UNTIL must be UTC (…Z) when DTSTART has a TZID"))
    if comp.all("RDATE") and not rrules:
        problems.append(Problem(comp.all("RDATE")[0].line, "RDATE without RRULE: clients drop or mis-expand such series"))


def _collect_tzid_uses(comp: _Component, uses: list[tuple[str, int]]) -> None:
    for prop in comp.props:
        if "TZID" in prop.params:
            uses.append((prop.params["TZID"], prop.line))
    for child in comp.children:
        _collect_tzid_uses(child, uses)


def lint(data: bytes) -> list[Problem]:
    """Every problem found in the feed ``data``, in line order."""
    problems: list[Problem] = []
    roots = _parse(data, problems)
    calendars = [c for c in roots if c.name == "VCALENDAR"]
    if not calendars:
        problems.append(Problem(1, "no BEGIN:VCALENDAR"))
    seen: dict[tuple[str, str], int] = {}
    for cal in calendars:
        for required in ("VERSION", "PRODID"):
            if cal.get(required) is None:
                problems.append(Problem(cal.line, f"VCALENDAR has no {required}"))
        # A feed is a snapshot (RFC 5545 3.7.2), written without METHOD; one that names a
        # METHOD is an iTIP message, whose items need an ORGANIZER (libical checks it).
        itip = cal.get("METHOD") is not None
        refresh = cal.get("REFRESH-INTERVAL")
        if refresh is not None and refresh.params.get("VALUE", "").upper() != "DURATION":
            problems.append(Problem(refresh.line, "REFRESH-INTERVAL needs ;VALUE=DURATION (RFC 7986)"))
        for name in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            prop = cal.get(name)
            if prop is not None and not _DURATION.match(prop.value.strip()):
                problems.append(Problem(prop.line, f"{name} is not a duration: {prop.value!r} (e.g. PT6H)"))
        tzids = {p.value for c in cal.children if c.name == "VTIMEZONE" for p in c.all("TZID")}
        uses: list[tuple[str, int]] = []
        _collect_tzid_uses(cal, uses)
        for tzid, line in uses:
            if tzid not in tzids:
                problems.append(Problem(line, f"TZID={tzid} has no VTIMEZONE in the feed"))
        for comp in cal.children:
            if comp.name not in _ITEMS:
                continue
            _check_item(comp, problems, itip)
            uid = comp.get("UID")
            if uid is None:
                continue
            rid = comp.get("RECURRENCE-ID")
            key = (uid.value, rid.value if rid is not None else "")
            if key in seen:
                problems.append(Problem(uid.line, f"UID {uid.value} also used on line {seen[key]}"))
            else:
                seen[key] = uid.line
    return sorted(problems, key=lambda p: p.line)


def lint_file(path: str | Path) -> list[Problem]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PathError(path, f"cannot read: {exc.strerror or exc}") from None
    if not is_icalendar(data):
        from .messages import say

        return [Problem(1, say("not_icalendar"))]  # one line, not one per line of a README
    return lint(data)


def is_icalendar(data: bytes) -> bool:
    """Whether ``data`` begins as an iCalendar file does (BEGIN:VCALENDAR, after a BOM or blank lines)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"
