"""Parsing a register from TOML text: every problem is collected and raised as one RegisterError.

Pure: the caller reads the file and passes its text, a source name for messages, and `today`
(to catch a `placed_on_market` in the future, a typo for `planned_placement`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from typing import Any, TypeVar

import tomli  # tomllib's parser compiled (mypyc): the same grammar and messages, 3x faster
from pydantic import BaseModel, ValidationError

from notifier.core.allocation import collector_paused
from notifier.core.register.checks import Sections, cross_check
from notifier.core.register.messages import describe
from notifier.core.register.schema import Model, Organisation, Person, Register
from notifier.core.register.toml_lines import TomlLines
from notifier.errors import Problem, RegisterError

EMPTY = (
    "the register is empty; it needs [organisation], [[people]] and [[models]] "
    "(see config/register.toml for an example)"
)
_T = TypeVar("_T", bound=BaseModel)


BOM = "\ufeff"
BOM_PROBLEM = (
    "the file starts with a byte order mark (BOM: bytes EF BB BF), which TOML does not allow; "
    "save it as UTF-8 without BOM"
)


def parse_register(
    text: str | bytes,
    source: str,
    today: date | Callable[[object], date],
    known_timezones: Collection[str] | None = None,
) -> Register:
    """Parse and validate a register; raise RegisterError listing every problem found.

    `today` may depend on the register itself: given a function, it is called with the
    `organisation.timezone` value as written (anything, or None), so the text is parsed once.
    The cyclic collector is paused meanwhile (notifier.core.allocation).
    """
    with collector_paused():
        return _parse(text, source, today, known_timezones)


def _parse(
    text: str | bytes,
    source: str,
    today: date | Callable[[object], date],
    known_timezones: Collection[str] | None,
) -> Register:
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
    if text.startswith(BOM):
        raise RegisterError([Problem(source, BOM_PROBLEM, 1)])
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise RegisterError(
            [Problem(source, f"not valid TOML: {error}", int(match.group(1)) if match else None)]
        ) from None
    except RecursionError:  # arrays or tables nested hundreds deep: no register looks like that
        raise RegisterError(
            [Problem(source, "not valid TOML for a register: arrays or tables nested too deeply")]
        ) from None

    if not raw:
        raise RegisterError([Problem(source, EMPTY)])
    if callable(today):
        organisation = raw.get("organisation")
        today = today(organisation.get("timezone") if isinstance(organisation, dict) else None)
    lines = TomlLines(text)
    sections, problems = _validate_sections(raw, source, lines)
    problems += cross_check(sections, lines, today, known_timezones)
    errors = [p for p in problems if not p.is_warning]
    if errors:
        raise RegisterError(sorted(errors, key=lambda p: (p.line or 0, p.message)))
    assert sections.organisation is not None
    return Register(
        organisation=sections.organisation,
        people=tuple(person for _, person in sections.people),
        models=tuple(model for _, model in sections.models),
        source=source,
        warnings=tuple(p for p in problems if p.is_warning),
    ).locate(text, {model.id: index for index, model in sections.models})


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
