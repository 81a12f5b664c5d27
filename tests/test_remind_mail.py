"""`deadlines remind` by e-mail, received by a real SMTP server in-process (aiosmtpd):
plain, STARTTLS and SSL, with a login; headers, RFC 2047 subjects, both bodies."""

from __future__ import annotations

import re
import textwrap
from email.header import decode_header, make_header

import pytest

from deadlines.cli import main
from receivers import RobotServer, SmtpReceiver, free_port
from test_remind import PLAN, run

# aiosmtpd warns that AUTH over SMTP-over-TLS (security: ssl) does not "require TLS": it does not see that layer.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SUBJECT = "【到期提醒】市财政局：逾期未完成1项，即将到期2项，等待触发1项（2015-07-08）"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "plan.yaml").write_text(textwrap.dedent(PLAN).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEST_SMTP_USER", "duban")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "口令-secret")
    return tmp_path


def contacts(folder, smtp_yaml: str, *, to: str = "[czj@example.gov.cn, 张三 <zhangsan@example.gov.cn>]",
             extra: str = "") -> None:
    text = (f"site: https://example.org/deadlines/\n{smtp_yaml}units:\n  市财政局:\n    email: {to}\n"
            f"    cc: duban@example.gov.cn\n{extra}")
    (folder / "rules" / "contacts.yaml").write_text(text, encoding="utf-8")


def test_one_message_per_unit_with_encoded_subject_and_both_bodies(folder, tmp_path):
    with SmtpReceiver(tmp_path) as smtp:
        contacts(folder, smtp.smtp_yaml())
        _, preview, _ = run("--today", "2015-07-08", "--dry-run")
        code, out, err = run("--today", "2015-07-08")
    assert code == 0, out + err
    assert len(smtp.mails) == 1
    mail = smtp.mails[0]
    assert sorted(mail.rcpt_tos) == ["czj@example.gov.cn", "duban@example.gov.cn", "zhangsan@example.gov.cn"]
    # RFC 2047: the Chinese subject travels as encoded words of ASCII, and decodes to the digest's title
    raw_subject = mail.raw_header("Subject")
    assert raw_subject.isascii() and re.fullmatch(r"(=\?utf-8\?[bq]\?[^?]+\?=\s*)+", raw_subject, re.I)
    assert str(make_header(decode_header(raw_subject))) == SUBJECT
    raw_from = mail.raw_header("From")
    assert raw_from.isascii() and raw_from.endswith("<duban@example.gov.cn>")
    assert str(make_header(decode_header(raw_from))).startswith("市政府办公室督查室")
    msg = mail.message
    assert msg["Subject"] == SUBJECT
    assert msg["Auto-Submitted"] == "auto-generated" and msg["Date"] and msg["To"].count("@") == 2
    assert re.fullmatch(r"<remind\.[0-9a-f]{32}@example\.gov\.cn>", msg["Message-ID"])
    assert msg.get_content_type() == "multipart/alternative"
    plain, rich = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain["Content-Transfer-Encoding"] == "base64" and plain.get_content_charset() == "utf-8"
    text = plain.get_content().replace("\r\n", "\n")  # text lines end in CRLF on the wire
    assert text.startswith("市财政局：2015-07-08（周三）的到期提醒\n")
    assert "  2015-07-10（周五）还有2个工作日  公开财政预算（t-1，牵头）\n      时限：2015年7月10日前\n" in text
    assert "单位页面：https://example.org/deadlines/#shi-cai-zheng-ju" in text
    assert text in preview.replace("\r\n", "\n")  # --dry-run printed exactly this text
    html = rich.get_content()
    assert "<h3>逾期未完成（1项）</h3>" in html and "color:#c62828" in html  # overdue in red
    assert 'href="https://example.org/deadlines/#shi-cai-zheng-ju"' in html


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_login_from_the_environment(folder, tmp_path, security):
    with SmtpReceiver(tmp_path, security=security, login=("duban", "口令-secret")) as smtp:
        contacts(folder, smtp.smtp_yaml(login=True))
        code, out, err = run("--today", "2015-07-08")
    assert code == 0, out + err
    assert smtp.logins == ["duban"] and len(smtp.mails) == 1
    assert "口令-secret" not in (folder / "rules" / "contacts.yaml").read_text(encoding="utf-8")


