"""Importing the five seed plans: counts, metadata, units and time limits
checked against the documents; determinism; the committed rules agree with a
fresh import except where a reviewer marked a correction."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from deadlines import WorkCalendar, expand
from deadlines.cli import main
from deadlines.importers import ImportProblem, import_plan
from deadlines.rulesfile import load_plan, load_plans
from deadlines.units import UnitRegistry

RULES = Path(__file__).resolve().parents[1] / "rules"
SEEDS = RULES / "sources"  # the documents the bundled plans were imported from

# seed file, rules file, id prefix, --year, obligations in the document
PLANS = [
    ("000_c8e718aacc69a023.txt", "zhongshan-2015", "zs2015", None, 70),
    ("001_5c3635aaa78d82c8.txt", "chengdu-2013", "cd2013", 2014, 18),
    ("002_fc73d67c6bebdb65.txt", "zhongshan-2019", "zs2019", None, 58),
    ("003_8c36aaee05ee3aae.txt", "jiaoling-2016", "jl2016", None, 91),
    ("004_8d8257cba47008e5.txt", "zhashui-2015", "zsx2015", None, 31),
]


def _import(seed: str, plan_id: str, prefix: str, year: int | None, registry: UnitRegistry | None = None):
    text = (SEEDS / seed).read_text("utf-8")
    return import_plan(text, source=seed, year=year, prefix=prefix, plan_id=plan_id,
                       registry=registry if registry is not None else UnitRegistry())


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every seed imported afresh into one folder, with one registry."""
    folder = tmp_path_factory.mktemp("imported")
    registry = UnitRegistry()
    for seed, plan_id, prefix, year, _ in PLANS:
        result = _import(seed, plan_id, prefix, year, registry)
        (folder / f"{plan_id}.yaml").write_text(result.yaml, encoding="utf-8")
    (folder / "units.yaml").write_text(registry.dump(), encoding="utf-8")
    plans = {p.id: p for p in load_plans(folder, canonical_units=False)}
    return folder, plans


def _ob(plans, ob_id):
    plan = plans[next(pid for _, pid, prefix, _, _ in PLANS if ob_id.startswith(prefix + "-"))]
    return next(o for o in plan.obligations if o.id == ob_id)


@pytest.mark.parametrize("seed, plan_id, prefix, year, count", PLANS)
def test_every_task_and_measure_is_one_obligation(imported, seed, plan_id, prefix, year, count):
    _, plans = imported
    obligations = plans[plan_id].obligations
    assert len(obligations) == count
    assert len({o.id for o in obligations}) == count


@pytest.mark.parametrize(
    "plan_id, title, issuer, number, issued, year, place",
    [
        ("zhongshan-2015", "中山市贯彻落实省府办公厅2015年政府信息公开工作要点分工方案", "", "", None, 2015, "中山市"),
        ("chengdu-2013", "当前政府信息公开重点工作安排", "成都市人民政府办公厅", "成办发〔2013〕56号",
         date(2013, 12, 10), 2014, "成都市"),
        ("zhongshan-2019", "中山市2019年政务公开工作要点分工方案", "中山市人民政府办公室", "",
         date(2019, 7, 25), 2019, "中山市"),
        ("jiaoling-2016", "蕉岭县贯彻落实国务院办公厅、省政府办公厅和市政府办公室2016年政务公开工作要点分工方案",
         "", "", None, 2016, "蕉岭县"),
        ("zhashui-2015", "柞水县2015年政府信息公开工作要点分解细化方案", "柞水县人民政府办公室",
         "柞政办发〔2015〕93号", date(2015, 9, 1), 2015, "柞水县"),
    ],
)
def test_plan_metadata_from_the_text(imported, plan_id, title, issuer, number, issued, year, place):
    plan = imported[1][plan_id]
    assert (plan.title, plan.issuer, plan.document_number, plan.issued, plan.year, plan.place) == (
        title, issuer, number, issued, year, place)
    assert plan.period.start == date(year, 1, 1) and plan.period.end == date(year, 12, 31)


