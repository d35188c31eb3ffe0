"""Real processes: `notifier run` subprocesses, free loopback ports, and bounded waiting."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .registers import EXAMPLE_REGISTER
from .workspace import settings_text

READY_SECONDS = 60.0
ANSWER_SECONDS = 30.0  # for one HTTP answer of a running server: only a failure waits this long
CLI_ENTRY = "from notifier.cli import run; run()"


def cli_process(*argv: str | Path, config: Path, register: Path) -> list[str]:
    """The command line of a separate `notifier ARGV --config CONFIG --register REGISTER`."""
    words = [str(word) for word in argv]
    return [
        sys.executable,
        "-c",
        CLI_ENTRY,
        *words,
        "--config",
        str(config),
        "--register",
        str(register),
    ]


_handed_out: set[int] = set()  # ports free_port() gave this test run


def free_port() -> int:
    """A loopback port free now, and never given before in this run: the probe is closed
    before the caller binds, so two calls (two daemons, a daemon and its OIDC provider) could
    otherwise get the same port from the system."""
    for _attempt in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port
    raise AssertionError("no fresh loopback port in 100 tries")


def wait_for(condition: Callable[[], object], what: str, seconds: float = READY_SECONDS) -> None:
    """Poll until `condition()` is true: waiting for a process, never asserting a duration."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def serves(url: str) -> bool:
    """Whether `url` answers 200 now (a 4xx or 5xx is not yet: a condition for `wait_for`)."""
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        error.close()
        return False


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc): a daemon's dispatch round runs in a
    child of its own (issue 22)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid: int) -> bool:
    """Whether `pid` has exited (a zombie holds no socket or file any more)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def kill_9(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the daemon and wait until it and its children (a dispatch round in flight, which
    dies with its daemon) are gone: the connections they held are closed."""
    kids = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    wait_for(lambda: all(gone(kid) for kid in kids), "the daemon's children to die with it")


@dataclass
class DaemonHarness:
    workdir: Path
    config: Path
    http_port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)
    ports: dict[int, int] = field(default_factory=dict)  # pid -> its HTTP port

    def start(
        self,
        clock_start: str,
        register: Path = EXAMPLE_REGISTER,
        *,
        config: Path | None = None,
        http_port: int | None = None,
    ) -> subprocess.Popen[bytes]:
        """A daemon on the harness's settings, or on other ones (a second instance)."""
        log = open(self.workdir / f"daemon-{len(self.processes)}.log", "wb")  # noqa: SIM115
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLI_ENTRY,
                "run",
                "--config",
                str(config or self.config),
                "--register",
                str(register),
                "--clock-start",
                clock_start,
            ],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.processes.append(process)
        self.ports[process.pid] = http_port or self.http_port
        wait_for(lambda: self.health(process) is not None, "the daemon to answer /healthz")
        return process

    def health(self, process: subprocess.Popen[bytes] | None = None) -> dict[str, Any] | None:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"daemon exited with {process.returncode}:\n{self.log()}")
        found = self.healthz(process)
        return None if found is None else found[1]

    def healthz(
        self, process: subprocess.Popen[bytes] | None = None
    ) -> tuple[int, dict[str, Any]] | None:
        """/healthz's HTTP status (200 ok, 503 degraded) and body; None while nothing answers."""
        if process is not None and process.poll() is not None:
            raise AssertionError(f"daemon exited with {process.returncode}:\n{self.log()}")
        try:
            url = self.url("/healthz", process)
            with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:  # 503: degraded, the body says why
            with error:
                return error.code, json.load(error)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def url(self, path: str, process: subprocess.Popen[bytes] | None = None) -> str:
        port = self.http_port if process is None else self.ports[process.pid]
        return f"http://127.0.0.1:{port}{path}"

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
        for log in self.logs:
            log.close()


def write_config(
    workdir: Path,
    http_port: int,
    smtp_port: int | None,
    database_url: str | None = None,
    *,
    name: str = "notifier.toml",
    calendars_dir: Path | None = None,
    lease_seconds: float = 2,
    dispatch_every_seconds: int = 1,
) -> Path:
    """Settings for a daemon under `workdir`: a dispatch at least every second (unless told:
    the daemon at rest dispatches only when something is due), retries without waiting, short
    leases (an instance killed is taken over within seconds); the store under `workdir` unless
    `database_url` names one."""
    sections: dict[str, dict[str, Any]] = {
        "http": {"port": http_port},
        "reminders": {
            "retry_delays_seconds": [0],
            "dispatch_every_seconds": dispatch_every_seconds,
        },
        "instances": {"lease_seconds": lease_seconds},
    }
    if smtp_port is not None:
        sections["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "tls": "none"}
    top = {
        "database_url": database_url or f"sqlite:///{workdir / 'var' / 'notifier.db'}",
        "calendars_dir": str(calendars_dir or workdir / "calendars"),
        "outbox_dir": str(workdir / "var" / "outbox"),
        "cache_dir": str(workdir / "var" / "cache"),
    }
    config = workdir / name
    config.write_text(settings_text(top, sections), encoding="utf-8")
    return config


def write_serve_config(root: Path, more: str) -> Path:
    """root/notifier.toml for `notifier serve`: the store, feeds and cache under `root`, HTTP on
    a free loopback port; `more` is TOML added after the [http] port line (more [http] keys,
    or other sections)."""
    config = root / "notifier.toml"
    config.write_text(
        f'database_url = "sqlite:///{root / "notifier.db"}"\n'
        f'calendars_dir = "{root / "calendars"}"\n'
        f'cache_dir = "{root / "cache"}"\n'
        '[http]\nhost = "127.0.0.1"\nport = 0\n' + more,
        encoding="utf-8",
    )
    return config


def _forward(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


@dataclass
class ServedProcess:
    """A `notifier serve` process and the loopback port it bound."""

    process: subprocess.Popen[str]
    port: int


@contextlib.contextmanager
def serving(config: Path, register: Path = EXAMPLE_REGISTER) -> Iterator[ServedProcess]:
    """`notifier serve` on the settings' port (0: any free one), until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLI_ENTRY, "serve", "--config", str(config), "--register",
         str(register)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stream = process.stderr
    reader = threading.Thread(target=_forward, args=(stream, lines), daemon=True)
    reader.start()
    try:
        port = None
        while port is None:
            line = lines.get(timeout=READY_SECONDS)
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        yield ServedProcess(process, port)
    finally:
        process.terminate()
        code = process.wait(timeout=READY_SECONDS)
        reader.join(timeout=READY_SECONDS)
        stream.close()
        # uvicorn shuts down gracefully on SIGTERM, then lets the signal end the process.
        assert code in (0, -signal.SIGTERM)
