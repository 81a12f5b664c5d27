"""Group tasks reach their members: a task for 县政府各部门 is each department's task too.

``units.yaml`` lists a group's members (or "every unit of this place except …",
:meth:`deadlines.units.UnitRegistry.members`).  :func:`reach` gives, beside
each occurrence of a task for such a group, one occurrence for each member:
the same key, due date and why, the member in the group's role, ``via`` naming
the group.  A member's done mark (a :class:`~deadlines.model.Completion` with
its ``unit``) is the member's alone, and the group's own mark (no unit) is the
group's: each member's copy counts as done only with the member's own mark.

Pure: the members, the marks and today are arguments.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Mapping, Sequence

from .records import Completion, Occurrence, OccurrenceKey, Plan, Units, open_status


def member_copy(occ: Occurrence, group: str, units: Units, mark: Completion | None, plan: Plan | None,
                today: date | None) -> Occurrence:
    """The occurrence of group task ``occ`` for the member ``units`` name (in the group's role):
    done with the member's own ``mark`` only."""
    if mark is not None and occ.due is not None:
        status, done_on = "done", mark.on
    else:
        status, done_on = open_status(occ.due_date, occ.provisional, plan, today), None
    return occ.replace(units=units, via=group, status=status, done_on=done_on)


def reach(occurrences: Iterable[Occurrence], members: Mapping[str, Sequence[str]], *,
          done: Iterable[Completion] = (), plans: Sequence[Plan] = (), today: date | None = None,
          ) -> list[Occurrence]:
    """The member copies of ``occurrences`` whose units name a group of ``members`` (group →
    member names), in the order of the occurrences; a member already named by the task itself
    gets no copy (the task is its own)."""
    if not members:
        return []
    marks: dict[tuple[OccurrenceKey, str], Completion] = {(c.key, c.unit): c for c in done if c.unit}
    by_id = {p.id: p for p in plans}
    made: dict[tuple[str, str], Units] = {}  # a member in a role: one object for all its copies
    out: list[Occurrence] = []
    for occ in occurrences:
        if occ.via is not None:
            continue
        named = occ.units.all()
        seen = set(named)
        for group in named:
            for member in members.get(group, ()):
                if member in seen:
                    continue
                seen.add(member)
                role = occ.units.role_of(group) or "responsible"
                units = made.get((role, member))
                if units is None:
                    units = made[(role, member)] = Units(**{role: (member,)})
                out.append(member_copy(occ, group, units, marks.get((occ.key, member)), by_id.get(occ.plan), today))
    return out
