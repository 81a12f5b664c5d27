"""One time limit, read and dated: what `deadlines parse` shows, as data (its JSON: :func:`deadlines.render.reading_json`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from .engine import expand
from .records import Occurrence
from .model import Obligation, Plan, TriggerEvent, to_record
from .phrases import parse_phrase
from .workdays import WorkCalendar


def read_and_date(
    text: str,
    *,
    year: int,
    calendar: WorkCalendar,
    issued: date | None = None,
    triggers: Iterable[tuple[str, date | datetime]] = (),
    start: date | None = None,
    end: date | None = None,
    prose: bool = False,
) -> tuple[list[Any], list[Occurrence]]:
    """The rules of ``text`` and their occurrences in ``start``…``end`` (default: the year).

    A trigger with an empty name applies to every trigger in the text.
    """
    rules = parse_phrase(text, year=year, issued=issued, prose=prose)
    title = text.strip() or "—"
    plan = to_record(Plan(
        id="phrase",
        title=title,
        year=year,
        issued=issued,
        obligations=[Obligation(id="phrase", title=title, due_text=text, rules=rules)],
    ))
    events = [to_record(TriggerEvent(name=name, obligation=None if name else "phrase", on=on)) for name, on in triggers]
    found = expand(plan, start or date(year, 1, 1), end or date(year, 12, 31), calendar=calendar, triggers=events)
    return rules, found
