"""What a document says of itself: its title (the plan's own, else the
covering notice's, else a table caption, else the file name), 文号, issuer,
issue date, year and the years it spans, place, and the covering notice —
whom it is sent to and its own clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ..phrases import chinese_number
from ..unitcells import looks_like_units, place_of
from .charset import Plain
from .document import Document, Paragraph, Table
from .tables import header_rows
from .task import (
    ANNEX_LABEL,
    ANNEX_NO,
    CN_DATE,
    ISSUER,
    closing_line,
    is_label_line,
    numbering,
    short_heading,
    strip_title,
)
from .vocabulary import vocabulary


@dataclass
class Meta:
    title: str = ""
    title_from: str = ""  # plan, notice, report (a report on a plan: …推进情况, …通报), caption, file
    issuer: str = ""
    document_number: str = ""
    issued: date | None = None
    year: int | None = None
    year_from: str = ""
    period: tuple[int, int] | None = None  # first and last year where the title names several
    place: str = ""
    addressees: str = ""
    notice: list[Paragraph] = field(default_factory=list)
    attachments: set[int] = field(default_factory=set)  # the lines of lists of attachments: no tasks
    body: int = 0  # index of the first block of the plan itself
    report_said: str = ""  # the words by which a page without a title says it is a report or a 解读
    year_said: str = ""  # the words the year was taken from, where neither title, number nor date gave it
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}\s?[〔\[［(（【]\s?\d{4}\s?[〕\]］)）】]\s?\d{1,4}\s?号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
# The endings of a plan's own title (after 《》 and a trailing bracket are removed).
_PLAN_TITLE_END = re.compile(
    r"(方案|安排|要点|计划|清单|细则|办法|意见|分工|分解|分解表|任务表|责任表|目录|台账|实事|措施|规划|"
    r"工作任务|重点任务|重点工作|要点分工|任务分解|责任分解|任务清单|项目表|一览表|计划表|推进表|要求|工作事项|制度|规定|规程|纪要)$")
_NOTICE_TITLE = re.compile(r"^.{0,40}?(关于)?.{2,}的?(通知|决定|函)$")
_CAPTION_END = re.compile(r"(表|目录|清单|分解|一览表|台账)$")
# A title naming a year that ends so is a plan's all the same: 2023年区政府重点民生实事项目.
_YEAR_PLAN_TITLE_END = re.compile(r"(项目|实事|工作|任务|目标)$")
# A title naming a year that ends so is a report on a plan, not the plan: …推进情况(1-11月),
# …执行情况, …的通报, …的报告, …政策解读.  It gives the title and the year; the document is
# flagged, since what it holds may be progress and narrative rather than tasks.
_REPORT_TITLE_END = re.compile(r"(情况|报告|通报|解读|总结|汇报|公示|公告)$")
_ADDRESSEES = re.compile(r"^(?=.*(各|单位|部门|政府|委会|机构|办事处))(?!.*(如下|《|了|\d{4}年))[^。:：]{4,160}[:：]$")
# (a sentence that ends in a colon — "…印发了《…》，现将主要内容解读如下:" — names no addressees)
# A salutation to people, not units a notice is sent to: 各位代表:, 主任、副主任、各位委员:.
_SALUTATION = re.compile(r"(各位|同志|代表|委员|来宾|朋友|女士|先生|领导)(们)?[:：]$")
_ATTACHMENT = re.compile(r"^附\s*件\s*" + ANNEX_NO + r"?\s*[:：]?\s*(\d\s*[.、．])?")


def _own_number(text: str) -> re.Match[str] | None:
    """The document's own number: not one cited after a title (根据《…》(国办发〔2022〕8号))."""
    return next((m for m in _DOC_NO.finditer(text) if not re.search(r"》\s*[(（]?\s*$", text[:m.start()])), None)