@pytest.mark.parametrize(
    "ob_id, lead, responsible, cooperating",
    [
        ("zs2015-3.1", ["市住房城乡建设局"], [], []),  # "市住房城乡\n\n建设局"
        ("zs2015-3.4", ["市住房城乡建设局"], [], []),  # carried down
        ("zs2015-3.5", ["市住房公积金管理中心"], [], []),  # a new unit inside a merged task
        ("zs2015-6", ["市人力资源社会保障局"], [], []),
        ("zs2015-21", ["市政务服务管理办公室"], [], []),  # "市政务服务管理\n办公室"
        ("zs2015-11.5", ["市环境保护局"], [], []),  # after the repeated task row
        ("cd2013-1", ["市政府法制办", "市政府效能办", "市政府政务中心"], ["各区(市)县政府", "市政府有关部门"], []),
        ("zs2019-3", [], ["市政府各部门", "各镇区"], []),  # covered by the unit line before it
        ("zs2019-10", ["市政府办公室"], [], ["市政府各部门", "各镇区"]),
        ("jl2016-2.3", ["县工商和质监局"], [], []),  # carried down
        ("jl2016-4.3", ["县科工商务局", "县政务服务管理办公室", "县直有关单位"], [], []),
        ("jl2016-18.1", ["县卫生和计划生育局"], [], []),  # "县卫生和计划生育局，"
        ("zsx2015-3.1", ["县住建局", "县公积金管理中心"], [], []),  # 和 … 分别牵头
        ("zsx2015-4", ["县发改局"], ["相关部门"], []),
        ("zsx2015-5.1", ["县人社局", "县卫生局"], [], []),  # "县人社局\n\n县卫生局\n\n分别牵头"
        ("zsx2015-5.4", [], ["县卫生局", "县计生局"], []),  # "县卫生局、计生局分别落实"
        ("zsx2015-10.1", [], ["县级各部门"], []),  # "县级各部门\n\n负责"
        ("zsx2015-13.1", ["县电子政务中心"], [], ["县政府法制办", "县政府督查室", "县人社局"]),
        ("zsx2015-13.3", ["县电子政务中心"], [], ["县政府法制办", "县政府督查室", "县人社局"]),  # carried
    ],
)
def test_units_of_sample_rows(imported, ob_id, lead, responsible, cooperating):
    units = _ob(imported[1], ob_id).units
    assert (list(units.lead), list(units.responsible), list(units.cooperating)) == (lead, responsible, cooperating)


@pytest.mark.parametrize(
    "ob_id, title, due_text",
    [
        ("zs2015-4.2", "推进土地供应、征地及房屋征收信息公开", "全年工作"),  # blank cell carried down
        ("zs2015-24", "做好信息公开统计和年报工作", "2015年7月；2016年1月"),  # broken cell
        ("jl2016-20.1", "推进政策执行和落实情况公开", "全年工作"),  # title broken over three lines
        ("jl2016-20.5", "推进政策执行和落实情况公开", "2016年7月；2017年1月"),
        ("zsx2015-3.2", "房屋征收信息公开", "实时"),
    ],
)
def test_titles_and_time_limits_of_sample_rows(imported, ob_id, title, due_text):
    ob = _ob(imported[1], ob_id)
    assert (ob.title, ob.due_text) == (title, due_text)


def test_table_category_and_measure_numbers(imported):
    ob = _ob(imported[1], "zsx2015-3.1")
    assert ob.category == "推进公共资源配置信息公开"  # "推进公共\n\n资源配置\n\n信息公开"
    ob = _ob(imported[1], "zs2015-11.5")
    assert ob.requirement.startswith("发布全市环境质量状况公报") and ob.source.item == "11.5"


def test_a_duplicated_row_is_kept_once_and_recorded(imported):
    plan = imported[1]["zhashui-2015"]
    same = [o for o in plan.obligations if o.title == "各类信息公开平台和渠道作用的发挥"]
    assert len(same) == 1
    assert "178–182" in same[0].note and any("duplicate row" in r for r in same[0].review)


def test_the_covering_notice_sets_deadlines(imported, calendar):
    plans = imported[1]
    first, second = (_ob(plans, f"zsx2015-通知.{i}") for i in (1, 2))
    assert first.requirement == "9月10日前将责任落实计划报县政府电子政务中心。"
    assert first.units.responsible == ("各镇人民政府", "乾佑街道办事处", "县政府各工作部门", "县事业机构")
    assert second.requirement.startswith("11月底前完成政府信息公开工作要点落实工作")
    notice = _ob(plans, "zs2019-通知.1")
    assert notice.due_text == "并在本方案公布后30个工作日内在政府网站公开"
    dues = {o.obligation: o.due for o in expand([plans["zhashui-2015"], plans["zhongshan-2019"]],
                                                date(2015, 1, 1), date(2019, 12, 31), calendar=calendar)
            if "通知" in o.obligation}
    assert dues == {"zsx2015-通知.1": date(2015, 9, 10), "zsx2015-通知.2": date(2015, 11, 30),
                    "zs2019-通知.1": date(2019, 9, 5)}  # 2019-07-25 + 30 working days


