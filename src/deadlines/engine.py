"""Expand plans into dated occurrences, each with the reason for its date.

Pure: no clock, no I/O.  "Today" is an argument; the calendar is passed in.

Counting follows 《民法典》:

* 第201条 按照年、月、日、小时计算期间的，开始的当日不计入，自下一日开始计算。
  → "N日内" after a trigger on day T is due T + N.
* 第202条 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，
  月末日为期间的最后一日。 → Jan 31 + 1个月 = Feb 28 (29).
* 第203条 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
  → a period counted in days, weeks, months or years that ends on a rest day
  moves to the next working day.

Working days (N个工作日) follow the official calendar, 调休 included.  Fixed
dates and recurring anchors (2016年4月底前, 每月5号) are dates, not periods:
they move only when the rule or the plan's policy says so (遇节假日顺延).
"及时" after a trigger is the plan's ``policy.timely`` (by default 20 working
days, the limit of 《政府信息公开条例》(2019) 第26条, 第18条 of the 2008 text).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, Iterator

from dateutil.relativedelta import relativedelta

from .dates import day_of as _day
from .dates import moment_text, month_end, weekday_zh
from .errors import DateOutOfRange, WindowError
from .records import (
    MONTHS_IN,
    AbsoluteRule,
    Completion,
    Obligation,
    Occurrence,
    OccurrenceKey,
    OngoingRule,
    PendingRule,
    Plan,
    RecurringRule,
    RelativeRule,
    TriggerEvent,
    _Offset,
    binds_plan_issue,
    open_status,
)
from .render import explain
from .workdays import YEARS, WorkCalendar

_DAY = timedelta(days=1)


def _shift(d, step, what: str):
    """``d`` moved by ``step`` (a delta, or a function giving one); past the
    ends of :class:`date` it is an error naming ``what``, never an ``OverflowError``."""
    try:
        return d + (step() if callable(step) else step)
    except (OverflowError, ValueError):  # date arithmetic past 0001-01-01 or 9999-12-31
        raise DateOutOfRange(what, *YEARS) from None


def _describe(calendar: WorkCalendar, d: date | datetime, ref_year: int | None = None) -> str:
    """'2015-03-30（周一）', '10-01（周四，国庆节）', '2015-09-02 10:00（周三）'."""
    day = _day(d)
    text = day.isoformat() if ref_year != day.year else day.strftime("%m-%d")
    if isinstance(d, datetime):
        text += d.strftime(" %H:%M")
    notes = [weekday_zh(day)]
    name = calendar.day_name(day)
    if name:
        notes.append(name)
    return f"{text}（{'，'.join(notes)}）"


def _event_shown(on: date | datetime) -> str:
    """An event's moment in a "why": "2015-09-30", "2015-09-02 10:00".

    (Its period, in the occurrence key, is :func:`deadlines.dates.moment_text`.)
    """
    return on.strftime("%Y-%m-%d %H:%M") if isinstance(on, datetime) else on.isoformat()


class _Counter:
    """Date arithmetic for one expansion: remembers whether a result is provisional."""

    def __init__(self, calendar: WorkCalendar):
        self.cal = calendar

    def after(
        self, base: date | datetime, offset: _Offset, roll: bool | None, wording: str = ""
    ) -> tuple[date | datetime, str, bool]:
        """``base`` + ``offset``: the due, the arithmetic as text, provisional or not.

        ``wording`` names the offset in the text when it is not its own
        (及时 read as 20 working days).
        """
        base_day = _day(base)
        n, unit = offset.n, offset.unit
        what = wording or offset.zh()
        if not YEARS[0] <= base_day.year <= YEARS[1]:
            # An event (or a period end) outside the years the calendar counts
            # in: refused the same way whatever the unit.
            raise DateOutOfRange(f"{_event_shown(base)} + {what}", *YEARS)
        note = ""
        if unit == "hour":
            # 第201条: 按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。
            start = base if isinstance(base, datetime) else datetime.combine(base, time.min)
            if not isinstance(base, datetime):
                note = "（事件未记时刻，自当日0时起算）"
            due: date | datetime = _shift(start, lambda: timedelta(hours=n), f"{_event_shown(base)} + {what}")
            return due, f"+ {what}{note} = {_describe(self.cal, due, base_day.year)}", False
        if unit == "workday":
            due = self.cal.add_workdays(base_day, n)
            text = f"+ {what} = {_describe(self.cal, due, base_day.year)}"
            return due, text, self.cal.is_provisional(base_day, due)
        step = {
            "day": lambda: timedelta(days=n),
            "week": lambda: timedelta(weeks=n),
            "month": lambda: relativedelta(months=n),  # clamps to the month end (第202条)
            "year": lambda: relativedelta(years=n),
        }[unit]
        nominal = _shift(base_day, step, f"{base_day.isoformat()} + {what}")
        text = f"+ {what} = {_describe(self.cal, nominal, base_day.year)}"
        due, rolled = self.roll(nominal, True if roll is None else roll)
        return due, text + rolled, self.cal.is_provisional(base_day, due)

    def roll(self, d: date, roll: bool) -> tuple[date, str]:
        """Move a rest day to the next working day when ``roll``; the move as text."""
        if not roll or self.cal.is_workday(d):
            return d, ""
        moved = self.cal.roll_forward(d)
        return moved, f"，非工作日顺延至 {_describe(self.cal, moved, d.year)}"


# --------------------------------------------------------------------------
# Periods of recurring rules


def _period_bounds(every: str, d: date) -> tuple[date, date]:
    """The period of kind ``every`` that contains ``d``."""
    if every == "day":
        return d, d
    if every == "week":
        start = d - timedelta(days=d.weekday())  # 0001-01-01 is a Monday: never before it
        return start, date.fromordinal(min(start.toordinal() + 6, date.max.toordinal()))
    size = MONTHS_IN[every]
    first_month = (d.month - 1) // size * size + 1
    start = date(d.year, first_month, 1)
    return start, month_end(start + relativedelta(months=size - 1))  # stays inside the year: no overflow


def _period_label(every: str, start: date) -> tuple[str, str]:
    """Machine label and Chinese label of the period beginning on ``start``."""
    if every == "day":
        return start.isoformat(), start.isoformat()
    if every == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", f"{year}年第{week}周"
    if every == "month":
        return f"{start:%Y-%m}", f"{start.year}年{start.month}月"
    if every == "quarter":
        q = (start.month - 1) // 3 + 1
        return f"{start.year}-Q{q}", f"{start.year}年第{q}季度"
    if every == "half":
        h = 1 if start.month <= 6 else 2
        return f"{start.year}-H{h}", f"{start.year}年{'上' if h == 1 else '下'}半年"
    return str(start.year), f"{start.year}年"


def _period_index(every: str, d: date) -> int:
    """A running number of the period of kind ``every`` that holds ``d``."""
    if every == "day":
        return d.toordinal()
    if every == "week":
        return (d.toordinal() - 1) // 7  # ordinal 1, 0001-01-01, is a Monday
    return (d.year * 12 + d.month - 1) // MONTHS_IN[every]


def _period_start(every: str, index: int) -> date | None:
    """The first day of period ``index``; None past 9999-12-31."""
    if every == "day":
        ordinal = index
    elif every == "week":
        ordinal = index * 7 + 1
    else:
        month = index * MONTHS_IN[every]
        return date(month // 12, month % 12 + 1, 1) if month // 12 <= date.max.year else None
    return date.fromordinal(ordinal) if ordinal <= date.max.toordinal() else None


def _periods(
    every: str, interval: int, first: date, last: date, skip_to: date | None = None
) -> Iterator[tuple[date, date]]:
    """Every ``interval``-th period overlapping ``first``…``last``, counted from the first one.

    With ``skip_to``, the periods that end before it are passed over without
    being built (the count still starts at the period of ``first``).
    """
    origin = _period_index(every, first)
    index = origin
    if skip_to is not None and skip_to > first:
        ahead = _period_index(every, skip_to) - origin
        index = origin + -(-ahead // interval) * interval  # the first counted period at or after skip_to
        index = max(origin, index - interval)  # and the one before it, which may still reach skip_to
    while True:
        start = _period_start(every, index)
        if start is None or start > last:
            return
        yield start, _period_bounds(every, start)[1]
        index += interval


# The most a due can fall after the end of its period: an anchor past the
# month end (the 23rd working day of a short month), then a roll over the
# longest run of rest days.  Generous on purpose: it only decides which periods
# are skipped without being looked at.
_SLACK_DAYS = 60


def _offset_days(offset: _Offset | None) -> int:
    """An upper bound, in calendar days, of ``offset``."""
    if offset is None:
        return 0
    per = {"hour": 1, "day": 1, "week": 7, "month": 31, "year": 366, "workday": 2}[offset.unit]
    extra = 20 if offset.unit == "workday" else 0  # 5 working days take 7 days, holidays add ≤ 10
    return offset.n * per + extra


# --------------------------------------------------------------------------
# The expansion

# One dated (or waiting) result of a rule, before it is given its obligation:
# (period, due, why, start, provisional, waiting_for).
_Slot = tuple[str, "date | datetime | None", str, "date | None", bool, "str | None"]

_PROVISIONAL_NOTE = "（该年无官方节假日数据，按周末推算，日期暂定）"


class _Expander:
    def __init__(
        self,
        calendar: WorkCalendar,
        triggers: Iterable[TriggerEvent],
        done: Iterable[Completion],
        today: date | None,
        window: tuple[date, date] | None,
    ):
        self.count = _Counter(calendar)
        self.cal = calendar
        self.today = today
        self.window = window
        self.by_obligation: dict[str, list[TriggerEvent]] = {}
        self.by_name: dict[str, list[TriggerEvent]] = {}
        for ev in triggers:
            if ev.obligation is not None:
                self.by_obligation.setdefault(ev.obligation, []).append(ev)
            else:
                self.by_name.setdefault(ev.name, []).append(ev)
        self.done: dict[OccurrenceKey, Completion] = {}
        for c in done:
            if not c.unit:  # a member's mark of a group task is the member's (deadlines.groups)
                self.done[c.key] = c  # a later record of the same occurrence wins

    def slot(
        self,
        period: str,
        due: date | datetime | None,
        why: str,
        *,
        start: date | None = None,
        provisional: bool = False,
        waiting_for: str | None = None,
    ) -> _Slot:
        if provisional:
            why += _PROVISIONAL_NOTE
        return (period, due, why, start, provisional, waiting_for)

    def in_window(self, due: date | datetime) -> bool:
        return self.window is None or self.window[0] <= _day(due) <= self.window[1]

    def occurrence(self, plan: Plan, ob: Obligation, index: int, slot: _Slot) -> Occurrence:
        period, due, why, start, provisional, waiting_for = slot
        done_on = None
        completed = self.done.get(OccurrenceKey(ob.id, index, period)) if self.done and due is not None else None
        if completed is not None:
            status, done_on = "done", completed.on
        else:
            status = open_status(None if due is None else _day(due), provisional, plan, self.today)
        return Occurrence(
            plan=plan.id,
            obligation=ob.id,
            rule=index,
            period=period,
            title=ob.title,
            due_text=ob.due_text,
            units=ob.units,
            due=due,
            start=start,
            status=status,
            provisional=provisional,
            waiting_for=waiting_for,
            why=why,
            done_on=done_on,
        )

    def slots(self, plan: Plan, ob: Obligation, rule, memo: dict[int, list[_Slot]]) -> list[_Slot]:
        """The slots of one rule of ``ob``.

        Rules that do not depend on the obligation (fixed, recurring, ongoing)
        give the same slots wherever they appear: a rule shared by many
        obligations (one phrase read once) is expanded once per plan (``memo``).
        A triggered rule does the same unless an event names its obligation.
        """
        kind = rule.kind
        if kind in ("absolute", "recurring", "ongoing"):
            if id(rule) not in memo:
                memo[id(rule)] = list(getattr(self, kind)(plan, rule))
            return memo[id(rule)]
        expand_one = self.relative if kind == "relative" else self.pending
        if ob.id in self.by_obligation or not (rule.trigger or rule.unparsed or rule.text):
            # (an unread rule without text is explained by the obligation's due_text)
            return list(expand_one(plan, ob, rule))
        if id(rule) not in memo:
            memo[id(rule)] = list(expand_one(plan, ob, rule))
        return memo[id(rule)]

    # -- one function per rule kind; each yields the slots of the rule that
    #    fall in the window (all of them without a window)

    def absolute(self, plan: Plan, rule: AbsoluteRule) -> Iterator[_Slot]:
        roll = plan.policy.roll if rule.roll is None else rule.roll
        day, rolled = self.count.roll(rule.date, roll)
        if not self.in_window(day):
            return
        why = f"{rule.text or explain(rule)}：{_describe(self.cal, rule.date)}" + rolled
        if rule.ambiguous and rule.alternative:
            why += f"（另一读法：{rule.alternative.isoformat()}）"
        due: date | datetime = datetime.combine(day, rule.time) if rule.time else day
        yield self.slot("fixed", due, why, start=rule.start, provisional=self.cal.is_provisional(rule.date, day))

    def recurring(self, plan: Plan, rule: RecurringRule) -> Iterator[_Slot]:
        first = rule.start or plan.period.start
        last = rule.end or plan.period.end
        skip_to = None
        if self.window is not None:
            last = min(last, self.window[1])  # a due never comes before its period starts
            reach = _SLACK_DAYS + _offset_days(rule.after_end)
            # A window from the beginning of time (date.min) skips nothing.
            ordinal = self.window[0].toordinal() - reach
            skip_to = date.fromordinal(ordinal) if ordinal >= 1 else None
        roll_default = plan.policy.roll if rule.roll is None else rule.roll
        head = rule.text or explain(rule)
        for pstart, pend in _periods(rule.every, rule.interval, first, last, skip_to):
            label, label_zh = _period_label(rule.every, pstart)
            provisional = False
            if rule.after_end is not None:
                nominal = pend
                due, arith, provisional = self.count.after(pend, rule.after_end, rule.roll)
                if rule.time is not None:  # 季后10日12:00: by that time of the day
                    due = datetime.combine(_day(due), rule.time)
                why = f"{head}：{label_zh}结束 {_describe(self.cal, pend)} {arith}"
                window = _shift(pend, _DAY, f"{pend} + 1日")
                if rule.window is not None:
                    opens, _, _ = self.count.after(pend, rule.window, False)
                    window = _day(opens)
            else:
                nominal, anchor_text = self._anchor(rule, pstart, pend)
                if rule.every in ("day", "week") and nominal < first:
                    continue
                day, rolled = self.count.roll(nominal, roll_default)
                due = datetime.combine(day, rule.time) if rule.time else day
                provisional = self.cal.is_provisional(nominal, day)
                why = f"{head}：{label_zh}{anchor_text} {_describe(self.cal, nominal)}{rolled}"
                window = nominal.replace(day=min(rule.window_day, nominal.day)) if rule.window_day else pstart
                if rule.window_month:  # 每年4月至10月: open from the season's first day (11月至次年3月: the year before)
                    year = nominal.year - (rule.window_month > nominal.month)
                    window = date(year, rule.window_month, min(rule.window_day or 1, month_end(
                        date(year, rule.window_month, 1)).day)) if year >= date.min.year else date.min
                window = min(window, nominal)
            if rule.months is not None and nominal.month not in rule.months:
                continue
            if self.in_window(due):
                yield self.slot(label, due, why, start=window, provisional=provisional)

    def _anchor(self, rule: RecurringRule, pstart: date, pend: date) -> tuple[date, str]:
        """The nominal due date inside one period, and how it was found."""
        if rule.every == "day":
            return pstart, ""
        if rule.every == "week":
            if rule.weekday is None:
                return pend, "末"
            day = _shift(pstart, timedelta(days=rule.weekday - 1), f"{pstart} + {rule.weekday - 1}日")
            return day, weekday_zh(day)
        months = MONTHS_IN[rule.every]
        m = rule.month if rule.month is not None else months
        m = months if m == -1 else m
        month_start = pstart + relativedelta(months=m - 1)
        month_text = "" if months == 1 else ("首月" if m == 1 else "末月" if m == months else f"第{m}个月")
        if rule.every == "year":
            month_text = f"{month_start.month}月"
        if rule.workday is not None:
            if rule.workday > 0:
                d = self.cal.add_workdays(_shift(month_start, -_DAY, f"{month_start} - 1日"), rule.workday)
                what = f"第{rule.workday}个工作日"
            else:
                end = month_end(month_start)
                d = self.cal.add_workdays(_shift(end, _DAY, f"{end} + 1日"), rule.workday)
                what = "最后一个工作日" if rule.workday == -1 else f"倒数第{-rule.workday}个工作日"
            return d, f"{month_text}{what}"
        if rule.day is not None:
            end = month_end(month_start)
            if rule.day == -1:
                return end, f"{month_text}底" if month_text else "月底"
            d = month_start.replace(day=min(rule.day, end.day))
            return d, f"{month_text}{rule.day}日"
        return pend, "末"

    def _events(self, plan: Plan, ob: Obligation, trigger: str | None) -> list[date | datetime]:
        """The moments of the events that date ``ob``'s rule waiting on ``trigger``, in order.

        The events are looked up by obligation and by name (an index, for
        speed); :meth:`TriggerEvent.dates` decides, as everywhere.
        """
        found: dict[str, date | datetime] = {}
        if trigger and binds_plan_issue(trigger) and plan.issued is not None:
            found[plan.issued.isoformat()] = plan.issued
        for ev in (*self.by_obligation.get(ob.id, ()), *self.by_name.get(trigger or "", ())):
            if ev.dates(ob.id, trigger):
                found.setdefault(moment_text(ev.on), ev.on)
        return [found[k] for k in sorted(found)]

    def relative(self, plan: Plan, ob: Obligation, rule: RelativeRule) -> Iterator[_Slot]:
        return self._triggered(plan, ob, rule.trigger, rule.offset, rule.roll, rule.window)

    def pending(self, plan: Plan, ob: Obligation, rule: PendingRule) -> Iterator[_Slot]:
        # Once its event is recorded a pending rule is due 及时, like a relative rule without offset.
        return self._triggered(plan, ob, rule.trigger, None, None, None, unread=rule.unparsed or rule.text)

    def _triggered(
        self,
        plan: Plan,
        ob: Obligation,
        trigger: str | None,
        offset: _Offset | None,
        roll: bool | None,
        window: _Offset | None,
        unread: str = "",
    ) -> Iterator[_Slot]:
        """One slot per matching event, or one waiting slot."""
        events = self._events(plan, ob, trigger) if trigger else []
        if not events:
            if trigger is None:
                why, waiting_for = f"时限未能识别，待人工确认：{unread or ob.due_text}", "人工确认"
            else:
                hint = "（计划未写印发日期）" if binds_plan_issue(trigger) else ""
                why, waiting_for = f"等待：{trigger}{hint}", trigger
            yield self.slot("waiting", None, why, waiting_for=waiting_for)
            return
        counted = offset or plan.policy.timely
        wording = "" if offset else f"及时（按{counted.zh()}）"
        for on in events:
            due, arith, provisional = self.count.after(on, counted, roll, wording)
            if not self.in_window(due):
                continue
            start = None
            if window is not None:
                opens, _, _ = self.count.after(on, window, False)
                start = _day(opens)
            why = f"{trigger} {_event_shown(on)} {arith}"
            yield self.slot(moment_text(on), due, why, start=start, provisional=provisional)

    def ongoing(self, plan: Plan, rule: OngoingRule) -> Iterator[_Slot]:
        checkpoint = rule.until or plan.period.end
        if not self.in_window(checkpoint):
            return
        why = f"{rule.text or explain(rule)}：计划期末检查 {_describe(self.cal, checkpoint)}"
        yield self.slot("plan", checkpoint, why, start=rule.start or plan.period.start)


def _overlaps(a0: date, a1: date, b0: date, b1: date) -> bool:
    return a0 <= b1 and b0 <= a1


def expand(
    plans: Plan | Iterable[Plan],
    start: date,
    end: date,
    *,
    calendar: WorkCalendar,
    triggers: Iterable[TriggerEvent] = (),
    done: Iterable[Completion] = (),
    today: date | None = None,
) -> list[Occurrence]:
    """Every occurrence due in ``start``…``end`` (inclusive), sorted, deterministic.

    Obligations waiting on a trigger (pending rules, relative rules with no
    event yet) are included with status ``waiting`` and no ``due`` when their
    plan's period overlaps the window.  With ``today``, occurrences due before
    it are ``overdue``; those due before their plan's issue date are
    ``before_issue`` (印发前) unless the plan's policy counts them.  An occurrence named by a completion in ``done``
    (its :class:`~deadlines.model.OccurrenceKey`) is ``done``, with its day.
    """
    if hasattr(plans, "obligations"):  # one plan
        plans = [plans]
    if start > end:
        raise WindowError(start, end)
    ex = _Expander(calendar, triggers, done, today, (start, end))
    out: list[Occurrence] = []
    for plan in plans:
        plan_overlaps = _overlaps(plan.period.start, plan.period.end, start, end)
        for ob, i, slots in _rule_slots(ex, plan):
            for slot in slots:
                if slot[1] is None and not plan_overlaps:
                    continue
                out.append(ex.occurrence(plan, ob, i, slot))
    out.sort(key=Occurrence.sort_key)
    return out


def _rule_slots(ex: _Expander, plan: Plan) -> Iterator[tuple[Obligation, int, list[_Slot]]]:
    """Each rule of ``plan``'s obligations with its slots; a rule shared by many obligations gives
    the same list each time (:meth:`_Expander.slots`)."""
    memo: dict[int, list[_Slot]] = {}
    for ob in plan.obligations:
        for i, rule in enumerate(ob.rules):
            try:
                yield ob, i, ex.slots(plan, ob, rule, memo)
            except DateOutOfRange as exc:
                raise exc.at(ob.id, rule.text or explain(rule)) from None


def dated_days(plan: Plan, *, calendar: WorkCalendar) -> set[tuple[date, date | None, bool]]:
    """The distinct (day due, day the window opens, provisional) of every dated occurrence
    :func:`expand` gives ``plan`` over all time, with no trigger event: what ``deadlines check``
    asks of them, found without making the occurrences.  The dates of a rule shared by many
    obligations are looked at once (a province's plans give 250,000 occurrences from a few
    hundred distinct rules).  Raises what :func:`expand` raises.
    """
    ex = _Expander(calendar, (), (), None, (date.min, date.max))
    seen: dict[int, list[_Slot]] = {}  # each list held, so no later list takes a seen one's id
    found: set[tuple[date, date | None, bool]] = set()
    for _ob, _i, slots in _rule_slots(ex, plan):
        if id(slots) in seen:
            continue
        seen[id(slots)] = slots
        found.update((_day(due), start, provisional) for _period, due, _why, start, provisional, _waiting in slots
                     if due is not None)
    return found
