"""The one role table: what a plan calls each role a unit can have in a task.

Lists and feeds alike write 牵头 (lead), 责任 (responsible), 配合 (cooperating);
a feed's category adds 单位 (牵头单位).  The words a plan uses to *assign* a role
(负责, 落实, 协助, 牵头单位:…) are the importer's vocabulary, in units.py.
"""

from collections.abc import Iterable
from typing import Any

ROLES = ("lead", "responsible", "cooperating")
ROLE_ZH = {"lead": "牵头", "responsible": "责任", "cooperating": "配合"}


def role_counts(obligations: Iterable[Any]) -> dict[str, dict[str, int]]:
    """How many of ``obligations`` name each unit, by the role it has in each."""
    counts: dict[str, dict[str, int]] = {}
    for ob in obligations:
        units = ob.units
        for name in units.all():
            counts.setdefault(name, dict.fromkeys(ROLES, 0))[units.role_of(name)] += 1
    return counts
