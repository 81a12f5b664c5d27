"""The layouts plans come in, each read into rows of one task or measure.

- tables flattened to one cell per tab-indented line (seeds 000, 003, 004):
  merged cells are blank and carried down, a cell may break across lines, the
  header or a whole row may repeat;
- numbered lists under 一、 headings, each followed by the line of units that
  covers it and the tasks after it (seed 002);
- prose items "(一)题目。要求……(牵头单位:…;责任单位:…)" (seed 001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import ImportProblem
from ..phrases import chinese_number

# Header words of a table, and the field each column fills.
COLUMNS = {
    "序号": "seq",
    "类别": "category",
    "工作任务": "title",
    "任务": "title",
    "具体工作措施": "requirement",
    "具体要求": "requirement",
    "工作要求": "requirement",
    "工作措施": "requirement",
    "牵头落实单位": "units:lead",
    "牵头单位": "units:lead",
    "责任单位": "units:responsible",
    "责任部门": "units:responsible",
    "完成时限": "due",
    "时间要求": "due",
    "完成时间": "due",
}

# Where a document's own text ends and its footer begins.
_FOOTER = re.compile(r"^\s*(抄送|印发|附件|扫描二维码|新媒体|手机版|微信)")
_MEASURE_NO = re.compile(r"^(\d{1,2})(?:[．.、]\s*|\s+|(?=[\u4e00-\u9fff“《]))")
_CN_NUM = "一二三四五六七八九十百零〇"


@dataclass
class Row:
    """One task or measure as the document gives it."""

    line: int  # first line in the source (1-based)
    group: str  # what groups rows into one task (序号, 类别 or title)
    title: str
    requirement: str
    unit_text: str
    default_role: str
    due_text: str | None  # None: the layout has no time-limit column
    category: str = ""
    numbered: str = ""  # the number the document gives the measure, if any
    review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def squash(text: str) -> str:
    """A text cell broken across lines, joined: "推进政策执行\\n和落实情况公\\n开"."""
    return "".join(p.strip() for p in text.split("\n") if p.strip())


def join_due(text: str) -> str:
    """A time-limit cell broken across lines: "2015年7月；\\n\\n2016年1月" → "2015年7月；2016年1月"."""
    out = ""
    for piece in (p.strip() for p in text.split("\n")):
        if not piece:
            continue
        if out and not re.search(r"[；;，,。、]$", out):
            out += "；"
        out += piece
    return out


def strip_number(text: str) -> tuple[str, str]:
    """'1．做好…' → ('1', '做好…'); text without a leading number is kept."""
    m = _MEASURE_NO.match(text)
    if not m:
        return "", text
    return m[1], text[m.end():].strip()


# --------------------------------------------------------------------------
# Tables


def _header_name(cell: str) -> str | None:
    return COLUMNS.get(re.sub(r"\s+", "", cell))


def find_table(lines: list[str]) -> int | None:
    """Index of the first header cell line of a tab-flattened table, if any."""
    for i, line in enumerate(lines):
        if line.startswith("\t") and _header_name(line[1:]) is not None:
            run = 0
            for later in lines[i:]:
                if not later.strip():
                    continue
                if not later.startswith("\t") or _header_name(later[1:]) is None:
                    break
                run += 1
            if run >= 3:
                return i
    return None


def read_table(lines: list[str], start: int, source: str) -> tuple[list[Row], list[str]]:
    """Rows of a tab-flattened table whose header starts at ``lines[start]``."""
    header: list[str] = []
    i = start
    while i < len(lines) and (not lines[i].strip() or (lines[i].startswith("\t") and _header_name(lines[i][1:]))):
        if lines[i].strip():
            header.append(_header_name(lines[i][1:]))  # type: ignore[arg-type]
        i += 1
    width = len(header)
    if "requirement" not in header and "title" not in header:
        raise ImportProblem(source, start + 1, "a table needs a 工作任务 or 具体要求 column")
    # One cell per tab-indented line; a line without the tab continues the cell.
    cells: list[tuple[int, str]] = []
    end_notes: list[str] = []
    for j in range(i, len(lines)):
        line = lines[j]
        if _FOOTER.match(line) or (line[:1] == " " and line.strip()):
            end_notes.append(f"表格止于第{j + 1}行（其后为文末信息，未读入）")
            break
        if line.startswith("\t"):
            cells.append((j + 1, line[1:]))
        elif line.strip():
            if not cells:
                raise ImportProblem(source, j + 1, "text before the first table cell")
            at, text = cells[-1]
            cells[-1] = (at, text + "\n" + line)
    if len(cells) % width:
        raise ImportProblem(source, cells[-1][0] if cells else start + 1,
                            f"the table has {len(cells)} cells, not a whole number of {width}-column rows")
    rows: list[Row] = []
    previous: dict[str, str] = {}
    previous_raw: list[str] | None = None
    for r in range(0, len(cells), width):
        raw = [text for _, text in cells[r : r + width]]
        first_line, last_line = cells[r][0], cells[r + width - 1][0]
        if [_header_name(c) for c in raw] == header:
            continue  # the header repeated after a page break
        if previous_raw is not None and raw == previous_raw and any(c.strip() for c in raw):
            rows[-1].notes.append(f"源文件第{first_line}–{last_line}行与上一行完全相同，仅保留一条")
            rows[-1].review.append(f"duplicate row: 第{first_line}–{last_line}行重复上一行，已略去")
            continue
        previous_raw = raw
        values: dict[str, str] = {}
        for name, text in zip(header, raw):
            if name == "requirement":
                values[name] = text
            elif text.strip():
                values[name] = text
            else:  # a merged cell: the value of the row above
                values[name] = previous.get(name, "")
        previous = values
        unit_cols = [h for h in header if h.startswith("units:")]
        group = squash(values.get("seq", "")) or squash(values.get("category", "")) or squash(values.get("title", ""))
        numbered, requirement = strip_number(squash(values.get("requirement", "")))
        rows.append(Row(
            line=first_line,
            group=group,
            category=squash(values.get("category", "")),
            title=squash(values.get("title", "")) or squash(values.get("category", "")),
            requirement=requirement,
            numbered=numbered,
            unit_text="\n".join(values.get(h, "") for h in unit_cols).strip(),
            default_role=unit_cols[0].split(":")[1] if unit_cols else "responsible",
            due_text=join_due(values.get("due", "")) if "due" in header else None,
        ))
    return rows, end_notes


def _body(lines: list[str], start: int, notes: list[str]) -> Iterator[tuple[int, str]]:
    """(index, text) of the non-blank lines from ``start`` up to a footer (noted in ``notes``)."""
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if not text:
            continue
        if _FOOTER.match(text):
            notes.append(f"正文止于第{j + 1}行（其后为网页信息，未读入）")
            return
        yield j, text


# --------------------------------------------------------------------------
# Numbered lists with unit lines (002)

_HEADING = re.compile(rf"^\s*([{_CN_NUM}]+)、\s*(.+)$")
LIST_TASK = re.compile(r"^\s*(\d{1,3})[．.、]\s*(.+)$")


def read_list(lines: list[str], start: int, source: str, looks_like_units) -> tuple[list[Row], list[str]]:
    """Rows of a numbered list: 一、heading / 1.task / unit line."""
    rows: list[Row] = []
    notes: list[str] = []
    heading = ""
    current_units = ""
    waiting_units: list[Row] = []  # tasks not yet followed by their unit line
    for j, text in _body(lines, start, notes):
        if _header_name(text):
            continue
        m = _HEADING.match(text)
        if m:
            for row in waiting_units:
                row.unit_text = current_units
            waiting_units = []
            heading = m[2].strip()
            continue
        m = LIST_TASK.match(text)
        if m:
            for row in waiting_units:
                row.unit_text = current_units
            row = Row(line=j + 1, group=m[1], title=heading, requirement=m[2].strip(),
                      numbered=m[1], unit_text="", default_role="responsible", due_text=None)
            rows.append(row)
            waiting_units = [row]
            continue
        if rows and looks_like_units(text):
            current_units = text
            rows[-1].unit_text = text
            waiting_units = []
            continue
        if rows:  # text that is neither: part of the task before it
            rows[-1].requirement += text
    for row in waiting_units:
        row.unit_text = current_units
    if not rows:
        raise ImportProblem(source, start + 1, "no numbered tasks found")
    return rows, notes


# --------------------------------------------------------------------------
# Prose items with bracketed units (001)

PROSE_ITEM = re.compile(rf"^\s*[(（]([{_CN_NUM}]+)[)）]\s*(.+)$")
_UNIT_BRACKET = re.compile(r"[(（]((?:牵头单位|责任单位|牵头部门|责任部门)\s*[:：].+?)[)）]\s*$")


def read_prose(lines: list[str], start: int, source: str) -> tuple[list[Row], list[str]]:
    """Rows of prose items: (一)题目。要求……(牵头单位:…;责任单位:…)."""
    rows: list[Row] = []
    notes: list[str] = []
    heading = ""
    for j, text in _body(lines, start, notes):
        m = _HEADING.match(text)
        if m:
            heading = m[2].strip()
            continue
        m = PROSE_ITEM.match(text)
        if not m:
            if rows and not rows[-1].unit_text:
                rows[-1].requirement += text  # a paragraph broken in two
            continue
        body = m[2].strip()
        units = ""
        bracket = _UNIT_BRACKET.search(body)
        if bracket:
            units, body = bracket[1], body[: bracket.start()].strip()
        title, _, requirement = body.partition("。")
        rows.append(Row(line=j + 1, group=m[1], title=title.strip(), category=heading,
                        requirement=requirement.strip() or title.strip(), numbered=str(chinese_number(m[1])),
                        unit_text=units, default_role="responsible", due_text=None))
    return rows, notes
