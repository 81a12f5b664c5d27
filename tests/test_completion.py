"""Completion in the engine, and the window that skips what it cannot reach."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines import Completion, Plan, TriggerEvent, expand
from deadlines.rulesfile import plan_from_data

WIDE = (date(2000, 1, 1), date(2035, 12, 31))


def _plan(rule_list, *, year: int = 2015) -> Plan:
    return plan_from_data(
        {
            "id": "gen",
            "title": "生成的方案",
            "year": year,
            "issued": f"{year}-03-01",
            "obligations": [
                {"id": f"gen-{i}", "title": "任务", "units": {"lead": ["单位"]}, "due": r}
                for i, r in enumerate(rule_list)
            ],
        }
    )


def test_completion_names_its_occurrence_by_key(calendar):
    plan = _plan([{"every": "quarter", "month": 1, "day": 25}, [{"on": "2015-07-31"}, {"on": "2015-12-31"}]])
    done = [
        Completion(obligation="gen-0", rule=0, period="2015-Q3", on=date(2015, 7, 20)),
        Completion(obligation="gen-1", rule=1, period="fixed", on=date(2016, 1, 4), note="迟了"),
        Completion(obligation="gen-9", rule=0, period="2015-Q1", on=date(2015, 1, 2)),  # no such obligation
        Completion(obligation="gen-0", rule=1, period="2015-Q4", on=date(2015, 1, 2)),  # no such rule
    ]
    found = expand(plan, date(2015, 1, 1), date(2015, 12, 31), calendar=calendar, done=done, today=date(2015, 11, 1))
    status = {str(o.key): (o.status, o.done_on) for o in found}
    assert status == {
        "gen-0/0/2015-Q1": ("before_issue", None),  # 01-25: the plan was issued on 03-01
        "gen-0/0/2015-Q2": ("overdue", None),
        "gen-0/0/2015-Q3": ("done", date(2015, 7, 20)),
        "gen-0/0/2015-Q4": ("overdue", None),
        "gen-1/0/fixed": ("overdue", None),
        "gen-1/1/fixed": ("done", date(2016, 1, 4)),  # done wins over a later today
    }


def test_the_key_has_one_text_form_that_reads_back():
    from deadlines import OccurrenceKey

    for text in ("zs2015-11.2/0/2015-Q3", "fc-9/0/2015-09-02T10:00", "a/b/1/fixed", "d-3/2/2015-W28"):
        key = OccurrenceKey.parse(text)
        assert str(key) == text
    assert OccurrenceKey.parse("a/b/1/fixed").obligation == "a/b"  # an id may hold a slash
    for bad in ("zs2015-11.2", "zs2015/x/2015-Q3", "ob/0/", "ob/0/2015-09-02 10:00"):
        try:
            OccurrenceKey.parse(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_a_triggered_occurrence_is_named_by_its_event(calendar):
    plan = _plan([{"after": "审批", "within": {"workdays": 2}}])
    events = [TriggerEvent(obligation="gen-0", on=date(2015, 9, 30)), TriggerEvent(name="审批", on=date(2015, 3, 2))]
    done = [Completion(obligation="gen-0", rule=0, period="2015-09-30", on=date(2015, 10, 8))]
    found = expand(plan, *WIDE, calendar=calendar, triggers=events, done=done)
    assert [(o.period, str(o.due), o.status) for o in found] == [
        ("2015-03-02", "2015-03-04", "scheduled"),
        ("2015-09-30", "2015-10-09", "done"),
    ]


offsets = st.sampled_from(
    [{"days": 20}, {"workdays": 2}, {"workdays": 20}, {"months": 1}, {"weeks": 2}, {"hours": 24}, {"years": 1}]
)
anchors = st.sampled_from([{}, {"day": 1}, {"day": 25}, {"day": -1}, {"workday": 1}, {"workday": 23},
                           {"workday": -1}])
rules = st.one_of(
    st.builds(lambda d: {"on": d.isoformat()}, st.dates(date(2014, 6, 1), date(2016, 6, 30))),
    st.builds(
        lambda every, anchor, interval, months, roll: {
            "every": every, "interval": interval, "roll": roll,
            **({} if every in ("day", "week") else anchor),
            **({"months": months} if months else {}),
        },
        st.sampled_from(["day", "week", "month", "quarter", "half", "year"]),
        anchors,
        st.integers(1, 3),
        st.one_of(st.none(), st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True)),
        st.booleans(),
    ),
    st.builds(lambda d: {"every": "week", "weekday": d}, st.integers(1, 7)),
    st.builds(lambda every, off, interval: {"every": every, "after_end": off, "interval": interval},
              st.sampled_from(["month", "quarter", "half", "year"]), offsets, st.integers(1, 2)),
    st.builds(lambda off: {"after": "审批", "within": off}, offsets),
    st.just("本方案印发后30个工作日内"),
    st.just({"waiting": "省出台具体规定"}),
    st.builds(lambda d: {"kind": "ongoing", "until": d.isoformat()}, st.dates(date(2015, 1, 1), date(2016, 12, 31))),
)


@settings(max_examples=150, deadline=None)
@given(
    rule_list=st.lists(rules, min_size=1, max_size=5),
    events=st.lists(st.dates(date(2014, 1, 1), date(2016, 12, 31)), max_size=3),
    start=st.dates(date(2014, 1, 1), date(2017, 6, 30)),
    length=st.integers(0, 120),
)
def test_a_window_gives_what_the_whole_expansion_gives_inside_it(calendar, rule_list, events, start, length):
    plan = _plan(rule_list)
    triggers = [TriggerEvent(name="审批", on=d) for d in events]
    end = start + timedelta(days=length)
    whole = expand(plan, *WIDE, calendar=calendar, triggers=triggers)
    window = expand(plan, start, end, calendar=calendar, triggers=triggers)
    assert [o for o in window if o.due is not None] == [o for o in whole if o.due and start <= o.due_date <= end]
    overlaps = plan.period.start <= end and start <= plan.period.end
    assert [o for o in window if o.due is None] == ([o for o in whole if o.due is None] if overlaps else [])


def test_obligations_sharing_one_rule_object_each_get_their_own_occurrences(calendar):
    plan = _plan([{"every": "month", "day": 10}, {"waiting": "省出台具体规定"}])
    shared = [plan.obligations[i % 2].model_copy(update={"id": f"copy-{i}"}) for i in range(4)]
    assert shared[0].rules[0] is shared[2].rules[0]
    plan = plan.model_copy(update={"obligations": shared})
    events = [TriggerEvent(obligation="copy-1", on=date(2015, 8, 3))]
    found = expand(plan, date(2015, 8, 1), date(2015, 8, 31), calendar=calendar, triggers=events)
    assert sorted((o.obligation, str(o.due)) for o in found) == [
        ("copy-0", "2015-08-10"), ("copy-1", "2015-08-31"), ("copy-2", "2015-08-10"), ("copy-3", "None")
    ]
