"""`notifier serve` as a real process on a loopback port, spoken to over real HTTP."""

from __future__ import annotations

import http.client
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from notifier.cli import main
from tests.support.postgres import Databases
from tests.support.processes import serving
from tests.support.stores import ENGINES

from .conftest import REPO

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

REGISTER = REPO / "config" / "register.toml"
STARTUP_SECONDS = 30


@dataclass
class Server:
    port: int
    config: Path
    urls: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})  # the path goes out as written
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


@pytest.fixture(scope="module", params=ENGINES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One server per engine for the module (starting one takes a second); only rotation
    changes state, and only for person:legal."""
    tmp_path = tmp_path_factory.mktemp("serve")
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'notifier.db'}"
    else:
        databases: Databases = request.getfixturevalue("postgres_databases")
        database_url = databases.create()
    config = tmp_path / "notifier.toml"
    config.write_text(
        f'database_url = "{database_url}"\n'
        f'calendars_dir = "{tmp_path / "calendars"}"\n'
        f'cache_dir = "{tmp_path / "cache"}"\n'
        '[http]\nhost = "127.0.0.1"\nport = 0\n'
        "[feeds]\ntoken_cache_seconds = 0\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    common = ["--config", str(config), "--register", str(REGISTER)]
    assert main(["calendars", *common, "--as-of", "2026-11-24", "--format", "json"], out) == 0
    urls = {entry["audience"]: entry["url"] for entry in json.loads(out.getvalue())}
    try:
        with serving(config, REGISTER) as served:
            yield Server(served.port, config, urls)
    finally:
        if request.param != "sqlite":
            databases.drop(database_url)


def test_a_listed_feed_url_answers_200_with_an_etag_and_then_304(server: Server) -> None:
    url = server.urls["model:titan-1"]
    first = server.get(url)
    assert first.status == 200
    assert first.getheader("content-type") == "text/calendar; charset=utf-8"
    etag = first.getheader("etag")
    assert etag is not None
    again = server.get(url, {"If-None-Match": etag})
    assert again.status == 304
    assert again.getheader("etag") == etag


def test_a_wrong_token_and_traversal_attempts_answer_404(server: Server) -> None:
    token = server.urls["organisation"].split("/")[2]
    for path in (
        "/feeds/not-a-token/organisation.ics",
        f"/feeds/{token}/../notifier.db",
        f"/feeds/{token}/..%2Fnotifier.db",
        f"/feeds/{token}/..%2F..%2F..%2Fetc%2Fpasswd",
        f"/feeds/{token}%2Forganisation.ics",
        f"/feeds/{token}/./organisation.ics",
        "/feeds/../notifier.toml",
    ):
        assert server.get(path).status == 404, path


def test_rotation_invalidates_the_old_url(server: Server) -> None:
    old = server.urls["person:legal"]
    assert server.get(old).status == 200
    out = io.StringIO()
    argv = ["feeds", "rotate", "person:legal", "--config", str(server.config)]
    assert main([*argv, "--register", str(REGISTER)], out) == 0
    new = re.search(r"/feeds/\S+/person-legal\.ics", out.getvalue())
    assert new is not None
    assert server.get(old).status == 404
    assert server.get(new.group(0)).status == 200


def test_healthz_answers_ok(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["status"] == "ok"
    connection.close()
