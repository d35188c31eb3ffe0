"""Code of Practice, Transparency chapter: Measure 1.1 (documentation, kept for 10 years) and
Measure 1.2 (answers to downstream providers, only where Art 53(1)(b) applies)."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.events import DownstreamRequest
from notifier.core.items import Timeline
from tests.support.timelines import AS_OF, ItemsOf, TimelineOf, assert_item

DOCUMENT = "cop-t-1-1-model-documentation"
RETAIN = "cop-t-1-1-documentation-retention"
MODEL = {"id": "m", "placed_on_market": date(2026, 3, 16)}


def test_a_transparency_signatory_keeps_documentation_versions_ten_years_after_placing(
    items_of: ItemsOf,
) -> None:
    item = items_of(MODEL)[RETAIN]

    assert_item(
        item,
        due=date(2036, 3, 16),
        kind="milestone",
        basis="code",
        citation="Code of Practice, Transparency, Measure 1.1",
        status="upcoming",
    )


def test_a_transparency_signatory_documents_the_model_when_placing_it(items_of: ItemsOf) -> None:
    item = items_of(MODEL)[DOCUMENT]

    assert_item(item, due=date(2026, 3, 16), basis="code", kind="deadline")


def test_without_the_transparency_signature_there_are_no_transparency_commitments(
    items_of: ItemsOf,
) -> None:
    items = items_of(MODEL, transparency="not_signed")

    assert DOCUMENT not in items
    assert RETAIN not in items
    assert "art-53-1-a-technical-documentation" in items  # the law still applies


def test_the_transparency_signature_alone_brings_no_other_chapter(items_of: ItemsOf) -> None:
    items = items_of(MODEL, copyright="not_signed", safety_and_security="not_signed")

    assert RETAIN in items
    assert "cop-c-1-copyright-measures" not in items


def test_an_open_source_model_without_systemic_risk_has_no_transparency_commitments(
    items_of: ItemsOf,
) -> None:
    items = items_of({**MODEL, "open_source": True})

    assert DOCUMENT not in items
    assert RETAIN not in items


def request_rules(timeline: Timeline) -> set[str]:
    return {i.rule for i in timeline.all_items() if i.event == "downstream-request-1"}


@pytest.mark.parametrize("transparency", ["signed", "not_signed"])
def test_no_answer_period_for_an_open_source_model_exempt_from_art_53_1_b(
    timeline_of: TimelineOf, transparency: str
) -> None:
    # K7: the 14 days operationalise Art 53(1)(b), which Art 53(2) lifts for this model.
    request = DownstreamRequest("downstream-request-1", "m", date(2026, 11, 20))
    timeline = timeline_of(
        {**MODEL, "open_source": True}, transparency=transparency, events=[request]
    )
    (item,) = [i for i in timeline.all_items() if i.event == "downstream-request-1"]

    assert item.rule == "downstream-request-open-source"
    assert (item.due, item.status) == (None, "standing")
    assert "Art 53(2)" in item.description


def test_an_open_source_model_with_systemic_risk_answers_within_14_days(
    timeline_of: TimelineOf,
) -> None:
    request = DownstreamRequest("downstream-request-1", "m", date(2026, 11, 20))

    assert request_rules(
        timeline_of(
            {
                **MODEL,
                "open_source": True,
                "training_compute_flop": 2e25,
                "threshold_known_on": date(2026, 1, 5),
            },
            events=[request],
        )
    ) == {"cop-t-1-2-downstream-request"}


def test_a_request_about_a_model_the_organisation_only_builds_on_is_its_providers_duty(
    timeline_of: TimelineOf,
) -> None:
    bot = {
        "id": "bot",
        "role": "downstream",
        "upstream": [
            {"provider": "Up", "model": "Big-1", "signatory": "full", "last_verified": AS_OF}
        ],
    }
    request = DownstreamRequest("downstream-request-1", "bot", date(2026, 11, 20))

    rules = request_rules(timeline_of(bot, events=[request]))

    assert rules == {"downstream-request-not-provider"}


CONTACT = "cop-t-1-2-contact-details"


def test_contact_details_for_requests_are_public_when_placing(items_of: ItemsOf) -> None:
    """E2 (Measure 1.2, first paragraph): placed 2026-03-16 -> 2026-03-16."""
    assert_item(items_of(MODEL)[CONTACT], due=date(2026, 3, 16), basis="code")


def test_no_contact_details_item_for_an_exempt_open_source_model_or_a_non_signatory(
    items_of: ItemsOf,
) -> None:
    """K7: the chapter operationalises Art 53(1)(a),(b), which an exempt model does not have."""
    assert CONTACT not in items_of(MODEL | {"open_source": True})
    assert CONTACT not in items_of(MODEL, transparency="not_signed")
