"""``contacts.yaml`` in the rules folder: how each unit is reminded.

::

    site: https://example.org/deadlines/      # the published site: each message links to the unit's page
    lead: 3                                    # remind this long before a due date (default 3 working days)
    overdue_every: 5                           # remind again every 5 working days while overdue (0: once)
    smtp:
      host: smtp.example.gov.cn
      port: 465
      security: ssl                            # ssl | starttls | none
      user_env: DEADLINES_SMTP_USER            # secrets: the names of environment variables, never values
      password_env: DEADLINES_SMTP_PASSWORD
      from: 市政府办公室督查室 <duban@example.gov.cn>
    units:
      中山市财政局:                             # a unit's name or an alias from units.yaml
        email: [czj@example.gov.cn]
        wecom: {webhook_env: ZS_CZJ_WECOM}
        dingtalk: {webhook_env: ZS_CZJ_DINGTALK, secret_env: ZS_CZJ_DINGTALK_SECRET}
        feishu: {webhook_env: ZS_CZJ_FEISHU, secret_env: ZS_CZJ_FEISHU_SECRET}
        lead: 提前5个工作日提醒
        roles: [lead, responsible]             # only where the unit leads or is responsible

The file is read and checked like a rules file (:func:`deadlines.yamlio.load_yaml`,
:func:`~deadlines.yamlio.validate`): every problem is ``file:line: field: what``.
A webhook address, a password or a signing secret written into it is
refused: the file is reviewed and kept with the rules, the secrets are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import DeadlineError, RulesFileError
from ..messages import say

FILE = "contacts.yaml"
CHANNELS = ("email", "wecom", "dingtalk", "feishu")
CHANNELS_ZH = {"email": "邮件", "wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}
ROLES = ("lead", "responsible", "cooperating")

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")
# Keys that would put a secret into the file.
_SECRET_KEYS = ("webhook", "secret", "password", "token", "key", "access_token", "url")


@lru_cache(maxsize=1)
def _model() -> Any:
    """The pydantic model of the file (built on first use)."""
    from email.utils import parseaddr
    from typing import Annotated, Literal, Optional

    from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

    from ..model import Lead

    def env_name(value: str) -> str:
        if not _ENV_NAME.match(value):
            raise ValueError(say("env_name", value=value))
        return value

    def address(value: str) -> str:
        name, addr = parseaddr(value)
        if not _ADDRESS.match(addr or ""):
            raise ValueError(say("bad_address", value=value))
        return value

    def one_or_many(value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    EnvName = Annotated[str, Field(strict=True), AfterValidator(env_name)]
    Address = Annotated[str, Field(strict=True), AfterValidator(address)]
    Addresses = Annotated[list[Address], BeforeValidator(one_or_many)]

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

        @model_validator(mode="before")
        @classmethod
        def _no_secrets(cls, data: Any) -> Any:
            if isinstance(data, dict):
                for key in data:
                    if isinstance(key, str) and key in _SECRET_KEYS:
                        raise _SecretWritten(key)
            return data

    class Robot(_Strict):
        webhook_env: EnvName
        secret_env: Optional[EnvName] = None
        keyword: str = Field("", description="the robot's 自定义关键词, put into every message's title")

    class WeCom(_Strict):
        # 企业微信 group robots sign nothing: the key in the webhook address is the secret.
        webhook_env: EnvName

    class Smtp(_Strict):
        host: str = Field(min_length=1)
        port: Optional[int] = Field(None, ge=1, le=65535, strict=True)
        security: Literal["ssl", "starttls", "none"] = "starttls"
        user_env: Optional[EnvName] = None
        password_env: Optional[EnvName] = None
        sender: Address = Field(alias="from")
        ca_file: Optional[str] = Field(None, description="a CA certificate to trust (a relay with its own CA)")
        timeout: int = Field(30, ge=1, le=600, strict=True)

        @model_validator(mode="after")
        def _login(self) -> Any:
            if (self.user_env is None) != (self.password_env is None):
                raise ValueError("user_env and password_env go together")
            return self

    class UnitContacts(_Strict):
        email: Addresses = []
        cc: Addresses = []
        wecom: Optional[WeCom] = None
        dingtalk: Optional[Robot] = None
        feishu: Optional[Robot] = None
        lead: Optional[Lead] = None
        overdue_every: Optional[int] = Field(None, ge=0, le=250, strict=True)
        roles: Optional[list[Literal["lead", "responsible", "cooperating"]]] = None

    class ContactsFile(_Strict):
        site: Optional[str] = Field(None, pattern=r"^https?://\S+$")
        lead: Optional[Lead] = None
        overdue_every: int = Field(0, ge=0, le=250, strict=True)
        smtp: Optional[Smtp] = None
        units: dict[Annotated[str, Field(min_length=1)], UnitContacts] = {}

    return ContactsFile


class _SecretWritten(ValueError):
    def __init__(self, key: str):
        self.key = key
        super().__init__(say("secret_in_rules", field=key))


@dataclass(frozen=True)
class UnitChannels:
    """One unit's entry, under the canonical name of the unit; ``line`` in the file."""

    unit: str
    written: str
    line: int
    spec: Any

    def channels(self) -> list[str]:
        """The channels configured, in the order messages go out."""
        return [c for c in CHANNELS if (self.spec.email if c == "email" else getattr(self.spec, c))]


