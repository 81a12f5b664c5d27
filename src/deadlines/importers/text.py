"""The plain-text reader: text pasted or saved from a web page, Word, WPS,
Excel or a PDF, in whatever layout the copy left, into a :class:`Document`.

Tables arrive flattened in several ways, each recognised here so that the
extractor only ever sees rows of cells:

- **one row per line**, cells separated by tabs (what Word, WPS and Excel put
  on the clipboard; a merged cell is an empty cell) or by ``|`` (``a | b | c |``,
  ``|||`` for a run of empty cells; a row may continue on the next lines until
  its closing ``|``), or by runs of spaces;
- **one cell per line**: tab-indented (a line without the tab continues the
  cell), ending in `` |`` (a lone ``|`` is an empty cell), or bare lines with or
  without blank lines between them.  Bare cells cannot say where one ends and
  the next begins nor where a merged cell was left out, so the row structure is
  found by :func:`_segment`: the cutting into cells and rows that best fits
  what each column holds (a row number under 序号, unit names under 责任单位, a
  time limit under 完成时限), joining a name broken over lines (市政 / 府办 /
  公厅) and leaving out merged cells where the fit says so.

Every other line is a :class:`Paragraph`.  Header words come from the
vocabulary (package data), never from this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .charset import Plain
from .document import Cell, Document, Paragraph, Table, Where
from .fit import fit, is_seq
from .task import ANNEX_LABEL
from .vocabulary import TEXT_FIELDS, UNIT_FIELDS, column_field, header_fields, header_key, is_footer, task_when_alone, vocabulary

__all__ = ["read_text"]

# Leading marks a copy leaves before a paragraph: bullets, "??" for lost
# indentation (an ideographic space saved in the wrong encoding), full-width spaces.
_LEAD = re.compile(r"^[\s\u3000\u00a0•·▪●◆■□\?？]+(?=\S)")
_CELL_MAX = 24  # a header cell is short


_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _clean(text: str) -> str:
    return _LEAD.sub("", text).strip()


@dataclass
class _Lines:
    raw: list[str]
    plain: list[str]  # the plain form of each line, for recognising words

    def __len__(self) -> int:
        return len(self.raw)


def read_text(text: str, name: str = "") -> Document:
    """Read plain text (any layout) into a :class:`Document`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw = text.split("\n")
    plain = Plain.of(text)
    lines = _Lines(raw, [plain(line) for line in raw])
    doc = Document(blocks=[], name=name, kind="text")
    i = 0
    while i < len(lines):
        found = (_box_rows(lines, i) or _pipe_rows(lines, i) or _tab_rows(lines, i) or _label_records(lines, i)
                 or _cell_stream(lines, i, doc.notes) or _space_rows(lines, i))
        if found:
            table, i = found
            if table.rows:
                doc.blocks.append(table)
            continue
        cleaned = _clean(raw[i])
        if cleaned:
            doc.blocks.append(Paragraph(cleaned, Where(i + 1)))
        i += 1
    return doc


# --------------------------------------------------------------------------
# Tables drawn with box characters

_BOX_EDGE = "│┃║├┤┼┬┴┌┐└┘┣┫╋┳┻┏┓┗┛╠╣╬╦╩╔╗╚╝╟╢╫╤╧"
_BOX_SPLIT = re.compile("[" + _BOX_EDGE + "]")
_BULLET = re.compile(r"^(?:[△▲●•·◆■□○◇]|\d{1,2}[.、．]|[(（][\d一二三四五六七八九十]{1,3}[)）])")
_BOX_RULE = re.compile(r"^[─━═\-\s]*[─━═][─━═\-\s]*$")


def _is_box_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and s[0] in _BOX_EDGE and sum(ch in _BOX_EDGE for ch in s) >= 2


