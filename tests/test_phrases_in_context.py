"""Issue #10 item 6: time limits read in their sentence, and traditional characters.

The readings themselves are reviewed cases (tests/phrases/constructions.yaml)
and rows of docs/phrases.md; these tests pin down the context rules, the
traditional-character path and ``deadlines parse`` on such text.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines import WorkCalendar, parse_phrase
from deadlines.cli import main
from deadlines.phrasereport import read_and_date
from deadlines.phrases import normalize, to_simplified
from deadlines.render import explain


def _read(text, year=2015, **kw):
    return [explain(r) if not r.unparsed else "未能识别：" + r.unparsed for r in parse_phrase(text, year=year, **kw)]


# -- context carried from one limit to the next -----------------------------------------------


@pytest.mark.parametrize("text, readings", [
    ("次年1月20日前报送，1月底前公开", ["2016年1月20日前", "2016年1月31日前"]),
    ("2017年3月底前试点，6月底前推开", ["2017年3月31日前", "2017年6月30日前"]),
    ("2016年底前完成，次年6月底前推开", ["2016年12月31日前", "2017年6月30日前"]),
    ("次年1月底前；次年3月底前", ["2016年1月31日前", "2016年3月31日前"]),  # 次年 is after the plan year both times
    ("今年6月底前", ["2015年6月30日前"]),
])
def test_a_date_without_a_year_is_in_the_year_of_the_date_before_it(text, readings):
    assert _read(text) == readings


@pytest.mark.parametrize("text, readings", [
    ("待省出台具体规定后2016年9月底前完成清单编制", ["待省出台具体规定后", "2016年9月30日前"]),
    ("项目审批后2016年内完成公开", ["2016年12月31日前"]),
    ("审批后2个工作日内；2016年底前完成", ["审批后2个工作日内", "2016年12月31日前"]),
])
def test_a_written_year_after_an_event_is_a_date_not_a_count_of_years(text, readings):
    """"…后2016年9月底前" is an event, then a date: never an offset of 2,016 years (an error that
    made the importer treat the whole paragraph as holding no time limit)."""
    assert _read(text, prose=True) == readings


@pytest.mark.parametrize("text, readings", [
    ("于每月5日前报送，并于20日前公开", ["每月5日前", "每月20日前"]),
    ("3月5日前报送，20日前公开", ["2015年3月5日前", "2015年3月20日前"]),
    ("每月5日前报送；遇节假日顺延，并于20日前公开", ["每月5日前（遇节假日顺延）", "每月20日前"]),
])
def test_a_day_alone_is_in_the_month_of_the_limit_before_it(text, readings):
    assert _read(text) == readings


def test_a_day_alone_with_nothing_before_it_stays_unread():
    assert _read("20日前") == ["未能识别：20日前"]
    assert _read("审批后5日内，20日前") == ["审批后5日内", "未能识别：20日前"]  # not a month of its own


def test_a_next_period_day_completes_the_series_named_before_it():
    assert _read("每季度报表在下季度第一个月的15日前") == ["下季度首月15日前"]
    assert _read("下季度首月15日前") == ["下季度首月15日前"]  # the canonical phrase reads back
    assert _read("每月报表于下月10日前报送") == ["次月10日前"]
    assert _read("每季度首月25日前，另于下季度第一个月的15日前") == ["每季度首月25日前", "下季度首月15日前"]


def test_a_start_belongs_to_the_series_after_it():
    (rule,) = parse_phrase("从2022年3月起,务于每月25日前", year=2022)
    assert rule.kind == "recurring" and rule.start == date(2022, 3, 1) and rule.day == 25
    (alone,) = parse_phrase("2015年6月开始", year=2015)  # with no series after it, a standing duty
    assert alone.kind == "ongoing" and alone.start == date(2015, 6, 1)


@pytest.mark.parametrize("text, readings", [
    ("月后18日前(1月免报)", ["每月（2、3、4、5、6、7、8、9、10、11、12月）结束后18日内"]),
    ("每季度首月25日前（四季度免报）", ["每季度（1、4、7月）首月25日前"]),
    ("每季度结束后20日内，1季度免报", ["每季度（6、9、12月）结束后20日内"]),
    # a date in the next period, not rolled: the exempt periods are kept, and read back the same way
    ("次月10日前(1月免报)", ["次月10日前（1月免报）"]),
    ("次月10日前（1月、7月免报）", ["次月10日前（1月、7月免报）"]),
])
def test_exempt_periods_leave_the_series_before_them(text, readings):
    assert _read(text) == readings


def test_an_exempt_period_is_never_read_as_a_date_of_its_own():
    # "(1月" alone would be a date in January; after a series it only names a period the series skips
    rules = parse_phrase("次月10日前(1月免报)", year=2015)
    assert [r.kind for r in rules] == ["recurring"] and rules[0].months == list(range(2, 13))


def test_in_step_with_a_document_is_relative_to_its_publication():
    (rule,) = parse_phrase("与政策文件同步发布,时间跨度不超过5个工作日", year=2015)
    assert (rule.kind, rule.trigger, rule.offset.n, rule.offset.unit) == ("relative", "政策文件发布", 5, "workday")
    (same_day,) = parse_phrase("与政策文件同步发布", year=2015)
    assert (same_day.trigger, same_day.offset.n) == ("政策文件发布", 0)
    (alone,) = parse_phrase("不超过5个工作日", year=2015)  # no document named: the task's own event
    assert alone.trigger == "事件发生"
    assert parse_phrase("每次会议不超过2小时", year=2015, prose=True) == []  # how long, not by when


@pytest.mark.parametrize("text, trigger", [
    ("各单位要于本方案印发后15个工作日内", "本方案印发"),
    ("县政府办应在收到申请之日起15个工作日内", "收到申请"),
    ("各部门本通知下发后10日内", "本通知下发"),
    ("经市人大批准后20日内", "市人大批准"),
    ("每次审批后2个工作日内", "每次审批"),
])
def test_the_subject_of_the_sentence_is_not_part_of_the_trigger(text, trigger):
    (rule,) = parse_phrase(text, year=2015)
    assert rule.kind == "relative" and rule.trigger == trigger


def test_the_plans_own_issue_dates_a_subject_led_trigger():
    _, found = read_and_date("各单位要于本方案印发后15个工作日内", year=2015, issued=date(2015, 6, 1),
                             calendar=WorkCalendar(provisional=True))
    assert [o.due for o in found] == [date(2015, 6, 23)]


@pytest.mark.parametrize("text, readings", [
    ("流行季节（4—10 月）每月定期发布", ["每月（4、5、6、7、8、9、10月）"]),
    ("政府信息形成之日起20个工作日内及时公开", ["政府信息形成后20个工作日内"]),
    ("定期发布", ["持续工作"]),  # alone it is the duty
    ("2016年12月底前完成，后续不定期进行目录调整", ["2016年12月31日前", "持续工作"]),  # its own clause: kept
])
def test_manner_words_add_no_duty_beside_a_dated_limit(text, readings):
    assert _read(text, year=2016) == readings


def test_a_period_series_is_never_a_trigger():
    assert _read("报表每季度结束后20日内") == ["每季度结束后20日内"]
    assert _read("财务状况月后18日前") == ["每月结束后18日内"]


@pytest.mark.parametrize("text, readings", [
    ("每年第一季度", ["每年3月底前"]),
    ("每年上半年", ["每年6月底前"]),
    ("每年下半年", ["每年12月底前"]),
])
def test_a_part_of_each_year_is_one_date_a_year(text, readings):
    assert _read(text) == readings


def test_a_whole_notice_sentence_reads_as_one_limit_in_prose():
    text = ("三、从2023年第一季度开始,各责任单位要在每季度最后一个月的30日前将本季度落实各项工作目标任务进展情况"
            "报区人民政府办公室,区人民政府办公室将对落实情况进行全程跟踪督办,并适时通报有关办理落实情况。")
    (rule,) = parse_phrase(text, year=2023, prose=True)
    assert explain(rule) == "2023年1月1日起每季度末月30日前"


# -- traditional characters and inline pinyin -------------------------------------------------


@pytest.mark.parametrize("raw, simplified", [
    ("政府信息形成或者變更之日起20個工作日內及時公開", "政府信息形成或者变更之日起20个工作日内及时公开"),
    ("信息形成或變更之日起3個工作日內(nèi)", "信息形成或变更之日起3个工作日内"),
    ("鳳屯鎮(zhèn)人民政府", "凤屯镇人民政府"),
    ("新鄉（xiāng）市", "新乡市"),
    ("文件(PDF)公开", "文件(PDF)公开"),  # not pinyin: capitals
    ("每月10日(ri)前", "每月10日前"),  # untoned pinyin: a syllable
    ("公(gōng)開(kāi)", "公开"),
    ("七(qi)(qi)", "七"),  # a run of brackets after one character
    ("嗯(ńg)", "嗯"),  # the tones of ń, ň, ǹ, ḿ
    ("㐀(xiān)", "㐀"),  # CJK extension A
    ("10日(a)前", "10日(a)前"),  # one vowel: an item's mark, not the syllable a
    ("开通免费(wifi)", "开通免费(wifi)"),  # lower case, but no syllables of Mandarin
    ("某(ppp)项目", "某(ppp)项目"),
    ("乾坤", "乾坤"),  # OpenCC's phrases, not one character at a time
])
def test_traditional_text_and_inline_pinyin_become_simplified(raw, simplified):
    assert to_simplified(raw) == simplified


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from("0123456789年月日")))
def test_simplified_text_the_reader_knows_is_unchanged(text):
    if all(c.isascii() or c in "年月日" for c in text) or _encodable(text):
        assert to_simplified(text) == text  # GB2312 text never goes through OpenCC


def _encodable(text):
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def test_normalize_reads_traditional_numerals_too():
    assert normalize("每個季度第一個月二十日前") == "每个季度第1个月20日前"


def test_parse_command_reads_traditional_text(capsys):
    code = main(["parse", "信息形成或變更之日起3個工作日內(nèi)", "--year", "2021", "--trigger", "2021-09-28", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["text"] == "信息形成或變更之日起3個工作日內(nèi)"  # the text as given
    (rule,) = data["rules"]
    assert (rule["kind"], rule["trigger"], rule["offset"]) == ("relative", "信息形成或变更", {"n": 3, "unit": "workday"})
    assert data["due"] == ["2021-10-08"]


def test_parse_command_refuses_a_year_out_of_range_in_one_line(capsys):
    code = main(["parse", "0001年1月前", "--year", "2015", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and "年份超出范围：0001" in err


def test_a_year_in_a_documents_title_is_no_time():
    text = "从2022年3月起,务于每月25日前将《2022年<政府工作报告>重点任务落实推进情况表》报旗政府督查室"
    assert _read(text, year=2022) == ["2022年3月1日起每月25日前"]  # nothing left unread
    assert _read("《2015年12月底前完成事项清单》") == ["未能识别：《2015年12月底前完成事项清单》"]  # read nothing inside


def test_a_limit_refines_the_one_just_before_it_past_manner_words():
    assert _read("原则上与文件同步公开定期，最迟不超过3个工作日") == ["文件公开后3个工作日内"]
    assert _read("每季度定期报表在下季度第一个月的15日前") == ["下季度首月15日前"]


@pytest.mark.parametrize("text", ["地区生产总值增长6.5%", "2015年度政务公开工作要点", "每年1月15日前报送上一年度报告"])
def test_figures_and_a_year_named_in_a_title_are_no_extra_limits(text):
    # 6.5 is no date; 2015年度 names a plan, 上一年度 a report's period: no limit of their own
    rules = parse_phrase(text, year=2015, prose=True)
    assert all(r.kind == "recurring" for r in rules) and len(rules) <= 1


def test_a_festival_is_dated_by_its_own_calendar():
    # 春节 and 中秋 by the lunar calendar, 清明 by the solar term, in the year in force
    assert [r.date for r in parse_phrase("春节前", year=2024)] == [date(2024, 2, 9)]
    assert [r.date for r in parse_phrase("2025年中秋节前", year=2024)] == [date(2025, 10, 5)]
    assert [r.date for r in parse_phrase("清明节前", year=2016)] == [date(2016, 4, 3)]
    assert [r.date for r in parse_phrase("元旦前", year=2016)] == [date(2016, 12, 31)]


@pytest.mark.parametrize("text, dated", [
    ("严格遵循“年初公布、年中检查、年底兑现、接受监督”的原则,确保按期完成任务", []),
    ("按照“年初建账、逐月查账、年底交账”的督查制度,加强跟踪督查", []),
    ("按照“年初建账、逐月查账、年底交账”的制度,于6月底前报送进展", ["2018-06-30"]),
])
def test_a_slogan_in_quotes_names_no_limit_in_a_requirement(text, dated):
    """A slogan (a quoted list of short phrases) in requirement text describes how work is done;
    the 年初 and 年底 in it are no due dates, while a limit written outside it still is."""
    rules = parse_phrase(text, year=2018, prose=True)
    assert [str(r.date) for r in rules if r.kind == "absolute"] == dated


@pytest.mark.parametrize("text, dates", [
    ("1-9月2家企业完成改造", ["2015-09-30"]),  # a count after a month is no day
    ("完成造林2035.6公顷，12月底前完成", ["2015-12-31"]),  # an amount in figures is no year and month
    ("实施2015-2017年农村公路建设规划", []),  # a plan's years in a requirement are no limit
    ("2015-2017年底前完成农村公路建设", ["2017-12-31"]),
])
def test_figures_that_are_no_date_in_a_requirement(text, dates):
    rules = parse_phrase(text, year=2015, prose=True)
    assert [str(r.date) for r in rules if r.kind == "absolute"] == dates


@pytest.mark.parametrize("text, kinds, dates", [
    ("每年国庆节前", ["recurring"], ["2024-09-30"]),
    ("每年元旦前", ["recurring"], ["2024-12-31"]),
    ("每年春节前", ["absolute"], ["2024-02-09"]),  # the moon's festival moves: the plan year's
    ("每年中秋节前完成", ["absolute"], ["2024-09-16"]),
])
def test_a_festival_each_year_is_one_limit_not_the_years_end_beside_it(text, kinds, dates):
    # read apart, "每年" was a year-end series the text never named, beside the festival
    rules, found = read_and_date(text, year=2024, calendar=WorkCalendar(provisional=True))
    assert [r.kind for r in rules] == kinds
    assert [str(o.due) for o in found] == dates


@pytest.mark.parametrize("text, unread", [
    ("汛期前完成", ["汛期前完成"]),
    ("每年汛期前", ["每年汛期前"]),  # all of it: no year-end series of its own
    ("每季度召开例会前", ["每季度召开例会前"]),
    ("每月10日前，开学前", ["开学前"]),
])
def test_before_an_event_not_dated_is_kept_unread(text, unread):
    rules = parse_phrase(text, year=2024)
    assert [r.unparsed for r in rules if r.unparsed] == unread
    assert not any(r.kind == "recurring" and r.every == "year" for r in rules)


@pytest.mark.parametrize("text", ["每月10日前提前报送", "每月10日前完成前期准备", "目前每月10日前报送"])
def test_words_with_qian_that_name_no_time_are_not_flagged(text):
    assert [r.unparsed for r in parse_phrase(text, year=2024)] == [""]


@pytest.mark.parametrize("text, every, month, day", [
    ("每月初", "month", None, 10), ("每季度初报送", "quarter", 1, 10), ("每年年初", "year", 1, -1)])
def test_early_in_each_period_is_its_first_ten_days_flagged(text, every, month, day):
    # read apart, 每月初 was the month's end: the period alone, its 初 dropped
    (rule,) = parse_phrase(text, year=2024)
    assert (rule.kind, rule.every, rule.month, rule.day, rule.ambiguous) == ("recurring", every, month, day, True)


def test_both_halves_of_the_year_are_two_dates():
    assert [str(r.date) for r in parse_phrase("上、下半年各一次", year=2024)] == ["2024-06-30", "2024-12-31"]


def test_before_the_end_of_the_working_day_is_a_time_of_the_due_day():
    (rule,) = parse_phrase("每周五下班前", year=2024)
    assert (rule.kind, rule.weekday, rule.unparsed) == ("recurring", 5, "")


@pytest.mark.parametrize("text, dates", [
    ("第一、二季度", ["2024-03-31", "2024-06-30"]),
    ("三、四季度", ["2024-09-30", "2024-12-31"]),
    ("11、12月", ["2024-11-30", "2024-12-31"]),
    ("十一、十二月", ["2024-11-30", "2024-12-31"]),
    ("6、7月底前", ["2024-06-30", "2024-07-31"]),
])
def test_every_period_of_a_list_is_a_date_of_its_own(text, dates):
    # read before, only the last one written with its counter was a date: the others were dropped
    assert [str(r.date) for r in parse_phrase(text, year=2024)] == dates


@pytest.mark.parametrize("text, unread", [("每年汛期", ["每年汛期"]), ("暑假期间", ["暑假期间"]),
                                          ("汛期(5-9月)每月", [])])
def test_a_season_is_dated_only_by_its_months(text, unread):
    assert [r.unparsed for r in parse_phrase(text, year=2024) if r.unparsed] == unread


@pytest.mark.parametrize("text, readings", [
    ("每月报送一篇信用信息，每月25日前通过OA系统报送", ["每月25日前"]),
    ("每周报送一篇工作信息,于每周四下班前报送", ["每周四前"]),
    ("每月报送，每季度首月10日前汇总", ["每月", "每季度首月10日前"]),  # two periods: two series
])
def test_how_often_then_by_when_is_one_series(text, readings):
    # read apart, the month's end was a second due date of its own beside the 25th
    assert _read(text, year=2024) == readings


def test_the_label_a_rule_states_its_limit_under_is_no_part_of_the_event():
    (rule,) = parse_phrase("整改时限为审计报告送达之日起60日内", year=2024)
    assert (rule.kind, rule.trigger, rule.offset.n) == ("relative", "审计报告送达", 60)
    (rule,) = parse_phrase("办理期限是受理之日起20个工作日内", year=2024)
    assert rule.trigger == "受理"


def test_a_span_from_one_unit_to_another_is_a_window_and_its_limit():
    """送达之日起60日至1年内: the limit is the year; read before, it was 60 days."""
    (rule,) = parse_phrase("审计报告送达之日起60日至1年内", year=2024)
    assert (rule.offset.n, rule.offset.unit, rule.window.n, rule.window.unit) == (1, "year", 60, "day")
    assert explain(rule) == "审计报告送达后60日至1年内"


def test_a_count_after_a_festival_is_dated_from_the_festivals_day():
    """春节后10日内: the festival is a date, not an event to wait for (read before, it waited on an
    event named 春节 that nobody records); in working days it still waits for the calendar."""
    rules, found = read_and_date("春节后10日内", year=2024, calendar=WorkCalendar(provisional=True))
    assert [(r.kind, str(r.date), r.roll) for r in rules] == [("absolute", "2024-02-20", True)]
    assert [r.kind for r in parse_phrase("春节后10个工作日内", year=2024)] == ["relative"]


def test_early_in_a_month_is_its_first_ten_days_not_its_end():
    # read before, 6月初 was June 30: the 初 was dropped
    (rule,) = parse_phrase("6月初", year=2024)
    assert (str(rule.date), rule.ambiguous, str(rule.alternative)) == ("2024-06-10", True, "2024-06-05")


@pytest.mark.parametrize("text, days", [("每半月报送一次", [15, -1]), ("每半个月", [15, -1]), ("每旬", [10, 20, -1])])
def test_half_a_month_and_a_xun_are_days_of_each_month(text, days):
    # read before: unread, no date at all
    rules = parse_phrase(text, year=2024)
    assert [(r.kind, r.every, r.day) for r in rules] == [("recurring", "month", d) for d in days]


@pytest.mark.parametrize("text", ["春节后999999999910日内", "春节后" + "9" * 4400 + "日内", "国庆节后36600日内"])
def test_a_count_after_a_festival_past_a_century_is_a_clear_error(text):
    from deadlines.errors import DeadlineError

    with pytest.raises(DeadlineError):
        parse_phrase(text, year=1949)


@pytest.mark.parametrize("text, every, day, ambiguous", [
    ("下月10日前", "month", 10, True), ("于下个月的5日前报送", "month", 5, True), ("于下季度首月15日前报送", "quarter", 15, False),
    ("每月统计数据于下月10日前报送", "month", 10, False), ("每季度报表在下季度第一个月的15日前", "quarter", 15, False)])
def test_a_day_of_the_next_period_alone_is_flagged(text, every, day, ambiguous):
    """下月10日前 alone may be once (the month after the document's, as a notice asks) or each
    month's report: read as the series and flagged (read before: the series, silently); after
    每月 it is that series' day.  下季度首月15日前 is how a quarterly series is written back
    (explain): read as the series, as written."""
    (rule,) = parse_phrase(text, year=2024)
    assert (rule.kind, rule.every, rule.after_end.n, rule.ambiguous) == ("recurring", every, day, ambiguous)


@pytest.mark.parametrize("text, due, opens", [
    ("每年4月至10月", "2024-10-31", "2024-04-01"), ("每年4-10月份开展巡查", "2024-10-31", "2024-04-01"),
    ("每年11月至次年3月", "2024-03-31", "2023-11-01"), ("每年3月15日至6月15日", "2024-06-15", "2024-03-15")])
def test_a_season_each_year_is_one_yearly_series_open_from_its_first_day(text, due, opens):
    """每年4月至10月: one date a year, at the season's end, open from its start (read before: a
    yearly series due at the end of April and a one-off on 31 October)."""
    rules, found = read_and_date(text, year=2024, calendar=WorkCalendar(provisional=True))
    assert [(r.kind, r.every) for r in rules] == [("recurring", "year")]
    assert [(str(o.due), str(o.start)) for o in found] == [(due, opens)]
    (again,) = parse_phrase(explain(rules[0]), year=2024)  # as the rule is written, it reads back as itself
    assert explain(again) == explain(rules[0]) and again.window_month == rules[0].window_month


def test_a_season_followed_by_a_series_is_that_series_months():
    (rule,) = parse_phrase("每年4月至10月每月10日前", year=2024)
    assert (rule.every, rule.day, rule.months) == ("month", 10, list(range(4, 11)))


def test_a_window_month_goes_with_a_yearly_series_only():
    from pydantic import ValidationError

    from deadlines.model import RecurringRule

    assert RecurringRule(every="year", month=3, day=-1, window_month=11).window_month == 11
    for wrong in ({"every": "month", "day": -1, "window_month": 4}, {"every": "year", "month": 4, "window_month": 4},
                  {"every": "year", "window_month": 4}):
        with pytest.raises(ValidationError):
            RecurringRule(**wrong)


@pytest.mark.parametrize("text, absolute", [
    ("每月底前报送(其中,6月30日前报送半年报)", []), ("每月25日前报送(其中,3月25日、6月25日前报告季度进展)", []),
    ("每月25日前报送(其中,6月20日前报送半年报)", ["2024-06-20"])])
def test_days_of_which_the_monthly_series_gives_are_not_read_again(text, absolute):
    """(其中,3月25日…): days the monthly series already gives are more to report on them, not
    another due (each was a one-off beside the series' own event on that day); a day it does
    not give stays a limit of its own."""
    rules = parse_phrase(text, year=2024)
    assert [r.kind for r in rules if r.kind == "recurring"] == ["recurring"]
    assert [str(r.date) for r in rules if r.kind == "absolute"] == absolute


@pytest.mark.parametrize("text, ambiguous", [
    ("在督查室(下发督办件或电话通知)规定的期限内(一般为5日内)上报", True), ("一般在3个工作日内办结", True),
    ("5日内上报", False), ("原则上5个工作日内", False)])
def test_what_is_usual_is_read_and_flagged(text, ambiguous):
    """'规定的期限内(一般为5日内)': the limit a 督办件 sets, usually five days: read as five days and
    flagged (it was read as a firm five days); 原则上 states the limit itself."""
    (rule,) = [r for r in parse_phrase(text, year=2024) if r.kind == "relative"]
    assert rule.ambiguous is ambiguous


def test_a_manner_before_a_cells_date_is_how_the_work_is_done():
    """'能立即整改的要立即整改,…,并于9月15日前报…': 立即 up to the date says how, not three standing
    duties beside it (each 立即 was one); after the date a manner goes on past it (后续不定期…)."""
    assert [r.kind for r in parse_phrase("能立即整改的要立即整改,不能立即整改的要制定整改计划,并于9月15日前报", year=2024)] \
        == ["absolute"]
    assert [r.kind for r in parse_phrase("2016年12月底前完成，后续不定期进行目录调整", year=2016)] == ["absolute", "ongoing"]


@pytest.mark.parametrize("text, due, ambiguous", [
    ("2012年起5年内", "2016-12-31", False), ("5年内重点引进100名人才", "2028-12-31", True), ("用3年时间完成", "2026-12-31", True)])
def test_a_term_of_years_is_due_at_its_last_years_end(text, due, ambiguous):
    """'2012年起5年内', '5年内…': a plan's term, due by the end of its last year (they were unread in a
    cell and no limit at all in prose); counted from the plan's year where no year is written,
    flagged; a look back (近5年内) is none."""
    (rule,) = parse_phrase(text, year=2024, prose=True)
    assert (str(rule.date), rule.ambiguous) == (due, ambiguous)
    assert parse_phrase("近5年内未发生事故的企业", year=2024, prose=True) == []
