"""The State Council's holiday notices, 2008–2026, read into exactly their days.

Truth: tests/notices/YYYY.expected.yaml (chinese-calendar 1.11.0's data for the
year, with what each supplement changed), and chinese-calendar itself.  Where
the package and a notice disagree, the notice wins and the test names the
difference (KNOWN_DIFFERENCES: none for 2008–2026).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from deadlines.holidays import differences, read_notice_file
from deadlines.holidays.notice import (
    NoticeError,
    NoticeIncomplete,
    amend,
    days_of,
    notice_json,
    read_notice,
    vocabulary,
)
from deadlines.workdays import notice_year

from notice_text import Item, add_noise, render, traditional_with_pinyin

NOTICES = Path(__file__).parent / "notices"
YEARS = list(range(2008, 2027))
COMPLETE = [y for y in YEARS if y != 2009]  # 2009.txt is cut off inside item 六
SUPPLEMENTS = (2015, 2019, 2020)
# Days where chinese-calendar and the notices (with their supplements) disagree, by year.
# The notice wins; a difference found here must be added with the notice's words.
KNOWN_DIFFERENCES: dict[int, list[str]] = {}


def expected(year: int) -> dict:
    return YAML(typ="safe", pure=True).load((NOTICES / f"{year}.expected.yaml").read_text(encoding="utf-8"))


def read(name: str):
    return read_notice((NOTICES / name).read_text(encoding="utf-8"), source=name)


def as_published(truth: dict) -> tuple[list[date], list[date]]:
    """What the yearly notice itself says (the supplements undone)."""
    src = truth.get("as_first_published") or truth
    return sorted(src["rest_days"]), sorted(src["working_weekends"])


def iso(days) -> list[str]:
    return [d.isoformat() for d in sorted(days)]


# --------------------------------------------------------------------------
# Every notice, its days exactly


@pytest.mark.parametrize("year", COMPLETE)
def test_each_notice_reads_to_exactly_its_days(year):
    truth = expected(year)
    reading = read(f"{year}.txt")
    rest, working = as_published(truth)
    assert reading.year == year and reading.kind == "yearly"
    assert reading.rest_days == rest, f"{year}: rest days"
    assert reading.working_days == working, f"{year}: working days"
    number = truth.get("document_number_normalized") or truth["document_number"]
    assert reading.document_number == number
    assert reading.issued == truth["issued"]
    holidays = {n for h in reading.holidays for n in h.names}
    assert holidays == set(vocabulary().canonical)


def test_the_2009_copy_is_reported_cut_off_with_the_days_it_has():
    truth = expected(2009)
    with pytest.raises(NoticeIncomplete) as err:
        read("2009.txt")
    assert err.value.line == 16 and "截断" in str(err.value) and "2009.txt:16" in str(err.value)
    partial = err.value.reading
    gaps = truth["text_gaps"]["2009.txt"]
    assert partial.rest_days == sorted(set(truth["rest_days"]) - set(gaps.get("rest_days", [])))
    assert partial.working_days == sorted(set(truth["working_weekends"]) - set(gaps["working_weekends"]))


def test_a_copy_cut_off_before_a_holiday_names_the_holiday():
    truth = expected(2008)
    with pytest.raises(NoticeIncomplete) as err:
        read("2008.alt-truncated.txt")
    messages = [p.message for p in err.value.problems]
    assert any("国庆节" in m for m in messages) and any("截断" in m for m in messages)
    gaps = truth["text_gaps"]["2008.alt-truncated.txt"]
    partial = err.value.reading
    assert partial.rest_days == sorted(set(truth["rest_days"]) - set(gaps["rest_days"]))
    assert partial.working_days == sorted(set(truth["working_weekends"]) - set(gaps["working_weekends"]))


def test_a_damaged_date_is_an_error_naming_its_line():
    with pytest.raises(NoticeError) as err:
        read("2017.alt-damaged.txt")
    assert err.value.line == 20 and "0月1日" in str(err.value)
    partial = err.value.reading
    assert not any(date(2017, 10, 1) <= d <= date(2017, 10, 8) for d in partial.rest_days)


@pytest.mark.parametrize("name", ["2012.alt-traditional-pinyin.txt", "2020.alt-traditional-pinyin.txt"])
def test_traditional_copies_with_pinyin_read_as_the_notice(name):
    year = int(name[:4])
    alt, clean = read(name), read(f"{year}.txt")
    assert (alt.rest_days, alt.working_days) == (clean.rest_days, clean.working_days)
    assert [h.names for h in alt.holidays] == [h.names for h in clean.holidays]
    if year == 2012:
        assert (alt.document_number, alt.issued) == ("国办发明电〔2011〕45号", date(2011, 12, 5))
    else:  # cut off after the last item: the days are complete, the closing is missing and said so
        assert alt.issued is None and any("落款" in w for w in alt.warnings)


@pytest.mark.parametrize("year", SUPPLEMENTS)
def test_a_supplement_gives_what_it_changed(year):
    truth = expected(year)
    (change,) = truth["amended_by"]
    base = read(f"{year}.txt")
    supplement = read(f"{year}.supplement.txt")
    assert supplement.kind == "supplement" and supplement.year == year
    assert supplement.issued == change["issued"]
    if year != 2020:  # 国办发明电〔2020〕1号 is not in the saved text (a news wire copy)
        assert supplement.document_number == change["document_number"]
    amendment = amend(supplement, days_of(base.holidays))
    out = notice_json(supplement, amendment)
    assert out["rest_days"] == iso(d for d in change["rest_days_added"] if d.weekday() < 5)
    assert out["working_days"] == iso(change["working_weekends_added"])
    assert out["removes"] == {"rest_days": iso(change["rest_days_removed"]),
                              "working_days": iso(change["working_weekends_removed"])}
    # the notice and its supplement together: the year as it was kept
    rest = (set(base.rest_days) | set(amendment.rest_days)) - set(amendment.removed_rest_days)
    work = (set(base.working_days) | set(amendment.working_days)) - set(amendment.removed_working_days)
    assert (sorted(rest), sorted(work)) == (truth["rest_days"], truth["working_weekends"])


def _package_year(year: int) -> tuple[set[date], set[date]]:
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    rest = {d for d, n in chinese_calendar.holidays.items() if notice_year(d, names[n]) == year and d.weekday() < 5}
    work = {d for d, n in chinese_calendar.workdays.items() if notice_year(d, names[n]) == year and d.weekday() >= 5}
    return rest, work


@pytest.mark.parametrize("year", COMPLETE)
def test_the_notices_agree_with_chinese_calendar_and_a_difference_is_named(year):
    reading = read(f"{year}.txt")
    rest, work = set(reading.rest_days), set(reading.working_days)
    if year in SUPPLEMENTS:
        amendment = amend(read(f"{year}.supplement.txt"), days_of(reading.holidays))
        rest = (rest | set(amendment.rest_days)) - set(amendment.removed_rest_days)
        work = (work | set(amendment.working_days)) - set(amendment.removed_working_days)
    pkg_rest, pkg_work = _package_year(year)
    found = [f"{d}: notice rest, package working" for d in sorted(rest - pkg_rest)]
    found += [f"{d}: package rest, notice working" for d in sorted(pkg_rest - rest)]
    found += [f"{d}: notice working weekend, package rest" for d in sorted(work - pkg_work)]
    found += [f"{d}: package working weekend, notice rest" for d in sorted(pkg_work - work)]
    assert found == KNOWN_DIFFERENCES.get(year, []), f"{year}: the notice and chinese-calendar differ"


def test_the_library_names_where_a_yearly_notice_differs_from_the_package():
    # 2020.txt alone: the package has the later extension in it (1月31日, 2月1日).
    assert differences(read("2020.txt")) == [
        "2020-01-31：通知为工作日，chinese-calendar 放假",
        "2020-02-01：通知调休上班，chinese-calendar 为休息日",
    ]
    assert differences(read("2026.txt")) == []


def test_the_json_contract_of_a_yearly_notice():
    out = notice_json(read("2026.txt"))
    assert list(out) == ["year", "document_number", "issued", "rest_days", "working_days"]
    assert out["year"] == 2026 and out["document_number"] == "国办发明电〔2025〕7号" and out["issued"] == "2025-11-04"
    assert out["working_days"] == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert all(date.fromisoformat(d).weekday() < 5 for d in out["rest_days"])


# --------------------------------------------------------------------------
# What the reader checks


CLEAN = (NOTICES / "2026.txt").read_text(encoding="utf-8")


def _broken(old: str, new: str) -> str:
    assert old in CLEAN
    return CLEAN.replace(old, new)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, words", [
    ("共9天", "共8天", "写明共8天"),  # a stated count that is not the days listed
    ("2月14日(周六)", "2月13日(周六)", "不是星期六"),  # a weekday that is not the date's
    ("5月9日(周六)上班", "5月8日上班", "不是周末"),  # a working day on a Friday
    ("5月1日(周五)至5日(周二)放假调休,共5天", "5月1日放假,5月6日(周三)补休", "不连续"),
    ("9月20日(周日)、10月10日(周六)上班", "9月20日(周日)、10月10日(周六)上班,9月30日下午休息半天", "无法识别"),
    ("10月1日(周四)至7日(周三)放假调休,共7天", "11月1日至7日放假调休,共7天", "可能的日期范围"),
    ("2月28日(周六)上班", "2月28日(周六)、2月16日(周一)上班", "不是周末"),
])
def test_a_notice_that_does_not_add_up_is_an_error_naming_its_line(old, new, words):
    text = _broken(old, new)
    with pytest.raises(NoticeError) as err:
        read_notice(text, source="n.txt")
    assert words in str(err.value)
    assert err.value.line == _line_of(text, new[:6])
    assert str(err.value).startswith(f"n.txt:{err.value.line}: ")


def test_a_date_outside_the_items_is_not_guessed():
    text = _broken("经国务院批准,", "另:3月8日妇女节放假半天。\n经国务院批准,")
    with pytest.raises(NoticeError) as err:
        read_notice(text, source="n.txt")
    assert "不属于任何一项" in str(err.value) and err.value.line == _line_of(text, "妇女节")


def test_a_missing_holiday_is_named():
    text = "\n".join(line for line in CLEAN.splitlines() if not line.startswith("五、端午节"))
    with pytest.raises(NoticeIncomplete) as err:
        read_notice(text, source="n.txt")
    assert "缺少端午节" in str(err.value)
    assert "2026-06-19" not in notice_json(err.value.reading)["rest_days"]


def test_a_rest_day_only_encouraged_is_not_a_rest_day():
    # 2024: "鼓励各单位…安排职工在除夕（2月9日）休息" -- a Friday that stays a working day
    assert date(2024, 2, 9) not in read("2024.txt").rest_days


def test_the_long_form_binds_shangban_to_the_list_before_it():
    # 2008: "2月9日、2月10日照常公休，将2月2日、2月3日两个公休日调至…。2月2日、2月3日上班"
    reading = read("2008.txt")
    assert date(2008, 2, 2) in reading.working_days and date(2008, 2, 9) not in reading.working_days


def test_a_bare_december_date_of_a_yearly_notice_is_the_year_before():
    reading = read("2008.txt")
    assert date(2007, 12, 29) in reading.working_days and date(2007, 12, 31) in reading.rest_days


# --------------------------------------------------------------------------
# Properties: noise does not change a notice; a notice written from data reads back to it


@st.composite
def schedules(draw):
    """A year's seven holidays (中秋节 and 国庆节 as one item or two) with working weekends."""
    vocab = vocabulary()
    year = draw(st.integers(2030, 2090))

    def window(name):
        (m0, d0), (m1, d1) = vocab.windows[name]
        return date(year - 1 if m0 > m1 else year, m0, d0), date(year, m1, d1)

    def span(lo, hi, length):
        room = (hi - lo).days - length + 1
        start = lo + timedelta(days=draw(st.integers(0, room)))
        return tuple(start + timedelta(days=i) for i in range(length))

    plan = [("元旦", 1, 3), ("春节", 3, 10), ("清明节", 1, 3), ("劳动节", 1, 5), ("端午节", 1, 3)]
    items = [(name, span(*window(name), draw(st.integers(lo, hi)))) for name, lo, hi in plan]
    if draw(st.booleans()):
        name = draw(st.sampled_from(["中秋节、国庆节", "国庆节、中秋节"]))
        items.append((name, span(date(year, 9, 25), date(year, 10, 8), 8)))
    else:
        items.append(("中秋节", span(date(year, 9, 5), date(year, 9, 23), draw(st.integers(1, 3)))))
        items.append(("国庆节", span(date(year, 9, 29), date(year, 10, 9), 7)))
    rest = {d for _, days in items for d in days}
    taken: set[date] = set()
    out = []
    for name, days in items:
        near = [days[0] + timedelta(days=k) for k in range(-vocab.working_within, len(days) + vocab.working_within)]
        weekend = [d for d in near if d.weekday() >= 5 and d not in rest and d not in taken]
        working = sorted(draw(st.lists(st.sampled_from(weekend), max_size=2, unique=True)) if weekend else [])
        taken.update(working)
        out.append(Item(name, days, tuple(working)))
    return year, out


