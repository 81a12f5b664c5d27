"""One rules folder and all that belongs to it: ``deadlines.open(folder) -> Workspace``.

A workspace is what the ``deadlines`` command works on, as one Python object::

    project/
      rules/                 the rules folder: plans (*.yaml), units.yaml, calendars/<year>.yaml
      .deadlines/state.db    the event store: trigger events, done marks, reminders sent and
                             the versions of the feeds' events (or ``db=…``)
      .deadlines/cache/      the plan cache (a user cache folder when the project is read-only)
      .deadlines/site/       what ``deadlines serve`` builds unless told otherwise

Its methods are named after what people do — :meth:`Workspace.due`,
:meth:`~Workspace.record` (a trigger event), :meth:`~Workspace.mark_done`,
:meth:`~Workspace.undo`, :meth:`~Workspace.history`, :meth:`~Workspace.ledger`
(the 台账), :meth:`~Workspace.check`, :meth:`~Workspace.build`,
:meth:`~Workspace.import_plan`, :meth:`~Workspace.import_holidays`,
:meth:`~Workspace.parse`, :meth:`~Workspace.lint` — and each CLI command is one
of them plus rendering.  The engine, the phrase reader, the calendar and
the feed writer stay pure underneath, with their own API.

Time is explicit: ``today``, ``as_of`` and ``at`` (when a change is recorded)
are arguments; only the CLI reads the clock.  Nothing is written outside the
workspace's ``.deadlines/`` folder, its cache, or an output named by the caller.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .dates import day_of, moment_text
from .errors import (
    AmbiguousPeriod,
    NearestTie,
    NotAMember,
    DeadlineError,
    EventOutOfRange,
    EventUndatable,
    NothingOpen,
    NoTrigger,
    NotDatedYet,
    NothingToUndo,
    PathError,
    TargetError,
    UnknownName,
    WindowChoice,
    WindowError,
    WouldOverwrite,
)
from .records import (
    New,
    Record,
    Completion,
    Obligation,
    Occurrence,
    OccurrenceKey,
    Plan,
    TriggerEvent,
    trigger_names,
)
from .roles import NO_UNIT, ROLES

__all__ = ["Workspace", "Window", "open", "find_rules", "init_folder"]

STATE_DIR = ".deadlines"
RULES_ENV = "DEADLINES_RULES"
CEILING_ENV = "DEADLINES_CEILING_DIRECTORIES"
DEFAULT_FOLDER = "rules"


def open(  # noqa: A001 (the package's front door: deadlines.open)
    path: str | Path | None = None, *, db: str | Path | None = None, cache: bool | str | Path = True
) -> Workspace:
    """The workspace of the rules folder ``path`` (or of the folder holding the rules file ``path``);
    without it, the folder :func:`find_rules` finds.

    ``db`` is the event store (default: ``.deadlines/state.db`` beside the
    rules folder).  ``cache``: True keeps the plan cache in
    ``.deadlines/cache`` (in a user cache folder when that cannot be
    written), a folder keeps it there, False reads every file each time.
    Nothing is read until it is needed.
    """
    return Workspace(find_rules(path), db=db, cache=cache)


# --------------------------------------------------------------------------
# Finding and making a rules folder


def _is_rules_folder(folder: Path) -> bool:
    return (folder / "units.yaml").is_file()


def find_rules(given: str | Path | None = None, *, env: Any = None, cwd: str | Path | None = None,
               required: bool = True) -> Path:
    """The rules folder to work on, found the way git finds its repository.

    ``given`` (``--rules``) first, then the environment variable
    ``DEADLINES_RULES``, then the current folder and each of its parents (up to,
    not into, a folder of ``DEADLINES_CEILING_DIRECTORIES``): a folder holding
    ``units.yaml`` is a rules folder, and so is a ``rules/`` folder inside one.  Nothing found: :class:`~deadlines.errors.NoRulesFolder`
    (or ``rules`` when not ``required``: a command that works without one).
    """
    from .errors import NoRulesFolder

    if given is not None:
        return Path(given)
    env = os.environ if env is None else env
    if env.get(RULES_ENV):
        return Path(env[RULES_ENV])
    here = (Path(cwd) if cwd is not None else Path.cwd()).absolute()
    # As GIT_CEILING_DIRECTORIES: the search stops below these folders.
    ceilings = {Path(p).absolute() for p in env.get(CEILING_ENV, "").split(os.pathsep) if p}
    for folder in (here, *here.parents):
        if folder in ceilings:
            break
        if _is_rules_folder(folder):
            return folder
        inner = folder / DEFAULT_FOLDER
        if _is_rules_folder(inner) or (folder == here and inner.is_dir()):
            return Path(DEFAULT_FOLDER) if folder == here and cwd is None else inner
    if not required:
        return Path(DEFAULT_FOLDER)
    raise NoRulesFolder(here)


class Initialized(Record):
    """What :func:`init_folder` made: the folder and the paths created (none when it was one already)."""

    folder: Path
    created: list[Path]


def init_folder(path: str | Path = DEFAULT_FOLDER) -> Initialized:
    """Make ``path`` a rules folder of one's own: an empty unit registry (``units.yaml``), the
    ``calendars/`` folder for holiday notices, and a README of what goes where.

    What exists already is left as it is (a registry is never replaced).
    """
    from importlib import resources

    from .atomic import write_atomic
    from .errors import InitError
    from .units import UnitRegistry

    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InitError(folder)
    created: list[Path] = []
    if not folder.exists():
        folder.mkdir(parents=True)
        created.append(folder)
    registry = folder / "units.yaml"
    if not registry.exists():
        write_atomic(registry, UnitRegistry().dump())
        created.append(registry)
    calendars = folder / "calendars"
    if not calendars.exists():
        calendars.mkdir()
        created.append(calendars)
    readme = folder / "README.md"
    if not readme.exists():
        write_atomic(readme, resources.files("deadlines").joinpath("data/rules_readme.md").read_text("utf-8"))
        created.append(readme)
    return Initialized(folder, created)


# --------------------------------------------------------------------------
# Windows of days


class Window(Record):
    """The days ``start`` … ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise WindowError(self.start, self.end)

    @classmethod
    def week_of(cls, day: date) -> Window:
        """Monday to Sunday of the week holding ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def next_week(cls, today: date) -> Window:
        """Monday to Sunday of the week after ``today``'s."""
        return cls.week_of(today + timedelta(days=7))

    @classmethod
    def days(cls, today: date, n: int) -> Window:
        """``today`` and the ``n`` days after it."""
        return cls(today, today + timedelta(days=n))

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def choose(
        cls,
        today: date,
        *,
        next_week: bool = False,
        this_week: bool = False,
        week_of: date | None = None,
        start: date | None = None,
        end: date | None = None,
        days: int | None = None,
        default: str | None = "next_week",
    ) -> Window | None:
        """The one window a user asked for; by default the week after ``today``
        (None with ``default=None``: the caller shows its own view).

        At most one of ``next_week``, ``this_week``, ``week_of``, ``days`` and
        ``start``/``end`` (which go together).
        """
        asked = [next_week, this_week, week_of is not None, start is not None or end is not None, days is not None]
        if sum(map(bool, asked)) > 1:
            from .messages import say

            raise WindowChoice(say("window_one"))
        if start is not None or end is not None:
            if start is None or end is None:
                from .messages import say

                raise WindowChoice(say("window_pair"))
            return cls(start, end)
        if week_of is not None:
            return cls.week_of(week_of)
        if this_week:
            return cls.week_of(today)
        if days is not None:
            return cls.days(today, days)
        return cls.next_week(today) if next_week or default == "next_week" else None