def _box_rows(lines: _Lines, start: int) -> tuple[Table, int] | None:
    """A table drawn with box characters (what old word processors and text
    conversions give): ``│`` between cells, ``─`` rules between rows.  A rule
    may cross some columns only (``├────┤ │府,市财政局│``): a cell without a rule
    below it goes on, a merged cell, and each row it covers gets its value.
    Text broken over lines inside a cell is joined."""
    if not _is_box_line(lines.raw[start]):
        return None
    end = start
    while end < len(lines) and _is_box_line(lines.raw[end]):
        end += 1
    if end - start < 3:
        return None
    # Each line split at its edges; the columns are those of the widest line.
    split = [[seg for seg in _BOX_SPLIT.split(lines.raw[i].strip())[1:-1]] for i in range(start, end)]
    width = max(len(segs) for segs in split)
    if width < 2:
        return None
    # Per column: the runs of text between rules, each with its lines.
    cells: list[list[tuple[int, int, list[tuple[int, str]]]]] = [[] for _ in range(width)]
    open_: list[list[tuple[int, str]] | None] = [None] * width
    first: list[int] = [0] * width
    bands: set[int] = set()  # lines where a row ends in some column

    def close(col: int, at: int) -> None:
        if open_[col] is not None and any(seg.strip() for _, seg in open_[col]):
            cells[col].append((first[col], at, open_[col]))
            bands.add(at)
        open_[col] = None

    for k, segs in enumerate(split):
        segs = segs + [""] * (width - len(segs))  # a line spanning columns: its text goes to the first
        for col, seg in enumerate(segs):
            if _BOX_RULE.match(seg):
                close(col, k)
                continue
            if open_[col] is None:
                open_[col], first[col] = [], k
            if seg.strip():
                open_[col].append((k, seg.strip()))
    for col in range(width):
        close(col, len(split))
    rows: list[list[Cell]] = []
    low = -1
    for edge in sorted(bands):
        row = []
        for col in range(width):
            hit = next((c for c in cells[col] if c[0] < edge and c[1] > low), None)
            if hit is None:
                row.append(Cell("", Where(start + low + 2)))
                continue
            parts = hit[2]
            inside = [seg for k, seg in parts if low < k <= edge]
            # A list of measures (△…, 1.…) beside cells that change part-way: each
            # row keeps its own measures; any other merged cell repeats whole.
            own = bool(inside) and _BULLET.match(inside[0]) and _BULLET.match(parts[0][1]) and len(inside) < len(parts)
            text = "".join(inside if own else [seg for _, seg in parts])
            line = next((k for k, _ in parts if low < k <= edge), parts[0][0])
            row.append(Cell(text, Where(start + line + 1), spanned=not own and hit[0] <= low))
        if any(c.text for c in row):
            rows.append(row)
        low = edge
    return (Table(rows, Where(start + 1)), end) if rows else None


# --------------------------------------------------------------------------
# One row per line: pipes


def _is_pipe_line(line: str) -> bool:
    s = line.strip()
    return "|" in s and (s.endswith("|") or " | " in s or s.startswith("| "))


def _pipe_cells(text: str) -> list[str]:
    s = text.strip()
    if s.startswith("|") and not s.startswith("||") and s != "|":
        s = s[1:]
    parts = s.split("|")
    if s.endswith("|"):
        parts = parts[:-1]
    return [p.strip() for p in parts]


def _pipe_rows(lines: _Lines, start: int) -> tuple[Table, int] | None:
    if not _is_pipe_line(lines.raw[start]):
        return None
    if _single_cell_lines(lines, start) >= 3:
        return None  # one cell per line ending in " |": a cell stream
    rows: list[list[Cell]] = []
    i = start
    while i < len(lines):
        line = lines.raw[i]
        if not _is_pipe_line(line) or (rows and _single_cell_lines(lines, i) >= 3):
            break  # (a cell stream begins: a title row above a table copied a cell a line)
        first = i
        text = line
        # A row continues on the next lines until one closes it with "|".
        while not text.rstrip().endswith("|") and i + 1 < len(lines) and lines.raw[i + 1].strip() \
                and not _starts_row(lines.raw[i + 1], rows):
            i += 1
            text += "\n" + lines.raw[i]
        i += 1
        cells = _pipe_cells(text)
        if all(_RULE_CELL.fullmatch(c) for c in cells if c) and any(cells):
            continue  # |---|:---:|: the line under a Markdown table's header draws, it holds nothing
        rows.append([Cell(c, Where(first + 1)) for c in cells])
    return Table(rows, Where(start + 1)), i


_RULE_CELL = re.compile(r":?[-─—=]{3,}:?")


def _starts_row(line: str, rows: list[list[Cell]]) -> bool:
    """A continuation line that is really a new row: it begins with the next row number."""
    head = line.split("|", 1)[0].strip()
    return "|" in line and is_seq(head) and len(head) <= 4


def _single_cell_lines(lines: _Lines, start: int) -> int:
    """How many lines from ``start`` hold one cell each ("text |" or a lone "|"; a cell
    may begin on a line or two without a '|': 牵头 / 单位 |)."""
    n = 0
    open_lines = 0
    for line in lines.raw[start:]:
        s = line.strip()
        if not s:
            continue
        if s.count("|") == 1 and s.endswith("|"):
            n += 1
            open_lines = 0
            if n >= 3:
                return n
            continue
        if "|" not in s and n and open_lines < 2:
            open_lines += 1
            continue
        break
    return n


# --------------------------------------------------------------------------
# One row per line: tabs


def _tab_cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\n").split("\t")]


_QUOTED_MAX = 40  # lines one quoted cell may run over


