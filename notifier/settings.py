"""Operational settings: defaults < config/notifier.toml (or --config) < NOTIFIER_* environment.

The file is read with tomli and the environment by notifier.settings_environment; pydantic
validates the merged data (issue 22: without pydantic-settings, whose import and sources were
a tenth of every command's start-up)."""

from __future__ import annotations

import base64
import binascii
import logging
import math
import os
import re
import zlib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import tomli
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from notifier.business_days import keep_holidays, public_holidays
from notifier.core.addresses import email_problem
from notifier.core.law.model import Period, SettingName
from notifier.core.periods import BusinessCalendar
from notifier.core.register.parse import BOM, BOM_PROBLEM
from notifier.core.register.schema import CHANNEL_NAME, EMAIL_CHANNEL
from notifier.core.register.toml_lines import TomlLines
from notifier.core.reminders import ReminderPolicy
from notifier.errors import Problem, SettingsError
from notifier.input_files import Unreadable, read_limited
from notifier.settings_environment import ENV_PREFIX, NotJson, deep_merge, from_environment

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("config/notifier.toml")


class _Section(BaseModel):
    # defer_build: the schema is built at first validation, not at import; a model only ever
    # validated inside another (e.g. WatchSource) is then never built on
    # its own (issue 22: the prompt).
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _address(value: str) -> str:
    """A sender or recipient address: one mailbox on one line (it goes into mail headers)."""
    problem = email_problem(value, dotted_domain=False)  # notifier@localhost is a fine sender
    if problem is not None:
        raise ValueError(problem)
    return value


Address = Annotated[str, AfterValidator(_address)]
Days = Annotated[int, Field(ge=0, le=3650)]  # up to ten years: every period the rules reach


class HttpSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    head_timeout_seconds: float = Field(default=10, gt=0, le=300)  # a request's headers, in full
    max_head_bytes: int = Field(default=32_768, ge=1024, le=1_048_576)  # request line + headers
    max_connections: int = Field(default=512, ge=1, le=100_000)  # open at once
    # Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; from any
    # other peer the header is ignored (it would let a client choose the address it is limited by).
    trusted_proxies: list[str] = []
    body_timeout_seconds: float = Field(default=10, gt=0, le=300)  # a request's body, in full
    max_body_bytes: int = Field(default=262_144, ge=1024, le=104_857_600)  # 413 beyond


class SmtpSettings(_Section):
    host: str | None = Field(default=None, pattern=r"^[^\s/]+$")  # unset: the outbox folder
    port: int = Field(default=587, ge=1, le=65535)
    tls: Literal["none", "starttls", "ssl"] = "starttls"
    username: str | None = Field(default=None, pattern=r"^[^\r\n]*$")
    password: SecretStr | None = None
    sender: Address = "notifier@localhost"
    ca_file: Path | None = None
    timeout_seconds: float = Field(default=30, gt=0, le=600)


class CadenceSettings(_Section):
    """How often recurring review tasks come round (the law fixes none of these intervals)."""

    code_revision_check_months: int = Field(default=3, ge=1, le=120)
    upstream_signatory_check_days: int = Field(default=30, ge=1, le=3650)
    documentation_review_months: int = Field(default=12, ge=1, le=120)
    systemic_risk_review_months: int = Field(default=12, ge=1, le=120)
    # Copyright chapter Measure 1.5(2): complaints are acted on "within a reasonable time"; the
    # chapter fixes no period, so this is the notifier's (an offset in days, not a cadence).
    copyright_complaint_days: int = Field(default=30, ge=1, le=3650)

    def periods(self) -> dict[SettingName, Period]:
        return {
            "code_revision_check": Period(value=self.code_revision_check_months, unit="months"),
            "upstream_signatory_check": Period(
                value=self.upstream_signatory_check_days, unit="days"
            ),
            "documentation_review": Period(value=self.documentation_review_months, unit="months"),
            "systemic_risk_review": Period(value=self.systemic_risk_review_months, unit="months"),
        }


