"""PDF files into a :class:`~.document.Document`, with pdfplumber.

- **Ruled tables** (cells drawn with lines, as Word, WPS and LibreOffice
  print them) are read as tables.  pdfplumber gives each merged cell once;
  the positions it covers (to its right, below it) are resolved here to its
  text, marked ``spanned``.  A table that goes on at the top of the next page
  with the same columns is one table (a repeated header row is left to the
  extractor, which skips it); a cell split by the page break is empty on the
  second page and takes the merged value like any cell merged down.  A row
  whose own text is split by a page break (Word's "allow row to break across
  pages") reads as two rows: nothing in the PDF tells its second part from a
  row whose merged cells are empty.
- **Text** outside tables goes, page by page, through the plain-text reader
  (every flattened layout it knows), with the page and line kept; a printed
  line that runs to the right margin is joined with the next one first (the
  page wrapped it, the writer did not).
- **A scanned PDF** (no text layer on any page) is refused in one line that
  says it needs OCR.
"""

from __future__ import annotations

import io
import re

from .document import Cell, Document, Paragraph, Table, Where
from .problems import FormatProblem

_SNAP = 3.0  # points: cell edges closer than this are one edge


def read_pdf(data: bytes, name: str) -> Document:
    try:
        import pdfplumber  # lazily: only `deadlines import` of a PDF needs it
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise FormatProblem("broken", name, kind="PDF", reason=str(exc)) from None
    from .text import read_text

    doc = Document(blocks=[], name=name, kind="pdf")
    line = 0
    tables = 0
    any_text = False
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise FormatProblem("encrypted", name) from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise FormatProblem("broken", name, kind="PDF", reason=type(exc).__name__) from None
    with pdf:
        open_table: tuple[Table, list[float]] | None = None  # the last table, and its column edges
        going_on = False  # the last paragraph runs to the margin: it goes on on the next page
        for number, page in enumerate(pdf.pages, 1):
            if not page.chars:
                continue
            any_text = True
            found = page.find_tables()
            found.sort(key=lambda t: t.bbox[1])
            top = 0.0
            pieces: list[tuple[str, object]] = []
            for t in found:
                pieces.append(("text", page.crop((0, top, page.width, max(t.bbox[1], top)), strict=False)))
                pieces.append(("table", t))
                top = t.bbox[3]
            pieces.append(("text", page.crop((0, min(top, page.height), page.width, page.height), strict=False)))
            for kind, piece in pieces:
                if kind == "text":
                    text, indented, ends_wrapped = _paragraphs(piece)
                    if not text.strip():
                        continue
                    sub = read_text(text, name)
                    if (going_on and not indented and sub.blocks and isinstance(sub.blocks[0], Paragraph)
                            and doc.blocks and isinstance(doc.blocks[-1], Paragraph)):
                        doc.blocks[-1].text += sub.blocks.pop(0).text  # the paragraph goes on from the page before
                    going_on = ends_wrapped
                    for block in sub.blocks:
                        line += 1
                        if isinstance(block, Paragraph):
                            block.where = Where(line, file=name, page=number)
                        else:
                            for row in block.rows:
                                for cell in row:
                                    cell.where = Where(line, file=name, page=number)
                            block.where = Where(line, file=name, page=number)
                        doc.blocks.append(block)
                    open_table = None
                    continue
                rows, edges = _rows(piece)
                if not rows:
                    continue
                going_on = False
                if open_table is not None and doc.blocks and doc.blocks[-1] is open_table[0] \
                        and _same_columns(open_table[1], edges):
                    table = open_table[0]  # the table goes on from the page before
                    table_no = table.where.table
                    first_row = len(table.rows) + 1
                else:
                    tables += 1
                    table_no, first_row = tables, 1
                    table = Table([], Where(line + 1, file=name, page=number, table=table_no, row=1))
                    doc.blocks.append(table)
                for k, row in enumerate(rows):
                    line += 1
                    where = Where(line, file=name, page=number, table=table_no, row=first_row + k)
                    table.rows.append([Cell(text, where, spanned) for text, spanned in row])
                open_table = (table, edges)
    if not any_text:
        raise FormatProblem("needs_ocr", name)
    return doc


def _paragraphs(region) -> tuple[str, bool, bool]:
    """The text of a region, a printed line that runs to the right margin joined
    with the next one (a paragraph wrapped by the page, not by its writer),
    unless the next is indented (a new paragraph).  Also: whether the first
    line is indented, and whether the last one runs to the margin (the
    paragraph goes on on the next page)."""
    lines = region.extract_text_lines(return_chars=False, strip=True)
    if not lines:
        return "", False, False
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    sizes = sorted(ln["bottom"] - ln["top"] for ln in lines)
    size = sizes[len(sizes) // 2] or 10.0
    out: list[str] = []
    wrapped = False
    for ln in lines:
        indented = ln["x0"] > left + 1.5 * size or bool(_NUMBERED.match(ln["text"]))
        if wrapped and not indented and out:
            out[-1] += ln["text"]
        else:
            out.append(ln["text"])
        wrapped = ln["x1"] >= right - 2.5 * size and len(lines) > 1
    first_indented = lines[0]["x0"] > left + 1.5 * size or bool(_NUMBERED.match(lines[0]["text"]))
    return "\n".join(out), first_indented, wrapped and not _ENDS.search(lines[-1]["text"])


_ENDS = re.compile(r"[。；;：:！!？?）)]$")
# A line that starts a numbered item starts a paragraph: 一、 (一) 1. (1) ①.
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[①-⑳])")


def _rows(table) -> tuple[list[list[tuple[str, bool]]], list[float]]:
    """A pdfplumber table's rows as (text, spanned) per grid position, and its column edges."""
    cells = table.cells
    if not cells:
        return [], []
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    cols, nrows = len(xs) - 1, len(ys) - 1
    if cols < 1 or nrows < 1:
        return [], []
    page = table.page
    grid: list[list[tuple[str, bool] | None]] = [[None] * cols for _ in range(nrows)]
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        text = _cell_text(page, (x0, top, x1, bottom))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < nrows and c < cols and grid[r][c] is None:
                    grid[r][c] = (text, (r, c) != (r0, c0))
    rows = [[cell if cell is not None else ("", False) for cell in row] for row in grid]
    return rows, xs


def _cell_text(page, bbox) -> tuple[str, bool]:
    """The text inside a cell, lines the cell's width wrapped joined, the
    writer's own line breaks kept as "\n"; and whether its last line runs to
    the cell's edge (the text may go on on the next page)."""
    region = page.crop(bbox, strict=False)
    lines = region.extract_text_lines(return_chars=False, strip=True)
    if not lines:
        return ""
    size = sorted(ln["bottom"] - ln["top"] for ln in lines)[len(lines) // 2] or 10.0
    edge = bbox[2] - 2.5 * size  # the cell's right border, less its padding and one character
    out: list[str] = []
    wrapped = False
    for ln in lines:
        if wrapped and out:
            out[-1] += ln["text"]
        else:
            out.append(ln["text"])
        wrapped = ln["x1"] >= edge
    return "\n".join(out)


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= _SNAP * 2 for x, y in zip(a, b))
