"""A real HTTP server on loopback whose page the test changes, as the Commission's site would.

It speaks HTTP/1.0 from the standard library's server in a thread. It honours conditional
requests (If-None-Match with an ETag, or If-Modified-Since with a Last-Modified date) exactly,
records every request's headers and its answer, and can fail (any status) or hold its answer
until released (a server slower than the watcher's time limit).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Exchange:
    """One request as the server saw it, and the status it answered."""

    headers: dict[str, str]
    status: int


@dataclass
class Page:
    """What the server serves; a test changes these fields between checks."""

    body: str | bytes = "<html><body><p>Code of Practice, version 1</p></body></html>"
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True  # send an ETag (derived from the body) and honour If-None-Match
    last_modified: str | None = None  # send it and honour If-Modified-Since
    fail_with: int | None = None  # answer this status instead of the page
    hold: bool = False  # answer only once released (the test's time limit passes first)
    released: threading.Event = field(default_factory=threading.Event)
    exchanges: list[Exchange] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def payload(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body

    @property
    def current_etag(self) -> str:
        return '"' + hashlib.sha256(self.payload).hexdigest()[:16] + '"'

    def answered(self) -> list[int]:
        with self._lock:
            return [e.status for e in self.exchanges]

    def record(self, headers: dict[str, str], status: int) -> None:
        with self._lock:
            self.exchanges.append(Exchange(headers, status))


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() then waits for every handler to finish
    page: Page


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        page = self.server.page
        headers = {k.lower(): v for k, v in self.headers.items()}
        if page.hold:
            page.released.wait(timeout=30)
        status = self._status(page, headers)
        page.record(headers, status)
        try:
            self.send_response(status)
            if status in (200, 304):
                if page.etag:
                    self.send_header("ETag", page.current_etag)
                if page.last_modified:
                    self.send_header("Last-Modified", page.last_modified)
            body = page.payload if status == 200 else b"server error"
            if status != 304:
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a time-out test); nothing left to answer

    @staticmethod
    def _status(page: Page, headers: dict[str, str]) -> int:
        if page.fail_with is not None:
            return page.fail_with
        if page.etag and "if-none-match" in headers:
            return 304 if headers["if-none-match"] == page.current_etag else 200
        if page.last_modified and headers.get("if-modified-since") == page.last_modified:
            return 304
        return 200

    def log_message(self, format: str, *args: object) -> None:
        return None  # quiet: the test asserts on the recorded exchanges


class PageServer:
    def __init__(self) -> None:
        self.page = Page()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.page = self.page
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/code-of-practice"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.page.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
