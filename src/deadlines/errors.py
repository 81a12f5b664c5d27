"""One error root for everything a user can get wrong.

Every error the library raises on bad input is a :class:`DeadlineError`; the CLI
turns it into one line on stderr and exit code 2.  Subclasses carry the data a
caller needs to act on (file and line, year, phrase), not only a message.
"""

from __future__ import annotations

from pathlib import Path


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
        from .messages import say

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
        super().__init__(
            f"no official working-day data for {year}: add rules/calendars/{year}.yaml "
            f"from the State Council notice (see docs/holidays.md), "
            f"or count {year} as weekends only with provisional dates"
        )


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
        from .messages import say

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
        hint = ""
        if known:
            import difflib

            close = [k for k in known if name in k or k in name]
            close += [k for k in difflib.get_close_matches(name, known, n=3, cutoff=0.7) if k not in close]
            close = close[:3]
            if close:
                hint = f" (did you mean {', '.join(close)}?)"
        super().__init__(f"unknown {what} '{name}'{hint}")
