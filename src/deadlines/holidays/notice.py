"""Reading the State Council's holiday notice into the days it sets.

《国务院办公厅关于YYYY年部分节假日安排的通知》 is a short, regular text: one
item per holiday, each a sentence of rest days and a sentence of 调休 working
days.  Since 2008 it has been written in these forms, all read here::

    一、元旦：1月1日放假，与周末连休。                         (2016)
    三、清明节：4月5日放假，4月7日（星期一）补休。             (2014)
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）
        放假调休，共9天。2月14日（周六）、2月28日（周六）上班。 (2026)
    一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。
        2018年12月29日（星期六）上班。                          (a year end)
    六、中秋节、国庆节：10月1日至8日放假调休，共8天。           (two in one)
    其中，1月1日（星期四、新年）为法定节假日……1月4日（星期日）公休日调至
        1月2日（星期五）。1月4日（星期日）上班。                (2009, long form)

and the notices that change a year after it was published: a new holiday
(国发明电〔2015〕1号), a holiday set anew (国办发明电〔2019〕3号 "调整…劳动节"),
a holiday extended (国办发明电〔2020〕1号 "延长2020年春节假期至2月2日…2月3日起正常
上班").

Copies from mirror sites carry noise: ASCII runs between and around lines
(Discuz and PHPWind anti-copy text), traditional characters with inline pinyin
("國(guó)務院", "(ri)(qi)"), full-width or ASCII punctuation.  The noise is removed
by rule (ASCII-only runs carry no date of a Chinese notice), traditional text
goes through OpenCC, and then every date must be accounted for: a date the
reader cannot place is an error naming its line, never a guess.  The reader
checks what it read: the days a sentence states ("共9天") equal the days it
lists, every 上班 day is a Saturday or Sunday, every weekday written beside a
date ("（星期六）") is that date's, a holiday's rest days are consecutive and
lie where that holiday can fall, all seven holidays are there, and a copy cut
off in the middle of a sentence is reported as cut off.

Pure: text in, :class:`NoticeReading` out; no files, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Iterable, Literal

from ..chinese import strip_pinyin, t2s
from ..errors import DeadlineError
from ..messages import say as message

_ONE = timedelta(days=1)
WEEKDAY_NAMES = "一二三四五六日"


# --------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Holiday:
    """One item of a notice: a holiday's rest days and its 调休 working days.

    ``rest`` is every day of the holiday, weekends included, first to last;
    ``working`` the Saturdays and Sundays that become working days.  In a
    supplement, ``change`` says how it applies to the year's data: ``set`` (the
    holiday as given here, new or replacing the earlier arrangement) or
    ``extend`` (the earlier holiday runs on to ``rest[-1]``).
    """

    name: str  # as the notice writes it: "中秋节、国庆节"
    names: tuple[str, ...]  # canonical: ("中秋节", "国庆节")
    rest: tuple[date, ...]
    working: tuple[date, ...]
    line: int
    text: str
    stated_days: int | None = None
    change: Literal["set", "extend"] = "set"

    @property
    def rest_weekdays(self) -> tuple[date, ...]:
        return tuple(d for d in self.rest if d.weekday() < 5)


@dataclass(frozen=True)
class NoticeReading:
    """What a notice says: its year, number, date and every holiday it sets.

    ``kind`` is ``yearly`` (the yearly notice) or ``supplement`` (a later notice
    that changes one year).  ``rest_days`` and ``working_days`` are the two
    lists of the JSON contract: weekday rest days and weekend working days.
    """

    year: int
    kind: Literal["yearly", "supplement"]
    document_number: str | None
    issued: date | None
    title: str | None
    issuer: str | None
    holidays: tuple[Holiday, ...]
    url: str = ""
    source: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def rest_days(self) -> list[date]:
        return sorted({d for h in self.holidays for d in h.rest_weekdays})

    @property
    def working_days(self) -> list[date]:
        return sorted({d for h in self.holidays for d in h.working})

    @property
    def label(self) -> str:
        """How the notice is named in files and messages: its number, else its title, else its source."""
        return self.document_number or self.title or self.source or f"{self.year}年节假日安排"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


class NoticeError(DeadlineError):
    """A notice that cannot be read as complete: names the file and line.

    ``problems`` lists every problem found; ``reading`` is what could be read
    (the items without problems), or None when not even the year is known.
    """

    def __init__(self, source: str, problems: list[Problem], reading: NoticeReading | None = None):
        self.source = source
        self.problems = problems
        self.reading = reading
        first = problems[0]
        self.line = first.line or None
        where = f"{source}:{first.line}" if first.line else source
        more = message("and_more", n=len(problems) - 1) if len(problems) > 1 else ""
        super().__init__(f"{where}: {first.message}{more}")


class NoticeIncomplete(NoticeError):
    """A copy cut off before its end, or missing a holiday: what it has is in ``reading``."""


# --------------------------------------------------------------------------
# Vocabulary (package data: deadlines/data/holiday_notice.yaml)


@dataclass(frozen=True)
class _Vocabulary:
    canonical: tuple[str, ...]
    alias: dict[str, str]
    windows: dict[str, tuple[tuple[int, int], tuple[int, int]]]
    working_within: int
    names_re: str


@cache
def vocabulary() -> _Vocabulary:
    import json
    from importlib import resources

    from ruamel.yaml import YAML

    text = resources.files("deadlines").joinpath("data/holiday_notice.yaml").read_text("utf-8")
    data = json.loads(json.dumps(YAML(typ="safe", pure=True).load(text), default=str))
    canonical, alias, windows = [], {}, {}
    for entry in data["holidays"]:
        name = entry["name"]
        canonical.append(name)
        for spelling in [name, *entry["aliases"]]:
            alias[spelling] = name
        first, last = (tuple(int(x) for x in str(w).split("-")) for w in entry["window"])
        windows[name] = (first, last)
    spellings = sorted(alias, key=len, reverse=True)
    return _Vocabulary(tuple(canonical), alias, windows, int(data["working_days_within"]),
                       "(?:" + "|".join(map(re.escape, spellings)) + ")")


def canonical_name(name: str) -> str:
    """元旦, 春节, 清明节, … for any spelling the notices use; other names as given."""
    return vocabulary().alias.get(name, name)


def split_names(name: str) -> tuple[str, ...]:
    """("中秋节", "国庆节") for "国庆节、中秋节"; canonical, in the order written."""
    parts = [p for p in re.split(r"[、和与及,]", name) if p]
    return tuple(canonical_name(p) for p in parts) or (name,)


# --------------------------------------------------------------------------
# Cleaning a line: noise out, simplified characters, one punctuation


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\u25cb\uff01-\uff5e"
_HAS_CJK = re.compile(f"[{_CJK}]")
_QUOTES = re.compile(r"[“”\"‘’'「」『』]")
_DIGIT_UNIT = re.compile(r"(\d)\s+(?=[年月日天号])")
_UNIT_DIGIT = re.compile(r"(?<=[年月至到、])\s+(?=\d{1,2}\s*[月日])")
# A leading ASCII run glued to the text: noise when it holds a letter or a symbol
# no notice uses, and is not the number of a date ("2012年").
_LEADING_JUNK = re.compile(r"^[\x21-\x7e]*?[A-Za-z{}\[\]<>|\\^`~$%&*+=#@!?/_][\x21-\x7e]*?(?=[\u3400-\u9fff])")
_TRAILING_JUNK = re.compile(r"(?<=[。;；])[\x21-\x7e]+$")




def clean_line(line: str) -> str:
    """One line of a saved notice as plain simplified Chinese with ASCII punctuation, noise removed."""
    s = unicodedata.normalize("NFKC", line)
    s = strip_pinyin(s)  # 國(guó), 日(ri): deadlines.chinese
    if not _HAS_CJK.search(s):
        return ""
    s = t2s().convert(s)
    s = _QUOTES.sub("", s)
    s = _DIGIT_UNIT.sub(r"\1", s)
    s = _UNIT_DIGIT.sub("", s)
    kept = []
    for token in s.split():
        if not _HAS_CJK.search(token):
            continue  # an ASCII-only run: noise, never part of a Chinese notice's dates
        token = _LEADING_JUNK.sub("", token)
        token = _TRAILING_JUNK.sub("", token)
        kept.append(token)
    return "".join(kept)


# --------------------------------------------------------------------------
# Dates as written


_DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?P<note>\([^()]*\))?"
)
_RANGE_SEP = "至到—–~―-"
_DAMAGED = re.compile(r"(?<![\d一二三四五六七八九十正腊冬闰])月\d{1,2}日")
_WEEKDAY_NOTE = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_ZH_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0}
_ZH_DATE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_ARABIC_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_COUNT_ZH = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _zh_number(text: str) -> int:
    """1–31 written 一 … 三十一."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_COUNT_ZH[tens] if tens else 1) * 10 + (_COUNT_ZH[ones] if ones else 0)
    return _COUNT_ZH[text]


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _zh_number(text)