class BusinessDaySettings(_Section):
    """The holiday calendar for business-day periods: the Code of Practice defines none."""

    country: str = "BE"  # Belgium: the seat of the AI Office
    subdivision: str | None = None
    # L5: also count on the Commission's staff calendar and show the earlier date (the AI
    # Office is a Commission service; Reg 1182/71 Art 2(1)); false: `country` only
    compare_commission: bool = True

    def compared(self) -> BusinessCalendar | None:
        """The Commission's calendar to compare with `country`'s, if asked for."""
        if not self.compare_commission:
            return None
        from notifier.business_days import YEARS
        from notifier.core.commission_calendar import commission_calendar
        from notifier.core.law import load_commission_holidays

        return commission_calendar(load_commission_holidays(), YEARS)

    def calendar(self, cache_dir: Path | None = None) -> BusinessCalendar:
        """Monday-Friday less the public holidays of `country` (from the holidays package),
        labelled as the assumption it is; read from `cache_dir` when `keep` put them there."""
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        name = (
            f"Monday-Friday less public holidays of {where} (holidays package); an assumption, "
            "as the Code of Practice does not define business days"
        )
        return BusinessCalendar(name, public_holidays(self.country, self.subdivision, cache_dir))

    def keep(self, calendar: BusinessCalendar, cache_dir: Path, *, create: bool = True) -> None:
        """Keep the calendar's days in `cache_dir`; the folder is created only if `create`."""
        keep_holidays(self.country, self.subdivision, calendar.holidays, cache_dir, create=create)


class ReminderSettings(_Section):
    """When reminders go out; the law fixes none of these (they are this service's policy)."""

    deadline_days_before: list[Days] = Field(default=[90, 30, 14, 7, 1, 0], max_length=50)
    review_days_before: list[Days] = Field(default=[14, 3, 0], max_length=50)
    milestone_days_before: list[Days] = Field(default=[30, 0], max_length=50)
    overdue_every_days: int = Field(default=7, ge=0, le=365)  # 0: no overdue reminders
    send_at: time = time(9, 0)  # local time in the register's organisation.timezone
    compliance_list: list[Address] = Field(default=[], max_length=100)  # organisation items
    # Transient failures of one message, within one dispatch (a connection failure ends it).
    retry_delays_seconds: list[Annotated[float, Field(ge=0, le=600)]] = Field(
        default=[2, 10, 30], max_length=10
    )
    retry_later_minutes: int = Field(default=15, ge=1, le=1440)  # then a later dispatch
    # The daemon dispatches at each reminder instant, on each change and after each failure;
    # this is the longest it rests between dispatches all the same (a safety net).
    dispatch_every_seconds: int = Field(default=3600, ge=1, le=604800)
    # A reminder still unsent this long after its instant makes /healthz and status degraded.
    alert_after_minutes: int = Field(default=30, ge=1, le=10080)
    immediate_within_days: int = Field(default=7, ge=0, le=365)  # new events this close

    def policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            offsets_days={
                "deadline": tuple(self.deadline_days_before),
                "review": tuple(self.review_days_before),
                "milestone": tuple(self.milestone_days_before),
            },
            overdue_every_days=self.overdue_every_days,
            send_at=self.send_at,
        )


class FeedSettings(_Section):
    """The iCalendar feeds: how clients refresh them, how they look, and how big they may grow."""

    refresh_hours: int = Field(default=6, ge=1, le=720)  # REFRESH-INTERVAL, X-PUBLISHED-TTL
    color: str = Field(default="steelblue", pattern=r"^[a-z]+$")  # a CSS3 colour name (RFC 7986)
    done_window_days: Days = 365  # done items older than this may be dropped
    max_bytes: int = Field(default=1_000_000, ge=10_000, le=1_000_000_000)  # Google's limit: 1 MB
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")  # else host:port
    publish_method: bool = False  # declare METHOD:PUBLISH (each event then carries ORGANIZER)
    token_cache_seconds: float = Field(default=1.0, ge=0, le=3600)  # how soon serve sees rotation


