"""Reading feeds back as a calendar client does, and holding them against the engine.

A feed can pass every rule of :mod:`deadlines.icslint` and still be expanded
by a client into other dates than the engine computed (an RRULE one day off,
a series that stops early).  recurring-ical-events (over icalendar) expands a
feed the way client libraries do; this module expands the feeds with it and
compares what it sees — every event's day or moment, and which obligation,
rule and period it belongs to — with the occurrences they were written from.
``deadlines build`` holds each feed against its occurrences as it writes it
(:func:`build_check`), before the site switches;
``deadlines lint`` runs :func:`site_differences` on the feeds of a site.

What is compared is the occurrence, not the way it is written: one VEVENT per
occurrence (its UID is the occurrence key, :func:`deadlines.ical.uid_of`) or an
RRULE series (its UID names the obligation and rule; each date it expands to
must be one of theirs).

Why it is affordable: icalendar's parser spends most of its time on long
folded text (SUMMARY, DESCRIPTION), which dates nothing, so only the lines
that date an event are handed to it; and a unit's feed repeats, byte for
byte, the dating lines of events that all.ics holds, so each distinct event is
expanded once (a feed whose lines differ from all.ics's is expanded itself).
And most events of a plan set are dated alike: thousands of obligations due
"2026年12月底前" differ only in their UID.  The UID dates nothing (each item
has its own, so none modifies another), so each distinct set of dating lines
is handed to recurring-ical-events once, under a UID of its own, and what it
gives is taken for every item that carries those lines.  At 50,000
obligations that is a few hundred events parsed and expanded instead of
66,000 (1.5 GB of icalendar objects and most of a minute).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from sys import intern
from typing import Any, Iterable, Iterator, Sequence

from .dates import BEIJING, day_of, moment_text
from .errors import FeedMismatch
from .ical import SERIES, _uid_period, occurrence_owner, occurrence_uid, uid_owner
from .records import Occurrence

_MARGIN = timedelta(days=400)  # read a year past both ends: an event outside them is still seen

# What decides the dates a client shows; the rest (SUMMARY, DESCRIPTION, …) is
# text, which icslint checks.
_DATING = {b"UID", b"DTSTART", b"DTEND", b"DURATION", b"DUE", b"RRULE", b"RDATE", b"EXDATE", b"RECURRENCE-ID",
           b"STATUS"}
_ITEMS = (b"VEVENT", b"VTODO")

Event = tuple[str, str, str]  # (obligation/rule, period or "series", moment)


def _moment(value: date | datetime) -> str:
    """A DTSTART as the engine writes a due: the day, or the moment in China."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(BEIJING).replace(tzinfo=None)
    return moment_text(value)


# The lines that matter, each found by one scan in C: an item's BEGIN and END, and its dating lines.
_LINE = rb"((?:BEGIN|END):V(?:EVENT|TODO)\r|(?i:" + b"|".join(sorted(_DATING)) + rb")[;:][^\r\n]*\r)(?=\n)"
_KEPT = re.compile(rb"\n" + _LINE)  # after a line break: a literal start, which the scan finds fast
_FIRST = re.compile(_LINE)  # the text's first line, which no line break precedes
_BLOCK = re.compile(rb"BEGIN:(VEVENT|VTODO)\r\n(.*?)END:\1\r(?:\n|$)", re.S)
_ZONE = re.compile(rb"^BEGIN:VTIMEZONE\r?$.*?^END:VTIMEZONE[^\r\n]*", re.M | re.S)
_UID_LINE = re.compile(rb"^UID[;:][^\r\n]*", re.M | re.I)


