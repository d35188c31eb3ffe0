"""Feed answers the server writes directly (notifier.web.guard, `Known`): once a feed's version
is known, `notifier serve` answers it without the ASGI round trip. Those answers must be the
app's answers byte for byte (but the date), keep their order on a connection, and end the
connection when the request asks it. Spoken to over raw sockets, on a real process."""

from __future__ import annotations

import io
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from notifier.cli import main
from notifier.web.security import HEADERS
from tests.support.processes import serving, wait_for, write_serve_config

from .conftest import REPO

pytestmark = pytest.mark.process

REGISTER = REPO / "config" / "register.toml"
WAIT = 10.0
DATE = re.compile(rb"^date: [^\r]*\r\n", re.MULTILINE)


@dataclass
class Served:
    port: int
    config: Path
    urls: dict[str, str]

    def connect(self) -> socket.socket:
        client = socket.create_connection(("127.0.0.1", self.port), timeout=WAIT)
        client.settimeout(WAIT)
        return client


def calendars(config: Path, register: Path = REGISTER) -> dict[str, str]:
    out = io.StringIO()
    argv = ["calendars", "--config", str(config), "--register", str(register)]
    assert main([*argv, "--as-of", "2026-11-24", "--format", "json"], out) == 0
    return {entry["audience"]: entry["url"] for entry in json.loads(out.getvalue())}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("direct")
    # tokens stay known: answers go direct
    config = write_serve_config(root, "[feeds]\ntoken_cache_seconds = 3600\n")
    urls = calendars(config)
    with serving(config, REGISTER) as process:
        yield Served(process.port, config, urls)


def request(path: str, method: str = "GET", *headers: str, version: str = "1.1") -> bytes:
    lines = [f"{method} {path} HTTP/{version}", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


def response(client: socket.socket, buffer: bytearray, method: str = "GET") -> bytes:
    """One whole response from the connection (head, and the body its length announces)."""
    while b"\r\n\r\n" not in buffer:
        chunk = client.recv(65536)
        assert chunk, "the connection closed before a whole head"
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    found = re.search(rb"^content-length: (\d+)\r$", head, re.MULTILINE)
    status = head.split(b" ", 2)[1]
    length = int(found.group(1)) if found and method != "HEAD" and status != b"304" else 0
    while len(buffer) < end + length:
        chunk = client.recv(65536)
        assert chunk, "the connection closed before the whole body"
        buffer += chunk
    answer = bytes(buffer[: end + length])
    del buffer[: end + length]
    return answer


def closed(client: socket.socket) -> bool:
    return client.recv(65536) == b""


VARIANTS = {
    "get": ("GET",),
    "head": ("HEAD",),
    "gzip": ("GET", "Accept-Encoding: gzip"),
    "if-modified-since": ("GET", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"),
    "stale if-modified-since": ("GET", "If-Modified-Since: Fri, 01 Jan 2021 00:00:00 GMT"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_feed_answered_again_is_the_same_answer_but_for_the_date(
    served: Served, variant: str
) -> None:
    method, *headers = VARIANTS[variant]
    url = served.urls["model:titan-1"]
    with served.connect() as client:
        buffer = bytearray()
        answers = []
        for _ in range(3):
            client.sendall(request(url, method, *headers))
            answers.append(response(client, buffer, method))
    first = DATE.sub(b"", answers[0])
    assert [DATE.sub(b"", answer) for answer in answers[1:]] == [first, first]
    assert all(DATE.search(answer) for answer in answers)
    for name, value in HEADERS:
        assert b"%s: %s\r\n" % (name, value) in first


@pytest.mark.parametrize("gzip", [False, True])
def test_a_conditional_request_with_the_etag_is_answered_304_the_same_way(
    served: Served, gzip: bool
) -> None:
    url = served.urls["model:atlas-7b"]
    encoding = ["Accept-Encoding: gzip"] if gzip else []
    with served.connect() as client:
        buffer = bytearray()
        client.sendall(request(url, "GET", *encoding))
        etag = re.search(rb"^etag: ([^\r]+)\r$", response(client, buffer), re.MULTILINE)
        assert etag is not None
        match = f"If-None-Match: {etag.group(1).decode()}"
        answers = []
        for _ in range(3):
            client.sendall(request(url, "GET", *encoding, match))
            answers.append(response(client, buffer))
    assert answers[0].startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert {DATE.sub(b"", answer) for answer in answers} == {DATE.sub(b"", answers[0])}


def test_pipelined_requests_are_answered_in_their_order(served: Served) -> None:
    paths = [served.urls["model:titan-1"], "/healthz", served.urls["model:atlas-7b"]] * 2
    with served.connect() as client:
        buffer = bytearray()
        client.sendall(request(paths[0]) + request(paths[2]))  # both feeds known first
        response(client, buffer)
        response(client, buffer)
        client.sendall(b"".join(request(path) for path in paths))
        answers = [response(client, buffer) for _ in paths]
    assert [b"text/calendar" in a for a in answers] == [True, False, True] * 2
    assert b'"status"' in answers[1]
    assert answers[0] != answers[2]  # titan-1, then atlas-7b, as asked
    assert DATE.sub(b"", answers[0]) == DATE.sub(b"", answers[3])


@pytest.mark.parametrize(
    ("version", "headers"), [("1.0", ()), ("1.1", ("Connection: close",))], ids=["1.0", "close"]
)
def test_a_request_that_ends_the_connection_gets_its_answer_and_the_end(
    served: Served, version: str, headers: tuple[str, ...]
) -> None:
    url = served.urls["model:titan-1"]
    with served.connect() as client:
        client.sendall(request(url))
        response(client, bytearray())  # known from here on
    with served.connect() as client:
        buffer = bytearray()
        client.sendall(request(url, "GET", *headers, version=version))
        answer = response(client, buffer)
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"connection: close\r\n" in answer
        assert not buffer
        assert closed(client)


def test_a_feed_built_again_is_answered_with_its_new_bytes_once_the_records_are_reread(
    tmp_path: Path,
) -> None:
    """Feeds are served from the store: a server rereads the feeds' records (tokens and
    versions) every feeds.token_cache_seconds, and answers the new bytes from then on."""
    config = tmp_path / "notifier.toml"
    config.write_text(
        f'database_url = "sqlite:///{tmp_path / "notifier.db"}"\n'
        f'calendars_dir = "{tmp_path / "calendars"}"\n'
        '[http]\nhost = "127.0.0.1"\nport = 0\n'
        "[feeds]\ntoken_cache_seconds = 0.2\n",
        encoding="utf-8",
    )
    url = calendars(config)["model:nimbus-2"]
    with serving(config, REGISTER) as process:
        served = Served(process.port, config, {})
        with served.connect() as client:
            buffer = bytearray()
            client.sendall(request(url))
            before = response(client, buffer)
            changed = tmp_path / "register.toml"
            changed.write_text(
                REGISTER.read_text(encoding="utf-8").replace('"Nimbus 2"', '"Nimbus Two"'),
                encoding="utf-8",
            )
            assert calendars(config, changed)["model:nimbus-2"] == url

            def answered() -> bytes:
                client.sendall(request(url))
                return response(client, buffer)

            wait_for(lambda: b"Nimbus Two" in answered(), "the new bytes")
    assert b"Nimbus Two" not in before
