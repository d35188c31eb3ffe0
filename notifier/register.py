"""The register: an organisation and its models, parsed strictly from TOML text.

Pure: the caller reads the file and passes its text, a source name for messages, and `today`
(to catch a `placed_on_market` in the future, a typo for `planned_placement`). Every problem is
collected and raised together as one RegisterError.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from notifier.errors import Problem, RegisterError
from notifier.register_checks import WARNING, Sections, cross_check
from notifier.register_messages import describe
from notifier.toml_lines import TomlLines

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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_not_datetimes(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            raise ValueError("expected a date without a time of day, e.g. 2025-08-02")
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(
                "must be one line of text, without line breaks or control "
                "characters (it goes into email headers and calendar fields)"
            )
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


EMPTY = (
    "the register is empty; it needs [organisation], [[people]] and [[models]] "
    "(see config/register.toml for an example)"
)
_T = TypeVar("_T", bound=BaseModel)


def parse_register(
    text: str | bytes,
    source: str,
    today: date,
    known_timezones: Collection[str] | None = None,
) -> Register:
    """Parse and validate a register; raise RegisterError listing every problem found."""
    if isinstance(text, bytes):
        data = text
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise RegisterError(
                [Problem(source, f"byte {error.start} is not UTF-8; save the file as UTF-8", line)]
            ) from None
    if not text.strip():
        raise RegisterError([Problem(source, EMPTY)])
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise RegisterError(
            [Problem(source, f"not valid TOML: {error}", int(match.group(1)) if match else None)]
        ) from None

    if not raw:
        raise RegisterError([Problem(source, EMPTY)])
    lines = TomlLines(text)
    sections, problems = _validate_sections(raw, source, lines)
    problems += cross_check(sections, lines, today, known_timezones)
    errors = [p for p in problems if not p.message.startswith(WARNING)]
    if errors:
        raise RegisterError(sorted(errors, key=lambda p: (p.line or 0, p.message)))
    assert sections.organisation is not None
    return Register(
        organisation=sections.organisation,
        people=tuple(person for _, person in sections.people),
        models=tuple(model for _, model in sections.models),
        source=source,
        warnings=tuple(p for p in problems if p.message.startswith(WARNING)),
    )


def _validate_sections(
    raw: dict[str, Any], source: str, lines: TomlLines
) -> tuple[Sections, list[Problem]]:
    """Validate the organisation and each entry on its own, so that one bad entry does not hide
    the problems of the others, nor the checks that span entries."""
    problems: list[Problem] = []

    def validate(cls: type[_T], value: Any, loc: tuple[str | int, ...]) -> _T | None:
        try:
            return cls.model_validate(value)
        except ValidationError as error:
            for detail in error.errors():
                where = (*loc, *detail["loc"])
                problems.append(
                    Problem(
                        source,
                        describe({**detail, "loc": where}),
                        lines.line_of(where),
                        _model_id(raw, where),
                        _field(where),
                        _person_id(raw, where),
                    )
                )
            return None

    for key in raw:
        if key not in ("organisation", "people", "models"):
            problems.append(
                Problem(
                    source,
                    f"unknown table or key '{key}'; a register has "
                    "[organisation], [[people]] and [[models]]",
                    lines.line_of((key,)),
                )
            )
    organisation = None
    if "organisation" not in raw:
        problems.append(Problem(source, "the [organisation] table is missing"))
    else:
        organisation = validate(Organisation, raw["organisation"], ("organisation",))
    entries: dict[str, list[tuple[int, Any]]] = {}
    for key, cls in (("people", Person), ("models", Model)):
        value = raw.get(key)
        header = "[[people]]" if key == "people" else "[[models]]"
        if not isinstance(value, list) or not value:
            problems.append(
                Problem(source, f"at least one {header} entry is needed", lines.line_of((key,)))
            )
            value = []
        validated = [(i, validate(cls, entry, (key, i))) for i, entry in enumerate(value)]
        entries[key] = [(i, entry) for i, entry in validated if entry is not None]
    sections = Sections(
        source,
        organisation,
        entries["people"],
        entries["models"],
        frozenset(i for _, i in _written_ids(raw, "people")),
        _written_ids(raw, "models"),
    )
    return sections, problems


def _written_ids(raw: dict[str, Any], key: str) -> tuple[tuple[int, str], ...]:
    """The ids as written, valid entry or not, so one bad entry does not cascade."""
    entries = raw.get(key)
    if not isinstance(entries, list):
        return ()
    return tuple(
        (i, e["id"])
        for i, e in enumerate(entries)
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    )


def _person_id(raw: dict[str, Any], loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "people" and isinstance(loc[1], int):
        people = raw.get("people")
        if isinstance(people, list) and loc[1] < len(people) and isinstance(people[loc[1]], dict):
            person_id = people[loc[1]].get("id")
            return person_id if isinstance(person_id, str) else f"#{loc[1] + 1}"
    return None


def _model_id(raw: dict[str, Any], loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "models" and isinstance(loc[1], int):
        models = raw.get("models")
        if isinstance(models, list) and loc[1] < len(models) and isinstance(models[loc[1]], dict):
            model_id = models[loc[1]].get("id")
            return model_id if isinstance(model_id, str) else f"#{loc[1] + 1}"
    return None


def _field(loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in ("models", "people") and isinstance(loc[1], int):
        names = [str(part) for part in loc[2:]]
        return ".".join(names) or None
    return ".".join(str(part) for part in loc) or None
