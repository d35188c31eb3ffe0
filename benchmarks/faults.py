"""Faults: does every reminder still go out exactly once when things go wrong?

Run: .venv/bin/python benchmarks/faults.py [--people 300] [--only NAME ...]

Each scenario starts from an empty store and the same register: `people` people, each owning
one legacy model whose Art 53 duties fall due on 2027-08-02, so that at 2027-07-03 09:00 (Paris)
every person is owed exactly one digest (and the organisation's contact one more for the
organisation's items). The mail server is aiosmtpd on loopback in this process; the notifier
runs as real processes (`notifier remind`, `notifier run`), killed and restarted as a fault
requires. For each scenario the table gives:

- delivered: people who received their digest;
- duplicates: digests beyond the first for one person (a duplicate with the Message-ID already
  delivered is the documented window between the server's 250 and the ledger write);
- lost: people owed a digest that neither arrived nor is recorded as refused (bounced);
- bounced: permanent refusals, recorded and shown by `notifier status`;
- seconds: the scenario's wall time, faults and recovery included.

Expected: lost 0 and duplicates 0 everywhere, except in "crash after the 250" (one digest
again, with the same Message-ID: the documented window, counted under dup*).

Settings are the defaults but for a dispatch every second and short retry delays; a process
killed with -9 leaves claims that others take over once its instance lease (20 s, the default)
has lapsed, so the reruns after a kill wait that long first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2027-07-03T09:00:00+02:00"
EARLIER = "2027-07-02T09:00:00+02:00"
LATER = "2027-07-03T09:10:00+02:00"
CLI = [sys.executable, "-c", "from notifier.cli import run; run()"]
WAIT_SECONDS = 120.0
LEASE_SECONDS = 20.0  # instances.lease_seconds, the default: a killed process's claims wait so long


# ---------------------------------------------------------------------------- the mail server
@dataclass
class Faults:
    """What the server does wrong: defer a recipient's first message (451), refuse some
    recipients for good (550), hold the n-th message, or signal after accepting it."""

    defer_first: bool = False
    refuse: frozenset[str] = frozenset()
    hold_number: int | None = None
    accepted_signal_number: int | None = None  # set `accepted_event` after this many 250s


@dataclass
class Mailbox:
    faults: Faults = field(default_factory=Faults)
    received: list[tuple[str, str]] = field(default_factory=list)  # (recipient, message id)
    seen: Counter[str] = field(default_factory=Counter)
    data_count: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    accepted_event: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.faults.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        recipient = envelope.rcpt_tos[0].lower()
        with self.lock:
            self.data_count += 1
            number = self.data_count
            self.seen[recipient] += 1
            first_try = self.seen[recipient] == 1
        if self.faults.defer_first and first_try:
            return "451 4.3.0 Try again later"
        if number == self.faults.hold_number:
            self.holding.set()
            await asyncio.to_thread(self.release.wait)
            if server.transport is None or server.transport.is_closing():
                return "451 client gone"
        message_id = ""
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                break
        with self.lock:
            self.received.append((recipient, message_id))
            count = len(self.received)
        if count == self.faults.accepted_signal_number:
            self.accepted_event.set()
        return "250 Message accepted"


class MailServer:
    def __init__(self, mailbox: Mailbox, port: int = 0) -> None:
        self.mailbox = mailbox
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
        self.controller.start()
        self.port: int = self.controller.port

    def stop(self) -> None:
        self.mailbox.release.set()
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# ---------------------------------------------------------------------------- the workspace
def register_text(people: int, poison: bool = False) -> str:
    """`poison`: the second model planned for 9999-12-31, as in the issue's reproduction."""
    lines = [
        "[organisation]",
        'name = "Faults AI"',
        'established_in = "FR"',
        'timezone = "Europe/Paris"',
        'contacts = ["p000"]',
        "[organisation.code_of_practice]",
        'transparency = "signed"',
        'copyright = "signed"',
        'safety_and_security = "signed"',
        "version_reviewed = 2025-07-10",
        "checked_on = 2026-10-15",
    ]
    for n in range(people):
        lines += ["[[people]]", f'id = "p{n:03}"', f'name = "Person {n:03}"']
        lines += [f'email = "p{n:03}@example.com"']
        lines += ["[[models]]", f'id = "m{n:03}"', f'name = "Model {n:03}"', 'role = "provider"']
        placing = "planned_placement = 9999-12-31" if poison and n == 1 else None
        lines += [placing or "placed_on_market = 2024-11-05", f'owners = ["p{n:03}"]']
    return "\n".join(lines) + "\n"