def parse_written_date(text: str) -> date | None:
    """"2025年11月4日" or "二〇一一年十二月五日" as a date; None if it is not one."""
    m = _ARABIC_DATE.match(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _ZH_DATE.match(text)
        if m:
            year = int("".join(str(_ZH_DIGITS[c]) for c in m[1]))
            return date(year, _zh_number(m[2]), _zh_number(m[3]))
    except (ValueError, KeyError):
        return None
    return None


# --------------------------------------------------------------------------
# Structure: head, items, closing


_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.．]"
_DOC_NO = re.compile(r"(国办发明电|国发明电|国办发|国发|国办函)[〔\[(【](\d{4})[〕\])】](\d+)号")
_ADDRESSEES = re.compile(r"^各省、自治区")
_ISSUER = re.compile(r"^(国务院办公厅|国务院)(.*)$")
_CLOSING = re.compile(r"^(?:节假日期间|调休放假期间|鼓励单位和个人|.{0,8}期间,各地区)")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    names = vocabulary().names_re
    group = f"(?P<names>{names}(?:[、和与及]{names})*)"
    return {
        # "一、元旦：…", "三、清明节4月4日至6日…", "六、国庆节、中秋节10月1日…", "一、元旦:" (dates on the
        # next line); a name alone on a line without a number is no item (a page's menu: "春节")
        "item": re.compile(rf"^(?P<num>{_NUMBERING})?\s*{group}\s*(?::|(?=\d)|(?=延长)|(?(num)$|(?!)))"),
        # several items on one line ("元旦:1月1日至3日放假调休,共3天。…上班。春节:2月18日…"): one per line
        "next_item": re.compile(rf"(?<=[。,;:])\s*(?=(?:{_NUMBERING})?\s*{names}(?:[、和与及]{names})*\s*:)"),
        # 2008's newspaper rewrite: "元旦放假3天" as a heading
        "heading": re.compile(rf"^{group}放假(?P<n>\d+|[一二三四五六七八九十]+)天$"),
        # a numbered item with no holiday name: "一、2019年5月1日至4日…", "一、延长2020年春节假期…"
        "unnamed": re.compile(rf"^{_NUMBERING}\s*(?=\d{{4}}年|\d{{1,2}}月|延长)"),
        # any other numbered item ends the one before it
        "numbered": re.compile(rf"^{_NUMBERING}"),
        "yearly": re.compile(r"(\d{4})年部分节假日安排|现将(\d{4})年元旦|(\d{4})年,?元旦、春节"),
        "title": re.compile(r"国务院(?:办公厅)?关于.{2,80}?的通知"),
        "replace": re.compile(rf"调整(?P<y>\d{{4}})年(?P<names>{names})(?:假期|放假)"),
        "extend": re.compile(rf"延长(?P<y>\d{{4}})年(?P<names>{names})假期"),
        "special": re.compile(r"关于(?P<names>.+?)(?:调休放假|放假调休|放假)的通知"),
        "year": re.compile(r"(\d{4})年"),
        "clause_extend": re.compile(rf"^延长(?:\d{{4}}年)?(?P<names>{names})假期至(?P<l>{D})$"),
    }


