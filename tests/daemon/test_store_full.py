"""Issue 16: no green light on a broken store. The store on a full file system while `notifier
run` runs: /healthz 503 with a `store` problem and `notifier status` exit 1 naming it; both ok
again once there is room.

The full file system is a small tmpfs mounted for the test (root only; elsewhere the test is
skipped with the reason), filled by a file the test then removes."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import (
    CLI_ENTRY,
    DaemonHarness,
    children,
    free_port,
    wait_for,
    write_config,
)
from tests.support.registers import EXAMPLE_REGISTER

pytestmark = pytest.mark.process

CLOCK_START = "2026-11-24T10:00:00+01:00"
DISK_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB file system of its own, unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the file system says it is full (bounded by its size)."""
    filler = disk / "filler"
    block = b"\0" * CHUNK
    with open(filler, "wb", buffering=0) as out:
        for _ in range(DISK_BYTES // CHUNK + 1):
            try:
                out.write(block)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                return filler
    raise AssertionError("the file system never filled")


def status(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            CLI_ENTRY,
            "status",
            "--as-of",
            CLOCK_START,
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NOTIFIER_REGISTER": str(EXAMPLE_REGISTER)},
    )


def test_a_full_store_is_a_store_problem_in_healthz_and_status_until_there_is_room(
    tmp_path: Path, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    port = free_port()
    config = write_config(tmp_path, port, None, f"sqlite:///{small_disk / 'notifier.db'}")
    harness = DaemonHarness(tmp_path, config, port)
    try:
        process = harness.start(CLOCK_START)

        def answer() -> tuple[int, set[str]]:
            found = harness.healthz(process)
            if found is None:
                return 0, set()
            return found[0], {p["kind"] for p in found[1]["problems"]}

        wait_for(lambda: answer()[0] == 200, "/healthz to say ok before the disk fills")

        # The disk fills under a daemon at rest: its first round over, and its first feed build
        # (a child process that writes the store) over, its files written and the child gone.
        # Filled in the middle of either, the job fails on the store and logs its traceback.
        def at_rest() -> bool:
            health = harness.health(process) or {}
            built = (tmp_path / "calendars" / "organisation.ics").exists()
            return bool(health.get("last_dispatch")) and built and not children(process.pid)

        wait_for(at_rest, "the daemon's first round and feed build to be over")
        before = status(config)
        assert before.returncode == 0, before.stdout + before.stderr

        filler = fill(small_disk)
        wait_for(lambda: "store" in answer()[1], "/healthz to name the store problem", 60)
        code, body = harness.healthz(process) or (0, {})
        assert code == 503
        assert body["store"] == "unwritable"
        store = next(p for p in body["problems"] if p["kind"] == "store")
        assert "cannot be written" in store["detail"]
        full = status(config)
        assert full.returncode == 1, full.stdout + full.stderr
        assert "store" in full.stdout
        assert "cannot be written" in full.stdout
        assert "Traceback" not in full.stderr

        filler.unlink()
        wait_for(lambda: answer()[0] == 200, "/healthz to say ok once there is room", 60)
        again = status(config)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Health: ok" in again.stdout
        assert "Traceback" not in harness.log()
    finally:
        harness.stop_all()
        with contextlib.suppress(OSError):
            (small_disk / "filler").unlink()
