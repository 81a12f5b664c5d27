"""Reading a Chinese time limit into rules: normalise, split, scan, then settle the context.

The text is normalised (:mod:`.normalize`), split into segments at ；。 and line
breaks (and at ， outside parentheses), and each segment is scanned left to
right: at each place the constructions of :mod:`.grammar` are tried in order,
and a match becomes one or more rules, read with what came before them
(:class:`~.context.Context`).  What is left of a segment is checked for
anything that looks like a time (a number with 年/月/日/时…, 前/后 with a
number); if there is, it is kept as ``unparsed`` on an unread rule, so a
reading is never silently partial.  Last, the context is settled: a start
goes to the series after it, manner words beside a dated limit go.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import PhraseError
from ..messages import say
from ..model import Rule as RuleModel
from .context import Context, Impossible, Rule
from .grammar import GRAMMAR, starts
from .normalize import normalize
from .vocabulary import PLAN_YEARS

# "Before" an event the reader cannot date (汛期前, 开学前, 两会前, 会前): left over, it is a
# limit unread, not a word to drop; 提前, 目前, 当前, 前期 are no time, and 下班前, 中午前 a time of
# the due day.
_EVENT_BEFORE = re.compile(r"(?<![提目当此事空向往之以班午])(?:之|以)?前(?![期置端沿列提往])")
# A season or an event of the year, dated by none (每年汛期, 暑假期间), unless its months follow
# it (汛期(5-9月)每月: the months are the limit's).
_SEASON_WORDS = "汛期|入汛|雨季|旱季|暑假|寒假|开学|采暖季|供暖季|供暖期|防火期|旅游旺季"
_SEASON = re.compile(r"(" + _SEASON_WORDS + r")(?!\(?\d{1,2}月?[-—~至到])")
# Anything that looks like a time: what is left over with one of these is kept unread
# (a weekday, and a count of times, 每年4次: how often is part of the limit; 一次 is not).
_TIMEISH = re.compile(r"(?<!\d)\d+(?:年|月|日|季度|周|小时|工作日|天|时|:\d\d)|[前后内]\d|\d[-—~至到]\d|年底|年内|年末|月底"
                      r"|(?:星期|礼拜|周)[一二三四五六日天]|(?<!\d)(?:[2-9]|\d\d+)次"
                      r"|(?:编发|发布|出版|印发|刊发|报送|更新)(?:[2-9]|\d\d+)[期回]|" + _EVENT_BEFORE.pattern)
_BARE_YEARS = re.compile(r"(?:19|20)\d\d(?:[-—~至到](?:19|20)\d\d)?")
# A day a status is told on (截至9月14日, 截止到目前, 截至2023年底), and the status told: what is
# already done or under way (已办结…, 尚未…, 正在…); "累计建成…" after a year end is a plan's target.
_AS_OF = re.compile(r"(?:截至|截止到|截止|到)(?:目前|\d{4}年(?:底|末)?|(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末)?)")
_STATUS = re.compile(r"(?:全[县市区省]|各[地区县市]|我[县市区省局])?(?:已|均已|尚有|尚未|正在)")
# A part of the year and a colon opening what was done in it (a progress column's "第一季度:已完成
# 设计方案…", "1-2月份进展:12个项目已开工…"): a report, not a limit — till the next part's label.
_PERIOD_LABEL = re.compile(r"(?:\d{4}年)?(?:第?[1-4]季度|[上下]半年|\d{1,2}(?:[-—~至]\d{1,2})?月份?(?:\d{1,2}日)?|全年)"
                           r"(?P<told>进展|进度|(?:工作|完成|落实|推进|进展)情况)?[:：]")
# A limit counted from the document's own day (本月底前, 本周五前, 下周一, 月底前 with no month).
_FROM_ITS_DAY = re.compile(r"本月|本周|下周|本星期|下星期|本季度?末?|(?<![\d年])月底前|(?<![\d年])月内|(?<!\d)[月周]末前"
                           r"|周[一二三四五六日天]前")
# The day a meeting was held, and how minutes tell it (主持召开, 在…召开, 召开了, 听取).
_EVENT_DAY = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\((?:星期|周)[一二三四五六日天]\))?(?:上午|下午|晚上)?"
                        r"(?:\d{1,2}(?::\d\d|时))?(?![前后内底止起\d])")
_HELD = re.compile(r"主持|召集|听取|出席|(?:召开|举行)了")
# ... or, a day told with its part (上午, 下午), the place it was held at (9月1日下午，在区政府召开).
_HELD_AT = re.compile(r"在[^,;。]{1,30}(?:召开|举行)")
_ROLL_ALONE = re.compile(r"\(?(?:如|若)?遇(?:法定)?节假日(?:则)?顺延\)?")
_CLARIFY = re.compile(r"\((?:分别)?(?:在|为|于)?(?P<inner>[^()]*)\)")
_SEPARATOR = re.compile(r"[();。,]")
# A part that sets a condition on the limit before it (视情况而定, 根据进度调整) is kept unread.
_CONDITION = re.compile(r"视|根据|依据|按照|待|如|若|另行|届时|具体|以")
_DIGIT = re.compile(r"\d")
_ITEM_MARK = re.compile(r"^\(\d{1,2}\)(?=\S)")
# A document's title (《2022年<政府工作报告>重点任务落实推进情况表》) names a
# document, not a time: no construction starts inside it, and a year in it is
# not a time left unread.
_TITLE = re.compile(r"《[^《》]*》")
# In requirement text a slogan in quotes, a list of short phrases (“年初建账、逐月查账、年底交账”),
# names a way of working, not limits: no construction starts inside it either.
_SLOGAN = re.compile(r"“[^“”\d]{2,20}、[^“”\d]{2,60}”")
RULE = TypeAdapter(RuleModel)  # one rule checked against the model (built once: it costs milliseconds)


def read(text: str, *, year: int | None, issued: date | None = None, prose: bool = False) -> list[Rule]:
    """Rules (as dicts) for a time-limit text; see :func:`deadlines.parse_phrase`.

    A date without a year is in ``year``, or else in the year of ``issued``.
    """
    if year is None and issued is not None:
        year = issued.year
    if year is not None and not (isinstance(year, int) and PLAN_YEARS[0] <= year <= PLAN_YEARS[1]):
        raise PhraseError(text, say("plan_year_out_of_range", year=repr(year), low=PLAN_YEARS[0], high=PLAN_YEARS[1]))
    ctx = Context(year=year, text=text, prose=prose)
    norm = normalize(text)
    if not prose and _BARE_YEARS.fullmatch(norm):
        norm += "年"  # a time-limit cell of a year alone, in figures: 2024, 2024-2025
    unread: list[str] = []
    parts = _segments(norm)
    segments = [segment for segment, _ in parts]
    limit_before = False  # the part before is a limit read ("2月上旬前")
    reporting = False  # in what a part of the year's label reports as done (第一季度:已完成…)
    for k, (segment, after_comma) in enumerate(parts):
        action = after_comma and limit_before
        limit_before = False
        label = _PERIOD_LABEL.match(segment)
        if label:
            reporting = bool(label["told"] or _STATUS.match(segment[label.end():].strip()))
        if reporting:
            if not prose:  # a report in a limit's cell: kept unread
                unread.append(segment)
            continue
        if _EVENT_DAY.match(segment) and held_on(segment, segments[k + 1] if k + 1 < len(segments) else ""):
            if not prose:  # a meeting's day in a limit's cell: kept unread
                unread.append(segment)
            continue
        if k + 1 < len(segments) and tells_status(segment, segments[k + 1]):
            # "截至9月14日，已办结6件": the day a status is told on, not a limit.
            if not prose:
                unread.append(segment)
            continue
        if _ROLL_ALONE.fullmatch(segment) and ctx.rules:
            # "每月10日前，遇节假日顺延": the roll belongs to the limits before it.
            for r in ctx.rules:
                if r["kind"] in ("absolute", "recurring", "relative"):
                    r["roll"] = True
            continue
        if _clarified(ctx, segment):
            continue
        found, rest, read_any = _scan(ctx, segment)
        for r in found:
            r["_part"] = k  # the part of the text it was read in (see _drop_manner_words)
        undated = not prose and _undated_event(segment, rest)
        if undated and _drop_bare_series(ctx, found):
            read_any = False  # "每年汛期前": each year, by a day not read; the year's end was never said
        if (not prose and not read_any and action and not _DIGIT.search(segment) and not _TIMEISH.search(segment)
                and not _CONDITION.match(segment)):
            limit_before = True  # "3月底前，召开会议，压实责任": each what is to be done by it
            continue  # "①2月上旬前，完成设计招标。": what is to be done by the limit before it, no limit unread
        if not prose:
            rest = _counted_by_dates(rest, found)
        if not prose and (not read_any or undated or _TIMEISH.search(_TITLE.sub("", rest))):
            unread.append(segment if not read_any else rest)
            limit_before = action and not read_any  # "3月底前，明确2023年目标，压实责任": the run goes on
        else:
            limit_before = read_any and not undated
    if prose:  # prose leaves its other words unread, but a date that cannot exist is a limit written wrong
        unread += list(dict.fromkeys(ctx.impossible))
    _drop_manner_words(ctx.rules)
    ctx.rules[:] = [r for r in ctx.rules if not r.get("_drop")]
    _drop_days_of_the_series(ctx.rules, norm)
    _carry_starts(ctx.rules)
    _drop_bare_beside_anchored(ctx.rules)
    if prose and any(r["kind"] != "ongoing" for r in ctx.rules):
        # In requirement text a dated limit says when; "持续规范", "及时公开"
        # beside it describe the work, not a second, standing duty.
        ctx.rules[:] = [r for r in ctx.rules if r["kind"] != "ongoing" or "start" in r]
    rules = [_public(r) for r in ctx.rules]
    if not prose and not rules and not unread and norm:
        unread.append(norm)
    for piece in unread:
        rules.append({"kind": "pending", "trigger": None, "text": piece, "unparsed": piece})
    unique: dict[tuple, Rule] = {}
    for r in rules:
        unique.setdefault(_key(r), r)  # the same rule twice is one rule
    return list(unique.values())


def held_on(clause: str, after: str) -> bool:
    """Whether ``clause`` opens with the day a meeting was held and ``clause`` or ``after`` tells it
    (minutes: "2023年11月14日下午，区长主持召开…会议", "9月1日，…在区政府召开协调会"): the day is
    no limit."""
    text = normalize(clause).strip()
    m = _EVENT_DAY.match(text)
    if not m:
        return False
    told = text[m.end():] + "," + normalize(after)
    return bool(_HELD.search(told) or re.search("[上下]午|晚上", m[0]) and _HELD_AT.search(told))


# A time of the year or an event nobody dates, as the end of a task (汛期前完成…, 开学前完成…,
# 2011年三国文化周活动期间投入使用): a limit the reader cannot date.
_UNDATED_END = re.compile(r"(?:" + _SEASON_WORDS + r"|(?:活动|会议|节|展会|博览会|运动会|文化周|赛事"
                          r"|庆典|峰会|论坛|年会))(?:期间|之前|以前|前)(?![期置端沿列提往])")
_DONE_WORDS = re.compile(r"完成|建成|投入使用|投用|开放|启用|竣工|交付|上线|到位|发放|报送|办结")


def undated_limit(clause: str) -> bool:
    """Whether ``clause`` holds a limit the reader does not date: counted from the day of the
    document it is in (本周五前, 力争月底前, 下周一, 本月内), or the end of a task by a season or an
    event nobody dates (汛期前完成清淤, 文化周活动期间投入使用).  In a cell it is left unread; in
    prose the caller names it for review, never drops it."""
    text = normalize(clause)
    return bool(_FROM_ITS_DAY.search(text) or _UNDATED_END.search(text) and _DONE_WORDS.search(text))


def tells_status(clause: str, after: str) -> bool:
    """Whether ``clause`` is the day a status is told on and ``after`` the status: 截至9月14日 /
    已办结6件 (what is already done or under way), so that the day is no limit."""
    return bool(_AS_OF.fullmatch(normalize(clause).strip()) and _STATUS.match(normalize(after).strip()))


# -- segments and scanning ----------------------------------------------------------------


def _segments(text: str) -> list[tuple[str, bool]]:
    """Split at ; 。 and at , outside parentheses; each part with whether a comma joins it to
    the part before.  A part's leading item mark ("(2)3月底前", from ② too) is no part of it."""
    out, depth, start, comma = [], 0, 0, False
    for m in _SEPARATOR.finditer(text):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c in ";。" or depth == 0:
            out.append((text[start : m.start()], comma))
            start, comma = m.end(), c == ","
    out.append((text[start:], comma))
    parts = [(_ITEM_MARK.sub("", part.strip()), comma) for part, comma in out]
    return [(part, comma) for part, comma in parts if part]


