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
from datetime import date, datetime, time
from operator import attrgetter
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


class _RecordType(type):
    """Makes a record class from its annotated fields, as :func:`dataclasses.dataclass` does, but
    in a fifth of the time: ``deadlines due`` defines twenty such classes, and dataclasses took
    a sixth of the command (each writes and compiles half a dozen methods; a record, two).

    ``name: type`` declares a field and ``name: type = value`` one with a default
    (:class:`New` for a list or a record made anew each time); the fields become
    the class's ``__slots__``.  Annotations marked ``ClassVar`` are not fields.
    """

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> type:
        if "__slots__" not in namespace:
            if "__annotations__" not in namespace and "__annotate__" in namespace:
                # Python 3.14 keeps a class's annotations in a function, not in its namespace
                raise TypeError(f"{name}: write `from __future__ import annotations` in a module of records")
            own = [field for field, annotation in namespace.get("__annotations__", {}).items()
                   if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))]
            namespace["__slots__"] = tuple(own)
            namespace["_defaults"] = {field: namespace.pop(field) for field in own if field in namespace}
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class Record(metaclass=_RecordType):
    """A record with named fields: made with each field by name (or in order, as far as the
    defaults allow), equal to another of its class with equal fields, printed and pickled as a
    dataclass is.

    Read-only by contract: nothing sets a field of a record once it is made
    (``replace`` makes another).  It is not enforced: a ``__setattr__`` that
    refuses made every record four times slower to make.

    The fields are those of the class and its bases, bases first: for the
    records of plans, the order of the model's fields.  ``_types`` says what a
    field holds where it is not plain JSON (a date, a time, a record): a plan
    read back from JSON is typed again by it (deadlines.plancache);
    tests/test_records.py holds it to the models' types.
    """

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
        taken = set(fields) & {name for name in vars(Record) if not name.startswith("__")}
        if taken:  # a field would hide a method of every record (values, replace, make …)
            raise TypeError(f"{cls.__name__}: a field may not be named {', '.join(sorted(taken))}")
        own = {"__init__", "make", "values"} & set(vars(cls))
        if own:  # they are written from the fields here (a check of one's own goes in __post_init__)
            raise TypeError(f"{cls.__name__}: a record does not define {', '.join(sorted(own))}")
        cls._fields = tuple(fields)
        cls._defaults = defaults
        cls._types = types
        getter = attrgetter(*fields) if len(fields) > 1 else None
        if getter is not None:
            cls.values = lambda self: getter(self)
        else:
            cls.values = lambda self: tuple(getattr(self, name) for name in fields)
        # Each class its own __init__ and make, written on first use (:func:`_write_methods`):
        # writing them costs a third of a millisecond a class, and a command uses few of its classes.
        cls.__init__ = Record.__init__
        cls.make = classmethod(Record.make.__func__)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if "_written" not in cls.__dict__:
            _write_methods(cls)
        cls.__init__(self, *args, **kwargs)

    @classmethod
    def make(cls, *values: Any) -> Any:
        """The record of every field's value, in field order: the fast way (no defaults looked up),
        as the plan cache and :func:`deadlines.model.to_record` make them."""
        if not cls._fields:
            raise TypeError(f"{cls.__name__} has no fields")
        if "_written" not in cls.__dict__:
            _write_methods(cls)
        return cls.make(*values)  # the written one (this, where it was taken before it was written)

    def values(self) -> tuple[Any, ...]:
        """Every field's value, in field order (an ``attrgetter`` for each class)."""
        return ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self.values() == other.values()  # type: ignore[attr-defined]
        if type(other).__name__ == type(self).__name__ and hasattr(type(other), "model_fields"):
            return all(getattr(self, name) == getattr(other, name, None) for name in self._fields)  # the model
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.values())  # as a frozen model hashes: a record and its equal model hash alike

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __reduce__(self) -> tuple:
        return (type(self).make, self.values())

    @classmethod
    def default(cls, name: str) -> Any:
        """The default of field ``name`` (made anew where it is a :class:`New`); KeyError: required."""
        value = cls._defaults[name]
        return value.make() if value.__class__ is New else value

    def replace(self, **changes: Any) -> Any:
        """Another record with the fields named changed (as :func:`dataclasses.replace` gives)."""
        if not changes:
            return self
        values = [changes.pop(name) if name in changes else getattr(self, name) for name in self._fields]
        if changes:
            raise TypeError(f"{type(self).__name__}: no field {', '.join(sorted(changes))}")
        if hasattr(self, "__post_init__"):  # its check runs on the new values too (Window: start ≤ end)
            return type(self)(**dict(zip(self._fields, values)))
        return type(self).make(*values)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """:meth:`replace`, as a model's ``model_copy`` is called."""
        return self.replace(**(update or {}))

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
            if exclude_defaults and name in defaults and self.default(name) == value:
                continue
            out[name] = _dumped(value, mode == "json")
        return out