class _Feed:
    """A feed's raw structure: each VEVENT/VTODO's dating lines by UID, and its VTIMEZONEs.

    Found by regular expressions over the unfolded text, not a loop over its
    lines in Python: a province's feeds are 120 MB, which such a loop takes
    seconds to walk (tests/test_feedcheck.py holds this reading to that loop's).
    """

    def __init__(self, data: bytes):
        self.items: dict[str, bytes] = {}  # (the feed's bytes are not kept: all.ics is tens of megabytes)
        self.todos: set[str] = set()
        # Unfolded, one copy at a time (all.ics of a province is tens of megabytes).
        text = data.replace(b"\r\n ", b"")
        if b"\r\n\t" in text:
            text = text.replace(b"\r\n\t", b"")
        zones = []
        if b"BEGIN:VTIMEZONE" in text:
            zones = _ZONE.findall(text)
            text = _ZONE.sub(b"", text)
        self.zones = b"\r\n".join(zones)
        lines = _KEPT.findall(text)
        first = _FIRST.match(text)
        if first:
            lines.insert(0, first.group(1))
        del text  # from here on, the dating lines alone: a few megabytes of the tens
        kept = b"\n".join(lines)
        del lines
        items, todos = self.items, self.todos
        for block in _BLOCK.finditer(kept):
            kind, body = block.group(1, 2)
            uid = ""
            for line in _UID_LINE.findall(body):
                uid = line.split(b":", 1)[1].decode("utf-8", "replace")
            items[uid] = b"BEGIN:" + kind + b"\r\n" + body + b"END:" + kind
            if kind == b"VTODO":
                todos.add(uid)

    @classmethod
    def of(cls, items: dict[str, bytes], todos: set[str], zones: bytes) -> _Feed:
        """A feed's structure as already found (see :meth:`SiteCheck.differences`)."""
        feed = cls.__new__(cls)
        feed.items, feed.todos, feed.zones = items, todos, zones
        return feed

    def calendar(self, items: Iterable[bytes] | None = None) -> bytes:
        """The feed as icalendar should read it: its time zones and the dating lines of its items
        (or of ``items``)."""
        return b"\r\n".join([b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:-//deadlines//feedcheck//ZH", self.zones,
                              *(self.items.values() if items is None else items), b"END:VCALENDAR", b""])


# A feed cut before each item's BEGIN line (a line of its own: after a line break, never inside a
# folded line, whose continuation begins with a space).
_ITEM_START = re.compile(rb"\r\n(?=BEGIN:V(?:EVENT|TODO)\r\n)")
_CALENDAR_END = b"\r\nEND:VCALENDAR\r\n"


def _cut(data: bytes, *, pieces_known: bool = False) -> tuple[bytes, list[tuple[int, int]]] | None:
    """``data`` as its head and where its items are (start and end offsets, each item from its
    BEGIN line to its END line, without the line break after it); None unless the text is
    exactly that, then the calendar's END line, and cut where reading the whole text
    (:class:`_Feed`) finds its items: every line ended by CRLF (a bare LF starts a line for the
    reader, not for the cut), no item begun in the head (at the text's start, or in a folded
    line), no time zone open across an item or inside one, no BEGIN line folded.

    Offsets, not copies: all.ics of a province is tens of megabytes in 66,000 items.

    ``pieces_known``: each piece will be taken only if it is, byte for byte, a piece of a text
    already cut (all.ics's, :meth:`SiteCheck._known_items`); what the pieces hold was then
    looked at there, and only where the text is cut is looked at here (a province's unit
    feeds hold 440,000 pieces)."""
    if data.count(b"\n") != data.count(b"\r\n"):
        return None
    starts = [m.end() for m in _ITEM_START.finditer(data)]
    if not starts or not data.endswith(_CALENDAR_END):
        return None
    head = data[: starts[0] - 2]
    unfolded = head.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    if (b"BEGIN:VEVENT" in unfolded or b"BEGIN:VTODO" in unfolded
            or unfolded.count(b"BEGIN:VTIMEZONE") != unfolded.count(b"END:VTIMEZONE")):
        return None
    spans = [(start, end - 2) for start, end in zip(starts, starts[1:])]
    spans.append((starts[-1], len(data) - len(_CALENDAR_END)))
    if pieces_known:
        return head, spans
    event, todo = b"BEGIN:VEVENT\r\n", b"BEGIN:VTODO\r\n"
    for start, end in spans:
        begin = event if data.startswith(event, start, end) else todo
        after = start + len(begin)
        if (not data.endswith(b"\r\nEND:" + begin[6:-2], start, end) or data[after:after + 1] in (b" ", b"\t")
                or data.find(b"VTIMEZONE", start, end) >= 0):
            return None
    return head, spans


