"""What the reader knows while it reads one text, and the small steps every construction shares.

:class:`Context` holds the plan year, the rules read so far (the context of the
next limit: "次年1月20日前…1月底前", "于每月5日前…并于20日前") and the year in
force; it reads years and counts with their bounds.  The helpers turn matched
text into dates, months, times, offsets and triggers, raising
:class:`Impossible` for the shape of a date that does not exist (2015年13月),
which leaves the text unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any


from ..dates import month_end as last_day
from ..errors import PhraseError
from ..messages import say
from .vocabulary import (
    LONGEST,
    PLAN_SELF_WORDS,
    PLAN_YEARS,
    SUBJECT_MODALS,
    SUBJECT_PREPOSITIONS,
    TRIGGER_LEAD_WORDS,
    TRIGGER_TAIL_WORDS,
    UNIT_NAMES,
    UNITS,
    one_of,
)

Rule = dict[str, Any]  # a rule as the grammar builds it; keys starting with _ are the reader's own notes


class Impossible(Exception):
    """The text has the shape of a date that does not exist (2015年13月): left unread."""


# A number and 年 in the words before a date with no year of its own ("2016年的7月底前").
_LOOSE_YEAR = re.compile(r"(?<!\d)(\d+)年(?!\d*月)")


@dataclass
class Context:
    """What the reader knows while reading one text: the plan year, the rules
    read so far (the context of the next limit), the year in force."""

    year: int | None
    text: str
    prose: bool = False
    label: str = ""  # the unread words of the segment before the construction being read
    label_year: bool = False  # the construction took its year from them
    rules: list[Rule] = field(default_factory=list)  # read so far, in order
    written: int | None = None  # the last year written as a number ("2016年")
    in_force: int | None = None  # the year of the last date read (written, or 次年)
    impossible: list[str] = field(default_factory=list)  # the shapes of dates that do not exist, as written

    def year_of(self, m: re.Match) -> int:
        """The year of a date: written, or 次年, or the year in force, or the plan year.

        "次年1月20日前…1月底前": the second date is in the year the first one named.
        """
        gd = m.groupdict()
        if gd.get("year"):
            year = self.written_year(gd["year"])
            self.written = self.in_force = year
            return year
        loose = _LOOSE_YEAR.findall(self.label)
        if loose:
            # "2016年的7月底前": the year written before the date is its year.  One
            # that is not a year ("10000年1月", "3年") cannot be placed: the text
            # stays unread rather than the plan year silently taking its place.
            digits = loose[-1]
            if len(digits) != 4 or not PLAN_YEARS[0] <= int(digits) <= PLAN_YEARS[1]:
                raise Impossible(f"the year {digits}年 before {m.group()} cannot be placed")
            self.label_year = True
            self.written = int(digits)
            self.in_force = self.written + (1 if gd.get("next") else 0)
            return self.in_force
        if self.year is None:
            raise PhraseError(self.text, "a date without a year needs the plan year (--year)")
        if gd.get("next"):  # the year after the plan year, or after the year last written
            self.in_force = (self.written or self.year) + 1
            return self.in_force
        if gd.get("this"):
            self.in_force = self.year
            return self.year
        return self.in_force or self.year

    def written_year(self, digits: str) -> int:
        """A year written in the text, bounded to :data:`PLAN_YEARS`."""
        year = int(digits)
        if not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
            if self.prose:  # in requirement text it is not a time limit ("1840年以来")
                raise Impossible(f"year {digits}")
            raise PhraseError(self.text, say("year_out_of_range", year=digits, low=PLAN_YEARS[0], high=PLAN_YEARS[1]))
        return year

    def count(self, digits: str, unit: str) -> int:
        """A count of ``unit`` written in the text (an offset, an interval), at most a century."""
        n = int(digits) if len(digits) <= 9 else None
        if n is None or n > LONGEST[unit]:
            shown = digits if len(digits) <= 12 else digits[:12] + "…"
            raise PhraseError(self.text, say("offset_too_long", count=shown, unit=UNIT_NAMES[unit]))
        return n

    def offset(self, n: str, unit_word: str) -> dict[str, Any]:
        """An offset from its number and unit word ("2", "个工作日")."""
        unit = UNITS[unit_word.removeprefix("个")]
        return {"n": self.count(n, unit), "unit": unit}


# -- dates, months, times ---------------------------------------------------------------


def month_end(y: int, m: int) -> date:
    """The last day of month ``m`` of year ``y``."""
    return last_day(date(y, m, 1))


def make_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise Impossible(f"no such date {y}年{m}月{d}日 ({exc})") from None


def month(m: int) -> int:
    if not 1 <= m <= 12:
        raise Impossible(f"no such month: {m}月")
    return m


def clock(m: re.Match, prefix: str = "") -> time | None:
    """The time of day of a match with the grammar's clock part (its groups named with ``prefix``);
    None for none or for 24时 (the whole day).  下午5时 is 17:00."""
    hour = m[prefix + "h"] or m[prefix + "hh"]
    if hour is None:
        return None
    h, mi = int(hour), int(m[prefix + "mi"] or m[prefix + "mm"] or 0)
    if m.groupdict().get(prefix + "part") in ("下午", "晚上") and h < 12:
        h += 12
    if h == 24 and mi == 0:
        return None  # 24时: the whole day (民法典第203条: 截止时间为二十四时)
    if 0 <= h < 24 and 0 <= mi < 60:
        return time(h, mi)
    raise Impossible(f"no such time {h}:{mi:02d}")


# -- triggers ---------------------------------------------------------------------------

# The subject of a sentence before the event: "各单位要于…", "县政府应在…",
# anything before 本方案/本通知 (the plan is the subject of its own issue).
_SUBJECT = re.compile(
    r"^.*" + one_of(SUBJECT_MODALS) + one_of(SUBJECT_PREPOSITIONS) + r"|^.+?(?=本" + one_of(PLAN_SELF_WORDS) + ")"
)
_TRIGGER_LEAD = re.compile(r"^" + one_of(TRIGGER_LEAD_WORDS) + "+")
# The label a rule states the limit under: "整改时限为审计报告送达之日起60日内", "办理期限是…".
_LIMIT_LABEL = re.compile(r"^.{0,8}?(?:时限|期限|时间|时效)(?:为|是|:)")
_TRIGGER_TAIL = re.compile(one_of(TRIGGER_TAIL_WORDS) + "$")


def trigger(raw: str) -> str:
    """The event as written, without the sentence around it: its subject and the
    words that lead to it ("各单位要于本方案印发" → "本方案印发", "经市人大批准" → "市人大批准");
    会 of 会后 is the meeting ("…贯彻落实情况在会后7日内": 会议召开)."""
    raw = raw.strip(" ,;:、()")
    raw = _LIMIT_LABEL.sub("", raw)
    raw = _SUBJECT.sub("", raw)
    raw = _TRIGGER_LEAD.sub("", raw)
    raw = _TRIGGER_TAIL.sub("", raw)
    if THE_MEETING.search(raw):
        return MEETING_HELD
    return raw.strip(" ,;:、")


# 会后 is after the meeting (minutes: "会后3日内报送"), the meeting's day its event.
THE_MEETING = re.compile(r"(?:^|[在于])会$")
MEETING_HELD = "会议召开"
