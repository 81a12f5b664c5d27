"""One error root for everything a user can get wrong.

Every error the library raises on bad input is a :class:`DeadlineError`; the CLI
turns it into one line on stderr and exit code 2.  Subclasses carry the data a
caller needs to act on (file and line, year, phrase), not only a message.
"""

from __future__ import annotations

from pathlib import Path

from .messages import noun, say


class DeadlineError(ValueError):
    """Root of every error about user input: rule files, dates, phrases, options."""


class RulesFileError(DeadlineError):
    """A rules file cannot be read: names ``file:line``, the field and what is wrong."""

    def __init__(self, file: str | Path, line: int | None, message: str, field: str = ""):
        self.file = str(file)
        self.line = line
        self.field = field
        self.reason = message
        where = f"{self.file}:{line}" if line else self.file
        what = f"{field}: {message}" if field else message
        super().__init__(f"{where}: {what}")


class StorageError(DeadlineError):
    """Something could not be written (a full disk, no permission): names the path and what was not done.

    Whatever the failed write was replacing is left as it was.
    """

    def __init__(self, path: str | Path, action: str, reason: str = "", *, full: bool = False):
        self.path = str(path)
        self.action = action
        self.full = full
        if full:
            message = say("disk_full", path=self.path, action=action)
        else:
            message = say("cannot_write", path=self.path, action=action, reason=reason)
        super().__init__(message)


class DiskFull(StorageError):
    """The file system is full (ENOSPC, EDQUOT, SQLITE_FULL)."""

    def __init__(self, path: str | Path, action: str):
        super().__init__(path, action, full=True)


def storage_error(exc: OSError, path: str | Path, action: str) -> StorageError:
    """The :class:`StorageError` for an ``OSError`` met while ``action`` wrote ``path``."""
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(path, action)
    return StorageError(path, action, exc.strerror or str(exc))


class CalendarDataMissing(DeadlineError):
    """The official working-day calendar has no data for ``year``."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(say("calendar_data_missing", year=year))


class PhraseError(DeadlineError):
    """A time-limit phrase cannot be used as given (bad option, impossible date)."""

    def __init__(self, phrase: str, message: str, position: int | None = None):
        self.phrase = phrase
        self.position = position
        self.reason = message
        shown = phrase if len(phrase) <= 80 else phrase[:77] + "…"  # a 10,000-character cell stays one line
        super().__init__(f"{message}: '{shown}'")


class DateOutOfRange(DeadlineError):
    """A date that cannot be counted: before or after the years the calendar and
    the engine take (``first``–``last``), e.g. an event on 9999-12-31 plus 20
    days, or a typo'd year.  ``what`` is the arithmetic or the date as text;
    ``obligation`` and ``rule`` say where it came from, once known."""

    def __init__(self, what: str, first: int, last: int, *, obligation: str = "", rule: str = ""):
        self.what = what
        self.first = first
        self.last = last
        self.obligation = obligation
        self.rule = rule
        message = say("date_out_of_range", what=what, low=first, high=last)
        if rule:
            message = say("of_time_limit", message=message, rule=rule)
        if obligation:
            message = say("in_obligation", obligation=obligation, message=message)
        super().__init__(message)

    def at(self, obligation: str, rule: str) -> DateOutOfRange:
        """The same error, naming the obligation and the rule it arose in."""
        return DateOutOfRange(self.what, self.first, self.last, obligation=obligation, rule=rule)


class UnknownName(DeadlineError):
    """A unit, plan or obligation named on the command line does not exist."""

    def __init__(self, what: str, name: str, known: list[str] | None = None):
        self.what = what
        self.name = name
        self.known = list(known or [])
        hint = ""
        if known:
            import difflib

            close = [k for k in known if name in k or k in name]
            close += [k for k in difflib.get_close_matches(name, known, n=3, cutoff=0.7) if k not in close]
            close = close[:3]
            if close:
                hint = say("did_you_mean", names=", ".join(close))
        super().__init__(say("unknown_name", what=noun(what), name=name, hint=hint))


class AmbiguousName(DeadlineError):
    """A name given on the command line fits more than one thing (an alias used in two places)."""

    def __init__(self, what: str, name: str, candidates: list[str]):
        self.what = what
        self.name = name
        self.candidates = list(candidates)
        super().__init__(say("ambiguous_name", what=noun(what), name=name, names=", ".join(self.candidates)))


class WindowError(DeadlineError):
    """A window of days that ends before it starts."""

    def __init__(self, start: object, end: object):
        self.start = start
        self.end = end
        super().__init__(say("window_inverted", start=start, end=end))


class StoreError(DeadlineError):
    """The event store cannot be used: names the file and what is wrong with it."""

    def __init__(self, path: str | Path, message: str):
        self.path = str(path)
        self.reason = message
        super().__init__(f"{self.path}: {message}")


class NoSuchChange(DeadlineError):
    """A change named by id (to remove or undo) is not in the store, or not in force."""

    def __init__(self, change_id: int, what: str, path: str | Path):
        self.change_id = change_id
        self.what = what
        self.path = str(path)
        super().__init__(say("no_such_change", what=noun(what), change=change_id, path=self.path))


class ImportProblem(DeadlineError):
    """The text cannot be read as a plan; names the line of the source."""

    def __init__(self, source: str, line: int, message: str):
        self.source, self.line, self.reason = source, line, message
        super().__init__(f"{source}:{line}: {message}")


class NoTrigger(DeadlineError):
    """A trigger event was given for an obligation that waits on none (or not on that one)."""

    def __init__(self, obligation: str, due_text: str):
        self.obligation = obligation
        self.due_text = due_text
        super().__init__(say("no_trigger", obligation=obligation, due_text=due_text or "—"))


class NotDatedYet(DeadlineError):
    """An obligation has no dated occurrence yet: it waits on an event."""

    def __init__(self, obligation: str, waits_on: list[str]):
        self.obligation = obligation
        self.waits_on = list(waits_on)
        waits = "、".join(self.waits_on) or "人工确认"
        super().__init__(say("not_dated_yet", obligation=obligation, waits=waits))


class AmbiguousPeriod(DeadlineError):
    """A period given for ``done`` names several occurrences (two rules, one period)."""

    def __init__(self, obligation: str, period: str, keys: list[str], dates: list[str]):
        self.obligation = obligation
        self.period = period
        self.keys = list(keys)
        super().__init__(say("ambiguous_period", period=period, obligation=obligation, count=len(keys),
                             dates=", ".join(dates), keys=", ".join(self.keys)))


class AlreadyDone(DeadlineError):
    """The occurrence ``key`` is already marked done (on ``on``, change ``change``): nothing was recorded."""

    def __init__(self, key: str, on: str, change: int):
        self.key = key
        self.on = on
        self.change = change
        super().__init__(say("already_done", occurrence=key, on=on, change=change))


class NothingOpen(DeadlineError):
    """Every occurrence of an obligation is already done: there is none to mark."""

    def __init__(self, obligation: str):
        self.obligation = obligation
        super().__init__(say("all_done", obligation=obligation))


class EventOutOfRange(DeadlineError):
    """An event dated outside the years a due can be counted in (a typo such as 9999-12-31)."""

    def __init__(self, on: str, low: int, high: int):
        self.on = on
        self.low = low
        self.high = high
        super().__init__(say("event_out_of_range", on=on, low=low, high=high))


class EventUndatable(DeadlineError):
    """An event from which no due can be counted for an obligation (a due past the calendar)."""

    def __init__(self, obligation: str, on: str, reason: object):
        self.obligation = obligation
        self.on = on
        self.reason = reason
        super().__init__(say("event_undatable", obligation=obligation, on=on, reason=reason))


class NothingToUndo(DeadlineError):
    """No completion in force for an obligation (or for the period given)."""

    def __init__(self, obligation: str, period: str | None = None):
        self.obligation = obligation
        self.period = period
        which = f" {period}" if period else ""
        super().__init__(say("nothing_to_undo", obligation=obligation, which=which))


class FeedMismatch(DeadlineError):
    """A feed, read back as a calendar client reads it, does not give the engine's occurrences."""

    def __init__(self, feed: str, missing: list[str], extra: list[str]):
        self.feed = feed
        self.missing = list(missing)
        self.extra = list(extra)
        shown = [say("feed_missing", what=m) for m in self.missing[:3]]
        shown += [say("feed_unexpected", what=e) for e in self.extra[:3]]
        more = len(self.missing) + len(self.extra) - len(shown)
        tail = say("and_more_count", count=more) if more > 0 else ""
        super().__init__(say("feed_mismatch", feed=feed, shown="; ".join(shown), tail=tail))


