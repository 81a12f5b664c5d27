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
  index, nominal period) written in ASCII without ``/`` (:func:`uid_of`:
  ``zs2015-6.0.2015@deadlines``; an RRULE series uses ``series`` as its
  period), so a CalDAV server takes each event as ``<UID>.ics``.
* One UID, one content: an event is written byte for byte the same in
  ``all.ics`` and in every unit's feed (nothing in it depends on whose feed it
  is), so a person who subscribes to several feeds, or a client that merges
  lists by UID, never holds two versions of one event.
* The SUMMARY tells same-titled events apart (item number, the rule's time
  limit, the measure) and stays short enough for a phone
  (:func:`summary_labels`, :data:`SUMMARY_LIMIT`).
* DTSTAMP and LAST-MODIFIED come from the data and the recorded versions
  (:class:`Versions`, kept in the event store), never from the clock;
  SEQUENCE and LAST-MODIFIED move only when the event really changes, so
  clients update it in place.
* No METHOD (and so no ORGANIZER): see :func:`calendar_head`.
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
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import pairwise
from typing import Any, Iterable, Sequence

from dateutil.rrule import rrulestr

from .dates import month_end
from .records import Obligation, Occurrence, Plan
from .roles import NO_UNIT, ROLE_ZH, ROLES
from .render import explain

TZID = "Asia/Shanghai"
PRODID = "-//deadlines//政务公开工作时限//ZH"
UID_DOMAIN = "deadlines"
SERIES = "series"  # the period written in the UID of an RRULE series
# A hint only: Google polls every 8–24 h whatever it says; Outlook desktop
# honours X-PUBLISHED-TTL.
REFRESH = timedelta(hours=6)
TIMED_LENGTH = timedelta(minutes=30)  # a timed deadline shows as a short event starting at it

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --------------------------------------------------------------------------
# Content lines: escaping and folding


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


_SPECIAL = re.compile(r"[\x00-\x1f\x7f\\;,]")  # what escape_text changes


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    if not _SPECIAL.search(value):
        return value
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
    return _fold_long(data) + b"\r\n"


def fold_lines(lines: Iterable[str]) -> bytes:
    """:func:`fold` of each line, joined (a feed's 700,000 lines in one loop, not a call each)."""
    out = []
    for line in lines:
        data = line.encode("utf-8")
        out.append(data if len(data) <= 75 else _fold_long(data))
    out.append(b"")
    return b"\r\n".join(out)


def _fold_long(data: bytes) -> bytes:
    """A line of more than 75 octets folded (see :func:`fold`), without its CRLF."""
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
    return b"\r\n ".join(parts)


@lru_cache(maxsize=4096)  # a build stamps most events with the same few moments
def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------
# Entries: what becomes one VEVENT or VTODO


@dataclass(frozen=True, slots=True)  # slots: a province's build holds 66,000
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


@dataclass(frozen=True, slots=True)  # slots: one per obligation, 50,000 in a province's build
class FeedSource:
    """What an event says about where its obligation comes from."""

    plan: Plan
    obligation: Obligation


# A UID is the occurrence key in ASCII, without "/": RFC 5545 allows any text,
# but clients store events as "<UID>.ics" (a CalDAV PUT, vdir folders of
# khal and todoman) and Radicale refuses a path with "/" or non-ASCII in it.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*\Z")
_SAFE_PERIOD = re.compile(r"[A-Za-z0-9-]+\Z")


# What pinyin_ascii gave, by separator and text.  pypinyin loads 60 MB of dictionaries and
# takes half a second to start, for the few thousand names a site has, the same from one build
# to the next: a run keeps what it asked for (deadlines.plancache.pinyin_remembered puts what
# the last run kept in PINYIN_KEPT and saves what this one used), so a build whose names were
# all met before never loads it.
PINYIN: dict[str, dict[str, str]] = {}
PINYIN_KEPT: dict[str, dict[str, str]] = {}


def pinyin_ascii(text: str, sep: str = "") -> str:
    """``text`` in ASCII: toneless pinyin for Chinese (syllables joined by ``sep``), other
    letters without their accents; what has no ASCII form is dropped."""
    known = PINYIN.setdefault(sep, {})
    found = known.get(text)
    if found is None:
        found = PINYIN_KEPT.get(sep, {}).get(text)
        if found is None:
            found = _pinyin_ascii(text, sep)
        known[text] = found
    return found


