"""Work that grows with the plan set grows linearly: counted in calls, not timed.

A province names thousands of units in each plan; code that looks every unit
up across a whole plan (or every obligation up for each unit) is quadratic and
turns a build of seconds into one of minutes.  These tests count the calls a
page and a site's unit feeds make to the per-occurrence helpers at two sizes
of the same generated plan set: doubling the set may at most double them
(with some room), where a quadratic walk quadruples them.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from deadlines import WorkCalendar, expand, load_plans
from deadlines.records import Units
from deadlines.page import render
from deadlines.site import _unit_feeds, data_stamp
from deadlines.ical import FeedSource, entries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_plan_set  # noqa: E402

GROWTH = 2.4  # doubling the input may multiply the work by this much at most (linear, with room)


def _calls(monkeypatch, work) -> int:
    calls = 0
    original = Units.all

    def counted(self):
        nonlocal calls
        calls += 1
        return original(self)

    monkeypatch.setattr(Units, "all", counted)
    work()
    monkeypatch.setattr(Units, "all", original)
    return calls


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    calendar = WorkCalendar(provisional=True)  # 2027 has no official data yet
    found = {}
    for n in (1, 2):
        folder = tmp_path_factory.mktemp(f"set{n}")
        # the units grow with the obligations, as a province's do: each plan names more of them
        write_plan_set(folder, units=60 * n, obligations=600 * n, plans=3)
        plans = sorted(load_plans(folder), key=lambda p: p.id)
        occurrences = expand(plans, date(2026, 1, 1), date(2026, 12, 31), calendar=calendar)
        found[n] = plans, occurrences
    return found


def test_the_page_grows_linearly_with_the_plan_set(sets, monkeypatch):
    counts = {}
    for n, (plans, occurrences) in sets.items():
        feeds = {name: f"feeds/{i}.ics" for i, name in enumerate(sorted(
            {name for p in plans for ob in p.obligations for name in ob.units.all()}))}
        by_unit: dict[str, list] = {}
        for occ in occurrences:
            for name in occ.units.all():
                by_unit.setdefault(name, []).append(occ)
        counts[n] = _calls(monkeypatch, lambda: render(
            plans, by_unit, feeds, stamp=data_stamp(plans), start=date(2026, 1, 1), end=date(2026, 12, 31),
            base_url=None, today=date(2026, 7, 8)))
    assert counts[1] > 0
    assert counts[2] <= GROWTH * counts[1], counts


def test_the_unit_feeds_grow_linearly_with_the_plan_set(sets, monkeypatch):
    counts = {}
    for n, (plans, occurrences) in sets.items():
        sources = {ob.id: FeedSource(plan, ob) for plan in plans for ob in plan.obligations}
        counts[n] = _calls(monkeypatch, lambda: _unit_feeds(plans, entries(occurrences, sources), occurrences,
                                                            (), sources))
    assert counts[1] > 0
    assert counts[2] <= GROWTH * counts[1], counts
