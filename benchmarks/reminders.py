"""Reminder email at scale: render, record and send 5,000 digests to a local SMTP server.

Run: .venv/bin/python benchmarks/reminders.py [--count 5000] [--pool 4] [--starttls]

The digests are the example register's reminders due on 2027-07-03 at 09:00 (Paris), each
addressed to one of `count` generated people, rendered by the real Renderer (text, HTML, .ics).
The SMTP server is aiosmtpd in a separate process on 127.0.0.1 (plain SMTP, a handler that only
counts), so the client's figures are not shared with the server's CPU. With --starttls the
server requires STARTTLS and AUTH (a private CA made with the openssl command line), as a
production submission server does, and every client verifies the certificate and logs in. Phases:

1. render: Renderer.digest and the .ics part for every digest, one at a time (the send phases
   then cycle through the first 250: a rendered EmailMessage is large in memory);
2. ledger: claim and mark_sent per digest in a fresh SQLite store (two commits per digest, as
   dispatch does), each person's reminders under items of their own, as owners of their own
   models have (a claim reads the newest step per item and person);
3. ours: SmtpTransport, one connection reused for every message (what dispatch does);
4. ours, pooled: `--pool` SmtpTransports sending concurrently (a proposal, not in dispatch);
5. naive: smtplib, one new connection per message (connect, EHLO, send, QUIT).

Prints messages per second for each, the ratio ours/naive and the peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import resource
import smtplib
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.message import EmailMessage
from importlib.metadata import version
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr

from notifier.core.law import load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.reminders import Digest, Recipient, ReminderPolicy, digests, due_reminders
from notifier.core.timeline import timeline
from notifier.mail.invitation import invitation
from notifier.mail.render import Renderer
from notifier.mail.transport import SmtpTransport
from notifier.settings import SmtpSettings
from notifier.store import ledger
from notifier.store.engine import Store

REPO = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2027-07-03T09:00:00+02:00")
REGISTER_EDITED_ON = date(2026, 11, 24)
SENDER = "gpai-notifier@example.com"
KEPT = 250  # rendered messages held for the send phases
ME = "benchmark:1"


USERNAME, PASSWORD = "notifier", "benchmark-password"


class CountingHandler:
    """Accepts every message and only counts it."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.count += 1
        return "250 OK"


class LoopbackController(Controller):
    """Binds port 0 and learns the port before aiosmtpd's own start-up check connects."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (
        USERNAME.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def serve(certificates: Path | None) -> None:
    """The server process: prints its port, then the message count for each line on stdin."""
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's notices about itself
    handler = CountingHandler()
    options: dict[str, Any] = {}
    if certificates is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
        options = {
            "tls_context": context,
            "require_starttls": True,
            "authenticator": authenticate,
            "auth_required": True,
        }
    controller = LoopbackController(handler, hostname="127.0.0.1", port=0, **options)
    controller.start()
    print(controller.port, flush=True)
    for _ in sys.stdin:
        print(handler.count, flush=True)
    controller.stop()


def make_certificates(folder: Path) -> Path:
    """A private CA and a server certificate for 127.0.0.1 it signed; returns the CA file."""

    def openssl(*args: str | Path) -> None:
        subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    extensions = folder / "server.ext"
    extensions.write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = IP:127.0.0.1\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid, issuer\n",
        encoding="utf-8",
    )
    openssl(
        "req", "-x509", *ec, "-keyout", folder / "ca.key", "-out", folder / "ca.pem",
        "-days", "1", "-subj", "/CN=Benchmark CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    openssl(
        "req", *ec, "-keyout", folder / "server.key", "-out", folder / "server.csr",
        "-subj", "/CN=127.0.0.1",
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", folder / "server.csr", "-CA", folder / "ca.pem",
        "-CAkey", folder / "ca.key", "-CAcreateserial", "-out", folder / "server.pem",
        "-days", "1", "-extfile", extensions,
    )  # fmt: skip
    return folder / "ca.pem"


class CountingServer:
    """The client's view of the server process."""

    def __init__(self, certificates: Path | None) -> None:
        tls = ["--certificates", str(certificates)] if certificates is not None else []
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", *tls],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self._line())

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the SMTP server process ended before it answered")
        return line

    def count(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self._line())

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def example_register() -> Register:
    path = REPO / "config" / "register.toml"
    return parse_register(path.read_text(encoding="utf-8"), str(path), REGISTER_EDITED_ON)


