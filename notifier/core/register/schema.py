"""The register's schema: strict, frozen models of an organisation, its people and its models."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from notifier.core.register.bounds import value_problem
from notifier.errors import Problem

# EU member states and the other EEA states (ISO 3166-1 alpha-2): establishment anywhere else
# makes the organisation a third-country provider for Art 54.
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
_EEA = "IS LI NO"
EU_EEA = frozenset(f"{_EU} {_EEA}".split())

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
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_not_datetimes(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, datetime):
            raise ValueError("expected a date without a time of day, e.g. 2025-08-02")
        if isinstance(value, str) and _CONTROL.search(value):
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
        return self.established_in not in EU_EEA


class Person(_Strict):
    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    email: str

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

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def model(self, model_id: str) -> Model:
        return next(m for m in self.models if m.id == model_id)