class WatchSource(_Section):
    """One watched page (url) or file (path): the Code of Practice text or the signatory list."""

    # The name appears in finding ids and item ids, so it is a slug.
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    kind: Literal["code", "signatories"]
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    path: Path | None = None

    @model_validator(mode="after")
    def _one_location(self) -> WatchSource:
        if (self.url is None) == (self.path is None):
            raise ValueError(f"source '{self.name}' needs exactly one of url and path")
        return self

    @property
    def location(self) -> str:
        return self.url if self.url is not None else str(self.path)


class WatchSettings(_Section):
    """The watcher: sources checked for changes (none by default: no network unless asked)."""

    sources: list[WatchSource] = []
    every_hours: int = Field(default=24, ge=1, le=8760)  # the daemon's check interval
    review_due_days: int = Field(default=30, ge=1, le=3650)  # a change's review falls due after
    timeout_seconds: float = Field(default=20, gt=0, le=600)  # per network step (connect, read)
    user_agent: str = Field(
        default="gpai-notifier/0.1 (Code of Practice watcher)", pattern=r"^[^\r\n]+$"
    )

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[WatchSource]) -> list[WatchSource]:
        names = [s.name for s in sources]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"source names must be unique; repeated: {', '.join(repeated)}")
        return sources


MIN_KEY_BYTES = 32


def key_entropy_bytes(key: str) -> float:
    """An estimate of a key's entropy in bytes, the lower of two: its length times log2 of the
    alphabet its characters come from (hex: 16; letters, digits, others: 26 + 26 + 10 + 33), and
    its size compressed (a repeated or patterned key compresses to little)."""
    if not key:
        return 0.0
    hexadecimal = set("0123456789abcdef")
    if set(key) <= hexadecimal or set(key) <= set("0123456789ABCDEF"):
        alphabet = 16
    else:
        alphabet = sum(
            size
            for size, present in (
                (26, any(c.islower() for c in key)),
                (26, any(c.isupper() for c in key)),
                (10, any(c.isdigit() for c in key)),
                (33, any(not c.isalnum() for c in key)),
            )
            if present
        )
    by_alphabet = len(key) * math.log2(max(alphabet, 1)) / 8
    compressed = len(zlib.compress(key.encode("utf-8"), 9)) - 8  # zlib's header and checksum
    return max(0.0, min(by_alphabet, compressed))


class WebSettings(_Section):
    """The web pages: where people reach them, how they sign in and how long they stay in."""

    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    secure_cookies: bool | None = None  # unset: Secure when public_url is https
    secret_key: SecretStr | None = None  # unset: a key made once and kept in the store
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # Links mailed per address per minute: a short cool-down, so that nobody can keep a person
    # from signing in (whoever asks for their link mails it to them; a refusal lasts a minute).
    sign_in_per_address: int = Field(default=1, ge=1)
    sign_in_per_client: int = Field(default=20, ge=1)  # sign-in requests per client per 15 min

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, key: SecretStr | None) -> SecretStr | None:
        """Whoever guesses the key signs any cookie: at least 32 bytes of entropy, estimated
        from the key's own characters (length times their Shannon entropy), so that a short,
        repeated or patterned key is refused; `python -c "import secrets;
        print(secrets.token_urlsafe(32))"` makes one that passes."""
        if key is not None and key_entropy_bytes(key.get_secret_value()) < MIN_KEY_BYTES:
            raise ValueError(
                f"needs at least {MIN_KEY_BYTES} bytes of entropy (this one has about "
                f"{int(key_entropy_bytes(key.get_secret_value()))}); make one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`, or leave '
                "it unset (a key is then made once and kept in the store)"
            )
        return key


ChannelKind = Literal["webhook", "slack", "teams", "ntfy"]
CHANNEL_KINDS: tuple[ChannelKind, ...] = get_args(ChannelKind)
WEBHOOK_SECRET_PREFIX = "whsec_"


