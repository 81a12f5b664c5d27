"""`deadlines holidays import|show|status`: the year's file, and a year made official everywhere."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import icalendar
import pytest

from deadlines.cli import main
from deadlines.workdays import WorkCalendar

NOTICES = Path(__file__).parent / "notices"


@pytest.fixture
def rules(tmp_path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    return folder


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def notice(tmp_path: Path, name: str, text: str | None = None) -> Path:
    path = tmp_path / name
    if text is None:
        shutil.copy(NOTICES / name, path)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def calendar_of(rules: Path) -> WorkCalendar:
    return WorkCalendar(override_dirs=[rules / "calendars"])


def days_of_year(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


# --------------------------------------------------------------------------
# import


def test_import_writes_the_years_file_and_the_calendar_follows_it(tmp_path, rules, capsys):
    code, out, err = run(capsys, "holidays", "import", notice(tmp_path, "2026.txt"), "--rules", rules)
    assert code == 0, err
    path = rules / "calendars" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    assert "notice: 国办发明电〔2025〕7号" in text and "whole_year: true" in text and "source: 2026.txt" in text
    assert "# 二、春节:2月15日(农历腊月二十八、周日)至23日" in text  # the item, above its entry, for the reviewer
    assert "已写入" in out and " 1* 2* 3*" in out and " 4+" in out  # the small calendar of what was read
    cal = calendar_of(rules)
    assert cal.source_of(2026).notice == "国办发明电〔2025〕7号"
    for d in days_of_year(2026):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
    # the same notice again: nothing to do
    code, out, _ = run(capsys, "holidays", "import", tmp_path / "2026.txt", "--rules", rules)
    assert code == 0 and "无变化" in out and path.read_text(encoding="utf-8") == text


def test_the_json_contract_and_dry_run(tmp_path, rules, capsys):
    code, out, _ = run(capsys, "holidays", "import", notice(tmp_path, "2019.txt"), "--rules", rules,
                       "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["year", "document_number", "issued", "rest_days", "working_days"]
    assert data["year"] == 2019 and data["document_number"] == "国办发明电〔2018〕15号"
    assert data["issued"] == "2018-12-04"
    assert data["rest_days"][:2] == ["2018-12-31", "2019-01-01"] and data["working_days"][0] == "2018-12-29"
    assert not (rules / "calendars").exists()  # --dry-run writes nothing


def test_an_existing_file_is_never_replaced_silently(tmp_path, rules, capsys):
    assert run(capsys, "holidays", "import", notice(tmp_path, "2026.txt"), "--rules", rules)[0] == 0
    path = rules / "calendars" / "2026.yaml"
    reviewed = path.read_text(encoding="utf-8").replace("name: 端午节}", "name: 端午节}  # 已核对")
    path.write_text(reviewed, encoding="utf-8")
    code, _, err = run(capsys, "holidays", "import", tmp_path / "2026.txt", "--rules", rules)
    assert code == 2 and err.count("\n") == 1 and str(path) in err and "--force" in err
    assert path.read_text(encoding="utf-8") == reviewed
    code, out, _ = run(capsys, "holidays", "import", tmp_path / "2026.txt", "--rules", rules, "--force")
    assert code == 0 and "已替换" in out and "已核对" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2015, 2019, 2020])
def test_a_supplement_is_merged_into_the_years_file(tmp_path, rules, capsys, year):
    assert run(capsys, "holidays", "import", notice(tmp_path, f"{year}.txt"), "--rules", rules)[0] == 0
    code, out, _ = run(capsys, "holidays", "import", notice(tmp_path, f"{year}.supplement.txt"), "--rules", rules,
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["year", "document_number", "issued", "rest_days", "working_days", "removes"]
    assert list(data["removes"]) == ["rest_days", "working_days"]
    if year == 2020:
        assert (data["rest_days"], data["working_days"]) == (["2020-01-31"], [])
        assert data["removes"] == {"rest_days": [], "working_days": ["2020-02-01"]}
    text = (rules / "calendars" / f"{year}.yaml").read_text(encoding="utf-8")
    assert "amended_by:" in text
    # the notice and its supplement: exactly the year chinese-calendar keeps (which has the supplement)
    cal = calendar_of(rules)
    for d in days_of_year(year):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
    # merged once only
    code, out, _ = run(capsys, "holidays", "import", tmp_path / f"{year}.supplement.txt", "--rules", rules)
    assert code == 0 and "已包含" in out


# A made-up supplement (not a real notice) for a year chinese-calendar covers.
MADE_UP_2026_CHANGE = """\
国务院办公厅关于调整2026年劳动节假期安排的通知
国办发明电〔2026〕90号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将调整2026年劳动节放假安排通知如下。
一、2026年5月1日（周五）至6日（周三）放假调休，共6天。4月26日（周日）、5月9日（周六）上班。
二、各地区、各部门要抓紧做好劳动节假期调整落实工作。
国务院办公厅
2026年3月20日
"""


def test_a_supplement_over_package_data_is_written_as_corrections(tmp_path, rules, capsys):
    path = notice(tmp_path, "change.txt", MADE_UP_2026_CHANGE)
    code, out, _ = run(capsys, "holidays", "import", path, "--rules", rules, "--json")
    assert code == 0
    assert json.loads(out)["rest_days"] == ["2026-05-06"] and json.loads(out)["working_days"] == ["2026-04-26"]
    text = (rules / "calendars" / "2026.yaml").read_text(encoding="utf-8")
    assert "whole_year: false" in text
    cal = calendar_of(rules)
    assert not cal.is_workday(date(2026, 5, 6)) and cal.is_workday(date(2026, 4, 26))
    assert cal.is_workday(date(2026, 5, 9)) and not cal.is_workday(date(2026, 10, 1))  # the rest: the package's


def test_a_supplement_for_a_year_without_data_is_refused(tmp_path, rules, capsys):
    text = MADE_UP_2026_CHANGE.replace("2026年", "2031年").replace("（周五）", "").replace("（周三）", "") \
        .replace("（周日）", "").replace("（周六）", "").replace("4月26日", "4月27日").replace("5月9日", "5月10日")
    code, _, err = run(capsys, "holidays", "import", notice(tmp_path, "change.txt", text), "--rules", rules)
    assert code == 2 and "先导入2031年的通知" in err
    assert not (rules / "calendars").exists()


def test_a_notice_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, rules, capsys):
    code, out, err = run(capsys, "holidays", "import", notice(tmp_path, "2017.alt-damaged.txt"), "--rules", rules)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"deadlines: {tmp_path / '2017.alt-damaged.txt'}:20: ") and "0月1日" in err
    code, _, err = run(capsys, "holidays", "import", notice(tmp_path, "2009.txt"), "--rules", rules)
    assert code == 2 and "截断" in err and not (rules / "calendars").exists()


def test_a_saved_web_page_keeps_its_address(tmp_path, rules, capsys):
    body = "".join(f"<p>{line}</p>" for line in (NOTICES / "2026.txt").read_text(encoding="utf-8").splitlines()[2:])
    page = ('<html><head><meta charset="gbk"><link rel="canonical" href="https://www.gov.cn/zhengce/2026.htm">'
            f"</head><body>{body}</body></html>")
    path = tmp_path / "2026.html"
    path.write_bytes(page.encode("gb18030"))
    assert run(capsys, "holidays", "import", path, "--rules", rules)[0] == 0
    text = (rules / "calendars" / "2026.yaml").read_text(encoding="utf-8")
    assert "url: https://www.gov.cn/zhengce/2026.htm" in text and "source: 2026.html" in text


# --------------------------------------------------------------------------
# show and status


def test_show_draws_the_year_with_its_source(rules, capsys):
    code, out, _ = run(capsys, "holidays", "show", "2016", "--rules", rules)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].strip() == "2016年"
    # 春节 2016: 2月7日至13日 放假, 2月6日（六）and 2月14日（日）上班
    february = [line[24:45] for line in lines if len(line) > 24]
    assert " 1  2  3  4  5  6+ 7*" in february and " 8* 9*10*11*12*13*14+" in february
    assert "春节：2月7日至2月13日放假，共7天；2月6日（星期六）、2月14日（星期日）上班" in lines
    assert "来源：chinese-calendar 1.11.0 软件包数据" in lines
    code, out, _ = run(capsys, "holidays", "show", "2027", "--rules", rules)
    assert code == 0 and "尚无官方数据" in out and "*" not in out.split("* 放假")[0]


PLAN_2027 = """\
title: 某市2027年政务公开工作要点分工方案
year: 2027
issued: 2026-12-20
obligations:
  - id: y27-1
    title: 公开上月财政收支情况
    units: {lead: [市财政局]}
    due: 每月结束后5个工作日内
  - id: y27-2
    title: 发布春节期间值班安排
    units: {lead: [市府办公室]}
    due: 2027年2月4日前
