"""Failover: two `notifier run` on one PostgreSQL database, the leader killed with -9 at a random
point of its dispatch, over N rounds. Are all reminders delivered, none twice, and how soon does
the other instance take over?

Run: .venv/bin/python benchmarks/failover.py [--rounds 5] [--models 1000] [--dispatch-every 10]
     [--lease 5] [--seed 12]

Each round: a fresh database on a private PostgreSQL server (Debian's binaries, as the tests use
them); a register of `--models` models and 20 people (benchmarks/common.py's generator); an SMTP
server on loopback that records every message it accepts; instance A started first (it leads),
then B. Their clocks start just before 09:00 on 2027-07-03, so the morning's reminders fall due
while both run. When A's SMTP server has accepted a random number of the morning's digests, and
after a further random pause of up to 50 ms, A is killed with SIGKILL. B takes over, releases
A's claims once A's instance lease lapses, and sends the rest; then A is restarted and must
rejoin as a follower.

Per round it prints: reminders delivered (of those due), duplicates (and how many of them had
been accepted by the server while A had not yet recorded them: the documented window between
the server's 250 and the ledger write), lost, and seconds from the kill to B leading and to B's
first accepted message, beside the anchor: B must send within two dispatch intervals.
Only 127.0.0.1 is used; every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' PostgreSQL and SMTP helpers

from common import PEOPLE, register_text  # noqa: E402 - benchmarks/common.py, beside this file

from notifier.channels.delivery import plan  # noqa: E402
from notifier.clock import system_now  # noqa: E402
from notifier.context import load_context  # noqa: E402
from notifier.core.items import calendar_uid  # noqa: E402
from tests.support.mailserver import Received, RecordingHandler, start_server  # noqa: E402
from tests.support.postgres import Databases, PostgresCluster, find_bindir  # noqa: E402
from tests.support.processes import CLI_ENTRY, free_port  # noqa: E402
from tests.support.stores import ledger_rows  # noqa: E402
from tests.support.workspace import settings_text  # noqa: E402

DAY_BEFORE = "2027-07-02T09:00:00+02:00"  # sent before the round: only new steps stay due
CLOCK_START = datetime.fromisoformat("2027-07-03T08:59:45+02:00")  # 09:00 is send_at
DUE_AT = datetime.fromisoformat("2027-07-03T09:01:00+02:00")
READY_SECONDS = 120.0
UID = re.compile(rb"^UID:(\S+)\r?$", re.MULTILINE)
Pair = tuple[str, str]  # (calendar UID of the item, recipient): one reminder


class TimedHandler(RecordingHandler):
    """Records, besides each message, the monotonic instant the server accepted it."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_at: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            with self._lock:
                self.accepted_at.append(time.monotonic())
        return reply


def reminders_in(received: Received) -> list[Pair]:
    """The reminders a message carried: one event per item in its .ics part, per recipient."""
    uids: list[str] = []
    for part in received.message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            uids += [uid.decode() for uid in UID.findall(payload)]
    return [(uid, rcpt.lower()) for uid in uids for rcpt in received.rcpt_tos]