def _pinyin_ascii(text: str, sep: str) -> str:
    import unicodedata

    from pypinyin import lazy_pinyin

    words = lazy_pinyin(unicodedata.normalize("NFKC", text))  # other text is kept as one word
    return unicodedata.normalize("NFKD", sep.join(words)).encode("ascii", "ignore").decode()


def _ascii(text: str) -> str:
    """Toneless pinyin for Chinese, other letters and digits kept, anything else a ``-``."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", pinyin_ascii(text)).strip("-.") or "x"


# A province's build writes a UID for each of 250,000 occurrences and checks each again: whether
# an id or a period is plain ASCII (nearly all are) is worked out once.  The others are not
# cached here: their pinyin goes through pinyin_ascii each time, whose memo is what a run keeps.
@lru_cache(maxsize=1 << 17)
def _plain_id(ident: str) -> bool:
    return _SAFE_ID.match(ident) is not None


@lru_cache(maxsize=1 << 14)
def _plain_period(period: str) -> tuple[str, bool]:
    text = period.replace(" ", "T").replace(":", "")
    return text, _SAFE_PERIOD.match(text) is not None


def _uid_id(ident: str) -> str:
    """An obligation id as a UID writes it: itself when plain ASCII (``zs2015-14.1``); else its
    pinyin and a hash of the id (``zsx2015-tongzhi.1_5d0c64e1``), so two ids never meet."""
    if _plain_id(ident):
        return ident
    return f"{_ascii(ident)[:40]}_{hashlib.sha256(ident.encode('utf-8')).hexdigest()[:8]}"


def _uid_period(period: str) -> str:
    """A period as a UID writes it: ``2015-Q3``, ``2015-09-02T1000`` (a moment without its colon)."""
    text, plain = _plain_period(period)
    if plain:
        return text
    return f"{_ascii(text)[:20]}_{hashlib.sha256(period.encode('utf-8')).hexdigest()[:8]}"


def uid_of(obligation: str, rule: int, period: str) -> str:
    """The UID of an occurrence key: ``obligation.rule.period@deadlines``, ASCII, no ``/``.

    ``zs2015-11.2/0/2015-Q3`` → ``zs2015-11.2.0.2015-Q3@deadlines``;
    ``fc-9/0/2015-09-02T10:00`` → ``fc-9.0.2015-09-02T1000@deadlines``;
    ``zsx2015-通知.1/0/2015`` → ``zsx2015-tongzhi.1_<hash>.0.2015@deadlines``.
    It depends on the key alone, so an event keeps it across builds; the
    period and rule never hold a ``.``, so the key is read back from the
    right.  (Feeds before this form used the key itself,
    ``zs2015-11.2/0/2015-Q3@deadlines``: a client sees each event once more
    as new when it first reads a feed with these UIDs, and the old ones go.)
    """
    return f"{_uid_id(obligation)}.{rule}.{_uid_period(period)}@{UID_DOMAIN}"


def _member_tag(occ: Occurrence) -> str:
    """A member's copy of a group task (deadlines.groups) is the member's own event: its UID
    names the member (a short digest of its name, after the domain, so the part before the
    ``@`` stays the occurrence's), and never clashes with the group's."""
    if occ.via is None:
        return ""
    member = occ.units.all()[0] if occ.units.all() else ""
    return ".m-" + hashlib.sha256(member.encode("utf-8")).hexdigest()[:10]


def occurrence_uid(occ: Occurrence) -> str:
    """The occurrence key (obligation, rule, nominal period) as a UID: the same event keeps it across builds."""
    return uid_of(occ.obligation, occ.rule, occ.period) + _member_tag(occ)


def series_uid(occ: Occurrence) -> str:
    """The UID of an RRULE series: the obligation and rule, with ``series`` for the period."""
    return uid_of(occ.obligation, occ.rule, SERIES) + _member_tag(occ)


def occurrence_owner(occ: Occurrence) -> tuple[str, str]:
    """:func:`uid_owner` of :func:`occurrence_uid`, without writing the UID and reading it back
    (read back where the period as written holds a ``.``, as the UID is read from the right)."""
    period = _uid_period(occ.period)
    if "." in period:
        return uid_owner(occurrence_uid(occ))
    return f"{_uid_id(occ.obligation)}.{occ.rule}", period


def uid_owner(uid: str) -> tuple[str, str]:
    """``obligation.rule.period@deadlines`` → (``obligation.rule`` as written, period as written)."""
    body, at, _ = uid.rpartition("@")
    parts = body.rsplit(".", 2) if at else []
    if len(parts) == 3 and parts[1].isdigit():
        return f"{parts[0]}.{parts[1]}", parts[2]
    return uid, ""


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
        and occ.status in ("scheduled", "overdue", "before_issue")
        and not occ.provisional
    )


def _calendar_series(rule: object, plan: Plan) -> bool:
    """A recurring rule whose dates are calendar dates: no working days, no rolling, no month list.

    Dates counted in working days or rolled past rest days hang on the
    holiday data, which changes yearly: each period is its own event then.
    """
    if rule.kind != "recurring" or rule.workday is not None or rule.months or rule.time:
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
# Versions: SEQUENCE and LAST-MODIFIED across builds


Version = tuple[str, int, datetime]  # digest of the content, SEQUENCE, LAST-MODIFIED


class Versions:
    """For each UID: the digest of its content, its SEQUENCE and its LAST-MODIFIED.

    A UID whose digest is unchanged keeps both; a changed one gets SEQUENCE + 1
    and a LAST-MODIFIED later than its last one.  ``previous`` is what earlier
    builds gave (kept in the event store by the workspace, never in the site
    folder: any build of the same history, into any folder, gives the same
    bytes); :meth:`changed` is what this build adds to it.  A UID no longer
    written is not forgotten: if it comes back, it comes back with a higher
    SEQUENCE than any copy a client may hold.
    """

    def __init__(self, previous: dict[str, Version] | None = None):
        self.previous = dict(previous or {})
        self.current: dict[str, Version] = {}

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

    def changed(self) -> dict[str, Version]:
        """The versions this build gave that the previous ones do not hold (new or changed UIDs)."""
        return {uid: v for uid, v in sorted(self.current.items()) if self.previous.get(uid) != v}


# --------------------------------------------------------------------------
# Writing


# About one line of a phone's list view (about 20 Chinese characters at the
# default size): the title is shortened to fit, never the label that tells
# same-titled events apart; the DESCRIPTION holds the whole text.
SUMMARY_LIMIT = 22
_LABEL_PART = 8  # the longest a time-limit or measure label may be
_TITLE_LEAST = 6  # the fewest characters of the title a summary keeps


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _measure(ob: Obligation) -> str:
    """The start of the measure (requirement) up to its first pause, shortened."""
    first = re.split(r"[，。；：,;:\s]", ob.requirement.strip(), maxsplit=1)[0] if ob.requirement else ""
    return _clip(first, _LABEL_PART)


def _rule_text(rule: object, index: int) -> str:
    text = getattr(rule, "text", "") or ""
    if not text:
        try:
            text = explain(rule)  # type: ignore[arg-type]
        except Exception:  # a rule explain cannot word: its place in the list says which
            text = ""
    return _clip(text, _LABEL_PART) if text else f"第{index + 1}条时限"


def _distinct(candidates: list[list[str]]) -> list[str] | None:
    """The first kind of label (one list per kind, one label per member) that tells every member apart."""
    for labels in candidates:
        if all(labels) and len(set(labels)) == len(labels):
            return labels
    return None


def summary_labels(sources: dict[str, FeedSource]) -> dict[tuple[str, int], str]:
    """For each (obligation, rule) whose title another (obligation, rule) shares: what tells it apart.

    An obligation among others of the same title gets its item number
    (``14.2``), else the start of its measure, else its id — the first of
    these that differs for each of them; a rule of an obligation with several
    time limits gets its own limit as written (``每月``).  Labels depend on
    the plans alone, not on the feed nor the window, so an event reads the
    same in every feed.
    """
    by_title: dict[str, list[Obligation]] = {}
    for src in sources.values():
        by_title.setdefault(src.obligation.title.strip(), []).append(src.obligation)
    out: dict[tuple[str, int], str] = {}
    for obligations in by_title.values():
        obligations.sort(key=lambda o: o.id)
        names: list[str] = [""] * len(obligations)
        if len(obligations) > 1:
            names = _distinct([[o.source.item for o in obligations], [_measure(o) for o in obligations],
                               [o.id for o in obligations]]) or [o.id for o in obligations]
        for ob, name in zip(obligations, names):
            rules = ob.rules
            texts = [""] * max(1, len(rules))
            if len(rules) > 1:  # each rule named only where there are several
                texts = [_rule_text(r, i) for i, r in enumerate(rules)]
                if len(set(texts)) < len(texts):
                    texts = [f"{t}·{i + 1}" for i, t in enumerate(texts)]
            for i, text in enumerate(texts):
                label = "·".join(p for p in (name, text) if p)
                if label:
                    out[(ob.id, i)] = label
    return out


def summary(entry: Entry, label: str = "") -> str:
    """The event title: the obligation's title, what tells it from a same-titled one
    (``label``), marked 【已完成】 or 【待触发】; at most :data:`SUMMARY_LIMIT` characters.

    The same in every feed (no role, no unit): the DESCRIPTION names the units and their roles.
    """
    occ = entry.first
    mark = ""
    if entry.is_todo and occ.status != "done":
        mark = "【待触发】"
    if occ.status == "done":
        mark = "【已完成】"
    title = occ.title.strip()
    room = SUMMARY_LIMIT - len(mark) - (len(label) + 2 if label else 0)
    if label and room < min(_TITLE_LEAST, len(title)):  # a long label gives way to the title's start
        label = _clip(label, SUMMARY_LIMIT - len(mark) - 2 - min(_TITLE_LEAST, len(title)))
        room = SUMMARY_LIMIT - len(mark) - len(label) - 2
    return mark + _clip(title, room) + (f"（{label}）" if label else "")


def _units_line(occ: Occurrence) -> str:
    parts = []
    for role in ROLES:
        names = getattr(occ.units, role)
        if names:
            parts.append(f"{ROLE_ZH[role]} {'、'.join(names)}")
    return "单位：" + ("；".join(parts) or NO_UNIT)


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


def description(entry: Entry, src: FeedSource | None) -> str:
    """The requirement, the units and their roles, the time limit, the why of the date, the source."""
    occ = entry.first
    lines = []
    if src is not None and src.obligation.requirement:
        lines.append(src.obligation.requirement)
    else:
        lines.append(occ.title)
    if occ.via:
        # A member's copy of a group task is an event of its own (its own UID): the same in every feed.
        lines.append(f"来自集体单位：{occ.via}（本单位是其成员）")
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


def categories(entry: Entry, src: FeedSource | None) -> list[str]:
    found = []
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


def _dating_lines(due: date | datetime) -> tuple[str, str]:
    """DTSTART and DTEND of an event due on a day (all day) or at a moment (in China's time)."""
    return _dating_lines_of(due, getattr(due, "tzinfo", None))


@lru_cache(maxsize=4096)  # a province's 66,000 events fall on a few hundred days
def _dating_lines_of(due: date | datetime, _zone: Any) -> tuple[str, str]:
    # (the zone is part of the key: two moments equal in time but written in other zones differ)
    if isinstance(due, datetime):
        return f"DTSTART;TZID={TZID}:{due:%Y%m%dT%H%M%S}", f"DTEND;TZID={TZID}:{due + TIMED_LENGTH:%Y%m%dT%H%M%S}"
    return f"DTSTART;VALUE=DATE:{due:%Y%m%d}", f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}"


def _body(entry: Entry, src: FeedSource | None, label: str, alarm: timedelta | None) -> list[str]:
    """Every line of the entry except BEGIN/END, UID, DTSTAMP, LAST-MODIFIED and SEQUENCE."""
    occ = entry.first
    title = summary(entry, label)
    lines: list[str] = []
    if not entry.is_todo:
        lines.extend(_dating_lines(occ.due))
        if entry.rrule:
            lines.append(f"RRULE:{entry.rrule}")
    lines.append(f"SUMMARY:{escape_text(title)}")
    lines.append(f"DESCRIPTION:{escape_text(description(entry, src))}")
    cats = categories(entry, src)
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

    zone = Timezone.from_tzid(TZID, first_date=date(2000, 1, 1), last_date=date(2100, 1, 1))
    # icalendar puts a COMMENT ("This timezone only works from …") on the VTIMEZONE itself,
    # where RFC 5545 3.6.5 allows none (only its STANDARD/DAYLIGHT parts may hold one):
    # libical flags it.  The range it states is the one asked for above.
    zone.pop("COMMENT", None)
    return zone.to_ical()


def calendar_head(name: str, about: str) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, written by icalendar.

    No METHOD.  ``METHOD:PUBLISH`` makes the feed an iTIP message (RFC 5546),
    and iTIP's PUBLISH requires an ORGANIZER in every VEVENT and VTODO: libical
    (Evolution, and the GNOME clients over it) flags each event without one.
    An ORGANIZER would have to be a calendar address (``mailto:``) of the
    issuing office, which plans do not give — an invented one would receive
    replies — and with one, Outlook, Apple Calendar and Thunderbird show each
    deadline as a meeting someone invited the reader to.  A feed read by
    subscription is no scheduling message but, in RFC 5545's words (3.7.2),
    a calendar "merely being used to transport a snapshot of some calendar
    information", which is what a calendar without METHOD is; the clients that
    read these feeds (Google, Apple, Outlook, Thunderbird subscriptions;
    icalendar, ical, ical.js, libical, Radicale) need no METHOD to read one.
    """
    from icalendar.parser import Contentline

    texts = {"name": name, "about": about}
    return b"".join(
        part if isinstance(part, bytes)
        else Contentline.from_parts(part[0], part[2], part[1](texts[part[3]]), sorted=True).to_ical() + b"\r\n"
        for part in _head_parts()
    )


@lru_cache(maxsize=1)
def _head_parts() -> list[bytes | tuple[str, type, Any, str]]:
    """The lines of :func:`calendar_head` as icalendar writes them, worked out once: each line
    that holds the feed's name or text as (property, its value's class, its parameters, which
    text), made for each feed as icalendar makes a line (``Contentline.from_parts``, folded);
    the other lines as their bytes.

    A province's build writes 2,000 feeds, and a calendar made and written whole for each was
    5 % of it.  tests/test_feeds.py holds these heads to whole calendars written by icalendar.
    """
    from icalendar import Calendar, vDuration

    marks = {"\ue000name": "name", "\ue000about": "about"}  # to find the lines that hold them
    cal = Calendar.new(name="\ue000name", description="\ue000about", prodid=PRODID, refresh_interval=REFRESH,
                       uid="-")
    del cal["UID"]  # Calendar.new sets a random one when none is given; a feed needs none
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    parts: list[bytes | tuple[str, type, Any, str]] = []
    for prop, value in cal.property_items(sorted=True):  # as Component.content_lines walks them
        which = None if isinstance(value, bytes) else marks.get(str(value))
        if which is None:
            parts.append(cal.content_line(prop, value, sorted=True).to_ical() + b"\r\n")
        else:
            parts.append((prop, type(value), value.params, which))
    end = b"END:VCALENDAR\r\n"
    assert parts[-1] == end
    return parts[:-1]


class FeedWriter:
    """Writes feeds from entries, numbering each entry's versions through :class:`Versions`.

    An entry is written once and the same bytes go into every feed that holds it.
    """

    def __init__(
        self,
        sources: dict[str, FeedSource],
        *,
        versions: Versions,
        data_stamp: datetime,
        alarm: timedelta | None = None,
    ):
        self.sources = sources
        self.versions = versions
        self.data_stamp = data_stamp
        self.alarm = alarm
        self.labels = summary_labels(sources)
        # Each entry written: its bytes, or where they are in a feed already made (the feed, the
        # start, the end).  All of a province's entries are in all.ics, 37 MB, which the check
        # and the unit feeds read while it is held: kept once, not once more as 66,000 copies.
        self._written: dict[str, bytes | tuple[bytes, int, int]] = {}

    def entry(self, entry: Entry) -> bytes | memoryview:
        """The entry as every feed writes it."""
        done = self._written.get(entry.uid)
        if done is not None:
            if type(done) is tuple:
                data, start, end = done
                return memoryview(data)[start:end]
            return done
        occ = entry.first
        src = self.sources.get(occ.obligation)
        body = _body(entry, src, self.labels.get((occ.obligation, occ.rule), ""), self.alarm)
        digest = hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()[:20]
        sequence, modified = self.versions.stamp(entry.uid, digest, self.data_stamp)
        stamp = _utc(modified)
        kind = "VTODO" if entry.is_todo else "VEVENT"
        lines = [f"BEGIN:{kind}", f"UID:{escape_text(entry.uid)}", f"DTSTAMP:{stamp}",
                 f"LAST-MODIFIED:{stamp}", f"SEQUENCE:{sequence}", *body, f"END:{kind}"]
        data = self._written[entry.uid] = fold_lines(lines)
        return data

    def feed(self, chosen: Iterable[Entry], *, name: str, about: str) -> bytes:
        """One VCALENDAR of ``chosen`` entries."""
        chosen = list(chosen)
        chunks: list[bytes | memoryview] = [calendar_head(name, about)]
        if any(isinstance(e.first.due, datetime) for e in chosen):
            chunks.append(vtimezone())
        offset = sum(map(len, chunks))
        first = len(chunks)
        chunks.extend(self.entry(e) for e in chosen)
        chunks.append(b"END:VCALENDAR\r\n")
        data = b"".join(chunks)
        written = self._written
        for e, chunk in zip(chosen, chunks[first:]):
            if written.get(e.uid) is chunk:  # made for this feed: kept as where it is in it
                written[e.uid] = (data, offset, offset + len(chunk))
            offset += len(chunk)
        return data