"""


def _statuses(capsys, rules) -> dict[str, tuple[str, str]]:
    code, out, err = run(capsys, "due", "--rules", rules, "--from", "2027-01-01", "--to", "2027-12-31",
                         "--today", "2026-12-31", "--json")
    assert code == 0, err
    return {f"{row['obligation']} {row['period']}": (row["due"], row["status"]) for row in json.loads(out)}


def _feed(site: Path) -> dict[str, icalendar.cal.Component]:
    cal = icalendar.Calendar.from_ical((site / "feeds" / "all.ics").read_bytes())
    return {str(c["UID"]): c for c in cal.walk("VEVENT")}


def test_a_2027_notice_makes_2027_official_in_due_feeds_check_and_status(tmp_path, rules, capsys):
    """2027 has no data in chinese-calendar 1.11.0: until its notice is imported every 2027
    date is provisional; after it, none is.  The notice here is a made-up fixture in the
    notice's exact style (tests/notices/2027.made-up.txt), not the real one."""
    (rules / "plan.yaml").write_text(PLAN_2027, encoding="utf-8")
    site = tmp_path / "site"

    before = _statuses(capsys, rules)
    assert {status for _, status in before.values()} == {"provisional"}
    assert before["y27-1 2027-01"] == ("2027-02-05", "provisional")  # weekends only
    assert run(capsys, "build", "--rules", rules, "--out", site, "--today", "2026-12-31")[0] == 0
    feed_before = _feed(site)
    assert all(str(e.get("STATUS")) == "TENTATIVE" for e in feed_before.values())
    code, out, _ = run(capsys, "check", "--rules", rules)
    assert code == 1 and "provisional" in out and "2027年" in out
    code, out, err = run(capsys, "holidays", "status", "--rules", rules, "--json")
    row = next(r for r in json.loads(out) if r["year"] == 2027)
    assert row["source"] == "provisional" and row["reached_by"] == ["plan"] and "2027年尚无官方节假日数据" in err

    code, out, err = run(capsys, "holidays", "import", notice(tmp_path, "2027.made-up.txt"), "--rules", rules)
    assert code == 0, err

    after = _statuses(capsys, rules)
    assert set(after) == set(before)
    assert {status for _, status in after.values()} == {"scheduled"}
    # 1月31日 is a 调休 working Sunday, 2月5日–12日 the 春节 rest days: the fifth working day is 2月15日
    assert after["y27-1 2027-01"] == ("2027-02-15", "scheduled")
    assert after["y27-2 fixed"] == ("2027-02-04", "scheduled")
    assert run(capsys, "build", "--rules", rules, "--out", site, "--today", "2026-12-31")[0] == 0
    feed_after = _feed(site)
    assert set(feed_after) == set(feed_before)
    for uid, event in feed_after.items():
        if event.decoded("DTSTART").year == 2027:
            assert "STATUS" not in event or str(event["STATUS"]) != "TENTATIVE", uid
            assert int(event["SEQUENCE"]) == int(feed_before[uid].get("SEQUENCE", 0)) + 1, uid  # updated in place
        else:  # December's report falls due in January 2028, which still has no data
            assert str(event["STATUS"]) == "TENTATIVE" and event["SEQUENCE"] == feed_before[uid]["SEQUENCE"], uid
    moved = [e for e in feed_after.values() if e.decoded("DTSTART") == date(2027, 2, 15)]
    assert len(moved) == 1 and "公开上月财政收支情况" in str(moved[0]["SUMMARY"])
    assert feed_before[str(moved[0]["UID"])].decoded("DTSTART") == date(2027, 2, 5)
    code, out, _ = run(capsys, "check", "--rules", rules)
    assert code == 1 and "2027年" not in out and "用到2028年" in out
    code, out, err = run(capsys, "holidays", "status", "--rules", rules)
    assert code == 0 and "2027年" not in err and "2028年尚无官方节假日数据" in err
    line = next(x for x in out.splitlines() if x.startswith("2027"))
    assert "通知" in line and "国办发明电〔2026〕99号" in line and "rules/calendars/2027.yaml" in line


def test_a_yearly_notice_replaces_the_package_days_of_its_year_only(tmp_path, rules, capsys):
    # 2019.txt as first published: 劳动节 only 5月1日 (the package has the later 5月1日至4日).
    assert run(capsys, "holidays", "import", notice(tmp_path, "2019.txt"), "--rules", rules)[0] == 0
    # 2018.txt: its year ends before 2019's 元旦, which starts on 2018-12-29 (a working Saturday).
    assert run(capsys, "holidays", "import", notice(tmp_path, "2018.txt"), "--rules", rules)[0] == 0
    cal = calendar_of(rules)
    assert cal.is_workday(date(2019, 5, 2)) and cal.is_workday(date(2019, 5, 3))  # the notice wins
    assert cal.overridden[date(2019, 5, 2)].source == "2019.txt"  # and says where it comes from
    assert not cal.is_workday(date(2019, 4, 28))  # a Sunday again: no 调休 in the notice
    assert cal.is_workday(date(2018, 12, 29)) and not cal.is_workday(date(2018, 12, 31))  # 2019's 元旦, kept
    for d in days_of_year(2018):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
    assert sorted(n.source for n in cal.notices.values() if n.source) == ["2018.txt", "2019.txt"]
