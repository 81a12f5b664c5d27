"""How well a piece of text fits a column: the measure both the text reader
(cutting a flattened table into cells) and the extractor (lining a header up
with its columns) use.

A score is positive where the text looks like what the column holds (a row
number in 序号, unit names in 责任单位, a time limit in 完成时限) and negative
where it does not.  Scores are small numbers on one scale so that sums over
a row or a column compare.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SEQ = re.compile(r"^[(（]?\d{1,3}[)）]?[.、．]?$|^[一二三四五六七八九十]{1,3}$")
_DUE_WORDS = re.compile(r"^(全年|长期|持续|常态|年内|年底|年度|每|及时|实时|随时|定期|按月|按季|按年|即时|动态|\d{4}年|"
                        r"\d{1,2}月|第[一二三四1-4]季度|上半年|下半年|[一二三四]季度)")
_TIME_WORDS = re.compile(r"(\d{1,4}|[一二三四五六七八九十]{1,3})\s*(日|号|月|季度|个?工作日|年|小时)|月底|年底|季末|月末|季后|月后|"
                         r"以前$|之前$|前$|之内|日内|每[日周月季年]|及时|全年|长期|持续|实时|随时|定期")
_SENTENCE = re.compile(r"[，,。；;：:]")
_MEASURE = re.compile(r"^\d{1,2}\s*[.．、]\D")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]+[)）]")
# A cell telling progress (已完成, 正在推进, 尚未开工, 完成率47%) or a schedule by month
# (4月:…, 3-4月：…): never unit names.
_STATUS = re.compile(r"(?:已|均已|正在|尚未|暂未|未能|完成率|进展顺利|\d{1,2}(?:[-—~至]\d{1,2})?月份?[:：])")
_CHECK = re.compile(r"^[√✓■□●○×✔☑]+$")


@lru_cache(maxsize=65536)
def looks_like_units(text: str) -> bool:
    """A cell or line of unit names (市财政局、市发改委, 县司法局牵头), not a sentence."""
    from ..unitcells import looks_like_units as check

    return check(text)


@lru_cache(maxsize=65536)
def looks_like_due(text: str) -> bool:
    """A time-limit cell: read as a dated rule, or one of the words such cells hold."""
    t = re.sub(r"\s+", "", text)
    if not t or len(t) > 60 or "《" in t or "第" in t and "号" in t:
        return False  # a law cited by its number (国务院令第711号) is no time limit
    if _DUE_WORDS.search(t) or (len(t) <= 30 and _TIME_WORDS.search(t)):
        return True
    from ..phrases import parse_phrase

    try:
        rules = parse_phrase(t, year=2000)
    except Exception:  # noqa: BLE001 - a phrase that cannot be read is simply no time limit
        return False
    return any(getattr(r, "kind", "") != "pending" and not getattr(r, "unparsed", "") for r in rules)


def is_seq(text: str) -> bool:
    return bool(_SEQ.match(text.strip()))


@lru_cache(maxsize=65536)
def fit(field: str, text: str) -> float:
    """How well ``text`` fits a column of ``field`` (see the module docstring)."""
    t = text.strip()
    if not t:
        return 0.0
    n = len(re.sub(r"\s+", "", t))
    if field == "seq":
        return 3.0 if is_seq(t) else -3.0
    if field in ("lead", "responsible", "cooperating"):
        if looks_like_units(t):
            return 2.0
        if _STATUS.match(t):
            return -3.0  # what was done (已完成。…), a month's plan: a report's column, shifted where a merge took a cell
        return -1.0 if n > 40 else -0.5
    if field == "due":
        if looks_like_due(t):
            return 2.0
        return -2.0 if n > 30 else -1.0
    if field == "person":
        return 1.0 if n <= 12 else -1.0
    if field == "other":
        return 1.0 if _CHECK.match(t) else 0.5 if n <= 24 else -0.5
    # Text columns: a task title, category or requirement.
    if is_seq(t):
        return -2.0
    if looks_like_units(t):
        return -1.0  # a unit's name is no task (a unit cell of several lines cut as the next row's task)
    if looks_like_due(t) and n < 16:
        return -0.5
    if n < 4:
        return -1.0
    score = 1.0
    if field == "requirement" and (_SENTENCE.search(t) or n > 20):
        score += 0.5
    elif field in ("title", "category") and n > 40:
        score -= 0.8  # a task's name or category is short; a long sentence is a measure
    # Measures are numbered 1. 2. 3.; tasks and categories 一、 (一) or not at all.
    if _MEASURE.match(t):
        score += 0.5 if field == "requirement" else -1.5
    elif _HEADING.match(t):
        score += 0.5 if field in ("category", "title") else -0.5
    return score
