"""A day in the office (issue 12): a county office's own rules folder and its 2026 plan
(tests/office/), used the way its clerk uses it on Monday 2026-11-30."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deadlines.cli import main

HERE = Path(__file__).resolve().parent
MONDAY = "2026-11-30"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(tmp_path, monkeypatch):
    """An office folder made by `deadlines init`, with the office's plan and unit registry in it;
    the current folder is the office folder, and DEADLINES_RULES is unset."""
    monkeypatch.delenv("DEADLINES_RULES", raising=False)
    monkeypatch.delenv("DEADLINES_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    shutil.copy(HERE / "office" / "heping-2026.yaml", tmp_path / "rules")
    shutil.copy(HERE / "office" / "units.yaml", tmp_path / "rules")
    return tmp_path


# -- 1. a rules folder of one's own -------------------------------------------------------------


def test_init_makes_a_rules_folder_with_an_empty_registry_calendars_and_a_readme(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "政务公开")
    assert code == 0 and "已新建规则目录 政务公开" in out
    folder = tmp_path / "政务公开"
    assert (folder / "calendars").is_dir()
    assert "units.yaml" in (folder / "README.md").read_text(encoding="utf-8")
    from deadlines.units import UnitRegistry

    assert UnitRegistry.load(folder / "units.yaml").entries == {}
    (folder / "units.yaml").write_text("和平县:\n  和平县财政局:\n", encoding="utf-8")
    code, out, _ = run(capsys, "init", "政务公开")  # a second init changes nothing
    assert code == 0 and "已是规则目录" in out
    assert (folder / "units.yaml").read_text(encoding="utf-8") == "和平县:\n  和平县财政局:\n"


def test_a_file_in_the_way_of_init_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "init")
    assert code == 2 and err.count("\n") == 1 and "不是文件夹" in err


def test_the_rules_folder_is_found_from_a_folder_below_it_as_git_finds_its_repository(office, monkeypatch, capsys):
    below = office / "rules" / "calendars"
    monkeypatch.chdir(below)
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县财政局", "--json")
    assert code == 0 and {r["plan"] for r in json.loads(out)} == {"heping-2026"}
    monkeypatch.chdir(office)
    code, out, _ = run(capsys, "list", "--json")
    assert {r["plan"] for r in json.loads(out)} == {"heping-2026"}


def test_deadlines_rules_points_elsewhere_and_rules_wins_over_it(office, tmp_path_factory, monkeypatch, capsys):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("DEADLINES_CEILING_DIRECTORIES", str(elsewhere.parent))
    code, _, err = run(capsys, "due", "--today", MONDAY)
    assert code == 2 and "找不到规则目录" in err and "deadlines init" in err and err.count("\n") == 1
    monkeypatch.setenv("DEADLINES_RULES", str(office / "rules"))
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and {r["plan"] for r in json.loads(out)} == {"heping-2026"}
    bundled = HERE.parent / "rules"
    code, out, _ = run(capsys, "list", "--json", "--rules", str(bundled))
    assert "heping-2026" not in {r["plan"] for r in json.loads(out)}


def test_a_unit_of_ones_own_folder_is_not_ambiguous_with_the_bundled_plans(office, capsys):
    code, out, err = run(capsys, "due", "--today", MONDAY, "--unit", "县财政局")
    assert code == 0, err
    assert "和平县财政局" in out and "柞水县" not in out and "2013" not in out


def test_due_says_which_years_the_plans_cover_when_none_covers_the_dates(office, capsys):
    code, out, _ = run(capsys, "due", "--today", "2030-03-04", "--next-week")
    assert code == 0
    assert "没有计划涵盖 2030-03-11 至 2030-03-17：现有计划涵盖 2026 年" in out


def test_due_in_a_new_folder_says_there_is_no_plan_yet(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["init"])
    capsys.readouterr()
    code, out, _ = run(capsys, "due", "--today", MONDAY)
    assert code == 0 and "还没有计划" in out and "deadlines import" in out


# -- 2. today's view ------------------------------------------------------------------------------


def _sections(out: str) -> dict[str, str]:
    parts = out.split("\n【")[1:]
    return {p.split("】", 1)[0].split(" ")[0]: p for p in parts}


def test_due_on_monday_shows_thursday_of_this_week(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY)
    assert code == 0
    parts = _sections(out)
    assert list(parts) == ["逾期未完成", "本周", "下周"]
    assert "2026-12-03（周四）" in parts["本周"] and "更新政府信息公开指南" in parts["本周"]
    assert "2026-12-09（周三）" in parts["下周"] and "报送政务公开工作年度报告" in parts["下周"]


def test_a_missed_occurrence_stays_in_due_until_it_is_done(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY)
    overdue = _sections(out)["逾期未完成"]
    assert "2026-10-20（周二）已逾期41天  发布季度统计数据" in overdue
    run(capsys, "done", "hp2026-4", "--period", "2026-Q3", "--on", "2026-11-30")
    code, out, _ = run(capsys, "due", "--today", MONDAY)
    assert "2026-10-20" not in _sections(out)["逾期未完成"]
    assert "2026-07-20（周一）已逾期133天" in _sections(out)["逾期未完成"]


def test_the_today_view_as_json_lists_overdue_this_week_and_next_week(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--json")
    rows = [r for r in json.loads(out) if r["due"]]
    assert {r["status"] for r in rows if r["due"] < MONDAY} == {"overdue"}
    assert max(r["due"] for r in rows) <= "2026-12-13"
    assert "2026-12-03" in {r["due"] for r in rows}


# -- 3. periods before the plan existed ----------------------------------------------------------


def test_months_before_the_plan_was_issued_on_04_15_are_not_overdue(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县财政局", "--json")
    status = {r["due"]: r["status"] for r in json.loads(out) if r["due"]}
    assert "2026-01-15" not in status  # not in today's view: nothing is overdue before the plan existed
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--from", "2026-01-01", "--to", "2026-04-30",
                       "--unit", "县财政局")
    assert "2026-01-15（周四）印发前（不计逾期）" in out and "2026-03-15（周日）印发前" in out
    assert "2026-04-15（周三）已逾期229天" in out  # the issue day itself is the plan's


def test_the_completion_rate_leaves_out_the_periods_before_the_plan(office, capsys):
    run(capsys, "done", "hp2026-1", "--period", "2026-05", "--on", "2026-05-10")
    code, out, _ = run(capsys, "report", "--as-of", MONDAY, "--unit", "县财政局", "--json")
    row = json.loads(out)["units"][0]
    assert (row["done"], row["overdue"]) == (1, 7)  # April, June … November; not January – March


def test_a_rules_file_may_count_the_periods_before_the_plan(office, capsys):
    path = office / "rules" / "heping-2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2026\n", "year: 2026\npolicy:\n  count_before_issue: true\n"),
                    encoding="utf-8")
    code, out, _ = run(capsys, "report", "--as-of", MONDAY, "--unit", "县财政局", "--json")
    assert json.loads(out)["units"][0]["overdue"] == 11


# -- 4. group tasks reach their members ----------------------------------------------------------


def test_a_task_for_the_county_departments_is_in_the_statistics_bureaus_due(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县统计局")
    assert code == 0
    assert "更新政府信息公开指南（hp2026-5，责任，来自和平县政府各部门）" in _sections(out)["本周"]
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县统计局", "--json")
    rows = [r for r in json.loads(out) if r["obligation"] == "hp2026-5"]
    assert [(r["via"], r["units"]["responsible"]) for r in rows] == [("和平县政府各部门", ["和平县统计局"])]


def test_every_unit_of_the_place_except_those_named_is_a_member(office, capsys):
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县财政局", "--json")
    assert "hp2026-5" in {r["obligation"] for r in json.loads(out)}
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "县政府办公室", "--json")
    assert [r["via"] for r in json.loads(out) if r["obligation"] == "hp2026-5"] == [None]  # its own task, as lead
    code, out, _ = run(capsys, "due", "--today", MONDAY, "--unit", "城关镇", "--json")
    assert [r["via"] for r in json.loads(out)] == ["和平县各镇人民政府"]  # a listed member, not a department


def test_a_task_for_the_county_departments_is_in_the_statistics_bureaus_feed(office, capsys):
    code, _, err = run(capsys, "build", "--out", "site", "--today", MONDAY)
    assert code == 0, err
    index = json.loads((office / "site" / "feeds" / "index.json").read_text(encoding="utf-8"))
    feed = (office / "site" / index["units"]["和平县统计局"]["file"]).read_text(encoding="utf-8")
    assert "SUMMARY:更新政府信息公开指南" in feed and "来自集体单位：和平县政府各部门" in feed.replace("\r\n ", "").replace("\n ", "")
    group = (office / "site" / index["units"]["和平县政府各部门"]["file"]).read_text(encoding="utf-8")
    assert "SUMMARY:更新政府信息公开指南" in group  # the group's own feed stays
    everything = (office / "site" / "feeds" / "all.ics").read_text(encoding="utf-8")
    assert everything.count("SUMMARY:更新政府信息公开指南") == 1
    code, out, _ = run(capsys, "lint", *[str(office / "site" / u["file"]) for u in index["units"].values()])
    assert code == 0, out


def test_a_members_done_mark_and_the_groups_are_distinct_and_both_in_the_ledger(office, capsys):
    code, out, err = run(capsys, "done", "hp2026-5", "--unit", "县统计局", "--on", "2026-12-01", "--by", "李明")
    assert code == 0 and "已完成（和平县统计局）" in out, err
    code, out, _ = run(capsys, "report", "--as-of", "2026-12-04", "--json")
    rows = {r["unit"]: r for r in json.loads(out)["units"]}
    assert (rows["和平县统计局"]["done"], rows["和平县财政局"]["overdue"] >= 1) == (1, True)
    assert rows["和平县政府各部门"]["done"] == 0 and rows["和平县政府各部门"]["overdue"] == 1
    code, out, _ = run(capsys, "done", "hp2026-5", "--on", "2026-12-02")  # the task itself (the group's)
    code, out, _ = run(capsys, "report", "--as-of", "2026-12-04", "--json")
    rows = {r["unit"]: r for r in json.loads(out)["units"]}
    assert rows["和平县政府各部门"]["done"] == 1 and rows["和平县统计局"]["done"] == 1
    assert rows["和平县财政局"]["overdue_items"][-1]["obligation"] == "hp2026-5"  # still the 财政局's to do
    code, out, _ = run(capsys, "history", "hp2026-5")
    assert "标记完成  （和平县统计局）  hp2026-5/0/fixed  2026-12-01  经办：李明" in out


def test_done_for_a_unit_that_is_no_member_is_one_line(office, capsys):
    code, _, err = run(capsys, "done", "hp2026-5", "--unit", "城关镇", "--on", "2026-12-01")
    assert code == 2 and "不是 hp2026-5" in err and err.count("\n") == 1


# -- 5. done means what people mean ------------------------------------------------------------


def test_done_without_period_picks_q3_for_10_22(office, capsys):
    code, out, err = run(capsys, "done", "hp2026-4", "--on", "2026-10-22")
    assert code == 0, err
    assert "hp2026-4/0/2026-Q3（2026-10-20（周二）到期）" in out and "逾期2天" in out


def test_done_between_two_equally_near_periods_asks_for_period_and_lists_them(office, capsys):
    code, out, err = run(capsys, "done", "hp2026-1", "--on", "2026-09-30")
    assert code == 2 and not out
    assert "hp2026-1/0/2026-09（2026-09-15到期）、hp2026-1/0/2026-10（2026-10-15到期）" in err
    assert "--period" in err and err.count("\n") == 1


def test_done_on_defaults_to_today_and_by_to_the_login_name(office, capsys, monkeypatch):
    import deadlines.cli as cli

    monkeypatch.setattr(cli, "_today", lambda: __import__("datetime").date(2026, 11, 30))
    monkeypatch.setattr(cli, "_login", lambda: "zhangsan")
    code, out, err = run(capsys, "done", "hp2026-4")
    assert code == 0, err
    assert "hp2026-4/0/2026-Q3（2026-10-20（周二）到期）" in out and "完成于 2026-11-30" in out
    code, out, _ = run(capsys, "history", "hp2026-4", "--json")
    assert [(r["by"], r["on"]) for r in json.loads(out)] == [("zhangsan", "2026-11-30")]


# -- 6. dates as people type them; Beijing time ----------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-10-22", "2026/10/22", "2026.10.22", "2026年10月22日", "１０月２２日", "10月22日"])
def test_done_on_a_date_as_people_type_it(office, capsys, monkeypatch, typed):
    import deadlines.cli as cli

    monkeypatch.setattr(cli, "_today", lambda: __import__("datetime").date(2026, 11, 30))  # 10月22日: this year
    code, out, err = run(capsys, "done", "hp2026-4", "--on", typed)
    assert code == 0, err
    assert "hp2026-4/0/2026-Q3" in out and "完成于 2026-10-22" in out


@pytest.mark.parametrize("typed, why", [
    ("2026-02-30", "（2026年2月没有30日）"),
    ("2026/13/1", "（没有13月）"),
    ("上周五", "可写 2015-07-08、2015/07/08、2015.7.8、2015年7月8日 或 7月8日"),
])
def test_a_bad_date_is_one_line_without_pythons_words(office, capsys, typed, why):
    for args in (["done", "hp2026-4", "--on", typed], ["due", "--today", typed], ["report", "--as-of", typed]):
        code, out, err = run(capsys, *args)
        assert code == 2 and err.count("\n") == 1 and f"不是日期：'{typed}'" in err and why in err, err
        assert "must be" not in err and "day is out of range" not in err and "Invalid isoformat" not in err


def test_a_time_typed_after_a_chinese_date(office, capsys):
    code, out, err = run(capsys, "parse", "审批后24小时内", "--year", "2026", "--trigger", "2026年9月2日10:00", "--json")
    assert code == 0, err
    assert json.loads(out)["due"] == ["2026-09-03T10:00"]


def test_changes_are_recorded_in_beijing_time_on_a_utc_machine(office, capsys, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        run(capsys, "done", "hp2026-4", "--on", "2026-10-22")
        code, out, _ = run(capsys, "history", "hp2026-4", "--json")
        (row,) = json.loads(out)
        assert row["recorded"].endswith("+08:00")
    finally:
        monkeypatch.undo()
        time.tzset()


# -- 7. a server on the office network ---------------------------------------------------------


def test_serve_on_every_address_gives_links_another_computer_can_use(office):
    """`deadlines serve --host 0.0.0.0` without --base-url: the page's subscription links name the
    host the browser asked for (its Host header; without one, the address it reached)."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "deadlines", "serve", "--host", "0.0.0.0", "--port", str(port),
                             "--today", MONDAY], cwd=office, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def page(headers: dict) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.putrequest("GET", "/", skip_host=True)
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        return conn.getresponse().read()

    try:
        for _ in range(150):  # bounded wait for the first build
            try:
                first = page({"Host": "192.168.1.20:" + str(port)})
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        assert f"webcal://192.168.1.20:{port}/feeds/".encode() in first
        assert b"0.0.0.0" not in first and b"request-host" not in first
        assert f"webcal://zhengwu.heping.local:{port}/feeds/".encode() in page({"Host": f"zhengwu.heping.local:{port}"})
        no_host = page({})
        assert f"webcal://127.0.0.1:{port}/feeds/".encode() in no_host
        assert b"<script" not in page({"Host": "<script>x</script>"})
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- 10. small ones ---------------------------------------------------------------------------------