@dataclass
class Workspace:
    root: Path
    people: int
    server: MailServer
    more_expected: Counter[str] = field(default_factory=Counter)  # legitimate extra digests

    @property
    def config(self) -> Path:
        return self.root / "notifier.toml"

    @property
    def database(self) -> Path:
        return self.root / "var" / "notifier.db"

    def write(self, http_port: int = 0, *, poison: bool = False, **reminders: Any) -> None:
        register = register_text(self.people, poison)
        (self.root / "register.toml").write_text(register, encoding="utf-8")
        section = {"retry_delays_seconds": [0.2], "dispatch_every_seconds": 1, **reminders}
        self.config.write_text(
            f'register = "{self.root / "register.toml"}"\n'
            f'database_url = "sqlite:///{self.database}"\n'
            f'calendars_dir = "{self.root / "calendars"}"\n'
            f'outbox_dir = "{self.root / "outbox"}"\n'
            f"[http]\nport = {http_port}\n"
            f"[instances]\nlease_seconds = {LEASE_SECONDS}\n"
            f'[smtp]\nhost = "127.0.0.1"\nport = {self.server.port}\ntls = "none"\n'
            'sender = "faults@example.com"\ntimeout_seconds = 5\n'
            "[reminders]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in section.items()),
            encoding="utf-8",
        )

    def command(self, *argv: str) -> list[str]:
        return [*CLI, *argv, "--config", str(self.config)]

    def run(
        self, *argv: str, env: dict[str, str] | None = None, file_limit: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        """A command to its end; `file_limit`: no file it writes may grow past so many bytes
        (RLIMIT_FSIZE, SIGXFSZ ignored), as if the store's disk were full."""
        return subprocess.run(
            self.command(*argv),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS * 3,
            check=False,
            env={**_environment(), **(env or {})},
            preexec_fn=None if file_limit is None else partial(_limit_files, file_limit),
        )

    def start(self, *argv: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*argv),
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_environment(),
        )

    def statuses(self) -> Counter[str]:
        with contextlib.closing(sqlite3.connect(self.database)) as connection:
            rows = connection.execute("SELECT status, count(*) FROM reminder_ledger GROUP BY 1")
            return Counter(dict(rows.fetchall()))

    def bounced(self) -> set[str]:
        if not self.database.exists():
            return set()
        with contextlib.closing(sqlite3.connect(self.database)) as connection:
            rows = connection.execute(
                "SELECT DISTINCT lower(recipient) FROM reminder_ledger WHERE status = 'bounced'"
            )
            return {row[0] for row in rows}