def _scan(ctx: Context, segment: str) -> tuple[list[Rule], str, bool]:
    """All constructions in a segment, left to right; what is left over; and
    whether any construction was read (one may only refine earlier rules).

    The rules found are added to ``ctx.rules`` as they are read (a later limit
    may refine an earlier one) and returned.
    """
    rules: list[Rule] = []
    left: list[str] = []
    read_any = False
    last = 0  # where the words since the last match begin: "中考" in "中考3月高考11月"
    i = 0
    anywhere = starts()
    titles = [t.span() for t in _TITLE.finditer(segment)]
    if ctx.prose:
        titles += [t.span() for t in _SLOGAN.finditer(segment)]
    while i < len(segment):
        # The next place where some construction may begin: one pass of the
        # regex engine instead of trying each construction at each character.
        next_start = anywhere.search(segment, i)
        j = next_start.start() if next_start else len(segment)
        inside = next((end for begin, end in titles if begin < j < end), None)
        if inside is not None:
            j = inside
        left.extend(segment[i:j])
        i = j
        if i == len(segment):
            break
        if inside is not None:
            continue
        ctx.label, ctx.label_year = segment[last:i], False
        for pattern, handler in GRAMMAR:
            m = pattern.match(segment, i)
            if not m or m.end() == i:
                continue
            try:
                found = handler(ctx, m)
                if found is None:
                    continue  # only the look of this construction: try the next
                _checked(found)
            except Impossible:
                # The shape of a date that does not exist: all of it stays unread.
                left.append(segment[i : m.end()])
                ctx.impossible.append(segment[i : m.end()])
                i = last = m.end()
                break
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