def _same(reading, year, items):
    assert reading.year == year
    got = [(h.name, h.rest, h.working) for h in reading.holidays]
    assert got == [(i.name, i.rest, i.working) for i in sorted(items, key=lambda i: i.rest[0])]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.integers(0, 2**32))
def test_a_notice_written_from_holiday_data_reads_back_to_it(schedule, seed):
    year, items = schedule
    rng = random.Random(seed)  # the wording: forms, weekday notes, punctuation
    issued = date(year - 1, 11, rng.randint(1, 30))
    text = render(year, items, rng, number=f"国办发明电〔{year - 1}〕{rng.randint(1, 40)}号", issued=issued)
    reading = read_notice(text, source="generated.txt")
    _same(reading, year, items)
    assert reading.issued == issued and reading.document_number.startswith(f"国办发明电〔{year - 1}〕")


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.integers(0, 2**32))
def test_mirror_noise_and_traditional_characters_do_not_change_a_notice(schedule, seed):
    year, items = schedule
    rng = random.Random(seed)  # the wording and the noise
    text = render(year, items, rng, number=f"国办发明电〔{year - 1}〕7号", issued=date(year - 1, 11, 4))
    clean = read_notice(text)
    for variant in (add_noise(text, rng), traditional_with_pinyin(text, rng),
                    add_noise(traditional_with_pinyin(text, rng), rng)):
        noisy = read_notice(variant)
        assert (noisy.rest_days, noisy.working_days) == (clean.rest_days, clean.working_days), variant
        assert (noisy.document_number, noisy.issued) == (clean.document_number, clean.issued), variant
        _same(noisy, year, items)


