"""``calendars/YYYY.yaml`` in a rules folder: a year's holidays as a person reviews them.

The file is the override format :class:`deadlines.workdays.WorkCalendar`
reads (see docs/holidays.md): one ``rest_days`` entry per holiday (its whole
span, weekends included) and one ``workdays`` entry per 调休 working day,
each named, with the notice's item above it as a comment.  A file read from a
yearly notice says ``whole_year: true``: the notice wins over chinese-calendar
for that year.  A later notice is merged in and listed under ``amended_by``.

Written in one stable shape (same notice in, same bytes out) through the
project's atomic writer; an existing file is never replaced silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from ..yamlout import scalar
from .notice import Amendment, Holiday, NoticeReading

_ONE = timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One holiday of the year's file: its rest days (first to last) and working days."""

    name: str
    rest: tuple[date, ...]
    working: tuple[date, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class AmendedBy:
    notice: str
    title: str = ""
    url: str = ""
    published: date | None = None
    source: str = ""


@dataclass(frozen=True)
class YearFile:
    year: int
    notice: str
    title: str = ""
    url: str = ""
    published: date | None = None
    source: str = ""
    whole_year: bool = True
    entries: tuple[Entry, ...] = ()
    amended_by: tuple[AmendedBy, ...] = ()
    # Days set by a later notice where no holiday span can say it (a correction
    # over chinese-calendar's data): date -> (rest?, name).
    corrections: tuple[tuple[date, bool, str], ...] = field(default=())
    notes: tuple[str, ...] = ()  # for the reviewer, as comments at the top


    def days(self) -> tuple[dict[date, str], dict[date, str]]:
        """Rest days and working days, each with its holiday's name."""
        rest = {d: e.name for e in self.entries for d in e.rest}
        work = {d: e.name for e in self.entries for d in e.working}
        for d, is_rest, name in self.corrections:
            (rest if is_rest else work)[d] = name
            (work if is_rest else rest).pop(d, None)
        return rest, work


def path_for(rules: Path, year: int) -> Path:
    return Path(rules) / "calendars" / f"{year}.yaml"


def _comment(holiday: Holiday) -> str:
    return re.sub(r"\s+", " ", holiday.text).strip()


def from_reading(reading: NoticeReading, source: str) -> YearFile:
    """The year's file of a yearly notice."""
    entries = tuple(Entry(h.name, h.rest, h.working, _comment(h)) for h in reading.holidays)
    return YearFile(reading.year, reading.label, reading.title or "", reading.url, reading.issued, source,
                    True, entries, notes=reading.warnings)


def amended(current: YearFile, amendment: Amendment, source: str) -> YearFile:
    """``current`` with a supplement merged in: the holidays it sets replace the ones they name."""
    reading = amendment.reading
    label = reading.document_number or reading.title or source
    replaced = set(amendment.replaces)
    entries = [e for e in current.entries if e.name not in replaced]
    for h in amendment.holidays:
        entries.append(Entry(h.name, h.rest, h.working, f"{label}：{_comment(h)}"))
    note = AmendedBy(label, reading.title or "", reading.url, reading.issued, source)
    return replace(current, entries=tuple(sorted(entries, key=lambda e: e.rest[0])),
                   amended_by=(*current.amended_by, note))


def correction(year: int, amendment: Amendment, source: str, current: YearFile | None = None) -> YearFile:
    """A file of corrections over chinese-calendar's data for a year it covers: the
    days a supplement adds, and the days it takes back as their opposite."""
    reading = amendment.reading
    label = reading.document_number or reading.title or source
    days: dict[date, tuple[bool, str]] = {}
    if current is not None:
        days.update({d: (r, n) for d, r, n in current.corrections})
    for h in amendment.holidays:
        for d in amendment.add_rest:
            if d in h.rest and d.weekday() < 5:
                days[d] = (True, h.name)
        for d in amendment.add_working:
            if d in h.working:
                days[d] = (False, h.name)
    name = amendment.holidays[0].name if amendment.holidays else ""
    for d in amendment.remove_working:
        days[d] = (True, name)  # a cancelled working Saturday is a rest day again
    for d in amendment.remove_rest:
        if d.weekday() < 5:
            days[d] = (False, name)
    rows = tuple(sorted((d, r, n) for d, (r, n) in days.items()))
    note = AmendedBy(label, reading.title or "", reading.url, reading.issued, source)
    if current is None:
        return YearFile(year, label, reading.title or "", reading.url, reading.issued, source, False, (), (), rows)
    return replace(current, corrections=rows, amended_by=(*current.amended_by, note))


# --------------------------------------------------------------------------
# Text


def _iso(d: date) -> str:
    return d.isoformat()


def _span(first: date, last: date, name: str) -> str:
    if first == last:
        return f"{{date: {_iso(first)}, name: {scalar(name)}}}"
    return f"{{from: {_iso(first)}, to: {_iso(last)}, name: {scalar(name)}}}"


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and runs[-1][1] + _ONE == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def render(year_file: YearFile, command: str) -> str:
    """The file's text: stable order, comments for the reviewer, nothing from the clock."""
    y = year_file
    head = y.title or y.notice
    facts = "，".join(x for x in (y.notice if y.notice != head else "", y.published and _iso(y.published)) if x)
    out = [f"# {head}" + (f"（{facts}）" if facts else "")]
    out.append(f"# 由 `{command}` 读入；请与通知原文逐项核对后再提交。")
    if y.whole_year:
        out.append("# whole_year: 这一年的放假和调休上班日以本文件为准（不用 chinese-calendar 的数据）。")
    else:
        out.append("# 只更正 chinese-calendar 中这一年的个别日期。")
    out += [f"# 注意：{note}" for note in y.notes]
    out.append(f"year: {y.year}")
    out.append(f"notice: {scalar(y.notice)}")
    for key, value in (("title", y.title), ("url", y.url)):
        if value:
            out.append(f"{key}: {scalar(value)}")
    if y.published:
        out.append(f"published: {_iso(y.published)}")
    if y.source:
        out.append(f"source: {scalar(y.source)}")
    out.append(f"whole_year: {'true' if y.whole_year else 'false'}")
    if y.amended_by:
        out.append("amended_by:")
        for a in y.amended_by:
            out.append(f"  - notice: {scalar(a.notice)}")
            for key, value in (("title", a.title), ("url", a.url)):
                if value:
                    out.append(f"    {key}: {scalar(value)}")
            if a.published:
                out.append(f"    published: {_iso(a.published)}")
            if a.source:
                out.append(f"    source: {scalar(a.source)}")
    rest_lines: list[str] = []
    for e in sorted(y.entries, key=lambda e: e.rest[0]):
        if e.comment:
            rest_lines.append(f"  # {e.comment}")
        rest_lines.append(f"  - {_span(e.rest[0], e.rest[-1], e.name)}")
    for d, is_rest, name in y.corrections:
        if is_rest:
            rest_lines.append(f"  - {_span(d, d, name)}")
    work_lines = [f"  - {_span(d, d, e.name)}" for e in y.entries for d in e.working]
    work_lines = sorted(work_lines, key=lambda line: re.search(r"\d{4}-\d\d-\d\d", line)[0])
    work_lines += [f"  - {_span(d, d, name)}" for d, is_rest, name in y.corrections if not is_rest]
    out.append("rest_days:" + ("" if rest_lines else " []"))
    out += rest_lines
    out.append("workdays:" + ("" if work_lines else " []"))
    out += work_lines
    return "\n".join(out) + "\n"


def load(path: Path) -> YearFile:
    """A year's file as entries by holiday (through the calendar's own file model and errors)."""
    from ..workdays import _calendar_file_model
    from ..yamlio import load_yaml, validate

    text = path.read_text(encoding="utf-8")
    data, lines = load_yaml(path, text)
    cal = validate(_calendar_file_model(), data, path, lines, aliases={"first": ("from",), "last": ("to",)})
    comments = _comments(text)
    rest: dict[str, list[date]] = {}
    work: dict[str, list[date]] = {}
    firsts: dict[str, str] = {}
    for e in cal.rest_days:
        days = list(e.days())
        rest.setdefault(e.name, []).extend(days)
        firsts.setdefault(e.name, comments.get((days[0].isoformat(), e.name), ""))
    for e in cal.workdays:
        work.setdefault(e.name, []).extend(e.days())
    entries: list[Entry] = []
    corrections: list[tuple[date, bool, str]] = []
    if cal.whole_year:
        for name in sorted(set(rest) | set(work), key=lambda n: min(rest.get(n) or work[n])):
            if name not in rest:
                corrections += [(d, False, name) for d in work[name]]
                continue
            days = sorted(rest[name])
            entries.append(Entry(name, tuple(days), tuple(sorted(work.get(name, []))), firsts.get(name, "")))
    else:
        corrections = sorted([(d, True, n) for n, ds in rest.items() for d in ds]
                             + [(d, False, n) for n, ds in work.items() for d in ds])
    amended = tuple(AmendedBy(a.notice, a.title, a.url, a.published, a.source) for a in cal.amended_by)
    return YearFile(cal.year, cal.notice, cal.title, cal.url, cal.published, cal.source, cal.whole_year,
                    tuple(entries), amended, tuple(corrections))


def _comments(text: str) -> dict[tuple[str, str], str]:
    """The comment line above each rest-day entry, keyed by its first date and name."""
    out: dict[tuple[str, str], str] = {}
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            previous = stripped[1:].strip()
            continue
        m = re.match(r"-\s*\{(?:date|from):\s*(\d{4}-\d\d-\d\d).*name:\s*\"?([^\",}]*)", stripped)
        if m and previous:
            out[(m[1], m[2].strip())] = previous
        previous = ""
    return out


def year_data(year_file: YearFile) -> dict[str, tuple[set[date], set[date]]]:
    """Holiday name → (rest days, working days): the base a supplement is read against."""
    out: dict[str, tuple[set[date], set[date]]] = {}
    for e in year_file.entries:
        rest, work = out.setdefault(e.name, (set(), set()))
        rest.update(e.rest)
        work.update(e.working)
    return out

