"""The official holiday schedule from the State Council's own notice.

``import_notice(path, rules)`` reads a saved notice (text or web page) into
``rules/calendars/YYYY.yaml``; ``show_year`` draws a year as a small calendar;
``year_statuses`` says where each year's data comes from and which years the
plans reach without it.  Each takes the rules folder (and, where the caller
has them, its calendar and plans), so a ``Workspace`` can offer them as they
are.

Modules: :mod:`.notice` (the reader: text in, days out; pure),
:mod:`.yearfile` (the year's file), :mod:`.show` (the small calendar),
:mod:`.status` (sources and reach); their messages are in the package's one table (:mod:`deadlines.messages`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Literal

from ..errors import DeadlineError
from ..messages import say as message
from .notice import (
    Amendment,
    NoticeError,
    NoticeIncomplete,
    NoticeReading,
    amend,
    canonical_name,
    notice_json,
    read_notice,
)
from .status import YearStatus, year_statuses, years_without_data

__all__ = [
    "HolidayFileError",
    "ImportResult",
    "NoticeError",
    "NoticeIncomplete",
    "NoticeReading",
    "YearStatus",
    "calendar_for",
    "differences",
    "import_notice",
    "notice_json",
    "read_notice",
    "read_notice_file",
    "show_year",
    "year_statuses",
    "years_without_data",
]


class HolidayFileError(DeadlineError):
    """A year's file that must not be written as asked (exists and differs, wrong year)."""

    def __init__(self, path: Path, text: str):
        self.file = str(path)
        super().__init__(text)


@dataclass
class ImportResult:
    """What ``holidays import`` did: the reading, the file and how it changed."""

    reading: NoticeReading
    path: Path
    action: Literal["created", "replaced", "merged", "unchanged", "dry-run"]
    text: str  # the year's file as written (or as it would be)
    amendment: Amendment | None = None
    differences: list[str] = field(default_factory=list)  # the notice against chinese-calendar
    rest: dict[date, str] = field(default_factory=dict)  # the year after the import
    work: dict[date, str] = field(default_factory=dict)
    source: str = ""
    note: str = ""  # why nothing changed, when nothing did

    def as_json(self) -> dict[str, Any]:
        return notice_json(self.reading, self.amendment)


def calendar_for(rules: str | Path, **kwargs: Any) -> Any:
    """The working-day calendar of a rules folder (its ``calendars/``), provisional
    beyond the data, as the commands use it."""
    from ..rulesfile import rules_folder
    from ..workdays import WorkCalendar

    folder = rules_folder(rules) / "calendars"
    return WorkCalendar(provisional=True, override_dirs=[folder] if folder.is_dir() else [], **kwargs)


def read_notice_file(path: str | Path) -> NoticeReading:
    """A saved notice (text in any common encoding, or a web page) read into its days."""
    from ..textfile import read_text

    path = Path(path)
    text = read_text(path)
    reading = read_notice(text.text, source=str(path))
    if text.url and not reading.url:
        from dataclasses import replace

        reading = replace(reading, url=text.url)
    return reading


def _package_year(year: int) -> tuple[dict[date, str], dict[date, str]] | None:
    """chinese-calendar's days for ``year``'s notice (with the package's shipped
    corrections), or None when it does not cover the year."""
    from ..workdays import WorkCalendar

    cal = WorkCalendar()
    if year not in cal.covered_years():
        return None
    return cal.year_days(year)


def differences(reading: NoticeReading) -> list[str]:
    """Where chinese-calendar's data for the year differs from what the notice says
    (the notice wins); empty when they agree or the package lacks the year."""
    if reading.kind != "yearly":
        return []
    package = _package_year(reading.year)
    if package is None:
        return []
    rest_pkg = {d for d in package[0] if d.weekday() < 5}
    work_pkg = {d for d in package[1] if d.weekday() >= 5}
    rest, work = set(reading.rest_days), set(reading.working_days)
    out = [f"{d}：通知放假，chinese-calendar 为工作日" for d in sorted(rest - rest_pkg)]
    out += [f"{d}：通知为工作日，chinese-calendar 放假" for d in sorted(rest_pkg - rest)]
    out += [f"{d}：通知调休上班，chinese-calendar 为休息日" for d in sorted(work - work_pkg)]
    out += [f"{d}：通知为休息日，chinese-calendar 调休上班" for d in sorted(work_pkg - work)]
    return out


def _by_holiday(rest: dict[date, str], work: dict[date, str]) -> dict[str, tuple[set[date], set[date]]]:
    out: dict[str, tuple[set[date], set[date]]] = {}
    for d, name in rest.items():
        out.setdefault(canonical_name(name), (set(), set()))[0].add(d)
    for d, name in work.items():
        out.setdefault(canonical_name(name), (set(), set()))[1].add(d)
    return out


def _source_name(path: Path, rules: Path) -> str:
    """How the year's file names the saved notice: relative to the folder holding the
    rules folder when it is inside it, else as given."""
    try:
        return Path(os.path.relpath(path.resolve(), rules.resolve().parent)).as_posix() \
            if path.resolve().is_relative_to(rules.resolve().parent) else path.as_posix()
    except ValueError:  # pragma: no cover - another drive
        return path.as_posix()


