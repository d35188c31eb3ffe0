"""Turn pydantic's validation errors into sentences that say what would be right."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_EXPECTED = {
    "date_type": "a TOML date without quotes, e.g. 2025-08-02",
    "date_parsing": "a TOML date without quotes, e.g. 2025-08-02",
    "string_type": 'a quoted string, e.g. "text"',
    "bool_type": "true or false (without quotes)",
    "float_type": "a number without quotes, e.g. 3.1e24",
    "int_type": "a whole number without quotes",
    "list_type": 'a list, e.g. ["legal"]',
    "tuple_type": 'a list, e.g. ["legal"]',
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(detail: ErrorDetails) -> str:
    """One sentence for one pydantic error: what was found and what is expected."""
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    value = detail.get("input")
    key = detail["loc"][-1] if detail["loc"] else ""
    if kind == "extra_forbidden":
        return (
            f"unknown key '{key}'; check its spelling against the register keys in the README "
            "(unknown keys are refused so that a typo cannot drop a deadline)"
        )
    if kind == "missing":
        return f"required key '{key}' is missing"
    if kind in _EXPECTED:
        return f"found {_shown(value)}, expected {_EXPECTED[kind]}"
    if kind == "literal_error":
        return f"found {_shown(value)}, expected one of {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        if key == "established_in":
            return f'found {_shown(value)}, expected an ISO 3166-1 alpha-2 code such as "FR"'
        return (
            f"found {_shown(value)}, expected lower-case letters, digits, '.', '_' or '-' "
            "(it is used in item ids, file names and URLs)"
        )
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind in ("greater_than_equal", "greater_than"):
        return f"found {_shown(value)}, expected a number of at least {ctx.get('ge', 0)}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    return f"found {_shown(value)}: {detail['msg']}"
