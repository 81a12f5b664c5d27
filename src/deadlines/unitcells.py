"""Unit cells: reading what a plan writes in its unit column into the three roles.

A plan writes its units as the drafting office did: "县电子政务中心牵头，县级各部门负责",
"县人社局\\n\\n县卫生局\\n\\n分别牵头", "市政府办公室牵头,市政府各部门、各镇区配合".
:func:`read_units` turns such a cell into the three roles; :func:`place_of`
finds the place a plan belongs to.  Only the importer reads cells: the
commands that load rules files need :mod:`deadlines.units` (the registry)
alone, and not the patterns compiled here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .model import Units
from .units import LEVEL, NOT_A_LEVEL, is_group

# --------------------------------------------------------------------------
# Reading a unit cell

# Role words after the names they apply to, longest first (分别牵头 before 牵头).
_ROLE_WORDS = {
    "分别牵头落实": "lead", "分别牵头负责": "lead", "共同牵头落实": "lead", "牵头负责落实": "lead",
    "分别牵头": "lead", "牵头负责": "lead", "牵头落实": "lead", "牵头抓总": "lead", "共同牵头": "lead",
    "牵头": "lead", "主抓": "lead", "主责": "lead", "主办": "lead",
    "按职责分工负责": "responsible", "按职能分工负责": "responsible", "按职责分工落实": "responsible",
    "按职责负责": "responsible", "按职责落实": "responsible", "分工负责": "responsible",
    "分别负责落实": "responsible", "分别落实": "responsible", "分别负责": "responsible", "具体负责": "responsible", "共同负责": "responsible",
    "负责落实": "responsible", "具体落实": "responsible", "组织实施": "responsible", "负责": "responsible",
    "落实": "responsible", "实施": "responsible", "承办": "responsible",
    "按职责分工配合": "cooperating", "分别配合": "cooperating", "配合落实": "cooperating", "协助配合": "cooperating", "共同配合": "cooperating",
    "配合": "cooperating", "协助": "cooperating", "参与": "cooperating", "协同": "cooperating", "协办": "cooperating",
}
ROLE_RE = "|".join(sorted(map(re.escape, _ROLE_WORDS), key=len, reverse=True))
# A role word where it ends a group of names: before 、，；, a bracket's end or the end of the text.
_ROLE_AT = re.compile(rf"[(（]?({ROLE_RE})[)）]?(?=$|[、，,；;。\s])")
_ROLE_AT_END = re.compile(f"({ROLE_RE})$")
# "(牵头单位:…;责任单位:…)": a role named before its units.
_ROLE_LABELS = {"牵头单位": "lead", "牵头部门": "lead", "牵头责任单位": "lead", "主要责任单位": "lead",
                "牵头落实单位": "lead", "主办单位": "lead", "牵头科室": "lead", "牵头处室": "lead",
                "主责单位": "lead", "牵头责任部门": "lead",
                "责任单位": "responsible", "责任部门": "responsible", "责任科室": "responsible",
                "落实单位": "responsible", "实施单位": "responsible", "承办单位": "responsible",
                "责任主体": "responsible", "公开主体": "responsible", "负责单位": "responsible",
                "配合单位": "cooperating", "协办单位": "cooperating", "协同责任单位": "cooperating",
                "协同单位": "cooperating", "参与单位": "cooperating", "配合部门": "cooperating",
                "协作单位": "cooperating", "其他责任单位": "cooperating", "协助单位": "cooperating"}
_LABELLED = re.compile("(" + "|".join(sorted(_ROLE_LABELS, key=len, reverse=True)) + r")\s*[:：】\]]")
# The endings of a unit's name: a line ending in one ends a name.
NAME_END = re.compile(r"(局|办|委|室|中心|院|府|会|站|所|台|部|队|处|社|行|馆|团|门|位|区|镇|乡|街道|公司|厅|署|"
                      r"组|科|股|校|园|场|关|庭|协|联|银行|企业)$")
# Collectives that end in no unit word: 各地, 各地区, 各村, 各级.
_COLLECTIVE = re.compile(r"各[\u4e00-\u9fff]{0,3}(地|地区|村|级|社区)")
# A name that begins a new unit (a line starting so is not a broken name).
_NAME_START = re.compile(r"^(市|县|区|镇|乡|省|各|有关|相关|涉及|国家|中共|共青团)")
# Separators between names; brackets are kept whole: 各县(市、区)政府.
_SEPARATORS = "、，,；; \u3000"

# A piece that is a level alone, or its government (县, 区政府, 县级市, 街道): it goes on a collective
# ("各县、市、区政府", "各有关区、县级市"); a unit of a level (市教育局) does not.
_LEVEL_ALONE = re.compile(r"(?:[省市县区乡镇]|县级市|街道)(?:[(（][^()（）]{1,8}[)）])?(?:人民政府|政府|办事处|管委会)?")
_COLLECTIVE_BODY = re.compile(r"((?:^|(?<=[、，,；;\s]))各[\u4e00-\u9fff]{1,6}[(（][^()（）]{1,12}[)）])[ \u3000]+"
                              r"(?![各省市县区乡镇])(?=[\u4e00-\u9fff]{1,8}(?:会|局|办|委|室|中心|组|站|所|府)(?:$|[、，,；;\s]))")


def join_broken(text: str) -> str:
    """Join a cell broken across lines: "市住房城乡\\n\\n建设局" is one name,
    "县人社局\\n\\n县卫生局\\n\\n分别牵头" is two names and a role, and a line
    ending in a role word ends its clause (a web page's "A牵头<br>B配合")."""
    pieces = [p.strip() for p in re.split(r"\n+", text) if p.strip()]
    out = ""
    for piece in pieces:
        if out and _ROLE_AT_END.search(out) and _NAME_START.search(piece) and not _ROLE_AT_END.fullmatch(piece):
            out += "，"  # "市政府办公室牵头\n市政府各部门、各镇区配合": the role word closed the clause
        elif out and (_ROLE_AT_END.fullmatch(piece) or (NAME_END.search(out) and _NAME_START.search(piece))):
            out += "、" if not _ROLE_AT_END.fullmatch(piece) else ""
        out += piece
    return out

def _split_top(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "(（〔【[":
            depth += 1
        elif ch in ")）〕】]":
            depth = max(depth - 1, 0)
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts

def _split_names(clause: str) -> list[str]:
    """'县住建局和公积金管理中心' → two names; '县人力资源和社会保障局' stays one;
    '各县、市、区政府' and '各有关区、县级市' are one collective each; '市财政局等有关部门' → 市财政局, 有关部门."""
    if re.search("(涉及|的有关单位|的相关单位)", clause):
        return [clause.strip(_SEPARATORS)]  # a described group: "涉及…等三个重点领域的有关单位"
    raw = [p.strip() for p in _split_top(clause, _SEPARATORS) if p.strip()]
    names: list[str] = []
    pending = ""
    for k, part in enumerate(raw):
        # "各县、市、区政府", "各市(县)、区政府": a short piece that names no unit
        # joins the name it leads into, when that name goes on with a level
        # ("各镇(办)、经开区" are two: 经开区 is no level of 各镇).
        bare = re.sub(r"[(（][^()（）]*[)）]", "", part)
        following = raw[k + 1] if k + 1 < len(raw) else ""
        if re.fullmatch(r"各?(?:有关|相关)?[省市县区乡镇]", bare) and _LEVEL_ALONE.fullmatch(following):
            pending += part + "、"
            continue
        if pending:
            part, pending = pending + part, ""
        # "市各委、办、局", "市直委、办、局": a kind of unit alone names no unit; it goes on
        # naming the group before it (市各委办局).
        if names and re.fullmatch(r"[委办局厅站所室院部处科股队]", part) \
                and re.search(r"[委办局厅站所室院部处科股队]$", names[-1]):
            names[-1] += part
            continue
        for p in re.split(r"(?<=[局办委室心院府会站所台部队处门厅])[和及与暨](?=.{2,})", part):
            names.extend(_run_together(p) if p else ())
    if pending:
        names.append(pending.rstrip("、"))
    out: list[str] = []
    for name in names:
        name = re.sub(r"^(由|请|各有关单位中的)", "", name)
        # "市财政局等有关部门", "区发改委等相关区直部门", "市教育局等市直单位": the named unit and the group.
        extra = re.match(r"^(?P<name>.+?)等(?P<group>(?:其他|各)?(?:有关|相关)?[\u4e00-\u9fff]{0,4}?(?:单位|部门|科室|机构)"
                         r"(?:和单位)?)$", name)
        if extra:
            # a bare group (市财政局等部门) is the departments concerned: 相关部门, never "部门" alone
            group = extra["group"] if len(extra["group"]) > 2 else "相关" + extra["group"]
            out += [extra["name"], group]
            continue
        name = re.sub(r"等$", "", name) if len(name) > 2 else name
        if name:
            out.append(name)
    return out

def _run_together(name: str) -> list[str]:
    """'区发改局区统计局', '县委县政府': names of one level written with no separator (a table's
    cell lost its line break) are as many names, cut where a unit's ending is followed by the
    level the first name begins with; any other text is one name, and so is an office of the
    two (市委市政府督查室)."""
    level = name[:1]
    if level not in "省市县区镇乡" or len(name) < 5:
        return [name]
    parts = re.split(rf"(?<=[局办委室心院府站所部队处厅])(?={level}[\u4e00-\u9fff])", name)
    if len(parts) == 1 or any(len(p) < 2 or not NAME_END.search(p) for p in parts):
        return [name]
    if parts[0] == level + "委" and len(parts) == 2 and re.match(level + "政府.", parts[1]):
        return [name]  # 市委市政府督查室, 区委区政府办公室: one office of the two
    return parts


# Offices managed from above (垂直管理) named with their own place: 莲都邮政管理局, 椒江海关.
# So are enterprises and named zones, which have no level of a government (宁波电业局, 广元国际铁路港管委会).
_OWN_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,}(邮政管理局|税务局|国税局|地税局|海关|气象局|供电局|供电公司|烟草专卖局|"
                        r"海事局|调查队|分行|支行|邮政分公司|电信分公司|移动分公司|联通分公司|"
                        r"电业局|电力局|铁路局|公司|集团|银行|开发区|园区|新区|高新区|试验区|管委会)$")

def _with_level(names: list[str]) -> list[str]:
    """'县卫生局、计生局': the second name borrows the first one's level (县计生局);
    '无锡国税局、地税局': the first one's place (无锡地税局)."""
    out: list[str] = []
    for name in names:
        # A vertically managed office carries its own place ("区教育局、莲都邮政管理局").
        if out and not _NAME_START.search(name) and not is_group(name) and not _OWN_PLACE.search(name) \
                and name not in ("单位", "部门", "科室") and not re.search(r"[省市县区镇乡州旗]", name):
            first = out[-1]
            # The level of a unit (县卫生局), not the first character of a place (镇海, 区…).
            level = re.match(r"^(省|市|县|区|镇)", first) if NAME_END.search(first) else None
            if level and not name.startswith(level[1]):
                name = level[1] + name
            elif not level and 2 <= len(name) <= 4 and len(first) == len(name) + 2 and first[-2:] == name[-2:]:
                name = first[:2] + name
        out.append(name)
    return out

def read_units(text: str, default_role: str = "responsible") -> Units:
    """Read a unit cell into roles.

    Names are split on 、，,；, spaces and 和/及 between whole names, never inside
    brackets (各县(市、区)政府).  Roles come from labels (牵头单位:…;责任单位:…,
    【责任单位】…), from role words after the names they apply to
    (县司法局牵头、县发改局配合; 县司法局（牵头）; A、B牵头，C按职责分工负责), and
    otherwise from the column (``default_role``).  A role word is never part
    of a name.
    """
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}

    def add(role: str, names: Iterable[str]) -> None:
        roles[role] += [n for n in names if n and n not in roles[role] and not _ROLE_AT_END.fullmatch(n)]

    # A space before a bracket belongs to the name it follows: "各县区人民政府 (管委会)"; so does one
    # between a collective of places and the body of each ("各县区(开发区) 安委会": their 安委会).
    text = re.sub(r"[ \u3000]+(?=[(（〔][^()（）〔〕]{1,12}[)）〕])", "", join_broken(text)).strip("，,；;。 　")
    text = _COLLECTIVE_BODY.sub(r"\1", text)
    text = re.sub(r"^[【\[(（]", "", text) if _LABELLED.match(text[1:]) else text
    if not text:
        return Units()
    labelled = list(_LABELLED.finditer(text))
    if labelled and labelled[0].start() <= 1:
        for i, m in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(text)
            part = text[m.end() : end].strip("，,；;。 　【】[]")
            _read_roles(part, _ROLE_LABELS[m[1]], add)
        return Units(**roles)
    _read_roles(text, default_role, add)
    return Units(**roles)