def _quoted_row(lines: _Lines, start: int) -> tuple[list[Cell], int] | None:
    """A row copied from Excel where a cell holds line breaks (or quotes or tabs): Excel writes
    such a cell between quotes, its own quotes doubled, over as many lines as it has
    ("经开区⏎高新园⏎各街道" in one cell).  The row's cells, each line break kept (typed in the
    cell: :attr:`Cell.breaks`), and the line after the row; None unless some cell is quoted so
    (a cell that merely begins with a quote, "放管服"改革, is the text it is)."""
    text, end, cells, pos, quoted = lines.raw[start], start + 1, [], 0, False
    broken: list[bool] = []
    while True:
        if text.startswith('"', pos):
            k = pos + 1
            while True:
                close = text.find('"', k)
                while close < 0 and end < len(lines) and end - start <= _QUOTED_MAX:
                    text += "\n" + lines.raw[end]
                    end += 1
                    close = text.find('"', k)
                if close < 0:
                    return None
                if text.startswith('"', close + 1):
                    k = close + 2  # a doubled quote is a quote of the cell's
                    continue
                break
            after = close + 1
            if after < len(text) and text[after] != "\t":
                return None
            cells.append(text[pos + 1:close].replace('""', '"').strip())
            broken.append("\n" in cells[-1])
            quoted = quoted or "\n" in cells[-1] or '"' in cells[-1] or "\t" in cells[-1]
            pos = after + 1
            if after >= len(text):
                break
        else:
            tab = text.find("\t", pos)
            cells.append(text[pos:] if tab < 0 else text[pos:tab])
            broken.append(False)
            if tab < 0:
                break
            pos = tab + 1
    where = Where(start + 1)
    return ([Cell(c.strip(), where, breaks=b) for c, b in zip(cells, broken)], end) if quoted else None


def _is_tab_row(line: str) -> bool:
    cells = _tab_cells(line)
    return len(cells) >= 2 and sum(1 for c in cells if c) >= 2


def _tab_rows(lines: _Lines, start: int) -> tuple[Table, int] | None:
    if not _is_tab_row(lines.raw[start]):
        return None
    header = _tab_cells(lines.plain[start])
    width = len(header)
    if sum(1 for c in header if column_field(c)) < 2:
        # Not a header: tab rows still, but only a run of them makes a table, and a
        # table starts at its header where the next line is one.
        if not (start + 1 < len(lines) and _is_tab_row(lines.raw[start + 1])):
            return None
        if sum(1 for c in _tab_cells(lines.plain[start + 1]) if column_field(c)) >= 2:
            return None
    rows: list[list[Cell]] = []
    i = start
    while i < len(lines):
        line = lines.raw[i]
        if not line.strip():
            i += 1
            if i < len(lines) and not _is_tab_row(lines.raw[i]):
                break
            continue
        if "\t" not in line and rows and len(rows[-1]) >= width:
            break
        quoted = _quoted_row(lines, i) if '"' in line else None
        cells, after = quoted if quoted is not None else ([Cell(c, Where(i + 1)) for c in _tab_cells(line)], i + 1)
        if rows and len(rows[-1]) < width:
            # The row goes on: the first piece finishes the last cell.
            last = rows[-1][-1]
            last.text = (last.text + "\n" + cells[0].text).strip()
            rows[-1] += cells[1:]
        else:
            rows.append(cells)
        i = after
    return Table(rows, Where(start + 1)), i


# --------------------------------------------------------------------------
# One row per line: runs of spaces


_SPACES = re.compile(r"[ \u3000\u00a0]{2,}|\u3000")


def _label(plain: str) -> str | None:
    """The field a line names when the line is a header word alone ('具体任务', '责任单位：')."""
    text = plain.strip()
    if not text or len(text) > _CELL_MAX or not re.fullmatch(r"[^:：]+[:：]?", text):
        return None
    return vocabulary().columns.get(header_key(text))


def _label_records(lines: _Lines, start: int) -> tuple[Table, int] | None:
    """Records one field per two lines, the label alone on its line and the value on the next
    (a two-column Word table of 具体任务 | … / 责任单位 | … / 完成时限 | …, copied one cell per
    line), one record after another: a table with the labels as its header, a row per record.
    A record ends where its first label comes again; it must name a task and units or a limit."""
    pairs: list[tuple[str, str, int]] = []  # (label, value, line of the value)
    i = start
    while i + 1 < len(lines):
        if not lines.raw[i].strip():
            i += 1
            continue
        label = lines.plain[i].strip()
        if _label(label) is None:
            break
        j = i + 1
        while j < len(lines) and not lines.raw[j].strip():
            j += 1
        if j >= len(lines) or _label(lines.plain[j]) is not None or not re.search(r"\w", lines.plain[j]):
            break  # a label, or a cell's separator (a lone |): header cells one per line, not records
        pairs.append((header_key(label), _clean(lines.raw[j]), j))
        i = j + 1
    if len(pairs) < 3:
        return None
    first = pairs[0][0]
    records: list[list[tuple[str, str, int]]] = []
    for pair in pairs:
        if pair[0] == first or not records:
            records.append([])
        records[-1].append(pair)
    labels = list(dict.fromkeys(label for label, _, _ in pairs))
    fields = {_label(label) for label in labels}
    if not fields & set(TEXT_FIELDS) or not fields & (set(UNIT_FIELDS) | {"due"}):
        return None
    if any(len({label for label, _, _ in record}) != len(record) for record in records):
        return None  # a label twice in one record: not records of this kind
    rows = [[Cell(label, Where(start + 1)) for label in labels]]
    for record in records:
        values = {label: (value, line) for label, value, line in record}
        where = Where(record[0][2] + 1)
        rows.append([Cell(values[label][0], Where(values[label][1] + 1)) if label in values else Cell("", where)
                     for label in labels])
    return Table(rows, Where(start + 1)), i


