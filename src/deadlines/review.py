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

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import dated_days
from .errors import DeadlineError, RulesFileError
from .i18n import _
from .messages import say
from .unitcells import unit_name_problem
from .records import Plan
from .plancache import read_plan_cached
from .render import explain
from .rulesfile import bulk_loading, load_registry, phrase_memo, plan_files, read_plan, rules_folder
from .workdays import WorkCalendar


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    obligation: str
    kind: str  # invalid | unread | ambiguous | unknown-unit | no-unit | no-limit | undatable | review | provisional (and contacts.yaml's invalid, unknown-unit)
    message: str

    def __str__(self) -> str:
        where = f"{self.obligation}: " if self.obligation else ""
        return f"{self.file}:{self.line}: {where}{self.kind}: {self.message}"


def _invalid(exc: RulesFileError) -> Finding:
    message = f"{exc.field}: {exc.reason}" if exc.field else exc.reason
    return Finding(exc.file, exc.line or 1, "", "invalid", message)


def check_rules(rules: str | Path, *, cache_dir: str | Path | None = None) -> list[Finding]:
    """Every finding of every plan file of ``rules`` (then of its calendar), in file and line order.

    ``cache_dir``: plans read before without error are taken from the plan
    cache (:mod:`deadlines.plancache`) with the lines their findings name.
    """
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
    reached: dict[int, Any] = {}  # each plan's years without official data, by id(plan); None: undatable
    read_phrase = phrase_memo()  # plans repeat their time limits: each is read once
    with bulk_loading():  # one pause of the cycle collector for the whole set
        for path in plan_files(rules):
            try:
                if cache_dir is None:
                    plan, lines = read_plan(path, read_phrase=read_phrase, _ids=ids)
                else:
                    plan, lines = read_plan_cached(path, cache_dir, read_phrase=read_phrase, ids=ids)
            except RulesFileError as exc:
                findings.append(_invalid(exc))
                continue
            if plan.id in plan_ids:
                findings.append(Finding(str(path), lines.get(("id",), 1), "", "invalid",
                                        say("plan_id_twice", plan=plan.id, other=plan_ids[plan.id])))
            plan_ids.setdefault(plan.id, path)
            read.append((path, plan, lines))
            undatable, reach = _undatable(plan, calendar)
            reached[id(plan)] = reach
            for item in plan.review:
                findings.append(Finding(str(path), lines.get(("review",), 1), "", "review", item))
            for i, ob in enumerate(plan.obligations):
                line = lines.get(("obligations", i, "id"), 1)

                def add(kind: str, message: str, *, _ob=ob, _line=line) -> None:
                    findings.append(Finding(str(path), _line, _ob.id, kind, message))

                for rule in ob.rules:
                    if rule.unparsed:
                        text = (_("time limit partly read: '{text}'") if len(ob.rules) > 1
                                else _("time limit not read: '{text}'"))
                        add("unread", text.format(text=rule.unparsed))
                    if rule.ambiguous:
                        other = getattr(rule, "alternative", None)
                        alt = _(" (or {day})").format(day=other.isoformat()) if other else ""
                        add("ambiguous", _("'{text}' read as {reading}{alt}").format(text=rule.text or ob.due_text,
                                                                                    reading=explain(rule), alt=alt))
                if not ob.units.all():
                    add("no-unit", _("no responsible unit"))
                if not ob.rules:
                    add("no-limit", _("no time limit: give due_text or due"))
                if ob.id in undatable:
                    add("undatable", _("its dates cannot be counted: {reason}").format(reason=undatable[ob.id]))
                if registry.entries:
                    for name in registry.canonical_units(plan.place, ob.units)[1]:
                        add("unknown-unit", f"'{name}' is not in {registry.path}" + (
                            f" for {plan.place}" if plan.place else ""))
                for kind, message in shape_findings(ob):
                    add(kind, message)
                for item in ob.review:
                    add("review", item)
    findings += contacts_findings(rules, [plan for _, plan, _ in read], registry)
    if broken_calendar:
        return findings + broken_calendar  # the calendar cannot be built: fix its files first
    return findings + provisional_findings(read, calendar, reached)


def contacts_findings(rules: str | Path, plans: list, registry) -> list[Finding]:
    """``contacts.yaml`` (how units are reminded): a file that does not load, and names no plan has."""
    from .remind.contacts import contacts_path, load_contacts

    if not contacts_path(rules).exists():
        return []
    known = set()
    for plan in plans:  # as written, and as the registry names them (the commands use those)
        for ob in plan.obligations:
            for name in ob.units.all():
                known.add(name)
                known.add(registry.resolve(plan.place, name) or name)
    try:
        contacts = load_contacts(rules, known_units=known, registry=registry)
    except RulesFileError as exc:
        return [_invalid(exc)]
    return [Finding(p.file, p.line or 1, "", "unknown-unit", f"{p.field}: {p.reason}") for p in contacts.problems]