def _digest(piece: bytes) -> bytes:
    return hashlib.blake2b(piece, digest_size=16).digest()


def _expand(feed: _Feed, start: date, end: date) -> tuple[dict[str, tuple[Event, ...]], set[str]]:
    """What recurring-ical-events shows of ``feed`` from ``start`` to ``end``: events by UID, todo keys.

    Items whose dating lines differ only in their UID are expanded once (see the module's text).
    """
    import icalendar
    import recurring_ical_events

    alike: dict[bytes, list[str]] = {}
    for uid, lines in feed.items.items():
        alike.setdefault(b"\r\n".join(line for line in lines.split(b"\r\n") if not _UID_LINE.match(line)),
                         []).append(uid)
    templates = list(alike)
    shown = [t.replace(b"\r\n", f"\r\nUID:{n}\r\n".encode(), 1) for n, t in enumerate(templates)]
    try:
        calendar = icalendar.Calendar.from_ical(feed.calendar(shown))
        found = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    except Exception as exc:  # the parsers raise many kinds; each means "a client cannot read this"
        raise FeedMismatch("feed", [f"a readable calendar ({type(exc).__name__}: {exc})"], []) from None
    moments: dict[int, set[str]] = {}
    for event in found:
        moments.setdefault(int(str(event.get("UID", ""))), set()).add(intern(_moment(event.decoded("DTSTART"))))
    by_uid: dict[str, tuple[Event, ...]] = {}  # a tuple, not a set: all.ics of a province has 66,000 items
    for n, seen in moments.items():
        for uid in alike[templates[n]]:
            owner, period = map(intern, uid_owner(uid))
            by_uid[uid] = tuple((owner, period, moment) for moment in seen)
    todos = {uid for todo in calendar.walk("VTODO") for uid in alike[templates[int(str(todo.get("UID", "")))]]}
    return by_uid, todos


def _window(occurrences: Sequence[Occurrence]) -> tuple[date, date]:
    # The distinct dues first: a province's 250,000 occurrences fall on a few hundred of them.
    days = [day_of(due) for due in {o.due for o in occurrences} - {None}] or [date(2000, 1, 1)]
    return min(days) - _MARGIN, max(days) + _MARGIN


def _expected(occ: Occurrence) -> Event | str:
    """What a feed shows of ``occ``: its event, or its UID when it waits."""
    return next(_all_expected((occ,)))[1]


def _all_expected(occurrences: Iterable[Occurrence]) -> Iterator[tuple[int, Event | str]]:
    """:func:`_expected` of each occurrence, with its ``id``.  A province's check holds what
    250,000 occurrences should show, of a few thousand obligations on a few hundred days: each
    owner, period and day is written once and shared."""
    owners: dict[tuple[str, int], str] = {}
    periods: dict[str, str] = {}
    texts: dict[Any, str] = {}  # due moments, each written once
    for occ in occurrences:
        if occ.due is None:
            yield id(occ), occurrence_uid(occ)
            continue
        period = periods.get(occ.period)
        if period is None:
            period = periods[occ.period] = intern(_uid_period(occ.period))
        if "." in period:  # a period holding a dot changes how the UID is read back: each on its own
            owner, period = occurrence_owner(occ)
        else:
            owner = owners.get((occ.obligation, occ.rule))
            if owner is None:
                owner = owners[occ.obligation, occ.rule] = intern(occurrence_owner(occ)[0])
        moment = texts.get(occ.due)
        if moment is None:
            moment = texts[occ.due] = intern(moment_text(occ.due))
        yield id(occ), (owner, period, moment)


