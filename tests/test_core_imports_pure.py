"""The core (register, rules, periods, timeline) imports nothing that reads the clock or does I/O.

Each check runs in a fresh interpreter, so modules other tests imported cannot hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = (
    "notifier.register",
    "notifier.periods",
    "notifier.timeline",
    "notifier.due_dates",
    "notifier.classification",
    "notifier.items",
    "notifier.item_builder",
    "notifier.timeline_options",
    "notifier.event_dates",
    "notifier.events",
    "notifier.law.model",
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
    "holidays",
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


@pytest.mark.parametrize("module", CORE)
def test_importing_a_core_module_pulls_in_no_io_module(module: str, baseline: set[str]) -> None:
    found = set(impure_modules_after(f"import {module}")) - baseline

    assert not found, f"{module} imports {sorted(found)}"


def test_importing_the_whole_core_together_pulls_in_no_io_module(baseline: set[str]) -> None:
    found = set(impure_modules_after("\n".join(f"import {m}" for m in CORE))) - baseline

    assert not found


def test_pydantic_alone_pulls_in_nothing_but_socket() -> None:
    # Keeps the allowance above honest: if pydantic ever pulls in more, this says so.
    assert set(impure_modules_after(PYDANTIC_BASELINE)) <= {"socket"}


def test_the_probe_sees_an_edge_module_that_reads_the_clock() -> None:
    assert "notifier.clock" in impure_modules_after("import notifier.context")
