"""Limits at the edge of the HTTP server: how long a request's head may take, how big it may be,
and how many connections may be open at once.

uvicorn bounds none of these: a client that sends its headers a byte at a time holds a
connection (and a file descriptor) for as long as it likes, and a 100 MB header is read in full.
This protocol is uvicorn's own (httptools) with those three bounds added; `http_protocol` makes
one for the configured limits, to pass as uvicorn.Config(http=...).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger(__name__)

TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 26\r\nconnection: close\r\n\r\n"
    b"Request header too large.\n"
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


def http_protocol(limits: Limits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, bounded by `limits`."""

    class Guarded(_GuardedProtocol):
        pass

    Guarded.limits = limits
    return Guarded


class _GuardedProtocol(HttpToolsProtocol):
    limits: Limits = Limits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None

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
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_head_bytes:
                self._refuse(TOO_LARGE)
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_head()  # the next request on this connection has the same bounds

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._in_head = True
        self._head_bytes = 0
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
