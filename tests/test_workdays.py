"""The official working-day calendar: the cases that matter, and its properties."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines import CalendarDataMissing, RulesFileError, WorkCalendar

FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)


def assert_workday(cal: WorkCalendar, d: date) -> None:
    assert cal.is_workday(d), f"{d} should be a working day"


def assert_rest_day(cal: WorkCalendar, d: date) -> None:
    assert not cal.is_workday(d), f"{d} should be a rest day"


# -- the cases that matter -------------------------------------------------


def test_saturday_plus_two_counts_the_tiaoxiu_sunday(calendar):
    # Sunday 2016-09-18 was a working day (中秋 调休); chinese_calendar's
    # find_workday would give 09-20 by first moving Saturday to Monday.
    assert calendar.add_workdays(date(2016, 9, 17), 2) == date(2016, 9, 19)
    assert calendar.add_workdays(date(2016, 9, 17), 1) == date(2016, 9, 18)
    assert chinese_calendar.find_workday(2, date(2016, 9, 17)) == date(2016, 9, 20)


def test_national_day_week_is_skipped(calendar):
    assert calendar.add_workdays(date(2015, 9, 30), 2) == date(2015, 10, 9)
    assert calendar.add_workdays(date(2015, 9, 30), 20) == date(2015, 11, 3)


def test_2020_spring_festival_extension(calendar):
    # 国办发明电〔2020〕1号 extended the holiday to 2020-02-02.
    for d in (date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 2)):
        assert_rest_day(calendar, d)
    assert calendar.roll_forward(date(2020, 1, 31)) == date(2020, 2, 3)
    assert calendar.add_workdays(date(2020, 1, 23), 1) == date(2020, 2, 3)


def test_2005_12_31_is_a_working_saturday_by_override(calendar):
    assert chinese_calendar.is_workday(date(2005, 12, 31)) is False  # the upstream error
    assert_workday(calendar, date(2005, 12, 31))
    notice = calendar.overridden[date(2005, 12, 31)]
    assert notice.notice == "国办发明电〔2005〕35号"
    assert "2006: 国办发明电〔2005〕35号" in calendar.data_version
    assert "chinese-calendar 1.11.0" in calendar.data_version


def test_2027_is_missing_and_says_so(calendar):
    with pytest.raises(CalendarDataMissing) as err:
        calendar.is_workday(date(2027, 1, 4))
    assert err.value.year == 2027
    assert "2027" in str(err.value)
    with pytest.raises(CalendarDataMissing) as err:
        calendar.add_workdays(date(2026, 12, 28), 10)  # runs past 2026-12-31
    assert err.value.year == 2027
    with pytest.raises(CalendarDataMissing):
        calendar.workdays_between(date(2026, 12, 1), date(2027, 1, 5))
    with pytest.raises(CalendarDataMissing) as err:
        calendar.is_workday(date(2003, 6, 2))
    assert err.value.year == 2003


def test_provisional_counts_weekends_and_says_so():
    cal = WorkCalendar(provisional=True)
    due = cal.add_workdays(date(2026, 12, 28), 10)
    # 12-29, 12-30, 12-31 (official data), then weekends only: 01-01, 01-04…08, 01-11
    assert due == date(2027, 1, 11)
    assert cal.is_provisional(date(2026, 12, 28), due)
    assert not cal.is_provisional(date(2026, 1, 1), date(2026, 12, 31))
    assert cal.is_workday(date(2027, 1, 1))  # no data: a Friday is assumed to be worked
    assert cal.add_workdays(date(2004, 1, 5), -2) == date(2003, 12, 31)  # 01-02 is -1
    assert cal.is_provisional(date(2003, 12, 31), date(2004, 1, 5))


def test_negative_and_zero(calendar):
    assert calendar.add_workdays(date(2015, 10, 8), -1) == date(2015, 9, 30)
    assert calendar.add_workdays(date(2016, 9, 19), -1) == date(2016, 9, 18)
    assert calendar.add_workdays(date(2015, 10, 3), 0) == date(2015, 10, 3)
    assert calendar.workdays_between(date(2015, 9, 30), date(2015, 10, 9)) == 2
    assert calendar.workdays_between(date(2015, 10, 9), date(2015, 9, 30)) == -2
    assert calendar.roll_forward(date(2015, 10, 1)) == date(2015, 10, 8)
    assert calendar.roll_forward(date(2015, 10, 10)) == date(2015, 10, 10)  # a 调休 Saturday


def test_day_names(calendar):
    assert calendar.day_name(date(2015, 10, 1)) == "国庆节"
    assert calendar.day_name(date(2016, 9, 18)) == "中秋调休上班"
    assert calendar.day_name(date(2015, 10, 12)) == ""


# -- override files --------------------------------------------------------


def _override(tmp_path, text: str):
    folder = tmp_path / "calendars"
    folder.mkdir(exist_ok=True)
    path = folder / "2027.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder, path


def test_an_override_file_adds_a_year(tmp_path):
    # A made-up schedule for a test year: the mechanism, not real data.
    folder, _ = _override(
        tmp_path,
        """
        year: 2027
        notice: 测试通知〔2026〕1号
        rest_days:
          - {date: 2027-01-01, name: 元旦}
          - {from: 2027-02-05, to: 2027-02-11, name: 春节}
        workdays:
          - {date: 2027-02-13, name: 春节}
        """,
    )
    cal = WorkCalendar(override_dirs=[folder])
    assert 2027 in cal.covered_years()
    assert_rest_day(cal, date(2027, 1, 1))
    assert_rest_day(cal, date(2027, 2, 8))
    assert_workday(cal, date(2027, 2, 13))
    assert_workday(cal, date(2027, 3, 1))
    assert cal.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 12)
    assert cal.day_name(date(2027, 2, 8)) == "春节"
    assert "2027: 测试通知〔2026〕1号" in cal.data_version
    assert not cal.is_provisional(date(2027, 1, 1), date(2027, 12, 31))
    with pytest.raises(CalendarDataMissing) as err:
        cal.is_workday(date(2028, 1, 3))
    assert err.value.year == 2028


def test_a_bad_override_file_names_its_line(tmp_path):
    folder, path = _override(
        tmp_path,
        """
        year: 2027
        notice: 测试通知〔2026〕1号
        rest_days:
          - {date: 2027-01-01}
          - {date: 2027-02-30}
        """,
    )
    with pytest.raises(RulesFileError) as err:
        WorkCalendar(override_dirs=[folder])
    assert err.value.line == 5
    # the same wording as rule files: both go through yamlio.validate
    assert str(err.value).startswith(f"{path}:5: rest_days[1].date: 不是有效日期：'2027-02-30'")


def test_an_override_file_rejects_unknown_fields(tmp_path):
    folder, path = _override(
        tmp_path,
        """
        year: 2027
        notice: 测试通知〔2026〕1号
        workdays:
          - {date: 2027-02-13, nmae: 春节}
        """,
    )
    with pytest.raises(RulesFileError) as err:
        WorkCalendar(override_dirs=[folder])
    assert (err.value.line, err.value.field, err.value.reason) == (4, "workdays[0].nmae", "未知字段")


def test_an_override_file_needs_its_notice(tmp_path):
    folder, path = _override(tmp_path, "year: 2027\nrest_days: []\n")
    with pytest.raises(RulesFileError, match="notice"):
        WorkCalendar(override_dirs=[folder])


# -- properties ------------------------------------------------------------


def test_table_agrees_with_chinese_calendar_on_every_covered_day(calendar):
    d, differ = FIRST, []
    while d <= LAST:
        if d not in calendar.overridden and calendar.is_workday(d) != chinese_calendar.is_workday(d):
            differ.append(d)
        d += timedelta(days=1)
    assert differ == []
    assert set(calendar.overridden) == {date(2005, 12, 31)}


days = st.dates(min_value=date(2004, 3, 1), max_value=date(2026, 9, 30))
steps = st.integers(min_value=-40, max_value=40)


@given(d=days, n=steps)
def test_add_workdays_lands_on_a_working_day(calendar, d, n):
    result = calendar.add_workdays(d, n)
    if n == 0:
        assert result == d
    else:
        assert calendar.is_workday(result)
        assert (result > d) if n > 0 else (result < d)


@given(d=days, n=steps)
def test_add_workdays_is_strictly_increasing(calendar, d, n):
    assert calendar.add_workdays(d, n) < calendar.add_workdays(d, n + 1)


@given(d=days, n=steps.filter(lambda n: n != 0))
def test_add_workdays_agrees_with_workdays_between(calendar, d, n):
    assert calendar.workdays_between(d, calendar.add_workdays(d, n)) == n


@settings(max_examples=50)
@given(d=days, n=st.integers(min_value=1, max_value=25))
def test_add_workdays_agrees_with_a_day_by_day_count(calendar, d, n):
    # The slow, obvious reading of "the nth working day after d".
    x, left = d, n
    while left:
        x += timedelta(days=1)
        # chinese_calendar, plus the one override (a working Saturday)
        if chinese_calendar.is_workday(x) or x in calendar.overridden:
            left -= 1
    assert calendar.add_workdays(d, n) == x


def test_a_fresh_provisional_calendar_answers_is_workday_past_its_data():
    # The first question past the data grows the table; it must be answered
    # from the grown table (2027-01-20 is a Wednesday, 2027-01-23 a Saturday).
    assert WorkCalendar(provisional=True).is_workday(date(2027, 1, 20)) is True
    assert WorkCalendar(provisional=True).is_workday(date(2027, 1, 23)) is False
