"""`notifier export pack` on the example register, read back with independent readers: pypdf for
the PDF's text, openpyxl for the workbook, csv and json for the rest, hashlib for the manifest.
Never by rendering again."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from notifier.web import printed
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER

REGISTER = str(EXAMPLE_REGISTER)
AS_OF = "2026-12-07"
MARKED = "titan-1/art-52-1-notification"
EVIDENCE = "https://evidence.example.com/titan-1/notification.pdf"


@pytest.fixture
def cli(run_cli: RunCli, store_url: str, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", store_url)
    monkeypatch.setenv("NOTIFIER_REGISTER", REGISTER)
    return run_cli


def recorded(cli: RunCli) -> None:
    incident = cli(
        "event",
        "add",
        "incident",
        "--model",
        "titan-1",
        "--type",
        "other-harm",
        "--aware-on",
        "2026-12-01",
    )
    assert incident.code == 0, incident.err
    done = cli(
        "done",
        MARKED,
        "--on",
        "2026-12-02",
        "--note",
        "sent to the AI Office",
        "--evidence-url",
        EVIDENCE,
    )
    assert done.code == 0, done.err


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check_manifest(files: dict[str, bytes]) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(files["manifest.json"])
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    return manifest


def test_the_pack_of_a_model_holds_every_item_its_marks_and_pins_the_audit_log(
    cli: RunCli, tmp_path: Path
) -> None:
    recorded(cli)
    out = tmp_path / "pack"

    made = cli("export", "pack", "--model", "titan-1", "--as-of", AS_OF, "--out", str(out))

    assert made.code == 0, made.err
    files = {path.name: path.read_bytes() for path in out.iterdir()}
    manifest = check_manifest(files)
    timeline = json.loads(files["timeline.json"])
    [model] = timeline["models"]
    assert model["id"] == "titan-1"
    items = model["items"]
    assert items
    text = pdf_text(files[f"evidence-pack-titan-1-{AS_OF}.pdf"])
    for item in items:
        assert item["id"] in text
        due = item["due"] or "no fixed date"
        assert re.search(re.escape(item["id"]) + r"\s+due " + re.escape(due), text), item["id"]
    for needed in ("sent to the AI Office", EVIDENCE, "incident-1", "AI Act Art 51(1)(a), 51(2)"):
        assert needed in text.replace("\n", ""), needed
    verify = cli("audit", "verify")
    head = re.search(r"head ([0-9a-f]{64})", verify.out)
    assert head is not None
    assert manifest["audit_log"]["head_hash"] == head.group(1)
    assert head.group(1) in text.replace("\n", "")
    assert "rules.toml SHA-256" in text.replace("\n", " ")

    book = load_workbook(io.BytesIO(files[f"evidence-pack-titan-1-{AS_OF}.xlsx"]), read_only=True)
    assert book.sheetnames == ["models", "items", "done marks", "events", "reminders sent", "audit"]
    rows = list(book["items"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [item["id"] for item in items]
    marks = list(book["done marks"].iter_rows(values_only=True))
    assert any(row[1] == MARKED and row[4] == EVIDENCE for row in marks[1:])
    audit_rows = list(book["audit"].iter_rows(values_only=True))[1:]
    assert audit_rows[-1][-1] == head.group(1)
    with io.StringIO(files["items.csv"].decode("utf-8"), newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == [item["id"] for item in items]


def test_the_pack_of_the_register_as_a_zip(cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"

    made = cli("export", "pack", "--as-of", AS_OF, "--out", str(out))

    assert made.code == 0, made.err
    with zipfile.ZipFile(out) as archive:
        files = {Path(name).name: archive.read(name) for name in archive.namelist()}
    check_manifest(files)
    timeline = json.loads(files["timeline.json"])
    every = [i["id"] for m in timeline["models"] for i in m["items"]]
    every += [i["id"] for i in timeline["organisation"]["items"]]
    book = load_workbook(io.BytesIO(files[f"evidence-pack-register-{AS_OF}.xlsx"]), read_only=True)
    rows = list(book["items"].iter_rows(values_only=True))[1:]
    assert [row[0] for row in rows] == every
    assert len({m["id"] for m in timeline["models"]}) == len(list(book["models"].rows)) - 1


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--model", "nope"], "--model: no model 'nope'"),
        (["--out", "{file}"], "is a file; give a folder or a file name ending in .zip"),
        (["--out", "{missing}/p.zip"], "does not exist"),
    ],
)
def test_bad_arguments_are_named_and_nothing_is_written(
    cli: RunCli, tmp_path: Path, argv: list[str], says: str
) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("x", encoding="utf-8")
    words = [w.format(file=existing, missing=tmp_path / "missing") for w in argv]
    if "--out" not in words:
        words += ["--out", str(tmp_path / "out")]

    refused = cli("export", "pack", *words)

    assert refused.code == 2
    assert says in refused.err
    assert "Traceback" not in refused.err
    assert not (tmp_path / "out").exists()


@pytest.mark.process
def test_a_large_pack_is_printed_in_parts_side_by_side_and_joined(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of 3 models (a large register's are 100), printed in worker processes, joined:
    every item id of every model is in the one PDF, in the register's order."""
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", f"sqlite:///{tmp_path / 'n.db'}")
    monkeypatch.setattr(printed, "CHUNK", 3)
    monkeypatch.setattr(printed, "COMPACT_ABOVE", 3)
    out = tmp_path / "pack"

    made = run_cli("export", "pack", "--as-of", AS_OF, "--out", str(out), "--register", REGISTER)

    assert made.code == 0, made.err
    files = {path.name: path.read_bytes() for path in out.iterdir()}
    check_manifest(files)
    text = pdf_text(files[f"evidence-pack-register-{AS_OF}.pdf"])
    timeline = json.loads(files["timeline.json"])
    places = []
    for model in timeline["models"]:
        for item in model["items"]:
            assert item["id"] in text
        places.append(text.index(model["items"][0]["id"]))
    assert places == sorted(places)
    assert text.count("Evidence pack: every model of") == 1
    assert "Should we sign the Code of Practice?" in text