def _ends_a_name(text: str) -> bool:
    """Whether a role word right after ``text`` follows a unit ('…局牵头', '各村负责'),
    not a verb inside a description ('…批准和实施、')."""
    text = text.rstrip()
    if not text or text[-1] in ")）〕】]":
        return True
    last = re.split(r"[、，,；; ]", text)[-1]
    return bool(NAME_END.search(last) or _COLLECTIVE.fullmatch(last))

# Verbs a unit cell or bracket may write after its role word: "市住建局牵头推进", "市民政局负责组织实施".
_VERB_TAIL = re.compile(rf"(?<=[\u4e00-\u9fff])({ROLE_RE})(?:推进|推动|落实|实施|办理|组织实施|组织|完成|执行|开展|"
                        r"抓好|抓好落实|督办|跟进|整改|实行|做好|督促|承担|贯彻)+$")


def _read_roles(text: str, default_role: str, add) -> None:
    """Names with the role words that follow them; names without one take ``default_role``."""
    pending: list[str] = []
    for clause in _split_top(text, "，,；;。"):
        clause = clause.strip(" 　")
        if not clause:
            continue
        verb = _VERB_TAIL.search(clause)
        if verb and _ends_a_name(clause[:verb.start()]):
            clause = clause[:verb.end(1)]  # '市住建局牵头推进': the role word keeps its meaning, the verb goes
        start = 0
        # A role word follows a name ("…局牵头"), not a verb inside a description ("批准和实施、").
        marks = [m for m in _ROLE_AT.finditer(clause) if _ends_a_name(clause[: m.start()])]
        for m in marks:
            names = _split_names(clause[start : m.start()])
            role = _ROLE_WORDS[m[1]]
            if pending and m[1].startswith("分别"):
                names, pending = pending + names, []  # "县人社局，县卫生局分别牵头"
            if names:
                add(default_role, pending)
                pending = []
                add(role, _with_level(names))
            start = m.end()
        rest = _split_names(clause[start:])
        if marks and not rest:
            continue
        # A name borrows a level within its own clause (县卫生局、计生局); across a comma
        # only a short name of a kind does (…，县政府各工作部门，事业机构).
        borrowed = _with_level(rest)
        if pending and rest and len(rest[0]) <= 4:
            borrowed = _with_level([pending[-1]] + rest)[1:]
        pending.extend(borrowed)
    add(default_role, pending)