def _compare(got: set[Event], todos: set[str], occurrences: Iterable[Occurrence]) -> tuple[list[str], list[str]]:
    """What the occurrences have that the read-back feed lacks, and what it has beyond them."""
    want: dict[Event, Occurrence] = {}  # what a client should see → its occurrence, to name it
    want_todos: dict[str, Occurrence] = {}
    owners: dict[str, Occurrence] = {}  # obligation.rule as a UID writes it → one of its occurrences (names extras)
    occurrences = list(occurrences)
    for occ, (_, shown) in zip(occurrences, _all_expected(occurrences)):
        if isinstance(shown, str):  # it waits: its UID
            want_todos[shown] = occ
            owners[uid_owner(shown)[0]] = occ
        else:
            want[shown] = occ
            owners[shown[0]] = occ
    # A series names no period: its dates must be those of its obligation and rule.
    series = {(owner, moment) for owner, period, moment in got if period == SERIES}
    plain = {e for e in got if e[1] != SERIES}
    missing = sorted(f"{want[e].key} {e[2]}" for e in want.keys() - plain if (e[0], e[2]) not in series)

    def named(owner: str, period: str) -> str:
        occ = owners.get(owner)
        return f"{occ.obligation}/{occ.rule}/{period}" if occ is not None else f"{owner}.{period}"

    extra = sorted(f"{named(o, p)} {m}" for o, p, m in plain - want.keys())
    covered = {(o, m) for o, _, m in want}
    extra += sorted(f"{named(o, SERIES)} {m}" for o, m in series - covered)
    # An occurrence met both as its own event and inside a series is shown twice by a client.
    extra += sorted(f"{want[(o, p, m)].key if (o, p, m) in want else named(o, p)} {m} (twice)"
                    for o, p, m in plain if (o, m) in series)
    missing += sorted(f"{want_todos[uid].key} (waiting)" for uid in want_todos.keys() - todos)
    extra += sorted(f"{uid} (waiting)" for uid in todos - want_todos.keys())
    return missing, extra


def differences(data: bytes, occurrences: Iterable[Occurrence]) -> tuple[list[str], list[str]]:
    """One feed read back whole, held against ``occurrences``: (missing, extra)."""
    occurrences = list(occurrences)
    by_uid, todos = _expand(_Feed(data), *_window(occurrences))
    return _compare(set().union(*by_uid.values()), todos, occurrences)


def readable(data: bytes) -> None:
    """Raise :class:`~deadlines.errors.FeedMismatch` unless recurring-ical-events reads and expands ``data``."""
    _expand(_Feed(data), date(1970, 1, 1), date(2100, 12, 31))


