"""The commands at the prompt load only what they use: no HTTP server, scheduler, web framework,
templates, SMTP client, iCalendar library or HTTP client (issue 13).

Each command runs for real, in a fresh interpreter, against a working folder with the example
register; afterwards the probe lists which of the heavy modules are in sys.modules. A module
imported by another test cannot hide a leak, and neither can one imported by a library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.workspace import Workspace

pytestmark = pytest.mark.process

HEAVY = (
    *("uvicorn", "apscheduler", "starlette", "jinja2", "aiosmtplib", "icalendar", "httpx"),
    # Issue 22: nor the spreadsheet, single sign-on and scan code (each loads where it is used).
    *("openpyxl", "authlib", "notifier.core.scan"),
    # Nor pydantic-settings (no longer a dependency; the settings read the environment alone).
    "pydantic_settings",
)
AS_OF = "2026-11-24"
COMMANDS = {
    "check": ["check", "--as-of", AS_OF],
    "timeline": ["timeline", "--as-of", AS_OF, "--format", "json"],
    "done": ["done", "organisation/review-code-revision", "--on", AS_OF, "--note", "checked"],
    "audit": ["audit"],
    "advise": ["advise", "--as-of", AS_OF],
}


def modules_after(workspace: Workspace, argv: list[str]) -> tuple[int, list[str]]:
    """The command's exit code, and every module in sys.modules after it ran."""
    probe = (
        "import json, sys\n"
        "from notifier.cli import main\n"
        f"code = main({[*argv, '--config', str(workspace.config)]!r})\n"
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=workspace.root,
    )
    code, found = json.loads(result.stdout.strip().splitlines()[-1])
    return code, found


def loaded_after(workspace: Workspace, argv: list[str]) -> tuple[int, list[str]]:
    """The command's exit code, and which of HEAVY it left in sys.modules."""
    code, found = modules_after(workspace, argv)
    return code, [m for m in found if any(m == h or m.startswith(h + ".") for h in HEAVY)]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_at_the_prompt_loads_no_server_scheduler_template_or_mail_module(
    workspace: Workspace, command: str
) -> None:
    code, found = loaded_after(workspace, COMMANDS[command])

    assert code == 0
    assert found == []


def test_the_probe_sees_the_heavy_modules_of_a_command_that_uses_them(
    workspace: Workspace,
) -> None:
    # `calendars` renders iCalendar: the probe must see icalendar there, or it proves nothing.
    code, found = loaded_after(workspace, ["calendars", "--as-of", AS_OF])

    assert code == 0
    assert "icalendar" in found


# Issue 22: a run imports its own command's module (and what that one uses), not every command's.
OWN_MODULES = {
    "check": {"timeline_cmd"},
    "timeline": {"timeline_cmd"},
    "done": {"records_cmd", "audit_cmd"},  # records_cmd shares audit_cmd's --verify
    "audit": {"records_cmd", "audit_cmd"},
    "advise": {"advise_cmd"},
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_at_the_prompt_imports_no_other_command_s_module(
    workspace: Workspace, command: str
) -> None:
    code, loaded = modules_after(workspace, COMMANDS[command])
    found = [
        m.rsplit(".", 1)[1] for m in loaded if m.startswith("notifier.cli.") and m.endswith("_cmd")
    ]

    assert code == 0
    assert set(found) == OWN_MODULES[command]
