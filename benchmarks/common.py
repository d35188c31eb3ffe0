"""What the benchmarks share: the machine's description, a generated register of any size,
CPU time of a child process, and processes on loopback ports, bounded in time."""

from __future__ import annotations

import os
import platform
import resource
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 24)
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PEOPLE = 20
READY_SECONDS = 60.0


def register_text(models: int) -> str:
    """An organisation with `models` models of every kind the rules distinguish."""
    lines = [
        "[organisation]",
        'name = "Benchmark AI SAS"',
        'established_in = "FR"',
        'timezone = "Europe/Paris"',
        'contacts = ["person-00"]',
        "[organisation.code_of_practice]",
        'transparency = "signed"',
        'copyright = "signed"',
        'safety_and_security = "signed"',
        "version_reviewed = 2025-07-10",
        "checked_on = 2026-10-15",
    ]
    for n in range(PEOPLE):
        lines += ["[[people]]", f'id = "person-{n:02}"', f'name = "Person {n:02}"']
        lines += [f'email = "person{n:02}@example.com"']
    for n in range(models):
        owners = f'["person-{n % PEOPLE:02}", "person-{(n + 7) % PEOPLE:02}"]'
        lines += ["[[models]]", f'id = "model-{n:04}"', f'name = "Model {n:04}"']
        lines += [f"owners = {owners}", *_model_kind(n)]
    return "\n".join(lines) + "\n"


def lineage_text(versions: int) -> str:
    """One model in `versions` versions, each following the one before: the first placed
    before Chapter V applied, the others after, a few a day (every one in the transition)."""
    head = register_text(1).split("[[models]]")[0]
    lines = [head.rstrip("\n")]
    for n in range(versions):
        placed = (
            date(2024, 11, 1) if n == 0 else date(2025, 8, 2) + timedelta(days=n * 450 // versions)
        )
        lines += ["[[models]]", f'id = "model-{n:05}"', f'name = "Model {n:05}"']
        lines += ['owners = ["person-00"]', 'role = "provider"', f"placed_on_market = {placed}"]
        lines += [f'version_of = "model-{n - 1:05}"'] if n else []
    return "\n".join(lines) + "\n"


def _model_kind(n: int) -> list[str]:
    day = 1 + n % 28
    match n % 5:
        case 0:  # legacy: Art 111(3) transition
            return ['role = "provider"', f"placed_on_market = 2024-11-{day:02}"]
        case 1:  # Chapter V from placing
            return ['role = "provider"', f"placed_on_market = 2026-0{1 + n % 9}-{day:02}"]
        case 2:  # planned, systemic risk presumed by compute
            return [
                'role = "provider"',
                f"planned_placement = 2027-0{1 + n % 9}-{day:02}",
                "training_compute_flop = 2.4e25",
                "threshold_known_on = 2026-12-01",
            ]
        case 3:  # downstream
            return [
                'role = "downstream"',
                'upstream = [{ provider = "Up", model = "Big-1", signatory = "partial", '
                'chapters = ["copyright"], last_verified = 2026-11-02 }]',
            ]
        case _:  # designated systemic risk
            return [
                'role = "provider"',
                "placed_on_market = 2025-10-01",
                'systemic_risk = "designated"',
                "designated_on = 2026-05-20",
            ]


def settings_file(root: Path, register: Path, port: int = 0, **sections: str) -> Path:
    """A settings file keeping everything under `root` (sections given as TOML text)."""
    config = root / "notifier.toml"
    text = (
        f'register = "{register}"\n'
        f'database_url = "sqlite:///{root / "var" / "notifier.db"}"\n'
        f'calendars_dir = "{root / "calendars"}"\n'
        f'cache_dir = "{root / "var" / "cache"}"\n'
        f'outbox_dir = "{root / "var" / "outbox"}"\n'
        f'[http]\nhost = "127.0.0.1"\nport = {port}\n'
    )
    for name, body in sections.items():
        text += f"[{name}]\n{body}\n"
    config.write_text(text, encoding="utf-8")
    return config


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("icalendar", "starlette", "uvicorn", "sqlalchemy")
    )
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB; Python {platform.python_version()}, {versions}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def child_cpu(command: Sequence[str], cwd: Path | None = None, timeout: float = 300) -> float:
    """User + system CPU seconds of one run of `command` (which must exit 0)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        command, cwd=cwd, check=True, timeout=timeout, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(port: int, process: subprocess.Popen[bytes], seconds: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def running(
    command: Sequence[str], port: int, cwd: Path, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, listening on `port` before the block starts, stopped after it."""
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output)
    try:
        wait_ready(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not None and not isinstance(output, int):
            output.close()
