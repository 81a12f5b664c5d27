"""The CLI contract of `deadlines due`, `list` and `schema`, and its user errors."""

from __future__ import annotations

import json

import pytest

from deadlines.cli import main


def assert_rule(rule: dict, **expected) -> None:
    """A rule in the JSON contract: the contract's keys, with these values."""
    assert {"kind", "trigger", "offset", "ambiguous", "unparsed", "explain"} <= set(rule)
    assert {k: rule[k] for k in expected} == expected


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_due_next_week_json(capsys):
    code, out, err = run(capsys, "due", "--today", "2015-07-08", "--next-week", "--json")
    assert code == 0, err
    rows = json.loads(out)
    dated = [r for r in rows if r["due"]]
    assert dated and all("2015-07-13" <= r["due"] <= "2015-07-19" for r in dated)
    for row in rows:
        assert {"obligation", "units", "due", "status", "title", "why"} <= set(row)
    waiting = [r for r in rows if r["status"] == "waiting"]
    assert waiting and all(r["due"] is None for r in waiting)
    assert {r["obligation"] for r in waiting} >= {"zs2015-5", "zs2015-2.4"}


def test_without_a_window_due_shows_overdue_this_week_and_next_week(capsys):
    _, default, _ = run(capsys, "due", "--today", "2015-07-08", "--json")
    _, explicit, _ = run(capsys, "due", "--from", "2015-07-06", "--to", "2015-07-19", "--today", "2015-07-08", "--json")
    rows = json.loads(default)
    weeks = [r for r in json.loads(explicit) if r["due"] and r["status"] != "overdue"]
    assert [r for r in rows if r["due"] and r["status"] != "overdue"] == weeks
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert overdue and min(r["due"] for r in overdue) < "2015-01-01"  # missed long ago, never marked done


def test_week_of_and_this_week(capsys):
    _, week_of, _ = run(capsys, "due", "--week-of", "2015-07-29", "--today", "2015-07-01", "--json")
    dues = sorted({r["due"] for r in json.loads(week_of) if r["due"]})
    assert dues == ["2015-07-27", "2015-07-31"]
    _, this_week, _ = run(capsys, "due", "--this-week", "--today", "2015-07-29", "--json")
    rows = json.loads(this_week)
    assert {r["due"] for r in rows if r["due"]} == {"2015-07-27", "2015-07-31"}
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert [r["due"] for r in overdue] == ["2015-07-27"]


def test_unit_filter(capsys):
    _, out, _ = run(capsys, "due", "--from", "2015-01-01", "--to", "2015-12-31", "--unit", "中山市财政局", "--json")
    rows = json.loads(out)
    assert rows and all("中山市财政局" in r["units"]["lead"] for r in rows)


def test_unit_filter_takes_an_alias_from_the_registry(capsys):
    # 市府办公室 is how seeds/000 writes 中山市政府办公室 (rules/units.yaml).
    _, by_alias, _ = run(capsys, "due", "--from", "2015-01-01", "--to", "2015-12-31", "--unit", "市府办公室", "--json")
    _, by_name, _ = run(capsys, "due", "--from", "2015-01-01", "--to", "2015-12-31", "--unit", "中山市政府办公室",
                        "--json")
    assert json.loads(by_alias) == json.loads(by_name) != []


def test_an_alias_used_in_two_places_is_ambiguous(capsys):
    code, _, err = run(capsys, "due", "--today", "2015-07-08", "--unit", "市财政局")
    assert code == 2
    assert "单位“市财政局”有歧义：可能指 中山市财政局, 成都市财政局" in err


def test_text_output_groups_by_unit(capsys):
    code, out, _ = run(capsys, "due", "--today", "2015-07-08", "--from", "2015-07-01", "--to", "2015-07-31")
    assert code == 0
    assert "\n中山市环境保护局\n  2015-07-05（周日）已逾期3天  推进环境保护信息公开（" in out
    assert "等待触发" in out and "等待：审批或核准" in out


def test_list_json(capsys):
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    row = next(r for r in rows if r["id"] == "zs2015-5")
    assert row["plan"] == "zhongshan-2015"
    # the obligation names no document of its own: its plan's is its
    assert row["source"] == {"document": "中山市贯彻落实省府办公厅2015年政府信息公开工作要点分工方案", "item": "5", "line": 120}
    assert row["units"] == {"lead": ["中山市发展改革局"], "responsible": [], "cooperating": []}
    assert row["due_text"] == "审批或核准后两个工作日内"
    assert_rule(row["rules"][0], kind="relative", trigger="审批或核准", offset={"n": 2, "unit": "workday"},
                explain="审批或核准后2个工作日内", ambiguous=False, unparsed="")
    assert row["flags"] == []
    assert row["requirement"].startswith("公开")  # the task's text, as the plan gives it
    assert all("requirement" in r for r in rows)


