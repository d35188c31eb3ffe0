"""The entry point starts a command with the garbage collector off and switches it on again,
its modules frozen, once they are loaded (issue 22: the prompt); `main` called in a process
that did not start there (the tests, an embedding program) leaves the collector alone."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from notifier.cli import main
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER


def test_main_called_in_process_leaves_the_collector_as_it_was(run_cli: RunCli) -> None:
    frozen = gc.get_freeze_count()

    code, _out, err = run_cli("check", "--register", str(EXAMPLE_REGISTER))

    assert code == 0, err
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_main_does_not_switch_on_a_collector_its_caller_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    gc.disable()
    try:
        assert main(["--version"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert capsys.readouterr().out.startswith("notifier ")


@pytest.mark.process
@pytest.mark.parametrize("argv", [["check"], ["--version"], ["chekc"]])
def test_the_entry_point_runs_the_command_with_the_collector_on_at_the_end(
    tmp_path: Path, argv: list[str]
) -> None:
    config = tmp_path / "notifier.toml"
    config.write_text(f'register = "{EXAMPLE_REGISTER}"\n', encoding="utf-8")
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collector', gc.isenabled(), gc.get_freeze_count() > 0))\n"
        f"sys.argv = ['notifier', *{argv!r}, *(['--config', {str(config)!r}] if "
        f"{argv!r} == ['check'] else [])]\n"
        "from notifier.cli import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == (2 if argv == ["chekc"] else 0), result.stderr
    assert result.stdout.strip().splitlines()[-1] == "collector True True"