# --------------------------------------------------------------------------
# What the methods give


class Agenda(Record):
    """What falls due in a window (:meth:`Workspace.due`): the occurrences, and how to read them."""

    window: Window
    today: date
    unit: str | None
    role: str | None
    occurrences: list[Occurrence]
    calendar: Any
    today_view: bool = False  # overdue and not done, this week, next week (``due`` without a window)
    plan_years: list[int] = New(list)  # the years the plans asked about cover

    overlap: bool = True  # some plan's period reaches into the window

    @property
    def covered(self) -> bool:
        """Whether some plan's period reaches into the window (else ``due`` says which years they cover)."""
        return self.overlap

    def sections(self) -> list[tuple[str, Window | None, list[Occurrence]]]:
        """The parts ``due`` shows: in the today view ``overdue`` (not done, any time before today),
        ``this_week`` and ``next_week`` (what else falls due in them); otherwise ``window``."""
        if not self.today_view:
            return [("window", self.window, self.dated)]
        this, after = Window.week_of(self.today), Window.next_week(self.today)
        dated = self.dated
        overdue = [o for o in dated if o.status == "overdue"]
        rest = [o for o in dated if o.status != "overdue"]
        return [("overdue", None, overdue),
                ("this_week", this, [o for o in rest if this.start <= o.due_date <= this.end]),
                ("next_week", after, [o for o in rest if after.start <= o.due_date <= after.end])]

    def by_unit_of(self, found: Iterable[Occurrence], none: str = NO_UNIT) -> dict[str, list[Occurrence]]:
        """``found`` per unit (sorted by unit name; ``none`` for an obligation without units)."""
        groups: dict[str, list[Occurrence]] = {}
        for occ in found:
            for name in self.units_of(occ) or [none]:
                groups.setdefault(name, []).append(occ)
        return {name: groups[name] for name in sorted(groups)}

    @property
    def dated(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.due is not None]

    @property
    def waiting(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.due is None]

    def workdays_left(self, occ: Occurrence) -> int | None:
        """Working days from today to the due day (negative when overdue); None while waiting."""
        day = occ.due_date
        return None if day is None else self.calendar.workdays_between(self.today, day)

    def units_of(self, occ: Occurrence) -> list[str]:
        """The units whose list ``occ`` is shown in: the unit asked for, those in the role asked for, or all."""
        if self.unit is not None:
            return [self.unit]
        return list(getattr(occ.units, self.role)) if self.role else occ.units.all()

    def by_unit(self, none: str = NO_UNIT) -> dict[str, list[Occurrence]]:
        """The dated occurrences per unit (sorted by unit name; ``none`` for an obligation without units)."""
        return self.by_unit_of(self.dated, none)


class Recorded(Record):
    """A trigger event recorded (:meth:`Workspace.record`): its change id, the obligations it
    reaches, and the due dates it gives them."""

    change: int
    event: TriggerEvent
    obligations: list[str]
    occurrences: list[Occurrence]


class Marked(Record):
    """An occurrence marked done (:meth:`Workspace.mark_done`)."""

    change: int
    occurrence: Occurrence
    completion: Completion

    @property
    def days_late(self) -> int:
        due = self.occurrence.due_date
        return max(0, (self.completion.on - due).days) if due else 0


class Undone(Record):
    """A done mark taken back (:meth:`Workspace.undo`): the new change and the mark it cancels."""

    change: int
    mark: Any  # deadlines.triggers.Change


class History(Record):
    """Every change recorded for an obligation, oldest first, and the reminders sent about it
    (:meth:`Workspace.history`)."""

    obligation: Obligation
    changes: list[Any]  # deadlines.triggers.Change
    reminders: list[Any] = New(list)  # deadlines.reminderlog.Reminder


class Reading(Record):
    """One time limit read and dated (:meth:`Workspace.parse`)."""

    text: str
    rules: list[Any]
    occurrences: list[Occurrence]
    window: Window


