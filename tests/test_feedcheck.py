"""The fast read-back of feeds (deadlines.feedcheck) against the plain way of doing the same.

feedcheck finds each item's dating lines with regular expressions and hands
recurring-ical-events each distinct set of dating lines once.  Held here
against a loop over the unfolded lines (what the reading is defined as) and
against recurring-ical-events expanding every item of the feed itself: the
same items, zones and todos, and the same events by UID, on the bundled
plans' site (dated, timed, series and waiting entries, with alarms) and on
hand-written feeds with what a client may meet (lower-case names, folded
lines, a VTIMEZONE, an alarm, an item with no UID).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

import deadlines
from deadlines import feedcheck
from deadlines.feedcheck import _DATING, _ITEMS, _Feed, _expand, _moment
from deadlines.ical import uid_owner

ROOT = Path(__file__).resolve().parent.parent


def _reference_feed(data: bytes) -> tuple[dict[str, bytes], set[str], bytes]:
    """Each item's dating lines by UID, the todos and the zones: a loop over the unfolded lines."""
    items: dict[str, bytes] = {}
    todos: set[str] = set()
    zones: list[bytes] = []
    lines = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").split(b"\r\n")
    kind, current, uid, zone = None, [], "", False
    for line in lines:
        if line.startswith(b"BEGIN:VTIMEZONE"):
            zone = True
        if zone:
            zones.append(line)
            zone = not line.startswith(b"END:VTIMEZONE")
            continue
        if line.startswith(b"BEGIN:") and line[6:] in _ITEMS:
            kind, current, uid = line[6:], [line], ""
        elif kind is not None:
            name = line.split(b":", 1)[0].split(b";", 1)[0].upper()
            if name == b"UID":
                uid = line.split(b":", 1)[1].decode("utf-8", "replace")
            if name in _DATING or line == b"END:" + kind:
                current.append(line)
            if line == b"END:" + kind:
                items[uid] = b"\r\n".join(current)
                if kind == b"VTODO":
                    todos.add(uid)
                kind = None
    return items, todos, b"\r\n".join(zones)