class SiteCheck:
    """The feeds of one site held against their occurrences one at a time, as they are written.

    Made from the site's feed of all units (its bytes and occurrences), which
    is expanded with recurring-ical-events once; a feed whose events carry the
    same dating lines is held against that expansion, any other feed is
    expanded itself.  A build keeps one feed at a time, not every feed of the
    site, to check it.

    Most feeds of a site are right, so a feed is first held against its
    occurrences as one comparison of two sets: the events its read-back
    shows, and the event that shows each of its occurrences in all.ics (its
    own, or its series' on its day).  Equal sets mean nothing is missing,
    extra or shown twice (see :meth:`_shown`); only a feed that differs is
    compared item by item, to name what differs.
    """

    def __init__(self, data: bytes, occurrences: Sequence[Occurrence]):
        self.window = _window(occurrences)
        # Each occurrence is in all.ics and in the feed of each of its units: what it should show is
        # worked out once (the occurrences are kept, so their ids stay theirs).
        self.occurrences = occurrences
        base: _Feed | None = _Feed(data)
        self.pieces: dict[bytes, str] = {}  # each item of all.ics, by the digest of its bytes → its UID
        cut = _cut(data)
        if cut is not None:
            self._by_items(base, data, *cut)
        del cut
        self.unreadable: FeedMismatch | None = None
        try:
            self.expanded, _ = _expand(base, *self.window)
        except FeedMismatch as exc:
            self.expanded, base = {}, None  # every feed is then read on its own, and says what is wrong
            self.pieces = {}
            self.unreadable = exc
        self.base = base
        self.shown = self._shown()

    def _by_items(self, base: _Feed, data: bytes, head: bytes, pieces: list[tuple[int, int]]) -> None:
        """Keep the digest of each item of all.ics (``data``, read whole as ``base``, cut as
        ``head`` and the items' ``pieces`` of it) with its UID in :attr:`pieces`.  Each piece
        holds one item, so the reading found the items in the pieces' order; kept only when it
        found one item per piece (no UID twice) and the head holds none (see :func:`_cut` for
        the texts not cut at all)."""
        if len(base.items) != len(pieces) or _Feed(head + b"\r\n").items:
            return
        self.pieces = {_digest(data[start:end]): uid for (start, end), uid in zip(pieces, base.items)}

    def _known_items(self, data: bytes) -> _Feed | None:
        """A feed whose every item is, byte for byte, an item of all.ics: its structure, taken
        from all.ics's reading; None for any other feed (which is then read whole)."""
        cut = _cut(data, pieces_known=True) if self.pieces else None
        if cut is None:
            return None
        head, pieces = cut
        uids = [self.pieces.get(_digest(data[start:end])) for start, end in pieces]
        if None in uids:
            return None
        feed = _Feed(head + b"\r\n")
        if feed.items:
            return None
        assert self.base is not None
        items, todos = self.base.items, self.base.todos
        return _Feed.of({uid: items[uid] for uid in uids}, todos.intersection(uids), feed.zones)  # type: ignore[index]

    def _shown(self) -> dict[int, Event | str | None]:
        """The event of all.ics's read-back that shows each occurrence (by ``id``): its own event,
        or its series' event on its day; its UID when it waits.  None where that is not one event
        (none, or both its own and a series'): a feed holding such an occurrence is compared item
        by item.

        Why equal sets are enough: each plain event of a feed is then some occurrence's own event
        whose day no series of its obligation and rule covers (in all.ics, so in no feed either,
        whose events are among all.ics's or compared whole), and each series event covers one
        of its occurrences — nothing missing, nothing extra, nothing twice."""
        got: set[Event] = set().union(*self.expanded.values())
        series = {(owner, moment) for owner, period, moment in got if period == SERIES}
        shown: dict[int, Event | str | None] = {}
        for key, want in _all_expected(self.occurrences):
            if isinstance(want, str):
                shown[key] = want
                continue
            own, covered = want in got, (want[0], want[2]) in series
            if own != covered:
                shown[key] = want if own else (want[0], SERIES, want[2])
            else:
                shown[key] = None
        return shown

    def _same(self, got: set[Event], todos: set[str], occurrences: Iterable[Occurrence]) -> bool:
        """Whether the read-back (``got``, ``todos``) is exactly what ``occurrences`` should show
        (one set of both: an event is a tuple, a waiting item its UID, and the two never meet)."""
        wanted = set(map(self.shown.get, map(id, occurrences)))
        return None not in wanted and wanted == got | todos

    def differences(self, data: bytes, occurrences: Iterable[Occurrence]) -> tuple[list[str], list[str]]:
        """One feed of the site held against its occurrences: (missing, extra).  A feed that
        cannot be read at all says so as missing."""
        feed, base = self._known_items(data) or _Feed(data), self.base
        same = base is not None and (
            feed.zones == base.zones or not any(b"TZID=" in lines for lines in feed.items.values())
        ) and all(base.items.get(uid) == lines for uid, lines in feed.items.items())
        if same:
            expanded = self.expanded
            got = set().union(*(expanded.get(uid, ()) for uid in feed.items))
            todos = set(feed.todos)
        else:
            try:
                by_uid, todos = _expand(feed, *self.window)
            except FeedMismatch as exc:
                return exc.missing, exc.extra
            got = set().union(*by_uid.values())
        occurrences = list(occurrences)
        if self._same(got, todos, occurrences):
            return [], []
        return _compare(got, todos, occurrences)

    def check_reference(self, name: str) -> None:
        """:meth:`check` for the feed the check was made from, with every occurrence: its
        expansion is already at hand, so it is not read again (all.ics is tens of megabytes)."""
        if self.base is None:
            assert self.unreadable is not None
            _raise(name, (self.unreadable.missing, self.unreadable.extra))
            return
        got, todos = set().union(*self.expanded.values()), set(self.base.todos)
        if not self._same(got, todos, self.occurrences):
            _raise(name, _compare(got, todos, self.occurrences))

    def check(self, name: str, data: bytes, occurrences: Iterable[Occurrence]) -> None:
        """Raise :class:`~deadlines.errors.FeedMismatch` (naming ``name``) unless the feed reads back
        as its occurrences."""
        _raise(name, self.differences(data, occurrences))


