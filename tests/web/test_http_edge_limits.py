"""The HTTP edge is bounded: a request's head must arrive in time and within a size, and only so
many connections may be open at once. Spoken to over raw sockets, as a hostile client would."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.support.processes import ServedProcess, serving, write_serve_config

pytestmark = pytest.mark.process  # a real `notifier serve`
WAIT = 30.0  # the longest we wait for the server's answer (it comes after about one second)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedProcess]:
    root = tmp_path_factory.mktemp("edge")
    config = write_serve_config(
        root, "head_timeout_seconds = 1\nmax_head_bytes = 4096\nmax_connections = 8\n"
    )
    with serving(config) as served:
        yield served


def connect(server: ServedProcess) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    client.settimeout(WAIT)
    return client


def answer(client: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_head_that_does_not_arrive_in_time_is_answered_408_and_closed(
    server: ServedProcess,
) -> None:
    with connect(server) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        assert answer(client).startswith(b"HTTP/1.1 408")


def test_a_head_larger_than_the_limit_is_answered_431_and_not_read(
    server: ServedProcess,
) -> None:
    with connect(server) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_000)
        assert answer(client).startswith(b"HTTP/1.1 431")


def test_connections_beyond_the_limit_are_closed_and_service_resumes_after(
    server: ServedProcess,
) -> None:
    held = [connect(server) for _ in range(8)]
    try:
        with connect(server) as extra:
            assert answer(extra) == b""  # closed at once, nothing read
    finally:
        for client in held:
            client.close()
    # The server notices the closed connections as their FIN arrives: ask until it answers.
    for _attempt in range(100):
        with connect(server) as client:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            reply = answer(client)
        if reply:
            break
    assert reply.startswith(b"HTTP/1.1 200")