def _reference_expand(feed: _Feed, start: date, end: date):
    """recurring-ical-events over every item of the feed, each under its own UID."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(feed.calendar())
    by_uid: dict[str, set] = {}
    for event in recurring_ical_events.of(calendar).between(start, end + timedelta(days=1)):
        uid = str(event.get("UID", ""))
        owner, period = uid_owner(uid)
        by_uid.setdefault(uid, set()).add((owner, period, _moment(event.decoded("DTSTART"))))
    todos = {str(todo.get("UID", "")) for todo in calendar.walk("VTODO")}
    return by_uid, todos


def _bundled_site(tmp_path: Path) -> list[bytes]:
    ws = deadlines.open(ROOT / "rules", cache=False)
    site = tmp_path / "site"
    ws.build(site, today=date(2015, 7, 8), verify=False, alarm=timedelta(days=3))
    return [p.read_bytes() for p in sorted((site / "feeds").glob("*.ics"))]


HAND_WRITTEN = [
    # lower-case names, a folded DTSTART, a parameter, an alarm with a DURATION, an item without UID
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
    b"BEGIN:VEVENT\r\nuid:a/0/2015-Q3@deadlines\r\ndtstart;VALUE=DATE:20150\r\n 731\r\nSUMMARY:x\r\n"
    b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P1D\r\nDURATION:PT15M\r\nREPEAT:1\r\nEND:VALARM\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20150801\r\nEND:VEVENT\r\n"
    b"BEGIN:VTODO\r\nUID:b/0/waiting@deadlines\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\n"
    b"END:VCALENDAR\r\n",
    # a time zone whose STANDARD block has its own DTSTART, timed events alike but for their UIDs, a series
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
    b"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    b"TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    b"BEGIN:VEVENT\r\nUID:c/0/2015-09-02 10:00@deadlines\r\nDTSTART;TZID=Asia/Shanghai:20150902T100000\r\n"
    b"DTEND;TZID=Asia/Shanghai:20150902T110000\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:d/0/2015-09-02 10:00@deadlines\r\nDTSTART;TZID=Asia/Shanghai:20150902T100000\r\n"
    b"DTEND;TZID=Asia/Shanghai:20150902T110000\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:e/1/series@deadlines\r\nDTSTART;VALUE=DATE:20150110\r\nDTEND;VALUE=DATE:20150111\r\n"
    b"RRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n",
    # items with no calendar around them: the text's first line is an item's (no line break before it)
    b"BEGIN:VEVENT\r\nUID:d/0/fixed@deadlines\r\nDTSTART;VALUE=DATE:20150901\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:d/0/2015-Q4@deadlines\r\nDTSTART;VALUE=DATE:20151001\r\nEND:VEVENT\r\n",
]


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    return _bundled_site(tmp_path_factory.mktemp("feedcheck")) + HAND_WRITTEN


def test_items_zones_and_todos_are_those_of_the_line_loop(feeds):
    assert len(feeds) > 10
    for data in feeds:
        feed = _Feed(data)
        items, todos, zones = _reference_feed(data)
        assert feed.items == items
        assert feed.todos == todos
        assert feed.zones == zones


def test_each_distinct_item_expanded_once_gives_what_expanding_every_item_gives(feeds):
    alike = 0
    for data in feeds:
        feed = _Feed(data)
        window = (date(2014, 1, 1), date(2017, 12, 31))
        by_uid, todos = _expand(feed, *window)
        assert all(len(set(events)) == len(events) for events in by_uid.values())  # each event once
        assert ({uid: set(events) for uid, events in by_uid.items()}, todos) == _reference_expand(feed, *window)
        dating = [b"\r\n".join(l for l in lines.split(b"\r\n") if not l.upper().startswith(b"UID"))
                  for lines in feed.items.values()]
        alike += len(dating) - len(set(dating))
    assert alike > 0  # the bundled feeds do have items dated alike: the shortcut was taken


def test_an_unreadable_feed_is_a_mismatch():
    bad = HAND_WRITTEN[1].replace(b"20150110", b"2015-01-10")
    with pytest.raises(feedcheck.FeedMismatch):
        _expand(_Feed(bad), date(2014, 1, 1), date(2017, 12, 31))


def test_what_differs_is_named_by_its_occurrence_key():
    """Each kind of difference a read-back feed can show, as check and lint name it: a missing
    waiting item, an extra event of a known obligation, of an unknown one, an extra date of a
    series, an occurrence shown both alone and in a series, an extra waiting item."""

    from deadlines.feedcheck import _compare, _expected
    from deadlines.ical import SERIES
    from deadlines.model import Occurrence, Units

    dated = Occurrence(plan="p", obligation="d-1", rule=0, period="2015-Q3", title="t", due_text="d",
                       units=Units(lead=("甲",)), due=date(2015, 10, 10), status="scheduled", why="w")
    waiting = dated.replace(obligation="d-2", period="waiting", due=None, status="waiting")
    got = {_expected(dated), ("d-1.0", SERIES, "2015-10-10"), ("d-1.0", SERIES, "2015-11-10"),
           ("x.0", "fixed", "2015-01-01"), ("d-1.0", "2015-Q4", "2016-01-10")}
    assert _compare(got, {"y.0.waiting@deadlines"}, [dated, waiting]) == (
        ["d-2/0/waiting (waiting)"],
        ["d-1/0/2015-Q4 2016-01-10", "x.0.fixed 2015-01-01", "d-1/0/series 2015-11-10",
         "d-1/0/2015-Q3 2015-10-10 (twice)", "y.0.waiting@deadlines (waiting)"],
    )
    from deadlines.feedcheck import _all_expected

    assert dict(_all_expected([dated, waiting])) == {id(o): _expected(o) for o in (dated, waiting)}


def _site_with_occurrences(tmp_path: Path):
    """The bundled plans' site, with all.ics's occurrences and each unit feed's."""
    import json

    from deadlines.workspace import Window

    ws = deadlines.open(ROOT / "rules", cache=False)
    site = tmp_path / "site"
    ws.build(site, today=date(2015, 7, 8), verify=False)
    index = json.loads((site / "feeds" / "index.json").read_text(encoding="utf-8"))
    occurrences = ws.due(Window(date.min, date.max), today=date(2015, 7, 8)).occurrences
    units = [(row["file"], (site / row["file"]).read_bytes(), [o for o in occurrences if unit in o.units.all()])
             for unit, row in sorted(index["units"].items())]
    return (site / "feeds" / "all.ics").read_bytes(), occurrences, units


def _mutations(data: bytes):
    """A feed as built, and as a writer with a bug could have made it: an item dropped, an item
    copied under another UID, a day moved, a series cut to its first day, a waiting item renamed."""
    import re

    yield data
    blocks = [m.span() for m in re.finditer(rb"BEGIN:V(?:EVENT|TODO)\r\n.*?END:V(?:EVENT|TODO)\r\n", data, re.S)]
    for start, end in blocks[:2] + blocks[-1:]:
        yield data[:start] + data[end:]
        yield data[:end] + data[start:end].replace(b"UID:", b"UID:x", 1) + data[end:]
    yield re.sub(rb"(DTSTART;VALUE=DATE:\d{6})(\d\d)", lambda m: m.group(1) + b"%02d" % (int(m.group(2)) % 28 + 1),
                 data, count=1)
    yield re.sub(rb"RRULE:[^\r]*\r\n", b"", data, count=1)
    yield data.replace(b".waiting@deadlines", b".waitinh@deadlines", 1)