def import_notice(path: str | Path, rules: str | Path, *, dry_run: bool = False, force: bool = False) -> ImportResult:
    """Read the notice at ``path`` into ``rules/calendars/YYYY.yaml``.

    A yearly notice writes the year's whole schedule; an existing file that
    differs is refused unless ``force``.  A supplement is merged into the year's
    file (or, for a year only chinese-calendar covers, written as corrections
    to it).  ``dry_run`` writes nothing.  Raises :class:`NoticeError` for a
    notice that cannot be read as complete.
    """
    from ..atomic import write_atomic
    from ..rulesfile import rules_folder
    from . import yearfile

    path = Path(path)
    folder = rules_folder(rules)
    reading = read_notice_file(path)
    source = _source_name(path, folder)
    target = yearfile.path_for(folder, reading.year)
    command = f"deadlines holidays import {source}"
    current = yearfile.load(target) if target.exists() else None
    if current is not None and current.year != reading.year:
        raise HolidayFileError(target, message("exists_other_year", path=target, other=current.year,
                                               year=reading.year))
    amendment = None
    if reading.kind == "yearly":
        year_file = yearfile.from_reading(reading, source)
        action = "created" if current is None else "replaced"
    else:
        if current is not None and reading.label in (current.notice, *(a.notice for a in current.amended_by)):
            # merged before: nothing to do, and nothing it adds to the year as it stands
            amendment = amend(reading, _by_holiday(*_year_days(current, reading.year)))
            rest, work = _year_days(current, reading.year)
            text = target.read_text(encoding="utf-8")
            return ImportResult(reading, target, "unchanged", text, amendment, [], rest, work, source,
                                message("already_merged", path=target, notice=reading.label))
        if current is not None and current.whole_year:
            base = yearfile.year_data(current)
            amendment = amend(reading, base)
            year_file = yearfile.amended(current, amendment, source)
        else:
            package = _package_year(reading.year)
            if package is None:
                raise HolidayFileError(target, message("supplement_needs_year", year=reading.year, path=target))
            rest, work = package
            if current is not None:
                for d, is_rest, name in current.corrections:
                    (rest if is_rest else work)[d] = name
                    (work if is_rest else rest).pop(d, None)
            amendment = amend(reading, _by_holiday(rest, work))
            year_file = yearfile.correction(reading.year, amendment, source, current)
        action = "created" if current is None else "merged"
    text = yearfile.render(year_file, command)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    note = ""
    if old == text:
        action = "unchanged"
    elif reading.kind == "supplement" and amendment is not None and not (
            amendment.add_rest or amendment.add_working or amendment.remove_rest or amendment.remove_working):
        action = "unchanged"  # the year's data already says what the supplement says
        note = message("already_in_data", year=reading.year)
    elif reading.kind == "yearly" and old is not None and not force:
        raise HolidayFileError(target, message("exists", path=target, notice=current.notice if current else "",
                                               source=path.name))
    if dry_run and action != "unchanged":
        action = "dry-run"
    elif action != "unchanged":
        write_atomic(target, text)
    rest, work = _year_days(year_file, reading.year)
    return ImportResult(reading, target, action, text, amendment, differences(reading), rest, work, source, note)


def _year_days(year_file: Any, year: int) -> tuple[dict[date, str], dict[date, str]]:
    if year_file.whole_year:
        return year_file.days()
    package = _package_year(year) or ({}, {})
    rest, work = dict(package[0]), dict(package[1])
    for d, is_rest, name in year_file.corrections:
        (rest if is_rest else work)[d] = name
        (work if is_rest else rest).pop(d, None)
    return rest, work


def source_lines(year: int, calendar: Any, rules: Path | None = None) -> list[str]:
    """Where ``year``'s data comes from, as the lines under ``show``."""
    from importlib.metadata import version

    from .status import _shown

    if year not in calendar.covered_years():
        return [f"来源：无。{year}年尚无官方数据，日期暂按周末计算（暂定）。",
                "通知发布后保存原文，运行 deadlines holidays import 通知文件"]
    notice = calendar.source_of(year)
    package = f"chinese-calendar {version('chinese-calendar')} 软件包数据"
    if notice is None:
        return [f"来源：{package}"]
    file = _shown(notice.file, rules)
    if not notice.whole_year and year in range(calendar.package_years[0], calendar.package_years[1] + 1):
        return [f"来源：{package}；更正：{notice.notice}（{file}）"]
    lines = [f"来源：{notice.notice}" + (f"（{notice.published}）" if notice.published else "") + f"，{file}"]
    if notice.title and notice.title != notice.notice:
        lines.append(f"通知：{notice.title}")
    if notice.source:
        lines.append(f"原文：{notice.source}" + (f"（{notice.url}）" if notice.url else ""))
    if notice.amended_by:
        lines.append("补充通知：" + "、".join(notice.amended_by))
    return lines


def show_year(year: int, calendar: Any, rules: Path | None = None) -> str:
    """``year`` as a small calendar with its holidays and the source of its data."""
    from .show import render_year

    rest, work = calendar.year_days(year) if year in calendar.covered_years() else ({}, {})
    return render_year(year, rest, work, source_lines(year, calendar, rules))


def status(rules: str | Path, *, calendar: Any = None, plans: Iterable[Any] | None = None) -> list[YearStatus]:
    """Each year with its source; the years ``plans`` reach without official data carry a warning."""
    from ..rulesfile import load_plans, rules_folder

    calendar = calendar if calendar is not None else calendar_for(rules)
    if plans is None:
        folder = rules_folder(rules)
        plans = load_plans(folder) if any(folder.glob("*.yaml")) else []
    return year_statuses(calendar, years_without_data(plans, calendar), rules_folder(rules))
