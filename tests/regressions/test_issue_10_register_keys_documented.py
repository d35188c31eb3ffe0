"""Issue 10: every register key is documented in the README's key tables; the keys the issue
added (a model's later life, an upstream model's systemic risk) each with an example and the
legal source they rest on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifier.core.register import Model, Upstream

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
ADDED = ("arguments_decision", "arguments_decided_on", "withdrawn_on", "version_of")
CITATION = re.compile(r"(Art \d+|guidelines|Code of Practice|recital)")


def rows(section: str) -> dict[str, str]:
    """The key table rows of a README section, by each key the row's first cell names."""
    text = README.split(section, 1)[1].split("\n#", 1)[0]
    found = {}
    for line in text.splitlines():
        cells = line.split("|")
        if len(cells) > 4 and "`" in cells[1]:
            for key in re.findall(r"`([a-z_]+)`", cells[1]):
                found[key] = line
    return found


def test_every_model_key_of_the_schema_has_a_row_in_the_readme() -> None:
    documented = rows("### `[[models]]`")

    assert set(Model.model_fields) - set(documented) == set()


def test_every_upstream_key_of_the_schema_has_a_row_in_the_readme() -> None:
    documented = rows("Each `upstream` entry is an inline table")

    assert set(Upstream.model_fields) - set(documented) == set()


@pytest.mark.parametrize("key", ADDED)
def test_each_model_key_added_has_an_example_and_a_legal_source(key: str) -> None:
    row = rows("### `[[models]]`")[key]
    example = row.split("|")[3]

    assert "`" in example, row
    assert CITATION.search(row.split("|")[4]), row


def test_the_upstream_systemic_risk_key_has_an_example_and_a_legal_source() -> None:
    row = rows("Each `upstream` entry is an inline table")["systemic_risk"]

    assert "`false`" in row.split("|")[3]
    assert "recital (b)" in row
