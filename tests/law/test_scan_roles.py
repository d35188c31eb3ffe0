"""The exposure scan's decision, one test per outcome and per borderline, each written from the
text it rests on: the Commission guidelines C(2025) 5045 (s.2.1 indicative criterion, s.3.2 the
one-third rule) and the AI Act (Art 3(63), 3(68), 51, 53, 54), as ../shared/legal/REFERENCE.md
reads them (rows C1, C3, C10, C11, C13, G3, G4, K5, L3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from notifier.core.scan import Outcome, decide, load_scan_rules, parse_answers
from notifier.core.scan.rules import parse_scan_rules

RULES = load_scan_rules()


def outcome(organisation: str = 'established_in = "FR"', **model: Any) -> Outcome:
    lines = [f"{key} = {_toml(value)}" for key, value in {"id": "m", **model}.items()]
    text = "[organisation]\n" + organisation + "\n[[models]]\n" + "\n".join(lines) + "\n"
    answers = parse_answers(text, "answers.toml")
    return decide(answers.organisation, answers.models[0], RULES)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def citations(result: Outcome) -> str:
    return " | ".join(r.citation for r in result.reasons)


def texts(result: Outcome) -> str:
    return " | ".join(r.text for r in result.reasons)


OWN_TEXT_MODEL: dict[str, Any] = {
    "trained_by": "us",
    "modalities": ["text"],
    "placed_on_union_market": True,
    "open_source": False,
}


# ------------------------------------------------------------------ GL s.2.1 (G3), Art 51 (C3)
def test_a_3e24_text_model_placed_by_an_eu_company_is_a_provider_without_systemic_risk() -> None:
    result = outcome(training_compute_flop=3e24, **OWN_TEXT_MODEL)

    assert result.role == "provider"
    assert result.systemic_risk is False
    assert result.art_54 is False
    assert result.chapters == ("transparency", "copyright")
    assert "Commission guidelines C(2025) 5045, s.2.1" in citations(result)
    assert "AI Act Art 51(1), Art 51(2)" in citations(result)
    assert "AI Act Art 54(1)" in citations(result)


def test_a_5e22_model_is_not_a_gpai_model_under_the_indicative_criterion_with_the_caveat() -> None:
    result = outcome(training_compute_flop=5e22, **OWN_TEXT_MODEL)

    assert result.role == "not-gpai"
    assert result.chapters == ()
    assert result.art_54 is False
    assert "not above the guidelines' indicative criterion (1e23 FLOP)" in texts(result)
    assert "The criterion is indicative only" in texts(result)
    assert "Commission guidelines C(2025) 5045, s.2.1; AI Act Art 3(63)" in citations(result)


def test_exactly_1e23_is_not_above_the_indicative_criterion() -> None:
    # GL s.2.1: "greater than 10^23 FLOP".
    assert outcome(training_compute_flop=1e23, **OWN_TEXT_MODEL).role == "not-gpai"


def test_above_1e23_a_model_that_generates_none_of_language_images_or_video_is_not_gpai() -> None:
    result = outcome(training_compute_flop=5e23, **{**OWN_TEXT_MODEL, "modalities": ["other"]})

    assert result.role == "not-gpai"
    assert "The criterion is indicative only" in texts(result)


def test_above_1e25_the_model_is_presumed_systemic_with_the_safety_and_security_chapter() -> None:
    result = outcome(training_compute_flop=2e25, **OWN_TEXT_MODEL)

    assert result.role == "provider-systemic"
    assert result.systemic_risk is True
    assert result.chapters == ("transparency", "copyright", "safety_and_security")
    assert "AI Act Art 51(2), Art 52(1), Art 55(1)" in citations(result)


def test_exactly_1e25_is_not_presumed_systemic() -> None:
    # Art 51(2): "greater than 10^25".
    assert outcome(training_compute_flop=1e25, **OWN_TEXT_MODEL).role == "provider"


def test_a_designated_model_is_systemic_whatever_its_compute() -> None:
    result = outcome(training_compute_flop=3e24, designated=True, **OWN_TEXT_MODEL)

    assert result.role == "provider-systemic"
    assert "AI Act Art 51(1)(b), Art 52(4)" in citations(result)


# ------------------------------------------------------------------ GL s.3.2 (G4, K5)
def test_a_2e24_fine_tune_of_a_5e24_base_by_another_company_makes_the_modifier_the_provider() -> (
    None
):
    result = outcome(
        base="ext-base",
        base_compute_flop=5e24,
        modification_compute_flop=2e24,
        placed_on_union_market=True,
        open_source=False,
    )

    assert result.role == "modifier-provider"
    assert result.systemic_risk is False
    assert result.modifier_threshold_flop == pytest.approx(5e24 / 3)
    assert "one third = 1.7e24 FLOP" in texts(result)
    assert "Commission guidelines C(2025) 5045, s.3.2" in citations(result)


def test_a_modification_of_at_most_one_third_leaves_the_original_provider_in_place() -> None:
    result = outcome(
        base="ext-base",
        base_compute_flop=6e24,
        modification_compute_flop=2e24,
        placed_on_union_market=True,
    )

    assert result.role == "downstream"
    assert "you do not become the provider" in texts(result)


def test_unknown_base_compute_compares_with_one_third_of_1e23_or_of_1e25_if_systemic() -> None:
    plain = outcome(base="b", modification_compute_flop=4e22, placed_on_union_market=True)
    systemic_base = outcome(
        base="b",
        base_systemic_risk=True,
        modification_compute_flop=4e22,
        placed_on_union_market=True,
    )

    assert plain.role == "modifier-provider"  # 4e22 > 1e23 / 3
    assert "base_compute_flop" in " ".join(plain.unknowns)
    assert systemic_base.role == "downstream"  # 4e22 <= 1e25 / 3


def test_a_modifier_of_a_base_above_1e25_who_becomes_provider_is_presumed_systemic() -> None:
    result = outcome(
        base="big",
        base_compute_flop=3e25,
        modification_compute_flop=2e25,
        placed_on_union_market=True,
    )

    assert result.role == "modifier-provider"
    assert result.systemic_risk is True
    assert "safety_and_security" in result.chapters
    assert "Commission guidelines C(2025) 5045, s.3.2, Annex A.1; AI Act Art 52(1)" in citations(
        result
    )


# ------------------------------------------------------------------ Art 3(68), Art 3(4)
def test_a_product_calling_a_third_party_api_is_a_downstream_provider_with_upstream_diligence() -> (
    None
):
    result = outcome(
        trained_by="third-party", uses="Provider X / model Y", placed_on_union_market=True
    )

    assert result.role == "downstream"
    assert result.systemic_risk is False
    assert result.art_54 is False
    assert "AI Act Art 3(68)" in citations(result)
    diligence = next(r for r in result.reasons if r.text.startswith("Upstream diligence"))
    assert "Annex XII" in diligence.text
    assert "Art 53(4), Art 55(2)" in diligence.text
    assert "14 days" in diligence.text
    assert diligence.citation.startswith("AI Act Art 53(1)(b), Annex XII")
    assert any(u.startswith("uses_signatory:") for u in result.unknowns)


def test_using_a_third_party_system_only_under_ones_own_authority_is_a_deployer() -> None:
    result = outcome(trained_by="third-party", uses="X / Y", placed_on_union_market=False)

    assert result.role == "deployer"
    assert result.chapters == ()
    assert "AI Act Art 3(4), Art 2(1)(b)" in citations(result)


# ------------------------------------------------------------------ Art 53(2), 54 (C10-C13, L3)
def test_a_third_country_provider_needs_an_authorised_representative() -> None:
    result = outcome('established_in = "US"', training_compute_flop=3e24, **OWN_TEXT_MODEL)

    assert result.art_54 is True
    assert "AI Act Art 2(1)(a), Art 54(1)" in citations(result)


@pytest.mark.parametrize("country", ["IS", "LI", "NO"])
def test_an_eea_efta_provider_is_a_third_country_for_art_54_until_incorporation(
    country: str,
) -> None:
    result = outcome(f'established_in = "{country}"', training_compute_flop=3e24, **OWN_TEXT_MODEL)

    assert result.art_54 is True
    eea = next(r for r in result.reasons if "EEA" in r.citation)
    assert eea.verification == "inference"
    assert "once incorporated, no representative is needed" in eea.text


def test_an_open_source_model_without_systemic_risk_is_exempt_from_art_54_and_transparency() -> (
    None
):
    model: dict[str, Any] = {**OWN_TEXT_MODEL, "open_source": True}
    result = outcome('established_in = "US"', training_compute_flop=3e24, **model)

    assert result.art_54 is False
    assert result.chapters == ("copyright",)
    assert "AI Act Art 54(6)" in citations(result)


def test_an_open_source_model_with_systemic_risk_keeps_art_54() -> None:
    model: dict[str, Any] = {**OWN_TEXT_MODEL, "open_source": True}
    result = outcome('established_in = "US"', training_compute_flop=2e25, **model)

    assert result.art_54 is True
    assert "transparency" in result.chapters


# ------------------------------------------------------------------ borderlines
def test_unknown_compute_gives_the_reading_that_triggers_duties_and_what_to_find_out() -> None:
    result = outcome(trained_by="us", placed_on_union_market=True, open_source=False)

    assert result.role == "provider-systemic"
    assert result.systemic_risk is True
    unknown = next(r for r in result.reasons if r.verification == "inference")
    assert "the one that triggers duties" in unknown.text
    assert any(u.startswith("training_compute_flop:") for u in result.unknowns)


def test_unknown_modification_compute_makes_the_modifier_the_provider() -> None:
    result = outcome(base="b", base_compute_flop=6e24, placed_on_union_market=True)

    assert result.role == "modifier-provider"
    assert any(u.startswith("modification_compute_flop:") for u in result.unknowns)


def test_unknown_establishment_shows_the_authorised_representative() -> None:
    result = outcome("", training_compute_flop=3e24, **OWN_TEXT_MODEL)

    assert result.art_54 is True
    assert any(u.startswith("established_in:") for u in result.unknowns)


def test_unknown_placing_is_read_as_placed_and_listed() -> None:
    result = outcome(trained_by="us", training_compute_flop=3e24, modalities=["text"])

    assert result.role == "provider"
    assert any(u.startswith("placed_on_union_market:") for u in result.unknowns)


def test_unknown_modalities_above_1e23_are_read_as_generative_and_listed() -> None:
    result = outcome(trained_by="us", training_compute_flop=3e24, placed_on_union_market=True)

    assert result.role == "provider"
    assert any(u.startswith("modalities:") for u in result.unknowns)


def test_an_unnamed_upstream_is_listed_for_the_user() -> None:
    result = outcome(trained_by="third-party", placed_on_union_market=True)

    assert result.role == "downstream"
    assert any(u.startswith("uses:") for u in result.unknowns)


# ------------------------------------------------------------------ the rule data itself
def test_every_reason_cites_a_source_and_the_thresholds_come_from_the_rule_data() -> None:
    assert RULES.gpai_indicative_flop == 1e23
    assert RULES.systemic_presumption_flop == 1e25
    assert RULES.one_third(3e24) == pytest.approx(1e24)
    assert all(r.citation for r in RULES.reason)


def test_rule_data_without_a_reason_the_decision_uses_is_refused() -> None:
    from importlib import resources

    text = resources.files("notifier.core.law").joinpath("rules.toml").read_text("utf-8")
    broken = text.replace('id = "art-54-union"', 'id = "art-54-onion"')

    with pytest.raises(ValueError, match="art-54-union"):
        parse_scan_rules(broken, "rules.toml")


def test_a_placing_date_answers_whether_the_model_is_placed() -> None:
    placed = outcome(trained_by="us", training_compute_flop=3e24, placed_on=date(2026, 3, 1))
    planned = outcome(
        trained_by="us", training_compute_flop=3e24, planned_placement=date(2027, 3, 1)
    )

    assert not any(u.startswith("placed_on_union_market:") for u in placed.unknowns)
    assert "Not placed on the Union market" in texts(planned)
