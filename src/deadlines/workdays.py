"""The official working-day calendar (statutory holidays and 调休 working days).

The data is ``chinese_calendar``'s (the State Council's yearly notices) plus
override files, one per notice year: package data in ``deadlines/data/calendars``
and, for a rule set, ``rules/calendars/<year>.yaml``.  An override file for a
year the package does not cover adds that year; for a covered year it corrects
single days (2005-12-31, a working Saturday by 国办发明电〔2005〕35号, is a rest
day in chinese-calendar 1.11).

Why not call ``chinese_calendar`` directly: its ``is_workday`` rescans every key
for the covered years on each call, and ``find_workday(n, d)`` walks day by day
and first moves a rest-day start onto a working day (Saturday 2016-09-17 + 2
gives 09-20; the second working day after 09-17 is 09-19, Sunday 09-18 being a
调休 working day).  Here the data is laid out once as a day table with prefix
sums, so every question is answered in O(1).
"""

from __future__ import annotations

import datetime as dt  # the calendar file model has a field named date
from array import array
from functools import cache
from datetime import date, timedelta
from itertools import accumulate, compress
from pathlib import Path
from typing import Callable, Iterable

from .records import New, Record
from .errors import CalendarDataMissing, DateOutOfRange, RulesFileError

_ONE = timedelta(days=1)

# The years any date is counted in.  Plan years are 1900–2200 (the phrase
# reader's bound) and no time limit runs longer than a century (its offset
# bound), so every due of a readable plan falls inside; a provisional calendar
# (weekends only) never grows beyond them.
YEARS = (1900, 2300)
SOON_WORKDAYS = 3  # "due soon": within this many working days (the ledger, `due`'s colours, reminders' lead)


def _weekday_ordinal(start: int, m: int, step: int) -> int:
    """The ordinal of the ``m``-th Monday–Friday met going from ordinal ``start``
    (included) forward (``step`` 1) or back (-1): the weekends-only count."""
    d = start
    while (d - 1) % 7 >= 5:  # ordinal 1, 0001-01-01, is a Monday
        d += step
    weeks, rest = divmod(m - 1, 5)
    d += 7 * weeks * step
    while rest:
        d += step
        if (d - 1) % 7 < 5:
            rest -= 1
    return d


class Notice(Record):
    """The State Council notice behind a year's data (or its correction)."""

    year: int
    notice: str
    title: str = ""
    url: str = ""
    published: date | None = None
    file: str = ""
    source: str = ""  # the saved notice the file was read from (``deadlines holidays import``)
    whole_year: bool = False  # the file gives the year's whole schedule, not corrections
    amended_by: tuple[str, ...] = ()  # later notices merged into the file


