"""Counting semantics as reviewed cases (tests/cases/counting.yaml)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from deadlines import Plan, TriggerEvent, WorkCalendar, expand
from deadlines.dates import moment_text

CASES = YAML(typ="safe", pure=True).load(Path(__file__).with_name("cases").joinpath("counting.yaml"))


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _when(value) -> date | datetime:
    if isinstance(value, (date, datetime)):
        return value
    return datetime.fromisoformat(value) if "T" in str(value) else date.fromisoformat(str(value))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_counting(case, calendar):
    plan_fields = {"year": 2015, **(case.get("plan") or {})}
    plan = Plan.model_validate(
        {
            "id": "case",
            "title": case["name"],
            **plan_fields,
            "obligations": [{"id": "case-1", "title": case["name"], "due": case["rule"]}],
        }
    )
    rule = plan.obligations[0].rules[0]
    trigger_name = getattr(rule, "trigger", None) or "x"
    triggers = [TriggerEvent(name=trigger_name, on=_when(t)) for t in _as_list(case.get("trigger"))]
    year = plan.year
    start, end = [_when(w) for w in case.get("window", [date(year, 1, 1), date(year + 1, 12, 31)])]
    cal = WorkCalendar(provisional=True) if case.get("calendar") == "provisional" else calendar
    today = _when(case["today"]) if "today" in case else None

    found = expand(plan, start, end, calendar=cal, triggers=triggers, today=today)
    dated = [o for o in found if o.due is not None]
    assert [moment_text(o.due) for o in dated] == [moment_text(_when(d)) for d in case["due"]]
    if "why" in case:
        assert [o.why for o in dated] == case["why"]
    if "status" in case:
        assert [o.status for o in dated] == case["status"]
    assert [o.waiting_for for o in found if o.due is None] == case.get("waiting", [])
