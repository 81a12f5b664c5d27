"""The covering notice's own deadlines: each clause with a time limit is a task
of the units its sentence names, else of the units the notice is sent to.  A
numbered item without units that holds the duties of several doers, each with
its own time limit, is cut the same way (:func:`cut_by_doer`)."""

from __future__ import annotations

import re

from ..model import Units
from ..unitcells import looks_like_units, read_units
from .charset import Aligned
from .document import Paragraph
from .task import CN, MEETING_SAYS, NO_UNIT_FROM_ADDRESSEES, Context, Task, numbering, read_limits, units_in_prose

# Words that follow the units a sentence of a notice is about: 各牵头单位要…, 市督查室每季度…
# A verb a subject does to others (组织, 督促, 会同 …): what follows it is its object, no part of
# it.  Those that end a subject (各县政府组织…); 指导 and 协调 also follow other words (与市规划局协调).
_ORGANISES = r"(?<!委)组织(?!部)|督促|带领|召集|动员"
_DOER_VERB = re.compile(_ORGANISES + r"|指导|会同|协调")
_AFTER_SUBJECT = re.compile(r"要|务必|务于|务要|应当|应|须|必须|于|在|将|每|统一|按|根据|负责|对|及时|认真|抓紧|尽快|请|会同"
                            r"|力争|确保|争取|结合|组成|成立|制定|" + _ORGANISES)
_START_CLAUSE = re.compile(r"^(?:从|自|自从|截至|到|待)[^，,。；;]{0,20}?(?:起|后|前|开始|止)[，,]")


def notice_tasks(paragraphs: list[Paragraph], ctx: Context, addressees: Units) -> list[Task]:
    """Each clause of the notice with a time limit: a task of the units its
    sentence names, else of the units the notice is sent to.  What the issuing
    government says it will do itself (市政府将…督查) is no task of theirs."""
    tasks: list[Task] = []
    for para in paragraphs:
        al = ctx.plain.aligned(para.text.strip())
        lv = numbering(al.plain)
        if lv and lv[0] in (0, 1, 2):
            al = al.sub(len(al.plain) - len(lv[2]))
        subject: Units | None = None
        # A clause after ； may name a subject of its own ("市政府分管领导每两月…；市政府办公室每季度…").
        for sentence in _split_aligned(al, "。；;"):
            clauses = _split_aligned(sentence, "，,；;")
            who = _subject(sentence.plain)
            if who is not None:
                subject = who if who.all() else None  # 各地区、各部门: the addressees
            # "市政府分管领导每两月…": a leader, no unit; the task is theirs, never the addressees'.
            leader = _LEADER.match(sentence.plain.strip())
            if subject is not None and _is_issuer(subject) and (
                    not any(n.endswith(("办公室", "办公厅")) for n in subject.all())
                    or re.search(r"^[^，,]{0,12}将", sentence.plain)):
                continue  # 市政府将…督查: what the government says it will do; its office's standing duty stays
            if _NARRATIVE.search(_ATTRIBUTIVE.sub("", sentence.plain)) and not _DUTY.search(sentence.plain):
                # What has been done (…进行了专项督查, 从督查情况看,1-6月…) is no task.
                if any(r.kind != "ongoing" and not r.unparsed for r in read_limits(sentence.plain, ctx)):
                    ctx.notes.append(f"{para.where.describe()}是已做的事（叙述），未列为任务：{sentence.plain.strip()[:60]}")
                continue
            timed = [i for i, c in enumerate(clauses)
                     if any(r.kind != "ongoing" and not r.unparsed for r in read_limits(c.plain, ctx))]
            for k, i in enumerate(timed):
                begin = 0 if k == 0 else i
                end = timed[k + 1] if k + 1 < len(timed) else len(clauses)
                requirement = "".join(c.raw for c in clauses[begin:end]).strip("，,；;。 ") + "。"
                due = None
                # A clause before the limit that starts it ('从2022年3月起，') belongs to the limit.
                if i > 0 and re.search(r"(起|开始)[，,]?$", clauses[i - 1].plain.strip()):
                    spans = "".join(r.text for r in read_limits(clauses[i].plain, ctx) if r.text)
                    due = clauses[i - 1].plain.strip() + (spans or clauses[i].plain.strip("，,；;。 "))
                units = subject if subject is not None and subject.all() else addressees
                # The clause may name its own subject: "现将…印发给你们，请各牵头部门于3月底前报送…".
                own = _subject(clauses[i].plain) if i > 0 else None
                if own is not None and own.all() and not _is_issuer(own):
                    units = own
                persons = []
                if leader and who is None:
                    units, persons = Units(), [leader[1]]
                tasks.append(Task(where=para.where, group="通知", title="印发通知的要求", requirement=requirement,
                                  units=units, due_text=due, numbered=str(len(tasks) + 1), notice=True,
                                  persons=persons))
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
_LEADER = re.compile(r"^([\u4e00-\u9fff]{0,10}?(?:分管|主要|牵头|联系)?领导)(?=每|要|将|于|对|负责|定期)")
# A sentence telling what was done, not what is to be done: past aspect (进行了, 已完成) or
# a review's opening (从督查情况看); a sentence that also asks something (要, 请, 确保) is a duty.
_NARRATIVE = re.compile(r"(进行|开展|召开|确定|通过|完成|取得|组织|印发|出台|举行|实现|达到|审议|制定|启动)了|已经|已于|"
                        r"已(完成|实现|达到|启动|开工|竣工|全面)|^[^，,]{0,12}从[^，,]{1,12}(情况|进度)?(看|来看)[，,]")