def _space_rows(lines: _Lines, start: int) -> tuple[Table, int] | None:
    """A header line whose words are all header words, cells split on spaces."""
    header = lines.plain[start].split()
    if len(header) < 3 or len(header) > 12:
        return None
    fields = header_fields(header)
    if not all(fields) or not any(f in TEXT_FIELDS for f in fields):
        return None
    width = len(header)
    rows = [[Cell(c, Where(start + 1)) for c in lines.raw[start].split()]]
    i = start + 1
    while i < len(lines):
        line = lines.raw[i]
        if not line.strip():
            if rows and i + 1 < len(lines) and not lines.raw[i + 1].strip():
                break
            i += 1
            continue
        if is_footer(line):
            break
        parts = [p for p in _SPACES.split(line.strip()) if p]
        if len(parts) != width:
            words = line.split()
            parts = _best_split(words, [f or "other" for f in fields]) if len(words) >= width else parts
        if len(parts) == 1 and rows and len(rows) > 1:
            rows[-1][-1].text += parts[0]  # a wrapped last cell
        else:
            rows.append([Cell(p, Where(i + 1)) for p in parts])
        i += 1
    if len(rows) < 2:
        return None
    return Table(rows, Where(start + 1)), i


def _best_split(words: list[str], fields: list[str]) -> list[str]:
    """Join space-separated words into one cell per column, the way that fits best."""
    n, width = len(words), len(fields)
    best: dict[tuple[int, int], tuple[float, list[str]]] = {(0, 0): (0.0, [])}
    for c in range(width):
        for i in range(n):
            if (i, c) not in best:
                continue
            score, cells = best[(i, c)]
            last = c == width - 1
            for j in ([n] if last else range(i + 1, n - (width - c - 1) + 1)):
                text = "".join(words[i:j]) if fields[c] in ("due", "seq") else " ".join(words[i:j])
                cand = (score + fit(fields[c], text), cells + [text])
                if (j, c + 1) not in best or cand[0] > best[(j, c + 1)][0]:
                    best[(j, c + 1)] = cand
    return best.get((n, width), (0.0, words))[1]


# --------------------------------------------------------------------------
# One cell per line


@dataclass
class _Fragment:
    text: str
    line: int  # 0-based
    plain: str


def _pipe_cell(lines: _Lines, i: int) -> tuple[str, str, int, int] | None:
    """The cell of a stream of pipe-ended cells at line ``i``: 'text |' on one line, or
    text lines followed by a lone '|' (the two ways a copy ends each cell).
    Returns (text, plain, first line, the line after the cell)."""
    while i < len(lines) and not lines.raw[i].strip():
        i += 1
    texts, plains, first = [], [], i
    for j in range(i, min(i + 12, len(lines))):
        raw = lines.raw[j].strip()
        if not raw:
            continue
        if raw.count("|") > 1 or ("|" in raw and not raw.endswith("|")):
            return None
        if raw.endswith("|"):
            texts.append(raw[:-1].strip())
            plains.append(lines.plain[j].strip()[:-1].strip())
            return "\n".join(t for t in texts if t), "\n".join(p for p in plains if p), first, j + 1
        if is_footer(raw):
            return None
        texts.append(raw)
        plains.append(lines.plain[j].strip())
    return None


def _header_run(lines: _Lines, start: int) -> tuple[list[tuple[int, str, str]], str, int] | None:
    """Header cells of a one-cell-per-line table from ``start`` (blank lines between
    allowed), the stream's kind — 'tab' (tab-indented cells), 'pipe' (cells ended by
    a '|', on their line or the next) or 'bare' — and the line after the header.
    Each cell is (first line, plain text, text).  A header cell broken over lines
    (a ``<br>`` in a web page's header: 责任 / 领导) is one cell where the pieces
    joined make a header word."""
    first = lines.raw[start]
    if not first.strip():
        return None
    cells: list[tuple[int, str, str]] = []
    if first.startswith("\t"):
        kind = "tab"
    elif _pipe_cell(lines, start) is not None:
        kind = "pipe"
    else:
        kind = "bare"
    by_rows = _bare_header_by_rows(lines, start) if kind == "bare" else None
    if by_rows:
        cells, i = by_rows
    else:
        i = start
        while i < len(lines):
            found = _header_cell(lines, i, kind)
            if found is None:
                break
            cells.append(found[:3])
            i = found[3]
        # A column of targets beside the task column (发展目标 after 事项) is no column of this
        # header: the header ends before it (it is the first rows' category).
        fields = header_fields([t for _, t, _ in cells])
        cut = next((k for k, (_, t, _) in enumerate(cells) if fields[k] is None and not column_field(t)), None)
        if cut is not None:
            cells, i = cells[:cut], cells[cut][0]
    if len(cells) < 2:
        return None
    if column_field(cells[0][1]) == "seq" and not by_rows:
        # Header cells outside the vocabulary (是否达序, 1-11月推进情况, 工作任务安排) do not end
        # a header that begins with 序号: it runs to the first row number, its columns read as
        # other (kept, never units or limits).
        more, j = [], i
        while len(more) < _MORE_HEADER:
            found = _header_cell(lines, j, kind) or _header_word_like(lines, j, kind)
            if found is None:
                empty = _pipe_cell(lines, j) if kind == "pipe" else None
                if empty is not None and not empty[1]:
                    j = empty[3]  # an empty cell (a lone '|' that ends the header row): no column
                    continue
                break
            if is_seq(found[1]):
                # Rows as wide as the header so extended (not a category row above the
                # first row, 发展目标 before 1): the next row number comes no sooner.
                if more and _next_number_at(lines, j, kind) not in range(1, len(cells) + len(more)):
                    cells += more
                    i = j
                break
            more.append(found[:3])
            j = found[3]
    fields = header_fields([t for _, t, _ in cells])
    if not any(f in TEXT_FIELDS for f in fields) or all(f == "other" for f in fields):
        return None
    return cells, kind, i


