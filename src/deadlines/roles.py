"""The one role table: what a plan calls each role a unit can have in a task.

Lists and feeds alike write 牵头 (lead), 责任 (responsible), 配合 (cooperating);
a feed's category adds 单位 (牵头单位).  The words a plan uses to *assign* a role
(负责, 落实, 协助, 牵头单位:…) are the importer's vocabulary, in unitcells.py.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

ROLES = ("lead", "responsible", "cooperating")
ROLE_ZH = {"lead": "牵头", "responsible": "责任", "cooperating": "配合"}
NO_UNIT = "（未写单位）"  # what lists and ledgers show for a task that names no unit


def role_counts(obligations: Iterable[Any]) -> dict[str, dict[str, int]]:
    """How many of ``obligations`` name each unit, by the role it has in each (its first role,
    where a task names it twice, as ``Units.role_of`` gives it)."""
    # A province's 50,000 obligations name a few thousand distinct sets of units: each is read once.
    alike = Counter((ob.units.lead, ob.units.responsible, ob.units.cooperating) for ob in obligations)
    counts: dict[str, dict[str, int]] = {}
    for named, n in alike.items():
        seen: set[str] = set()
        for role, names in zip(ROLES, named):
            for name in names:
                if name not in seen:
                    seen.add(name)
                    counts.setdefault(name, dict.fromkeys(ROLES, 0))[role] += n
    return counts
