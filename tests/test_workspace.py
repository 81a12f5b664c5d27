"""The workspace from Python: what the CLI does, reachable with `import deadlines`.

Each command is one Workspace call; these tests use the calls directly, and
check what the CLI alone cannot show: the explicit paths from data to a plan,
where files are (and are not) written, and that a published feed is the
engine's occurrences as a client reads them.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date, datetime
from pathlib import Path

import pytest

import deadlines
from deadlines import DeadlineError, OccurrenceKey, TriggerEvent, Window
from deadlines.cli import main
from deadlines.errors import FeedMismatch, WindowChoice, WindowError
from deadlines.model import Plan
from deadlines.rulesfile import plan_from_data

AT = datetime(2015, 10, 1, 9, 30)

PLAN = """
id: demo-2015
title: 示例方案
year: 2015
issued: 2015-06-01
obligations:
  - id: d-1
    title: 项目批复公开
    units: {lead: [市发展改革局], cooperating: [市财政局]}
    due: 审批或核准后两个工作日内
  - id: d-2
    title: 季度报告公开
    units: {lead: [市财政局]}
    due: 每季度首月25日前
  - id: d-3
    title: 督查
    units: {responsible: [市环境保护局]}
    due: 2015年7月、12月
  - id: d-4
    title: 另一项审批公开
    units: {lead: [市住房城乡建设局]}
    due: 审批或核准后两个工作日内
