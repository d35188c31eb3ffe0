"""docs/contracts.md's answers file parses and decides, and its role table names every role."""

from __future__ import annotations

import re
from pathlib import Path

from notifier.core.scan import ROLES, load_scan_rules, parse_answers, scan

CONTRACTS = Path(__file__).resolve().parents[2] / "docs" / "contracts.md"


def section() -> str:
    text = CONTRACTS.read_text(encoding="utf-8")
    return text[text.index("## The exposure scan") :]


def test_the_documented_answers_file_is_a_valid_answers_file() -> None:
    block = re.search(r"### The answers file.*?```toml\n(.*?)```", section(), re.S)
    assert block is not None

    answers = parse_answers(block.group(1), "docs/contracts.md")
    (outcome,) = scan(answers, load_scan_rules())

    assert outcome.role == "modifier-provider"
    assert answers.models[0].imported == {"base": "model card ./README.md"}


def test_the_role_table_has_a_row_for_every_role() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \|", section(), re.M)

    assert rows == list(ROLES)