def looks_like_units(text: str) -> bool:
    """A line or cell of unit names ("市发改委、财政局", "县司法局牵头，县发改局配合"),
    not a sentence that mentions one."""
    text = text.strip().strip("。")
    if not text or len(text) > 160 or re.search(r"[。：:？?！!“”《》]", text):
        return False
    names = read_units(text).all()
    if not names:
        return False
    for name in names:
        bare = re.sub(r"[(（〔【\[][^()（）〔〕【】\[\]]*[)）〕】\]]$", "", name)  # 市府办〔市大数据局〕
        if len(bare) < 3 and not bare.startswith("各"):
            return False  # '府办', '公厅': a piece of a name broken over lines
        if (len(bare) > 30 and not is_group(bare)) or not (
                NAME_END.search(bare) or _COLLECTIVE.fullmatch(bare)):
            return False
    return True

# A place name is a chain of administrative names, each ending in its level:
# 银川市兴庆区, 二连浩特市, 黔东南苗族侗族自治州, 泗洲头镇.  The package has no
# gazetteer, so a name is told by its shape: 2–8 characters before the level
# (one before 县: 寿县, 泾县), none of them a word no place name holds.
_LEVEL = LEVEL
# Words that are never part of a place name, and the characters of grammar
# (于 only in 于都/于田/于洪, 日 only in 日照/日喀则/日土, 和 not before a level: 厅和市政府;
# 第八次 of 第八次县政府常务会议 is a count).
_NOT_PLACE = (r"(?:关于|印发|转发|做好|贯彻|落实|推进|开展|加强|加快|进一步|全面|深入|认真|切实|组织|实施|人民|政府|"
              r"办公|工作|重点|年度|委员|文明|创建|魅力|智慧|卫生|园林|机关|部门|单位|党委|发展|改革|建设|城乡|乡镇|城镇|乡村|住房|社区|景区|辖区|片区|"
              r"校区|小区|村镇|直属|所属|以下|[年的在对及与各该、，,。；;：:《》“”\s]|月(?!湖)|(?<=[\d〇一二三四五六七八九十])月|于(?![都田洪])|日(?![照喀土])|和(?=[省市县区乡镇])|"
              r"第(?=[\d〇一二三四五六七八九十百]+次)|(?<=[\d〇一二三四五六七八九十百])次)")