def test_limits_inside_requirement_text_and_tasks_without_one(imported):
    plans = imported[1]
    ob = _ob(plans, "zs2019-16")
    assert ob.due_text == "要在征集结束后1个月内公开反馈结果"
    assert [(r.kind, r.trigger) for r in ob.rules] == [("relative", "征集结束")]
    ob = _ob(plans, "cd2013-3")
    assert [r.kind for r in ob.rules] == ["absolute", "ongoing"] and ob.rules[0].date == date(2015, 12, 31)
    # No time limit anywhere: ongoing over the plan period, and it says so.
    ob = _ob(plans, "zs2019-2")
    assert ob.due_text == "" and [r.kind for r in ob.rules] == ["ongoing"]
    assert "未写完成时限" in ob.rules[0].note


@pytest.mark.parametrize("seed, plan_id, prefix, year, count", PLANS)
def test_import_is_deterministic(seed, plan_id, prefix, year, count):
    first = _import(seed, plan_id, prefix, year)
    second = _import(seed, plan_id, prefix, year)
    assert first.yaml.encode() == second.yaml.encode()


def test_the_committed_registry_knows_every_unit():
    registry = UnitRegistry.load(RULES / "units.yaml")
    for seed, plan_id, prefix, year, _ in PLANS:
        assert _import(seed, plan_id, prefix, year, registry).new_units == []
    for plan in load_plans(RULES, canonical_units=False):
        for ob in plan.obligations:
            for name in ob.units.all():
                assert registry.resolve(plan.place, name), (plan.id, ob.id, name)


def _blocks(text: str) -> dict[str, str]:
    parts = re.split(r"(?m)^  - id: ", text)
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


@pytest.mark.parametrize("seed, plan_id, prefix, year, count", PLANS)
def test_committed_rules_are_the_import_plus_marked_corrections(imported, seed, plan_id, prefix, year, count):
    """Nothing lost or invented: the reviewed file has the imported obligations
    with the same text and units; a time limit differs only where a reviewer
    wrote `# reviewed:` with the reason."""
    folder, fresh_plans = imported
    committed = load_plan(RULES / f"{plan_id}.yaml")
    fresh = fresh_plans[plan_id]
    assert [o.id for o in committed.obligations] == [o.id for o in fresh.obligations]
    blocks = _blocks((RULES / f"{plan_id}.yaml").read_text("utf-8"))
    for mine, theirs in zip(committed.obligations, fresh.obligations):
        assert (mine.title, mine.requirement, mine.units, mine.due_text, mine.source) == (
            theirs.title, theirs.requirement, theirs.units, theirs.due_text, theirs.source), mine.id
        if mine.rules != theirs.rules or mine.review != theirs.review:
            assert "# reviewed:" in blocks[mine.id], f"{mine.id} differs from the import without a reason"
    meta = ("id", "title", "issuer", "document_number", "issued", "year", "place", "source")
    assert {k: getattr(committed, k) for k in meta} == {k: getattr(fresh, k) for k in meta}


def test_a_table_cut_off_mid_row_keeps_the_row():
    text = "某县2016年政务公开工作要点分工方案\n\t序号\n\t工作任务\n\t完成时限\n\n\t1\n\t推进权力清单公开\n"
    result = import_plan(text, source="x.txt", prefix="x")
    assert result.obligations == 1
    assert "title: 推进权力清单公开" in result.yaml and "kind: ongoing" in result.yaml


def test_text_without_tasks_is_refused_with_its_line():
    with pytest.raises(ImportProblem, match="x.txt:1: 没有找到任务"):
        import_plan("随便一段文字\n", source="x.txt", prefix="x", year=2016)


