"""parse_register: each problem carries source, line, model and field; warnings do not fail."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.core.register import parse_register
from notifier.errors import InputError, Problem, RegisterError
from tests.support import registers as texts

TODAY = date(2026, 11, 24)
HEAD = texts.HEAD
PROVIDER = """
[[models]]
id = "atlas"
name = "Atlas"
role = "provider"
placed_on_market = 2025-09-01
owners = ["legal"]
"""


# Appended after the text under test, so that each register fails for one reason only.
VALID_TAIL = PROVIDER.replace('"atlas"', '"zulu"')


def problems_of(text: str, known_timezones: set[str] | None = None) -> list[Problem]:
    with pytest.raises(RegisterError) as caught:
        parse_register(text + VALID_TAIL, "reg.toml", TODAY, known_timezones)
    return caught.value.problems


def test_a_register_parses_from_text_and_from_utf_8_bytes_alike() -> None:
    text = (HEAD + PROVIDER).replace("Ana Example", "Ana Exámple")

    from_text = parse_register(text, "reg.toml", TODAY)
    from_bytes = parse_register(text.encode("utf-8"), "reg.toml", TODAY)

    assert from_text == from_bytes
    assert from_text.source == "reg.toml"
    assert from_text.person("legal").name == "Ana Exámple"
    assert from_text.model("atlas").placing == date(2025, 9, 1)
    assert from_text.warnings == ()


def test_a_register_error_is_a_value_error_listing_every_problem() -> None:
    with pytest.raises(ValueError, match="owner 'ml'") as caught:
        parse_register(HEAD + PROVIDER.replace('["legal"]', '["ml"]'), "reg.toml", TODAY)

    error = caught.value
    assert isinstance(error, InputError)
    assert str(error) == "\n".join(str(p) for p in error.problems)


def test_a_problem_names_source_line_model_and_field() -> None:
    (problem,) = problems_of(HEAD + PROVIDER.replace("placed_on_market", "placed_on_markt"))

    assert problem.source == "reg.toml"
    assert problem.line == 22
    assert problem.model == "atlas"
    assert problem.field == "placed_on_markt"
    assert str(problem).startswith("reg.toml:22: model 'atlas', field 'placed_on_markt': ")


def test_an_unknown_time_zone_is_refused_when_the_known_zones_are_given() -> None:
    text = HEAD.replace("Europe/Paris", "Europe/Pariss") + PROVIDER

    assert parse_register(text, "reg.toml", TODAY).organisation.timezone == "Europe/Pariss"
    (problem,) = problems_of(text, known_timezones={"Europe/Paris", "UTC"})
    assert problem.line == 4
    assert problem.field == "organisation.timezone"
    assert "is not an IANA time zone" in problem.message


def test_a_contact_who_is_not_in_people_is_refused() -> None:
    (problem,) = problems_of(HEAD.replace('contacts = ["legal"]', 'contacts = ["boss"]') + PROVIDER)

    assert problem.line == 5
    assert problem.field == "organisation.contacts.0"
    assert "contact 'boss' is not the id of any [[people]] entry (known: legal)" in problem.message


def test_an_admin_who_is_not_in_people_is_refused() -> None:
    text = HEAD.replace('contacts = ["legal"]', 'contacts = ["legal"]\nadmins = ["root"]')
    (problem,) = problems_of(text + PROVIDER)

    assert problem.line == 6
    assert problem.field == "organisation.admins.0"
    assert "admin 'root' is not the id of any [[people]] entry (known: legal)" in problem.message


SECOND_LEGAL = '\n[[people]]\nid = "legal"\nname = "B"\nemail = "b@example.com"\n'


def test_a_duplicate_person_id_is_refused() -> None:
    problems = problems_of(HEAD + SECOND_LEGAL + PROVIDER)

    assert problems
    assert all(
        "person id 'legal' is already used by an earlier [[people]] entry" in p.message
        for p in problems
    )


def test_a_duplicate_person_id_is_reported_once() -> None:
    (problem,) = problems_of(HEAD + SECOND_LEGAL + PROVIDER)

    assert problem.field == "id"


def test_an_establishment_that_is_not_a_country_code_is_refused() -> None:
    (problem,) = problems_of(HEAD.replace('"FR"', '"France"') + PROVIDER)

    assert problem.line == 3
    assert 'expected an ISO 3166-1 alpha-2 code such as "FR"' in problem.message


def test_a_model_id_that_cannot_appear_in_an_item_id_is_refused() -> None:
    (problem,) = problems_of(HEAD + PROVIDER.replace('"atlas"', '"Atlas 7B"', 1))

    assert problem.field == "id"
    assert "lower-case letters, digits" in problem.message


def test_a_designated_model_needs_its_designation_date() -> None:
    text = HEAD + PROVIDER.replace("owners", 'systemic_risk = "designated"\nowners')

    (problem,) = problems_of(text)
    assert (problem.model, problem.field) == ("atlas", "designated_on")
    assert "Art 52(5)" in problem.message


@pytest.mark.parametrize("key", ["documentation_reviewed_on", "designated_on"])
def test_a_recorded_fact_dated_after_today_is_refused(key: str) -> None:
    extra = 'systemic_risk = "designated"\n' if key == "designated_on" else ""
    text = HEAD + PROVIDER.replace("owners", f"{extra}{key} = 2026-12-01\nowners")

    (problem,) = problems_of(text)
    assert problem.field == key
    assert "2026-12-01 is later than today (2026-11-24)" in problem.message


def test_a_code_check_dated_after_today_is_refused() -> None:
    text = HEAD.replace("version_reviewed = 2025-07-10", "version_reviewed = 2027-01-01") + PROVIDER

    (problem,) = problems_of(text)
    assert problem.field == "organisation.code_of_practice.version_reviewed"
    assert problem.line == 11


def test_a_downstream_model_with_placement_and_no_upstream_is_refused_on_both_counts() -> None:
    text = HEAD + PROVIDER.replace('"provider"', '"downstream"')

    problems = problems_of(text)
    assert {(p.field, p.line) for p in problems} == {("placed_on_market", 22), ("upstream", 18)}
    assert all(p.model == "atlas" for p in problems)


# A model built on others; its upstream entries start on line 24.
BOT_UPSTREAMS = (
    HEAD
    + """
