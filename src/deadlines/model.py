"""The plan model: what a rules file may say, validated (pydantic v2).

Pure data, no I/O.  A validated plan is turned into its records
(:func:`to_record`, :mod:`deadlines.records`): plain read-only classes of the
same names and fields, which every command works on; pydantic is imported
only where a file is read.  A rules file is a :class:`Plan`; the rules of an obligation may be written as Chinese
phrases, in the canonical form (with ``kind``) or in a short form that reads
like the phrase::

    due: 审批或核准后两个工作日内                         # a phrase
    due: {after: 审批或核准, within: {workdays: 2}}       # short form
    due: {kind: relative, trigger: 审批或核准, offset: {n: 2, unit: workday}}

The model does not read Chinese itself (it sits below the phrase reader).
Phrases are read by the reader passed in the validation context, explicitly:
:func:`deadlines.rulesfile.plan_from_data` and the rules loader pass
:func:`deadlines.phrases.parse_phrase`; ``context={"read_phrase": None}``
keeps every phrase as an unread rule (the obligation flagged, never dropped).
Validating a phrase with no ``read_phrase`` in the context at all is an error
that says so, rather than a rule silently left unread.
"""

from __future__ import annotations

import re
import datetime as dt  # annotations say dt.date: fields named date and time shadow the types
from datetime import date
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .i18n import _

from . import records
from .dates import day_of, weekday_zh  # noqa: F401 (weekday_zh: kept importable from here)
from .records import (  # noqa: F401 (the plain parts, importable from here as before)
    EVERY_ZH,
    LEAD_UNITS,
    MAX_OFFSET,
    MONTHS_IN,
    RULE_KINDS,
    YEARS,
    CompletionMethods,
    Occurrence,
    OccurrenceKey,
    OffsetMethods,
    SourceMethods,
    Status,
    TriggerEventMethods,
    UnitsMethods,
    binds_plan_issue,
    open_status,
    trigger_names,
)
from .roles import ROLE_ZH, ROLES  # noqa: F401 (the one role table, re-exported)



def _in_years(value: date) -> date:
    from .messages import say

    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(say("date_range", low=f"{YEARS[0]}-01-01", high=f"{YEARS[1]}-12-31", value=value))
    return value


# A date written in a rules file: inside :data:`YEARS`.
Day = Annotated[dt.date, AfterValidator(_in_years)]


class _Model(BaseModel):
    # Validators are built on first use: a process validates a few of the
    # models, and should not pay for all of them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --------------------------------------------------------------------------
# Offsets ("2个工作日", "20日", "24小时", "1个月")

OffsetUnit = Literal["day", "workday", "hour", "week", "month", "year"]

# dateutil's convention: the plural is a relative amount (``workdays: 2``).
_OFFSET_PLURALS = {
    "days": "day",
    "workdays": "workday",
    "hours": "hour",
    "weeks": "week",
    "months": "month",
    "years": "year",
}


def _offset_input(value: Any) -> Any:
    """Accept ``{workdays: 2}`` (one plural key) as well as ``{n: 2, unit: workday}``."""
    if isinstance(value, dict) and "unit" not in value and "n" not in value:
        if len(value) == 1 and next(iter(value)) in _OFFSET_PLURALS:
            key = next(iter(value))
            return {"n": value[key], "unit": _OFFSET_PLURALS[key]}
        raise ValueError(
            f"an offset is one of {', '.join(_OFFSET_PLURALS)} (e.g. {{workdays: 2}}), "
            f"or n and unit; not {sorted(value)}"
        )
    return value


