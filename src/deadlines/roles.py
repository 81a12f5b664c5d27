"""The one role table: what a plan calls each role a unit can have in a task.

Lists and feeds alike write 牵头 (lead), 责任 (responsible), 配合 (cooperating);
a feed's category adds 单位 (牵头单位).  The words a plan uses to *assign* a role
(负责, 落实, 协助, 牵头单位:…) are the importer's vocabulary, in unitcells.py.
"""

from collections.abc import Iterable
from typing import Any

ROLES = ("lead", "responsible", "cooperating")
ROLE_ZH = {"lead": "牵头", "responsible": "责任", "cooperating": "配合"}
NO_UNIT = "（未写单位）"  # what lists and ledgers show for a task that names no unit


def role_counts(obligations: Iterable[Any]) -> dict[str, dict[str, int]]:
    """How many of ``obligations`` name each unit, by the role it has in each."""
    counts: dict[str, dict[str, int]] = {}
    # obligations share one units object where their units are alike (a plan from the cache): each is read once
    seen: dict[int, tuple[Any, list[tuple[str, str]]]] = {}
    for ob in obligations:
        units = ob.units
        found = seen.get(id(units))
        if found is None:
            found = seen[id(units)] = (units, [(name, units.role_of(name)) for name in units.all()])
        for name, role in found[1]:
            counts.setdefault(name, dict.fromkeys(ROLES, 0))[role] += 1
    return counts
