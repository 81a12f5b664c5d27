"""A year as a small calendar: months with the rest days and working weekends
marked, the holidays listed and the source under them, so a person can
compare it with the notice at a glance."""

from __future__ import annotations

import calendar as _stdcal
from datetime import date

REST_MARK, WORK_MARK = "*", "+"
_HEAD = "一 二 三 四 五 六 日"  # each name is two columns wide: seven cells of three


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _center(text: str, width: int) -> str:
    gap = max(0, width - _width(text))
    return " " * (gap // 2) + text + " " * (gap - gap // 2)


def _month(year: int, month: int, rest: dict[date, str], work: dict[date, str]) -> list[str]:
    lines = [_center(f"{month}月", 21), _HEAD]
    for week in _stdcal.Calendar(firstweekday=0).monthdayscalendar(year, month):
        cells = []
        for day in week:
            if not day:
                cells.append("   ")
                continue
            d = date(year, month, day)
            mark = REST_MARK if d in rest else WORK_MARK if d in work else " "
            cells.append(f"{day:>2}{mark}")
        lines.append("".join(cells))
    while len(lines) < 8:
        lines.append("")
    return [line + " " * (21 - _width(line)) for line in lines]


def _fmt(d: date, year: int) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d.year != year else f"{d.month}月{d.day}日"


def holiday_lines(year: int, rest: dict[date, str], work: dict[date, str]) -> list[str]:
    """One line per holiday: its rest days (first to last, how many) and its working weekends."""
    from .notice import weekday_zh

    runs: list[tuple[str, date, date]] = []
    for d in sorted(rest):
        name = rest[d]
        if runs and runs[-1][0] == name and (d - runs[-1][2]).days == 1:
            runs[-1] = (name, runs[-1][1], d)
        else:
            runs.append((name, d, d))
    lines = []
    for name, first, last in runs:
        days = (last - first).days + 1
        when = _fmt(first, year) if first == last else f"{_fmt(first, year)}至{_fmt(last, year)}"
        text = f"{name}：{when}放假，共{days}天"
        mine = [d for d, n in sorted(work.items()) if n == name and abs((d - first).days) <= 31]
        if mine:
            text += "；" + "、".join(f"{_fmt(d, year)}（{weekday_zh(d)}）" for d in mine) + "上班"
        lines.append(text)
    placed = {d for line in runs for d in work if work[d] == line[0] and abs((d - line[1]).days) <= 31}
    for d in sorted(set(work) - placed):
        lines.append(f"{work[d]}：{_fmt(d, year)}（{weekday_zh(d)}）上班")
    return lines


def render_year(year: int, rest: dict[date, str], work: dict[date, str], source: list[str]) -> str:
    """``year`` as twelve small months, three across, then its holidays and ``source``."""
    out = [_center(f"{year}年", 3 * 21 + 2 * 3).rstrip(), ""]
    for row in range(4):
        months = [_month(year, row * 3 + k + 1, rest, work) for k in range(3)]
        for parts in zip(*months):
            out.append("   ".join(parts).rstrip())
        out.append("")
    out.append(f"{REST_MARK} 放假   {WORK_MARK} 调休上班（周末上班）")
    out.append("")
    out += holiday_lines(year, rest, work) or ["（没有节假日数据）"]
    out.append("")
    out += source
    return "\n".join(out) + "\n"