# --------------------------------------------------------------------------
# The CLI


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_writes_the_rules_file_and_extends_the_registry(capsys, tmp_path):
    seed, plan_id, prefix, year, count = PLANS[4]
    out_file = tmp_path / "rules" / "zhashui-2015.yaml"
    code, out, err = run(capsys, "import", str(SEEDS / seed), "--id", prefix, "-o", str(out_file))
    assert code == 0 and out == ""
    assert out_file.read_text("utf-8").startswith(f"# Generated by `deadlines import {seed} --id zsx2015`")
    assert f"{count} obligations, 1 to review" in err and "duplicate row" in err
    registry = UnitRegistry.load(tmp_path / "rules" / "units.yaml")
    assert registry.resolve("柞水县", "县人社局") == "柞水县人社局"
    # Importing again adds no unit and writes the same bytes.
    before = out_file.read_bytes()
    code, _, err = run(capsys, "import", str(SEEDS / seed), "--id", prefix, "-o", str(out_file))
    assert code == 0 and "0 new unit names" in err and out_file.read_bytes() == before


def test_cli_import_prints_without_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seed = PLANS[1][0]
    code, out, err = run(capsys, "import", str(SEEDS / seed), "--year", "2014", "--id", "cd2013")
    assert code == 0 and out.count("\n  - id: cd2013-") == 18
    assert not (tmp_path / "rules").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (bytes(range(256)) * 8, "不是可读的文本"),
        ("随便一段文字\n".encode(), "没有计划年度"),
    ],
)
def test_cli_import_errors_exit_2_with_one_line(capsys, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run(capsys, "import", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.yaml").exists()


def test_check_is_clean_on_the_committed_rules(capsys):
    code, out, err = run(capsys, "check", "--rules", str(RULES))
    assert (code, out) == (0, "")
    assert "clean" in err


def test_check_lists_what_needs_a_person(capsys, tmp_path):
    (tmp_path / "units.yaml").write_text("某市:\n  某市财政局:\n    aliases: [市财政局]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        "title: 某市方案\nplace: 某市\nyear: 2016\nobligations:\n"
        "  - id: a\n    title: 甲\n    units: {lead: [市财政局]}\n    due_text: 2016年7月前\n"
        "  - id: b\n    title: 乙\n    units: {lead: [市不知局]}\n    due_text: 找个时间\n"
        "  - id: c\n    title: 丙\n    due_text: 全年工作\n    review: [看一下]\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "--rules", str(tmp_path))
    assert code == 1
    path = tmp_path / "p.yaml"
    assert out.splitlines() == [
        f"{path}:5: a: ambiguous: '2016年7月前' read as 2016年7月31日前（另一读法：2016年6月30日前） (or 2016-06-30)",
        f"{path}:9: b: unread: time limit not read: '找个时间'",
        f"{path}:9: b: unknown-unit: '市不知局' is not in {tmp_path / 'units.yaml'} for 某市",
        f"{path}:13: c: no-unit: no responsible unit",
        f"{path}:13: c: review: 看一下",
    ]
    code, out, _ = run(capsys, "check", "--rules", str(tmp_path), "--json")
    assert code == 1 and '"kind": "unknown-unit"' in out


def test_check_reports_a_broken_file_and_goes_on(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text("title: x\nyear: 20x6\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("title: y\nyear: 2016\nobligations: []\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--rules", str(tmp_path))
    assert code == 1 and out.startswith(f"{tmp_path / 'a.yaml'}:2: invalid:")


def test_check_without_the_rules_folder_is_a_user_error(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--rules", str(tmp_path / "none"))
    assert code == 2 and err.count("\n") == 1


def test_canonical_names_on_loading(bundled_plans):
    plans = {p.id: p for p in bundled_plans}
    ob = next(o for o in plans["zhongshan-2015"].obligations if o.id == "zs2015-20")
    assert ob.units.lead == ("中山市政府办公室",)  # written 市府办公室
    ob = next(o for o in plans["jiaoling-2016"].obligations if o.id == "jl2016-27.1")
    assert ob.units.lead == ("蕉岭县委组织部", "蕉岭县人力资源和社会保障局")  # 县人力资源社会保障局
    names = {u for p in plans.values() for o in p.obligations for u in o.units.all()}
    registry = UnitRegistry.load(RULES / "units.yaml")
    assert names <= set(registry.entries)


def test_the_bundled_plans_expand(calendar, bundled_plans):
    plans = bundled_plans
    found = expand(plans, date(2015, 1, 1), date(2016, 12, 31), calendar=WorkCalendar())
    assert {o.plan for o in found} >= {"zhongshan-2015", "zhashui-2015", "jiaoling-2016", "chengdu-2013"}
