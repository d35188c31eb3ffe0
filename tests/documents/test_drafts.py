"""`notifier draft KIND` for a systemic model of the example register, read back with python-docx
(an independent reader): each kind opens, cites its sources, and marks what the provider must
still fill; what the records hold is filled in, the incident's clocks among them."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from notifier.core.drafts import BLANK, KINDS
from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER

REGISTER = str(EXAMPLE_REGISTER)
SYSTEMIC = "titan-1"  # presumed: 2.4e25 FLOP, threshold known on 2026-12-01
AS_OF = "2026-12-07"


@pytest.fixture
def cli(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    monkeypatch.setenv("NOTIFIER_DATABASE_URL", f"sqlite:///{tmp_path / 'n.db'}")
    monkeypatch.setenv("NOTIFIER_REGISTER", REGISTER)
    return run_cli


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


SAYS = {
    "model-documentation": (
        "Model Documentation Form",
        "AI Office",
        "downstream providers",
        "Model authenticity",
        "Example AI SAS",
        "2.4e+25 FLOP",
    ),
    "training-summary": (
        "C(2025) 8311",
        "2.3 Data crawled and scraped from online sources",
        "Yes: the Copyright chapter is signed",
        "Not applicable",
    ),
    "notification": (
        "AI Act Art 52(1)",
        "2026-12-01",
        "2.4e+25 FLOP",
        "Could not be read for this draft",
    ),
    "incident-report": (
        "Measure 9.2",
        "(7) Recommendations to the authorities",
        "Reporting clocks of incident-1",
        "2026-12-01",
    ),
    "alternative-means": (
        "AI Act Art 53(4)",
        "AI Act Art 55(2)",
        "Copyright Measure 1.3",
        "prepared in case of withdrawal",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_draft_opens_in_python_docx_cites_its_sources_and_marks_blanks(
    cli: RunCli, tmp_path: Path, kind: str
) -> None:
    incident = cli(
        "event",
        "add",
        "incident",
        "--model",
        SYSTEMIC,
        "--type",
        "death",
        "--aware-on",
        "2026-12-01",
    )
    assert incident.code == 0, incident.err

    made = cli(
        "draft",
        kind,
        "--model",
        SYSTEMIC,
        "--format",
        "docx",
        "--as-of",
        AS_OF,
        "--out",
        str(tmp_path),
    )

    assert made.code == 0, made.err
    path = tmp_path / f"{kind}-{SYSTEMIC}-{AS_OF}.docx"
    text = docx_text(path)
    assert "Sources" in text
    assert "Read from:" in text
    assert BLANK in text
    for needed in SAYS[kind]:
        assert needed in text, needed
    markdown = cli("draft", kind, "--model", SYSTEMIC, "--as-of", AS_OF)
    assert markdown.code == 0
    assert markdown.out.count(BLANK) >= 1
    assert "## Sources" in markdown.out


def test_the_incident_report_carries_the_measure_9_3_clocks(cli: RunCli) -> None:
    cli(
        "event",
        "add",
        "incident",
        "--model",
        SYSTEMIC,
        "--type",
        "death",
        "--aware-on",
        "2026-12-01",
    )
    text = cli("draft", "incident-report", "--model", SYSTEMIC, "--as-of", AS_OF).out
    assert "2026-12-11" in text  # death: 10 days after awareness (Measure 9.3(3))


def test_the_notification_adds_the_arguments_section_only_when_arguments_are_made(
    cli: RunCli, tmp_path: Path
) -> None:
    without = cli("draft", "notification", "--model", SYSTEMIC, "--as-of", AS_OF).out
    assert "Art 52(2)" not in without.split("## Sources")[1].split("## Notification")[1]
    register = tmp_path / "register.toml"
    text = EXAMPLE_REGISTER.read_text(encoding="utf-8").replace(
        "threshold_known_on = 2026-12-01\n",
        'threshold_known_on = 2026-12-01\narguments_decision = "pending"\n',
        1,
    )
    register.write_text(text, encoding="utf-8")
    with_arguments = cli(
        "draft", "notification", "--model", SYSTEMIC, "--as-of", AS_OF, "--register", str(register)
    )
    assert with_arguments.code == 0, with_arguments.err
    assert "## Arguments that the model does not present systemic risks" in with_arguments.out
    assert "- Value: pending" in with_arguments.out


def test_bad_arguments_are_named(cli: RunCli, tmp_path: Path) -> None:
    unknown = cli("draft", "notification", "--model", "nope")
    assert unknown.code == 2
    assert "--model: no model 'nope'" in unknown.err
    docx_without_out = cli("draft", "notification", "--model", SYSTEMIC, "--format", "docx")
    assert docx_without_out.code == 2
    assert "--out" in docx_without_out.err
    assert "Traceback" not in unknown.err + docx_without_out.err
