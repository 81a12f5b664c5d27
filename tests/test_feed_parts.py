"""The pieces of a feed: slugs, RRULE patterns, folding, the lint, and the CLI commands."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.cli import main
from deadlines.ical import escape_text, exact_rrule, fold
from deadlines.icslint import lint
from deadlines.site import unit_slug, unit_slugs

# --------------------------------------------------------------------------
# Slugs


def test_slugs_are_toneless_pinyin():
    assert unit_slug("市财政局") == "shi-cai-zheng-ju"
    assert unit_slug("市人力资源和社会保障局") == "shi-ren-li-zi-yuan-he-she-hui-bao-zhang-ju"
    assert unit_slug("市委宣传部（网信办）") == "shi-wei-xuan-chuan-bu-wang-xin-ban"
    assert unit_slug("中山市第１区ＡＢＣ办") == "zhong-shan-shi-di-1-qu-abc-ban"


def test_a_slug_does_not_depend_on_the_other_units():
    alone = unit_slugs(["市财政局"])
    crowd = unit_slugs(["市财政局", "市民政局", "市公安局", "县财政局"])
    assert alone["市财政局"] == crowd["市财政局"] == "shi-cai-zheng-ju"


def test_homophones_and_the_reserved_name_get_a_hash_of_the_name():
    slugs = unit_slugs(["市公安局", "市供安局", "All", "市民政局"])
    assert re.fullmatch(r"shi-gong-an-ju-[0-9a-f]{6}", slugs["市公安局"])
    assert re.fullmatch(r"shi-gong-an-ju-[0-9a-f]{6}", slugs["市供安局"])
    assert slugs["市公安局"] != slugs["市供安局"]
    assert re.fullmatch(r"all-[0-9a-f]{6}", slugs["All"])
    assert slugs["市民政局"] == "shi-min-zheng-ju"
    assert unit_slugs(["市供安局", "市公安局"]) == {k: slugs[k] for k in ("市供安局", "市公安局")}


def test_names_without_letters_and_long_names():
    assert re.fullmatch(r"unit-[0-9a-f]{6}", unit_slug("（）——"))
    long = "市" + "人力资源和社会保障" * 8 + "局"
    slug = unit_slug(long)
    assert len(slug) <= 70 and re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{6}", slug)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=20, unique=True))
def test_slugs_are_ascii_unique_and_stable(names):
    slugs = unit_slugs(names)
    assert len(set(slugs.values())) == len(names)
    for name, slug in slugs.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), (name, slug)
        assert slug != "all"
    assert unit_slugs(list(reversed(names))) == slugs


# --------------------------------------------------------------------------
# RRULE patterns


def _days(*texts):
    return [date.fromisoformat(t) for t in texts]


@pytest.mark.parametrize(
    "days, rule",
    [
        (_days("2015-01-10", "2015-02-10", "2015-03-10"), "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20150310"),
        (_days("2015-01-31", "2015-02-28", "2015-03-31"), "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20150331"),
        (_days("2015-01-25", "2015-04-25", "2015-07-25"), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25;UNTIL=20150725"),
        (_days("2015-04-15", "2016-04-15"), "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15;UNTIL=20160415"),
        (_days("2015-01-05", "2015-01-12", "2015-01-19"), "FREQ=WEEKLY;BYDAY=MO;UNTIL=20150119"),
        (_days("2015-01-05", "2015-01-19", "2015-02-02"), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20150202"),
        (_days("2015-01-01", "2015-01-02", "2015-01-03"), "FREQ=DAILY;UNTIL=20150103"),
        (_days("2016-02-29", "2016-03-31"), "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20160331"),
    ],
)
def test_exact_patterns_outlook_can_map(days, rule):
    assert exact_rrule(days) == rule


@pytest.mark.parametrize(
    "days",
    [
        _days("2015-01-30", "2015-02-28", "2015-03-30"),  # day 30, clamped in February
        _days("2015-01-10", "2015-02-10", "2015-03-11"),  # one rolled date
        _days("2015-04-30", "2015-08-31", "2015-11-30"),  # a month list
        _days("2015-01-10"),
        _days("2015-02-10", "2015-01-10"),
    ],
)
def test_no_rrule_where_it_would_not_be_exact(days):
    assert exact_rrule(days) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dates(date(2014, 1, 1), date(2030, 12, 31)), min_size=2, max_size=8, unique=True))
def test_an_rrule_gives_back_exactly_its_dates(days):
    days = sorted(days)
    rule = exact_rrule(days)
    if rule is not None:
        from datetime import datetime

        got = [d.date() for d in rrulestr(rule, dtstart=datetime.combine(days[0], datetime.min.time()))]
        assert got == days
        assert "UNTIL=" in rule and not re.search(r"BYMONTHDAY=(29|30|31)\b", rule)


# --------------------------------------------------------------------------
# Folding and escaping


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("a;,\\\n中文𠀋 \t"), max_size=300))
def test_folding_keeps_every_byte_and_every_character_whole(text):
    line = "DESCRIPTION:" + escape_text(text)
    data = fold(line)
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for i, part in enumerate(physical):
        assert len(part) <= 75
        part.decode("utf-8")
        if i:
            assert part.startswith(b" ")
        if i < len(physical) - 1:
            trailing = len(part) - len(part.rstrip(b"\\"))
            assert trailing % 2 == 0  # a backslash stays with what it escapes
    assert b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode() == line


def test_escape_text():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("a;,\\\n\r\x01\x7f中文𠀋 \t"), max_size=120), max_size=8))
def test_lines_folded_together_are_each_line_folded(lines):
    """A feed's lines are escaped and folded in one loop (fold_lines), text without anything
    to escape passed through: the same bytes as escaping and folding each line on its own."""
    import re

    from deadlines.ical import fold_lines

    def escaped(value: str) -> str:  # RFC 5545 3.3.11, step by step
        value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    assert [escape_text(line) for line in lines] == [escaped(line) for line in lines]
    written = ["SUMMARY:" + escape_text(line) for line in lines]
    assert fold_lines(written) == b"".join(fold(line) for line in written)


# --------------------------------------------------------------------------
# The lint


GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\nX-PUBLISHED-TTL:PT6H\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20150101T000000Z\r\nDTSTART;VALUE=DATE:20150110\r\n"
    "DTEND;VALUE=DATE:20150111\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20151210\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _problems(text: str) -> list[str]:
    return [p.message for p in lint(text.encode("utf-8"))]


def test_lint_passes_a_good_feed():
    assert _problems(GOOD) == []


@pytest.mark.parametrize(
    "change, message",
    [
        (("UID:a\r\n", ""), "VEVENT has no UID"),
        (("DTSTAMP:20150101T000000Z\r\n", ""), "VEVENT has no DTSTAMP"),
        (("DTEND;VALUE=DATE:20150111", "DTEND;VALUE=DATE:20150110"), "DTEND 20150110 is not after DTSTART 20150110"),
        (("DTEND;VALUE=DATE:20150111", "DTEND:20150111T100000"), "DTSTART and DTEND differ in value type"),
        ((";UNTIL=20151210", ""), "RRULE without UNTIL"),
        ((";UNTIL=20151210", ";UNTIL=20151210T000000Z"), "UNTIL must be a DATE when DTSTART is a DATE"),
        (("RRULE:FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20151210", "RDATE;VALUE=DATE:20150210"), "RDATE without RRULE"),
        (("SUMMARY:x", "SUMMARY:" + "长" * 30), "line is 98 octets"),
        (("DTSTART;VALUE=DATE:20150110\r\nDTEND;VALUE=DATE:20150111",
          "DTSTART;TZID=Asia/Shanghai:20150110T100000\r\nDTEND;TZID=Asia/Shanghai:20150110T110000"),
         "TZID=Asia/Shanghai has no VTIMEZONE"),
        (("\r\n", "\n"), "end with LF alone"),
        (("PRODID:-//t//t//EN\r\n", "PRODID:-//t//t//EN\r\nMETHOD:PUBLISH\r\n"), "VEVENT has no ORGANIZER"),
        (("UID:a\r\n", "UID:zsx2015-通知.1/0/2015@deadlines\r\n"), "is not ASCII letters, digits"),
        (("UID:a\r\n", "UID:zs2015-1/0/2015@deadlines\r\n"), "is not ASCII letters, digits"),
        (("REFRESH-INTERVAL;VALUE=DURATION:PT6H", "REFRESH-INTERVAL:PT6H"), "REFRESH-INTERVAL needs ;VALUE=DURATION"),
        (("X-PUBLISHED-TTL:PT6H", "X-PUBLISHED-TTL:6:00:00"), "X-PUBLISHED-TTL is not a duration"),
        (("END:VEVENT\r\n", "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20150101T000000Z\r\n"
          "DTSTART;VALUE=DATE:20150301\r\nEND:VEVENT\r\n"), "UID a also used on line 7"),
        (("END:VCALENDAR\r\n", ""), "BEGIN:VCALENDAR is never closed"),
    ],
)
def test_lint_finds_what_parsers_accept(change, message):
    old, new = change
    broken = GOOD.replace(old, new)
    assert broken != GOOD
    assert any(message in p for p in _problems(broken)), _problems(broken)


def test_folded_lines_are_read_whole():
    folded = GOOD.replace("SUMMARY:x", fold("SUMMARY:" + "长" * 30).decode().rstrip("\r\n"))
    assert _problems(folded) == []


# --------------------------------------------------------------------------
# The CLI


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_build_then_lint(capsys, tmp_path):
    code, out, err = run(capsys, "build", "--rules", "rules", "--out", tmp_path, "--today", "2015-07-08",
                         "--base-url", "https://example.org/deadlines/", "--alarm", "1d12h")
    assert code == 0, err
    assert "数据版本" in out
    index = json.loads((tmp_path / "feeds" / "index.json").read_text(encoding="utf-8"))
    feeds = [tmp_path / "feeds" / "all.ics"] + [tmp_path / row["file"] for row in index["units"].values()]
    assert b"TRIGGER:-P1DT12H" in feeds[0].read_bytes()
    code, out, err = run(capsys, "lint", *feeds)
    assert code == 0, out + err
    assert out.count(": 正常") == len(feeds)


def test_build_with_a_window(capsys, tmp_path):
    code, _, err = run(capsys, "build", "--out", tmp_path, "--from", "2015-07-01", "--to", "2015-07-31")
    assert code == 0, err
    index = json.loads((tmp_path / "feeds" / "index.json").read_text(encoding="utf-8"))
    assert index["window"] == {"from": "2015-07-01", "to": "2015-07-31"}
    starts = re.findall(rb"DTSTART;VALUE=DATE:(\d{8})", (tmp_path / "feeds" / "all.ics").read_bytes())
    assert starts and all(b"20150701" <= s <= b"20150731" for s in starts)


def test_lint_reports_problems_with_file_and_line(capsys, tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(GOOD.replace("UID:a\r\n", "").encode())
    code, out, _ = run(capsys, "lint", bad)
    assert code == 1
    assert out.strip() == f"{bad}:6: VEVENT has no UID"


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "--out", "{tmp}", "--alarm", "soon"], "不是时长：'soon'"),
        (["build", "--out", "{tmp}", "--alarm", "0d"], "提醒应在事件之前一段时间"),
        (["build", "--out", "{tmp}", "--from", "2015-08-01", "--to", "2015-07-01"], "时间窗口的开始 2015-08-01 晚于结束 2015-07-01"),
        (["build", "--out", "{tmp}/file"], "是文件"),
        (["build", "--rules", "{tmp}/none", "--out", "{tmp}/site"], "no such file or folder"),
        (["lint", "{tmp}/missing.ics"], "无法读取"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, tmp_path, args, message):
    (tmp_path / "file").write_text("x")
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert err.startswith("deadlines: ") and err.count("\n") == 1 and message in err, err


def test_alarm_spans():
    from deadlines.cli import _Span
    from deadlines.ical import duration_text

    span = _Span()
    assert span.convert("3d", None, None) == timedelta(days=3)
    assert span.convert("1w", None, None) == timedelta(weeks=1)
    assert span.convert("2h30m", None, None) == timedelta(hours=2, minutes=30)
    assert span.convert("PT12H", None, None) == timedelta(hours=12)
    assert span.convert("P1DT2H", None, None) == timedelta(days=1, hours=2)
    cases = {
        timedelta(days=3): "P3D",
        timedelta(hours=12): "PT12H",
        timedelta(days=1, hours=12): "P1DT12H",
        timedelta(days=1, hours=2, minutes=30): "P1DT2H30M",
        timedelta(minutes=1, seconds=5): "PT1M5S",
        timedelta(0): "PT0S",
    }
    for span_value, text in cases.items():
        assert duration_text(span_value) == text
        if span_value and not span_value.seconds % 60:
            assert span.convert(text, None, None) == span_value