def _limit_files(size: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@contextlib.contextmanager
def store_locked(database: Path) -> Iterator[None]:
    """No process can write the SQLite store while the block runs (its write lock held)."""
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NOTIFIER_")}


def wait_for(condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------------------- scenarios
@dataclass
class Outcome:
    name: str
    delivered: int
    duplicates: int
    same_id_duplicates: int
    lost: int
    bounced: int
    seconds: float
    note: str = ""


Scenario = Callable[[Workspace], str]
SCENARIOS: dict[str, tuple[str, Scenario, Faults]] = {}


def scenario(name: str, title: str, faults: Faults | None = None) -> Callable[[Scenario], Scenario]:
    def register(function: Scenario) -> Scenario:
        SCENARIOS[name] = (title, function, faults or Faults())
        return function

    return register


@scenario("baseline", "no fault")
def _baseline(space: Workspace) -> str:
    return space.run("remind", "--as-of", AS_OF).stdout.splitlines()[0]


@scenario("451", "451 to every first attempt", Faults(defer_first=True))
def _deferred(space: Workspace) -> str:
    return space.run("remind", "--as-of", AS_OF).stdout.splitlines()[0]


@scenario(
    "550",
    "550 for ten recipients",
    Faults(refuse=frozenset(f"p{n:03}@example.com" for n in range(1, 11))),
)
def _refused(space: Workspace) -> str:
    first = space.run("remind", "--as-of", AS_OF)
    status = space.run("status")
    return f"remind exit {first.returncode}; status exit {status.returncode}"


@scenario("server-vanishes", "the mail server stops mid-dispatch, then returns")
def _vanishes(space: Workspace) -> str:
    mailbox = space.server.mailbox
    mailbox.faults.accepted_signal_number = max(1, space.people // 6)
    process = space.start("remind", "--as-of", AS_OF)
    mailbox.accepted_event.wait(WAIT_SECONDS)
    port = space.server.port
    space.server.stop()
    started = time.monotonic()
    process.wait(timeout=WAIT_SECONDS * 3)
    ended = time.monotonic() - started
    space.server = MailServer(mailbox, port)
    mailbox.faults.accepted_signal_number = None
    again = space.run("remind", "--as-of", LATER)
    return f"round ended {ended:.1f} s after the stop; next round exit {again.returncode}"


@scenario("kill-9", "kill -9 of notifier remind mid-send, then a rerun", Faults(hold_number=20))
def _killed(space: Workspace) -> str:
    mailbox = space.server.mailbox
    process = space.start("remind", "--as-of", AS_OF)
    mailbox.holding.wait(WAIT_SECONDS)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=WAIT_SECONDS)
    mailbox.release.set()
    time.sleep(LEASE_SECONDS + 1)  # its claims are taken over once its lease has lapsed
    rerun = space.run("remind", "--as-of", LATER)
    return f"rerun exit {rerun.returncode}"


@scenario(
    "crash-after-250",
    "kill -9 after the server's 250, before the ledger write",
    Faults(hold_number=20),
)
def _after_250(space: Workspace) -> str:
    # The 20th message is held at the server while the test takes the store's write lock, then
    # accepted (250); the process, unable to record the send, is killed: the window, for sure.
    mailbox = space.server.mailbox
    process = space.start("remind", "--as-of", AS_OF)
    mailbox.holding.wait(WAIT_SECONDS)
    with store_locked(space.database):
        mailbox.release.set()
        wait_for(lambda: len(mailbox.received) >= 20)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=WAIT_SECONDS)
    time.sleep(LEASE_SECONDS + 1)
    rerun = space.run("remind", "--as-of", LATER)
    return f"rerun exit {rerun.returncode}"


@scenario("three-runs", "three notifier remind at once")
def _three(space: Workspace) -> str:
    processes = [space.start("remind", "--as-of", AS_OF) for _ in range(3)]
    codes = [p.wait(timeout=WAIT_SECONDS * 3) for p in processes]
    return f"exits {codes}"


@scenario("two-daemons", "two notifier run on one SQLite store")
def _two_daemons(space: Workspace) -> str:
    daemons = []
    for _ in range(2):
        space.write(http_port=free_port())
        daemons.append(space.start("run", "--clock-start", AS_OF))
    expected = space.people  # the organisation's items join p000's digest
    done = wait_for(lambda: len({r for r, _ in space.server.mailbox.received}) >= expected)
    time.sleep(3)  # a few more dispatch rounds: would either daemon send again?
    for daemon in daemons:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=WAIT_SECONDS)
    return "all delivered" if done else "timed out"


