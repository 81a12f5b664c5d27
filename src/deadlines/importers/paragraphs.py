"""The tasks of a run of paragraphs: numbered items at the document's task
level, their unit lines, labelled lines (牵头单位：…, 牵头负责领导：… a person)
and brackets in every wording, a paragraph with a time limit under a heading."""

from __future__ import annotations

import re
from functools import cache
from typing import Callable

from ..model import Units
from ..unitcells import ROLE_RE  # the role words a unit cell uses (牵头, 负责, 配合 …)
from ..unitcells import looks_like_units, read_units
from .charset import Aligned
from .document import Paragraph
from ..phrases import chinese_number
from .task import (
    BRACKET_IN_TEXT,
    BRACKET_WORDS,
    BRACKET_UNREAD,
    CLOSING,
    CN,
    GROUP_DUE,
    ISSUER,
    MEASURE_WITHOUT_UNIT,
    MEETING_DECIDED,
    UNIT_RULE,
    Context,
    Task,
    closing_line,
    label_of,
    merge_units,
    number_value,
    numbering,
    read_limits,
    sets_limit,
    short_heading,
    strip_title,
    unit_rule,
)
from .vocabulary import UNIT_FIELDS, column_field, is_footer, vocabulary

# A bracket, one level of brackets inside it allowed: (…) or 〔责任单位:…〕 (its text in group 1 or 2).
_BRACKET = re.compile(r"[(（]((?:[^()（）]|[(（][^()（）]*[)）])*)[)）]|〔((?:[^〔〕]|〔[^〔〕]*〕)*)〕")
# ... at the end of an item.
_BRACKET_END = re.compile(rf"(?:{_BRACKET.pattern})\s*[。.；;]?\s*$")


def _inner(m: re.Match) -> str:
    """What a :data:`_BRACKET` holds."""
    return m[1] if m[1] is not None else m[2]


