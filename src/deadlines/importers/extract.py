"""The one extractor: a :class:`~.document.Document` into a plan's tasks.

Whatever the source format, a plan is read the same way:

1. **What the document says of itself** (:func:`read_meta`): its title (the
   plan's own title, else the covering notice's, else a table caption, else
   the file name — a guessed title is flagged), 文号, issuer, issue date, year,
   place, and the covering notice: whom it is sent to and its own clauses.
2. **Tasks**, from every table (:func:`table_tasks`: the header read through
   the vocabulary and lined up with the columns, merged cells carried down,
   heading rows read as categories) and from the paragraphs
   (:func:`paragraph_tasks`: numbered items at the document's task level,
   with their unit lines, labelled lines and brackets in every wording).
3. **The notice's own deadlines**: each clause with a time limit is a task of
   the units it names, else of the units the notice is sent to.

Nothing is dropped: a task without a time limit is ongoing and says so; a
task without units is flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Units
from ..unitcells import read_units
from .charset import Plain
from .document import Document, Paragraph, Table
from .meta import Meta, read_meta
from .notice import cut_by_doer, doer_of, notice_tasks, subject_of
from .paragraphs import paragraph_tasks, preamble, units_of_cell
from .runon import split_run_together
from .tables import header_rows, table_tasks
from .vocabulary import is_footer
from .task import (
    META_LINE,
    NO_LIMIT_NOTE,
    NO_UNIT_FROM_ADDRESSEES,
    UNITS_FROM_PROSE,
    UNITS_FROM_SUBJECT,
    Context,
    Task,
    closing_line,
    label_of,
    may_set_limit,
    merge_units,
    sets_limit,
    strip_title,
)

__all__ = ["extract", "Extracted", "Task", "NO_LIMIT_NOTE"]


@dataclass
class Extracted:
    meta: Meta
    tasks: list[Task]
    notes: list[str]
    review: list[str]  # plan-level questions for a person
    plain: Plain  # the document's plain form (see charset.py)


def extract(doc: Document, *, year: int | None = None) -> Extracted:
    """Read a document into its metadata and tasks."""
    doc.blocks = split_run_together(doc.blocks)
    text = "\n".join(b.text for b in doc.paragraphs()) + "\n" + "\n".join(
        c.text for t in doc.tables() for row in t.rows for c in row)
    plain = Plain.of(text)
    meta = read_meta(doc, plain)
    review: list[str] = []
    if year is not None:
        meta.year, meta.year_from = year, "option"
    ctx = Context(plain=plain, year=meta.year, issued=meta.issued, notes=list(doc.notes))
    tasks: list[Task] = []
    run: list[Paragraph] = []
    notice_blocks = {id(p) for p in meta.notice}
    stray: list[Paragraph] = []
    head: list[Paragraph] = []
    for block in doc.blocks[:meta.body]:
        if isinstance(block, Table):
            if not table_tasks(block, ctx):  # rows without a header: lines of text
                head += [Paragraph(" ".join(c.text.strip() for c in row if c.text.strip()), row[0].where)
                         for row in block.rows if row and any(c.text.strip() for c in row)]
        else:
            head.append(block)
    attached = {id(doc.blocks[k]) for k in meta.attachments}
    for block in head:
        # A rule for every task stated before them ('(二)公开时限：…').
        if id(block) not in notice_blocks and id(block) not in attached:
            line = plain(block.text.strip())
            preamble(line, ctx)
            if (not label_of(line) and len(line) > 8 and not META_LINE.search(line) and not closing_line(line)
                    and strip_title(line) != plain(meta.title) and sets_limit(line, ctx)):
                stray.append(block)  # a clause with a time limit outside the plan's body: kept, never dropped
    body = [b for b in doc.blocks[meta.body:] if id(b) not in notice_blocks]
    # The document's text ends where the site's or the file's back matter begins (a feedback
    # form, 扫一扫): nothing after it, paragraph or table, is read.
    # A page's own links above the text (分享到, 打印本页) end nothing.
    end = next((i for i, b in enumerate(body) if isinstance(b, Paragraph) and is_footer(plain(b.text))
                and any(isinstance(a, Table) or len(a.text.strip()) > 20 for a in body[:i])), None)
    if end is not None:
        ctx.notes.append(f"正文止于{body[end].where.describe()}（其后为文末信息，未读入）")
        cut = [b for b in body[end + 1:] if isinstance(b, Table)
               or (sets_limit(plain(b.text), ctx) and not closing_line(plain(b.text).strip()))]
        if cut:  # what looks like the plan's own past the end is asked about, never dropped unseen
            first = cut[0]
            what = "表格" if isinstance(first, Table) else f"写有时限的文字：{first.text.strip()[:40]}"
            review.append(f"正文止于{body[end].where.describe()}（文末信息），其后{first.where.describe()}还有{what}，"
                          f"未读入，请核对")
        body = body[:end]
    from_tables = 0
    prose: list[list[Task]] = []
    for block in body:
        if isinstance(block, Table):
            found = table_tasks(block, ctx)
            for task in found:
                units_of_cell(task, ctx)
            if not found and header_rows(block, plain)[0] < 0:
                # Rows without a header are lines of text to the extractor, never dropped.
                run += [Paragraph(" ".join(c.text.strip() for c in row if c.text.strip()), row[0].where)
                        for row in block.rows if row and any(c.text.strip() for c in row)]
                continue
            prose.append(paragraph_tasks(run, ctx))
            tasks += prose[-1]
            run = []
            from_tables += len(found)
            tasks += found
        elif meta.title and len(block.text.strip()) <= 80 and strip_title(plain(block.text.strip())) == plain(meta.title):
            continue  # the plan's title above its table (2024年4月…汇总表): its date is no limit of a task
        else:
            run.append(block)
    prose.append(paragraph_tasks(run, ctx))
    tasks += prose[-1]
    if from_tables:
        # Where tables hold the tasks, numbered paragraphs with neither units nor a
        # time limit are the document's preamble (依据, 原则), not tasks.
        for group in prose:
            if group and not any(t.has_units() or t.due_text or may_set_limit(plain(t.requirement), ctx)
                                 for t in group):
                ctx.notes.append(f"{len(group)} 段编号文字（{group[0].where.describe()}起）无单位无时限，按说明文字处理，未列为任务")
                tasks = [t for t in tasks if t not in group]
    addressees = read_units(_addressee_text(meta.addressees)) if meta.addressees else Units()
    notice = notice_tasks(meta.notice, ctx, addressees)
    # A stray line that is no sentence (a page's heading: "…重点工作责任分解第一季度进展情况")
    # is no task: it is named for a person to look at, never dropped.
    headings = [b for b in stray if len(b.text.strip()) <= 60 and not re.search(r"[，,。；;：:]", plain(b.text))]
    for block in headings:
        review.append(f"{block.where.describe()}在计划正文之外，写有时间但不像任务，未列为任务：{block.text.strip()}")
    stray = [b for b in stray if b not in headings]
    if stray:
        notice += notice_tasks(stray, ctx, Units())
    # A task list without units of its own (a table of reports) is for the units the notice is sent to.
    if tasks and addressees.all() and not any(t.has_units() for t in tasks):
        for task in tasks:
            task.units = addressees
            task.review.append(NO_UNIT_FROM_ADDRESSEES)
    # An item without units holding duties of several doers, each with its own limit: one task each.
    tasks = [part for task in tasks for part in (
        cut_by_doer(task, ctx, addressees) if not task.has_units() and not task.notice and task.due_text is None
        else [task])]
    for task in tasks:  # a task without units whose text names its doer: "由市政府督查室统一组织上传"
        if not task.has_units() and not task.notice:
            # 由X负责…, else its subject ("区住建局要抓紧办理施工许可，12月15日前开工")
            for read, said in ((doer_of, UNITS_FROM_PROSE), (subject_of, UNITS_FROM_SUBJECT)):
                named = read(task, ctx)
                if named.all():
                    task.units = named
                    task.review.append(said.format(units="、".join(named.all())))
                    break
    for task in tasks:
        if ctx.carried.all() and not task.notice:
            task.units = merge_units(task.units, Units(responsible=tuple(
                n for n in ctx.carried.all() if n not in task.units.all())))
        if ctx.first_is_lead and not task.units.lead and len(task.units.responsible) > 1:
            first, *rest = task.units.responsible
            task.units = Units(lead=(first,), responsible=tuple(rest), cooperating=task.units.cooperating)
        if task.due_text is None and ctx.default_due:
            task.due_text = ctx.default_due
        task.plain = plain(task.requirement)
    if meta.year_from == "document_number":
        review.append(f"计划年度取自文号 {meta.document_number}：{meta.year}（标题未写年度），请核对")
    elif meta.year_from == "issued":
        review.append(f"计划年度取自印发日期 {meta.issued}：{meta.year}（标题未写年度），请核对")
    elif meta.year_from == "limit":
        review.append(f"计划年度取自文中最早的时限“{meta.year_said}”：{meta.year}（标题、文号、印发日期都未写年度），请核对")
    elif meta.year_from == "cited":
        review.append(f"计划年度取自文中所引文号“{meta.year_said}”：{meta.year}（标题、文号、印发日期都未写年度），请核对")
    if meta.title_from == "file":
        review.append(f"标题取自文件名（文中未找到标题）：{meta.title}")
    elif meta.title_from == "caption":
        review.append(f"标题取自表格标题：{meta.title}")
    elif meta.title_from == "page":
        review.append(f"标题取自页面的文件名称栏：{meta.title}")
    if meta.title_from == "report":
        review.append(f"文件是计划的进展、通报、报告或解读，不是计划本身：所列事项可能是进展或叙述，请逐项核对（{meta.title}）")
    elif meta.report_said:
        review.append(f"文件看来是通报、报告或解读，不是计划本身（文中说“{meta.report_said}”）：所列事项可能是进展或叙述，请逐项核对")
    return Extracted(meta, notice + tasks, ctx.notes, review, plain)


def _addressee_text(text: str) -> str:
    """'各县(市、区)人民政府,市级有关部门(单位)' → the names, brackets kept."""
    return text.strip().rstrip(":：")
