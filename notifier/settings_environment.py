"""The NOTIFIER_* environment as settings data, merged over the settings file's.

What pydantic-settings' environment source did for `Settings` (issue 22: it cost the prompt
about 25 ms to import and build, most of it for sources the notifier never used), with the same
reading of every variable:

- `NOTIFIER_NAME` sets the top-level setting `name`; `NOTIFIER_SECTION__KEY` sets `key` in
  `[section]`, and `NOTIFIER_CHANNELS__NAME__KEY` a key of `[channels.NAME]`. Names are read
  without regard to case; the keys they make are lower case.
- A value is text, which the settings' validation converts, except where the setting is a list,
  a table or a section: then it is JSON (`[90, 30]`, `{"host": "..."}`). A nested variable is
  merged into its section given whole (`NOTIFIER_SMTP='{...}'` then `NOTIFIER_SMTP__PORT`), and
  JSON `null` given for a whole section leaves the section as if unset.
- The environment wins over the file key by key (tables are merged, lists replaced).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

ENV_PREFIX = "NOTIFIER_"
NESTED = "__"
_COMPLEX_ORIGINS = (list, tuple, set, frozenset, dict)


class NotJson(ValueError):
    """A variable whose setting takes JSON (a list, table or section) holds no valid JSON."""

    def __init__(self, variable: str, setting: str, error: json.JSONDecodeError) -> None:
        # The decoder's message gives a position only, never the text: the value may be a secret.
        super().__init__(
            f"{variable} (setting '{setting}') is not valid JSON: {error.msg} at character "
            f"{error.pos}; lists and tables are given as JSON, e.g. [90, 30]"
        )


def takes_json(annotation: Any) -> bool:
    """Whether a setting of this type is given as JSON: a list, tuple, set, table or section,
    or an optional one (`list[str] | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return takes_json(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(takes_json(a) for a in typing.get_args(annotation) if a is not type(None))
    return isinstance(origin, type) and issubclass(origin, _COMPLEX_ORIGINS)


def _only_json(annotation: Any) -> bool:
    """Whether every non-null form of the type takes JSON: for a union that also takes text
    (none among the settings today) a value that is not JSON is kept as text."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return all(takes_json(a) for a in typing.get_args(annotation) if a is not type(None))
    return takes_json(annotation)


def _decoded(variable: str, setting: str, annotation: Any, value: str) -> Any:
    if not takes_json(annotation):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        if not _only_json(annotation):
            return value
        raise NotJson(variable, setting, error) from None


def _field(model: type[BaseModel] | None, key: str) -> FieldInfo | None:
    return None if model is None else model.model_fields.get(key)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The section a field holds, or the model of a table's values (`dict[str, Model]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is dict and len(args) == 2:
        return _model_of(args[1])
    return None


def deep_merge(base: dict[str, Any], *updates: Mapping[str, Any]) -> dict[str, Any]:
    """`base` updated by each of `updates` in turn: tables merged key by key, the rest replaced."""
    merged = dict(base)
    for update in updates:
        for key, value in update.items():
            if isinstance(merged.get(key), dict) and isinstance(value, dict):
                merged[key] = deep_merge(merged[key], value)
            else:
                merged[key] = value
    return merged


def from_environment(
    environ: Mapping[str, str], model: type[BaseModel], aliases: Mapping[str, str]
) -> dict[str, Any]:
    """The settings data the NOTIFIER_* variables of `environ` give, as `model` takes it;
    `aliases` maps a variable's lower-case name after the prefix to the key it is given under
    (`register` -> `NOTIFIER_REGISTER`, the field's first validation alias). Variables that
    name no setting are skipped (`load_settings` refuses them before)."""
    whole: dict[str, Any] = {}
    nested: list[tuple[str, list[str], str]] = []
    for variable, value in sorted(environ.items()):
        if not variable.upper().startswith(ENV_PREFIX):
            continue
        name = variable[len(ENV_PREFIX) :].lower()
        if name in aliases:
            whole[aliases[name]] = value
            continue
        top, *path = name.split(NESTED)
        field = model.model_fields.get(top)
        if field is None or field.validation_alias is not None:
            continue
        if path:
            nested.append((variable, [top, *path], value))
            continue
        decoded = _decoded(variable, top, field.annotation, value)
        if decoded is not None or not takes_json(field.annotation):
            whole[top] = decoded
    data = whole
    for variable, keys, value in nested:
        *parents, last = keys
        target = data
        annotation: Any = None
        section: type[BaseModel] | None = model
        for key in parents:
            field = _field(section, key)
            annotation = field.annotation if field is not None else None
            section = _model_of(annotation) if field is not None else section
            existing = target.setdefault(key, {})
            if not isinstance(existing, dict):
                break  # given whole as something else: its validation names it
            target = existing
        else:
            leaf = _field(section, last)
            setting = ".".join(keys)
            if leaf is not None and value:
                target[last] = _decoded(variable, setting, leaf.annotation, value)
            else:
                target[last] = value
    return data
