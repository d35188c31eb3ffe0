"""The evidence pack from the pages: a link on the overview and on each model page, a GET that
gives the zip to a signed-in person only; read back with zipfile, hashlib and pypdf."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from docx import Document
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.support.webapp import WebSite


def test_a_signed_in_person_downloads_a_models_pack(ana: TestClient) -> None:
    assert 'href="/pack"' in ana.get("/").text
    assert 'href="/models/titan-1/pack"' in ana.get("/models/titan-1").text

    answer = ana.get("/models/titan-1/pack")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert "attachment" in answer.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
    [pdf] = [name for name in files if name.endswith(".pdf")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files[pdf])).pages)
    for item in json.loads(files["timeline.json"])["models"][0]["items"]:
        assert item["id"] in text


def test_no_pack_for_a_stranger_or_an_unknown_model(site: WebSite, ana: TestClient) -> None:
    with site.client() as stranger:
        refused = stranger.get("/pack", follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/sign-in"
    assert ana.get("/models/nope/pack").status_code == 404


def test_a_draft_downloads_from_the_model_page(ana: TestClient) -> None:
    page = ana.get("/models/titan-1").text
    assert 'href="/models/titan-1/drafts/notification.docx"' in page

    answer = ana.get("/models/titan-1/drafts/notification.docx")

    assert answer.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "Art 52(1) notification to the Commission: Titan 1" in text
    assert ana.get("/models/titan-1/drafts/nope.docx").status_code == 404