def _bare_header_by_rows(lines: _Lines, start: int) -> tuple[list[tuple[int, str, str]], int] | None:
    """The header of bare lines that begins with 序号, cut to the width its rows show:
    the lines before the first row number grouped into as many cells as there are lines
    from that number to the next (2 after 1), a group of short lines where they make one
    header word (责任 / 领导), a line the vocabulary does not know a column of its own.
    Returns the cells and the line of the first row number; None where the rows show no
    width (a cell broken over lines in the first row, no second row)."""
    pieces: list[tuple[int, str, str]] = []
    j = start
    while j < len(lines) and len(pieces) < 3 * _CELL_MAX:
        if lines.raw[j].strip():
            pieces.append((j, lines.plain[j].strip(), lines.raw[j].strip()))
        j += 1
    if not pieces or column_field(pieces[0][1]) != "seq":
        return None
    m = next((k for k, p in enumerate(pieces) if k and is_seq(p[1])), None)
    if m is None or not re.search(r"\d", pieces[m][1]):
        return None
    width = _next_number([p for _, p, _ in pieces[m:]])
    if width is None or width < 2 or width > m:
        return None
    listed = vocabulary().columns

    def group(a: int, b: int) -> float | None:
        texts = [p for _, p, _ in pieces[a:b]]
        joined = "".join(texts)
        if b - a == 1:
            if len(joined) <= _CELL_MAX and (column_field(joined) or task_when_alone(joined)):
                return 1.0
            return -0.5 if _word_like(joined) else None
        if any(len(t) > 4 for t in texts) or not column_field(joined):
            return None
        return 1.2 if header_key(joined) in listed else 1.0

    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
    for k in range(m):
        for g in range(width):
            if (k, g) not in best:
                continue
            score, cuts = best[(k, g)]
            for size in (1, 2, 3):
                if k + size > m:
                    break
                gain = group(k, k + size)
                if gain is not None and score + gain > best.get((k + size, g + 1), (float("-inf"),))[0]:
                    best[(k + size, g + 1)] = (score + gain, cuts + [k + size])
    if (m, width) not in best:
        return None
    cells, a = [], 0
    for b in best[(m, width)][1]:
        cells.append((pieces[a][0], "".join(p for _, p, _ in pieces[a:b]), "".join(r for _, _, r in pieces[a:b])))
        a = b
    return cells, pieces[m][0]


_NUMBERED = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]\S")
_MORE_HEADER = 6  # header cells outside the vocabulary before the first row number, at most


def _next_number_at(lines: _Lines, start: int, kind: str) -> int | None:
    """How many cells after the row number at line ``start`` the next row number comes."""
    frags, _ = _fragments(lines, start, kind, [])
    return _next_number([f.plain for f in frags])


def _next_number(cells: list[str]) -> int | None:
    """How many cells after the row number ``cells[0]`` the next row number comes."""
    if not cells or not re.search(r"\d", cells[0]):
        return None
    following = str(int(re.sub(r"\D", "", cells[0])) + 1)
    return next((k for k, c in enumerate(cells) if k and is_seq(c) and re.sub(r"\D", "", c) == following), None)


def _word_like(text: str) -> bool:
    """One short line, no sentence, no numbered heading (一、…): what a header cell may be."""
    return bool(text) and len(text) <= _CELL_MAX and not re.search(r"[。；;，,：:]", text) and not _NUMBERED.match(text)


def _header_word_like(lines: _Lines, i: int, kind: str) -> tuple[int, str, str, int] | None:
    """A cell at line ``i`` that could be a header cell the vocabulary does not know (or
    a row number): one short line, no sentence."""
    pieces = _header_pieces(lines, i, kind)
    if not pieces or len(pieces) > 1 and kind != "bare":
        return None
    at, text, raw, after = pieces[0]
    if not _word_like(text):
        return None  # a sentence, or a heading row (一、…) under the header
    return at, text, raw, after


