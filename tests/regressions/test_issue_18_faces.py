"""Issue 18: the faces drifted apart because each wrote its own use case.

- The web recorded a second done mark on `organisation/review-code-revision` and so closed next
  quarter's review, which `notifier done` refuses: both now call notifier.app.records.done and
  refuse it with the same message.
- The model page explained a `version_of` model's regime with the wrong reason ("Chapter V
  duties apply from the day of placing" for an Art 111(3) model), because the web recomputed
  the regime: the reasons now come with the timeline, from the core and the rule data, in the
  page and in the timeline JSON alike.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from notifier import clock
from notifier.core.law import load_ruleset
from notifier.store.audit import entries
from tests.support.registers import REPO
from tests.support.webapp import WebSite, make_site, post

REVIEW = "organisation/review-code-revision"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
LIFECYCLE = REPO / "config" / "examples" / "lifecycle.toml"


@pytest.fixture
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no message beside {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).removeprefix("Error: ")


@pytest.fixture
def site(tmp_path: Path, clean_environment: None) -> Iterator[WebSite]:
    yield from make_site(tmp_path, NOW)


def test_the_web_refuses_a_second_done_mark_on_a_recurring_item_as_the_cli_does(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        first = post(client, f"/items/{REVIEW}", {"action": "done"})
        assert first.status_code == 303, first.text
        marks = [e for e in entries(site.context.store) if e.action == "done"]
        assert len(marks) == 1

        second = post(client, f"/items/{REVIEW}", {"action": "done"})
        assert second.status_code == 400
        on_the_page = field_error(second.text, "item")
        assert [e for e in entries(site.context.store) if e.action == "done"] == marks

    # The command line, on the same store at the same instant, says the same.
    monkeypatch.setattr(clock, "system_now", lambda: NOW)
    cli = site.workspace.cli("done", REVIEW)
    assert cli.code == 2, cli.out
    assert on_the_page in cli.err
    assert "not yet due" in on_the_page


def test_asked_for_the_web_closes_the_next_occurrence_too(site: WebSite) -> None:
    with site.client() as client:
        site.sign_in(client, "legal@example.com")
        assert post(client, f"/items/{REVIEW}", {"action": "done"}).status_code == 303
        again = post(client, f"/items/{REVIEW}", {"action": "done", "next": "yes"})
        assert again.status_code == 303, again.text
    assert len([e for e in entries(site.context.store) if e.action == "done"]) == 2


@pytest.fixture
def lifecycle(tmp_path: Path, clean_environment: None) -> Iterator[WebSite]:
    yield from make_site(tmp_path, NOW, register=LIFECYCLE)


def test_a_later_version_of_a_legacy_model_is_explained_by_art_111_3_with_its_citation(
    lifecycle: WebSite,
) -> None:
    lineage = load_ruleset().regime.lineage
    assert "Art 111(3)" in lineage
    with lifecycle.client() as client:
        lifecycle.sign_in(client, "compliance@lifecycle.example")
        page = html.unescape(client.get("/models/sage-2").text)
    reasons = page.split('class="reasons"')[1].split("</ul>")[0]
    assert "a later version of Sage 1 (sage-1), first placed on" in reasons
    assert "due by 2027-08-02" in reasons
    assert lineage in reasons
    assert "Chapter V duties apply from the day of placing" not in reasons


def test_the_timeline_json_carries_the_same_reasons(
    tmp_path: Path, clean_environment: None
) -> None:
    from tests.support.workspace import Workspace

    workspace = Workspace.create(tmp_path, LIFECYCLE)
    shown = workspace.cli("timeline", "--format", "json", "--as-of", "2026-11-24")
    assert shown.code == 0, shown.err
    models = {m["id"]: m for m in json.loads(shown.out)["models"]}
    reasons = models["sage-2"]["regime_reasons"]
    assert models["sage-2"]["regime"] == "art-111-3-transition"
    assert reasons[0]["citation"] == load_ruleset().regime.lineage
    assert "later version" in reasons[0]["text"]
    sage_1 = models["sage-1"]["regime_reasons"]
    assert sage_1[0]["citation"] == "AI Act Art 111(3)"
    assert all(set(r) == {"text", "citation"} and r["citation"] for r in sage_1)


def test_the_pages_no_longer_reason_about_the_law() -> None:
    views = (REPO / "notifier" / "web" / "views.py").read_text(encoding="utf-8")
    for provision in ("Art 52(4)", "Art 51(1)", "Art 53(2)", "C(2025) 5045", "Annex XII"):
        assert provision not in views
