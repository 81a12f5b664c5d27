"""What in a rules folder needs a person: ``deadlines check``.

Per file and obligation: time limits not read or only partly read, readings
marked ambiguous, units the registry does not know, duplicated rows and other
open questions the importer left (``review:``), tasks without units, tasks
with no time limit at all.  And what would fail later: a file that does not
load, a plan id used by two files, an obligation whose dates cannot be
counted.  Each is a finding; none stops the others from being found.

The working-day calendar too: a calendar file (``calendars/YYYY.yaml``) that
does not load, and each year a plan reaches that has no official holiday data
(its dates are provisional until the year's notice is imported).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from .engine import expand
from .errors import DeadlineError, RulesFileError
from .messages import say
from .model import Plan
from .render import explain
from .rulesfile import load_registry, plan_files, read_plan, rules_folder
from .workdays import WorkCalendar


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    obligation: str
    kind: str  # invalid | unread | ambiguous | unknown-unit | no-unit | no-limit | undatable | review | provisional
    message: str

    def __str__(self) -> str:
        where = f"{self.obligation}: " if self.obligation else ""
        return f"{self.file}:{self.line}: {where}{self.kind}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)


def _invalid(exc: RulesFileError) -> Finding:
    message = f"{exc.field}: {exc.reason}" if exc.field else exc.reason
    return Finding(exc.file, exc.line or 1, "", "invalid", message)


def check_rules(rules: str | Path) -> list[Finding]:
    """Every finding of every plan file of ``rules`` (then of its calendar), in file and line order."""
    findings: list[Finding] = []
    try:
        registry = load_registry(rules)
    except RulesFileError as exc:
        findings.append(_invalid(exc))
        registry = load_registry([])
    calendar, broken_calendar = _calendar(rules)
    ids: dict = {}
    plan_ids: dict[str, Path] = {}
    read: list = []
    for path in plan_files(rules):
        try:
            plan, lines = read_plan(path, _ids=ids)
        except RulesFileError as exc:
            findings.append(_invalid(exc))
            continue
        if plan.id in plan_ids:
            findings.append(Finding(str(path), lines.get(("id",), 1), "", "invalid",
                                    say("plan_id_twice", plan=plan.id, other=plan_ids[plan.id])))
        plan_ids.setdefault(plan.id, path)
        read.append((path, plan, lines))
        undatable = _undatable(plan, calendar)
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
            if not ob.rules:
                add("no-limit", "no time limit: give due_text or due")
            if ob.id in undatable:
                add("undatable", f"its dates cannot be counted: {undatable[ob.id]}")
            if registry.entries:
                for name in registry.canonical_units(plan.place, ob.units)[1]:
                    add("unknown-unit", f"'{name}' is not in {registry.path}" + (
                        f" for {plan.place}" if plan.place else ""))
            for item in ob.review:
                add("review", item)
    if broken_calendar:
        return findings + broken_calendar  # the calendar cannot be built: fix its files first
    return findings + provisional_findings(read, calendar)


def _calendar(rules: str | Path) -> tuple[WorkCalendar, list[Finding]]:
    """The calendar the commands count with (:func:`deadlines.holidays.calendar_for`), and a
    finding for each calendar file that does not load (then the package's data alone is used)."""
    from .holidays import calendar_for
    from .workdays import _load_override

    folder = rules_folder(rules) / "calendars"
    findings = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            _load_override(path)
        except RulesFileError as exc:
            findings.append(_invalid(exc))
    if findings:
        return WorkCalendar(provisional=True), findings
    return calendar_for(rules), []


def provisional_findings(plans: list, calendar: WorkCalendar) -> list[Finding]:
    """The years ``plans`` ((path, plan, lines) triples) reach without official holiday data."""
    from .holidays import years_without_data
    from .holidays.messages import message

    findings = []
    for path, plan, lines in plans:
        line = lines.get(("period",)) or lines.get(("year",)) or 1
        try:
            reach = years_without_data([plan], calendar)
        except (ArithmeticError, ValueError):
            continue  # its dates cannot be counted: already an `undatable` finding
        for year in sorted(reach.years):
            findings.append(Finding(str(path), line, "", "provisional", message("provisional_check", year=year)))
    return findings


def _undatable(plan: Plan, calendar: WorkCalendar) -> dict[str, str]:
    """Obligations of ``plan`` whose dates cannot be counted (as ``build`` counts them), and why."""
    if _expand_fails(plan, calendar) is None:
        return {}
    found = {}
    for ob in plan.obligations:
        reason = _expand_fails(plan.model_copy(update={"obligations": [ob]}), calendar)
        if reason is not None:
            found[ob.id] = reason
    return found


def _expand_fails(plan: Plan, calendar: WorkCalendar) -> str | None:
    try:
        expand(plan, date.min, date.max, calendar=calendar)
    except (ArithmeticError, ValueError) as exc:  # a DeadlineError is a ValueError
        return str(exc) if isinstance(exc, DeadlineError) else f"{type(exc).__name__}: {exc}"
    return None
