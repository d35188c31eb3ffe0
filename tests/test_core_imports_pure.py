"""At run time, importing the core loads nothing that reads the clock or does I/O.

The import-linter contracts in pyproject.toml check the imports written in the code; this checks
what is really loaded, in a fresh interpreter, so modules other tests imported cannot hide a
leak (nor can an import made by a library the core uses). Every module under notifier.core is
checked: the list is found, not written by hand.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import notifier.core

CORE = sorted(
    module.name for module in pkgutil.walk_packages(notifier.core.__path__, prefix="notifier.core.")
)
IMPURE = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "sqlite3",
    "sqlalchemy",
    "smtplib",
    "aiosmtplib",
    "asyncio",
    "subprocess",
    "notifier.clock",
    "notifier.context",
    "notifier.settings",
    "holidays",
    "jinja2",
    "icalendar",
)
# pydantic (a dependency of the core) imports importlib.metadata for its plugin loader, which
# imports email.utils and with it `socket`; that is pydantic's import, not the core's.
PYDANTIC_BASELINE = "import pydantic\nclass Probe(pydantic.BaseModel):\n    x: int\n"


def impure_modules_after(code: str) -> list[str]:
    """Which of IMPURE are in sys.modules after running `code` in a fresh interpreter."""
    report = f"import json, sys\nprint(json.dumps([m for m in {IMPURE!r} if m in sys.modules]))"
    probe = f"{code}\n{report}"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    found: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


@pytest.fixture(scope="module")
def baseline() -> set[str]:
    return set(impure_modules_after(PYDANTIC_BASELINE))


def test_the_core_has_the_modules_the_code_map_names() -> None:
    assert {"notifier.core.timeline.build", "notifier.core.register.parse"} <= set(CORE)


def test_importing_the_whole_core_pulls_in_no_io_module(baseline: set[str]) -> None:
    found = set(impure_modules_after("\n".join(f"import {m}" for m in CORE))) - baseline

    assert not found


def test_pydantic_alone_pulls_in_nothing_but_socket() -> None:
    # Keeps the allowance above honest: if pydantic ever pulls in more, this says so.
    assert set(impure_modules_after(PYDANTIC_BASELINE)) <= {"socket"}


def test_the_probe_sees_an_edge_module_that_reads_the_clock() -> None:
    assert "notifier.clock" in impure_modules_after("import notifier.cli")
