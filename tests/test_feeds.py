"""The feeds: what four independent readers see is exactly what the engine computed.

Every feed built from the committed ``rules/`` and from a plan holding every
kind of time limit is expanded by icalendar + recurring-ical-events, by the
``ical`` package, by ical.js under Node and by libical (GObject introspection); each must give the engine's
occurrences for that unit — dates, summaries, UIDs — and the waiting
obligations as VTODOs.  Expectations come from the engine, never from a list
of the bundled rules (they change as plans are imported).
"""

from __future__ import annotations


import json
import random
import re
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consumers import READERS, icaljs_ready, read_all
from deadlines import TriggerEvent, WorkCalendar, expand, load_plans
from deadlines.ical import Entry, FeedSource, summary, summary_labels, uid_of, uid_owner
from deadlines.icslint import lint
from deadlines.records import RecurringRule, RelativeRule
from deadlines.site import build_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2015, 7, 8)

REQUIREMENT = (
    "每月10日前发布上月饮用水源地水质月报，内容包括：取水口位置、监测项目（pH、溶解氧、"
    "高锰酸盐指数；氨氮、总磷）、达标情况，以及超标原因说明\\整改措施；并在“中山环保”"
    "网站和政务微博同步发布。𠀋字测试：四字节字符不应被折行拆开。"
)

EVERY_KIND = f"""
id: feedcheck
title: 某市2015—2016年政务公开工作要点分工方案（检验）
issuer: 某市人民政府办公室
document_number: 某府办〔2015〕1号
issued: 2015-06-01
year: 2015
period: {{start: 2015-01-01, end: 2016-12-31}}
source: feedcheck.txt
obligations:
  - id: fc-1
    source: {{item: "1"}}
    category: 环境信息
    title: 发布饮用水源地水质月报
    requirement: "{REQUIREMENT.replace(chr(92), chr(92) * 2)}"
    units: {{lead: [市环境保护局], responsible: [市水务局], cooperating: [市财政局]}}
    due: 每月10号前
  - id: fc-2
    source: {{item: "2"}}
    title: 发布入海河流水质信息
    units: {{lead: [市环境保护局], cooperating: [市海洋与渔业局]}}
    due: 每季度首月25日前
  - id: fc-3
    title: 报送月度信息公开统计
    units: {{lead: [市政务服务数据管理局]}}
    due: {{every: month, workday: -1}}
  - id: fc-4
    title: 月底前更新财政信息
    units: {{lead: [市财政局]}}
    due: {{every: month, day: -1}}
  - id: fc-5
    title: 每月30日发布（二月取月底）
    units: {{lead: [市统计局]}}
    due: {{every: month, day: 30}}
  - id: fc-6
    title: 每周一发布水质周报
    units: {{lead: [市环境保护局]}}
    due: 每周一
  - id: fc-7
    title: 每月1日发布（遇节假日顺延）
    units: {{lead: [市统计局], cooperating: [市环境保护局]}}
    due: {{every: month, day: 1, roll: true}}
  - id: fc-8
    title: 每年4月15日前发布年报
    units: {{lead: [市府办公室]}}
    due: {{every: year, month: 4, day: 15}}
  - id: fc-9
    title: 新闻发布会
    units: {{lead: [市府办公室], responsible: [市政府新闻办]}}
    due: {{on: 2015-09-02, time: "10:00"}}
  - id: fc-10
    title: 突发事件信息发布
    units: {{lead: [市应急管理局]}}
    due: 突发事件发生后24小时内
  - id: fc-11
    title: 公开项目审批结果
    units: {{lead: [市发展改革局], cooperating: [市财政局]}}
    due: 审批或核准后两个工作日内
  - id: fc-12
    title: 按省的规定公开
    units: {{lead: [市财政局]}}
    due: 待省出台具体规定后
  - id: fc-13
    title: 持续推进政务公开
    units: {{lead: [市府办公室]}}
    due: 全年工作
  - id: fc-14
    title: 督查工程质量
    units: {{responsible: [市住房城乡建设局]}}
    due: 2015年7月、12月
  - id: fc-15
    title: 验收后公开（无节假日数据的年份）
    units: {{lead: [市住房城乡建设局]}}
    due: {{after: 竣工验收, within: {{workdays: 5}}}}
  - id: fc-16
    title: 每半年报告
    units: {{lead: [市府办公室]}}
    due: 每半年
  - id: fc-17
    title: 近岸海域水质
    units: {{lead: [市海洋与渔业局]}}
    due: {{every: month, months: [4, 8, 11], day: -1}}
  - id: fc-18
    title: 每季度结束后20日内公开
    units: {{lead: [市审计局]}}
    due: 每季度结束后20日内
  - id: fc-19
    title: 实时公开空气质量
    units: {{lead: [市环境保护局]}}
    due: {{every: day}}
  - id: fc-20
    title: 采暖季巡查（跨年的季节）
    units: {{lead: [市住房城乡建设局]}}
    due: 每年11月至次年3月
"""