_DUTY = re.compile(r"要|须|应当|请|务必|确保|力争|抓紧|尽快|务于|负责|切实|(?<!已)于[^，,。；;]{1,14}前")
# "对已经批复的项目", "已完成整改的问题": what was done names the thing a duty is about, not the duty.
_ATTRIBUTIVE = re.compile(r"已[^，,。；;的]{0,10}的")


def _is_issuer(units: Units) -> bool:
    return bool(units.all()) and all(_ISSUER_SELF.match(n) for n in units.all())
# 各地区、各部门、各镇办: the kinds of unit a notice is sent to, not a unit the sentence names.
_GENERIC = re.compile(r"^各[镇乡街道区县市办地部门单位级直属有关相关工作委局、]{1,8}$")


def _subject(sentence: str, kinds: bool = False) -> Units | None:
    """The units a sentence of a notice is about: the longest start of it (after
    a clause like '从2024年第二季度起，') that reads as unit names and is followed
    by what such a subject does (要, 务于, 于, 将 …).  A kind of unit (各地区、各部门)
    is Units(), the units the notice is sent to; with ``kinds``, the kind as written."""
    # its number: 一、, （一）, a rule's article (第四条), or a point counted in words (一是, 其次)
    s = re.sub(rf"^[{CN}]+、|^[(（][{CN}]+[)）]|^第[{CN}百零〇\d]+条\s*|^[{CN}]是|^(?:首先|其次|再次|最后)[，,]?",
               "", sentence.strip())
    s = MEETING_SAYS.sub("", s)
    start = _START_CLAUSE.match(s)
    if start:
        s = s[start.end():]
    best: Units | None = None
    for m in _AFTER_SUBJECT.finditer(s[:42]):
        who = re.sub(r"^(各级|同时|并|由|请|另外)", "", s[: m.start()].strip())
        if re.match(r"[对于经在将]|.*由", who):
            continue  # 由于X… (because), 对由X负责审批的… (what is done to): no subject
        if _DOER_VERB.search(who):
            continue  # "各市、县政府组织有关部门对…": the subject is before its verb, not with its object
        if _ISSUER_SELF.match(who):
            best = Units(responsible=(who,))
        elif len(who) >= 2 and re.search(r"[，,。；;：:]", who) is None and looks_like_units(who):
            best = read_units(who)
    if not kinds and best is not None and best.all() and all(_GENERIC.match(n) for n in best.all()):
        return Units()  # 各地区、各部门: the units the notice is sent to, named there
    return best


