"""The document model every reader produces and the one extractor reads.

A plan arrives as plain text in any layout, a Word or Excel file, a web page
or a PDF.  Each reader turns its source into a :class:`Document`: an ordered
list of blocks, each a :class:`Paragraph` or a :class:`Table`, each keeping
where it came from (:class:`Where`).  Layout is the reader's business: a table
reaches the extractor as rows of cells, merged cells already resolved where
the format records them, whatever tabs, pipes, blank lines or XML it was
written with.

Text keeps the characters of the source (traditional characters, inline
pinyin and all), so a reviewer finds it in the document; :func:`plain` gives
the form units and time limits are read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(frozen=True)
class Where:
    """Where a block or cell came from: a line of a text file, or a place in an office file."""

    line: int  # 1-based line of the text (for office files: the paragraph or row counter)
    file: str = ""
    sheet: str = ""  # a spreadsheet's sheet name
    table: int = 0  # 1-based table number in an office file (0: not a table / not known)
    row: int = 0  # 1-based row in that table or sheet
    page: int = 0  # 1-based page of a PDF

    def describe(self) -> str:
        """'第12行', 'Sheet1 第4行', '表2 第5行', '第3页'."""
        parts = []
        if self.page:
            parts.append(f"第{self.page}页")
        if self.sheet:
            parts.append(self.sheet)
        if self.table:
            parts.append(f"表{self.table}")
        parts.append(f"第{self.row}行" if self.row else f"第{self.line}行")
        return " ".join(parts)


@dataclass
class Paragraph:
    """A line or paragraph of text: a title, a heading, a numbered item, prose.

    ``level`` is the outline level where the source records one (a Word
    heading style: 1 for Heading 1); 0 where it does not (plain text).
    ``style`` is a hint from the source ("title" for a Word Title paragraph or
    an HTML <h1>), never needed.
    """

    text: str
    where: Where
    level: int = 0
    style: str = ""


@dataclass
class Cell:
    """One cell.  ``spanned``: its value is the value of a merged cell above or
    to the left (the source recorded the merge); text readers, which cannot see
    merges, leave a merged cell empty instead.  ``breaks``: each line break in it was typed
    there, between items (a cell Excel quoted in copied rows), never one where a long name
    wrapped."""

    text: str
    where: Where
    spanned: bool = False
    breaks: bool = False


@dataclass
class Table:
    """Rows of cells, header rows included, in source order.

    Rows may differ in length where the source does (a copied web table whose
    merged cells were dropped): the extractor aligns them to the header.
    ``caption`` is the table's title where the source gives one.
    """

    rows: list[list[Cell]]
    where: Where
    caption: str = ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """A plan document as an ordered list of blocks."""

    blocks: list[Block]
    name: str = ""  # the file name, the title of last resort
    notes: list[str] = field(default_factory=list)  # what the reader noticed (cut-off table, footer dropped)
    kind: str = "text"  # text, docx, xlsx, html, pdf

    def paragraphs(self) -> Iterator[Paragraph]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block

    def tables(self) -> Iterator[Table]:
        for block in self.blocks:
            if isinstance(block, Table):
                yield block


def resolve_spans(rows: list[tuple[Where, list[tuple[str, int, int]]]]) -> list[list[Cell]]:
    """Rows of (where, [(text, rowspan, colspan), ...]) as a web page or an
    OpenDocument file records them, into rows of cells with every merge
    resolved: the positions a merged cell covers hold its text, marked
    ``spanned``, with the place of their own row."""
    out: list[list[Cell]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) → the text of the covering cell
    for r, (where, row) in enumerate(rows):
        cells: list[Cell] = []
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in pending:
                cells.append(Cell(pending.pop((r, c)), where, spanned=True))
                c += 1
            rowspan, colspan = max(rowspan, 1), max(colspan, 1)
            cells.append(Cell(text, where))
            cells += [Cell(text, where, spanned=True) for _ in range(colspan - 1)]
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    pending[(r + dr, c + dc)] = text
            c += colspan
        while (r, c) in pending:
            cells.append(Cell(pending.pop((r, c)), where, spanned=True))
            c += 1
        out.append(cells)
    return out  # a rowspan reaching past the last row (browsers allow it) covers nothing