@cache
def _calendar_file_model():
    """The model of a calendar file (built on first use: the CLI need not pay for it)."""
    from pydantic import BaseModel, ConfigDict, Field, model_validator

    class DayEntry(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        date: dt.date | None = None
        first: dt.date | None = Field(None, alias="from")
        last: dt.date | None = Field(None, alias="to")
        name: str = ""

        @model_validator(mode="before")
        @classmethod
        def _bare(cls, value):
            return value if isinstance(value, dict) else {"date": value}

        @model_validator(mode="after")
        def _one_form(self):
            if (self.date is None) == (self.first is None or self.last is None):
                from .messages import say

                raise ValueError(say("give_date"))
            if self.first and self.last and self.last < self.first:
                raise ValueError(f"'to' {self.last} is before 'from' {self.first}")
            return self

        def days(self):
            if self.date is not None:
                yield self.date
                return
            d = self.first
            while d <= self.last:
                yield d
                d += _ONE

    class Amendment(BaseModel):
        model_config = ConfigDict(extra="forbid")
        notice: str = Field(min_length=1)
        title: str = ""
        url: str = ""
        published: dt.date | None = None
        source: str = ""

    class CalendarFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        year: int
        notice: str = Field(min_length=1, description="the State Council notice (国办发明电〔…〕…号)")
        title: str = ""
        url: str = ""
        published: dt.date | None = None
        source: str = Field("", description="the saved copy of the notice this file was read from")
        whole_year: bool = Field(False, description="the notice's whole schedule: chinese-calendar's days "
                                                    "of this year are not used")
        amended_by: list[Amendment] = []
        rest_days: list[DayEntry] = []
        workdays: list[DayEntry] = []

        @model_validator(mode="after")
        def _disjoint(self):
            both = {d for e in self.rest_days for d in e.days()} & {d for e in self.workdays for d in e.days()}
            if both:
                raise ValueError(f"{min(both)} is listed as both a rest day and a working day")
            return self

    return CalendarFile


class _Override(Record):
    notice: Notice
    rest_days: dict[date, str] = New(dict)
    workdays: dict[date, str] = New(dict)


def _holiday_names_zh() -> dict[str, str]:
    import chinese_calendar

    return {h.value: h.chinese for h in chinese_calendar.Holiday}


def _load_override(path: Path) -> _Override:
    from .yamlio import load_yaml, validate

    data, lines = load_yaml(path)
    cal = validate(_calendar_file_model(), data, path, lines, aliases={"first": ("from",), "last": ("to",)})
    notice = Notice(cal.year, cal.notice, cal.title, cal.url, cal.published, str(path), cal.source,
                    cal.whole_year, tuple(a.notice for a in cal.amended_by))
    return _Override(
        notice,
        {d: e.name for e in cal.rest_days for d in e.days()},
        {d: e.name for e in cal.workdays for d in e.days()},
    )


def notice_year(d: date, name: str) -> int:
    """The year whose notice sets ``d``: its own, except late-December days of
    元旦, which the next year's notice sets (2018-12-31 by the 2019 notice)."""
    return d.year + 1 if d.month == 12 and d.day >= 20 and name == "元旦" else d.year


def package_override_files() -> list[Path]:
    # The package's data files beside this module (importlib.resources would
    # import zipfile and tempfile into every command for the same path).
    folder = Path(__file__).resolve().parent / "data" / "calendars"
    return sorted(p for p in folder.iterdir() if p.name.endswith(".yaml"))


class WorkCalendar:
    """Working days by the official calendar, O(1) per question.

    ``add_workdays(d, n)`` for n > 0 is the nth working day after ``d`` (``d``
    itself not counted); for n < 0 the |n|th working day before ``d``; for 0,
    ``d`` itself.  ``workdays_between(a, b)`` counts the working days met going
    from ``a`` to ``b``, ``a`` excluded and ``b`` included, negative going
    back, so ``workdays_between(d, add_workdays(d, n)) == n``.

    Outside the covered years every question raises :class:`CalendarDataMissing`
    naming the year; with ``provisional=True`` those years count weekends only
    and :meth:`is_provisional` tells which results depend on that.
    """

    def __init__(
        self,
        *,
        provisional: bool = False,
        override_dirs: Iterable[str | Path] = (),
        override_files: Iterable[str | Path] | None = None,
        read_override: Callable[[Path], _Override] | None = None,
    ):
        """``read_override`` reads one override file (default: from its YAML; the
        CLI passes one that keeps what it read in the plan cache)."""
        import chinese_calendar

        self.provisional = provisional
        files = list(package_override_files() if override_files is None else map(Path, override_files))
        for folder in override_dirs:
            files.extend(sorted(Path(folder).glob("*.yaml")))
        self._overrides = [(read_override or _load_override)(f) for f in files]

        names = _holiday_names_zh()
        self._rest: dict[date, str] = {d: names.get(n, n) for d, n in chinese_calendar.holidays.items()}
        self._work: dict[date, str] = {d: names.get(n, n) for d, n in chinese_calendar.workdays.items()}
        years = {d.year for d in self._rest}
        self.package_years = (min(years), max(years))
        self.covered: set[int] = set(range(min(years), max(years) + 1))
        self.overridden: dict[date, Notice] = {}
        self.notices: dict[int, Notice] = {}
        for ov in self._overrides:
            self.notices[ov.notice.year] = ov.notice
            self.covered.add(ov.notice.year)
            if ov.notice.whole_year:
                # The notice's own schedule replaces whatever else said of its year.
                for table in (self._rest, self._work):
                    for d in [d for d, name in table.items() if notice_year(d, name) == ov.notice.year]:
                        del table[d]
                        self.overridden[d] = ov.notice
            for d, name in ov.rest_days.items():
                self._work.pop(d, None)
                self._rest[d] = name
                self.overridden[d] = ov.notice
            for d, name in ov.workdays.items():
                self._rest.pop(d, None)
                self._work[d] = name
                self.overridden[d] = ov.notice
        pkg = chinese_calendar.__version__  # as its metadata says (importlib.metadata costs every command 15 ms)
        first, last = self.package_years
        parts = [f"chinese-calendar {pkg} ({first}–{last})"]
        parts += [f"{n.year}: {n.notice}" for n in sorted(self.notices.values(), key=lambda n: n.year)]
        self.data_version = "; ".join(parts)
        self._build(min(self.covered), max(self.covered))

    # -- the day table ------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> None:
        """Lay out ``first_year``…``last_year`` as a day table with prefix sums.

        One pass of slice and C-level operations, no per-day Python work: the
        weekday pattern, then the holiday and 调休 days, then the sums.  So the
        provisional calendar can take in four centuries in one step.
        """
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        size = end - base + 1
        week = b"\x01\x01\x01\x01\x01\x00\x00"  # Monday … Sunday
        first_weekday = (base - 1) % 7  # ordinal 1, 0001-01-01, is a Monday
        work = bytearray((week[first_weekday:] + week * (size // 7 + 1))[:size])
        for days, value in ((self._rest, 0), (self._work, 1)):
            for d in days:
                i = d.toordinal() - base
                if 0 <= i < size:
                    work[i] = value
        assumed = bytearray(size)
        for y in range(first_year, last_year + 1):
            if y not in self.covered:
                a, b = date(y, 1, 1).toordinal() - base, date(y, 12, 31).toordinal() - base + 1
                assumed[a:b] = b"\x01" * (b - a)
        self._base = base
        self._first_year, self._last_year = first_year, last_year
        self._isw = work
        self._prefix = array("l", accumulate(work, initial=0))
        self._assumed = array("l", accumulate(assumed, initial=0))
        self._workidx = array("l", compress(range(size), work))

    def _grow(self, first_year: int, last_year: int) -> None:
        """Provisional mode: widen the table, in one step, to take in these years
        (weekends only; the callers keep them inside :data:`YEARS`)."""
        if not self.provisional:
            raise CalendarDataMissing(first_year if first_year < self._first_year else last_year)
        self._build(min(self._first_year, first_year), max(self._last_year, last_year))

    def _index(self, d: date) -> int:
        if not (self._first_year <= d.year <= self._last_year):
            if not YEARS[0] <= d.year <= YEARS[1]:
                raise DateOutOfRange(d.isoformat(), *YEARS)
            self._grow(d.year, d.year)
        i = d.toordinal() - self._base
        if not self.provisional and self._assumed[i + 1] - self._assumed[i]:
            raise CalendarDataMissing(d.year)
        return i

    def _check_span(self, i: int, j: int) -> None:
        if i > j:
            i, j = j, i
        if not self.provisional and self._assumed[j + 1] - self._assumed[i]:
            year = next(
                y
                for y in range(date.fromordinal(self._base + i).year, date.fromordinal(self._base + j).year + 1)
                if y not in self.covered
            )
            raise CalendarDataMissing(year)

    # -- questions ------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        i = self._index(d)  # first: in provisional mode it may replace the table
        return bool(self._isw[i])

    def add_workdays(self, d: date, n: int) -> date:
        """The nth working day after ``d`` (n > 0), before it (n < 0), or ``d`` (n = 0)."""
        i = self._index(d)
        if n == 0:
            return d
        k = self._prefix[i + 1] + n - 1 if n > 0 else self._prefix[i] + n
        if not 0 <= k < len(self._workidx):
            # Past the table's edge, where no year has data: the official
            # calendar cannot go on; the provisional one counts weekends only,
            # so the day it needs is known before building, and the table is
            # widened once, to that day's year.
            if not self.provisional:
                raise CalendarDataMissing(self._last_year + 1 if n > 0 else self._first_year - 1)
            if n > 0:
                needed = _weekday_ordinal(date(self._last_year + 1, 1, 1).toordinal(), k - len(self._workidx) + 1, 1)
            else:
                needed = _weekday_ordinal(date(self._first_year, 1, 1).toordinal() - 1, -k, -1)
            if not 1 <= needed <= date.max.toordinal() or not YEARS[0] <= date.fromordinal(needed).year <= YEARS[1]:
                raise DateOutOfRange(f"{d.isoformat()} {'+' if n > 0 else '-'} {abs(n)}个工作日", *YEARS)
            year = date.fromordinal(needed).year
            self._grow(min(self._first_year, year), max(self._last_year, year))
            i = d.toordinal() - self._base
            k = self._prefix[i + 1] + n - 1 if n > 0 else self._prefix[i] + n
        j = self._workidx[k]
        self._check_span(i, j)
        return date.fromordinal(self._base + j)

    def workdays_between(self, a: date, b: date) -> int:
        """Working days from ``a`` (excluded) to ``b`` (included); negative when b < a."""
        self._index(a), self._index(b)  # grows the table (provisional) or raises
        i, j = a.toordinal() - self._base, b.toordinal() - self._base
        self._check_span(i, j)
        if j >= i:
            return self._prefix[j + 1] - self._prefix[i + 1]
        return self._prefix[j] - self._prefix[i]

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day (《民法典》第203条)."""
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    def is_provisional(self, a: date, b: date | None = None) -> bool:
        """Whether a result over ``a``…``b`` rests on assumed (weekend-only) days."""
        b = a if b is None else b
        if a > b:
            a, b = b, a
        if a.year < self._first_year or b.year > self._last_year:
            return any(y not in self.covered for y in range(a.year, b.year + 1))
        i, j = a.toordinal() - self._base, b.toordinal() - self._base
        return bool(self._assumed[j + 1] - self._assumed[i])

    def day_name(self, d: date) -> str:
        """The holiday or 调休 a day belongs to ('国庆节', '春节调休上班'), or ''."""
        if d in self._work:
            return f"{self._work[d]}调休上班" if d.weekday() >= 5 else ""
        if d in self._rest:
            return self._rest[d]
        return ""

    def covered_years(self) -> list[int]:
        return sorted(self.covered)

    def source_of(self, year: int) -> Notice | None:
        """The override file behind ``year``'s data, if any (None: chinese-calendar's own)."""
        return self.notices.get(year)

    def year_days(self, year: int) -> tuple[dict[date, str], dict[date, str]]:
        """The rest days and 调休 working days that ``year``'s notice sets, each with its
        holiday's name (weekend rest days of a holiday included; from late December
        of the year before when 元旦 starts then)."""
        rest = {d: n for d, n in self._rest.items() if notice_year(d, n) == year}
        work = {d: n for d, n in self._work.items() if notice_year(d, n) == year}
        return dict(sorted(rest.items())), dict(sorted(work.items()))