_PLACE_CHAR = rf"(?:(?!{_NOT_PLACE})[\u4e00-\u9fff])"
# One name: it never starts with a level (市兴庆区 is the end of 银川市兴庆区).
_ONE_CHAR_COUNTY = rf"(?![某本全该各我每一两市省区乡镇村郡撤强外邻此原大小团]){_PLACE_CHAR}县"
_NAME = rf"(?:(?![省市县区州盟旗镇乡街])(?:{_PLACE_CHAR}{{2,8}}?{_LEVEL}|{_ONE_CHAR_COUNTY})(?!{NOT_A_LEVEL}))"
# Where a place may start in a title: its beginning, after a year, a verb of the
# title (关于印发, 转发) or a mark.
_PLACE_START = (r"(?:^|(?<=[\d年月日《“\"(（、，,\s])|(?<=年度)|(?<=关于)|(?<=印发)|(?<=转发)|(?<=做好)|(?<=贯彻)|(?<=落实)|"
                r"(?<=推进)|(?<=中共)|(?<=驻))")
# A place inside a title: followed by its government, a year or the title's verb.
_PLACE_IN_TITLE = re.compile(rf"{_PLACE_START}({_NAME}+?)(?:人民政府|贯彻|政府|\d|当前|关于)")
# An issuer or title that starts with its place: 四川省发展和改革委员会, 银川市兴庆区住建局.
_PLACE_FIRST = re.compile(rf"(?:中共|共青团|政协|驻)?(?![各本全该我])({_NAME}+)(?![省市县区州盟旗镇乡])(?=[\u4e00-\u9fff]{{2}})")

