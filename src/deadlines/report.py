"""The ledger (台账) a supervising office keeps: per unit, what is done, late, due soon, waiting.

As of a day D, over every occurrence from the start of the plans:

* **done**: marked done, due on or before D (``late`` when it was done after its due day);
* **overdue**: not done, due before D;
* **due soon**: not done, due from D to the third working day after it;
* **waiting**: waiting on a trigger (or on a person, for an unread time limit);
* occurrences due before their plan's issue date (印发前) are left out unless marked done
  (or the plan's ``policy.count_before_issue`` counts them);
* **completion rate**: done ÷ (done + overdue): of what has fallen due, how much is done.

An occurrence counts once for each unit it names, in any role; the total
counts it once.  A group task counts in the group's row and, as the member's
own copy (:mod:`deadlines.groups`, done by the member's own mark), in each member's row.  Pure: the day is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from .records import Occurrence
from .roles import NO_UNIT
from .workdays import SOON_WORKDAYS, WorkCalendar


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
    if occ.status == "before_issue":
        return None  # due before the plan was issued: neither overdue nor in the rate
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
        if occ.via is None or unit is not None:  # a member's copy of a group task is in the member's row only
            total.add(occ, kind)
    return Ledger(as_of=as_of, soon_until=until, units=[by_unit[k] for k in sorted(by_unit)], total=total)
