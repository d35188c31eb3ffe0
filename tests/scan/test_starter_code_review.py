"""A starter register from `notifier init` does not start with the Code of Practice review
overdue: `version_reviewed` stays the Code version the rule data knows (what the README says the
key means), and `checked_on`, the day the review task counts from, is the day of the scan, with
a comment saying what the person must check. Read back with tomllib; the timeline by the CLI."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

from notifier.core.scan import load_scan_rules
from tests.support.cli import run_main

from .test_scan_command import ANSWERS

REVIEW = "organisation/review-code-revision"


def test_the_starter_register_does_not_start_with_the_code_review_overdue(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    assert run_main("init", str(folder), "--answers", str(ANSWERS)).code == 0
    text = (folder / "register.toml").read_text(encoding="utf-8")
    cop = tomllib.loads(text)["organisation"]["code_of_practice"]
    assert cop["version_reviewed"] == load_scan_rules().code_version == date(2025, 7, 10)
    day: date = cop["checked_on"]

    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    timeline = run_main("timeline", "--register", str(folder / "register.toml"), "--config",
                        str(empty), "--as-of", day.isoformat(), "--format", "json")  # fmt: skip
    assert timeline.code == 0, timeline.err
    items = json.loads(timeline.out)["organisation"]["items"]
    [review] = [i for i in items if i["id"] == REVIEW]
    assert review["status"] != "overdue", review
    assert date.fromisoformat(review["due"]) > day

    [line] = [t for t in text.splitlines() if t.startswith("checked_on")]
    assert "TO CHECK" in line
    assert "2025-07-10" in line
