"""Reading a Chinese time limit into rules.

The cell is normalised, split into segments at ；。 and line breaks (and at ，
outside parentheses), and each segment is scanned left to right: at each
position the constructions are tried in order, longest and most specific
first, and a match becomes one or more rules.  What is left of a segment is
checked for anything that looks like a time (a number with 年/月/日/时…, 前/后
with a number); if there is, it is kept as ``unparsed`` on an unread rule, so a
reading is never silently partial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from datetime import date, time, timedelta
from typing import Any, Callable

from dateutil.relativedelta import relativedelta
from pydantic import TypeAdapter, ValidationError

from ..errors import PhraseError
from ..model import (
    MONTHS_IN,
    AbsoluteRule,
    OngoingRule,
    PendingRule,
    RecurringRule,
    RelativeRule,
    Rule,
)
from .normalize import normalize

_PERIOD = {"日": "day", "天": "day", "周": "week", "星期": "week", "月": "month", "季度": "quarter",
           "季": "quarter", "半年": "half", "年": "year"}
_UNIT = {"工作日": "workday", "日": "day", "天": "day", "小时": "hour", "周": "week", "星期": "week",
         "月": "month", "年": "year"}
_WEEKDAY = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7,
            "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7}

_BEFORE = r"(?:前|以前|之前)"
_WITHIN = r"(?:内|以内|之内)"
# A written year is four digits, never the tail of a longer number.
_YEAR = r"(?<!\d)(?P<year>\d{4})年"
_Y = r"(?:" + _YEAR + r"|(?P<next>次年|明年|下一?年)|(?P<this>今年|本年|当年))?"

# The years a plan can be in, and the longest time limit, per unit: a century.
# Together they keep every date the engine computes inside the calendar's years.
PLAN_YEARS = (1900, 2200)
_LONGEST = {"day": 36525, "workday": 26100, "hour": 876600, "week": 5218, "month": 1200, "year": 100,
            "quarter": 400, "half": 200}

# The subject of a sentence before the event: "各单位要于…", "县政府应在…",
# anything before 本方案/本通知 (the plan is the subject of its own issue).
_SUBJECT = re.compile(r"^.*(?:要|应当?|须|需|必须|务必|均|请)(?:在|于)|^.+?(?=本(?:方案|通知|意见|办法|计划|要点|细则))")
# A period series is never a trigger ("报表每季度结束后20日内" is a series).
_PERIOD_WORDS = re.compile(r"每(?!次|一次|件|项|批)|(?:季度?|月度?|年度|半年)(?:结束|终了|末)?$")
# Leading words that belong to the sentence, not to the trigger.
_TRIGGER_LEAD = re.compile(r"^(?:并且?|且|要|应当?|须|需|必须|均|一般|原则上|在|于|自|从|经|由|待|相关)+")
_TIMEISH = re.compile(r"(?<!\d)\d+(?:年|月|日|季度|周|小时|工作日|天|时|:\d\d)|[前后内]\d|\d[-—~至到]\d|年底|年内|年末|月底")
# A number and 年 in the words before a date with no year of its own ("2016年的7月底前").
_LOOSE_YEAR = re.compile(r"(?<!\d)(\d+)年(?!\d*月)")


class _Impossible(Exception):
    """The text has the shape of a date that does not exist (2015年13月): left unread."""


@dataclass
class _Ctx:
    """What the reader knows while reading one text: the plan year, the rules
    read so far (the context of the next limit), the year in force."""

    year: int | None
    text: str
    prose: bool = False
    label: str = ""  # the unread words of the segment before the construction being read
    label_year: bool = False  # the construction took its year from them
    rules: list[dict[str, Any]] = field(default_factory=list)  # read so far, in order
    written: int | None = None  # the last year written as a number ("2016年")
    in_force: int | None = None  # the year of the last date read (written, or 次年)

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
                raise _Impossible(f"the year {digits}年 before {m.group()} cannot be placed")
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
                raise _Impossible(f"year {digits}")
            raise PhraseError(self.text, f"年份超出范围：{digits}（应在 {PLAN_YEARS[0]}–{PLAN_YEARS[1]} 之间）")
        return year

    def count(self, digits: str, unit: str) -> int:
        """A count of ``unit`` written in the text (an offset, an interval), at most a century."""
        n = int(digits) if len(digits) <= 9 else None
        if n is None or n > _LONGEST[unit]:
            shown = digits if len(digits) <= 12 else digits[:12] + "…"
            raise PhraseError(self.text, f"期限超出范围：{shown}{_UNIT_ZH[unit]}（最长 100 年）")
        return n


def _month_end(y: int, m: int) -> date:
    return date(y, m, 1) + relativedelta(day=31)


def _date(ctx: _Ctx, y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise _Impossible(f"no such date {y}年{m}月{d}日 ({exc})") from None


def _month(ctx: _Ctx, m: int) -> int:
    if not 1 <= m <= 12:
        raise _Impossible(f"no such month: {m}月")
    return m


def _trigger(raw: str) -> str:
    """The event as written, without the sentence around it: its subject and the
    words that lead to it ("各单位要于本方案印发" → "本方案印发", "经市人大批准" → "市人大批准")."""
    raw = raw.strip(" ,;:、()")
    raw = _SUBJECT.sub("", raw)
    raw = _TRIGGER_LEAD.sub("", raw)
    raw = re.sub(r"(之日|当日|之时|以后|之后)$", "", raw)
    return raw.strip(" ,;:、")


_UNIT_ZH = {"day": "日", "workday": "个工作日", "hour": "小时", "week": "周", "month": "个月", "year": "年",
            "quarter": "个季度", "half": "个半年"}


def _offset(ctx: _Ctx, n: str, unit: str) -> dict[str, Any]:
    unit = _UNIT[unit.removeprefix("个")]
    return {"n": ctx.count(n, unit), "unit": unit}


# --------------------------------------------------------------------------
# Constructions: (pattern, handler).  Handlers return a list of rule dicts.

# A handler returns the rules of its match, or None when the text only looks
# like its construction (每月一… is not a weekday); an empty list is a match
# that refines rules read before it (1月免报) and adds none.
Handler = Callable[[_Ctx, re.Match], "list[dict[str, Any]] | None"]
_GRAMMAR: list[tuple[re.Pattern[str], Handler]] = []


def construction(pattern: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _GRAMMAR.append((re.compile(pattern, re.ASCII), fn))  # \d is 0-9 (NFKC made full-width digits so)
        return fn

    return register


_ROLL = r"(?P<roll>\(?遇(?:法定)?节假日(?:则)?顺延\)?)?"
_ALT = r"(?:\(另一读法:(?P<alt>[^)]*)\))?"


# -- ongoing, first: 全天候24小时 is a duty, not a 24-hour limit -------------

# Words that say how a duty is kept rather than name a duty of their own: beside
# a dated limit they add nothing ("每月定期发布", "20个工作日内及时公开").
_MANNER = {"常态化", "定期", "经常", "经常性", "日常", "随时", "及时"}


@construction(r"全天候(?:\d+小时)?|全年工作|全年|实时|持续(?:推进|开展|进行|工作|更新)?|长期|常态化|定期|经常性?|日常|随时|及时(?!\d)")
def _ongoing(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    return [{"kind": "ongoing", "_manner": m.group() in _MANNER}]


@construction(_Y + r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?:开始|起(?!\d)|以来)(?:持续工作)?")
def _ongoing_from(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """2015年6月开始, 从2022年3月起 (the start of the series after it, if one follows)."""
    y = ctx.year_of(m)
    start = _date(ctx, y, _month(ctx, int(m["m"])), int(m["d"] or 1))
    return [{"kind": "ongoing", "start": start, "_from": True}]


@construction(r"(?:自|从)?" + _Y + r"第?(?P<q>[1-4])季度(?:起|开始)")
def _ongoing_from_quarter(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """从2024年第二季度起: from the first day of that quarter."""
    return [{"kind": "ongoing", "start": date(ctx.year_of(m), int(m["q"]) * 3 - 2, 1), "_from": True}]


@construction(r"(?:自|从)" + _YEAR + r"(?:起|开始)")
def _ongoing_from_year(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    year = ctx.year_of(m)
    return [{"kind": "ongoing", "start": date(year, 1, 1), "_from": True}]


@construction(r"(?:争取|力争|确保|务必|截至|截止到?|到|至)(?:在|于|到)?" + _YEAR + r"度?(?:年?底|内|末)?(?:前)?(?![\d第上下])")
def _by_year(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """争取2015年…全部公开, 到2023年, 截至2016年底: within that year, so by its last day."""
    return [{"kind": "absolute", "date": date(ctx.year_of(m), 12, 31)}]


# -- recurring ---------------------------------------------------------------

@construction(
    r"每年(?P<items>\d{1,2}月(?:底|末|\d{1,2}日)?(?:(?:、|和|及|,)\d{1,2}月(?:底|末|\d{1,2}日)?)+)" + _BEFORE + "?" + _ROLL
)
def _yearly_months(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """每年4月底、8月底、11月底前: one monthly series limited to those months, per day given."""
    by_day: dict[int, list[int]] = {}
    for item in re.finditer(r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?", m["items"]):
        by_day.setdefault(int(item["d"]) if item["d"] else -1, []).append(_month(ctx, int(item["m"])))
    rules = []
    for day, months in by_day.items():
        rule: dict[str, Any] = {"kind": "recurring", "every": "month", "months": sorted(months), "day": day}
        rules.append(rule)
    return rules


@construction(r"每年(?:的)?(?:第(?P<q>[1-4])季度|(?P<h>上|下)半年)(?:末|底)?" + _BEFORE + "?" + _ROLL)
def _yearly_part(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """每年第一季度, 每年上半年: one yearly series, due by the end of that part (one date a year)."""
    month = int(m["q"]) * 3 if m["q"] else 6 if m["h"] == "上" else 12
    return [{"kind": "recurring", "every": "year", "month": month, "day": -1}]


_CLOCK = r"(?:(?P<h>\d{1,2})(?:时|点)(?:(?P<mi>\d{1,2})分)?|(?P<hh>\d{1,2}):(?P<mm>\d{2}))"


def _clock(m: re.Match) -> time | None:
    """The time of day of a match with :data:`_CLOCK`; None for none or for 24时 (the whole day)."""
    hour = m["h"] or m["hh"]
    if hour is None:
        return None
    h, mi = int(hour), int(m["mi"] or m["mm"] or 0)
    if h == 24 and mi == 0:
        return None  # 24时: the whole day (民法典第203条: 截止时间为二十四时)
    if 0 <= h < 24 and 0 <= mi < 60:
        return time(h, mi)
    raise _Impossible(f"no such time {h}:{mi:02d}")


@construction(
    r"(?:\((?P<m1>\d{1,2})月?[-—~至到](?P<m2>\d{1,2})月\))?"
    r"(?:每|按)(?P<n>\d+)?个?(?P<every>季度|半年|星期|季|周|月|年|日|天)"
    r"(?:\((?P<months>\d{1,2}(?:、\d{1,2})*)月\))?(?:\((?P<altp>季度|季|月|半年|年)\))?"
    r"(?:(?P<after>结束后|末后)(?:(?P<an1>\d+)[-—~至到])?(?P<an>\d+)(?P<au>个?工作日|日|天|个?月)"
    r"(?:" + _WITHIN + "|" + _CLOCK + _BEFORE + ")?"
    r"|(?:(?P<mo>首月|末月|最后1个月|第(?P<mon>\d)个月|(?P<ym>\d{1,2})月)的?)?"
    r"(?:(?P<lastwd>最后1个工作日|最后一个工作日)|第(?P<wd>\d+)个工作日"
    r"|(?:(?P<d1>\d{1,2})[-—~至到])?(?P<day>\d{1,2})日|(?P<end>底|末)"
    r"|(?P<wdw>[一二三四五六日天1-7])(?![次个\d]))?)"
    + _BEFORE + r"?" + _ROLL
)
def _recurring(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    every = _PERIOD[m["every"]]
    rule: dict[str, Any] = {"kind": "recurring", "every": every}
    if m["n"]:
        rule["interval"] = ctx.count(m["n"], every)
    if m["m1"]:
        a, b = _month(ctx, int(m["m1"])), _month(ctx, int(m["m2"]))
        rule["months"] = list(range(a, b + 1)) if a <= b else [*range(a, 13), *range(1, b + 1)]
    if m["months"]:
        rule["months"] = [_month(ctx, int(x)) for x in m["months"].split("、")]
    if m["altp"]:
        # "每月（季度）结束后…": monthly, or quarterly; read as the first, flagged.
        rule["ambiguous"] = True
    if m["after"]:
        rule["after_end"] = _offset(ctx, m["an"], m["au"])
        if m["an1"]:
            rule["window"] = _offset(ctx, m["an1"], m["au"])
        if _clock(m):
            rule["time"] = _clock(m)
        return [rule]
    if m["wdw"]:
        if every != "week":
            return None  # 每月一… is not a weekday
        rule["weekday"] = _WEEKDAY[m["wdw"]]
        return [rule]
    months_in = MONTHS_IN.get(every)
    if m["mo"]:
        if every == "year" and m["ym"]:
            rule["month"] = _month(ctx, int(m["ym"]))
        elif months_in and months_in > 1 and not m["ym"]:
            rule["month"] = 1 if m["mo"] == "首月" else -1 if m["mo"] in ("末月", "最后1个月") else int(m["mon"])
        else:
            return None
    if m["lastwd"] or m["wd"]:
        if every in ("day", "week"):
            return None
        rule["workday"] = -1 if m["lastwd"] else ctx.count(m["wd"], "workday")
    elif m["day"]:
        if every in ("day", "week"):
            return None
        rule["day"] = int(m["day"])
        if m["d1"]:
            rule["window_day"] = int(m["d1"])
    elif m["end"] and (every == "month" or "month" in rule):
        rule["day"] = -1
    # 每季度末 without a month is the period's end: the rule with no anchor.
    return [rule]


@construction(r"次月(?:(?P<wd>\d+)个工作日" + _WITHIN + r"?|(?P<day>\d{1,2})日" + _BEFORE + r"?)")
def _next_month(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    if m["wd"]:
        return [{"kind": "recurring", "every": "month", "after_end": _offset(ctx, m["wd"], "工作日")}]
    # 次月10日前: the 10th of the following month, a date, not a period: not rolled.
    return [{"kind": "recurring", "every": "month", "after_end": {"n": int(m["day"]), "unit": "day"}, "roll": False}]


_PERIOD_AFTER = {"季度": "quarter", "季": "quarter", "月": "month", "月度": "month", "年度": "year", "半年": "half"}
_AFTER_END = r"(?P<an>\d+)(?P<au>个?工作日|日|天)(?:" + _WITHIN + "|" + _BEFORE + "|" + _CLOCK + _BEFORE + "?)?"


@construction(r"(?<![次上下本当])(?P<every>季度|季|月度?|年度|半年)(?:结束|终了)?后" + _AFTER_END)
def _period_after_end(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """季度结束后10个工作日内, 月后3日前, 季后7日: a series due that long after each period ends."""
    rule = {"kind": "recurring", "every": _PERIOD_AFTER[m["every"]], "after_end": _offset(ctx, m["an"], m["au"])}
    if _clock(m):
        rule["time"] = _clock(m)
    return [rule]


@construction(r"第?(?P<q>[1-4])季度(?:季后|季度?结束后|结束后|后)" + _AFTER_END)
def _quarter_after_end(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """一季度季后7日, 三季度季后10日12:00: that quarter's report, due that long after it ends."""
    rule = {"kind": "recurring", "every": "quarter", "months": [int(m["q"]) * 3],
            "after_end": _offset(ctx, m["an"], m["au"])}
    if _clock(m):
        rule["time"] = _clock(m)
    return [rule]