class WindowChoice(DeadlineError):
    """The window of days asked for is not one window (two given, or half of one)."""

    def __init__(self, message: str):
        self.reason = message
        super().__init__(message)


class TargetError(DeadlineError):
    """What a change is for is not said once: an event naming neither an obligation nor a
    trigger, or an occurrence given both as a key and by a period."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class PathError(DeadlineError):
    """A file or folder given by the user cannot be used as asked: names the path and why."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class WouldOverwrite(DeadlineError):
    """An import would replace a rules file that differs from it (a reviewed one, perhaps)."""

    def __init__(self, path: str | Path, reviewed: int):
        self.path = str(path)
        self.reviewed = reviewed
        what = say("has_review_marks", count=reviewed) if reviewed else say("differs_from_import")
        super().__init__(say("would_overwrite", path=self.path, what=what))


class NoRulesFolder(DeadlineError):
    """No ``--rules``, no ``DEADLINES_RULES``, and no rules folder in ``where`` or its parents."""

    def __init__(self, where: str | Path):
        self.where = str(where)
        super().__init__(say("no_rules_folder", where=self.where))


class InitError(DeadlineError):
    """``deadlines init`` cannot make a rules folder at ``path`` (a file is in the way)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        super().__init__(say("init_not_folder", path=self.path))


class NearestTie(DeadlineError):
    """``done`` without a period: two open occurrences are equally near the day it was done."""

    def __init__(self, obligation: str, on: object, keys: list[str], dates: list[str]):
        self.obligation = obligation
        self.keys = list(keys)
        listed = "、".join(f"{k}（{d}到期）" for k, d in zip(keys, dates))
        super().__init__(say("nearest_tie", obligation=obligation, count=len(keys), on=on, listed=listed))


class NotAMember(DeadlineError):
    """``done --unit``: the unit is no member of a group the task is for (or the task is no group's)."""

    def __init__(self, unit: str, obligation: str, groups: list[str]):
        self.unit = unit
        self.obligation = obligation
        self.groups = list(groups)
        if groups:
            super().__init__(say("not_a_member", unit=unit, obligation=obligation, groups="、".join(groups)))
        else:
            super().__init__(say("no_group_task", obligation=obligation))
