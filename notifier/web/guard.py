"""Limits at the edge of the HTTP server: how long a request's head may take, how big it may be,
and how many connections may be open at once.

uvicorn bounds none of these: a client that sends its headers a byte at a time holds a
connection (and a file descriptor) for as long as it likes, and a 100 MB header is read in full.
This protocol is uvicorn's own (httptools) with those three bounds added; `http_protocol` makes
one for the configured limits, to pass as uvicorn.Config(http=...).

It also writes answers known in advance (`Known`: the feeds' 200 and 304 replies, every header
precomputed) straight to the connection, without the ASGI round trip (a scope, a task, two send
messages, each header checked again): feeds are polled by every subscribed calendar, and this
doubles what one process serves. Anything else, and any feed answer that needs the store or
the file read, goes through the app as before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger(__name__)

TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 26\r\nconnection: close\r\n\r\n"
    b"Request header too large.\n"
)
BODY_TOO_LARGE = (
    b"HTTP/1.1 413 Content Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 24\r\nconnection: close\r\n\r\n"
    b"Request body too large.\n"
)
TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 17\r\nconnection: close\r\n\r\n"
    b"Request timeout.\n"
)


@dataclass(frozen=True)
class Limits:
    head_timeout_seconds: float = 10.0  # from connection (or previous response) to full headers
    max_head_bytes: int = 32_768  # request line and headers together
    max_connections: int = 512  # open at once; more are closed at once
    body_timeout_seconds: float = 10.0  # from the end of the headers to the end of the body
    max_body_bytes: int = 262_144  # a request's body (the forms are a few hundred bytes)


# (method, raw path, request headers) -> (status line, header lines, body), or None.
Known = Callable[[str, bytes, Sequence[tuple[bytes, bytes]]], tuple[bytes, bytes, bytes] | None]


def http_protocol(limits: Limits, known: Known | None = None) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, bounded by `limits`, writing `known` answers directly."""

    class Guarded(_GuardedProtocol):
        pass

    Guarded.limits = limits
    Guarded.known = staticmethod(known) if known is not None else None
    return Guarded


class _Answered:
    """Stands for the cycle of a request answered directly: complete, so that the parser's
    later callbacks for that request (its end) find nothing to do."""

    response_complete = True


_ANSWERED = _Answered()
_SMALL = 65_536  # a body up to this size is joined to its head: one write


class _GuardedProtocol(HttpToolsProtocol):
    limits: Limits = Limits()
    known: Known | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._tail = b""  # the last bytes of the head read so far (a split blank line)
        self._body_bytes = 0
        self._body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            logger.warning(
                "more than %d connections open: closing new ones", self.limits.max_connections
            )
            transport.close()
            return
        self._await_head()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            # Only the head counts: pipelined requests (or a body) after its blank line do not.
            end = (self._tail + data).find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else max(0, end + 4 - len(self._tail))
            self._tail = data[-3:]
            if self._head_bytes > self.limits.max_head_bytes:
                self._refuse(TOO_LARGE)
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_timer()
        if self.known is not None and self._answer_known():
            return
        if self._body_refused():
            return
        super().on_headers_complete()

    def _body_refused(self) -> bool:
        """Bound the body to come: refused at once if its declared length is too large, else
        timed from now (a body sent a byte at a time holds the connection no longer)."""
        length = next((v for k, v in self.headers if k.lower() == b"content-length"), None)
        chunked = any(
            k.lower() == b"transfer-encoding" and b"chunked" in v.lower() for k, v in self.headers
        )
        self._body_bytes = 0
        if length is not None and length.strip().isdigit():
            if int(length) > self.limits.max_body_bytes:
                self._refuse_body(BODY_TOO_LARGE, f"a body of {int(length)} bytes")
                return True
            if int(length) == 0 and not chunked:
                return False
        elif not chunked:
            return False
        self._cancel_body_timer()
        self._body_timer = self.loop.call_later(
            self.limits.body_timeout_seconds, self._body_timed_out
        )
        return False

    def on_body(self, body: bytes) -> None:
        if self.transport.is_closing():
            return  # refused: the rest of what was read is dropped
        self._body_bytes += len(body)
        if self._body_bytes > self.limits.max_body_bytes:
            self._refuse_body(BODY_TOO_LARGE, f"a body over {self.limits.max_body_bytes} bytes")
            return
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._cancel_body_timer()
        if self.transport.is_closing():
            return
        super().on_message_complete()

    def _body_timed_out(self) -> None:
        self._body_timer = None
        if not self.transport.is_closing():
            seconds = self.limits.body_timeout_seconds
            self._refuse_body(TOO_SLOW, f"a body not complete within {seconds:g} s")

    def _refuse_body(self, answer: bytes, why: str) -> None:
        """One log line, the answer, and the connection closed (the app, if it was reading the
        body, sees the client gone: notifier.web.site answers nothing more)."""
        status = answer.split(b"\r\n", 1)[0].decode("ascii")
        peer = self.client[0] if self.client else "?"
        # One template per status: repeats of a line are held back, not those of another kind.
        logger.warning(f"{status[9:12]}: refused %s from %s", why, peer)  # noqa: G004
        self._cancel_body_timer()
        self._refuse(answer)

    def _answer_known(self) -> bool:
        """Write a known answer, as uvicorn would write it, and finish the request; False when
        the app must answer (not known, an upgrade, or an earlier response still going)."""
        assert self.known is not None
        if self.cycle is not None and not self.cycle.response_complete:
            return False  # a pipelined request: answers keep their order
        if self.parser.should_upgrade():
            return False
        url = httptools.parse_url(self.url)
        if url.query:
            return False
        method = self.parser.get_method().decode("ascii")
        found = self.known(method, url.path, self.headers)
        if found is None:
            return False
        status, lines, body = found
        keep_alive = self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive()
        head = [status]
        for name, value in self.server_state.default_headers:  # the date, as uvicorn sends it
            head += [name, b": ", value, b"\r\n"]
        head.append(lines)
        if not keep_alive:
            head.append(b"connection: close\r\n")
        head.append(b"\r\n")
        if len(body) <= _SMALL:
            self.transport.write(b"".join([*head, body]))
        else:
            self.transport.write(b"".join(head))
            self.transport.write(body)
        self.cycle = _ANSWERED  # type: ignore[assignment]
        if keep_alive:
            self.on_response_complete()
        else:
            self.transport.close()
        return True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        pending = self.cycle is not None and not self.cycle.response_complete  # pipelined
        if not self.transport.is_closing() and not pending:
            self._await_head()  # the next request on this connection has the same bounds

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        self._cancel_body_timer()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._tail = b""
        self._cancel_timer()
        self._head_timer = self.loop.call_later(
            self.limits.head_timeout_seconds, self._head_timed_out
        )

    def _head_timed_out(self) -> None:
        if self._in_head and not self.transport.is_closing():
            self._refuse(TOO_SLOW)

    def _refuse(self, answer: bytes) -> None:
        self._cancel_timer()
        self._in_head = False
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()

    def _cancel_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
