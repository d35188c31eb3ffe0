"""Issue 16: `notifier run` binds its port before the scheduler starts; on a busy port it exits
1 with a message naming the address, having started no job (it used to start the scheduler,
then fail to bind and exit 3)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import CLI_ENTRY, write_config
from tests.support.registers import EXAMPLE_REGISTER

pytestmark = pytest.mark.process


def test_a_busy_port_is_exit_1_naming_it_before_the_scheduler_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(tmp_path, port, None)
        result = subprocess.run(
            [sys.executable, "-c", CLI_ENTRY, "run", "--config", str(config),
             "--register", str(EXAMPLE_REGISTER)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("NOTIFIER_")},
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"cannot listen on http 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "scheduler started" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "outbox").exists()  # nothing was dispatched