class BuildCheck:
    """The feeds of a build held against their occurrences as the build writes them (:class:`SiteCheck`).

    ``feeds`` are the build's feeds as (name inside ``folder``, occurrences);
    ``feeds[reference]`` is the feed of all units, which the build writes and
    hands over first (:meth:`written`).  Here the check runs in this process;
    :class:`BuildCheckAside` runs it in a second one.
    """

    reads_files = False  # :meth:`written` is given the feed's bytes, as soon as they are made

    def __init__(self, folder: Path, feeds: Sequence[tuple[str, Sequence[Occurrence]]], reference: int):
        self.folder, self.feeds, self.reference = folder, feeds, reference
        self.site: SiteCheck | None = None

    def written(self, index: int, data: bytes) -> None:
        """Hold ``feeds[index]``, written as ``data``, against its occurrences; raise
        :class:`~deadlines.errors.FeedMismatch` where it differs."""
        name, occurrences = self.feeds[index]
        if index == self.reference:
            self.site = SiteCheck(data, occurrences)
            self.site.check_reference(name)
        else:
            assert self.site is not None, "the feed of all units is checked first"
            self.site.check(name, data, occurrences)

    def written_all(self) -> None:
        """Every feed is written: what the check holds is let go."""
        self.site = None

    def verdict(self) -> None:
        """Raise :class:`~deadlines.errors.FeedMismatch` if a feed differs (here: raised already)."""

    def close(self) -> None:
        self.site = None

    def __enter__(self) -> BuildCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BuildCheckAside(BuildCheck):
    """:class:`BuildCheck` in a second process, while this one goes on writing the site
    (``deadlines build --parallel``).

    The check is about a third of a province's build; with two processors it
    then costs the build little time of its own, for more memory (the two
    processes each hold much of what the build holds).  The second process is
    a fork of this one, made before the feeds are written: it has the
    occurrences as they are here, and is told through a pipe which feed is
    written; it reads each feed back from its file in the build's folder (the
    bytes that will be published) and holds it against them.  Its verdict is
    read before the site switches (:meth:`verdict`): a feed that differs stops
    the build as in this process.  If the second process fails in any other
    way (an error of its own, killed), the feeds are checked again here, from
    their files: a build is never published unchecked.

    It reads files: :meth:`written` is called once a feed's file is whole (by
    the build's writer thread, :meth:`deadlines.site.SiteBuild.writing`), and
    :meth:`verdict` once every file is.
    """

    reads_files = True

    def __init__(self, folder: Path, feeds: Sequence[tuple[str, Sequence[Occurrence]]], reference: int):
        super().__init__(folder, feeds, reference)
        tasks_in, tasks_out = os.pipe()
        results_in, results_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # the check's process: never returns into the build
            code = 1
            try:
                os.close(tasks_out)
                os.close(results_in)
                self._serve(tasks_in, results_out)
                code = 0
            finally:
                os._exit(code)
        os.close(tasks_in)
        os.close(results_out)
        self.pid: int | None = pid
        self.tasks: int | None = tasks_out
        self.results: int | None = results_in
        self.sent: list[int] = []

    def _serve(self, tasks: int, results: int) -> None:
        """The check's process: each feed named on ``tasks`` read from its file and checked; the
        outcome written to ``results`` as JSON (``ok``; ``mismatch`` with the feed, what is missing
        and what is extra; ``error`` with what went wrong)."""
        import traceback

        outcome: list[Any] = ["ok"]
        try:
            with os.fdopen(tasks, "rb") as lines:
                for line in lines:
                    index = int(line)
                    BuildCheck.written(self, index, (self.folder / self.feeds[index][0]).read_bytes())
        except FeedMismatch as exc:
            outcome = ["mismatch", exc.feed, exc.missing, exc.extra]
        except BaseException:  # noqa: BLE001 - told to the build, which checks again itself
            outcome = ["error", traceback.format_exc()]
        with os.fdopen(results, "wb") as out:
            out.write(json.dumps(outcome).encode("utf-8"))

    def written(self, index: int, data: bytes) -> None:
        """``feeds[index]``'s file is whole: named to the check's process."""
        self.sent.append(index)
        if self.tasks is None:
            return
        try:
            os.write(self.tasks, b"%d\n" % index)
        except BrokenPipeError:  # the check has ended early (a feed differs): its verdict says why
            os.close(self.tasks)
            self.tasks = None

    def written_all(self) -> None:
        """Nothing here: the files may still be being written; :meth:`verdict` ends the list."""

    def verdict(self) -> None:
        if self.tasks is not None:
            os.close(self.tasks)  # the end of the list: the check's process finishes and answers
            self.tasks = None
        assert self.results is not None and self.pid is not None
        chunks = []
        while chunk := os.read(self.results, 1 << 16):
            chunks.append(chunk)
        os.close(self.results)
        self.results = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            outcome = json.loads(b"".join(chunks))
        except ValueError:
            outcome = ["error", f"no answer (wait status {status})"]
        if outcome[0] == "mismatch":
            raise FeedMismatch(*outcome[1:])
        if outcome[0] != "ok" or status != 0:
            self._again()

    def _again(self) -> None:
        """The check's process failed: every feed checked here, from its file, in the order written."""
        check = BuildCheck(self.folder, self.feeds, self.reference)
        for index in self.sent:
            check.written(index, (self.folder / self.feeds[index][0]).read_bytes())

    def close(self) -> None:
        for fd in (self.tasks, self.results):
            if fd is not None:
                os.close(fd)
        self.tasks = self.results = None
        if self.pid is not None:  # the build failed before the verdict: the check is not waited for
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None


