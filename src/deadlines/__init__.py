"""deadlines: time limits of Chinese government work plans as dated, explained deadlines.

    >>> import deadlines
    >>> plans = deadlines.load_plans("rules")
    >>> cal = deadlines.WorkCalendar()
    >>> for occ in deadlines.expand(plans, date(2015, 7, 1), date(2015, 7, 31), calendar=cal):
    ...     print(occ.due, occ.title, occ.why)
"""

from .engine import expand
from .errors import CalendarDataMissing, DeadlineError, RulesFileError
from .model import Obligation, Occurrence, Plan, TriggerEvent
from .phrases import parse_phrase
from .rulesfile import load_plans
from .workdays import WorkCalendar

__all__ = [
    "CalendarDataMissing",
    "DeadlineError",
    "Obligation",
    "Occurrence",
    "Plan",
    "RulesFileError",
    "TriggerEvent",
    "WorkCalendar",
    "expand",
    "load_plans",
    "parse_phrase",
]
