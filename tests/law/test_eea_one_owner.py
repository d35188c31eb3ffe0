"""Iceland, Liechtenstein and Norway (reference L3) are written once in the rule data, in its
`[eea]` table: the timeline and the exposure scan read the same states and the same
incorporation date, so recording the incorporation changes both readings at once."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from notifier.core.law import load_ruleset
from notifier.core.law.model import parse_rules
from notifier.core.scan import decide, load_scan_rules, parse_answers
from notifier.core.scan.rules import parse_scan_rules
from tests.support.cli import run_main

STARTER_ANSWERS = Path(__file__).parents[1] / "scan" / "fixtures" / "answers.toml"
TEXT = resources.files("notifier.core.law").joinpath("rules.toml").read_text("utf-8")
INCORPORATED = TEXT.replace("[eea]\n", "[eea]\nincorporated_on = 2027-01-01\n", 1)
ANSWERS = """[organisation]
established_in = "NO"
[[models]]
id = "m"
trained_by = "us"
modalities = ["text"]
placed_on_union_market = true
open_source = false
training_compute_flop = 3e24
"""


def test_the_scan_reads_the_eea_table_of_the_timeline() -> None:
    assert load_scan_rules().eea == load_ruleset().eea
    assert set(load_scan_rules().eea.states) == {"IS", "LI", "NO"}


def test_recording_the_incorporation_once_changes_the_scan_and_the_timeline() -> None:
    answers = parse_answers(ANSWERS, "answers.toml")
    org, model = answers.organisation, answers.models[0]
    before = decide(org, model, load_scan_rules())
    after = decide(org, model, parse_scan_rules(INCORPORATED, "rules.toml"))
    assert before.art_54 is True
    assert after.art_54 is False
    law = parse_rules(INCORPORATED, "rules.toml").landmarks
    assert law.eea_incorporated_on == date(2027, 1, 1)


def test_a_second_list_of_the_states_under_scan_is_refused() -> None:
    doubled = TEXT.replace("[scan]\n", '[scan]\neea_efta_states = ["IS", "LI", "NO"]\n', 1)
    with pytest.raises(ValueError, match="eea_efta_states"):
        parse_scan_rules(doubled, "rules.toml")


def test_the_starter_note_for_norway_says_what_the_timeline_shows(tmp_path: Path) -> None:
    """The scan and the timeline now read one [eea] table: both count Norway a third country for
    Art 54 until incorporation, and the starter register says so rather than that they part."""
    answers = tmp_path / "no.toml"
    answers.write_text(
        STARTER_ANSWERS.read_text(encoding="utf-8").replace(
            'established_in = "FR"', 'established_in = "NO"'
        ),
        encoding="utf-8",
    )
    assert run_main("init", str(tmp_path / "ours"), "--answers", str(answers)).code == 0
    register = tmp_path / "ours" / "register.toml"
    text = register.read_text(encoding="utf-8")
    note = " ".join(line[2:] for line in text.splitlines() if line.startswith("# ")).lower()
    assert "not yet show" not in note
    assert "the register's timeline shows the art 54 items too" in note
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    timeline = run_main("timeline", "--register", str(register), "--config", str(empty),
                        "--format", "json")  # fmt: skip
    assert timeline.code == 0, timeline.err
    ids = [i["id"] for m in json.loads(timeline.out)["models"] for i in m["items"]]
    assert any(i.endswith("/art-54-1-authorised-representative") for i in ids)
