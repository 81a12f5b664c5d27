"""`deadlines remind`: what each unit is told, through which robot, exactly once.

Every robot message goes to a local HTTP server that checks it as the
vendor does (tests/receivers.py): the JSON shape, the size limit, the
signature and its timestamp window; it answers as the vendor answers,
including "too fast" and "sign not match".
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.cli import main
from receivers import BAD_SIGNATURE, RATE_LIMITED, RobotServer, dingtalk_sign, feishu_sign

PLAN = """
title: 中山市2015年政务公开工作要点分工方案（测试）
year: 2015
issued: 2015-03-01
obligations:
  - id: t-1
    title: 公开财政预算
    units: {lead: 市财政局}
    due: 2015年7月10日前
  - id: t-2
    title: 公开环境质量信息
    units: {lead: 市环境保护局, cooperating: 市财政局}
    due: 2015年7月3日前
  - id: t-3
    title: 审批结果公开
    units: {responsible: 市财政局}
    due: 审批或核准后两个工作日内
  - id: t-4
    title: 公开年度报告
    units: {lead: 市财政局}
    due: 2015年7月20日前
    remind: 提前10个工作日提醒
  - id: t-5
    title: 年底总结
    units: {lead: 市财政局}
    due: 2015年12月底前
"""

ROBOTS = """
site: https://example.org/deadlines/
units:
  市财政局:
    wecom: {webhook_env: T_WECOM}
    dingtalk: {webhook_env: T_DING, secret_env: T_DING_SECRET}
    feishu: {webhook_env: T_FEISHU, secret_env: T_FEISHU_SECRET}
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "plan.yaml").write_text(textwrap.dedent(PLAN).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def robots(folder, monkeypatch):
    """The three robots on a local server, their addresses and secrets in the environment."""
    (folder / "rules" / "contacts.yaml").write_text(ROBOTS, encoding="utf-8")
    with RobotServer(secrets={"dingtalk": "SECding", "feishu": "feishu-secret"}) as server:
        hooks = server.webhooks()
        monkeypatch.setenv("T_WECOM", hooks["wecom"])
        monkeypatch.setenv("T_DING", hooks["dingtalk"])
        monkeypatch.setenv("T_DING_SECRET", "SECding")
        monkeypatch.setenv("T_FEISHU", hooks["feishu"])
        monkeypatch.setenv("T_FEISHU_SECRET", "feishu-secret")
        yield server


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """Rate-limit waits and pacing are recorded, not slept."""
    import deadlines.remind.robot as robot

    waits: list[float] = []
    monkeypatch.setattr(robot.time, "sleep", waits.append)
    return waits


def run(*args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["remind", *args])
    return code, out.getvalue(), err.getvalue()


def store_rows(folder: Path) -> list[tuple]:
    conn = sqlite3.connect(folder / ".deadlines" / "state.db")
    try:
        return conn.execute("SELECT unit, obligation, occurrence, due, kind, channel, outcome FROM reminders"
                            " ORDER BY id").fetchall()
    finally:
        conn.close()


# --------------------------------------------------------------------------
# What is reminded


def test_each_robot_gets_one_signed_digest_with_the_units_items(robots):
    code, out, err = run("--today", "2015-07-08")
    assert code == 0, out + err
    for vendor in ("wecom", "dingtalk", "feishu"):
        got = robots.of(vendor)
        assert [r.verdict for r in got] == ["ok"], vendor
    content = robots.of("wecom")[0].body["markdown"]["content"]
    # overdue (t-2, where it cooperates), due within 3 working days (t-1), within its own
    # 10 working days (t-4), waiting (t-3); nothing of t-5 (December) or of another unit
    assert "t-2，配合" in content and "已逾期5天" in content
    assert "t-1，牵头" in content and "还有2个工作日" in content
    assert "t-4，牵头" in content and "还有8个工作日" in content
    assert "t-3 审批结果公开" in content and "等待：审批或核准" in content
    assert "t-5" not in content
    assert content.index("逾期未完成") < content.index("即将到期") < content.index("等待触发")
    assert "[单位页面](https://example.org/deadlines/#shi-cai-zheng-ju)" in content
    ding = robots.of("dingtalk")[0]
    assert ding.query["sign"] == dingtalk_sign(ding.query["timestamp"], "SECding")
    fei = robots.of("feishu")[0]
    assert fei.body["sign"] == feishu_sign(fei.body["timestamp"], "feishu-secret")
    assert "市环境保护局" in out and "未配置接收方式" in out  # t-2's lead unit has no contacts


def test_the_same_day_again_sends_nothing_and_the_next_day_only_what_is_new(robots):
    assert run("--today", "2015-07-08")[0] == 0
    assert len(robots.requests) == 3
    code, out, _ = run("--today", "2015-07-08")
    assert code == 0 and len(robots.requests) == 3 and "没有新的提醒" in out
    # 07-13: t-1 is now overdue (a new kind of reminder); nothing else is new
    assert run("--today", "2015-07-13")[0] == 0
    new = robots.of("wecom")[1].body["markdown"]["content"]
    assert "t-1，牵头" in new and "已逾期3天" in new
    assert "t-2" not in new and "t-4" not in new and "t-3" not in new


def test_a_trigger_dates_a_waiting_obligation_and_its_unit_hears_of_it(robots):
    assert run("--today", "2015-07-08")[0] == 0
    assert main(["trigger", "record", "t-3", "--on", "2015-09-30"]) == 0
    assert run("--today", "2015-07-09")[0] == 0
    content = robots.of("wecom")[-1].body["markdown"]["content"]
    assert "新触发" in content and "t-3" in content and "2015-10-09" in content  # two working days after 09-30


def test_overdue_comes_again_every_n_working_days_when_asked(robots, folder):
    (folder / "rules" / "contacts.yaml").write_text(ROBOTS + "overdue_every: 2\n", encoding="utf-8")
    for day in ("2015-07-06", "2015-07-07", "2015-07-08", "2015-07-09"):
        assert run("--today", day)[0] == 0
    overdue = [r for r in store_rows(folder) if r[1] == "t-2" and r[5] == "wecom" and r[6] == "sent"]
    # t-2 fell due on Fri 07-03: 1, 2, 3, 4 working days late → rounds 0, 1, 1, 2
    assert len(overdue) == 3


def test_dry_run_prints_exactly_the_bodies_and_records_nothing(robots, folder):
    code, out, _ = run("--today", "2015-07-08", "--dry-run")
    assert code == 0 and robots.requests == []
    assert not (folder / ".deadlines" / "state.db").exists()
    assert run("--today", "2015-07-08")[0] == 0
    sent = {r.vendor: r for r in robots.requests}
    for vendor in ("wecom", "dingtalk", "feishu"):
        body = dict(sent[vendor].body)
        body.pop("timestamp", None), body.pop("sign", None)  # added when it is posted
        assert json.dumps(body, ensure_ascii=False, separators=(",", ":")) in out, vendor


# --------------------------------------------------------------------------
# Failures: reported, retried, never stopping the others


def test_a_rate_limited_robot_is_retried_after_the_wait(robots, _no_waiting):
    robots.queue["wecom"] = [RATE_LIMITED["wecom"]]
    robots.queue["feishu"] = [RATE_LIMITED["feishu"], RATE_LIMITED["feishu"]]
    code, out, _ = run("--today", "2015-07-08")
    assert code == 0, out
    assert [r.verdict for r in robots.of("wecom")] == ["queued", "ok"]
    assert [r.verdict for r in robots.of("feishu")] == ["queued", "queued", "ok"]
    assert 60.0 in _no_waiting  # the minute 企业微信 and 飞书 count their limits in


def test_dingtalk_too_fast_is_not_retried_now_but_on_the_next_run(robots):
    robots.queue["dingtalk"] = [RATE_LIMITED["dingtalk"]]
    code, out, _ = run("--today", "2015-07-08")
    assert code == 1
    assert "钉钉  失败，下次运行重发" in out and "130101" in out
    assert len(robots.of("wecom", "ok")) == 1 and len(robots.of("feishu", "ok")) == 1  # the others went out
    code, out, _ = run("--today", "2015-07-08")
    assert code == 0 and "钉钉  已发送" in out and "重发" in out
    assert len(robots.of("dingtalk")) == 2 and len(robots.of("wecom")) == 1


def test_a_wrong_secret_fails_that_robot_alone_and_a_fixed_one_resends(robots, monkeypatch):
    monkeypatch.setenv("T_FEISHU_SECRET", "not-the-secret")
    code, out, _ = run("--today", "2015-07-08")
    assert code == 1
    assert robots.of("feishu")[0].verdict == "bad-signature"
    assert len(robots.of("feishu")) == 1  # a bad signature is not retried in the same run
    assert str(BAD_SIGNATURE["feishu"]["code"]) in out
    monkeypatch.setenv("T_FEISHU_SECRET", "feishu-secret")
    assert run("--today", "2015-07-08")[0] == 0
    assert [r.verdict for r in robots.of("feishu")] == ["bad-signature", "ok"]
    assert len(robots.of("wecom")) == 1 and len(robots.of("dingtalk")) == 1


def test_a_missing_environment_variable_fails_only_its_channel(robots, monkeypatch):
    monkeypatch.delenv("T_DING")
    code, out, _ = run("--today", "2015-07-08")
    assert code == 1 and "环境变量 T_DING 未设置" in out
    assert len(robots.of("wecom")) == 1 and len(robots.of("feishu")) == 1


def test_a_server_error_is_retried_in_the_run(robots):
    robots.http_errors["wecom"] = [502]
    assert run("--today", "2015-07-08")[0] == 0
    assert [r.verdict for r in robots.of("wecom")] == ["http-error", "ok"]


def test_an_unreachable_robot_is_reported_and_the_others_go_out(robots, monkeypatch):
    from receivers import free_port

    monkeypatch.setenv("T_WECOM", f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=x")
    code, out, _ = run("--today", "2015-07-08")
    assert code == 1 and "无法连接" in out and "已尝试 3 次" in out
    assert len(robots.of("dingtalk")) == 1 and len(robots.of("feishu")) == 1


def test_a_keyword_robot_finds_its_keyword(robots, folder):
    (folder / "rules" / "contacts.yaml").write_text(
        ROBOTS.replace("secret_env: T_DING_SECRET}", "secret_env: T_DING_SECRET, keyword: 督办}"), encoding="utf-8")
    robots.keywords["dingtalk"] = "督办"
    assert run("--today", "2015-07-08")[0] == 0
    assert robots.of("dingtalk")[0].verdict == "ok"
    assert robots.of("dingtalk")[0].body["markdown"]["title"].startswith("督办 ")


# --------------------------------------------------------------------------
# Size limits: split, never cut an item in two; too long alone, shortened with the link


def _many(n: int, why_length: int = 0) -> str:
    lines = ["title: 多项计划", "year: 2015", "obligations:"]
    for i in range(n):
        lines += [f"  - id: m-{i}", f"    title: 第{i}项工作任务" + "内容" * why_length,
                  "    units: {lead: 市财政局}", "    due: 2015年7月9日前"]
    return "\n".join(lines) + "\n"


def test_a_long_digest_is_split_within_each_robots_limit(robots, folder):
    (folder / "rules" / "plan.yaml").write_text(_many(120), encoding="utf-8")
    assert run("--today", "2015-07-08")[0] == 0
    for vendor, limit in (("wecom", 4096), ("dingtalk", 20000), ("feishu", 20 * 1024)):
        parts = robots.of(vendor)
        assert len(parts) > 1 and all(r.verdict == "ok" for r in parts), vendor
        texts = [json.dumps(r.body, ensure_ascii=False) for r in parts]
        for i in range(120):  # each item in exactly one part
            assert sum(f"（m-{i}，牵头）" in t for t in texts) == 1, (vendor, i)
        assert all(f"（第{k}/{len(parts)}部分）" in t for k, t in enumerate(texts, 1)), vendor
        if vendor == "wecom":
            assert max(len(r.body["markdown"]["content"].encode()) for r in parts) <= limit
        else:
            assert max(len(r.raw) for r in parts) <= limit


def test_an_item_too_long_for_a_robot_alone_is_shortened_with_the_link(robots, folder):
    (folder / "rules" / "plan.yaml").write_text(_many(1, why_length=1500), encoding="utf-8")
    assert run("--today", "2015-07-08")[0] == 0
    content = robots.of("wecom")[0].body["markdown"]["content"]
    assert len(content.encode()) <= 4096 and "内容过长，详见单位页面" in content
    assert "[单位页面](https://example.org/deadlines/#shi-cai-zheng-ju)" in content


# --------------------------------------------------------------------------
# The store: recorded, race-free, shown in history


def test_every_reminder_is_recorded_with_unit_occurrence_kind_channel_and_outcome(robots, folder):
    robots.queue["dingtalk"] = [RATE_LIMITED["dingtalk"]]
    run("--today", "2015-07-08")
    rows = store_rows(folder)
    assert ("市财政局", "t-1", "0/fixed", "2015-07-10", "lead", "wecom", "sent") in rows
    assert ("市财政局", "t-2", "0/fixed", "2015-07-03", "overdue", "feishu", "sent") in rows
    assert ("市财政局", "t-3", "0/waiting", "", "waiting", "wecom", "sent") in rows
    assert ("市财政局", "t-1", "0/fixed", "2015-07-10", "lead", "dingtalk", "failed") in rows
    claims = [r for r in rows if r[6] == "sending"]
    assert len(claims) == 12  # 4 items × 3 channels, each claimed once and settled once
    assert len(rows) == 24


def test_history_shows_reminders_beside_triggers_and_done_marks(robots):
    robots.queue["feishu"] = [BAD_SIGNATURE["feishu"]]
    run("--today", "2015-07-08")
    assert main(["done", "t-1", "--on", "2015-07-09"]) == 0
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["history", "t-1"]) == 0
    text = out.getvalue()
    assert "提醒即将到期  市财政局  企业微信  fixed  2015-07-10  已发送" in text
    assert "飞书  fixed  2015-07-10  发送失败：code 19021" in text
    assert "标记完成" in text
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["history", "t-1", "--json"]) == 0
    rows = json.loads(out.getvalue())
    reminders = [r for r in rows if r["action"] == "remind"]
    assert {(r["channel"], r["outcome"], r["kind"]) for r in reminders} == {
        ("wecom", "sent", "lead"), ("dingtalk", "sent", "lead"), ("feishu", "failed", "lead")}
    assert "done" in [r["action"] for r in rows]
    assert [r["recorded"] for r in rows] == sorted(r["recorded"] for r in rows)  # oldest first


