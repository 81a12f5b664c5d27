"""The ledger (台账) a supervising office keeps: per unit, what is done, late, due soon, waiting.

As of a day D, over every occurrence from the start of the plans:

* **done**: marked done, due on or before D (``late`` when it was done after its due day);
* **overdue**: not done, due before D;
* **due soon**: not done, due from D to the third working day after it;
* **waiting**: waiting on a trigger (or on a person, for an unread time limit);
* **completion rate**: done ÷ (done + overdue): of what has fallen due, how much is done.

An occurrence counts once for each unit it names, in any role; the total
counts it once.  Pure: the day is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from .model import Occurrence
from .render import when_json
from .workdays import WorkCalendar

SOON_WORKDAYS = 3
NO_UNIT = "（未写单位）"


@dataclass
class Tally:
    """The counts of one unit (or of all)."""

    unit: str
    done: int = 0
    done_late: int = 0
    overdue: int = 0
    due_soon: int = 0
    waiting: int = 0
    overdue_items: list[Occurrence] = field(default_factory=list)
    soon_items: list[Occurrence] = field(default_factory=list)

    @property
    def completion_rate(self) -> float | None:
        fallen_due = self.done + self.overdue
        return self.done / fallen_due if fallen_due else None

    def add(self, occ: Occurrence, kind: str) -> None:
        if kind == "done":
            self.done += 1
            if occ.done_on is not None and occ.due_date is not None and occ.done_on > occ.due_date:
                self.done_late += 1
        elif kind == "overdue":
            self.overdue += 1
            self.overdue_items.append(occ)
        elif kind == "due_soon":
            self.due_soon += 1
            self.soon_items.append(occ)
        elif kind == "waiting":
            self.waiting += 1


@dataclass
class Ledger:
    as_of: date
    soon_until: date
    units: list[Tally]
    total: Tally


def classify(occ: Occurrence, as_of: date, soon_until: date) -> str | None:
    """Which column ``occ`` counts in as of ``as_of``, or None (due later, not yet in view)."""
    if occ.due is None:
        return "waiting"
    day = occ.due_date
    if occ.status == "done":
        return "done" if day <= as_of else None
    if day < as_of:
        return "overdue"
    if day <= soon_until:
        return "due_soon"
    return None


def soon_until(as_of: date, calendar: WorkCalendar) -> date:
    """The last day that counts as due soon: the third working day after ``as_of``."""
    return calendar.add_workdays(as_of, SOON_WORKDAYS)


def ledger(
    occurrences: Iterable[Occurrence], *, as_of: date, calendar: WorkCalendar, unit: str | None = None
) -> Ledger:
    """Tally ``occurrences`` (expanded with ``today=as_of`` and the completions) per unit."""
    until = soon_until(as_of, calendar)
    by_unit: dict[str, Tally] = {}
    total = Tally("合计")
    for occ in occurrences:
        kind = classify(occ, as_of, until)
        if kind is None:
            continue
        names = [unit] if unit is not None else occ.units.all() or [NO_UNIT]
        for name in names:
            by_unit.setdefault(name, Tally(name)).add(occ, kind)
        total.add(occ, kind)
    return Ledger(as_of=as_of, soon_until=until, units=[by_unit[k] for k in sorted(by_unit)], total=total)


def _item_json(occ: Occurrence, as_of: date) -> dict[str, Any]:
    return {
        "obligation": occ.obligation,
        "plan": occ.plan,
        "period": occ.period,
        "title": occ.title,
        "due": when_json(occ.due),
        "days_overdue": (as_of - occ.due_date).days if occ.due_date and occ.due_date < as_of else 0,
        "units": occ.units.model_dump(),
        "why": occ.why,
    }


def _tally_json(t: Tally, as_of: date) -> dict[str, Any]:
    rate = t.completion_rate
    return {
        "unit": t.unit,
        "done": t.done,
        "done_late": t.done_late,
        "overdue": t.overdue,
        "due_soon": t.due_soon,
        "waiting": t.waiting,
        "completion_rate": None if rate is None else round(rate, 4),
        "overdue_items": [_item_json(o, as_of) for o in t.overdue_items],
    }


def ledger_json(book: Ledger) -> dict[str, Any]:
    return {
        "as_of": book.as_of.isoformat(),
        "due_soon_until": book.soon_until.isoformat(),
        "units": [_tally_json(t, book.as_of) for t in book.units],
        "total": _tally_json(book.total, book.as_of),
    }
