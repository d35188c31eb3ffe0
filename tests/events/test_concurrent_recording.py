"""Twelve people recording events on one model at once: twelve events, twelve audit entries,
twelve distinct ids, on each engine. Event ids used to be counted in one transaction and used
in another, so concurrent writers were told "Recorded downstream-request-N" for the same N and
`event list` kept only the newest of them."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from notifier.store.audit import entries
from notifier.store.events import load_events
from tests.support.webapp import WebSite, csrf_of, make_site
from tests.support.workspace import Workspace

pytestmark = pytest.mark.process  # real processes: `pytest -m "not process"` skips them

WRITERS = 12
MODEL = "contracts-tune"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def assert_every_one_recorded(workspace: Workspace, said: list[str]) -> None:
    listed = workspace.cli("event", "list", "--format", "json")
    assert listed.code == 0, listed.err
    events = [e for e in json.loads(listed.out) if e["kind"] == "downstream-request"]
    ids = [e["id"] for e in events]
    assert len(events) == WRITERS, ids
    assert len(set(ids)) == WRITERS, ids
    assert sorted(e["requester"] for e in events) == sorted(f"asker {n}" for n in range(WRITERS))
    with workspace.context() as context:
        audited = [e for e in entries(context.store) if e.action == "event-add"]
    assert len(audited) == WRITERS
    assert sorted(e.subject for e in audited) == sorted(ids)
    assert sorted(said) == sorted(ids), "each writer was told the id its event kept"


def test_twelve_event_add_processes_at_once_record_twelve_events(workspace: Workspace) -> None:
    assert workspace.cli("event", "list").code == 0  # the store exists before they race
    started = [
        subprocess.Popen(
            workspace.command(
                "event",
                "add",
                "downstream-request",
                "--model",
                MODEL,
                "--received-on",
                "2026-11-23",
                "--requester",
                f"asker {n}",
                "--as-of",
                "2026-11-24T10:00:00+01:00",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
            cwd=workspace.root,
        )
        for n in range(WRITERS)
    ]
    said = []
    for process in started:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        said.append(out.split("Recorded ", 1)[1].split(".", 1)[0])
    assert_every_one_recorded(workspace, said)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str) -> Iterator[WebSite]:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield from make_site(tmp_path, NOW, database_url=store_url)


def test_twelve_web_posts_at_once_record_twelve_events(site: WebSite) -> None:
    """Twelve browsers of the model's owner, each on its own thread and its own client of the
    real app, press Record at once."""
    path = f"/models/{MODEL}/record/downstream-request"
    with site.client() as first:
        site.sign_in(first, "dara.okafor@example.com")
        cookies = dict(first.cookies)
        token = csrf_of(first.get(path).text)
    barrier = threading.Barrier(WRITERS)
    said: list[str] = []
    failures: list[str] = []

    def press(n: int) -> None:
        with TestClient(site.app, base_url="http://127.0.0.1:8080", follow_redirects=False) as c:
            c.cookies.update(cookies)
            barrier.wait(timeout=60)
            answer = c.post(
                path,
                data={
                    "csrf_token": token,
                    "received_on": "2026-11-23",
                    "requester": f"asker {n}",
                },
            )
            if answer.status_code != 303:
                failures.append(f"{answer.status_code}: {answer.text[:300]}")
                return
            flash = c.get(answer.headers["location"]).text
            found = flash.split("Recorded ", 1)[1].split(".", 1)[0]
            said.append(found)

    threads = [threading.Thread(target=press, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not failures, failures
    assert len(load_events(site.context.store).events) >= WRITERS
    assert_every_one_recorded(site.workspace, said)