@pytest.mark.parametrize("env, coloured", [({}, True), ({"TERM": "dumb"}, False), ({"NO_COLOR": "1"}, False)])
def test_term_dumb_and_no_color_get_no_colour(office, monkeypatch, env, coloured):
    from click.testing import CliRunner

    from deadlines.cli import cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(cli, ["due", "--today", MONDAY], color=True)  # as on a terminal
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is coloured


def test_a_unit_name_with_a_trailing_space_is_found(office, capsys):
    code, out, err = run(capsys, "due", "--today", MONDAY, "--unit", "县统计局 ", "--json")
    assert code == 0, err
    assert {r["obligation"] for r in json.loads(out)} == {"hp2026-4", "hp2026-5"}
    code, out, err = run(capsys, "report", "--as-of", MONDAY, "--unit", " 县统计局\u3000", "--json")
    assert code == 0, err


def test_check_names_the_unknown_field(office, capsys):
    units = office / "rules" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("    aliases: [县财政局]", "    alias: [县财政局]"),
                     encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1 and "units.yaml:3: invalid: 和平县.和平县财政局.alias: 未知字段" in out


def test_lint_of_a_readme_says_not_an_icalendar_file_in_one_line(office, capsys):
    (office / "README.md").write_text("# 说明\n\n" + "一行\n" * 90, encoding="utf-8")
    code, out, _ = run(capsys, "lint", "README.md")
    assert code == 1 and out == "README.md:1: 不是 iCalendar 文件（开头不是 BEGIN:VCALENDAR）\n"