def test_done_occurrences_are_not_reminded(robots):
    assert main(["done", "t-1", "--on", "2015-07-07"]) == 0
    assert run("--today", "2015-07-08")[0] == 0
    assert "t-1" not in robots.of("wecom")[0].body["markdown"]["content"]


def test_the_database_refuses_a_second_claim_and_a_second_outcome(robots, folder):
    run("--today", "2015-07-08")
    conn = sqlite3.connect(folder / ".deadlines" / "state.db")
    unit, ob, occ, due, kind, channel = "市财政局", "t-1", "0/fixed", "2015-07-10", "lead", "wecom"
    with pytest.raises(sqlite3.IntegrityError, match="being sent or was sent"):
        conn.execute("INSERT INTO reminders (at, day, unit, obligation, occurrence, due, kind, round, channel,"
                     " outcome) VALUES ('2015-07-08T09:00:00+08:00', '2015-07-08', ?, ?, ?, ?, ?, 0, ?, 'sending')",
                     (unit, ob, occ, due, kind, channel))
    claim = conn.execute("SELECT id FROM reminders WHERE outcome = 'sending' LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="settled once"):
        conn.execute("INSERT INTO reminders (at, day, unit, obligation, occurrence, due, kind, round, channel,"
                     " outcome, claim) VALUES ('x', 'x', 'u', 'o', 'o', '', 'lead', 0, 'wecom', 'failed', ?)",
                     (claim,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM reminders")
    conn.close()


def test_a_claim_left_by_a_killed_run_is_sent_after_the_lease(robots, folder):
    from deadlines.reminderlog import ReminderKey
    from deadlines.triggers import Store

    key = ReminderKey("市财政局", "t-1", "0/fixed", "2015-07-10", "lead", 0, "wecom")
    now = datetime.now().astimezone()
    with Store.open(folder / ".deadlines" / "state.db") as store:
        store.claim_reminders([key], at=now, day="2015-07-08", stale_before=now)  # then the process "died"
    assert run("--today", "2015-07-08")[0] == 0
    assert "t-1" not in robots.of("wecom")[0].body["markdown"]["content"]  # still in the lease: left alone
    with Store.open(folder / ".deadlines" / "state.db") as store:
        later = now + timedelta(minutes=20)
        claimed = store.claim_reminders([key], at=later, day="2015-07-08", stale_before=later - timedelta(minutes=15))
        assert list(claimed.claims) == [key] and len(claimed.taken_over) == 1
        assert store.reminder_state()[key] == "sending"


def _racer(folder: str, port_env: dict, out: list) -> None:  # pragma: no cover - runs in a child process
    import os

    os.chdir(folder)
    os.environ.update(port_env)
    code = main(["remind", "--today", "2015-07-08"])
    out.append(code)


def test_eight_runs_at_once_send_each_message_once(robots, folder):
    import multiprocessing

    env = {k: v for k, v in __import__("os").environ.items() if k.startswith("T_")}
    manager = multiprocessing.get_context("fork").Manager()
    codes = manager.list()
    procs = [multiprocessing.get_context("fork").Process(target=_racer, args=(str(folder), env, codes))
             for _ in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert list(codes) == [0] * 8
    for vendor in ("wecom", "dingtalk", "feishu"):
        assert len(robots.of(vendor)) == 1, vendor
    rows = store_rows(folder)
    assert len([r for r in rows if r[6] == "sent"]) == 12


def test_an_old_store_is_brought_up_to_date(robots, folder):
    from deadlines.triggers import SCHEMA_VERSION, Store

    assert main(["trigger", "record", "t-3", "--on", "2015-06-01"]) == 0
    conn = sqlite3.connect(folder / ".deadlines" / "state.db")
    conn.executescript("DROP TABLE reminders; PRAGMA user_version = 2;")
    conn.close()
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["history", "t-3"]) == 0  # read-only: no table yet, no reminders, no error
    assert run("--today", "2015-07-08")[0] == 0
    with Store.open(folder / ".deadlines" / "state.db") as store:
        assert store._header()[1] == SCHEMA_VERSION == 4
        assert len(store.active_events()) == 1 and store.reminders()


# --------------------------------------------------------------------------
# The digest's text is due's text


def test_the_digest_text_is_what_due_prints_for_the_unit(folder):
    import contextlib
    import io

    from deadlines.remind.digest import Digest, Settings, select
    from deadlines.remind.send import reminder_occurrences
    from deadlines.rulesfile import load_plans
    from deadlines.workdays import WorkCalendar

    calendar = WorkCalendar(provisional=True)
    plans = load_plans("rules")
    today = date(2015, 7, 8)
    items = select(reminder_occurrences(plans, calendar=calendar, today=today), plans, today=today,
                   calendar=calendar, settings=Settings())["市财政局"]
    text = Digest("市财政局", today, tuple(items), calendar).text()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["due", "--today", "2015-07-08", "--from", "2015-07-01", "--to", "2015-07-31",
                     "--unit", "市财政局"]) == 0
    due_lines = out.getvalue().splitlines()
    for item in items:
        if item.occurrence.due is not None:
            block = Digest("市财政局", today, (item,), calendar).item_lines(item)
            start = due_lines.index(block[0])
            assert due_lines[start:start + len(block)] == block
            assert "\n".join(block) in text


def test_lead_time_precedence_obligation_unit_plan_file(folder):
    from deadlines.remind.contacts import load_contacts
    from deadlines.remind.digest import Settings, select
    from deadlines.remind.send import reminder_occurrences
    from deadlines.rulesfile import load_plans
    from deadlines.workdays import WorkCalendar

    plan = (folder / "rules" / "plan.yaml").read_text(encoding="utf-8")
    plan = plan.replace("issued: 2015-03-01\n", "issued: 2015-03-01\npolicy: {remind: 提前一周}\n")
    plan = plan.replace("提前10个工作日提醒", "提前15个工作日提醒")
    (folder / "rules" / "plan.yaml").write_text(plan, encoding="utf-8")
    calendar = WorkCalendar(provisional=True)
    plans = load_plans("rules")
    today = date(2015, 7, 3)  # Fri; t-1 due Fri 07-10: 7 days, 5 working days

    def kinds(contacts_text: str | None) -> dict:
        path = folder / "rules" / "contacts.yaml"
        if contacts_text is None:
            path.unlink(missing_ok=True)
            settings = Settings()
        else:
            path.write_text(contacts_text, encoding="utf-8")
            settings = Settings.of(load_contacts("rules", known_units={"市财政局", "市环境保护局"}))
        found = select(reminder_occurrences(plans, calendar=calendar, today=today, settings=settings), plans,
                       today=today, calendar=calendar, settings=settings)
        return {it.occurrence.obligation: it.kind for it in found["市财政局"]}

    assert kinds(None)["t-1"] == "lead"  # the plan's week reaches 07-10
    assert kinds(None)["t-4"] == "lead"  # the obligation's 15 working days reach 07-24, past the plan's week
    unit_short = "units:\n  市财政局:\n    lead: 2\n    wecom: {webhook_env: X}\n"
    assert "t-1" not in kinds(unit_short)  # the unit's 2 working days come before the plan's week
    assert kinds(unit_short)["t-4"] == "lead"  # the obligation's own lead comes first of all


@pytest.mark.parametrize("text, n, unit", [
    ("提前5个工作日提醒", 5, "workday"), ("提前一周", 1, "week"), ("3天", 3, "day"), (5, 5, "workday"),
    ("提前十个工作日", 10, "workday"), ("提前 2 个星期提醒", 2, "week"), ({"days": 7}, 7, "day"),
])
def test_lead_times_read_as_written(text, n, unit):
    from pydantic import TypeAdapter

    from deadlines.model import Lead

    lead = TypeAdapter(Lead).validate_python(text)
    assert (lead.n, lead.unit) == (n, unit)


def test_an_unreadable_lead_time_names_its_line(folder):
    plan = (folder / "rules" / "plan.yaml").read_text(encoding="utf-8")
    (folder / "rules" / "plan.yaml").write_text(plan.replace("提前10个工作日提醒", "提前一阵子"), encoding="utf-8")
    code, out, err = run("--today", "2015-07-08", "--dry-run")
    assert code == 2 and "plan.yaml:21: obligations[3].remind" in err and "提前一阵子" in err
    assert len(err.strip().splitlines()) == 1


def test_a_long_list_of_units_without_a_channel_is_cut_to_the_largest(tmp_path):
    from click.testing import CliRunner

    from deadlines.cli import cli

    result = CliRunner().invoke(cli, ["remind", "--rules", "rules", "--db", str(tmp_path / "s.db"),
                                      "--today", "2015-07-08", "--dry-run"])
    line = next(x for x in result.output.splitlines() if x.startswith("未配置接收方式"))
    assert line.count("项）") == 8 and "个单位，共" in line  # the eight with most, then how many in all
    assert line.index("成都市各区(市)县政府") < line.index("中山市环境保护局")  # most reminders first


class _SizedVendor:
    """A robot whose message size is known exactly: items are runs of "x", a section per kind."""

    NAME, MIN_INTERVAL = "sized", 0.0

    def __init__(self, limit: int):
        self.LIMIT = limit

    def item_text(self, digest, item, cut):
        return "x" * (item if cut is None else min(item, cut))

    def envelope(self, digest, blocks, label, keyword=""):
        return {"text": "".join(text for _, text in blocks), "head": "h" * (10 + 5 * len({i % 3 for i, _ in blocks}))
                + label}

    def size(self, body):
        return len(body["text"]) + len(body["head"])


@given(st.lists(st.integers(1, 60), max_size=40), st.integers(60, 400))
@settings(max_examples=300, deadline=None)
def test_each_part_takes_as_many_items_as_fit(items, limit):
    """Parts are filled in order, each as full as its limit allows: every part fits, and the
    next item would not have fitted into it."""
    from types import SimpleNamespace

    from deadlines.remind import robot

    vendor, digest = _SizedVendor(limit), SimpleNamespace(items=tuple(items))

    def fits(blocks):
        return vendor.size(vendor.envelope(digest, blocks, robot.PART_LABEL_ROOM)) <= limit

    parts = robot.parts(vendor, digest)
    assert [i for part in parts for i in part.items] == list(items)
    assert all(vendor.size(part.body) <= limit for part in parts)
    for part, after in zip(parts, parts[1:]):
        blocks = [(i, vendor.item_text(digest, i, None)) for i in part.items]
        assert not fits([*blocks, (after.items[0], vendor.item_text(digest, after.items[0], None))])
