"""What the extractor's parts share: a task as the document gives it, what the
extractor knows while reading, and the small readings of text every part
needs (numbering, labels, titles, time limits in running text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..model import Units
from ..phrases import chinese_number, parse_phrase
from ..unitcells import looks_like_units, read_units
from .charset import Plain
from .document import Where
from .vocabulary import vocabulary

CN = "一二三四五六七八九十百零〇"
# An annex's number (附件1, 附件一), and an annex's label alone on its line (附件1, 附件一：).
ANNEX_NO = rf"(?:\d{{1,2}}|[{CN[:10]}]{{1,3}})"
ANNEX_LABEL = re.compile(r"附\s*件\s*" + ANNEX_NO + r"?\s*[:：]?")
CN_DATE = re.compile(rf"^([{CN}○]{{4}})年([{CN}]{{1,3}})月([{CN}]{{1,3}})日$")
ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,16}(人民政府办公室|人民政府办公厅|人民政府|政府办公室|办公室|办公厅|"
                     r"管理局|委员会|局|委|厅)$")
# Minutes: what the meeting decided (会议原则同意, 会议要求 …, which open each decision's paragraph
# where the minutes number none) and what it only said before the doer (会议强调，X要…).
_MEETING = r"^(?:会议上|会议|会上)"
_DECIDES = r"(?:原则)?(?:同意|决定|议定|要求|研究决定|明确)"
MEETING_DECIDED = re.compile(_MEETING + r"(?:" + _DECIDES + r"|听取了?|审议了?|研究了?)")
MEETING_SAYS = re.compile(_MEETING + r"(?:" + _DECIDES + r"|强调|指出|提出|认为)[，,：:]?\s*")
CLOSING = re.compile(r"^[(（]?(此件公开发布|此件主动公开|此页无正文|正文\d+字)")
# A page's or a document's own facts, not a task: 发布日期：…, 成文日期 …, 索引号 ….
META_LINE = re.compile(r"(发布|成文|发文|印发|生成|公开|更新)(日期|时间)|索引号|文\s*号|来源[:：]|浏览|点击")
# Numbering of items, most general first.
H1 = re.compile(rf"^([{CN}]{{1,3}})\s*[、.．]\s*(.*)$")
H2 = re.compile(rf"^[(（]\s*([{CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$")
# "2.43亿元" is a number, not item 2; "2.2023年6月底前…" is item 2 (no number reads 2.2023年).
_YEAR_AFTER = r"(?:19|20)\d\d\s*年"
L3 = re.compile(rf"^(\d{{1,3}})\s*(?:[.．、](?!\d)|[.．](?={_YEAR_AFTER})|\s+(?=\D))\s*(.*)$")
L4 = re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$")
L5 = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")
LEVELS = (H1, H2, L3, L4, L5)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NO_LIMIT_NOTE = "计划未写完成时限：按计划期内的持续工作处理"
NO_UNIT_FROM_ADDRESSEES = "未写责任单位：取通知的主送单位"
LIMIT_UNREADABLE = "要求中的时限未能读取，请核对后写入 due：{clause}"
MEASURE_WITHOUT_UNIT = "同段其他措施在括号中写了责任单位，这一项后面没有：请核对责任单位"
GROUP_DUE = "时限取自本组最后一项之后的“{word}”行，按本组各项共同的时限处理：请核对"
BRACKET_UNREAD = "要求中间有写单位的括号，未能读出单位：请核对（{bracket}）"
BRACKET_IN_TEXT = "要求中间的单位括号未能分开成单独措施，其单位已并入本项：请核对（{bracket}）"
BRACKET_WORDS = "单位括号中有既非单位也非时限的文字，括号已留在要求中，其单位已读入：请核对（{bracket}）"
# A bracket that says how units are to be read, not which: (列第一位者为牵头单位，下同), (以下…不再单独列出).
UNIT_RULE = re.compile(r"(下同|以下[^()（）]{0,40}(均|都|由)|不再(单独|一一|逐一|重复)?列出)")
FIRST_IS_LEAD = re.compile(r"(第一|首位|排名第一|排在第一|列第一)[^()（）]{0,12}(牵头|主办|汇总)")


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


UNITS_FROM_PROSE = "责任单位取自要求中的“由…负责”：{units}，请核对"
UNITS_FROM_SUBJECT = "责任单位取自要求的主语（X要…）：{units}，请核对"
# "由X负责/牵头/统一组织…" (also "…审核后由X…", "由X于5月底前…", "由A、B分别负责"): the
# construction official prose assigns a duty with.  X is a unit
# (or units joined by 、/和/会同) that looks like one; a word for a kind of unit (各单位,
# 相关部门, 牵头部门) names nobody and is not taken, nor is "由X负责的第1件" or "由X负责审批的项目"
# (which name the work X has, not who does this task), "由于" (because) or "由X负责解释" (a
# document's last line).
_BY_UNIT = re.compile(r"(?:^|[，,；;。：:\s]|(?<=后)|(?<=要求|同意|决定|明确|议定|责成))(?:并|统一|分别|均|再)?由(?!于)([^，,；;。：:由\s]{2,40}?)"
                      r"(负责|牵头|统一|组织(?!部)|承担|具体|抓好|做好|汇总|统筹|按照|按|分别|(?=于\d)"
                      # the doer's verb at once (minutes: 由区教育局抓紧…, 由县财政局向…报告)
                      r"|抓紧|尽快|加快|督促|协调|研究|制定|落实|指导|提出|编制|开展|完成|起草|上报|报送|办理|实施|推进"
                      r"|审核|核实|跟进|对接|给|向|与|对)(?!的|解释)")
_GENERIC_UNIT = re.compile(r"^(各|相关|有关|其他|其它|本|所属|牵头|配合|责任|主管|属地|行业|业务|上级|下级|同级)")


def units_in_prose(text: str) -> Units:
    """The units a requirement names as doing the work, "由X负责…" (none when it names none):
    "由A牵头" leads, "由A会同B负责" has A lead and B cooperate, "由A、B负责" both responsible."""
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}
    for m in _BY_UNIT.finditer(text):
        if "的" in re.split(r"[，,；;。]", text[m.end():], maxsplit=1)[0]:
            continue  # "由市发改委负责审批的项目": the work a unit has, named inside a noun
        first, _, joined = m[1].partition("会同")
        parts = [(n, "lead" if joined or m[2] == "牵头" else "responsible") for n in _names(first)]
        parts += [(n, "cooperating") for n in _names(joined) if joined]
        if not all(n and looks_like_units(n) and not _GENERIC_UNIT.match(n) and not n.endswith(("相关", "有关", "等"))
                   for n, _ in parts):
            continue
        for name, role in parts:
            if not any(name in found for found in roles.values()):
                roles[role].append(name)
    return Units(**{role: tuple(names) for role, names in roles.items()})


def _names(text: str) -> list[str]:
    """Units joined by 、 or 及, and by 和 where both sides are units (市人力资源和社会保障局 is one)."""
    names = []
    for part in re.split(r"、|及", text):
        halves = part.split("和")
        names += halves if len(halves) > 1 and all(looks_like_units(h) for h in halves) else [part]
    return names


def merge_units(*parts: Units) -> Units:
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}
    for part in parts:
        for role in roles:
            roles[role] += [n for n in getattr(part, role) if n not in roles[role]]
    return Units(**roles)




def strip_title(text: str) -> str:
    """'《X》' → 'X'; 'X(试行)' → 'X'; 'X(华政发〔2021〕2号)' → 'X'; '(二)X' → 'X'; 'X.docx' → 'X'; '【栏目】X' → 'X'."""
    t = re.sub(r"^附\s*件\s*(?:" + ANNEX_NO + r"(?=\s|[:：]|$))?\s*[:：]?\s*", "", text.strip())
    t = re.sub(r"^[(（][一二三四五六七八九十]+[)）]|^[一二三四五六七八九十]+、|^\d{1,2}\s*[.、．](?!\d)", "", t)
    t = re.sub(r"^【[^【】]{2,8}】(?=.{6})", "", t)  # a page's column tag: 【保基本民生】…的通知
    t = re.sub(r"[(（][^()（）]*[)）]$", "", t).strip()
    # A file's name as a page shows it: "…责任分解表.docx".
    t = re.sub(r"\.(?:docx?|wps|xlsx?|et|pdf|od[ts]|html?)$", "", t, flags=re.I)
    # Quotes and title marks around the whole; one inside it stays ("“一案三制”建设").
    for left, right in (("《", "》"), ("“", "”"), ('"', '"')):
        if t.startswith(left) and t.endswith(right) and len(t) > 2 and left not in t[1:-1] and right not in t[1:-1]:
            t = t[1:-1]
    return t.strip(" ")


def closing_line(s: str) -> bool:
    return bool(CLOSING.match(s) or ISSUER.match(s) or re.fullmatch(r"[\d年月日\s]{6,}", s)
                or CN_DATE.match(s) or s in ("此通知", "特此通知"))


def short_heading(s: str) -> bool:
    """'一、确保完成全年主要预期目标': a heading of the plan, not a clause of the notice."""
    m = H1.match(s)
    return bool(m) and len(m[2]) <= 30 and "。" not in m[2].rstrip("。") and not re.search(r"[，,；;]", m[2])


def is_label_line(s: str) -> bool:
    return bool(label_of(s))


def label_of(s: str) -> tuple[str, str, str] | None:
    """'牵头单位：市财政局' → ('牵头单位', 'lead', '市财政局')."""
    vocab = vocabulary()
    m = re.match(rf"^[【\[]?({vocab.label_pattern.pattern})[】\]]?\s*[:：]?\s*(.*)$", s)
    if not m or not (s[len(m[1]):len(m[1]) + 2].strip()[:1] in (":", "：", "】", "]") or
                     re.match(r"^[【\[]", s)):
        return None
    return m[1], vocab.labels[m[1]], m[2].strip()


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


def squash(text: str) -> str:
    """A text cell broken across lines, joined: "推进政策执行\\n和落实情况公\\n开"."""
    return "".join(p.strip() for p in text.split("\n") if p.strip())


def join_due(text: str) -> str:
    """A time-limit cell broken across lines: "2015年7月；\\n\\n2016年1月" → "2015年7月；2016年1月"."""
    out = ""
    for piece in (p.strip() for p in text.split("\n")):
        if not piece:
            continue
        if out and not re.search(r"[；;，,。、]$", out):
            out += "；"
        out += piece
    return out
MEASURE_NO = re.compile(r"^(\d{1,3})(?:[．.、]\s*|\s+|(?=[\u4e00-\u9fff“《]))")


def strip_number(text: str) -> tuple[str, str]:
    """'1．做好…' → ('1', '做好…'); '(1)做好…' → ('1', …); text without a number is kept."""
    m = MEASURE_NO.match(text) or re.match(r"^[(（](\d{1,2})[)）]\s*", text)
    if not m:
        return "", text
    return m[1], text[m.end():].strip()


def numbering(plain: str) -> tuple[int, str, str] | None:
    """(level, number, text) of a numbered paragraph; levels 0 一、 1 (一) 2 1. 3 (1) 4 ①."""
    for level, pattern in enumerate(LEVELS):
        m = pattern.match(plain)
        if m and m[2].strip():
            if level == 2 and re.match(r"^\d", m[2]) and not re.match(_YEAR_AFTER, m[2]):  # '2.43亿元', a number
                continue
            return level, m[1], m[2]
    return None


def number_value(level: int, number: str) -> str:
    """An item's number as digits: '三' → '3', '②' → '2'; digits stay (a heading taken as a
    task one level down keeps the number it was given)."""
    if not number or number.isdigit():
        return number
    if level in (0, 1):
        return str(chinese_number(number))
    if level == 4:
        return str(CIRCLED.index(number) + 1)
    return number


def unit_rule(text: str, ctx: Context) -> None:
    """A rule for reading the units of this and later tasks: '列第一位者为牵头单位，下同',
    '以下政策措施均需各县区人民政府、园区管委会落实，不再单独列出'."""
    if FIRST_IS_LEAD.search(text):
        ctx.first_is_lead = True
    carried = re.search(r"(?:均需|均由|都需|需)([^，,；;。]+?)(?:落实|负责|配合|参与)", text)
    if carried and looks_like_units(carried[1]):
        ctx.carried = merge_units(ctx.carried, read_units(carried[1], "responsible"))


def read_limits(text: str, ctx: Context, prose: bool = True) -> list:
    try:
        return parse_phrase(text, year=ctx.year, issued=ctx.issued, prose=prose)
    except Exception:  # noqa: BLE001 - the importer keeps the text and flags it instead
        return []


def sets_limit(plain: str, ctx: Context) -> bool:
    """Whether a paragraph sets a time limit (a date, a series, a wait), not only a standing
    duty; a date alone on its line (the document's own date) is no time limit."""
    text = plain.strip()
    return _sets_limit(text, read_limits(text, ctx))


def may_set_limit(plain: str, ctx: Context) -> bool:
    """:func:`sets_limit`, or the phrase reader fails on the paragraph (read as prose) or leaves
    part of a limit unread (a date that cannot exist): it may hold a time limit nobody can see
    yet, so it is never dropped as a document's preamble.  Read once."""
    text = plain.strip()
    try:
        rules = parse_phrase(text, year=ctx.year, issued=ctx.issued, prose=True)
    except Exception:  # noqa: BLE001 - any failure is a reason to keep the text
        return True
    return any(r.unparsed for r in rules) or _sets_limit(text, rules)


def _sets_limit(text: str, rules: list) -> bool:
    if closing_line(text) or META_LINE.search(text):
        return False
    return any(r.kind != "ongoing" and not r.unparsed and len(text) > len(r.text or "") + 2 for r in rules)
