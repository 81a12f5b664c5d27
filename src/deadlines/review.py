"""What in a rules folder needs a person: ``deadlines check``.

Per file and obligation: time limits not read or only partly read, readings
marked ambiguous, units the registry does not know, duplicated rows and other
open questions the importer left (``review:``), tasks without units.  A file
that does not load is itself a finding.

The working-day calendar too: a calendar file (``calendars/YYYY.yaml``) that
does not load, and each year a plan reaches that has no official holiday data
(its dates are provisional until the year's notice is imported).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import RulesFileError
from .render import explain
from .rulesfile import load_registry, plan_files, read_plan


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    obligation: str
    kind: str  # invalid | unread | ambiguous | unknown-unit | no-unit | review | provisional
    message: str

    def __str__(self) -> str:
        where = f"{self.obligation}: " if self.obligation else ""
        return f"{self.file}:{self.line}: {where}{self.kind}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)


def check_rules(rules: str | Path) -> list[Finding]:
    """Every finding of every plan file of ``rules``, in file and line order."""
    registry = load_registry(rules)
    findings: list[Finding] = []
    ids: dict = {}
    read: list = []
    for path in plan_files(rules):
        try:
            plan, lines = read_plan(path, _ids=ids)
        except RulesFileError as exc:
            findings.append(Finding(str(path), exc.line or 1, "", "invalid", exc.reason))
            continue
        read.append((path, plan, lines))
        for item in plan.review:
            findings.append(Finding(str(path), lines.get(("review",), 1), "", "review", item))
        for i, ob in enumerate(plan.obligations):
            line = lines.get(("obligations", i, "id"), 1)

            def add(kind: str, message: str, *, _ob=ob, _line=line) -> None:
                findings.append(Finding(str(path), _line, _ob.id, kind, message))

            for rule in ob.rules:
                if rule.unparsed:
                    partly = "partly read" if len(ob.rules) > 1 else "not read"
                    add("unread", f"time limit {partly}: '{rule.unparsed}'")
                if rule.ambiguous:
                    other = getattr(rule, "alternative", None)
                    alt = f" (or {other.isoformat()})" if other else ""
                    add("ambiguous", f"'{rule.text or ob.due_text}' read as {explain(rule)}{alt}")
            if not ob.units.all():
                add("no-unit", "no responsible unit")
            if registry.entries:
                for name in registry.canonical_units(plan.place, ob.units)[1]:
                    add("unknown-unit", f"'{name}' is not in {registry.path}" + (
                        f" for {plan.place}" if plan.place else ""))
            for item in ob.review:
                add("review", item)
    return findings + calendar_findings(rules, read)


def calendar_findings(rules: str | Path, plans: list) -> list[Finding]:
    """Calendar files that do not load, and the years ``plans`` ((path, plan, lines)
    triples) reach without official holiday data."""
    from .holidays import calendar_for, years_without_data
    from .holidays.messages import message
    from .rulesfile import rules_folder
    from .workdays import _load_override

    findings: list[Finding] = []
    folder = rules_folder(rules) / "calendars"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            _load_override(path)
        except RulesFileError as exc:
            findings.append(Finding(str(path), exc.line or 1, "", "invalid", exc.reason))
    if findings:
        return findings  # the calendar cannot be built: fix its files first
    calendar = calendar_for(rules)
    for path, plan, lines in plans:
        line = lines.get(("period",)) or lines.get(("year",)) or 1
        reach = years_without_data([plan], calendar)
        for year in sorted(reach.years):
            findings.append(Finding(str(path), line, "", "provisional", message("provisional_check", year=year)))
    return findings
