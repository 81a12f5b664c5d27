"""Occurrences as iCalendar feeds (RFC 5545) that subscribed clients really accept.

What the feeds hold, and why (see DESIGN.md "iCalendar feeds" and the checked
notes on clients):

* A dated occurrence is a VEVENT: all day as ``DTSTART;VALUE=DATE`` with the
  exclusive ``DTEND`` of the next day, or timed with ``TZID=Asia/Shanghai``
  and its VTIMEZONE; ``TRANSP:TRANSPARENT`` (a deadline is not busy time).
* A recurring rule whose dates in the window are exactly a pattern Outlook can
  map (daily; weekly on one day; monthly on one day, ``BYMONTHDAY=-1`` for the
  month end, quarterly as ``INTERVAL=3``; yearly on one month and day) is one
  VEVENT with an RRULE, always bounded by ``UNTIL``.  Anything else — dates
  counted in working days, rolled dates, days 29–31, month lists, provisional
  or completed periods — is one VEVENT per period.  There are no RDATEs.
* UIDs come from the content: the occurrence key (obligation id, rule
  index, nominal period: ``zs2015-6/0/2015@deadlines``; an RRULE series uses
  ``series`` as its period).  DTSTAMP and LAST-MODIFIED come from the data and the manifest,
  never from the clock; SEQUENCE and LAST-MODIFIED move only when the event
  really changes, so clients update it in place.
* An obligation waiting on a trigger is a VTODO without DUE (Thunderbird shows
  it; Google and iOS ignore tasks in subscriptions).

Events are written here line by line rather than through icalendar's
``Component.to_ical`` (about 0.6 ms an event, too slow for a province of
plans); the calendar header and the VTIMEZONE still come from icalendar, and
every feed is read back by three independent parsers in the tests and checked
by :mod:`deadlines.icslint`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Iterable, Sequence

from dateutil.rrule import rrulestr

from .dates import month_end
from .model import Obligation, Occurrence, Plan, RecurringRule
from .roles import ROLE_ZH, ROLES
from .render import explain

TZID = "Asia/Shanghai"
PRODID = "-//deadlines//政务公开工作时限//ZH"
UID_DOMAIN = "deadlines"
# A hint only: Google polls every 8–24 h whatever it says; Outlook desktop
# honours X-PUBLISHED-TTL.
REFRESH = timedelta(hours=6)
TIMED_LENGTH = timedelta(minutes=30)  # a timed deadline shows as a short event starting at it

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --------------------------------------------------------------------------
# Content lines: escaping and folding


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded at 75 octets (RFC 5545 3.1).

    A fold never splits a UTF-8 character nor separates a backslash from the
    character it escapes (some clients read such a split as a literal ``\\``).
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character
            cut -= 1
        backslashes = 0
        while data[cut - 1 - backslashes] == 0x5C and cut - 1 - backslashes >= start:
            backslashes += 1
        if backslashes % 2:
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # a continuation line starts with one space
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


@lru_cache(maxsize=4096)  # a build stamps most events with the same few moments
def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------
# Entries: what becomes one VEVENT or VTODO


@dataclass(frozen=True)
class Entry:
    """One VEVENT (one occurrence, or an RRULE series of them) or one VTODO."""

    uid: str
    occurrences: tuple[Occurrence, ...]
    rrule: str | None = None
    # Asked for millions of times in a province's build: kept, not derived each time.
    first: Occurrence = field(init=False, repr=False, compare=False)
    is_todo: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first", self.occurrences[0])
        object.__setattr__(self, "is_todo", self.occurrences[0].due is None)

    @property
    def units(self):
        return self.first.units


@dataclass(frozen=True)
class FeedSource:
    """What an event says about where its obligation comes from."""

    plan: Plan
    obligation: Obligation


def occurrence_uid(occ: Occurrence) -> str:
    """The occurrence key (obligation, rule, nominal period): the same event keeps its UID across builds."""
    return f"{occ.key}@{UID_DOMAIN}"


def series_uid(occ: Occurrence) -> str:
    return f"{occ.obligation}/{occ.rule}/series@{UID_DOMAIN}"


def exact_rrule(days: Sequence[date]) -> str | None:
    """The RRULE (with UNTIL) whose dates are exactly ``days``, in a form Outlook maps; or None.

    The candidate is read back with dateutil and kept only if it gives the
    same dates, so an RRULE is written only where it is exact.  A province's
    obligations share few distinct series (every obligation read from
    每季度首月25日前 has the same dates), so each is checked once.
    """
    return _exact_rrule(tuple(days))


@lru_cache(maxsize=4096)
def _exact_rrule(days: tuple[date, ...]) -> str | None:
    if len(days) < 2 or any(b <= a for a, b in pairwise(days)):
        return None
    first, second, last = days[0], days[1], days[-1]
    until = f";UNTIL={last:%Y%m%d}"
    candidates = []
    months = (second.year - first.year) * 12 + second.month - first.month
    if months > 0:
        if first.day <= 28 and all(d.day == first.day for d in days):
            if months % 12 == 0:
                candidates.append(f"FREQ=YEARLY{_interval(months // 12)};BYMONTH={first.month};BYMONTHDAY={first.day}")
            else:
                candidates.append(f"FREQ=MONTHLY{_interval(months)};BYMONTHDAY={first.day}")
        elif all(d == month_end(d) for d in days):
            candidates.append(f"FREQ=MONTHLY{_interval(months)};BYMONTHDAY=-1")
    step = (second - first).days
    if all((b - a).days == step for a, b in pairwise(days)):
        if step % 7 == 0:
            candidates.append(f"FREQ=WEEKLY{_interval(step // 7)};BYDAY={_WEEKDAYS[first.weekday()]}")
        else:
            candidates.append(f"FREQ=DAILY{_interval(step)}")
    for rule in candidates:
        text = rule + until
        got = [d.date() for d in rrulestr(text, dtstart=datetime.combine(first, datetime.min.time()))]
        if got == list(days):
            return text
    return None


def _interval(n: int) -> str:
    return f";INTERVAL={n}" if n > 1 else ""


def _plain(occ: Occurrence) -> bool:
    """Dated, all day, and neither provisional nor completed: may join an RRULE series."""
    return (
        occ.due is not None
        and not isinstance(occ.due, datetime)
        and occ.status in ("scheduled", "overdue")
        and not occ.provisional
    )


def _calendar_series(rule: object, plan: Plan) -> bool:
    """A recurring rule whose dates are calendar dates: no working days, no rolling, no month list.

    Dates counted in working days or rolled past rest days hang on the
    holiday data, which changes yearly: each period is its own event then.
    """
    if not isinstance(rule, RecurringRule) or rule.workday is not None or rule.months or rule.time:
        return False
    if rule.after_end is not None:
        rolls = True if rule.roll is None else rule.roll  # a period after the period end rolls (第203条)
        return not rolls and rule.after_end.unit != "workday"
    return not (plan.policy.roll if rule.roll is None else rule.roll)


def entries(occurrences: Iterable[Occurrence], sources: dict[str, FeedSource], *, ordered: bool = False) -> list[Entry]:
    """Group occurrences into feed entries, in the order of the occurrences' first dates.

    ``ordered``: the occurrences come sorted (:meth:`Occurrence.sort_key`, as
    :func:`deadlines.engine.expand` gives them); the entries are then made in
    that order and not sorted again.
    """
    occurrences = list(occurrences)
    groups: dict[tuple[str, str, int], list[Occurrence]] = {}
    for occ in occurrences:
        groups.setdefault((occ.plan, occ.obligation, occ.rule), []).append(occ)
    series: dict[tuple[str, str, int], Entry] = {}
    for key, found in groups.items():
        src = sources.get(key[1])
        index = key[2]
        rule = src.obligation.rules[index] if src is not None and index < len(src.obligation.rules) else None
        if (
            src is not None
            and _calendar_series(rule, src.plan)
            and len(found) > 1
            and all(_plain(o) for o in found)
        ):
            rrule = exact_rrule([o.due for o in found])
            if rrule:
                series[key] = Entry(series_uid(found[0]), tuple(found), rrule)
    del groups
    out: list[Entry] = []
    for occ in occurrences:  # an occurrence is its own entry, or its series' first
        entry = series.get((occ.plan, occ.obligation, occ.rule)) if series else None
        if entry is None:
            out.append(Entry(occurrence_uid(occ), (occ,)))
        elif entry.first is occ:
            out.append(entry)
    if not ordered:
        out.sort(key=lambda e: e.first.sort_key())
    return out


# --------------------------------------------------------------------------
# The manifest: SEQUENCE and LAST-MODIFIED across builds


class Manifest:
    """For each UID: the digest of its content, its SEQUENCE and its LAST-MODIFIED.

    A UID whose digest is unchanged keeps both; a changed one gets SEQUENCE + 1
    and a LAST-MODIFIED later than its last one.  UIDs no longer written are
    forgotten when the manifest is saved.
    """

    def __init__(self, entries: dict[str, tuple[str, int, datetime]] | None = None):
        self.previous = dict(entries or {})
        self.current: dict[str, tuple[str, int, datetime]] = {}

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            rows = data["events"]
            return cls({uid: (d, int(s), datetime.fromisoformat(m)) for uid, (d, s, m) in rows.items()})
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # none yet, or unreadable: every event starts at SEQUENCE 0

    def get(self, uid: str) -> tuple[int, datetime] | None:
        """SEQUENCE and LAST-MODIFIED already given to ``uid`` in this build."""
        found = self.current.get(uid)
        return None if found is None else (found[1], found[2])

    def stamp(self, uid: str, digest: str, data_stamp: datetime) -> tuple[int, datetime]:
        """SEQUENCE and LAST-MODIFIED of ``uid`` with content ``digest``."""
        old = self.previous.get(uid)
        if old is None:
            sequence, modified = 0, data_stamp
        elif old[0] == digest:
            sequence, modified = old[1], old[2]
        else:
            sequence, modified = old[1] + 1, max(data_stamp, old[2] + timedelta(seconds=1))
        self.current[uid] = (digest, sequence, modified)
        return sequence, modified

    def dumps(self) -> bytes:
        rows = {
            uid: [digest, seq, modified.astimezone(timezone.utc).isoformat()]
            for uid, (digest, seq, modified) in sorted(self.current.items())
        }
        return (json.dumps({"events": rows}, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Writing


def summary(entry: Entry, role: str | None) -> str:
    """The event title: the obligation's title, marked 【已完成】, 【配合】 or 【待触发】;
    in the feed of all units, followed by the first unit."""
    occ = entry.first
    text = occ.title
    if role == "cooperating":
        text = f"【{ROLE_ZH[role]}】" + text
    if entry.is_todo and occ.status != "done":
        text = "【待触发】" + text
    if occ.status == "done":
        text = "【已完成】" + text
    if role is None:
        names = occ.units.all()
        if names:
            text += f"（{names[0]}{'等' if len(names) > 1 else ''}）"
    return text


def _units_line(occ: Occurrence) -> str:
    parts = []
    for role in ROLES:
        names = getattr(occ.units, role)
        if names:
            parts.append(f"{ROLE_ZH[role]} {'、'.join(names)}")
    return "单位：" + ("；".join(parts) or "（未写单位）")


def _source_line(src: FeedSource | None) -> str:
    if src is None:
        return ""
    plan, ob = src.plan, src.obligation
    text = plan.title + (f"（{plan.document_number}）" if plan.document_number else "")
    if ob.source.item:
        text += f" 第{ob.source.item}项"
    document = ob.source.document or plan.source
    if document:
        text += f"；{document}"
    return "来源：" + text


def _why(entry: Entry, src: FeedSource | None) -> str:
    occ = entry.first
    if entry.rrule is None:
        return occ.why
    rule = src.obligation.rules[occ.rule] if src else None
    head = (rule.text or explain(rule)) if rule is not None else occ.due_text
    last = entry.occurrences[-1]
    return f"{head}：每期按规则计算，共{len(entry.occurrences)}次，{occ.due} 至 {last.due}，不顺延"


def description(entry: Entry, src: FeedSource | None, unit: str | None) -> str:
    occ = entry.first
    lines = []
    if src is not None and src.obligation.requirement:
        lines.append(src.obligation.requirement)
    else:
        lines.append(occ.title)
    if unit is not None:
        role = occ.units.role_of(unit)
        lines.append(f"本单位：{unit}（{ROLE_ZH[role] + '单位' if role else '相关单位'}）")
    lines.append(_units_line(occ))
    if occ.due_text:
        lines.append(f"时限：{occ.due_text}")
    lines.append(_why(entry, src) if entry.is_todo else "日期：" + _why(entry, src))
    source = _source_line(src)
    if source:
        lines.append(source)
    if occ.status == "done":
        lines.append("状态：已完成")
    elif occ.provisional:
        lines.append("状态：日期暂定")
    return "\n".join(lines)


def categories(entry: Entry, src: FeedSource | None, role: str | None) -> list[str]:
    found = []
    if role is not None:
        found.append(ROLE_ZH[role] + "单位")
    if src is not None and src.obligation.category:
        found.append(src.obligation.category)
    if entry.is_todo:
        found.append("待触发")
    return list(dict.fromkeys(found))


def _alarm_lines(alarm: timedelta | None, text: str) -> list[str]:
    if alarm is None:
        return []
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape_text(text)}",
            f"TRIGGER:-{duration_text(alarm)}", "END:VALARM"]


def duration_text(span: timedelta) -> str:
    """An RFC 5545 DURATION for a non-negative span: P3D, PT12H, P1DT2H30M."""
    seconds = int(span.total_seconds())
    if seconds < 0:
        raise ValueError("a duration here is not negative")
    days, within_day = divmod(seconds, 86400)
    hours, within_hour = divmod(within_day, 3600)
    minutes, secs = divmod(within_hour, 60)
    text = "P" + (f"{days}D" if days else "")
    if within_day or not days:
        text += "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        text += f"{secs}S" if secs or not (hours or minutes) else ""
    return text


def _body(entry: Entry, src: FeedSource | None, unit: str | None, alarm: timedelta | None) -> list[str]:
    """Every line of the entry except BEGIN/END, UID, DTSTAMP, LAST-MODIFIED and SEQUENCE."""
    occ = entry.first
    role = occ.units.role_of(unit) if unit is not None else None
    title = summary(entry, role)
    lines: list[str] = []
    if not entry.is_todo:
        due = occ.due
        if isinstance(due, datetime):
            lines.append(f"DTSTART;TZID={TZID}:{due:%Y%m%dT%H%M%S}")
            lines.append(f"DTEND;TZID={TZID}:{due + TIMED_LENGTH:%Y%m%dT%H%M%S}")
        else:
            lines.append(f"DTSTART;VALUE=DATE:{due:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}")
        if entry.rrule:
            lines.append(f"RRULE:{entry.rrule}")
    lines.append(f"SUMMARY:{escape_text(title)}")
    lines.append(f"DESCRIPTION:{escape_text(description(entry, src, unit))}")
    cats = categories(entry, src, role)
    if cats:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in cats))
    if entry.is_todo:
        lines.append("STATUS:" + ("COMPLETED" if occ.status == "done" else "NEEDS-ACTION"))
    else:
        if occ.provisional and occ.status != "done":
            lines.append("STATUS:TENTATIVE")
        lines.append("TRANSP:TRANSPARENT")
        lines.extend(_alarm_lines(alarm, title))
    return lines


@lru_cache(maxsize=1)
def vtimezone() -> bytes:
    """The VTIMEZONE of Asia/Shanghai from 2000 on: one STANDARD block, +08:00."""
    from icalendar import Timezone

    return Timezone.from_tzid(TZID, first_date=date(2000, 1, 1), last_date=date(2100, 1, 1)).to_ical()


def calendar_head(name: str, about: str) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, written by icalendar."""
    from icalendar import Calendar, vDuration

    cal = Calendar.new(name=name, description=about, method="PUBLISH", prodid=PRODID,
                       refresh_interval=REFRESH, uid="-")
    del cal["UID"]  # Calendar.new sets a random one when none is given; a feed needs none
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    text = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    return text[: -len(end)]


