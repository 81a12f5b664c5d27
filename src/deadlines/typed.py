"""Dates as people type them on the command line: 2015-07-08, 2015/07/08, 2015.7.8,
2015年7月8日, 7月8日 (this year), with a time after them where a moment is asked for."""

from __future__ import annotations

import re
from datetime import date, datetime

from .dates import Moment

_TYPED = [
    # 2015-07-08, 2015/07/08, 2015.7.8, 2015 7 8
    re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"),
    # 2015年7月8日 (号), 7月8日 (this year)
    re.compile(r"(?:(?P<y>\d{4})\s*年)?\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
]
_TIME = re.compile(r"(?:T|\s+|(?<=[日号]))(?P<h>\d{1,2})[:：](?P<min>\d{2})")


class TypedDateError(ValueError):
    """A date typed on the command line that is none: the message is one line for the user."""


def read_typed(text: str, *, year: int, timed: bool = False) -> Moment:
    """A date as people type it: ``2015-07-08``, ``2015/07/08``, ``2015.7.8``, ``2015年7月8日``,
    or ``7月8日`` (in ``year``: the caller's this year); with ``timed``, a time may follow
    (``2015-09-02T10:00``, ``2015-09-02 10:00``, ``2015年9月2日10:00``).

    Full-width digits and punctuation are read as ASCII.  Anything else is a
    :class:`TypedDateError` whose message says what was typed and what is accepted.
    """
    import unicodedata

    from .messages import say

    raw = text
    text = unicodedata.normalize("NFKC", text).strip()
    when = None
    if timed:
        found = _TIME.search(text)
        if found and found.end() == len(text):
            when = (int(found["h"]), int(found["min"]))
            text = text[: found.start()].strip()
    for pattern in _TYPED:
        m = pattern.fullmatch(text)
        if m:
            break
    else:
        raise TypedDateError(say("typed_not_a_date", value=raw, forms=say("typed_date_forms")))
    y = int(m["y"]) if m["y"] else year
    try:
        day = date(y, int(m["m"]), int(m["d"]))
    except ValueError:
        if not 1 <= int(m["m"]) <= 12:
            why = say("typed_no_month", month=int(m["m"]))
        else:
            why = say("typed_no_day", year=y, month=int(m["m"]), day=int(m["d"]))
        raise TypedDateError(say("typed_bad_date", value=raw, why=why)) from None
    if when is None:
        return day
    if not (0 <= when[0] <= 23 and 0 <= when[1] <= 59):
        raise TypedDateError(say("typed_bad_time", value=raw))
    return datetime(day.year, day.month, day.day, *when)