# A limit dated in a year (2022年10月底前, 2023年6月30日, 2022年底, 2024年上半年); a document cited
# by its number (辽政办公开〔2023〕6号), for a plan that says no date of its own.
_DATED_LIMIT = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:\d{1,2}\s*月|[底末内]|上半年|下半年|第?[一二三四1-4]\s*季度)")
_CITED_YEAR = re.compile(r"[〔\[［(（【]\s?((?:19|20)\d\d)\s?[〕\]］)）】]\s?\d{1,4}\s?号")


def _year_in_text(doc: Document, plain: Plain) -> tuple[int, str, str] | None:
    """The plan's year where its title, number and date say none: the earliest year its limits
    are dated in (a plan sets limits in its own year first), else the latest year of the
    documents it cites (it follows them); with the words it was read from, for review."""
    texts = [plain(b.text) for b in doc.paragraphs()] + [plain(c.text) for t in doc.tables() for row in t.rows for c in row]
    dated = [m for text in texts for m in _DATED_LIMIT.finditer(text)]
    if dated:
        first = min(dated, key=lambda m: int(m[1]))
        return int(first[1]), "limit", re.sub(r"\s+", "", first[0])
    cited = [m for text in texts for m in _CITED_YEAR.finditer(text)]
    if cited:
        last = max(cited, key=lambda m: int(m[1]))
        return int(last[1]), "cited", re.sub(r"\s+", "", last[0])
    return None


def _parse_date(text: str) -> date | None:
    for pattern in (_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    m = CN_DATE.match(text.strip())
    if m:
        digits = "".join(str("〇一二三四五六七八九".index(ch.replace("○", "〇").replace("零", "〇")))
                         for ch in m[1])
        try:
            return date(int(digits), chinese_number(m[2]), chinese_number(m[3]))
        except (ValueError, TypeError):
            return None
    return None


_NUMBERED_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[.、．](?!\d))")


def _is_plan_title(plain: str) -> bool:
    t = strip_title(plain)
    # "一、保障措施" is a heading of the text, not its title.
    return (4 <= len(t) <= 80 and not _NUMBERED_HEADING.match(plain) and bool(_PLAN_TITLE_END.search(t)) and not re.search(r"[，,。；;：:]", t)
            and (not plain.strip().startswith(("关于", "根据", "按照", "为")) or _ABOUT.match(t))
            and "通知" not in t and not _BREADCRUMB.search(t))


# A document's own title may open with 关于 (关于推进人才集聚工程的实施意见: 关于…的 and a plan's
# ending); a sentence that does has its punctuation, a notice's title its 通知.
_ABOUT = re.compile(r"关于.{2,60}的")


@lru_cache(maxsize=1)
def _task_label() -> re.Pattern[str]:
    """A label of units or of a time limit inside a line: '(牵头单位:', '；完成时限:'."""
    words = sorted((re.escape(w) for w, r in vocabulary().labels.items()
                    if r in ("lead", "responsible", "cooperating", "units", "due")), key=len, reverse=True)
    return re.compile(rf"(?:^|[(（【\[；;。，,\s])(?:{'|'.join(words)})\s*[:：】\]]")


def _is_task_line(plain: str) -> bool:
    """'1.推进口岸建设。(牵头单位:市商务局;…)', '2.建设物流园(市发改委牵头)', '3.…(完成时限:…)':
    a numbered item with its units in a bracket or after a role or time-limit label is a task
    of the plan, not a clause of the notice before it (a notice followed by its tasks with no
    plan title)."""
    lv = numbering(plain.strip())
    if not lv:
        return False
    if _task_label().search(lv[2]):
        return True
    last = re.search(r"[(（【\[]([^()（）【】\[\]]{2,80})[)）】\]][。；;]?$", lv[2].strip())
    return bool(last and looks_like_units(last[1]))


def _names_a_year(plain: str) -> bool:
    return bool(re.search(r"(?:19|20)\d{2}\s*年", plain))