def _checked(found: list[Rule]) -> None:
    """Each rule of one construction checked against the model: one that
    cannot exist (每月0日, a window after its due) leaves the text unread."""
    for rule in found:
        try:
            RULE.validate_python(_public(rule))
        except ValidationError as exc:
            raise Impossible(exc.errors()[0]["msg"]) from None


def _clarified(ctx: Context, segment: str) -> bool:
    """'每季度末(分别在6月、9月和12月底)': the dates in the parentheses are what is meant."""
    m = _CLARIFY.search(segment)
    if not m or not re.search(r"\d月", m["inner"]):
        return False
    before = segment[: m.start()]
    if "每" not in before or not re.search(r"[末底]$", before) or re.search(r"\d[-—~至到]\d", m["inner"]):
        return False
    mark = len(ctx.rules)
    rules, rest, _ = _scan(ctx, m["inner"])
    if not rules or any(r["kind"] != "absolute" for r in rules) or _TIMEISH.search(_TITLE.sub("", rest)):
        del ctx.rules[mark:]
        return False
    for r in rules:
        r["text"] = segment
    return True


# -- settling the context ---------------------------------------------------------------------


_IN_TIMES = re.compile(r"分(\d+)次")


def _counted_by_dates(rest: str, found: list[Rule]) -> str:
    """``rest`` without '分四次' where the part read as many dates ("务于4月25日、6月25日、9月25日、
    12月25日前分四次向市政府报告"): the count says the dates again, it is no time left unread."""
    m = _IN_TIMES.search(rest)
    if m and int(m[1]) == sum(1 for r in found if r["kind"] == "absolute"):
        return rest[:m.start()] + rest[m.end():]
    return rest


