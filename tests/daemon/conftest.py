"""Real processes for daemon tests: an SMTP server on loopback and `notifier run` subprocesses."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]
REGISTER = REPO / "config" / "register.toml"
READY_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Any, what: str, seconds: float = READY_SECONDS) -> None:
    """Poll until `condition()` is true: waiting for a process, never asserting a duration."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Received:
    recipients: list[str]
    message_id: str
    data: bytes


@dataclass
class RecordingHandler:
    """Records what it accepted; can hold the n-th message before answering (to crash a client
    mid-send). A held message counts only if the client is still there when released."""

    accepted: list[Received] = field(default_factory=list)
    hold_message_number: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    seen: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == self.hold_message_number:
            self.holding.set()
            await asyncio.to_thread(self.release.wait)
            if server.transport is None or server.transport.is_closing():
                return "451 client gone"
        data: bytes = envelope.content
        message_id = ""
        for line in data.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        self.accepted.append(Received(list(envelope.rcpt_tos), message_id, data))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, handler)
    finally:
        handler.release.set()
        controller.stop()


@dataclass
class DaemonHarness:
    workdir: Path
    config: Path
    http_port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)

    def start(self, clock_start: str, register: Path = REGISTER) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"daemon-{len(self.processes)}.log", "wb")  # noqa: SIM115
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from notifier.cli import run; run()",
                "run",
                "--config",
                str(self.config),
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
        wait_for(lambda: self.health(process) is not None, "the daemon to answer /healthz")
        return process

    def health(self, process: subprocess.Popen[bytes] | None = None) -> dict[str, Any] | None:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"daemon exited with {process.returncode}:\n{self.log()}")
        try:
            with urllib.request.urlopen(self.url("/healthz"), timeout=5) as response:
                result: dict[str, Any] = json.load(response)
                return result
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
        for log in self.logs:
            log.close()


def write_config(workdir: Path, http_port: int, smtp_port: int | None) -> Path:
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\ntls = "none"\n' if smtp_port else ""
    config = workdir / "notifier.toml"
    config.write_text(
        f'database_url = "sqlite:///{workdir / "var" / "notifier.db"}"\n'
        f'calendars_dir = "{workdir / "calendars"}"\n'
        f'outbox_dir = "{workdir / "var" / "outbox"}"\n'
        f"[http]\nport = {http_port}\n"
        "[reminders]\nretry_delays_seconds = [0]\ndispatch_every_seconds = 1\n"
        f"{smtp}",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def harness(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[DaemonHarness]:
    port = free_port()
    result = DaemonHarness(tmp_path, write_config(tmp_path, port, smtp_server.port), port)
    try:
        yield result
    finally:
        result.stop_all()
