"""`deadlines check` finds what would fail later, not only what needs a reading decided."""

from __future__ import annotations

import pytest

from deadlines.cli import main


def _check(capsys, folder) -> tuple[int, list[str]]:
    code = main(["check", "--rules", str(folder)])
    out, _ = capsys.readouterr()
    return code, out.splitlines()


def test_a_task_with_no_time_limit_at_all(tmp_path, capsys):
    (tmp_path / "p.yaml").write_text(
        "title: 方案\nyear: 2016\nobligations:\n"
        "  - {id: a, title: 甲, units: {lead: [甲局]}, due_text: 2016年6月30日前}\n"
        "  - {id: b, title: 乙, units: {lead: [甲局]}}\n",
        encoding="utf-8",
    )
    code, lines = _check(capsys, tmp_path)
    assert code == 1
    assert lines == [f"{tmp_path / 'p.yaml'}:5: b: no-limit: 没有时限：请写 due_text 或 due"]


def test_a_plan_id_used_by_two_files(tmp_path, capsys):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(
            f"id: same\ntitle: 方案\nyear: 2016\nobligations:\n"
            f"  - {{id: {name[0]}-1, title: 甲, units: {{lead: [甲局]}}, due_text: 2016年6月30日前}}\n",
            encoding="utf-8",
        )
    code, lines = _check(capsys, tmp_path)
    assert code == 1
    assert lines == [f"{tmp_path / 'b.yaml'}:1: invalid: 计划编号 'same' 与 {tmp_path / 'a.yaml'} 重复"]
    assert main(["due", "--rules", str(tmp_path), "--today", "2016-01-04"]) == 2  # what check warned of


def test_calendar_files_are_checked(tmp_path, capsys):
    (tmp_path / "p.yaml").write_text("title: 方案\nyear: 2016\nobligations: []\n", encoding="utf-8")
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    (calendars / "2031.yaml").write_text("year: 2031\nnotice: 国办发明电〔2030〕1号\nrest_days: [2031-01-01]\n",
                                         encoding="utf-8")
    (calendars / "2032.yaml").write_text("year: 2032\nrest_days: [2032-01-01]\n", encoding="utf-8")
    code, lines = _check(capsys, tmp_path)
    assert code == 1
    assert lines == [f"{calendars / '2032.yaml'}:1: invalid: notice: 缺少字段"]


def test_an_obligation_whose_dates_cannot_be_counted(tmp_path, capsys, monkeypatch):
    """Whatever the engine cannot count (here an arithmetic failure made for the test) is a finding
    on that obligation; the others are still checked."""
    import deadlines.engine as engine

    (tmp_path / "p.yaml").write_text(
        "title: 方案\nyear: 2016\nobligations:\n"
        "  - {id: a, title: 甲, units: {lead: [甲局]}, due_text: 2016年6月30日前}\n"
        "  - {id: b, title: 乙, units: {lead: [甲局]}, due: {every: month, day: 5}}\n",
        encoding="utf-8",
    )
    recurring = engine._Expander.recurring

    def failing(self, plan, rule):
        raise OverflowError("date value out of range")
        yield from recurring(self, plan, rule)

    monkeypatch.setattr(engine._Expander, "recurring", failing)
    code, lines = _check(capsys, tmp_path)
    assert code == 1
    assert lines == [f"{tmp_path / 'p.yaml'}:5: b: undatable: 无法计算它的日期："
                     "OverflowError: date value out of range"]


@pytest.mark.parametrize("text, line, what", [
    ("title: 方案\nyear: '2016'\n", 2, "year: 应为整数，不是 '2016'（去掉引号）"),
    ("title: 方案\nyear: 2016\nobligations:\n  - {id: a, title: 甲, due: {on: 9999-12-31}}\n", 4,
     "obligations[0].due.on: 日期应在 1900-01-01–2200-12-31 之间，不是 9999-12-31"),
])
def test_a_file_that_does_not_load_names_line_and_field(tmp_path, capsys, text, line, what):
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    code, lines = _check(capsys, tmp_path)
    assert code == 1 and lines == [f"{tmp_path / 'p.yaml'}:{line}: invalid: {what}"]