EVERY_KIND_TRIGGERS = [
    TriggerEvent(name="突发事件发生", on=datetime(2015, 8, 3, 15, 30)),
    TriggerEvent(name="审批或核准", on=date(2015, 9, 30)),
    TriggerEvent(name="审批或核准", on=date(2016, 2, 5)),
    TriggerEvent(name="竣工验收", on=date(2027, 2, 1)),  # no official calendar: provisional
]


def _bundled_triggers(plans):
    """One event for every relative rule's trigger in the bundled rules, derived from the data."""
    events = []
    for plan in plans:
        for ob in plan.obligations:
            for rule in ob.rules:
                if isinstance(rule, RelativeRule):
                    events.append(TriggerEvent(name=rule.trigger, on=plan.period.start + timedelta(days=100)))
    return events


class Built:
    def __init__(self, out: Path, plans, triggers, calendar):
        self.out = out
        self.plans = plans
        self.index = json.loads((out / "feeds" / "index.json").read_text(encoding="utf-8"))
        self.start = date.fromisoformat(self.index["window"]["from"])
        self.end = date.fromisoformat(self.index["window"]["to"])
        self.occurrences = expand(plans, date.min, date.max, calendar=calendar, triggers=triggers)
        self.rules = {(ob.id, i): rule for p in plans for ob in p.obligations for i, rule in enumerate(ob.rules)}
        self.owners = {uid_owner(uid_of(ob, i, "x"))[0]: (ob, i) for ob, i in self.rules}
        self.labels = summary_labels({ob.id: FeedSource(p, ob) for p in plans for ob in p.obligations})

    def feeds(self):
        yield None, self.out / "feeds" / "all.ics"
        for name, row in self.index["units"].items():
            yield name, self.out / row["file"]


def _build(out: Path, plans, triggers_of, **kwargs) -> Built:
    calendar = WorkCalendar(provisional=True)
    triggers = triggers_of(plans)
    build_site(plans, out, calendar=calendar, triggers=triggers, today=TODAY,
               base_url="https://example.org/deadlines/", **kwargs)
    return Built(out, plans, triggers, calendar)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, bundled_plans) -> Built:
    return _build(tmp_path_factory.mktemp("bundled"), bundled_plans, _bundled_triggers)


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory) -> Built:
    folder = tmp_path_factory.mktemp("every-kind-rules")
    (folder / "feedcheck.yaml").write_text(textwrap.dedent(EVERY_KIND).lstrip(), encoding="utf-8")
    return _build(tmp_path_factory.mktemp("every-kind"), load_plans(folder), lambda plans: EVERY_KIND_TRIGGERS)


@pytest.fixture(scope="session")
def icaljs():
    reason = icaljs_ready()
    if reason:
        pytest.fail(f"ical.js cannot run: {reason}")


def _start(due) -> str:
    return due.strftime("%Y-%m-%dT%H:%M") if isinstance(due, datetime) else due.isoformat()


def _summary(built: Built, occ) -> str:
    """The same in every feed: the writer's title with the label that tells same-titled events apart."""
    return summary(Entry("-", (occ,)), built.labels.get((occ.obligation, occ.rule), ""))


def _uid(occ, tail=None) -> str:
    return uid_of(occ.obligation, occ.rule, tail or occ.period)


