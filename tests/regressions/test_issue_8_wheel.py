"""Issue 8: the email templates were not in the wheel, so `pip install .` (the README's production
install) failed at the first reminder with TemplateNotFound, leaving the claimed reminders unsent.

The wheel is built and installed, not editable, into a fresh virtual environment, and run from
an unrelated folder: every file the service reads at run time must come from the package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.registers import EXAMPLE_REGISTER, REPO
from tests.support.workspace import Workspace

pytestmark = pytest.mark.process  # builds a wheel and a virtualenv
IGNORED = shutil.ignore_patterns("__pycache__")


def run(*command: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_installed_wheel_sends_reminders_into_the_outbox_from_an_unrelated_folder(
    tmp_path: Path,
) -> None:
    # Built from a clean copy: setuptools keeps a build/ folder in the tree it builds.
    source = tmp_path / "source"
    shutil.copytree(REPO / "notifier", source / "notifier", ignore=IGNORED)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    dist = tmp_path / "dist"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        dist,
        source,
    )
    [wheel] = dist.glob("notifier-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    # The dependencies come from this test environment's site-packages (read through a .pth
    # file, so its editable notifier is not seen); notifier itself only from the wheel.
    site = next((venv / "lib").glob("python3.*")) / "site-packages"
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = "import notifier; print(notifier.__file__)"
    located = run(venv / "bin" / "python", "-c", probe, cwd=elsewhere)
    assert Path(located.strip()).is_relative_to(site)
    register = elsewhere / "register.toml"
    register.write_text(EXAMPLE_REGISTER.read_text(encoding="utf-8"), encoding="utf-8")
    space = Workspace.create(elsewhere, register)
    out = run(
        venv / "bin" / "notifier",
        "remind",
        "--as-of",
        "2027-07-03T09:00:00+02:00",
        "--config",
        space.config,
        cwd=elsewhere,
    )

    assert "sent to legal@example.com" in out
    assert len(list(space.outbox.glob("*.eml"))) == 4
    assert "notifier 0.1.0" in run(venv / "bin" / "notifier", "--version", cwd=elsewhere)