def test_list_takes_plan_and_gives_each_obligation_its_source_document(capsys):
    code, out, _ = run(capsys, "list", "--rules", str(HERE.parent / "rules"), "--plan", "zhashui-2015", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["plan"] for r in rows} == {"zhashui-2015"}
    assert {r["source"]["document"] for r in rows} == {"柞水县2015年政府信息公开工作要点分解细化方案"}
    code, _, err = run(capsys, "list", "--rules", str(HERE.parent / "rules"), "--plan", "nope")
    assert code == 2 and "计划“nope”不存在" in err


def test_the_readme_says_how_to_run_deadlines_after_make_run():
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/deadlines" in readme and ". .venv/bin/activate" in readme


def test_a_task_for_the_county_departments_reminds_the_statistics_bureau(office, capsys):
    (office / "rules" / "contacts.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 2525, from: duban@example.gov.cn}\n"
        "units:\n  县统计局:\n    email: tjj@example.gov.cn\n", encoding="utf-8")
    code, out, err = run(capsys, "remind", "--today", MONDAY, "--dry-run")
    assert code == 0, err
    part = out.split("=== 和平县统计局", 1)[1]
    assert "更新政府信息公开指南" in part
    run(capsys, "done", "hp2026-5", "--unit", "县统计局", "--on", MONDAY)
    code, out, err = run(capsys, "remind", "--today", MONDAY, "--dry-run")
    assert "更新政府信息公开指南" not in out.split("=== 和平县统计局", 1)[1]