def _expected(built: Built, unit, series: set[tuple[str, int]]):
    mine = [o for o in built.occurrences if unit is None or unit in o.units.all()]
    events = sorted(
        (_start(o.due), _summary(built, o), _uid(o, "series" if (o.obligation, o.rule) in series else None))
        for o in mine
        if o.due is not None and built.start <= o.due_date <= built.end
    )
    todos = sorted(_uid(o) for o in mine if o.due is None)
    return events, todos


def _series_in(built: Built, events) -> set[tuple[str, int]]:
    found = set()
    for _, _, uid in events:
        owner, tail = uid_owner(uid)
        if tail == "series":
            found.add(built.owners[owner])
    return found


def _check_every_feed(built: Built, reader_name: str):
    feeds = list(built.feeds())
    readings = read_all(reader_name, [path for _, path in feeds], built.start, built.end)
    checked = 0
    for unit, path in feeds:
        reading = readings[path]
        series = _series_in(built, reading.events)
        for key in series:
            assert isinstance(built.rules[key], RecurringRule), key  # RRULE only for recurring rules
        events, todos = _expected(built, unit, series)
        assert reading.events == events, (reader_name, unit)
        assert reading.todos == todos, (reader_name, unit)
        checked += len(events)
    assert checked > 0


@pytest.mark.parametrize("reader", sorted(READERS))
def test_readers_see_the_engine_occurrences_of_the_bundled_rules(bundled, reader, icaljs):
    _check_every_feed(bundled, reader)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_readers_see_the_engine_occurrences_of_every_kind_of_limit(every_kind, reader, icaljs):
    _check_every_feed(every_kind, reader)


def test_the_every_kind_plan_exercises_what_it_claims(every_kind):
    all_ics = _text(every_kind.out / "feeds" / "all.ics")
    rrules = {line for line in all_ics.splitlines() if line.startswith("RRULE:")}
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20161210" in rrules
    assert "RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25;UNTIL=20161025" in rrules
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20161231" in rrules
    assert "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15;UNTIL=20160415" in rrules
    assert "RRULE:FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1;UNTIL=20161231" in rrules
    assert any(r.startswith("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=2016") for r in rrules)
    assert any(r.startswith("RRULE:FREQ=DAILY;UNTIL=20161231") for r in rrules)
    assert "RRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=-1;UNTIL=20160331" in rrules  # 每年11月至次年3月
    assert len(rrules) == 8  # working days, rolled dates, days 29–31 and month lists are per period
    assert "RDATE" not in all_ics
    for uid in ("fc-3.0.2015-01", "fc-5.0.2015-02", "fc-7.0.2015-01", "fc-17.0.2015-04", "fc-18.0.2015-Q1"):
        assert f"UID:{uid}@deadlines" in all_ics
    assert "DTSTART;TZID=Asia/Shanghai:20150902T100000" in all_ics
    assert "DTSTART;TZID=Asia/Shanghai:20150804T153000" in all_ics
    assert "BEGIN:VTIMEZONE" in all_ics and "TZID:Asia/Shanghai" in all_ics
    assert "STATUS:TENTATIVE" in all_ics  # 2027 has no official calendar here


def _text(path: Path) -> str:
    """A feed as text, its CRLF kept."""
    return path.read_bytes().decode("utf-8")


def _events(text: str) -> dict[str, str]:
    """UID → the unfolded lines of its VEVENT or VTODO (``VEVENT\r\n…END:VEVENT\r\n``)."""
    unfolded = text.replace("\r\n ", "")
    out = {}
    for match in re.finditer(r"BEGIN:(VEVENT|VTODO)\r\n(.*?)END:\1\r\n", unfolded, re.S):
        block = match.group(0).removeprefix("BEGIN:")
        uid = re.search(r"^UID:(.*)$", block, re.M).group(1).rstrip("\r")
        out[uid] = block
    return out


def _prop(block: str, name: str) -> str:
    """The value of the property ``name`` (with its parameters, if given) in one unfolded block."""
    lines = block.split("\r\n")
    return next(line.split(":", 1)[1] for line in lines if line.startswith((name + ":", name + ";")))


