"""The tasks of a table: the header read through the vocabulary and lined up
with the columns (two-level headers, merged cells a copy dropped), merged
cells carried down, heading rows read as categories, a card of label | value
rows read as one task; a schedule's columns (一季度 | 二季度 …) date the rows that mark them."""

from __future__ import annotations

import re

from ..model import Units
from ..unitcells import read_units
from .charset import Plain
from .document import Cell, Table, Where
from .fit import fit, is_seq
from .task import (
    CN,
    H1,
    H2,
    UNIT_RULE,
    Context,
    Task,
    join_due,
    merge_units,
    sets_limit,
    squash,
    strip_number,
    strip_title,
    unit_rule,
)
from .vocabulary import TEXT_FIELDS, UNIT_FIELDS, column_field, header_fields, period_column, vocabulary


def header_rows(table: Table, plain: Plain) -> tuple[int, int]:
    """(first header row, first data row); (-1, 0) when the table has no header."""
    for r, row in enumerate(table.rows[:6]):
        cells = [plain(c.text) for c in row if c.text.strip()]
        named = header_fields(cells)
        if len(cells) >= 2 and sum(1 for f in named if f) >= max(2, (len(cells) + 1) // 2) \
                and any(f in TEXT_FIELDS for f in named if f):
            end = r + 1
            # Sub-header rows: every cell a header word, no task text.
            while end < len(table.rows):
                sub = [plain(c.text) for c in table.rows[end] if c.text.strip()]
                if sub and all(column_field(c) for c in sub) and not any(is_seq(c) for c in sub):
                    end += 1
                else:
                    break
            return r, end
    return -1, 0


def _align_header(top: list[str], width: int, data: list[list[str]]) -> list[str]:
    """The field of each of ``width`` columns, given a top header of fewer (or as
    many) cells: each header cell spans one or more columns, chosen so the
    columns' contents fit their fields best.  Where a task or category header
    spans several columns, the first is the category and the last the title."""
    fields = [f or "other" for f in header_fields(top)]
    k = len(fields)
    if k == width:
        return fields
    if k > width:
        return fields[:width]

    def col_fit(f: str, c: int) -> float:
        return sum(fit(f, row[c]) for row in data[:12] if c < len(row))

    neg = float("-inf")
    best = {(0, 0): (0.0, [])}
    for h in range(k):
        for c in range(width):
            if (h, c) not in best:
                continue
            score, spans = best[(h, c)]
            for span in range(1, width - c - (k - h - 1) + 1):
                if h == k - 1 and c + span != width:
                    continue
                # Two-level headers are mostly categories (一级事项 / 二级事项) over their levels.
                cost = 0.1 if fields[h] in ("category", "title") else 0.6
                gain = sum(col_fit(fields[h], c + j) for j in range(span)) - cost * (span - 1)
                key = (h + 1, c + span)
                if gain + score > best.get(key, (neg,))[0]:
                    best[key] = (score + gain, spans + [span])
    spans = best.get((k, width), (0.0, [1] * k))[1]
    out: list[str] = []
    for f, span in zip(fields, spans):
        if span > 1 and f in ("category", "title"):
            out += ["category"] + ["other"] * (span - 2) + ["title"]
        else:
            out += [f] * span if f == "other" else [f] + ["other"] * (span - 1)
    return out


def _align_row(cells: list[Cell], fields: list[str]) -> tuple[list[Cell | None], str]:
    """A row with fewer cells than columns (a copied web table drops the cells a
    merge covered): the columns it lacks, chosen by fit; None for each.  Also, where
    a row with empty cells at its end was a close call, what was decided (to review):
    "moved" off its own columns, or "kept" in them."""
    width = len(fields)
    n = len(cells)
    kept = _fit_row(cells, fields)
    # Empty cells at the end of a row may be the ones a merge took from its start:
    # "3.及时反馈… | 各科室 | |" under 工作任务 | 具体要求 | 责任部门 is a row whose
    # 工作任务 cell was merged from above.  More often they are just empty (no
    # 配合单位: "2 | 整治河道 | 10月底前 | 县水利局 | |"), so the row keeps its cells in
    # place unless the cells with text fit the columns to their right clearly
    # better.  A row that keeps its merged cells as empty ones
    # ("| | 推进… | 市财政局 | 全年 | |") is aligned as it is.
    filled = n
    while filled and not cells[filled - 1].text.strip():
        filled -= 1
    if filled < min(n, width) and filled and all(c.text.strip() for c in cells[:filled]):
        moved = _fit_row(cells[:filled], fields)
        if moved[0] > kept[0] + _MOVE_MARGIN:
            return moved[1], "moved" if moved[0] < kept[0] + _SURE_MARGIN else ""
        if moved[0] > kept[0]:
            return kept[1], "kept"
    return kept[1], ""


# How much better the cells of a row must fit other columns before the row is
# moved off the columns it was written in (about one cell's worth: a unit name
# in a unit column rather than a task column), and below which margin the move
# is a close call, flagged for review.
_MOVE_MARGIN = 1.5
_SURE_MARGIN = 3.0
_TIE = 1e-3  # where cells fit two placements equally, they stay where they were written


def _fit_row(cells: list[Cell], fields: list[str]) -> tuple[float, list[Cell | None]]:
    """The columns of ``cells`` (a row of at most as many cells as columns) that
    fit best, None for each column a merge covered, and the fit."""
    width = len(fields)
    n = len(cells)
    if n >= width:
        row = list(cells[:width])
        return sum(fit(f, c.text) for f, c in zip(fields, row)), row
    missing = width - n
    absent_cost = {f: (0.2 if f in ("category", "seq", "other") else 0.4 if f in UNIT_FIELDS + ("due", "title")
                       else 1.5) for f in set(fields)}
    neg = float("-inf")
    best = {(0, 0): (0.0, [])}
    for c in range(width):
        for i in range(n + 1):
            if (i, c) not in best:
                continue
            score, taken = best[(i, c)]
            if i < n:  # the next cell goes in column c (on a tie, the column it was written in)
                key = (i + 1, c + 1)
                cand = score + fit(fields[c], cells[i].text) + (_TIE if i == c else 0.0)
                if cand > best.get(key, (neg,))[0]:
                    best[key] = (cand, taken + [cells[i]])
            if c - i < missing:  # column c is covered by a merge
                key = (i, c + 1)
                cand = score - absent_cost[fields[c]]
                if cand > best.get(key, (neg,))[0]:
                    best[key] = (cand, taken + [None])
    return best.get((n, width), (0.0, list(cells) + [None] * missing))


_SEQ_STYLE = (("paren", re.compile(r"^[(（]\d+[)）]$")), ("digit", re.compile(r"^\d+[.、．]?$")),
              ("cn", re.compile(rf"^[{CN}]+[、.．]?$")), ("cnparen", re.compile(rf"^[(（][{CN}]+[)）]$")))


def _seq_style(text: str) -> str:
    t = text.strip()
    return next((name for name, pat in _SEQ_STYLE if pat.match(t)), "")


def _record_table(table: Table, plain: Plain) -> list[tuple[str, str, Where]] | None:
    """A table of 'label | value' rows (a task card, a page's metadata)."""
    pairs: list[tuple[str, str, Where]] = []
    for row in table.rows:
        cells = [c for c in row if c.text.strip()]
        if not cells:
            continue
        if len(cells) == 1:
            if pairs:
                label, value, where = pairs[-1]
                pairs[-1] = (label, (value + "\n" + cells[0].text).strip(), where)
                continue
            return None
        for a, b in zip(cells[0::2], cells[1::2]):
            pairs.append((plain(a.text).strip().rstrip(":：").strip(), b.text.strip(), a.where))
    labelled = sum(1 for label, _, _ in pairs if len(label) <= 16)
    return pairs if pairs and labelled == len(pairs) else None


def table_tasks(table: Table, ctx: Context) -> list[Task]:
    """The tasks of one table (see the module docstring)."""
    plain = ctx.plain
    table = _across_merges_once(table)
    top, data_start = header_rows(table, plain)
    if top < 0:
        record = _record_table(table, plain)
        if record is not None:
            return _record_tasks(record, ctx)
        return []
    header_cells = [plain(c.text) for c in table.rows[top]]
    while header_cells and not header_cells[-1].strip():
        header_cells.pop()
    above: list[list[Cell]] = []
    for row in table.rows[:top]:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if len(texts) == 1 and not table.caption:
            table.caption = texts[0]
        elif len(texts) >= 2 and len(row) == len(header_cells) and \
                vocabulary().page_fields.isdisjoint(plain(t).rstrip(":：") for t in texts):
            above.append(row)  # a row of the table's shape above its header: a row of it, never dropped
    data = above + table.rows[data_start:]
    # The full rows are the longest (a copied web table drops the cells a merge
    # covered; an excerpt cuts its last row); trailing empty cells ('|||') do not count.
    lengths = [len(row) for row in data if sum(1 for c in row if c.text.strip()) >= 2]
    width = max(lengths) if lengths else len(header_cells)
    if data_start == top + 1 and len(header_cells) <= width + 1:
        width = max(width, len(header_cells))
    data = [_trim(row, width) for row in data]
    header_cells = _under_spans(header_cells, table.rows[top + 1:data_start], width, plain)
    texts = [[plain(c.text) for c in row] for row in data if len(row) == width]  # full rows line up
    fields = _header_fields(header_cells, width, texts, [plain(c.text) for r in table.rows[top + 1:data_start]
                                                         for c in r if c.text.strip()])
    task_col = "requirement" if "requirement" in fields else "title" if "title" in fields else None
    if task_col is None:
        return []
    seq_styles = [_seq_style(row[fields.index("seq")].text) for row in data
                  if "seq" in fields and len(row) == width and row[fields.index("seq")].text.strip()]
    seq_styles = [style for style in seq_styles if style]
    task_style = max(sorted(set(seq_styles)), key=seq_styles.count) if seq_styles else ""
    # A schedule's columns, by place: the part of the year each one names (一季度 | 二季度 …).
    schedule = {k: squash(table.rows[top][k].text) for k, fld in enumerate(fields)
                if fld == "other" and k < len(header_cells) and period_column(plain(table.rows[top][k].text))}
    tasks: list[Task] = []
    previous: dict[str, str] = {}
    previous_raw: list[str] | None = None
    heading = ""
    for row in data:
        if not any(c.text.strip() for c in row):
            continue
        raw = [c.text for c in row]
        if raw == previous_raw and tasks:
            first, last = row[0].where.line, row[-1].where.line
            tasks[-1].notes.append(f"源文件第{first}–{last}行与上一行完全相同，仅保留一条")
            tasks[-1].review.append(f"duplicate row: 第{first}–{last}行重复上一行，已略去")
            continue
        previous_raw = raw
        if [plain(c.text).strip() for c in row[: len(header_cells)]] == [h.strip() for h in header_cells]:
            continue  # the header repeated after a page break
        aligned, doubtful = _align_row(row, fields)
        values: dict[str, str] = {}
        where = row[0].where
        for fld, cell in zip(fields, aligned):
            text = cell.text.strip() if cell is not None else ""
            if fld in UNIT_FIELDS and cell is not None and cell.breaks:
                text = re.sub(r"\s*\n\s*", "、", text)  # a break typed in the cell parts names
            if fld in values and values[fld] and text and fld != "seq":
                # Two columns of one field: both kept (units and dates by line, texts by sentence).
                values[fld] += ("；" if fld in TEXT_FIELDS else "\n") + text
            elif fld not in values or not values[fld]:
                values[fld] = text
        present = [f for f, c in zip(fields, aligned) if c is not None and c.text.strip()]
        if tasks and present == [task_col] and _ELEMENT.match(plain(values[task_col]).strip()):
            # "【联系方式】 | ||||||": one more element of the content above (a catalogue's
            # 内容标准 broken over rows), not a task.
            tasks[-1].requirement += "\n" + values[task_col].strip()
            continue
        if _is_heading_row(present, values, task_col, task_style, plain, first=not tasks) and not (
                len(present) == 1 and sets_limit(plain(values[present[0]]), ctx)):
            heading = strip_title(" ".join(values[f] for f in present if f != "seq" or len(present) == 1)).rstrip("。")
            previous = {f: v for f, v in previous.items() if f not in ("title", "category")}
            continue
        for fld in ("title", "category"):
            if fld != task_col and (H1.match(plain(values.get(fld, ""))) or H2.match(plain(values.get(fld, "")))):
                values[fld] = strip_title(values[fld]).rstrip("。")
        own_units = any(values.get(f) for f in ("lead", "responsible"))
        not_carried = ""
        for fld in fields:
            if fld == task_col or fld == "seq" and values.get("seq"):
                continue
            if not values.get(fld) and previous.get(fld):
                if fld == "cooperating" and own_units:
                    # Beside the row's own lead an empty 配合单位 is mostly none at all, less
                    # often a cell merged with the one above: read as none, flagged.
                    not_carried = previous[fld]
                    continue
                values[fld] = previous[fld]  # a merged cell: the value of the row above
        previous = {f: values.get(f, "") for f in fields}
        numbered, text = strip_number(squash(values.get(task_col, "")))
        if not text:
            # A row whose only text is in another column (a lone dated cell) keeps it as its task.
            text = squash(next((values[f] for f in present if f in TEXT_FIELDS), ""))
        if not text and tasks and any(values.get(f) for f in present if f == "due" or f in UNIT_FIELDS):
            # Its task cell merged from the row above: the same task, with this row's own limit or units.
            text = tasks[-1].requirement
        lone_limit = not text and "due" in present
        if lone_limit:  # a dated cell with no task beside it or above it: kept as its own, flagged
            text = squash(values["due"])
        if not text:
            continue
        category = squash(values.get("category", "")) or (heading if task_col == "requirement" else "")
        if task_col == "requirement":
            title = squash(values.get("title", "")) or category or heading
        else:
            title = category or heading
        unit_parts = [read_units(unit_text(plain(values[f]), ctx), f) for f in fields if f in UNIT_FIELDS and values.get(f)]
        units = merge_units(*unit_parts) if unit_parts else Units()
        due_text = join_due(values.get("due", "")) if "due" in fields else None
        # A schedule's columns (一季度 | 二季度 …): a column with text in this row is due by its end.
        by_column = [period for k, period in schedule.items() if aligned[k] is not None and aligned[k].text.strip()]
        if by_column:
            due_text = join_due("\n".join([due_text or "", *by_column]))
        seq = values.get("seq", "").strip()
        group = re.sub(r"[()（）.、．\s]", "", seq) or category or squash(values.get("title", "")) or heading
        task = Task(where=where, group=group, title=title or text[:30], requirement=text, units=units,
                    due_text=due_text, category=category if task_col == "requirement" else (heading if category else ""),
                    numbered=numbered)
        if "person" in fields and values.get("person"):
            task.persons.append(squash(values["person"]))
        # Columns of the table's own (地点, 投资金额, 推进情况) are kept beside the task, never read.
        own = [f"{squash(table.rows[top][k].text) or '列' + str(k + 1)}：{squash(cell.text)}"
               for k, (fld, cell) in enumerate(zip(fields, aligned))
               if fld == "other" and cell is not None and cell.text.strip() and k < len(header_cells)]
        if own:
            task.notes.append("；".join(own))
        if lone_limit:
            task.review.append(f"no task: 第{where.line}行只有时限，没有任务，整格作为一项，请核对")
        if not_carried:
            task.review.append(f"empty cooperating: 第{where.line}行配合单位为空，视为无配合单位"
                               f"（若与上一行合并，应为：{squash(not_carried)}），请核对")
        if doubtful == "moved":
            task.review.append(f"row moved: 第{where.line}行末尾的单元格为空，按内容视为首格被合并，各格已按内容右移，请核对")
        elif doubtful == "kept":
            task.review.append(f"row kept: 第{where.line}行末尾的单元格为空，各格按所在列读；若是首格被合并，各格应右移，请核对")
        tasks.append(task)
    return tasks


def _across_merges_once(table: Table) -> Table:
    """A cell merged across columns counts once, in its first column: a heading
    row merged across the table ('一、主要预期目标') is one cell, as a copied text
    shows it, not a task with the heading in every column.  Cells merged down
    keep their value in each row (the value the extractor would carry down)."""
    if not any(c.spanned for row in table.rows for c in row):
        return table
    rows = [[Cell("", c.where, spanned=True) if c.spanned and k and row[k - 1].text == c.text else c
             for k, c in enumerate(row)] for row in table.rows]
    return Table(rows, table.where, table.caption)


_ELEMENT = re.compile(r"^(?:【[^【】]{1,12}】\s*)+$")


def _is_heading_row(present: list[str], values: dict[str, str], task_col: str, task_style: str,
                    plain: Plain, first: bool = True) -> bool:
    """A row that heads the rows under it: a lone cell that is no task ('一、主要预期目标 | |||',
    or, before the table's first task, a short name without a number where the tasks are
    numbered: '发展目标 |'), or a number of another style than the tasks' with no unit or date
    ('1 | 大力提振消费。| ||').  After a task, a short lone task cell is a task whose other
    cells were merged from the row above ('| 疏浚农村沟渠 | |')."""
    if len(present) == 1:
        only = plain(values[present[0]]).strip()
        if present[0] == task_col and task_style and len(only) <= 12 and not re.search(r"[，,。；;：:\d]", only):
            return first or bool(H1.match(only) or H2.match(only))
        return present[0] not in (task_col, "seq") or bool(H1.match(only) or H2.match(only))
    unit_or_due = [f for f in present if f in UNIT_FIELDS + ("due",)]
    return bool(task_style) and "seq" in present and _seq_style(values["seq"]) != task_style and not unit_or_due


def _header_fields(top: list[str], width: int, data: list[list[str]], sub: list[str]) -> list[str]:
    if len(top) > width:
        # A two-level header read as one row (one cell per line): the top cells
        # first, the sub-columns of the spanning ones after them.
        best: tuple[float, list[str]] | None = None
        extra = len(top) - width
        for k in range(extra, len(top) - 2 * extra + 1):
            fields = _align_header(top[:k], width, data)
            score = sum(fit(f, row[c]) for row in data[:12] for c, f in enumerate(fields) if c < len(row))
            if best is None or score > best[0]:
                best = (score, fields)
        return best[1] if best else [f or "other" for f in header_fields(top[:width])]
    if width > len(top) and "序号" not in top and any(is_seq(row[c]) for row in data[:6] for c in range(min(width, len(row)))):
        # A 序号 column the header does not name (its cell left blank): tried in every place.
        candidates = [top] + [top[:at] + ["序号"] + top[at:] for at in range(len(top) + 1)]
        scored = []
        for cand in candidates:
            fields = _align_header(cand, width, data)
            scored.append((sum(fit(f, row[c]) for row in data[:12] for c, f in enumerate(fields) if c < len(row)),
                           -len(scored), fields))
        return max(scored)[2]
    return _align_header(top, width, data)


def _under_spans(top: list[str], subs: list[list[Cell]], width: int, plain: Plain) -> list[str]:
    """A header of two rows that line up column by column (责任单位 above 牵头单位 | 配合单位, a
    merged cell over its parts): each column named by the lowest of its header words that names
    a field, so a column under a spanning cell keeps its own role.  A row lines up when it keeps
    the cells under the top row's merged ones (empty, or spanned: its first is); a copied web
    table drops them (一级事项 | 二级事项 … from the first column on), and is left to the fit of
    the header's cells to the columns' contents."""
    names = list(top) + [""] * max(0, width - len(top))
    for row in subs:
        filled = [k for k, c in enumerate(row) if c.text.strip() and not c.spanned]
        if not filled or filled[0] == 0 or filled[-1] >= width:
            continue  # not in the columns' places
        for k in filled:
            word = plain(row[k].text)
            if column_field(word):
                names[k] = word
    while names and not names[-1].strip():
        names.pop()
    return names


def _trim(row: list[Cell], width: int) -> list[Cell]:
    while len(row) > width and not row[-1].text.strip():
        row = row[:-1]
    return row


def unit_text(text: str, ctx: Context) -> str:
    """A unit cell without the words that state a rule (下同, 以下…不再列出), in brackets or as
    the cell's last clauses ("市直各部门,各县市区,以下均需各县市区落实,不再逐一列出"); the rule
    is kept (:func:`unit_rule`: the first named leads, the units every task adds)."""
    out = text
    for m in re.finditer(r"[(（]([^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]", text):
        if UNIT_RULE.search(m[1]):
            unit_rule(m[1], ctx)
            out = out.replace(m[0], "")
    clauses = re.split(r"([,，;；。])", out)
    for k in range(0, len(clauses), 2):
        if UNIT_RULE.search(clauses[k]):  # the rule and what follows it are no names
            unit_rule("".join(clauses[k:]), ctx)
            out = "".join(clauses[:max(k - 1, 0)])
            break
    return out.strip()


def _record_tasks(pairs: list[tuple[str, str, Where]], ctx: Context) -> list[Task]:
    """A task card: '重点工作: | 135.… |', '牵头单位: | … |', '年度目标: | … |'; none from a page's
    metadata (文件名称 | … with 索引号, 成文日期: the plan's own details, read by meta)."""
    if not vocabulary().page_fields.isdisjoint(label for label, _, _ in pairs):
        return []
    labels = {label: (value, where) for label, value, where in pairs}
    task_label = next((label for label, _, _ in pairs if column_field(label) in ("title", "requirement")), None)
    if task_label is None:
        return []
    value, where = labels[task_label]
    numbered, text = strip_number(squash(value))
    units = Units()
    due_parts: list[str] = []
    extra: list[str] = []
    for label, val, _ in pairs:
        fld = column_field(label)
        if label == task_label:
            continue
        if fld in UNIT_FIELDS:
            units = merge_units(units, read_units(ctx.plain(val), fld))
        elif fld == "due":
            due_parts.append(join_due(val))
        elif fld == "requirement":
            extra.append(squash(val))
    task = Task(where=where, group=numbered or text[:20], title=text[:30] if not extra else text,
                requirement=" ".join([text] + extra) if extra else text, units=units,
                due_text="；".join(due_parts) if due_parts else None, numbered=numbered)
    return [task]
