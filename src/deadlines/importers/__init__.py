"""Importing a plan document into a reviewable rules file.

A reader turns the source (plain text in any layout; office files and web
pages in :mod:`.formats`) into a :class:`~.document.Document`; the one
extractor (:mod:`.extract`) finds the plan's metadata, the covering notice's
own deadlines and every task, whatever the layout; this module writes the
rules file.  Nothing is dropped: an unreadable time limit is kept as written
and flagged, a task without a time limit is ongoing over the plan period and
says so, a task without units is flagged.

Same input, same bytes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..errors import DeadlineError, ImportProblem
from ..phrases import held_on, parse_phrase, tells_status, undated_limit
from ..render import explain
from ..unitcells import unit_name_problem
from ..units import UnitRegistry
from ..yamlout import flow_list, scalar
from . import extract as _extractor
from .document import Cell, Document, Paragraph, Table, Where
from .extract import NO_LIMIT_NOTE, Extracted, Task
from .task import LIMIT_UNREADABLE

__all__ = ["import_plan", "import_document", "read_document", "Imported", "ImportProblem", "Document",
           "Paragraph", "Table", "Cell", "Where", "NO_LIMIT_NOTE"]


@dataclass
class Imported:
    """A plan read from a document: the rules file, and what a person should review."""

    yaml: str
    plan_id: str
    obligations: int
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)


def read_document(data: bytes | str, name: str) -> Document:
    """The document a file's bytes (or a text) hold.

    The reader is chosen by content, not by the name's extension (an
    attachment saved as "附件1.txt" that is really a Word file still reads):
    a zip package with ``word/`` (.docx), ``xl/`` (.xlsx) or an OpenDocument
    mimetype; an OLE2 compound file (.doc, .wps, .xls, .et); ``%PDF``; RTF; a
    web page (``<html``, ``<!DOCTYPE``, a charset ``<meta>``); else text in
    any encoding and layout.
    """
    from .text import read_text

    if isinstance(data, str):
        return read_text(data, name)
    kind = sniff(data)
    if kind == "text":
        from .charset import decode

        return read_text(decode(data, name), name)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return read_xlsx(data, name)
    if kind == "xls":
        from .xlsx import read_xls

        return read_xls(data, name)
    if kind == "html":
        from .html import read_html

        return read_html(data, name)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name)
    from .office import KINDS, convert

    if kind == "ole":  # a Word or WPS writer file (an OLE2 file that is no workbook)
        kind = "wps" if name.lower().endswith(".wps") else "doc"
    converted = convert(data, name, kind)
    if KINDS[kind][1] == "docx":
        from .docx import read_docx

        doc = read_docx(converted, name)
    else:
        from .xlsx import read_xlsx

        doc = read_xlsx(converted, name)
    doc.kind = kind
    return doc


_ODF = {b"application/vnd.oasis.opendocument.text": "odt", b"application/vnd.oasis.opendocument.spreadsheet": "ods"}
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<meta[^>]+charset|<body[\s>]|<table[\s>]", re.I)


def _ole_streams(data: bytes) -> set[str]:
    """The stream names of an OLE2 compound file (xlrd's reader of the format)."""
    import io

    from xlrd.compdoc import CompDoc, CompDocError

    try:
        return {d.name for d in CompDoc(data, logfile=io.StringIO()).dirlist}
    except (CompDocError, IndexError, ValueError, AssertionError):
        return set()


def sniff(data: bytes) -> str:
    """The kind of file ``data`` is, from its first bytes (see :func:`read_document`)."""
    if data[:4] == b"PK\x03\x04":
        import zipfile
        from io import BytesIO

        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names:
                    mime = z.read("mimetype").strip()
                    if mime in _ODF:
                        return _ODF[mime]
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except (zipfile.BadZipFile, KeyError, OSError):
            pass
        return "docx"  # a zip that is no known package: the .docx reader says it is broken
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls" if {"Workbook", "Book"} & _ole_streams(data) else "ole"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return "rtf"
    head = data[:4096]
    if _HTML.search(head) and head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")[:1] in (b"<", b""):
        return "html"
    return "text"


def import_plan(
    text: str | bytes,
    *,
    source: str,
    year: int | None = None,
    prefix: str | None = None,
    plan_id: str | None = None,
    registry: UnitRegistry | None = None,
    command: str = "",
) -> Imported:
    """Read a plan's text (or a file's bytes) into a rules file (see the module docstring).

    ``registry`` (``rules/units.yaml``) is used and extended with the units met.
    """
    return import_document(read_document(text, source), source=source, year=year, prefix=prefix,
                           plan_id=plan_id, registry=registry, command=command)


def import_document(
    doc: Document,
    *,
    source: str,
    year: int | None = None,
    prefix: str | None = None,
    plan_id: str | None = None,
    registry: UnitRegistry | None = None,
    command: str = "",
) -> Imported:
    """A :class:`Document` into a rules file."""
    found = _extractor.extract(doc, year=year)
    meta = found.meta
    if meta.year is None:
        raise ImportProblem(source, 1, "文中没有计划年度（标题、文号、印发日期、写明年份的时限、所引文号都没有）：请用 --year 指定")
    if not found.tasks:
        line = doc.blocks[meta.body].where.line if meta.body < len(doc.blocks) else 1
        raise ImportProblem(source, line, "没有找到任务：既无任务表格，也无编号事项或带时限的通知条款")
    registry = registry if registry is not None else UnitRegistry()
    prefix = prefix or plan_id or "plan"
    plan_id = plan_id or prefix
    return _write(found, doc, source=source, prefix=prefix, plan_id=plan_id, registry=registry, command=command)


def _prose_due(text: str, year: int | None, issued: date | None) -> tuple[str, list[str], list[str]]:
    """Time limits written inside a requirement: the clauses holding them, the rules, and the
    clauses the reader fails on (a limit nobody can see yet: named for review, never lost).

    A standing duty beside a fixed or relative limit in the same sentence ("…持续规范，
    2020年年底前建成…") is how the work is done, not a second limit: only the dated one is kept.
    """
    found: list[str] = []
    rules: list[str] = []
    failed: list[str] = []
    for sentence in re.split(r"[。；;]", text):
        read_clauses = []
        clauses = [c for c in (c.strip("，, ") for c in re.split(r"[，,]", sentence)) if c]
        for k, clause in enumerate(clauses):
            if k + 1 < len(clauses) and tells_status(clause, clauses[k + 1]):
                continue  # 截至9月14日，已办结6件: the day a status is told on, no limit
            if held_on(clause, "，".join(clauses[k + 1:])):
                continue  # 2023年11月14日下午，区长主持召开…: the day a meeting was held, no limit
            try:
                read = parse_phrase(clause, year=year, issued=issued, prose=True)
            except DeadlineError as exc:
                failed.append(f"{clause}（{getattr(exc, 'reason', exc)}）")
                continue
            if read:
                read_clauses.append((clause, read))
            elif undated_limit(clause):
                # "力争月底前开始打桩", "本周五前报送": a limit counted from the document's own day;
                # "汛期前完成清淤", "活动期间投入使用": by a season or an event nobody dates.  The
                # reader dates neither: named for review, never dropped.
                failed.append(clause)
        if any(r.kind in ("absolute", "relative") for _, read in read_clauses for r in read):
            read_clauses = [(c, read) for c, read in read_clauses if any(r.kind != "ongoing" for r in read)]
        for clause, read in read_clauses:
            found.append(clause)
            rules.extend(explain(r) for r in read if explain(r) not in rules)
    return "；".join(found), rules, failed


def _readings(text: str, year: int | None, issued: date | None) -> list[str]:
    try:
        return [explain(r) for r in parse_phrase(text, year=year, issued=issued)]
    except DeadlineError:
        return []


def _ids(tasks: list[Task], prefix: str) -> list[str]:
    """Obligation ids: the document's own task numbers where they are unique; else the
    row number (or the category's place) and the measure's place within it."""
    body = [t for t in tasks if not t.notice]
    numbers = [t.numbered for t in body if t.numbered]
    # The document's numbers where most tasks have their own; a dated paragraph
    # between numbered items is p1, p2 ….
    own = bool(numbers) and len(set(numbers)) == len(numbers) and len(numbers) >= 0.5 * len(body)
    paragraphs = 0
    sizes: dict[str, int] = {}
    for t in body:
        sizes[t.group] = sizes.get(t.group, 0) + 1
    positions: dict[str, int] = {}
    group_numbers: dict[str, int] = {}
    out: list[str] = []
    seen: set[str] = set()
    notices = 0
    for t in tasks:
        if t.notice:
            notices += 1
            item = f"通知.{notices}"
        elif own and t.numbered:
            item = t.numbered
        elif own:
            paragraphs += 1
            item = f"p{paragraphs}"
        else:
            positions[t.group] = positions.get(t.group, 0) + 1
            number = t.group if t.group.isdigit() else str(group_numbers.setdefault(t.group, len(group_numbers) + 1))
            item = number if sizes[t.group] == 1 else f"{number}.{positions[t.group]}"
        base, k = item, 1
        while item in seen:
            k += 1
            item = f"{base}-{k}"
        seen.add(item)
        out.append(item)
    return out


def _source(item: str, where: Where, kind: str) -> str:
    """'{item: "3.1", line: 9}' for a text; for an office file or a PDF the sheet,
    table, row and page it came from (the line only where there is no row)."""
    parts = [f"item: {scalar(item)}"]
    if kind == "text" or not where.row:
        parts.append(f"line: {where.line}")
    if where.sheet:
        parts.append(f"sheet: {scalar(where.sheet)}")
    parts += [f"{k}: {getattr(where, k)}" for k in ("page", "table", "row") if getattr(where, k)]
    return "{" + ", ".join(parts) + "}"


def _write(found: Extracted, doc: Document, *, source: str, prefix: str, plan_id: str, registry: UnitRegistry,
           command: str) -> Imported:
    meta = found.meta
    result = Imported(yaml="", plan_id=plan_id, obligations=0, notes=list(found.notes))
    layout = doc.kind
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
    if meta.period and meta.period != (meta.year, meta.year) and meta.period[0] <= meta.year <= meta.period[1]:
        out.append(f"period: {{start: {meta.period[0]}-01-01, end: {meta.period[1]}-12-31}}")
    out.append(f"source: {scalar(source)}")
    if found.review:
        out.append(f"review: {flow_list(found.review)}")
        result.review += [f"{plan_id}: {r}" for r in found.review]
    out.append("obligations:")
    new_units: list[str] = []
    plain_form = found.plain
    for task, item in zip(found.tasks, _ids(found.tasks, prefix)):
        ob_id = f"{prefix}-{item}"
        for name in task.units.all():
            if unit_name_problem(name):
                continue  # no unit ("20", "区", a sentence): named by check, never added to units.yaml
            _, changed = registry.extend(meta.place, name)
            if changed:
                new_units.append(name)
        review = list(task.review)
        notes = list(task.notes)
        due_lines: list[str] = []
        due_text = task.due_text
        if due_text and plain_form(due_text) != due_text:
            # Written in traditional characters or with inline pinyin: the reading
            # of its plain form, stated, so loading does not depend on that form.
            rules = _readings(plain_form(due_text), meta.year, meta.issued)
            if rules:
                due_lines = [f"    due: {flow_list(rules)}"]
        if due_text is None or not due_text.strip():
            text, rules, failed = _prose_due(task.plain or task.requirement, meta.year, meta.issued)
            review += [LIMIT_UNREADABLE.format(clause=clause) for clause in failed]
            if rules:
                due_text = text
                due_lines = [f"    due: {flow_list(rules)}"]
            else:
                due_text = ""
                due_lines = [f"    due: {{kind: ongoing, note: {scalar(NO_LIMIT_NOTE)}}}"]
        if task.persons:
            notes.append("；".join(task.persons))
        out.append(f"  - id: {scalar(ob_id)}")
        out.append(f"    source: {_source(item, task.where, doc.kind)}")
        if task.category and task.category != task.title:
            out.append(f"    category: {scalar(task.category)}")
        out.append(f"    title: {scalar(task.title or task.requirement[:30])}")
        if task.requirement:
            out.append(f"    requirement: {scalar(task.requirement)}")
        roles = {r: list(names) for r, names in task.units.model_dump().items() if names}
        if roles:
            out.append("    units: {" + ", ".join(f"{k}: {flow_list(v)}" for k, v in roles.items()) + "}")
        if due_text:
            out.append(f"    due_text: {scalar(due_text)}")
        out += due_lines
        if notes:
            out.append(f"    note: {scalar('；'.join(notes))}")
        if review:
            out.append(f"    review: {flow_list(review)}")
        result.review += [f"{ob_id}: {r}" for r in review]
        result.obligations += 1
        out.append("")
    result.yaml = "\n".join(out).rstrip("\n") + "\n"
    result.new_units = new_units
    return result