@dataclass
class Contacts:
    """``contacts.yaml`` read and checked: the defaults, SMTP and each unit's channels."""

    path: Path
    data: Any
    units: dict[str, UnitChannels] = field(default_factory=dict)
    problems: list[RulesFileError] = field(default_factory=list)  # names no plan has: reported, not fatal

    @property
    def site(self) -> str | None:
        return self.data.site

    @property
    def smtp(self) -> Any:
        return self.data.smtp

    def of(self, unit: str) -> UnitChannels | None:
        return self.units.get(unit)


def contacts_path(rules: str | Path) -> Path:
    from ..rulesfile import rules_folder

    return rules_folder(rules) / FILE


def read_contacts(path: str | Path) -> tuple[Any, dict]:
    """The validated file and the line of each value; a missing file is an empty one."""
    from ..yamlio import load_yaml, validate

    path = Path(path)
    if not path.exists():
        return _model()(), {(): 1}
    data, lines = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RulesFileError(path, 1, "contacts.yaml is a mapping: site, lead, smtp, units, …")
    try:
        parsed = validate(_model(), data, path, lines, aliases={"sender": ("from",)})
    except RulesFileError as exc:
        _secret_message(exc)
        raise
    for name, spec in parsed.units.items():
        line = lines.get(("units", name), 1)
        if not (spec.email or spec.wecom or spec.dingtalk or spec.feishu):
            raise RulesFileError(path, line, say("no_channel", unit=name), f"units.{name}")
        if spec.email and parsed.smtp is None:
            raise RulesFileError(path, lines.get(("units", name, "email"), line), say("no_smtp", unit=name),
                                 f"units.{name}.email")
    return parsed, lines


def _secret_message(exc: RulesFileError) -> None:
    """Pydantic names a refused secret key as the mapping that holds it: point at the key itself."""
    for err in getattr(exc, "errors", [])[:1]:
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _SecretWritten):
            exc.field = f"{exc.field}.{cause.key}" if exc.field else cause.key
            exc.reason = str(cause)
            where = f"{exc.file}:{exc.line}" if exc.line else exc.file
            exc.args = (f"{where}: {exc.field}: {exc.reason}",)


def load_contacts(rules: str | Path, *, known_units: Iterable[str], registry: Any = None) -> Contacts:
    """The contacts of a rules folder, each unit under its canonical name.

    A name is a unit of the plans (``known_units``) or an alias of one in
    ``units.yaml`` (``registry``); a name that is neither is kept as written
    and reported in :attr:`Contacts.problems` (a typo would otherwise mean a
    unit that silently gets nothing).
    """
    path = contacts_path(rules)
    data, lines = read_contacts(path)
    known = set(known_units)
    contacts = Contacts(path, data)
    for written, spec in data.units.items():
        line = lines.get(("units", written), 1)
        name = written
        if written not in known and registry is not None:
            found = [c for c in registry.lookup(written) if c in known]
            if len(found) == 1:
                name = found[0]
            elif len(found) > 1:
                raise RulesFileError(path, line, say("contacts_ambiguous_unit", unit=written,
                                                     names="、".join(found)), f"units.{written}")
        if name not in known:
            contacts.problems.append(RulesFileError(path, line, say("contacts_unknown_unit", unit=written),
                                                    f"units.{written}"))
        if name in contacts.units:
            other = contacts.units[name]
            raise RulesFileError(path, line, f"names the same unit as '{other.written}' (line {other.line})",
                                 f"units.{written}")
        contacts.units[name] = UnitChannels(name, written, line, spec)
    return contacts


def secret(env: Mapping[str, str], name: str | None, what: str) -> str | None:
    """The value of environment variable ``name`` (None when no name is configured)."""
    if name is None:
        return None
    value = env.get(name, "")
    if not value:
        raise MissingSecret(name, what)
    return value


class MissingSecret(DeadlineError):
    """An environment variable named in contacts.yaml is not set: that channel cannot send."""

    def __init__(self, name: str, what: str):
        self.name = name
        super().__init__(say("env_missing", name=name, what=what))