def test_list_json_keeps_requirement_and_ambiguous_from_the_file_and_from_the_cache(capsys, write_rules):
    path = write_rules("""
        title: 某市方案
        year: 2016
        obligations:
          - id: a-1
            title: 公开预算
            requirement: 7月前在门户网站公开部门预算。
            units: {lead: [甲局]}
            due_text: 2016年7月前
        """)
    for _ in ("read", "cached"):
        code, out, _ = run(capsys, "list", "--rules", str(path.parent), "--json")
        assert code == 0
        (row,) = json.loads(out)
        assert row["requirement"] == "7月前在门户网站公开部门预算。"
        assert row["flags"] == ["ambiguous"]
        assert_rule(row["rules"][0], kind="absolute", ambiguous=True, date="2016-07-31", alternative="2016-06-30")
    assert list((path.parent.parent / ".deadlines" / "cache").glob("plan-*.json"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["due", "--today", "2015-02-30"], "不是日期：'2015-02-30'（2015年2月没有30日）"),
        (["due", "--unit", "市不存在局", "--today", "2015-07-08"], "单位“市不存在局”不存在"),
        (["due", "--rules", "no/such/folder", "--today", "2015-07-08"], "no/such/folder: no such file or folder"),
        (["due", "--from", "2015-07-01"], "--from 和 --to 要一起用"),
        (["due", "--from", "2015-08-01", "--to", "2015-07-01"], "晚于结束"),
        (["due", "--next-week", "--week-of", "2015-07-01"], "请只给一个时间窗口"),
        (["due", "--bogus"], "没有选项 '--bogus'"),
        (["nonsense"], "没有命令 'nonsense'"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("deadlines: ")
    assert message in err


def test_unknown_unit_suggests_close_names(capsys):
    _, _, err = run(capsys, "due", "--unit", "中山财政局", "--today", "2015-07-08")
    assert "是否指 中山市财政局" in err


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "due" in out and "schema" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "0.1.0" in out


# -- deadlines parse -------------------------------------------------------------


def test_parse_json_contract(capsys):
    code, out, _ = run(capsys, "parse", "审批或核准后两个工作日内", "--year", "2015", "--trigger", "2015-09-30", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["text"] == "审批或核准后两个工作日内"
    assert data["due"] == ["2015-10-09"]
    (rule,) = data["rules"]
    assert_rule(rule, kind="relative", trigger="审批或核准", offset={"n": 2, "unit": "workday"},
                explain="审批或核准后2个工作日内", ambiguous=False, unparsed="")


def test_parse_named_triggers_and_timed_dues(capsys):
    text = "经市人大批准后20日内；突发事件发生后24小时内"
    _, out, _ = run(capsys, "parse", text, "--year", "2015", "--trigger", "市人大批准=2015-03-10", "--json")
    assert json.loads(out)["due"] == ["2015-03-30"]
    _, out, _ = run(capsys, "parse", text, "--year", "2015", "--trigger", "2015-09-02T10:00", "--json")
    assert json.loads(out)["due"] == ["2015-09-03T10:00", "2015-09-22"]


def test_parse_window_and_issued(capsys):
    _, out, _ = run(capsys, "parse", "本方案公布后30个工作日内", "--issued", "2019-07-25", "--json")
    assert json.loads(out)["due"] == ["2019-09-05"]
    _, out, _ = run(capsys, "parse", "每季度首月25日前", "--year", "2015", "--from", "2015-04-01", "--to", "2015-09-30", "--json")
    assert json.loads(out)["due"] == ["2015-04-25", "2015-07-25"]


def test_parse_unreadable_text_exits_0_and_keeps_it(capsys):
    code, out, _ = run(capsys, "parse", "信息公开年度报", "--year", "2015", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["due"] == [] and data["rules"][0]["unparsed"] == "信息公开年度报"


def test_parse_readable_output(capsys):
    code, out, _ = run(capsys, "parse", "2016年7月前完成", "--year", "2016")
    assert code == 0
    assert "absolute：2016年7月31日前（另一读法：2016年6月30日前）（有歧义）" in out
    assert "2016-07-31（周日）" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["parse", "x", "--trigger", "审批=2015-13-01"], "不是日期：'2015-13-01'（没有13月）"),
        (["parse", "x", "--year", "abc"], "'abc' 不是有效的数（integer）"),
        (["parse", "x", "--year", "2015", "--from", "2015-09-01", "--to", "2015-01-01"], "晚于结束"),
    ],
)
def test_parse_bad_options_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_a_fault_of_the_program_is_one_line_naming_where_not_a_traceback(capsys, monkeypatch):
    """A bug met on input nobody foresaw (here: the phrase reader failing inside `parse`) is one
    line on stderr naming the exception and the place in the package, exit 70 (not the input's
    fault, 2); DEADLINES_TRACEBACK=1 gives the traceback to whoever debugs it."""
    from deadlines import phrasereport

    def broken(*args, **kwargs):
        raise TypeError("'generator' object is not subscriptable")

    monkeypatch.setattr(phrasereport, "parse_phrase", broken)
    monkeypatch.delenv("DEADLINES_TRACEBACK", raising=False)
    assert main(["parse", "每月10日前", "--year", "2015"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "内部错误（TypeError，位于 tests/" not in err  # the place is the package's innermost frame
    assert "内部错误（TypeError，位于 phrasereport.py:" in err and "not subscriptable" in err
    monkeypatch.setenv("DEADLINES_TRACEBACK", "1")
    with pytest.raises(TypeError):
        main(["parse", "每月10日前", "--year", "2015"])
