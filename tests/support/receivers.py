"""Local HTTP receivers for the chat and webhook channels: real servers on loopback that accept
Slack-, Teams- and ntfy-shaped posts and Standard Webhooks, answer what a test tells them (a
status per request, or hold a request unanswered), and keep what they accepted.

A request counts as delivered only when the receiver answered it 2xx: one held and never
answered (its sender killed) is not, as a mail server that never said 250 has not taken a mail.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOLD_SECONDS = 120.0  # a held request waits at most this long for release (bounded)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What one server took, and how it answers: `statuses` (consumed one per request; then
    `default`), or `hold_at` (the n-th request, 1-based, is held until `release`)."""

    name: str
    statuses: list[int] = field(default_factory=list)
    default: int = 200
    hold_at: int | None = None
    accepted: list[Received] = field(default_factory=list)
    refused: list[tuple[int, Received]] = field(default_factory=list)
    held: list[Received] = field(default_factory=list)
    requests: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    server: ThreadingHTTPServer | None = None

    def answer(self, received: Received) -> int | None:
        """The status for this request, or None to hold it."""
        with self.lock:
            self.requests += 1
            if self.hold_at is not None and self.requests == self.hold_at:
                self.held.append(received)
                return None
            return self.statuses.pop(0) if self.statuses else self.default

    def record(self, status: int, received: Received) -> None:
        with self.lock:
            if 200 <= status < 300:
                self.accepted.append(received)
            else:
                self.refused.append((status, received))

    def stop(self) -> None:
        """Take the receiver down: connections are refused until `start` again."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            status = receiver.answer(received)
            if status is None:
                receiver.release.wait(HOLD_SECONDS)
                return  # never answered: the sender was stopped meanwhile
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            # Kept before the body goes out: a sender cannot have the whole answer (and a test
            # read what the receiver took after the sender returned) before it is recorded.
            receiver.record(status, received)
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def start(receiver: Receiver, port: int = 0) -> Receiver:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.server = server
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    return receiver


@contextmanager
def receivers(*names: str) -> Iterator[dict[str, Receiver]]:
    """One running receiver per name, stopped after."""
    found = {name: start(Receiver(name)) for name in names}
    try:
        yield found
    finally:
        for receiver in found.values():
            receiver.release.set()
            receiver.stop()


def restart(receiver: Receiver) -> None:
    """Bring a stopped receiver back on the same port."""
    port = int(receiver.url.rsplit(":", 1)[1])
    start(receiver, port)


def item_ids(receiver: Receiver, extract: Callable[[Any], list[str]]) -> list[str]:
    """Every item id the receiver accepted, over all its messages."""
    return [item for received in receiver.accepted for item in extract(received.json)]