class _OffsetShort(BaseModel):
    """One plural key, e.g. ``{workdays: 2}``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    days: int | None = None
    workdays: int | None = None
    hours: int | None = None
    weeks: int | None = None
    months: int | None = None
    years: int | None = None


class _Offset(OffsetMethods, _Model):
    n: int = Field(ge=0, description="how many units")
    unit: OffsetUnit

    @model_validator(mode="after")
    def _bounded(self) -> _Offset:
        limit = MAX_OFFSET[self.unit]
        if self.n > limit:
            from .i18n import language

            offset = self.zh() if language() == "zh" else f"{self.n} {self.unit}s"
            raise ValueError(_("offset {offset} is more than a century (at most {limit})").format(offset=offset,
                                                                                                 limit=limit))
        return self


Offset = Annotated[
    _Offset,
    BeforeValidator(_offset_input, json_schema_input_type=Union[_Offset, _OffsetShort]),
]


# --------------------------------------------------------------------------
# Reminder lead time ("提前5个工作日提醒")

_LEAD_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
_LEAD_PHRASE = re.compile(
    r"^(?:提前)?(?P<n>\d+|[零〇一二两三四五六七八九十]+)(?P<unit>个?工作日|个?自然日|日|天|周|个?星期|个?礼拜)(?:提醒)?$"
)
_LEAD_UNIT = {"工作日": "workday", "自然日": "day", "日": "day", "天": "day", "周": "week", "星期": "week",
              "礼拜": "week"}


def _lead_number(text: str) -> int:
    """'5' → 5, '五' → 5, '十' → 10, '十五' → 15, '二十' → 20 (a lead time is a small number)."""
    if text.isdigit():
        return int(text)
    tens, _sep, ones = text.partition("十")
    if "十" not in text:
        return _LEAD_NUMERALS[text] if len(text) == 1 else int("".join(str(_LEAD_NUMERALS[c]) for c in text))
    return (_LEAD_NUMERALS[tens] if tens else 1) * 10 + (_LEAD_NUMERALS[ones] if ones else 0)


def _lead_input(value: Any) -> Any:
    """A lead time: ``5`` (working days), ``提前5个工作日提醒``, ``提前一周``, ``3天``, or ``{workdays: 5}``."""
    import unicodedata

    from .messages import say

    if isinstance(value, bool):
        raise ValueError(say("lead_unreadable", value=value))
    if isinstance(value, int):
        return {"n": value, "unit": "workday"}
    if isinstance(value, str):
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
        m = _LEAD_PHRASE.match(text)
        if m is None:
            raise ValueError(say("lead_unreadable", value=value))
        return {"n": _lead_number(m["n"]), "unit": _LEAD_UNIT[m["unit"].removeprefix("个")]}
    return _offset_input(value)


def _lead_unit(value: _Offset) -> _Offset:
    from .messages import say

    if value.unit not in LEAD_UNITS:
        raise ValueError(say("lead_unit", unit=value.unit))
    return value


# How long before a due date its unit is reminded: working days, days or weeks.
Lead = Annotated[
    _Offset,
    BeforeValidator(_lead_input, json_schema_input_type=Union[int, str, _OffsetShort]),
    AfterValidator(_lead_unit),
]


# --------------------------------------------------------------------------
# Rules


class _RuleBase(_Model):
    text: str = Field("", description="the part of the time limit this rule was read from")
    ambiguous: bool = Field(False, description="the phrase has another reasonable reading")
    unparsed: str = Field("", description="text that was not understood (flags the obligation)")
    note: str = Field("", description="a reviewer's comment")


class AbsoluteRule(_RuleBase):
    """One fixed date: 2016年12月底前, 9月10日前, 6月30日24时前."""

    kind: Literal["absolute"] = "absolute"
    date: Day
    time: dt.time | None = Field(None, description="a timed due (10:00); none means the whole day")
    start: Day | None = Field(None, description="the day the window opens, if stated")
    alternative: Day | None = Field(None, description="the other reading of an ambiguous phrase")
    roll: bool | None = Field(None, description="move to the next working day (遇节假日顺延)")

    @model_validator(mode="after")
    def _check(self) -> AbsoluteRule:
        if self.start is not None and self.start > self.date:
            raise ValueError(_("start {start} is after the due date {date}").format(start=self.start, date=self.date))
        return self


Every = Literal["day", "week", "month", "quarter", "half", "year"]


class RecurringRule(_RuleBase):
    """A series anchored in periods: 每季度首月25日前, 每月最后一个工作日, 每季度结束后20日内.

    Within each period the due date is, in order of precedence: ``after_end``
    counted from the period's last day; the ``workday``-th working day of the
    anchor month; ``day`` of the anchor month (``-1`` is the month end, and a
    day past the month end is clamped to it); ``weekday`` of the week; or else
    the period's last day.  The anchor month is the ``month``-th month of the
    period (``-1`` the last), by default its last month.
    """

    kind: Literal["recurring"] = "recurring"
    every: Every
    interval: int = Field(1, ge=1, description="every N periods (每两周: 2)")
    month: int | None = Field(None, description="month of the period: 1 首月, -1 末月")
    day: int | None = Field(None, description="day of the month; -1 the last day")
    workday: int | None = Field(None, description="Nth working day of the month; -1 the last")
    weekday: int | None = Field(None, ge=1, le=7, description="1 Monday … 7 Sunday")
    after_end: Offset | None = Field(None, description="due this long after the period ends")
    window: Offset | None = Field(None, description="with after_end: the window opens this long after the period ends")
    window_day: int | None = Field(None, ge=1, le=31, description="day the window opens (15-20日: 15)")
    window_month: int | None = Field(None, ge=1, le=12, description=(
        "every: year: the month the window opens (每年4月至10月: 4; after month, the year before: 每年11月至次年3月)"))
    months: list[int] | None = Field(None, description="only periods in these months (4—10月)")
    start: Day | None = Field(None, description="first day of the series (default: plan start)")
    end: Day | None = Field(None, description="last day of the series (default: plan end)")
    time: dt.time | None = None
    roll: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> RecurringRule:
        if self.day is not None and self.workday is not None:
            raise ValueError(_("give either day or workday, not both"))
        if self.day is not None and not (1 <= self.day <= 31 or self.day == -1):
            raise ValueError(_("day must be 1…31 or -1, not {day}").format(day=self.day))
        if self.workday is not None and not (1 <= self.workday <= 23 or self.workday == -1):
            raise ValueError(_("workday must be 1…23 or -1, not {workday}").format(workday=self.workday))
        if self.weekday is not None and self.every != "week":
            raise ValueError(_("weekday goes with every: week"))
        if self.every in ("day", "week") and (
            self.day is not None or self.workday is not None or self.month is not None
        ):
            raise ValueError(_("every: {every} takes no day, workday or month").format(every=self.every))
        if self.month is not None:
            size = MONTHS_IN.get(self.every, 1)
            if not (1 <= self.month <= size or self.month == -1):
                raise ValueError(_("month must be 1…{size} or -1 for every: {every}").format(size=size, every=self.every))
        if self.after_end is not None and any(
            v is not None for v in (self.day, self.workday, self.weekday, self.month)
        ):
            raise ValueError(_("after_end counts from the period end: it takes no day/workday/weekday/month"))
        if self.window is not None and (self.after_end is None or self.window.unit != self.after_end.unit):
            raise ValueError(_("window goes with after_end, in the same unit (结束后15-20日内)"))
        if self.window_month is not None and (self.every != "year" or self.month in (None, -1)
                                               or self.window_month == self.month):
            raise ValueError(_("window_month goes with every: year and another month (每年4月至10月)"))
        if self.months is not None:
            bad = [m for m in self.months if not 1 <= m <= 12]
            if bad or not self.months:
                raise ValueError(_("months must be a non-empty list of 1…12, not {months}").format(months=self.months))
        if self.start and self.end and self.start > self.end:
            raise ValueError(_("start {start} is after end {end}").format(start=self.start, end=self.end))
        unit = "month" if self.every in MONTHS_IN else self.every  # quarter, half, year: in months
        if self.interval * MONTHS_IN.get(self.every, 1) > MAX_OFFSET[unit]:
            raise ValueError(_("interval {interval} spans more than a century").format(interval=self.interval))
        # One way to say each thing: 每年4月 is 每年4月底; 每季度底 is 每季度 (its last day).
        if self.month is not None and self.day is None and self.workday is None:
            object.__setattr__(self, "day", -1)
        if self.every in ("quarter", "half", "year") and self.month is None and self.day == -1:
            object.__setattr__(self, "day", None)
        return self


class RelativeRule(_RuleBase):
    """A trigger event plus an offset: 审批或核准后两个工作日内, 经市人大批准后20日内.

    ``offset: null`` is 及时 (promptly): the plan's ``policy.timely`` applies.
    """

    kind: Literal["relative"] = "relative"
    trigger: str = Field(min_length=1, description="the event as written (审批或核准)")
    offset: Offset | None = Field(None, description="none means 及时: the plan's timely policy")
    window: Offset | None = Field(None, description="the earliest point, if a range is stated")
    roll: bool | None = Field(None, description="override the default roll of the unit")


class PendingRule(_RuleBase):
    """Waits on an outside event with no offset: 待省出台具体规定后.

    With no trigger, the rule waits on a person: its text could not be read.
    """

    kind: Literal["pending"] = "pending"
    trigger: str | None = Field(None, description="the awaited event; none if the text is unread")


class OngoingRule(_RuleBase):
    """A standing duty over the plan period (全年工作, 实时, 持续推进)."""

    kind: Literal["ongoing"] = "ongoing"
    start: Day | None = Field(None, description="the duty starts here (2015年6月开始)")
    until: Day | None = Field(None, description="the checkpoint (default: plan end)")


_SHORT_KEYS = {
    # short key: (kind, canonical field)
    "after": ("relative", "trigger"),
    "within": ("relative", "offset"),
    "on": ("absolute", "date"),
    "waiting": ("pending", "trigger"),
}


def _rule_input(value: Any) -> Any:
    """Turn the short form into the canonical one; infer ``kind`` where it is missing."""
    if not isinstance(value, dict) or "kind" in value:
        return value
    out = dict(value)
    kinds = set()
    for short, (kind, field) in _SHORT_KEYS.items():
        if short in out:
            kinds.add(kind)
            out[field] = out.pop(short)
    if "every" in out:
        kinds.add("recurring")
    if "trigger" in value and not kinds:
        kinds.add("relative" if "offset" in value else "pending")
    if len(kinds) == 1:
        out["kind"] = kinds.pop()
    elif not kinds:
        raise ValueError(
            "cannot tell the rule kind: give kind (absolute, recurring, relative, pending, "
            "ongoing) or one of after/within, on, every, waiting"
        )
    else:
        raise ValueError(_("keys of different rule kinds mixed: {sorted_kinds}").format(sorted_kinds=sorted(kinds)))
    return out


class _AbsoluteShort(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)
    on: Day


class _RelativeShort(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)
    after: str
    within: Offset | None = None


class _PendingShort(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)
    waiting: str


class _RecurringShort(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)
    every: Every


_CanonicalRule = Annotated[
    Union[AbsoluteRule, RecurringRule, RelativeRule, PendingRule, OngoingRule],
    Discriminator("kind"),
]

_RuleInput = Union[_CanonicalRule, _AbsoluteShort, _RelativeShort, _PendingShort, _RecurringShort]

Rule = Annotated[_CanonicalRule, BeforeValidator(_rule_input, json_schema_input_type=_RuleInput)]


# --------------------------------------------------------------------------
# Plans and obligations


class Units(UnitsMethods, _Model):
    """Who does it: 牵头 (lead), 责任 (responsible), 配合 (cooperating)."""

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()

    @field_validator("lead", "responsible", "cooperating", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value]
        return value

    @field_validator("lead", "responsible", "cooperating")
    @classmethod
    def _clean(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(v.strip() for v in value)
        if any(not n for n in names):
            raise ValueError(_("unit names must not be empty"))
        return names


class Source(SourceMethods, _Model):
    document: str = Field("", description="the source document (file or title)")
    item: str = Field("", description="the item number in the document (3.2)")
    line: int | None = Field(None, ge=1, description="the line of the source text it was read from")
    sheet: str = Field("", description="the sheet of a workbook it was read from")
    table: int | None = Field(None, ge=1, description="the table of an office file or PDF (1-based)")
    row: int | None = Field(None, ge=1, description="the row of that table or sheet (1-based)")
    page: int | None = Field(None, ge=1, description="the page of a PDF")


class Policy(_Model):
    roll: bool = Field(False, description="roll fixed dates that fall on rest days")
    timely: Offset = Field(
        default_factory=lambda: _Offset(n=20, unit="workday"),
        description="what 及时 means after a trigger (《政府信息公开条例》第26条: 20个工作日)",
    )
    remind: Lead | None = Field(
        None, description="how long before a due date its units are reminded (提前5个工作日提醒; default: contacts.yaml, else 3 working days)"
    )
    count_before_issue: bool = Field(
        False,
        description="count occurrences due before the plan's issue date as overdue and in completion rates "
                    "(default: they are 印发前, neither)",
    )


class PlanPeriod(_Model):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _order(self) -> PlanPeriod:
        if self.start > self.end:
            raise ValueError(_("start {start} is after end {end}").format(start=self.start, end=self.end))
        return self


PhraseReader = Callable[..., list[Any]]


def _unread(text: str) -> PendingRule:
    return PendingRule(trigger=None, text=text, unparsed=text)


def _due_input(value: Any, info: ValidationInfo) -> list[Any]:
    """``due``: a phrase, a rule, or a list of both; phrases go to the reader in the context.

    The reader is never implicit: with no ``read_phrase`` in the context a
    phrase is an error that names the way to read it.
    """
    items = value if isinstance(value, list) else [] if value is None else [value]
    ctx = info.context or {}
    rules: list[Any] = []
    for item in items:
        if not isinstance(item, str):
            rules.append(item)
            continue
        if "read_phrase" not in ctx:
            raise ValueError(
                f"'{item}' is a time-limit phrase and the model does not read phrases: load it with "
                "deadlines.load_plans or deadlines.rulesfile.plan_from_data, or validate with "
                "context={'read_phrase': None} to keep it unread"
            )
        reader: PhraseReader | None = ctx["read_phrase"]
        if reader is None:
            rules.append(_unread(item))
        else:
            rules.extend(reader(item, year=ctx.get("year"), issued=ctx.get("issued")) or [_unread(item)])
    return rules


class Obligation(_Model):
    """One task or measure of a plan, with its units and time-limit rules."""

    id: str = Field(pattern=r"^[^\s]+$", description="stable id, unique across all plans")
    source: Source = Field(default_factory=Source)
    category: str = ""
    title: str = Field(min_length=1)
    requirement: str = ""
    units: Units = Field(default_factory=Units)
    due_text: str = Field("", description="the time limit exactly as written in the plan")
    rules: Annotated[
        list[Rule],
        BeforeValidator(_due_input, json_schema_input_type=Union[str, _RuleInput, list[Union[str, _RuleInput]]]),
    ] = Field(
        default_factory=list,
        validation_alias="due",
        description="how the time limit is read: a phrase, a rule, or a list (default: read due_text)",
    )
    note: str = Field("", description="a remark kept with the obligation (e.g. a duplicated row)")
    remind: Lead | None = Field(
        None, description="how long before each due date its units are reminded (提前5个工作日提醒); default: the plan's"
    )
    review: list[str] = Field(
        default_factory=list, description="open questions for a person; `deadlines check` lists them"
    )
    flags: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _due_defaults(cls, data: Any) -> Any:
        """Without ``due``, read ``due_text``; without ``due_text``, keep the phrases of ``due``."""
        if not isinstance(data, dict):
            return data
        due = data.get("due", data.get("rules"))
        if due is None and data.get("due_text"):
            return {**data, "due": data["due_text"]}
        items = due if isinstance(due, list) else [due]
        phrases = [d for d in items if isinstance(d, str)]
        if phrases and not data.get("due_text"):
            return {**data, "due_text": "；".join(phrases)}
        return data

    @model_validator(mode="after")
    def _flag(self) -> Obligation:
        flags = set(self.flags)
        if any(r.unparsed for r in self.rules):
            flags.add("unparsed")
        if any(r.ambiguous for r in self.rules):
            flags.add("ambiguous")
        if not self.rules:
            flags.add("no-rule")
        if not self.units.all():
            flags.add("no-unit")
        object.__setattr__(self, "flags", sorted(flags))
        return self


class Plan(_Model):
    """One plan document: its metadata, policy and obligations."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="defaults to the file name")
    title: str = Field(min_length=1)
    issuer: str = ""
    document_number: str = Field("", description="文号, e.g. 柞政办发〔2015〕93号")
    place: str = Field("", description="where the plan applies (中山市): qualifies its unit names")
    issued: Day | None = Field(None, description="issue date: the event for 本方案印发后…")
    year: int = Field(
        strict=True, ge=YEARS[0], le=YEARS[1], description="the plan year: a date without a year is in it"
    )
    period: PlanPeriod | None = Field(None, description="default: the plan year")
    source: str = Field("", description="the document the plan was read from")
    policy: Policy = Field(default_factory=Policy)
    review: list[str] = Field(
        default_factory=list, description="open questions about the plan itself (a guessed title or year)"
    )
    obligations: list[Obligation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _defaults(self) -> Plan:
        if self.period is None:
            object.__setattr__(
                self, "period", PlanPeriod(start=date(self.year, 1, 1), end=date(self.year, 12, 31))
            )
        seen: set[str] = set()
        for ob in self.obligations:
            if ob.id in seen:
                raise ValueError(_("obligation id '{ob_id}' appears twice").format(ob_id=ob.id))
            seen.add(ob.id)
        return self


# --------------------------------------------------------------------------
# Triggers and done marks


class TriggerEvent(TriggerEventMethods, _Model):
    """Something that happened: a name, when, and optionally the obligation it is for.

    Which rules it dates is :meth:`dates`, the one place that decides it.
    """

    name: str = ""
    on: dt.date | dt.datetime
    obligation: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _named(self) -> TriggerEvent:
        if not self.name and not self.obligation:
            raise ValueError(_("a trigger event needs a name or an obligation"))
        return self


class Completion(CompletionMethods, _Model):
    """One occurrence marked done: which occurrence (:class:`OccurrenceKey`), the day, a note."""

    obligation: str = Field(min_length=1)
    rule: int = Field(ge=0)
    period: str = Field(min_length=1)
    on: dt.date
    note: str = ""
    unit: str = Field("", description="the member unit of a group task it is for ('' = the task itself)")
    by: str = Field("", description="who marked it done")



# --------------------------------------------------------------------------
# From a validated model to the record the commands use (deadlines.records)

_MODELS = (_Offset, AbsoluteRule, RecurringRule, RelativeRule, PendingRule, OngoingRule, Units, Source, Policy,
           PlanPeriod, Obligation, Plan, TriggerEvent, Completion)
RECORD_OF: dict[type, type] = {model: getattr(records, model.__name__) for model in _MODELS}


def to_record(value: Any, _memo: dict[int, tuple[Any, Any]] | None = None) -> Any:
    """The record of a validated model (and of the models inside it), or of a list of them.

    A model met twice (a phrase read once gives its rules to every obligation
    that repeats it) gives one record: what was shared stays shared.
    """
    memo: dict[int, tuple[Any, Any]] = {} if _memo is None else _memo
    if value.__class__ is list:
        return [to_record(v, memo) for v in value]
    convert = (_CONVERTERS or _converters()).get(value.__class__)
    if convert is None:
        return value
    found = memo.get(id(value))
    if found is None:  # the model is kept beside its record: its id stays its own while the memo lives
        found = memo[id(value)] = (convert(value.__dict__, memo), value)
    return found[0]


_CONVERTERS: dict[type, Callable[[dict[str, Any], dict], Any]] = {}


def _converters() -> dict[type, Callable[[dict[str, Any], dict], Any]]:
    """For each model, the function that makes its record from its fields, written out per class
    (as :func:`deadlines.records._maker` is).  A field holding one model of a known class is
    converted in place; a list of models (rules, which a phrase read once shares between
    obligations; obligations) goes through :func:`to_record` and its memo.  A loop over the
    fields of each of a province's 50,000 validated obligations took half as long as
    validating them."""
    from typing import get_args, get_origin

    def models(annotation: Any) -> list[type]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for a in get_args(annotation) for m in models(a)]

    sources = {}
    for model in RECORD_OF:
        args = []
        for name, info in model.model_fields.items():
            found = models(info.annotation)
            if len(found) == 1 and get_origin(info.annotation) is not list:
                args.append(f"None if given[{name!r}] is None else "
                            f"record_of_{found[0].__name__}(given[{name!r}].__dict__, memo)")
            elif found:
                args.append(f"to_record(given[{name!r}], memo)")
            else:
                args.append(f"given[{name!r}]")
        sources[model] = (f"def record_of_{model.__name__}(given, memo):\n"
                          f"    return make_{model.__name__}({', '.join(args)})\n")
    scope: dict[str, Any] = {"to_record": to_record, **{f"make_{m.__name__}": r.make for m, r in RECORD_OF.items()}}
    exec("".join(sources.values()), scope)  # noqa: S102 - text made here from the models' own field names
    _CONVERTERS.update({model: scope[f"record_of_{model.__name__}"] for model in RECORD_OF})
    return _CONVERTERS
