"""Excel workbooks into a :class:`~.document.Document`: .xlsx with openpyxl,
.xls (Excel 97–2003, WPS .et) with xlrd, and through LibreOffice where xlrd
cannot read a file (some WPS saves).

Every sheet is read, in order.  Merged ranges are resolved: each position a
merge covers holds the merged cell's text, marked ``spanned``.  In a sheet,
the rows from the first row with two or more different values (the header)
to the last such row are one table — a row merged across it inside is a
heading row of the table; the rows above it (the title merged across the
sheet, the document number, a date) and below it (notes, 抄送) are
paragraphs.  The header itself is found by the extractor through the
vocabulary, as for every other format.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

from .document import Cell, Document, Paragraph, Table, Where
from .problems import FormatProblem


def read_xlsx(data: bytes, name: str) -> Document:
    try:
        from openpyxl import (
            load_workbook,  # lazily: only `deadlines import` of a workbook needs it
        )
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise FormatProblem("broken", name, kind=".xlsx", reason=str(exc)) from None
    try:
        # Not read_only: read-only worksheets do not report merged ranges.
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything from zipfile, XML and its own checks
        raise FormatProblem("broken", name, kind=".xlsx", reason=type(exc).__name__) from None
    doc = Document(blocks=[], name=name, kind="xlsx")
    line = 0
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            doc.notes.append(f"隐藏的工作表“{sheet.title}”未读入")
            continue
        grid = [[_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
        spans = [(m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in sheet.merged_cells.ranges]
        line = _sheet_blocks(doc, name, sheet.title, grid, spans, line)
    return doc


def read_xls(data: bytes, name: str) -> Document:
    import xlrd  # lazily

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception:  # noqa: BLE001 - xlrd cannot read some WPS saves: LibreOffice can
        from .office import convert

        doc = read_xlsx(convert(data, name, "xls"), name)
        doc.kind = "xls"
        return doc
    doc = Document(blocks=[], name=name, kind="xls")
    line = 0
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0):
            doc.notes.append(f"隐藏的工作表“{sheet.name}”未读入")
            continue
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    except (ValueError, OverflowError):
                        value = cell.value
                    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                    row.append(_text(value, fmt.format_str if fmt else "yyyy-mm-dd"))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(_text(cell.value, ""))
            grid.append(row)
        line = _sheet_blocks(doc, name, sheet.name, grid, list(sheet.merged_cells), line)
    return doc


def _text(value, number_format: str) -> str:
    """A cell's value as the text a reader of the sheet sees."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) or isinstance(value, date):
        fmt = (number_format or "").lower()
        if "d" not in fmt.replace("[red]", ""):
            return f"{value.year}年{value.month}月"
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _sheet_blocks(doc: Document, name: str, sheet: str, grid: list[list[str]],
                  spans: list[tuple[int, int, int, int]], line: int) -> int:
    """A sheet's rows as paragraphs and one table (see the module docstring); returns the line counter."""
    spanned: set[tuple[int, int]] = set()
    for rlo, rhi, clo, chi in spans:
        if rlo >= len(grid):
            continue
        value = grid[rlo][clo] if clo < len(grid[rlo]) else ""
        for r in range(rlo, min(rhi, len(grid))):
            for c in range(clo, chi):
                if (r, c) == (rlo, clo):
                    continue
                while c >= len(grid[r]):
                    grid[r].append("")
                grid[r][c] = value
                spanned.add((r, c))
    width = max((c + 1 for row in grid for c, t in enumerate(row) if t), default=0)
    if not width:
        return line

    def distinct(row: list[str]) -> int:
        return len({t for t in row if t})

    multi = [r for r, row in enumerate(grid) if distinct(row) >= 2]
    first, last = (multi[0], multi[-1]) if multi else (len(grid), -1)
    table_rows: list[list[Cell]] = []
    table_where: Where | None = None
    for r, row in enumerate(grid):
        texts = (row + [""] * width)[:width]
        if not any(texts):
            continue
        line += 1
        where = Where(line, file=name, sheet=sheet, row=r + 1)
        if first <= r <= last:
            table_where = table_where or where
            table_rows.append([Cell(t, where, spanned=(r, c) in spanned) for c, t in enumerate(texts)])
            if r == last:
                doc.blocks.append(Table(table_rows, table_where))
            continue
        seen: list[str] = []
        for t in texts:
            if t and t not in seen:
                seen.append(t)
        doc.blocks.append(Paragraph(" ".join(seen), where))
    return line
