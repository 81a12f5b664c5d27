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
from dataclasses import dataclass, field
from datetime import date

from ..model import Units
from ..phrases import chinese_number, parse_phrase
from ..units import looks_like_units, place_of, read_units
from .charset import Aligned, Plain
from .document import Cell, Document, Paragraph, Table, Where
from .fit import fit, is_seq
from .vocabulary import TEXT_FIELDS, UNIT_FIELDS, column_field, is_footer, vocabulary

_CN = "一二三四五六七八九十百零〇"
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}\s?[〔\[［(（【]\s?\d{4}\s?[〕\]］)）】]\s?\d{1,4}\s?号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_DATE = re.compile(rf"^([{_CN}○]{{4}})年([{_CN}]{{1,3}})月([{_CN}]{{1,3}})日$")
# The endings of a plan's own title (after 《》 and a trailing bracket are removed).
_PLAN_TITLE_END = re.compile(
    r"(方案|安排|要点|计划|清单|细则|办法|意见|分工|分解|分解表|任务表|责任表|目录|台账|实事|措施|规划|"
    r"工作任务|重点任务|重点工作|要点分工|任务分解|责任分解|任务清单|项目表|一览表|计划表|推进表|要求)$")
_NOTICE_TITLE = re.compile(r"^.{0,40}?(关于)?.{2,}的?(通知|决定|函)$")
_CAPTION_END = re.compile(r"(表|目录|清单|分解|一览表|台账)$")
_ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,16}(人民政府办公室|人民政府办公厅|人民政府|政府办公室|办公室|办公厅|"
                     r"管理局|委员会|局|委|厅)$")
_ADDRESSEES = re.compile(r"^(?=.*(各|单位|部门|政府|委会|机构|办事处))[^。:：]{4,160}[:：]$")
_CLOSING = re.compile(r"^[(（]?(此件公开发布|此件主动公开|此页无正文|正文\d+字)")
# A page's or a document's own facts, not a task: 发布日期：…, 成文日期 …, 索引号 ….
_META_LINE = re.compile(r"(发布|成文|发文|印发|生成|公开|更新)(日期|时间)|索引号|文\s*号|来源[:：]|浏览|点击")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*(\d\s*[.、．])?")

# Numbering of items, most general first.
_H1 = re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*(.*)$")
_H2 = re.compile(rf"^[(（]\s*([{_CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$")
_L3 = re.compile(r"^(\d{1,3})\s*(?:[.．、](?!\d)|\s+(?=\D))\s*(.*)$")
_L4 = re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$")
_L5 = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")
_LEVELS = (_H1, _H2, _L3, _L4, _L5)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

NO_LIMIT_NOTE = "计划未写完成时限：按计划期内的持续工作处理"
_NO_UNIT_FROM_ADDRESSEES = "未写责任单位：取通知的主送单位"
# A bracket that says how units are to be read, not which: (列第一位者为牵头单位，下同), (以下…不再单独列出).
_UNIT_RULE = re.compile(r"(下同|以下[^()（）]{0,40}(均|都|由)|不再(单独|一一|逐一|重复)?列出)")
_FIRST_IS_LEAD = re.compile(r"(第一|首位|排名第一|排在第一|列第一)[^()（）]{0,12}(牵头|主办|汇总)")


# --------------------------------------------------------------------------
# Tasks


@dataclass
class Task:
    """One task or measure as the document gives it."""

    where: Where
    group: str  # what groups rows into one task (序号, 类别 or title)
    title: str
    requirement: str
    units: Units = field(default_factory=Units)
    due_text: str | None = None  # None: the layout gives no time-limit field
    category: str = ""
    numbered: str = ""  # the number the document gives the task, if any
    persons: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notice: bool = False
    plain: str = ""  # the requirement in the plain form time limits are read from

    def has_units(self) -> bool:
        return bool(self.units.all())


def merge_units(*parts: Units) -> Units:
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}
    for part in parts:
        for role in roles:
            roles[role] += [n for n in getattr(part, role) if n not in roles[role]]
    return Units(**roles)


# --------------------------------------------------------------------------
# The document's own facts


@dataclass
class Meta:
    title: str = ""
    title_from: str = ""  # plan, notice, caption, file
    issuer: str = ""
    document_number: str = ""
    issued: date | None = None
    year: int | None = None
    year_from: str = ""
    period: tuple[int, int] | None = None  # first and last year where the title names several
    place: str = ""
    addressees: str = ""
    notice: list[Paragraph] = field(default_factory=list)
    body: int = 0  # index of the first block of the plan itself


