"""Rules as text: a short Chinese explanation, and the JSON form of the contracts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .model import (
    EVERY_ZH,
    MONTHS_IN,
    AbsoluteRule,
    OngoingRule,
    PendingRule,
    RecurringRule,
    RelativeRule,
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
    if isinstance(rule, AbsoluteRule):
        text = _d(rule.date)
        text += rule.time.strftime("%H:%M前") if rule.time else "前"
        if rule.start:
            text = f"{_d(rule.start)}至{text}"
        text += roll
        if rule.ambiguous and rule.alternative:
            text += f"（另一读法：{_d(rule.alternative)}前）"
        return text
    if isinstance(rule, RecurringRule):
        since = f"{_d(rule.start)}起" if rule.start else ""  # 从2022年3月起，每月25日前
        return since + _explain_recurring(rule) + roll
    if isinstance(rule, RelativeRule):
        if rule.offset is None:
            return f"{rule.trigger}后及时"
        window = f"{rule.window.n}-" if rule.window is not None and rule.window.unit == rule.offset.unit else ""
        return f"{rule.trigger}后{window}{rule.offset.zh()}内{roll}"
    if isinstance(rule, PendingRule):
        if rule.trigger is None:
            return f"未能识别：{rule.unparsed or rule.text}"
        return f"待{rule.trigger}后"
    if isinstance(rule, OngoingRule):
        return f"{_d(rule.start)}开始持续工作" if rule.start else "持续工作"
    raise TypeError(f"not a rule: {rule!r}")


def _explain_recurring(rule: RecurringRule) -> str:
    if (
        rule.every in ("month", "quarter")
        and rule.after_end is not None
        and rule.after_end.unit == "day"
        and rule.roll is False
        and rule.interval == 1
        and not rule.months
        and rule.time is None
    ):
        # A date in the next period, not rolled.
        return f"次月{rule.after_end.n}日前" if rule.every == "month" else f"下季度首月{rule.after_end.n}日前"
    text = _every(rule)
    if rule.months:
        text += f"（{'、'.join(str(m) for m in rule.months)}月）"
    if rule.after_end is not None:
        window = f"{rule.window.n}-" if rule.window is not None else ""
        if rule.time is not None:
            return text + f"结束后{window}{rule.after_end.zh()}{rule.time:%H:%M}前"
        return text + f"结束后{window}{rule.after_end.zh()}内"
    if rule.every == "week":
        return text + (f"{'一二三四五六日'[rule.weekday - 1]}前" if rule.weekday else "")
    if rule.every == "day":
        return text
    size = MONTHS_IN[rule.every]
    if rule.month is not None and size > 1:
        text += f"{rule.month}月" if rule.every == "year" else _ORDINAL_MONTH.get(rule.month, f"第{rule.month}个月")
    if rule.workday is not None:
        text += "最后一个工作日" if rule.workday == -1 else f"第{rule.workday}个工作日"
    elif rule.day is not None:
        window = f"{rule.window_day}-" if rule.window_day else ""
        text += "底前" if rule.day == -1 else f"{window}{rule.day}日前"
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
    if isinstance(rule, RecurringRule) and rule.after_end is not None:
        out["offset"] = rule.after_end.model_dump(mode="json")
    for key, value in data.items():
        out.setdefault(key, value)
    return out


def when_from_json(text: str | None) -> date | datetime | None:
    """The inverse of :func:`when_json`: ``YYYY-MM-DD`` a date, ``YYYY-MM-DDTHH:MM`` a datetime."""
    if text is None:
        return None
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def when_json(due: date | datetime | None) -> str | None:
    """``YYYY-MM-DD`` for a date, ``YYYY-MM-DDTHH:MM`` for a timed due."""
    if due is None:
        return None
    if isinstance(due, datetime):
        return due.strftime("%Y-%m-%dT%H:%M")
    return due.isoformat()