@scenario("clock-backwards", "a run at a later instant, then one at an earlier instant")
def _backwards(space: Workspace) -> str:
    first = space.run("remind", "--as-of", AS_OF)
    earlier = space.run("remind", "--as-of", EARLIER)
    return f"exits {first.returncode}, {earlier.returncode}"


@scenario("at-once", "an incident mailed at once, then the next dispatch")
def _at_once(space: Workspace) -> str:
    # A Commission request about m000, due in three days, is mailed at once to its owner at
    # 10:00: one legitimate extra digest. The 10:01 run and the next morning's must not send
    # its items again (no step newer than the mail at once has come).
    space.run("remind", "--as-of", AS_OF)
    space.more_expected["p000@example.com"] += 1
    before = len(space.server.mailbox.received)
    space.run(
        "event", "add", "commission-request", "--model", "m000", "--received-on", "2027-07-03",
        "--period-days", "3", "--as-of", "2027-07-03T10:00:00+02:00",
    )  # fmt: skip
    at_once = len(space.server.mailbox.received) - before
    space.run("remind", "--as-of", "2027-07-03T10:01:00+02:00")
    space.run("remind", "--as-of", "2027-07-04T09:00:00+02:00")
    return f"{at_once} mail at once, then runs at 10:01 and the next morning"


@scenario("clock-backwards-daemon", "a run, then notifier run with an earlier --clock-start")
def _backwards_daemon(space: Workspace) -> str:
    first = space.run("remind", "--as-of", AS_OF)
    before = sum(space.statuses().values())
    space.write(http_port=free_port())
    daemon = space.start("run", "--clock-start", EARLIER)
    # Each person has a step as of the earlier instant that the first run did not send (its
    # d-90): the daemon's first dispatch records it (superseded, or sent if it were not).
    done = wait_for(
        lambda: (
            sum(space.statuses().values()) >= before + space.people
            and not space.statuses()["claimed"]
        )
    )
    time.sleep(3)  # three more dispatch rounds
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=WAIT_SECONDS)
    return f"remind exit {first.returncode}; daemon {'dispatched' if done else 'timed out'}"


@scenario("at-once-daemon", "an incident mailed at once while notifier run dispatches")
def _at_once_daemon(space: Workspace) -> str:
    space.write(http_port=free_port())
    started = time.monotonic()
    daemon = space.start("run", "--clock-start", AS_OF)
    delivered = wait_for(lambda: len(space.server.mailbox.received) >= space.people)
    space.more_expected["p000@example.com"] += 1
    # The event is recorded at the daemon's own instant (its clock started at AS_OF).
    instant = datetime.fromisoformat(AS_OF) + timedelta(seconds=time.monotonic() - started)
    space.run(
        "event", "add", "commission-request", "--model", "m000", "--received-on", "2027-07-03",
        "--period-days", "3", "--as-of", instant.isoformat(timespec="seconds"),
    )  # fmt: skip
    done = wait_for(lambda: _regular_rows_of_the_request(space) > 0)
    time.sleep(3)  # three more dispatch rounds
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=WAIT_SECONDS)
    return "next dispatches ran" if delivered and done else "timed out"


def _regular_rows_of_the_request(space: Workspace) -> int:
    with contextlib.closing(sqlite3.connect(space.database)) as connection:
        query = (
            "SELECT count(*) FROM reminder_ledger WHERE item_id LIKE '%commission-request%' "
            "AND step NOT LIKE 'now:%' AND status != 'claimed'"
        )
        return int(connection.execute(query).fetchone()[0])


