"""deadlines: time limits of Chinese government work plans as dated, explained deadlines.

    >>> import deadlines
    >>> plans = deadlines.load_plans("rules")
    >>> cal = deadlines.WorkCalendar()
    >>> for occ in deadlines.expand(plans, date(2015, 7, 1), date(2015, 7, 31), calendar=cal):
    ...     print(occ.due, occ.title, occ.why)
"""

__all__ = [
    "CalendarDataMissing",
    "Completion",
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

# Imported on first use: `deadlines due` should not pay for the phrase reader
# or the YAML parser when the plans come from the cache.
_HOME = {
    "CalendarDataMissing": "errors",
    "DeadlineError": "errors",
    "RulesFileError": "errors",
    "Completion": "model",
    "Obligation": "model",
    "Occurrence": "model",
    "Plan": "model",
    "TriggerEvent": "model",
    "WorkCalendar": "workdays",
    "expand": "engine",
    "load_plans": "rulesfile",
    "parse_phrase": "phrases",
}


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module 'deadlines' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