def _is_titled_line(plain: str) -> bool:
    """A heading line: short, unnumbered, no sentence."""
    t = strip_title(plain)
    return (6 <= len(t) <= 80 and not _NUMBERED_HEADING.match(plain) and not re.search(r"[，,。；;：:！!？?]", t)
            and not plain.strip().startswith(("根据", "按照", "为")) and not ISSUER.match(t) and not _BREADCRUMB.search(t))


# A page's trail of sections (首页 > 政务公开 > …, 专栏 >> 制度): where the page sits, never its title.
_BREADCRUMB = re.compile(r">|›|»|→|首页\s*[/＞]")


# What a report's, a 通报's or a 解读's opening says of itself (a plan says 现印发给你们).
# Not 公布如下 or 说明如下 alone: a plan is published so too (现将2024年民生实事项目公布如下).
_SAYS_REPORT = re.compile(r"(?:现将|特将|现就)[^。；]{0,40}?(?:解读|通报|报告)如下|现(?:予以)?通报如下|"
                          r"(?:现将|特将)[^。；]{0,40}?(?:情况|结果)(?:予以)?(?:公布|通报|公开)|解读如下")

def _page_field_title(doc: Document, plain: Plain) -> str:
    """The document's name as a page's field gives it (文件名称 | …), from the first table's first rows."""
    table = next(iter(doc.tables()), None)
    if table is not None:
        for row in table.rows[:4]:
            cells = [c.text.strip() for c in row if c.text.strip()]
            for k, cell in enumerate(cells[:-1]):
                if re.sub(r"[\s:：]", "", plain(cell)) in vocabulary().page_title_fields and len(cells[k + 1]) >= 6:
                    return cells[k + 1]
    return ""


def _is_report_title(plain: str) -> bool:
    t = strip_title(plain)
    return _is_titled_line(plain) and _names_a_year(t) and bool(_REPORT_TITLE_END.search(t))


def _is_year_plan_title(plain: str) -> bool:
    t = strip_title(plain)
    return (_is_titled_line(plain) and _names_a_year(t) and bool(_YEAR_PLAN_TITLE_END.search(t))
            and not plain.strip().startswith("关于") and not re.search(r"\d{4}\s*年\s*\d{1,2}\s*月", t))


_LIST_NO = re.compile(r"^\s*\d{1,2}\s*[.、．]\s*")


def _listed_title(text: str) -> str:
    """A title as a list of attachments gives it: '附件:1.2018年…分解表' → '2018年…分解表'."""
    t = strip_title(text)
    return _LIST_NO.sub("", t) if _ATTACHMENT.match(text.strip()) or _LIST_NO.match(text) else t


def _attachment_lists(paras: list[tuple[int, Paragraph, str]]) -> list[list[int]]:
    """The lines of each list of attachments: the '附件:' line and the numbered titles under it."""
    lists = []
    for i, (k, b, t) in enumerate(paras):
        s = t.strip()
        if not (len(s) < 60 and re.match(r"^附\s*件\s*" + ANNEX_NO + r"?\s*[:：]", s)):
            continue
        items = [k]
        for k2, b2, t2 in paras[i + 1:]:
            item = t2.strip()
            rest = strip_title(_LIST_NO.sub("", item))
            if not (_LIST_NO.match(item) and len(item) <= 80 and not re.search(r"[，,。；;：:]", item)
                    and (_PLAN_TITLE_END.search(rest) or _CAPTION_END.search(rest))) or k2 != items[-1] + 1:
                break
            items.append(k2)
        lists.append(items)
    return lists


def _quoted_report_title(paras: list[tuple[int, Paragraph, str]]) -> str:
    """A report's title as its opening sentence names it: 向大会作《…的报告》, 现将《…情况》报告如下;
    not a report it asks for (于11月10日前将《…工作总结》报省环保局: a document to be made)."""
    for k, b, t in paras:
        for m in re.finditer(r"(?:作|报告)\s*《([^《》]{6,80})》|将\s*《([^《》]{6,80})》\s*(?:报告|汇报|通报|公布)如下", t):
            quoted = m[1] or m[2]
            if _names_a_year(quoted) and _REPORT_TITLE_END.search(quoted):
                return quoted
    return ""


