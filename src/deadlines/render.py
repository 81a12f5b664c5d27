"""Rules as text (a short Chinese explanation), and every JSON shape the contracts print.

One function per shape: a rule, an occurrence, an obligation of ``list``,
a ``parse`` reading, a trigger event, a change of the history, the ledger, a
finding of ``check``.  The CLI prints them; a Python user gets the same
dictionaries.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from .dates import moment_text
from .records import (
    EVERY_ZH,
    MONTHS_IN,
    Obligation,
    Occurrence,
    Plan,
    RecurringRule,
)

_ORDINAL_MONTH = {1: "首月", -1: "末月"}


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _every(rule: RecurringRule) -> str:
    unit = EVERY_ZH[rule.every]
    if rule.interval == 1:
        return f"每{unit}" if rule.every != "month" else "每月"
    return f"每{rule.interval}个{unit}" if rule.every in ("month", "quarter") else f"每{rule.interval}{unit}"


def explain(rule: Any) -> str:
    """The canonical Chinese phrase of a rule: '每季度首月25日前', '审批或核准后2个工作日内'.

    The phrase reader reads it back to the same rule (its ``text`` aside), so
    it is what feeds and ``deadlines check`` show beside the text as written.
    """
    roll = "（遇节假日顺延）" if getattr(rule, "roll", None) else ""
    kind = getattr(rule, "kind", None)  # a rule's record or its model: told by its kind
    if kind == "absolute":
        text = _d(rule.date)
        text += rule.time.strftime("%H:%M前") if rule.time else "前"
        if rule.start:
            text = f"{_d(rule.start)}至{text}"
        text += roll
        if rule.ambiguous and rule.alternative:
            text += f"（另一读法：{_d(rule.alternative)}前）"
        return text
    if kind == "recurring":
        since = f"{_d(rule.start)}起" if rule.start else ""  # 从2022年3月起，每月25日前
        return since + _explain_recurring(rule) + roll
    if kind == "relative":
        if rule.offset is None:
            return f"{rule.trigger}后及时"
        window = ""
        if rule.window is not None:  # 15-20日内; in other units, 60日至1年内
            window = f"{rule.window.n}-" if rule.window.unit == rule.offset.unit else f"{rule.window.zh()}至"
        return f"{rule.trigger}后{window}{rule.offset.zh()}内{roll}"
    if kind == "pending":
        if rule.trigger is None:
            return f"未能识别：{rule.unparsed or rule.text}"
        return f"待{rule.trigger}后"
    if kind == "ongoing":
        return f"{_d(rule.start)}开始持续工作" if rule.start else "持续工作"
    raise TypeError(f"not a rule: {rule!r}")


def _exempt(rule: RecurringRule) -> str:
    """（1月免报）, （4季度免报）: the periods a next-period series skips, by the period's own month."""
    if not rule.months:
        return ""
    if rule.every == "month":
        return f"（{'、'.join(f'{m}月' for m in range(1, 13) if m not in rule.months)}免报）"
    return f"（{'、'.join(f'{q}季度' for q in range(1, 5) if q * 3 not in rule.months)}免报）"


def _explain_recurring(rule: RecurringRule) -> str:
    if (
        rule.every in ("month", "quarter")
        and rule.after_end is not None
        and rule.after_end.unit == "day"
        and rule.roll is False
        and rule.interval == 1
        and rule.time is None
    ):
        # A date in the next period, not rolled; the periods left out as the plan writes them (1月免报).
        text = f"次月{rule.after_end.n}日前" if rule.every == "month" else f"下季度首月{rule.after_end.n}日前"
        return text + _exempt(rule)
    text = _every(rule)
    if rule.months:
        text += f"（{'、'.join(str(m) for m in rule.months)}月）"
    if rule.after_end is not None:
        window = f"{rule.window.n}-" if rule.window is not None else ""
        if rule.time is not None:
            return text + f"结束后{window}{rule.after_end.zh()}{rule.time:%H:%M}前"
        return text + f"结束后{window}{rule.after_end.zh()}内"
    at = f"{rule.time:%H:%M}" if rule.time is not None else ""  # 每周五17:00前, 每月2日09:30前
    if rule.every == "week":
        return text + (f"{'一二三四五六日'[rule.weekday - 1]}{at}前" if rule.weekday else "")
    if rule.every == "day":
        return text
    size = MONTHS_IN[rule.every]
    if rule.month is not None and size > 1:
        if rule.window_month:  # 每年4月至10月, 每年11月至次年3月, 每年3月15日至6月15日
            opens = f"{rule.window_day}日" if rule.window_day else ""
            text += f"{rule.window_month}月{opens}至{'次年' if rule.window_month > rule.month else ''}"
        text += f"{rule.month}月" if rule.every == "year" else _ORDINAL_MONTH.get(rule.month, f"第{rule.month}个月")
    if rule.workday is not None:
        text += ("最后一个工作日" if rule.workday == -1 else f"第{rule.workday}个工作日") + (f"{at}前" if at else "")
    elif rule.day is not None:
        window = f"{rule.window_day}-" if rule.window_day and not rule.window_month else ""
        text += "底前" if rule.day == -1 else f"{window}{rule.day}日{at}前"
    return text


