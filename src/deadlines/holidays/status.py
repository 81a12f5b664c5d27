"""Where each year's working days come from, and the years plans reach without official data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Literal

from ..messages import say as message

Source = Literal["package", "notice", "provisional"]


@dataclass(frozen=True)
class YearStatus:
    """One year: ``package`` (chinese-calendar, possibly with shipped corrections),
    ``notice`` (a notice read into an override file) or ``provisional`` (none:
    weekends only).  ``reached_by`` names the plans whose dates fall in a year
    without official data."""

    year: int
    source: Source
    detail: str
    file: str | None = None
    notice: str | None = None
    reached_by: tuple[str, ...] = ()
    warning: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "source": self.source, "detail": self.detail, "file": self.file,
                "notice": self.notice, "reached_by": list(self.reached_by), "warning": self.warning}


@dataclass
class Reach:
    """The years a set of plans reaches that have no official data, with the plans."""

    years: dict[int, set[str]] = field(default_factory=dict)

    def add(self, year: int, plan: str) -> None:
        self.years.setdefault(year, set()).add(plan)


def years_without_data(plans: Iterable[Any], calendar: Any) -> Reach:
    """Years with no official data that ``plans`` reach: their periods, and every
    date computed for them that rests on weekends-only days.  ``calendar`` must be
    provisional (it is asked about years it does not cover)."""
    from ..engine import dated_days

    reach = Reach()
    covered = set(calendar.covered_years())
    for plan in plans:
        add_reach(reach, plan, dated_days(plan, calendar=calendar), covered)
    return reach


def add_reach(reach: Reach, plan: Any, days: Iterable[tuple[date, date | None, bool]], covered: set[int]) -> None:
    """Add to ``reach`` the years without official data (not in ``covered``) that ``plan`` reaches,
    given the (day due, window start, provisional) of its dated occurrences over all time
    (:func:`deadlines.engine.dated_days`)."""
    for year in range(plan.period.start.year, plan.period.end.year + 1):
        if year not in covered:
            reach.add(year, plan.id)
    for due, start, provisional in days:
        if not provisional:
            continue
        start = start or due
        years = [y for y in range(min(start, due).year, due.year + 1) if y not in covered]
        for year in years or [due.year]:
            reach.add(year, plan.id)


def year_statuses(calendar: Any, reach: Reach, rules: Path | None = None) -> list[YearStatus]:
    """Every year from chinese-calendar's first to the last one covered or reached."""
    from importlib.metadata import version

    first, last = calendar.package_years
    covered = set(calendar.covered_years())
    years = range(min(first, *covered), max(last, *covered, *reach.years) + 1)
    package = f"chinese-calendar {version('chinese-calendar')}"
    out = []
    for year in years:
        notice = calendar.source_of(year)
        plans = tuple(sorted(reach.years.get(year, ())))
        if year not in covered:
            warning = message("no_official_data", year=year, who="、".join(plans)) if plans else None
            out.append(YearStatus(year, "provisional", "仅按周末计算，日期标为暂定", reached_by=plans, warning=warning))
            continue
        if notice is None:
            out.append(YearStatus(year, "package", package))
            continue
        file = _shown(notice.file, rules)
        if notice.whole_year or not (first <= year <= last):
            detail = f"通知文件：{notice.notice}" + (f"（{notice.published}）" if notice.published else "")
            if notice.amended_by:
                detail += "，另有" + "、".join(notice.amended_by)
            out.append(YearStatus(year, "notice", detail, file, notice.notice))
        else:
            out.append(YearStatus(year, "package", f"{package}，更正：{notice.notice}", file, notice.notice))
    return out


def _shown(file: str, rules: Path | None) -> str:
    """A rules folder's file relative to where the rules are; the package's own by its package path."""
    path = Path(file)
    if rules is not None:
        try:
            return str(path.resolve().relative_to(Path(rules).resolve().parent))
        except ValueError:
            pass
    parts = path.parts
    if "deadlines" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("deadlines"):])
    return str(path)