def test_a_store_made_before_who_was_kept_still_reads_and_then_keeps_who(office, capsys):
    """Schema 3 (no recorded_by, no unit): history reads it as it is; the next change brings it up to date."""
    import sqlite3

    from deadlines.triggers import APPLICATION_ID, SCHEMA_VERSION

    db = office / ".deadlines" / "state.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.executescript(f"""
            CREATE TABLE changes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL,
                obligation TEXT, name TEXT NOT NULL DEFAULT '', on_day TEXT, period TEXT,
                cancels INTEGER REFERENCES changes(id), note TEXT NOT NULL DEFAULT '');
            INSERT INTO changes (at, action, obligation, on_day, period)
                VALUES ('2026-07-21T09:00:00+08:00', 'done', 'hp2026-4', '2026-07-21', '0/2026-Q2');
            PRAGMA application_id = {APPLICATION_ID};
            PRAGMA user_version = 3;
        """)
    code, out, err = run(capsys, "history", "hp2026-4")
    assert code == 0 and "#1  2026-07-21T09:00:00+08:00  标记完成  hp2026-4/0/2026-Q2" in out, err
    code, out, err = run(capsys, "done", "hp2026-4", "--period", "2026-Q2", "--on", "2026-07-22")
    assert code == 2 and "已于 2026-07-21 标记完成" in err  # one completion per occurrence, as before
    code, out, err = run(capsys, "done", "hp2026-4", "--on", "2026-10-22", "--by", "李明")
    assert code == 0, err
    code, out, _ = run(capsys, "history", "hp2026-4", "--json")
    assert [(r["id"], r["by"]) for r in json.loads(out)] == [(1, ""), (2, "李明")]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_done_takes_the_uid_a_calendar_shows(office, capsys):
    # the UID of the Q3 event of hp2026-4, pasted from a subscribed calendar
    code, out, err = run(capsys, "done", "hp2026-4.0.2026-Q3@deadlines", "--on", "2026-10-22")
    assert code == 0 and "hp2026-4/0/2026-Q3" in out, err
    code, _, err = run(capsys, "done", "hp2026-4.0.2031-Q3@deadlines", "--on", "2026-10-22")
    assert code == 2 and err.count("\n") == 1
