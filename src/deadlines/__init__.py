"""deadlines: time limits of Chinese government work plans as dated, explained deadlines.

    >>> import deadlines
    >>> from datetime import date
    >>> ws = deadlines.open("rules")                      # a rules folder and its event store
    >>> today = date(2015, 7, 8)
    >>> week = ws.due(deadlines.Window.next_week(today), today=today)
    >>> for occ in week.occurrences:
    ...     print(occ.due, occ.title, occ.why)

(README.md has the whole example, run by the tests.)

Underneath, pure and usable alone: :func:`parse_phrase` (a Chinese time limit
into rules), :func:`load_plans`, :class:`WorkCalendar` and :func:`expand`.

``Plan``, ``Obligation``, ``TriggerEvent`` and ``Completion`` here are the
models that validate (``Plan.model_validate(data)``); what :func:`load_plans`
and a :class:`Workspace` give are their records (:mod:`deadlines.records`),
of the same class names and fields, equal to the models they came from.
"""

__all__ = [
    "CalendarDataMissing",
    "Completion",
    "DeadlineError",
    "Obligation",
    "Occurrence",
    "OccurrenceKey",
    "Plan",
    "RulesFileError",
    "TriggerEvent",
    "Window",
    "WorkCalendar",
    "Workspace",
    "expand",
    "load_plans",
    "open",
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
    "OccurrenceKey": "model",
    "Plan": "model",
    "TriggerEvent": "model",
    "WorkCalendar": "workdays",
    "Window": "workspace",
    "Workspace": "workspace",
    "open": "workspace",
    "expand": "engine",
    "load_plans": "rulesfile",
    "parse_phrase": "phrases",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        from importlib.metadata import version

        return version("deadlines")
    if name not in _HOME:
        raise AttributeError(f"module 'deadlines' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
