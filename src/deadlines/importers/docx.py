"""Word .docx files into a :class:`~.document.Document`.

python-docx opens the package (relationships, the main part, styles and
numbering parts); the body is then walked as XML in document order, because
python-docx's own table API resolves merges by rebuilding the grid for every
cell access (quadratic in the rows of a long plan table) and skips text
boxes, nested tables and content controls.

- Paragraphs keep their outline level (a Heading style or ``w:outlineLvl``)
  and their automatic numbering rendered as text ("一、", "(二)", "3.", "①"),
  since the extractor reads the numbers a reader sees.
- Tables: ``w:gridSpan`` (horizontal) and ``w:vMerge`` (vertical) merges are
  resolved to the merged cell's text, the covered positions marked
  ``spanned``; a cell's paragraphs are joined with "\\n"; ``w:br`` is a line
  break.  A table whose every row is one cell is a layout frame: its content
  is read as blocks.  A table nested in a cell adds its rows to that cell's
  text, one line per row.
- Text boxes (where a title often sits) come before the paragraph that
  anchors them.

Every block's :class:`~.document.Where` gives a running counter (``line``,
in document order), the table number and the row.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .document import Cell, Document, Paragraph, Table, Where
from .problems import FormatProblem

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
_TXBX = {"{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}txbx",
         "{urn:schemas-microsoft-com:vml}textbox"}
# Elements whose text is not the document's: deleted text, field instructions,
# the alternative (fallback) rendering of a drawing that holds the same text box twice.
_SKIP = {_W + "del", _W + "instrText", _W + "delText",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def read_docx(data: bytes, name: str) -> Document:
    try:
        import docx  # python-docx: lazily, only `deadlines import` of a .docx needs it
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise FormatProblem("broken", name, kind=".docx", reason=str(exc)) from None
    try:
        package = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatProblem("broken", name, kind=".docx", reason=type(exc).__name__) from None
    part = package.part
    reader = _Reader(name=name, styles=_styles(part), numbering=_Numbering(part))
    doc = Document(blocks=[], name=name, kind="docx")
    reader.blocks(part.element.body, doc.blocks)
    return doc


def _styles(part) -> dict[str, tuple[int, str]]:
    """style id → (outline level 1-9 or 0, hint: 'title' or '')."""
    out: dict[str, tuple[int, str]] = {}
    try:
        styles = part.styles.element
    except (KeyError, AttributeError, NotImplementedError):
        return out
    for style in styles.iter(_W + "style"):
        sid = style.get(_W + "styleId") or ""
        name_el = style.find(_W + "name")
        name = (name_el.get(_W + "val") if name_el is not None else "") or ""
        level = 0
        lvl = style.find(f"{_W}pPr/{_W}outlineLvl")
        if lvl is not None and (lvl.get(_W + "val") or "").isdigit() and int(lvl.get(_W + "val")) < 9:
            level = int(lvl.get(_W + "val")) + 1
        m = re.fullmatch(r"(?i)heading\s*(\d)|标题\s*(\d)", name)
        if m:
            level = int(m[1] or m[2])
        out[sid] = (level, "title" if name.lower() in ("title", "标题") else "")
    return out


# --------------------------------------------------------------------------
# Automatic numbering: the labels Word shows ("一、", "（二）", "3.", "①")

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


class _Numbering:
    """numbering.xml read once: each list's levels, and counters as paragraphs go by."""

    def __init__(self, part=None):
        self.levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → count
        try:
            root = part.numbering_part.element if part is not None else None
        except (KeyError, AttributeError, NotImplementedError):
            root = None
        if root is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.iter(_W + "abstractNum"):
            abstract[a.get(_W + "abstractNumId")] = {int(lv.get(_W + "ilvl") or 0): self._level(lv)
                                                      for lv in a.iter(_W + "lvl")}
        for num in root.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is None:
                continue
            aid = ref.get(_W + "val")
            levels = dict(abstract.get(aid, {}))
            for override in num.iter(_W + "lvlOverride"):
                ilvl = int(override.get(_W + "ilvl") or 0)
                lv = override.find(_W + "lvl")
                if lv is not None:
                    levels[ilvl] = self._level(lv)
                start = override.find(_W + "startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = _Level(levels[ilvl].fmt, levels[ilvl].text, int(start.get(_W + "val") or 1))
            self.levels[num.get(_W + "numId")] = levels
            self.abstract_of[num.get(_W + "numId")] = aid

    @staticmethod
    def _level(lv) -> _Level:
        def val(tag: str, default: str) -> str:
            el = lv.find(_W + tag)
            return el.get(_W + "val") if el is not None and el.get(_W + "val") is not None else default

        return _Level(val("numFmt", "decimal"), val("lvlText", "%1."), int(val("start", "1") or 1))

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id], {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a higher level restarts the levels under it
        level = levels[ilvl]
        if level.fmt == "bullet":
            return ""

        def number(m: re.Match[str]) -> str:
            k = int(m[1]) - 1
            lv = levels.get(k, _Level())
            return _format_number(counters.get(k, lv.start), lv.fmt if k != ilvl else level.fmt)

        return re.sub(r"%(\d)", number, level.text)


# --------------------------------------------------------------------------
# The body


@dataclass
class _Reader:
    name: str
    styles: dict[str, tuple[int, str]]
    numbering: _Numbering
    line: int = 0
    tables: int = 0

    def where(self, **kw) -> Where:
        self.line += 1
        return Where(self.line, file=self.name, **kw)

    def blocks(self, parent, out: list) -> None:
        """The paragraphs and tables under ``parent`` (the body, a cell, a content control) in order."""
        for child in parent:
            tag = child.tag
            if tag == _W + "p":
                for box in _text_boxes(child):
                    self.blocks(box, out)
                text, level, style = self.paragraph(child)
                if text.strip():
                    out.append(Paragraph(text.strip(), self.where(), level=level, style=style))
            elif tag == _W + "tbl":
                self.table(child, out)
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins"):
                inner = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
                if inner is not None:
                    self.blocks(inner, out)

    def paragraph(self, p) -> tuple[str, int, str]:
        level, style, label = 0, "", ""
        ppr = p.find(_W + "pPr")
        if ppr is not None:
            sid = ppr.find(_W + "pStyle")
            if sid is not None:
                level, style = self.styles.get(sid.get(_W + "val") or "", (0, ""))
            lvl = ppr.find(_W + "outlineLvl")
            if lvl is not None and (lvl.get(_W + "val") or "").isdigit() and int(lvl.get(_W + "val")) < 9:
                level = int(lvl.get(_W + "val")) + 1
            num = ppr.find(_W + "numPr")
            if num is not None:
                num_id, ilvl = num.find(_W + "numId"), num.find(_W + "ilvl")
                if num_id is not None:
                    label = self.numbering.label(num_id.get(_W + "val") or "",
                                                 int(ilvl.get(_W + "val") or 0) if ilvl is not None else 0)
        text = _text(p)
        return (label + text if label and text.strip() else text), level, style

    def table(self, tbl, out: list) -> None:
        grid = self.grid(tbl)
        if grid and all(len({id(c) for c, _ in row}) == 1 for row in grid):
            # A layout frame: one cell per row.  Its content is the document's.
            for row in grid:
                tc = row[0][0]
                self.blocks(tc, out)
            return
        self.tables += 1
        number = self.tables
        rows: list[list[Cell]] = []
        above: dict[int, Cell] = {}
        start = Where(self.line + 1, file=self.name, table=number, row=1)
        for r, row in enumerate(grid, 1):
            where = self.where(table=number, row=r)
            cells: list[Cell] = []
            seen: set[int] = set()
            for col, (tc, merge) in enumerate(row):
                if tc is None:
                    cells.append(Cell("", where))
                elif merge == "continue" and col in above:
                    cells.append(Cell(above[col].text, where, spanned=True))
                elif id(tc) in seen:
                    cells.append(Cell(cells[-1].text, where, spanned=True))
                else:
                    seen.add(id(tc))
                    cells.append(Cell(self.cell_text(tc), where))
                above[col] = cells[-1]
            rows.append(cells)
        out.append(Table(rows, start))

    @staticmethod
    def grid(tbl) -> list[list[tuple[object, str]]]:
        """Each row as one entry per grid column: (the w:tc there or None, 'restart'/'continue'/'')."""
        rows = []
        for tr in tbl.iterfind(_W + "tr"):
            row: list[tuple[object, str]] = []
            trpr = tr.find(_W + "trPr")
            before = _int(trpr, "gridBefore") if trpr is not None else 0
            row += [(None, "")] * before
            for tc in _cells(tr):
                tcpr = tc.find(_W + "tcPr")
                span = max(_int(tcpr, "gridSpan"), 1) if tcpr is not None else 1
                merge = ""
                vm = tcpr.find(_W + "vMerge") if tcpr is not None else None
                if vm is not None:
                    merge = "restart" if vm.get(_W + "val") == "restart" else "continue"
                row += [(tc, merge)] * span
            rows.append(row)
        return rows

    def cell_text(self, tc) -> str:
        """A cell's paragraphs joined with "\\n"; a nested table one line per row."""
        lines: list[str] = []
        for child in tc:
            if child.tag == _W + "p":
                for box in _text_boxes(child):
                    lines += [self.paragraph(p)[0] for p in box.iter(_W + "p")]
                lines.append(self.paragraph(child)[0])
            elif child.tag == _W + "tbl":
                for row in self.grid(child):
                    texts: list[str] = []
                    for tc2, merge in row:
                        text = self.cell_text(tc2).replace("\n", " ") if tc2 is not None and merge != "continue" else ""
                        if text and (not texts or texts[-1] != text):
                            texts.append(text)
                    lines.append(" ".join(texts))
            elif child.tag in (_W + "sdt", _W + "customXml"):
                inner = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
                if inner is not None:
                    lines.append(self.cell_text(inner))
        return "\n".join(line.strip() for line in lines if line.strip())


def _cells(tr):
    """A row's w:tc, also those wrapped in content controls or custom XML."""
    for child in tr:
        if child.tag == _W + "tc":
            yield child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                yield from _cells(content)


def _int(parent, tag: str) -> int:
    el = parent.find(_W + tag)
    try:
        return int(el.get(_W + "val")) if el is not None else 0
    except (TypeError, ValueError):
        return 0


def _text_boxes(p) -> list:
    """The text boxes anchored in a paragraph (each a w:txbxContent), once each."""
    boxes = []
    for el in p.iter():
        if el.tag in _TXBX:
            if any(a.tag in _SKIP for a in el.iterancestors()):
                continue
            content = el.find(_W + "txbxContent")
            if content is not None:
                boxes.append(content)
    return boxes


def _text(p) -> str:
    """A paragraph's text: runs, tabs as spaces, breaks as "\\n"; not deleted text,
    field codes or text boxes (read as blocks of their own)."""
    parts: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or tag in _TXBX or tag == _W + "txbxContent":
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append(" ")
            elif tag in (_W + "br", _W + "cr"):
                if child.get(_W + "type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag == _W + "sym":
                continue
            elif tag != _W + "pPr" and tag != _W + "rPr":
                walk(child)

    walk(p)
    return "".join(parts)