@dataclass
class _Segment:
    """Text gathered from consecutive lines, with the line each character came from."""

    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.lines)

    @property
    def first_line(self) -> int:
        return self.lines[0][0] if self.lines else 0

    def line_at(self, offset: int) -> int:
        pos = 0
        for no, text in self.lines:
            pos += len(text)
            if offset < pos:
                return no
        return self.lines[-1][0] if self.lines else 0


@dataclass
class _Item:
    start: int
    names: tuple[str, ...]  # canonical; () when the item names none
    name: str  # as written
    heading_count: int | None
    body: _Segment
    other: bool = False  # a numbered item that is no holiday ("二、各地大专院校…")
    heading: str = ""  # the item's own words before its dates ("一、元旦:")


# --------------------------------------------------------------------------
# Clauses


D, R = "\ue000", "\ue001"  # placeholders for a date and a range in a clause's skeleton
_LIST = f"[{D}{R}](?:[、和及与]?[{D}{R}])*"
_CLAUSES: list[tuple[str, re.Pattern[str]]] = [
    ("rest", re.compile(rf"^(?:其中)?(?P<l>{_LIST})(?:全国)?(?:放假调休|放假公休|调休放假|放假)(?:(?P<n>\d+|[一二三四五六七八九十]+)天)?$")),
    ("lieu", re.compile(rf"^(?:其中)?(?P<l>{_LIST})(?:补休|调休)$")),
    ("work", re.compile(rf"^(?:其中)?(?P<l>{_LIST})上班$")),
    ("statutory", re.compile(rf"^(?:其中)?(?P<l>{_LIST})为[^{D}{R}]{{0,6}}法定(?:节假日|假日)$")),
    ("weekend", re.compile(rf"^(?:其中)?(?P<l>{_LIST})(?:为公休日|照常公休)$")),
    ("move", re.compile(rf"^(?:其中)?将?(?P<l>{_LIST})(?:[两二三四]个)?公休日调至(?P<b>{_LIST})$")),
    ("resume", re.compile(rf"^(?P<l>{D})起(?:正常)?上班$")),
]
_NO_DATE = [
    ("count", re.compile(r"^共计?(?P<n>\d+|[一二三四五六七八九十]+)天$")),
    ("with_weekend", re.compile(r"^与周末连休$")),
]
# Dates a preamble may carry that are no rest or working day: a news dateline
# ("新华社北京1月27日电"), a publication ("12月1日发布"), a principle ("自2025年1月1日起"),
# a page's facts ("成文日期:2025年11月04日", "发布时间:…", "2009年12月08日 14:02 来源:…", a date alone).
_PREAMBLE_DATES = re.compile(
    rf"{D}电|{D}发布|自{D}起|(?:成文|发布|发文|印发|更新|公布)?(?:日期|时间)[:：]?{D}|{D}(?=.{{0,30}}来源)|^{D}$"
)


@dataclass
class _Written:
    """A date as written in a clause: the date and the text it came from."""

    day: date
    text: str
    offset: int


@dataclass
class _Group:
    """A rest statement and what qualifies it ("共3天", "与周末连休")."""

    days: set[date]
    count: int | None
    offset: int


