"""Every layout a plan's text arrives in, read into the same obligations.

Each case is text shaped like the real plans of that layout (the corpus in
tests/corpus holds the real ones): the obligations, their units by role and
their rules are checked, not only that an import ran.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from deadlines.cli import main
from deadlines.importers import ImportProblem, import_plan
from deadlines.rulesfile import load_plan
from deadlines.units import UnitRegistry


def imported(tmp_path: Path, text: str | bytes, year: int | None = 2016, name: str = "plan.txt"):
    """The plan a text imports to, loaded as `deadlines` loads a rules file."""
    result = import_plan(text, source=name, year=year, prefix="p", registry=UnitRegistry())
    path = tmp_path / "p.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    return load_plan(path), result


def roles(ob) -> dict[str, list[str]]:
    return {role: list(names) for role, names in ob.units.model_dump().items() if names}


def kinds(ob) -> list[str]:
    return [r.kind for r in ob.rules]


# --------------------------------------------------------------------------
# Tables flattened to one cell per line


def test_bare_cells_with_blank_lines_and_a_name_broken_over_lines(tmp_path):
    """One cell per line with blank lines between, no tabs; a unit name the copy
    broke over three lines (市政 / 府办 / 公厅) is one name."""
    text = ("某市2012年目标任务责任分解表\n\n牵头单位\n\n目   标   任   务\n\n责  任  单  位\n\n"
            "市政\n\n府办\n\n公厅\n\n强化行政监督,自觉接受人大和政协监督,优质高效办理人大代表议案\n\n市直各单位\n\n"
            "市财政局\n\n深化预算公开,完善财政预决算信息公开工作\n\n各区县政府\n")
    plan, _ = imported(tmp_path, text, year=2012)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["市政府办公厅"], "responsible": ["市直各单位"]},
        {"lead": ["市财政局"], "responsible": ["各区县政府"]},
    ]
    assert plan.obligations[0].requirement.startswith("强化行政监督")


def test_bare_cells_without_blank_lines_and_padded_numbers(tmp_path):
    """No separator at all; the row count comes from the header; 序号 cells padded with spaces."""
    text = ("附件\n2019年度市政府重点工作任务分解表\n序号\n目   标   与   任   务\n牵头责任单位\n责任单位\n"
            "      1        \n扎实推进蓝天、碧水、净土三大保卫战。\n市生态环境局\n各县区政府、开发区管委会\n"
            "      2        \n增林地、增绿地、增湿地。\n市自然资源和规划局\n各县区政府、开发区管委会\n")
    plan, _ = imported(tmp_path, text, year=2019)
    assert [(o.id, roles(o)) for o in plan.obligations] == [
        ("p-1", {"lead": ["市生态环境局"], "responsible": ["各县区政府", "开发区管委会"]}),
        ("p-2", {"lead": ["市自然资源和规划局"], "responsible": ["各县区政府", "开发区管委会"]}),
    ]
    assert plan.title == "2019年度市政府重点工作任务分解表"


def test_a_merged_task_cell_left_out_of_the_copy(tmp_path):
    """A 工作任务 cell merged over several rows appears once; the measures under it keep it as title."""
    text = ("某县2019年政务公开工作要点分工方案\n\n工作任务\n\n具体要求\n\n责任单位\n\n一、深入解读重要政策措施\n\n"
            "1.围绕重大政策开展解读,做到政策文件与解读材料同步组织、同步审签、同步发布。\n\n县发展改革局、县财政局\n\n"
            "2.落实“谁起草、谁解读”原则,扩大政策解读的覆盖面。\n\n县政府各部门,各镇\n\n"
            "二、积极回应社会关切\n\n3.进一步强化舆情回应意识,及时回应社会关切。\n\n县委网信办\n")
    plan, _ = imported(tmp_path, text, year=2019)
    obs = plan.obligations
    assert [o.id for o in obs] == ["p-1", "p-2", "p-3"]
    assert [o.title for o in obs] == ["深入解读重要政策措施", "深入解读重要政策措施", "积极回应社会关切"]
    assert roles(obs[1]) == {"responsible": ["县政府各部门", "各镇"]}
    assert roles(obs[2]) == {"responsible": ["县委网信办"]}


def test_cells_ending_in_a_pipe_with_a_two_level_header(tmp_path):
    """Each cell on its own line ending in ' |', an empty cell a lone '|'; the header has
    more cells than a row (一级/二级 under 公开事项): rows are cut by their numbers."""
    header = ["序号", "公开事项", "公开内容", "公开时限", "公开主体", "公开对象", "一级事项", "二级事项", "全社会", "特定群众"]
    rows = [["1", "政府文件", "规范性文件", "政府文件全文。", "信息形成或变更之日起20个工作日内", "镇人民政府", "√", ""],
            ["2", "概况信息", "乡镇简介", "乡镇行政区划、人口民族等信息。", "信息形成或变更之日起3个工作日内", "镇人民政府", "", "√"]]
    text = "某镇政府信息公开标准目录\n" + "".join(f"{c} |\n" if c else "|\n" for c in header + rows[0] + rows[1])
    plan, _ = imported(tmp_path, text, year=2021)
    obs = plan.obligations
    assert [o.requirement for o in obs] == ["政府文件全文。", "乡镇行政区划、人口民族等信息。"]
    assert [o.category for o in obs] == ["政府文件", "概况信息"]
    assert [o.due_text for o in obs] == ["信息形成或变更之日起20个工作日内", "信息形成或变更之日起3个工作日内"]
    assert [roles(o) for o in obs] == [{"responsible": ["镇人民政府"]}] * 2
    assert [(r.kind, r.offset.n, r.offset.unit) for o in obs for r in o.rules] == [
        ("relative", 20, "workday"), ("relative", 3, "workday")]


# --------------------------------------------------------------------------
# One row per line


def test_tab_separated_rows_as_word_and_excel_copy_them(tmp_path):
    """Cells separated by tabs, a merged cell an empty cell (carried down), a cell's
    second paragraph on the next line."""
    text = ("某县2016年政务公开工作要点分工方案\n"
            "序号\t工作任务\t具体要求\t牵头单位\t完成时限\n"
            "1\t推进权力清单公开\t全面公开县级政府部门权责清单。\t县编办\t2016年12月底前\n"
            "\t\t做好取消和调整行政审批事项的公开工作。\t\t\n"
            "2\t推进财政资金信息公开\t细化部门预决算公开\t县财政局\n县审计局\t2016年6月底前\n")
    plan, _ = imported(tmp_path, text)
    obs = plan.obligations
    assert [o.id for o in obs] == ["p-1.1", "p-1.2", "p-2"]
    assert obs[1].title == "推进权力清单公开" and roles(obs[1]) == {"lead": ["县编办"]}
    assert [r.date for r in obs[1].rules] == [date(2016, 12, 31)]
    assert roles(obs[2]) == {"lead": ["县财政局", "县审计局"]}
    assert [r.date for r in obs[2].rules] == [date(2016, 6, 30)]


def test_pipe_rows_with_heading_rows_runs_of_empty_cells_and_units_split_by_spaces(tmp_path):
    """`(1) | 任务 | 牵头 | 责任 |`; `一、… | |||` and a numbered sub-heading row are
    headings, not tasks; several units in one cell separated by spaces."""
    text = ("关于2025年重点工作及责任分解的通知\n序号 | 目标与任务 | 牵头责任单位 | 责任单位 |\n"
            "一、主要预期目标 | |||\n"
            "(1) | 地区生产总值增长6%以上。 | 市发展改革委 | 各县市区政府、 开发区管委会 |\n"
            "二、重点做好以下工作 | |||\n1 | 大力提振消费。 | ||\n"
            "(2) | 统筹衔接消费券发放与以旧换新行动。 | 市商务局 | 市财政局 市工业和信息化局 各县市区政府 |\n")
    plan, _ = imported(tmp_path, text, year=2025)
    obs = plan.obligations
    assert [o.requirement for o in obs] == ["地区生产总值增长6%以上。", "统筹衔接消费券发放与以旧换新行动。"]
    assert [o.title for o in obs] == ["主要预期目标", "大力提振消费"]
    assert roles(obs[0]) == {"lead": ["市发展改革委"], "responsible": ["各县市区政府", "开发区管委会"]}
    assert roles(obs[1]) == {"lead": ["市商务局"], "responsible": ["市财政局", "市工业和信息化局", "各县市区政府"]}


def test_pipe_rows_whose_merged_cells_were_dropped_and_a_row_continued_on_the_next_line(tmp_path):
    """A header of 4 cells over rows of 5 (工作任务 spans a category column); rows under
    a merged category have one cell fewer; a cell with a line break continues the row."""
    text = ("工作任务 | 目标和要求 | 责任单位 | 备注 |\n"
            "深化政府信息公开内容 | 推进重要政府信息公开 | 重点推进城市规划、土地出让等方面政府信息的公开 | 市规划局、市财政局 | |\n"
            "完善重大决定草案公开工作 | 完善涉及公民权利义务的重大决定草案的公开工作,\n并逐步形成相应的工作规范 | 市信息委、市政府法制办 | |\n")
    plan, _ = imported(tmp_path, text, year=2008, name="上海市2008年政府信息公开工作要点.txt")
    obs = plan.obligations
    assert [o.category for o in obs] == ["深化政府信息公开内容"] * 2
    assert [o.title for o in obs] == ["推进重要政府信息公开", "完善重大决定草案公开工作"]
    assert obs[1].requirement == "完善涉及公民权利义务的重大决定草案的公开工作,并逐步形成相应的工作规范"
    assert roles(obs[1]) == {"responsible": ["市信息委", "市政府法制办"]}
    assert plan.title == "上海市2008年政府信息公开工作要点" and plan.review  # the title came from the file name


def test_space_separated_rows(tmp_path):
    text = ("某县2016年政务公开重点工作分工方案\n\n序号  工作任务  责任单位  完成时限\n"
            "1  推进行政权力清单公开  县编办  2016年6月底前\n"
            "2  推进财政预决算公开  县财政局  2016年12月底前\n")
    plan, _ = imported(tmp_path, text)
    assert [(o.requirement, roles(o), [r.date for r in o.rules]) for o in plan.obligations] == [
        ("推进行政权力清单公开", {"responsible": ["县编办"]}, [date(2016, 6, 30)]),
        ("推进财政预决算公开", {"responsible": ["县财政局"]}, [date(2016, 12, 31)]),
    ]


def test_a_task_card_of_label_and_value_rows(tmp_path):
    text = ("重点工作: | 135.统筹违法建设治理与城市更新。 |\n牵头单位: | 市城市管理综合执法局 |\n"
            "完成时限: | 2023年12月底前 |\n")
    plan, _ = imported(tmp_path, text, year=2023)
    (ob,) = plan.obligations
    assert ob.id == "p-135" and roles(ob) == {"lead": ["市城市管理综合执法局"]}
    assert [r.date for r in ob.rules] == [date(2023, 12, 31)]


# --------------------------------------------------------------------------
# Numbered lists, prose items, brackets


def test_numbered_tasks_with_labelled_lines_and_persons(tmp_path):
    """`1.任务` followed by 牵头负责领导 (a person, never a unit), 牵头责任单位,
    协同责任单位, 配合单位 lines, in any of the wordings plans use."""
    text = ("某市人民政府关于2021年重点工作及责任分解的通知\n各县区人民政府,市政府各部门:\n"
            "现将市政府2021年重点工作任务分解下达给你们,请认真组织实施。\n一、确保完成全年主要预期目标\n"
            "1.地区生产总值比上年增长8.5%左右。\n牵头负责领导:宁波。\n牵头责任单位:市发展和改革委员会。\n"
            "协同责任单位:市政府各部门、各直属单位。\n"
            "2.一般公共预算收入增长5%左右。\n牵头单位:市财政局\n主要责任单位:市税务局\n配合单位:市发改委\n"
            "3.建立健全政务公开制度。\n责任单位:市政府办公室、市司法局(列第一位者为牵头单位,下同)\n")
    plan, _ = imported(tmp_path, text, year=2021)
    obs = plan.obligations
    assert [o.id for o in obs] == ["p-1", "p-2", "p-3"]
    assert roles(obs[0]) == {"lead": ["市发展和改革委员会"], "cooperating": ["市政府各部门", "各直属单位"]}
    assert "宁波" in obs[0].note and "宁波" not in obs[0].units.all()
    assert roles(obs[1]) == {"lead": ["市财政局", "市税务局"], "cooperating": ["市发改委"]}
    assert roles(obs[2]) == {"lead": ["市政府办公室"], "responsible": ["市司法局"]}


def test_prose_items_under_headings_with_brackets_of_every_wording(tmp_path):
    text = ("某县2022年政务公开工作要点\n一、推进决策公开\n"
            "(一)完善决策公开制度。9月底前,制定重大行政决策事项目录。(牵头单位:县司法局;责任单位:县直各单位)\n"
            "(二)加强政策解读。政策文件与解读材料同步发布。【责任单位】县政府办公室、县司法局\n"
            "(三)推进审批公开。全面公开审批服务事项。[责任单位:县行政审批服务局牵头,县直相关单位配合;完成时间:2022年6月]\n"
            "(四)深化放管服改革。优化营商环境。(县行政审批服务局牵头,县直相关单位按职责分工负责)\n"
            "(五)做好信息公开年报。按时发布年报。(县政府办公室负责,年内持续推进)\n")
    plan, _ = imported(tmp_path, text, year=2022)
    obs = plan.obligations
    assert [o.title for o in obs] == ["完善决策公开制度", "加强政策解读", "推进审批公开", "深化放管服改革", "做好信息公开年报"]
    assert [roles(o) for o in obs] == [
        {"lead": ["县司法局"], "responsible": ["县直各单位"]},
        {"responsible": ["县政府办公室", "县司法局"]},
        {"lead": ["县行政审批服务局"], "cooperating": ["县直相关单位"]},
        {"lead": ["县行政审批服务局"], "responsible": ["县直相关单位"]},
        {"responsible": ["县政府办公室"]},
    ]
    assert [r.date for r in obs[0].rules] == [date(2022, 9, 30)]  # a limit at the start of a sentence
    assert [r.date for r in obs[2].rules] == [date(2022, 6, 30)]  # the limit inside the bracket
    assert obs[4].due_text == "年内持续推进" and "ongoing" in kinds(obs[4])
    assert all("牵头" not in name for o in obs for name in o.units.all())


def test_a_bracket_with_a_label_units_a_comma_and_a_time_limit(tmp_path):
    """'(责任单位:X,2023年9月底前)': the limit after a comma is the due, never a unit; a second
    label after a comma starts its own role; a full-width comma and a standing limit alike."""
    text = ("某区2023年民生实事任务分工\n"
            "1.新建社区食堂。(责任单位:区民政局,2023年9月底前)\n"
            "2.改造背街小巷。（牵头单位：区住建局，配合单位：区城管局、各街道，2023年11月30日前完成）\n"
            "3.推进垃圾分类。(责任单位:区城管局、各街道,长期坚持)\n"
            "4.建设口袋公园。(牵头单位:区园林局,责任人:王某,2023年底前)\n"
            "5.举办文化惠民活动。(责任单位:区文旅局 2023年 10月底前)\n")
    plan, _ = imported(tmp_path, text, year=2023)
    obs = plan.obligations
    assert [roles(o) for o in obs] == [
        {"responsible": ["区民政局"]},
        {"lead": ["区住建局"], "cooperating": ["区城管局", "各街道"]},
        {"responsible": ["区城管局", "各街道"]},
        {"lead": ["区园林局"]},
        {"responsible": ["区文旅局"]},
    ]
    assert [o.due_text for o in obs] == ["2023年9月底前", "2023年11月30日前完成", "长期坚持", "2023年底前",
                                         "2023年 10月底前"]
    assert [r.date for r in obs[1].rules] == [date(2023, 11, 30)]
    assert kinds(obs[2]) == ["ongoing"]
    assert not any(re.search(r"\d|坚持", name) for o in obs for name in o.units.all())


@pytest.mark.parametrize("signature", [
    "某市人民政府办公室\n2021年3月5日\n",
    "某市发展和改革委员会\n某市财政局\n2021年3月5日\n(此件公开发布)\n",
    "二〇二一年三月五日\n",
])
def test_the_signature_after_the_last_item_ends_the_body(tmp_path, signature):
    """The issuer and the signing date after the last item are the document's, not that item's
    unit and deadline."""
    text = ("某市2021年重点工作任务分解\n1.推进老旧小区改造。(责任单位:市住建局;完成时限:2021年12月底前)\n"
            "2.完成人才公寓建设。\n市人社局\n" + signature)
    plan, result = imported(tmp_path, text, year=2021)
    last = plan.obligations[-1]
    assert len(plan.obligations) == 2
    assert roles(last) == {"responsible": ["市人社局"]}
    assert last.requirement == "完成人才公寓建设。"
    assert kinds(last) == ["ongoing"] and not last.due_text
    assert not any(n.startswith("某市") for o in plan.obligations for n in o.units.all())


def test_measures_each_closed_by_their_own_unit_bracket_in_one_paragraph(tmp_path):
    """'…。(牵头单位:X)…。(Y牵头)' in one paragraph: one obligation per measure, each with its
    own units; a measure left without a bracket is flagged unless a bracket line follows it."""
    text = ("某县2022年政务公开工作要点\n"
            "(一)推进决策公开。公开重大行政决策事项目录。(牵头单位:县司法局)会同县财政局(县国资办)做好预算公开。"
            "(县财政局牵头,2022年6月底前)推进民生实事公开。\n"
            "(县民政局负责)\n"
            "(二)优化营商环境。完善审批问题反馈机制。(牵头单位:县审批局、县政务办)加强反垄断领域信息公开。\n"
            "(三)做好解读。做好政策解读(牵头单位:县政府办)和回应工作。\n"
            "(四)加强监督(牵头单位:县司法局)。完善行政执法公示制度。\n")
    plan, _ = imported(tmp_path, text, year=2022)
    obs = plan.obligations
    assert [(o.id, o.title, o.requirement, roles(o)) for o in obs[:4]] == [
        ("p-1.1", "推进决策公开", "公开重大行政决策事项目录。", {"lead": ["县司法局"]}),
        ("p-1.2", "推进决策公开", "会同县财政局(县国资办)做好预算公开。", {"lead": ["县财政局"]}),
        ("p-1.3", "推进决策公开", "推进民生实事公开。", {"responsible": ["县民政局"]}),
        ("p-2.1", "优化营商环境", "完善审批问题反馈机制。", {"lead": ["县审批局", "县政务办"]}),
    ]
    assert [r.date for r in obs[1].rules] == [date(2022, 6, 30)]
    assert not obs[2].review  # its bracket came on the next line
    # the last measure of item 2 names no unit: flagged, never silently without one
    assert obs[4].requirement == "加强反垄断领域信息公开。" and not obs[4].units.all()
    assert any("请核对责任单位" in r for r in obs[4].review)
    # a unit bracket inside a sentence cannot be cut into measures: its units are taken, flagged
    assert roles(obs[5]) == {"lead": ["县政府办"]} and "牵头单位" not in obs[5].requirement
    assert any("牵头单位:县政府办" in r for r in obs[5].review)
    # a bracket right after the item's title is the whole item's: no measure is cut at it
    assert (obs[6].id, obs[6].title, obs[6].requirement, roles(obs[6])) == (
        "p-4", "加强监督", "完善行政执法公示制度。", {"lead": ["县司法局"]})
    assert len(obs) == 7 and not obs[6].review
    assert not any("牵头" in (o.due_text or "") for o in obs)


def test_measures_with_their_unit_brackets_over_lines_that_go_on(tmp_path):
    """Targets written one after another, each with '(X牵头)' after it, over lines the copy
    broke anywhere: a bracket starting a line closes the measure before it."""
    text = ("某市2006年目标任务分工方案\n一、主要目标\n1.主要指标的责任部门。\n"
            "常住人口控制在800万人左右。(市公安局牵头)单位产值能耗降低20%。\n"
            "(市发改委牵头)用水总量控制在5亿立方米以内。(市水务局、市农委牵头)\n"
            "2.重点任务的责任部门。\n推进城乡一体化。(市农委负责)\n")
    plan, _ = imported(tmp_path, text, year=2006)
    assert [(o.requirement, roles(o)) for o in plan.obligations] == [
        ("主要指标的责任部门。常住人口控制在800万人左右。", {"lead": ["市公安局"]}),
        ("单位产值能耗降低20%。", {"lead": ["市发改委"]}),
        ("用水总量控制在5亿立方米以内。", {"lead": ["市水务局", "市农委"]}),
        ("重点任务的责任部门。推进城乡一体化。", {"responsible": ["市农委"]}),
    ]
    assert [o.id for o in plan.obligations] == ["p-1.1", "p-1.2", "p-1.3", "p-2"]
    assert not any(o.review for o in plan.obligations)


def test_text_after_the_signature_is_no_part_of_the_last_item(tmp_path):
    """An attachment after the signature: its heading lines are not glued to the last item,
    and its own items are read."""
    text = ("某市2021年重点工作任务分解\n1.推进老旧小区改造。(责任单位:市住建局)\n2.完成人才公寓建设。\n"
            "某市人民政府办公室\n2021年3月5日\n附件\n民生实事任务清单\n3.新建社区食堂。(责任单位:市民政局)\n")
    plan, _ = imported(tmp_path, text, year=2021)
    assert [(o.requirement, roles(o)) for o in plan.obligations] == [
        ("推进老旧小区改造。", {"responsible": ["市住建局"]}),
        ("完成人才公寓建设。", {}),
        ("新建社区食堂。", {"responsible": ["市民政局"]}),
    ]
    assert kinds(plan.obligations[1]) == ["ongoing"]


def test_a_bracket_whose_role_word_is_followed_by_a_verb(tmp_path):
    """'(X牵头推进,2023年底前完成)', '(X负责组织实施,长期坚持)': the verb after the role word
    is no part of the unit, and the limit after the comma is the due."""
    text = ("某市2023年重点工作任务分工方案\n"
            "1.加强工程建设招投标监管。(市住建局牵头推进,2023年底前完成)\n"
            "2.开展消费券发放。(市商务局负责组织实施,市财政局配合办理,2023年6月底前)\n"
            "3.保障项目资金。(市财政局负责资金保障)\n"
            "4.推进老旧小区改造。\n市住建局牵头推进，各区政府配合落实\n")
    plan, _ = imported(tmp_path, text, year=2023)
    obs = plan.obligations
    assert roles(obs[0]) == {"lead": ["市住建局"]}
    assert obs[0].requirement == "加强工程建设招投标监管。"
    assert [r.date for r in obs[0].rules] == [date(2023, 12, 31)]
    assert roles(obs[1]) == {"responsible": ["市商务局"], "cooperating": ["市财政局"]}
    assert [r.date for r in obs[1].rules] == [date(2023, 6, 30)]
    # a bracket that says what a unit does, not a verb of doing: no unit is made of it
    assert "市财政局负责资金保障" in obs[2].requirement
    # a unit line under the item, in the same wording
    assert roles(obs[3]) == {"lead": ["市住建局"], "cooperating": ["各区政府"]}


def test_items_followed_by_an_unlabelled_unit_bracket_on_its_own_line(tmp_path):
    """`1、目标` then `(市发改委、财政局)` on the next line; a name borrows the first one's level."""
    text = ("市政府2011年重点工作分解落实方案\n一、目标分解\n1、地区生产总值增长11.5%。\n(市发改委、财政局)\n"
            "2、城镇登记失业率控制在3.5%以内。\n(市人保局,各市(县)、区政府)\n")
    plan, _ = imported(tmp_path, text, year=2011)
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["市发改委", "市财政局"]},
        {"responsible": ["市人保局", "各市(县)、区政府"]},
    ]