def _write_methods(*classes: type) -> None:
    """Each class's ``__init__`` and ``make``, written out from its fields, all compiled at once.

    ``make`` sets each field in turn: a loop over the fields took 6 µs a
    record, a third of loading a province's cached plans (94,000 records);
    this takes 0.8 µs.  ``__init__`` takes the fields in order as far as
    the defaults allow (no field without a default after one with), the
    rest by name only, and calls ``__post_init__`` where the class has one.
    One compilation for several classes: compiling costs most per call.
    """
    scope: dict[str, Any] = {"new": object.__new__, "NEW": New}
    source: list[str] = []
    for c, cls in enumerate(classes):
        fields, defaults = cls._fields, cls._defaults
        params, body = [], []
        later_required = [i for i, name in enumerate(fields) if name not in defaults]
        keyword_only = False
        for i, name in enumerate(fields):
            if name in defaults:
                if not keyword_only and later_required and later_required[-1] > i:
                    keyword_only = True
                    params.append("*")
                default = defaults[name]
                scope[f"d{c}_{i}"] = default
                params.append(f"{name}=d{c}_{i}")
                if default.__class__ is New:
                    body.append(f"    self.{name} = {name}.make() if {name}.__class__ is NEW else {name}\n")
                    continue
            else:
                params.append(name)
            body.append(f"    self.{name} = {name}\n")
        if hasattr(cls, "__post_init__"):
            body.append("    self.__post_init__()\n")
        values = [f"v{i}" for i in range(len(fields))]
        sets = "".join(f"    obj.{name} = v{i}\n" for i, name in enumerate(fields))
        source.append(f"def init{c}(self, {', '.join(params)}):\n" + ("".join(body) or "    pass\n")
                      + f"def make{c}(cls, {', '.join(values)}):\n    obj = new(cls)\n{sets}    return obj\n")
    exec("".join(source), scope)  # noqa: S102 - text made here from the classes' own field names
    for c, cls in enumerate(classes):
        cls.__init__ = scope[f"init{c}"]
        cls.__init__.__name__ = "__init__"
        cls.__init__.__qualname__ = f"{cls.__qualname__}.__init__"
        make = scope[f"make{c}"]
        make.__name__, make.__qualname__ = "make", f"{cls.__qualname__}.make"
        cls.make = classmethod(make)
        cls._written = True


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
    n: int
    unit: str


class _RuleBase(Record):
    text: str = ""
    ambiguous: bool = False
    unparsed: str = ""
    note: str = ""


class AbsoluteRule(_RuleBase):
    kind: str = "absolute"
    date: dt.date
    time: dt.time | None = None
    start: dt.date | None = None
    alternative: dt.date | None = None
    roll: bool | None = None
    _types = {"date": dt.date, "time": dt.time, "start": dt.date, "alternative": dt.date}


class RecurringRule(_RuleBase):
    kind: str = "recurring"
    every: str
    interval: int = 1
    month: int | None = None
    day: int | None = None
    workday: int | None = None
    weekday: int | None = None
    after_end: _Offset | None = None
    window: _Offset | None = None
    window_day: int | None = None
    window_month: int | None = None
    months: list[int] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    time: dt.time | None = None
    roll: bool | None = None
    _types = {"after_end": _Offset, "window": _Offset, "start": dt.date, "end": dt.date, "time": dt.time}


class RelativeRule(_RuleBase):
    kind: str = "relative"
    trigger: str
    offset: _Offset | None = None
    window: _Offset | None = None
    roll: bool | None = None
    _types = {"offset": _Offset, "window": _Offset}


class PendingRule(_RuleBase):
    kind: str = "pending"
    trigger: str | None = None


class OngoingRule(_RuleBase):
    kind: str = "ongoing"
    start: dt.date | None = None
    until: dt.date | None = None
    _types = {"start": dt.date, "until": dt.date}


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

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()