CUT_BY_DOER = "一项中写了不同单位各自的时限，已按单位分成 {count} 项：请核对"


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    """Where each clause of ``text`` begins and ends (each with its closing mark: 。；;，,)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for k, ch in enumerate(text):
        if ch in "。；;，,":
            if text[start:k + 1].strip("。；;，, "):
                bounds.append((start, k + 1))
            start = k + 1
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _timed(text: str, ctx: Context) -> bool:
    return any(r.kind != "ongoing" and not r.unparsed for r in read_limits(text, ctx))


def _doer(clause: str) -> Units | None:
    """:func:`_subject` of a clause of an item, where it is the item's doer: not a clause that
    begins 由X… (read by :func:`units_in_prose`, which knows 由X负责的第1件 names no doer)."""
    if re.match(r"\s*(并|统一|分别)?由", clause):
        return None
    return _subject(clause)


# A limit clause that goes on with the doer before it, and one that is a condition the doer
# named after it acts on.
_GOES_ON = re.compile(r"^(并|并且|再|同时|且|还|然后)")
_CONDITION = re.compile(r"^(待|自|从)|(后|起|开始)$")


def cut_by_doer(task: Task, ctx: Context, addressees: Units) -> list[Task]:
    """``task`` (an item without units, its limits in its text) as one task per duty where it
    holds duties of different doers, each with its own time limit — "各单位要在2月29日前完成
    点位数据汇总，待省…系统权限开放后，由市政府督查室统一组织上传" is two: the units' and the
    督查室's.  Cut before each limit after the first (where a clause between names a new doer, or
    a clause starts the limit, '从…起，', before that), so every sentence of the item is in one of
    them.  A duty's doer is the unit its text assigns it to up to its limit (由X负责; after the
    limit too where the limit is a condition, 待…后), else the subject of its first clause or its
    limit's (X要于…); a limit clause that goes on (并于…) keeps the doer before; a kind of unit
    (各单位) is the units the notice is sent to (the kind as written where none are named); a
    clause naming none goes on with the doer before it, and a doer's limits one after another are
    one duty.  Cut only when two duties have different doers and one of them is named: several
    limits of one doer stay one task, as before."""
    al = ctx.plain.aligned(task.requirement)
    if _NARRATIVE.search(_ATTRIBUTIVE.sub("", al.plain)):
        return [task]  # what was done (开展了, 均已完成): a report's text, not duties to cut
    bounds = _clause_bounds(al.plain)
    clauses = [al.plain[a:b] for a, b in bounds]
    timed = [i for i, c in enumerate(clauses) if _timed(c, ctx)]
    if len(timed) < 2:
        return [task]

    def named(clause: str) -> Units | None:
        """The doer a clause names: 由X…, else its subject (X要…); Units() for a kind of unit."""
        found = units_in_prose(clause)
        return found if found.all() else _doer(clause)

    # Cut before each limit after the first: before the first clause since the limit before that
    # names a doer ("…，由市政府办公室负责汇总，于每季度末通报"), else before a clause that starts
    # the limit ('从…起，'), else at the limit's own clause.
    starts = [0]
    for before, i in zip(timed, timed[1:]):
        naming = next((c for c in range(before + 1, i) if named(clauses[c]) is not None), None)
        if naming is not None:
            starts.append(naming)
        elif i - 1 > before and re.search(r"(起|开始)[，,]?$", clauses[i - 1].strip()):
            starts.append(i - 1)
        else:
            starts.append(i)

    def key(doer: Units | None) -> tuple | None:
        return None if doer is None else tuple(doer.all())

    duties: list[list] = []  # [first clause, end clause, doer (Units(): a kind of unit), its limit's clause]
    for k, (begin, i) in enumerate(zip(starts, timed)):
        end = starts[k + 1] if k + 1 < len(starts) else len(clauses)
        limit = clauses[i].strip("，,。；; ")
        doer: Units | None = None
        if not (duties and _GOES_ON.match(limit)):  # "…，并于9月底前完成迁移": the doer before goes on
            assigned, subject = _doers(clauses, begin, i, end)
            doer = assigned if assigned.all() else subject
        if doer is None and duties:  # "…于4月底前下达第一批资金，9月底前下达第二批": the same doer goes on
            doer = duties[-1][2]
        if duties and key(doer) == key(duties[-1][2]):
            duties[-1][1] = end  # the same doer's next limit: the same duty
        else:
            duties.append([begin, end, doer, i])
    if len(duties) < 2 or not any(key(d[2]) for d in duties):
        return [task]
    out = []
    for k, (begin, end, doer, i) in enumerate(duties, start=1):
        text = al.sub(bounds[begin][0], bounds[end - 1][1])
        review = list(task.review) + [CUT_BY_DOER.format(count=len(duties))]
        units = doer if doer is not None and doer.all() else Units()
        if doer is not None and not doer.all():  # a kind of unit: the addressees, else the kind as written
            if addressees.all():
                units = addressees
                review.append(NO_UNIT_FROM_ADDRESSEES)
            else:
                units = _subject(clauses[i], kinds=True) or _subject(clauses[begin], kinds=True) or Units()
        out.append(Task(where=task.where, group=task.group, title=task.title, requirement=text.raw.strip(),
                        units=units, due_text=None, category=task.category, persons=list(task.persons),
                        numbered=f"{task.numbered}.{k}" if task.numbered else "", review=review,
                        notes=list(task.notes)))
    return out


def _doers(clauses: list[str], begin: int, limit: int, end: int) -> tuple[Units, Units | None]:
    """Who the duty of ``clauses[begin:end]`` (its limit in ``clauses[limit]``) names: the units
    its text assigns it to (由X负责, up to its limit; after it too where the limit is a condition,
    "待省…开放后，由市政府督查室统一组织上传"), and its subject (X要于…, of its first clause or
    its limit's; Units() for a kind of unit, None for none)."""
    last = end if _CONDITION.search(clauses[limit].strip("，,。；; ")) else limit + 1
    subject = next((d for d in (_doer(clauses[begin]), _doer(clauses[limit])) if d is not None), None)
    return units_in_prose("".join(clauses[begin:last])), subject


def subject_of(task: Task, ctx: Context) -> Units:
    """The unit an item without units is written about, as its subject ("区住建局要抓紧办理…，
    12月15日前开工", "会议要求，隆中文化园公司要…"): of its first clause, else of its limit's
    clause (:func:`_subject`); Units() where that is none or a kind of unit (各单位)."""
    plain = MEETING_SAYS.sub("", ctx.plain(task.requirement).strip())
    title = ctx.plain(task.title).strip()
    if 2 <= len(title) < 30 and not re.search(r"[，,。；;：:]", title) and plain.startswith(title) \
            and len(plain) > len(title) + 2:
        # the item's own name over its text ("切实加强动态报告工作" / "X办公室要…", "动员部署阶段(5月)
        # 各县…领导小组结合…"): the subject is after it, never a name that begins with the title
        first = _doer(plain[: next(b for a, b in _clause_bounds(plain))])
        if first is None or not first.all() or any(n.startswith(title) for n in first.all()):
            plain = plain[len(title):].strip()
    clauses = [plain[a:b] for a, b in _clause_bounds(plain)]
    limit = next((c for c in clauses if _timed(c, ctx)), None)
    # the first clause, the limit's, and one the minutes open with 会议要求 (…项目，会议要求区住建局…)
    said = [c for c in clauses[1:] if MEETING_SAYS.match(c.strip())]
    for clause in clauses[:1] + ([limit] if limit is not None else []) + said:
        found = _doer(clause)
        if found is not None and found.all():
            return found
    return Units()


def doer_of(task: Task, ctx: Context) -> Units:
    """The unit an item without units assigns it to (由X负责), read as :func:`cut_by_doer` reads
    a duty's doer: up to its (first) limit, or after it where the limit is a condition; where
    the item has a subject of its own before its limit (X要于…), none — a 由X after it names the
    doer of another step; else 由X anywhere in it.  Units() where it names none."""
    plain = ctx.plain(task.requirement)
    clauses = [plain[a:b] for a, b in _clause_bounds(plain)]
    limit = next((i for i, c in enumerate(clauses) if _timed(c, ctx)), None)
    if limit is None:
        return units_in_prose(plain)
    assigned, subject = _doers(clauses, 0, limit, len(clauses))
    if assigned.all():
        return assigned
    if subject is not None and subject.all():
        return Units()  # its subject does it ("市大数据局要于…，由市政府办公室负责组织验收"): not 由X
    return units_in_prose(plain)  # no doer named up to the limit: the one the item names anywhere
