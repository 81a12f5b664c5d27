"""The words of plans: column headers, unit and person labels, footers.

Kept as package data (``data/import_vocabulary.yaml``) so an office can see
and extend what is recognised; this module only reads it and answers
questions about one cell or line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FIELDS = ("seq", "category", "title", "requirement", "lead", "responsible", "cooperating", "due", "person", "other")
UNIT_FIELDS = ("lead", "responsible", "cooperating")
TEXT_FIELDS = ("category", "title", "requirement")


@dataclass(frozen=True)
class Vocabulary:
    columns: dict[str, str]  # header word → field
    endings: tuple[tuple[str, tuple[str, ...]], ...]
    labels: dict[str, str]  # label word → lead/responsible/cooperating/units/person/due/other
    label_pattern: re.Pattern[str]
    footer: tuple[str, ...]
    page_title_fields: frozenset[str]  # a page's field naming its document (文件名称)
    page_fields: frozenset[str]  # fields only a page's details table has (索引号, 成文日期)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    from ruamel.yaml import YAML

    text = resources.files("deadlines").joinpath("data/import_vocabulary.yaml").read_text("utf-8")
    data = YAML(typ="safe").load(text)
    columns = {word: fld for fld, words in data["columns"].items() for word in words}
    endings = tuple((fld, tuple(words)) for fld, words in data["column_endings"])
    labels = {word: role for role, words in data["labels"].items() for word in words}
    # A unit or person label with a modifier before it (主要协作单位, 其他配合单位, 相关责任单位) is
    # that label; a word listed as it is keeps its own role (主要责任单位 leads).
    for modifier in data["label_modifiers"]:
        for word, role in list(labels.items()):
            if role in ("lead", "responsible", "cooperating", "person") and not word.startswith(modifier):
                labels.setdefault(modifier + word, role)
    # Longest label first: 牵头责任单位 before 责任单位.
    alternatives = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    label_pattern = re.compile(rf"(?:{alternatives})")
    return Vocabulary(columns, endings, labels, label_pattern, tuple(data["footer"]),
                      frozenset(data["page_title_fields"]), frozenset(data["page_fields"]))


# The period a report's column covers, before its name: 1-11月, 2023年1-6月, 第二季度, 上半年.
_PERIOD = re.compile(r"^(?:\d{4}年度?)?(?:\d{1,2}[-—–~至]\d{1,2}月份?|\d{1,2}月份?|第?[一二三四1-4]季度|[上下]半年|全年)?(?<=.)")
_BRACKETED_TAIL = re.compile(r"[(（][^()（）]{1,8}[)）]$")


def header_key(cell: str) -> str:
    """'主 要 工 作 任 务' → '主要工作任务'; '公开内容（要素）' → '公开内容'; ':' dropped."""
    key = re.sub(r"[\s\u3000:：*]+", "", cell)
    key = _BRACKETED_TAIL.sub("", key)
    return key


# A column for one part of the year (一季度, 3月, 上半年): a schedule's column, what is due by its end.
_PART_OF_YEAR = re.compile(r"(?:\d{4}年)?(?:第?[一二三四1-4]季度|(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月份?|[上下]半年)")


def period_column(cell: str) -> bool:
    """Whether a header cell names a part of the year (a schedule's column: 一季度 | 二季度 …)."""
    return bool(_PART_OF_YEAR.fullmatch(header_key(cell)))


def column_field(cell: str) -> str | None:
    """The field a header cell names, or None when it is no header word."""
    key = header_key(cell)
    if not key or len(key) > 14:
        return None
    vocab = vocabulary()
    found = vocab.columns.get(key)
    if found:
        return found
    if period_column(key):
        return "other"  # its cells are kept; the table's reader dates them by the column (tables.py)
    period = _PERIOD.match(key)
    if period and period.end() < len(key) - 1:
        # A column for a period: the year's work (2024年建设内容) is the requirement, a report's
        # column (1-11月推进情况, 2023年完成情况) other.  Any other column after a year (2024年目标,
        # 2025年工作任务 beside 2024年's) is read as before: no header word.
        rest = column_field(key[period.end():])
        if rest in ("other", "requirement"):
            return rest
    if re.search(r"\d|[，,。；;、]", key) or len(key) < 2:
        return None
    for fld, words in vocab.endings:
        if key.endswith(words):
            return fld
    return None


def header_fields(cells: list[str]) -> list[str | None]:
    """The field of each cell of one header row (:func:`column_field`), read together.

    A column of targets or of one year's tasks (预期目标, 主要目标, 2022年预期目标, 2024年重点任务)
    is no task column beside another one (工作任务 | 2024年目标: the year's figure for the task),
    but where the header names no task column and it is the only such column, it is the task
    column itself (序号 | 2022年预期目标 | 责任单位: each target is a task of its unit).  So is a
    column of problems where none is named the task (整改清单)."""
    fields = [column_field(c) for c in cells]
    if "title" not in fields:
        # 存在问题 | 整改措施 | 责任单位 | 整改时限: the problem is the task, the measures its
        # requirement; beside a task column (a report's 存在问题) it is a remark.
        problems = [k for k, c in enumerate(cells) if fields[k] is None and _PROBLEM.search(header_key(c))]
        if len(problems) == 1:
            fields[problems[0]] = "title"
    if any(f in TEXT_FIELDS for f in fields):
        return fields
    alone = [k for k, c in enumerate(cells) if fields[k] is None and task_when_alone(c)]
    if len(alone) == 1:
        fields[alone[0]] = "title"
    return fields


_PROBLEM = re.compile(r"^(?:存在|反馈|发现|具体|主要|审计发现|巡察反馈|检查发现)?问题(?:描述|清单|表现|内容|事项)?$")


def task_when_alone(cell: str) -> bool:
    """A header of targets (预期目标, 主要目标), of a year's tasks (2022年预期目标, 2024年度重点任务)
    or of problems (存在问题): the task column of a table that has no other (:func:`header_fields`)."""
    key = header_key(cell)
    if not key or len(key) > 14 or column_field(key) is not None:
        return False
    year = re.match(r"(?:\d{4}年度?|年度|全年)", key)
    rest = key[year.end():] if year else key
    return len(rest) >= 2 and (rest.endswith("目标") or bool(year) and column_field(rest) == "title"
                               or bool(_PROBLEM.search(key)))


def is_footer(line: str) -> bool:
    """A line where the document's own text ends (spaces and asterisks aside: "*验 证 码:"), or a
    page's request to its reader for an opinion (a feedback form: "…请您提出宝贵的意见或建议"; a plan
    addresses units, never the reader as 您)."""
    text = re.sub(r"[\s*＊]", "", line)
    return bool(text) and (text.startswith(vocabulary().footer) or bool(_FEEDBACK.search(text)))


_FEEDBACK = re.compile(r"请您[^。]{0,20}(?:意见|建议|评价|反馈)|您的(?:意见|建议|评价)")
