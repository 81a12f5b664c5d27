"""Recording trigger events and completion from the command line, and what `due` and `report` make of them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from deadlines.cli import cli, main

PLAN = """
id: demo-2015
title: 示例方案
year: 2015
issued: 2015-06-01
obligations:
  - id: d-1
    title: 项目批复公开
    units: {lead: [市发展改革局], cooperating: [市财政局]}
    due: 审批或核准后两个工作日内
  - id: d-2
    title: 季度报告公开
    units: {lead: [市财政局]}
    due: 每季度首月25日前
  - id: d-3
    title: 水质公报
    units: {lead: [市环境保护局]}
    due: 2015年7月10日前
  - id: d-4
    title: 预算绩效公开
    units: {responsible: [市财政局]}
    due: 待省出台具体规定后
  - id: d-5
    title: 突发事件信息发布
    units: {lead: [市应急管理局]}
    due: 突发事件发生后24小时内
  - id: d-6
    title: 另一项审批公开
    units: {lead: [市住房城乡建设局]}
    due: 审批或核准后两个工作日内
"""


@pytest.fixture
def rules(write_rules) -> Path:
    return write_rules(PLAN).parent


@pytest.fixture
def deadlines(capsys, rules):
    """Run the CLI on the demo rules; the store is the default one beside them."""

    def run(*args: str, json_out: bool = False):
        code = main([*args, "--rules", str(rules)])
        out, err = capsys.readouterr()
        if json_out:
            assert code == 0, err
            return json.loads(out)
        return code, out, err

    return run


def store_path(rules: Path) -> Path:
    return rules.parent / ".deadlines" / "state.db"


def dues(deadlines, obligation: str, *window: str) -> list[tuple]:
    rows = deadlines("due", "--today", "2015-07-08", *window, "--json", json_out=True)
    return [(r["due"], r["status"]) for r in rows if r["obligation"] == obligation]


YEAR = ("--from", "2015-01-01", "--to", "2015-12-31")


# -- trigger events ---------------------------------------------------------------


def test_recording_a_trigger_gives_exactly_its_due_date_and_removing_it_takes_it_away(deadlines, rules):
    assert dues(deadlines, "d-1", *YEAR) == [(None, "waiting")]
    assert not store_path(rules).exists()  # reading never creates the store
    code, out, err = deadlines("trigger", "record", "d-1", "--on", "2015-09-30", "--note", "发改局批复")
    assert code == 0, err
    assert out.startswith("#1 已记录")
    assert "d-1  2015-10-09（周五）" in out  # 审批或核准后两个工作日内: 国庆 (10-01…07) is not counted
    assert store_path(rules).exists()
    assert dues(deadlines, "d-1", *YEAR) == [("2015-10-09", "scheduled")]
    assert dues(deadlines, "d-6", *YEAR) == [(None, "waiting")]  # recorded for d-1 only
    code, out, _ = deadlines("trigger", "remove", "1", "--note", "录错")
    assert code == 0 and "#2 已撤销触发事件 #1" in out
    assert dues(deadlines, "d-1", *YEAR) == [(None, "waiting")]


def test_a_repeating_trigger_gives_one_occurrence_per_event(deadlines):
    for day in ("2015-03-02", "2015-09-30", "2015-11-11"):
        assert deadlines("trigger", "record", "d-1", "--on", day)[0] == 0
    assert dues(deadlines, "d-1", *YEAR) == [
        ("2015-03-04", "before_issue"), ("2015-10-09", "scheduled"), ("2015-11-13", "scheduled")
    ]


def test_an_event_by_name_reaches_every_obligation_waiting_on_it(deadlines):
    code, out, _ = deadlines("trigger", "record", "--name", "审批或核准", "--on", "2015-09-30")
    assert code == 0 and "2 项（审批或核准）" in out
    assert dues(deadlines, "d-1", *YEAR) == [("2015-10-09", "scheduled")]
    assert dues(deadlines, "d-6", *YEAR) == [("2015-10-09", "scheduled")]


def test_a_timed_event_gives_a_timed_due(deadlines):
    code, out, _ = deadlines("trigger", "record", "d-5", "--on", "2015-09-02T10:00")
    assert code == 0
    assert "d-5  2015-09-03T10:00（周四）" in out  # the due it gives is printed, timed or not
    assert dues(deadlines, "d-5", *YEAR) == [("2015-09-03T10:00", "scheduled")]


def test_a_pending_rule_is_due_timely_once_its_event_is_recorded(deadlines):
    assert deadlines("trigger", "record", "d-4", "--on", "2015-08-03")[0] == 0
    assert dues(deadlines, "d-4", *YEAR) == [("2015-08-31", "scheduled")]  # 及时: 20 working days


def test_trigger_list_shows_the_events_in_force(deadlines):
    deadlines("trigger", "record", "d-1", "--on", "2015-09-30", "--note", "甲")
    deadlines("trigger", "record", "--name", "审批或核准", "--on", "2015-10-20")
    deadlines("trigger", "remove", "1")
    rows = deadlines("trigger", "list", "--json", json_out=True)
    assert [(r["id"], r["obligation"], r["name"], r["on"]) for r in rows] == [(2, None, "审批或核准", "2015-10-20")]
    code, out, _ = deadlines("trigger", "list")
    assert code == 0 and out.startswith("#2  2015-10-20  审批或核准  （按名称）")


# -- completion ---------------------------------------------------------------------


def test_done_marks_the_occurrence_and_undo_takes_it_back(deadlines):
    window = ("--from", "2015-07-01", "--to", "2015-07-31")
    assert dues(deadlines, "d-2", *window) == [("2015-07-25", "scheduled")]
    code, out, err = deadlines("done", "d-2", "--period", "2015-Q3", "--on", "2015-07-20", "--note", "已发布")
    assert code == 0, err
    assert "已完成：d-2/0/2015-Q3（2015-07-25（周六）到期）" in out
    rows = deadlines("due", "--today", "2015-07-08", *window, "--json", json_out=True)
    (row,) = [r for r in rows if r["obligation"] == "d-2"]
    assert row["status"] == "done" and row["done_on"] == "2015-07-20" and row["key"] == "d-2/0/2015-Q3"
    code, out, _ = deadlines("undo", "d-2", "--note", "材料未发布")
    assert code == 0 and "已撤销完成记录 #1：d-2/0/2015-Q3" in out
    assert dues(deadlines, "d-2", *window) == [("2015-07-25", "scheduled")]
    # The key printed by `due --json` names the occurrence for `done` and `undo` alike.
    assert deadlines("done", row["key"], "--on", "2015-07-21")[0] == 0
    assert dues(deadlines, "d-2", *window) == [("2015-07-25", "done")]
    code, out, _ = deadlines("undo", "d-2", "--period", "2015-07-25")
    assert code == 0 and "d-2/0/2015-Q3（完成于 2015-07-21）" in out


def test_done_without_a_period_takes_the_earliest_open_occurrence(deadlines):
    deadlines("done", "d-2", "--on", "2015-04-20")
    deadlines("done", "d-2", "--on", "2015-04-21")
    statuses = dues(deadlines, "d-2", *YEAR)
    assert statuses == [("2015-01-25", "done"), ("2015-04-25", "done"), ("2015-07-25", "scheduled"),
                        ("2015-10-25", "scheduled")]


def test_a_fixed_date_is_named_by_its_date(deadlines):
    code, out, _ = deadlines("done", "d-3", "--period", "2015-07-10", "--on", "2015-07-09")
    assert code == 0 and "d-3/0/fixed（2015-07-10（周五）到期）" in out
    assert dues(deadlines, "d-3", *YEAR) == [("2015-07-10", "done")]


def test_history_keeps_every_change_in_order(deadlines):
    deadlines("trigger", "record", "d-1", "--on", "2015-09-30", "--note", "批复")
    deadlines("trigger", "remove", "1", "--note", "录错")
    deadlines("trigger", "record", "--name", "审批或核准", "--on", "2015-10-12")
    deadlines("done", "d-1", "--on", "2015-10-13")
    deadlines("undo", "d-1")
    rows = deadlines("history", "d-1", "--json", json_out=True)
    assert [(r["id"], r["action"]) for r in rows] == [
        (1, "trigger"), (2, "remove"), (3, "trigger"), (4, "done"), (5, "undo")
    ]
    assert rows[0]["note"] == "批复" and rows[1]["cancels"] == 1 and rows[3]["period"] == "2015-10-12"
    assert rows[3]["key"] == rows[4]["key"] == "d-1/0/2015-10-12" and rows[0]["key"] is None
    code, out, _ = deadlines("history", "d-1")
    assert code == 0
    assert "记录触发事件  2015-09-30  备注：批复" in out and "撤销触发事件  （撤销 #1）  备注：录错" in out
    assert deadlines("history", "d-6", "--json", json_out=True)[0]["id"] == 3  # the named event


def test_db_option_and_environment_point_at_another_store(deadlines, rules, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere" / "events.db"
    assert deadlines("trigger", "record", "d-1", "--on", "2015-09-30", "--db", str(other))[0] == 0
    assert other.exists() and not store_path(rules).exists()
    assert dues(deadlines, "d-1", *YEAR) == [(None, "waiting")]
    assert dues(deadlines, "d-1", *YEAR, "--db", str(other)) == [("2015-10-09", "scheduled")]
    monkeypatch.setenv("DEADLINES_DB", str(other))
    assert dues(deadlines, "d-1", *YEAR) == [("2015-10-09", "scheduled")]


# -- the ledger -------------------------------------------------------------------


def test_report_counts_per_unit(deadlines):
    deadlines("done", "d-2", "--period", "2015-Q1", "--on", "2015-02-01")  # late
    deadlines("done", "d-2", "--period", "2015-Q2", "--on", "2015-04-20")
    data = deadlines("report", "--as-of", "2015-07-08", "--json", json_out=True)
    assert data["as_of"] == "2015-07-08" and data["due_soon_until"] == "2015-07-13"
    units = {u["unit"]: u for u in data["units"]}
    fin = units["市财政局"]
    assert (fin["done"], fin["done_late"], fin["overdue"], fin["due_soon"], fin["waiting"]) == (2, 1, 0, 0, 2)
    assert fin["completion_rate"] == 1.0
    env = units["市环境保护局"]
    assert (env["done"], env["overdue"], env["due_soon"]) == (0, 0, 1)  # d-3, due 07-10
    assert env["completion_rate"] is None
    data = deadlines("report", "--as-of", "2015-07-11", "--json", json_out=True)
    env = {u["unit"]: u for u in data["units"]}["市环境保护局"]
    assert env["overdue"] == 1 and env["completion_rate"] == 0.0
    assert [(i["obligation"], i["due"], i["days_overdue"]) for i in env["overdue_items"]] == [("d-3", "2015-07-10", 1)]
    total = data["total"]
    assert (total["done"], total["overdue"]) == (2, 1) and total["waiting"] == 4
    code, out, _ = deadlines("report", "--as-of", "2015-07-11")
    assert code == 0 and "台账：截至 2015-07-11" in out and "市环境保护局" in out and "67%" in out
    assert "2015-07-10（周五）已逾期1天  水质公报（d-3/0/fixed）" in out


def test_report_for_one_unit(deadlines, rules):
    data = deadlines("report", "--as-of", "2015-07-11", "--unit", "市环境保护局", "--json", json_out=True)
    assert [u["unit"] for u in data["units"]] == ["市环境保护局"]
    assert not store_path(rules).exists()  # reading never creates the store


# -- user errors: exit 2, one line on stderr --------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["trigger", "record", "d-99", "--on", "2015-09-30"], "unknown obligation 'd-99'"),
        (["trigger", "record", "d-1", "--on", "2015-09-31"], "不是日期：'2015-09-31'（2015年9月没有31日）"),
        (["trigger", "record", "d-1"], "Missing option '--on'"),
        (["trigger", "record", "--on", "2015-09-30"], "give an obligation, or --name"),
        (["trigger", "record", "--name", "批准", "--on", "2015-09-30"], "unknown trigger '批准'"),
        (["trigger", "record", "d-1", "--name", "批准", "--on", "2015-09-30"], "unknown trigger of d-1 '批准'"),
        (["trigger", "record", "d-2", "--on", "2015-09-30"], "'d-2' waits on no trigger"),
        (["trigger", "remove", "7"], "no trigger event #7"),
        (["trigger", "remove", "x"], "'x' is not a valid integer"),
        (["done", "d-99", "--on", "2015-07-01"], "unknown obligation 'd-99'"),
        (["done", "d-2", "--on", "2015-07-32"], "不是日期：'2015-07-32'（2015年7月没有32日）"),
        (["done", "d-2", "--period", "2015-Q9", "--on", "2015-07-01"], "unknown period of d-2 '2015-Q9'"),
        (["done", "d-1", "--on", "2015-07-01"], "has no due date yet: it waits on 审批或核准"),
        (["undo", "d-2"], "no completion of d-2 to undo"),
        (["undo", "d-99"], "unknown obligation 'd-99'"),
        (["history", "d-99"], "unknown obligation 'd-99'"),
        (["report", "--as-of", "2015-13-01"], "不是日期：'2015-13-01'（没有13月）"),
        (["report", "--unit", "市不存在局"], "unknown unit '市不存在局'"),
        (["due", "--plan", "nope"], "unknown plan 'nope'"),
        (["due", "--role", "boss"], "'boss' is not one of"),
        (["due", "--days", "3", "--this-week"], "give one window"),
    ],
)
def test_user_errors_exit_2_with_one_line(deadlines, args, message):
    code, out, err = deadlines(*args)
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("deadlines: ")
    assert message in err


def test_done_twice_is_refused(deadlines):
    assert deadlines("done", "d-2", "--period", "2015-Q3", "--on", "2015-07-20")[0] == 0
    code, _, err = deadlines("done", "d-2", "--period", "2015-Q3", "--on", "2015-07-21")
    assert code == 2 and "d-2/0/2015-Q3 已于 2015-07-20 标记完成（#1），未重复记录" in err


COMMANDS = [
    ["due", "--today", "2015-07-08"],
    ["report", "--as-of", "2015-07-08"],
    ["trigger", "record", "d-1", "--on", "2015-09-30"],
    ["trigger", "list"],
    ["trigger", "remove", "1"],
    ["done", "d-2", "--on", "2015-07-01"],
    ["undo", "d-2"],
    ["history", "d-2"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_reports_a_missing_rules_folder(capsys, tmp_path, args):
    code = main([*args, "--rules", str(tmp_path / "no-such-rules")])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "no-such-rules: no such file or folder" in err


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_reports_a_corrupt_store(deadlines, tmp_path, args):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all\n" * 100)
    code, out, err = deadlines(*args, "--db", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{bad}: not a usable SQLite database" in err


def test_every_command_reports_a_foreign_store(deadlines, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    code, _, err = deadlines("due", "--today", "2015-07-08", "--db", str(other))
    assert code == 2 and "not a deadlines event store" in err


# -- `deadlines due`: the daily view ------------------------------------------------


def test_due_groups_by_unit_then_date_with_working_days_left(deadlines):
    deadlines("trigger", "record", "d-1", "--on", "2015-07-07")
    code, out, _ = deadlines("due", "--today", "2015-07-08", "--from", "2015-07-06", "--to", "2015-07-26")
    assert code == 0
    assert out.startswith("2015-07-06（周一）至 2015-07-26（周日）到期，今天 2015-07-08（周三）\n")
    blocks = out.split("\n\n")
    units = [b.splitlines()[0] for b in blocks[1:]]
    assert units == sorted(units[:-1]) + ["等待触发（3项）"]
    fin = next(b for b in blocks if b.startswith("市财政局\n")).splitlines()
    assert fin[1] == "  2015-07-09（周四）还有1个工作日  项目批复公开（d-1，配合）"
    assert fin[2] == "      时限：审批或核准后两个工作日内"
    assert fin[3] == "      审批或核准 2015-07-07 + 2个工作日 = 07-09（周四）"
    assert fin[4] == "  2015-07-25（周六）还有12个工作日  季度报告公开（d-2，牵头）"
    dev = next(b for b in blocks if b.startswith("市发展改革局\n")).splitlines()
    assert dev[1] == "  2015-07-09（周四）还有1个工作日  项目批复公开（d-1，牵头）"
    env = next(b for b in blocks if b.startswith("市环境保护局\n")).splitlines()
    assert env[1] == "  2015-07-10（周五）还有2个工作日  水质公报（d-3，牵头）"
    waiting = blocks[-1].splitlines()
    assert waiting[1:] == [
        "  d-4  预算绩效公开（市财政局）：等待：省出台具体规定",
        "  d-5  突发事件信息发布（市应急管理局）：等待：突发事件发生",
        "  d-6  另一项审批公开（市住房城乡建设局）：等待：审批或核准",
    ]
    code, out, _ = deadlines("due", "--today", "2015-07-13", "--from", "2015-07-06", "--to", "2015-07-12")
    assert "  2015-07-10（周五）已逾期3天  水质公报（d-3，牵头）" in out


def test_due_json_adds_working_days_left_and_role(deadlines):
    rows = deadlines("due", "--today", "2015-07-08", "--days", "20", "--unit", "市财政局", "--json", json_out=True)
    by = {r["obligation"]: r for r in rows}
    assert by["d-2"]["due"] == "2015-07-25" and by["d-2"]["workdays_left"] == 12 and by["d-2"]["role"] == "lead"
    assert by["d-4"]["due"] is None and by["d-4"]["workdays_left"] is None and by["d-4"]["role"] == "responsible"
    assert by["d-1"]["role"] == "cooperating"
    for row in rows:
        assert {"obligation", "units", "due", "status", "title", "why", "due_text", "done_on"} <= set(row)


def test_days_plan_and_role_narrow_the_list(deadlines):
    rows = deadlines("due", "--today", "2015-07-08", "--days", "2", "--json", json_out=True)
    assert [r["due"] for r in rows if r["due"]] == ["2015-07-10"]
    rows = deadlines("due", "--today", "2015-07-08", "--days", "1", "--json", json_out=True)
    assert [r["due"] for r in rows if r["due"]] == []
    rows = deadlines("due", "--today", "2015-07-08", "--days", "20", "--plan", "demo-2015", "--json", json_out=True)
    assert {r["plan"] for r in rows} == {"demo-2015"}
    rows = deadlines("due", "--today", "2015-07-08", "--days", "20", "--unit", "市财政局", "--role", "lead",
                     "--json", json_out=True)
    assert sorted(r["obligation"] for r in rows) == ["d-2"]
    rows = deadlines("due", "--today", "2015-07-08", "--days", "20", "--role", "responsible", "--json", json_out=True)
    assert [r["obligation"] for r in rows] == ["d-4"]


def test_colours_on_a_terminal_only_and_never_with_no_color(rules, monkeypatch):
    deadlines_args = ["due", "--rules", str(rules), "--today", "2015-07-13", "--from", "2015-07-06", "--to",
                      "2015-07-31"]
    runner = CliRunner()
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert runner.invoke(cli, deadlines_args, "", color=True).exit_code == 0
    runner.invoke(cli, ["done", "d-2", "--period", "2015-Q3", "--on", "2015-07-20", "--rules", str(rules)])
    runner.invoke(cli, ["trigger", "record", "d-1", "--on", "2015-07-13", "--rules", str(rules)])
    out = runner.invoke(cli, deadlines_args, color=True).output
    assert "\x1b[31m2015-07-10（周五）已逾期3天\x1b[0m" in out  # red: overdue
    assert "\x1b[33m2015-07-15（周三）还有2个工作日\x1b[0m" in out  # yellow: within 3 working days
    assert "\x1b[90m2015-07-25（周六）已完成（2015-07-20）\x1b[0m" in out  # grey: done
    piped = runner.invoke(cli, deadlines_args, color=False).output
    assert "\x1b[" not in piped and "2015-07-10（周五）已逾期3天" in piped
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in runner.invoke(cli, deadlines_args, color=True).output


def test_green_for_later(rules):
    out = CliRunner().invoke(
        cli, ["due", "--rules", str(rules), "--today", "2015-07-01", "--days", "30"], color=True
    ).output
    assert "\x1b[32m2015-07-25（周六）还有17个工作日\x1b[0m" in out


# -- events no due can be counted from ------------------------------------------------


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01", "2201-01-01T10:00"])
def test_an_event_that_cannot_be_dated_is_refused_before_it_is_stored(deadlines, rules, on):
    code, out, err = deadlines("trigger", "record", "d-1", "--on", on)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"事件日期 {on} 超出可计算的范围（1900–2200 年）" in err
    assert not store_path(rules).exists()  # nothing was stored, not even an empty store


def test_a_store_holding_such_an_event_still_gives_due_report_and_build(deadlines, rules, tmp_path):
    """Recorded by an earlier version: the event is reported on every command, the rest is computed."""
    assert deadlines("trigger", "record", "d-1", "--on", "2015-09-30")[0] == 0
    with sqlite3.connect(store_path(rules)) as conn:
        conn.execute("INSERT INTO changes (at, action, obligation, name, on_day) "
                     "VALUES ('2015-09-30T09:00:00+08:00', 'trigger', 'd-6', '', '9999-12-31')")
    warning = ("deadlines: 已略过触发事件 #2（9999-12-31）：事件日期 9999-12-31 超出可计算的范围（1900–2200 年）："
               "请检查日期是否录错")
    for args in (["due", "--today", "2015-07-08", *YEAR, "--json"], ["report", "--as-of", "2015-10-31", "--json"],
                 ["build", "--out", str(tmp_path / "site"), "--today", "2015-07-08"]):
        code, out, err = deadlines(*args)
        assert code == 0, (args, err)
        assert err.splitlines() == [warning + "；其余照常计算。用 deadlines trigger remove 2 撤销它"], err
    assert dues(deadlines, "d-1", *YEAR) == [("2015-10-09", "scheduled")]  # the good event still counts
    assert [r["status"] for r in deadlines("due", "--today", "2015-07-08", *YEAR, "--json", json_out=True)
            if r["obligation"] == "d-6"] == ["waiting"]
    listed = deadlines("trigger", "list", "--json", json_out=True)
    assert [e["on"] for e in listed] == ["2015-09-30", "9999-12-31"]  # shown, so it can be removed
    assert deadlines("trigger", "remove", "2")[0] == 0
    assert deadlines("due", "--today", "2015-07-08")[2] == ""