@scenario("full-disk", "the store's disk fills mid-dispatch, then has room again")
def _full_disk(space: Workspace) -> str:
    space.run("db", "upgrade")
    room = space.database.stat().st_size + 200_000  # about a quarter of the dispatch's writes
    full = space.run("remind", "--as-of", AS_OF, file_limit=room)
    before = len(space.server.mailbox.received)
    held = space.statuses()["claimed"]
    if held:  # a send whose record failed: its claims wait for its lease to lapse
        time.sleep(LEASE_SECONDS + 1)
    again = space.run("remind", "--as-of", LATER)
    error = (full.stderr.strip().splitlines() or [""])[-1]
    return f"full: {before} sent, exit {full.returncode} ({error}); again: exit {again.returncode}"


@scenario("poison-register", "a model planned for 9999-12-31, then the register corrected")
def _poison_register(space: Workspace) -> str:
    space.write(poison=True)
    refused = space.run("remind", "--as-of", AS_OF)
    space.write()
    again = space.run("remind", "--as-of", LATER)
    return f"refused: exit {refused.returncode}; corrected: exit {again.returncode}"


@scenario("bad-sender", "NOTIFIER_SMTP__SENDER=nope, then the setting corrected")
def _bad_sender(space: Workspace) -> str:
    refused = space.run("remind", "--as-of", AS_OF, env={"NOTIFIER_SMTP__SENDER": "nope"})
    again = space.run("remind", "--as-of", LATER)
    return f"refused: exit {refused.returncode}; corrected: exit {again.returncode}"


@scenario("poison-event", "an event row an older version wrote badly")
def _poison(space: Workspace) -> str:
    space.run("db", "upgrade")
    with contextlib.closing(sqlite3.connect(space.database)) as connection:
        connection.execute(
            "INSERT INTO event_log (event_id, kind, data, recorded_at, recorded_by) "
            "VALUES ('incident-9', 'incident', ?, '2027-07-01T00:00:00+00:00', 'old')",
            (json.dumps({"id": "incident-9", "model": "m001", "type": "death",
                         "aware_on": "10000-01-01"}),),
        )  # fmt: skip
        connection.commit()
    run = space.run("remind", "--as-of", AS_OF)
    return f"remind exit {run.returncode}"


# ---------------------------------------------------------------------------- the run
def measure(name: str, people: int) -> Outcome:
    title, function, faults = SCENARIOS[name]
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        mailbox = Mailbox(Faults(**vars(faults)))
        space = Workspace(Path(folder), people, MailServer(mailbox))
        space.write()
        started = time.monotonic()
        try:
            note = function(space)
        finally:
            seconds = time.monotonic() - started
            space.server.stop()
        per_person = Counter(recipient for recipient, _ in mailbox.received)
        expected = {f"p{n:03}@example.com" for n in range(people)}
        bounced = space.bounced()
        delivered = len(expected & set(per_person))
        messages = Counter(mailbox.received)
        same_id = sum(count - 1 for count in messages.values())
        extra = sum(
            max(0, count - 1 - space.more_expected[person]) for person, count in per_person.items()
        )
        duplicates = extra - same_id
        lost = len(expected - set(per_person) - bounced)
        return Outcome(title, delivered, duplicates, same_id, lost, len(bounced), seconds, note)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    import logging

    logging.getLogger("mail.log").setLevel(logging.ERROR)
    yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=None)
    args = parser.parse_args()
    names = args.only or list(SCENARIOS)
    print(f"{args.people} people, each owed one digest at {AS_OF}; loopback SMTP (aiosmtpd)\n")
    columns = ("delivered", 9), ("dup", 4), ("dup*", 4), ("lost", 4), ("bounced", 7), ("seconds", 8)
    header = f"{'scenario':<58} " + " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    with quiet():
        for name in names:
            o = measure(name, args.people)
            print(
                f"{o.name:<58} {o.delivered:>9} {o.duplicates:>4} {o.same_id_duplicates:>4} "
                f"{o.lost:>4} {o.bounced:>7} {o.seconds:>8.1f}   {o.note}",
                flush=True,
            )
    print(
        "\ndup*: a digest delivered again with the same Message-ID (the window between the "
        "server's 250 and the ledger write)"
    )


if __name__ == "__main__":
    main()