class Imported(Record):
    """A plan document imported (:meth:`Workspace.import_plan`)."""

    result: Any  # deadlines.importers.Imported: yaml, obligations, notes, new_units
    output: Path | None
    registry: Path
    findings: list[Any]  # deadlines.review.Finding of the written file


class FeedReport(Record):
    """What :meth:`Workspace.lint` found in one feed file."""

    path: Path
    problems: list[Any]  # deadlines.icslint.Problem: line and message
    read_back: list[str]  # what recurring-ical-events could not read, or read otherwise than the rules give
    compared: bool  # held against the rules (the feed belongs to a site built from this folder)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.read_back


def _checked(record: type, **values: Any) -> Any:
    """The record of ``values`` as its model validates them (a date given as text is a date; a
    value of another type is a ``pydantic.ValidationError``): what a caller gives is checked."""
    from . import model

    return model.to_record(getattr(model, record.__name__).model_validate(values))


# --------------------------------------------------------------------------
# The workspace


class Workspace:
    """A rules folder, its plans, unit registry, calendar overrides and event store.

    Plans, the registry and the calendar are read once, on first use
    (:meth:`reload` reads them again); the event store is opened for each
    call, so two workspaces (two processes) see each other's changes.
    """

    def __init__(
        self,
        path: str | Path = "rules",
        *,
        db: str | Path | None = None,
        cache: bool | str | Path = True,
        keep_plans: bool = False,
    ):
        """See :func:`open`.  ``keep_plans``: the plans live as long as the process (one CLI
        command), so the cycle collector is told to leave them alone once loaded."""
        from .rulesfile import rules_folder

        self.rules = Path(path)
        self.folder = rules_folder(self.rules)
        self.state_dir = self.folder.parent / STATE_DIR
        self.db = Path(db) if db is not None else self.state_dir / "state.db"
        self._cache = cache
        self._keep_plans = keep_plans
        self.skipped_events: dict[int, Any] = {}  # stored events no due can be counted from, by change id

    def __repr__(self) -> str:
        return f"<Workspace {self.rules}>"

    # -- what the folder holds -------------------------------------------------

    @cached_property
    def cache_dir(self) -> Path | None:
        """Where the plan cache lives: ``.deadlines/cache``, or a user cache folder when the
        project cannot be written; None without a cache."""
        if self._cache is False:
            return None
        if self._cache is not True:
            return Path(self._cache)
        local = self.state_dir / "cache"
        if _writable(local):
            return local
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        from .plancache import sha256

        where = sha256(str(self.folder.resolve()).encode()).hexdigest()[:16]
        return home / "deadlines" / where

    @cached_property
    def plans(self) -> list[Plan]:
        """Every plan of the folder, unit names resolved through ``units.yaml`` (through the plan cache)."""
        from .plancache import load_plans_cached
        from .rulesfile import bulk_loading, load_plans

        # One pause of the cycle collector for the whole load (50,000 obligations); plans that live as
        # long as the process are then frozen: no collection walks them again.
        with bulk_loading(freeze=self._keep_plans):
            return load_plans(self.rules) if self.cache_dir is None else load_plans_cached(self.rules, self.cache_dir)

    @cached_property
    def registry(self) -> Any:
        """The unit registry (``units.yaml``): canonical names, aliases, groups."""
        from .plancache import load_registry_cached
        from .rulesfile import load_registry

        if self.cache_dir is None:
            return load_registry(self.rules)
        return load_registry_cached(self.rules, self.cache_dir)

    @cached_property
    def calendar(self) -> Any:
        """The working-day calendar with the folder's ``calendars/<year>.yaml`` overrides.

        Provisional: a year without official data counts weekends only, and
        every date that depends on it is marked provisional rather than refused.
        """
        return self._calendar(write_cache=True)

    def _calendar(self, *, write_cache: bool) -> Any:
        from .plancache import override_reader
        from .workdays import WorkCalendar

        folder = self.folder / "calendars"
        read = None if self.cache_dir is None else override_reader(self.cache_dir, write=write_cache)
        return WorkCalendar(provisional=True, override_dirs=[folder] if folder.is_dir() else [], read_override=read)

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """Each group of ``units.yaml`` that lists its members → its members (canonical names)."""
        return self.registry.groups_with_members()

    def reload(self) -> None:
        """Forget the plans, registry and calendar read so far: the next use reads the folder again."""
        for name in ("plans", "registry", "calendar", "members"):
            self.__dict__.pop(name, None)

    def obligations(self, plan: str | None = None) -> list[tuple[Plan, Obligation]]:
        """Every obligation with its plan, in file order (only ``plan``'s, if given)."""
        return [(p, ob) for p in self._plans(plan) for ob in p.obligations]

    def obligation(self, ident: str) -> tuple[Plan, Obligation]:
        """The obligation with id ``ident`` and its plan; :class:`UnknownName` (with close ids) otherwise."""
        for plan in self.plans:
            for ob in plan.obligations:
                if ob.id == ident:
                    return plan, ob
        raise UnknownName("obligation", ident, sorted(o.id for p in self.plans for o in p.obligations))

    def unit(self, name: str, plans: Sequence[Plan] | None = None) -> str:
        """The canonical name of a unit given by its name or an alias from ``units.yaml``."""
        return self.registry.find(name.strip(), self._known_units(plans))

    def _known_units(self, plans: Sequence[Plan] | None = None) -> set[str]:
        """The units ``plans`` (default: every plan) name, and the members of the groups they name."""
        known = {u for p in (self.plans if plans is None else plans) for o in p.obligations for u in o.units.all()}
        return known | {m for group in known for m in self.members.get(group, ())}

    def plans_of(self, plan: str | None = None) -> list[Plan]:
        """Every plan, or the one with id ``plan`` (:class:`UnknownName`, with the ids, otherwise)."""
        return self._plans(plan)

    def _plans(self, plan: str | None) -> list[Plan]:
        if plan is None:
            return self.plans
        chosen = [p for p in self.plans if p.id == plan]
        if not chosen:
            raise UnknownName("plan", plan, sorted(p.id for p in self.plans))
        return chosen

    # -- the event store ---------------------------------------------------------

    def _store(self, *, create: bool) -> Any:
        """The event store; None when reading and nothing has been recorded yet (no file is made)."""
        from .rulesfile import plan_files

        plan_files(self.rules)  # a missing rules folder is the error, before any store is opened
        if not create and not self.db.exists():
            return None
        from .triggers import Store  # (and sqlite3): only where there is a store

        return Store.open(self.db, create=create)

    def recorded(self) -> tuple[int, int] | None:
        """What the event store has recorded, cheaply: (the file's inode, the last change's
        number); None while nothing is.  The change log only grows (the store refuses to change
        or remove a row), so any event, done mark or undo recorded changes it, while the
        feeds' versions and the reminder log, kept in the same file, do not."""
        from .triggers import last_change

        return last_change(self.db)

    def state(self) -> tuple[list[TriggerEvent], list[Completion]]:
        """The trigger events and completions in force (none before anything is recorded).

        An event stored before such events were refused (9999-12-31) is left
        out and kept in :attr:`skipped_events`, for the caller to report.
        """
        store = self._store(create=False)
        if store is None:
            return [], []
        with store:
            return self._state_of(store)

    def _state_of(self, store: Any) -> tuple[list[TriggerEvent], list[Completion]]:
        """:meth:`state` from an open store."""
        events, skipped = store.usable_events()
        self.skipped_events.update((c.id, c) for c in skipped)
        return events, store.completions()

    def _expand(self, plans: Sequence[Plan], start: date, end: date, *, today: date | None = None,
                state: tuple[list[TriggerEvent], list[Completion]] | None = None,
                members: bool = False) -> list[Occurrence]:
        """The engine over ``plans`` with the store's events and completions (or those of ``state``);
        with ``members``, each group task's copies for the group's members beside it
        (:func:`deadlines.groups.reach`)."""
        from .engine import expand
        from .groups import reach

        events, done = self.state() if state is None else state
        found = expand(plans, start, end, calendar=self.calendar, triggers=events, done=done, today=today)
        if members and self.members:
            found += reach(found, self.members, done=done, plans=plans, today=today)
            found.sort(key=lambda o: (*o.sort_key(), o.via or ""))
        return found

    def occurrences_of(self, obligations: Iterable[str], *, triggers: Iterable[TriggerEvent] | None = None,
                       members: bool = False) -> list[Occurrence]:
        """Every occurrence of the named obligations, whenever due: their plans' periods and three
        years past the last event (the store's events, or ``triggers``)."""
        wanted = set(obligations)
        picked = []
        for plan in self.plans:
            obs = [o for o in plan.obligations if o.id in wanted]
            if obs:
                picked.append(plan.model_copy(update={"obligations": obs}))
        if not picked:
            return []
        state = self.state() if triggers is None else (list(triggers), [])
        days = [day_of(e.on) for e in state[0]]
        first = min([p.period.start for p in picked] + days)
        last = max([p.period.end for p in picked] + days) + timedelta(days=3 * 366)
        return self._expand(picked, first, last, state=state, members=members)

    # -- what falls due ---------------------------------------------------------

    def due(self, window: Window, *, today: date, unit: str | None = None, plan: str | None = None,
            role: str | None = None) -> Agenda:
        """What falls due in ``window`` as of ``today`` (overdue before it), with what waits on a trigger.

        ``unit`` (a name or an alias) keeps its obligations; ``role`` keeps
        those where that unit — or, without ``unit``, some unit — has the role
        (``lead``, ``responsible``, ``cooperating``); ``plan`` keeps one plan.
        """
        if role is not None and role not in ROLES:
            raise UnknownName("role", role, list(ROLES))
        plans = self._plans(plan)
        if unit is not None:
            unit = self.unit(unit, plans)
        years = sorted({y for p in plans for y in range(p.period.start.year, p.period.end.year + 1)})
        overlap = any(p.period.start <= window.end and window.start <= p.period.end for p in plans)
        if unit is not None:
            plans = self._for_unit(plans, unit)
        found = self._expand(plans, window.start, window.end, today=today, members=True)
        found = [o for o in found if _in_role(o, unit, role)]
        return Agenda(window, today, unit, role, found, self.calendar, plan_years=years, overlap=overlap)

    def today_view(self, today: date, *, unit: str | None = None, plan: str | None = None,
                   role: str | None = None) -> Agenda:
        """What a clerk looks at each morning (``deadlines due`` without a window): what is overdue
        and not done, however long ago it fell due, then this week, then next week.

        An overdue occurrence stays until it is marked done.
        """
        plans = self._plans(plan)
        after = Window.next_week(today)
        first = min([p.period.start for p in plans] + [Window.week_of(today).start])
        agenda = self.due(Window(first, after.end), today=today, unit=unit, plan=plan, role=role)
        this = Window.week_of(today)
        agenda.occurrences = [o for o in agenda.occurrences
                              if o.due is None or o.status == "overdue" or o.due_date >= this.start]
        agenda.window = Window(this.start, after.end)
        agenda.overlap = any(p.period.start <= after.end and this.start <= p.period.end for p in plans)
        agenda.today_view = True
        return agenda

    def _for_unit(self, plans: list[Plan], unit: str) -> list[Plan]:
        """``plans`` with only the obligations of ``unit``: its own and its groups' (a province's
        unit owes a few dozen of 50,000: only those are dated)."""
        groups = {g for g, names in self.members.items() if unit in names}
        return [p.model_copy(update={"obligations": [o for o in p.obligations
                                                     if unit in o.units.all() or groups & set(o.units.all())]})
                for p in plans]

    def ledger(self, as_of: date, *, unit: str | None = None, plan: str | None = None) -> Any:
        """The 台账 as of ``as_of``: per unit done / overdue / due soon / waiting and the completion rate."""
        from .report import ledger, soon_until

        plans = self._plans(plan)
        if unit is not None:
            unit = self.unit(unit, plans)
            plans = self._for_unit(plans, unit)
        first = min((p.period.start for p in plans), default=as_of)
        found = self._expand(plans, min(first, as_of), soon_until(as_of, self.calendar), today=as_of, members=True)
        if unit is not None:
            found = [o for o in found if unit in o.units.all()]
        return ledger(found, as_of=as_of, calendar=self.calendar, unit=unit)

    # -- recording what happened ------------------------------------------------

    def record(self, obligation: str | None = None, *, on: date | datetime, at: datetime, name: str = "",
               note: str = "", by: str = "") -> Recorded:
        """Record a trigger event: for one ``obligation`` (any of its triggers, or the one ``name``d),
        or by ``name`` for every obligation waiting on it.  ``at`` is when it is recorded.

        Gives the change's id and the due dates the event gives.
        """
        if not obligation and not name:
            from .messages import say

            raise TargetError(say("target_needed"))
        event = _checked(TriggerEvent, name=name, on=on, obligation=obligation or None, note=note)
        if obligation:
            _, ob = self.obligation(obligation)
            names = trigger_names(ob)
            if not names:
                raise NoTrigger(ob.id, ob.due_text)
            if name and name not in names:
                raise UnknownName(f"trigger of {ob.id}", name, names)
            wanted = [ob.id]
        else:
            waiting = {ob.id: trigger_names(ob) for _, ob in self.obligations()}
            wanted = [ident for ident, names in waiting.items() if any(event.dates(ident, t) for t in names)]
            if not wanted:
                raise UnknownName("trigger", name, sorted({n for names in waiting.values() for n in names}))
        given = self._dated_by(event, wanted)  # before it is stored: an event no due comes from is refused
        with self._store(create=True) as store:
            change = store.record(event, at=at, by=by)
        return Recorded(change, event, wanted, given)

    def _dated_by(self, event: TriggerEvent, obligations: list[str]) -> list[Occurrence]:
        """The occurrences ``event`` gives ``obligations``; an error if no due can be counted from it."""
        from .records import YEARS
        from .triggers import event_in_range

        if not event_in_range(event.on):
            raise EventOutOfRange(moment_text(event.on), *YEARS)
        try:
            found = self.occurrences_of(obligations, triggers=[event])
        except (ArithmeticError, ValueError) as exc:  # a DeadlineError is a ValueError
            raise EventUndatable(event.obligation or event.name, moment_text(event.on), exc) from None
        period = moment_text(event.on)
        return [o for o in found if o.due is not None and o.period == period]

    def remove_trigger(self, change_id: int, *, at: datetime, note: str = "", by: str = "") -> int:
        """Take back recorded trigger event ``change_id`` (it stays in the history); the new change's id."""
        from .errors import NoSuchChange

        store = self._store(create=False)
        if store is None:
            raise NoSuchChange(change_id, "trigger event", self.db)
        with store:
            return store.remove(change_id, at=at, note=note, by=by)

    def triggers(self) -> list[Any]:
        """The trigger events in force, with their change ids, oldest first."""
        store = self._store(create=False)
        if store is None:
            return []
        with store:
            return store.active_events()

    def mark_done(self, obligation: str, *, on: date, at: datetime, period: str | None = None,
                  note: str = "", by: str = "", unit: str | None = None) -> Marked:
        """Mark an occurrence of ``obligation`` done on ``on``; ``at`` is when it is recorded, ``by`` who.

        ``obligation`` is an obligation id or a whole occurrence key
        (``zs2015-11.2/0/2015-Q3``); ``period`` names the occurrence by its
        period (``2015-Q3``), its due date or its key.  Without either: the
        open occurrence whose due date is nearest to ``on`` ("the Q3 figures
        went out on 10-22" is Q3's); two equally near are
        :class:`~deadlines.errors.NearestTie`, listing them.  ``unit``: a
        member of a group the task is for marks its own part
        (:mod:`deadlines.groups`), apart from the group's.
        """
        plan, ob, period = self._target(obligation, period)
        member = self._member(ob, unit)
        found = self.occurrences_of([ob.id], members=bool(member))
        if member:
            found = [o for o in found if o.via is not None and member in o.units.all()]
        occ = _choose(plan, ob, found, period, on)
        completion = _checked(Completion, obligation=occ.obligation, rule=occ.rule, period=occ.period, on=on,
                              note=note, unit=member, by=by)
        with self._store(create=True) as store:
            change = store.mark_done(completion, at=at)
        return Marked(change, occ, completion)

    def _member(self, ob: Obligation, unit: str | None) -> str:
        """The canonical name of ``unit`` as a member of a group ``ob`` is for ('' without ``unit``)."""
        if unit is None:
            return ""
        groups = [g for g in ob.units.all() if g in self.members]
        known = {m for g in groups for m in self.members[g]} | set(ob.units.all())
        found = self.registry.lookup(unit.strip())
        name = found[0] if len(found) == 1 else self.registry.find(unit.strip(), known) if known else unit.strip()
        if name not in {m for g in groups for m in self.members[g]}:
            raise NotAMember(name, ob.id, groups)
        return name

    def undo(self, obligation: str, *, at: datetime, period: str | None = None, note: str = "", by: str = "",
             unit: str | None = None) -> Undone:
        """Take back a done mark of ``obligation`` (the latest one, or the one of ``period``; a member's
        with ``unit``)."""
        _, ob, period = self._target(obligation, period)
        member = self._member(ob, unit)
        named = set()
        if period is not None:
            named = {o.key for o in self.occurrences_of([ob.id]) if o.due is not None and _names(o, period)}
        store = self._store(create=False)
        if store is None:
            raise NothingToUndo(ob.id, period)
        with store:
            marks = [c for c in store.active_completions() if c.obligation == ob.id and c.unit == member]
            if period is not None:
                marks = [c for c in marks if c.key in named or period in (str(c.key), c.key.period)]
            if not marks:
                raise NothingToUndo(ob.id, period)
            mark = marks[-1]
            return Undone(store.undo(mark.id, at=at, note=note, by=by), mark)

    def history(self, obligation: str) -> History:
        """Every change recorded for ``obligation``, oldest first: its events and done marks, the
        events recorded by the name of a trigger it waits on, and what took them back."""
        _, ob = self.obligation(obligation)
        store = self._store(create=False)
        log, sent = [], []
        if store is not None:
            with store:
                log = store.changes()
                sent = store.reminders(obligation=ob.id)
        names = trigger_names(ob)
        named = {c.id for c in log if c.action == "trigger" and c.obligation is None
                 and any(c.event().dates(ob.id, t) for t in names)}
        rows = [c for c in log if c.obligation == ob.id or c.id in named or c.cancels in named]
        return History(ob, rows, sent)

    def _target(self, obligation: str, period: str | None) -> tuple[Plan, Obligation, str | None]:
        """An obligation id, or an occurrence key standing for the obligation and its period."""
        try:
            plan, ob = self.obligation(obligation)
            return plan, ob, period
        except UnknownName:
            if "@" in obligation:  # an event's UID, as a calendar shows it
                obligation = self._key_of_uid(obligation)
            try:
                key = OccurrenceKey.parse(obligation)
            except ValueError:
                raise UnknownName("obligation", obligation,
                                  sorted(o.id for p in self.plans for o in p.obligations)) from None
            plan, ob = self.obligation(key.obligation)
            if period is not None and period != str(key):
                from .messages import say

                raise TargetError(say("key_has_period", key=key))
            return plan, ob, str(key)

    def _key_of_uid(self, uid: str) -> str:
        """The occurrence key of a feed event's UID (``zs2015-11.2.0.2015-Q3@deadlines``); the UID
        itself when no occurrence has it (the error then names the obligations)."""
        from .ical import _uid_id, occurrence_uid

        body, _, domain = uid.partition("@")
        uid = f"{body}@{domain.split('.m-', 1)[0]}"  # a member's copy (….m-<hash>) names the same occurrence
        ids = [o.id for p in self.plans for o in p.obligations if uid.startswith(_uid_id(o.id) + ".")]
        return next((str(occ.key) for occ in self.occurrences_of(ids) if occurrence_uid(occ) == uid), uid)

    # -- reminders --------------------------------------------------------------------

    @property
    def contacts_path(self) -> Path:
        """``contacts.yaml`` of the folder: each unit's channels for reminders."""
        from .remind.contacts import contacts_path

        return contacts_path(self.rules)

    def remind(self, today: date, *, now: Callable[[], datetime], env: Any = None, dry_run: bool = False,
               poster: Any = None) -> Any:
        """Send each unit its new reminders on ``today`` (see :func:`deadlines.remind.send.send_reminders`):
        overdue, due within its lead time, newly dated, newly waiting; each recorded in the event
        store, so a second run sends nothing new.  ``now`` stamps what is recorded; ``env`` holds
        the secrets ``contacts.yaml`` names; ``dry_run`` sends and records nothing."""
        from contextlib import nullcontext

        from .remind.send import send_reminders
        from .remind.contacts import load_contacts

        triggers, done = self.state()
        contacts = None
        if self.contacts_path.exists():
            contacts = load_contacts(self.rules, known_units=self._known_units(), registry=self.registry)
        store = self._store(create=not dry_run)
        with store or nullcontext(), self._pinyin(keep=False):  # the links name the feeds a build named
            return send_reminders(self.plans, calendar=self.calendar, today=today, now=now, contacts=contacts,
                                  store=store, triggers=triggers, done=done, env=env, dry_run=dry_run,
                                  poster=poster, members=self.members)

    # -- the rules folder as a whole ----------------------------------------------

    def check(self) -> list[Any]:
        """What needs a person: unread or ambiguous time limits, unknown units, open questions."""
        from .review import check_rules
        from .rulesfile import bulk_loading

        with bulk_loading(freeze=self._keep_plans):  # a one-shot command: what it reads is never collected
            return check_rules(self.rules, cache_dir=self.cache_dir)

    def parse(self, text: str, *, year: int, issued: date | None = None,
              triggers: Iterable[tuple[str, date | datetime]] = (), start: date | None = None,
              end: date | None = None) -> Reading:
        """Read one time limit and date it from ``start`` to ``end`` (default: the whole ``year``),
        with this folder's calendar.

        ``triggers`` are (name, moment); an empty name applies to every
        trigger in the text.  Writes nothing, not even the cache.
        """
        from .phrasereport import read_and_date

        window = Window(start or date(year, 1, 1), end or date(year, 12, 31))
        calendar = self.__dict__.get("calendar") or self._calendar(write_cache=False)
        rules, found = read_and_date(text, year=year, issued=issued, triggers=triggers, start=window.start,
                                     end=window.end, calendar=calendar)
        return Reading(text, rules, found, window)

    def import_plan(self, source: str | Path, *, output: str | Path | None = None, year: int | None = None,
                    prefix: str | None = None, units: str | Path | None = None, force: bool = False) -> Imported:
        """Read a plan document (any format :mod:`deadlines.importers` reads) into a rules file to review.

        Written to ``output`` (only given the text, without it) with the unit
        registry ``units`` (default: ``units.yaml`` beside ``output``, or this
        folder's) extended by the names met; then checked.  An ``output`` that
        exists and differs is never replaced silently: :class:`WouldOverwrite`,
        unless ``force``.
        """
        from .atomic import write_atomic
        from .review import check_rules
        from .rulesfile import _slug
        from .units import UnitRegistry

        source = Path(source)
        output = Path(output) if output is not None else None
        registry_file = Path(units) if units is not None else (output.parent if output else self.folder) / "units.yaml"
        registry = UnitRegistry.load(registry_file)
        plan_id = _slug(output.stem) if output else (prefix or _slug(source.stem))
        command = " ".join([f"deadlines import {source.name}"] + ([f"--year {year}"] if year else [])
                           + ([f"--id {prefix}"] if prefix else []))
        result = _import_document(source, year=year, prefix=prefix or plan_id, plan_id=plan_id, registry=registry,
                                  command=command)
        findings: list[Any] = []
        if output is not None:
            if output.exists() and not force:
                existing = output.read_text("utf-8", errors="replace")
                if existing != result.yaml:
                    raise WouldOverwrite(output, existing.count("# reviewed:"))
            write_atomic(output, result.yaml)
            if result.new_units or not registry_file.exists():
                write_atomic(registry_file, registry.dump())
            findings = check_rules(output)
        return Imported(result, output, registry_file, findings)

    # -- the official calendar ------------------------------------------------------

    def import_holidays(self, notice: str | Path, *, dry_run: bool = False, force: bool = False) -> Any:
        """Read a State Council holiday notice into ``calendars/<year>.yaml`` of this folder
        (see :func:`deadlines.holidays.import_notice`); the calendar is read again after it."""
        from .holidays import import_notice

        result = import_notice(notice, self.rules, dry_run=dry_run, force=force)
        self.reload()
        return result

    def calendar_year(self, year: int) -> str:
        """``year`` as a small calendar: its rest days and working weekends, the holidays, the source."""
        from .holidays import show_year

        return show_year(year, self.calendar, self.folder)

    def holiday_status(self) -> list[Any]:
        """Each year with the source of its working days; a warning on each year the plans reach
        without official data."""
        from .holidays import status

        has_plans = self.rules.is_file() or any(self.folder.glob("*.yaml"))
        return status(self.rules, calendar=self.calendar, plans=self.plans if has_plans else [])

    # -- feeds ---------------------------------------------------------------------

    def build(self, out: str | Path, *, today: date, start: date | None = None, end: date | None = None,
              alarm: timedelta | None = None, base_url: str | None = None, verify: bool = True,
              parallel: bool = False) -> Any:
        """Write the feed site into ``out``: one feed per unit, all.ics, index.json, index.html.

        Recorded events date their rules and done marks mark their events.
        ``verify`` (on by default) reads every feed back with
        recurring-ical-events first: a feed a client would expand to other
        dates than the engine's is never published.  Each event's SEQUENCE
        and LAST-MODIFIED come from the versions kept in the event store
        (:mod:`deadlines.feedversions`), which the build brings up to date:
        the same history gives the same bytes in any output folder.
        ``parallel`` checks the feeds in a second process while the site is
        written (:func:`deadlines.site.write_site`).
        """
        from .rulesfile import bulk_loading
        from .site import build_site

        if start is not None and end is not None:
            Window(start, end)
        store = self._store(create=False)
        (triggers, done), versions = ([], []), {}
        if store is not None:
            with store:  # opened once for the events, the done marks and the feeds' versions
                (triggers, done), versions = self._state_of(store), store.feed_versions()

        def save(changed: dict) -> None:
            with self._store(create=True) as writer:
                writer.save_feed_versions(changed)

        plans = self.plans
        with bulk_loading(freeze=self._keep_plans), self._pinyin():
            return build_site(plans, out, calendar=self.calendar, start=start, end=end, triggers=triggers,
                              done=done, alarm=alarm, base_url=base_url, today=today, verify=verify,
                              members=self.members, versions=versions, save_versions=save, parallel=parallel)

    def _pinyin(self, *, keep: bool = True) -> Any:
        """The pinyin of the names the last build met, from the cache (none without one); ``keep``:
        what this run asks for is kept for the next (a build; not ``remind``, which asks for
        fewer names and would leave the next build to work the others out again)."""
        from contextlib import nullcontext

        from .plancache import pinyin_remembered

        return nullcontext() if self.cache_dir is None else pinyin_remembered(self.cache_dir, keep=keep)

    @property
    def site_dir(self) -> Path:
        """Where :meth:`server` builds the site unless told otherwise."""
        return self.state_dir / "site"

    def server(self, *, today: Callable[[], date], out: str | Path | None = None, host: str = "127.0.0.1",
               port: int = 8000, base_url: str | None = None, alarm: timedelta | None = None,
               verify: bool = True) -> Any:
        """A feed server over the built site, rebuilding it (on the next request) when the rules
        or the event store change, or the day (``today()``) turns.  Built once before it returns."""
        from .serve import REQUEST_HOST, WILDCARD_HOSTS, Rebuilder, SiteServer, fingerprint, has_site

        site = Path(out) if out is not None else self.site_dir
        watched = [self.rules]
        server = SiteServer((host, port), site)
        url = base_url or server.url
        if base_url is None and host in WILDCARD_HOSTS:
            # 0.0.0.0 is no address another computer can use: each answer names the host it was asked on.
            url = f"http://{REQUEST_HOST}/"
            server.request_host = True

        def build() -> None:
            self.reload()
            self.build(site, today=today(), alarm=alarm, base_url=url, verify=verify)

        def recorded() -> Any:
            """The event store by what it records, not by its file: a build writes the feeds'
            versions into it, and a sent reminder its log, neither of which changes the site.
            While it cannot be read (a full disk), its files stand for it."""
            try:
                return self.recorded()
            except DeadlineError:
                return fingerprint([self.db, self.db.with_name(self.db.name + "-wal")])

        # A change settles for half a second before the rebuild (an editor saves in two writes).
        server.rebuilder = Rebuilder(build, lambda: (fingerprint(watched, skip=site), recorded(), today()),
                                     settle=0.5, has_site=lambda: has_site(site), site=site)
        try:
            server.rebuilder.start()
        except BaseException:
            server.server_close()
            raise
        return server

    def lint(self, files: Iterable[str | Path]) -> list[FeedReport]:
        """Check feed files: what clients choke on (:mod:`deadlines.icslint`), then each read back
        with recurring-ical-events — and, for a feed of a site built from this folder
        (``index.json`` beside it names it), held against the engine's occurrences."""
        from .feedcheck import readable, site_differences
        from .icslint import is_icalendar, lint_file

        paths = [Path(f) for f in files]
        problems = {path: lint_file(path) for path in paths}  # names a file that cannot be read
        read_back: dict[Path, list[str]] = {}
        compared: set[Path] = set()
        by_folder: dict[Path, list[Path]] = {}
        for path in paths:
            by_folder.setdefault(path.parent, []).append(path)
        for folder, members in by_folder.items():
            feeds = self._site_feeds(folder / "index.json")
            ours = [p for p in members if feeds is not None and p.name in feeds]
            for path in members:
                if path not in ours and problems[path] and not is_icalendar(path.read_bytes()):
                    read_back[path] = []  # not a calendar at all: said once, by the lint
                elif path not in ours:
                    try:
                        readable(path.read_bytes())
                        read_back[path] = []
                    except DeadlineError as exc:
                        read_back[path] = [str(exc)]
            if ours:
                reference = (folder / "all.ics").read_bytes(), feeds["all.ics"]
                found = site_differences(reference, [(p.name, p.read_bytes(), feeds[p.name]) for p in ours])
                for path in ours:
                    missing, extra = found[path.name]
                    read_back[path] = ([f"the rules give {m}; the feed does not" for m in missing]
                                       + [f"the feed gives {e}; the rules do not" for e in extra])
                compared.update(ours)
        return [FeedReport(p, problems[p], read_back[p], p in compared) for p in paths]

    def _site_feeds(self, index_file: Path) -> dict[str, list[Occurrence]] | None:
        """Feed file name → its occurrences, for the site whose ``feeds/index.json`` this is
        (built from this folder); None for a folder that holds no site."""
        try:
            index = json.loads(index_file.read_text(encoding="utf-8"))
            window = Window(date.fromisoformat(index["window"]["from"]), date.fromisoformat(index["window"]["to"]))
            units = {Path(row["file"]).name: name for name, row in index["units"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # not a site's index
        if not self.folder.is_dir() or not (index_file.parent / "all.ics").is_file():
            return None
        found = self._expand(self.plans, window.start, window.end, members=True)
        by_unit: dict[str, list[Occurrence]] = {}
        for occ in found:
            for name in occ.units.all():
                by_unit.setdefault(name, []).append(occ)
        every = [o for o in found if o.via is None]  # all.ics holds each task once
        return {"all.ics": every, **{file: by_unit.get(name, []) for file, name in units.items()}}


# --------------------------------------------------------------------------
# The one call into the importers


def _import_document(source: Path, **options: Any) -> Any:
    """A plan document read by :mod:`deadlines.importers` (which tells its format): ``Imported``."""
    from .importers import import_plan

    try:
        data = source.read_bytes()
    except OSError as exc:
        from .messages import say

        raise PathError(source, say("cannot_read", reason=exc.strerror or exc)) from None
    return import_plan(data, source=source.name, **options)


# --------------------------------------------------------------------------
# Which occurrence a done mark means


def _names(occ: Occurrence, period: str) -> bool:
    """Whether ``period`` names ``occ``: its key, its rule and period, its period, or its due date."""
    key = occ.key
    return period in (str(key), f"{key.rule}/{key.period}", key.period, occ.due_date.isoformat(),
                      moment_text(occ.due))


def _choose(plan: Plan, ob: Obligation, found: list[Occurrence], period: str | None, on: date) -> Occurrence:
    """The occurrence ``mark_done(ob, period=…, on=…)`` means (see :meth:`Workspace.mark_done`)."""
    dated = [o for o in found if o.due is not None]
    if not dated:
        raise NotDatedYet(ob.id, trigger_names(ob))
    if period is not None:
        matches = [o for o in dated if _names(o, period)]
        if not matches:
            raise UnknownName(f"period of {ob.id}", period, sorted({o.period for o in dated}))
        if len(matches) > 1:
            raise AmbiguousPeriod(ob.id, period, [str(o.key) for o in matches],
                                  [o.due_date.isoformat() for o in matches])
        return matches[0]  # one already done is refused by the store, in the transaction that would write it
    open_ = [o for o in dated if o.status != "done"]
    if not open_:
        raise NothingOpen(ob.id)
    # The open occurrence nearest the day it was done: a report sent on 10-22 is Q3's (due 10-20),
    # not Q1's, however long Q1 has been waiting.
    distance = {o.key: abs((o.due_date - on).days) for o in open_}
    nearest = min(distance.values())
    closest = [o for o in open_ if distance[o.key] == nearest]
    if len({o.due_date for o in closest}) > 1:
        raise NearestTie(ob.id, on, [str(o.key) for o in closest], [o.due_date.isoformat() for o in closest])
    return closest[0]


def _in_role(occ: Occurrence, unit: str | None, role: str | None) -> bool:
    if role is None:
        return unit is None or unit in occ.units.all()
    names = getattr(occ.units, role)
    return unit in names if unit is not None else bool(names)


def _writable(folder: Path) -> bool:
    """Whether ``folder`` is, or can be made, a folder this process writes in."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK)
    return False
