"""Issue 16: a file a person names is read only if it is a regular file, and only up to a size.
`check --register /dev/zero` used to grow to 6 GB and a FIFO hung; both are now refused (exit 2)
at once, naming the file and what it is. Run as separate processes under a 200 MB address-space
limit and a time-out, so that a regression fails rather than eats the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from notifier.input_files import Unreadable, read_limited
from tests.support.cli import run_main
from tests.support.processes import CLI_ENTRY
from tests.support.registers import EXAMPLE_REGISTER

LIMIT_BYTES = 200 * 1024 * 1024


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES * 4, LIMIT_BYTES * 4))  # the interpreter


def check(register: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI_ENTRY, "check", "--register", str(register)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        preexec_fn=_bounded,  # a limit, set before the interpreter starts
        env={k: v for k, v in os.environ.items() if not k.startswith("NOTIFIER_")},
    )


@pytest.mark.process
def test_check_refuses_dev_zero_at_once_and_creates_nothing(tmp_path: Path) -> None:
    result = check(Path("/dev/zero"), tmp_path)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero" in result.stderr
    assert "not a regular file (a device)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no store, no folder


@pytest.mark.process
def test_check_refuses_a_named_pipe_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "register.toml"
    os.mkfifo(fifo)
    result = check(fifo, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "a named pipe" in result.stderr


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2048)
    with pytest.raises(Unreadable, match="2,048 bytes, more than the 1,024 allowed"):
        read_limited(big, limit=1024)
    assert read_limited(big, limit=4096) == b"#" * 2048


def test_a_folder_is_refused_as_a_folder(tmp_path: Path) -> None:
    with pytest.raises((Unreadable, IsADirectoryError)):
        read_limited(tmp_path)


def test_a_register_or_settings_file_with_a_bom_is_refused_naming_the_bom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    register = tmp_path / "register.toml"
    register.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_REGISTER.read_bytes())
    code, _out, err = run_main("check", "--register", str(register))
    assert code == 2
    assert f"{register}:1: the file starts with a byte order mark (BOM" in err
    settings = tmp_path / "notifier.toml"
    settings.write_bytes(b'\xef\xbb\xbfdatabase_url = "sqlite:///n.db"\n')
    code, _out, err = run_main("check", "--config", str(settings))
    assert code == 2
    assert "byte order mark" in err
    assert not (tmp_path / "n.db").exists()
