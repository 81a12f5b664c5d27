"""Reading a feed back as a calendar client does, and holding it against the engine.

A feed can pass every rule of :mod:`deadlines.icslint` and still be expanded
by a client into other dates than the engine computed (an RRULE one day off,
a series that stops early).  recurring-ical-events (over icalendar) expands a
feed the way client libraries do; :func:`verify_feed` expands each feed with
it and compares what it sees — every event's day or moment, and which
obligation and rule it belongs to — with the occurrences the feed was written
from.  ``deadlines build`` runs it on every feed before anything is
published; ``deadlines lint`` runs it on the feeds of a site.

What is compared is the occurrence, not the way it is written: one VEVENT per
occurrence (its UID is the occurrence key) or an RRULE series (its UID names
the obligation and rule; each date it expands to must be one of theirs).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from .dates import day_of, moment_text
from .errors import FeedMismatch
from .model import Occurrence

CHINA = timezone(timedelta(hours=8))  # Asia/Shanghai, without daylight saving since 1991
_SERIES = "series"
_MARGIN = timedelta(days=400)  # read a year past both ends: an event outside them is still seen


def _moment(value: date | datetime) -> str:
    """A DTSTART as the engine writes a due: the day, or the moment in China."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(CHINA).replace(tzinfo=None)
    return moment_text(value)


def _parts(uid: str) -> tuple[str, str, str] | None:
    """``obligation/rule/period@deadlines`` → its three parts; None for a UID not ours."""
    body, at, _ = uid.rpartition("@")
    parts = body.rsplit("/", 2) if at else []
    return tuple(parts) if len(parts) == 3 else None  # type: ignore[return-value]


def expected(occurrences: Iterable[Occurrence]) -> tuple[set[tuple[str, str, str]], set[str]]:
    """What a feed of ``occurrences`` must show: events as (obligation/rule, period, moment), todos as keys."""
    events: set[tuple[str, str, str]] = set()
    todos: set[str] = set()
    for occ in occurrences:
        if occ.due is None:
            todos.add(str(occ.key))
        else:
            events.add((f"{occ.obligation}/{occ.rule}", occ.period, moment_text(occ.due)))
    return events, todos


# What decides the dates a client shows; the rest (SUMMARY, DESCRIPTION, …) is
# text, which icslint checks.  icalendar's parser spends most of its time
# splitting long folded text lines, so those are left out before it reads the
# feed: the same expansion, a third of the time.
_DATING = {b"BEGIN", b"END", b"UID", b"DTSTART", b"DTEND", b"DURATION", b"DUE", b"RRULE", b"RDATE", b"EXDATE",
           b"RECURRENCE-ID", b"STATUS", b"VERSION", b"PRODID"}


def _dating_lines(data: bytes) -> bytes:
    """``data`` with only the content lines that date events (all of a VTIMEZONE)."""
    out = []
    in_zone = False
    for line in data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").split(b"\r\n"):
        name = line.split(b":", 1)[0].split(b";", 1)[0].upper()
        if line.startswith(b"BEGIN:VTIMEZONE"):
            in_zone = True
        if in_zone or name in _DATING:
            out.append(line)
        if line.startswith(b"END:VTIMEZONE"):
            in_zone = False
    return b"\r\n".join(out)


def read_back(data: bytes, start: date, end: date) -> tuple[set[tuple[str, str, str]], set[str]]:
    """What recurring-ical-events expands ``data`` to between ``start`` and ``end`` (inclusive).

    Events as (obligation/rule, period — ``series`` for an RRULE series —,
    moment); todos as their UIDs' occurrence keys.  A feed it cannot read is
    a :class:`~deadlines.errors.FeedMismatch` naming the parser's complaint.
    """
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(_dating_lines(data))
        found = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    except Exception as exc:  # the parsers raise many kinds; each means "a client cannot read this"
        raise FeedMismatch("feed", [f"a readable calendar ({type(exc).__name__}: {exc})"], []) from None
    events: set[tuple[str, str, str]] = set()
    for event in found:
        uid = str(event.get("UID", ""))
        parts = _parts(uid)
        owner, period = (f"{parts[0]}/{parts[1]}", parts[2]) if parts else (uid, "")
        events.add((owner, period, _moment(event.decoded("DTSTART"))))
    todos = {str(todo.get("UID", "")).rpartition("@")[0] for todo in calendar.walk("VTODO")}
    return events, todos


def differences(
    data: bytes, occurrences: Iterable[Occurrence]
) -> tuple[list[str], list[str]]:
    """What the engine has that the read-back feed lacks, and what the feed has beyond it."""
    occurrences = list(occurrences)
    want_events, want_todos = expected(occurrences)
    days = [day_of(o.due) for o in occurrences if o.due is not None]
    start = (min(days) if days else date(2000, 1, 1)) - _MARGIN
    end = (max(days) if days else date(2000, 1, 1)) + _MARGIN
    got_events, got_todos = read_back(data, start, end)
    # A series names no period: its dates must be those of its obligation and rule.
    series = {(owner, moment) for owner, period, moment in got_events if period == _SERIES}
    plain = {e for e in got_events if e[1] != _SERIES}
    missing = sorted(
        f"{owner}/{period} {moment}" for owner, period, moment in want_events - plain
        if (owner, moment) not in series
    )
    extra = sorted(f"{owner}/{period} {moment}" for owner, period, moment in plain - want_events)
    covered = {(owner, moment) for owner, _, moment in want_events}
    extra += sorted(f"{owner}/{_SERIES} {moment}" for owner, moment in series - covered)
    series_hits = {(owner, moment) for owner, moment in series}
    # An occurrence met both as its own event and inside a series is shown twice by a client.
    extra += sorted(f"{owner}/{period} {moment} (twice)" for owner, period, moment in plain
                    if (owner, moment) in series_hits)
    missing += sorted(f"{key} (waiting)" for key in want_todos - got_todos)
    extra += sorted(f"{key} (waiting)" for key in got_todos - want_todos)
    return missing, extra


def readable(data: bytes) -> None:
    """Raise :class:`~deadlines.errors.FeedMismatch` unless recurring-ical-events reads and expands ``data``."""
    read_back(data, date(1970, 1, 1), date(2100, 12, 31))


def verify_feed(name: str, data: bytes, occurrences: Iterable[Occurrence]) -> None:
    """Raise :class:`~deadlines.errors.FeedMismatch` unless ``data`` reads back as exactly ``occurrences``."""
    try:
        missing, extra = differences(data, occurrences)
    except FeedMismatch as exc:
        raise FeedMismatch(name, exc.missing, exc.extra) from None
    if missing or extra:
        raise FeedMismatch(name, missing, extra)
