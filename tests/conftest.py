"""Shared fixtures: registers written as TOML text, the shipped rule data, timelines as of a day.

Registers are built the way a user writes them (TOML text parsed by `parse_register`), so every
test also exercises the strict loader. Time is passed in everywhere except through `run_cli`,
which runs the real command line: it reads the clock for the register's "today", so registers
given to it use dates far from the present.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from notifier.items import Timeline
from notifier.law import RuleSet, load_ruleset
from notifier.register import Register, parse_register
from notifier.timeline import TimelineOptions, timeline

# The day the example registers were last edited; registers built in tests are checked against it.
TODAY = date(2026, 11, 24)

MakeRegister = Callable[..., Register]
MakeTimeline = Callable[..., Timeline]


def toml_value(value: object) -> str:
    """A Python value as a TOML literal (dates unquoted, as a user writes them).

    In a table, a None value leaves the key out.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = [f"{k} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def model_toml(fields: Mapping[str, Any]) -> str:
    """One [[models]] entry; id, name, role and owners get defaults; a None value is left out."""
    model_id = str(fields["id"])
    full: dict[str, Any] = {"name": model_id.title(), "role": "provider", "owners": ["legal"]}
    full.update(fields)
    lines = ["[[models]]", f"id = {toml_value(model_id)}"]
    lines += [
        f"{key} = {toml_value(value)}"
        for key, value in full.items()
        if key != "id" and value is not None
    ]
    return "\n".join(lines) + "\n"


def register_toml(
    *models: Mapping[str, Any],
    established_in: str = "FR",
    annual_turnover_eur: float | None = None,
    transparency: str = "signed",
    copyright: str = "signed",
    safety_and_security: str = "signed",
    version_reviewed: date = date(2025, 7, 10),
    checked_on: date | None = None,
) -> str:
    """A whole register: an organisation, one person ('legal') and the given models."""
    turnover = (
        "" if annual_turnover_eur is None else f"annual_turnover_eur = {annual_turnover_eur!r}\n"
    )
    checked = "" if checked_on is None else f"checked_on = {checked_on.isoformat()}\n"
    head = (
        "[organisation]\n"
        'name = "Test AI"\n'
        f'established_in = "{established_in}"\n'
        f"{turnover}"
        'timezone = "Europe/Brussels"\n'
        'contacts = ["legal"]\n'
        "\n"
        "[organisation.code_of_practice]\n"
        f'transparency = "{transparency}"\n'
        f'copyright = "{copyright}"\n'
        f'safety_and_security = "{safety_and_security}"\n'
        f"version_reviewed = {version_reviewed.isoformat()}\n"
        f"{checked}"
        "\n"
        "[[people]]\n"
        'id = "legal"\n'
        'name = "Ana Example"\n'
        'email = "legal@example.com"\n'
    )
    return head + "".join("\n" + model_toml(m) for m in models)


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="session")
def make_register() -> MakeRegister:
    """make_register(model_fields, ..., today=TODAY, **organisation) -> Register."""

    def make(*models: Mapping[str, Any], today: date = TODAY, **organisation: Any) -> Register:
        return parse_register(register_toml(*models, **organisation), "test.toml", today)

    return make


@pytest.fixture(scope="session")
def make_timeline(rules: RuleSet) -> MakeTimeline:
    """make_timeline(register, as_of, **TimelineOptions fields) -> Timeline."""

    def make(register: Register, as_of: date, **options: Any) -> Timeline:
        return timeline(register, rules, as_of, TimelineOptions(**options))

    return make


CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> RunCli:
    """run_cli(*argv) -> (exit code, stdout, stderr), run in an empty working directory.

    The working directory is tmp_path, so defaults that name relative paths (the state store
    under var/) land there; --config defaults to an empty settings file in tmp_path.
    """
    from notifier.cli import main  # the edge, imported only by tests that run it

    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    config = tmp_path / "notifier.toml"
    config.write_text("", encoding="utf-8")

    def run(*argv: str) -> CliResult:
        args = list(argv)
        if "--config" not in args:
            args += ["--config", str(config)]
        out = StringIO()
        capsys.readouterr()
        code = main(args, out=out)
        captured = capsys.readouterr()
        return code, out.getvalue() + captured.out, captured.err

    return run


@pytest.fixture
def check_register(tmp_path: Path, run_cli: RunCli) -> Callable[[str | bytes], CliResult]:
    """check_register(content) -> the result of `notifier check` on that register file."""

    def check(content: str | bytes) -> CliResult:
        path = tmp_path / "register.toml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return run_cli("check", "--register", str(path))

    return check