def _is_notice_title(plain: str) -> bool:
    t = plain.strip()
    return 8 <= len(t) <= 120 and bool(_NOTICE_TITLE.match(t)) and not re.search(r"[，,。；;:：]", t)  # 名称: …的通知 is a field


# How a title that is whole on its line starts: 关于, a year, a verb of carrying out (贯彻落实《…》).
_OWN_TITLE_START = re.compile(r"^(关于|\d{4}\s*年|贯彻|落实|印发)")
_STARTS_TITLE = re.compile(r"^(关于|\d{4}\s*年|[\u4e00-\u9fff]{1,6}?(省|市|县|区|州|盟|旗|自治区)(?!域|级))")


def _a_title(text: str) -> bool:
    """A plan's or a notice's title."""
    return _is_plan_title(text) or _is_notice_title(text)


def _joined_titles(paragraphs: list[tuple[int, Paragraph, str]]) -> list[tuple[int, int, str, str]]:
    """Titles broken over two or three short lines: (first index, last index, text, plain)."""
    out = []
    for k in range(len(paragraphs)):
        for span in (2, 3):
            if k + span > len(paragraphs):
                break
            parts = paragraphs[k:k + span]
            if any(len(p[2]) > 30 or re.search(r"[，,。；;：:]", p[2]) or ISSUER.match(p[2].strip())
                   or re.search(r"\d{4}", p[2]) and not re.search(r"[\u4e00-\u9fff]{4}", p[2])
                   or closing_line(p[2].strip()) or ANNEX_LABEL.fullmatch(p[2].strip()) or _BREADCRUMB.search(p[2])
                   for p in parts):
                break  # an annex's label (附件1) is no part of the title under it
            if any(parts[j + 1][0] - parts[j][0] > 1 for j in range(span - 1)):
                break
            plain = "".join(p[2].strip() for p in parts)
            text = "".join(p[1].text.strip() for p in parts)
            # "立山区政府2023年重点工作⏎任务分解和责任分工方案": the first line may read as a
            # title alone; the lines together are the title when they still end as one
            # and the last line does not.
            # title alone; the lines together are the title unless a later line starts a
            # title of its own (a place, a year, 关于).
            # Nor where a later line is a whole title that starts as one (贯彻落实《…》的任务分解方案
            # under a page's own lines: 添加到电脑桌面, 安装后可以在桌面快捷访问).
            later = [p[2] for p in parts[1:]]
            if _a_title(plain) and not (_a_title(parts[0][2]) and any(_STARTS_TITLE.match(t.strip()) for t in later)) \
                    and not any(_OWN_TITLE_START.match(t.strip()) and _a_title(t) for t in later):
                out.append((parts[0][0], parts[-1][0], text, plain))
    return out


