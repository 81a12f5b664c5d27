"""Calendar days and moments: the few helpers every layer shares, written once.

A *moment* is a date (a whole day) or a datetime (a timed due, a timed
event).  Its one text form is ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``: the JSON
contracts, the event store, occurrence keys and the command line all use it.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta, timezone

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# Every time shown or recorded is Beijing time, whatever the machine's time zone.
# Asia/Shanghai has kept +08:00 without daylight saving since 1991: a fixed offset needs no tz database.
BEIJING = timezone(timedelta(hours=8))

Moment = date | datetime


def day_of(moment: Moment) -> date:
    """The calendar day of a date or a datetime."""
    return moment.date() if isinstance(moment, datetime) else moment


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return d.replace(day=monthrange(d.year, d.month)[1])


def weekday_zh(d: date) -> str:
    """'周一' … '周日'."""
    return WEEKDAYS_ZH[d.weekday()]


def moment_text(moment: Moment | None) -> str | None:
    """``YYYY-MM-DD`` for a date, ``YYYY-MM-DDTHH:MM`` for a datetime (None stays None)."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.isoformat()


def parse_moment(text: str | None) -> Moment | None:
    """The inverse of :func:`moment_text`: ``YYYY-MM-DD`` a date, ``YYYY-MM-DDTHH:MM`` a datetime.

    Raises ``ValueError`` on anything else (the caller names the field).
    """
    if text is None:
        return None
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)

