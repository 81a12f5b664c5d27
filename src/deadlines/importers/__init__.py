"""Importing a plan document (its plain text) into a reviewable rules file.

``import_plan(text, source=…)`` finds the plan's metadata, the covering
notice's own deadlines and every task or measure of the body, whatever the
layout (:mod:`.layouts`), and returns the rules file as text plus what a
person should look at.  Nothing is dropped: an unreadable time limit is kept
as written and flagged, a duplicated row is recorded on the row kept, a task
without a time limit is ongoing over the plan period and says so.

Same text in, same bytes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..phrases import parse_phrase
from ..render import explain
from ..units import NAME_END, UnitRegistry, place_of, read_units
from ..yamlout import flow_list, scalar
from .layouts import LIST_TASK, PROSE_ITEM, ImportProblem, Row, find_table, read_list, read_prose, read_table

__all__ = ["import_plan", "Imported", "ImportProblem"]

_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TITLE_END = re.compile(r"(方案|安排|要点|计划|清单|意见)$")
_ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,12}(人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅)$")
# The units a notice is sent to (主送): "各镇人民政府，乾佑街道办事处，县政府各工作部门，事业机构："
_ADDRESSEES = re.compile(r"^(?=.*(各|单位|部门|政府|委会))[^。:：]{4,120}[:：]$")

NO_LIMIT_NOTE = "计划未写完成时限：按计划期内的持续工作处理"


@dataclass
class Imported:
    """A plan read from text: the rules file, and what a person should review."""

    yaml: str
    plan_id: str
    obligations: int
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)


@dataclass
class _Meta:
    title: str = ""
    issuer: str = ""
    document_number: str = ""
    issued: date | None = None
    year: int | None = None
    place: str = ""
    body: int = 0  # index of the line where the plan itself starts
    notice: list[tuple[int, str]] = field(default_factory=list)  # (line, paragraph) of the covering notice
    notice_line: int = 0
    addressees: str = ""


def _metadata(lines: list[str], table: int | None) -> _Meta:
    """What the text says of the plan, read from the lines before its table (at ``table``) or body."""
    meta = _Meta()
    stripped = [line.strip() for line in lines]
    head_end = table if table is not None else len(lines)
    # The plan's own title: a line of its own, not 《quoted》, not the notice's title.
    titles = [i for i, s in enumerate(stripped[:head_end])
              if 4 <= len(s) <= 80 and _TITLE_END.search(s) and not s.startswith(("《", "关于", "根据"))
              and "通知" not in s]
    if titles:
        meta.title = stripped[titles[0]]
        # A notice before the plan names it; the plan starts after its last mention.
        meta.body = max(i for i in titles if stripped[i] == meta.title) + 1
    head = "\n".join(stripped[: meta.body or head_end])
    m = _DOC_NO.search(head)
    meta.document_number = m[0] if m else ""
    for i, s in enumerate(stripped[: meta.body or head_end]):
        if _ISSUER.match(s) and not meta.issuer:
            meta.issuer = s
        if _ADDRESSEES.match(s) and not meta.addressees and "位置" not in s:
            meta.addressees = s.rstrip(":：")
            meta.notice_line = i + 1
    if not meta.issuer:
        m = re.search(r"信息来源[:：]\s*([\u4e00-\u9fff]+)", head)
        meta.issuer = m[1] if m else ""
    dates = list(_DATE.finditer(head))
    m = re.search(r"发布日期[:：]\s*" + _DATE.pattern, head)
    found = m.groups() if m else (dates[-1].groups() if dates else None)
    if found:
        meta.issued = date(*map(int, found))
    m = re.search(r"(\d{4})\s*年", meta.title)
    meta.year = int(m[1]) if m else (meta.issued.year if meta.issued else None)
    meta.place = place_of(meta.title) or place_of(meta.issuer)
    if meta.notice_line:
        for i in range(meta.notice_line, meta.body or head_end):
            s = stripped[i]
            if s == meta.issuer or _DATE.fullmatch(s) or re.fullmatch(r"\d{6,8}", s) or s == meta.title:
                break
            if s:
                meta.notice.append((i + 1, s))
    return meta


def _layout(lines: list[str], table: int | None, meta: _Meta, source: str) -> tuple[str, list[Row], list[str]]:
    if table is not None:
        rows, notes = read_table(lines, table, source)
        return "table", rows, notes
    body = lines[meta.body:]
    if any(PROSE_ITEM.match(s) for s in body):
        rows, notes = read_prose(lines, meta.body, source)
        return "prose", rows, notes
    if any(LIST_TASK.match(s) for s in body):
        rows, notes = read_list(lines, meta.body, source, _looks_like_units)
        return "list", rows, notes
    raise ImportProblem(source, meta.body + 1, "no table, numbered list or (一)… items found after the title")


def _looks_like_units(text: str) -> bool:
    """A line of units (002's unit lines), not a web page's footer."""
    names = read_units(text).all()
    return bool(names) and all(NAME_END.search(n.rstrip(")）")) for n in names)


def _notice_rows(meta: _Meta) -> list[Row]:
    """The covering notice's own deadlines: each clause with a time limit, with
    the clauses around it, is one obligation of the units it is sent to."""
    rows: list[Row] = []
    for line_no, paragraph in meta.notice:
        for sentence in re.split(r"(?<=。)", paragraph):
            clauses = [c for c in re.split(r"(?<=[，,；;])", sentence) if c.strip()]
            timed = [i for i, c in enumerate(clauses)
                     if any(r.kind != "ongoing" for r in parse_phrase(c, year=meta.year, issued=meta.issued,
                                                                       prose=True))]
            for k, i in enumerate(timed):
                begin = 0 if k == 0 else i
                end = timed[k + 1] if k + 1 < len(timed) else len(clauses)
                text = "".join(clauses[begin:end]).strip("，,；;。 ") + "。"
                rows.append(Row(line=line_no, group="通知", title="印发通知的要求",
                                requirement=text, unit_text=meta.addressees, default_role="responsible",
                                due_text=None, numbered=str(len(rows) + 1)))
    return rows


def _prose_due(text: str, year: int | None, issued: date | None) -> tuple[str, list[str]]:
    """Time limits written inside a requirement: the clauses holding them, and the rules."""
    clauses = [c.strip("，,；;。 ") for c in re.split(r"[，,；;。]", text) if c.strip("，,；;。 ")]
    found: list[str] = []
    rules: list[str] = []
    for clause in clauses:
        read = parse_phrase(clause, year=year, issued=issued, prose=True)
        if read:
            found.append(clause)
            rules.extend(explain(r) for r in read if explain(r) not in rules)
    return "；".join(found), rules


def import_plan(
    text: str,
    *,
    source: str,
    year: int | None = None,
    prefix: str | None = None,
    plan_id: str | None = None,
    registry: UnitRegistry | None = None,
    command: str = "",
) -> Imported:
    """Read a plan's text into a rules file (see the module docstring).

    ``registry`` (``rules/units.yaml``) is used and extended with the units met.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    table = find_table(lines)
    meta = _metadata(lines, table)
    if year is not None:
        meta.year = year
    if not meta.title:
        raise ImportProblem(source, 1, "no plan title found (a line ending in 方案/安排/要点/计划)")
    if meta.year is None:
        raise ImportProblem(source, 1, "no plan year in the title and no issue date: give --year")
    layout, rows, notes = _layout(lines, table, meta, source)
    rows = _notice_rows(meta) + rows
    if not rows:
        raise ImportProblem(source, meta.body + 1, "no tasks found")
    registry = registry if registry is not None else UnitRegistry()
    prefix = prefix or plan_id or "plan"
    plan_id = plan_id or prefix

    result = Imported(yaml="", plan_id=plan_id, obligations=0, notes=list(notes))
    out: list[str] = []
    if command:
        out.append(f"# Generated by `{command}`, then reviewed.")
    out += [
        f"# Source: {source} ({layout}). Every task or measure of the document is one",
        "# obligation; `due_text` is the time limit as written, read on loading unless",
        "# `due` says otherwise. Hand corrections are marked `# reviewed:`.",
        f"id: {scalar(plan_id)}",
        f"title: {scalar(meta.title)}",
    ]
    for key, value in (("issuer", meta.issuer), ("document_number", meta.document_number),
                       ("place", meta.place)):
        if value:
            out.append(f"{key}: {scalar(value)}")
    if meta.issued:
        out.append(f"issued: {meta.issued.isoformat()}")
    out.append(f"year: {meta.year}")
    out.append(f"source: {scalar(source)}")
    out.append("obligations:")

    positions: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row.group] = sizes.get(row.group, 0) + 1
    group_numbers: dict[str, int] = {}
    new_units: list[str] = []
    for row in rows:
        positions[row.group] = positions.get(row.group, 0) + 1
        if row.group == "通知":
            item = f"通知.{positions[row.group]}"
        elif layout == "list":
            item = row.numbered
        else:
            number = row.group if row.group.isdigit() else None
            if number is None:
                number = str(group_numbers.setdefault(row.group, len(group_numbers) + 1))
            elif layout == "prose":
                number = row.numbered
            item = number if sizes[row.group] == 1 else f"{number}.{positions[row.group]}"
        ob_id = f"{prefix}-{item}"
        cell = read_units(row.unit_text, row.default_role)
        for name in cell.all():
            _, changed = registry.extend(meta.place, name)
            if changed:
                new_units.append(name)
        review = list(row.review)
        due_lines: list[str] = []
        due_text = row.due_text
        if due_text is None or not due_text.strip():
            found, rules = _prose_due(row.requirement, meta.year, meta.issued)
            if rules:
                due_text = found
                due_lines = [f"    due: {flow_list(rules)}"]
            else:
                due_text = ""
                due_lines = [f"    due: {{kind: ongoing, note: {scalar(NO_LIMIT_NOTE)}}}"]
        out.append(f"  - id: {scalar(ob_id)}")
        out.append(f"    source: {{item: {scalar(item)}, line: {row.line}}}")
        if row.category and row.category != row.title:
            out.append(f"    category: {scalar(row.category)}")
        out.append(f"    title: {scalar(row.title or row.requirement[:30])}")
        if row.requirement:
            out.append(f"    requirement: {scalar(row.requirement)}")
        roles = {r: names for r, names in cell.model_dump().items() if names}
        if roles:
            out.append("    units: {" + ", ".join(f"{k}: {flow_list(v)}" for k, v in roles.items()) + "}")
        if due_text:
            out.append(f"    due_text: {scalar(due_text)}")
        out += due_lines
        if row.notes:
            out.append(f"    note: {scalar('；'.join(row.notes))}")
        if review:
            out.append(f"    review: {flow_list(review)}")
        result.review += [f"{ob_id}: {r}" for r in review]
        result.obligations += 1
        out.append("")
    result.yaml = "\n".join(out).rstrip("\n") + "\n"
    result.new_units = new_units
    return result