def test_a_wrong_password_fails_and_is_retried_when_fixed(folder, tmp_path, monkeypatch):
    with SmtpReceiver(tmp_path, security="starttls", login=("duban", "口令-secret")) as smtp:
        contacts(folder, smtp.smtp_yaml(login=True))
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
        code, out, _ = run("--today", "2015-07-08")
        assert code == 1 and "SMTP 登录失败：535" in out and smtp.mails == []
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "口令-secret")
        code, out, _ = run("--today", "2015-07-08")
        assert code == 0 and "其中 4 项为重发" in out and len(smtp.mails) == 1


def test_a_relay_that_requires_starttls_refuses_a_plain_session(folder, tmp_path):
    with SmtpReceiver(tmp_path, security="starttls") as smtp:
        contacts(folder, smtp.smtp_yaml().replace("security: starttls", "security: none"))
        code, out, _ = run("--today", "2015-07-08")
        assert code == 1 and "STARTTLS" in out and smtp.mails == []


def test_an_unreachable_server_fails_mail_alone_and_the_next_run_sends_it(
        folder, tmp_path, monkeypatch):
    port = free_port()
    smtp_yaml = f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n  from: duban@example.gov.cn\n"
    with RobotServer() as robots:
        monkeypatch.setenv("T_WECOM", robots.webhooks()["wecom"])
        contacts(folder, smtp_yaml, extra="    wecom: {webhook_env: T_WECOM}\n")
        code, out, _ = run("--today", "2015-07-08")
        assert code == 1 and "邮件  失败，下次运行重发" in out and "企业微信  已发送" in out
        assert len(robots.requests) == 1
        smtp = SmtpReceiver(tmp_path)
        smtp.port = port
        from aiosmtpd.controller import Controller

        smtp.controller = Controller(smtp.controller.handler, hostname="127.0.0.1", port=port)
        with smtp:
            code, out, _ = run("--today", "2015-07-08")
        assert code == 0 and len(smtp.mails) == 1 and len(robots.requests) == 1
    _, preview, _ = run("--today", "2015-07-08", "--dry-run")
    assert "没有新的提醒" in preview


def test_a_refused_address_is_reported_and_the_others_receive_it_once(folder, tmp_path):
    with SmtpReceiver(tmp_path, refuse={"czj@example.gov.cn"}) as smtp:
        contacts(folder, smtp.smtp_yaml())
        code, out, _ = run("--today", "2015-07-08")
        assert code == 1 and "部分收件人被拒：czj@example.gov.cn 550" in out
        assert sorted(smtp.mails[0].rcpt_tos) == ["duban@example.gov.cn", "zhangsan@example.gov.cn"]
        assert run("--today", "2015-07-08")[0] == 0 and len(smtp.mails) == 1  # not sent twice


def test_the_message_id_is_the_same_for_the_same_reminders(folder, tmp_path):
    with SmtpReceiver(tmp_path) as smtp:
        contacts(folder, smtp.smtp_yaml())
        _, first, _ = run("--today", "2015-07-08", "--dry-run")
        _, second, _ = run("--today", "2015-07-08", "--dry-run")
        run("--today", "2015-07-08")
    ids = re.findall(r"Message-ID: (\S+)", first)
    assert ids and ids == re.findall(r"Message-ID: (\S+)", second) == [smtp.mails[0].message["Message-ID"]]


def test_history_after_mail(folder, tmp_path, capsys):
    with SmtpReceiver(tmp_path) as smtp:
        contacts(folder, smtp.smtp_yaml())
        run("--today", "2015-07-08")
    assert main(["history", "t-2"]) == 0
    assert "提醒逾期未完成  市财政局  邮件  fixed  2015-07-03  已发送" in capsys.readouterr().out