@cache
def _labels() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The vocabulary's labels, compiled once: a comma before a label, a part that starts with a
    label ('牵头单位:…'), a label anywhere."""
    labels = vocabulary().label_pattern.pattern
    return (re.compile(rf"[，,]\s*(?=(?:{labels})\s*[:：])"), re.compile(rf"^({labels})\s*[:：]\s*(.*)$"),
            re.compile(rf"(?:{labels})\s*[:：]"))


def _units_in_text(al: Aligned, ctx: Context) -> tuple[Aligned, Units, str] | None:
    """Units written inside an item: a bracket at its end ('(牵头单位:…;责任单位:…)',
    '(A、B牵头,C按职责分工负责)', '(A负责,年内持续推进)'), or '【责任单位】…' /
    '[责任单位:…;完成时间:…]'.  Returns (the text before them, the units, a time limit found there)."""
    plain = al.plain
    m = _BRACKET_END.search(plain)
    if m:
        unread: list[str] = []
        units, due = read_unit_bracket(_inner(m), ctx, unread=unread)
        if units is not None:
            # words of the bracket that name no unit and no limit stay in the requirement
            return (al if unread else al.sub(0, m.start())).strip(), units, due
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
                u, d = read_unit_bracket(value, ctx, role if role in UNIT_FIELDS else "responsible")
                units = merge_units(units, u or Units())
                due = due or d
            elif role == "due" or column_field(label) == "due":
                due = value
            elif role in ("person", "other"):
                continue
            else:  # "[责任单位:A牵头,B配合;完成时间:2022年6月]" in one bracket
                inner_units, inner_due = read_unit_bracket(label + ":" + value, ctx)
                units = merge_units(units, inner_units or Units())
                due = due or inner_due
        if units.all():
            return al.sub(0, cut).strip(), units, due
    return None


@cache
def _counted_pattern() -> re.Pattern[str]:
    labels = vocabulary().label_pattern.pattern
    return re.compile(rf"^(?:(?:以上|上述|前)?(?P<n>\d{{1,2}}|[{CN[:10]}十两]{{1,3}})项|(?:该|此|本|上述|以上)项?)"
                      rf"(?:目标|任务|工作|指标|事项|内容)?的?(?P<label>{labels})(?:均|都|全部)?为(?P<units>[^。；;]+)[。；;]?$")


def _counted_units(text: str) -> tuple[int, str, str] | None:
    """A line naming the units of the items before it by their count: '4项目标的责任单位均为市发展改革委。'
    (the last four), '该目标责任单位为市经委。' (the last one) → (count, role, units)."""
    m = _counted_pattern().match(text.strip())
    if not m:
        return None
    n = m["n"]
    count = 1 if n is None else int(n) if n.isdigit() else chinese_number(n)
    role = vocabulary().labels[m["label"]]
    if role not in UNIT_FIELDS and role != "units" or not looks_like_units(m["units"]) or not count:
        return None
    return count, role, m["units"]


def units_of_cell(task: Task, ctx: Context) -> None:
    """A table's task without units of its columns, its units in brackets inside the task's cell
    ('打造海上画廊。(牵头单位:市住建局)', '…【责任单位】…'): read as an item's are, the bracket
    out of the requirement (and of a title made from it), a limit in it taken where the row has none."""
    if task.units.all():
        return
    found = _units_in_text(ctx.plain.aligned(task.requirement), ctx)
    if found is None or not found[1].all():
        return
    before, units, due = found
    if task.title == task.requirement[:30]:
        task.title = before.raw[:30]
    task.requirement, task.units = before.raw, units
    if due and not task.due_text:
        task.due_text = due


def _units_then_limit(value: str, ctx: Context) -> tuple[str, str]:
    """A labelled bracket's value: its units, then perhaps a time limit after a comma or a space
    ('市民政局，2023年9月底前完成', '市民政局、各区政府,长期坚持', '市民政局 2023年底前') → (units, limit)."""
    value = value.strip()
    for sep in re.finditer(r"[，,]|\s+", value):
        clause = re.split(r"[，,]|\s+", value[sep.end():])[0]
        if clause and not looks_like_units(clause) and any(
                not r.unparsed for r in read_limits(value[sep.end():], ctx)):
            return value[:sep.start()], value[sep.end():].strip()
    return value, ""


_LEVELS_ONLY = re.compile(r"[省市州盟县区旗镇乡街道村居社、，,和及\s]*")


def read_unit_bracket(inner: str, ctx: Context, default_role: str = "responsible",
                      unread: list[str] | None = None) -> tuple[Units | None, str]:
    """The units (and a time limit) of a bracket; None when it holds no units.  Parts are cut at
    ；;。 and where a comma is followed by another label ('牵头单位:X,配合单位:Y,2023年底前').
    A clause after the units that is neither units nor a time limit ('各部门要高度重视') goes to
    ``unread``, so the caller keeps it.  Levels alone ('各县（市、区）', '各乡镇（街道）') are no units."""
    if _LEVELS_ONLY.fullmatch(inner.strip()):
        return None, ""
    for m in list(re.finditer(r"[(（]([^()（）]*)[)）]", inner)):
        if UNIT_RULE.search(m[1]):  # '(列第一位者为牵头单位，下同)' inside the value
            unit_rule(m[1], ctx)
            inner = inner.replace(m[0], "")
    vocab = vocabulary()
    next_label, leading_label, _ = _labels()
    parts = [piece for part in re.split(r"[；;。]", inner) for piece in next_label.split(part)]
    units = Units()
    due = ""
    found = False
    for part in parts:
        part = part.strip("，, 　")
        if not part:
            continue
        if UNIT_RULE.search(part):
            unit_rule(part, ctx)
            continue
        label = leading_label.match(part)
        if label:
            role = vocab.labels[label[1]]
            if role == "due":
                due = label[2]
                continue
            if role in ("person", "other"):  # '责任人:张三,2023年底前': the limit after the person is kept
                due = due or _units_then_limit(label[2], ctx)[1]
                continue
            names, limit = _units_then_limit(label[2], ctx)
            units = merge_units(units, read_units(names, role if role in UNIT_FIELDS else default_role))
            due = due or limit
            found = True
            continue
        # Unlabelled: names with role words, perhaps a time limit after them.
        clauses = [c.strip(" 　") for c in re.split(r"[，,]", part)]
        unit_clauses, rest = [], []
        for clause in clauses:
            (unit_clauses if not rest and looks_like_units(clause) else rest).append(clause)
        if unit_clauses:
            units = merge_units(units, read_units("，".join(unit_clauses), default_role))
            found = True
            if rest:
                tail = "，".join(rest)
                if read_limits(tail, ctx):  # the rest is a time limit
                    due = due or tail
                elif unread is not None:
                    unread.append(tail)
        elif not found:
            return None, ""
    return (units if found else None), due


_FIELD_LABEL = re.compile(r"^\s*([\u4e00-\u9fff]{2,8})\s*[:：]")


def _numbered_fields(numbers: list[tuple[int, str, str] | None]) -> tuple[list[int], set[int]]:
    """The numbered items that are fields of the item above them: a run of two or more
    siblings under a parent item, each written '标签:…' with a label of a plan's columns, one at
    least naming who, when or how it stands (责任领导, 责任单位, 完成时限, 完成情况).  Sections
    written '(一)总体要求:…(二)工作目标:…' name none of these and stay items.  Returns the
    fields and the items they belong to."""
    vocab = vocabulary()
    out: list[int] = []
    parents: set[int] = set()
    k = 0
    while k < len(numbers):
        lv = numbers[k]
        if lv is None:
            k += 1
            continue
        run = [k]
        while run[-1] + 1 < len(numbers) and numbers[run[-1] + 1] is not None \
                and numbers[run[-1] + 1][0] == lv[0]:
            run.append(run[-1] + 1)
        labels = [_FIELD_LABEL.match(numbers[j][2]) for j in run]
        parent = next((j for j in range(k - 1, -1, -1) if numbers[j] is not None), None)
        if (len(run) >= 2 and parent is not None and numbers[parent][0] < lv[0]
                and all(m and column_field(m[1]) for m in labels)
                and any(vocab.labels.get(m[1]) for m in labels if m)):
            out += run
            parents.add(parent)
        k = run[-1] + 1
    return out, parents


_NUMBER_THEN_DIGITS = re.compile(r"^(\d{1,3})[.．](\d.*)$")


def _numbers_in_sequence(numbers: list[tuple[int, str, str] | None], texts: list[str]) -> None:
    """'11.121人才梯队项目。…' after item 10: item 11, whose title begins with a figure (alone it
    reads as the number 11.121, and the item was glued to item 10).  Only where the items
    before count up to it."""
    last = None
    for k, text in enumerate(texts):
        lv = numbers[k]
        if lv is not None:
            if lv[0] == 2 and lv[1].isdigit():
                last = int(lv[1])
            continue
        m = _NUMBER_THEN_DIGITS.match(text)
        if m and last is not None and int(m[1]) == last + 1:
            numbers[k] = (2, m[1], m[2])
            last += 1


def paragraph_tasks(paragraphs: list[Paragraph], ctx: Context) -> list[Task]:
    """Tasks of the body's paragraphs: numbered items at the task level, their
    unit lines, labelled lines and brackets (see the module docstring)."""
    plain = ctx.plain
    items = [(p, plain.aligned(p.text.strip())) for p in paragraphs if p.text.strip()]
    numbers = [numbering(al.plain) for _, al in items]  # each item's numbering, read once
    _numbers_in_sequence(numbers, [al.plain.strip() for _, al in items])
    fields, fielded = _numbered_fields(numbers)
    for k in fields:
        # "(一)责任领导:X (二)年度目标:… (三)完成情况:…" under "一、供水站提升项目": the fields of
        # that item (a task, short as its title may be), read as its labelled lines
        para, al = items[k]
        items[k] = (para, al.sub(len(al.plain) - len(numbers[k][2])))
        numbers[k] = None
    # The task level: the most specific numbering the body uses for more than one item.
    counts: dict[int, int] = {}
    for lv in numbers:
        if lv:
            counts[lv[0]] = counts.get(lv[0], 0) + 1
    task_level = max(counts) if counts else 9  # no numbered items: only dated paragraphs become tasks
    tasks: list[Task] = []
    headings: dict[int, str] = {}
    after_heading = True  # the start of the body, like a heading, may be followed by a dated paragraph
    waiting: list[Task] = []  # tasks not yet followed by their unit line
    under: dict[int, tuple] = {}  # the headings each numbered task stands under
    current_units = Units()
    measures_of: set[int] = set()  # the measures cut from an item after its first one
    labelled: set[int] = set()  # the tasks a label line (牵头单位：…, 完成时限：…) followed
    # An item with nothing numbered under it is a leaf: where other parts of the body number
    # deeper ("一、…(一)…。(省发改委负责)" beside "二、…(一)…1.…"), it is a task all the same.
    levels = [(k, lv[0]) for k, lv in enumerate(numbers) if lv]
    leaves = {k for (k, level), nxt in zip(levels, [*levels[1:], (None, -1)]) if nxt[1] <= level}
    texts = [al.plain.strip() for _, al in items]
    skip = 0
    sealed = -1  # the number of tasks when a signature closed them: what follows is none of theirs
    for k, (para, al) in enumerate(items):
        t = al.plain
        if k < skip:
            continue
        if is_footer(t):
            ctx.notes.append(f"正文止于{para.where.describe()}（其后为文末信息，未读入）")
            break
        signed = _signature(texts, k, ctx)
        if signed:
            # The issuer and the signing date after the last item close the body; they are
            # no unit and no time limit of that item.
            ctx.notes.append(f"{para.where.describe()}起为落款（{'、'.join(texts[k:k + signed])}），未读入任务")
            if all(closing_line(x) or is_footer(x) for x in texts[k + signed:]):
                break
            skip, sealed = k + signed, len(tasks)
            continue
        lv = numbers[k]
        if lv and lv[0] < task_level and k not in fielded:
            dated, leaf = sets_limit(t, ctx), k in leaves
            # a heading that sets a time limit, or a leaf, is a task too; a short one only where it is
            # both (一、议题征集截止9月21日17:00。⏎二、…: nothing under it)
            if (dated or leaf) and not short_heading(t) or dated and leaf:
                lv = (task_level, number_value(lv[0], lv[1]), lv[2])
        elif lv and lv[0] < task_level:
            lv = (task_level, number_value(lv[0], lv[1]), lv[2])
        if lv and lv[0] < task_level:
            after_heading = True
            headings[lv[0]] = strip_title(lv[2]).rstrip("。")
            for k in list(headings):
                if k > lv[0]:
                    del headings[k]
            for task in waiting:
                task.units = merge_units(task.units, current_units)
            waiting, current_units = [], Units()
            continue
        if lv and lv[0] == task_level:
            after_heading = False
            definition = label_of(lv[2].strip())
            if definition and definition[1] in ("due", "units", "person") + UNIT_FIELDS and not tasks:
                # '(二)公开时限：…' before the tasks: a rule for all of them, not a task.
                preamble(lv[2].strip(), ctx)
                continue
            for task in waiting:
                task.units = merge_units(task.units, current_units)
            measures = _item_tasks(para, al, lv, headings, ctx)
            tasks += measures
            for task in measures:
                under[id(task)] = tuple(sorted(headings.items()))
            measures_of.update(id(task) for task in measures[1:])
            waiting = [] if measures[-1].has_units() else [measures[-1]]
            continue
        if ((after_heading or not tasks or len(tasks) == sealed) and sets_limit(t, ctx)
                or task_level == 9 and MEETING_DECIDED.match(t)) and not label_of(t):
            # A paragraph with a time limit right under a heading (or after a signature, where it is
            # no part of the task above) is a task of its own ('一、工作目标' / '…按照“11月前全面完成”…');
            # so is each decision of minutes that number none ('会议原则同意《…方案》。…尽快印发实施').
            measures = _item_tasks(para, al, (task_level, "", t), headings, ctx)
            for task in measures:
                task.numbered = ""
                task.group = headings.get(max(headings), "") if headings else ""
            tasks += measures
            waiting = [] if measures[-1].has_units() else [measures[-1]]
            after_heading = False
            continue
        after_heading = False
        if not tasks or len(tasks) == sealed:
            preamble(t, ctx)
            continue
        task = tasks[-1]
        counted = _counted_units(t)
        if counted:
            # "4项目标的责任单位均为市发展改革委。": the last four items' units; "该目标责任单位为市经委。"
            # the last one's.
            count, role, value = counted
            units, _ = read_unit_bracket(value, ctx, role if role in UNIT_FIELDS else "responsible")
            for w in tasks[-count:] if len(tasks) >= count else tasks:
                w.units = merge_units(w.units, units or Units())
                labelled.add(id(w))
            waiting = [w for w in waiting if not w.has_units()]
            continue
        label = label_of(t)
        if label:
            labelled.add(id(task))
            word, role, value = label
            value = value.rstrip("。；; ")
            if role == "person":
                task.persons.append(f"{word}：{value}")
            elif role == "other":
                task.notes.append(f"{word}：{value}")
            elif role == "due":
                # "1.… 2.… 3.… ⏎完成时间:5月10日前": a limit after the last of several items, none
                # with a limit or a label line of its own, is theirs, all of them (flagged).
                # The run of tasks without a limit, back to one a label line followed (a document
                # that labels each item labels its own).
                run = [] if task.due_text else _last_run(
                    tasks, under, lambda t, run: bool(t.due_text) or bool(run) and id(t) in labelled)
                for w in run[1:]:
                    w.due_text = value
                    w.review.append(GROUP_DUE.format(word=word))
                if len(run) > 1:
                    task.review.append(GROUP_DUE.format(word=word))
                task.due_text = value
            else:
                units, due = read_unit_bracket(f"{word}:{value}" if role != "units" else value, ctx,
                                                role if role in UNIT_FIELDS else "responsible")
                task.units = merge_units(task.units, units or Units())
                if due and not task.due_text:
                    task.due_text = due
                waiting = [w for w in waiting if w is not task]
            continue
        bracket = re.fullmatch(r"[(（〔](.+)[)）〕][。.]?", t)
        if bracket:
            units, due = read_unit_bracket(bracket[1], ctx)
            if units is not None:
                # A bracket on its own line after items without units is theirs, all of them
                # ("(1)…\n(2)…\n(责任单位:…)").
                if not task.has_units():
                    for w in _last_run(tasks, under, lambda t, run: t.has_units()):
                        w.units = merge_units(w.units, units)
                task.units = merge_units(task.units, units)
                if due and not task.due_text:
                    task.due_text = due
                waiting = [w for w in waiting if w is not task]
                continue
        if looks_like_units(t):  # '市住建局牵头推进，各区政府配合落实': read without the verbs (read_units)
            units = read_units(t)
            current_units = units
            for w in waiting:
                w.units = merge_units(w.units, units)
            waiting = []
            continue
        # Text that is neither: the item goes on (a paragraph broken in two); measures
        # closed by their own unit brackets in it are tasks of their own.
        pieces = _measures(al, ctx, goes_on=True)
        _append_text(task, pieces[0][0], ctx, pieces[0][1], pieces[0][2])
        if len(pieces) > 1:
            if task.numbered and "." not in task.numbered:
                task.numbered = f"{task.numbered}.1"
            after = int(task.numbered.rpartition(".")[2]) if "." in task.numbered else 1
            for k, (piece, units, due) in enumerate(pieces[1:], start=after + 1):
                more = _measure(task, piece, units, due, ctx, k)
                tasks.append(more)
                measures_of.add(id(more))
                under[id(more)] = under.get(id(task), ())
            waiting = [] if tasks[-1].has_units() else [tasks[-1]]
    for task in waiting:
        task.units = merge_units(task.units, current_units)
    for task in tasks:
        _left_in_text(task, ctx)
        if id(task) in measures_of and not task.has_units():
            task.review.append(MEASURE_WITHOUT_UNIT)
    return tasks


def _signature(texts: list[str], k: int, ctx: Context) -> int:
    """How many lines from ``k`` are the document's signature: issuer lines ending with the
    signing date ('XX市人民政府办公室' / '2019年2月20日'), '(此件公开发布)', '特此通知'.  A date
    alone is the signature only where it is the issue date or nothing but closing lines follow it
    (a date on its own line may be an item's limit); an issuer alone is a unit line."""
    j = k
    # An issuer names its place ('盐城市人民政府办公室'); a line starting with a bare level
    # ('市人社局', '县政府办公室') is a unit line of the item above.
    while j < len(texts) and ISSUER.match(texts[j]) and not re.match(r"[省市县区镇乡各]", texts[j]):
        j += 1
    if j >= len(texts) or not closing_line(texts[j]) or ISSUER.match(texts[j]):
        return 0
    end = j + 1
    while end < len(texts) and closing_line(texts[end]) and not ISSUER.match(texts[end]):
        end += 1
    if j == k and not CLOSING.match(texts[j]) and texts[j] not in ("此通知", "特此通知"):
        # A date alone: the signing date, or an item's limit written on its own line.
        dated = read_limits(texts[j], ctx, prose=False)
        on_issue = ctx.issued is not None and any(getattr(r, "date", None) == ctx.issued for r in dated)
        if not on_issue and not all(closing_line(x) for x in texts[end:]):
            return 0
    return end - k


def _last_run(tasks: list[Task], under: dict[int, tuple], ends: Callable[[Task, list[Task]], bool]) -> list[Task]:
    """The last tasks under the same heading as the last one, the last first, back to (and
    without) the first for which ``ends(task, the run so far)`` holds."""
    run: list[Task] = []
    for task in reversed(tasks):
        if under.get(id(task)) != under.get(id(tasks[-1])) or ends(task, run):
            break
        run.append(task)
    return run


def preamble(plain: str, ctx: Context) -> None:
    """Before the first task: a clause that sets the limit of every task ('公开时限：…')."""
    label = label_of(plain)
    inner = re.sub(r"^[(（][一二三四五六七八九十]+[)）]|^[一二三四五六七八九十]+、|^\d+[.、]", "", plain).strip()
    label = label or label_of(inner)
    if label and label[1] == "due":
        value = re.sub(r"[(（][^()（）]*[)）]", "", label[2]).strip("。；; ")
        if value:
            ctx.default_due = value


_SENTENCE_END = "。；;！!"


def _measures(al: Aligned, ctx: Context, goes_on: bool = False) -> list[tuple[Aligned, Units | None, str]]:
    """Measures written one after another in one paragraph, each closed by its unit bracket:
    "做好A。(牵头单位:县发改局)推进B。(牵头单位:县财政局)", "…左右。(市经委牵头)万元…".
    A bracket ends a measure where a sentence ends before or after it and more text follows it
    (a bracket at the very end is read with the item, :func:`_units_in_text`).  Returns each
    measure's text with the units and time limit of its bracket; the text after the last such
    bracket comes last, without units (None).  A bracket right after the item's title
    ('提升公开水平(牵头单位:X)。做好…') is the whole item's: it leaves the text, and its units
    go to the first measure and to the last one where that has none of its own.  In a paragraph
    that ``goes_on`` from the one before, a bracket at its very start closes the measure before
    it ('…面积。⏎(市国土房管局牵头)主要污染物…'): the first piece is then empty, with its units."""
    head, head_due = None, ""
    first = _BRACKET.search(al.plain)
    if first and first.start() > 0:
        title = al.plain[:first.start()].rstrip(" 　")
        after = al.plain[first.end():].lstrip(" 　")
        if (len(title) <= 30 and not re.search(r"[。；;！!，,：:]", title) and after[:1] in tuple(_SENTENCE_END)
                and after[1:].strip()):
            head, head_due = read_unit_bracket(_inner(first), ctx)
            if head is not None and head.all():
                al = _joined(al.sub(0, first.start()), al.sub(first.end()))
            else:
                head = None
    plain = al.plain
    pieces: list[tuple[Aligned, Units | None, str]] = []
    start = 0
    for m in _BRACKET.finditer(plain):
        after = plain[m.end():]
        rest = after.lstrip(" 　" + _SENTENCE_END + ".")
        if not rest.strip() or _BRACKET_END.fullmatch(rest):
            continue  # at the end: the item's own bracket
        before = plain[start:m.start()].rstrip(" 　")
        if goes_on and m.start() == 0:
            before = "。"  # the sentence before ended the paragraph before
        if not before or not (before[-1] in _SENTENCE_END or after.lstrip(" 　")[:1] in tuple(_SENTENCE_END)):
            continue  # inside a sentence: '会同市财政局(市国资委)制定…'
        units, due = read_unit_bracket(_inner(m), ctx)
        if units is None or not units.all():
            continue
        pieces.append((al.sub(start, m.start()).strip(), units, due))
        start = len(plain) - len(rest)
    pieces.append((al.sub(start).strip(), None, ""))
    if head is not None:
        text, units, due = pieces[0]
        pieces[0] = (text, merge_units(head, units or Units()), due or head_due)
        if len(pieces) > 1 and pieces[-1][1] is None:
            pieces[-1] = (pieces[-1][0], None if _units_in_text(pieces[-1][0], ctx) else head, head_due)
    return pieces


def _joined(a: Aligned, b: Aligned) -> Aligned:
    """Two parts of a text as one (a bracket cut out from between them)."""
    return Aligned(a.raw + b.raw, a.plain + b.plain, a._pos + [p + len(a.raw) for p in b._pos])


def _item_tasks(para: Paragraph, al: Aligned, lv: tuple[int, str, str], headings: dict[int, str],
                ctx: Context) -> list[Task]:
    """The task of a numbered item, or one task per measure where several measures of the item
    are each closed by their own unit bracket (items 1.1, 1.2 …)."""
    level, number, rest = lv
    body = al.sub(len(al.plain) - len(rest))  # the item without its number
    pieces = _measures(body, ctx)
    first = _item_task(para, pieces[0][0], lv, headings, ctx, pieces[0][1], pieces[0][2])
    out = [first]
    if len(pieces) > 1 and first.numbered:
        first.numbered = f"{first.numbered}.1"
    for k, (piece, units, due) in enumerate(pieces[1:], start=2):
        out.append(_measure(first, piece, units, due, ctx, k))
    return out


def _measure(task: Task, piece: Aligned, units: Units | None, due: str, ctx: Context, k: int) -> Task:
    """A further measure of ``task``'s item: the same title and group, its own units."""
    if units is None:
        found = _units_in_text(piece, ctx)
        if found:
            piece, units, due = found
    number = task.numbered.split(".")[0] if task.numbered else ""
    return Task(where=task.where, group=task.group, title=task.title, requirement=piece.raw.strip(),
                units=units or Units(), due_text=due or None, numbered=f"{number}.{k}" if number else "",
                category=task.category)


def _item_task(para: Paragraph, body: Aligned, lv: tuple[int, str, str], headings: dict[int, str],
               ctx: Context, units: Units | None = None, due: str = "") -> Task:
    level, number, _ = lv
    units = units or Units()
    found = _units_in_text(body, ctx)
    if found:
        body, units, due = found[0], merge_units(units, found[1]), due or found[2]
    title, requirement = _title_and_text(body, headings)
    heading = headings.get(max(headings)) if headings else ""
    category = headings.get(min(headings)) if headings else ""
    return Task(where=para.where, group=number_value(level, number), title=title or heading or requirement[:30],
                requirement=requirement, units=units, due_text=due or None, numbered=number_value(level, number),
                category=category if category != title else "")


def _title_and_text(body: Aligned, headings: dict[int, str]) -> tuple[str, str]:
    """'题目。要求……' → (题目, 要求……); '题目(5月) 要求……' (a heading and its text, a space
    between, as a page's copy gives them) too, the text keeping a time the title's bracket
    gives (a stage's month is its limit); one sentence → (the heading, the sentence)."""
    m = re.match(r"^([^。，,；;：:]{2,30})。(.+)$", body.plain)
    heading = headings.get(max(headings)) if headings else ""
    if m and m[2].strip():
        return body.cut(0, len(m[1])).strip(), body.cut(len(m[1]) + 1).strip()
    m = _SPACED_TITLE.match(body.plain)
    if m:
        timed = re.search(_TIME_BRACKET + "$", m[1])
        return body.cut(0, len(m[1])).strip(), (body.raw if timed else body.cut(len(m[1]) + 1)).strip()
    return heading, body.raw.strip()


_SPACED_TITLE = re.compile(r"^([^。，,；;：:\s]{2,30}(?:[(（][^()（）]{1,20}[)）])?)[ \u3000]+(\S.{8,})$")
_TIME_BRACKET = r"[(（][^()（）]*\d[^()（）]*[)）]"  # (5月), (8月-11月): a stage's time


def _append_text(task: Task, al: Aligned, ctx: Context, units: Units | None = None, due: str = "") -> None:
    if units is None:
        found = _units_in_text(al, ctx)
        if found:
            al, units, due = found
    if units is not None:
        task.units = merge_units(task.units, units)
        if due and not task.due_text:
            task.due_text = due
    head = task.requirement.strip()
    if _TIMED_HEAD.fullmatch(head) and al.raw.strip():
        # "（三）督查阶段(8月-11月)" over its text: the stage's name and time are its title.
        task.title = head
    task.requirement += al.raw.strip()


# An item's first line that is a name and its time alone: 督查阶段(8月-11月), 动员部署阶段（5月）.
_TIMED_HEAD = re.compile(r"[^。，,；;：:\s]{2,30}" + _TIME_BRACKET)


def _left_in_text(task: Task, ctx: Context) -> None:
    """A unit bracket still inside a requirement ('做好A工作(牵头单位:县发改局)和B工作'), where the
    measures cannot be told apart: its units join the task's, the bracket leaves the text (so it
    is never read as a time limit), and a person is asked to look."""
    plain = ctx.plain(task.requirement)
    same = plain == task.requirement  # else (traditional characters, pinyin) the text is left as written
    for m in reversed(list(_BRACKET.finditer(plain))):
        inner = _inner(m)
        if not (_labels()[2].search(inner) or re.search(ROLE_RE, inner)):
            continue
        unread: list[str] = []
        units, due = read_unit_bracket(inner, ctx, unread=unread)
        if units is None or not units.all():
            continue
        if not looks_like_units("、".join(units.all())):
            # a bracket whose names read as no units (text run together across columns): asked about, kept
            task.review.append(BRACKET_UNREAD.format(bracket=m[0]))
            continue
        task.units = merge_units(task.units, units)
        if due and not task.due_text:
            task.due_text = due
        if unread:  # '(市司法局牵头，各部门要高度重视)': its other words stay where they are written
            task.review.append(BRACKET_WORDS.format(bracket=m[0]))
            continue
        if same:
            task.requirement = task.requirement[:m.start()] + task.requirement[m.end():]
        task.review.append(BRACKET_IN_TEXT.format(bracket=m[0]))