def daily_digests(register: Register, count: int) -> list[Digest]:
    """`count` digests shaped like the register's digests for NOW (the steps that fall due that
    morning, as on an ordinary day), each for a generated person."""
    result = timeline(register, load_ruleset(), NOW)
    fresh = [r for r in due_reminders(result, register, ReminderPolicy(), NOW) if r.step == "d-30"]
    shapes = [d.reminders for d in digests(fresh)]
    found = []
    for n in range(count):
        person = Recipient(f"person-{n}", f"Person {n}", f"person-{n}@example.com")
        found.append(
            Digest(
                person,
                tuple(
                    replace(r, recipient=person, key=f"{r.key.rpartition('|')[0]}|{person.email}")
                    for r in shapes[n % len(shapes)]
                ),
            )
        )
    return found


def render(register: Register, found: Sequence[Digest], keep: int) -> list[EmailMessage]:
    """Render every digest, one at a time as dispatch does; keep the first `keep` to send."""
    renderer = Renderer()
    kept: list[EmailMessage] = []
    for digest in found:
        calendar = invitation([r.item for r in digest.reminders], SENDER, NOW)
        message = renderer.digest(digest, register, SENDER, NOW, calendar)
        if len(kept) < keep:
            kept.append(message)
    return kept


def traced_kib_per_message(register: Register, found: Sequence[Digest]) -> float:
    """What one rendered EmailMessage holds in memory (tracemalloc over a few)."""
    tracemalloc.start()
    try:
        held = render(register, found, len(found))
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size / len(held) / 1024


def own_items(found: Sequence[Digest]) -> list[Digest]:
    """The digests with each person's items made their own (ids and keys), as in a register
    where people own models: the generated people otherwise share one example's items."""
    result = []
    for digest in found:
        person = digest.recipient.person_id
        result.append(
            Digest(
                digest.recipient,
                tuple(
                    replace(
                        r, key=f"{person}/{r.key}", item=replace(r.item, id=f"{person}/{r.item.id}")
                    )
                    for r in digest.reminders
                ),
            )
        )
    return result


def record(found: Sequence[Digest]) -> None:
    found = own_items(found)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/ledger.db", NOW)
        try:
            for digest in found:
                owned = ledger.claim(store, list(digest.reminders), NOW, ME)
                ledger.mark_sent(store, owned, f"<{digest.recipient.person_id}@bench>", NOW, ME)
        finally:
            store.close()


@dataclass(frozen=True)
class Target:
    """Where and how the clients connect."""

    port: int
    ca_file: Path | None  # set: STARTTLS with certificate verification, and AUTH

    def settings(self) -> SmtpSettings:
        if self.ca_file is None:
            return SmtpSettings(host="127.0.0.1", port=self.port, tls="none", sender=SENDER)
        return SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            tls="starttls",
            username=USERNAME,
            password=SecretStr(PASSWORD),
            ca_file=self.ca_file,
            sender=SENDER,
        )


async def send_reusing_one_connection(target: Target, messages: Sequence[EmailMessage]) -> None:
    transport = SmtpTransport(target.settings())
    try:
        for message in messages:
            await transport.send(message)
    finally:
        await transport.close()


async def send_pooled(target: Target, messages: Sequence[EmailMessage], connections: int) -> None:
    """Proposal: `connections` transports take messages from one queue concurrently."""
    queue: asyncio.Queue[EmailMessage] = asyncio.Queue()
    for message in messages:
        queue.put_nowait(message)

    async def worker() -> None:
        transport = SmtpTransport(target.settings())
        try:
            while not queue.empty():
                await transport.send(queue.get_nowait())
        finally:
            await transport.close()

    await asyncio.gather(*(worker() for _ in range(connections)))