def test_a_carry_forward_rule_in_the_first_bracket(tmp_path):
    """'以下…均需各县区人民政府落实,不再单独列出': those units join every later task."""
    text = ("《关于稳定经济增长的具体实施细则》\n一、落实财税支持政策\n"
            "1.积极争取省级专项资金。(责任单位:市工信局、市财政局,各县区人民政府。以下政策措施均需各县区人民政府、园区管委会落实,不再单独列出)\n"
            "2.成立工作专班。(责任单位:市工信局)\n")
    plan, _ = imported(tmp_path, text, year=2022)
    obs = plan.obligations
    assert roles(obs[0]) == {"responsible": ["市工信局", "市财政局", "各县区人民政府", "园区管委会"]}
    assert roles(obs[1]) == {"responsible": ["市工信局", "各县区人民政府", "园区管委会"]}


def test_a_notice_whose_own_text_is_the_task_list(tmp_path):
    """No table, no list: the notice's clauses with limits are the tasks, of the units the
    sentence names (各牵头单位), else of the units the notice is sent to; what the issuing
    government says it will do itself is no task."""
    text = ("某市人民政府关于印发2024年目标任务责任分解方案的通知\n各区人民政府,市人民政府各部门:\n"
            "一、强化工作统筹。各牵头单位于2024年2月8日前,将办理方案报市人民政府督查室。\n"
            "二、强化督办。市政府将于年中、年末进行专项督查。各地区、各部门要于每月25日前报送进展情况。\n"
            "某市人民政府\n2024年1月26日\n")
    plan, _ = imported(tmp_path, text, year=None)
    obs = plan.obligations
    assert plan.year == 2024 and plan.issued == date(2024, 1, 26)
    assert [o.id for o in obs] == ["p-通知.1", "p-通知.2"]
    assert roles(obs[0]) == {"responsible": ["各牵头单位"]}
    assert [r.date for r in obs[0].rules] == [date(2024, 2, 8)]
    assert roles(obs[1]) == {"responsible": ["各区人民政府", "市人民政府各部门"]}
    assert kinds(obs[1]) == ["recurring"]


# --------------------------------------------------------------------------
# Titles, years, characters and encodings


@pytest.mark.parametrize(
    "head, title, guessed",
    [
        ("某县2016年政务公开工作要点\n", "某县2016年政务公开工作要点", False),
        ("某县人民政府办公室关于印发《某县2016年政务公开工作要点》的通知\n", "某县2016年政务公开工作要点", False),
        ("关于某县2016年重点工作责任分解的通知\n", "关于某县2016年重点工作责任分解的通知", False),
        ("某县政府信息公开\n重点工作任务\n分工方案\n", "某县政府信息公开重点工作任务分工方案", False),
        # the first line reads as a title alone; the next one goes on with it
        ("某区政府2016年重点工作\n\n任务分解和责任分工方案\n", "某区政府2016年重点工作任务分解和责任分工方案", False),
        # a numbered heading of the text is never its title
        ("关于印发《某县2016年政务公开工作要点》的通知\n各乡镇人民政府:\n一、保障措施\n", "某县2016年政务公开工作要点", False),
        ("某市2016年工作事项\n", "某市2016年工作事项", False),
        # a page showing the file's name
        ("2016年重大民生实事项目责任分解表.docx\n", "2016年重大民生实事项目责任分解表", False),
        ("", "plan", True),
        # a title naming its year that ends as no plan's does: a list of projects
        ("2016年县政府为民办实事项目\n", "2016年县政府为民办实事项目", False),
    ],
)
def test_the_title_from_the_heading_the_notice_a_caption_or_the_file_name(tmp_path, head, title, guessed):
    text = head + "序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n"
    plan, result = imported(tmp_path, text)
    assert plan.title == title
    assert bool(plan.review) == guessed


def test_the_year_from_the_document_number_is_flagged(tmp_path):
    text = "某县重点工作分工方案\n某政办〔2017〕3号\n序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n"
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.year == 2017 and any("文号" in r for r in plan.review)


def test_a_cited_document_number_is_not_the_plans_own(tmp_path):
    text = ("某县2016年政务公开任务分解责任清单\n根据《国务院办公厅关于印发2022年政务公开工作要点的通知》(国办发〔2022〕8号)要求,制定本清单。\n"
            "序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n")
    plan, _ = imported(tmp_path, text)
    assert plan.document_number in ("", None)


def test_the_place_after_a_year_in_the_title(tmp_path):
    text = "2016年某某区政府工作报告重点工作责任分解\n序号\t工作任务\t责任单位\n1\t推进权力清单公开\t区编办\n"
    plan, _ = imported(tmp_path, text)
    assert plan.place == "某某区"


def test_a_row_whose_merged_first_cell_was_dropped(tmp_path):
    """A copied web table drops the cell a merge covered and leaves the row's empty cells at
    its end: "3.… | 各科室 | |" under 工作任务 | 具体要求 | 责任部门 is a measure and its unit."""
    text = ("某中心2016年政务公开工作任务\n工作任务 | 具体要求 | 责任部门 |\n"
            "一、做好网站信息公开。 | 1.及时更新网站概况信息。 | 办公室 |\n"
            "2.及时反馈网民意见。 | 各科室 | |\n"
            "3.及时更新微信公众号信息。 | 办公室牵头,各科室配合 | |\n")
    plan, _ = imported(tmp_path, text)
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["办公室"]}, {"responsible": ["各科室"]}, {"lead": ["办公室"], "cooperating": ["各科室"]}]
    assert [o.requirement for o in plan.obligations][1:] == ["及时反馈网民意见。", "及时更新微信公众号信息。"]


_EMPTY_LAST_CELL_ROWS = [
    ("1", "完善社区养老服务设施", "2023年9月底前", "区民政局", "各街道"),
    ("2", "开展农贸市场提升改造", "2023年11月底前", "区商务局", ""),
    ("3", "新建公共停车泊位", "2023年12月底前", "区交通运输局", "区城管局"),
]


def _tab_table(rows):
    return "".join("\t".join(r) + "\n" for r in rows)


def _pipe_table(rows):
    return "".join(" | ".join(r) + " |\n" for r in rows)


def _box_table(rows):
    line = "├──┼──────┼──────┼────┼────┤\n"
    return ("┌──┬──────┬──────┬────┬────┐\n"
            + line.join("│" + "│".join(r) + "│\n" for r in rows)
            + "└──┴──────┴──────┴────┴────┘\n")


def _pipe_table_without_empty_cells(rows):
    return "".join(" | ".join(c for c in r if c) + " |\n" for r in rows)


def _space_table(rows):
    return "".join("  ".join(c for c in r if c) + "\n" for r in rows)