[[models]]
id = "bot"
name = "Bot"
role = "downstream"
owners = ["legal"]
upstream = [
"""
)
# Lines 24-27 hold the four upstream entries; entries 1-3 are each wrong in their own way.
FOUR_UPSTREAMS = (
    BOT_UPSTREAMS
    + """  { provider = "A", model = "1", signatory = "full", last_verified = 2026-10-01 },
  { provider = "B", model = "2", signatory = "partial", last_verified = 2026-10-01 },
"""
    + '  { provider = "C", model = "3", signatory = "none", chapters = ["copyright"], '
    + "last_verified = 2026-10-01 },\n"
    + """  { provider = "D", model = "4", signatory = "full", last_verified = 2027-01-01 },
]
"""
)


def test_each_faulty_upstream_entry_is_reported_with_what_would_be_right() -> None:
    problems = {p.field: p for p in problems_of(FOUR_UPSTREAMS)}

    assert set(problems) == {
        "upstream.1.signatory",
        "upstream.2.chapters",
        "upstream.3.last_verified",
    }
    assert all(p.model == "bot" for p in problems.values())
    assert (
        "needs chapters = [...] naming the chapters signed"
        in problems["upstream.1.signatory"].message
    )
    assert 'only given with signatory = "partial"' in problems["upstream.2.chapters"].message
    assert "2027-01-01 is later than today" in problems["upstream.3.last_verified"].message


def test_an_upstream_entry_problem_points_at_its_own_line() -> None:
    problems = problems_of(FOUR_UPSTREAMS)

    assert sorted((p.line, p.field) for p in problems) == [
        (25, "upstream.1.signatory"),
        (26, "upstream.2.chapters"),
        (27, "upstream.3.last_verified"),
    ]


def test_an_upstream_signatory_outside_the_list_is_refused_at_its_line() -> None:
    text = (
        BOT_UPSTREAMS
        + '  { provider = "A", model = "One", signatory = "yes", last_verified = 2026-10-01 },\n]\n'
    )

    (problem,) = problems_of(text)
    assert problem.line == 24
    assert problem.field == "upstream.0.signatory"
    assert "expected one of 'full', 'partial' or 'none'" in problem.message


def test_a_planned_placement_that_has_passed_is_only_a_warning() -> None:
    text = HEAD + PROVIDER.replace(
        "placed_on_market = 2025-09-01", "planned_placement = 2026-10-01"
    )

    register = parse_register(text, "reg.toml", TODAY)

    (warning,) = register.warnings
    assert warning.is_warning
    assert warning.message.startswith("2026-10-01 has passed")
    assert ": warning: 2026-10-01 has passed" in str(warning)
    assert (warning.model, warning.field, warning.line) == ("atlas", "planned_placement", 22)


def test_a_boolean_written_as_a_string_is_refused_rather_than_guessed() -> None:
    text = HEAD + PROVIDER.replace("owners", 'open_source = "false"\nowners')

    (problem,) = problems_of(text)
    assert problem.message == "found 'false', expected true or false (without quotes)"


def test_a_name_with_a_line_break_is_refused_as_it_would_reach_headers_and_calendars() -> None:
    text = HEAD.replace('name = "Test AI"', 'name = "Test AI\\nBcc: x@example.com"') + PROVIDER
    problems = problems_of(text)

    assert any("must be one line of text" in p.message for p in problems)