def test_the_one_comparison_check_answers_as_the_item_by_item_one(tmp_path):
    """SiteCheck first compares a feed's read-back with its occurrences as two sets; held against
    the item-by-item comparison alone (every answer taken from it) on the built site and on
    feeds with what a faulty writer could make: the same findings, and a right feed passes.
    A feed made of all.ics's items is read through all.ics's reading: the same items as
    reading it whole."""
    from deadlines.feedcheck import SiteCheck

    reference, occurrences, units = _site_with_occurrences(tmp_path)
    check, plain = SiteCheck(reference, occurrences), SiteCheck(reference, occurrences)
    plain.shown = {}  # no occurrence has a single event: every feed is compared item by item
    assert check.differences(reference, occurrences) == ([], [])
    assert any(v[1] == feedcheck.SERIES for v in check.shown.values() if isinstance(v, tuple))  # series met
    found = 0
    for name, data, mine in units:
        for changed in _mutations(data):
            answer = check.differences(changed, mine)
            assert answer == plain.differences(changed, mine), name
            # a feed whose items are all.ics's, byte for byte, is taken from all.ics's reading: the same
            whole, known = _Feed(changed), check._known_items(changed)
            assert known is None or (known.items, known.todos, known.zones) == (whole.items, whole.todos, whole.zones)
            assert known is not None or changed is not data
            found += answer != ([], [])
            if changed is data:
                assert answer == ([], []) and check._same(set().union(*(check.expanded.get(u, ()) for u in _Feed(data).items)),
                                                          _Feed(data).todos, mine)
    assert found > 3 * len(units)


def test_an_occurrence_shown_alone_and_in_its_series_is_found_by_the_one_comparison_check(tmp_path):
    """An occurrence written as its own event beside the series that holds its day is shown
    twice by a client: the set comparison must not pass it (each event is someone's)."""
    from deadlines.feedcheck import SiteCheck

    reference, occurrences, _units = _site_with_occurrences(tmp_path)
    check = SiteCheck(reference, occurrences)
    key, event = next((id(o), feedcheck._expected(o)) for o in occurrences
                      if (shown := check.shown[id(o)]) is not None and shown[1] == feedcheck.SERIES)
    owner, period, moment = event
    twice = reference.replace(b"END:VCALENDAR", (
        f"BEGIN:VEVENT\r\nUID:{owner}.{period}@deadlines\r\nDTSTART;VALUE=DATE:{moment.replace('-', '')}\r\n"
        f"SUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR").encode())
    missing, extra = SiteCheck(twice, occurrences).differences(twice, occurrences)
    assert missing == [] and [e for e in extra if e.endswith("(twice)")] == [
        f"{next(o.key for o in occurrences if id(o) == key)} {moment} (twice)"]


def test_two_periods_on_one_day_of_a_series_and_one_alone_too_is_twice():
    """Two periods of one rule due on the same day, a series holding that day, and one of the
    two also written alone: the client shows that one twice, though every event the feed shows
    is one an occurrence wants (the lone one, and the series' day)."""
    from deadlines.feedcheck import SiteCheck
    from deadlines.model import Occurrence, Units

    first = Occurrence(plan="p", obligation="d-1", rule=0, period="2015-Q3", title="t", due_text="d",
                       units=Units(lead=("甲",)), due=date(2015, 10, 10), status="scheduled", why="w")
    second = first.replace(period="2015-Q4")
    feed = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            b"BEGIN:VEVENT\r\nUID:d-1.0.series@deadlines\r\nDTSTART;VALUE=DATE:20151010\r\nRRULE:FREQ=DAILY;COUNT=1\r\n"
            b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:d-1.0.2015-Q3@deadlines\r\nDTSTART;VALUE=DATE:20151010\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n")
    check = SiteCheck(feed, [first, second])
    assert check.differences(feed, [first, second]) == ([], ["d-1/0/2015-Q3 2015-10-10 (twice)"])


def test_a_unit_feed_of_an_unreadable_all_ics_says_what_is_wrong_with_it(tmp_path):
    """When all.ics cannot be read, a unit's feed with the same items is read on its own and
    says why it cannot be read, as before: not taken from a reading that failed."""
    from deadlines.feedcheck import SiteCheck

    reference, occurrences, units = _site_with_occurrences(tmp_path)
    name, data, mine = next(u for u in units if b"DTSTART;VALUE=DATE:" in u[1])
    day = data.split(b"DTSTART;VALUE=DATE:", 1)[1][:8]
    broken = day[:4] + b"-" + day[4:6] + b"-" + day[6:]
    check = SiteCheck(reference.replace(day, broken), occurrences)
    assert check.unreadable is not None
    missing, extra = check.differences(data.replace(day, broken), mine)
    assert missing and missing[0].startswith("a readable calendar"), name