@settings(max_examples=40)
@given(st.sampled_from(["2008.txt", "2009.txt", "2014.txt", "2019.txt", "2025.txt", "2019.supplement.txt"]),
       st.integers(0, 2**32))
def test_noise_on_real_notices_changes_nothing(name, seed):
    rng = random.Random(seed)
    text = (NOTICES / name).read_text(encoding="utf-8")

    def outcome(t):
        try:
            r = read_notice(t)
        except NoticeError as exc:
            r = exc.reading
            # line numbers move with the noise lines; the problems themselves do not
            return type(exc).__name__, notice_json(r), [re.sub(r"第\d+行", "", p.message) for p in exc.problems]
        return "ok", notice_json(r), list(r.warnings)

    assert outcome(add_noise(text, rng)) == outcome(text)


# --------------------------------------------------------------------------
# Saved files: encodings and web pages


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"])
def test_a_notice_saved_in_any_common_encoding(tmp_path, encoding):
    path = tmp_path / "2026.txt"
    text = CLEAN.replace(",", "，").replace(":", "：")  # full-width, as the notice itself writes
    path.write_bytes(text.encode(encoding))
    assert notice_json(read_notice_file(path)) == notice_json(read("2026.txt"))


def test_a_saved_web_page_in_its_declared_charset_without_hidden_noise(tmp_path):
    body = "".join(
        f'<p>{line}<font class="jammer">x9 K{i}月3日</font><span style="display:none">{i}日放假</span></p>\n'
        for i, line in enumerate(CLEAN.splitlines()[2:]) if line.strip()
    )
    page = ('<!-- saved from url=(0062)https://www.gov.cn/zhengce/content/2025-11/04/content_1.htm -->\n'
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            '<title>国务院办公厅关于2026年部分节假日安排的通知</title><script>var d="1月1日放假";</script></head>'
            f'<body><div class="nav">首页 &gt; 政策</div>{body}</body></html>')
    path = tmp_path / "notice.html"
    path.write_bytes(page.encode("gb18030"))
    reading = read_notice_file(path)
    assert notice_json(reading) == notice_json(read("2026.txt"))
    assert reading.url == "https://www.gov.cn/zhengce/content/2025-11/04/content_1.htm"