def _drop_days_of_the_series(rules: list[Rule], text: str) -> None:
    """'每月25日前报送(其中,3月25日、6月25日前报告季度进展情况)': the days after 其中 are days the
    monthly series already gives (what is due on them is more, not another due): they are not
    read again as one-off dates (each was a second event on the series' day)."""
    of_which = text.find("其中")
    if of_which < 0:
        return
    days = {r.get("day", -1) for r in rules if r["kind"] == "recurring" and r["every"] == "month"  # no day: its end
            and r.get("interval", 1) == 1
            and not any(k in r for k in ("after_end", "workday", "weekday", "months", "start", "end", "time"))}
    if not days:
        return
    def given(r: Rule) -> bool:  # a one-off date after 其中 on a day of the series
        at = text.find(r.get("text") or "\0")
        return (r["kind"] == "absolute" and not any(k in r for k in ("start", "time", "ambiguous"))
                and at >= 0 and at + len(r["text"]) > of_which
                and (r["date"].day in days or -1 in days and (r["date"] + timedelta(days=1)).day == 1))

    rules[:] = [r for r in rules if not given(r)]


def _drop_manner_words(rules: list[Rule]) -> None:
    """定期, 及时, 立即 say how a duty is kept, not another duty, beside a dated limit read in
    their part of the text ("流行季节（4—10 月）每月定期发布" is the monthly series alone) or
    before one ("能立即整改的要立即整改,…并于9月15日前报…" is the date alone); after the
    last date a manner goes on past it ("…底前完成，后续不定期进行调整").  Marked here,
    taken out with the rest."""
    dated = {r.get("_part") for r in rules if r["kind"] != "ongoing"}
    later = False  # a dated limit comes after
    for r in reversed(rules):
        if r["kind"] != "ongoing":
            later = True
        elif r.get("_manner") and (later or r.get("_part") in dated):
            r["_drop"] = True