def read_meta(doc: Document, plain: Plain) -> Meta:
    """What the document says of itself (see the module docstring)."""
    meta = Meta()
    blocks = doc.blocks
    # The first table of tasks (a page's metadata rows before the notice are no such table).
    first_table = next((k for k, b in enumerate(blocks) if isinstance(b, Table) and header_rows(b, plain)[0] >= 0),
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
    # "附件:1.…分解表⏎2.…分解表⏎3.…分解表": a list of the plans attached, not the title of
    # one of them, and never a task.
    attached = _attachment_lists(head)
    listed = {k for items in attached for k in items if len(items) > 1}
    candidates = [c for c in candidates if not listed & set(range(c[0], c[1] + 1))]
    plan_titles = [c for c in candidates if _is_plan_title(c[3])]
    notice_titles = [c for c in candidates if _is_notice_title(c[3])]
    # A line naming its year that ends as a plan's title may, or a report's (…推进情况, …的通报):
    # only the first heading of the document, where no plan or notice title is found.
    first_line = next((c for c in candidates if _is_titled_line(c[3]) and _names_a_year(c[3])), None)
    report_title = None
    if not plan_titles and not notice_titles and first_line is not None:
        if _is_year_plan_title(first_line[3]):
            plan_titles = [first_line]
        elif _is_report_title(first_line[3]):
            report_title = first_line

    # The notice: from the line naming whom it is sent to, to its closing.
    address = next(((k, b, t) for k, b, t in paras
                    if _ADDRESSEES.match(t.strip()) and "位置" not in t and k < first_table
                    and not _SALUTATION.search(t.strip())
                    and len(t.strip()) >= 5), None)
    if address is not None:
        meta.addressees = address[2].strip().rstrip(":：")
        start = address[0]
        for k, b, t in paras:
            if k <= start:
                continue
            s = t.strip()
            if is_label_line(s):
                # "1.推进口岸建设。⏎牵头单位:市商务局": the labels are of the numbered item just
                # before them, a task of the plan, not a clause of the notice.
                first = max(len(meta.notice) - 3, 0)
                numbered = [j for j in range(first, len(meta.notice)) if numbering(plain(meta.notice[j].text).strip())]
                if numbered:
                    del meta.notice[numbered[-1]:]
                break
            if (closing_line(s) or _is_plan_title(s) or _ATTACHMENT.match(s) and len(s) < 40
                    or short_heading(s)):
                break
            if any(isinstance(blocks[j], Table) for j in range(start + 1, k)):
                break
            if _is_task_line(s):
                break  # the plan's tasks begin with no title of their own
            meta.notice.append(b)

    if plan_titles:
        # The plan's own title; where the notice names it first, the plan starts after its last mention.
        chosen = plan_titles[0]
        after_notice = [c for c in plan_titles if not meta.notice or c[0] > blocks.index(meta.notice[-1])]
        if after_notice:
            chosen = after_notice[0]
        meta.title, meta.title_from = _listed_title(chosen[2]), "plan"
        same = [c for c in plan_titles if _listed_title(c[3]) == _listed_title(chosen[3])]
        meta.body = max(c[1] for c in same) + 1
    elif notice_titles:
        chosen = notice_titles[0]
        quoted = re.search(r"[《“]([^》”]{4,80})[》”]", chosen[2])
        meta.title = quoted[1] if quoted and _PLAN_TITLE_END.search(plain(quoted[1])) else strip_title(chosen[2])
        meta.title_from = "notice"
    elif report_title is not None:
        meta.title, meta.title_from = strip_title(report_title[2]), "report"
        meta.body = report_title[1] + 1
    elif quoted_report := _quoted_report_title(paras[:6]):
        # "我受…委托,向大会作《某乡人民政府关于2024年…项目进展情况的报告》": a report naming itself.
        meta.title, meta.title_from = quoted_report, "report"
    elif field_title := _page_field_title(doc, plain):
        # A page that gives the document's name in a field of its own (文件名称 | …的通报).
        meta.title = strip_title(field_title)
        meta.title_from = "report" if _is_report_title(plain(meta.title)) else "page"
    else:
        caption = next((t for t in doc.tables() if t.caption), None)
        caption_para = next((b for k, b, t in paras if _CAPTION_END.search(strip_title(t)) and len(t) <= 60
                             and not re.search(r"[，,。；;]", t)), None)
        if caption is not None:
            meta.title, meta.title_from = strip_title(caption.caption), "caption"
        elif caption_para is not None:
            meta.title, meta.title_from = strip_title(caption_para.text), "caption"
        else:
            stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", doc.name or "") or "未命名计划"
            meta.title, meta.title_from = stem, "file"
    if meta.title_from in ("caption", "file", "page"):
        # No title line: the page's opening says what it is where it is no plan (现将主要内容解读如下,
        # 现通报如下, 现将巡察整改情况予以公布).
        meta.report_said = next((m[0] for k, b, t in paras[:8] if (m := _SAYS_REPORT.search(t))), "")
    if meta.notice and meta.body <= blocks.index(meta.notice[-1]):
        meta.body = blocks.index(meta.notice[-1]) + 1
    # The body starts after a list of attachments that ends the notice.
    in_lists = meta.attachments = {k for items in attached for k in items}
    while meta.body in in_lists:
        meta.body += 1

    head_plain = "\n".join(t for k, b, t in paras if k < max(meta.body, 1) or k < first_table)
    all_cells = "\n".join(plain(c.text) for t in doc.tables() for row in t.rows[:6] for c in row)
    m = _own_number(head_plain) or _own_number(all_cells)
    if m:
        meta.document_number = re.sub(r"\s+", "", m[0])
    meta.issuer = meta.issuer or next((t.strip() for k, b, t in paras[:40]
                                       if ISSUER.match(t.strip()) and k < max(meta.body, first_table, 1)), "")
    if not meta.issuer:
        meta.issuer = _page_issuer(head_plain + "\n" + all_cells)
    meta.issued = _issue_date(paras, meta, head_plain + "\n" + all_cells)
    m = re.search(r"(\d{4})\s*年", plain(meta.title))
    if m:
        meta.year, meta.year_from = int(m[1]), "title"
    elif meta.document_number and re.search(r"\d{4}", meta.document_number):
        meta.year, meta.year_from = int(re.search(r"\d{4}", meta.document_number)[0]), "document_number"
    elif meta.issued:
        meta.year, meta.year_from = meta.issued.year, "issued"
    else:
        said = _year_in_text(doc, plain)
        if said:
            meta.year, meta.year_from, meta.year_said = said
    # Not from the addressees: a province sends to its counties (抚远县人民政府 is no place of its plan).
    meta.place = place_of(plain(meta.title)) or place_of(meta.issuer)
    meta.period = plan_period(plain(meta.title))
    if meta.period and meta.year_from == "title":
        meta.year = meta.period[0]
    return meta
_FIVE_YEAR = re.compile(r"[“\"]?十([一二三四五六七八九]?)五[”\"]?(?:时期|期间|规划)?")
_SPAN = re.compile(r"(\d{4})\s*(?:年)?\s*[-—–~～至到]\s*(\d{4})\s*年?")


# A page's next field glued to the issuer it names: "寿县人民政府文字大小:[ ]", "芜湖市人民政府阅读次数".
_PAGE_FIELD = re.compile(r"(文字大小|字号|字体|背景色|阅读|浏览|点击|访问|分享|打印|作者|发布|更新|责任编辑|编辑|时间|日期|"
                         r"来源|索引号|主题分类|公开方式)")


def _page_issuer(text: str) -> str:
    """The issuer a page's metadata names (发布机构:…, 信息来源:…), not the site (来源:本网原创稿)."""
    for m in re.finditer(r"(?:发布机构|发布机关|发文机关|信息来源|来源)\s*[:：|]?\s*([\u4e00-\u9fff]{3,30})", text):
        name = _PAGE_FIELD.split(m[1])[0]
        if len(name) >= 3 and not re.search(r"(网|网站|原创稿|原创|本网|政务网)$", name):
            return name
    return ""


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
        if re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", s) or CN_DATE.match(s):
            found = _parse_date(s)
            if found:
                return found
    m = re.search(r"(?:发布日期|公开日期|生成日期|发布时间|日期)\s*[:：|]?\s*(\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2})", head)
    if m:
        return _parse_date(m[1] + ("日" if "年" in m[1] else ""))
    # Any other date of the head, the last; never a time limit (2023年12月31日前, …日起, …日至…).
    dates = [d for d in (_parse_date(x[0]) for x in re.finditer(_DATE, head)
                         if not _LIMIT_AFTER.match(head, x.end())) if d]
    return dates[-1] if dates else None


_LIMIT_AFTER = re.compile(r"\s*(?:\d{1,2}\s*[时点:]\s*)?(?:之前|以前|前|止|起|开始|以来|至|到|-|—|~|内|完成)")
