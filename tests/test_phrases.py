"""The phrase reader: normalisation, round trips, and arbitrary text."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadlines import DeadlineError, parse_phrase
from deadlines.model import AbsoluteRule, OngoingRule, PendingRule, RecurringRule, RelativeRule
from deadlines.phrases import chinese_number, normalize
from deadlines.render import explain


@pytest.mark.parametrize(
    "text, number",
    [("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("廿", 20), ("廿三", 23), ("三十一", 31), ("一百二十", 120), ("二〇一六", 2016)],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("２０１６ 年４月底前", "2016年4月底前"),
        ("2016 年 12月底前完成", "2016年12月底前完成"),
        ("审批或核准后两个工作日内", "审批或核准后2个工作日内"),
        ("每月十五号前", "每月15日前"),
        ("第一季度", "第1季度"),
        ("每周一下午", "每周一下午"),
        ("每周一次", "每周1次"),
        ("上一年度", "上一年度"),
        ("应在 24 小时内", "应在24小时内"),
        ("2015年7月；\n\n2016年1月", "2015年7月;2016年1月"),
        ("市住房城乡\n\n建设局", "市住房城乡建设局"),
        ("流行季节（4—10 月）每月", "流行季节(4—10月)每月"),
    ],
)
def test_normalize(raw, clean):
    assert normalize(raw) == clean


def _plain(rules):
    return [r.model_copy(update={"text": ""}) for r in rules]


# -- render / parse round trip ------------------------------------------------

TRIGGERS = ["审批或核准", "市人大批准", "信息形成或变更", "县人大通过各部门决算", "征集结束", "收到申请", "本方案公布"]
days = st.dates(date(2015, 1, 1), date(2016, 12, 31))
offsets = st.builds(
    lambda n, unit: {"n": n, "unit": unit},
    st.integers(1, 60),
    st.sampled_from(["day", "workday", "hour", "week", "month", "year"]),
)


@st.composite
def absolute(draw):
    d = draw(days)
    rule = {"date": d}
    extra = draw(st.sampled_from(["none", "time", "start", "roll", "ambiguous"]))
    if extra == "time":
        rule["time"] = draw(st.times().map(lambda t: time(t.hour, t.minute)))
    elif extra == "start":
        rule["start"] = draw(st.dates(date(2015, 1, 1), d))
    elif extra == "roll":
        rule["roll"] = True
    elif extra == "ambiguous":
        rule["ambiguous"], rule["alternative"] = True, draw(days)
    return AbsoluteRule(**rule)


@st.composite
def recurring(draw):
    every = draw(st.sampled_from(["day", "week", "month", "quarter", "half", "year"]))
    rule: dict = {"every": every, "interval": draw(st.sampled_from([1, 1, 1, 2, 3]))}
    size = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(every)
    if every == "week":
        rule["weekday"] = draw(st.none() | st.integers(1, 7))
    elif every != "day":
        anchor = draw(st.sampled_from(["none", "day", "workday", "after_end", "month_day"]))
        if anchor == "after_end":
            rule["after_end"] = draw(
                st.builds(lambda n, u: {"n": n, "unit": u}, st.integers(2, 40), st.sampled_from(["day", "workday", "month"]))
            )
            if draw(st.booleans()):
                rule["window"] = {"n": draw(st.integers(1, rule["after_end"]["n"] - 1)), "unit": rule["after_end"]["unit"]}
            elif draw(st.booleans()):
                rule["time"] = draw(st.times().map(lambda t: time(t.hour, t.minute)))  # 季后10日12:00
            elif every in ("month", "quarter") and rule["after_end"]["unit"] == "day" and rule["interval"] == 1:
                rule["after_end"]["n"] = min(rule["after_end"]["n"], 28)
                rule["roll"] = False  # 次月10日前, 下季度首月15日前: a date in the next period
        else:
            if size > 1 and anchor != "none" and draw(st.booleans()):
                rule["month"] = draw(st.sampled_from([1, -1, *range(2, size)]) if every != "year" else st.integers(1, 12))
            if anchor in ("day", "month_day"):
                rule["day"] = draw(st.sampled_from([-1, *range(1, 32)]))
                if rule["day"] > 1 and draw(st.booleans()):
                    rule["window_day"] = draw(st.integers(1, rule["day"] - 1))
            elif anchor == "workday":
                rule["workday"] = draw(st.sampled_from([-1, 1, 2, 3, 5, 10]))
        if every == "month" and rule.get("roll") is not False and draw(st.booleans()):
            rule["months"] = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=4)))
    if every != "day" and "roll" not in rule and draw(st.booleans()):
        rule["roll"] = True
    if draw(st.booleans()):
        rule["start"] = draw(days)  # 从2015年3月起
    return RecurringRule(**rule)


relative = st.builds(
    lambda trigger, offset, window, roll: RelativeRule(
        trigger=trigger,
        offset=offset,
        window=({"n": max(1, offset["n"] // 2), "unit": offset["unit"]} if window and offset and offset["n"] > 1 else None),
        roll=True if roll and offset and offset["unit"] not in ("workday", "hour") else None,
    ),
    st.sampled_from(TRIGGERS),
    st.none() | offsets,
    st.booleans(),
    st.booleans(),
)
pending = st.builds(lambda t: PendingRule(trigger=t), st.sampled_from(["省出台具体规定", "国家、省出台具体指导意见", "省政府出台考评办法"]))
ongoing = st.builds(lambda d: OngoingRule(start=d), st.none() | days)
rules = st.one_of(absolute(), recurring(), relative, pending, ongoing)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rules)
def test_render_then_parse_gives_the_rule_back(rule):
    phrase = explain(rule)
    assert _plain(parse_phrase(phrase, year=2015)) == [rule], phrase


# -- arbitrary text --------------------------------------------------------------

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
pieces = st.sampled_from(
    ["年", "月", "日", "号", "前", "后", "内", "底", "每", "季度", "周", "工作日", "小时", "个", "至", "-", "、",
     "；", "，", "（", "）", "(", ")", "待", "按", "首月", "末月", "第", "次月", "两", "十", "廿", "24时", "\n", " "]
)
text = st.lists(st.one_of(pieces, st.integers(0, 3000).map(str), cjk, st.characters()), max_size=30).map("".join)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(text=text)
def test_arbitrary_text_gives_rules_or_a_deadline_error(text):
    try:
        found = parse_phrase(text, year=2015)
    except DeadlineError:
        return
    assert isinstance(found, list)
    if normalize(text).strip(";,。、 "):
        assert found, "text is never dropped"


def test_a_missing_year_is_a_deadline_error():
    with pytest.raises(DeadlineError, match="plan year"):
        parse_phrase("7月底前", year=None)
    assert parse_phrase("2016年7月底前", year=None)[0].date == date(2016, 7, 31)
    assert parse_phrase("7月底前", year=None, issued=date(2019, 7, 25))[0].date == date(2019, 7, 31)


def test_unread_text_is_kept():
    (rule,) = parse_phrase("信息公开年度报", year=2015)
    assert rule.kind == "pending" and rule.trigger is None and rule.unparsed == "信息公开年度报"
    rules = parse_phrase("2015年13月", year=2015)
    assert [r.unparsed for r in rules] == ["2015年13月"]


def test_partly_read_text_keeps_the_rest():
    rules = parse_phrase("2016年7月底前完成，另于每季度第13周", year=2016)
    assert rules[0].date == date(2016, 7, 31)
    assert rules[-1].unparsed and "13周" in rules[-1].unparsed
