"""Normalising a time-limit cell before reading it.

Traditional characters become simplified (OpenCC) and inline pinyin goes
("3個工作日內(nèi)" → "3个工作日内"); full-width digits and punctuation become
half-width (NFKC); stray spaces go ("2016 年4月底前"); Chinese numerals before
a counter become digits (两个工作日, 十五日, 廿日, 第一季度); 号 reads as 日; and
line breaks inside a cell become separators.
"""

from __future__ import annotations

import re
import unicodedata

from ..chinese import strip_pinyin, t2s
from ..errors import PhraseError
from ..messages import say

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = "零〇一二两三四五六七八九十廿百"

# A numeral is read as a number only before one of these (so 周一 stays Monday).
_COUNTERS = "个日天号年月季周时小次期批工半"


def _numeral_digits(text: str) -> str:
    """A numeral as a digit string: '二〇一六' → '2016', '十五' → '15'.

    Digit by digit where every character is a digit (二〇一六); otherwise by
    place value (十, 廿, 百).  A string, so a run of ten thousand numerals
    never becomes an integer too long to print.
    """
    if len(text) > 1 and all(c in _DIGITS for c in text):  # 二〇一六: digit by digit
        return "".join(str(_DIGITS[c]) for c in text)
    total, current = 0, 0
    for c in text:
        if c in _DIGITS:
            current = _DIGITS[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "廿":
            total += 20
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise PhraseError(text, say("not_a_numeral"))
    return str(total + current)


def chinese_number(text: str) -> int:
    """'两' → 2, '十五' → 15, '二十' → 20, '廿三' → 23, '一百二十' → 120, '二〇一六' → 2016."""
    if not text:
        raise PhraseError(text, say("not_a_numeral"))
    digits = _numeral_digits(text)
    if len(digits) > 18:
        raise PhraseError(text, say("number_too_big"))
    return int(digits)


# 上一年度 / 下一季度 stay words: "上1年度" would read as a time.
# Every run-matching pattern starts with a look-behind that refuses to begin
# inside a run, so a run of 10,000 numerals, spaces or digits is tried once,
# not once per character (which is quadratic).
_NUMERAL_RUN = re.compile(f"(?<![上下{_NUMERAL}])[{_NUMERAL}]+(?=[{_COUNTERS}])")
# The numerals of a list before its counter: 第一、二季度, 三、四季度 (each one a digit, as the last).
_NUMERAL_LIST = re.compile(f"(?<![上下{_NUMERAL}])[{_NUMERAL}]+(?=(?:[、和及与][{_NUMERAL}]+)+[{_COUNTERS}])")
_SPACE = re.compile(
    r"(?<=[\d\u3000-\u9fff\uff00-\uffef()])[ \t\u3000]+|(?<![ \t\u3000])[ \t\u3000]+(?=[\d\u3000-\u9fff()])"
)
_BREAK = re.compile(r"(?<![ \t])[ \t]*(?:\r\n|\r|\n)+[ \t]*")


# Item marks in circles (①, ❶, ➀, ➊, ⓵) number the parts of a cell ("①2月上旬前，…②3月底前，…").
# NFKC makes ① the digit 1, which then joins the number after it ("①2月" → "12月", a wrong
# date): each becomes "(1)" first, the form NFKC gives ⑴ and the reader passes over.
_MARKS = {
    **{0x2460 + i: f"({i + 1})" for i in range(20)},  # ①–⑳
    **{0x2776 + i: f"({i + 1})" for i in range(10)},  # ❶–❿
    **{0x2780 + i: f"({i + 1})" for i in range(10)},  # ➀–➉
    **{0x278A + i: f"({i + 1})" for i in range(10)},  # ➊–➓
    **{0x24F5 + i: f"({i + 1})" for i in range(10)},  # ⓵–⓾
    **{0x24EB + i: f"({i + 11})" for i in range(10)},  # ⓫–⓴
}


def to_simplified(text: str) -> str:
    """Text in simplified characters, inline pinyin gone: '3個工作日內(nèi)' → '3个工作日内'.

    The conversion is OpenCC's ``t2s`` (phrase-aware: 乾坤 stays, 乾淨 → 干净).
    Text that GB2312, the simplified character set, can already encode holds
    no traditional-only character and is returned as it is, so OpenCC is
    loaded only for text that needs it.  (The importer decides once for a
    whole document instead: :mod:`deadlines.importers.charset`.)  The pinyin
    rule and the converter are the package's one pair (:mod:`deadlines.chinese`).
    """
    text = strip_pinyin(unicodedata.normalize("NFKC", text.translate(_MARKS)))
    try:
        text.encode("gb2312")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return t2s().convert(text)
    except UnicodeEncodeError:  # a lone surrogate: OpenCC takes UTF-8 only
        return t2s().convert(text.encode("utf-8", "replace").decode("utf-8"))


def normalize(text: str) -> str:
    """The cell as the reader sees it: simplified, half-width, no stray spaces, numerals as digits."""
    text = to_simplified(text)
    if "//" in text or "www." in text or "@" in text:  # the address pattern only where one may be
        text = _ADDRESS.sub("网址", text)
    text = text.replace("〜", "~").replace("－", "-").replace("–", "-").replace("―", "—")
    # A line break inside a cell either continues a word or separates two
    # limits ("2015年7月；\n\n2016年1月"); after a separator it is dropped,
    # after a limit-ending character it separates, elsewhere it joins.
    text = _BREAK.sub("\n", text.strip())
    text = re.sub(r"([;,、。])\n", r"\1", text)
    text = re.sub(r"(?<=[前后内底末])\n", ";", text)
    text = re.sub(r"(?<=[月日号年度])\n(?=\d)", ";", text)
    text = text.replace("\n", "")
    text = _SPACE.sub("", text)
    text = _NUMERAL_LIST.sub(lambda m: _numeral_digits(m.group()), text)
    text = _NUMERAL_RUN.sub(lambda m: _numeral_digits(m.group()), text)
    text = re.sub(r"(?<=\d)号", "日", text)
    text = re.sub(r"(?<=[每按])双(?=月|周)", "2个", text)  # 每双月: every two months
    text = _NUMERIC_DATE.sub(_written_date, text)
    text = _NUMERIC_YEAR_MONTH.sub(lambda m: f"{m['y']}年{int(m['m'])}月", text)
    text = _NUMERIC_MONTH_DAY.sub(lambda m: f"{int(m['m'])}月{int(m['d'])}日", text)
    text = _DAY_WITHOUT_RI.sub(r"\1日", text)
    text = _HALF_YEAR_WITHIN.sub("6个月", text)
    text = re.sub(r"每(年|月)\1(?=底|末)", r"每\1", text)  # 每年年底: 每年底, one yearly date
    return text.strip(" ;,")


# A web or mail address holds no time limit, whatever figures its path has
# (https://…/art/2023/2/13/…, …/2021-05-25/content-93597.html).
# The address's characters (RFC 3986) but , ; ( ): after NFKC they are the text's own ，；（）.
_ADDRESS = re.compile(r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'*+=%-]*[A-Za-z0-9/_~#=-]|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)


# Dates written in figures, as a form or a spreadsheet gives them: 2023.6.30,
# 2023-06-30, 2023/6/30; 6.30前 (a month and day only before 前: 增长6.5% is no date).
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<s>[./-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d.])")
# A year and month in figures: 2024.6, 2023.06前, 2024/6底前 (not 2024.6.30, a date; not 2035.6公顷, an amount:
# only before what ends a limit).
_NUMERIC_YEAR_MONTH = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[./](?P<m>1[0-2]|0?[1-9])"
                                 r"(?=\s*(?:底|末|前|以前|之前|完成|上旬|中旬|下旬|份|$|[-—~至到,，。；;)）]))")
# A month and a day without 日: 9月28, 9月28前 (the day, never dropped); not 1-9月2家, a count: only
# before what ends a limit.
_DAY_WITHOUT_RI = re.compile(r"(?<=\d月)([12]\d|3[01]|0?[1-9])(?=\s*(?:前|以前|之前|止|起|$|[,，。；;)）]))")
# 半年内: within six months, as 6个月内 (not 上半年内, a part of the year).
_HALF_YEAR_WITHIN = re.compile(r"(?<![上下本当\d])半年(?=以内|之内|内)")
_NUMERIC_MONTH_DAY = re.compile(r"(?<![\d.年月])(?P<m>1[0-2]|0?[1-9])\.(?P<d>[12]\d|3[01]|0?[1-9])(?=以前|之前|前)")


def _written_date(m: re.Match[str]) -> str:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m[0]
    return f"{y}年{mo}月{d}日"
