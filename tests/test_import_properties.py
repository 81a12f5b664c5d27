"""Properties of the importer on text nobody wrote by hand.

- Any text: the import gives a rules file or a `DeadlineError`, nothing else.
- No line holding a time limit is dropped: its limit is in some obligation of
  the rules file, or the import says where it stopped reading (a footer), or
  the import refuses the document with a reason.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.errors import DeadlineError
from deadlines.importers import import_plan
from deadlines.phrases import normalize, parse_phrase
from deadlines.units import UnitRegistry

# Pieces real plans are made of, in every layout the readers know.
PIECES = [
    "某县2016年政务公开工作要点分工方案", "关于印发某市2021年重点工作任务分解的通知", "各镇人民政府,县直各单位:",
    "一、推进决策公开", "(二)加强政策解读", "1.全面公开权责清单。", "2.做好预算公开。", "3、落实工作要求",
    "牵头单位:县财政局", "责任单位:县审计局、县统计局", "牵头负责领导:张三。", "(县政府办公室牵头,县直各单位配合)",
    "序号", "工作任务", "具体要求", "责任单位", "完成时限", "序号\t工作任务\t责任单位\t完成时限",
    "1\t推进权力清单公开\t县编办\t2016年12月底前", "\t", "\t县编办", "\t2016年6月", "序号 | 工作任务 | 责任单位 |",
    "(1) | 推进预算公开 | 县财政局 |", "一、主要目标 | |||", "|", "县财政局 |", "2016年9月底前,完成清单编制。",
    "每季度首月25日前报送进展情况。", "审批后两个工作日内公开。", "待省出台具体规定后", "全年工作", "",
    "某县人民政府办公室", "2016年3月1日", "抄送:县委办", "扫描二维码", "鎮(zhèn)人民政府", "3個工作日內(nèi)",
]


def _texts():
    line = st.one_of(st.sampled_from(PIECES), st.text(max_size=30))
    return st.lists(line, max_size=25).map("\n".join)


def _limits(line: str) -> list[str]:
    """The dated limits a line holds, as the reader reads them in running text."""
    try:
        rules = parse_phrase(line, year=2016, prose=True)
    except DeadlineError:
        return []
    # A date alone on a line is the document's date, not a time limit of a task.
    # (Lengths compared as the reader sees the line: 3個工作日內(nèi) is 3个工作日内.)
    return [r.text for r in rules if r.kind != "ongoing" and not r.unparsed and r.text
            and len(normalize(line).strip(" \t|")) > len(r.text) + 2]


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_any_text_imports_or_says_why(text):
    try:
        import_plan(text, source="x.txt", year=2016, prefix="x", registry=UnitRegistry())
    except DeadlineError:
        pass


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_no_line_holding_a_time_limit_is_dropped(text):
    try:
        result = import_plan(text, source="x.txt", year=2016, prefix="x", registry=UnitRegistry())
    except DeadlineError:
        return  # refused with a reason: nothing lost silently
    stops = [int(m[1]) for note in result.notes for m in re.finditer(r"止于第(\d+)行", note)]
    squashed = re.sub(r"\s+", "", normalize(result.yaml))
    for number, line in enumerate(text.replace("\r", "\n").split("\n"), start=1):
        if stops and number >= min(stops):
            break  # the import says it stopped reading here
        for limit in _limits(line):
            assert re.sub(r"\s+", "", normalize(limit)) in squashed, (line, limit)




def test_a_time_limit_the_reader_fails_on_is_kept_and_named_for_review():
    """A numbered paragraph beside the task table whose limit cannot be read (200 years is past
    any offset) is not dropped as preamble: it is a task, and its review names the clause."""
    text = ("某县2016年政务公开工作要点分工方案\n序号\t工作任务\t责任单位\t完成时限\n"
            "1\t推进权力清单公开\t县编办\t2016年12月底前\n2\t推进财政预决算公开\t县财政局\t2016年9月底前\n"
            "二、其他要求\n1.项目批准后200年内完成验收资料归档\n")
    result = import_plan(text, source="x.txt", year=2016, prefix="x", registry=UnitRegistry())
    assert "requirement: 项目批准后200年内完成验收资料归档" in result.yaml
    assert "要求中的时限未能读取，请核对后写入 due：项目批准后200年内完成验收资料归档" in result.yaml
    assert not any("按说明文字处理" in note for note in result.notes)


def test_a_date_that_cannot_exist_in_prose_is_kept_unread_and_flagged():
    """"2016年6月31日前" written in a requirement beside a task table: the reader leaves a date
    that does not exist unread even in prose, so the paragraph is a task whose limit is
    flagged, not preamble dropped; the reader keeps the clause as the unread part."""
    from deadlines.phrases import parse_phrase

    (rule,) = parse_phrase("加快建设，2016年6月31日前完成", year=2016, prose=True)
    assert rule.kind == "pending" and rule.unparsed == "2016年6月31日前"
    text = ("某县2016年政务公开工作要点分工方案\n序号\t工作任务\t责任单位\t完成时限\n"
            "1\t推进权力清单公开\t县编办\t2016年12月底前\n2\t推进财政预决算公开\t县财政局\t2016年9月底前\n"
            "二、其他要求\n1.加快建设政务服务平台，2016年6月31日前完成\n")
    result = import_plan(text, source="x.txt", year=2016, prefix="x", registry=UnitRegistry())
    assert "due_text: 2016年6月31日前完成" in result.yaml
    assert not any("按说明文字处理" in note for note in result.notes)


# Texts the property above found, each once dropping the limit of its last line.
FOUND = [
    # the row's task cell is merged from the row above; its limit stays
    "全年工作\n完成时限\n各镇人民政府,县直各单位:\n某县2016年政务公开工作要点分工方案\n2016年9月底前,完成清单编制。\n",
    # "待省出台具体规定后2016年9月底前" was read as 2,016 years after an event, the paragraph then as
    # holding no limit, and it was dropped as the preamble of a table
    ("序号\t工作任务\t责任单位\t完成时限\n1\t推进权力清单公开\t县编办\t2016年12月底前\n"
     "某县2016年政务公开工作要点分工方案\n1\t推进权力清单公开\t县编办\t2016年12月底前\n"
     "待省出台具体规定后\n2016年9月底前,完成清单编制。"),
    # a date line taken for the signature: the dated line after it is no part of the task above
    "1\t推进权力清单公开\t县编办\t2016年12月底前\n2016年3月1日\n2016年9月底前,完成清单编制。\n",
    ("序号 | 工作任务 | 责任单位 |\n1\t推进权力清单公开\t县编办\t2016年12月底前\n2016年3月1日\n"
     "某县2016年政务公开工作要点分工方案\n2016年9月底前,完成清单编制。\n"),
    # a header of 完成时限 and a word read as a title column, one dated cell, no task above it
    "一、推进决策公开\n完成时限\n全年工作\n2016年9月底前,完成清单编制。\n",
]


@pytest.mark.parametrize("text", FOUND)
def test_a_text_the_property_found_keeps_its_limit(text):
    result = import_plan(text, source="x.txt", year=2016, prefix="x", registry=UnitRegistry())
    assert "2016年9月底前" in result.yaml
