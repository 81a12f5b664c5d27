"""What each unit is reminded of on a day, and the digest text: pure and deterministic.

For a day D and each unit (in any role it has, or the roles its contacts
name), over the occurrences the engine computed with the recorded events and
completions:

* **overdue**: not done, due before D (not before its plan was issued); with
  ``overdue_every: N`` it comes again every N working days (round 1, 2, …);
* **lead**: not done, due from D to the end of the unit's lead time — by
  default 3 working days (D + 3 working days, the ledger's "due soon"),
  else the obligation's ``remind``, the unit's ``lead`` in contacts.yaml,
  the plan's ``policy.remind`` or the file's ``lead``, in that order;
* **triggered**: dated by a recorded event (a relative or pending rule) and
  due later than the lead time: the unit hears of the new date at once;
* **waiting**: waiting on a trigger (or on a person) while its plan runs.

Each is one reminder; which of them are new for a channel is the event
store's business (:mod:`deadlines.reminderlog`).  The text of each item is
what ``deadlines due`` prints for the unit (:mod:`deadlines.duetext`).

No clock: ``today`` is an argument, and the same plans, events and
completions give the same items and the same text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Sequence

from ..duetext import NO_UNIT, dated_lines, head, limit_text, tag, waiting_line
from ..dates import weekday_zh
from ..records import Obligation, Occurrence, Plan, _Offset
from ..reminderlog import ReminderKey
from ..workdays import SOON_WORKDAYS, WorkCalendar

DEFAULT_LEAD = _Offset(n=SOON_WORKDAYS, unit="workday")  # the ledger's "due soon"
KIND_ORDER = ("overdue", "lead", "triggered", "waiting")
KIND_ZH = {"overdue": "逾期未完成", "lead": "即将到期", "triggered": "新触发", "waiting": "等待触发"}
TRIGGERED_RULES = ("relative", "pending")


def lead_zh(lead: _Offset) -> str:
    """'3个工作日', '7日', '1周'."""
    return lead.zh()


def lead_until(today: date, lead: _Offset, calendar: WorkCalendar) -> date:
    """The last day the lead time reaches: ``today`` + N working days, days or weeks."""
    if lead.unit == "workday":
        return calendar.add_workdays(today, lead.n)
    if lead.unit == "week":
        return today + timedelta(weeks=lead.n)
    return today + timedelta(days=lead.n)


@dataclass(frozen=True)
class Settings:
    """What contacts.yaml says about timing, per unit (defaults when there is no file)."""

    lead: _Offset | None = None  # the file's default
    overdue_every: int = 0
    unit_lead: dict[str, _Offset] = field(default_factory=dict)
    unit_overdue_every: dict[str, int] = field(default_factory=dict)
    unit_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, contacts: Any) -> Settings:
        if contacts is None:
            return cls()
        units = contacts.units.values()
        return cls(
            lead=contacts.data.lead,
            overdue_every=contacts.data.overdue_every,
            unit_lead={u.unit: u.spec.lead for u in units if u.spec.lead is not None},
            unit_overdue_every={u.unit: u.spec.overdue_every for u in units if u.spec.overdue_every is not None},
            unit_roles={u.unit: tuple(u.spec.roles) for u in units if u.spec.roles is not None},
        )

    def lead_of(self, plan: Plan, ob: Obligation, unit: str) -> _Offset:
        """Obligation, then unit, then plan, then the file, then 3 working days."""
        return ob.remind or self.unit_lead.get(unit) or plan.policy.remind or self.lead or DEFAULT_LEAD

    def leads(self, plans: Iterable[Plan]) -> list[_Offset]:
        """Every lead time in use (to know how far ahead to look)."""
        found = {DEFAULT_LEAD, *self.unit_lead.values()}
        if self.lead is not None:
            found.add(self.lead)
        for plan in plans:
            if plan.policy.remind is not None:
                found.add(plan.policy.remind)
            found.update(ob.remind for ob in plan.obligations if ob.remind is not None)
        return sorted(found, key=lambda o: (o.unit, o.n))


@dataclass(frozen=True)
class Item:
    """One reminder of one unit: an occurrence and why it is reminded now."""

    kind: str
    occurrence: Occurrence
    round: int = 0
    lead: _Offset | None = None  # lead items: the lead time that brought it in

    @property
    def occurrence_key(self) -> str:
        """Which occurrence of its obligation: its rule and period (``0/2015-Q3``)."""
        return f"{self.occurrence.rule}/{self.occurrence.period}"

    def key(self, unit: str, channel: str) -> ReminderKey:
        from ..dates import moment_text

        occ = self.occurrence
        return ReminderKey(unit, occ.obligation, self.occurrence_key, moment_text(occ.due) or "", self.kind,
                           self.round, channel)


def horizon(today: date, plans: Sequence[Plan], settings: Settings, calendar: WorkCalendar) -> date:
    """The furthest day any lead time reaches from ``today``."""
    return max(lead_until(today, lead, calendar) for lead in settings.leads(plans))


def select(
    occurrences: Iterable[Occurrence],
    plans: Sequence[Plan],
    *,
    today: date,
    calendar: WorkCalendar,
    settings: Settings = Settings(),
) -> dict[str, list[Item]]:
    """Each unit's items on ``today``, in digest order (overdue, lead, triggered, waiting;
    by due date within each), from occurrences expanded with ``today``, the events and
    the completions.  Units sorted by name."""
    index = {ob.id: (plan, ob) for plan in plans for ob in plan.obligations}
    found: dict[str, list[Item]] = {}
    seen: set[tuple] = set()
    for occ in occurrences:
        if occ.status == "done" or occ.obligation not in index:
            continue
        plan, ob = index[occ.obligation]
        for unit in occ.units.all() or [NO_UNIT]:
            roles = settings.unit_roles.get(unit)
            if roles is not None and occ.units.role_of(unit) not in roles:
                continue
            item = _item(occ, plan, ob, unit, today, calendar, settings)
            if item is None:
                continue
            mark = (unit, item.kind, occ.obligation, item.occurrence_key, occ.due)
            if mark not in seen:  # the same occurrence from two expansions
                seen.add(mark)
                found.setdefault(unit, []).append(item)
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    for items in found.values():
        items.sort(key=lambda it: (order[it.kind], it.occurrence.sort_key()))
    return {unit: found[unit] for unit in sorted(found)}


def _item(occ: Occurrence, plan: Plan, ob: Obligation, unit: str, today: date, calendar: WorkCalendar,
          settings: Settings) -> Item | None:
    if occ.due is None:
        if plan.period.start <= today <= plan.period.end:
            return Item("waiting", occ)
        return None
    day = occ.due_date
    if day < today:
        if plan.issued is not None and day < plan.issued:
            return None  # due before the plan existed: not overdue (DESIGN: counting semantics)
        every = settings.unit_overdue_every.get(unit, settings.overdue_every)
        rounds = calendar.workdays_between(day, today) // every if every else 0
        return Item("overdue", occ, round=rounds)
    lead = settings.lead_of(plan, ob, unit)
    if day <= lead_until(today, lead, calendar):
        return Item("lead", occ, lead=lead)
    if 0 <= occ.rule < len(ob.rules) and ob.rules[occ.rule].kind in TRIGGERED_RULES:
        return Item("triggered", occ)
    return None


# --------------------------------------------------------------------------
# The digest of one unit


@dataclass(frozen=True)
class Digest:
    """What one unit is told on a day: its new items, in digest order, and a link to its page."""

    unit: str
    today: date
    items: tuple[Item, ...]
    calendar: WorkCalendar = field(repr=False, compare=False)
    link: str | None = None

    def by_kind(self) -> list[tuple[str, list[Item]]]:
        groups: dict[str, list[Item]] = {}
        for item in self.items:
            groups.setdefault(item.kind, []).append(item)
        return [(kind, groups[kind]) for kind in KIND_ORDER if kind in groups]

    def counts(self) -> str:
        """'逾期未完成2项，即将到期1项'."""
        return "，".join(f"{KIND_ZH[kind]}{len(items)}项" for kind, items in self.by_kind())

    def title(self) -> str:
        """The subject of a mail, the title of a robot message."""
        return f"【到期提醒】{self.unit}：{self.counts()}（{self.today}）"

    def heading(self) -> str:
        return f"{self.unit}：{self.today}（{weekday_zh(self.today)}）的到期提醒"

    def section(self, kind: str, items: Sequence[Item]) -> str:
        """'即将到期（3个工作日内，2项）'."""
        if kind == "lead":
            leads = {it.lead for it in items if it.lead is not None}
            if len(leads) == 1:
                return f"{KIND_ZH[kind]}（{lead_zh(leads.pop())}内，{len(items)}项）"
        return f"{KIND_ZH[kind]}（{len(items)}项）"

    def item_lines(self, item: Item) -> list[str]:
        """The lines ``deadlines due`` prints for the item under this unit."""
        occ = item.occurrence
        if occ.due is None:
            return [waiting_line(occ)]
        return dated_lines(occ, self.unit, self.today, self.calendar)

    def text(self) -> str:
        """The plain text: a heading, the counts, then each section as ``deadlines due`` prints it."""
        out = [self.heading(), self.counts()]
        for kind, items in self.by_kind():
            out.append("")
            out.append(self.section(kind, items))
            for item in items:
                out += self.item_lines(item)
        if self.link:
            out += ["", f"单位页面：{self.link}"]
        return "\n".join(out) + "\n"

    def html(self) -> str:
        """The same text as HTML (a mail's rich part): sections, heads in their colours."""
        colours = {"red": "#c62828", "yellow": "#b26a00", "green": "#2e7d32", "bright_black": "#6b7280"}
        e = html.escape
        out = ['<!DOCTYPE html>', '<html lang="zh-CN"><head><meta charset="utf-8">',
               f"<title>{e(self.title())}</title></head>",
               '<body style="font-family:sans-serif;line-height:1.5">',
               f"<h2>{e(self.heading())}</h2>", f"<p>{e(self.counts())}</p>"]
        for kind, items in self.by_kind():
            out.append(f"<h3>{e(self.section(kind, items))}</h3>")
            out.append("<ul>")
            for item in items:
                occ = item.occurrence
                if occ.due is None:
                    units = "、".join(occ.units.all()) or NO_UNIT
                    out.append(f"<li>{e(occ.obligation)} {e(occ.title)}（{e(units)}）：{e(occ.why)}</li>")
                    continue
                text, colour = head(occ, self.today, self.calendar)
                mark = " [暂定]" if occ.provisional else ""
                out.append(
                    f'<li><b style="color:{colours.get(colour, "inherit")}">{e(text)}</b> '
                    f"{e(occ.title)}（{e(tag(occ, self.unit))}）{e(mark)}"
                    + (f"<br>时限：{e(limit_text(occ))}" if occ.due_text else "")
                    + f"<br>{e(occ.why)}</li>"
                )
            out.append("</ul>")
        if self.link:
            out.append(f'<p>单位页面：<a href="{e(self.link, quote=True)}">{e(self.link)}</a></p>')
        out.append("</body></html>")
        return "\n".join(out) + "\n"