class ChannelSettings(_Section):
    """A channel reminders go to besides e-mail (issue 18): `[channels.NAME]`, or
    NOTIFIER_CHANNELS__NAME__KIND, __URL, __SECRET. The URL is a secret too (whoever holds a
    Slack or Teams webhook address may post to it): neither is ever logged or shown."""

    kind: ChannelKind
    url: SecretStr
    secret: SecretStr | None = None  # `webhook` only: Standard Webhooks, "whsec_" + base64
    timeout_seconds: float = Field(default=10, gt=0, le=120)

    @field_validator("url")
    @classmethod
    def _url(cls, value: SecretStr) -> SecretStr:
        text = value.get_secret_value()
        try:
            parsed = urlsplit(text)
            port = parsed.port
        except ValueError:
            parsed, port = None, None
        if (
            parsed is None
            or parsed.scheme not in ("http", "https")
            or not parsed.hostname
            or any(c.isspace() or ord(c) < 32 for c in text)
            or (port is not None and not 0 < port < 65536)
        ):
            raise ValueError("is not a web address like https://hooks.example.com/services/...")
        return value

    @model_validator(mode="after")
    def _secret(self) -> ChannelSettings:
        secret = self.secret.get_secret_value() if self.secret is not None else None
        if self.kind != "webhook":
            if secret is not None:
                raise ValueError(f"a '{self.kind}' channel takes no secret (only 'webhook' does)")
            return self
        if secret is None:
            raise ValueError(
                "a 'webhook' channel needs a secret: 'whsec_' followed by base64 of at least "
                "24 random bytes (Standard Webhooks); the README shows how to make one"
            )
        body = secret.removeprefix(WEBHOOK_SECRET_PREFIX)
        try:
            key = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not secret.startswith(WEBHOOK_SECRET_PREFIX) or len(key) < 24:
            raise ValueError(
                "the secret must be 'whsec_' followed by base64 of at least 24 random bytes "
                "(Standard Webhooks)"
            )
        return self


def _channel_names(value: dict[str, ChannelSettings]) -> dict[str, ChannelSettings]:
    for name in value:
        if name == EMAIL_CHANNEL or not re.match(CHANNEL_NAME, name):
            raise ValueError(
                f"'{name}' cannot name a channel: lower-case letters, digits, '-' and '_', "
                f"starting with a letter, and not '{EMAIL_CHANNEL}' (always there)"
            )
    return value


def _issuer(value: str) -> str:
    """An OpenID issuer: https, or http on loopback only (a test provider, RFC 8252 7.3)."""
    parts = urlsplit(value)
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValueError("give the provider's https:// issuer URL (http only on loopback)")
    return value.rstrip("/")


class OidcSettings(_Section):
    """Single sign-on through the organisation's OpenID provider (authorization code + PKCE).
    Register the redirect URI <web.public_url>/sign-in/oidc/callback with the provider."""

    issuer: Annotated[str, AfterValidator(_issuer)] | None = None  # unset: no single sign-on
    client_id: str | None = Field(default=None, pattern=r"^\S+$")
    client_secret: SecretStr | None = None  # from NOTIFIER_OIDC__CLIENT_SECRET, not the file
    scopes: list[str] = Field(default=["openid", "email", "profile"], max_length=20)
    allowed_domains: list[str] = Field(default=[], max_length=100)  # empty: any address
    label: str = Field(default="your organisation's account", min_length=1, max_length=60)
    magic_link: bool = True  # false: the emailed link is switched off; the provider only

    @model_validator(mode="after")
    def _complete(self) -> OidcSettings:
        if self.issuer is not None and self.client_id is None:
            raise ValueError("oidc.issuer is set: give oidc.client_id too")
        if self.issuer is not None and "openid" not in self.scopes:
            raise ValueError("oidc.scopes must include 'openid'")
        if self.issuer is None and not self.magic_link:
            raise ValueError("oidc.magic_link = false needs oidc.issuer: nobody could sign in")
        return self

    @property
    def enabled(self) -> bool:
        return self.issuer is not None