@construction(r"(?:在|于)?(?:下一?|次)个?(?:(?P<quarter>季度?)的?(?:首月|第1个月)|(?P<month>月))的?(?P<d>\d{1,2})日" + _BEFORE + "?")
def _next_period_day(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """下季度第一个月的15日前, 下月10日前: a day in the period after each one, a date, not rolled.

    It gives the day of a series named before it ("每季度报表在下季度第一个月的15日前"
    is one quarterly series, not two).
    """
    every = "quarter" if m["quarter"] else "month"
    day = int(m["d"])
    if not 1 <= day <= 31:
        raise _Impossible(f"no such day {day}日")
    for r in [r for r in ctx.rules if r["kind"] == "recurring" and r["every"] == every and _bare(r)]:
        ctx.rules.remove(r)
    return [{"kind": "recurring", "every": every, "after_end": {"n": day, "unit": "day"}, "roll": False}]


def _bare(rule: dict[str, Any]) -> bool:
    """A series with nothing but its period (每季度): a later anchor may complete it."""
    return not any(k in rule for k in ("day", "workday", "month", "weekday", "after_end", "months", "start"))


@construction(
    r"\(?(?P<items>(?:\d{1,2}月份?|第?[1-4]季度)(?:、(?:\d{1,2}月份?|第?[1-4]季度))*)(?:免报|不报|无需报送|不需报送|不用报送)\)?"
)
def _exempt(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]] | None:
    """(1月免报), (四季度免报): the series read before it skip those periods."""
    months = [int(x) for x in re.findall(r"(\d{1,2})月", m["items"])]
    quarters = [int(x) for x in re.findall(r"([1-4])季度", m["items"])]
    if any(not 1 <= x <= 12 for x in months):
        raise _Impossible("no such month")
    changed = False
    for rule in ctx.rules:
        if (rule["kind"] != "recurring" or rule["every"] not in ("month", "quarter") or rule.get("interval", 1) != 1
                or rule.get("roll") is False):  # 次月10日前 has no phrase with months: left for a person
            continue
        nominal = _nominal_months(rule)
        skip = {nominal[x - 1] for x in months} if rule["every"] == "month" else set()
        skip |= {nominal[q - 1] for q in quarters} if rule["every"] == "quarter" else set()
        skip |= {nominal[(x - 1) // 3] for x in months} if rule["every"] == "quarter" else set()
        kept = [x for x in (rule.get("months") or nominal) if x not in skip]
        if kept:
            rule["months"] = kept
            changed = True
    return [] if changed else None


def _nominal_months(rule: dict[str, Any]) -> list[int]:
    """The month each period's due is counted in (the engine's ``months`` filter), period by period."""
    if rule["every"] == "month":
        return list(range(1, 13))
    anchor = rule.get("month")
    if "after_end" in rule or anchor is None:
        return [3, 6, 9, 12]
    return [q * 3 - 3 + (anchor if anchor > 0 else 3) for q in range(1, 5)]


# -- relative and pending ------------------------------------------------------

@construction(
    r"(?P<trig>[^\d;,。:、]{2,40}?)(?:之日起|之日后|后|起)"
    r"(?:(?P<n1>\d+)[-—~至到])?(?P<n>\d+)(?P<unit>个?工作日|日|天|个?小时|周|个?星期|个?月|年)" + _WITHIN + "?" + _ROLL
)
def _relative(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]] | None:
    trigger = _trigger(m["trig"])
    if not trigger or _PERIOD_WORDS.search(trigger):
        return None  # "报表每季度结束后20日内": the series is read where it begins
    rule: dict[str, Any] = {"kind": "relative", "trigger": trigger, "offset": _offset(ctx, m["n"], m["unit"])}
    if m["n1"]:
        rule["window"] = _offset(ctx, m["n1"], m["unit"])
    return [rule]


@construction(r"(?P<trig>[^\d;,。:、]{2,40}?)(?:之日起|之日后|后)(?:要|应|须)?及时")
def _relative_timely(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]] | None:
    trigger = _trigger(m["trig"])
    if not trigger or _PERIOD_WORDS.search(trigger):
        return None
    return [{"kind": "relative", "trigger": trigger}]