class _ItemReader:
    """Reads one item's text into a :class:`Holiday`, collecting problems."""

    def __init__(self, reader: _Reader, item: _Item, names: tuple[str, ...], name: str):
        self.reader = reader
        self.item = item
        self.names = names
        self.name = name or "、".join(names)
        self.rest: set[date] = set()
        self.working: set[date] = set()
        self.must_rest: list[tuple[date, str, int]] = []
        self.groups: list[_Group] = []
        self.count: int | None = item.heading_count
        self.extend_to: date | None = None
        self.resume: tuple[date, int] | None = None
        self.month: int | None = None
        self.problems: list[Problem] = []
        self.cut: tuple[int, str] | None = None

    def problem(self, offset: int, key: str, **values: object) -> None:
        self.problems.append(Problem(self.item.body.line_at(offset), message(key, **values)))

    # -- dates --------------------------------------------------------------

    def dates(self, text: str, base: int) -> tuple[str, list[list[_Written]]] | None:
        """The clause's skeleton (dates → D, ranges → R) and its dates, one list per D or R."""
        found: list[list[_Written]] = []
        out: list[str] = []
        pos = 0
        matches = list(_DATE.finditer(text))
        i = 0
        while i < len(matches):
            m = matches[i]
            out.append(text[pos:m.start()])
            first = self.resolve(m, base, None)
            if first is None:
                return None
            nxt = matches[i + 1] if i + 1 < len(matches) else None
            between = text[m.end():nxt.start()] if nxt else ""
            if nxt and len(between) == 1 and between in _RANGE_SEP:
                last = self.resolve(nxt, base, first.day)
                if last is None:
                    return None
                if last.day < first.day:
                    self.problem(base + m.start(), "bad_date", text=text[m.start():nxt.end()], reason="结束早于开始")
                    return None
                days, d = [], first.day
                while d <= last.day:
                    days.append(_Written(d, text[m.start():nxt.end()], base + m.start()))
                    d += _ONE
                found.append(days)
                out.append(R)
                pos = nxt.end()
                i += 2
                continue
            found.append([first])
            out.append(D)
            pos = m.end()
            i += 1
        out.append(text[pos:])
        return "".join(out), found

    def resolve(self, m: re.Match[str], base: int, start: date | None) -> _Written | None:
        """The date of a written date: a missing month is the last one named, a missing
        year the range start's, else the notice year (a bare 12月 in a yearly
        notice is December of the year before: 元旦 starting in the old year)."""
        written = m.group(0)
        year = self.reader.year
        y, mo, d = m["y"], m["m"], int(m["d"])
        if mo is not None:
            month = int(mo)
        elif start is not None:
            month = start.month
        elif self.month is not None:
            month = self.month
        else:
            self.problem(base + m.start(), "bad_date", text=written, reason="没有月份")
            return None
        if y is not None:
            year = int(y)
        elif start is not None:
            year = start.year
        elif month == 12 and self.reader.kind == "yearly":
            year -= 1
        try:
            day = date(year, month, d)
        except ValueError:
            reason = "月份应在1至12之间" if not 1 <= month <= 12 else f"{year}年{month}月没有{d}日"
            self.problem(base + m.start(), "bad_date", text=written, reason=reason)
            return None
        self.month = month
        note = m["note"] or ""
        stated = _WEEKDAY_NOTE.search(note)
        if stated:
            want = WEEKDAY_NAMES.index(stated[1].replace("天", "日"))
            if want != day.weekday():
                self.problem(base + m.start(), "weekday_mismatch", text=written, day=day.isoformat(),
                             actual=weekday_zh(day), stated=weekday_zh_index(want))
                return None
        return _Written(day, written, base + m.start())

    # -- clauses ------------------------------------------------------------

    def read(self) -> None:
        text = self.item.body.text
        if _DAMAGED.search(text):
            m = _DAMAGED.search(text)
            self.problem(m.start(), "damaged_date", text=m.group(0))
        sentences = _split(text, "。")
        # A copy cut off inside its last sentence: the fragment is reported, not read.
        last_start, last = sentences[-1] if sentences else (0, "")
        if last.strip() and self.reader.cut_item is self.item:
            self.cut = (self.item.body.line_at(last_start), last)
            sentences = sentences[:-1]
        for start, sentence in sentences:
            encouraged = "鼓励" in sentence  # "鼓励…安排职工在除夕（2月9日）休息": no rest day
            pending = ""
            pending_at = start
            for offset, clause in _split(sentence, ",;:", base=start):
                if not clause:
                    continue
                if pending:
                    clause, offset = pending + clause, pending_at
                    pending = ""
                got = self.dates(clause, offset)
                if got is None:
                    continue
                skeleton, dates = got
                if encouraged:
                    continue
                if dates and re.fullmatch(_LIST, skeleton):
                    pending, pending_at = clause, offset  # "4月4日（清明节），为法定节假日"
                    continue
                self.clause(skeleton, dates, clause, offset)
            if pending:
                got = self.dates(pending, pending_at)
                if got:
                    self.problem(pending_at, "unread_clause", text=pending)

    def clause(self, skeleton: str, dates: list[list[_Written]], text: str, offset: int) -> None:
        if not dates:
            for kind, pattern in _NO_DATE:
                m = pattern.match(skeleton)
                if m and kind == "count":
                    n = _count(m["n"])
                    if self.groups:
                        self.groups[-1].count = n
                    else:
                        self.count = n
                elif m and kind == "with_weekend":
                    self.with_weekend(offset)
            return
        m = _patterns()["clause_extend"].match(skeleton)
        if m:
            self.extend_to = dates[0][0].day
            self.names = split_names(m["names"])
            self.name = m["names"]
            return
        for kind, pattern in _CLAUSES:
            m = pattern.match(skeleton)
            if m:
                break
        else:
            self.problem(offset, "unread_clause", text=text)
            return
        listed = [w for group in dates[: len(_split_list(m["l"]))] for w in group]
        if kind == "rest":
            days = {w.day for w in listed}
            self.rest |= days
            self.groups.append(_Group(days, _count(m["n"]) if m["n"] else None, offset))
        elif kind == "lieu":
            days = {w.day for w in listed}
            self.rest |= days
            if self.groups:
                self.groups[-1].days |= days
        elif kind == "work":
            for w in listed:
                if w.day.weekday() < 5:
                    self.problem(w.offset, "working_not_weekend", name=self.name, day=w.day.isoformat(),
                                 weekday=weekday_zh(w.day))
                self.working.add(w.day)
        elif kind == "statutory":
            self.must_rest += [(w.day, "法定节假日", w.offset) for w in listed]
        elif kind == "weekend":
            for w in listed:
                self.weekend_day(w)
                self.must_rest.append((w.day, "公休日", w.offset))
        elif kind == "move":
            for w in listed:
                self.weekend_day(w)
            targets = [w for group in dates[len(listed):] for w in group]
            self.must_rest += [(w.day, "公休日调至", w.offset) for w in targets]
        elif kind == "resume":
            self.resume = (listed[0].day, listed[0].offset)

    def weekend_day(self, w: _Written) -> None:
        if w.day.weekday() < 5:
            self.problem(w.offset, "not_weekend", name=self.name, day=w.day.isoformat(), weekday=weekday_zh(w.day))

    def with_weekend(self, offset: int) -> None:
        """"1月1日放假，与周末连休": the holiday and the weekend beside it."""
        if not self.groups or len(self.groups[-1].days) != 1:
            self.problem(offset, "unread_clause", text="与周末连休")
            return
        (day,) = self.groups[-1].days
        wd = day.weekday()
        if wd == 0:
            extra = {day - _ONE, day - 2 * _ONE}
        elif wd == 4:
            extra = {day + _ONE, day + 2 * _ONE}
        elif wd == 5:
            extra = {day + _ONE}
        elif wd == 6:
            extra = {day - _ONE}
        else:
            self.problem(offset, "weekend_alone", name=self.name, day=day.isoformat(), weekday=weekday_zh(day))
            return
        self.groups[-1].days |= extra
        self.rest |= extra

    # -- the holiday --------------------------------------------------------

    def holiday(self) -> Holiday | None:
        where = self.item.body.first_line or self.item.start
        if self.extend_to is not None:
            if self.resume and self.resume[0] != self.extend_to + _ONE:
                self.problem(self.resume[1], "resume_mismatch", name=self.name, day=self.resume[0].isoformat(),
                             end=self.extend_to.isoformat())
            return Holiday(self.name, self.names, (self.extend_to,), (), self.item.start,
                           self.item.heading + self.item.body.text, None, "extend")
        if not self.rest:
            if (self.working or self.must_rest) and not self.cut and not self.problems:
                self.problems.append(Problem(where, message("item_without_days", name=self.name)))
            return None
        for group in self.groups:
            if group.count is not None:
                first, last = min(group.days), max(group.days)
                span = (last - first).days + 1
                if span != group.count:
                    self.problem(group.offset, "count_mismatch", name=self.name, stated=group.count,
                                 first=first.isoformat(), last=last.isoformat(), actual=span)
        first, last = min(self.rest), max(self.rest)
        span = []
        d = first
        while d <= last:
            if d not in self.rest and d.weekday() < 5:
                self.problems.append(Problem(where, message("not_consecutive", name=self.name, day=d.isoformat(),
                                                            weekday=weekday_zh(d))))
            span.append(d)
            d += _ONE
        if self.count is not None and self.count != len(span):
            self.problems.append(Problem(where, message("count_mismatch", name=self.name, stated=self.count,
                                                        first=first.isoformat(), last=last.isoformat(),
                                                        actual=len(span))))
        if self.resume:  # "…起正常上班": no weekday between the holiday's end and that day
            gap = [last + timedelta(days=i) for i in range(1, (self.resume[0] - last).days)]
            if self.resume[0] <= last or any(d.weekday() < 5 for d in gap):
                self.problem(self.resume[1], "resume_mismatch", name=self.name, day=self.resume[0].isoformat(),
                             end=last.isoformat())
        for day, what, offset in self.must_rest:
            if not first <= day <= last:
                self.problem(offset, "not_in_rest", name=self.name, day=day.isoformat(), what=what)
        for day in sorted(self.working):
            if first <= day <= last:
                self.problems.append(Problem(where, message("working_in_rest", name=self.name, day=day.isoformat())))
        self.check_window(span, where)
        return Holiday(self.name, self.names, tuple(span), tuple(sorted(self.working)), self.item.start,
                       self.item.heading + self.item.body.text, self.count if self.count is not None else (
                           self.groups[0].count if len(self.groups) == 1 else None))

    def check_window(self, span: list[date], where: int) -> None:
        vocab = vocabulary()
        windows = [vocab.windows[n] for n in self.names if n in vocab.windows]
        if not windows or not span:
            return
        year = self.reader.year
        bounds = []
        for (m0, d0), (m1, d1) in windows:
            lo = date(year - 1 if m0 > m1 else year, m0, d0)
            bounds.append((lo, date(year, m1, d1)))
        lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
        for day in (span[0], span[-1]):
            if not lo <= day <= hi:
                self.problems.append(Problem(where, message("outside_window", name=self.name, day=day.isoformat(),
                                                            first=lo.isoformat(), last=hi.isoformat())))
                return
        limit = vocab.working_within
        for day in self.working:
            if not span[0] - timedelta(days=limit) <= day <= span[-1] + timedelta(days=limit):
                self.problems.append(Problem(where, message("working_far", name=self.name, day=day.isoformat(),
                                                            limit=limit)))


