"""Issue 13, feeds: what real clients tripped on, each checked with the consumer that found it.

libical (Evolution, GNOME Calendar) reads every feed through GObject
introspection and runs its own RFC 5545/5546 check; Radicale, a CalDAV server
in-process, takes each event as ``<UID>.ics`` and finds events by time range
with its own recurrence expansion.  The false 304 (defect 4) is tested against
``deadlines serve`` in test_serve.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

import deadlines
from consumers import Radicale, libical_errors, split_items, with_icalendar, with_libical
from deadlines import WorkCalendar
from deadlines.cli import main
from deadlines.ical import SUMMARY_LIMIT
from deadlines.site import build_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2015, 7, 8)


@pytest.fixture(scope="module")
def site(tmp_path_factory, bundled_plans) -> Path:
    """The bundled rules built once (no triggers: the waiting ones are VTODOs)."""
    out = tmp_path_factory.mktemp("issue13") / "site"
    build_site(bundled_plans, out, calendar=WorkCalendar(provisional=True), today=TODAY)
    return out


def _feeds(site: Path) -> list[Path]:
    return sorted((site / "feeds").glob("*.ics"))


def _blocks(data: bytes) -> dict[str, bytes]:
    """UID → the raw bytes of its VEVENT or VTODO."""
    out = {}
    for found in re.finditer(rb"^BEGIN:(VEVENT|VTODO)\r\n.*?^END:\1\r\n", data, re.M | re.S):
        block = found.group(0)
        uid = block.replace(b"\r\n ", b"").split(b"\r\nUID:", 1)[1].split(b"\r\n", 1)[0]
        out[uid.decode()] = block
    return out


# 1 -------------------------------------------------------------------------


def test_issue_13_1_no_two_events_of_a_day_look_alike_and_each_fits_a_phone(site, bundled_plans):
    """中山市安全监管局 had five "做好安全生产信息公开" on 2015-12-31: libical now reads five titles."""
    # The data does hold same-titled obligations due the same day (else this test proves nothing).
    titles = Counter((ob.title, p.period.end) for p in bundled_plans for ob in p.obligations)
    assert max(titles.values()) >= 5
    start, end = date(2013, 1, 1), date(2020, 12, 31)
    for feed in _feeds(site):
        reading = with_libical(feed, start, end)
        per_day = Counter((when[:10], title) for when, title, _ in reading.events)
        assert [k for k, n in per_day.items() if n > 1] == [], feed.name
        for _, title, _ in reading.events:
            assert len(title) <= SUMMARY_LIMIT, title
    index = (site / "feeds" / "index.json").read_text(encoding="utf-8")
    safety = next(p for p in _feeds(site) if p.stem == "zhong-shan-shi-an-quan-jian-guan-ju")
    assert "中山市安全监管局" in index
    found = sorted(t for when, t, _ in with_libical(safety, start, end).events
                   if when == "2015-12-31" and t.startswith("做好安全生产信息公开"))
    assert found == [f"做好安全生产信息公开（14.{i}）" for i in range(1, 6)]


def test_issue_13_1_labels_come_from_the_plan_not_the_feed(tmp_path, write_rules, calendar):
    """Item numbers where they tell obligations apart; the measure where they do not; the time
    limit for each rule of one obligation; a unique title stays as it is."""
    write_rules("""
        id: lab
        title: 标签检验
        year: 2015
        obligations:
          - {id: l-1, source: {item: "3"}, title: 做好公开, requirement: 公开预算执行情况，按月更新, units: {lead: [甲局]}, due: 2015年12月底前}
          - {id: l-2, source: {item: "3"}, title: 做好公开, requirement: 公开审计结果。, units: {lead: [甲局]}, due: 2015年12月底前}
          - {id: l-3, title: 发布公告, units: {lead: [甲局]}, due: [每月10号前, 2015年12月底前]}
          - {id: l-4, title: 独一无二的任务, units: {lead: [甲局]}, due: 2015年12月底前}
        """)
    build_site(deadlines.load_plans(tmp_path / "rules"), tmp_path / "site", calendar=calendar)
    titles = {t for _, t, _ in with_libical(tmp_path / "site" / "feeds" / "all.ics", date(2015, 1, 1),
                                            date(2015, 12, 31)).events}
    assert {"做好公开（公开预算执行情况）", "做好公开（公开审计结果）", "独一无二的任务"} <= titles
    assert {"发布公告（每月10日前）", "发布公告（2015年12…）"} <= titles  # the limit as the rule reads it


# 2 -------------------------------------------------------------------------


PLAN = """\
id: seq
title: 版本检验方案
year: 2015
issued: 2015-03-01
obligations:
  - {{id: q-1, title: 年报, units: {{lead: [甲局], cooperating: [乙局]}}, due: {{on: {day}}}}}
  - {{id: q-2, title: 月报, units: {{lead: [甲局]}}, due: 每月10号前}}