@construction(r"(?:原则上)?(?:应|要|须)?与(?P<doc>[^,;。与、]{1,20}?)(?:同步|同时)(?P<verb>发布|公开|解读|出台|印发|上网|推送)")
def _in_step(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """与政策文件同步发布: on the day the document is published (a later 不超过N个工作日 gives the limit).

    Only publishing: "与解读材料同步组织、同步审签" is how the work is done.
    """
    return [{"kind": "relative", "trigger": _trigger(m["doc"]) + m["verb"],
             "offset": {"n": 0, "unit": "day"}, "_in_step": True}]


@construction(
    r"(?:时间跨度|时限|时间)?(?:原则上)?(?:最迟|最长|一般)?(?:不得|不能|不应|不)超过"
    r"(?P<n>\d+)(?P<unit>个?工作日|日|天|个?小时|个?月)"
)
def _at_most(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]] | None:
    """(与文件同步公开，)最迟不超过3个工作日: the limit of the event named before it."""
    offset = _offset(ctx, m["n"], m["unit"])
    for rule in reversed(ctx.rules):
        if rule.get("_in_step"):
            rule["offset"] = offset
            return []
    if ctx.prose:
        return None  # "每次不超过2小时" in requirement text is how long, not by when
    return [{"kind": "relative", "trigger": "事件发生", "offset": offset}]