@pytest.mark.parametrize("layout", [_tab_table, _pipe_table, _box_table, _pipe_table_without_empty_cells, _space_table])
def test_an_empty_last_cell_keeps_the_row_in_its_columns(tmp_path, layout):
    """A row whose last cell (配合单位) is empty, kept as an empty cell or left out: its
    cells stay under their own columns (the lead is the row's own, not the row above's),
    and it has no cooperating unit; that the empty cell might be merged with the one
    above is flagged, not guessed."""
    header = ("序号", "工作任务", "完成时限", "牵头单位", "配合单位")
    text = "某区2023年民生实事项目任务分解表\n" + layout([header] + _EMPTY_LAST_CELL_ROWS)
    plan, _ = imported(tmp_path, text, year=2023)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["区民政局"], "cooperating": ["各街道"]},
        {"lead": ["区商务局"]},
        {"lead": ["区交通运输局"], "cooperating": ["区城管局"]}]
    assert [o.due_text for o in plan.obligations] == ["2023年9月底前", "2023年11月底前", "2023年12月底前"]
    assert any("配合单位为空" in r and "各街道" in r for r in plan.obligations[1].review)


def test_header_cells_broken_over_lines_in_a_one_cell_per_line_table(tmp_path):
    """A web page's header cell with a line break in it (重点<br>工作, 牵头<br>科室) arrives as
    two lines: one header cell where the pieces make a header word together, so the
    table is read as if the header were written whole."""
    text = ("某街道2023年重点工作任务清单\n\n序号\n\n重点\n\n工作\n\n责任\n\n领导\n\n牵头\n\n科室\n\n"
            "完成\n\n时限\n\n1\n\n推进老旧小区加装电梯\n\n张某某\n\n城建办\n\n2023年9月底前\n\n"
            "2\n\n开展背街小巷环境整治\n\n李某某\n\n综治办\n\n2023年11月底前\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [(o.requirement, roles(o), o.due_text) for o in plan.obligations] == [
        ("推进老旧小区加装电梯", {"lead": ["城建办"]}, "2023年9月底前"),
        ("开展背街小巷环境整治", {"lead": ["综治办"]}, "2023年11月底前")]
    assert "张某某" in plan.obligations[0].note


def test_a_pipe_cell_header_broken_over_lines(tmp_path):
    """The same break in a table copied as 'cell |' per line: the header cell's two lines
    before its '|' are one header word."""
    text = ("某区2023年重点工作任务清单\n序号 |\n工作任务 |\n牵头\n单位 |\n完成\n时限 |\n"
            "1 |\n推进老旧小区加装电梯 |\n区住建局 |\n2023年9月底前 |\n"
            "2 |\n开展背街小巷环境整治 |\n区城管局 |\n2023年11月底前 |\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [(roles(o), o.due_text) for o in plan.obligations] == [
        ({"lead": ["区住建局"]}, "2023年9月底前"), ({"lead": ["区城管局"]}, "2023年11月底前")]


def test_header_cells_outside_the_vocabulary_do_not_cut_a_cell_stream_header(tmp_path):
    """A progress report's table as 'cell |' per line: its own columns (1-9月推进情况, 是否序时,
    情况说明) are no header words, but the header runs to the first row number; they are read
    as other columns, never as tasks, units or limits.  '||' is two empty cells, and an excerpt
    may start at any row number."""
    text = ("某区2023年民生实事项目推进情况\n序号 |\n项目名称 |\n牵头单位 |\n配合单位 |\n1-9月推进情况 |\n"
            "是否序时 |\n情况说明 |\n"
            "7 |\n新建城市口袋公园6个。 |\n区园林局 |\n各街道 |\n已建成4个。 |\n是 |\n||\n"
            "8 |\n改造农贸市场3个。 |\n区商务局 |\n区市场监管局 |\n完成1个,其余正在施工。 |\n否 |\n"
            "施工单位进场晚于计划1个月。 |\n|\n")
    plan, _ = imported(tmp_path, text, year=2023)
    obs = plan.obligations
    assert [o.requirement for o in obs] == ["新建城市口袋公园6个。", "改造农贸市场3个。"]
    assert [roles(o) for o in obs] == [{"lead": ["区园林局"], "cooperating": ["各街道"]},
                                       {"lead": ["区商务局"], "cooperating": ["区市场监管局"]}]
    assert all(not o.due_text for o in obs)


def test_a_project_list_as_cells_with_a_lone_pipe_between_rows_and_columns_of_its_own(tmp_path):
    """A 民生实事 project list copied a cell a line, each row closed by a lone '|' (an empty
    cell): the columns of a project (地点, 投资金额 (万元)) are no header words and the row
    ends in an empty cell; a column named for the year (2025年建设内容) is that column.  A
    title row and a row of empty cells ('|||||') above it are no part of the table."""
    text = ("附件\n|\n某县2025年民生实事项目表 |\n|||||\n|\n序号 |\n项目名称 |\n实施地点 |\n"
            "2025年建设内容 |\n投资金额 (万元) |\n责任单位 |\n|\n"
            "1 |\n城东污水管网改造 |\n城东街道 |\n改造污水管网12公里。 |\n2600 |\n县水利局 |\n|\n"
            "2 |\n乡镇卫生院提升 |\n各乡镇 |\n新建发热门诊3个。 |\n900 |\n县卫健局 |\n|\n"
            "3 |\n城区停车场建设 |\n西关社区 |\n新增停车位400个。 |\n1500 |\n县住建局 |\n|\n")
    plan, _ = imported(tmp_path, text, year=2025)
    assert [(o.title, o.requirement, roles(o)) for o in plan.obligations] == [
        ("城东污水管网改造", "改造污水管网12公里。", {"responsible": ["县水利局"]}),
        ("乡镇卫生院提升", "新建发热门诊3个。", {"responsible": ["县卫健局"]}),
        ("城区停车场建设", "新增停车位400个。", {"responsible": ["县住建局"]})]
    # the project's own columns are kept beside it, as written, never read as units or limits
    assert plan.obligations[0].note == "实施地点：城东街道；投资金额 (万元)：2600"


@pytest.mark.parametrize("header", ["2022年预期目标", "预期目标", "主要目标", "2024年度重点任务"])
def test_a_column_of_targets_is_the_task_column_of_a_table_that_has_no_other(tmp_path, header):
    """序号 | 2022年预期目标 | 责任单位, one cell per line: each target is a task of its unit
    (beside a task column, such a column is the task's figure: see the test below)."""
    text = ("某区2022年目标任务分解表\n\n序号\n\n" + header + "\n\n责任单位\n\n"
            "1\n\n地区生产总值增长5.5%左右\n\n区发展改革委\n\n2\n\n工业增加值增长7%左右\n\n区经济信息委\n")
    plan, _ = imported(tmp_path, text, year=2022)
    assert [(o.title, roles(o)) for o in plan.obligations] == [
        ("地区生产总值增长5.5%左右", {"responsible": ["区发展改革委"]}),
        ("工业增加值增长7%左右", {"responsible": ["区经济信息委"]})]


def test_header_fields_read_a_target_column_by_the_columns_beside_it():
    from deadlines.importers.vocabulary import header_fields

    assert header_fields(["序号", "2022年预期目标", "责任单位"]) == ["seq", "title", "responsible"]
    assert header_fields(["工作任务", "2024年目标", "责任单位"]) == ["title", None, "responsible"]
    assert header_fields(["序号", "预期目标", "2024年重点任务", "责任单位"]) == ["seq", None, None, "responsible"]


def test_two_annexed_tables_one_cell_per_line_are_read_apart(tmp_path):
    """The second annex's label, title and header end the first table: they are no cells of
    its last row, and its rows are read under its own header; an annex's label (附件1) is no
    part of the title under it."""
    text = ("附件1\n\n2022年某区经济社会发展预期目标任务分解表\n\n序号\n\n2022年预期目标\n\n责任单位\n\n"
            "1\n\n地区生产总值增长5.5%左右\n\n区发展改革委\n\n2\n\n工业增加值增长7%左右\n\n区经济信息委\n\n"
            "附件2\n\n2022年某区重点工作任务分解表\n\n序号\n\n工作任务\n\n牵头单位\n\n配合单位\n\n"
            "1\n\n联动共建科学城\n\n区科技局\n\n区发展改革委\n\n2\n\n推进城市更新\n\n区住房城乡建委\n\n区财政局\n")
    plan, _ = imported(tmp_path, text, year=2022)
    assert plan.title == "2022年某区经济社会发展预期目标任务分解表"
    assert [(o.title, roles(o)) for o in plan.obligations] == [
        ("地区生产总值增长5.5%左右", {"responsible": ["区发展改革委"]}),
        ("工业增加值增长7%左右", {"responsible": ["区经济信息委"]}),
        ("联动共建科学城", {"lead": ["区科技局"], "cooperating": ["区发展改革委"]}),
        ("推进城市更新", {"lead": ["区住房城乡建委"], "cooperating": ["区财政局"]})]


@pytest.mark.parametrize(("cell", "field"), [
    ("2025年建设内容", "requirement"), ("1-9月推进情况", "other"), ("2023年完成情况", "other"),
    # the year's target, or a second year's tasks beside the first's: never the task column
    ("2024年目标", None), ("2024年度工作任务", None), ("2025年", None), ("实施地点", None),
    # a period in words before a column: as the words give it (全年目标任务 is the task)
    ("全年目标任务", "title")])
def test_a_column_named_for_a_period_is_the_years_work_or_other(cell, field):
    from deadlines.importers.vocabulary import column_field

    assert column_field(cell) == field


def test_a_category_row_before_the_first_row_number_is_no_header_cell(tmp_path):
    """Under a 'cell |' header a category row (发展目标) comes before row 1: the rows are
    as wide as the header without it, so it stays a category, not a column."""
    text = ("某区2023年重点工作责任分解\n序号 |\n重点工作 |\n责任单位 |\n发展目标 |\n"
            "1 |\n地区生产总值增长6%。 |\n区发改局 |\n2 |\n固定资产投资增长8%。 |\n区财政局 |\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [(o.requirement, roles(o), o.title) for o in plan.obligations] == [
        ("地区生产总值增长6%。", {"responsible": ["区发改局"]}, "发展目标"),
        ("固定资产投资增长8%。", {"responsible": ["区财政局"]}, "发展目标")]


def test_a_bare_stream_header_with_a_column_outside_the_vocabulary(tmp_path):
    """One line a cell without separators, a column the vocabulary does not know (工作安排)
    between known ones: the header still runs to the first row number, and the rows keep
    their columns though a task's name ends like a unit name (…城镇)."""
    text = ("某镇2023年重点工作计划\n\n序号\n\n重点工作\n\n责任领导\n\n责任科室\n\n工作安排\n\n完成时限\n\n"
            "1\n\n美丽城镇\n\n王某某\n\n乡村振兴办\n\n按时间节点推进项目建设。\n\n2023年10月底前\n\n"
            "2\n\n农房改造\n\n赵某某\n\n村建办\n\n完成农房改造30户。\n\n2023年12月底前\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [(o.title, roles(o), o.due_text) for o in plan.obligations] == [
        ("美丽城镇", {"responsible": ["乡村振兴办"]}, "2023年10月底前"),
        ("农房改造", {"responsible": ["村建办"]}, "2023年12月底前")]


def test_a_report_tables_period_columns_are_header_words(tmp_path):
    """A progress report's columns named for a period (1-6月推进情况, 1-9月推进情况) are
    its own columns, so a header with more of them than known words is still a header;
    their text is neither a task nor a limit."""
    text = ("某区2023年重点项目推进情况表\n"
            "序号 | 主要任务 | 牵头单位 | 1-6月推进情况 | 1-9月推进情况 | 是否序时 | 存在问题 |\n"
            "1 | 新建城市口袋公园6个。 | 区园林局 | 已开工2个。 | 已建成4个。 | 是 | 无 |\n"
            "2 | 改造农贸市场3个。 | 区商务局 | 完成设计。 | 完成1个。 | 否 | 施工单位进场晚。 |\n")
    plan, _ = imported(tmp_path, text, year=2023)
    obs = plan.obligations
    assert [(o.requirement, roles(o)) for o in obs] == [
        ("新建城市口袋公园6个。", {"lead": ["区园林局"]}), ("改造农贸市场3个。", {"lead": ["区商务局"]})]
    assert all(not o.due_text for o in obs)


def test_a_page_copied_without_its_line_breaks(tmp_path):
    """Items, labels and a report's own fields run together on one line: cut at the item
    numbers that follow each other and at the labels; progress is a note, a leader a person."""
    text = ("某市2014年民生实事项目推进表\n"
            "现将实事项目1—6月份进展情况予以公示,接受社会监督,下阶段将进一步加大督查考核力度,确保各项目标任务圆满完成。"
            " 1.轨道交通1号线一期工程投入试运营。 牵头领导:林某 责任单位:市轨道交通工程建设指挥部 项目责任人:尹某"
            " 实际完成情况:已于2014年5月30日通车试运营。 2.新增安装300套路口交通信息视频采集设备。 牵头领导:王某"
            " 责任单位:市公安局 配合单位:市城管局、市财政局 实际完成情况:整体进度已完成年度目标任务的55%。\n")
    plan, _ = imported(tmp_path, text, year=2014)
    numbered = [o for o in plan.obligations if o.source.item in ("1", "2")]
    assert [roles(o) for o in numbered] == [
        {"responsible": ["市轨道交通工程建设指挥部"]},
        {"responsible": ["市公安局"], "cooperating": ["市城管局", "市财政局"]}]
    assert numbered[1].requirement == "新增安装300套路口交通信息视频采集设备。"
    assert "实际完成情况" in numbered[0].note and "尹某" in numbered[0].note
    assert all(kinds(o) == ["ongoing"] for o in numbered)  # 2014年5月30日 is progress, not a limit


def test_a_page_heading_with_a_time_is_named_not_made_a_task(tmp_path):
    """A site's heading above the plan ("…第一季度进展情况") holds a time but is no task: the
    plan's review names the line; a sentence there would be a task of the notice."""
    text = ("首页 > 政务公开\n2016年某区重点工作责任分解第一季度进展情况\n\n2016年某区重点工作责任分解\n"
            "序号\t工作任务\t责任单位\t完成时限\n1\t推进权力清单公开\t区编办\t6月底前\n")
    plan, _ = imported(tmp_path, text)
    assert [o.source.item for o in plan.obligations] == ["1"]
    assert any("第2行" in r and "第一季度进展情况" in r for r in plan.review)


def test_items_run_together_in_one_paragraph(tmp_path):
    """(一)…。(units)(二)…。(units): each number that follows the one before, after a
    sentence or a bracket ends, starts an item; 主办/协办 are lead/cooperating; an
    abbreviation borrows the province's level (农委 → 省农委)."""
    text = ("某省2013年重点工作责任分工方案\n一、主要目标\n"
            "(一)地区生产总值增长11%左右。(省发改委负责)(二)公共财政收入增长13%左右。(省财政厅主办,省国税局、地税局协办)\n"
            "(三)城镇居民人均可支配收入增长12%以上。(省发改委、农委、统计局分别负责)\n")
    plan, _ = imported(tmp_path, text, year=2013)
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["省发改委"]},
        {"lead": ["省财政厅"], "cooperating": ["省国税局", "省地税局"]},
        {"responsible": ["省发改委", "省农委", "省统计局"]}]
    assert plan.obligations[1].requirement == "公共财政收入增长13%左右。"


