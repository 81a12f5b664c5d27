"""Issue #16, the reader, engine and calendar rows: only DeadlineError, no quadratic path, no dropped year.

Each test names the row of the issue's table it answers.  The million-phrase
run is ``bench/fuzz_phrases.py`` (not the suite); the properties here cover
the same mutation classes with fewer examples.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from deadlines import DeadlineError, WorkCalendar, expand, parse_phrase
from deadlines.errors import DateOutOfRange, PhraseError
from deadlines.model import Obligation, Plan, RecurringRule, TriggerEvent
from deadlines.phrasereport import read_and_date
from deadlines.render import explain
from deadlines.workdays import YEARS

HERE = Path(__file__).resolve().parent
REAL = sorted({case["text"] for path in sorted((HERE / "phrases").glob("*.yaml"))
               for case in YAML(typ="safe", pure=True).load(path)["cases"]})


@pytest.fixture(scope="module")
def provisional():
    return WorkCalendar(provisional=True)


def _expand_everywhere(rules, year: int, calendar: WorkCalendar) -> None:
    """Expand ``rules`` over the plan year and over every date there is, with
    ordinary and extreme events; anything but DeadlineError fails the test."""
    plan = Plan(id="p", title="t", year=year, issued=date(year, 6, 1),
                obligations=[Obligation(id="o", title="t", rules=rules)])
    ordinary = [TriggerEvent(obligation="o", on=on) for on in (date(year, 9, 30), datetime(year, 9, 2, 10))]
    runs = [((date(year, 1, 1), date(year, 12, 31)), ordinary), ((date.min, date.max), ordinary)]
    runs += [((date(year, 1, 1), date(year, 12, 31)), [TriggerEvent(obligation="o", on=on)])
             for on in (date.max, date.min, datetime.max, datetime.min)]
    for window, events in runs:
        try:
            expand(plan, *window, calendar=calendar, triggers=events)
        except DeadlineError:
            pass


def _read_and_expand(text: str, year: int, calendar: WorkCalendar) -> None:
    try:
        rules = parse_phrase(text, year=year, issued=date(year, 6, 1))
    except DeadlineError:
        return
    _expand_everywhere(rules, year, calendar)


# -- row 1: the reader on generated text ---------------------------------------

PIECES = ["年", "月", "日", "前", "后", "内", "底", "初", "每", "季度", "周", "工作日", "小时", "个", "至", "-", "、",
          "；", "，", "（", ")", "待", "按", "第", "次月", "次年", "十", "廿", "24时", "\n", " ", "之日起", "结束后",
          "遇节假日顺延", "本方案印发后", "年度", "季后", "月后", "免报"]
NUMBERS = st.sampled_from(["0", "0000", "0001", "13", "31", "32", "99", "1899", "2201", "9999", "10000",
                           "99999999", "18446744073709551616"]) | st.integers(0, 3000).map(str)
HUGE = st.integers(10, 5000).map(lambda n: "9" * n)
CONTROL = st.sampled_from([chr(c) for c in range(32)] + ["\x7f", "\u200b", "\ufeff", "\u2028", "\ud800"])
YEARS_OF_PLANS = st.sampled_from([1949, 2015, 2200])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=60), year=YEARS_OF_PLANS)
def test_arbitrary_text_gives_only_deadline_errors_in_reader_and_engine(text, year, provisional):
    _read_and_expand(text, year, provisional)


@st.composite
def mutated_real_phrase(draw):
    chars = list(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(chars)))
        insert = draw(st.sampled_from(PIECES) | NUMBERS | HUGE | CONTROL | st.characters())
        if draw(st.booleans()) and chars:
            chars[min(at, len(chars) - 1)] = insert
        else:
            chars[at:at] = [insert]
    return "".join(chars)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=mutated_real_phrase(), year=YEARS_OF_PLANS)
def test_mutations_of_every_real_phrase_give_only_deadline_errors(text, year, provisional):
    _read_and_expand(text, year, provisional)


TEMPLATES = ["{y}年{m}月{d}日前", "{y}年{m}月底前", "{y}年内", "{y}年初", "{y}年度内", "自{y}年起", "争取{y}年底前",
             "{y}年{m}月至{d}月", "{y}年第{m}季度", "{y}年{m}月{d}日至{y}年{m}月{d}日", "每月{d}日前", "次年{m}月{d}日前",
             "{m}月{d}日{d}时前", "审批后{d}个工作日内", "本方案印发后{d}个工作日内", "每{d}周", "次月{d}个工作日内",
             "每季度结束后{d}日内", "每月第{d}个工作日", "应在{d}小时内", "每月{m}-{d}日", "{y}年{m}月{d}日前（另一读法：{y}年{d}月{m}日）"]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(template=st.sampled_from(TEMPLATES), y=NUMBERS | HUGE, m=NUMBERS, d=NUMBERS | HUGE, year=YEARS_OF_PLANS)
def test_extreme_years_and_huge_numbers_give_only_deadline_errors(template, y, m, d, year, provisional):
    _read_and_expand(template.format(y=y, m=m, d=d), year, provisional)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(base=st.sampled_from(REAL), noise=st.lists(CONTROL, min_size=1, max_size=5), at=st.integers(0, 40))
def test_control_characters_give_only_deadline_errors(base, noise, at, provisional):
    _read_and_expand(base[:at] + "".join(noise) + base[at:], 2015, provisional)


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(unit=st.sampled_from(["1", " ", "\u3000", "一", "十", "年", "(", "每月", "1月、", "审批后", "2016年", *REAL[:5]]))
def test_ten_thousand_character_runs_give_only_deadline_errors(unit, provisional):
    _read_and_expand((unit * (10000 // len(unit) + 1))[:10000], 2015, provisional)


@pytest.mark.parametrize("text, reason", [
    ("0001年1月前", "年份超出范围：0001"),
    ("9999年12月底前", "年份超出范围：9999"),
    ("自0000年起", "年份超出范围：0000"),
    ("争取2201年底前", "年份超出范围：2201"),
    ("2015年3月至2301年6月", "年份超出范围：2301"),
    ("审批后" + "9" * 5000 + "日内", "期限超出范围"),     # past Python's 4,300-digit limit for int()
    ("次月" + "9" * 5000 + "个工作日内", "期限超出范围"),
    ("每99999999999周", "期限超出范围"),
])
def test_years_and_offsets_are_bounded_where_they_are_read(text, reason):
    with pytest.raises(PhraseError, match=reason) as caught:
        parse_phrase(text, year=2015)
    assert caught.value.phrase == text and len(str(caught.value)) < 200  # one readable line


@pytest.mark.parametrize("year", [0, 1899, 2201, 10**30, "2015", 2015.5])
def test_the_plan_year_is_bounded(year):
    with pytest.raises(PhraseError, match="计划年度超出范围"):
        parse_phrase("7月底前", year=year)


def test_a_run_of_numerals_too_long_for_an_integer_is_an_error_of_the_phrase():
    with pytest.raises(PhraseError, match="期限超出范围：111111111111…个工作日"):
        parse_phrase("一" * 5000 + "个工作日内", year=2015)


# -- the engine: arithmetic near date.max/min never overflows -------------------------------


@pytest.mark.parametrize("on", [date.max, datetime.max, date(9999, 12, 25), date.min, datetime.min])
@pytest.mark.parametrize("phrase", ["审批后20日内", "审批后2个工作日内", "审批后24小时内", "审批后1个月内", "审批后1年内",
                                    "审批后2周内", "审批后及时公开"])
def test_an_event_at_the_ends_of_time_is_a_deadline_error_naming_the_obligation(on, phrase, provisional):
    plan = Plan(id="p", title="t", year=2015,
                obligations=[Obligation(id="o", title="t", rules=parse_phrase(phrase, year=2015))])
    with pytest.raises(DateOutOfRange) as caught:
        expand(plan, date(2015, 1, 1), date(2015, 12, 31), calendar=provisional,
               triggers=[TriggerEvent(obligation="o", on=on)])
    assert caught.value.obligation == "o" and "日期超出范围" in str(caught.value)


def test_structured_rules_with_huge_numbers_are_deadline_errors_or_dates(provisional):
    # Rules files refuse such numbers before use; the engine holds even for
    # rules built without validation (model_construct, a cache, a caller's own).
    from deadlines.model import _Offset

    huge_interval = RecurringRule.model_construct(every="week", interval=10**12)
    huge_offset = RecurringRule.model_construct(every="month", after_end=_Offset.model_construct(n=10**12, unit="day"))
    plan = Plan.model_construct(id="p", title="t", year=2015, period=Plan(id="p", title="t", year=2015).period,
                                policy=Plan(id="p", title="t", year=2015).policy, issued=None, obligations=[
        Obligation.model_construct(id="interval", title="t", due_text="", units=Obligation(id="x", title="t").units,
                                   rules=[huge_interval]),
        Obligation.model_construct(id="late", title="t", due_text="", units=Obligation(id="x", title="t").units,
                                   rules=[huge_offset]),
    ])
    with pytest.raises(DateOutOfRange, match="late"):
        expand(plan, date.min, date.max, calendar=provisional)
    found = expand(plan.model_copy(update={"obligations": plan.obligations[:1]}), date.min, date.max,
                   calendar=provisional)
    assert [o.due for o in found] == [date(2015, 1, 4)]  # the first week only: the next is 10^12 weeks on


def test_a_window_that_ends_before_it_starts_is_a_deadline_error(provisional):
    with pytest.raises(DeadlineError):
        expand([], date(2015, 2, 1), date(2015, 1, 1), calendar=provisional)


def test_a_window_opening_past_the_end_of_a_short_month_is_clamped(provisional):
    _, found = read_and_date("每月30-31日前", year=2015, calendar=provisional)
    feb = next(o for o in found if o.period == "2015-02")
    assert (feb.start, feb.due) == (date(2015, 2, 28), date(2015, 2, 28))


# -- row: 本方案印发后99999999个工作日内; 120,000 working days ---------------------------------


def test_99999999_working_days_after_the_plan_is_an_error_of_the_phrase():
    with pytest.raises(PhraseError, match="期限超出范围：99999999个工作日"):
        parse_phrase("本方案印发后99999999个工作日内", year=2015)


def test_120000_working_days_is_an_error_of_the_phrase_and_of_the_calendar(provisional):
    with pytest.raises(PhraseError, match="期限超出范围：120000个工作日"):
        parse_phrase("本方案印发后120000个工作日内", year=2015)
    calendar = WorkCalendar(provisional=True)
    with pytest.raises(DateOutOfRange, match=r"2015-01-01 \+ 120000个工作日"):
        calendar.add_workdays(date(2015, 1, 1), 120000)
    assert calendar._last_year == calendar.covered_years()[-1]  # the answer is known to lie past 2300: nothing built


def test_the_provisional_calendar_grows_in_one_step(monkeypatch):
    calendar = WorkCalendar(provisional=True)
    builds = []
    real_build = calendar._build
    monkeypatch.setattr(calendar, "_build", lambda a, b: (builds.append((a, b)), real_build(a, b))[1])
    due = calendar.add_workdays(date(2015, 1, 1), 26000)  # the longest offset a phrase may give: ~100 years
    assert len(builds) == 1, builds  # one table for the whole reach, not one rebuild per year
    assert calendar.workdays_between(date(2015, 1, 1), due) == 26000
    assert calendar.is_workday(due) and calendar.is_provisional(date(2015, 1, 1), due)
    back = calendar.add_workdays(date(2100, 1, 1), -40000)
    assert len(builds) == 2 and calendar._first_year == back.year >= YEARS[0]
    assert calendar.workdays_between(date(2100, 1, 1), back) == -40000


@pytest.mark.parametrize("on, n", [(date(1900, 1, 2), -5), (date(2300, 12, 28), 10), (date(1899, 12, 31), 1),
                                   (date(2301, 1, 1), 0)])
def test_working_days_beyond_the_calendars_years_are_an_error(on, n):
    with pytest.raises(DateOutOfRange):
        WorkCalendar(provisional=True).add_workdays(on, n)


def test_the_official_calendar_still_names_the_missing_year():
    from deadlines.errors import CalendarDataMissing

    calendar = WorkCalendar()
    last = calendar.covered_years()[-1]
    with pytest.raises(CalendarDataMissing, match=str(last + 1)):
        calendar.add_workdays(date(last, 12, 20), 30)


# -- row: 2016年内, 2016年初, 2017年度内 in a 2015 plan ---------------------------------------


@pytest.mark.parametrize("text, reading", [
    ("2016年内", "2016年12月31日前"),
    ("2016年初", "2016年1月31日前（另一读法：2016年3月31日前）"),
    ("2017年度内", "2017年12月31日前"),
    ("2016年底", "2016年12月31日前"),
    ("2016年末", "2016年12月31日前"),
    ("2016年的7月底前", "2016年7月31日前"),
])
@pytest.mark.parametrize("plan_year", [2015, 2016, 2020])
def test_a_written_year_is_never_dropped(text, reading, plan_year):
    (rule,) = parse_phrase(text, year=plan_year)
    assert explain(rule) == reading and not rule.unparsed


@pytest.mark.parametrize("text", ["10000年1月", "3年7月底前", "99年内", "12016年内", "0年底前"])
def test_a_year_the_reader_cannot_place_is_unparsed_not_the_plan_year(text):
    rules = parse_phrase(text, year=2015)
    assert any(r.unparsed for r in rules)
    assert not any(getattr(r, "date", None) and r.date.year == 2015 for r in rules), rules