def wait_for(condition: Callable[[], object], what: str, seconds: float = READY_SECONDS) -> float:
    """Poll until true; returns the monotonic instant it became true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


@dataclass
class Instance:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    def health(self) -> dict[str, Any]:
        if self.process.poll() is not None:
            return {}
        try:
            url = f"http://127.0.0.1:{self.port}/healthz"
            with urllib.request.urlopen(url, timeout=10) as response:
                found: dict[str, Any] = json.load(response)
                return found
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return {}


@dataclass
class Round:
    number: int
    due: int
    digests_before_kill: int
    delivered: int = 0
    duplicates: int = 0
    in_window: int = 0
    lost: int = 0
    takeover_seconds: float = 0.0
    first_send_seconds: float = 0.0
    rejoined: bool = False
    notes: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, root: Path, models: int, dispatch_every: int, lease: float) -> None:
        self.root = root
        self.dispatch_every = dispatch_every
        self.lease = lease
        self.register = root / "register.toml"
        self.register.write_text(register_text(models), encoding="utf-8")
        self.cluster = PostgresCluster().start()
        self.databases = Databases(self.cluster)
        self.handler = TimedHandler()
        self.smtp = start_server(handler=self.handler)
        self.due: set[Pair] = set()

    def close(self) -> None:
        self.smtp.stop()
        self.databases.close()
        self.cluster.stop()

    def _settings(self, name: str, database_url: str, port: int) -> Path:
        path = self.root / f"{name}.toml"
        top = {
            "database_url": database_url,
            "calendars_dir": str(self.root / name / "calendars"),
            "outbox_dir": str(self.root / name / "outbox"),
        }
        sections: dict[str, dict[str, Any]] = {
            "http": {"port": port},
            "smtp": {"host": "127.0.0.1", "port": self.smtp.port, "tls": "none"},
            "reminders": {
                "retry_delays_seconds": [0],
                "dispatch_every_seconds": self.dispatch_every,
            },
            "instances": {"lease_seconds": self.lease},
        }
        path.write_text(settings_text(top, sections), encoding="utf-8")
        return path

    def _prepare(self, database_url: str) -> set[Pair]:
        """Send the day before (as the daemon would have), then return the reminders due on the
        morning of the round, planned by the notifier itself."""
        config = self._settings("prepare", database_url, 0)
        subprocess.run(
            [sys.executable, "-c", CLI_ENTRY, "remind", "--config", str(config),
             "--register", str(self.register), "--as-of", DAY_BEFORE],
            cwd=self.root, check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        context = load_context(config, self.register, system_now())  # as `notifier run` reads it
        try:
            settled = {row["key"] for row in ledger_rows(database_url)}
            return {
                (calendar_uid(r.item.id), r.recipient.email.lower())
                for r in plan(context, DUE_AT)
                if r.key not in settled
            }
        finally:
            context.store.close()

    def start(self, name: str, database_url: str, clock: datetime) -> Instance:
        port = free_port()
        config = self._settings(name, database_url, port)
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - closed by stop()
        process = subprocess.Popen(
            [sys.executable, "-c", CLI_ENTRY, "run", "--config", str(config),
             "--register", str(self.register), "--clock-start", clock.isoformat()],
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        instance = Instance(name, process, port, log)
        try:
            wait_for(lambda: instance.health(), f"{name} to answer /healthz")
        except TimeoutError:
            log.flush()
            tail = (self.root / f"{name}.log").read_text(errors="replace")[-3000:]
            raise TimeoutError(f"{name} did not answer /healthz; its log ends:\n{tail}") from None
        return instance

    def run(self, number: int, rng: random.Random) -> Round:
        database_url = self.databases.create(migrated=False)
        self.due = self._prepare(database_url)
        self.handler.received.clear()
        self.handler.accepted_at.clear()
        digests = len({rcpt for _uid, rcpt in self.due})
        result = Round(number, len(self.due), rng.randint(1, max(1, digests - 1)))
        started = time.monotonic()
        a = self.start("a", database_url, CLOCK_START)
        b: Instance | None = None
        try:
            wait_for(lambda: a.health().get("leading"), "A to lead")
            b_clock = CLOCK_START + timedelta(seconds=time.monotonic() - started)
            b = self.start("b", database_url, b_clock)  # the same clock reading as A
            dead, heir = a.health()["instance"], b.health()["instance"]
            wait_for(
                lambda: len(self.handler.accepted_at) >= result.digests_before_kill,
                "A to send that many digests",
            )
            time.sleep(rng.uniform(0, 0.05))
            a.process.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            a.process.wait(timeout=30)
            in_flight = {
                (calendar_uid(row["item_id"]), row["recipient"].lower())
                for row in ledger_rows(database_url)
                if row["status"] == "claimed" and row["claimed_by"] == dead
            }
            assert b is not None
            survivor = b
            result.takeover_seconds = (
                wait_for(lambda: survivor.health().get("leading"), "B to lead") - killed
            )
            bound = 2 * self.dispatch_every + 2 * self.lease + 30
            try:
                wait_for(lambda: self._pairs().keys() >= self.due, "every reminder", bound)
            except TimeoutError:
                result.notes.append(f"not all delivered within {bound:.0f} s")
            after = [t for t in self.handler.accepted_at if t > killed]
            result.first_send_seconds = (after[0] - killed) if after else float("nan")
            a = self.start("a", database_url, CLOCK_START + timedelta(seconds=killed - started))
            rejoined = a
            wait_for(lambda: rejoined.health().get("leader") == heir, "A to rejoin", 60)
            result.rejoined = not a.health().get("leading")
            self._count(result, in_flight)
        finally:
            for instance in (a, b):
                if instance is not None:
                    self._stop(instance)
            self.databases.drop(database_url)
        return result

    def _pairs(self) -> Counter[Pair]:
        return Counter(pair for m in self.handler.messages() for pair in reminders_in(m))

    def _count(self, result: Round, in_flight: set[Pair]) -> None:
        pairs = self._pairs()
        result.delivered = len(pairs.keys() & self.due)
        result.lost = len(self.due - pairs.keys())
        twice = {pair: n - 1 for pair, n in pairs.items() if n > 1}
        result.duplicates = sum(twice.values())
        result.in_window = sum(n for pair, n in twice.items() if pair in in_flight)

    @staticmethod
    def _stop(instance: Instance) -> None:
        if instance.process.poll() is None:
            instance.process.send_signal(signal.SIGTERM)
            try:
                instance.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                instance.process.kill()
                instance.process.wait(timeout=30)
        instance.log.close()


def machine() -> str:
    server = subprocess.run(
        [str(find_bindir() / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{server or 'PostgreSQL ?'}, psycopg {version('psycopg')}, "
        f"SQLAlchemy {version('sqlalchemy')}, Alembic {version('alembic')}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--dispatch-every", type=int, default=10, help="seconds")
    parser.add_argument("--lease", type=float, default=5, help="instances.lease_seconds")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 50:
        parser.error("--rounds must be between 1 and 50")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="notifier-failover-") as folder:
        bench = Bench(Path(folder), args.models, args.dispatch_every, args.lease)
        try:
            print(f"Machine: {machine()}")
            print(
                f"{args.models} models, {PEOPLE} people; dispatch every {args.dispatch_every} s, "
                f"lease {args.lease:g} s; seed {args.seed}"
            )
            print(
                f"Anchor: the new leader sends within two dispatch intervals "
                f"({2 * args.dispatch_every} s) of the kill\n"
            )
            print(
                "round  killed after  delivered   duplicates (in window)  lost  "
                "takeover s  first send s  A rejoined"
            )
            rounds = []
            for number in range(1, args.rounds + 1):
                found = bench.run(number, rng)
                rounds.append(found)
                print(
                    f"{found.number:>5}  {found.digests_before_kill:>5} digests  "
                    f"{found.delivered:>5}/{found.due:<5} {found.duplicates:>6} "
                    f"({found.in_window:>2})           {found.lost:>4}  "
                    f"{found.takeover_seconds:>10.2f}  {found.first_send_seconds:>12.2f}  "
                    f"{'yes' if found.rejoined else 'NO':>10}"
                    + (f"  {'; '.join(found.notes)}" if found.notes else ""),
                    flush=True,
                )
        finally:
            bench.close()
    outside = sum(r.duplicates - r.in_window for r in rounds)
    lost = sum(r.lost for r in rounds)
    slowest = max(r.first_send_seconds for r in rounds)
    print(
        f"\nTotal: {sum(r.delivered for r in rounds)} delivered, "
        f"{sum(r.duplicates for r in rounds)} duplicates ({outside} outside the window), "
        f"{lost} lost; slowest first send after a kill {slowest:.2f} s "
        f"(anchor {2 * args.dispatch_every} s)"
    )
    return 0 if outside == 0 and lost == 0 and slowest <= 2 * args.dispatch_every else 1


if __name__ == "__main__":
    sys.exit(main())