def send_naively(target: Target, messages: Sequence[EmailMessage]) -> None:
    """One connection per message, with the standard library, as a simple script would."""
    context = None
    if target.ca_file is not None:
        context = ssl.create_default_context(cafile=str(target.ca_file))
    for message in messages:
        with smtplib.SMTP("127.0.0.1", target.port, timeout=30) as client:
            if context is not None:
                client.starttls(context=context)
                client.login(USERNAME, PASSWORD)
            client.send_message(message)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def sent(server: CountingServer, expected: int, before: int, name: str) -> int:
    now = server.count()
    if now - before != expected:
        raise RuntimeError(f"{name}: the server counted {now - before} messages, not {expected}")
    return now


def send_phases(
    server: CountingServer, target: Target, messages: Sequence[EmailMessage], pool: int
) -> tuple[float, float, float]:
    """Seconds for ours, ours pooled and naive; each checked against the server's count."""
    count = server.count()
    ours = timed(lambda: asyncio.run(send_reusing_one_connection(target, messages)))
    count = sent(server, len(messages), count, "ours")
    pooled = timed(lambda: asyncio.run(send_pooled(target, messages, pool)))
    count = sent(server, len(messages), count, "pooled")
    naive = timed(lambda: send_naively(target, messages))
    sent(server, len(messages), count, "naive")
    return ours, pooled, naive


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> str:
    return (
        f"{platform.machine()}, Python {platform.python_version()}, aiosmtplib "
        f"{version('aiosmtplib')}, aiosmtpd {version('aiosmtpd')}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="messages (default 5000)")
    parser.add_argument("--pool", type=int, default=4, help="connections for the pooled run")
    parser.add_argument(
        "--starttls", action="store_true", help="STARTTLS with a private CA, and AUTH"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--certificates", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.certificates)
        return 0
    if args.count < 1 or args.pool < 1:
        parser.error("--count and --pool must be at least 1")

    print(f"machine: {machine()}")
    register = example_register()
    found = daily_digests(register, args.count)
    kept: list[EmailMessage] = []
    render_s = timed(lambda: kept.extend(render(register, found, KEPT)))
    # The same rendered messages go out again and again: holding thousands would measure
    # Python's memory for EmailMessage objects, not sending.
    messages = [kept[n % len(kept)] for n in range(args.count)]
    wire_kib = sum(len(m.as_bytes()) for m in kept) / len(kept) / 1024
    memory_kib = traced_kib_per_message(register, found[:50])
    reminders = sum(len(d.reminders) for d in found)
    mode = "STARTTLS + AUTH, certificate verified" if args.starttls else "plain SMTP"
    print(
        f"{len(found)} digests ({reminders} reminders) rendered; {len(messages)} sent, cycling"
        f" through {len(kept)} of them\nmessage: {wire_kib:.1f} KiB on the wire (text, HTML,"
        f" .ics), about {memory_kib:.0f} KiB as an EmailMessage in memory\nserver: aiosmtpd in"
        f" its own process on 127.0.0.1, {mode}"
    )
    ledger_s = timed(lambda: record(found))

    with tempfile.TemporaryDirectory() as folder:
        certificates = Path(folder) if args.starttls else None
        ca_file = make_certificates(Path(folder)) if args.starttls else None
        server = CountingServer(certificates)
        try:
            target = Target(server.port, ca_file)
            ours_s, pooled_s, naive_s = send_phases(server, target, messages, args.pool)
        finally:
            server.stop()

    phases = [
        ("render (Renderer.digest + .ics)", render_s),
        ("ledger (claim + mark_sent, SQLite)", ledger_s),
        ("ours: SmtpTransport, 1 reused connection", ours_s),
        (f"ours pooled: {args.pool} connections (proposal)", pooled_s),
        ("naive: smtplib, 1 connection per message", naive_s),
    ]
    print(f"\n{'phase':<48} {'seconds':>8} {'msg/s':>9}")
    for name, seconds in phases:
        print(f"{name:<48} {seconds:>8.2f} {len(messages) / seconds:>9.0f}")
    print(f"\nratio ours/naive (messages/s): {naive_s / ours_s:.2f}x")
    print(f"ratio pooled/ours (messages/s): {ours_s / pooled_s:.2f}x")
    print(f"peak RSS of this process (the client side): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
