"""Fuzzing the inputs a user controls: the register, the settings environment and the command
line. Whatever they hold, a command exits 0 or 2 -- never a traceback, never an internal error,
never exit 1 for bad input -- and a refused command (exit 2) leaves the store as it was.

The inputs start from valid ones and are mutated with hypothesis: values of the wrong type,
out of range, far in the past or future, huge, empty, with line breaks and terminal escapes.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import sqlite3
import tempfile
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifier.settings import environment_names
from tests.support.cli import CliResult, run_main
from tests.support.registers import EXAMPLE_REGISTER

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SEED: dict[str, Any] = tomllib.loads(EXAMPLE_REGISTER.read_text(encoding="utf-8"))

NASTY = st.one_of(
    st.sampled_from(
        [
            0, -1, 10**30, 1e300, float("inf"), float("-inf"), float("nan"), -1e25, 1e25,
            "", " ", "x" * 5000, "EL", "XX", "fr", "a\r\nb", "\x1b[31mred", "\ufeffbom", True,
            [], [[]], {}, {"a": 1}, ["legal", "legal"], ["nobody"],
            date(1, 1, 1), date(9999, 12, 31), date(1900, 1, 1), date(2200, 12, 31),
            date(2026, 2, 28), datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "2026-13-45",
            "Pacific/Nowhere", "designated", "presumed", "none", "signed", "partial",
        ]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)  # fmt: skip


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the register a value sits, as a path of keys and indices."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*path, key)
            yield from leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*path, index)
            yield from leaves(inner, (*path, index))


PATHS = sorted(set(leaves(SEED)), key=repr)


def mutated(changes: list[tuple[tuple[Any, ...], Any, str]]) -> dict[str, Any]:
    data = copy.deepcopy(SEED)
    for path, value, how in changes:
        parent = data
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):  # an earlier change removed the place
                break
        else:
            _change(parent, path[-1], value, how)
    return data


def _change(parent: Any, last: Any, value: Any, how: str) -> None:
    """Set, delete or add beside the value at `parent[last]`, where that place still exists."""
    if isinstance(parent, dict) or (isinstance(parent, list) and last < len(parent)):
        if how == "delete" and isinstance(parent, dict):
            parent.pop(last, None)
        elif how == "extra" and isinstance(parent, dict):
            parent[f"{last}_typo"] = value
        else:
            parent[last] = value


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A fresh working folder, also the working directory (a fuzzed relative path lands
    there), with no NOTIFIER_* variable but the ones a test sets."""
    with tempfile.TemporaryDirectory() as name, contextlib.chdir(name):
        root = Path(name)
        (root / "notifier.toml").write_text(
            f'database_url = "sqlite:///{root / "n.db"}"\noutbox_dir = "{root / "outbox"}"\n'
            f'calendars_dir = "{root / "calendars"}"\ncache_dir = "{root / "cache"}"\n',
            encoding="utf-8",
        )
        yield root


def run(root: Path, *argv: str) -> CliResult:
    return run_main(*argv, "--config", str(root / "notifier.toml"))


VERSION_STAMP = re.compile(r'^INSERT INTO "(alembic_version|schema_version)"')


def store_dump(root: Path) -> list[str]:
    """What the store has recorded: its rows. A new store's empty tables and the version stamps
    written with them record nothing."""
    path = root / "n.db"
    if not path.exists():
        return []
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [
            line
            for line in connection.iterdump()
            if line.startswith("INSERT") and not VERSION_STAMP.search(line)
        ]


def assert_well_behaved(result: CliResult) -> None:
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    if result.code == 2:
        assert "problem(s)" in result.err or "error:" in result.err, result.err


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.upper().startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)


@FUZZ
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(PATHS), NASTY, st.sampled_from(["set", "set", "delete", "extra"])
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_register_is_accepted_or_refused_with_reasons(
    changes: list[tuple[tuple[Any, ...], Any, str]],
) -> None:
    try:
        text = tomli_w.dumps(mutated(changes))
    except (TypeError, ValueError):  # a value TOML cannot hold (e.g. a list of mixed tables)
        return
    with folder() as root:
        register = root / "register.toml"
        register.write_text(text, encoding="utf-8")
        for command in (["check"], ["timeline", "--format", "json"], ["remind", "--dry-run"]):
            assert_well_behaved(run(root, *command, "--register", str(register)))


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + EXAMPLE_REGISTER.read_text(encoding="utf-8"),
        "a = " + "[" * 600 + "]" * 600 + "\n",
        "a = " + "{b = " * 50_000 + "1" + "}" * 50_000 + "\n",
        EXAMPLE_REGISTER.read_text(encoding="utf-8").replace("\n", "\r\n"),
        "\x00" * 10,
    ],
    ids=["bom", "deep-array", "deep-table", "crlf", "nul"],
)
def test_a_register_with_odd_bytes_or_deep_nesting_is_refused_or_read(text: str) -> None:
    with folder() as root:
        register = root / "register.toml"
        register.write_text(text, encoding="utf-8")
        assert_well_behaved(run(root, "check", "--register", str(register)))