def _parse_date(text: str) -> date | None:
    for pattern in (_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    m = _CN_DATE.match(text.strip())
    if m:
        digits = "".join(str("〇一二三四五六七八九".index(ch.replace("○", "〇").replace("零", "〇")))
                         for ch in m[1])
        try:
            return date(int(digits), chinese_number(m[2]), chinese_number(m[3]))
        except (ValueError, TypeError):
            return None
    return None


def _strip_title(text: str) -> str:
    """'《X》' → 'X'; 'X(试行)' → 'X'; 'X(华政发〔2021〕2号)' → 'X'; '(二)X' → 'X'."""
    t = re.sub(r"^附\s*件\s*(?:\d{1,2}(?=\s|[:：]|$))?\s*[:：]?\s*", "", text.strip())
    t = re.sub(r"^[(（][一二三四五六七八九十]+[)）]|^[一二三四五六七八九十]+、|^\d{1,2}\s*[.、．](?!\d)", "", t)
    t = re.sub(r"[(（][^()（）]*[)）]$", "", t).strip()
    return t.strip("《》“”\" ")


def _is_plan_title(plain: str) -> bool:
    t = _strip_title(plain)
    return (4 <= len(t) <= 80 and bool(_PLAN_TITLE_END.search(t)) and not re.search(r"[，,。；;：:]", t)
            and not plain.strip().startswith(("关于", "根据", "按照", "为")) and "通知" not in t)


def _is_notice_title(plain: str) -> bool:
    t = plain.strip()
    return 8 <= len(t) <= 120 and bool(_NOTICE_TITLE.match(t)) and not re.search(r"[，,。；;]", t)


def _joined_titles(paragraphs: list[tuple[int, Paragraph, str]]) -> list[tuple[int, int, str, str]]:
    """Titles broken over two or three short lines: (first index, last index, text, plain)."""
    out = []
    for k in range(len(paragraphs)):
        for span in (2, 3):
            if k + span > len(paragraphs):
                break
            parts = paragraphs[k:k + span]
            if any(len(p[2]) > 30 or re.search(r"[，,。；;：:]", p[2]) or _ISSUER.match(p[2].strip())
                   or re.search(r"\d{4}", p[2]) and not re.search(r"[\u4e00-\u9fff]{4}", p[2])
                   or _closing_line(p[2].strip(), Meta()) for p in parts):
                break
            if any(parts[j + 1][0] - parts[j][0] > 1 for j in range(span - 1)):
                break
            plain = "".join(p[2].strip() for p in parts)
            text = "".join(p[1].text.strip() for p in parts)
            if (_is_plan_title(plain) or _is_notice_title(plain)) and not (
                    _is_plan_title(parts[0][2]) or _is_notice_title(parts[0][2])):
                out.append((parts[0][0], parts[-1][0], text, plain))
    return out


def read_meta(doc: Document, plain: Plain) -> Meta:
    """What the document says of itself (see the module docstring)."""
    meta = Meta()
    blocks = doc.blocks
    # The first table of tasks (a page's metadata rows before the notice are no such table).
    first_table = next((k for k, b in enumerate(blocks) if isinstance(b, Table) and _header_rows(b, plain)[0] >= 0),
                       len(blocks))
    paras = [(k, b, plain(b.text)) for k, b in enumerate(blocks) if isinstance(b, Paragraph)]
    head = [p for p in paras if p[0] < first_table] or paras[:0]

    # Single-line titles and titles broken over lines.
    candidates: list[tuple[int, int, str, str]] = [(k, k, b.text.strip(), t) for k, b, t in head]
    candidates += _joined_titles(head)
    # Earliest first; at one place, the title broken over lines before its last line alone.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    covered: set[int] = set()
    whole = []
    for c in candidates:
        if c[0] in covered:
            continue
        whole.append(c)
        covered.update(range(c[0], c[1] + 1))
    candidates = [c for c in whole]
    plan_titles = [c for c in candidates if _is_plan_title(c[3])]
    notice_titles = [c for c in candidates if _is_notice_title(c[3])]

    # The notice: from the line naming whom it is sent to, to its closing.
    address = next(((k, b, t) for k, b, t in paras
                    if _ADDRESSEES.match(t.strip()) and "位置" not in t and k < first_table
                    and len(t.strip()) >= 5), None)
    if address is not None:
        meta.addressees = address[2].strip().rstrip(":：")
        start = address[0]
        for k, b, t in paras:
            if k <= start:
                continue
            s = t.strip()
            if (_closing_line(s, meta) or _is_plan_title(s) or _ATTACHMENT.match(s) and len(s) < 40
                    or _short_heading(s) or _label_line(s)):
                break
            if any(isinstance(blocks[j], Table) for j in range(start + 1, k)):
                break
            meta.notice.append(b)

    if plan_titles:
        # The plan's own title; where the notice names it first, the plan starts after its last mention.
        chosen = plan_titles[0]
        after_notice = [c for c in plan_titles if not meta.notice or c[0] > blocks.index(meta.notice[-1])]
        if after_notice:
            chosen = after_notice[0]
        meta.title, meta.title_from = _strip_title(chosen[2]), "plan"
        same = [c for c in plan_titles if _strip_title(c[3]) == _strip_title(chosen[3])]
        meta.body = max(c[1] for c in same) + 1
    elif notice_titles:
        chosen = notice_titles[0]
        quoted = re.search(r"[《“]([^》”]{4,80})[》”]", chosen[2])
        meta.title = quoted[1] if quoted and _PLAN_TITLE_END.search(plain(quoted[1])) else chosen[2]
        meta.title_from = "notice"
    else:
        caption = next((t for t in doc.tables() if t.caption), None)
        caption_para = next((b for k, b, t in paras if _CAPTION_END.search(_strip_title(t)) and len(t) <= 60
                             and not re.search(r"[，,。；;]", t)), None)
        if caption is not None:
            meta.title, meta.title_from = _strip_title(caption.caption), "caption"
        elif caption_para is not None:
            meta.title, meta.title_from = _strip_title(caption_para.text), "caption"
        else:
            stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", doc.name or "") or "未命名计划"
            meta.title, meta.title_from = stem, "file"
    if meta.notice and meta.body <= blocks.index(meta.notice[-1]):
        meta.body = blocks.index(meta.notice[-1]) + 1

    head_plain = "\n".join(t for k, b, t in paras if k < max(meta.body, 1) or k < first_table)
    all_cells = "\n".join(plain(c.text) for t in doc.tables() for row in t.rows[:6] for c in row)
    m = _DOC_NO.search(head_plain) or _DOC_NO.search(all_cells)
    if m:
        meta.document_number = re.sub(r"\s+", "", m[0])
    meta.issuer = meta.issuer or next((t.strip() for k, b, t in paras[:40]
                                       if _ISSUER.match(t.strip()) and k < max(meta.body, first_table, 1)), "")
    if not meta.issuer:
        m = re.search(r"(?:发布机构|发布机关|发文机关|信息来源|来源)\s*[:：|]?\s*([\u4e00-\u9fff]{3,20})", head_plain + all_cells)
        meta.issuer = m[1] if m else ""
    meta.issued = _issue_date(paras, meta, head_plain + "\n" + all_cells)
    m = re.search(r"(\d{4})\s*年", plain(meta.title))
    if m:
        meta.year, meta.year_from = int(m[1]), "title"
    elif meta.document_number and re.search(r"\d{4}", meta.document_number):
        meta.year, meta.year_from = int(re.search(r"\d{4}", meta.document_number)[0]), "document_number"
    elif meta.issued:
        meta.year, meta.year_from = meta.issued.year, "issued"
    meta.place = place_of(plain(meta.title)) or place_of(meta.issuer) or place_of(meta.addressees)
    meta.period = plan_period(plain(meta.title))
    if meta.period and meta.year_from == "title":
        meta.year = meta.period[0]
    return meta


_FIVE_YEAR = re.compile(r"[“\"]?十([一二三四五六七八九]?)五[”\"]?(?:时期|期间|规划)?")
_SPAN = re.compile(r"(\d{4})\s*(?:年)?\s*[-—–~～至到]\s*(\d{4})\s*年?")


def plan_period(title: str) -> tuple[int, int] | None:
    """The years a plan spans where its title says so: '“十四五”时期' → 2021–2025,
    '（2022-2024年）' → 2022–2024."""
    m = _SPAN.search(title)
    if m and 0 < int(m[2]) - int(m[1]) <= 10:
        return int(m[1]), int(m[2])
    m = _FIVE_YEAR.search(title)
    if m:
        n = 10 + (chinese_number(m[1]) if m[1] else 0)
        # The five-year plans run 1971–1975 (四五) on in steps of five.
        start = 1971 + 5 * (n - 4)
        return start, start + 4
    return None


def _issue_date(paras, meta: Meta, head: str) -> date | None:
    m = re.search(r"(?:成文日期|发文日期|印发日期)\s*[:：|]?\s*(\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2})", head)
    if m:
        found = _parse_date(m[1] + ("日" if "年" in m[1] else ""))
        if found:
            return found
    # The date line that closes the notice (or stands alone in the head).
    if meta.notice:
        last = meta.notice[-1]
        after = [t for k, b, t in paras if b.where.line > last.where.line][:4]
        for t in after:
            s = t.strip()
            if re.fullmatch(r"[\d年月日\s]+|[〇○零一二三四五六七八九十年月日]+", s):
                found = _parse_date(s)
                if found:
                    return found
    for k, b, t in paras[:60]:
        s = t.strip()
        if re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", s) or _CN_DATE.match(s):
            found = _parse_date(s)
            if found:
                return found
    m = re.search(r"(?:发布日期|公开日期|生成日期|发布时间|日期)\s*[:：|]?\s*(\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2})", head)
    if m:
        return _parse_date(m[1] + ("日" if "年" in m[1] else ""))
    dates = [d for d in (_parse_date(x[0]) for x in re.finditer(_DATE, head)) if d]
    return dates[-1] if dates else None


def _closing_line(s: str, meta: Meta) -> bool:
    return bool(_CLOSING.match(s) or _ISSUER.match(s) or re.fullmatch(r"[\d年月日\s]{6,}", s)
                or _CN_DATE.match(s) or s in ("此通知", "特此通知"))


def _short_heading(s: str) -> bool:
    """'一、确保完成全年主要预期目标': a heading of the plan, not a clause of the notice."""
    m = _H1.match(s)
    return bool(m) and len(m[2]) <= 30 and "。" not in m[2].rstrip("。") and not re.search(r"[，,；;]", m[2])


def _label_line(s: str) -> bool:
    return bool(_label(s))


def _label(s: str) -> tuple[str, str, str] | None:
    """'牵头单位：市财政局' → ('牵头单位', 'lead', '市财政局')."""
    vocab = vocabulary()
    m = re.match(rf"^[【\[]?({vocab.label_pattern.pattern})[】\]]?\s*[:：]?\s*(.*)$", s)
    if not m or not (s[len(m[1]):len(m[1]) + 2].strip()[:1] in (":", "：", "】", "]") or
                     re.match(r"^[【\[]", s)):
        return None
    return m[1], vocab.labels[m[1]], m[2].strip()


# --------------------------------------------------------------------------
# Tables


def _header_rows(table: Table, plain: Plain) -> tuple[int, int]:
    """(first header row, first data row); (-1, 0) when the table has no header."""
    for r, row in enumerate(table.rows[:6]):
        cells = [plain(c.text) for c in row if c.text.strip()]
        named = [column_field(c) for c in cells]
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
    fields = [column_field(t) or "other" for t in top]
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


def _align_row(cells: list[Cell], fields: list[str]) -> list[Cell | None]:
    """A row with fewer cells than columns (a copied web table drops the cells a
    merge covered): the columns it lacks, chosen by fit; None for each."""
    width = len(fields)
    n = len(cells)
    if n >= width:
        return list(cells[:width]) if all(not c.text.strip() for c in cells[width:]) else list(cells[:width])
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
            if i < n:  # the next cell goes in column c
                key = (i + 1, c + 1)
                cand = score + fit(fields[c], cells[i].text)
                if cand > best.get(key, (neg,))[0]:
                    best[key] = (cand, taken + [cells[i]])
            if c - i < missing:  # column c is covered by a merge
                key = (i, c + 1)
                cand = score - absent_cost[fields[c]]
                if cand > best.get(key, (neg,))[0]:
                    best[key] = (cand, taken + [None])
    return best.get((n, width), (0.0, list(cells) + [None] * missing))[1]


_SEQ_STYLE = (("paren", re.compile(r"^[(（]\d+[)）]$")), ("digit", re.compile(r"^\d+[.、．]?$")),
              ("cn", re.compile(rf"^[{_CN}]+[、.．]?$")), ("cnparen", re.compile(rf"^[(（][{_CN}]+[)）]$")))


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


@dataclass
class Context:
    """What the extractor knows while reading the body."""

    plain: Plain
    year: int | None
    issued: date | None
    default_due: str = ""  # a limit the preamble sets for every task (公开时限：…)
    carried: Units = field(default_factory=Units)  # units every later task adds (以下…均需…落实)
    first_is_lead: bool = False  # 列第一位者为牵头单位，下同
    heading: str = ""
    notes: list[str] = field(default_factory=list)


def table_tasks(table: Table, ctx: Context) -> list[Task]:
    """The tasks of one table (see the module docstring)."""
    plain = ctx.plain
    table = _across_merges_once(table)
    top, data_start = _header_rows(table, plain)
    if top < 0:
        record = _record_table(table, plain)
        if record is not None:
            return _record_tasks(record, ctx)
        return []
    for row in table.rows[:top]:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if len(texts) == 1 and not table.caption:
            table.caption = texts[0]
    data = [row for row in table.rows[data_start:]]
    lengths = [len([c for c in row]) for row in data if sum(1 for c in row if c.text.strip()) >= 2]
    header_cells = [plain(c.text) for c in table.rows[top]]
    while header_cells and not header_cells[-1].strip():
        header_cells.pop()
    # The full rows are the longest (a copied web table drops the cells a merge
    # covered; an excerpt cuts its last row); trailing empty cells ('|||') do not count.
    lengths = [len(row) for row in data if sum(1 for c in row if c.text.strip()) >= 2]
    width = max(lengths) if lengths else len(header_cells)
    if data_start == top + 1 and len(header_cells) <= width + 1:
        width = max(width, len(header_cells))
    data = [_trim(row, width) for row in data]
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
        aligned = _align_row(row, fields)
        values: dict[str, str] = {}
        where = row[0].where
        for fld, cell in zip(fields, aligned):
            text = cell.text.strip() if cell is not None else ""
            if fld in values and values[fld] and text and fld != "seq":
                # Two columns of one field: both kept (units and dates by line, texts by sentence).
                values[fld] += ("；" if fld in TEXT_FIELDS else "\n") + text
            elif fld not in values or not values[fld]:
                values[fld] = text
        present = [f for f, c in zip(fields, aligned) if c is not None and c.text.strip()]
        if _is_heading_row(present, values, task_col, task_style, plain) and not (
                len(present) == 1 and _dated(plain(values[present[0]]), ctx)):
            heading = _strip_title(" ".join(values[f] for f in present if f != "seq" or len(present) == 1)).rstrip("。")
            previous = {f: v for f, v in previous.items() if f not in ("title", "category")}
            continue
        for fld in ("title", "category"):
            if fld != task_col and _H1.match(plain(values.get(fld, ""))):
                values[fld] = _strip_title(values[fld])
        for fld in fields:
            if fld == task_col or fld == "seq" and values.get("seq"):
                continue
            if not values.get(fld) and previous.get(fld):
                values[fld] = previous[fld]  # a merged cell: the value of the row above
        previous = {f: values.get(f, "") for f in fields}
        numbered, text = _strip_number(_squash(values.get(task_col, "")))
        if not text:
            # A row whose only text is in another column (a lone dated cell) keeps it as its task.
            text = _squash(next((values[f] for f in present if f in TEXT_FIELDS), ""))
        if not text:
            continue
        category = _squash(values.get("category", ""))
        if task_col == "requirement":
            title = _squash(values.get("title", "")) or category or heading
        else:
            title = category or heading
        unit_parts = [read_units(_unit_text(plain(values[f]), ctx), f) for f in fields if f in UNIT_FIELDS and values.get(f)]
        units = merge_units(*unit_parts) if unit_parts else Units()
        due_text = _join_due(values.get("due", "")) if "due" in fields else None
        seq = values.get("seq", "").strip()
        group = re.sub(r"[()（）.、．\s]", "", seq) or category or _squash(values.get("title", "")) or heading
        task = Task(where=where, group=group, title=title or text[:30], requirement=text, units=units,
                    due_text=due_text, category=category if task_col == "requirement" else (heading if category else ""),
                    numbered=numbered)
        if "person" in fields and values.get("person"):
            task.persons.append(_squash(values["person"]))
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


def _is_heading_row(present: list[str], values: dict[str, str], task_col: str, task_style: str,
                    plain: Plain) -> bool:
    """A row that heads the rows under it: a lone cell that is no task ('一、主要预期目标 | |||'),
    or a number of another style than the tasks' with no unit or date ('1 | 大力提振消费。| ||')."""
    if len(present) == 1:
        only = plain(values[present[0]])
        return present[0] not in (task_col, "seq") or bool(_H1.match(only) or _H2.match(only))
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
        return best[1] if best else [column_field(t) or "other" for t in top[:width]]
    return _align_header(top, width, data)


def _trim(row: list[Cell], width: int) -> list[Cell]:
    while len(row) > width and not row[-1].text.strip():
        row = row[:-1]
    return row


def _squash(text: str) -> str:
    """A text cell broken across lines, joined: "推进政策执行\\n和落实情况公\\n开"."""
    return "".join(p.strip() for p in text.split("\n") if p.strip())


def _join_due(text: str) -> str:
    """A time-limit cell broken across lines: "2015年7月；\\n\\n2016年1月" → "2015年7月；2016年1月"."""
    out = ""
    for piece in (p.strip() for p in text.split("\n")):
        if not piece:
            continue
        if out and not re.search(r"[；;，,。、]$", out):
            out += "；"
        out += piece
    return out


_MEASURE_NO = re.compile(r"^(\d{1,3})(?:[．.、]\s*|\s+|(?=[\u4e00-\u9fff“《]))")


def _strip_number(text: str) -> tuple[str, str]:
    """'1．做好…' → ('1', '做好…'); '(1)做好…' → ('1', …); text without a number is kept."""
    m = _MEASURE_NO.match(text) or re.match(r"^[(（](\d{1,2})[)）]\s*", text)
    if not m:
        return "", text
    return m[1], text[m.end():].strip()


def _unit_text(text: str, ctx: Context) -> str:
    """A unit cell without the brackets that state a rule (下同, 以下…不再列出), noting the rule."""
    out = text
    for m in re.finditer(r"[(（]([^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]", text):
        if _UNIT_RULE.search(m[1]):
            if _FIRST_IS_LEAD.search(m[1]):
                ctx.first_is_lead = True
            out = out.replace(m[0], "")
    return out.strip()


def _record_tasks(pairs: list[tuple[str, str, Where]], ctx: Context) -> list[Task]:
    """A task card: '重点工作: | 135.… |', '牵头单位: | … |', '年度目标: | … |'."""
    labels = {label: (value, where) for label, value, where in pairs}
    task_label = next((label for label, _, _ in pairs if column_field(label) in ("title", "requirement")), None)
    if task_label is None:
        return []
    value, where = labels[task_label]
    numbered, text = _strip_number(_squash(value))
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
            due_parts.append(_join_due(val))
        elif fld == "requirement":
            extra.append(_squash(val))
    task = Task(where=where, group=numbered or text[:20], title=text[:30] if not extra else text,
                requirement=" ".join([text] + extra) if extra else text, units=units,
                due_text="；".join(due_parts) if due_parts else None, numbered=numbered)
    return [task]


# --------------------------------------------------------------------------
# Paragraphs


def _level(plain: str) -> tuple[int, str, str] | None:
    """(level, number, text) of a numbered paragraph; levels 0 一、 1 (一) 2 1. 3 (1) 4 ①."""
    for level, pattern in enumerate(_LEVELS):
        m = pattern.match(plain)
        if m and m[2].strip():
            if level == 2 and re.match(r"^\d", m[2]):  # '2.43亿元', a number, not an item
                continue
            return level, m[1], m[2]
    return None


def _number_value(level: int, number: str) -> str:
    if not number:
        return ""
    if level in (0, 1):
        return str(chinese_number(number))
    if level == 4:
        return str(_CIRCLED.index(number) + 1)
    return number


_BRACKET_END = re.compile(r"[(（]((?:[^()（）]|[(（][^()（）]*[)）])*)[)）]\s*[。.；;]?\s*$")
_SQUARE = re.compile(r"[【\[]([^【】\[\]]+)[】\]]([^【\[]*)")


def _units_in_text(al: Aligned, ctx: Context) -> tuple[Aligned, Units, str] | None:
    """Units written inside an item: a bracket at its end ('(牵头单位:…;责任单位:…)',
    '(A、B牵头,C按职责分工负责)', '(A负责,年内持续推进)'), or '【责任单位】…' /
    '[责任单位:…;完成时间:…]'.  Returns (the text before them, the units, a time limit found there)."""
    plain = al.plain
    m = _BRACKET_END.search(plain)
    if m:
        units, due = _read_unit_bracket(m[1], ctx)
        if units is not None:
            return al.sub(0, m.start()).strip(), units, due
    sq = list(re.finditer(r"[【\[]\s*(" + vocabulary().label_pattern.pattern + r")", plain))
    if sq:
        cut = sq[0].start()
        units = Units()
        due = ""
        for part in re.finditer(r"[【\[]\s*([^】\]:：]+?)\s*(?:[:：]([^】\]]*)[】\]]|[】\]]([^【\[]*))", plain[cut:]):
            label = part[1].strip()
            value = (part[2] if part[2] is not None else part[3] or "").strip("，,；;。 ")
            role = vocabulary().labels.get(label)
            if role in UNIT_FIELDS or role == "units":
                u, d = _read_unit_bracket(value, ctx, role if role in UNIT_FIELDS else "responsible")
                units = merge_units(units, u or Units())
                due = due or d
            elif role == "due" or column_field(label) == "due":
                due = value
            else:  # "[责任单位:A牵头,B配合;完成时间:2022年6月]" in one bracket
                inner_units, inner_due = _read_unit_bracket(label + ":" + value, ctx)
                units = merge_units(units, inner_units or Units())
                due = due or inner_due
        if units.all():
            return al.sub(0, cut).strip(), units, due
    return None


def _read_unit_bracket(inner: str, ctx: Context, default_role: str = "responsible") -> tuple[Units | None, str]:
    """The units (and a time limit) of a bracket; None when it holds no units."""
    for m in list(re.finditer(r"[(（]([^()（）]*)[)）]", inner)):
        if _UNIT_RULE.search(m[1]):  # '(列第一位者为牵头单位，下同)' inside the value
            _unit_rule(m[1], ctx)
            inner = inner.replace(m[0], "")
    parts = re.split(r"[；;。]", inner)
    units = Units()
    due = ""
    found = False
    vocab = vocabulary()
    for part in parts:
        part = part.strip("，, 　")
        if not part:
            continue
        if _UNIT_RULE.search(part):
            _unit_rule(part, ctx)
            continue
        label = re.match(rf"^({vocab.label_pattern.pattern})\s*[:：]\s*(.*)$", part)
        if label:
            role = vocab.labels[label[1]]
            if role == "due":
                due = label[2]
                continue
            if role == "person":
                continue
            units = merge_units(units, read_units(label[2], role if role in UNIT_FIELDS else default_role))
            found = True
            continue
        # Unlabelled: names with role words, perhaps a time limit after them.
        clauses = re.split(r"[，,]", part)
        unit_clauses, rest = [], []
        for clause in clauses:
            (unit_clauses if not rest and looks_like_units(clause) else rest).append(clause)
        if unit_clauses:
            units = merge_units(units, read_units("，".join(unit_clauses), default_role))
            found = True
            if rest:
                tail = "，".join(rest)
                if any(r.kind != "pending" or True for r in _safe_parse(tail, ctx)):
                    due = due or tail
        elif not found:
            return None, ""
    return (units if found else None), due


def _unit_rule(text: str, ctx: Context) -> None:
    """A rule for reading the units of this and later tasks: '列第一位者为牵头单位，下同',
    '以下政策措施均需各县区人民政府、园区管委会落实，不再单独列出'."""
    if _FIRST_IS_LEAD.search(text):
        ctx.first_is_lead = True
    carried = re.search(r"(?:均需|均由|都需|需)([^，,；;。]+?)(?:落实|负责|配合|参与)", text)
    if carried and looks_like_units(carried[1]):
        ctx.carried = merge_units(ctx.carried, read_units(carried[1], "responsible"))


def _safe_parse(text: str, ctx: Context, prose: bool = True) -> list:
    try:
        return parse_phrase(text, year=ctx.year, issued=ctx.issued, prose=prose)
    except Exception:  # noqa: BLE001 - the importer keeps the text and flags it instead
        return []


def paragraph_tasks(paragraphs: list[Paragraph], ctx: Context) -> list[Task]:
    """Tasks of the body's paragraphs: numbered items at the task level, their
    unit lines, labelled lines and brackets (see the module docstring)."""
    plain = ctx.plain
    items = [(p, plain.aligned(p.text.strip())) for p in paragraphs if p.text.strip()]
    # The task level: the most specific numbering the body uses for more than one item.
    counts: dict[int, int] = {}
    for _, al in items:
        lv = _level(al.plain)
        if lv:
            counts[lv[0]] = counts.get(lv[0], 0) + 1
    task_level = max(counts) if counts else 9  # no numbered items: only dated paragraphs become tasks
    tasks: list[Task] = []
    headings: dict[int, str] = {}
    after_heading = True  # the start of the body, like a heading, may be followed by a dated paragraph
    waiting: list[Task] = []  # tasks not yet followed by their unit line
    current_units = Units()
    for para, al in items:
        t = al.plain
        if is_footer(t):
            ctx.notes.append(f"正文止于{para.where.describe()}（其后为文末信息，未读入）")
            break
        lv = _level(t)
        if lv and lv[0] < task_level and _dated(t, ctx) and not _short_heading(t):
            lv = (task_level, lv[1], lv[2])  # a heading that sets a time limit is a task too
        if lv and lv[0] < task_level:
            after_heading = True
            headings[lv[0]] = _strip_title(lv[2]).rstrip("。")
            for k in list(headings):
                if k > lv[0]:
                    del headings[k]
            for task in waiting:
                task.units = merge_units(task.units, current_units)
            waiting, current_units = [], Units()
            continue
        if lv and lv[0] == task_level:
            after_heading = False
            definition = _label(lv[2].strip())
            if definition and definition[1] in ("due", "units", "person") + UNIT_FIELDS and not tasks:
                # '(二)公开时限：…' before the tasks: a rule for all of them, not a task.
                _preamble(lv[2].strip(), ctx)
                continue
            for task in waiting:
                task.units = merge_units(task.units, current_units)
            task = _item_task(para, al, lv, headings, ctx)
            tasks.append(task)
            waiting = [] if task.has_units() else [task]
            continue
        if (after_heading or not tasks) and _dated(t, ctx) and not _label(t):
            # A paragraph with a time limit right under a heading is a task of its own
            # ('一、工作目标' / '…按照“11月前全面完成”…').
            task = _item_task(para, al, (task_level, "", t), headings, ctx)
            task.numbered = ""
            task.group = headings.get(max(headings), "") if headings else ""
            tasks.append(task)
            waiting = [] if task.has_units() else [task]
            after_heading = False
            continue
        after_heading = False
        if not tasks:
            _preamble(t, ctx)
            continue
        task = tasks[-1]
        label = _label(t)
        if label:
            word, role, value = label
            value = value.rstrip("。；; ")
            if role == "person":
                task.persons.append(f"{word}：{value}")
            elif role == "due":
                task.due_text = value
            else:
                units, due = _read_unit_bracket(f"{word}:{value}" if role != "units" else value, ctx,
                                                role if role in UNIT_FIELDS else "responsible")
                task.units = merge_units(task.units, units or Units())
                if due and not task.due_text:
                    task.due_text = due
                waiting = [w for w in waiting if w is not task]
            continue
        bracket = re.fullmatch(r"[(（](.+)[)）][。.]?", t)
        if bracket:
            units, due = _read_unit_bracket(bracket[1], ctx)
            if units is not None:
                task.units = merge_units(task.units, units)
                if due and not task.due_text:
                    task.due_text = due
                waiting = [w for w in waiting if w is not task]
                continue
        if looks_like_units(t):
            units = read_units(t)
            current_units = units
            for w in waiting:
                w.units = merge_units(w.units, units)
            waiting = []
            continue
        # Text that is neither: the item goes on (a paragraph broken in two).
        if not task.has_units() or True:
            _append_text(task, al, ctx)
    for task in waiting:
        task.units = merge_units(task.units, current_units)
    return tasks


def _dated(plain: str, ctx: Context) -> bool:
    """Whether a paragraph sets a time limit (a date, a series, a wait), not only a standing
    duty; a date alone on its line (the document's own date) is no time limit."""
    text = plain.strip()
    if _closing_line(text, Meta()) or _META_LINE.search(text):
        return False
    return any(r.kind != "ongoing" and not r.unparsed and len(text) > len(r.text or "") + 2
               for r in _safe_parse(text, ctx))


def _preamble(plain: str, ctx: Context) -> None:
    """Before the first task: a clause that sets the limit of every task ('公开时限：…')."""
    label = _label(plain)
    inner = re.sub(r"^[(（][一二三四五六七八九十]+[)）]|^[一二三四五六七八九十]+、|^\d+[.、]", "", plain).strip()
    label = label or _label(inner)
    if label and label[1] == "due":
        value = re.sub(r"[(（][^()（）]*[)）]", "", label[2]).strip("。；; ")
        if value:
            ctx.default_due = value


def _item_task(para: Paragraph, al: Aligned, lv: tuple[int, str, str], headings: dict[int, str],
               ctx: Context) -> Task:
    level, number, rest = lv
    body = al.sub(len(al.plain) - len(rest))  # the item without its number
    units = Units()
    due = ""
    found = _units_in_text(body, ctx)
    if found:
        body, units, due = found
    title, requirement = _title_and_text(body, headings)
    heading = headings.get(max(headings)) if headings else ""
    category = headings.get(min(headings)) if headings else ""
    return Task(where=para.where, group=_number_value(level, number), title=title or heading or requirement[:30],
                requirement=requirement, units=units, due_text=due or None, numbered=_number_value(level, number),
                category=category if category != title else "")


def _title_and_text(body: Aligned, headings: dict[int, str]) -> tuple[str, str]:
    """'题目。要求……' → (题目, 要求……); one sentence → (the heading, the sentence)."""
    m = re.match(r"^([^。，,；;：:]{2,30})。(.+)$", body.plain)
    heading = headings.get(max(headings)) if headings else ""
    if m and m[2].strip():
        return body.cut(0, len(m[1])).strip(), body.cut(len(m[1]) + 1).strip()
    return heading, body.raw.strip()


def _append_text(task: Task, al: Aligned, ctx: Context) -> None:
    found = _units_in_text(al, ctx)
    if found:
        al, units, due = found
        task.units = merge_units(task.units, units)
        if due and not task.due_text:
            task.due_text = due
    task.requirement += al.raw.strip()


# --------------------------------------------------------------------------
# The notice's own deadlines


# Words that follow the units a sentence of a notice is about: 各牵头单位要…, 市督查室每季度…
_AFTER_SUBJECT = re.compile(r"要|务必|务于|务要|应当|应|须|必须|于|在|将|每|统一|按|根据|负责|对|及时|认真|抓紧|尽快|请|会同")
_START_CLAUSE = re.compile(r"^(?:从|自|自从|截至|到|待)[^，,。；;]{0,20}?(?:起|后|前|开始|止)[，,]")


def notice_tasks(meta: Meta, ctx: Context, addressees: Units) -> list[Task]:
    """Each clause of the notice with a time limit: a task of the units its
    sentence names, else of the units the notice is sent to.  What the issuing
    government says it will do itself (市政府将…督查) is no task of theirs."""
    tasks: list[Task] = []
    for para in meta.notice:
        al = ctx.plain.aligned(para.text.strip())
        lv = _level(al.plain)
        if lv and lv[0] in (0, 1, 2):
            al = al.sub(len(al.plain) - len(lv[2]))
        subject: Units | None = None
        for sentence in _split_aligned(al, "。"):
            clauses = _split_aligned(sentence, "，,；;")
            who = _subject(sentence.plain)
            if who is not None:
                subject = who if who.all() else None  # 各地区、各部门: the addressees
            if subject is not None and _is_issuer(subject):
                continue
            timed = [i for i, c in enumerate(clauses)
                     if any(r.kind != "ongoing" and not r.unparsed for r in _safe_parse(c.plain, ctx))]
            for k, i in enumerate(timed):
                begin = 0 if k == 0 else i
                end = timed[k + 1] if k + 1 < len(timed) else len(clauses)
                requirement = "".join(c.raw for c in clauses[begin:end]).strip("，,；;。 ") + "。"
                due = None
                # A clause before the limit that starts it ('从2022年3月起，') belongs to the limit.
                if i > 0 and re.search(r"(起|开始)[，,]?$", clauses[i - 1].plain.strip()):
                    spans = "".join(r.text for r in _safe_parse(clauses[i].plain, ctx) if r.text)
                    due = clauses[i - 1].plain.strip() + (spans or clauses[i].plain.strip("，,；;。 "))
                units = subject if subject is not None and subject.all() else addressees
                tasks.append(Task(where=para.where, group="通知", title="印发通知的要求", requirement=requirement,
                                  units=units, due_text=due, numbered=str(len(tasks) + 1), notice=True))
    return tasks


def _split_aligned(al: Aligned, marks: str) -> list[Aligned]:
    """Pieces of a text, each ending with one of ``marks`` (kept)."""
    out, start = [], 0
    for k, ch in enumerate(al.plain):
        if ch in marks:
            out.append(al.sub(start, k + 1))
            start = k + 1
    if start < len(al.plain):
        out.append(al.sub(start))
    return [piece for piece in out if piece.plain.strip()]


_ISSUER_SELF = re.compile(r"^(本|我)?[省市县区旗]?(人民)?政府(办公室|办公厅)?$|^(市|县|区|省|旗)(委|府)$")


def _is_issuer(units: Units) -> bool:
    return bool(units.all()) and all(_ISSUER_SELF.match(n) for n in units.all())


# 各地区、各部门、各镇办: the kinds of unit a notice is sent to, not a unit the sentence names.
_GENERIC = re.compile(r"^各[镇乡街道区县市办地部门单位级直属有关相关工作委局、]{1,8}$")


def _subject(sentence: str) -> Units | None:
    """The units a sentence of a notice is about: the longest start of it (after
    a clause like '从2024年第二季度起，') that reads as unit names and is followed
    by what such a subject does (要, 务于, 于, 将 …)."""
    s = re.sub(rf"^[{_CN}]+、|^[(（][{_CN}]+[)）]", "", sentence.strip())
    start = _START_CLAUSE.match(s)
    if start:
        s = s[start.end():]
    best: Units | None = None
    for m in _AFTER_SUBJECT.finditer(s[:42]):
        who = re.sub(r"^(各级|同时|并|由|请|另外)", "", s[: m.start()].strip())
        if _ISSUER_SELF.match(who):
            best = Units(responsible=(who,))
        elif len(who) >= 2 and re.search(r"[，,。；;：:]", who) is None and looks_like_units(who):
            best = read_units(who)
    if best is not None and best.all() and all(_GENERIC.match(n) for n in best.all()):
        return Units()  # 各地区、各部门: the units the notice is sent to, named there
    return best


# --------------------------------------------------------------------------
# The whole document


@dataclass
class Extracted:
    meta: Meta
    tasks: list[Task]
    notes: list[str]
    review: list[str]  # plan-level questions for a person
    plain: Plain  # the document's plain form (see charset.py)


def extract(doc: Document, *, year: int | None = None) -> Extracted:
    """Read a document into its metadata and tasks."""
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
    for block in head:
        # A rule for every task stated before them ('(二)公开时限：…').
        if id(block) not in notice_blocks:
            line = plain(block.text.strip())
            _preamble(line, ctx)
            if (not _label(line) and len(line) > 8 and not _META_LINE.search(line) and not _closing_line(line, meta)
                    and _dated(line, ctx)):
                stray.append(block)  # a clause with a time limit outside the plan's body: kept, never dropped
    body = [b for b in doc.blocks[meta.body:] if id(b) not in notice_blocks]
    from_tables = 0
    prose: list[list[Task]] = []
    for block in body:
        if isinstance(block, Table):
            found = table_tasks(block, ctx)
            if not found and _header_rows(block, plain)[0] < 0:
                # Rows without a header are lines of text to the extractor, never dropped.
                run += [Paragraph(" ".join(c.text.strip() for c in row if c.text.strip()), row[0].where)
                        for row in block.rows if row and any(c.text.strip() for c in row)]
                continue
            prose.append(paragraph_tasks(run, ctx))
            tasks += prose[-1]
            run = []
            from_tables += len(found)
            tasks += found
        else:
            run.append(block)
    prose.append(paragraph_tasks(run, ctx))
    tasks += prose[-1]
    if from_tables:
        # Where tables hold the tasks, numbered paragraphs with neither units nor a
        # time limit are the document's preamble (依据, 原则), not tasks.
        for group in prose:
            if group and not any(t.has_units() or t.due_text or _dated(plain(t.requirement), ctx) for t in group):
                ctx.notes.append(f"{len(group)} 段编号文字（{group[0].where.describe()}起）无单位无时限，按说明文字处理，未列为任务")
                tasks = [t for t in tasks if t not in group]
    addressees = read_units(_addressee_text(meta.addressees)) if meta.addressees else Units()
    notice = notice_tasks(meta, ctx, addressees)
    if stray:
        notice += notice_tasks(Meta(notice=stray), ctx, Units())
    # A task list without units of its own (a table of reports) is for the units the notice is sent to.
    if tasks and addressees.all() and not any(t.has_units() for t in tasks):
        for task in tasks:
            task.units = addressees
            task.review.append(_NO_UNIT_FROM_ADDRESSEES)
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
    if meta.title_from == "file":
        review.append(f"标题取自文件名（文中未找到标题）：{meta.title}")
    elif meta.title_from == "caption":
        review.append(f"标题取自表格标题：{meta.title}")
    return Extracted(meta, notice + tasks, ctx.notes, review, plain)


def _addressee_text(text: str) -> str:
    """'各县(市、区)人民政府,市级有关部门(单位)' → the names, brackets kept."""
    return text.strip().rstrip(":：")