class FeedWriter:
    """Writes feeds from entries, numbering each entry's versions through the manifest."""

    def __init__(
        self,
        sources: dict[str, FeedSource],
        *,
        manifest: Manifest,
        data_stamp: datetime,
        alarm: timedelta | None = None,
    ):
        self.sources = sources
        self.manifest = manifest
        self.data_stamp = data_stamp
        self.alarm = alarm

    def entry(self, entry: Entry, unit: str | None) -> bytes:
        """The entry as written in the feed of ``unit`` (None: the feed of all units)."""
        src = self.sources.get(entry.first.obligation)
        body = _body(entry, src, unit, self.alarm)
        stamped = self.manifest.get(entry.uid)
        if stamped is None:
            # The digest is of the entry as the feed of all units writes it, so
            # every feed that holds the entry gives it the same SEQUENCE.
            common = body if unit is None else _body(entry, src, None, self.alarm)
            digest = hashlib.sha256("\n".join(common).encode("utf-8")).hexdigest()[:20]
            stamped = self.manifest.stamp(entry.uid, digest, self.data_stamp)
        sequence, modified = stamped
        stamp = _utc(modified)
        kind = "VTODO" if entry.is_todo else "VEVENT"
        lines = [f"BEGIN:{kind}", f"UID:{escape_text(entry.uid)}", f"DTSTAMP:{stamp}",
                 f"LAST-MODIFIED:{stamp}", f"SEQUENCE:{sequence}", *body, f"END:{kind}"]
        return b"".join(fold(line) for line in lines)

    def feed(self, chosen: Iterable[Entry], *, name: str, about: str, unit: str | None = None) -> bytes:
        """One VCALENDAR of ``chosen`` entries; ``unit`` names the unit whose feed it is."""
        chosen = list(chosen)
        chunks = [calendar_head(name, about)]
        if any(isinstance(e.first.due, datetime) for e in chosen):
            chunks.append(vtimezone())
        chunks.extend(self.entry(e, unit) for e in chosen)
        chunks.append(b"END:VCALENDAR\r\n")
        return b"".join(chunks)