def _dated(obligation: str):
    from deadlines.model import Occurrence, Units

    return Occurrence(plan="p", obligation=obligation, rule=0, period="2015-Q3", title="t", due_text="d",
                      units=Units(lead=("甲",)), due=date(2015, 10, 10), status="scheduled", why="w")


def _item(obligation: str) -> bytes:
    return f"BEGIN:VEVENT\r\nUID:{obligation}.0.2015-Q3@deadlines\r\nDTSTART;VALUE=DATE:20151010\r\nEND:VEVENT".encode()


_HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"


@pytest.mark.parametrize("unit", [
    # an item begun at the very start of the text, before the calendar
    b"BEGIN:VEVENT\r\nX-A:1\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + _item("d-1") + b"\r\nEND:VCALENDAR\r\n",
    # a BEGIN line folded in the head
    _HEAD + b"BEGIN:VEV\r\n ENT\r\nX-A:1\r\n" + _item("d-1") + b"\r\nEND:VCALENDAR\r\n",
    # a bare line feed before a BEGIN line in the head
    b"BEGIN:VCALENDAR\r\nX-WR-CALNAME:a\nBEGIN:VEVENT\r\n" + _item("d-1") + b"\r\nEND:VCALENDAR\r\n",
    # a time zone left open in the head, closed inside the item
    _HEAD + b"BEGIN:VTIMEZONE\r\nTZID:x\r\n" + _item("d-1").replace(b"END:VEVENT", b"END:VTIMEZONE\r\nEND:VEVENT")
    + b"\r\nEND:VCALENDAR\r\n",
])
def test_a_feed_whose_items_only_look_like_all_ics_s_is_read_whole(unit):
    """Texts a client reads otherwise than their cut at BEGIN lines suggests (found by review):
    the item-by-item reading, not all.ics's, decides, and it finds them unreadable or other."""
    from deadlines.feedcheck import SiteCheck, _Feed

    occ = _dated("d-1")
    check = SiteCheck(_HEAD + _item("d-1") + b"\r\nEND:VCALENDAR\r\n", [occ])
    assert check.pieces  # all.ics itself is taken item by item
    plain = SiteCheck(_HEAD + _item("d-1") + b"\r\nEND:VCALENDAR\r\n", [occ])
    plain.pieces, plain.shown = {}, {}
    assert check._known_items(unit) is None
    assert check.differences(unit, [occ]) == plain.differences(unit, [occ]) != ([], [])


def test_all_ics_cut_into_other_items_than_a_client_reads_is_not_taken_item_by_item():
    """An item folded right after its BEGIN line reads as none, and a bare line feed makes two
    items of one piece: as many items as pieces, yet not one per piece.  all.ics is then not
    taken item by item, and a unit's feed of the empty piece is read whole: d-2 is missing."""
    from deadlines.feedcheck import SiteCheck

    empty = b"BEGIN:VEVENT\r\n X-A:1\r\nSUMMARY:junk\r\nEND:VEVENT"
    two = _item("d-2") + b"\r\nX-Z:1\n" + _item("d-3")
    reference = _HEAD + empty + b"\r\n" + two + b"\r\nEND:VCALENDAR\r\n"
    second, third = _dated("d-2"), _dated("d-3")
    check = SiteCheck(reference, [second, third])
    assert check.differences(reference, [second, third]) == ([], [])
    assert check.pieces == {}
    assert check.differences(_HEAD + empty + b"\r\nEND:VCALENDAR\r\n", [second]) == (
        ["d-2/0/2015-Q3 2015-10-10"], [])


@pytest.mark.parametrize("period", ["2015-Q3", "fixed", "waiting", "2015-09-02T10:00", "2015.1", "第一批", "a.b.c"])
@pytest.mark.parametrize("obligation", ["zs2015-14.1", "d-1", "zsx2015-通知.1"])
def test_an_occurrence_s_owner_is_what_its_uid_reads_back_as(obligation, period):
    from deadlines.ical import occurrence_owner, occurrence_uid, uid_owner

    occ = _dated(obligation).replace(period=period)
    assert occurrence_owner(occ) == uid_owner(occurrence_uid(occ))


def test_what_each_occurrence_should_show_is_worked_out_as_for_one_alone():
    """Worked out for many at once (owners and periods shared), each occurrence shows what it
    shows alone — a period holding a dot, which changes how a UID reads back, included."""
    from deadlines.feedcheck import _all_expected
    from deadlines.ical import occurrence_owner

    occurrences = [_dated(o).replace(period=p) for o in ("d-1", "zs2015-14.1") for p in ("2015-Q3", "2015.1", "fixed")]
    together = dict(_all_expected(occurrences))
    for occ in occurrences:
        assert together[id(occ)] == (*occurrence_owner(occ), "2015-10-10")