def test_items_run_together_in_a_web_page_paragraph(tmp_path):
    """The same paragraph in a web page (or a Word file: every reader gives paragraphs) is cut
    the same way as in text: it is the document model, not the text reader, that cuts it."""
    page = ("<html><head><meta charset='utf-8'><title>方案</title></head><body>"
            "<h1>某省2013年重点工作责任分工方案</h1><p>一、主要目标</p>"
            "<p>(一)地区生产总值增长11%左右。(省发改委负责)(二)公共财政收入增长13%左右。"
            "(省财政厅主办,省国税局、地税局协办)(三)城镇居民人均可支配收入增长12%以上。(省统计局负责)</p>"
            "</body></html>").encode("utf-8")
    plan, _ = imported(tmp_path, page, year=2013, name="plan.html")
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["省发改委"]},
        {"lead": ["省财政厅"], "cooperating": ["省国税局", "省地税局"]},
        {"responsible": ["省统计局"]}]


def test_items_with_nothing_under_them_are_tasks_where_other_sections_number_deeper(tmp_path):
    """Section 一 lists its targets as (一)(二) with units; section 二 goes down to 1. 2.:
    the leaves of both are tasks, the (一) that has items under it is a heading."""
    text = ("某省2013年重点工作责任分工方案\n一、主要目标\n(一)地区生产总值增长11%左右。(省发改委负责)\n"
            "(二)公共财政收入增长13%左右。(省财政厅负责)\n二、推进产业项目建设\n(一)全力推进产业项目建设。\n"
            "1.抓好600个省级重点产业项目。(省发改委主办,省工信委协办)\n2.重点抓好一批技术改造项目。(省工信委负责)\n")
    plan, _ = imported(tmp_path, text, year=2013)
    assert [o.requirement for o in plan.obligations] == [
        "地区生产总值增长11%左右。", "公共财政收入增长13%左右。", "抓好600个省级重点产业项目。", "重点抓好一批技术改造项目。"]
    assert roles(plan.obligations[2]) == {"lead": ["省发改委"], "cooperating": ["省工信委"]}


def test_a_unit_bracket_after_sub_items_and_in_hexagonal_brackets(tmp_path):
    """A (责任单位:…) line after (1)(2) is theirs, both; 〔责任单位:…〕 ends an item as () does."""
    text = ("某市2017年规划责任分解方案\n一、具体建设任务\n1.完善应急预案体系\n(1)加强应急预案管理。\n"
            "(2)推进应急预案精编化。\n(责任单位:市直各有关单位、各开发区管委会)\n2.健全应急管理体制\n"
            "(1)推进办事机构建设。〔责任单位:市应急办〕\n(2)加强应急队伍建设。〔责任单位:市编办、市应急办按职责分工负责。〕\n")
    plan, _ = imported(tmp_path, text, year=2017)
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["市直各有关单位", "各开发区管委会"]}, {"responsible": ["市直各有关单位", "各开发区管委会"]},
        {"responsible": ["市应急办"]}, {"responsible": ["市编办", "市应急办"]}]


def test_the_place_from_the_title_or_the_issuer_never_the_addressees(tmp_path):
    text = ("某省人民政府办公厅关于印发2013年重点工作责任分工方案的通知\n各市(地)、县(市、区)人民政府,抚远县人民政府:\n"
            "现将方案印发给你们。\n黑龙江省2013年重点工作责任分工方案\n(一)地区生产总值增长11%左右。(省发改委负责)\n")
    plan, _ = imported(tmp_path, text, year=2013)
    assert plan.place == "黑龙江省"


def test_a_catalogue_of_what_to_publish_with_elements_broken_over_rows(tmp_path):
    """A 政务公开标准目录: 业务事项, 信息类别, 内容标准 (its 【elements】 one per row), 公开时限;
    a row that lost its merged 具体职责 cell lines up by what its cells hold."""
    text = ("序号 | 具体职责 | 业务事项 | 信息类别 | 内容标准 | 公开时限 | 公开形式 |\n"
            "1 | 负责政务公开工作 | 政务公开 | 基本信息 | 【机构名称】 | 信息形成或者变更之日起20个工作日内 | 网站 |\n"
            "【联系方式】 | ||||||\n"
            "2 | 政务公开 | 法定职责 | 依据“三定”方案确定的本部门最新法定职责 | 信息形成或者变更之日起20个工作日内 | 网站 | |\n")
    plan, _ = imported(tmp_path, text, name="catalogue.txt")
    assert [o.requirement for o in plan.obligations] == ["【机构名称】\n【联系方式】", "依据“三定”方案确定的本部门最新法定职责"]
    assert [o.category for o in plan.obligations] == ["基本信息", "法定职责"]
    assert all(kinds(o) == ["relative"] for o in plan.obligations)


def test_a_table_drawn_with_box_characters(tmp_path):
    """│ between cells, ─ rules between rows; a rule that crosses some columns only leaves
    the others merged (their value in each row), and a list of measures beside a unit cell
    that changes part-way keeps its own measures per row; text wrapped in a cell is joined."""
    text = ("某市2007年重点工作责任分解\n"
            "┌──────────────┬────────┬────┐\n"
            "│ 工 作 任 务 │牵头组织实施单位│完成时限│\n"
            "├──────────────┼────────┼────┤\n"
            "│抓好财税金融工作 │各县(市、区)政│年内见成│\n"
            "├──────────────┤府,市财政局、金│ 效 │\n"
            "│△调整财政支出结构 │融办 │ │\n"
            "│加大财政投入 ├────────┤ │\n"
            "│△加强财政监督 │市财政局、审计│ │\n"
            "│ │局 │ │\n"
            "└──────────────┴────────┴────┘\n")
    plan, _ = imported(tmp_path, text, year=2007)
    assert [o.requirement for o in plan.obligations] == ["抓好财税金融工作", "△调整财政支出结构加大财政投入", "△加强财政监督"]
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["各县(市、区)政府", "市财政局", "市金融办"]}, {"responsible": ["各县(市、区)政府", "市财政局", "市金融办"]},
        {"responsible": ["市财政局", "市审计局"]}]
    assert all(o.due_text == "年内见成效" for o in plan.obligations)


def test_no_year_anywhere_asks_for_year(tmp_path):
    with pytest.raises(ImportProblem, match="--year"):
        imported(tmp_path, "某县重点工作分工方案\n序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n", year=None)


