"""Real local receivers for `deadlines remind`: an SMTP server (aiosmtpd) and an HTTP server
standing in for each group robot's webhook (企业微信, 钉钉, 飞书).

The robot endpoints check what each vendor's documentation says a request
must be — the JSON shape of the message, the size limit, the signature and
its timestamp window — and answer as the vendor does, success or error
(``errcode``/``code``).  A test can queue replies (a rate limit first, say)
and read every request received.  Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# SMTP


def make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for localhost/127.0.0.1 signed by it: (ca.pem, cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    import ipaddress

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "deadlines test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path, key_path


@dataclass
class Mail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> Any:
        return message_from_bytes(self.raw, policy=default_policy)

    def raw_header(self, name: str) -> str:
        """The header as it travelled (unfolded, still encoded)."""
        head = self.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
        lines = head.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")
        found = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith(name.lower() + ":")]
        assert len(found) == 1, (name, found)
        return found[0]


class SmtpReceiver:
    """aiosmtpd in a thread: ``security`` none, starttls (required) or ssl; optional AUTH."""

    def __init__(self, tmp: Path, security: str = "none", login: tuple[str, str] | None = None,
                 refuse: set[str] = frozenset()):
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.mails: list[Mail] = []
        self.logins: list[str] = []
        self.security = security
        self.port = free_port()
        receiver = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in refuse:
                    return "550 5.1.1 no such mailbox"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                receiver.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
                return "250 Message accepted for delivery"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = login is not None and (auth_data.login.decode(), auth_data.password.decode()) == login
            if ok:
                receiver.logins.append(auth_data.login.decode())
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

        self.ca, cert, key = make_certificate(tmp) if security != "none" else (None, None, None)
        context = None
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
        # Over implicit TLS (ssl) aiosmtpd does not see the TLS layer, so it is told not to require it.
        kwargs: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": security == "starttls",
                                  "auth_required": login is not None}
        if security == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        if security == "ssl":
            kwargs.update(ssl_context=context)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> SmtpReceiver:
        if self.security == "ssl":
            self._start_ssl()
        else:
            self.controller.start()
        return self

    def _start_ssl(self) -> None:
        # aiosmtpd checks that the server is up by connecting without the test CA: allow it to fail,
        # then wait for the port ourselves.
        try:
            self.controller.start()
        except Exception:  # noqa: BLE001 - the readiness probe only
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the SMTP server did not start")

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def smtp_yaml(self, *, sender: str = "市政府办公室督查室 <duban@example.gov.cn>", login: bool = False) -> str:
        lines = ["smtp:", "  host: 127.0.0.1", f"  port: {self.port}", f"  security: {self.security}",
                 f"  from: {sender}", "  timeout: 10"]
        if self.ca is not None:
            lines.append(f"  ca_file: {self.ca}")
        if login:
            lines += ["  user_env: TEST_SMTP_USER", "  password_env: TEST_SMTP_PASSWORD"]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Group robots


@dataclass
class Request:
    """One POST a robot endpoint received, and what it answered."""

    vendor: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    verdict: str  # ok | bad-signature | bad-shape | too-big | rate-limited | keyword | queued
    reply: dict[str, Any]


def dingtalk_sign(timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def feishu_sign(timestamp: str, secret: str) -> str:
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


# What each vendor answers (their documented replies).
OK = {"wecom": {"errcode": 0, "errmsg": "ok"},
      "dingtalk": {"errcode": 0, "errmsg": "ok"},
      "feishu": {"code": 0, "msg": "success", "data": {}}}
RATE_LIMITED = {"wecom": {"errcode": 45009, "errmsg": "api freq out of limit"},
                "dingtalk": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
                "feishu": {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]"}}
BAD_SIGNATURE = {"dingtalk": {"errcode": 310000, "errmsg": "sign not match"},
                 "feishu": {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from "
                                                  "current time"}}
TOO_BIG = {"wecom": {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096. invalid Request Parameter"},
           "dingtalk": {"errcode": 460101, "errmsg": "message too long, exceed 20000 bytes"},
           "feishu": {"code": 9499, "msg": "Bad Request", "data": {}}}
BAD_SHAPE = {"wecom": {"errcode": 40008, "errmsg": "invalid message type"},
             "dingtalk": {"errcode": 40035, "errmsg": "缺少参数 json"},
             "feishu": {"code": 9499, "msg": "Bad Request", "data": {}}}


@dataclass
class RobotServer:
    """One local HTTP server for all three robots: /wecom?key=…, /dingtalk?access_token=…, /feishu/<hook>.

    ``secrets`` maps a vendor to the signing secret it expects (no entry: the
    robot does not sign); ``queue[vendor]`` holds replies to give first
    (e.g. a rate limit), after the request has been checked.
    """

    secrets: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, str] = field(default_factory=dict)
    queue: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    http_errors: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                url = urllib.parse.urlsplit(self.path)
                vendor = url.path.strip("/").split("/")[0]
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, reply, verdict, body = server.answer(vendor, url, raw, self.headers)
                server.requests.append(Request(vendor, url.path, dict(urllib.parse.parse_qsl(url.query)), body,
                                               raw, verdict, reply))
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> RobotServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def webhooks(self) -> dict[str, str]:
        """The webhook address of each robot, as the vendor gives it (the key in it is the secret)."""
        return {"wecom": f"{self.url}/wecom/cgi-bin/webhook/send?key=693a91f6-test",
                "dingtalk": f"{self.url}/dingtalk/robot/send?access_token=test-token",
                "feishu": f"{self.url}/feishu/open-apis/bot/v2/hook/test-hook"}

    def of(self, vendor: str, verdict: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.vendor == vendor and (verdict is None or r.verdict == verdict)]

    # -- what each vendor checks

    def answer(self, vendor: str, url: Any, raw: bytes, headers: Any) -> tuple[int, dict, str, dict]:
        if vendor in self.http_errors and self.http_errors[vendor]:
            return self.http_errors[vendor].pop(0), {"error": "unavailable"}, "http-error", {}
        if "application/json" not in headers.get("Content-Type", ""):
            return 200, BAD_SHAPE[vendor], "bad-shape", {}
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            return 200, BAD_SHAPE[vendor], "bad-shape", {}
        query = dict(urllib.parse.parse_qsl(url.query))
        check = {"wecom": self._wecom, "dingtalk": self._dingtalk, "feishu": self._feishu}[vendor]
        verdict = check(body, query, raw)
        if verdict != "ok":
            reply = {"bad-signature": BAD_SIGNATURE, "too-big": TOO_BIG, "bad-shape": BAD_SHAPE,
                     "keyword": BAD_SHAPE}[verdict][vendor]
            if verdict == "keyword":
                reply = ({"errcode": 310000, "errmsg": "keywords not in content"} if vendor == "dingtalk"
                         else {"code": 19024, "msg": "Key Words Not Found"})
            return 200, reply, verdict, body
        queued = self.queue.get(vendor)
        if queued:
            reply = queued.pop(0)
            return 200, reply, "queued", body
        return 200, OK[vendor], "ok", body

    def _wecom(self, body: dict, query: dict, raw: bytes) -> str:
        if query.get("key") != "693a91f6-test" or body.get("msgtype") != "markdown":
            return "bad-shape"
        content = body.get("markdown", {}).get("content")
        if not isinstance(content, str) or set(body) != {"msgtype", "markdown"}:
            return "bad-shape"
        if len(content.encode("utf-8")) > 4096:
            return "too-big"
        return "ok"

    def _dingtalk(self, body: dict, query: dict, raw: bytes) -> str:
        if query.get("access_token") != "test-token" or body.get("msgtype") != "markdown":
            return "bad-shape"
        md = body.get("markdown", {})
        if not isinstance(md.get("title"), str) or not isinstance(md.get("text"), str):
            return "bad-shape"
        if len(raw) > 20000:
            return "too-big"
        secret = self.secrets.get("dingtalk")
        if secret is not None:
            stamp, sign = query.get("timestamp", ""), query.get("sign", "")
            if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
                return "bad-signature"
            if not hmac.compare_digest(sign, dingtalk_sign(stamp, secret)):
                return "bad-signature"
        keyword = self.keywords.get("dingtalk")
        if keyword and keyword not in md["title"] + md["text"]:
            return "keyword"
        return "ok"

    def _feishu(self, body: dict, query: dict, raw: bytes) -> str:
        if body.get("msg_type") != "post":
            return "bad-shape"
        try:
            post = body["content"]["post"]["zh_cn"]
            assert isinstance(post["title"], str)
            for line in post["content"]:
                for element in line:
                    assert element["tag"] in ("text", "a") and isinstance(element["text"], str)
                    if element["tag"] == "a":
                        assert element["href"].startswith("http")
        except (KeyError, TypeError, AssertionError):
            return "bad-shape"
        if len(raw) > 20 * 1024:
            return "too-big"
        secret = self.secrets.get("feishu")
        if secret is not None:
            stamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
            if not stamp.isdigit() or abs(int(stamp) - time.time()) > 3600:
                return "bad-signature"
            if not hmac.compare_digest(sign, feishu_sign(stamp, secret)):
                return "bad-signature"
        keyword = self.keywords.get("feishu")
        if keyword and keyword not in json.dumps(post, ensure_ascii=False):
            return "keyword"
        return "ok"