class ApiSettings(_Section):
    """The API under /api/v1/: personal tokens and how often each may be used."""

    requests_per_minute: int = Field(default=120, ge=1, le=100_000)  # per token
    failed_per_minute: int = Field(default=30, ge=1, le=100_000)  # unknown tokens, per client
    token_days: int = Field(default=90, ge=1, le=366)  # a new token's lifetime unless told


class InstanceSettings(_Section):
    """Several `notifier run` on one PostgreSQL store: one leads (runs the scheduled jobs), all
    serve HTTP. An instance whose lease is not renewed for this long is taken over; keep it
    well under two dispatch intervals, and above the longest pause a live instance may see."""

    lease_seconds: float = Field(default=20, ge=1, le=3600)


class ChangesSettings(_Section):
    """What moved (issue 23): how long a move is shown beside its item (`previous_due`,
    `moved_on` in the timeline JSON, the pages) and its later dates wait for a digest."""

    show_days: int = Field(default=30, ge=1, le=3650)


# The keys the register setting may be given under, the first present winning: the
# environment's, then the file's ("register", or the older "register_file").
_REGISTER_KEYS = ("NOTIFIER_REGISTER", "register", "register_file")


class Settings(BaseModel):
    # validate_default: defaults are checked like given values (as pydantic-settings did).
    model_config = ConfigDict(extra="forbid", validate_default=True, defer_build=True)

    # The file key is "register" (NOTIFIER_REGISTER); the attribute keeps its older name.
    register_file: Path = Field(
        default=Path("config/register.toml"),
        validation_alias=AliasChoices(*_REGISTER_KEYS),
    )
    database_url: str = "sqlite:///var/notifier.db"
    # PostgreSQL: the role that owns the schema, for `notifier db upgrade` only (it migrates,
    # then grants database_url's role what the service needs and no more). Keep it out of the
    # service's settings: NOTIFIER_DATABASE_OWNER_URL in the shell that upgrades.
    database_owner_url: SecretStr | None = None
    calendars_dir: Path = Path("calendars")
    outbox_dir: Path = Path("var/outbox")
    templates_dir: Path = Path("templates")  # overrides of the packaged templates (email/, web/)
    cache_dir: Path = Path("var/cache")  # derived data kept between runs; safe to delete
    due_soon_days: Days = 30
    cadences: CadenceSettings = CadenceSettings()
    business_days: BusinessDaySettings = BusinessDaySettings()
    http: HttpSettings = HttpSettings()
    smtp: SmtpSettings = SmtpSettings()
    feeds: FeedSettings = FeedSettings()
    reminders: ReminderSettings = ReminderSettings()
    watch: WatchSettings = WatchSettings()
    web: WebSettings = WebSettings()
    instances: InstanceSettings = InstanceSettings()
    # Reminders besides e-mail: Slack, Teams, ntfy, signed webhooks (issue 18).
    channels: Annotated[dict[str, ChannelSettings], AfterValidator(_channel_names)] = Field(
        default_factory=dict
    )
    oidc: OidcSettings = OidcSettings()
    api: ApiSettings = ApiSettings()
    changes: ChangesSettings = ChangesSettings()


# The variable of the one setting whose file key is not its attribute's name (see Settings).
_ALIASES = {"register": "NOTIFIER_REGISTER"}


def environment_names() -> set[str]:
    """Every NOTIFIER_* variable a setting answers to (sections also take JSON whole)."""
    names = {"NOTIFIER_REGISTER"}
    for name, field in Settings.model_fields.items():
        if field.validation_alias is not None:
            continue  # register_file: NOTIFIER_REGISTER only
        names.add(ENV_PREFIX + name.upper())
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            names |= {f"{ENV_PREFIX}{name.upper()}__{sub.upper()}" for sub in section.model_fields}
    return names