def can_check_aside() -> bool:
    """Whether a build's check may run in a second process here: processes are forked (Linux)
    and this one runs no other thread (a fork of a process whose other threads may hold locks
    is unsafe: ``serve``, which rebuilds from a thread, checks in its own process)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def build_check(folder: Path, feeds: Sequence[tuple[str, Sequence[Occurrence]]], reference: int, *,
                aside: bool = False) -> BuildCheck:
    """The check of a build's feeds: in a second process where ``aside`` asks for it and
    :func:`can_check_aside`; else in this process."""
    return (BuildCheckAside if aside and can_check_aside() else BuildCheck)(folder, feeds, reference)


def site_differences(
    reference: tuple[bytes, Sequence[Occurrence]], feeds: Sequence[tuple[str, bytes, Sequence[Occurrence]]]
) -> dict[str, tuple[list[str], list[str]]]:
    """Each feed of a site read back and held against its occurrences: name → (missing, extra)
    (``reference``: the site's feed of all units, see :class:`SiteCheck`)."""
    check = SiteCheck(*reference)
    return {name: check.differences(data, occurrences) for name, data, occurrences in feeds}


def verify_site(feeds: Sequence[tuple[str, bytes, Sequence[Occurrence]]]) -> None:
    """Raise :class:`~deadlines.errors.FeedMismatch` unless every feed reads back as its occurrences.

    ``feeds`` are (name, bytes, occurrences), the first the feed of all units
    (the reference of :class:`SiteCheck`), held against their occurrences as a build holds
    the feeds it writes (:class:`BuildCheck`; no folder: the bytes are given).
    """
    check = BuildCheck(Path(), [(name, occurrences) for name, _, occurrences in feeds], 0)
    for index, (_, data, _) in enumerate(feeds):
        check.written(index, data)


def _raise(name: str, found: tuple[list[str], list[str]]) -> None:
    missing, extra = found
    if missing or extra:
        raise FeedMismatch(name, missing, extra)
