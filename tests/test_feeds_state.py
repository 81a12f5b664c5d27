"""The feed site follows the event store: a recorded trigger gives a relative
rule its dated event, a completion marks the event done, and taking either
back restores the feed."""

from __future__ import annotations

import icalendar

from deadlines.cli import main

PLAN = """\
title: 某市2015年政务公开工作要点分工方案
year: 2015
obligations:
  - id: p-1
    title: 推进重大建设项目信息公开
    units: {lead: [市发展改革局]}
    due_text: 审批或核准后两个工作日内
  - id: p-2
    title: 公开污染物减排项目
    units: {lead: [市发展改革局]}
    due_text: 2015年7月
"""


def _events(site):
    (feed,) = [f for f in (site / "feeds").glob("*.ics") if f.name != "all.ics"]  # the one unit's feed
    cal = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(c["UID"]): c for c in cal.walk() if c.name in ("VEVENT", "VTODO")}


def test_build_reflects_recorded_triggers_and_completion(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "p.yaml").write_text(PLAN, encoding="utf-8")
    site, db = tmp_path / "site", tmp_path / "state.db"

    def build():
        assert main(["build", "--rules", str(rules), "--db", str(db), "--out", str(site), "--today", "2015-07-01"]) == 0
        return _events(site)

    before = build()
    waiting = [c for c in before.values() if c.name == "VTODO"]
    assert [str(c["SUMMARY"]) for c in waiting] == ["【待触发】推进重大建设项目信息公开"]
    assert "DUE" not in waiting[0]

    assert main(["trigger", "record", "p-1", "--on", "2015-09-30", "--rules", str(rules), "--db", str(db)]) == 0
    after = build()
    dated = [c for c in after.values() if c.name == "VEVENT" and str(c["SUMMARY"]).endswith("推进重大建设项目信息公开")]
    assert [c.decoded("DTSTART").isoformat() for c in dated] == ["2015-10-09"]  # 两个工作日, 国庆 rest days

    assert main(["done", "p-2", "--on", "2015-07-20", "--rules", str(rules), "--db", str(db)]) == 0
    done = build()
    july = [c for c in done.values() if c.name == "VEVENT" and "公开污染物减排项目" in str(c["SUMMARY"])]
    assert [str(c["SUMMARY"]) for c in july] == ["【已完成】公开污染物减排项目"]
    (uid,) = [c["UID"] for c in july]
    assert int(done[uid]["SEQUENCE"]) == int(after[uid].get("SEQUENCE", 0)) + 1  # updated in place

    assert main(["undo", "p-2", "--rules", str(rules), "--db", str(db)]) == 0
    again = build()
    assert str(again[uid]["SUMMARY"]) == "公开污染物减排项目"
    capsys.readouterr()