def place_of(text: str) -> str:
    """The place a plan belongs to, from its title or issuer: 中山市, 蕉岭县,
    银川市兴庆区, 黔东南苗族侗族自治州, 泗洲头镇."""
    # Not from a word before the name: "2023年莲都区政府…" is 莲都区.
    m = _PLACE_IN_TITLE.search(text)
    if m:
        return m[1]
    m = _PLACE_FIRST.match(text)
    return m[1] if m else ""


# What is no unit name: a role word or punctuation in it (县司法局牵头, 4项目标的责任单位均为…),
# a number or a single character (20, 区).  The import never adds such a name to units.yaml;
# `check` names it.
_ROLE_IN_NAME = re.compile(r"(牵头|负责|配合|协助|参与|落实|分工|按职责)$|^(由|请)|[，,；;：:。！？]")
_DIGIT = re.compile(r"\d")
_TWO_HAN = re.compile(r"[\u4e00-\u9fff]{2}")


@lru_cache(maxsize=16384)  # a province's plans name each of their 2,000 units dozens of times
def unit_name_problem(name: str) -> str | None:
    """Why ``name`` is not a unit name ("role": a role word or punctuation in it; "number": a
    number or a single character), or None."""
    if _ROLE_IN_NAME.search(name):
        return "role"
    if _DIGIT.search(name) and not _TWO_HAN.search(_DIGIT.sub("", name)) or len(name) < 2:
        return "number"
    return None