def _unknown_environment(environ: Mapping[str, str]) -> list[Problem]:
    """A misspelt variable (e.g. NOTIFIER_SMTP_HOST for NOTIFIER_SMTP__HOST) would be ignored
    silently; it is an error, like an unknown key in the file."""
    known = environment_names()
    problems = []
    for name in sorted(environ):
        if _CHANNEL_VARIABLE.fullmatch(name.upper()):
            continue
        if name.upper().startswith(ENV_PREFIX) and name.upper() not in known:
            import difflib  # only for a misspelt variable: not loaded by every command

            close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]}?" if close else " (the README lists the settings)"
            problems.append(Problem("environment", f"{name} is not a setting{hint}"))
    return problems


# NOTIFIER_CHANNELS__NAME__KIND, __URL, __SECRET, __TIMEOUT_SECONDS (a channel of any name).
_CHANNEL_VARIABLE = re.compile(
    ENV_PREFIX + r"CHANNELS__[A-Z][A-Z0-9-]*(_[A-Z0-9-]+)*__(KIND|URL|SECRET|TIMEOUT_SECONDS)"
)


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, the config file and the environment; SettingsError if invalid."""
    path = config if config is not None else DEFAULT_CONFIG
    data: dict[str, Any] = {}
    text = ""
    unknown = _unknown_environment(os.environ)
    if unknown:
        raise SettingsError(unknown)
    if path.exists():
        try:
            text = read_limited(path).decode("utf-8")
            if text.startswith(BOM):
                raise SettingsError([Problem(str(path), BOM_PROBLEM, 1)])
            data = tomli.loads(text)
        except Unreadable as error:
            raise SettingsError([Problem(str(path), f"cannot read: {error}")]) from None
        except (tomli.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError([Problem(str(path), f"not valid TOML: {error}")]) from None
        except RecursionError:
            raise SettingsError([Problem(str(path), "not valid TOML: nested too deeply")]) from None
        except OSError as error:
            raise SettingsError([Problem(str(path), f"cannot read: {error.strerror}")]) from None
    elif config is not None:
        raise SettingsError(
            [
                Problem(
                    str(path),
                    "config file not found; give an existing file to --config, or omit it",
                )
            ]
        )
    try:
        environment = from_environment(os.environ, Settings, _ALIASES)
    except NotJson as error:
        raise SettingsError([Problem("environment", str(error))]) from None
    try:
        merged = deep_merge(data, environment, overrides)
        for key in [k for k in _REGISTER_KEYS if k in merged][1:]:
            del merged[key]  # given under another key too, which wins
        return Settings(**merged)
    except ValidationError as error:
        lines = TomlLines(text)
        raise SettingsError([_problem(path, e, lines) for e in error.errors()]) from None


# Values never shown in an error: passwords, keys, and URLs (a database URL carries its password,
# a chat webhook's URL is itself the credential).
_SECRET_PARTS = {"secret", "password", "url", "secret_key", "database_url", "database_owner_url"}


def _problem(path: Path, error: ErrorDetails, lines: TomlLines | None = None) -> Problem:
    """One invalid setting: its name in the file and in the environment, and what is wrong."""
    loc = error["loc"]
    if loc[:1] in (("NOTIFIER_REGISTER",), ("register_file",)):  # the aliases of "register"
        loc = ("register", *loc[1:])
    names: list[str] = []
    for part in loc:  # the variable names the setting up to its first list index
        if isinstance(part, int):
            break
        names.append(str(part))
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    message = str(error["msg"]).removeprefix("Value error, ")
    secret = names[:1] == ["channels"] or bool(_SECRET_PARTS & set(names))
    found = "; found (not shown: a secret)" if secret else f"; found {error.get('input')!r}"
    line = lines.line_of(tuple(error["loc"])) if lines is not None else None
    return Problem(
        str(path),
        f"setting '{where}' (or {ENV_PREFIX}{'__'.join(n.upper() for n in names)}): "
        f"{message}{found}",
        line,
    )
