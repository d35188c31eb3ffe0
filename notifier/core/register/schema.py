"""The register's schema: strict, frozen models of an organisation, its people and its models."""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator

from notifier.core.days import EARLIEST, LATEST
from notifier.core.register.bounds import value_problem
from notifier.core.register.toml_lines import TomlLines
from notifier.errors import Problem

# EU member states and the other EEA states (ISO 3166-1 alpha-2): establishment anywhere else
# makes the organisation a third-country provider for Art 54.
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
_EEA = "IS LI NO"
EU_EEA = frozenset(f"{_EU} {_EEA}".split())
EEA_NOT_EU = frozenset(_EEA.split())

_SLUG = r"^[a-z0-9][a-z0-9._-]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s\"<>,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

T = TypeVar("T")
# TOML arrays arrive as lists: accept a list for a tuple, while each element stays strict.
Many = Annotated[tuple[T, ...], Field(strict=False)]

Signature = Literal["signed", "not_signed"]
Chapter = Literal["transparency", "copyright", "safety_and_security"]
CHAPTERS: tuple[Chapter, ...] = ("transparency", "copyright", "safety_and_security")
# Art 52(2)-(3): the Commission's answer to arguments that the model presents no systemic risk.
ArgumentsDecision = Literal["pending", "accepted", "rejected"]


class _Strict(BaseModel):
    # defer_build: the schema is built at first validation, not at import; a model only ever
    # validated inside another (e.g. Upstream) is then never built on
    # its own (issue 22: the prompt).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_not_datetimes(cls, value: Any, info: ValidationInfo) -> Any:
        kind = type(value)  # every value of every entry comes here: the commonest answered first
        if kind is date and EARLIEST <= value <= LATEST:
            return value  # a date in the accepted window (value_problem finds nothing)
        if kind is bool:
            return value  # nothing below applies to a bool
        if isinstance(value, datetime):
            raise ValueError("expected a date without a time of day, e.g. 2025-08-02")
        # A printable text has no control character: the search is needed only for the others.
        if isinstance(value, str) and not value.isprintable() and _CONTROL.search(value):
            raise ValueError(
                "must be one line of text, without line breaks or control "
                "characters (it goes into email headers and calendar fields)"
            )
        problem = value_problem(info.field_name or "", value)
        if problem is not None:
            raise ValueError(problem)
        return value


class CodeOfPractice(_Strict):
    transparency: Signature
    copyright: Signature
    safety_and_security: Signature
    version_reviewed: date
    checked_on: date | None = None

    def signed(self, chapter: Chapter) -> bool:
        return bool(getattr(self, chapter) == "signed")


class Organisation(_Strict):
    name: str = Field(min_length=1)
    established_in: str = Field(pattern=r"^[A-Z]{2}$")
    annual_turnover_eur: float | None = Field(default=None, ge=0)
    timezone: str = Field(min_length=1)
    contacts: Many[str] = Field(min_length=1)
    admins: Many[str] = ()  # people who rotate feeds and see every API token
    code_of_practice: CodeOfPractice

    @property
    def third_country(self) -> bool:
        """Outside the EU and the EEA (the reading once the AI Act is part of the EEA
        Agreement; until then the timeline also treats IS, LI, NO as third countries, L3)."""
        return self.established_in not in EU_EEA

    @property
    def eea_not_eu(self) -> bool:
        """Established in an EEA state outside the EU (Iceland, Liechtenstein, Norway)."""
        return self.established_in in EEA_NOT_EU


EMAIL_CHANNEL = "email"  # always there: the person's address; other channels are the settings'
CHANNEL_NAME = r"^[a-z][a-z0-9_-]{0,62}$"


class Person(_Strict):
    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    email: str
    # Where the person's reminders go: "email", and channels named in the settings (issue 18).
    channels: Many[str] = (EMAIL_CHANNEL,)

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not re.match(CHANNEL_NAME, name):
                raise ValueError(
                    f"'{name}' is not a channel name: lower-case letters, digits, '-' and '_', "
                    'starting with a letter (e.g. "email", "compliance-teams")'
                )
        repeated = sorted({name for name in value if value.count(name) > 1})
        if repeated:
            raise ValueError(f"channels named twice: {', '.join(repeated)}")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError(f"'{value}' is not an email address like name@example.com")
        return value


class Upstream(_Strict):
    provider: str = Field(min_length=1)
    model: str = Field(min_length=1)
    signatory: Literal["full", "partial", "none"]
    chapters: Many[Chapter] = ()
    last_verified: date
    systemic_risk: bool | None = None  # does the upstream model present systemic risk? (unknown)

    @property
    def slug(self) -> str:
        """The item id suffix: readable where the names allow, a digest where they do not."""
        name = f"{self.provider}-{self.model}"
        readable = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        return readable or "upstream-" + hashlib.sha256(name.encode()).hexdigest()[:12]


class Model(_Strict):
    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    role: Literal["provider", "modifier", "downstream"]
    placed_on_market: date | None = None
    planned_placement: date | None = None
    training_compute_flop: float | None = Field(default=None, ge=0)
    systemic_risk: Literal["presumed", "designated", "none"] | None = None
    threshold_known_on: date | None = None
    designated_on: date | None = None
    open_source: bool = False
    owners: Many[str] = Field(min_length=1)
    upstream: Many[Upstream] = ()
    base_model: str | None = None
    base_compute_flop: float | None = Field(default=None, ge=0)
    base_systemic_risk: bool = False
    modification_compute_flop: float | None = Field(default=None, ge=0)
    documentation_reviewed_on: date | None = None
    arguments_decision: ArgumentsDecision | None = None
    arguments_decided_on: date | None = None
    withdrawn_on: date | None = None
    version_of: str | None = Field(default=None, pattern=_SLUG)

    @property
    def placing(self) -> date | None:
        """The placing date, recorded or planned."""
        return self.placed_on_market or self.planned_placement


class Register(_Strict):
    organisation: Organisation
    people: Many[Person] = Field(min_length=1)
    models: Many[Model] = Field(min_length=1)
    source: str = "register"
    warnings: tuple[Problem, ...] = ()
    # Where the register's text puts each model (set by parse_register; not a field, so a
    # finding can name the register line it is about without indexing every register's lines).
    _text: str | None = PrivateAttr(default=None)
    _positions: dict[str, int] = PrivateAttr(default_factory=dict)

    def locate(self, text: str, positions: dict[str, int]) -> Register:
        """This register, knowing the text it was read from (`positions`: model id -> index)."""
        self._text, self._positions = text, positions
        return self

    def line_of(self, model_id: str, field: str = "id") -> int | None:
        """The line `field` of model `model_id` is written on (else its entry's), if known."""
        index = self._positions.get(model_id)
        if self._text is None or index is None:
            return None
        lines = _lines_of(self._text)
        entry = lines.line_of(("models", index))
        found = lines.line_of(("models", index, field))
        return found if found != entry else lines.line_of(("models", index, "id"))

    def organisation_line(self, field: str) -> int | None:
        """The line `field` of [organisation] is written on (else the table's), if known."""
        if self._text is None:
            return None
        return _lines_of(self._text).line_of(("organisation", field))

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def model(self, model_id: str) -> Model:
        return next(m for m in self.models if m.id == model_id)


@functools.lru_cache(maxsize=4)
def _lines_of(text: str) -> TomlLines:
    """The line index of a register's text (built once for the warnings of one timeline)."""
    return TomlLines(text)