"""


@pytest.fixture
def ws(write_rules):
    return deadlines.open(write_rules(PLAN).parent)


# -- windows ---------------------------------------------------------------------


def test_one_place_chooses_the_window():
    today = date(2015, 7, 8)  # a Wednesday
    assert Window.choose(today) == Window(date(2015, 7, 13), date(2015, 7, 19))
    assert Window.choose(today, next_week=True) == Window.next_week(today)
    assert Window.choose(today, this_week=True) == Window(date(2015, 7, 6), date(2015, 7, 12))
    assert Window.choose(today, week_of=date(2015, 7, 29)) == Window(date(2015, 7, 27), date(2015, 8, 2))
    assert Window.choose(today, days=3) == Window(today, date(2015, 7, 11))
    assert Window.choose(today, start=date(2015, 1, 1), end=date(2015, 1, 1)) == Window(date(2015, 1, 1),
                                                                                      date(2015, 1, 1))
    with pytest.raises(WindowChoice, match="请只给一个时间窗口"):
        Window.choose(today, days=3, this_week=True)
    with pytest.raises(WindowChoice, match="要一起用"):
        Window.choose(today, start=date(2015, 1, 1))
    with pytest.raises(WindowError) as bad:
        Window.choose(today, start=date(2015, 2, 1), end=date(2015, 1, 1))
    assert (bad.value.start, bad.value.end) == (date(2015, 2, 1), date(2015, 1, 1))


def test_expand_refuses_a_reversed_window_with_a_deadline_error(ws):
    with pytest.raises(DeadlineError):
        deadlines.expand(ws.plans, date(2015, 2, 1), date(2015, 1, 1), calendar=ws.calendar)


# -- what falls due, recording, completing ------------------------------------------


def test_due_record_done_undo_history_from_python(ws):
    year = Window.year(2015)
    agenda = ws.due(year, today=date(2015, 7, 8), unit="市财政局")
    assert {o.obligation for o in agenda.occurrences} == {"d-1", "d-2"}
    assert [o.obligation for o in agenda.waiting] == ["d-1"]
    assert list(agenda.by_unit()) == ["市财政局"]
    q3 = next(o for o in agenda.dated if o.period == "2015-Q3")
    assert agenda.workdays_left(q3) == 12  # 07-09 … 07-24 (the 25th is a Saturday)
    assert not ws.db.exists()  # reading never makes the store

    recorded = ws.record(name="审批或核准", on=date(2015, 9, 30), at=AT, note="批复")
    assert recorded.obligations == ["d-1", "d-4"]
    assert [(o.obligation, o.due) for o in recorded.occurrences] == [("d-1", date(2015, 10, 9)),
                                                                      ("d-4", date(2015, 10, 9))]
    marked = ws.mark_done("d-2", on=date(2015, 4, 20), at=AT)
    assert str(marked.occurrence.key) == "d-2/0/2015-Q2" and marked.days_late == 0  # the open one due nearest
    marked = ws.mark_done("d-3/1/fixed", on=date(2016, 1, 4), at=AT)  # a key names the occurrence
    assert marked.occurrence.due == date(2015, 12, 31) and marked.days_late == 4
    done = {str(o.key): o.status for o in ws.occurrences_of(["d-2", "d-3"]) if o.status == "done"}
    assert done == {"d-2/0/2015-Q2": "done", "d-3/1/fixed": "done"}

    with pytest.raises(deadlines.errors.TargetError, match="已经指明了期间"):
        ws.undo("d-3/1/fixed", period="2015-07-31", at=AT)
    undone = ws.undo("d-3", period="2015-12-31", at=AT, note="撤回")  # by its due date
    assert str(undone.mark.key) == "d-3/1/fixed"
    history = ws.history("d-4")
    assert [c.action for c in history.changes] == ["trigger"]  # the named event reaches d-4 too
    assert [c.action for c in ws.history("d-3").changes] == ["done", "undo"]
    book = ws.ledger(date(2015, 12, 31))
    assert book.total.done == 1 and book.total.overdue >= 3


def test_the_occurrence_key_is_the_feed_uid_the_store_record_and_the_cli_word(ws, capsys, tmp_path):
    ws.record("d-1", on=datetime(2015, 9, 2, 10, 0), at=AT)
    (occ,) = [o for o in ws.occurrences_of(["d-1"]) if o.due is not None]
    assert str(occ.key) == "d-1/0/2015-09-02T10:00" == f"d-1/0/{occ.period}"
    assert OccurrenceKey.parse(str(occ.key)) == occ.key
    ws.build(tmp_path / "site", today=date(2015, 7, 8))
    # The feed writes the key in ASCII without "/" (a client keeps the event as <UID>.ics).
    assert b"UID:d-1.0.2015-09-02T1000@deadlines" in (tmp_path / "site" / "feeds" / "all.ics").read_bytes()
    assert main(["done", str(occ.key), "--on", "2015-09-03", "--rules", str(ws.rules)]) == 0
    assert f"已完成：{occ.key}" in capsys.readouterr().out
    (mark,) = [c for c in ws.history("d-1").changes if c.action == "done"]
    assert mark.key == occ.key and mark.completion().key == occ.key


def test_one_rule_says_which_rules_an_event_dates():
    by_obligation = TriggerEvent(obligation="d-1", on=date(2015, 9, 30))
    named_for_one = TriggerEvent(obligation="d-1", name="审批或核准", on=date(2015, 9, 30))
    by_name = TriggerEvent(name="审批或核准", on=date(2015, 9, 30))
    assert by_obligation.dates("d-1", "审批或核准") and by_obligation.dates("d-1", "验收")
    assert not by_obligation.dates("d-4", "审批或核准")
    assert named_for_one.dates("d-1", "审批或核准") and not named_for_one.dates("d-1", "验收")
    assert by_name.dates("d-1", "审批或核准") and by_name.dates("d-4", "审批或核准")
    assert not by_name.dates("d-1", "验收")
    assert not by_obligation.dates("d-1", None)  # an unread limit waits on a person


# -- the explicit path from data to a plan ----------------------------------------


DATA = {"id": "p", "title": "方案", "year": 2015, "obligations": [{"id": "a", "title": "月报", "due": "每月10日前"}]}


def test_the_model_does_not_read_phrases_behind_the_callers_back():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="plan_from_data"):
        Plan.model_validate(DATA)
    (rule,) = plan_from_data(DATA).obligations[0].rules
    assert (rule.kind, rule.every, rule.day) == ("recurring", "month", 10)
    (unread,) = plan_from_data(DATA, read_phrase=None).obligations[0].rules
    assert unread.unparsed == "每月10日前" and plan_from_data(DATA, read_phrase=None).obligations[0].flags == [
        "no-unit", "unparsed"]
    (kept,) = Plan.model_validate(DATA, context={"read_phrase": None}).obligations[0].rules
    assert kept == unread


def test_plan_from_data_names_the_field_of_a_problem():
    bad = {**DATA, "obligations": [{"id": "a", "title": "月报", "due": {"on": "2015-02-30"}}]}
    with pytest.raises(deadlines.RulesFileError, match=r"^<data>: obligations\[0\]\.due\.on: 不是有效日期"):
        plan_from_data(bad)


# -- where files are written --------------------------------------------------------


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_parse_writes_nothing(tmp_path, monkeypatch, capsys, write_rules):
    write_rules(PLAN)
    (tmp_path / "rules" / "calendars").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    before = _files(tmp_path)
    assert main(["parse", "每月10日前", "--year", "2015", "--json"]) == 0
    assert main(["parse", "审批或核准后两个工作日内", "--year", "2015", "--trigger", "2015-09-30"]) == 0
    assert _files(tmp_path) == before
    assert json.loads(capsys.readouterr().out.split("\n}\n")[0] + "\n}")["due"][0] == "2015-01-10"


def test_a_folder_that_cannot_be_written_still_answers(tmp_path, monkeypatch, capsys, write_rules):
    """Its cache goes to the user cache folder; nothing is written beside the rules."""
    rules = write_rules(PLAN).parent
    (tmp_path / ".deadlines").write_text("not a folder: the project cannot hold state here\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    readable = [(p, p.stat().st_mode) for p in (tmp_path, rules)]
    try:
        for path, mode in readable:
            path.chmod(mode & ~0o222)  # read-only too (effective unless run as root)
        before = _files(tmp_path) - {p for p in _files(tmp_path) if p.startswith("user-cache")}
        assert main(["due", "--rules", str(rules), "--today", "2015-07-08", "--json"]) == 0
        assert main(["parse", "每月10日前", "--year", "2015", "--rules", str(rules)]) == 0
        after = _files(tmp_path) - {p for p in _files(tmp_path) if p.startswith("user-cache")}
    finally:
        for path, mode in readable:
            path.chmod(mode)
    capsys.readouterr()
    assert after == before
    assert list((tmp_path / "user-cache" / "deadlines").rglob("*.json"))  # the plan, kept for next time
    ws = deadlines.open(rules)
    assert ws.cache_dir.parent == tmp_path / "user-cache" / "deadlines"


def test_a_writable_project_keeps_its_cache_beside_the_rules(ws):
    assert ws.cache_dir == ws.folder.parent / ".deadlines" / "cache"
    assert ws.plans and list(ws.cache_dir.glob("*.json"))
    assert deadlines.open(ws.rules, cache=False).cache_dir is None


# -- feeds: read back before they are published --------------------------------------


def test_build_publishes_nothing_a_client_would_expand_otherwise(ws, tmp_path, monkeypatch):
    from deadlines import ical

    good = ical.exact_rrule

    def one_short(days):  # an RRULE whose UNTIL stops a period early: dateutil agrees, a client shows less
        rule = good(days)
        return rule and rule.replace(f"UNTIL={days[-1]:%Y%m%d}", f"UNTIL={days[-2]:%Y%m%d}")

    monkeypatch.setattr(ical, "exact_rrule", one_short)
    with pytest.raises(FeedMismatch) as found:
        ws.build(tmp_path / "site", today=date(2015, 7, 8))
    assert "feeds/all.ics" in str(found.value) and "缺少 d-2/0/2015-Q4 2015-10-25" in str(found.value)
    assert found.value.missing == ["d-2/0/2015-Q4 2015-10-25"] and found.value.extra == []
    assert not (tmp_path / "site").exists()  # nothing written
    result = ws.build(tmp_path / "site", today=date(2015, 7, 8), verify=False)  # asked for: written as is
    assert "feeds/all.ics" in result.written


def test_lint_holds_a_site_against_its_rules(ws, tmp_path, capsys):
    site = tmp_path / "site"
    ws.build(site, today=date(2015, 7, 8))
    feeds = sorted((site / "feeds").glob("*.ics"))
    reports = ws.lint(feeds)
    assert all(r.ok and r.compared for r in reports)
    all_ics = site / "feeds" / "all.ics"
    all_ics.write_bytes(all_ics.read_bytes().replace(b"DTSTART;VALUE=DATE:20150731", b"DTSTART;VALUE=DATE:20150730"))
    (report,) = ws.lint([all_ics])
    assert report.problems == []  # still a well-formed feed
    assert report.read_back == ["the rules give d-3/0/fixed 2015-07-31; the feed does not",
                                "the feed gives d-3/0/fixed 2015-07-30; the rules do not"]
    assert main(["lint", str(all_ics), "--rules", str(ws.rules)]) == 1
    assert "the rules give d-3/0/fixed 2015-07-31" in capsys.readouterr().out
    loose = tmp_path / "loose.ics"  # not part of a site: read back, not compared
    loose.write_bytes(all_ics.read_bytes())
    (report,) = ws.lint([loose])
    assert report.ok and not report.compared


def test_serve_rebuilds_from_a_fresh_read(ws, tmp_path):
    server = ws.server(out=tmp_path / "site", port=0, today=lambda: date(2015, 7, 8))
    try:
        assert (tmp_path / "site" / "feeds" / "all.ics").is_file()
        text = (ws.folder / "plan.yaml").read_text(encoding="utf-8").replace("督查", "督查工作")
        (ws.folder / "plan.yaml").write_text(text, encoding="utf-8")
        os.utime(ws.folder / "plan.yaml", ns=(1, 1))  # a changed fingerprint even within one clock tick
        for _ in range(50):  # the change settles first (half a second), then the next request rebuilds
            if server.rebuilder.refresh():
                break
            time.sleep(0.1)
        assert "督查工作".encode() in (tmp_path / "site" / "feeds" / "all.ics").read_bytes()
    finally:
        server.server_close()


def test_every_feed_is_held_against_its_own_occurrences(ws, tmp_path):
    """A unit's feed is checked too: one whose events differ from all.ics's is read back itself."""
    from deadlines.feedcheck import verify_site

    site = tmp_path / "site"
    ws.build(site, today=date(2015, 7, 8), verify=False)
    index = json.loads((site / "feeds" / "index.json").read_text(encoding="utf-8"))
    occurrences = ws.due(Window(date.min, date.max), today=date(2015, 7, 8)).occurrences

    def feeds(change=lambda name, data: data):
        out = [("feeds/all.ics", (site / "feeds" / "all.ics").read_bytes(), occurrences)]
        for unit, row in sorted(index["units"].items()):
            mine = [o for o in occurrences if unit in o.units.all()]
            out.append((row["file"], change(row["file"], (site / row["file"]).read_bytes()), mine))
        return out

    verify_site(feeds())  # as built: every feed reads back as its occurrences
    env = index["units"]["市环境保护局"]["file"]
    moved = feeds(lambda name, data: data.replace(b"DTSTART;VALUE=DATE:20150731", b"DTSTART;VALUE=DATE:20150801")
                  if name == env else data)
    with pytest.raises(FeedMismatch) as found:
        verify_site(moved)
    assert found.value.feed == env
    assert found.value.missing == ["d-3/0/fixed 2015-07-31"] and found.value.extra == ["d-3/0/fixed 2015-08-01"]
    fin = index["units"]["市财政局"]["file"]
    dropped = feeds(lambda name, data: data.replace(b"UID:d-1.0.waiting@deadlines", b"UID:d-9.0.waiting@deadlines")
                    if name == fin else data)
    with pytest.raises(FeedMismatch, match="缺少 d-1/0/waiting"):
        verify_site(dropped)


def test_a_completion_that_names_no_occurrence_key_is_a_clear_error(ws, capsys):
    import sqlite3

    ws.mark_done("d-2", on=date(2015, 4, 20), at=AT)
    with sqlite3.connect(ws.db) as conn:  # a row as an earlier development version wrote it: no rule
        conn.execute("INSERT INTO changes (at, action, obligation, on_day, period) "
                     "VALUES ('2015-10-01T09:30:00', 'done', 'd-2', '2015-07-20', '2015-Q3')")
    with pytest.raises(deadlines.errors.StoreError, match=r"change #2 names no occurrence \('2015-Q3'\)"):
        ws.state()
    assert main(["due", "--rules", str(ws.rules), "--today", "2015-07-08"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_serve_rebuilds_for_what_the_store_records_not_for_what_a_build_writes_into_it(ws, tmp_path):
    """A build writes the feeds' versions into the event store: the next check sees nothing to
    build.  A done mark recorded is a change (after it settles), and so is a store replaced."""
    builds = []
    server = ws.server(out=tmp_path / "site", port=0, today=lambda: date(2015, 7, 8))
    real = server.rebuilder.build
    server.rebuilder.build = lambda: (builds.append(1), real())
    server.rebuilder.settle = 0
    try:
        assert ws.db.is_file()  # the first build recorded its feeds' versions
        assert not server.rebuilder.refresh() and builds == []
        ws.mark_done("d-2", on=date(2015, 7, 1), at=AT)
        assert server.rebuilder.refresh() and builds == [1]
        assert not server.rebuilder.refresh() and builds == [1]
        assert "d-2" in (tmp_path / "site" / "feeds" / "all.ics").read_text(encoding="utf-8")
        ws.db.unlink()  # the store removed: a change (its marks are gone)
        assert server.rebuilder.refresh() and builds == [1, 1]
    finally:
        server.server_close()
