"""Rule files: the forms a rule may take, and errors that name file:line and field."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from deadlines import RulesFileError, load_plans
from deadlines.cli import main
from deadlines import records
from deadlines.model import AbsoluteRule, PendingRule, RecurringRule, RelativeRule

GOOD = """
title: 测试方案
year: 2015
obligations:
  - id: t-1
    title: 公开预决算
    units: {lead: 市财政局, cooperating: [市审计局]}
    due_text: 审批或核准后两个工作日内
    due: {after: 审批或核准, within: {workdays: 2}}
  - id: t-2
    title: 季度公开
    units: {responsible: [市环境保护局]}
    due: {kind: recurring, every: quarter, month: 1, day: 25}
  - id: t-3
    title: 年底前完成
    units: {lead: [市编委办]}
    due:
      - {on: 2015-12-31}
      - {kind: relative, trigger: 市人大批准, offset: {n: 20, unit: day}}
  - id: t-4
    title: 未读的时限
    units: {lead: [市府办公室]}
    due: 待省出台具体规定后
"""


def test_every_form_of_a_rule_loads(write_rules):
    path = write_rules(GOOD, "test-2015.yaml")
    (plan,) = load_plans(path.parent)
    assert plan.id == "test-2015"  # from the file name
    assert plan.period.start == date(2015, 1, 1) and plan.period.end == date(2015, 12, 31)
    t1, t2, t3, t4 = plan.obligations
    assert t1.rules == [RelativeRule(trigger="审批或核准", offset={"n": 2, "unit": "workday"})]
    assert t1.units.lead == ("市财政局",) and t1.units.cooperating == ("市审计局",)
    assert isinstance(t2.rules[0], records.RecurringRule) and t2.rules[0].day == 25
    assert isinstance(t3.rules[0], records.AbsoluteRule) and isinstance(t3.rules[1], records.RelativeRule)
    assert t4.due_text == "待省出台具体规定后"
    assert t4.rules == [PendingRule(trigger="省出台具体规定", text="待省出台具体规定后")]
    assert t1.flags == [] and t4.flags == []


def test_an_unreadable_phrase_is_kept_and_flagged(write_rules):
    path = write_rules(GOOD.replace("待省出台具体规定后", "信息公开年度报"))
    plan = load_plans(path)[0]
    t4 = plan.obligations[3]
    assert t4.due_text == "信息公开年度报"
    assert t4.rules == [PendingRule(trigger=None, text="信息公开年度报", unparsed="信息公开年度报")]
    assert "unparsed" in t4.flags


def test_without_a_reader_phrases_stay_unread(write_rules):
    path = write_rules(GOOD)
    t4 = load_plans(path, read_phrase=None)[0].obligations[3]
    assert t4.rules == [PendingRule(trigger=None, text="待省出台具体规定后", unparsed="待省出台具体规定后")]
    assert "unparsed" in t4.flags


def test_a_phrase_reader_in_the_context_reads_strings(write_rules):
    seen = []

    def reader(text, *, year, issued):
        seen.append((text, year))
        return [PendingRule(trigger="省出台具体规定", text=text)]

    path = write_rules(GOOD)
    (plan,) = load_plans(path, read_phrase=reader)
    assert seen == [("待省出台具体规定后", 2015)]
    assert plan.obligations[3].rules[0].trigger == "省出台具体规定"
    assert plan.obligations[3].flags == []


def _error(write_rules, text, name="bad.yaml") -> RulesFileError:
    path = write_rules(text, name)
    with pytest.raises(RulesFileError) as err:
        load_plans(path.parent)
    return err.value


BAD = {
    "missing field": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - id: t-1
            units: {lead: [市财政局]}
            due: {on: 2015-12-31}
        """,
        4,
        "obligations[0].title",
        "缺少字段",
    ),
    "invalid date": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - id: t-1
            title: 公开
            due:
              - {on: 2015-12-31}
              - {on: 2015-02-30}
        """,
        8,
        "obligations[0].due[1].on",
        "不是有效日期：'2015-02-30'",
    ),
    "unknown rule kind": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - id: t-1
            title: 公开
            due: {kind: monthly, day: 5}
        """,
        6,
        "obligations[0].due",
        "未知的规则类型“monthly”",
    ),
    "unknown field": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - id: t-1
            title: 公开
            deadline: 2015-12-31
        """,
        6,
        "obligations[0].deadline",
        "未知字段",
    ),
    "bad offset": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - id: t-1
            title: 公开
            due:
              after: 审批
              within: {fortnights: 2}
        """,
        8,
        "obligations[0].due.within",
        "an offset is one of days, workdays",
    ),
    "duplicate key": (
        """
        title: 测试方案
        year: 2015
        year: 2016
        """,
        3,
        "year",
        "在同一映射中出现了两次",
    ),
    "not yaml": (
        """
        title: 测试方案
        year: [2015
        """,
        3,
        "",
        "not valid YAML",
    ),
    "duplicate obligation id": (
        """
        title: 测试方案
        year: 2015
        obligations:
          - {id: t-1, title: 甲, due: {on: 2015-12-31}}
          - {id: t-1, title: 乙, due: {on: 2015-12-31}}
        """,
        5,
        "obligations[1].id",
        "obligation id 't-1' appears twice (first on line 4)",
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_errors_name_file_line_and_field(write_rules, name):
    text, line, field, message = BAD[name]
    err = _error(write_rules, text)
    assert (err.line, err.field) == (line, field), str(err)
    assert message in err.reason
    prefix = f"{err.file}:{line}: " + (f"{field}: " if field else "")
    assert str(err).startswith(prefix)


@pytest.mark.parametrize("name", ["missing field", "invalid date", "unknown rule kind"])
def test_cli_exits_2_with_one_line(write_rules, name, capsys):
    text, line, field, _ = BAD[name]
    path = write_rules(text)
    code = main(["due", "--rules", str(path.parent), "--today", "2015-07-08"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"deadlines: {path}:{line}: {field}: ")


def test_the_installed_command_gives_no_traceback(write_rules):
    text = BAD["invalid date"][0]
    path = write_rules(text)
    proc = subprocess.run(
        [sys.executable, "-m", "deadlines", "list", "--rules", str(path.parent)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"deadlines: {path}:8: obligations[0].due[1].on: 不是有效日期：'2015-02-30'；请写成 YYYY-MM-DD"
    ]


def test_obligation_ids_are_unique_across_files(write_rules):
    write_rules(GOOD, "a.yaml")
    path = write_rules(GOOD.replace("测试方案", "另一方案"), "b.yaml")
    with pytest.raises(RulesFileError) as err:
        load_plans(path.parent)
    assert err.value.file == str(path)
    assert "obligation id 't-1' is also used in" in str(err.value)
    assert err.value.line == 4


def test_schema_describes_both_forms(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    text = json.dumps(schema, ensure_ascii=False)
    for word in ("obligations", "absolute", "recurring", "relative", "pending", "ongoing", "workdays", "after", "within"):
        assert word in text, word


def test_schema_validates_the_bundled_rules(capsys):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test extra")
    from deadlines.rulesfile import plan_files
    from deadlines.yamlio import load_yaml

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    files = plan_files("rules")
    assert files
    for path in files:
        data, _ = load_yaml(path)
        jsonschema.validate(data, schema)