_LABEL_IN_TEXT = re.compile(r"(牵头单位|责任单位|配合单位|协同责任单位|牵头责任单位|主要责任单位|责任部门|牵头部门)\s*[:：】]"
                            r"|[(（][^()（）]{2,60}(牵头|配合)[^()（）]{0,60}[)）]\s*[。.]?$")
_NUMBERED = re.compile(r"(?:^|[。；;!！?？])\s*(\d{1,2})\s*[.、．](?=\D)")
_HEADING_TEXT = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")


def shape_findings(ob) -> list[tuple[str, str]]:
    """What in an obligation suggests the import cut or joined the document wrongly:
    a unit name with a role word or punctuation in it, a role label left inside the
    requirement, several numbered tasks or several dated limits in one text, a
    heading read as a task."""
    found: list[tuple[str, str]] = []
    for name in ob.units.all():
        problem = unit_name_problem(name)
        if problem == "role":
            found.append(("unit-name", _("'{name}' is not a unit name (a role word or punctuation in it)").format(name=name)))
        elif problem == "number":
            found.append(("unit-name", _("'{name}' is not a unit name (a number or a single character)").format(name=name)))
    text = ob.requirement or ""
    if _LABEL_IN_TEXT.search(text):
        found.append(("role-in-text", _("the requirement still holds a unit label or a bracket of units: "
                                        "the units may be missing or wrong")))
    numbers = [int(m[1]) for m in _NUMBERED.finditer(text)]
    if any(b == a + 1 for a, b in zip(numbers, numbers[1:])):
        found.append(("merged", _("the requirement holds several numbered tasks ({numbers})").format(
            numbers=", ".join(map(str, numbers)))))
    elif not ob.due_text and _dated_sentences(text) >= 2:
        found.append(("merged", _("the requirement sets time limits in several sentences: one task or several?")))
    if _HEADING_TEXT.match(ob.title or "") and not ob.units.all() and not ob.due_text and len(text) <= 30:
        found.append(("heading", _("looks like a heading, not a task")))
    return found


def _dated_sentences(text: str) -> int:
    from .phrases import parse_phrase

    count = 0
    for sentence in re.split(r"[。；;]", text):
        try:
            rules = parse_phrase(sentence, year=2000, prose=True) if sentence.strip() else []
        except Exception:  # noqa: BLE001 - an unreadable sentence is simply not counted
            rules = []
        if any(r.kind in ("absolute", "recurring", "relative") for r in rules):
            count += 1
    return count


def calendar_findings(rules: str | Path, plans: list) -> list[Finding]:
    """Calendar files that do not load, and the years ``plans`` ((path, plan, lines)
    triples) reach without official holiday data."""
    from .holidays import calendar_for, years_without_data
    from .messages import say as message
    from .rulesfile import rules_folder


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


def provisional_findings(plans: list, calendar: WorkCalendar, reached: dict[int, Any] | None = None) -> list[Finding]:
    """The years ``plans`` ((path, plan, lines) triples) reach without official holiday data
    (``reached``: what :func:`_undatable` found of each plan, by ``id(plan)``: not counted again)."""
    from .holidays import years_without_data
    from .messages import say as message

    findings = []
    for path, plan, lines in plans:
        line = lines.get(("period",)) or lines.get(("year",)) or 1
        if reached is not None and id(plan) in reached:
            reach = reached[id(plan)]
            if reach is None:
                continue  # its dates cannot be counted: already an `undatable` finding
        else:
            try:
                reach = years_without_data([plan], calendar)
            except (ArithmeticError, ValueError):
                continue  # its dates cannot be counted: already an `undatable` finding
        for year in sorted(reach.years):
            findings.append(Finding(str(path), line, "", "provisional", message("provisional_check", year=year)))
    return findings


def _undatable(plan: Plan, calendar: WorkCalendar) -> tuple[dict[str, str], Any]:
    """Obligations of ``plan`` whose dates cannot be counted (as ``build`` counts them), and why;
    and, when all can be, the years without official data its dates reach (one count of its dates
    serves both: :func:`deadlines.engine.dated_days`)."""
    from .holidays.status import Reach, add_reach

    try:
        days = dated_days(plan, calendar=calendar)
    except (ArithmeticError, ValueError):
        pass
    else:
        reach = Reach()
        add_reach(reach, plan, days, set(calendar.covered_years()))
        return {}, reach
    found = {}
    for ob in plan.obligations:
        reason = _expand_fails(plan.model_copy(update={"obligations": [ob]}), calendar)
        if reason is not None:
            found[ob.id] = reason
    return found, None


def _expand_fails(plan: Plan, calendar: WorkCalendar) -> str | None:
    try:
        dated_days(plan, calendar=calendar)
    except (ArithmeticError, ValueError) as exc:  # a DeadlineError is a ValueError
        return str(exc) if isinstance(exc, DeadlineError) else f"{type(exc).__name__}: {exc}"
    return None