def _header_pieces(lines: _Lines, i: int, kind: str) -> list[tuple[int, str, str, int]]:
    """Up to three pieces of header text from line ``i``: (line, plain, raw, the line
    after it).  For 'pipe' the lines of one cell; for 'tab' a tab-indented line and the
    lines that continue it; for 'bare' the next non-blank lines."""
    pieces: list[tuple[int, str, str, int]] = []
    if kind == "pipe":
        found = _pipe_cell(lines, i)
        if found is None:
            return []
        plains, raws = found[1].split("\n"), found[0].split("\n")
        if len(plains) != len(raws):
            raws = plains
        # The pieces of one cell: only the last says where the cell ends.
        return [(found[2], p, r, found[3]) for p, r in zip(plains, raws)]
    j = i
    while j < len(lines) and len(pieces) < 3:
        raw = lines.raw[j]
        if not raw.strip():
            j += 1
            if kind == "tab" and pieces:
                break
            continue
        if kind == "tab" and raw.startswith("\t") != (not pieces):
            break  # a tab-indented cell goes on over the lines without a tab
        text = lines.plain[j].strip()
        pieces.append((j, text, raw.strip().rstrip("|").strip(), j + 1))
        j += 1
    return pieces


def _header_cell(lines: _Lines, i: int, kind: str) -> tuple[int, str, str, int] | None:
    """The header cell at line ``i`` (see :func:`_header_run`), or None where the
    header has ended: (first line, plain, text, the line after the cell)."""
    pieces = _header_pieces(lines, i, kind)
    if not pieces:
        return None
    if kind in ("pipe", "tab") and len(pieces) > 1:
        # Lines of one cell: a header cell only when they make a header word together.
        joined = "".join(p for _, p, _, _ in pieces)
        if len(joined) > _CELL_MAX or not column_field(joined):
            return None
        return pieces[0][0], joined, "".join(r for _, _, r, _ in pieces), pieces[-1][3]
    at, text, raw, after = pieces[0]
    alone = (column_field(text) or task_when_alone(text)) if len(text) <= _CELL_MAX else None
    if kind == "bare":
        columns = vocabulary().columns
        for k in (2, 3):
            if len(pieces) < k or any(len(p) > 4 for _, p, _, _ in pieces[:k]):  # a narrow column
                break
            parts = [p for _, p, _, _ in pieces[:k]]
            joined = "".join(parts)
            # 责任 / 领导: pieces that are no header word alone make one together; a header
            # word followed by a tail that makes a longer one (序 / 号, 时间 / 节点) is one too.
            listed = header_key(joined) in columns
            # A piece that is a whole header word of its own (完成时限) is no broken-off tail.
            whole = any(len(p) >= 3 and header_key(p) in columns for p in parts[1:])
            if listed or (not alone and not whole and all(len(p) >= 2 for p in parts) and column_field(joined)):
                return at, joined, "".join(r for _, _, r, _ in pieces[:k]), pieces[k - 1][3]
    if not alone:
        return None
    return at, text, raw, after


