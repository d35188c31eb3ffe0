"""`notifier check`: a one-screen summary of the organisation, the regimes and what comes next."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]

CONFIG = Path(__file__).resolve().parents[2] / "config"


def check(run_cli: RunCli, register: Path) -> str:
    code, out, err = run_cli("check", "--register", str(register), "--as-of", "2026-11-24")
    assert code == 0, err
    return out


def test_check_summarises_the_organisation_and_its_fine_ceiling(run_cli: RunCli) -> None:
    out = check(run_cli, CONFIG / "register.toml")

    assert "valid (10 models, 4 people)" in out
    assert "Organisation: Example AI SAS (FR, EU/EEA), time zone Europe/Paris" in out
    assert "Fine ceiling (AI Act Art 101(1)): EUR 24,600,000" in out
    assert "As of: 2026-11-24" in out


def test_check_lists_the_models_by_regime(run_cli: RunCli) -> None:
    lines = [line.split() for line in check(run_cli, CONFIG / "register.toml").splitlines()]
    regimes = {
        words[0]: " ".join(words[1:])
        for words in lines
        if words and words[0] in {"chapter-v", "art-111-3-transition", "planned", "downstream"}
    }

    assert regimes == {
        "chapter-v": "5: atlas-13b, nimbus-2, orion-xl, atlas-7b-open, atlas-med",
        "art-111-3-transition": "1: atlas-7b",
        "planned": "2: nimbus-3, titan-1",
        "downstream": "2: contracts-tune, support-bot",
    }


def test_check_lists_the_next_deadlines_soonest_first_without_milestones(run_cli: RunCli) -> None:
    out = check(run_cli, CONFIG / "register.toml")
    block = out.split("Next 5 deadlines:\n", 1)[1].split("\n\n", 1)[0].splitlines()

    assert len(block) == 5
    dues = [line.split()[0] for line in block]
    assert dues == sorted(dues)
    assert block[0].split()[:2] == ["2026-12-02", "due-soon"]
    assert any("titan-1/art-52-1-notification" in line for line in block)
    assert not any("art-5-new-prohibitions" in line for line in block)


def test_check_reports_overdue_items_and_says_how_to_record_them(run_cli: RunCli) -> None:
    out = check(run_cli, CONFIG / "register.toml")

    assert "overdue item(s)" in out
    assert "record met ones as done" in out


def test_check_of_a_third_country_register_names_art_54_and_has_no_fine_without_turnover(
    run_cli: RunCli,
) -> None:
    out = check(run_cli, CONFIG / "examples" / "third-country.toml")

    assert "Organisation: Faraway Models Inc. (US, third country, Art 54 applies)" in out
    assert "not computed (annual_turnover_eur not given)" in out