@construction(r"待(?P<trig>[^;。]{2,60}?)(?:后|之后|以后)")
def _pending(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    return [{"kind": "pending", "trigger": _trigger(m["trig"])}]


@construction(r"按(?:照)?(?P<trig>[^;。,]{2,40}?(?:要求|部署|安排|规定|通知))(?:完成|落实|执行|办理|开展)?")
def _pending_as_required(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    # Inside requirement text "按照新闻发布有关规定" says how the work is done, not
    # when; only a 部署/安排 or a named 时间/时限 is something to wait for there.
    if ctx.prose and not re.search("部署|安排|时间|时限", m["trig"]):
        return None
    return [{"kind": "pending", "trigger": m["trig"]}]


# -- absolute --------------------------------------------------------------------

@construction(
    _Y + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日至(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
    + _BEFORE + "?" + _ROLL
)
def _date_range(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    start = _date(ctx, y, _month(ctx, int(m["m"])), int(m["d"]))
    y2 = ctx.written_year(m["y2"]) if m["y2"] else y
    due = _date(ctx, y2, _month(ctx, int(m["m2"] or m["m"])), int(m["d2"]))
    rule: dict[str, Any] = {"kind": "absolute", "date": due, "start": start}
    return [rule]


@construction(_Y + r"(?P<m>\d{1,2})月至(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:底|末)?" + _BEFORE + "?")
def _month_range(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    y2 = ctx.written_year(m["y2"]) if m["y2"] else y
    start = date(y, _month(ctx, int(m["m"])), 1)
    due = _month_end(y2, _month(ctx, int(m["m2"])))
    if due < start:
        raise _Impossible(f"the range ends {due} before it starts {start}")
    return [{"kind": "absolute", "date": due, "start": start}]


@construction(
    _Y + r"(?P<m>\d{1,2})月(?:(?P<d1>\d{1,2})[-—~至到])?(?P<d>\d{1,2})日"
    + _CLOCK + "?"
    + _BEFORE + "?" + _ROLL + _ALT
)
def _full_date(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    day = _date(ctx, y, _month(ctx, int(m["m"])), int(m["d"]))
    rule: dict[str, Any] = {"kind": "absolute", "date": day}
    if _clock(m):
        rule["time"] = _clock(m)
    if m["d1"]:
        rule["start"] = _date(ctx, y, day.month, int(m["d1"]))
    if m["alt"]:
        alt = _ALT_DATE.search(normalize(m["alt"]))
        if alt:
            rule["ambiguous"] = True
            rule["alternative"] = _date(ctx, ctx.written_year(alt["y"]), int(alt["m"]), int(alt["d"]))
    return [rule]


_ALT_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日", re.ASCII)


@construction(
    _Y + r"(?P<items>\d{1,2}月(?:上旬|中旬|下旬|底|末|份)?(?:(?:、|和|及|与|,)(?:\d{4}年)?\d{1,2}月(?:上旬|中旬|下旬|底|末|份)?)*)"
    r"(?P<before>" + _BEFORE + r")?"
)
def _months(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    rules = []
    for item in re.finditer(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<part>上旬|中旬|下旬|底|末|份)?", m["items"]):
        yy = ctx.written_year(item["y"]) if item["y"] else y
        month = _month(ctx, int(item["m"]))
        part = item["part"]
        if part == "上旬":
            due = date(yy, month, 10)
        elif part == "中旬":
            due = date(yy, month, 20)
        else:
            due = _month_end(yy, month)
        rule: dict[str, Any] = {"kind": "absolute", "date": due}
        if m["before"] and part is None:
            # "7月前": by the end of July, or before July begins: both are read.
            rule["ambiguous"] = True
            rule["alternative"] = date(yy, month, 1) - timedelta(days=1)
        rules.append(rule)
    return rules


@construction(_Y + r"第?(?P<q>[1-4])季度(?:末|底)?(?P<before>" + _BEFORE + r")?")
def _quarter(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    q = int(m["q"])
    rule: dict[str, Any] = {"kind": "absolute", "date": _month_end(y, q * 3)}
    if m["before"]:
        rule["ambiguous"] = True
        rule["alternative"] = date(y, q * 3 - 2, 1) - timedelta(days=1)
    return [rule]


@construction(_Y + r"(?P<h>上|下)半年(?:末|底)?" + _BEFORE + "?")
def _half(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    y = ctx.year_of(m)
    return [{"kind": "absolute", "date": _month_end(y, 6 if m["h"] == "上" else 12)}]


@construction(r"(?:" + _YEAR + r"|(?P<next>次年|明年)|(?P<this>今年|本年|当年))?(?P<w>年?度?(?:底|末|内|初))" + _BEFORE + "?")
def _year(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    """年底前, 年内, 年初, 2016年底, 2016年内, 2016年初, 2017年度内, 次年底."""
    written = m["year"] or m["next"] or m["this"]
    if not written and not m["w"].startswith("年"):
        return None  # 底, 内 alone are not a year
    y = ctx.year_of(m)
    if m["w"].endswith("初"):
        # "年初": early in the year; read as January, with the first quarter beside it.
        return [{"kind": "absolute", "date": date(y, 1, 31), "ambiguous": True, "alternative": date(y, 3, 31)}]
    return [{"kind": "absolute", "date": date(y, 12, 31)}]


@construction(r"(?:并且?|再|另)?(?:应|须|要|需)?(?:在|于)?(?P<d>\d{1,2})日" + _BEFORE + _ROLL)
def _day_alone(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]] | None:
    """于每月5日前…并于20日前: a day alone is in the month of the limit before it
    (that month's 20th, or the 20th of each month of its series)."""
    day = int(m["d"])
    for rule in reversed(ctx.rules):
        if rule["kind"] == "recurring" and rule["every"] == "month" and "day" in rule:
            if not 1 <= day <= 31:
                raise _Impossible(f"no such day {day}日")
            keep = {k: v for k, v in rule.items() if k not in ("day", "window_day", "text", "roll") and not k.startswith("_")}
            return [{**keep, "day": day}]
        if rule["kind"] == "absolute" and "time" not in rule and "start" not in rule:
            return [{"kind": "absolute", "date": _date(ctx, rule["date"].year, rule["date"].month, day)}]
        if rule["kind"] != "ongoing":
            break
    return None


@construction(r"(?:应|须|要|需)?(?:在|于)?(?:(?P<n1>\d+)[-—~至到])?(?P<n>\d+)(?P<unit>个?工作日|个?小时|日|天|个?月)" + _WITHIN)
def _relative_untriggered(ctx: _Ctx, m: re.Match) -> list[dict[str, Any]]:
    # "应在24小时内": the plan names no event; the event is the one the task is about.
    rule: dict[str, Any] = {"kind": "relative", "trigger": "事件发生", "offset": _offset(ctx, m["n"], m["unit"])}
    if m["n1"]:
        rule["window"] = _offset(ctx, m["n1"], m["unit"])
    return [rule]


# --------------------------------------------------------------------------
# Segments and scanning

_ROLL_ALONE = re.compile(r"\(?(?:如|若)?遇(?:法定)?节假日(?:则)?顺延\)?")
_CLARIFY = re.compile(r"\((?:分别)?(?:在|为|于)?(?P<inner>[^()]*)\)")


_SEPARATOR = re.compile(r"[();。,]")


def _segments(text: str) -> list[str]:
    """Split at ; 。 and at , outside parentheses."""
    out, depth, start = [], 0, 0
    for m in _SEPARATOR.finditer(text):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c in ";。" or depth == 0:
            out.append(text[start : m.start()])
            start = m.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _scan(ctx: _Ctx, segment: str) -> tuple[list[dict[str, Any]], str, bool]:
    """All constructions in a segment, left to right; what is left over; and
    whether any construction was read (one may only refine earlier rules).

    The rules found are added to ``ctx.rules`` as they are read (a later limit
    may refine an earlier one) and returned.
    """
    rules: list[dict[str, Any]] = []
    left: list[str] = []
    read_any = False
    last = 0  # where the words since the last match begin: "中考" in "中考3月高考11月"
    i = 0
    starts = _starts()
    while i < len(segment):
        # The next place where some construction may begin: one pass of the
        # regex engine instead of trying each construction at each character.
        found_at = starts.search(segment, i)
        j = found_at.start() if found_at else len(segment)
        left.extend(segment[i:j])
        i = j
        if i == len(segment):
            break
        ctx.label, ctx.label_year = segment[last:i], False
        for pattern, handler in _GRAMMAR:
            m = pattern.match(segment, i)
            if not m or m.end() == i:
                continue
            try:
                found = handler(ctx, m)
                if found is None:
                    continue
                _checked(found)
            except _Impossible:
                # The shape of a date that does not exist: all of it stays unread.
                left.append(segment[i : m.end()])
                i = last = m.end()
                break
            if True:
                label = segment[last:i]
                if ctx.label_year:  # the year was in the words before: they are read
                    del left[len(left) - len(label) :]
                text = (label if len(label) <= 6 or ctx.label_year else "") + segment[i : m.end()]
                rolls = bool(m.groupdict().get("roll"))  # 遇节假日顺延, in any construction that takes it
                for r in found:
                    r.setdefault("text", text)
                    if rolls:
                        r["roll"] = True
                rules.extend(found)
                ctx.rules.extend(found)
                read_any = True
                i = last = m.end()
                break
        else:
            left.append(segment[i])
            i += 1
    return rules, "".join(left), read_any


_ONE_RULE = TypeAdapter(Rule)


@cache
def _starts() -> re.Pattern[str]:
    """Where any construction may match: all of them as one alternation (names dropped).

    Never right after a digit: nothing starts inside a number or just after
    one ("2016年内" read from "年内" would drop the year, "99日" from "199日" a
    digit), and so a run of 10,000 digits is tried once, not at each digit.
    """
    alternatives = "|".join(f"(?:{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', p.pattern)})" for p, _ in _GRAMMAR)
    return re.compile(f"(?<![0-9])(?:{alternatives})", re.ASCII)


def _checked(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules of one construction, each checked against the model: one that
    cannot exist (每月0日, a window after its due) leaves the text unread."""
    for rule in found:
        try:
            _ONE_RULE.validate_python(_public(rule))
        except ValidationError as exc:
            raise _Impossible(exc.errors()[0]["msg"]) from None
    return found


def _public(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule without the reader's own notes (keys starting with _)."""
    return {k: v for k, v in rule.items() if not k.startswith("_")}


def _clarified(ctx: _Ctx, segment: str) -> tuple[list[dict[str, Any]], str] | None:
    """'每季度末(分别在6月、9月和12月底)': the dates in the parentheses are what is meant."""
    m = _CLARIFY.search(segment)
    if not m or not re.search(r"\d月", m["inner"]):
        return None
    before = segment[: m.start()]
    if "每" not in before or not re.search(r"[末底]$", before) or re.search(r"\d[-—~至到]\d", m["inner"]):
        return None
    mark = len(ctx.rules)
    rules, rest, _ = _scan(ctx, m["inner"])
    if not rules or any(r["kind"] != "absolute" for r in rules) or _TIMEISH.search(rest):
        del ctx.rules[mark:]
        return None
    for r in rules:
        r["text"] = segment
    return rules, segment[: m.start()] + segment[m.end() :]


def read(text: str, *, year: int | None, issued: date | None = None, prose: bool = False) -> list[dict[str, Any]]:
    """Rules (as dicts) for a time-limit text; see :func:`deadlines.parse_phrase`.

    A date without a year is in ``year``, or else in the year of ``issued``.
    """
    if year is None and issued is not None:
        year = issued.year
    if year is not None and not (isinstance(year, int) and PLAN_YEARS[0] <= year <= PLAN_YEARS[1]):
        raise PhraseError(text, f"计划年度超出范围：{year!r}（应在 {PLAN_YEARS[0]}–{PLAN_YEARS[1]} 之间）")
    ctx = _Ctx(year=year, text=text, prose=prose)
    norm = normalize(text)
    unread: list[str] = []
    for segment in _segments(norm):
        if _ROLL_ALONE.fullmatch(segment) and ctx.rules:
            # "每月10日前，遇节假日顺延": the roll belongs to the limits before it.
            for r in ctx.rules:
                if r["kind"] in ("absolute", "recurring", "relative"):
                    r["roll"] = True
            continue
        if _clarified(ctx, segment) is not None:
            continue
        found, rest, read_any = _scan(ctx, segment)
        _drop_manner_words(ctx, found)
        if not prose and (not read_any or _TIMEISH.search(rest)):
            unread.append(segment if not read_any else rest)
    _carry_starts(ctx.rules)
    if prose and any(r["kind"] != "ongoing" for r in ctx.rules):
        # In requirement text a dated limit says when; "持续规范", "及时公开"
        # beside it describe the work, not a second, standing duty.
        ctx.rules[:] = [r for r in ctx.rules if r["kind"] != "ongoing" or "start" in r]
    rules = [_public(r) for r in ctx.rules]
    if not prose and not rules and not unread and norm:
        unread.append(norm)
    for piece in unread:
        rules.append({"kind": "pending", "trigger": None, "text": piece, "unparsed": piece})
    unique: dict[tuple, dict[str, Any]] = {}
    for r in rules:
        unique.setdefault(_key(r), r)  # the same rule twice is one rule
    return list(unique.values())


def _drop_manner_words(ctx: _Ctx, found: list[dict[str, Any]]) -> None:
    """定期, 及时 beside a dated limit say how it is kept, not another duty:
    "流行季节（4—10 月）每月定期发布" is the monthly series alone."""
    if any(r["kind"] != "ongoing" for r in found):
        for r in [r for r in found if r.get("_manner")]:
            found.remove(r)
            ctx.rules.remove(r)


def _carry_starts(rules: list[dict[str, Any]]) -> None:
    """"从2022年3月起，务于每月25日前": the start belongs to the series after it,
    which begins there; the start is then no duty of its own."""
    for k, rule in enumerate(list(rules)):
        if rule["kind"] != "ongoing" or "start" not in rule or not rule.get("_from"):
            continue
        later = [r for r in rules[k:] if r["kind"] == "recurring" and "start" not in r]
        for r in later:
            r["start"] = rule["start"]
        if later:
            rules.remove(rule)


def _key(value: Any) -> Any:
    """A rule dict as something hashable (its lists and dicts as tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    return value