def test_bytes_that_are_no_text_are_an_error(tmp_path):
    from deadlines.textfile import TextFileError

    path = tmp_path / "x.txt"
    path.write_bytes(b"\x81\x30\xff\xfe\xfd" * 10)
    with pytest.raises(TextFileError) as err:
        read_notice_file(path)
    assert str(path) in str(err.value)


def test_a_government_page_with_its_facts_block(tmp_path):
    """A page as gov.cn lays it out: menus, a block of facts with dates, the notice, a footer."""
    facts = ["首页 | 政策", "春节", "标题:国务院办公厅关于2026年部分节假日安排的通知", "发文字号:国办发明电〔2025〕7号",
             "成文日期:2025年11月04日", "发布日期:2025年11月04日", "2025年11月04日 22:15 来源:新华社",
             "2025年11月04日"]
    lines = [*facts, *CLEAN.splitlines()[2:], "【我要纠错】 责任编辑:某某 2025年11月05日 放假安排专题"]
    page = "<html><head><meta charset='utf-8'></head><body>" + "".join(
        f"<div>{line}</div>" for line in lines) + "</body></html>"
    path = tmp_path / "content_1.htm"
    path.write_text(page, encoding="utf-8")
    assert notice_json(read_notice_file(path)) == notice_json(read("2026.txt"))


def test_a_news_summary_with_every_item_in_one_paragraph():
    # as news sites summarise it: "经国务院批准，元旦：…上班。春节：…" on one line
    text = (NOTICES / "2015.txt").read_text(encoding="utf-8")
    items = [line.split("、", 1)[1].strip() for line in text.splitlines() if line[:2] in {f"{n}、" for n in "一二三四五六七"}]
    summary = "据中国政府网消息,经国务院批准,2015年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假安排如下:" + "".join(items)
    reading = read_notice(summary)
    assert (reading.rest_days, reading.working_days) == (read("2015.txt").rest_days, read("2015.txt").working_days)