def _cell_stream(lines: _Lines, start: int, notes: list[str]) -> tuple[Table, int] | None:
    found = _header_run(lines, start)
    if not found:
        return None
    header, kind, after = found
    fields = [f or "other" for f in header_fields([t for _, t, _ in header])]
    header_row = [Cell(raw, Where(i + 1)) for i, _, raw in header]
    frags, end = _fragments(lines, after, kind, notes)
    rows: list[list[Cell]] = []
    used = 0
    if kind in ("tab", "pipe"):
        # Cells of these streams are every cell, empty ones included: rows of the distance
        # between row numbers (a two-level header has more cells than a row), or, for
        # tab-indented cells that add up, of the header's width.
        stride = _row_stride(frags, fields)
        width = stride or len(fields)
        if stride or (kind == "tab" and len(frags) % width == 0):
            rows = [[Cell(f.text, Where(f.line + 1)) for f in frags[r:r + width]] for r in range(0, len(frags), width)]
            used = len(frags)
    elif _row_stride(frags, fields) == len(fields):
        # Bare lines whose row numbers come every header-width lines: one line a cell
        # (no cell broken over lines, none left out), the last numbered row too; lines
        # after it are no longer the table.  A last row cut short is cut by fit.
        width = len(fields)
        first = int(re.sub(r"\D", "", frags[0].text))
        while used + width < len(frags) and _numbers_row(frags[used + width], first + used // width + 1):
            used += width
        # The next row number further on: this row has more lines than cells (the parts of a
        # merged cell, one a line: 机构职能 / 领导介绍 / 机构设置), and the rows go on after it.
        cut = used + width > len(frags) or any(
            _numbers_row(f, first + used // width + 1) for f in frags[used + width:used + 3 * width])
        if not cut:
            used += width
        rows = [[Cell(f.text, Where(f.line + 1)) for f in frags[r:r + width]] for r in range(0, used, width)]
        if cut:
            rest, taken = _best_rows(frags[used:], fields, [t for _, t, _ in header], joins=True)
            rows += rest
            used += taken
    if not rows:
        rows, used = _best_rows(frags, fields, [t for _, t, _ in header], joins=kind == "bare")
    if not rows:
        return None
    if used < len(frags):
        notes.append(f"表格止于第{frags[used].line + 1}行")
        end = frags[used].line
    return Table([header_row] + rows, Where(start + 1)), end


def _numbers_row(frag: _Fragment, n: int) -> bool:
    """Whether a line is the row number ``n`` alone ("3", "(3)", "3.")."""
    return len(frag.text) <= 5 and re.sub(r"\D", "", frag.text) == str(n)


def _fragments(lines: _Lines, start: int, kind: str, notes: list[str]) -> tuple[list[_Fragment], int]:
    """The pieces of a stream after its header: cells (tab, pipe) or lines (bare),
    up to a footer or, for cells, the first line that is no cell of the stream."""
    frags: list[_Fragment] = []
    i = start
    while i < len(lines):
        raw = lines.raw[i]
        if is_footer(raw) or (kind == "tab" and raw[:1] in (" ", "\u3000") and raw.strip()):
            notes.append(f"表格止于第{i + 1}行（其后为文末信息，未读入）")
            break
        if kind == "pipe":
            if raw.strip() and not raw.strip().strip("|"):
                # "||": a line of empty cells, one for each '|'.
                frags += [_Fragment("", i, "") for _ in raw.strip()]
                i += 1
                continue
            found = _pipe_cell(lines, i)
            if found is None:
                if raw.strip():
                    break
                i += 1
                continue
            frags.append(_Fragment(found[0], found[2], found[1]))
            i = found[3]
            continue
        if kind == "tab":
            if raw.startswith("\t"):
                frags.append(_Fragment(raw[1:].strip(), i, lines.plain[i][1:].strip()))
            elif raw.strip():
                if not frags:
                    break
                frags[-1].text += "\n" + raw  # a cell broken over lines
                frags[-1].plain += "\n" + lines.plain[i]
        elif raw.strip():
            if frags and column_field(lines.plain[i].strip()) and _next_header(lines, i):
                # Another table's header (a second annex, one cell per line too): this table
                # ends, and the lines naming the next one (附件2, its title) go with it.
                while frags and _names_next_table(frags):
                    i = frags.pop().line
                break
            frags.append(_Fragment(raw.strip(), i, lines.plain[i].strip()))
        i += 1
    return frags, i


# A line that names a table below it: an annex's label, or a title ending as a table's does.
_TABLE_TITLE = re.compile(r".{2,60}(?:表|清单|台账|一览|目录)")


def _names_next_table(frags: list[_Fragment]) -> bool:
    """Whether the last line before another table's header names that table: an annex's label,
    or a table's title under one or naming its year (a cell of a last row may end in 清单 too)."""
    last = frags[-1].plain.strip()
    if ANNEX_LABEL.fullmatch(last):
        return True
    if not _TABLE_TITLE.fullmatch(last):
        return False
    return bool(re.search(r"\d{4}\s*年", last)) or len(frags) > 1 and bool(ANNEX_LABEL.fullmatch(frags[-2].plain.strip()))


def _next_header(lines: _Lines, i: int) -> bool:
    """Whether a one-cell-per-line header of a table with tasks and units begins at line ``i``."""
    found = _header_run(lines, i)
    if found is None or found[1] != "bare" or len(found[0]) < 3:
        return False
    fields = header_fields([t for _, t, _ in found[0]])
    return any(f in TEXT_FIELDS for f in fields) and any(f in UNIT_FIELDS for f in fields)


def _row_stride(cells: list[_Fragment], fields: list[str]) -> int | None:
    """Where the first column numbers the rows (1, 2, 3 …), the distance between
    two numbers is the row width, whatever the header's cell count (a two-level
    header has more cells than a row)."""
    number = re.compile(r"[(（]?\d{1,3}[)）]?")
    if not fields or fields[0] != "seq" or not cells or not number.fullmatch(cells[0].text.strip()):
        return None
    seen = [k for k, c in enumerate(cells) if number.fullmatch(c.text.strip())]
    numbers = [int(re.sub(r"\D", "", cells[k].text)) for k in seen]
    first = numbers[0]  # 1, or where an excerpt starts (24, 25 …)
    for k, n in zip(seen, numbers):
        if n == first + 1:
            stride = k
            if all(k2 % stride == 0 and n2 == k2 // stride + first for k2, n2 in zip(seen, numbers)
                   if k2 % stride == 0):
                return stride
    return None


def _best_rows(frags: list[_Fragment], fields: list[str], header: list[str],
               joins: bool) -> tuple[list[list[Cell]], int]:
    """The rows :func:`_segment` cuts, trying also a 序号 column the header does not
    name (rows numbered 1, 2, 3 … under a header without 序号)."""
    best = _segment(frags, fields, header, joins)
    numbered = sum(1 for f in frags if re.fullmatch(r"[(（]?\d{1,3}[)）]?[.、]?", f.plain))
    if "seq" not in fields and numbered >= 2:
        for at in range(len(fields) + 1):
            tried = _segment(frags, fields[:at] + ["seq"] + fields[at:], header, joins)
            if tried[2] > best[2]:
                best = tried
    return best[0], best[1]


def _segment(frags: list[_Fragment], fields: list[str], header: list[str],
             joins: bool) -> tuple[list[list[Cell]], int, float]:
    """Rows of a table flattened to one piece per line, cut the way that fits best.

    A dynamic programme over (piece, column): a cell takes one or more lines
    (``joins``; a text broken over lines costs a little per join), may be left
    out where a merged cell covered it (costs more for the task text than for a
    unit or date that a merged cell repeats), a row of the header again is
    skipped, a section heading (一、…) between rows is a row of its own; the
    table ends where no further row fits better than ending it.  Returns the
    rows, how many pieces they use and the score.
    """
    width = len(fields)
    n = len(frags)
    max_join = 6 if joins else 1
    header_n = [re.sub(r"\s+", "", h) for h in header]
    absent_cost = {f: 1.2 if f in ("requirement", "title") else 0.6 if f != "seq" else 0.8 for f in fields}
    if "requirement" in fields:
        # Beside the measures, the task and its category are what merged cells span.
        absent_cost.update({f: 0.3 for f in ("title", "category") if f in fields})
    if fields and fields[0] in TEXT_FIELDS:
        absent_cost[fields[0]] = min(absent_cost[fields[0]], 0.4)  # a merged column at the left
    neg = float("-inf")
    # best[(i, c, p)]: the best score having used i fragments, c the next column,
    # p whether the row under way has a cell already.
    best: dict[tuple[int, int, int], float] = {(0, 0, 0): 0.0}
    back: dict[tuple[int, int, int], tuple] = {}
    stop, stop_score = (0, 0, 0), 0.0

    def relax(state: tuple[int, int, int], score: float, how: tuple) -> None:
        if score > best.get(state, neg):
            best[state] = score
            back[state] = how

    for i in range(n + 1):
        for _ in (0, 1):  # twice: a row closed by a left-out last cell reopens column 0 at the same i
            for c in range(width):
                for p in (0, 1):
                    score = best.get((i, c, p), neg)
                    if score == neg:
                        continue
                    if c == 0 and p == 0 and score > stop_score:
                        stop, stop_score = (i, 0, 0), score
                    if i == n:
                        if p and score - 0.5 > stop_score:  # a last row cut off in the excerpt
                            stop, stop_score = (i, c, p), score - 0.5
                        continue
                    nxt = (c + 1) % width
                    for k in range(1, min(max_join, n - i) + 1):
                        if k > 1 and fields[c] == "seq":
                            break
                        text = _join([f.plain for f in frags[i:i + k]], fields[c])
                        gain = fit(fields[c], text) - 0.8 * (k - 1)
                        if k > 1 and fields[c] in UNIT_FIELDS and all(
                                fit(fields[c], f.plain) > 0 for f in frags[i:i + k]):
                            gain = fit(fields[c], text)  # a cell of several units, one a line: no broken text
                        elif k > 1 and fields[c] in TEXT_FIELDS and len(frags[i + k - 1].plain) <= 16 \
                                and fit("responsible", frags[i + k - 1].plain) > 0:
                            gain -= 2.0  # a task's text does not end in a line that is a unit's name
                        if k > 1 and len(frags[i].plain) <= 2:
                            gain -= 0.6  # a cell does not begin with the broken-off tail of another

                        relax((i + k, nxt, 0 if nxt == 0 else 1), score + gain, (i, c, p, "cell", k))
                    if c < width - 1 or p:  # a merged cell left out (never a whole row)
                        relax((i, nxt, 0 if nxt == 0 else p), score - absent_cost[fields[c]], (i, c, p, "absent", 0))
                    if c == 0 and p == 0:
                        if [re.sub(r"\s+", "", f.plain) for f in frags[i:i + width]] == header_n:
                            relax((i + width, 0, 0), score + 3.0, (i, c, p, "header", width))
                        if _HEADING.match(frags[i].plain) and len(frags[i].plain) <= 40:
                            # A section heading: a row of its own (a merged category cell says the same).
                            relax((i + 1, 0, 0), score + 2.0, (i, c, p, "heading", 1))
    steps = []
    state = stop
    while state in back:
        how = back[state]
        steps.append(how)
        state = how[:3]
    steps.reverse()
    stop_at = stop[0]
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    for i, c, p, what, k in steps:
        if what in ("header", "heading"):
            if row:
                rows.append(row)
                row = []
            if what == "heading":
                rows.append([Cell(frags[i].text, Where(frags[i].line + 1))])
            continue
        if what == "cell":
            piece = frags[i:i + k]
            row.append(Cell(_join([f.text for f in piece], fields[c]), Where(piece[0].line + 1)))
        else:
            at = frags[i].line + 1 if i < n else (frags[-1].line + 1 if frags else 1)
            row.append(Cell("", Where(at), spanned=False))
        if c == width - 1:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows, stop_at, stop_score


def _join(pieces: list[str], field: str) -> str:
    """Lines of one cell: a name or a sentence broken by the copy is joined as it was."""
    if len(pieces) == 1:
        return pieces[0]
    if field in ("lead", "responsible", "cooperating"):
        from ..unitcells import join_broken

        return join_broken("\n".join(pieces))
    return "".join(pieces)
