"""REFERENCE L1: an event recorded on the command line changes the model's state in the
timeline (`notifier event add designation` on a model the register does not mark systemic),
and voiding it takes that back. Through the real command line, on each store engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli, argv
from tests.support.registers import register_toml

AS_OF = "2026-11-24T10:00:00+01:00"
ORION = {"id": "orion", "placed_on_market": date(2025, 10, 1), "training_compute_flop": 8e24}


def timeline(run_cli: RunCli, register: Path) -> dict[str, Any]:
    code, out, err = run_cli(
        *argv("timeline --format json --as-of 2026-11-24"), "--register", str(register)
    )
    assert (code, err) == (0, "")
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def test_a_recorded_designation_makes_the_model_systemic_and_voiding_it_undoes_that(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    text = register_toml(ORION)
    register.write_text(text, encoding="utf-8")
    id_line = next(n for n, line in enumerate(text.splitlines(), 1) if 'id = "orion"' in line)
    before = timeline(run_cli, register)
    assert before["models"][0]["systemic_risk"] is False

    add = "event add designation --model orion --decided-on 2026-05-20"
    code, out, err = run_cli(*argv(add), "--register", str(register), "--as-of", AS_OF)
    assert (code, err) == (0, "")
    assert "Recorded designation-1." in out
    # what the designation starts is shown (and mailed at once: overdue since 2026-05-20)
    assert "2026-05-20  orion/art-55-1-a-model-evaluation" in out

    after = timeline(run_cli, register)
    model = after["models"][0]
    assert model["systemic_risk"] is True
    items = {item["rule"]: item for item in model["items"]}
    for rule in ("art-55-1-a-model-evaluation", "art-55-1-b-systemic-risk-mitigation"):
        assert items[rule]["due"] == "2026-05-20"
    warnings = after["warnings"]
    assert any(w.startswith(f"{register}:{id_line}:") for w in warnings)

    code, out, err = run_cli(
        *argv("event void designation-1 --reason mistake"), "--register", str(register)
    )
    assert (code, err) == (0, "")
    voided = timeline(run_cli, register)
    assert voided["models"][0]["systemic_risk"] is False
    assert voided["warnings"] == []


def test_check_names_the_disagreement(run_cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    add = "event add designation --model orion --decided-on 2026-05-20"
    run_cli(*argv(add), "--register", str(register), "--as-of", AS_OF)

    _, out, _ = run_cli(*argv("check --as-of 2026-11-24"), "--register", str(register))

    assert out.count("the recorded designation designation-1") == 1
