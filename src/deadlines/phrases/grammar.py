"""The constructions of Chinese time limits: one named function each, in the order they are tried.

Each construction is a pattern (built from :mod:`.vocabulary` and the shared
parts below) and a function that turns a match into rules.  The function's
docstring lists the phrases it reads.  At each place in a text the
constructions are tried in the order of this file, longest and most specific
first: standing duties (全天候24小时 is a duty, not a 24-hour limit), starts,
series, limits after a trigger, fixed dates, and last the limits that only
make sense after another (a day alone, a span alone).

A construction returns its rules, or None when the text only looks like it
(每月一… is not a weekday: the next construction is tried); an empty list is a
match that refines rules read before it (1月免报) and adds none.  Rules are
dicts of the model's fields (:mod:`deadlines.model`); keys starting with ``_``
are the reader's own notes, dropped before the rules leave it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from typing import Callable

from ..records import MONTHS_IN
from .context import MEETING_HELD, THE_MEETING, Context, Impossible, Rule, clock, make_date, month, month_end, trigger
from .normalize import normalize
from .vocabulary import (
    AFTER_NAMED_PERIOD_UNITS,
    AFTER_PERIOD_UNITS,
    AFTER_TRIGGER_UNITS,
    ANCHOR_MONTHS,
    AS_REQUIRED_VERBS,
    AS_REQUIRED_WAITS,
    AS_REQUIRED_WORDS,
    AT_LATEST_WORDS,
    BEFORE_WORDS,
    BY_YEAR_LEADS,
    EACH_TIME_WORDS,
    ENDING_PERIODS,
    EXEMPT_WORDS,
    FESTIVALS,
    IN_STEP_WORDS,
    LAST_WORKDAY_WORDS,
    MANNER_WORDS,
    MONTH_PARTS,
    NEXT_YEAR_WORDS,
    NOT_MORE_WORDS,
    ONGOING_WORDS,
    PERIODS,
    PUBLISH_VERBS,
    SPAN_WORDS,
    START_WORDS,
    THIS_YEAR_WORDS,
    UNTRIGGERED_UNITS,
    WEEKDAYS,
    WITHIN_WORDS,
    YEAR_PART_WORDS,
    one_of,
    units,
)

Handler = Callable[[Context, re.Match], "list[Rule] | None"]
GRAMMAR: list[tuple[re.Pattern[str], Handler]] = []


def construction(pattern: str) -> Callable[[Handler], Handler]:
    """Register a construction: its pattern, tried in the order of this file."""

    def register(fn: Handler) -> Handler:
        GRAMMAR.append((re.compile(pattern, re.ASCII), fn))  # \d is 0-9 (NFKC made full-width digits so)
        return fn

    return register


@cache
def starts() -> re.Pattern[str]:
    """Where any construction may match: all of them as one alternation (names dropped).

    Never right after a digit: nothing starts inside a number or just after
    one ("2016年内" read from "年内" would drop the year, "99日" from "199日" a
    digit), and so a run of 10,000 digits is tried once, not at each digit.
    """
    alternatives = "|".join(f"(?:{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', p.pattern)})" for p, _ in GRAMMAR)
    return re.compile(f"(?<![0-9])(?:{alternatives})", re.ASCII)


# -- shared parts ------------------------------------------------------------------------

BEFORE = one_of(BEFORE_WORDS)  # 前, 以前, 之前
WITHIN = one_of(WITHIN_WORDS)  # 内, 以内, 之内
# A year that names a document's year, not a limit: 2023年市《政府工作报告》, 2023年《…》.
DOCUMENT_AFTER = r"(?:全|我|本)?[省市县区]?《"
# The day a document was printed or signed, at its foot ("2021年8月16日印发", "…日印", "…日签发").
PRINTED = r"\s*(?:印发|印|签发|签署|制发)(?![^\s,;。]*[前内])"
RANGE = r"[-—~至到]"  # 15-20日, 4—10月, 15至20日
# A count of an offset (20日, 2个工作日), never a written year: "…后2016年9月底前" and
# "2016年内" are dates, not 2,016 years.
COUNT = r"(?!\d{4}年)\d+"
# A written year is four digits, never the tail of a longer number.
YEAR = r"(?<!\d)(?P<year>\d{4})年"
# The year of a date: written, 次年, 今年, or none (the year in force).
Y = r"(?:" + YEAR + r"|(?P<next>" + "|".join(NEXT_YEAR_WORDS) + r")|(?P<this>" + "|".join(THIS_YEAR_WORDS) + r"))?"
ROLL = r"(?P<roll>\(?遇(?:法定)?节假日(?:则)?顺延\)?)?"  # 遇节假日顺延: move a rest day to the next working day
ALT = r"(?:\(另一读法:(?P<alt>[^)]*)\))?"  # the canonical form of an ambiguous date keeps its other reading
CLOCK = r"(?:(?P<h>\d{1,2})(?:时|点)(?:(?P<mi>\d{1,2})分)?|(?P<hh>\d{1,2}):(?P<mm>\d{2}))"  # 10时, 9点30分, 12:00
START = "(?:" + "|".join(w + (r"(?!\d)" if w == "起" else "") for w in START_WORDS) + ")"  # 开始, 起, 以来
MONTH_PART = "(?:" + "|".join(MONTH_PARTS) + ")"  # 上旬, 中旬, 下旬, 底, 末, 份

# How far back a limit that refines or completes another looks for it (past a
# few standing duties and sibling series): a long text is read in linear time.
LOOK_BACK = 8


def _timed(rule: Rule, m: re.Match) -> Rule:
    """The rule, with the time of day of its match if it has one."""
    at = clock(m)
    if at:
        rule["time"] = at
    return rule


# -- standing duties and starts ---------------------------------------------------------


@construction(
    r"全天候(?:\d+小时)?|(?<!延)" + one_of(ONGOING_WORDS) + r"(?!限|目标|任务|落实|情况|计划|总结)|"
    + one_of(w for w in MANNER_WORDS if w != "及时") + r"|及时(?!\d)"
)
def standing_duty(ctx: Context, m: re.Match) -> list[Rule]:
    """全年工作, 实时, 持续推进, 长期, 全天候24小时发布; 定期, 及时, 常态化 (a manner:
    dropped beside a dated limit)."""
    return [{"kind": "ongoing", "_manner": m.group() in MANNER_WORDS}]


@construction(Y + r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?" + START + r"(?:持续工作)?")
def starting_from(ctx: Context, m: re.Match) -> list[Rule]:
    """2015年6月开始, 从2022年3月起, 2015年6月1日起: a standing duty from then, or the
    start of the series after it ("从2022年3月起，务于每月25日前")."""
    y = ctx.year_of(m)
    start = make_date(y, month(int(m["m"])), int(m["d"] or 1))
    return [{"kind": "ongoing", "start": start, "_from": True}]


@construction(r"(?:自|从)?" + Y + r"第?(?P<q>[1-4])季度(?:起|开始)")
def starting_from_quarter(ctx: Context, m: re.Match) -> list[Rule]:
    """从2024年第二季度起: from the first day of that quarter."""
    return [{"kind": "ongoing", "start": date(ctx.year_of(m), int(m["q"]) * 3 - 2, 1), "_from": True}]


@construction(r"(?:自|从)?" + YEAR + r"(?:起(?![草步诉\d])|开始)")
def starting_from_year(ctx: Context, m: re.Match) -> list[Rule]:
    """自2016年起, 从2016年开始, 2024年起: from the first day of that year (2024年起草 is no start)."""
    return [{"kind": "ongoing", "start": date(ctx.year_of(m), 1, 1), "_from": True}]


@construction(one_of(BY_YEAR_LEADS) + r"(?:在|于|到)?" + YEAR + r"度?(?:年?底|内|末)?(?:前)?(?![\d第上下]|" + DOCUMENT_AFTER + ")")
def by_year(ctx: Context, m: re.Match) -> list[Rule]:
    """争取2015年…全部公开, 到2023年, 截至2016年底: within that year, so by its last day."""
    return [{"kind": "absolute", "date": date(ctx.year_of(m), 12, 31)}]


# -- series ---------------------------------------------------------------------------------


FESTIVAL = r"[“\"]?(?P<fest>" + one_of(FESTIVALS) + r")[”\"]?节?(?:小?长假|黄金周|假期|放假)?"


@construction(r"每年(?:的)?" + FESTIVAL + BEFORE + ROLL)
def yearly_festival(ctx: Context, m: re.Match) -> list[Rule]:
    """每年国庆节前, 每年元旦前, 每年春节前: by the day before the festival, each year.

    A festival of the solar calendar falls on one day a year: a yearly series
    (国庆节前: September 30 each year).  One of the lunar calendar or a solar
    term moves from year to year, which a series of periods cannot say: it is
    the day before it in the year in force (a plan's year), as 春节前 alone.
    Without this, "每年" and "春节前" were read apart: a year-end series that
    the text never named, beside the festival."""
    name = m["fest"]
    where = FESTIVALS[name]
    if where[0] in ("lunar", "term"):
        return [{"kind": "absolute", "date": festival_day(name, ctx.year_of(m)) - timedelta(days=1)}]
    eve = date(2001, where[0], where[1]) - timedelta(days=1)  # a year with no Feb 29: none is needed
    last = eve.day == month_end(2001, eve.month).day
    return [{"kind": "recurring", "every": "year", "month": eve.month, "day": -1 if last else eve.day}]


@construction(r"每(?P<part>半个?月|旬)" + BEFORE + "?")
def half_month_or_xun(ctx: Context, m: re.Match) -> list[Rule]:
    """每半月, 每半个月: by the 15th and by the month's end, each month; 每旬: by the 10th, the 20th
    and the month's end (a 旬 is the tenth of a month that 上旬, 中旬, 下旬 name)."""
    days = [15, -1] if m["part"].startswith("半") else [MONTH_PARTS["上旬"], MONTH_PARTS["中旬"], MONTH_PARTS["下旬"]]
    return [{"kind": "recurring", "every": "month", "day": day} for day in days]


@construction(Y + FESTIVAL + r"(?:过后|结束后|后)(?P<n>" + COUNT + r")(?P<unit>日|天|周|星期)(?:" + WITHIN + "|" + BEFORE
              + ")?" + ROLL)
def after_festival(ctx: Context, m: re.Match) -> list[Rule]:
    """春节后10日内, 国庆节后一周内: counted from the festival's day in the year in force, as a
    limit after an event is (the day itself not counted, a due day that is no working day moved
    to the next).  The festival is a date, not an event to wait for.  (In working days the count
    needs the calendar of a trigger: 春节后10个工作日内 stays a limit after the event 春节.)"""
    offset = ctx.offset(m["n"], m["unit"])  # at most a century, as every count (else a clear error)
    days = offset["n"] * (7 if offset["unit"] == "week" else 1)
    try:
        day = festival_day(m["fest"], ctx.year_of(m)) + timedelta(days=days)
    except OverflowError as exc:  # past the last date there is
        raise Impossible(f"no date {days} days after {m['fest']}") from exc
    return [{"kind": "absolute", "date": day, "roll": True}]


@construction(
    r"每年(?P<items>\d{1,2}月(?:底|末|\d{1,2}日)?(?:(?:、|和|及|,)\d{1,2}月(?:底|末|\d{1,2}日)?)+)" + BEFORE + "?" + ROLL
)
def yearly_months(ctx: Context, m: re.Match) -> list[Rule]:
    """每年4月底、8月底、11月底前: one monthly series limited to those months, per day given."""
    by_day: dict[int, list[int]] = {}
    for item in re.finditer(r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?", m["items"]):
        by_day.setdefault(int(item["d"]) if item["d"] else -1, []).append(month(int(item["m"])))
    return [{"kind": "recurring", "every": "month", "months": sorted(months), "day": day}
            for day, months in by_day.items()]


@construction(r"每年度?(?:的)?\(?(?P<m1>\d{1,2})月?(?:(?P<d1>\d{1,2})日)?" + RANGE + r"(?P<next>次年|翌年|第二年)?"
              r"(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?\)?份?(?:期间)?(?:底|末)?" + BEFORE + "?" + ROLL
              + r"(?![\d上中下]|每|按)")
def yearly_season(ctx: Context, m: re.Match) -> list[Rule] | None:
    """每年4月至10月, 每年4—10月份, 每年11月至次年3月, 每年3月15日至6月15日: a season each year,
    due by its last day (the end of its last month) and open from its first (one date a year,
    not one in April and one in October).  Followed by 每月 or 按月 it is the months of that
    series (:func:`series`)."""
    first, last = month(int(m["m1"])), month(int(m["m2"]))
    if first == last or m["next"] and first < last:
        return None
    rule: Rule = {"kind": "recurring", "every": "year", "month": last, "day": int(m["d2"]) if m["d2"] else -1,
                  "window_month": first}
    if m["d1"]:
        rule["window_day"] = int(m["d1"])
    return [rule]


@construction(r"每年(?:的)?(?:第(?P<q>[1-4])季度|(?P<h>上|下)半年|年?(?P<w>初|中)(?![旬秋]))(?:末|底)?" + BEFORE + "?" + ROLL)
def yearly_part(ctx: Context, m: re.Match) -> list[Rule]:
    """每年第一季度, 每年上半年, 每年下半年, 每年年中, 每年年初: one yearly series, due by the end of
    that part (one date a year); 年初 is read as January, flagged, as 年初 alone is."""
    if m["w"] == "初":
        return [{"kind": "recurring", "every": "year", "month": 1, "day": -1, "ambiguous": True}]
    last_month = int(m["q"]) * 3 if m["q"] else 6 if m["h"] == "上" or m["w"] == "中" else 12
    return [{"kind": "recurring", "every": "year", "month": last_month, "day": -1}]


# A series is read in named parts:
#   (4—10月)      SEASON       only periods in these months (also 每年4月至10月, 4-10月份)
#   每季度 按月 每两周 EVERY    the period, and every how many
#   (4、8、11月)  ONLY_MONTHS  only these months
#   (季度)        OR_PERIOD    每月（季度）: another period is possible (ambiguous)
# then either
#   结束后20日内  AFTER_END    counted from each period's end (with 15-20日, a window; 10日12:00, a time)
# or
#   首月 末月 第2个月 4月   ANCHOR_MONTH  the month of the period
#   25日 15-20日 底 最后一个工作日 第3个工作日 一 (a weekday)   ANCHOR_DAY
SEASON = r"(?:(?:每年)?\(?(?P<m1>\d{1,2})月?" + RANGE + r"(?P<m2>\d{1,2})月\)?份?(?:期间)?)?"
EVERY = r"(?:每|按)(?P<n>\d+)?个?(?P<every>" + "|".join(PERIODS) + ")"
ONLY_MONTHS = r"(?:\((?P<months>\d{1,2}(?:、\d{1,2})*)月\))?"
OR_PERIOD = r"(?:\((?P<altp>季度|季|月|半年|年)\))?"
AFTER_END = (
    r"(?P<after>结束后|末后)(?:(?P<an1>\d+)" + RANGE + r")?(?P<an>\d+)(?P<au>" + units(AFTER_PERIOD_UNITS) + ")"
    r"(?:" + WITHIN + "|" + CLOCK + BEFORE + ")?"
)
ANCHOR_MONTH = r"(?:(?P<mo>" + "|".join(ANCHOR_MONTHS) + r"|第(?P<mon>\d)个月|(?P<ym>\d{1,2})月)的?)?"
ANCHOR_DAY = (
    r"(?:(?P<lastwd>" + "|".join(LAST_WORKDAY_WORDS) + r")|第(?P<wd>\d+)个工作日"
    r"|(?:(?P<d1>\d{1,2})" + RANGE + r")?(?P<day>\d{1,2})日|(?P<xun>[上中下]旬)|(?P<end>底|末)|(?P<early>初)(?![\d一二三四五六七八九十])"
    r"|(?:星期|礼拜)?(?P<wdw>[" + "".join(WEEKDAYS) + r"])(?![次个])(?!\d{1,2}(?![:时点\d])))?"
)
# A time of day after a day of a series (每月2日9:30前, 每周一中午12时前): the part of the
# day, then the clock; named apart from CLOCK, which AFTER_END holds.
AT = (r"(?:(?P<apart>上午|早上|早晨|中午|下午|晚上))?(?:(?P<ah>\d{1,2})(?:时|点)(?:(?P<ami>\d{1,2})分)?"
      r"|(?P<ahh>\d{1,2}):(?P<amm>\d{2}))")


@construction(SEASON + EVERY + ONLY_MONTHS + OR_PERIOD + "(?:" + AFTER_END + "|" + ANCHOR_MONTH + ANCHOR_DAY + "(?:"
              + AT + ")?)" + BEFORE + "?" + ROLL)
def series(ctx: Context, m: re.Match) -> list[Rule] | None:
    """每季度首月25日前, 每月10号前, 每周一下午, 每两周, 按月发布, 每月最后一个工作日,
    每月第3个工作日, 每季度结束后20日内, 每季度结束后15-20日内, 每季度最后一个月的30日前,
    每年4月, 流行季节（4—10 月）每月, 每月（季度）结束后10日内."""
    rule = _series_period(ctx, m)
    if m["after"]:
        return [_after_end(ctx, m, rule)]
    if m["ah"] or m["ahh"]:
        if not (m["wdw"] or m["day"] or m["lastwd"] or m["wd"]):
            return None  # a time of day needs a day: 每月9:30 is not a limit
        at = clock(m, "a")
        if at is not None:
            rule["time"] = at
    if m["wdw"]:
        return _weekday_anchor(m, rule)
    if not _anchor_month(m, rule) or not _anchor_day(ctx, m, rule):
        return None
    # 每季度末 without a month is the period's end: the rule with no anchor.
    return [rule]


def _series_period(ctx: Context, m: re.Match) -> Rule:
    """EVERY, SEASON, ONLY_MONTHS, OR_PERIOD: the period, its interval, and the months it keeps."""
    every = PERIODS[m["every"]]
    rule: Rule = {"kind": "recurring", "every": every}
    if m["n"]:
        rule["interval"] = ctx.count(m["n"], every)
    if m["m1"]:
        a, b = month(int(m["m1"])), month(int(m["m2"]))
        rule["months"] = list(range(a, b + 1)) if a <= b else [*range(a, 13), *range(1, b + 1)]
    if m["months"]:
        rule["months"] = [month(int(x)) for x in m["months"].split("、")]
    if m["altp"]:
        # "每月（季度）结束后…": monthly, or quarterly; read as the first, flagged.
        rule["ambiguous"] = True
    return rule


def _after_end(ctx: Context, m: re.Match, rule: Rule) -> Rule:
    """AFTER_END: 结束后20日内, 结束后15-20日内, 结束后10日12:00前."""
    rule["after_end"] = ctx.offset(m["an"], m["au"])
    if m["an1"]:
        rule["window"] = ctx.offset(m["an1"], m["au"])
    return _timed(rule, m)


def _weekday_anchor(m: re.Match, rule: Rule) -> list[Rule] | None:
    """ANCHOR_DAY as a weekday: 每周一, 每周五前 (每月一… is not a weekday)."""
    if rule["every"] != "week":
        return None
    rule["weekday"] = WEEKDAYS[m["wdw"]]
    return [rule]


def _anchor_month(m: re.Match, rule: Rule) -> bool:
    """ANCHOR_MONTH: 首月, 末月, 最后一个月, 第2个月 of a period of months; 4月 of a year."""
    if not m["mo"]:
        return True
    every = rule["every"]
    months_in = MONTHS_IN.get(every)
    if every == "year" and m["ym"]:
        rule["month"] = month(int(m["ym"]))
    elif months_in and months_in > 1 and not m["ym"]:
        rule["month"] = ANCHOR_MONTHS[m["mo"]] if m["mo"] in ANCHOR_MONTHS else int(m["mon"])
    else:
        return False
    return True


def _anchor_day(ctx: Context, m: re.Match, rule: Rule) -> bool:
    """ANCHOR_DAY: 25日, 15-20日, 底, 上旬/中旬/下旬 (by the 10th, 20th, month end), 最后一个工作日,
    第3个工作日 (not of a day or a week)."""
    every = rule["every"]
    if m["lastwd"] or m["wd"]:
        if every in ("day", "week"):
            return False
        rule["workday"] = -1 if m["lastwd"] else ctx.count(m["wd"], "workday")
    elif m["day"]:
        if every in ("day", "week"):
            return False
        rule["day"] = int(m["day"])
        if m["d1"]:
            rule["window_day"] = int(m["d1"])
    elif m["xun"]:
        if every != "month" and "month" not in rule:
            return False
        rule["day"] = MONTH_PARTS[m["xun"]]
    elif m["end"] and (every == "month" or "month" in rule):
        rule["day"] = -1
    elif m["early"]:
        # 每月初, 每季度初: early in the period, read as its first ten days (上旬), flagged: the
        # first few days are meant as often.  Not of a week or a day; a year's is 每年年初.
        if every in ("day", "week", "year"):
            return False
        if every != "month" and "month" not in rule:
            rule["month"] = 1
        rule["day"] = MONTH_PARTS["初"]
        rule["ambiguous"] = True
    return True


@construction(r"次月(?:(?P<wd>\d+)个工作日" + WITHIN + r"?|(?P<day>\d{1,2})日" + BEFORE + r"?)")
def next_month(ctx: Context, m: re.Match) -> list[Rule]:
    """次月5个工作日内 (after each month ends); 次月10日前 (the 10th of the next month: a date, not rolled)."""
    if m["wd"]:
        return [{"kind": "recurring", "every": "month", "after_end": ctx.offset(m["wd"], "工作日")}]
    return [{"kind": "recurring", "every": "month", "after_end": {"n": int(m["day"]), "unit": "day"}, "roll": False}]


AFTER_NAMED_END = (
    r"(?P<an>\d+)(?P<au>" + units(AFTER_NAMED_PERIOD_UNITS) + ")(?:" + WITHIN + "|" + BEFORE + "|" + CLOCK + BEFORE + "?)?"
)


@construction(r"(?<![次上下本当])(?P<every>" + "|".join(ENDING_PERIODS) + r")(?:结束|终了)?后" + AFTER_NAMED_END)
def after_named_period_end(ctx: Context, m: re.Match) -> list[Rule]:
    """季度结束后10个工作日内, 年度终了后20日内, 月后3日前, 季后7日: a series due that long after each period ends."""
    rule = {"kind": "recurring", "every": ENDING_PERIODS[m["every"]], "after_end": ctx.offset(m["an"], m["au"])}
    return [_timed(rule, m)]


@construction(r"第?(?P<q>[1-4])季度(?:季后|季度?结束后|结束后|后)" + AFTER_NAMED_END)
def after_quarter_end(ctx: Context, m: re.Match) -> list[Rule]:
    """一季度季后7日, 三季度季后10日12:00, 第一季度结束后10日内: that quarter's report, due that long after it ends."""
    rule = {"kind": "recurring", "every": "quarter", "months": [int(m["q"]) * 3],
            "after_end": ctx.offset(m["an"], m["au"])}
    return [_timed(rule, m)]


@construction(r"(?:在|于)?(?:下一?|次)个?(?:(?P<quarter>季度?)的?(?:首月|第1个月)|(?P<month>月))的?(?P<d>\d{1,2})日" + BEFORE + "?")
def next_period_day(ctx: Context, m: re.Match) -> list[Rule]:
    """下季度第一个月的15日前, 下季度首月15日前, 下月10日前: a day in the period after
    each one, a date, not rolled.

    It gives the day of a series named before it ("每季度报表在下季度第一个月的15日前"
    is one quarterly series, not two).  下月 alone ("于下月10日前报送") may as well be once, in
    the month after the document's: read as the series, flagged (次月 is each month's next).
    """
    every = "quarter" if m["quarter"] else "month"
    day = int(m["d"])
    if not 1 <= day <= 31:
        raise Impossible(f"no such day {day}日")
    rule: Rule = {"kind": "recurring", "every": every, "after_end": {"n": day, "unit": "day"}, "roll": False}
    before = _limit_before(ctx)  # the series this day completes
    if before is not None and before["kind"] == "recurring" and before["every"] == every and _bare(before):
        ctx.rules[:] = [r for r in ctx.rules if r is not before]
    elif every == "month" and "下" in m.group():
        rule["ambiguous"] = True
    return [rule]


def _limit_before(ctx: Context) -> Rule | None:
    """The dated limit read just before (past standing duties), within :data:`LOOK_BACK` rules."""
    return next((r for r in reversed(ctx.rules[-LOOK_BACK:]) if r["kind"] != "ongoing"), None)


def _bare(rule: Rule) -> bool:
    """A series with nothing but its period (每季度): a later anchor may complete it."""
    return not any(k in rule for k in ("day", "workday", "month", "weekday", "after_end", "months", "start"))


EXEMPT_ITEM = r"(?:\d{1,2}月份?|第?[1-4]季度)"


@construction(r"\(?(?P<items>" + EXEMPT_ITEM + "(?:、" + EXEMPT_ITEM + ")*)" + one_of(EXEMPT_WORDS) + r"\)?")
def exempt_periods(ctx: Context, m: re.Match) -> list[Rule] | None:
    """(1月免报), (四季度免报), 1季度不报: the series read before it skip those periods."""
    months = [int(x) for x in re.findall(r"(\d{1,2})月", m["items"])]
    quarters = [int(x) for x in re.findall(r"([1-4])季度", m["items"])]
    if any(not 1 <= x <= 12 for x in months):
        raise Impossible("no such month")
    changed = False
    for rule in ctx.rules[-LOOK_BACK:]:
        if rule["kind"] != "recurring" or rule["every"] not in ("month", "quarter") or rule.get("interval", 1) != 1:
            continue
        nominal = _nominal_months(rule)
        if rule["every"] == "month":
            skip = {nominal[x - 1] for x in months}
        else:
            skip = {nominal[q - 1] for q in quarters} | {nominal[(x - 1) // 3] for x in months}
        kept = [x for x in (rule.get("months") or nominal) if x not in skip]
        if kept:
            rule["months"] = kept
            changed = True
    return [] if changed else None


def _nominal_months(rule: Rule) -> list[int]:
    """The month each period's due is counted in (the engine's ``months`` filter), period by period."""
    if rule["every"] == "month":
        return list(range(1, 13))
    anchor = rule.get("month")
    if "after_end" in rule or anchor is None:
        return [3, 6, 9, 12]
    return [q * 3 - 3 + (anchor if anchor > 0 else 3) for q in range(1, 5)]


# -- after a trigger, and waiting ---------------------------------------------------------------

# A period series is never a trigger ("报表每季度结束后20日内" is a series): 每, but
# not 每次 (each time), or a period word at the end.
_PERIOD_IN_TRIGGER = re.compile(
    r"每(?!" + "|".join(EACH_TIME_WORDS) + r")|(?:" + "|".join(ENDING_PERIODS) + r")(?:结束|终了|末)?$"
)
TRIGGER_TEXT = r"(?P<trig>[^\d;,。:、]{2,40}?)"


def _event(m: re.Match) -> str | None:
    """The event a construction counts from, or None where the words name a period's end
    ("报表每季度结束后20日内": the series is read where it begins)."""
    event = trigger(m["trig"])
    return None if not event or _PERIOD_IN_TRIGGER.search(event) else event


@construction(
    TRIGGER_TEXT + r"(?:之日起|之日后|后|起)(?:(?P<n1>" + COUNT + ")(?P<unit1>" + units(AFTER_TRIGGER_UNITS) + ")?"
    + RANGE + r")?(?P<n>" + COUNT + ")(?P<unit>" + units(AFTER_TRIGGER_UNITS) + ")"
    + WITHIN + "?" + ROLL
)
def after_trigger(ctx: Context, m: re.Match) -> list[Rule] | None:
    """审批或核准后两个工作日内, 经市人大批准后20日内, 收到申请之日起15-20日内,
    各单位要于本方案印发后15个工作日内 (the subject is not the trigger), 每次审批后2个工作日内;
    送达之日起60日至1年内 (the window opens after 60 days, the limit is the year)."""
    event = _event(m)
    if event is None:
        return None
    rule: Rule = {"kind": "relative", "trigger": event, "offset": ctx.offset(m["n"], m["unit"])}
    if m["n1"]:
        rule["window"] = ctx.offset(m["n1"], m["unit1"] or m["unit"])
    return [rule]


@construction(TRIGGER_TEXT + r"(?:之日起|之日|后|的)?(?P<same>当日|当天|当场|次日|第二天|翌日)")
def same_or_next_day(ctx: Context, m: re.Match) -> list[Rule] | None:
    """受理当日办结, 收到申请之日起当日, 当场办结 after 申请 (that day), 会议召开次日 (the next)."""
    event = _event(m)
    if event is None:
        return None
    n = "1" if m["same"] in ("次日", "第二天", "翌日") else "0"
    return [{"kind": "relative", "trigger": event, "offset": ctx.offset(n, "日")}]


@construction(TRIGGER_TEXT + r"(?:之日起|之日后|后)(?:要|应|须)?(?:及时|即时|立即|立刻|马上)")
def promptly_after_trigger(ctx: Context, m: re.Match) -> list[Rule] | None:
    """审批或核准后及时公开, 号码变更后要及时更新, 发现问题后立即整改: the plan's 及时 (20 working
    days by default)."""
    event = _event(m)
    if event is None:
        return None
    return [{"kind": "relative", "trigger": event}]


@construction(r"(?:原则上)?(?:应|要|须)?与(?P<doc>[^,;。与、]{1,20}?)" + one_of(IN_STEP_WORDS)
              + r"(?P<verb>" + "|".join(PUBLISH_VERBS) + ")")
def in_step_with_document(ctx: Context, m: re.Match) -> list[Rule]:
    """与政策文件同步发布, 原则上与文件同步公开: on the day the document is published
    (a later 不超过N个工作日 gives the limit).

    Only publishing: "与解读材料同步组织、同步审签" is how the work is done.
    """
    return [{"kind": "relative", "trigger": trigger(m["doc"]) + m["verb"],
             "offset": {"n": 0, "unit": "day"}, "_in_step": True}]


@construction(
    one_of(SPAN_WORDS) + r"?(?:原则上)?" + one_of(AT_LATEST_WORDS) + "?" + one_of(NOT_MORE_WORDS) + r"超过"
    r"(?P<n>" + COUNT + ")(?P<unit>" + units(UNTRIGGERED_UNITS) + ")"
)
def at_most(ctx: Context, m: re.Match) -> list[Rule] | None:
    """(与文件同步公开，)最迟不超过3个工作日, 时间跨度不超过5个工作日: the limit of the
    event named before it; alone, after the task's own event."""
    offset = ctx.offset(m["n"], m["unit"])
    before = _limit_before(ctx)
    if before is not None and before.get("_in_step"):
        before["offset"] = offset
        return []
    if ctx.prose:
        return None  # "每次不超过2小时" in requirement text is how long, not by when
    return [{"kind": "relative", "trigger": "事件发生", "offset": offset}]


@construction(r"(?<![接对期招款虐看善亟有优厚])待(?![遇办业命岗定])(?P<trig>[^;。]{2,60}?)(?:后|之后|以后)"
              r"(?![顾续期勤台方备来面果患])")
def waiting_on(ctx: Context, m: re.Match) -> list[Rule]:
    """待省出台具体规定后, 待省“民生地图”系统权限开放后: waits on an outside event.  Not 待 inside
    a word (待遇, 接待, 期待, 亟待), and not up to a 后 that begins one (后顾之忧, 后续): "待遇适当、
    无后顾之忧" waits on nothing."""
    return [{"kind": "pending", "trigger": trigger(m["trig"])}]


@construction(r"按(?:照)?(?P<trig>[^;。,]{2,40}?" + one_of(AS_REQUIRED_WORDS) + ")" + one_of(AS_REQUIRED_VERBS) + "?")
def as_required(ctx: Context, m: re.Match) -> list[Rule] | None:
    """按上级相关部门的部署完成, 按环保部修订发布后的时间要求完成: waits on what is required.

    Inside requirement text "按照新闻发布有关规定" says how the work is done, not
    when, and "按照省委部署，…" its grounds; only a 部署/安排 or a named 时间/时限
    followed by what is to be done (按上级部署完成) is something to wait for there.
    """
    if ctx.prose and (not re.search("|".join(AS_REQUIRED_WAITS), m["trig"])
                      or not m.group().endswith(AS_REQUIRED_VERBS)):
        # "按照省委部署，现就…" gives the grounds of a text; "按上级部署完成" waits on it.
        return None
    return [{"kind": "pending", "trigger": m["trig"]}]


# -- fixed dates -------------------------------------------------------------------------------


@construction(
    Y + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + RANGE + r"(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日" + BEFORE
    + "?" + ROLL
)
def date_range(ctx: Context, m: re.Match) -> list[Rule]:
    """2015年3月15日至4月20日, 3月15日至20日, 9月15日-25日, 9月15日—9月25日: due on the last day,
    the window opening on the first."""
    y = ctx.year_of(m)
    start = make_date(y, month(int(m["m"])), int(m["d"]))
    y2 = ctx.written_year(m["y2"]) if m["y2"] else y
    due = make_date(y2, month(int(m["m2"] or m["m"])), int(m["d2"]))
    return [{"kind": "absolute", "date": due, "start": start}]


@construction(Y + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + RANGE + r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:底|末|份)?(?![\d上中下])"
              + BEFORE + "?")
def day_to_month_range(ctx: Context, m: re.Match) -> list[Rule]:
    """5月15日至11月底, 2015年3月15日至6月: due at the end of the last month, the window opening
    on the first day (not two limits: the first day is when the work starts)."""
    y = ctx.year_of(m)
    start = make_date(y, month(int(m["m"])), int(m["d"]))
    y2 = ctx.written_year(m["y2"]) if m["y2"] else y
    due = month_end(y2, month(int(m["m2"])))
    if due < start:
        raise Impossible(f"the range ends {due} before it starts {start}")
    return [{"kind": "absolute", "date": due, "start": start}]


@construction(Y + r"(?P<m>\d{1,2})月" + RANGE + r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:底|末)?" + BEFORE + "?")
def month_range(ctx: Context, m: re.Match) -> list[Rule]:
    """2015年3月至6月, 2015年11月至2016年2月, 2024年3月—4月: due at the end of the last month."""
    y = ctx.year_of(m)
    y2 = ctx.written_year(m["y2"]) if m["y2"] else y
    start = date(y, month(int(m["m"])), 1)
    due = month_end(y2, month(int(m["m2"])))
    if due < start:
        raise Impossible(f"the range ends {due} before it starts {start}")
    return [{"kind": "absolute", "date": due, "start": start}]


_ALT_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日", re.ASCII)


@construction(r"(?<![于在到])(?:\d{4}年)?\d{1,2}月\d{1,2}日" + PRINTED)
def printed_on(ctx: Context, m: re.Match) -> list[Rule]:
    """2021年8月16日印发, 2021年8月16日印: the day a document was printed or signed (the foot of
    minutes), no limit; a limit to print one is written with 前 (于3月1日前印发)."""
    return []


@construction(Y + r"(?P<m>\d{1,2})月(?:(?P<d1>\d{1,2})" + RANGE + r")?(?P<d>\d{1,2})日" + CLOCK + "?" + BEFORE + "?" + ROLL + ALT)
def full_date(ctx: Context, m: re.Match) -> list[Rule]:
    """9月10日前, 2016年4月30日前, 3月15-20日, 6月30日24时前 (the whole day), 9月2日10时前,
    2015年7月31日前（另一读法：2015年6月30日前）."""
    y = ctx.year_of(m)
    day = make_date(y, month(int(m["m"])), int(m["d"]))
    rule = _timed({"kind": "absolute", "date": day}, m)
    if m["d1"]:
        rule["start"] = make_date(y, day.month, int(m["d1"]))
    if m["alt"]:
        alt = _ALT_DATE.search(normalize(m["alt"]))
        if alt:
            rule["ambiguous"] = True
            rule["alternative"] = make_date(ctx.written_year(alt["y"]), int(alt["m"]), int(alt["d"]))
    return [rule]


@construction(
    Y + r"(?P<items>(?:\d{1,2}[、和及与])*\d{1,2}月" + MONTH_PART + r"?(?:(?:、|和|及|与|,)(?:\d{4}年)?\d{1,2}月"
    + MONTH_PART + r"?)*)(?P<before>" + BEFORE + r")?"
)
def months(ctx: Context, m: re.Match) -> list[Rule]:
    """2016年12月底前, 2015年7月、12月, 7月上旬, 7月初 (ambiguous: by the 10th, or the 5th), 7月前
    (ambiguous: by the end of July, or before it);
    11、12月, 6、7月底 (the months listed before the one that says 月 are read as it is)."""
    y = ctx.year_of(m)
    rules = []
    items = list(re.finditer(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})(?P<said>月(?P<part>" + MONTH_PART + ")?)?",
                             m["items"]))
    for k, item in enumerate(items):
        said = item if item["said"] else next(i for i in items[k + 1:] if i["said"])
        yy = ctx.written_year(item["y"]) if item["y"] else y
        mm = month(int(item["m"]))
        day = MONTH_PARTS.get(said["part"] or "底")
        rule: Rule = {"kind": "absolute", "date": date(yy, mm, day) if day > 0 else month_end(yy, mm)}
        if said["part"] == "初":
            # "6月初": early in June, read as its first ten days (上旬), flagged: its first five, as often.
            rule["ambiguous"] = True
            rule["alternative"] = date(yy, mm, 5)
        if m["before"] and said["part"] is None:
            # "7月前": by the end of July, or before July begins: both are read.
            rule["ambiguous"] = True
            rule["alternative"] = date(yy, mm, 1) - timedelta(days=1)
        rules.append(rule)
    return rules


@construction(Y + r"第?(?P<qs>(?:[1-4][、,和及与])*)(?P<q>[1-4])季度(?:末|底)?(?P<before>" + BEFORE + r")?")
def quarter(ctx: Context, m: re.Match) -> list[Rule]:
    """第三季度, 2016年第1季度末, 第2季度前 (ambiguous: by its end, or before it begins);
    第一、二季度, 三、四季度 (each of them: by the end of each)."""
    y = ctx.year_of(m)
    rules = []
    for q in sorted({int(x) for x in re.findall(r"[1-4]", m["qs"] or "")} | {int(m["q"])}):
        rule: Rule = {"kind": "absolute", "date": month_end(y, q * 3)}
        if m["before"]:
            rule["ambiguous"] = True
            rule["alternative"] = date(y, q * 3 - 2, 1) - timedelta(days=1)
        rules.append(rule)
    return rules


@construction(Y + r"(?P<h>上|下|上[、,和及与]?下)半年(?:末|底)?" + BEFORE + "?")
def half_year(ctx: Context, m: re.Match) -> list[Rule]:
    """上半年, 2016年下半年: by its last day; 上、下半年 (各一次): by the last day of each."""
    y = ctx.year_of(m)
    halves = [6, 12] if len(m["h"]) > 1 else [6 if m["h"] == "上" else 12]
    return [{"kind": "absolute", "date": month_end(y, last)} for last in halves]


@construction(Y + FESTIVAL + BEFORE)
def festival(ctx: Context, m: re.Match) -> list[Rule]:
    """(Tried before the parts of a year: 2025年中秋节 is a festival, not 2025年中.)
    春节前, 国庆节前, 2024年元旦前, 端午节放假前, 清明前: by the day before the festival's day
    (the lunar calendar's 正月初一, 五月初五, 八月十五; the solar term 清明) in the year in force;
    元旦前 without a year is the New Year's Day that ends it."""
    name = m["fest"]
    y = ctx.year_of(m)
    if name == "元旦" and not m["year"]:
        y += 1
    return [{"kind": "absolute", "date": festival_day(name, y) - timedelta(days=1)}]


def festival_day(name: str, year: int) -> date:
    """The day of a festival in a year (see :data:`FESTIVALS`)."""
    where = FESTIVALS[name]
    if where[0] == "lunar":
        from lunardate import LunarDate  # noqa: PLC0415 - only festival limits need the lunar table

        try:
            return LunarDate(year, where[1], where[2]).to_solar_date()
        except ValueError as exc:
            raise Impossible(f"no lunar calendar for {year}") from exc
    if where[0] == "term":
        import chinese_calendar  # noqa: PLC0415

        try:
            terms = chinese_calendar.get_solar_terms(date(year, 1, 1), date(year, 12, 31))
        except Exception as exc:  # noqa: BLE001 - the table ends; the limit stays unread
            raise Impossible(f"no solar terms for {year}") from exc
        return next(day for day, term in terms if term == where[1])
    return date(year, where[0], where[1])


# What goes on after 中, 初, 底, 内 or 末 when it begins a longer word (中心, 初中, 初步, 底线, 内容).
_WORD_GOES_ON = "[心间央期部学小等国共文层医步审级始稿线数容控涵端中]"


@construction(r"(?:" + YEAR + r"|(?P<next>次年|明年)|(?P<this>" + "|".join(THIS_YEAR_WORDS) + r"))?"
              r"(?P<w>年?度?" + one_of(YEAR_PART_WORDS) + ")" + r"(?!" + _WORD_GOES_ON + ")" + BEFORE + "?")
def year_part(ctx: Context, m: re.Match) -> list[Rule] | None:
    """年底前, 年内, 年初, 年中, 2016年底, 2016年内, 2016年初, 2017年度内, 次年底; not the first
    character of a longer word (2015年中心市区, 2016年初中毕业生, 2016年初步建成, 年内容)."""
    written = m["year"] or m["next"] or m["this"]
    if not written and not m["w"].startswith("年"):
        return None  # 底, 内 alone are not a year
    y = ctx.year_of(m)
    if m["w"].endswith("中"):
        if not (written or m["w"].startswith("年")) or "度" in m["w"]:
            return None
        return [{"kind": "absolute", "date": date(y, 6, 30)}]  # 年中: by the middle of the year
    if m["w"].endswith("初"):
        # "年初": early in the year; read as January, with the first quarter beside it.
        return [{"kind": "absolute", "date": date(y, 1, 31), "ambiguous": True, "alternative": date(y, 3, 31)}]
    return [{"kind": "absolute", "date": date(y, 12, 31)}]


@construction(YEAR + r"(?:度(?=$|[;,。、]|完成|前|全年)|(?=$|[;,。]|(?:基本|全面|如期|初步)?(?:完成|建成|实现)))")
def year_itself(ctx: Context, m: re.Match) -> list[Rule]:
    """2023年度 (a time-limit cell: within that year), 2023年度完成, 2022年 (a cell), 2016年基本完成."""
    if ctx.prose and not m.group().endswith("度") and not _DONE_BY_YEAR.match(m.string, m.end()):
        return None  # "2022年，全市…" in a requirement names a year, not a limit
    return [{"kind": "absolute", "date": date(ctx.year_of(m), 12, 31)}]


_DONE_BY_YEAR = re.compile(r"(?:基本|全面|如期)?(?:完成|建成|实现)")


@construction(YEAR + BEFORE + r"(?![0-9一二三四五六七八九十两后後]|个|半|季|月|年)")
def year_before(ctx: Context, m: re.Match) -> list[Rule] | None:
    """2027年前, 2025年以前: by the end of that year, or before it begins — both read, as for
    7月前 (ambiguous).  Not 2020年前后 (about then), 2025年前三季度 (a part of the year); in a
    requirement only as a limit: "2027年前全面完成", not "对2019年前建成的小区…" (which names
    what was built before it)."""
    y = ctx.year_of(m)
    if ctx.prose:
        rest = m.string[m.end():]
        done = _DONE_BY_YEAR.match(rest)
        clause = re.split(r"[;,。，；]", rest, maxsplit=1)[0]
        if not (re.match(r"$|[;,。，；]", rest) or done and "的" not in clause) or y < (ctx.year or y):
            return None  # what was built before it (…建成投用的), or a year already past the plan's
    return [{"kind": "absolute", "date": date(y, 12, 31), "ambiguous": True, "alternative": date(y - 1, 12, 31)}]


@construction(r"(?<!\d)(?P<y1>\d{4})年?" + RANGE + YEAR + r"(?:底|末)?" + BEFORE + "?")
def year_range(ctx: Context, m: re.Match) -> list[Rule]:
    """2021-2025年, 2018—2020年, 2021年至2025年: by the end of the last year, from the start of the first
    (in a requirement only as a limit: 2021-2025年底前, 2021-2025年完成, not 实施2021-2025年…规划)."""
    if ctx.prose and not (m.group().endswith(("底", "末", "前")) or _DONE_BY_YEAR.match(m.string, m.end())):
        return None
    first, last = ctx.written_year(m["y1"]), ctx.year_of(m)
    if last < first:
        raise Impossible(f"the years run backwards: {first}-{last}")
    return [{"kind": "absolute", "date": date(last, 12, 31), "start": date(first, 1, 1)}]


# -- limits that only make sense after another ----------------------------------------------------


@construction(r"(?:并且?|再|另)?(?:应|须|要|需)?(?:在|于)?(?P<d>\d{1,2})日" + BEFORE + ROLL)
def day_alone(ctx: Context, m: re.Match) -> list[Rule] | None:
    """于每月5日前…并于20日前, 3月5日前…20日前: a day alone is in the month of the limit
    before it (that month's 20th, or the 20th of each month of its series)."""
    day = int(m["d"])
    for rule in reversed(ctx.rules[-LOOK_BACK:]):
        if rule["kind"] == "recurring" and rule["every"] == "month" and "day" in rule:
            if not 1 <= day <= 31:
                raise Impossible(f"no such day {day}日")
            keep = {k: v for k, v in rule.items() if k not in ("day", "window_day", "text", "roll") and not k.startswith("_")}
            return [{**keep, "day": day}]
        if rule["kind"] == "absolute" and "time" not in rule and "start" not in rule:
            return [{"kind": "absolute", "date": make_date(rule["date"].year, rule["date"].month, day)}]
        if rule["kind"] != "ongoing":
            break
    return None


# A time brought down to a figure: a service's target (审批时间缩短至…, 办理时限压缩到…).  The
# time must be named before the verb: "须控制在1小时内上报" is a limit of the task.
_USUAL = re.compile(r"一般(?:为|在|是)?$")  # 一般为5日内: what is usual
_TARGET_BEFORE = re.compile(r"(?:时间|时限|用时|周期|时长)[^，,。；;]{0,6}?(?:缩短|压缩|压减|缩减|减少|减至|降至|降低)"
                            r"(?:至|到|为)?(?:平均)?$")


@construction(r"(?<![近去前续满过])(?:(?P<y>\d{4})年(?:起|开始)[,，]?)?(?:用|经过|力争用?)?(?P<n>[1-9]|10)年(?:时间|内|之内|以内)"
              r"(?![\d月])")
def term_in_years(ctx: Context, m: re.Match) -> list[Rule] | None:
    """2012年起5年内, 5年内, 用3年时间: a term of years — by the end of its last year, from the start
    of the year written (from the plan's year where none is: flagged, it may count from another).
    Not a look back (近5年内, 过去3年内)."""
    first = int(m["y"]) if m["y"] else ctx.year
    if first is None:
        return None
    rule: Rule = {"kind": "absolute", "date": date(first + int(m["n"]) - 1, 12, 31), "start": date(first, 1, 1)}
    if not m["y"]:
        rule["ambiguous"] = True
    return [rule]


@construction(r"(?:应|须|要|需)?(?:在|于)?(?:(?P<n1>" + COUNT + ")" + RANGE + r")?(?P<n>" + COUNT + ")(?P<unit>"
              + units(UNTRIGGERED_UNITS) + ")"
              + WITHIN)
def within_untriggered(ctx: Context, m: re.Match) -> list[Rule] | None:
    """应在24小时内, 5个工作日内: the plan names no event; the event is the one the task is about.

    Not after a named time brought down to it (审批时间缩短至100个工作日内, 办理时限压缩至3个
    工作日以内): that is how long a service may take, a target, not a limit of the task; left
    unread, the task flagged for a person."""
    if _TARGET_BEFORE.search(m.string, 0, m.start()):
        return None
    before = m.string[:m.start()]
    event = MEETING_HELD if before.endswith("会后") and THE_MEETING.search(before[:-1]) else "事件发生"  # 会后7日内
    rule: Rule = {"kind": "relative", "trigger": event, "offset": ctx.offset(m["n"], m["unit"])}
    if _USUAL.search(before):
        rule["ambiguous"] = True  # "规定的期限内(一般为5日内)": what is usual; the limit is set elsewhere
    if m["n1"]:
        rule["window"] = ctx.offset(m["n1"], m["unit"])
    return [rule]



__all__ = ["GRAMMAR", "Handler", "construction", "starts"]