def test_the_year_of_a_plan_that_names_none_is_its_earliest_dated_limit(tmp_path):
    """No year in the title, no number, no date: the earliest year a limit is dated in (a limit
    of a later year does not move it), flagged for review; not a figure's year (2035年远景目标)."""
    text = ("某县推进政务公开工作分工方案\n"
            "1.到2035年远景目标全面实现。（责任单位：县发改局）\n"
            "2.2023年6月底前完成政务公开专区建设。（责任单位：县政府办公室）\n"
            "3.2022年10月底前编制并公布主动公开目录。（责任单位：县政务服务中心）\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.year == 2022
    assert any("计划年度取自文中最早的时限" in r and "2022年10月" in r for r in plan.review)
    assert [r.date for r in plan.obligations[2].rules] == [date(2022, 10, 31)]


def test_an_item_number_followed_by_a_year_is_an_item(tmp_path):
    """"2.2023年6月底前…" is item 2 dated in 2023, not a number 2.2023 continuing item 1."""
    text = ("某县政务公开工作分工方案\n"
            "1.2023年6月底前完成政务公开专区建设。（责任单位：县政府办公室）\n"
            "2.2023年9月底前编制主动公开目录。（责任单位：县政务服务中心）\n"
            "3.预算执行率达到2.43亿元以上。（责任单位：县财政局）\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [o.requirement[:6] for o in plan.obligations] == ["2023年6", "2023年9", "预算执行率达"]
    assert [[r.date for r in o.rules] for o in plan.obligations[:2]] == [[date(2023, 6, 30)], [date(2023, 9, 30)]]


def test_the_year_of_a_plan_that_names_none_is_that_of_the_documents_it_follows(tmp_path):
    """No year and no dated limit: the latest year of the documents it cites by number, flagged."""
    text = ("根据《某省政务公开工作要点》（某政办公开〔2022〕6号）和《某市政务公开工作要点》（某政办公开〔2023〕4号），"
            "结合我县实际，制定本方案。\n"
            "1.推进政务公开标准化建设。（责任单位：县政府办公室）\n"
            "2.做好政策解读工作。（责任单位：县司法局）\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.year == 2023
    assert any("所引文号" in r and "〔2023〕4号" in r for r in plan.review)


def test_traditional_characters_with_inline_pinyin(tmp_path):
    """Units and limits are read in simplified characters; the text stays as written."""
    text = ("某鎮(zhèn)2021年政務公開工作要點\n1.圍繞重點領域深化信息公開,2021年10月底前編制公布事項清單。"
            "(鎮(zhèn)政府辦公室、鎮(zhèn)司法所牽頭,各村按職責分工負責)\n")
    plan, _ = imported(tmp_path, text, year=2021)
    (ob,) = plan.obligations
    assert roles(ob) == {"lead": ["镇政府办公室", "镇司法所"], "responsible": ["各村"]}
    assert [r.date for r in ob.rules] == [date(2021, 10, 31)]
    assert ob.requirement.startswith("圍繞重點領域")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_text_saved_in_any_common_encoding(tmp_path, encoding):
    text = "某县2016年政务公开工作要点分工方案\n序号\t工作任务\t牵头单位\n1\t推进权力清单公开\t县编办\n"
    plan, _ = imported(tmp_path, text.encode(encoding))
    assert plan.obligations[0].title == "推进权力清单公开" and roles(plan.obligations[0]) == {"lead": ["县编办"]}


def test_bytes_that_are_no_text_get_one_line(capsys, tmp_path):
    bad = tmp_path / "plan.txt"
    bad.write_bytes(bytes(range(256)) * 4)
    assert main(["import", str(bad), "--year", "2016"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "UTF-8" in err and "GB18030" in err


# --------------------------------------------------------------------------
# What check points at, and re-importing


def test_check_flags_what_a_person_must_look_at(capsys, tmp_path):
    (tmp_path / "p.yaml").write_text(
        "title: 某县方案\nyear: 2016\nobligations:\n"
        "  - id: a\n    title: 甲\n    requirement: 做好某工作。牵头单位:县财政局\n    units: {lead: [县司法局牵头]}\n"
        "  - id: b\n    title: 乙\n    requirement: 1.做好甲。2.做好乙。\n    units: {lead: [县编办]}\n"
        "  - id: c\n    title: 二、加强领导\n    due_text: ''\n",
        encoding="utf-8")
    code = main(["check", "--rules", str(tmp_path)])
    out = capsys.readouterr().out
    kinds_found = [line.split(": ")[2] for line in out.splitlines()]
    assert code == 1
    assert {"unit-name", "role-in-text", "merged", "heading", "no-unit"} <= set(kinds_found)
    # in the interface's language, as every other finding (Chinese by default)
    assert "“县司法局牵头”不是单位名称" in out and "要求中仍有单位标签" in out
    assert "要求中含有几项编号事项（1, 2）" in out and "像是标题，不是任务" in out


def test_reimporting_never_overwrites_a_reviewed_file(capsys, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text("某县2016年政务公开工作要点分工方案\n序号\t工作任务\t牵头单位\n1\t推进权力清单公开\t县编办\n",
                      encoding="utf-8")
    out = tmp_path / "rules" / "p.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert main(["import", str(source), "-o", str(out)]) == 0  # the same import: nothing to lose
    reviewed = out.read_text("utf-8").replace("    title: 推进权力清单公开\n",
                                              "    title: 推进权力清单公开  # reviewed: 标题核对无误\n")
    out.write_text(reviewed, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "reviewed" in capsys.readouterr().err and out.read_text("utf-8") == reviewed
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
    assert "# reviewed: 标题核对无误" not in out.read_text("utf-8")


@pytest.mark.parametrize("between", ["", "一、抓好项目建设。各牵头单位要细化措施。\n"])
def test_a_notice_followed_by_its_tasks_with_no_plan_title(tmp_path, between):
    """The tasks of a plan sent with no title of its own are tasks, each with the units of its bracket,
    not clauses of the notice for the units it is sent to."""
    text = ("某县人民政府办公室关于印发2016年重点项目推进方案的通知\n各乡镇人民政府,县直各单位:\n"
            "现将方案印发给你们,请认真贯彻落实。\n" + between +
            "1.建成县城污水处理厂二期。(牵头单位:县住建局;配合单位:县环保局;完成时限:2016年10月底前)\n"
            "2.推进农村公路提档升级(县交通局牵头)\n")
    plan, _ = imported(tmp_path, text)
    assert [o.requirement for o in plan.obligations] == ["建成县城污水处理厂二期。", "推进农村公路提档升级"]
    assert [roles(o) for o in plan.obligations] == [{"lead": ["县住建局"], "cooperating": ["县环保局"]},
                                                    {"lead": ["县交通局"]}]
    assert plan.obligations[0].due_text == "2016年10月底前"
    # the units on lines of their own under the numbered task
    on_lines = text.replace("(牵头单位:县住建局;配合单位:县环保局;完成时限:2016年10月底前)",
                            "\n牵头单位:县住建局\n配合单位:县环保局\n完成时限:2016年10月底前")
    plan, _ = imported(tmp_path, on_lines)
    assert [o.requirement for o in plan.obligations][0] == "建成县城污水处理厂二期。"
    assert roles(plan.obligations[0]) == {"lead": ["县住建局"], "cooperating": ["县环保局"]}
    assert plan.obligations[0].due_text == "2016年10月底前"
    # a first task with a time-limit label only ends the notice as well
    only_due = text.replace("(牵头单位:县住建局;配合单位:县环保局;完成时限:2016年10月底前)", "(完成时限:2016年10月底前)")
    plan, _ = imported(tmp_path, only_due)
    assert [o.id for o in plan.obligations] == ["p-1", "p-2"]
    assert "2016年10月底前" in plan.obligations[0].due_text


@pytest.mark.parametrize("head", [
    "2017年县政府重点工作推进情况(1-9月)\n",
    "某县2017年度重点工作计划三季度执行情况\n",
    "关于2017年重点工作前三季度落实情况的通报\n各乡镇人民政府,县直各单位:\n",
    "某镇人民政府关于2017年民生实事项目进展情况的报告\n各位代表:\n",
    "主任、副主任、各位委员:\n某县人民政府关于2017年民生实事项目进展情况的报告\n",
    # no title line: the opening sentence names the report
    "各位代表:\n我受某镇人民政府委托,向大会作《某镇人民政府关于2017年民生实事项目进展情况的报告》,请予审议。\n",
])
def test_a_report_on_a_plan_gives_its_year_and_is_flagged(tmp_path, head):
    """A progress report, 通报 or 报告 names its year in its title: the year is read from it (the run
    does not stop), the document is flagged as no plan, and a salutation to people is no addressee."""
    text = head + "序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n"
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.year == 2017
    assert "2017年" in plan.title
    assert any("不是计划本身" in r for r in plan.review)
    assert [roles(o) for o in plan.obligations] == [{"responsible": ["县编办"]}]


@pytest.mark.parametrize(("text", "said"), [
    # a 解读 page copied without its title line
    ("2023年5月6日,某县人民政府办公室印发了《某县2023年重点工作任务分工方案》,现将主要内容解读如下:\n"
     "一、制定背景\n为确保各项任务落实,对重点工作进行细化分解。\n二、主要内容\n1.推进政务公开标准化,县政务服务中心负责。\n",
     "现将主要内容解读如下"),
    # a report on what was done
    ("按照县委部署,县委第二巡察组对县农业农村局开展了巡察。现将巡察整改情况予以公布:\n"
     "(一)整改工作情况\n1.成立整改领导小组,立即开展整改。\n",
     "现将巡察整改情况予以公布"),
])
def test_a_page_without_a_title_that_says_it_is_a_report_or_a_reading_is_flagged(tmp_path, text, said):
    """A page whose title line was not copied: its opening says what it is (解读如下, 予以公布,
    通报如下); the plan read from it is flagged as no plan, naming the words, for a person."""
    plan, _ = imported(tmp_path, text, year=2023)
    assert any("不是计划本身" in r and said in r for r in plan.review)


def test_a_plan_published_without_a_title_line_is_not_taken_for_a_report(tmp_path):
    """A plan's own opening may publish it (公布如下) or explain it (说明如下): no report for that."""
    text = ("经县人民代表大会票决,现将2024年十件民生实事项目公布如下:\n"
            "1.新建城区公厕10座,县城管局负责,2024年10月底前完成。\n"
            "2.改造农村公路30公里,县交通局负责,2024年11月底前完成。\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert len(plan.obligations) == 2
    assert not any("不是计划本身" in r for r in plan.review)


def test_the_title_from_a_pages_field_of_its_name(tmp_path):
    """A government page's table of fields above the text (文件名称 | …): the document's name is its
    title; a 通报 named so is flagged as no plan, and its place is not read from a count (第五次)."""
    text = ("文件名称 | 2023年第五次县政府常务会议议定事项落实情况的通报 | ||\n"
            "索引号 | abc/2023-1 | 公开目录: | 政务督查 |\n"
            "成文日期 | 2023年06月02日 | 公开日期: | 2023年06月05日 |\n"
            "县政府督查室对议定事项落实情况开展了督查,现通报如下。\n"
            "一、工作要求\n请县住建局于6月底前完成老旧小区改造方案。\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert plan.title == "2023年第五次县政府常务会议议定事项落实情况的通报"
    assert any("不是计划本身" in r for r in plan.review)
    assert plan.place == ""
    # the page's fields are its details, no task of their own (成文日期 is no due date)
    assert len(plan.obligations) == 1 and plan.obligations[0].requirement.endswith("请县住建局于6月底前完成老旧小区改造方案。")
    assert [r.date for r in plan.obligations[0].rules] == [date(2023, 6, 30)]


def test_a_status_told_on_a_day_in_a_requirement_is_no_limit(tmp_path):
    """截至9月14日，已办结6件 inside an item's text: the day the status is told on, not its due date;
    a limit in the same item is still read."""
    text = ("某县2022年重点工作任务\n"
            "1.推进项目建设。截至9月14日,已办结6件,其余事项于10月底前办结,县发改局负责。\n"
            "2.推进数据共享。截至6月底,全县已接入部门12个,县数据局负责。\n")
    plan, _ = imported(tmp_path, text, year=2022)
    assert [(o.due_text, [r.kind for r in o.rules]) for o in plan.obligations] == [
        ("其余事项于10月底前办结", ["absolute"]), ("", ["ongoing"])]
    assert plan.obligations[0].rules[0].date == date(2022, 10, 31)


@pytest.mark.parametrize("salutation", ["各位代表:", "主任、副主任、各位委员:", "同志们:"])
def test_a_salutation_to_people_names_no_unit(tmp_path, salutation):
    text = ("某县2017年民生实事项目\n" + salutation + "\n"
            "1.新建城市公园2个,2017年底前完成。\n2.改造农村公路50公里,2017年10月底前完成。\n")
    plan, _ = imported(tmp_path, text)
    assert [roles(o) for o in plan.obligations] == [{}, {}]
    assert all("代表" not in str(o.review) and "委员" not in str(o.review) for o in plan.obligations)


@pytest.mark.parametrize("field", ["文字大小:[ ] 背景色:", "阅读次数: 字体:【 大 中 小 】", "浏览次数:12"])
def test_a_page_field_glued_to_the_issuer_and_a_feedback_form_after_the_text(tmp_path, field):
    text = ("2016年重点工作任务分工方案\n发布时间:2016-03-02 09:10信息来源:歙县人民政府" + field + "\n"
            "1.推进老旧小区改造。(责任单位:县住建局;完成时限:2016年12月底前)\n"
            "为进一步了解掌握社会公众对政策执行效果的反馈与评价,请您提出宝贵的意见或建议。\n"
            "姓  名:\n*验 证 码:\n")
    plan, _ = imported(tmp_path, text)
    assert (plan.issuer, plan.place) == ("歙县人民政府", "歙县")
    assert [o.requirement for o in plan.obligations] == ["推进老旧小区改造。"]


@pytest.mark.parametrize("lists", [
    "附件:1.2016年重点工作任务分解表\n2.2016年民生实事任务分解表\n3.2016年招商引资目标任务分解表\n",
    "附件：\n1、2016年重点工作任务分解表\n2、2016年民生实事任务分解表\n",
])
def test_a_list_of_attachments_over_several_lines(tmp_path, lists):
    """Every line of the list names an attachment: none is the title, none a task."""
    text = ("关于做好2016年重点工作任务落实的通知\n各乡镇人民政府、县直各单位:\n"
            "各责任单位要于2016年9月底前制定推进计划。\n" + lists + "某县人民政府办公室\n2016年8月16日\n")
    plan, _ = imported(tmp_path, text)
    assert plan.title == "关于做好2016年重点工作任务落实的通知"
    assert [o.requirement for o in plan.obligations] == ["各责任单位要于2016年9月底前制定推进计划。"]


def test_nothing_after_a_feedback_form_is_read_and_an_attachment_line_is_no_task(tmp_path):
    # a page's links above the text end nothing
    plan, _ = imported(tmp_path, "打印本页 关闭窗口\n分享到:\n序号\t工作任务\t责任单位\n1\t推进权力清单公开\t县编办\n")
    assert [o.requirement for o in plan.obligations] == ["推进权力清单公开"]
    text = ("某县2016年重点工作推进方案\n1.推进老旧小区改造。(责任单位:县住建局;完成时限:2016年12月底前)\n"
            "为进一步了解掌握社会公众对政策执行效果的反馈与评价,请您提出宝贵的意见或建议。\n"
            "序号\t栏目\t内容\n1\t*验 证 码:\t2016年上半年\n")
    plan, _ = imported(tmp_path, text)
    assert [o.requirement for o in plan.obligations] == ["推进老旧小区改造。"]
    text = ("关于2016年重点工作上半年落实情况的通知\n各乡镇人民政府:\n请各乡镇于2016年9月底前报送落实情况。\n"
            "附件:2016年重点工作上半年落实情况\n")
    plan, _ = imported(tmp_path, text)
    assert [o.requirement for o in plan.obligations] == ["请各乡镇于2016年9月底前报送落实情况。"]


def test_notice_clauses_name_their_own_subjects_and_narrative_is_no_task(tmp_path):
    """A subject after ； or inside the clause with the limit is the task's; a leader is no unit (flagged);
    what has been done (进行了专项督查, 从督查情况看) is no task."""
    text = ("某市人民政府办公室关于2016年重点工作落实的通知\n各区人民政府,市各委、办、局:\n"
            "市政府督查室对2016年上半年重点工作落实情况进行了专项督查。从督查情况看,1-6月,部分指标已完成年度目标。\n"
            "现将任务分解印发给你们,请各牵头部门于2016年9月底前报送推进计划。\n"
            "市政府分管领导每两月对分管条线的目标任务组织一次检查;市政府办公室每季度对目标任务完成情况进行一次督查汇总。\n")
    plan, _ = imported(tmp_path, text)
    obs = plan.obligations
    assert [roles(o) for o in obs] == [{"responsible": ["各牵头部门"]}, {}, {"responsible": ["市政府办公室"]}]
    assert "市政府分管领导" in (obs[1].note or "")
    assert not any("进行了" in o.requirement or "督查情况看" in o.requirement for o in obs)


def test_a_bracket_clause_that_names_no_unit_and_no_limit_is_kept(tmp_path):
    """'(A牵头,B等部门配合推进)': B and the departments concerned cooperate; '(A牵头,各部门要高度重视)':
    the clause after the unit is neither units nor a time limit, and stays with the task, flagged."""
    text = ("某市2023年政务公开工作要点\n一、深化重点领域公开\n"
            "1.推进财政预决算公开,2023年6月底前完成。(市发改委牵头,市财政局等部门配合推进)\n"
            "2.做好政策解读工作。(市政府办公室牵头,各部门要高度重视)\n")
    plan, _ = imported(tmp_path, text, year=2023)
    first, second = plan.obligations
    assert roles(first) == {"lead": ["市发改委"], "cooperating": ["市财政局", "相关部门"]}
    assert roles(second) == {"lead": ["市政府办公室"]}
    kept = " ".join([second.title, second.requirement, *second.review])
    assert "各部门要高度重视" in kept and second.review


def test_a_time_limit_is_never_the_issue_date(tmp_path):
    """With no signing date, a full date written as a limit (2023年12月31日前, …日起) is no issue date."""
    text = ("2023年某市重点工作任务分工方案\n"
            "1.推进医院建设。(牵头单位:市卫健委,配合单位:市财政局,2023年12月31日前)\n"
            "2.开展专项检查。(责任单位:市市场监管局,2023年3月1日起)\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.issued is None and plan.year == 2023
    assert [r.date for r in plan.obligations[0].rules] == [date(2023, 12, 31)]


def test_numbered_fields_of_a_project_are_its_fields_not_tasks(tmp_path):
    """Project cards: '(一)责任领导:X (二)年度目标:… (三)完成时限:…' under each project are that
    project's fields; numbered sections '(一)信息公开:… (二)政策解读:…' stay tasks."""
    text = ("某县2024年民生实事项目实施方案\n"
            "一、供水站提升项目\n(一)责任领导:张三\n(二)责任单位:县水利局\n"
            "(三)年度目标:完成12个供水站改造提升。\n(四)完成时限:2024年8月底前\n"
            "二、道路硬化项目\n(一)责任领导:李四\n(二)责任单位:县交通运输局\n"
            "(三)年度目标:硬化道路5公里。\n(四)完成时限:2024年10月底前\n"
            "三、政务公开\n(一)信息公开:做好财政信息公开。(县财政局负责)\n"
            "(二)政策解读:做好政策解读。(县政府办负责)\n")
    plan, _ = imported(tmp_path, text, year=2024)
    water, road, info, policy = plan.obligations
    assert water.title == "供水站提升项目" and roles(water) == {"responsible": ["县水利局"]}
    assert [r.date for r in water.rules] == [date(2024, 8, 31)]
    assert "张三" in water.note and "完成12个供水站改造提升" in water.requirement
    assert road.title == "道路硬化项目" and [r.date for r in road.rules] == [date(2024, 10, 31)]
    assert roles(info) == {"responsible": ["县财政局"]} and roles(policy) == {"responsible": ["县政府办"]}


def test_a_leaf_heading_above_the_task_level_is_a_task(tmp_path):
    """'一、…(一)…(二)… 二、做好Z工作…(X负责)': the second heading has nothing under it and is
    a task of its own (its number was once read twice and stopped the import)."""
    text = ("某县2024年政务公开工作要点\n一、深化公开\n(一)做好X工作。(县财政局负责)\n"
            "(二)做好Y工作。(县政府办负责)\n二、做好Z工作，2024年底前完成。(县水利局负责)\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [roles(ob) for ob in plan.obligations] == [
        {"responsible": ["县财政局"]}, {"responsible": ["县政府办"]}, {"responsible": ["县水利局"]}]
    assert [r.date for r in plan.obligations[2].rules] == [date(2024, 12, 31)]


def test_a_bracket_of_levels_is_no_unit_bracket(tmp_path):
    """'各县（市、区）', '各乡镇（街道）' inside a measure name places, not units: no measure is cut there."""
    text = ("2023年某市政务公开工作要点\n"
            "1.推进基层政务公开标准化。实现全覆盖到各县（市、区）。年底前完成目录编制。（市政务公开办牵头）\n"
            "2.指导各乡镇（街道）做好公开。（市政府办负责）\n")
    plan, _ = imported(tmp_path, text, year=2023)
    first, second = plan.obligations
    assert roles(first) == {"lead": ["市政务公开办"]} and "各县（市、区）" in first.requirement
    assert roles(second) == {"responsible": ["市政府办"]}


def test_words_of_a_unit_bracket_that_are_no_unit_stay_in_the_requirement(tmp_path):
    text = "2023年某市政务公开工作要点\n1.做好决策公开。（市司法局牵头，各部门要高度重视）\n"
    plan, _ = imported(tmp_path, text, year=2023)
    (ob,) = plan.obligations
    assert roles(ob) == {"lead": ["市司法局"]}
    assert "各部门要高度重视" in ob.requirement and ob.review


def test_a_plan_sentence_opening_like_a_feedback_form_is_read(tmp_path):
    """'为进一步了解掌握社会公众…' opens plan sentences too: only a request to the reader (请您…意见)
    or a form's field ends the text."""
    text = ("某县2023年河道整治工作方案\n1.为进一步了解掌握社会公众对河道整治工作的意见，各乡镇于10月底前开展问卷调查。\n"
            "2.整治入河排污口。(责任单位:县水利局;完成时限:2023年12月底前)\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [r.date for ob in plan.obligations for r in ob.rules] == [date(2023, 10, 31), date(2023, 12, 31)]


def test_a_notice_duty_about_what_was_done_is_a_duty(tmp_path):
    """'对已经批复的项目，各乡镇于6月底前完成开工': what was done names the thing the duty is about;
    '…进行了专项督查' alone is narrative."""
    text = ("关于做好2023年重点项目推进工作的通知\n各乡镇人民政府、县直各单位:\n"
            "县政府督查室对上半年工作进行了专项督查。对已经批复的项目，各乡镇于6月底前完成开工。"
            "对已完成整改的问题，各单位于11月底前组织验收。\n某县人民政府办公室\n2023年3月1日\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [r.date for ob in plan.obligations for r in ob.rules] == [date(2023, 6, 30), date(2023, 11, 30)]


def test_a_short_task_row_whose_other_cells_were_merged_from_above_is_a_task(tmp_path):
    """After a task, '| 疏浚农村沟渠 | | |' is a task whose number, unit and limit are merged from
    the row above, not a category heading of the rows below (before the first task it would be)."""
    text = ("2023年某县河道整治工作任务分解表\n序号 | 工作任务 | 责任单位 | 完成时限 |\n"
            "1 | 清理河道垃圾 | 县水利局 | 6月底前 |\n | 疏浚农村沟渠 | | |\n"
            "2 | 整治入河排污口 | 县生态环境分局 | 9月底前 |\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert [o.requirement for o in plan.obligations] == ["清理河道垃圾", "疏浚农村沟渠", "整治入河排污口"]
    assert [roles(o) for o in plan.obligations][1] == {"responsible": ["县水利局"]}


def test_a_sentence_ending_in_a_colon_names_no_addressees_and_an_explainer_ends_the_page(tmp_path):
    """'…印发了《…》，现将主要内容解读如下:' is a sentence, not the notice's addressees; a 解读 page's
    '解读机构 / 咨询电话 / 扫一扫' lines end its text."""
    text = ("2024年3月28日,某县人民政府印发了《2024年政府工作报告目标任务分工方案》,现将主要内容解读如下:\n"
            "一、主要任务\n1.县政府办公室于6月底前完成任务分解。\n解读机构及咨询方式\n咨询电话:0635-7219958\n"
            "2.扫一扫在手机打开当前页\n")
    plan, _ = imported(tmp_path, text, year=2024)
    # the sentence's words are no units (no addressees): the item's unit is its own subject
    assert [roles(o) for o in plan.obligations if o.units.all()] == [{"responsible": ["县政府办公室"]}]
    assert date(2024, 6, 30) in [r.date for o in plan.obligations for r in o.rules if r.kind == "absolute"]
    assert not any("扫一扫" in o.requirement or "咨询电话" in o.requirement for o in plan.obligations)


def test_a_dated_paragraph_past_the_footer_is_asked_about(tmp_path):
    """Nothing after a page's footer (扫一扫…) is read, but a dated paragraph or a table there
    is named in the plan's review, never dropped unseen."""
    text = ("某县2016年重点工作推进方案\n1.推进老旧小区改造。(责任单位:县住建局;完成时限:2016年12月底前)\n"
            "扫一扫在手机打开当前页\n2.开展专项检查,2016年10月底前完成。(县市场监管局负责)\n")
    plan, _ = imported(tmp_path, text, year=2016)
    assert [o.requirement for o in plan.obligations] == ["推进老旧小区改造。"]
    assert any("开展专项检查" in r for r in plan.review)


# --------------------------------------------------------------------------
# Units named in the prose of an item


def test_an_item_that_says_who_does_it_with_you_by_gets_those_units(tmp_path):
    """A notice's numbered items with no unit column or bracket: an item whose text assigns the
    work, "由X负责/牵头/统一组织…", gets X (flagged to check); "由A会同B负责" has A lead and B
    cooperate.  A word for a kind of unit (由各地…), a person (由分管副市长…) and the work a unit
    has (由县民政局负责的第1件) name no unit: those items stay without, as before."""
    text = ("某市2024年民生实事推进工作方案\n一、工作任务\n"
            "(一)抓好任务分解。对已明确的点位进行再梳理,2月29日前完成点位数据汇总,由市政府督查室统一组织上传。\n"
            "(二)强化资金保障。由市财政局会同市发改委负责资金筹措,6月底前下达资金。\n"
            "(三)加强宣传引导。由市委宣传部牵头,9月底前完成集中宣传。\n"
            "(四)抓好落实。由各地结合实际制定方案,3月底前报送。\n"
            "(五)加强督查。由分管副市长负责督查,每季度末通报一次。\n"
            "(六)整改滞后事项。由县民政局负责的第1件进展滞后,10月底前整改到位。\n"
            "(七)按时报送数据。各乡镇每月5日前报送上月数据,并由县统计局汇总上报。\n"
            "(八)发布清单。清单经县司法局审核后由县政府办公室统一发布。\n"
            "(九)公开预算。由县财政局、县税务局分别负责本系统预算公开。\n"
            "(十)公开决算。由县财政局于8月底前统一公开。\n")
    plan, result = imported(tmp_path, text, year=2024)
    got = {o.title: roles(o) for o in plan.obligations}
    assert got == {
        "抓好任务分解": {"responsible": ["市政府督查室"]},
        "强化资金保障": {"lead": ["市财政局"], "cooperating": ["市发改委"]},
        "加强宣传引导": {"lead": ["市委宣传部"]},
        "抓好落实": {},
        "加强督查": {},
        "整改滞后事项": {},
        "按时报送数据": {"responsible": ["县统计局"]},
        "发布清单": {"responsible": ["县政府办公室"]},
        "公开预算": {"responsible": ["县财政局", "县税务局"]},
        "公开决算": {"responsible": ["县财政局"]},
    }
    flagged = [o.title for o in plan.obligations if any("由…负责" in r for r in o.review)]
    assert flagged == ["抓好任务分解", "强化资金保障", "加强宣传引导", "按时报送数据", "发布清单", "公开预算", "公开决算"]


def test_an_item_with_the_duties_of_two_doers_each_with_its_limit_is_two_tasks(tmp_path):
    """One numbered item, no unit column or bracket, two duties: the towns report by a day,
    then (waiting on an event) the 督查室 uploads.  Two tasks, each its doer and its limit, every
    sentence in one of them; the kind of unit (各乡镇) stands as written where the notice names
    no addressees.  Two limits of one doer, or of nobody named, stay one task, as before; a doer's
    limits one after another are one task of the cut."""
    text = ("某县2024年民生实事推进方案\n一、工作任务\n"
            "(一)抓好数据汇总。结合实际对点位再梳理,各乡镇要在3月15日前完成点位数据汇总,"
            "待省系统权限开放后,由县政府督查室统一组织上传。数据要真实准确。\n"
            "(二)抓好资金下达。县财政局要于4月底前下达第一批资金,9月底前下达第二批资金。\n"
            "(三)加强宣传。3月底前制定宣传方案,6月底前完成集中宣传。\n"
            "(四)做好评估。11月底前完成自评,县统计局要在12月15日前完成第三方评估。\n"
            "(五)推进改造。2月底前完成摸底,3月底前制定方案,县住建局要在6月底前完成改造,9月底前完成验收。\n")
    plan, _ = imported(tmp_path, text, year=2024)
    got = [(o.id, o.title, roles(o), [r.kind for r in o.rules]) for o in plan.obligations]
    assert got == [
        ("p-1.1", "抓好数据汇总", {"responsible": ["各乡镇"]}, ["absolute"]),
        ("p-1.2", "抓好数据汇总", {"responsible": ["县政府督查室"]}, ["pending"]),
        ("p-2", "抓好资金下达", {"responsible": ["县财政局"]}, ["absolute", "absolute"]),  # its subject
        ("p-3", "加强宣传", {}, ["absolute", "absolute"]),
        ("p-4.1", "做好评估", {}, ["absolute"]),
        ("p-4.2", "做好评估", {"responsible": ["县统计局"]}, ["absolute"]),
        ("p-5.1", "推进改造", {}, ["absolute", "absolute"]),
        ("p-5.2", "推进改造", {"responsible": ["县住建局"]}, ["absolute", "absolute"]),
    ]
    first, second = plan.obligations[0], plan.obligations[1]
    assert first.requirement.startswith("结合实际对点位再梳理") and first.requirement.endswith("完成点位数据汇总,")
    assert second.requirement == "待省系统权限开放后,由县政府督查室统一组织上传。数据要真实准确。"
    assert all(any("分成 2 项" in r for r in o.review) for o in (first, second))


def test_the_doer_of_an_item_is_named_before_its_limit_unless_the_limit_is_a_condition(tmp_path):
    """Cases a review found: a unit assigned after a named doer's limit does not take the item
    (it does the 验收; the item's subject, its doer, does, flagged); "由于" is "because"; a doer inside "对由X负责审批的项目" is what the work is
    about; a limit going on with 并于 keeps its doer; 由X before a later limit starts a new duty."""
    text = ("某市2024年政务公开工作要点\n一、重点工作\n"
            "(一)平台升级。市大数据局要于6月底前完成平台升级,并于9月底前完成迁移,由市政府办公室负责组织验收。\n"
            "(二)培训。由于市人社局统一组织,各单位要于5月底前完成培训报名,市人社局于6月底前组织培训。\n"
            "(三)项目公开。对由市发展改革委负责审批的项目,各区要于6月底前公开,市发展改革委要于每季度末汇总通报。\n"
            "(四)信息报送。各单位要于每月5日前报送信息,由市政府办公室负责汇总,于每季度末通报,"
            "市考核办要于12月底前完成考核。\n")
    plan, _ = imported(tmp_path, text, year=2024)
    got = [(o.id, roles(o), o.requirement) for o in plan.obligations]
    assert got == [
        ("p-1", {"responsible": ["市大数据局"]}, "市大数据局要于6月底前完成平台升级,并于9月底前完成迁移,由市政府办公室负责组织验收。"),
        ("p-2.1", {"responsible": ["各单位"]}, "由于市人社局统一组织,各单位要于5月底前完成培训报名,"),
        ("p-2.2", {"responsible": ["市人社局"]}, "市人社局于6月底前组织培训。"),
        ("p-3.1", {"responsible": ["各区"]}, "对由市发展改革委负责审批的项目,各区要于6月底前公开,"),
        ("p-3.2", {"responsible": ["市发展改革委"]}, "市发展改革委要于每季度末汇总通报。"),
        ("p-4.1", {"responsible": ["各单位"]}, "各单位要于每月5日前报送信息,"),
        ("p-4.2", {"responsible": ["市政府办公室"]}, "由市政府办公室负责汇总,于每季度末通报,"),
        ("p-4.3", {"responsible": ["市考核办"]}, "市考核办要于12月底前完成考核。"),
    ]


def test_a_sentence_s_subject_is_never_because_or_what_is_done_to():
    """The subject reader shared by the notice's clauses and the items: "由于X…" is because,
    "对由X负责审批的…" names what the work is about; neither is who does it."""
    from deadlines.importers.notice import _subject

    assert _subject("由于市人社局统一组织,各单位要于5月底前完成报名") is None
    assert _subject("对由市发展改革委负责审批的项目") is None
    assert list(_subject("市人社局要于6月底前组织培训").all()) == ["市人社局"]


def test_a_row_whose_unit_cell_a_merge_took_takes_the_unit_above(tmp_path):
    """A progress table copied from a page: where 牵头单位 was merged with the row above, the row
    is one cell short and its 落实情况 (已完成…) or its month's plan (4月:…) sits under 牵头单位.
    Such text is never unit names: the row's cells move right and the unit is the one above."""
    text = ("2024年4月民生实事项目进展情况汇总表\n"
            "序号 | 项目内容 | 月度工作计划 | 牵头单位 | 落实情况 |\n"
            "1 | 为全县老年人免费接种流感疫苗24723人。 | 4月:制定并下发工作方案。 | 县卫生健康局 | 已完成。 已下发工作方案。 |\n"
            "2 | 免费开展结直肠癌筛查7400人。 | 4月:完成筛查人数1480人(20%)。 | 已完成。 完成筛查人数3495人,完成率47.23%。 | |\n"
            "3 | 新增配置自动体外除颤仪47台。 | 4月:公布采购意向公告。申请资产配置。制定AED点位安排表。 | "
            "已完成。 3月11日公开意向采购公告;完成全县47个点位设置。 | |\n"
            "4 | 培训应急救护人员235人。 | 4月:完成应急救护人员培训65人。 | 县红十字会 | 已完成。 培训188人。 |\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [roles(o) for o in plan.obligations] == [{"lead": ["县卫生健康局"]}] * 3 + [{"lead": ["县红十字会"]}]
    assert "落实情况：已完成。 完成筛查人数3495人,完成率47.23%。" in plan.obligations[1].note
    # the table's title above it names the plan; its month is no task's limit
    assert plan.title == "2024年4月民生实事项目进展情况汇总表"
    assert [o.title for o in plan.obligations][0] == "为全县老年人免费接种流感疫苗24723人。"


@pytest.mark.parametrize("trail", ["白城市政府信息公开专栏 >> 白城市人民政府办公室 >> 政府信息公开制度",
                                   "首页 > 政务公开 > 2023年重点工作任务分解", "您的位置：首页 › 通知公告 › 工作要点"])
def test_a_pages_trail_of_sections_is_never_the_title(tmp_path, trail):
    text = (trail + "\n\n关于印发2019年全市政务公开重点工作任务分工的通知\n\n各县(市、区)人民政府:\n"
            "现将有关事项通知如下。\n1.推进决策公开。(牵头单位:市政府办公室;完成时限:2019年6月底前)\n"
            "2.推进执行公开。(牵头单位:市发展改革委;完成时限:2019年12月底前)\n")
    plan, _ = imported(tmp_path, text, year=2019)
    assert plan.title == "关于印发2019年全市政务公开重点工作任务分工的通知"


def test_a_set_of_rules_with_time_limits_is_titled_as_a_plan(tmp_path):
    """督查专报制度: rules of reporting, each with its limit, are obligations like a plan's."""
    text = ("系统督查专报制度\n时间:2022-02-28 10:12:00\n为做好督查工作,制定本制度。\n"
            "一、重大决策部署落实情况,每月5日前上报。\n二、会议决策事项承办落实情况在30个工作日内上报。\n")
    plan, _ = imported(tmp_path, text, year=2022)
    assert plan.title == "系统督查专报制度"
    assert [o.due_text for o in plan.obligations][:1] == ["每月5日前上报"]


def test_a_pages_field_line_and_column_tag_are_no_part_of_the_title(tmp_path):
    """'名称: 【栏目】X的通知' is a page's field, and 【保基本民生】 the site's column: the title is X's."""
    text = ("索引号: 11341700003244967K/202403-00076\n名称: 【保基本民生】某市民生工作领导小组办公室关于2024年实施3项民生实事的通知\n"
            "发布日期: 2024-03-14\n【保基本民生】某市民生工作领导小组办公室关于2024年实施3项民生实事的通知\n\n"
            "县、市、区人民政府,市直有关单位:\n经市政府同意,2024年我市实施3项民生实事,具体安排如下。\n"
            "1.促进重点群体稳定就业。(牵头单位:市人社局)\n2.新增城镇就业岗位。(牵头单位:市人社局)\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert plan.title == "某市民生工作领导小组办公室关于2024年实施3项民生实事的通知"


def test_a_whole_title_under_a_pages_own_lines_is_not_joined_to_them(tmp_path):
    """A page's own short lines (添加到桌面 …) above a title that is whole on its line and
    starts as one (贯彻落实《…》…方案): the title is that line alone.  A title broken over two
    lines is still joined (立山区政府2023年重点工作 / 任务分解和责任分工方案)."""
    text = ("添加文秘网到电脑桌面\n安装后可以在桌面快捷访问\n\n贯彻落实《关于加强新时代街道工作的意见》的任务分解方案\n\n"
            "1.提高城市基层党建工作水平。(牵头单位:区委组织部;完成时限:2019年12月底前)\n"
            "2.推进街道管理体制改革。(牵头单位:区委编办;完成时限:2019年12月底前)\n")
    plan, _ = imported(tmp_path, text, year=2019)
    assert plan.title == "贯彻落实《关于加强新时代街道工作的意见》的任务分解方案"
    broken = ("立山区政府2023年重点工作\n任务分解和责任分工方案\n"
              "1.推进项目建设。(牵头单位:区发改局;完成时限:2023年12月底前)\n")
    plan, _ = imported(tmp_path, broken, year=2023)
    assert plan.title == "立山区政府2023年重点工作任务分解和责任分工方案"


def test_a_rules_article_number_is_no_part_of_its_subject(tmp_path):
    """第四条各处室应当于每年2月20日前…: the subject is 各处室, not 第四条各处室."""
    text = ("信息公开工作报告制度\n第一条 为及时汇总全局信息公开工作情况,制定本制度。\n"
            "第四条 各处室(大队)应当于每年2月20日前将上一年度信息公开工作情况报局政务公开办公室。\n"
            "第五条 局政务公开办公室于每年3月1日前编制年度报告。\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [list(o.units.all()) for o in plan.obligations if o.due_text and "每年" in o.due_text] == [
        ["各处室(大队)"], ["局政务公开办公室"]]


def test_a_point_counted_in_words_is_no_part_of_its_subject(tmp_path):
    """一是X要…, 二是Y要…: the subject is X, then Y (一是 counts the points)."""
    text = ("某市审计局关于建立审计整改台账的通知\n各县区审计局:\n为抓好审计整改,现提出以下要求。\n"
            "一是被审计单位要在收到审计决定之日起90日内将落实情况书面告知审计机关。\n"
            "二是各县区审计局要在每季度结束后5个工作日内报送整改情况。\n"
            "三是市局业务科室要于每年12月20日前完成年度复查。\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [list(o.units.all()) for o in plan.obligations] == [["被审计单位"], ["各县区审计局"], ["市局业务科室"]]


def test_a_list_of_problems_to_put_right_reads_each_problem_as_a_task(tmp_path):
    """整改清单: 存在问题 | 整改措施 | 责任单位 | 责任人 | 整改时限; the problem is the task, the
    measures its requirement, the person no unit."""
    text = ("某县巡察反馈问题整改清单\n序号 | 存在问题 | 整改措施 | 责任单位 | 责任人 | 整改时限 |\n"
            "1 | 政务公开栏目更新不及时 | 建立栏目更新台账，每月检查一次 | 县政府办公室 | 张三 | 2024年6月底前 |\n"
            "2 | 政策解读质量不高 | 推行图解、视频解读 | 县政府办公室、县融媒体中心 | 王五 | 长期坚持 |\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [(o.title, o.requirement, roles(o), o.due_text) for o in plan.obligations] == [
        ("政务公开栏目更新不及时", "建立栏目更新台账，每月检查一次", {"responsible": ["县政府办公室"]}, "2024年6月底前"),
        ("政策解读质量不高", "推行图解、视频解读", {"responsible": ["县政府办公室", "县融媒体中心"]}, "长期坚持")]


@pytest.mark.parametrize("sep, periods", [(" | ", ["一季度", "二季度", "三季度", "四季度"]), ("\t", ["1月", "2月", "3月", "4月"])])
def test_a_schedules_columns_date_each_task_by_the_parts_of_the_year_it_marks(tmp_path, sep, periods):
    """序号 | 工作任务 | 责任单位 | 一季度 | 二季度 …: a cell with text (制定方案, ●) under a part of the
    year is due by its end; what the cell says is kept beside the task."""
    row = lambda *cells: sep.join(cells) + (" |" if sep == " | " else "") + "\n"  # noqa: E731
    text = ("某局2024年重点工作推进计划表\n" + row("序号", "工作任务", "责任单位", *periods)
            + row("1", "修订政务公开目录", "县政务办", "制定方案", "完成修订", "", "")
            + row("2", "开展政策解读", "县司法局", "", "●", "", "●"))
    plan, _ = imported(tmp_path, text, year=2024)
    assert [o.due_text for o in plan.obligations] == [f"{periods[0]}；{periods[1]}", f"{periods[1]}；{periods[3]}"]
    assert [str(r.date) for r in plan.obligations[1].rules] == (
        ["2024-06-30", "2024-12-31"] if periods[0] == "一季度" else ["2024-02-29", "2024-04-30"])
    assert plan.obligations[0].note == f"{periods[0]}：制定方案；{periods[1]}：完成修订"


def test_a_column_of_problems_is_the_task_only_where_no_task_column_is_named():
    from deadlines.importers.vocabulary import header_fields

    assert header_fields(["序号", "存在问题", "整改措施", "责任单位", "整改时限"]) == [
        "seq", "title", "requirement", "responsible", "due"]
    # a progress report's 存在问题 beside its task column is a remark
    assert header_fields(["序号", "主要任务", "牵头单位", "存在问题"]) == ["seq", "title", "lead", None]


@pytest.mark.parametrize("label", ["附件1", "附件一", "附件 二："])
def test_an_annex_label_in_figures_or_words_is_no_part_of_the_title(tmp_path, label):
    from deadlines.importers.task import strip_title

    assert strip_title(label.rstrip("：") + "：2022年某区重点工作任务分解表") == "2022年某区重点工作任务分解表"
    text = (label + "\n2022年某区重点工作任务分解表\n序号\n工作任务\n责任单位\n1\n推进城市更新\n区住房城乡建委\n"
            "2\n联动共建科学城\n区科技局\n")
    plan, _ = imported(tmp_path, text, year=2022)
    assert plan.title == "2022年某区重点工作任务分解表"


def test_a_limit_after_the_last_of_a_groups_items_is_the_groups(tmp_path):
    """(一) 1.… 2.… 3.… 完成时间:5月10日前: the items before the line, none with a limit or a label
    line of its own, share it (flagged); where each item has its own label lines, each keeps its own."""
    text = ("某市巩固卫生城市成果实施方案\n一、主要任务\n(一)净化环境\n1、清除越冬以来积存的垃圾。\n"
            "2、搞好主次干道的清扫保洁。\n3、加强对厕所的清掏和保洁。\n完成时间:5月10日前\n"
            "(二)规范市容\n1、清除乱贴乱画。\n完成时间:5月20日前\n")
    plan, _ = imported(tmp_path, text, year=2024)
    assert [o.due_text for o in plan.obligations] == ["5月10日前"] * 3 + ["5月20日前"]
    assert all(any("本组" in r for r in o.review) for o in plan.obligations[:3])
    each = ("某市2024年重点工作方案\n(一)净化环境\n1、清除垃圾。\n牵头单位:市城管局\n2、清扫保洁。\n"
            "牵头单位:市环卫处\n完成时间:5月10日前\n")
    plan, _ = imported(tmp_path, each, year=2024)
    assert [o.due_text for o in plan.obligations] == ["", "5月10日前"]


# --------------------------------------------------------------------------
# Addresses


def test_a_web_address_is_no_time_limit_and_no_task(tmp_path):
    """A page saved with its address (the source line, 来源：…, a link in the text): the figures of
    its path (/art/2023/2/13/, /2021-05-25/) date nothing, and the line is no task."""
    text = ("来源：https://www.example.gov.cn/art/2023/2/13/art_1229052555_48622.html\n"
            "某县人民政府办公室关于印发2023年重点工作责任分解的通知\n"
            "各乡镇人民政府，县政府各部门：\n"
            "现将《2023年重点工作责任分解》印发给你们，请认真贯彻落实，详见http://www.example.gov.cn/2021-05-25/content-93597.html。\n"
            "2023年重点工作责任分解\n"
            "1.推进政务公开标准化建设。\n责任单位：县政府办公室\n完成时限：2023年6月底前\n"
            "2.做好政策解读工作。\n责任单位：县司法局\n完成时限：2023年9月底前\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [o.requirement[:4] for o in plan.obligations] == ["推进政务", "做好政策"]
    assert [[r.date for r in o.rules] for o in plan.obligations] == [[date(2023, 6, 30)], [date(2023, 9, 30)]]
    assert all("http" not in (o.due_text or "") for o in plan.obligations)


def test_a_unit_label_with_a_modifier_before_it_keeps_its_role(tmp_path):
    """主要协作单位 is 协作单位 (cooperating), 相关责任单位 责任单位; 主要责任单位, listed whole, leads."""
    text = ("某县2021年重点工作任务分解\n"
            "1.创建国家卫生县城。\n牵头责任单位：县卫健委\n主要协作单位：各乡镇人民政府、县城管局\n完成时限：年底前\n"
            "2.推进垃圾分类。\n主要责任单位：县城管局\n相关责任单位：县住建局\n其他配合单位：各乡镇人民政府\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["县卫健委"], "cooperating": ["各乡镇人民政府", "县城管局"]},
        {"lead": ["县城管局"], "responsible": ["县住建局"], "cooperating": ["各乡镇人民政府"]},
    ]
    assert [o.requirement for o in plan.obligations] == ["创建国家卫生县城。", "推进垃圾分类。"]


def test_units_in_a_bracket_inside_a_table_cell(tmp_path):
    """A table with no unit column, its units at the end of the task cell ('(牵头单位:…)',
    '（…牵头，…配合）'): read as an item's, the bracket out of the requirement; a row whose
    cell has none stays without units (flagged)."""
    text = ("2021年重点工作分解\n序号\t工作内容\t完成时限\n"
            "1\t抓好疫情防控。（牵头单位：市疫情防控办）\t6月底前\n"
            "2\t打造海上画廊。(市住建局牵头，市文旅局配合)\t年底前\n"
            "3\t推进乡村振兴。\t年底前\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [o.requirement for o in plan.obligations] == ["抓好疫情防控。", "打造海上画廊。", "推进乡村振兴。"]
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["市疫情防控办"]}, {"lead": ["市住建局"], "cooperating": ["市文旅局"]}, {}]


# --------------------------------------------------------------------------
# Minutes of a meeting


def test_minutes_decided_items_with_their_doers_and_no_meeting_day(tmp_path):
    """会议纪要: the title ends 纪要; the opening sentence's day is the day the meeting was held,
    no limit and no task; each decided item's doer is the unit it names — 由X负责, 由X抓紧…
    (after 会议要求), or the subject of its first clause (会议要求，X要…; X要…)."""
    text = ("区长办公会议纪要\n"
            "2023年11月14日下午，区长主持召开区长办公会议。现将会议议定事项纪要如下：\n"
            "一、会议同意中心小学改扩建方案，由区教育局负责，年底前完成报批。\n"
            "二、会议要求，区住建局要抓紧办理施工许可，12月15日前开工。\n"
            "三、隆中文化园公司要加强现场调度，9月20日前完成施工任务。\n"
            "四、会议要求由区财政局抓紧拨付补助资金，11月30日前到位。\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert plan.title == "区长办公会议纪要" and plan.year == 2023
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["区教育局"]}, {"responsible": ["区住建局"]}, {"responsible": ["隆中文化园公司"]},
        {"responsible": ["区财政局"]}]
    assert [[r.date for r in o.rules] for o in plan.obligations] == [
        [date(2023, 12, 31)], [date(2023, 12, 15)], [date(2023, 9, 20)], [date(2023, 11, 30)]]
    assert all(o.review for o in plan.obligations)  # each doer read from the text: to be looked at


def test_records_a_label_on_one_line_its_value_on_the_next(tmp_path):
    """A two-column table (具体任务 | … / 责任单位 | … / 配合单位 | … / 完成时限 | …) copied one cell
    per line: each record a task, its labels its columns; a record ends where its first label
    comes again.  Header cells one per line with lone | between them are no such records."""
    text = ("2023年重点工作\n"
            "具体任务\n启动新安综合体建设。\n责任单位\n县建设局\n配合单位\n各乡镇\n完成时限\n6月底前\n"
            "具体任务\n召开金融联席会议。\n责任单位：\n县金融办、县财政局\n完成时限\n年底前\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [o.requirement for o in plan.obligations] == ["启动新安综合体建设。", "召开金融联席会议。"]
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["县建设局"], "cooperating": ["各乡镇"]}, {"responsible": ["县金融办", "县财政局"]}]
    assert [o.due_text for o in plan.obligations] == ["6月底前", "年底前"]


def test_a_short_first_level_item_that_sets_a_limit_with_nothing_under_it_is_a_task(tmp_path):
    """'一、议题征集截止9月21日17:00。' reads like a heading (short, no comma) but sets a limit and
    has nothing numbered under it: a task, not the title of the items after it.  A dated
    heading with items under it (一、动员部署阶段（3月底前）⏎1.…) stays their heading."""
    text = ("关于征集议题的通知\n各部门：\n"
            "一、议题征集截止9月21日17:00。\n二、请各部门于9月30日前报送会议材料。\n"
            "三、动员部署阶段（10月底前）\n1.制定工作方案。\n2.召开动员大会。\n")
    plan, _ = imported(tmp_path, text, year=2011)
    assert [o.requirement.rstrip("。") for o in plan.obligations] == [
        "议题征集截止9月21日17:00", "请各部门于9月30日前报送会议材料", "制定工作方案", "召开动员大会"]
    assert plan.obligations[0].rules[0].date == date(2011, 9, 21)
    assert [o.title for o in plan.obligations[2:]] == ["动员部署阶段"] * 2


def test_a_line_naming_the_units_of_the_items_before_it_by_their_count(tmp_path):
    """'4项目标的责任单位均为市发展改革委。' after four items names their units, all four;
    '该目标责任单位为市经委。' the one before it; '2项…均为市商务局' the last two."""
    text = ("某市2007年目标管理工作方案\n一、发展目标\n"
            "1.地区生产总值增长15%；\n2.第三产业增加值达到1000亿元；\n3.城镇固定资产投资新增200亿元；\n"
            "4.人均地区生产总值达到4000美元；\n4项目标的责任单位均为市发展改革委。\n"
            "5.规模以上工业销售收入达到3000亿元；\n该目标责任单位为市经委。\n"
            "6.实际利用外商直接投资达到8亿美元；\n7.社会消费品零售总额增长16%；\n两项目标的牵头单位均为市商务局。\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [{"responsible": ["市发展改革委"]}] * 4 + [
        {"responsible": ["市经委"]}, {"lead": ["市商务局"]}, {"lead": ["市商务局"]}]
    assert len(plan.obligations) == 7


def test_a_report_asked_for_is_not_the_document_and_a_subject_ends_at_its_verb(tmp_path):
    """'于11月10日前将《2023年…工作总结》报市政府': a report the plan asks for, not a report the
    document is (no title, no report flag from it); '各县政府组织有关部门对…' names 各县政府, not the
    departments it organises (the subject ends at its verb)."""
    text = ("(一)自查阶段(7月3日至7月15日)。各县政府组织有关部门对重点问题进行自查，7月15日前完成。\n"
            "(二)总结阶段(10月1日至11月10日)。各县政府要认真总结，并于11月10日前将《2023年专项行动工作总结》报市政府。\n")
    plan, _ = imported(tmp_path, text, year=2023)
    assert not any("进展、通报、报告或解读" in r for r in plan.review)
    assert "工作总结" not in plan.title
    assert [roles(o) for o in plan.obligations] == [{"responsible": ["各县政府"]}] * 2


def test_a_limit_counted_from_the_documents_own_day_is_flagged_not_dropped(tmp_path):
    """'力争月底前开始打桩', '本周五前报送' are counted from the day of the minutes or the notice,
    which the reader does not date: each item is flagged with the clause, never silently left
    without a limit; 会议要求 inside an item's text still names its doer."""
    text = ("区长办公会议纪要\n2023年11月14日上午，区长主持召开区长办公会议。现将会议议定事项纪要如下：\n"
            "一、中心小学改扩建项目，会议要求区住建局力争月底前开始打桩。\n"
            "二、区财政局要于本周五前报送资金拨付方案。\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [{"responsible": ["区住建局"]}, {"responsible": ["区财政局"]}]
    assert any("时限未能读取" in r and "力争月底前开始打桩" in r for r in plan.obligations[0].review)
    assert any("时限未能读取" in r and "本周五前" in r for r in plan.obligations[1].review)


def test_bare_cells_a_unit_cell_of_several_lines(tmp_path):
    """One cell per line, a unit cell holding one unit a line, as many as the row has: every
    unit line is the row's (not the next row's task), and each row keeps its own limit."""
    text = ("2016年民生实事目标任务分解表\n\n序号\n\n民生实事\n\n责任单位\n\n完成时限\n\n"
            "1\n\n启动建设东湖湿地公园。\n\n县水务局\n\n县住建局\n\n县护城河指挥部\n\n12月底前\n\n"
            "2\n\n新建2座人行天桥。\n\n县住建局\n\n9月投入使用\n\n"
            "3\n\n启动县图书馆新馆建设。\n\n县文体广新局\n\n县代建中心\n\n10月底前\n")
    plan, _ = imported(tmp_path, text, year=2016)
    assert [o.requirement for o in plan.obligations] == ["启动建设东湖湿地公园。", "新建2座人行天桥。", "启动县图书馆新馆建设。"]
    assert [roles(o) for o in plan.obligations] == [
        {"responsible": ["县水务局", "县住建局", "县护城河指挥部"]}, {"responsible": ["县住建局"]},
        {"responsible": ["县文体广新局", "县代建中心"]}]
    assert [o.due_text for o in plan.obligations] == ["12月底前", "9月投入使用", "10月底前"]


def test_rows_of_a_tables_shape_above_its_header_are_read(tmp_path):
    """Tab-separated rows of the table's shape above its header line (a copy that put the header
    after them) are rows of the table: their limits are never dropped (found by the property
    test of tests/test_import_properties.py)."""
    text = ("1\t推进权力清单公开\t县编办\t2016年12月底前\n2\t推进财政预算公开\t县财政局\t2016年6月底前\n"
            "序号\t工作任务\t责任单位\t完成时限\n3\t推进决策公开\t县政府办\t2016年9月底前\n")
    plan, _ = imported(tmp_path, text, year=2016)
    assert [(o.requirement, o.due_text) for o in plan.obligations] == [
        ("推进权力清单公开", "2016年12月底前"), ("推进财政预算公开", "2016年6月底前"), ("推进决策公开", "2016年9月底前")]


@pytest.mark.parametrize("rule", ["|---|---|---|---|", "| --- | --- | --- | --- |", "| :--- | :---: | :--- | ---: |"])
def test_the_line_under_a_markdown_tables_header_is_no_row(tmp_path, rule):
    """A Markdown table's |---| line draws the header's edge: it was a task titled "---" whose
    units were "---" (added to the unit list)."""
    text = ("2022年某市政务公开重点工作任务分解\n\n| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n" + rule + "\n"
            "| 1 | 公开涉企收费目录清单 | 市发改委 | 2022年6月底前 |\n| 2 | 公开行政处罚信息 | 市市场监管局 | 持续推进 |\n")
    plan, result = imported(tmp_path, text, year=None)
    assert [o.requirement for o in plan.obligations] == ["公开涉企收费目录清单", "公开行政处罚信息"]
    assert [roles(o) for o in plan.obligations] == [{"lead": ["市发改委"]}, {"lead": ["市市场监管局"]}]
    assert "---" not in result.yaml


def test_rows_copied_from_excel_with_cells_of_several_lines(tmp_path):
    """Excel copies a cell holding line breaks between quotes, over as many lines as it has: each
    such cell is one cell (its row was cut in two and its lines glued into other cells), and
    in a unit cell each line is a name of its own (经开区⏎高新园 is two)."""
    text = ("2021年钟楼区民生实事项目责任分工\n"
            "序号\t项目名称\t主要内容\t牵头单位\t配合单位\n"
            '1\t增加教育资源供给\t新建、改扩建学校4所。\t教育局\t"经开区\n高新园(邹区镇)\n各街道"\n'
            '2\t老城厢复兴发展\t"完成纪念馆提升工程;\n推进""大庙弄""改造。"\t住建局\t"晋陵公司\n轨道公司"\n'
            '3\t"放管服"改革\t压缩审批时限。\t行政审批局\t\n')
    plan, result = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["教育局"], "cooperating": ["经开区", "高新园(邹区镇)", "各街道"]},
        {"lead": ["住建局"], "cooperating": ["晋陵公司", "轨道公司"]},
        {"lead": ["行政审批局"]},
    ]
    assert plan.obligations[1].requirement == '完成纪念馆提升工程;推进"大庙弄"改造。'
    assert (plan.obligations[2].title, plan.obligations[2].requirement) == ('"放管服"改革', "压缩审批时限。")


def test_a_header_of_two_rows_in_the_columns_places(tmp_path):
    """责任单位 above 牵头单位 | 配合单位 (a merged header, copied with its empty cells): each
    column keeps its own role (the 配合单位 column was dropped, and the lead read as responsible)."""
    text = ("2021年钟楼区民生实事项目责任分工\n"
            "序号\t项目名称\t区政府分管领导\t责任单位\t\n"
            "\t\t\t牵头单位\t配合单位\n"
            "1\t增加教育资源供给\t何海平\t教育局\t经开区、各街道\n"
            "2\t促进就业稳定增长\t何海平\t人社局\t各街道\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["教育局"], "cooperating": ["经开区", "各街道"]},
        {"lead": ["人社局"], "cooperating": ["各街道"]},
    ]


def test_bare_cells_a_row_with_more_lines_than_cells_does_not_end_the_table(tmp_path):
    """A Word table copied one cell a line, where one row's merged cell has parts of its own (机构
    职能 / 领导介绍 / 机构设置, one a line): the rows after it are read (the table ended there,
    and the rest was dropped without a word)."""
    rows = [["1", "法规及办理流程", "来信渠道", "信访指南", "7个工作日内公开", "政府网站"],
            ["2", "人事、机构编制等工作", "机构职责", "机构职能", "15个工作日内公开", "政府网站", "领导介绍", "机构设置"],
            ["3", "信访宣传教育活动", "宣传工作", "业务培训", "15个工作日内公开", "政府网站"],
            ["4", "信息公开受理及答复", "信息公开渠道", "信息公开指南", "7个工作日内公开", "政府网站"]]
    text = "某市信访局2023年政府信息主动公开清单\n\n" + "\n\n".join(
        ["序号", "具体职责", "业务事项", "信息类别", "公开时限", "公开形式"] + [c for row in rows for c in row]) + "\n"
    plan, result = imported(tmp_path, text, year=None)
    assert [o.due_text for o in plan.obligations if o.due_text][-2:] == ["15个工作日内公开", "7个工作日内公开"]
    assert {o.requirement for o in plan.obligations} >= {"来信渠道", "机构职责", "宣传工作", "信息公开渠道"}
    assert "表格止于" not in result.yaml


def test_an_item_whose_title_begins_with_a_figure_is_the_next_item(tmp_path):
    """'11.121人才梯队项目。' after item 10 is item 11 (alone it reads as the number 11.121: the item
    was glued to item 10, and both items' units to one); a number that does not follow the
    items before (2.43亿元) stays text."""
    text = ("关于推进人才集聚工程的实施意见\n"
            "10.高层次人才培养项目。每年选拔培养一批高层次人才。（牵头单位：市委组织部，配合单位：各有关单位）\n"
            "11.121人才梯队项目。重点培养不少于10名院士后备人才。（牵头单位：市人力资源和社会保障局，配合单位：各区、县级市）\n"
            "12.青年人才项目。2.43亿元用于青年人才资助。（牵头单位：市科技局）\n")
    plan, _ = imported(tmp_path, text, year=2012)
    assert [(o.source.item, roles(o)) for o in plan.obligations] == [
        ("10", {"lead": ["市委组织部"], "cooperating": ["各有关单位"]}),
        ("11", {"lead": ["市人力资源和社会保障局"], "cooperating": ["各区、县级市"]}),
        ("12", {"lead": ["市科技局"]}),
    ]


def test_a_rule_for_later_rows_written_in_a_unit_cell_is_no_name(tmp_path):
    """'市直各部门,各县市区,以下均需各县市区落实,不再逐一列出' in the first row's unit cell: two
    names and a rule that every row below involves 各县市区 (its words were two more "units",
    以下均需各县市区 and 不再逐一列出, added to the unit list)."""
    text = ("2022年某市政务公开重点工作任务分解\n\n| 序号 | 工作任务 | 牵头单位 | 责任单位 |\n|---|---|---|---|\n"
            "| 1 | 公开涉企收费目录清单 | 市发改委 | 市直各部门,各县市区,以下均需各县市区落实,不再逐一列出 |\n"
            "| 2 | 公开行政处罚信息 | 市市场监管局 | 市直各部门 |\n")
    plan, result = imported(tmp_path, text, year=None)
    assert [roles(o) for o in plan.obligations] == [
        {"lead": ["市发改委"], "responsible": ["市直各部门", "各县市区"]},
        {"lead": ["市市场监管局"], "responsible": ["市直各部门", "各县市区"]},
    ]


def test_a_task_ended_by_a_season_or_an_event_nobody_dates_is_flagged_not_dropped(tmp_path):
    """'汛期前完成河道清淤', '三国文化周活动期间投入使用': due by a time of the year or an event whose
    day the reader does not know; each item is flagged with the clause (it was read as a task
    with no limit, without a word); a period of work (十四五期间持续推进) is no such end."""
    text = ("某市2011年重点工程建设目标任务\n"
            "1.2011年三国文化周活动期间投入使用。\n责任单位:市发改委。\n"
            "2.汛期前完成主要河道清淤。\n责任单位:市水利局。\n"
            "3.十四五期间持续推进老旧小区改造。\n责任单位:市住建局。\n")
    plan, _ = imported(tmp_path, text, year=2011)
    flagged = [any("时限未能读取" in r for r in o.review) for o in plan.obligations]
    assert flagged == [True, True, False]
    assert "活动期间投入使用" in next(r for r in plan.obligations[0].review if "时限未能读取" in r)


STAGES = ["(一)动员部署阶段(5月) 各县(市、区)领导小组结合实际情况,制定实施方案。",
          "(二)集中整治阶段(5月-8月) 各县(市、区)领导小组组织有关部门开展集中检查,并分别于6月底和7月底报送阶段性报告。",
          "(三)督查阶段(8月-11月) 市领导小组组成若干个小组开展督查。"]


def _stage_readings(plan):
    return [(o.title, roles(o), [str(r.date) for r in o.rules if r.kind == "absolute"]) for o in plan.obligations]


STAGE_READINGS = [
    ("动员部署阶段(5月)", {"responsible": ["各县(市、区)领导小组"]}, ["2009-05-31"]),
    ("集中整治阶段(5月-8月)", {"responsible": ["各县(市、区)领导小组"]}, ["2009-08-31", "2009-06-30", "2009-07-31"]),
    ("督查阶段(8月-11月)", {"responsible": ["市领导小组"]}, ["2009-11-30"]),
]


def test_a_page_copied_as_one_line_is_read_item_by_item(tmp_path):
    """A web page whose paragraphs the copy joined with spaces ("…报送。 四、时间安排 (一)动员部署阶段
    (5月) 各县…(二)…"): each numbered item is a paragraph of its own (it was one task with every
    stage's limits and no units), its name and time the title, its subject the unit."""
    text = ("某市2009年环保专项行动实施方案\n"
            "三、工作要求 (一)加强组织领导 领导小组办公室要确定专人负责信息管理工作。 四、时间安排 " + " ".join(STAGES) + "\n")
    plan, _ = imported(tmp_path, text, year=2009)
    assert _stage_readings(plan)[-3:] == STAGE_READINGS
    assert roles(plan.obligations[0]) == {"responsible": ["领导小组办公室"]}


def test_a_stages_name_and_time_on_a_line_over_its_text(tmp_path):
    """'（三）督查阶段(8月-11月)' on its own line over its text: its name and time are the title and
    the unit is the text's subject (it was "督查阶段(8月-11月)市领导小组", and an item's title line
    glued to its subject, "切实加强动态报告工作领导小组办公室", likewise)."""
    lines = ["某市2009年环保专项行动实施方案", "(一)切实加强动态报告工作", "领导小组办公室要确定专人负责信息管理工作。",
             "四、时间安排"]
    for stage in STAGES:
        head, body = stage.split(" ", 1)
        lines += [head, body]
    plan, _ = imported(tmp_path, "\n".join(lines) + "\n", year=2009)
    assert _stage_readings(plan)[-3:] == STAGE_READINGS
    assert (plan.obligations[0].title, roles(plan.obligations[0])) == ("切实加强动态报告工作", {"responsible": ["领导小组办公室"]})


def test_a_progress_column_named_by_its_ending_is_no_task(tmp_path):
    """完成进展, 工作进度: a report's column (its header word was not known, so the header ended
    before it and the section row under it became a task titled 完成进展)."""
    text = ("2021年某市安全生产专项整治工作任务清单\n主要任务 |\n重点工作和要求 |\n责任单位 |\n完成时限 |\n完成进展 |\n"
            "一、加强专项整治安排部署 |\n||||\n(一)制定工作任务清单。 |\n1.制定全市工作任务清单,分解落实到县区。 |\n市安委办 |\n"
            "1月20日前 |\n|\n2.制定行业领域工作任务清单。 |\n市级各专委会办公室 |\n2月10日前 |\n|\n")
    plan, _ = imported(tmp_path, text, year=None)
    assert [(o.category, roles(o), o.due_text) for o in plan.obligations] == [
        ("加强专项整治安排部署", {"responsible": ["市安委办"]}, "1月20日前"),
        ("加强专项整治安排部署", {"responsible": ["市级各专委会办公室"]}, "2月10日前")]


def test_minutes_that_number_no_decision_give_each_its_task(tmp_path):
    """Minutes with a paragraph per topic and no numbers ('会议原则同意《…方案》。…', '会议听取了…汇报。
    …8月底…'): each decision is a task (only the dated one was, and a decision without a date was
    lost); what the meeting heard without deciding (会议指出 alone) goes on the topic before it."""
    text = ("局长办公会会议纪要\n"
            "8月13日下午,局长主持召开局长办公会。\n"
            "会议原则同意《扶持建筑业骨干企业发展实施方案》。会议指出,建筑业是重要支柱产业,要尽快印发实施。\n"
            "会议听取了关于清洁取暖建设情况的汇报。会议强调,要加强督导调度,确保8月底完工率大幅提升。\n"
            "会议指出,清洁取暖是一项重要的民生工作。\n"
            "会议原则同意《住建领域防汛紧急处置方案》。\n")
    plan, _ = imported(tmp_path, text, year=2021)
    assert [o.title.rstrip("。") for o in plan.obligations] == [
        "会议原则同意《扶持建筑业骨干企业发展实施方案》", "会议听取了关于清洁取暖建设情况的汇报", "会议原则同意《住建领域防汛紧急处置方案》"]
    assert [[str(r.date) for r in o.rules if r.kind == "absolute"] for o in plan.obligations] == [[], ["2021-08-31"], []]


def test_a_title_that_opens_with_guanyu_is_the_documents(tmp_path):
    """'关于推进人才集聚工程的实施意见' on the first line is the document's title (the file name was
    taken, flagged); a notice's title (…的通知) and a sentence opening with 关于 are not."""
    text = ("关于推进人才集聚工程的实施意见\n"
            "1.高层次人才培养项目。2012年底前选拔培养一批高层次人才。（牵头单位：市委组织部）\n")
    plan, _ = imported(tmp_path, text, year=2012)
    assert plan.title == "关于推进人才集聚工程的实施意见"
    assert not any("标题取自文件名" in r for r in plan.review)
