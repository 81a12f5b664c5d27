"""The plan as the commands use it: plain, read-only records, no validation.

A rules file is validated once, by the models of :mod:`deadlines.model`
(pydantic v2); what comes out is kept as the records of this module, which
have the same classes' names, fields (in the same order), defaults and
methods.  A record is made only from values already checked: by
:func:`deadlines.model.to_record` from a validated model, by the plan cache
from what a validated plan was, and by the engine and the event store.

Why two forms: a command on cached plans (``deadlines due`` every morning)
validates nothing, and importing pydantic and building its model classes
cost more than the rest of such a command together.  A record is also a
third of a model instance's size (slots, no per-instance field set).

A record compares equal to a record or a model of the same class name with
equal fields, and answers ``model_dump`` and ``model_copy`` as the model does
for the options used here, so code that takes a plan takes either form.
tests/test_records.py holds every record class to its model: the fields, their
order and defaults, equality, and the dumps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable, ClassVar, Literal

from .dates import day_of
from .roles import ROLES

RULE_KINDS = ("absolute", "recurring", "relative", "pending", "ongoing")

# The years a plan, a date in a rules file or a recorded event may name.  Far
# wider than any plan needs, and far enough inside what ``datetime.date`` holds
# (years 1–9999) that no count from such a date can leave it.
YEARS = (1900, 2200)

# The longest offset a rule may give: a century, whatever the unit.  Longer is
# a typo, and would count past the dates the calendar can hold.
MAX_OFFSET = {"day": 36_525, "workday": 25_000, "hour": 876_600, "week": 5_218, "month": 1_200, "year": 100}

OFFSET_ZH = {
    "day": "日",
    "workday": "个工作日",
    "hour": "小时",
    "week": "周",
    "month": "个月",
    "year": "年",
}

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # months in a period
EVERY_ZH = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "half": "半年", "year": "年"}

LEAD_UNITS = ("workday", "day", "week")


class New:
    """A field's default made anew for each record (a list, a nested record)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class Record:
    """A read-only record with named fields (``__slots__``), their defaults in ``_defaults``.

    Read-only by contract: nothing sets a field of a record once it is made
    (``model_copy`` makes another).  It is not enforced: a ``__setattr__``
    that refuses made every record four times slower to make.

    The fields are every slot of the class and its bases, bases first: the
    order of the model's fields.  A field not in ``_defaults`` is required.
    ``_types`` says what a field holds where it is not plain JSON (a date, a
    time, a record): a plan read back from JSON is typed again by it
    (deadlines.plancache); tests/test_records.py holds it to the models' types.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _types: ClassVar[dict[str, type]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        defaults: dict[str, Any] = {}
        types: dict[str, type] = {}
        for base in reversed(cls.__mro__):
            fields += [name for name in base.__dict__.get("__slots__", ()) if name not in fields]
            defaults.update(base.__dict__.get("_defaults", {}))
            types.update(base.__dict__.get("_types", {}))
        cls._fields = tuple(fields)
        cls._defaults = defaults
        cls._types = types
        cls.make = _maker(cls)

    def __init__(self, **values: Any) -> None:
        defaults = self._defaults
        for name in self._fields:
            if name in values:
                value = values.pop(name)
            elif name in defaults:
                value = defaults[name]
                if value.__class__ is New:
                    value = value.make()
            else:
                raise TypeError(f"{type(self).__name__}: {name} is required")
            setattr(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: no field {', '.join(sorted(values))}")

    @classmethod
    def make(cls, *values: Any) -> Any:
        """The record of every field's value, in field order: the fast way (no defaults looked up),
        as the plan cache and :func:`deadlines.model.to_record` make them (replaced for each class
        by :func:`_maker`)."""
        raise TypeError("Record itself has no fields")

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self.values() == other.values()  # type: ignore[attr-defined]
        if type(other).__name__ == type(self).__name__ and hasattr(type(other), "model_fields"):
            return all(getattr(self, name) == getattr(other, name, None) for name in self._fields)  # the model
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __reduce__(self) -> tuple:
        return (type(self).make, self.values())

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """Another record with the fields of ``update`` changed (as a model's ``model_copy`` gives)."""
        if not update:
            return self
        values = [update.pop(name) if name in update else getattr(self, name) for name in self._fields]
        if update:
            raise TypeError(f"{type(self).__name__}: no field {', '.join(sorted(update))}")
        return type(self).make(*values)

    def model_dump(self, *, mode: str = "python", exclude: set[str] | None = None,
                   exclude_defaults: bool = False) -> dict[str, Any]:
        """The fields as a mapping, as the model's ``model_dump`` gives them (``mode="json"``:
        dates and times as ISO text, tuples as lists)."""
        out: dict[str, Any] = {}
        defaults = self._defaults
        for name in self._fields:
            if exclude and name in exclude:
                continue
            value = getattr(self, name)
            if exclude_defaults and name in defaults:
                default = defaults[name]
                if (default.make() if default.__class__ is New else default) == value:
                    continue
            out[name] = _dumped(value, mode == "json")
        return out


def _maker(cls: type) -> Any:
    """``cls.make``: one function per class that sets each field in turn, written out.

    A loop over the fields took 6 µs a record, a third of loading a
    province's cached plans (94,000 records); this takes 0.8 µs.  Made as
    :mod:`dataclasses` makes ``__init__``: from text.
    """
    names = [f"v{i}" for i in range(len(cls._fields))]
    body = "".join(f"    obj.{name} = v{i}\n" for i, name in enumerate(cls._fields))
    source = f"def make(cls, {', '.join(names)}):\n    obj = new(cls)\n{body}    return obj\n"
    scope: dict[str, Any] = {"new": object.__new__}
    exec(source, scope)  # noqa: S102 - text made here from the class's own slot names
    return classmethod(scope["make"])


def _dumped(value: Any, json: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(mode="json" if json else "python")
    if isinstance(value, list):
        return [_dumped(v, json) for v in value]
    if isinstance(value, tuple):
        return [_dumped(v, json) for v in value] if json else tuple(_dumped(v, json) for v in value)
    if json and isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return value


# --------------------------------------------------------------------------
# Offsets and rules


class OffsetMethods:
    __slots__ = ()

    def zh(self) -> str:
        return f"{self.n}{OFFSET_ZH[self.unit]}"  # type: ignore[attr-defined]


class _Offset(OffsetMethods, Record):
    __slots__ = ("n", "unit")


class _RuleBase(Record):
    __slots__ = ("text", "ambiguous", "unparsed", "note")
    _defaults = {"text": "", "ambiguous": False, "unparsed": "", "note": ""}


class AbsoluteRule(_RuleBase):
    __slots__ = ("kind", "date", "time", "start", "alternative", "roll")
    _defaults = {"kind": "absolute", "time": None, "start": None, "alternative": None, "roll": None}
    _types = {"date": date, "time": time, "start": date, "alternative": date}


class RecurringRule(_RuleBase):
    __slots__ = ("kind", "every", "interval", "month", "day", "workday", "weekday", "after_end", "window",
                 "window_day", "months", "start", "end", "time", "roll")
    _defaults = {"kind": "recurring", "interval": 1, "month": None, "day": None, "workday": None, "weekday": None,
                 "after_end": None, "window": None, "window_day": None, "months": None, "start": None, "end": None,
                 "time": None, "roll": None}
    _types = {"after_end": _Offset, "window": _Offset, "start": date, "end": date, "time": time}


class RelativeRule(_RuleBase):
    __slots__ = ("kind", "trigger", "offset", "window", "roll")
    _defaults = {"kind": "relative", "offset": None, "window": None, "roll": None}
    _types = {"offset": _Offset, "window": _Offset}


class PendingRule(_RuleBase):
    __slots__ = ("kind", "trigger")
    _defaults = {"kind": "pending", "trigger": None}


class OngoingRule(_RuleBase):
    __slots__ = ("kind", "start", "until")
    _defaults = {"kind": "ongoing", "start": None, "until": None}
    _types = {"start": date, "until": date}


RULE_RECORDS = {"absolute": AbsoluteRule, "recurring": RecurringRule, "relative": RelativeRule,
                "pending": PendingRule, "ongoing": OngoingRule}


# --------------------------------------------------------------------------
# Plans and obligations


class UnitsMethods:
    __slots__ = ()

    def all(self) -> list[str]:
        """Every unit once, in role order."""
        seen: dict[str, None] = {}
        for name in (*self.lead, *self.responsible, *self.cooperating):  # type: ignore[attr-defined]
            seen.setdefault(name, None)
        return list(seen)

    def role_of(self, unit: str) -> str | None:
        for role in ROLES:
            if unit in getattr(self, role):
                return role
        return None


class Units(UnitsMethods, Record):
    """Who does it: 牵头 (lead), 责任 (responsible), 配合 (cooperating)."""

    __slots__ = ("lead", "responsible", "cooperating")
    _defaults = {"lead": (), "responsible": (), "cooperating": ()}


class SourceMethods:
    __slots__ = ()

    def shown(self) -> dict:
        """document, item and line, and the place in an office file where there is one."""
        out = {"document": self.document, "item": self.item, "line": self.line}  # type: ignore[attr-defined]
        out.update({k: getattr(self, k) for k in ("sheet", "table", "row", "page") if getattr(self, k)})
        return out


class Source(SourceMethods, Record):
    __slots__ = ("document", "item", "line", "sheet", "table", "row", "page")
    _defaults = {"document": "", "item": "", "line": None, "sheet": "", "table": None, "row": None, "page": None}


class Policy(Record):
    __slots__ = ("roll", "timely", "remind", "count_before_issue")
    _defaults = {"roll": False, "timely": New(lambda: _Offset.make(20, "workday")), "remind": None,
                 "count_before_issue": False}
    _types = {"timely": _Offset, "remind": _Offset}


class PlanPeriod(Record):
    __slots__ = ("start", "end")
    _types = {"start": date, "end": date}


class Obligation(Record):
    """One task or measure of a plan, with its units and time-limit rules."""

    __slots__ = ("id", "source", "category", "title", "requirement", "units", "due_text", "rules", "note", "remind",
                 "review", "flags")
    _defaults = {"source": New(Source), "category": "", "requirement": "", "units": New(Units), "due_text": "",
                 "rules": New(list), "note": "", "remind": None, "review": New(list), "flags": New(list)}
    _types = {"source": Source, "units": Units, "remind": _Offset}  # rules: a list of any kind


class Plan(Record):
    """One plan document: its metadata, policy and obligations."""

    __slots__ = ("id", "title", "issuer", "document_number", "place", "issued", "year", "period", "source", "policy",
                 "review", "obligations")
    _defaults = {"issuer": "", "document_number": "", "place": "", "issued": None, "period": None, "source": "",
                 "policy": New(Policy), "review": New(list), "obligations": New(list)}
    _types = {"issued": date, "period": PlanPeriod, "policy": Policy}  # obligations: a list


# --------------------------------------------------------------------------
# Triggers, done marks and occurrences

_PLAN_ISSUE = re.compile(r"^(本|该|此)?(方案|通知|计划|要点|意见)?(公布|印发|发布|下发|出台)(之日)?$")


def binds_plan_issue(trigger: str) -> bool:
    """'本方案公布', '本方案印发', '印发' are the plan's own issue date."""
    return bool(_PLAN_ISSUE.match(trigger.strip()))


class TriggerEventMethods:
    __slots__ = ()

    def dates(self, obligation: str, trigger: str | None) -> bool:
        """Whether this event dates a rule of ``obligation`` that waits on ``trigger``.

        An event recorded for an obligation dates its rules (only the one
        with that trigger, when the event is named); an event recorded by
        name alone dates every rule waiting on that name.  A rule with no
        trigger (an unread time limit) waits on a person, not on an event.
        """
        if trigger is None:
            return False
        if self.obligation is not None:  # type: ignore[attr-defined]
            return self.obligation == obligation and (not self.name or self.name == trigger)  # type: ignore[attr-defined]
        return self.name == trigger  # type: ignore[attr-defined]


class TriggerEvent(TriggerEventMethods, Record):
    """Something that happened: a name, when, and optionally the obligation it is for."""

    __slots__ = ("name", "on", "obligation", "note")
    _defaults = {"name": "", "obligation": None, "note": ""}


def trigger_names(ob: Any) -> list[str]:
    """The triggers an obligation waits on (its relative and pending rules), in rule order."""
    names: dict[str, None] = {}
    for rule in ob.rules:
        if rule.kind in ("relative", "pending") and rule.trigger:
            names.setdefault(rule.trigger, None)
    return list(names)


@dataclass(frozen=True, order=True)
class OccurrenceKey:
    """Which occurrence: the obligation, the index of its rule, the nominal period.

    One text form, ``obligation/rule/period``: ``zs2015-11.2/0/2015-Q3``,
    ``zs2015-5/0/2015-09-30`` (an event's day), ``fc-9/0/2015-09-02T10:00``
    (a timed event), ``d-3/0/fixed`` (a fixed date), ``fc-13/0/plan`` (the
    checkpoint of an ongoing duty), ``fc-12/0/waiting``.  Periods of series:
    ``2015-07-08`` (day), ``2015-W28``, ``2015-07``, ``2015-Q3``, ``2015-H1``,
    ``2015``.  It is the feed event's UID (before ``@deadlines``), what the
    event store keeps for a completion, and what ``deadlines done`` takes
    and prints.
    """

    obligation: str
    rule: int
    period: str

    def __str__(self) -> str:
        return f"{self.obligation}/{self.rule}/{self.period}"

    @classmethod
    def parse(cls, text: str) -> OccurrenceKey:
        """The key of ``obligation/rule/period``; ``ValueError`` if ``text`` is not one.

        An obligation id may hold a ``/``; a rule index and a period never do.
        """
        from .i18n import _

        parts = text.rsplit("/", 2)
        if len(parts) != 3 or not parts[0] or not parts[1].isdigit() or not parts[2] or " " in text:
            raise ValueError(_("not an occurrence key (obligation/rule/period): {text!r}").format(text=text))
        return cls(parts[0], int(parts[1]), parts[2])


class CompletionMethods:
    __slots__ = ()

    @property
    def key(self) -> OccurrenceKey:
        return OccurrenceKey(self.obligation, self.rule, self.period)  # type: ignore[attr-defined]


class Completion(CompletionMethods, Record):
    """One occurrence marked done: which occurrence (:class:`OccurrenceKey`), the day, a note."""

    __slots__ = ("obligation", "rule", "period", "on", "note", "unit", "by")
    _defaults = {"note": "", "unit": "", "by": ""}
    _types = {"on": date}

    @classmethod
    def of(cls, key: OccurrenceKey, on: date, note: str = "", unit: str = "", by: str = "") -> Completion:
        return cls.make(key.obligation, key.rule, key.period, on, note, unit, by)


# before_issue: due before the plan was issued (印发前): neither overdue nor counted in a rate.
Status = Literal["scheduled", "provisional", "waiting", "overdue", "done", "before_issue"]


def open_status(day: date | None, provisional: bool, plan: Any, today: date | None) -> Status:
    """The status of an occurrence due on ``day`` (None: waiting) that no done mark names."""
    if day is None:
        return "waiting"
    if plan is not None and plan.issued is not None and day < plan.issued and not plan.policy.count_before_issue:
        return "before_issue"  # the plan did not exist yet (DESIGN: counting semantics)
    if today is not None and day < today:
        return "overdue"
    return "provisional" if provisional else "scheduled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    """One due date of one rule of one obligation (or its waiting state).

    Made only by the engine (and by :mod:`deadlines.groups` for a member's
    copy), from values already of their types.  A province's build holds
    250,000 of them; with slots each is a fifth of the size of a model
    instance.
    """

    plan: str
    obligation: str
    rule: int  # the index of the rule in the obligation
    period: str  # the nominal period: 2015-Q3, 2015-07, an event's moment, fixed, plan, waiting
    title: str
    due_text: str
    units: Units
    due: dt.date | dt.datetime | None
    start: dt.date | None = None
    status: Status
    provisional: bool = False
    waiting_for: str | None = None
    why: str
    done_on: dt.date | None = None  # the day it was marked done (status done)
    via: str | None = None  # a member's copy of a group task: the group (deadlines.groups)

    @property
    def due_date(self) -> date | None:
        return None if self.due is None else day_of(self.due)

    @property
    def key(self) -> OccurrenceKey:
        return OccurrenceKey(self.obligation, self.rule, self.period)

    def sort_key(self) -> tuple:
        if self.due is None:
            when: tuple = (1, date.max, time.max)
        elif isinstance(self.due, datetime):
            when = (0, self.due.date(), self.due.time())
        else:
            when = (0, self.due, time.max)
        return (*when, self.plan, self.obligation, self.rule, self.period)