def rule_json(rule: Any) -> dict[str, Any]:
    """A rule in the JSON contract: kind, trigger, offset, ambiguous, unparsed, explain, and its fields."""
    data = rule.model_dump(mode="json", exclude_defaults=True)
    out: dict[str, Any] = {
        "kind": rule.kind,
        "trigger": getattr(rule, "trigger", None),
        "offset": getattr(rule, "offset", None) and rule.offset.model_dump(mode="json"),
        "ambiguous": rule.ambiguous,
        "unparsed": rule.unparsed,
        "explain": explain(rule),
    }
    if rule.kind == "recurring" and rule.after_end is not None:
        out["offset"] = rule.after_end.model_dump(mode="json")
    for key, value in data.items():
        out.setdefault(key, value)
    return out


# --------------------------------------------------------------------------
# The JSON shapes of the commands


def _identity(occ: Occurrence) -> dict[str, Any]:
    """What names an occurrence in every JSON shape: its key, obligation, plan, period and title."""
    return {
        "key": str(occ.key),
        "obligation": occ.obligation,
        "plan": occ.plan,
        "period": occ.period,
        "title": occ.title,
    }


def occurrence_json(occ: Occurrence) -> dict[str, Any]:
    """One occurrence (``deadlines due --json``): its key, dates, status, units and why."""
    return {
        **_identity(occ),
        "due_text": occ.due_text,
        "units": occ.units.model_dump(),
        "due": moment_text(occ.due),
        "start": moment_text(occ.start),
        "status": occ.status,
        "waiting_for": occ.waiting_for,
        "why": occ.why,
        "done_on": moment_text(occ.done_on),
        "via": occ.via,
    }


def agenda_json(agenda: Any) -> list[dict[str, Any]]:
    """``deadlines due --json``: each occurrence, with the working days left and the unit's role."""
    rows = []
    for occ in agenda.occurrences:
        row = occurrence_json(occ)
        row["workdays_left"] = agenda.workdays_left(occ)
        row["role"] = occ.units.role_of(agenda.unit) if agenda.unit else None
        rows.append(row)
    return rows


def obligation_json(plan: Plan, ob: Obligation) -> dict[str, Any]:
    """One obligation (``deadlines list --json``): where it comes from, what it asks, who, and its rules."""
    return {
        "id": ob.id,
        "plan": plan.id,
        # An obligation read from its plan names no document of its own: the plan's is its.
        "source": {**ob.source.shown(), "document": ob.source.document or plan.title},
        "category": ob.category,
        "title": ob.title,
        "requirement": ob.requirement,
        "units": ob.units.model_dump(),
        "due_text": ob.due_text,
        "rules": [rule_json(r) for r in ob.rules],
        "flags": list(ob.flags),
    }


def reading_json(text: str, rules: list[Any], found: Iterable[Occurrence]) -> dict[str, Any]:
    """``deadlines parse --json``: the text, its rules, and every due date, sorted."""
    dues = sorted({moment_text(o.due) for o in found if o.due is not None})
    return {"text": text, "rules": [rule_json(r) for r in rules], "due": dues}


def event_json(change: Any) -> dict[str, Any]:
    """A trigger event in force (``deadlines trigger list --json``)."""
    return {"id": change.id, "obligation": change.obligation, "name": change.name, "on": moment_text(change.on),
            "note": change.note, "recorded": change.at}


def change_json(change: Any) -> dict[str, Any]:
    """One change of the event store (``deadlines history --json``)."""
    key = change.key if change.action in ("done", "undo") else None
    return {"id": change.id, "recorded": change.at, "action": change.action, "obligation": change.obligation,
            "name": change.name, "on": moment_text(change.on), "key": key and str(key),
            "period": key and key.period, "cancels": change.cancels, "note": change.note,
            "by": change.by, "unit": change.unit or None}


def reminder_json(reminder: Any) -> dict[str, Any]:
    """A reminder in ``history --json``: its claim id (``R12``), when, to whom, which occurrence, how it went."""
    k = reminder.key
    return {"id": f"R{reminder.id}", "recorded": reminder.at, "action": "remind", "obligation": k.obligation,
            "unit": k.unit, "occurrence": k.occurrence, "due": k.due or None, "kind": k.kind, "round": k.round,
            "channel": k.channel, "outcome": reminder.outcome, "settled": reminder.settled_at,
            "note": reminder.detail}


def _ledger_item_json(occ: Occurrence, as_of: date) -> dict[str, Any]:
    return {
        **_identity(occ),
        "due": moment_text(occ.due),
        "days_overdue": (as_of - occ.due_date).days if occ.due_date and occ.due_date < as_of else 0,
        "units": occ.units.model_dump(),
        "why": occ.why,
    }


def _tally_json(t: Any, as_of: date) -> dict[str, Any]:
    rate = t.completion_rate
    return {
        "unit": t.unit,
        "done": t.done,
        "done_late": t.done_late,
        "overdue": t.overdue,
        "due_soon": t.due_soon,
        "waiting": t.waiting,
        "completion_rate": None if rate is None else round(rate, 4),
        "overdue_items": [_ledger_item_json(o, as_of) for o in t.overdue_items],
    }


def ledger_json(book: Any) -> dict[str, Any]:
    """The ledger (``deadlines report --json``): per unit and in total."""
    return {
        "as_of": book.as_of.isoformat(),
        "due_soon_until": book.soon_until.isoformat(),
        "units": [_tally_json(t, book.as_of) for t in book.units],
        "total": _tally_json(book.total, book.as_of),
    }


def finding_json(finding: Any) -> dict[str, Any]:
    """One finding of ``deadlines check --json``: file, line, obligation, kind, message."""
    from dataclasses import asdict, is_dataclass  # (only `check` has findings: due imports no dataclasses)

    assert is_dataclass(finding)
    return asdict(finding)
