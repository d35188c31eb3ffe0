"""Operational settings: defaults < config/notifier.toml (or --config) < NOTIFIER_* environment."""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from notifier.core.law.model import Period, SettingName
from notifier.core.periods import BusinessCalendar
from notifier.core.reminders import ReminderPolicy
from notifier.errors import Problem, SettingsError

DEFAULT_CONFIG = Path("config/notifier.toml")
HOLIDAY_YEARS = range(2024, 2046)  # every period the rule data can reach (10-year retentions)
_FILE_DATA: ContextVar[dict[str, Any] | None] = ContextVar("notifier_settings_file", default=None)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HttpSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)


class SmtpSettings(_Section):
    host: str | None = None  # unset: messages are written to the outbox folder
    port: int = Field(default=587, ge=1, le=65535)
    tls: Literal["none", "starttls", "ssl"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "notifier@localhost"
    ca_file: Path | None = None
    timeout_seconds: float = Field(default=30, gt=0)


class CadenceSettings(_Section):
    """How often recurring review tasks come round (the law fixes none of these intervals)."""

    code_revision_check_months: int = Field(default=3, ge=1)
    upstream_signatory_check_days: int = Field(default=30, ge=1)
    documentation_review_months: int = Field(default=12, ge=1)

    def periods(self) -> dict[SettingName, Period]:
        return {
            "code_revision_check": Period(value=self.code_revision_check_months, unit="months"),
            "upstream_signatory_check": Period(
                value=self.upstream_signatory_check_days, unit="days"
            ),
            "documentation_review": Period(value=self.documentation_review_months, unit="months"),
        }


class BusinessDaySettings(_Section):
    """The holiday calendar for business-day periods: the Code of Practice defines none."""

    country: str = "BE"  # Belgium: the seat of the AI Office
    subdivision: str | None = None

    def calendar(self) -> BusinessCalendar:
        """Monday-Friday less the public holidays of `country` (from the holidays package),
        labelled as the assumption it is."""
        import holidays  # slow to import, and only needed where business days are counted

        try:
            days = holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=HOLIDAY_YEARS
            )
        except NotImplementedError:
            raise SettingsError(
                [
                    Problem(
                        "settings",
                        f"business_days.country '{self.country}' is not a country the holidays "
                        'package knows; use an ISO code such as "BE"',
                    )
                ]
            ) from None
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        name = (
            f"Monday-Friday less public holidays of {where} (holidays package); an assumption, "
            "as the Code of Practice does not define business days"
        )
        return BusinessCalendar(name, frozenset(days.keys()))


class ReminderSettings(_Section):
    """When reminders go out; the law fixes none of these (they are this service's policy)."""

    deadline_days_before: list[int] = [90, 30, 14, 7, 1, 0]
    review_days_before: list[int] = [14, 3, 0]
    milestone_days_before: list[int] = [30, 0]
    overdue_every_days: int = Field(default=7, ge=0)  # 0: no overdue reminders
    send_at: time = time(9, 0)  # local time in the register's organisation.timezone
    compliance_list: list[str] = []  # extra addresses for organisation-level items
    retry_delays_seconds: list[float] = [2, 10, 30]  # transient failures, within one dispatch
    retry_later_minutes: int = Field(default=15, ge=1)  # then the next dispatch tries again
    dispatch_every_seconds: int = Field(default=60, ge=1)  # the daemon's dispatch interval
    immediate_within_days: int = Field(default=7, ge=0)  # new events this close mail at once

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

    refresh_hours: int = Field(default=6, ge=1)  # REFRESH-INTERVAL and X-PUBLISHED-TTL
    color: str = Field(default="steelblue", pattern=r"^[a-z]+$")  # a CSS3 colour name (RFC 7986)
    done_window_days: int = Field(default=365, ge=0)  # done items older than this may be dropped
    max_bytes: int = Field(default=1_000_000, ge=10_000)  # Google Calendar's subscription limit
    public_url: str | None = None  # e.g. https://calendars.example.com; else http.host:port
    publish_method: bool = False  # declare METHOD:PUBLISH (each event then carries ORGANIZER)
    token_cache_seconds: float = Field(default=1.0, ge=0)  # how soon `serve` sees a rotation


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
    every_hours: int = Field(default=24, ge=1)  # the daemon's check interval
    review_due_days: int = Field(default=30, ge=1)  # a change's review item falls due after
    timeout_seconds: float = Field(default=20, gt=0)  # per network step (connect, each read)
    user_agent: str = Field(default="gpai-notifier/0.1 (Code of Practice watcher)", min_length=1)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[WatchSource]) -> list[WatchSource]:
        names = [s.name for s in sources]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"source names must be unique; repeated: {', '.join(repeated)}")
        return sources


class InstanceSettings(_Section):
    """Several `notifier run` on one PostgreSQL store: one leads (runs the scheduled jobs), all
    serve HTTP. An instance whose lease is not renewed for this long is taken over; keep it
    well under two dispatch intervals, and above the longest pause a live instance may see."""

    lease_seconds: float = Field(default=20, ge=1, le=3600)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NOTIFIER_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    # "register" itself is a BaseSettings attribute; the file key and NOTIFIER_REGISTER stay.
    register_file: Path = Field(
        default=Path("config/register.toml"),
        validation_alias=AliasChoices("NOTIFIER_REGISTER", "register", "register_file"),
    )
    database_url: str = "sqlite:///var/notifier.db"
    calendars_dir: Path = Path("calendars")
    outbox_dir: Path = Path("var/outbox")
    templates_dir: Path = Path("templates")  # overrides of the packaged templates (email/, web/)
    due_soon_days: int = Field(default=30, ge=0)
    cadences: CadenceSettings = CadenceSettings()
    business_days: BusinessDaySettings = BusinessDaySettings()
    http: HttpSettings = HttpSettings()
    smtp: SmtpSettings = SmtpSettings()
    feeds: FeedSettings = FeedSettings()
    reminders: ReminderSettings = ReminderSettings()
    watch: WatchSettings = WatchSettings()
    instances: InstanceSettings = InstanceSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The config file is read (and its syntax checked) by load_settings; it ranks below env.
        file_source = InitSettingsSource(settings_cls, init_kwargs=_FILE_DATA.get() or {})
        return (init_settings, env_settings, file_source)


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, the config file and the environment; SettingsError if invalid."""
    path = config if config is not None else DEFAULT_CONFIG
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError([Problem(str(path), f"not valid TOML: {error}")]) from None
    elif config is not None:
        raise SettingsError(
            [
                Problem(
                    str(path),
                    "config file not found; give an existing file to --config, or omit it",
                )
            ]
        )
    token = _FILE_DATA.set(data)
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(
            [
                Problem(
                    str(path),
                    f"setting '{'.'.join(str(p) for p in e['loc'])}' (or "
                    f"NOTIFIER_{'__'.join(str(p).upper() for p in e['loc'])}): "
                    f"{e['msg']}; found {e.get('input')!r}",
                )
                for e in error.errors()
            ]
        ) from None
    finally:
        _FILE_DATA.reset(token)
