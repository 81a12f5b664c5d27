"""E-mail: one message per unit and day, plain text and HTML, over SMTP (SSL or STARTTLS).

Built with the standard library's :mod:`email` (``EmailMessage`` under the
SMTP policy: CRLF lines, headers folded at 78 characters, a header that is
not ASCII written as RFC 2047 encoded words, ``=?utf-8?b?…?=``) and sent
with :mod:`smtplib`: ``security: ssl`` is SMTP over TLS from the first byte
(port 465, RFC 8314), ``starttls`` upgrades a plain connection (port 587,
RFC 3207) and refuses to go on without it, ``none`` is for a relay on the
same machine.  The certificate is checked (the system's CAs, or ``ca_file``).

The Message-ID is made from the unit, the channel and the reminders the
message carries, not from the clock or chance: a message sent again after an
interrupted run has the Message-ID of the first, so a mail system that keeps
one copy per Message-ID shows it once.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, parseaddr
from pathlib import Path
from typing import Any, Mapping, Sequence

from .contacts import secret
from .digest import Digest
from .robot import Reply

NAME = "email"
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


def message_id(digest: Digest, keys: Sequence[Any], sender: str) -> str:
    """``<remind.HASH@domain>``: the same reminders to the same unit give the same id."""
    text = "\n".join([digest.unit, NAME, *sorted(repr(k.row()) for k in keys)])
    domain = parseaddr(sender)[1].rpartition("@")[2] or "deadlines.invalid"
    return f"<remind.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}@{domain}>"


def build(digest: Digest, *, sender: str, to: Sequence[str], cc: Sequence[str] = (), now: datetime,
          keys: Sequence[Any] = ()) -> EmailMessage:
    """The message: subject, addresses, date, a deterministic Message-ID, text and HTML parts."""
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = digest.title()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = format_datetime(now if now.tzinfo else now.astimezone())
    msg["Message-ID"] = message_id(digest, keys, sender)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    msg.set_content(digest.text(), charset="utf-8", cte="base64")
    msg.add_alternative(digest.html(), subtype="html", charset="utf-8", cte="base64")
    return msg


def preview(msg: EmailMessage) -> str:
    """What ``--dry-run`` shows of a message: its headers (decoded) and its plain text."""
    lines = [f"{name}: {msg[name]}" for name in ("From", "To", "Cc", "Subject", "Message-ID") if msg[name]]
    body = msg.get_body(("plain",))
    lines += ["", body.get_content() if body is not None else ""]
    return "\n".join(lines)


def send(msg: EmailMessage, smtp: Any, env: Mapping[str, str], *, base: Path | None = None) -> Reply:
    """Send ``msg`` with the ``smtp`` settings of contacts.yaml; secrets from ``env``."""
    user = secret(env, smtp.user_env, "SMTP 用户名")
    password = secret(env, smtp.password_env, "SMTP 密码")
    port = smtp.port or DEFAULT_PORTS[smtp.security]
    context = ssl.create_default_context()
    if smtp.ca_file:
        ca = Path(smtp.ca_file)
        context.load_verify_locations(cafile=str(ca if ca.is_absolute() or base is None else base / ca))
    recipients = [addr for _, addr in getaddresses([msg["To"] or "", msg["Cc"] or ""]) if addr]
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if user is not None:
                _login(client, user, password or "")
            refused = client.send_message(msg, to_addrs=recipients)
    except smtplib.SMTPNotSupportedError as exc:
        return Reply(False, f"SMTP 服务器不支持 STARTTLS：{exc}")
    except smtplib.SMTPAuthenticationError as exc:
        return Reply(False, f"SMTP 登录失败：{exc.smtp_code} {_text(exc.smtp_error)}")
    except smtplib.SMTPRecipientsRefused as exc:
        return Reply(False, "收件人全部被拒：" + "；".join(
            f"{addr} {code} {_text(text)}" for addr, (code, text) in exc.recipients.items()))
    except smtplib.SMTPResponseException as exc:
        return Reply(False, f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, ssl.SSLError, socket.timeout, OSError) as exc:
        return Reply(False, f"无法发送：{type(exc).__name__}: {exc}")
    if refused:
        some = "；".join(f"{addr} {code} {_text(text)}" for addr, (code, text) in refused.items())
        return Reply(True, f"已发送，但部分收件人被拒：{some}", partial=True)
    return Reply(True, f"已发送给 {', '.join(recipients)}")


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN in UTF-8 (RFC 4616) where the server offers it, else ``client.login``.

    smtplib's ``login`` encodes every AUTH response as ASCII, so it cannot
    send a name or password that is not ASCII, and tries its mechanisms one
    after another; PLAIN, over the TLS this module insists on, is one round trip.
    """
    import base64

    client.ehlo_or_helo_if_needed()
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        client.login(user, password)
        return
    token = base64.b64encode(f"\0{user}\0{password}".encode("utf-8")).decode("ascii")
    code, text = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
