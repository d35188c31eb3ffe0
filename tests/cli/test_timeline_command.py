"""`notifier timeline`: the JSON contract of DESIGN.md, the --model filter and bad arguments."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.support.registers import register_toml

CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]

CONFIG = Path(__file__).resolve().parents[2] / "config"
REGISTER = str(CONFIG / "register.toml")
ITEM_KEYS = {"id", "rule", "title", "due", "status", "basis", "citation", "kind"}
MODEL_KEYS = {"id", "name", "regime", "regime_deadline", "systemic_risk", "withdrawn_on", "items"}


def timeline_json(run_cli: RunCli, *extra: str) -> dict[str, Any]:
    code, out, err = run_cli(
        "timeline", "--format", "json", "--as-of", "2026-11-24", "--register", REGISTER, *extra
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def all_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = list(data["organisation"]["items"])
    for model in data["models"]:
        items += model["items"]
    return items


def test_the_json_timeline_has_the_top_level_shape_of_the_contract(run_cli: RunCli) -> None:
    data = timeline_json(run_cli)

    assert {"as_of", "law", "warnings", "models", "organisation"} <= set(data)
    assert data["warnings"] == []
    assert data["as_of"] == "2026-11-24"
    assert data["law"] == "Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744"
    assert {"items", "fine_ceiling_eur", "fine_citation"} <= set(data["organisation"])
    assert data["organisation"]["fine_ceiling_eur"] == 24_600_000
    assert data["organisation"]["fine_citation"] == "AI Act Art 101(1)"


def test_every_model_and_item_carries_the_contract_keys_with_their_value_kinds(
    run_cli: RunCli,
) -> None:
    data = timeline_json(run_cli)

    assert [m["id"] for m in data["models"]][:2] == ["atlas-7b", "atlas-13b"]
    for model in data["models"]:
        assert set(model) >= MODEL_KEYS
        assert model["regime"] in {"chapter-v", "art-111-3-transition", "planned", "downstream"}
        assert isinstance(model["systemic_risk"], bool)
        for item in model["items"]:
            assert item["id"] == f"{model['id']}/{item['rule']}" or item["id"].startswith(
                f"{model['id']}/{item['rule']}/"
            )
    for item in all_items(data):
        assert set(item) >= ITEM_KEYS
        assert item["basis"] in {"law", "code", "guidance"}
        assert item["kind"] in {"deadline", "review", "milestone"}
        assert item["status"] in {"done", "overdue", "due-soon", "upcoming", "standing", "open"}
        assert item["citation"]
        assert item["due"] is None or len(item["due"]) == 10
        assert (item["due"] is None) == (item["status"] == "standing")


def test_the_legacy_example_model_matches_the_contract_example(run_cli: RunCli) -> None:
    atlas = next(m for m in timeline_json(run_cli)["models"] if m["id"] == "atlas-7b")
    item = next(i for i in atlas["items"] if i["rule"] == "art-53-1-a-technical-documentation")

    assert atlas["name"] == "Atlas 7B"
    assert atlas["regime"] == "art-111-3-transition"
    assert atlas["regime_deadline"] == "2027-08-02"
    assert atlas["systemic_risk"] is False
    assert item["id"] == "atlas-7b/art-53-1-a-technical-documentation"
    assert item["due"] == "2027-08-02"
    assert item["status"] == "upcoming"
    assert item["basis"] == "law"
    assert item["kind"] == "deadline"
    assert item["citation"].startswith("AI Act Art 53(1)(a)")
    assert item["citation"].endswith("Art 111(3)")


def test_organisation_items_include_the_application_milestones(run_cli: RunCli) -> None:
    items = {i["rule"]: i for i in timeline_json(run_cli)["organisation"]["items"]}

    assert items["art-101-enforcement"]["id"] == "organisation/art-101-enforcement"
    assert items["art-101-enforcement"]["due"] == "2026-08-02"
    assert items["art-101-enforcement"]["status"] == "done"
    assert items["review-code-revision"]["due"] == "2027-01-15"


def test_the_model_filter_keeps_only_that_model(run_cli: RunCli) -> None:
    data = timeline_json(run_cli, "--model", "titan-1")

    (titan,) = data["models"]
    assert titan["id"] == "titan-1"
    assert titan["regime"] == "planned"
    assert titan["systemic_risk"] is True
    assert {i["rule"] for i in titan["items"]} >= {"art-52-1-notification"}


def test_an_unknown_model_is_bad_input_naming_the_known_ones(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "timeline", "--format", "json", "--register", REGISTER, "--model", "atlas-8b"
    )

    assert code == 2
    assert out == ""
    assert "no model 'atlas-8b'" in err
    assert "atlas-7b" in err
    assert "Traceback" not in err


def test_the_table_shows_each_model_with_its_regime_and_deadline(run_cli: RunCli) -> None:
    code, out, err = run_cli("timeline", "--as-of", "2026-11-24", "--register", REGISTER)

    assert code == 0, err
    assert "atlas-7b (Atlas 7B): art-111-3-transition, deadline 2027-08-02" in out
    assert "titan-1 (Titan 1): planned, deadline 2027-06-15, systemic risk" in out


def test_an_aware_datetime_as_of_is_accepted(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "timeline",
        "--format",
        "json",
        "--register",
        REGISTER,
        "--as-of",
        "2026-11-24T23:30:00-05:00",
    )

    assert code == 0, err
    assert json.loads(out)["as_of"] == "2026-11-24"


@pytest.mark.parametrize("as_of", ["2026-13-01", "24/11/2026", "2026-11-24T09:00:00"])
def test_a_bad_as_of_is_bad_input(run_cli: RunCli, as_of: str) -> None:
    code, out, err = run_cli("timeline", "--register", REGISTER, "--as-of", as_of)

    assert code == 2
    assert out == ""
    assert "--as-of" in err
    assert "Traceback" not in err


def write_register(tmp_path: Path, *models: dict[str, Any]) -> str:
    path = tmp_path / "lifecycle.toml"
    path.write_text(register_toml(*models), encoding="utf-8")
    return str(path)


def test_every_item_carries_done_late_days_counting_the_days_it_was_met_late(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = write_register(tmp_path, {"id": "m", "placed_on_market": date(2026, 3, 16)})
    late, on_time = "m/art-53-1-a-technical-documentation", "m/art-53-1-c-copyright-policy"
    assert run_cli("done", late, "--on", "2026-04-01", "--register", register)[0] == 0
    assert run_cli("done", on_time, "--on", "2026-03-10", "--register", register)[0] == 0

    code, out, err = run_cli(
        "timeline", "--format", "json", "--as-of", "2026-11-24", "--register", register
    )
    items = {i["id"]: i for i in json.loads(out)["models"][0]["items"]}

    assert code == 0, err
    assert items[late]["status"] == "done"
    assert items[late]["done_late_days"] == 16
    assert items[on_time]["done_late_days"] is None
    assert all("done_late_days" in item for item in items.values())


def test_the_json_timeline_carries_the_registers_warnings(run_cli: RunCli, tmp_path: Path) -> None:
    register = write_register(tmp_path, {"id": "m", "planned_placement": date(2026, 6, 1)})

    code, out, err = run_cli(
        "timeline", "--format", "json", "--as-of", "2026-11-24", "--register", register
    )
    data = json.loads(out)

    assert code == 0, err
    (warning,) = data["warnings"]
    assert "model 'm', field 'planned_placement'" in warning
    assert "has passed" in warning


def test_a_withdrawn_model_carries_withdrawn_on_and_its_reviews_stop(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = write_register(
        tmp_path,
        {"id": "gone", "placed_on_market": date(2025, 9, 1), "withdrawn_on": date(2026, 6, 30)},
        {"id": "kept", "placed_on_market": date(2025, 9, 1)},
    )

    code, out, err = run_cli(
        "timeline", "--format", "json", "--as-of", "2026-11-24", "--register", register
    )
    gone, kept = json.loads(out)["models"]

    assert code == 0, err
    assert gone["withdrawn_on"] == "2026-06-30"
    assert kept["withdrawn_on"] is None
    assert "review-documentation" not in {i["rule"] for i in gone["items"]}
    assert "review-documentation" in {i["rule"] for i in kept["items"]}
    assert "model-withdrawn" in {i["rule"] for i in gone["items"]}


def test_the_table_shows_a_withdrawal_and_a_late_done_mark(run_cli: RunCli, tmp_path: Path) -> None:
    register = write_register(
        tmp_path,
        {"id": "gone", "placed_on_market": date(2026, 3, 16), "withdrawn_on": date(2026, 6, 30)},
    )
    item = "gone/art-53-1-a-technical-documentation"
    assert run_cli("done", item, "--on", "2026-03-20", "--register", register)[0] == 0

    code, out, err = run_cli("timeline", "--as-of", "2026-11-24", "--register", register)

    assert code == 0, err
    assert "gone (Gone): chapter-v, deadline 2026-03-16, withdrawn 2026-06-30" in out
    assert "(done 4 days late)" in out
