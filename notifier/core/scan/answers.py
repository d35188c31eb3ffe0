"""The scan's answers: what decides an organisation's role for each of its models, parsed
strictly from TOML text (the answers file) with every problem located at its line. Pure.

A key left out is an answer not known: the decision then shows the reading that triggers duties
and lists what to find out. `imported` names, for each key, where an imported value came from.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from notifier.core.register.bounds import value_problem
from notifier.core.register.messages import describe
from notifier.core.register.schema import CHAPTERS, Chapter, Many
from notifier.core.register.toml_lines import TomlLines
from notifier.errors import InputError, Problem

Modality = Literal["text", "image", "video", "audio", "other"]
MODALITIES: tuple[Modality, ...] = ("text", "image", "video", "audio", "other")
Who = Literal["us", "third-party"]
SLUG = r"^[a-z0-9][a-z0-9._-]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _plausible(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, datetime):
            raise ValueError("expected a date without a time of day, e.g. 2025-08-02")
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError("must be one line of text, without control characters")
        problem = value_problem(info.field_name or "", value)
        if problem is not None:
            raise ValueError(problem)
        return value


class OrganisationAnswers(_Strict):
    name: str | None = Field(default=None, min_length=1)
    established_in: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    timezone: str | None = Field(default=None, min_length=1)
    contact_name: str | None = Field(default=None, min_length=1)
    contact_email: str | None = Field(default=None, pattern=r"^[^@\s\"<>,;]+@[^@\s]+\.[^@\s]+$")
    signed_chapters: Many[Chapter] | None = None  # the Code chapters signed (None: not known)
    imported: dict[str, str] = Field(default_factory=dict)


class ModelAnswers(_Strict):
    id: str = Field(pattern=SLUG, max_length=64)
    name: str | None = Field(default=None, min_length=1)
    trained_by: Who | None = None
    training_compute_flop: float | None = Field(default=None, ge=0)
    modalities: Many[Modality] | None = None
    placed_on_union_market: bool | None = None
    placed_on: date | None = None
    planned_placement: date | None = None
    open_source: bool | None = None
    designated: bool | None = None  # designated by the Commission (Art 52(4))
    designated_on: date | None = None
    threshold_known_on: date | None = None
    base: str | None = Field(default=None, min_length=1)
    base_by: Who | None = None
    base_compute_flop: float | None = Field(default=None, ge=0)
    base_systemic_risk: bool | None = None
    modification_compute_flop: float | None = Field(default=None, ge=0)
    uses: str | None = Field(default=None, min_length=1)
    uses_signatory: Literal["full", "partial", "none"] | None = None
    uses_systemic_risk: bool | None = None
    parameters: float | None = Field(default=None, ge=0)  # imported from a card; never decides
    imported: dict[str, str] = Field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.name or self.id


class Answers(_Strict):
    organisation: OrganisationAnswers = Field(default_factory=OrganisationAnswers)
    models: Many[ModelAnswers] = Field(min_length=1)
    source: str = "answers"


ANSWER_KEYS = tuple(k for k in ModelAnswers.model_fields if k != "imported")
ORGANISATION_KEYS = tuple(k for k in OrganisationAnswers.model_fields if k != "imported")
__all__ = ["CHAPTERS", "Answers", "ModelAnswers", "OrganisationAnswers", "parse_answers"]


def parse_answers(text: str | bytes, source: str) -> Answers:
    """Parse an answers file; InputError lists every problem with its line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                [Problem(source, f"byte {error.start} is not UTF-8; save the file as UTF-8")]
            ) from None
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        raise InputError([Problem(source, f"not valid TOML: {error}", line)]) from None
    except RecursionError:
        raise InputError([Problem(source, "not valid TOML: nested too deeply")]) from None
    lines = TomlLines(text)
    problems: list[Problem] = []
    for key in raw:
        if key not in ("organisation", "models"):
            problems.append(
                Problem(
                    source,
                    f"unknown table or key '{key}'; an answers file has [organisation] "
                    "and [[models]]",
                    lines.line_of((key,)),
                )
            )
    try:
        answers = Answers.model_validate(
            {k: v for k, v in raw.items() if k in ("organisation", "models")} | {"source": source}
        )
    except ValidationError as error:
        for detail in error.errors():
            loc = tuple(detail["loc"])
            problems.append(
                Problem(
                    source,
                    _sentence(detail),
                    lines.line_of(loc) if loc else None,
                    _model_id(raw, loc),
                    ".".join(str(p) for p in (loc[2:] if loc[:1] == ("models",) else loc)) or None,
                )
            )
        answers = None
    if not problems:
        problems = _repeated_ids(answers, lines, source)
    if problems or answers is None:
        raise InputError(sorted(problems, key=lambda p: (p.line or 0, p.message)))
    return answers


def _sentence(detail: Any) -> str:
    key = detail["loc"][-1] if detail["loc"] else ""
    if detail["type"] == "extra_forbidden":
        known = ", ".join(ANSWER_KEYS if "models" in detail["loc"] else ORGANISATION_KEYS)
        return f"unknown key '{key}'; the keys are: {known} (docs/contracts.md)"
    if detail["type"] == "missing" and key == "models":
        return "at least one [[models]] entry with an id is needed"
    if detail["type"] == "missing":
        return f"required key '{key}' is missing"
    if detail["type"] == "too_short" and key == "models":
        return "at least one [[models]] entry with an id is needed"
    if detail["type"] == "string_pattern_mismatch" and key == "contact_email":
        return f"found {detail.get('input')!r}, expected an email address like name@example.com"
    return describe(detail)


def _model_id(raw: dict[str, Any], loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "models" and isinstance(loc[1], int):
        models = raw.get("models")
        if isinstance(models, list) and loc[1] < len(models) and isinstance(models[loc[1]], dict):
            found = models[loc[1]].get("id")
            return found if isinstance(found, str) else f"#{loc[1] + 1}"
    return None


def _repeated_ids(answers: Answers | None, lines: TomlLines, source: str) -> list[Problem]:
    if answers is None:
        return []
    seen: set[str] = set()
    problems = []
    for index, model in enumerate(answers.models):
        if model.id in seen:
            problems.append(
                Problem(
                    source,
                    f"the id '{model.id}' is given twice; each model needs its own id",
                    lines.line_of(("models", index, "id")),
                    model.id,
                    "id",
                )
            )
        seen.add(model.id)
    return problems
