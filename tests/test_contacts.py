"""contacts.yaml: read and checked like a rules file (`file:line: field: what`), secrets never in it."""

from __future__ import annotations

import textwrap

import pytest

from deadlines.cli import main
from deadlines.errors import RulesFileError
from deadlines.remind.contacts import load_contacts

KNOWN = {"中山市财政局", "中山市环境保护局"}


def load(tmp_path, text: str, registry=None):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "contacts.yaml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return load_contacts(folder, known_units=KNOWN, registry=registry)


def error(tmp_path, text: str) -> str:
    with pytest.raises(RulesFileError) as info:
        load(tmp_path, text)
    return str(info.value)


def test_a_full_file_reads(tmp_path):
    contacts = load(tmp_path, """
        site: https://example.org/deadlines/
        lead: 提前5个工作日提醒
        overdue_every: 5
        smtp:
          host: smtp.example.gov.cn
          port: 465
          security: ssl
          user_env: DEADLINES_SMTP_USER
          password_env: DEADLINES_SMTP_PASSWORD
          from: 市政府办公室督查室 <duban@example.gov.cn>
        units:
          中山市财政局:
            email: czj@example.gov.cn
            wecom: {webhook_env: ZS_CZJ_WECOM}
            dingtalk: {webhook_env: ZS_CZJ_DING, secret_env: ZS_CZJ_DING_SECRET}
            feishu: {webhook_env: ZS_CZJ_FEISHU, secret_env: ZS_CZJ_FEISHU_SECRET, keyword: 督办}
            lead: 提前一周
            roles: [lead, responsible]
    """)
    entry = contacts.of("中山市财政局")
    assert entry.channels() == ["email", "wecom", "dingtalk", "feishu"]
    assert entry.spec.email == ["czj@example.gov.cn"] and (entry.spec.lead.n, entry.spec.lead.unit) == (1, "week")
    assert (contacts.data.lead.n, contacts.data.lead.unit) == (5, "workday") and contacts.problems == []


@pytest.mark.parametrize("key", ["webhook", "secret", "password", "token"])
def test_a_secret_written_into_the_file_is_refused_at_its_line(tmp_path, key):
    message = error(tmp_path, f"""
        units:
          中山市财政局:
            dingtalk:
              webhook_env: ZS_DING
              {key}: https://oapi.dingtalk.com/robot/send?access_token=abc
    """)
    assert message.endswith(f"contacts.yaml:3: units.中山市财政局.dingtalk.{key}: 密钥和 webhook 地址不能写在规则文件中："
                            f"请放进环境变量，这里写 {key}_env: 变量名")


def test_each_problem_names_its_line_and_field(tmp_path):
    assert "contacts.yaml:4: units.中山市财政局.wecom.webhook_env: 应为环境变量名" in error(tmp_path, """
        units:
          中山市财政局:
            wecom:
              webhook_env: 9-not a name
    """)
    assert "contacts.yaml:3: units.中山市财政局.email[0]: 不是电子邮件地址：'czj-at-example'" in error(tmp_path, """
        units:
          中山市财政局:
            email: [czj-at-example]
    """)
    assert "contacts.yaml:3: units.中山市财政局.email: 单位“中山市财政局”配置了 email，但文件中没有 smtp 设置" in error(
        tmp_path, """
        units:
          中山市财政局:
            email: [czj@example.gov.cn]
    """)
    assert "contacts.yaml:2: units.中山市财政局: 单位“中山市财政局”没有配置任何接收方式" in error(tmp_path, """
        units:
          中山市财政局:
            lead: 3
    """)
    assert "contacts.yaml:4: units.中山市财政局.lead: 提醒提前量应写成" in error(tmp_path, """
        units:
          中山市财政局:
            wecom: {webhook_env: X}
            lead: 早点
    """)
    assert "contacts.yaml:1: smtp.security: Input should be 'ssl', 'starttls' or 'none'" in error(tmp_path, """
        smtp: {host: h, security: tls, from: a@b.cn}
    """)
    assert "contacts.yaml:3: units.中山市财政局.sms: unknown field" in error(tmp_path, """
        units:
          中山市财政局:
            sms: {phone: 123}
    """)


def test_an_alias_names_its_unit_and_an_unknown_name_is_reported(tmp_path):
    from deadlines.units import UnitEntry, UnitRegistry

    registry = UnitRegistry([UnitEntry("中山市财政局", "中山市", False, ["市财政局"])])
    contacts = load(tmp_path, """
        units:
          市财政局: {wecom: {webhook_env: A}}
          市财政厅: {wecom: {webhook_env: B}}
    """, registry=registry)
    assert contacts.of("中山市财政局").written == "市财政局"
    assert [str(p) for p in contacts.problems] == [
        f"{tmp_path / 'rules' / 'contacts.yaml'}:3: units.市财政厅: 单位“市财政厅”不在任何计划中，不会收到提醒："
        "请检查名称，或在 units.yaml 中为它加别名"]


def test_check_reports_contacts_problems(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "plan.yaml").write_text("title: 测试\nyear: 2015\nobligations:\n  - id: a\n    title: 任务\n"
                                      "    units: {lead: 市财政局}\n    due: 2015年7月10日前\n", encoding="utf-8")
    (folder / "contacts.yaml").write_text("units:\n  市财政局: {wecom: {webhook_env: A}}\n"
                                          "  市财政厅: {wecom: {webhook_env: B}}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert "rules/contacts.yaml:3: unknown-unit: units.市财政厅: 单位“市财政厅”不在任何计划中" in capsys.readouterr().out
    (folder / "contacts.yaml").write_text("units:\n  市财政局: {wecom: {webhook: https://x}}\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert "rules/contacts.yaml:2: invalid: units.市财政局.wecom.webhook: 密钥和 webhook 地址不能写在规则文件中" in \
        capsys.readouterr().out
    assert main(["remind", "--dry-run", "--today", "2015-07-08"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deadlines: rules/contacts.yaml:2: units.市财政局.wecom.webhook:") and err.count("\n") == 1