"""


def _sequence(data: bytes, uid: str) -> tuple[int, str, str]:
    """SEQUENCE, LAST-MODIFIED and DTSTART of ``uid`` as libical reads them."""
    from consumers import _children, libical

    ical = libical()
    root = ical.Component.new_from_string(data.decode("utf-8"))
    (ev,) = [e for e in _children(root, ical.ComponentKind.VEVENT_COMPONENT) if e.get_uid() == uid]
    modified = ev.get_first_property(ical.PropertyKind.LASTMODIFIED_PROPERTY).get_lastmodified()
    return ev.get_sequence(), modified.as_ical_string(), ev.get_dtstart().as_ical_string()


def test_issue_13_2_sequence_lives_in_the_event_store_and_any_build_gives_the_same_bytes(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "seq.yaml").write_text(PLAN.format(day="2015-07-31"), encoding="utf-8")
    ws = deadlines.open(rules)
    ws.build(tmp_path / "site", today=TODAY)
    (rules / "seq.yaml").write_text(PLAN.format(day="2015-08-14"), encoding="utf-8")
    ws.reload()
    ws.build(tmp_path / "site", today=TODAY)  # the moved event: SEQUENCE 1
    first = {p.name: p.read_bytes() for p in (tmp_path / "site" / "feeds").iterdir()}
    seq, modified, start = _sequence(first["all.ics"], "q-1.0.fixed@deadlines")
    assert (seq, start) == (1, "20150814")
    assert not list((tmp_path / "site").glob(".*"))  # nothing hidden in the site: no .manifest.json
    # A fresh folder (a CI job, a copy): the same bytes, SEQUENCE kept, not 0 with old stamps.
    ws.build(tmp_path / "fresh", today=TODAY)
    assert {p.name: p.read_bytes() for p in (tmp_path / "fresh" / "feeds").iterdir()} == first
    assert main(["build", "--rules", str(rules), "--out", str(tmp_path / "cli"), "--today", "2015-07-08"]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "cli" / "feeds").iterdir()} == first
    # Where the numbers live: the event store beside the rules, one row per UID.
    from deadlines.triggers import Store

    with Store.open(ws.db, create=False) as store:
        assert store.feed_versions()["q-1.0.fixed@deadlines"][1] == 1
    # Moving it again advances it again, whichever folder is built.
    (rules / "seq.yaml").write_text(PLAN.format(day="2015-08-21"), encoding="utf-8")
    ws.reload()
    ws.build(tmp_path / "third", today=TODAY)
    seq3, modified3, _ = _sequence((tmp_path / "third" / "feeds" / "all.ics").read_bytes(), "q-1.0.fixed@deadlines")
    assert seq3 == 2 and modified3 > modified
    capsys.readouterr()


# 3 -------------------------------------------------------------------------


def test_issue_13_3_one_uid_is_one_content_in_every_feed(site):
    """todoman merged 54 waiting tasks into 23 across lists: every feed now writes an event byte
    for byte alike, and libical reads it alike."""
    from consumers import _children, libical

    ical = libical()
    seen: dict[str, set[bytes]] = defaultdict(set)
    parsed: dict[str, set[str]] = defaultdict(set)
    in_feeds: Counter = Counter()
    for feed in _feeds(site):
        data = feed.read_bytes()
        for uid, block in _blocks(data).items():
            seen[uid].add(block)
            in_feeds[uid] += 1
        root = ical.Component.new_from_string(data.decode("utf-8"))
        for kind in (ical.ComponentKind.VEVENT_COMPONENT, ical.ComponentKind.VTODO_COMPONENT):
            for comp in _children(root, kind):
                parsed[comp.get_uid()].add(comp.as_ical_string())
    assert max(in_feeds.values()) >= 3  # events do sit in several feeds
    assert sum(1 for uid in in_feeds if uid.endswith(".waiting@deadlines") and in_feeds[uid] > 1) > 0
    assert {uid: len(v) for uid, v in seen.items() if len(v) > 1} == {}
    assert {uid: len(v) for uid, v in parsed.items() if len(v) > 1} == {}


# 5 -------------------------------------------------------------------------


def test_issue_13_5_radicale_takes_every_event_as_uid_ics(site, tmp_path):
    """Radicale refused ``zsx2015-通知.1/0/…`` (400/401); every UID now goes in as <UID>.ics,
    and Radicale's own time-range search finds the events the feed dates."""
    items = split_items((site / "feeds" / "all.ics").read_bytes())
    uids = [uid for uid, _ in items]
    assert len(set(uids)) == len(uids)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+@deadlines", uid) for uid in uids)
    assert any("_" in uid for uid in uids)  # the ids with Chinese in them (zsx2015-通知.1) are among them
    with Radicale(tmp_path / "radicale") as server:
        # The receiver is strict: the form clients tripped on is refused.
        old = server.calendar("old")
        _, body = items[0]
        old_uid = "zsx2015-通知.1/0/2015@deadlines"
        assert server.put(old, old_uid, body.replace(items[0][0].encode(), old_uid.encode())) >= 400
        statuses = {}
        for i in range(0, len(items), 40):  # a few collections: Radicale slows down as one grows
            collection = server.calendar(f"part-{i // 40}")
            for uid, data in items[i:i + 40]:
                statuses[uid] = server.put(collection, uid, data)
        assert {uid: s for uid, s in statuses.items() if s != 201} == {}
        # Radicale expands the first collection's series itself and finds what the feed dates.
        first = server.calendar("window")
        for uid, data in items[:40]:
            server.put(first, uid, data)
        chosen = {uid for uid, _ in items[:40]}
        for day in (date(2015, 7, 1), date(2015, 12, 31), date(2016, 3, 1)):
            want = {u for _, _, u in with_icalendar(site / "feeds" / "all.ics", day, day + timedelta(days=30)).events}
            assert server.uids_between(first, day, day + timedelta(days=30)) == want & chosen


