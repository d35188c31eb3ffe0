"""Issue 9: values a register accepted though they were wrong, or that later stopped every
command with an internal error. Each is refused with the file, line, field and what is right."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.registers import EXAMPLE_REGISTER

EXAMPLE = EXAMPLE_REGISTER.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("planned_placement = 2027-03-01", "planned_placement = 9999-12-31",
         "planned_placement", "outside 1990-01-01 to 2200-12-31"),
        ("placed_on_market = 2024-11-05", "placed_on_market = 0001-01-01",
         "placed_on_market", "outside 1990-01-01 to 2200-12-31"),
        ("threshold_known_on = 2026-12-01", "threshold_known_on = 1900-01-01",
         "threshold_known_on", "outside 1990-01-01 to 2200-12-31"),
        ('established_in = "FR"', 'established_in = "EL"', "established_in", '"GR"'),
        ('established_in = "FR"', 'established_in = "XX"', "established_in", "ISO 3166-1"),
        ("annual_turnover_eur = 820_000_000", "annual_turnover_eur = inf",
         "annual_turnover_eur", "finite"),
        ("annual_turnover_eur = 820_000_000", "annual_turnover_eur = 1e300",
         "annual_turnover_eur", "implausibly large"),
        ('name = "Atlas 7B"', 'name = "   "', "name", "blank"),
        ('id = "atlas-7b"\n', f'id = "{"a" * 5000}"\n', "id", "at most 64"),
    ],
)  # fmt: skip
def test_an_implausible_value_is_refused_with_its_place(
    run_cli: RunCli, tmp_path: Path, old: str, new: str, field: str, says: str
) -> None:
    assert old in EXAMPLE
    register = tmp_path / "register.toml"
    register.write_text(EXAMPLE.replace(old, new, 1), encoding="utf-8")

    code, _out, err = run_cli("check", "--register", str(register))

    assert code == 2, err
    assert field in err
    assert says in err
    assert "register.toml:" in err
    assert "internal error" not in err
