"""`notifier advise`: the guide's decision per Code chapter, as JSON (the contract in
docs/contracts.md) and as a short guide; it never recommends waiting for harmonised standards."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from notifier.core.advice import RECOMMENDATIONS, advise
from notifier.core.law import load_ruleset
from notifier.core.register import Register
from notifier.core.timeline import timeline
from notifier.core.views.advice import advice_json
from tests.support.registers import register_toml
from tests.support.strategies import as_ofs, build, registers

CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]
MakeRegister = Callable[..., Register]

RULES = load_ruleset()  # not the fixture: hypothesis prints the arguments of a failing example
CONFIG = Path(__file__).resolve().parents[2] / "config"
EXAMPLE = str(CONFIG / "register.toml")
CHAPTER_KEYS = {"chapter", "status", "models", "recommendation", "reasons"}
UPSTREAM_KEYS = {"model", "provider", "signatory", "evidence_to_request"}
OPEN_SOURCE = {"id": "open", "placed_on_market": date(2025, 9, 10), "open_source": True}
PLAIN = {"id": "plain", "placed_on_market": date(2025, 9, 10)}


def advise_json(run_cli: RunCli, register: str, *extra: str) -> dict[str, Any]:
    code, out, err = run_cli(
        "advise", "--format", "json", "--as-of", "2026-11-24", "--register", register, *extra
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def write(tmp_path: Path, *models: dict[str, Any], **organisation: Any) -> str:
    path = tmp_path / "register.toml"
    path.write_text(register_toml(*models, **organisation), encoding="utf-8")
    return str(path)


def by_chapter(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["chapter"]: c for c in data["chapters"]}


def assert_contract(data: dict[str, Any]) -> None:
    assert set(data) == {"as_of", "chapters", "upstream"}
    assert [c["chapter"] for c in data["chapters"]] == [
        "transparency",
        "copyright",
        "safety_and_security",
    ]
    for chapter in data["chapters"]:
        assert set(chapter) == CHAPTER_KEYS
        assert chapter["status"] in {"signed", "not_signed"}
        assert chapter["recommendation"] in RECOMMENDATIONS
        assert all(isinstance(m, str) for m in chapter["models"])
        assert chapter["reasons"]
        assert all(isinstance(r, str) and "(" in r for r in chapter["reasons"])  # cited
        if chapter["status"] == "signed" and chapter["models"]:
            assert chapter["recommendation"] == "operate-per-code"
        if not chapter["models"]:
            assert chapter["recommendation"] == "not-relevant"
    for entry in data["upstream"]:
        assert set(entry) == UPSTREAM_KEYS
        assert entry["signatory"] in {"full", "partial", "none"}
        assert all(isinstance(e, str) for e in entry["evidence_to_request"])


def test_the_example_registers_advice_follows_the_contract(run_cli: RunCli) -> None:
    data = advise_json(run_cli, EXAMPLE)
    chapters = by_chapter(data)

    assert_contract(data)
    assert data["as_of"] == "2026-11-24"
    assert {c["recommendation"] for c in data["chapters"]} == {"operate-per-code"}
    assert chapters["safety_and_security"]["models"] == ["titan-1", "orion-xl"]
    assert "atlas-7b-open" not in chapters["transparency"]["models"]  # Art 53(2)
    assert "atlas-7b-open" in chapters["copyright"]["models"]
    assert "contracts-tune" not in chapters["copyright"]["models"]  # not a provider


@pytest.mark.parametrize(
    ("transparency", "expected"),
    [("signed", "operate-per-code"), ("not_signed", "sign-or-document-alternative")],
)
def test_a_chapter_signed_is_operated_and_one_not_signed_is_signed_or_documented(
    run_cli: RunCli, tmp_path: Path, transparency: str, expected: str
) -> None:
    register = write(tmp_path, PLAIN, transparency=transparency)

    chapter = by_chapter(advise_json(run_cli, register))["transparency"]

    assert chapter["status"] == transparency
    assert chapter["models"] == ["plain"]
    assert chapter["recommendation"] == expected


def test_once_every_alternative_is_documented_the_advice_is_to_keep_it_current(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = write(tmp_path, PLAIN, OPEN_SOURCE, copyright="not_signed")
    before = by_chapter(advise_json(run_cli, register))["copyright"]
    for model in ("plain", "open"):
        item = f"{model}/art-53-4-alternative-means-copyright"
        assert run_cli("done", item, "--on", "2026-10-01", "--register", register)[0] == 0

    after = by_chapter(advise_json(run_cli, register))["copyright"]

    assert before["recommendation"] == "sign-or-document-alternative"
    assert any("plain/art-53-4-alternative-means-copyright" in r for r in before["reasons"])
    assert after["recommendation"] == "keep-alternative-current"
    assert after["models"] == ["plain", "open"]


@pytest.mark.parametrize("signed", ["signed", "not_signed"])
def test_safety_and_security_without_a_systemic_risk_model_is_not_relevant(
    run_cli: RunCli, tmp_path: Path, signed: str
) -> None:
    register = write(tmp_path, PLAIN, safety_and_security=signed)

    chapter = by_chapter(advise_json(run_cli, register))["safety_and_security"]

    assert chapter["models"] == []
    assert chapter["recommendation"] == "not-relevant"
    assert any("recital (b)" in r for r in chapter["reasons"])


def test_transparency_is_not_relevant_when_every_model_is_open_source_without_systemic_risk(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = write(tmp_path, OPEN_SOURCE, transparency="not_signed")

    chapter = by_chapter(advise_json(run_cli, register))["transparency"]

    assert chapter["recommendation"] == "not-relevant"
    assert any("Art 53(2)" in r for r in chapter["reasons"])


def test_the_advice_never_recommends_waiting_for_harmonised_standards_and_says_why(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = write(tmp_path, PLAIN, transparency="not_signed", copyright="not_signed")
    data = advise_json(run_cli, register)

    for chapter in data["chapters"]:
        text = " ".join(chapter["reasons"])
        assert "wait for harmonised standards" not in text.replace("Do not wait", "")
        if chapter["recommendation"] != "not-relevant":
            assert "Do not wait for harmonised standards" in text
            assert "2026-08-02 (AI Act Art 101(1), Art 113)" in text


def test_upstream_entries_list_the_evidence_for_the_chapters_that_matter_to_them(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def entry(model: str, **fields: Any) -> dict[str, Any]:
        return {"provider": "Up", "model": model, "last_verified": date(2026, 11, 2), **fields}

    bot = {
        "id": "bot",
        "role": "downstream",
        "upstream": [
            entry("Full", signatory="full"),
            entry("TC", signatory="partial", chapters=["transparency", "copyright"]),
            entry(
                "TC-small",
                signatory="partial",
                chapters=["transparency", "copyright"],
                systemic_risk=False,
            ),
            entry("None", signatory="none", systemic_risk=True),
        ],
    }
    data = advise_json(run_cli, write(tmp_path, bot))
    asks = {e["model"]: e["evidence_to_request"] for e in data["upstream"]}

    assert_contract(data)
    assert asks["Full"] == []
    assert asks["TC-small"] == []  # Safety and Security does not matter to it
    assert len(asks["TC"]) == 1
    assert asks["TC"][0].startswith("Safety and Security:")
    assert "only if the model presents systemic risk" in asks["TC"][0]
    assert [a.split(":")[0] for a in asks["None"]] == [
        "Transparency",
        "Transparency",
        "Copyright",
        "Safety and Security",
    ]
    assert {c["recommendation"] for c in data["chapters"]} == {"not-relevant"}


def test_the_table_reads_like_a_guide_one_paragraph_per_chapter(run_cli: RunCli) -> None:
    code, out, err = run_cli("advise", "--as-of", "2026-11-24", "--register", EXAMPLE)

    assert code == 0, err
    assert "Transparency (signed): operate per the Code." in out
    assert "Safety and Security (signed): operate per the Code." in out
    assert "Why not wait for harmonised standards?" in out
    assert "Other Upstream, Open-2 (signatory: partial): ask for" in out
    paragraphs = [p for p in out.split("\n\n") if p.strip()]
    assert len(paragraphs) == 7  # title, three chapters, standards, upstream, disclaimer


def test_advise_is_read_only_and_refuses_a_bad_as_of(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli("advise", "--register", EXAMPLE, "--as-of", "24/11/2026")

    assert code == 2
    assert out == ""
    assert "--as-of" in err
    assert run_cli("advise", "--register", EXAMPLE)[0] == 0
    assert not (tmp_path / "var").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=registers(), as_of=as_ofs)
def test_the_advice_follows_the_contract_on_any_valid_register(
    make_register: MakeRegister, spec: dict[str, Any], as_of: date
) -> None:
    register = build(make_register, spec)
    shown = timeline(register, RULES, as_of)

    data = advice_json(advise(register, shown, RULES.landmarks))

    assert_contract(data)
    assert json.loads(json.dumps(data)) == data
    for chapter in data["chapters"]:
        signed = register.organisation.code_of_practice.signed(chapter["chapter"])
        assert chapter["status"] == ("signed" if signed else "not_signed")