VARIABLES = sorted(environment_names())


@FUZZ
@given(variable=st.sampled_from(VARIABLES), value=NASTY.map(str))
def test_a_mutated_setting_is_accepted_or_refused_with_reasons(variable: str, value: str) -> None:
    if "\x00" in value:
        return  # the operating system refuses such a variable before we see it
    with folder() as root:
        os.environ[variable] = value
        try:
            for command in (["check"], ["remind", "--dry-run"], ["status"]):
                result = run(root, *command, "--register", str(EXAMPLE_REGISTER))
                if command == ["status"] and "Health: degraded" in result.out:
                    # Nothing was ever sent: the reminders due are late, and status says so.
                    result = result._replace(code=0)
                assert_well_behaved(result)
        finally:
            del os.environ[variable]


SLOTS = {
    "date": st.one_of(
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
        st.sampled_from(["0001-01-01", "9999-12-31", "0026-11-20", "2026-02-30", "today", ""]),
    ),
    "number": st.one_of(
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.sampled_from(["99999999", "-1", "0", "1e9", "nan", "3650", "3651"]),
    ),
    "text": st.one_of(
        st.text(max_size=40),
        st.sampled_from(["fine\r\n2026-12-01  admin  done  x\x1b[31m", "x" * 5000, ""]),
    ),
    "model": st.sampled_from(["titan-1", "atlas-7b", "support-bot", "no-such", "", "x" * 300]),
    "item": st.sampled_from(
        [
            "organisation/review-code-revision",
            "atlas-7b/art-53-1-c-copyright-policy",
            "titan-1/art-52-1-notification",
            "organisation/review-code-revision@2026-01-01",
            "no/such/item",
            "",
        ]
    ),
    "audience": st.sampled_from(["organisation", "model:titan-1", "person:legal",
                                 "api:timeline", "model:../../x", ""]),
}  # fmt: skip
COMMANDS = [
    "event add incident --model {model} --type death --aware-on {date}",
    "event add incident --model {model} --type cybersecurity --aware-on {date}",
    "event add commission-request --received-on {date} --due {date}",
    "event add commission-request --model {model} --received-on {date} --period-days {number}",
    "event add downstream-request --model {model} --received-on {date} --requester {text}",
    "event add commission-request --received-on {date} --period-days 30 --reference {text}",
    "event add notification --model {model} --sent-on {date}",
    "event add designation --model {model} --decided-on {date}",
    "event resolve incident-1 --on {date}",
    "done {item} --on {date} --note {text}",
    "done {item}",
    "timeline --as-of {date} --model {model}",
    "remind --as-of {date} --dry-run",
    "audit --since {date}",
    "calendars --as-of {date}",
    "feeds rotate {audience}",
]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command with each {slot} filled by a value of that slot's kind (one argument each)."""
    template = draw(st.sampled_from(COMMANDS))
    return [draw(SLOTS[part[1:-1]]) if part.startswith("{") else part for part in template.split()]


@FUZZ
@given(argv=command_lines())
def test_mutated_arguments_are_accepted_or_refused_and_a_refusal_changes_nothing(
    argv: list[str],
) -> None:
    if any("\x00" in value for value in argv):
        return  # the operating system refuses such an argument before we see it
    register = ("--register", str(EXAMPLE_REGISTER))
    with folder() as root:
        before = store_dump(root)
        result = run(root, *argv, *register)
        assert_well_behaved(result)
        if result.code == 2:
            assert store_dump(root) == before
        else:  # what was recorded never stops the reminders or the feeds of anyone
            assert_well_behaved(run(root, "remind", "--as-of", "2027-07-03", *register))
            assert_well_behaved(run(root, "calendars", *register))