class SourceMethods:
    __slots__ = ()

    def shown(self) -> dict:
        """document, item and line, and the place in an office file where there is one."""
        out = {"document": self.document, "item": self.item, "line": self.line}  # type: ignore[attr-defined]
        out.update({k: getattr(self, k) for k in ("sheet", "table", "row", "page") if getattr(self, k)})
        return out


class Source(SourceMethods, Record):
    document: str = ""
    item: str = ""
    line: int | None = None
    sheet: str = ""
    table: int | None = None
    row: int | None = None
    page: int | None = None


class Policy(Record):
    roll: bool = False
    timely: _Offset = New(lambda: _Offset(20, "workday"))
    remind: _Offset | None = None
    count_before_issue: bool = False
    _types = {"timely": _Offset, "remind": _Offset}


class PlanPeriod(Record):
    start: dt.date
    end: dt.date
    _types = {"start": dt.date, "end": dt.date}


class Obligation(Record):
    """One task or measure of a plan, with its units and time-limit rules."""

    id: str
    source: Source = New(Source)
    category: str = ""
    title: str
    requirement: str = ""
    units: Units = New(Units)
    due_text: str = ""
    rules: list[Any] = New(list)
    note: str = ""
    remind: _Offset | None = None
    review: list[str] = New(list)
    flags: list[str] = New(list)
    _types = {"source": Source, "units": Units, "remind": _Offset}  # rules: a list of any kind


class Plan(Record):
    """One plan document: its metadata, policy and obligations."""

    id: str
    title: str
    issuer: str = ""
    document_number: str = ""
    place: str = ""
    issued: dt.date | None = None
    year: int
    period: PlanPeriod | None = None
    source: str = ""
    policy: Policy = New(Policy)
    review: list[str] = New(list)
    obligations: list[Obligation] = New(list)
    _types = {"issued": dt.date, "period": PlanPeriod, "policy": Policy}  # obligations: a list


# Every command loads plans: their records' methods are written at once, so that
# a loop that took ``Obligation.make`` before any obligation was made calls the
# written one.
_write_methods(_Offset, *RULE_RECORDS.values(), Units, Source, Policy, PlanPeriod, Obligation, Plan)


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

    name: str = ""
    on: dt.date | dt.datetime
    obligation: str | None = None
    note: str = ""


def trigger_names(ob: Any) -> list[str]:
    """The triggers an obligation waits on (its relative and pending rules), in rule order."""
    names: dict[str, None] = {}
    for rule in ob.rules:
        if rule.kind in ("relative", "pending") and rule.trigger:
            names.setdefault(rule.trigger, None)
    return list(names)


class OccurrenceKey(Record):
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

    # ordered as its fields are (obligation, then rule, then period)
    def __lt__(self, other: OccurrenceKey) -> bool:
        return self.values() < other.values()

    def __le__(self, other: OccurrenceKey) -> bool:
        return self.values() <= other.values()

    def __gt__(self, other: OccurrenceKey) -> bool:
        return self.values() > other.values()

    def __ge__(self, other: OccurrenceKey) -> bool:
        return self.values() >= other.values()

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


class Keyed:
    """What has an obligation, a rule and a period (an occurrence, a done mark) has their key."""

    __slots__ = ()

    @property
    def key(self) -> OccurrenceKey:
        return OccurrenceKey(self.obligation, self.rule, self.period)  # type: ignore[attr-defined]


class CompletionMethods(Keyed):
    __slots__ = ()

    @classmethod
    def of(cls, key: OccurrenceKey, on: date, note: str = "", unit: str = "", by: str = "") -> Any:
        return cls(obligation=key.obligation, rule=key.rule, period=key.period, on=on, note=note, unit=unit, by=by)


class Completion(CompletionMethods, Record):
    """One occurrence marked done: which occurrence (:class:`OccurrenceKey`), the day, a note."""

    obligation: str
    rule: int
    period: str
    on: dt.date
    note: str = ""
    unit: str = ""
    by: str = ""
    _types = {"on": dt.date}


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


class Occurrence(Keyed, Record):
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

    def sort_key(self) -> tuple:
        if self.due is None:
            when: tuple = (1, date.max, time.max)
        elif isinstance(self.due, datetime):
            when = (0, self.due.date(), self.due.time())
        else:
            when = (0, self.due, time.max)
        return (*when, self.plan, self.obligation, self.rule, self.period)