def test_feed_follows_the_design(every_kind):
    feed = (every_kind.out / "feeds" / "all.ics").read_bytes()
    text = feed.decode("utf-8")
    head = text.split("BEGIN:VTIMEZONE")[0]
    assert "METHOD" not in head and "ORGANIZER" not in text  # a snapshot, not an iTIP message
    for line in ("REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H",
                 "X-WR-CALNAME:全部单位 · 工作时限", "NAME:全部单位 · 工作时限", "VERSION:2.0"):
        assert f"\r\n{line}\r\n" in head
    assert "UID:" not in head  # the calendar itself carries no random UID
    events = _events(text)
    monthly = events["fc-1.0.series@deadlines"]
    assert "DTSTART;VALUE=DATE:20150110" in monthly and "DTEND;VALUE=DATE:20150111" in monthly
    assert "TRANSP:TRANSPARENT" in monthly
    # From the data: the latest trigger event (2027-02-01), 00:00 in China.
    assert "DTSTAMP:20270131T160000Z" in monthly
    assert "LAST-MODIFIED:20270131T160000Z" in monthly and "SEQUENCE:0" in monthly
    assert "BEGIN:VALARM" not in text  # reminders are off by default
    timed = events["fc-9.0.fixed@deadlines"]
    assert "DTEND;TZID=Asia/Shanghai:20150902T103000" in timed
    waiting = events["fc-12.0.waiting@deadlines"]
    assert waiting.startswith("VTODO") and "DUE" not in waiting and "DTSTART" not in waiting
    assert "STATUS:NEEDS-ACTION" in waiting
    assert lint(feed) == []


def test_description_tells_requirement_source_role_and_why(every_kind):
    feed = _text(every_kind.out / "feeds" / "shi-cai-zheng-ju.ics")
    block = _events(feed)["fc-1.0.series@deadlines"]
    assert _prop(block, "SUMMARY") == "发布饮用水源地水质月报"  # the same in every feed: no role
    assert _prop(block, "CATEGORIES") == "环境信息"
    description = _prop(block, "DESCRIPTION").replace("\\n", "\n")
    assert "单位：牵头 市环境保护局；责任 市水务局；配合 市财政局" in description
    assert "时限：每月10号前" in description
    assert "来源：某市2015—2016年政务公开工作要点分工方案（检验）（某府办〔2015〕1号） 第1项；feedcheck.txt" in description
    assert "每期按规则计算，共24次，2015-01-10 至 2016-12-10，不顺延" in description
    single = _events(feed)["fc-11.0.2015-09-30@deadlines"]
    assert "日期：审批或核准 2015-09-30 + 2个工作日 = 10-09（周五）" in _prop(single, "DESCRIPTION").replace("\\n", "\n")


@pytest.mark.parametrize("reader", sorted(READERS))
def test_cjk_text_survives_folding_byte_exact(every_kind, reader, icaljs):
    path = every_kind.out / "feeds" / "shi-huan-jing-bao-hu-ju.ics"
    raw = path.read_bytes()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no fold splits a character
    assert b"\n" not in raw.replace(b"\r\n", b"")
    reading = READERS[reader](path, every_kind.start, every_kind.end)
    description = reading.descriptions["fc-1.0.series@deadlines"]
    assert description.splitlines()[0] == REQUIREMENT


def test_waiting_and_provisional_and_alarm(tmp_path, write_rules, calendar):
    write_rules(
        """
        id: small
        title: 小方案
        year: 2030
        obligations:
          - {id: s-1, title: 第一项, units: {lead: [甲局]}, due: {every: month, workday: 1}}
          - {id: s-2, title: 第二项, units: {lead: [甲局]}, due: 待省出台具体规定后}
        """
    )
    plans = load_plans(tmp_path / "rules")
    build_site(plans, tmp_path / "site", calendar=WorkCalendar(provisional=True), alarm=timedelta(days=3))
    text = _text(tmp_path / "site" / "feeds" / "all.ics")
    events = _events(text)
    first = events["s-1.0.2030-01@deadlines"]
    assert "STATUS:TENTATIVE" in first and "状态：日期暂定" in first
    assert "BEGIN:VALARM\r\nACTION:DISPLAY" in first and "TRIGGER:-P3D" in first
    assert "BEGIN:VALARM" not in events["s-2.0.waiting@deadlines"]
    assert lint(text.encode()) == []