def _split(text: str, separators: str, base: int = 0) -> list[tuple[int, str]]:
    """``text`` cut at ``separators`` outside brackets, each part with its offset."""
    parts: list[tuple[int, str]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "(（《〔[":
            depth += 1
        elif ch in ")）》〕]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append((base + start, text[start:i]))
            start = i + 1
    parts.append((base + start, text[start:]))
    if separators == "。":
        # the last part is a sentence only if it has text; it ended with 。 when empty
        if not parts[-1][1].strip():
            parts.pop()
    return parts


def _tail(text: str, width: int = 30) -> str:
    return text if len(text) <= width else "…" + text[-width:]


def _split_list(skeleton: str) -> list[str]:
    return [c for c in skeleton if c in (D, R)]


def weekday_zh(d: date) -> str:
    return "星期" + WEEKDAY_NAMES[d.weekday()]


def weekday_zh_index(i: int) -> str:
    return "星期" + WEEKDAY_NAMES[i]


# --------------------------------------------------------------------------
# The reader


class _Reader:
    def __init__(self, text: str, source: str):
        self.source = source
        self.url = ""
        self.lines: list[tuple[int, str]] = []
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        started = False
        for no, raw in enumerate(text.splitlines(), 1):
            stripped = raw.strip()
            if not started and stripped.startswith("#"):
                # a file header of comments: "# source: URL" names where the copy came from
                m = re.match(r"#\s*source:\s*(\S+)", stripped)
                if m:
                    self.url = m[1]
                continue
            started = started or bool(stripped)
            cleaned = clean_line(raw)
            for part in _patterns()["next_item"].split(cleaned) if cleaned else ():
                if part:
                    self.lines.append((no, part))
        self.year = 0
        self.kind: Literal["yearly", "supplement"] = "yearly"
        self.cut_item: _Item | None = None

    def fail(self, line: int, key: str, **values: object) -> None:
        self.problems.append(Problem(line, message(key, **values)))

    def read(self) -> NoticeReading:
        p = _patterns()
        whole = "".join(t for _, t in self.lines)
        items, preamble, closing_at = self.structure()
        head = "".join(t for no, t in self.lines if not items or no < items[0].start)
        title_m = p["title"].search(head)
        title = title_m.group(0) if title_m else None
        yearly = p["yearly"].search(whole)
        named = {n for i in items for n in i.names}
        if yearly:
            self.kind = "yearly"
            self.year = int(next(g for g in yearly.groups() if g))
        elif len(named) >= 3:
            # the items of a yearly notice, but no "YYYY年部分节假日安排" or "现将YYYY年元旦…" to date it
            raise NoticeError(self.source, [Problem(items[0].start, message("no_year"))])
        else:
            self.kind = "supplement"
            found = p["year"].search(title or "") or p["year"].search(whole)
            if not found:
                raise NoticeError(self.source, [Problem(self.lines[0][0] if self.lines else 0, message("no_year"))])
            self.year = int(found[1])
        doc = _DOC_NO.search(head) or _DOC_NO.search(whole)
        number = f"{doc[1]}〔{doc[2]}〕{doc[3]}号" if doc else None
        issuer, issued = self.closing(closing_at)
        if number is None:
            self.warnings.append(message("no_number"))

        subject_names: tuple[str, ...] = ()
        subject_name = ""
        if self.kind == "supplement":
            subject = p["replace"].search(head) or p["extend"].search(head) or p["replace"].search(whole)
            if subject:
                subject_name = subject["names"]
                subject_names = split_names(subject_name)
            elif title_m and p["special"].search(title_m.group(0)):
                subject_name = p["special"].search(title_m.group(0))["names"]
                subject_names = (subject_name,)
            if not items:
                # no numbered items: the body after the addressees is the one item
                body = [(no, t) for no, t in preamble if not _ADDRESSEES.match(t)]
                start = next((no for no, t in preamble if _ADDRESSEES.match(t)), 0)
                body = [(no, t) for no, t in body if no > start]
                items = [_Item(body[0][0] if body else 0, (), "", None, _Segment(body))]
                preamble = [(no, t) for no, t in preamble if no <= start]
        self.check_preamble(preamble)

        # A copy that ends inside a sentence of its last item, with no closing after it.
        holiday_items = [i for i in items if not i.other]
        if holiday_items and closing_at is None:
            last = holiday_items[-1]
            if last.body.text and not last.body.text.rstrip().endswith(("。", "。)", "。”")):
                self.cut_item = last
            elif not items[-1].other:
                self.warnings.append(message("no_closing"))

        holidays: list[Holiday] = []
        cut: tuple[int, str] | None = None
        failed: set[str] = set()
        for item in holiday_items:
            names, name = item.names, item.name
            if not names:
                if self.kind == "supplement" and subject_names:
                    names, name = subject_names, subject_name
                elif not item.body.text or not _DATE.search(item.body.text):
                    continue
            reader = _ItemReader(self, item, names, name)
            reader.read()
            if not reader.names:
                if reader.extend_to is None:
                    self.fail(item.start, "item_without_name", text=item.body.text[:30])
                    continue
            found = reader.holiday()
            if reader.cut:
                cut = reader.cut
            if reader.problems:
                self.problems.extend(reader.problems)
                failed.update(reader.names)
                continue
            if found is not None:
                holidays.append(found)
        if self.kind == "supplement" and not holidays and not self.problems:
            self.fail(0, "no_subject")

        self.check_across(holidays)
        incomplete: list[Problem] = []
        if cut:
            incomplete.append(Problem(cut[0], message("cut_off", line=cut[0], text=_tail(cut[1]))))
        if self.kind == "yearly":
            have = {n for h in holidays for n in h.names}
            missing = [n for n in vocabulary().canonical if n not in have and n not in failed]
            if missing:
                incomplete.append(Problem(cut[0] if cut else 0, message("missing_holidays", names="、".join(missing))))
        reading = NoticeReading(
            year=self.year, kind=self.kind, document_number=number, issued=issued, title=title, issuer=issuer,
            holidays=tuple(sorted(holidays, key=lambda h: h.rest[0])), url=self.url, source=self.source,
            warnings=tuple(self.warnings),
        )
        if self.problems:
            raise NoticeError(self.source, self.problems + incomplete, reading)
        if incomplete:
            raise NoticeIncomplete(self.source, incomplete, reading)
        return reading

    def structure(self) -> tuple[list[_Item], list[tuple[int, str]], int | None]:
        """The items, the lines before them, and the index of the issuer line (the closing)."""
        p = _patterns()
        items: list[_Item] = []
        preamble: list[tuple[int, str]] = []
        closing_at: int | None = None
        # the closing: the last line that is the issuer alone (or with the date), after some item
        for idx in range(len(self.lines) - 1, -1, -1):
            no, text = self.lines[idx]
            m = _ISSUER.match(text)
            if m and (not m[2] or parse_written_date(m[2])):
                closing_at = idx
                break
        end = closing_at if closing_at is not None else len(self.lines)
        current: _Item | None = None
        for idx in range(end):
            no, text = self.lines[idx]
            head = p["heading"].match(text)
            item = p["item"].match(text)
            if head:
                current = _Item(no, split_names(head["names"]), head["names"], _count(head["n"]), _Segment(),
                                heading=text)
                items.append(current)
                continue
            if item:
                current = _Item(no, split_names(item["names"]), item["names"], None, _Segment(),
                                heading=text[:item.end()])
                rest = text[item.end():]
                if rest:
                    current.body.lines.append((no, rest))
                items.append(current)
                continue
            if p["unnamed"].match(text):
                body = p["numbered"].sub("", text, count=1)
                current = _Item(no, (), "", None, _Segment(), heading=text[:len(text) - len(body)])
                current.body.lines.append((no, body))
                items.append(current)
                continue
            if p["numbered"].match(text) and not _DATE.search(text):
                current = _Item(no, (), "", None, _Segment([(no, text)]), other=True)
                items.append(current)
                continue
            if current is None:
                preamble.append((no, text))
            elif _CLOSING.match(text) and not _DATE.search(text):
                current = _Item(no, (), "", None, _Segment([(no, text)]), other=True)
                items.append(current)
            else:
                current.body.lines.append((no, text))
        return items, preamble, closing_at

    def closing(self, at: int | None) -> tuple[str | None, date | None]:
        if at is None:
            return None, None
        no, text = self.lines[at]
        m = _ISSUER.match(text)
        issuer = m[1]
        issued = parse_written_date(m[2]) if m[2] else None
        for _, after in self.lines[at + 1:at + 3]:
            if issued is None:
                issued = parse_written_date(after)
        return issuer, issued

    def check_preamble(self, preamble: list[tuple[int, str]]) -> None:
        for no, text in preamble:
            if not _DATE.search(text):
                continue
            skeleton = _DATE.sub(D, text)
            rest = _PREAMBLE_DATES.sub("", skeleton)
            if D in rest:
                self.fail(no, "date_outside_items", text=text[:60])

    def check_across(self, holidays: list[Holiday]) -> None:
        rest = {d: h for h in holidays for d in h.rest}
        for h in holidays:
            for d in h.working:
                if d in rest and rest[d] is not h:
                    self.fail(h.line, "clash", day=d.isoformat(), first=rest[d].name, second=h.name)
        seen: dict[str, Holiday] = {}
        for h in sorted(holidays, key=lambda h: h.line):
            for n in h.names:
                if n in seen:
                    self.fail(h.line, "duplicate_holiday", name=n, first=seen[n].line, second=h.line)
                seen[n] = h


def read_notice(text: str, *, source: str = "<notice>") -> NoticeReading:
    """Read a holiday notice's text.

    Raises :class:`NoticeError` naming the line of the first problem (every
    problem is in ``.problems``), :class:`NoticeIncomplete` when the copy is cut
    off or lacks a holiday (what it has is in ``.reading``).
    """
    return _Reader(text, source).read()


# --------------------------------------------------------------------------
# A supplement against the year's data


@dataclass(frozen=True)
class Amendment:
    """What a supplement changes in a year: the days it adds and the days it removes.

    ``holidays`` are the changed holidays as they now stand (an extension
    resolved against the year's data)."""

    reading: NoticeReading
    holidays: tuple[Holiday, ...]
    add_rest: tuple[date, ...]
    add_working: tuple[date, ...]
    remove_rest: tuple[date, ...]
    remove_working: tuple[date, ...]
    replaces: tuple[str, ...] = ()  # the names of the year's holidays this takes the place of

    @property
    def rest_days(self) -> list[date]:
        return sorted(d for d in self.add_rest if d.weekday() < 5)

    @property
    def working_days(self) -> list[date]:
        return sorted(self.add_working)

    @property
    def removed_rest_days(self) -> list[date]:
        return sorted(d for d in self.remove_rest if d.weekday() < 5)

    @property
    def removed_working_days(self) -> list[date]:
        return sorted(self.remove_working)


YearData = dict[str, tuple[set[date], set[date]]]  # holiday name -> (rest days, working days)


def amend(reading: NoticeReading, base: YearData | None) -> Amendment:
    """The changes ``reading`` (a supplement) makes to the year's data ``base``
    (holiday name → rest days and working days; None: the year has none)."""
    base = base or {}
    add_rest: set[date] = set()
    add_work: set[date] = set()
    remove_rest: set[date] = set()
    remove_work: set[date] = set()
    now: list[Holiday] = []
    replaced: list[str] = []
    for h in reading.holidays:
        keys = [k for k in base if set(split_names(k)) & set(h.names)]
        old_rest = set().union(*(base[k][0] for k in keys)) if keys else set()
        old_work = set().union(*(base[k][1] for k in keys)) if keys else set()
        if h.change == "extend":
            if not old_rest:
                raise NoticeError(reading.source, [Problem(h.line, message(
                    "extend_without_base", name=h.name, year=reading.year))], reading)
            first, end = min(old_rest), h.rest[-1]
            span = [first + timedelta(days=i) for i in range((max(end, max(old_rest)) - first).days + 1)]
            new_rest = set(span)
            new_work = {d for d in old_work if d not in new_rest}
            h = replace(h, name=keys[0] if len(keys) == 1 else h.name, rest=tuple(span),
                        working=tuple(sorted(new_work)))
        else:
            new_rest, new_work = set(h.rest), set(h.working)
        replaced += keys
        now.append(h)
        add_rest |= new_rest - old_rest
        add_work |= new_work - old_work
        remove_rest |= old_rest - new_rest
        remove_work |= old_work - new_work
    return Amendment(reading, tuple(now), tuple(sorted(add_rest)), tuple(sorted(add_work)),
                     tuple(sorted(remove_rest)), tuple(sorted(remove_work)), tuple(replaced))


def notice_json(reading: NoticeReading, amendment: Amendment | None = None) -> dict:
    """The JSON contract of ``deadlines holidays import --json``."""
    out: dict = {
        "year": reading.year,
        "document_number": reading.document_number,
        "issued": reading.issued.isoformat() if reading.issued else None,
    }
    if reading.kind == "yearly" or amendment is None:
        out["rest_days"] = [d.isoformat() for d in reading.rest_days]
        out["working_days"] = [d.isoformat() for d in reading.working_days]
        if reading.kind == "supplement":
            out["removes"] = {"rest_days": [], "working_days": []}
        return out
    out["rest_days"] = [d.isoformat() for d in amendment.rest_days]
    out["working_days"] = [d.isoformat() for d in amendment.working_days]
    out["removes"] = {
        "rest_days": [d.isoformat() for d in amendment.removed_rest_days],
        "working_days": [d.isoformat() for d in amendment.removed_working_days],
    }
    return out


def days_of(holidays: Iterable[Holiday]) -> YearData:
    """Holiday name → (rest days, working days), as :func:`amend` takes the year's data."""
    out: YearData = {}
    for h in holidays:
        rest, work = out.setdefault(h.name, (set(), set()))
        rest.update(h.rest)
        work.update(h.working)
    return out