def _undated_event(segment: str, rest: str) -> bool:
    """Whether what is left of a segment names a time the reader cannot date: before an event
    (汛期前, 开学前), or a season (每年汛期) whose months the segment does not give."""
    return bool(_EVENT_BEFORE.search(rest)) or any(m[1] in rest for m in _SEASON.finditer(segment))


def _drop_bare_series(ctx: Context, found: list[Rule]) -> bool:
    """Take out the series of this segment that name a period and nothing in it ("每年" of
    "每年汛期前"): with an event left unread beside it, the period's end is not the limit.
    True when the segment has no other rule (all of it is then kept unread)."""
    bare = [r for r in found if r["kind"] == "recurring" and not _bare_keys(r)]
    ids = {id(r) for r in bare}
    ctx.rules[:] = [r for r in ctx.rules if id(r) not in ids]
    return bool(bare) and len(bare) == len(found)


def _drop_bare_beside_anchored(rules: list[Rule]) -> None:
    """"每月报送一篇…，每月25日前报…": how often, then by when: one series, the one with its day.
    A series naming only its period goes where another of the same period names the day in it."""
    def period(r: Rule) -> tuple:
        return r["every"], r.get("interval", 1), r.get("start")

    anchored = {period(r) for r in rules if r["kind"] == "recurring" and _bare_keys(r) - {"start"}}
    rules[:] = [r for r in rules if not (r["kind"] == "recurring" and not _bare_keys(r) - {"start"}
                                         and period(r) in anchored)]


def _bare_keys(rule: Rule) -> set[str]:
    """What a series says beyond its period: every key but its kind, period, interval and text
    (a start is one: 2022年3月起每月 is no bare 每月)."""
    return set(_public(rule)) - {"kind", "every", "interval", "text"}


def _carry_starts(rules: list[Rule]) -> None:
    """"从2022年3月起，务于每月25日前": the start belongs to the series after it,
    which begins there; the start is then no duty of its own."""
    for rule in [r for r in rules if r["kind"] == "ongoing" and "start" in r and r.get("_from")]:
        at = next(k for k, r in enumerate(rules) if r is rule)
        later = [r for r in rules[at:] if r["kind"] == "recurring" and "start" not in r]
        for r in later:
            r["start"] = rule["start"]
        if later:
            del rules[at]


def _public(rule: Rule) -> Rule:
    """A rule without the reader's own notes (keys starting with _)."""
    return {k: v for k, v in rule.items() if not k.startswith("_")}


def _key(value: Any) -> Any:
    """A rule dict as something hashable (its lists and dicts as tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    return value