def test_done_occurrences_are_marked_and_leave_the_series(tmp_path, every_kind):
    from deadlines.site import write_site

    calendar = WorkCalendar(provisional=True)
    found = expand(every_kind.plans, date.min, date.max, calendar=calendar, triggers=EVERY_KIND_TRIGGERS)
    july = next(o for o in found if o.obligation == "fc-1" and o.period == "2015-07")
    done = [o.replace(status="done") if o == july else o for o in found]
    write_site(every_kind.plans, done, tmp_path, stamp=datetime(2015, 1, 1).astimezone())
    events = _events(_text(tmp_path / "feeds" / "all.ics"))
    block = events["fc-1.0.2015-07@deadlines"]
    assert _prop(block, "SUMMARY") == "【已完成】发布饮用水源地水质月报"
    assert "状态：已完成" in _prop(block, "DESCRIPTION")
    # The rule's other periods are written one by one, not as a series.
    assert "fc-1.0.series@deadlines" not in events and "fc-1.0.2015-08@deadlines" in events
    assert "fc-2.0.series@deadlines" in events  # other series are untouched


# --------------------------------------------------------------------------
# Same data, same bytes; one change, one event


def _site_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_building_twice_gives_the_same_bytes_and_writes_nothing(tmp_path, bundled_plans):
    calendar = WorkCalendar(provisional=True)
    plans = bundled_plans
    first = build_site(plans, tmp_path, calendar=calendar, today=TODAY)
    before = _site_bytes(tmp_path)
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    again = build_site(plans, tmp_path, calendar=calendar, today=TODAY)
    assert again.written == [] and again.data_version == first.data_version
    assert _site_bytes(tmp_path) == before
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == mtimes
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_shuffled_plans_and_obligations_give_the_same_bytes(tmp_path, every_kind, bundled_plans):
    calendar = WorkCalendar(provisional=True)
    plans = list(every_kind.plans) + list(bundled_plans)
    build_site(plans, tmp_path / "a", calendar=calendar, triggers=EVERY_KIND_TRIGGERS, today=TODAY)
    rng = random.Random(5)
    shuffled = []
    for plan in reversed(plans):
        obligations = list(plan.obligations)
        rng.shuffle(obligations)
        shuffled.append(plan.model_copy(update={"obligations": obligations}))
    build_site(shuffled, tmp_path / "b", calendar=calendar, triggers=list(reversed(EVERY_KIND_TRIGGERS)), today=TODAY)
    assert _site_bytes(tmp_path / "a") == _site_bytes(tmp_path / "b")


def test_changing_one_date_changes_only_that_event_with_sequence_plus_one(tmp_path, write_rules, calendar):
    text = """
        id: change
        title: 变更检验
        year: 2015
        issued: 2015-03-01
        obligations:
          - {{id: c-1, title: 年报, units: {{lead: [甲局], cooperating: [乙局]}}, due: {{on: {day}}}}}
          - {{id: c-2, title: 月报, units: {{lead: [甲局]}}, due: 每月10号前}}
          - {{id: c-3, title: 季报, units: {{lead: [乙局]}}, due: 每季度结束后20日内}}
        """
    write_rules(text.format(day="2015-07-31"))
    site = tmp_path / "site"
    versions: dict = {}  # what the event store keeps between builds

    def build():
        build_site(load_plans(tmp_path / "rules"), site, calendar=calendar, versions=dict(versions),
                   save_versions=versions.update)
        return {name: _events(data.decode()) for name, data in _site_bytes(site).items() if name.endswith(".ics")}

    before = build()
    write_rules(text.format(day="2015-08-14"))
    after = build()
    for feed in before:
        changed = {uid for uid in before[feed] if before[feed][uid] != after[feed].get(uid)}
        assert set(after[feed]) == set(before[feed])
        if "c-1.0.fixed@deadlines" in before[feed]:
            assert changed == {"c-1.0.fixed@deadlines"}, feed
            old, new = before[feed]["c-1.0.fixed@deadlines"], after[feed]["c-1.0.fixed@deadlines"]
            assert _prop(old, "SEQUENCE") == "0" and _prop(new, "SEQUENCE") == "1"
            assert _prop(new, "LAST-MODIFIED") > _prop(old, "LAST-MODIFIED")
            assert _prop(new, "DTSTAMP") == _prop(new, "LAST-MODIFIED")
            assert _prop(new, "DTSTART;VALUE=DATE") == "20150814"
        else:
            assert changed == set(), feed
    write_rules(text.format(day="2015-07-31"))  # back to the first date: still a newer version
    again = build()
    assert _prop(again["feeds/all.ics"]["c-1.0.fixed@deadlines"], "SEQUENCE") == "2"


