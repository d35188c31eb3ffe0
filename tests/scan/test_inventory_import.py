"""Bringing the inventory: a Hugging Face model card (parsed by huggingface_hub from the local
file) and a CSV inventory become the scan's answers; every imported value is marked as imported
and listed for the user to confirm; what a source does not say stays unknown."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from notifier.inventory import read_csv_inventory, read_model_card
from tests.support.cli import run_main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: the card is read from the file alone."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_model_card_gives_base_licence_hint_modalities_and_parameters(no_network: None) -> None:
    model = read_model_card(FIXTURES / "hf-card")

    assert model.id == "hf-card"
    assert model.base == "mistralai/Mistral-7B-v0.1"
    assert model.open_source is True
    assert model.modalities == ("text",)
    assert model.parameters == 7.2e9
    assert model.training_compute_flop is None  # the card does not state it: never guessed
    assert model.trained_by is None
    assert set(model.imported) == {"name", "base", "open_source", "modalities", "parameters"}
    assert "license apache-2.0" in model.imported["open_source"]


def test_an_imported_card_is_scanned_with_its_imports_and_unknowns_listed(
    no_network: None,
) -> None:
    code, out, err = run_main(
        "scan", "--from-model-card", str(FIXTURES / "hf-card" / "README.md"), "--format", "json"
    )

    assert code == 0, err
    (model,) = json.loads(out)["models"]
    assert model["role"] == "modifier-provider"  # modification compute unknown: duties reading
    unknowns = "\n".join(model["unknowns"])
    assert "modification_compute_flop:" in unknowns
    assert "base_compute_flop:" in unknowns
    assert "base: imported from model card" in unknowns
    assert "open_source: imported from model card" in unknowns


def test_a_csv_inventory_marks_each_value_with_its_line() -> None:
    models = read_csv_inventory(FIXTURES / "inventory.csv")

    assert [m.id for m in models] == ["atlas", "helpdesk", "tiny"]
    assert models[0].training_compute_flop == 3e24
    assert models[0].imported["training_compute_flop"] == "inventory.csv line 2"
    assert models[1].uses == "Provider X / model Y"
    assert models[1].training_compute_flop is None
    assert models[2].placed_on_union_market is False


def test_csv_and_answers_file_combine_and_each_model_gets_its_role(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[organisation]\nestablished_in = "US"\n[[models]]\nid = "x"\n'
                       'trained_by = "third-party"\nplaced_on_union_market = false\n')  # fmt: skip

    code, out, err = run_main(
        "scan", "--answers", str(answers), "--from-csv", str(FIXTURES / "inventory.csv"),
        "--format", "json",
    )  # fmt: skip

    assert code == 0, err
    roles = {m["id"]: (m["role"], m["art_54"]) for m in json.loads(out)["models"]}
    assert roles == {
        "x": ("deployer", False),
        "atlas": ("provider", True),
        "helpdesk": ("downstream", False),
        "tiny": ("not-gpai", False),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,colour\nm,blue\n", "unknown columns ['colour']"),
        ("name\nM\n", "an 'id' column is needed"),
        ("id,training_compute_flop\nm,lots\n", "line 2"),
    ],
)
def test_a_bad_csv_is_exit_2_naming_the_place(tmp_path: Path, text: str, expected: str) -> None:
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(text, encoding="utf-8")

    code, _, err = run_main("scan", "--from-csv", str(inventory))

    assert code == 2
    assert expected in err or f"{inventory}:2:" in err
    assert "Traceback" not in err
