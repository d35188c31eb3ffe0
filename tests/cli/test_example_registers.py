"""The example registers load, and every model lands in the regime its comment says."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from notifier.core.items import Timeline
from notifier.core.law import RuleSet
from notifier.core.register import Register, parse_register
from notifier.core.register.classification import classify
from notifier.core.timeline import timeline

CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]

CONFIG = Path(__file__).resolve().parents[2] / "config"
LIFECYCLE = CONFIG / "examples" / "lifecycle.toml"
EXAMPLES = [CONFIG / "register.toml", CONFIG / "examples" / "third-country.toml", LIFECYCLE]
AS_OF = date(2026, 11, 24)  # the day the examples' comments describe

# model id -> (regime, words its comment uses for it)
EXPECTED = {
    "atlas-7b": ("art-111-3-transition", "Art 111(3) transition"),
    "atlas-13b": ("chapter-v", "Chapter V applies"),
    "nimbus-2": ("chapter-v", "Placed after 2025-08-02"),
    "nimbus-3": ("planned", "Not yet placed"),
    "titan-1": ("planned", "before training"),
    "orion-xl": ("chapter-v", "Designated by the Commission"),
    "atlas-7b-open": ("chapter-v", "Art 53(1)(a),(b) do not apply"),
    "atlas-med": ("chapter-v", "provider of the modified model"),
    "contracts-tune": ("downstream", "not a provider, supply-chain checks only"),
    "support-bot": ("downstream", "Built on two upstream providers"),
    "far-1": ("art-111-3-transition", "Legacy model"),
    "far-2": ("planned", "Planned model"),
    "far-open": ("chapter-v", "Art 54(6) exemption"),
    "far-open-xl": ("chapter-v", "no exemption"),
    "sage-1": ("art-111-3-transition", "Art 111(3) transition"),
    "sage-2": ("art-111-3-transition", "stays in the Art 111(3) transition"),
    "open-grown": ("chapter-v", "the open-source exemptions end"),
    "quill-xl": ("chapter-v", "accepted the Art 52(2) arguments"),
    "quill-next": ("planned", "pending, which suspends nothing"),
    "retired-3b": ("chapter-v", "Withdrawn from the Union market"),
    "med-tune": ("chapter-v", "the base is systemic"),
    "helpdesk-bot": ("downstream", "supply-chain checks only"),
}


def comments_by_model(text: str) -> dict[str, str]:
    """The comment lines just above each [[models]] entry, keyed by the entry's id."""
    found: dict[str, str] = {}
    comment: list[str] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("#"):
            comment.append(line.lstrip("# "))
        elif line.strip() == "[[models]]":
            model_id = lines[number + 1].split("=", 1)[1].strip().strip('"')
            found[model_id] = " ".join(comment)
            comment = []
        elif line.strip():
            comment = []
    return found


def load(path: Path) -> Register:
    text = path.read_text(encoding="utf-8")
    return parse_register(text, str(path), AS_OF, zoneinfo.available_timezones())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_register_passes_notifier_check(run_cli: RunCli, path: Path) -> None:
    code, out, err = run_cli("check", "--register", str(path))

    assert code == 0, err
    assert "valid (" in out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_model_lands_in_the_regime_its_comment_says(
    rules: RuleSet, path: Path
) -> None:
    register = load(path)
    comments = comments_by_model(path.read_text(encoding="utf-8"))
    shown: Timeline = timeline(register, rules, AS_OF)

    assert register.warnings == ()
    for model in shown.models:
        regime, words = EXPECTED[model.id]
        assert words in comments[model.id], model.id
        assert model.regime == regime, model.id


def test_the_example_registers_cover_every_model_listed_here() -> None:
    ids = {m.id for path in EXAMPLES for m in load(path).models}

    assert ids == set(EXPECTED)


def test_the_systemic_risk_examples_are_classified_as_their_comments_say() -> None:
    models = {m.id: m for path in EXAMPLES for m in load(path).models}

    assert classify(models["titan-1"]).systemic_risk == "presumed"
    assert classify(models["orion-xl"]).systemic_risk == "designated"
    assert classify(models["far-open-xl"]).systemic_risk == "presumed"
    assert classify(models["far-open-xl"]).open_source_exempt is False
    assert classify(models["far-open"]).open_source_exempt is True
    assert classify(models["atlas-7b-open"]).open_source_exempt is True
    assert classify(models["atlas-med"]).provider is True
    assert classify(models["contracts-tune"]).provider is False


def test_the_third_country_example_has_the_art_54_items_its_comments_promise(
    rules: RuleSet,
) -> None:
    shown = timeline(load(EXAMPLES[1]), rules, AS_OF)
    appoint = {
        m.id: next((i.due for i in m.items if i.rule == "art-54-1-authorised-representative"), None)
        for m in shown.models
    }

    assert appoint == {
        "far-1": date(2027, 8, 2),
        "far-2": date(2027, 5, 2),
        "far-open": None,
        "far-open-xl": date(2026, 2, 9),
    }


def test_the_lifecycle_example_shows_each_change_its_comments_describe(rules: RuleSet) -> None:
    shown = timeline(load(LIFECYCLE), rules, AS_OF)
    models = {m.id: m for m in shown.models}
    items = {m.id: {i.rule: i for i in m.items} for m in shown.models}

    notify = items["sage-1"]["art-52-1-notification"]
    assert (notify.due, notify.verification) == (date(2025, 8, 16), "inference")
    assert "2027-08-02" in notify.description
    assert items["open-grown"]["art-54-1-authorised-representative"].due == date(2026, 5, 4)
    assert items["open-grown"]["cop-ss-1-1-framework-confirmation"].due == date(2026, 6, 15)
    assert models["quill-xl"].systemic_risk is False
    assert "art-52-3-renotification" in items["quill-xl"]
    assert models["quill-next"].systemic_risk is True
    assert models["retired-3b"].withdrawn_on == date(2026, 6, 30)
    assert "review-documentation" not in items["retired-3b"]
    assert models["med-tune"].systemic_risk is True
    assert "art-53-4-alternative-means-copyright" in items["med-tune"]
    evidence = [i for i in models["helpdesk-bot"].items if i.rule == "upstream-compliance-evidence"]
    assert [i.upstream for i in evidence] == ["other-upstream-open-9"]