# --------------------------------------------------------------------------
# The index


def test_index_json_maps_every_unit_to_its_feed(bundled):
    units = {u for p in bundled.plans for ob in p.obligations for u in ob.units.all()}
    assert set(bundled.index["units"]) == units
    for name, row in bundled.index["units"].items():
        assert (bundled.out / row["file"]).is_file()
        assert row["file"] == f"feeds/{row['slug']}.ics"
        for role in ("lead", "responsible", "cooperating"):
            assert row["roles"][role] == sum(
                1 for p in bundled.plans for ob in p.obligations if name in getattr(ob.units, role)
            )
    assert len({row["slug"] for row in bundled.index["units"].values()}) == len(units)
    assert len(bundled.index["data_version"]) == 16
    assert bundled.index["working_days"] == WorkCalendar(provisional=True).data_version


def test_a_unit_no_longer_named_loses_its_feed(tmp_path, write_rules, calendar):
    write_rules("""
        id: p
        title: 方案
        year: 2015
        obligations: [{id: a, title: 任务, units: {lead: [甲局, 乙局]}, due: 2015年7月底前}]
        """)
    build_site(load_plans(tmp_path / "rules"), tmp_path / "site", calendar=calendar)
    assert (tmp_path / "site" / "feeds" / "yi-ju.ics").is_file()
    write_rules("""
        id: p
        title: 方案
        year: 2015
        obligations: [{id: a, title: 任务, units: {lead: [甲局]}, due: 2015年7月底前}]
        """)
    result = build_site(load_plans(tmp_path / "rules"), tmp_path / "site", calendar=calendar)
    assert result.removed == ["feeds/yi-ju.ics"]
    assert sorted(p.name for p in (tmp_path / "site" / "feeds").iterdir()) == ["all.ics", "index.json", "jia-ju.ics"]


def _head_by_icalendar(name: str, about: str) -> bytes:
    """A feed's head as a whole calendar made and written by icalendar."""
    from icalendar import Calendar, vDuration

    from deadlines.ical import PRODID, REFRESH

    cal = Calendar.new(name=name, description=about, prodid=PRODID, refresh_interval=REFRESH, uid="-")
    del cal["UID"]
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return cal.to_ical().removesuffix(b"END:VCALENDAR\r\n")


_TEXT = st.text(st.sampled_from(list("市发展和改革委员会（）·、,;:\\\n\"abc 1\t") + ["\u00e9", "\U0001f600", "\ue000"]),
                max_size=120)


@settings(max_examples=200, deadline=None)
@given(name=_TEXT, about=_TEXT)
def test_a_feeds_head_is_what_icalendar_writes(name, about):
    from deadlines.ical import calendar_head

    def outcome(write):
        try:
            return write(name, about)
        except Exception as exc:  # noqa: BLE001 - icalendar refuses some texts (a raw line break): so must we
            return type(exc), str(exc)

    assert outcome(calendar_head) == outcome(_head_by_icalendar)


def test_the_heads_of_the_bundled_feeds_are_what_icalendar_writes(bundled_plans):
    from deadlines.ical import calendar_head

    names = {n for plan in bundled_plans for ob in plan.obligations for n in ob.units.all()}
    assert len(names) > 20
    for unit in sorted(names):
        name, about = f"{unit} · 工作时限", f"{unit}牵头、负责或配合的事项的到期日与待触发事项"
        assert calendar_head(name, about) == _head_by_icalendar(name, about)
