"""What ``deadlines due`` prints for one occurrence, as text: the same words in a reminder.

Pure: ``today`` and the calendar are arguments.  The colour of each head is
a name (``red`` overdue, ``yellow`` due within 3 working days, ``green``
later, ``bright_black`` done) that a terminal may use and a message may not.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from .dates import weekday_zh
from .records import Occurrence
from .roles import NO_UNIT, ROLE_ZH
from .workdays import SOON_WORKDAYS, WorkCalendar  # yellow in `due`, "due soon" in the ledger

LIMIT_SHOWN = 40  # characters of a long time limit shown on its line


def stamp(occ: Occurrence) -> str:
    """'2015-07-10' or '2015-09-02 10:00' (a timed due)."""
    day = occ.due_date
    return occ.due.strftime("%Y-%m-%d %H:%M") if occ.due != day else day.isoformat()


def left(occ: Occurrence, today: date, calendar: WorkCalendar) -> tuple[str, str]:
    """'还有3个工作日' (or 已逾期N天, 今天到期, 已完成) and its colour, for a dated occurrence."""
    day = occ.due_date
    if occ.status == "done":
        return f"已完成（{occ.done_on}）", "bright_black"
    if occ.status == "before_issue":
        return "印发前（不计逾期）", "bright_black"
    if day < today:
        return f"已逾期{(today - day).days}天", "red"
    workdays = calendar.workdays_between(today, day)
    text = "今天到期" if day == today else f"还有{workdays}个工作日"
    return text, "yellow" if workdays <= SOON_WORKDAYS else "green"


def head(occ: Occurrence, today: date, calendar: WorkCalendar) -> tuple[str, str]:
    """'2015-07-10（周五）还有2个工作日' and its colour."""
    text, colour = left(occ, today, calendar)
    return f"{stamp(occ)}（{weekday_zh(occ.due_date)}）{text}", colour


def tag(occ: Occurrence, unit: str | None) -> str:
    """'zs2015-3，牵头': the obligation, and the unit's role in it."""
    who = ROLE_ZH.get(occ.units.role_of(unit) or "", "") if unit else ""
    via = f"，来自{occ.via}" if occ.via else ""
    return (f"{occ.obligation}，{who}" if who else occ.obligation) + via


def limit_text(occ: Occurrence) -> str:
    """The time limit as written, cut to :data:`LIMIT_SHOWN` characters."""
    text = occ.due_text
    return text if len(text) <= LIMIT_SHOWN else text[: LIMIT_SHOWN - 1] + "…"


def dated_lines(
    occ: Occurrence, unit: str | None, today: date, calendar: WorkCalendar,
    style: Callable[[str, str], str] = lambda text, colour: text,
) -> list[str]:
    """The lines of a dated occurrence under its unit: the head (styled by ``style(text, colour)``),
    the task and its tag, the time limit as written, and why the date is what it is."""
    text, colour = head(occ, today, calendar)
    mark = " [暂定]" if occ.provisional else ""
    lines = [f"  {style(text, colour)}  {occ.title}（{tag(occ, unit)}）{mark}"]
    if occ.due_text:
        lines.append(f"      时限：{limit_text(occ)}")
    lines.append(f"      {occ.why}")
    return lines


def waiting_line(occ: Occurrence) -> str:
    """An occurrence waiting on a trigger: its obligation, task, units and what it waits on."""
    units = "、".join(occ.units.all()) or NO_UNIT
    return f"  {occ.obligation}  {occ.title}（{units}）：{occ.why}"
