"""Properties of the expansion over the bundled rules and generated rules."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines import Plan, TriggerEvent, expand
from deadlines.rulesfile import plan_from_data

TRIGGERS = [
    TriggerEvent(name="审批或核准", on=date(2015, 9, 30)),
    TriggerEvent(name="市人大批准", on=date(2015, 3, 10)),
    TriggerEvent(obligation="zs2015-11.7", on=date(2015, 5, 4)),
]

offsets = st.sampled_from(
    [{"days": 20}, {"workdays": 2}, {"workdays": 20}, {"months": 1}, {"weeks": 2}, {"hours": 24}]
)
rules = st.one_of(
    st.builds(lambda d: {"on": d.isoformat()}, st.dates(date(2015, 1, 1), date(2015, 12, 31))),
    st.builds(
        lambda every, day: {"every": every, "day": day} if every in ("month", "quarter", "year") else {"every": every},
        st.sampled_from(["day", "week", "month", "quarter", "half", "year"]),
        st.sampled_from([1, 5, 10, 25, 31, -1]),
    ),
    st.builds(lambda every, off: {"every": every, "after_end": off}, st.sampled_from(["month", "quarter", "half"]), offsets),
    # Rolled series: each period's date moves past rest days, so a due can
    # fall after its period and several periods can share one due (每日，遇节假日顺延
    # over 国庆: seven periods, one due on 10-08).
    st.just("每日，遇节假日顺延"),
    st.builds(
        lambda every, day: {"every": every, "roll": True, **({"day": day} if every in ("month", "quarter", "year") else {})},
        st.sampled_from(["day", "week", "month", "quarter", "year"]),
        st.sampled_from([1, 5, 25, 31, -1]),
    ),
    st.builds(lambda off: {"after": "审批", "within": off}, offsets),
    st.just({"waiting": "省出台具体规定"}),
    st.just({"kind": "ongoing"}),
)


def _plan(rule_list, year: int = 2015) -> Plan:
    return plan_from_data(
        {
            "id": "gen",
            "title": "生成的方案",
            "year": year,
            "obligations": [
                {"id": f"gen-{i}", "title": "任务", "units": {"lead": ["单位"]}, "due": r}
                for i, r in enumerate(rule_list)
            ],
        }
    )


def _events(days):
    return [TriggerEvent(name="审批", on=d) for d in days]


@settings(max_examples=60, deadline=None)
@given(
    rule_list=st.lists(rules, min_size=1, max_size=6),
    events=st.lists(st.dates(date(2015, 1, 1), date(2015, 12, 31)), max_size=3),
    start=st.dates(date(2014, 12, 1), date(2015, 12, 31)),
    length=st.integers(0, 200),
    cut=st.integers(0, 200),
)
def test_splitting_a_window_never_changes_the_occurrences(calendar, rule_list, events, start, length, cut):
    plan = _plan(rule_list)
    end = start + timedelta(days=length)
    middle = start + timedelta(days=min(cut, length))
    whole = expand(plan, start, end, calendar=calendar, triggers=_events(events))
    left = expand(plan, start, middle, calendar=calendar, triggers=_events(events))
    right = (
        expand(plan, middle + timedelta(days=1), end, calendar=calendar, triggers=_events(events))
        if middle < end
        else []
    )
    assert set(whole) == set(left) | set(right)
    assert len(whole) == len(set(whole))


def test_bundled_rules_split_by_month(calendar, bundled_plans):
    whole = expand(bundled_plans, date(2015, 1, 1), date(2016, 3, 31), calendar=calendar, triggers=TRIGGERS)
    parts: set = set()
    d = date(2015, 1, 1)
    while d <= date(2016, 3, 31):
        last = min(date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1), date(2016, 3, 31))
        parts |= set(expand(bundled_plans, d, last, calendar=calendar, triggers=TRIGGERS))
        d = last + timedelta(days=1)
    assert set(whole) == parts
    assert len([o for o in whole if o.due]) > 90


def test_output_is_sorted_and_independent_of_input_order(calendar, bundled_plans):
    everything = expand(bundled_plans, date(2015, 1, 1), date(2015, 12, 31), calendar=calendar, triggers=TRIGGERS)
    assert everything == sorted(everything, key=lambda o: o.sort_key())
    plan = next(p for p in bundled_plans if p.id == "zhongshan-2015")
    base = expand([plan], date(2015, 1, 1), date(2015, 12, 31), calendar=calendar, triggers=TRIGGERS)
    shuffled_obligations = list(plan.obligations)
    random.Random(7).shuffle(shuffled_obligations)
    shuffled = plan.model_copy(update={"obligations": shuffled_obligations})
    events = list(reversed(TRIGGERS))
    again = expand([shuffled], date(2015, 1, 1), date(2015, 12, 31), calendar=calendar, triggers=events)
    assert again == base  # every field of every occurrence, in the same order


def test_triggers_match_by_obligation_or_by_name(calendar, bundled_plans):
    found = expand(bundled_plans, date(2015, 1, 1), date(2015, 12, 31), calendar=calendar, triggers=TRIGGERS)
    by_ob = {o.obligation: o for o in found if o.obligation in ("zs2015-5", "zs2015-2.1", "zs2015-11.7")}
    assert by_ob["zs2015-5"].due == date(2015, 10, 9)
    assert by_ob["zs2015-2.1"].due == date(2015, 3, 30)
    assert by_ob["zs2015-11.7"].due == date(2015, 6, 1)  # 2015-05-04 + 20 working days
    # A name that matches no trigger leaves the obligation waiting.
    waiting = {o.obligation for o in found if o.status == "waiting" and o.obligation.startswith("zs2015-2.")}
    assert waiting == {"zs2015-2.2", "zs2015-2.4"}


def test_today_marks_overdue_and_nothing_else(calendar, bundled_plans):
    found = expand(bundled_plans, date(2015, 7, 1), date(2015, 7, 31), calendar=calendar, today=date(2015, 7, 10))
    issued = {p.id: p.issued for p in bundled_plans}
    assert any(issued[o.plan] and o.due and o.due_date < issued[o.plan] for o in found)  # 柞水's plan: 2015-09-01
    for occ in found:
        if occ.due is None:
            assert occ.status == "waiting"
        elif issued[occ.plan] and occ.due_date < issued[occ.plan]:
            assert occ.status == "before_issue"  # the plan did not exist yet: neither overdue nor scheduled
        elif occ.due_date < date(2015, 7, 10):
            assert occ.status == "overdue"
        else:
            assert occ.status == "scheduled"


def test_window_must_be_in_order(calendar, bundled_plans):
    import pytest

    from deadlines import DeadlineError

    with pytest.raises(DeadlineError, match="时间窗口的开始 2015-02-01 晚于结束 2015-01-01"):
        expand(bundled_plans, date(2015, 2, 1), date(2015, 1, 1), calendar=calendar)


def _days_of(plan, calendar):
    """What dated_days should give: the dated occurrences expand makes, as (day, start, provisional)."""
    return {(o.due_date, o.start, o.provisional) for o in expand(plan, date.min, date.max, calendar=calendar)
            if o.due is not None}


@settings(max_examples=60, deadline=None)
@given(rule_list=st.lists(rules, min_size=1, max_size=6), year=st.sampled_from([2015, 2027, 2031]))
def test_dated_days_are_the_days_of_the_expansion(rule_list, year):
    """`check` counts a plan's days without making its occurrences: the same days, windows and
    provisional marks, in years with holiday data and without (a provisional calendar)."""
    from deadlines.engine import dated_days
    from deadlines.workdays import WorkCalendar

    plan = _plan(rule_list, year)
    for calendar in (WorkCalendar(), WorkCalendar(provisional=True)):
        try:
            want = _days_of(plan, calendar)
        except (ArithmeticError, ValueError) as exc:  # past the data: dated_days says so the same way
            with pytest.raises(type(exc)):
                dated_days(plan, calendar=calendar)
            continue
        assert dated_days(plan, calendar=calendar) == want


def test_dated_days_of_the_bundled_plans(bundled_plans):
    from deadlines.engine import dated_days
    from deadlines.workdays import WorkCalendar

    days = 0
    for plan in bundled_plans:
        for calendar in (WorkCalendar(), WorkCalendar(provisional=True)):
            found = dated_days(plan, calendar=calendar)
            assert found == _days_of(plan, calendar)
            days += len(found)
    assert days > 100