def test_issue_13_5_uids_are_stable_and_name_their_occurrence(tmp_path, bundled_plans):
    """The same key gives the same UID in every build; old UIDs map one way, documented."""
    from deadlines.ical import uid_of, uid_owner

    assert uid_of("zs2015-11.2", 0, "2015-Q3") == "zs2015-11.2.0.2015-Q3@deadlines"
    assert uid_of("fc-9", 0, "2015-09-02T10:00") == "fc-9.0.2015-09-02T1000@deadlines"
    chinese = uid_of("zsx2015-通知.1", 0, "2015")
    assert re.fullmatch(r"zsx2015-tongzhi\.1_[0-9a-f]{8}\.0\.2015@deadlines", chinese)
    assert uid_of("zsx2015-同志.1", 0, "2015") != chinese  # same pinyin, another id: another UID
    assert uid_of("a/b", 1, "fixed") != uid_of("a-b", 1, "fixed") and "/" not in uid_of("a/b", 1, "fixed")
    assert uid_owner(chinese) == (chinese.removesuffix(".2015@deadlines"), "2015")
    calendar = WorkCalendar(provisional=True)
    build_site(bundled_plans, tmp_path / "a", calendar=calendar)
    build_site(list(reversed(bundled_plans)), tmp_path / "b", calendar=calendar)
    a = set(_blocks((tmp_path / "a" / "feeds" / "all.ics").read_bytes()))
    b = set(_blocks((tmp_path / "b" / "feeds" / "all.ics").read_bytes()))
    assert a == b and len(a) > 100


# 6 -------------------------------------------------------------------------


def test_issue_13_6_libical_finds_nothing_wrong_in_any_feed(site, tmp_path, write_rules):
    """libical's check flagged METHOD:PUBLISH without ORGANIZER; the feeds carry no METHOD now."""
    for feed in _feeds(site):
        data = feed.read_bytes()
        assert b"\r\nMETHOD:" not in data and b"ORGANIZER" not in data
        assert libical_errors(data) == [], feed.name
    # The check is live: the same feed as an iTIP PUBLISH is flagged at once.
    data = (site / "feeds" / "all.ics").read_bytes().replace(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:PUBLISH\r\n", 1)
    assert any("ORGANIZER" in e for e in libical_errors(data))
    # Timed events, alarms, waiting and provisional ones too.
    import textwrap

    from test_feeds import EVERY_KIND, EVERY_KIND_TRIGGERS

    write_rules(textwrap.dedent(EVERY_KIND).lstrip())
    build_site(deadlines.load_plans(tmp_path / "rules"), tmp_path / "every", calendar=WorkCalendar(provisional=True),
               triggers=EVERY_KIND_TRIGGERS, alarm=timedelta(days=2))
    for feed in _feeds(tmp_path / "every"):
        assert libical_errors(feed.read_bytes()) == [], feed.name
