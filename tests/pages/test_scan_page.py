"""/scan over the real HTTP app: public (signed out), plain forms with CSRF, the scan's answer
with its reasons, the starter register only when asked for, and nothing stored, ever."""

from __future__ import annotations

import sqlite3
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from notifier.core.register import parse_register
from tests.pages.conftest import NOW
from tests.support.webapp import WebSite, csrf_of, make_site

EU_PROVIDER = {
    "org-name": "Example GmbH",
    "org-established_in": "DE",
    "model-id": "our-model",
    "model-name": "Our model",
    "model-trained_by": "us",
    "model-training_compute_flop": "3e24",
    "model-modalities": "text",
    "model-placed_on_union_market": "yes",
    "model-open_source": "no",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebSite]:
    monkeypatch.chdir(tmp_path)
    yield from make_site(tmp_path, NOW)


def store_rows(site: WebSite) -> dict[str, list[Any]]:
    """Every row of every table, read with the standard library's sqlite3."""
    database = site.workspace.database
    assert database is not None
    assert database.exists()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}


def scan_post(client: TestClient, fields: dict[str, str], path: str = "/scan") -> Any:
    page = client.get("/scan")
    return client.post(path, data={"csrf_token": csrf_of(page.text), **fields})


def test_the_scan_page_answers_signed_out_and_stores_nothing(site: WebSite) -> None:
    before = store_rows(site)
    with site.client() as client:
        form = client.get("/scan")
        result = scan_post(client, EU_PROVIDER)

    assert form.status_code == 200
    assert "Check your GPAI exposure" in form.text
    assert result.status_code == 200, result.text
    assert 'Our model: <span class="role">provider</span>' in result.text
    assert "Commission guidelines C(2025) 5045, s.2.1" in result.text
    assert "notifier_session" not in result.headers.get("set-cookie", "")
    assert store_rows(site) == before


def test_a_scan_form_without_the_csrf_token_is_refused(site: WebSite) -> None:
    with site.client() as client:
        client.get("/scan")
        refused = client.post("/scan", data=EU_PROVIDER)

    assert refused.status_code == 403


def test_a_bad_answer_is_shown_beside_its_field_and_nothing_is_decided(site: WebSite) -> None:
    with site.client() as client:
        answer = scan_post(client, {**EU_PROVIDER, "model-training_compute_flop": "lots"})

    assert answer.status_code == 400
    assert "is not a number; write it like 3e24" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'role">provider' not in answer.text


def test_the_starter_register_is_a_download_the_register_parser_accepts(site: WebSite) -> None:
    before = store_rows(site)
    with site.client() as client:
        result = scan_post(client, EU_PROVIDER)
        download = client.post(
            "/scan/download",
            data={"csrf_token": csrf_of(result.text), **EU_PROVIDER, "file": "register.toml"},
        )

    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="register.toml"'
    assert tomllib.loads(download.text)["models"][0]["role"] == "provider"
    register = parse_register(download.text, "download", date(2026, 11, 24))
    assert register.organisation.established_in == "DE"
    assert store_rows(site) == before


def test_a_deployer_only_answer_has_no_register_to_download(site: WebSite) -> None:
    deployer = {
        "org-established_in": "FR",
        "model-id": "helpdesk",
        "model-trained_by": "third-party",
        "model-uses": "Provider X / model Y",
        "model-placed_on_union_market": "no",
    }
    with site.client() as client:
        result = scan_post(client, deployer)
        download = client.post(
            "/scan/download",
            data={"csrf_token": csrf_of(result.text), **deployer, "file": "register.toml"},
        )

    assert 'role">deployer' in result.text
    assert download.status_code == 400
    assert "Nothing to register" in download.text
