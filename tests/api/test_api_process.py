"""The acceptance, as a person runs it: `notifier token create` in one process prints the token
on its last line; a real `notifier serve` takes the POST over loopback HTTP; `notifier audit` in
another process shows the mark as `api:legal (ci)`; a read token gets 403 and a revoked one 401,
nothing recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.support.processes import cli_process, serving, write_serve_config
from tests.support.registers import EXAMPLE_REGISTER

from .conftest import OVERDUE

pytestmark = pytest.mark.process


def cli(config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    command = cli_process(*argv, config=config, register=EXAMPLE_REGISTER)
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_a_write_token_marks_an_item_done_over_http_and_the_audit_names_it(
    tmp_path: Path,
) -> None:
    config = write_serve_config(tmp_path, "")
    made = cli(config, "token", "create", "--person", "legal", "--scope", "write", "--name", "ci")
    assert made.returncode == 0, made.stderr
    write = made.stdout.splitlines()[-1]
    reader = cli(config, "token", "create", "--person", "legal", "--scope", "read", "--name", "ro")
    read = reader.stdout.splitlines()[-1]
    body = {"on": "2026-12-01", "note": "Annex XI documentation filed"}
    with serving(config) as served:
        url = f"http://127.0.0.1:{served.port}/api/v1/items/{quote(OVERDUE, safe='')}/done"

        def done(token: str) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            return httpx.post(url, json=body, headers=headers, timeout=30)

        assert done(read).status_code == 403
        assert OVERDUE not in cli(config, "audit").stdout
        answer = done(write)
        assert answer.status_code == 201, answer.text
        audit = [line for line in cli(config, "audit").stdout.splitlines() if OVERDUE in line]
        assert len(audit) == 1
        assert "api:legal (ci)" in audit[0]
        listed = cli(config, "token", "list").stdout.splitlines()
        (ci,) = [line for line in listed if line.rstrip().endswith(" ci")]
        assert cli(config, "token", "revoke", ci.split()[0]).returncode == 0
        assert done(write).status_code == 401
    assert len([ln for ln in cli(config, "audit").stdout.splitlines() if OVERDUE in ln]) == 1
