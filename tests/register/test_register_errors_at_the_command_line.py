"""`notifier check` on a bad register: exit 2, every problem listed where it is, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import registers as texts

CliResult = tuple[int, str, str]
CheckRegister = Callable[[str | bytes], CliResult]

# 17 lines; the first [[models]] entry starts on line 18.
HEAD = texts.HEAD + "\n"


def model(model_id: str, *lines: str, placed: str | None = "2025-09-01") -> str:
    """A [[models]] block: header, id, name, role, [placed_on_market], owners, then `lines`."""
    body = ["[[models]]", f'id = "{model_id}"', f'name = "{model_id}"', 'role = "provider"']
    if placed is not None:
        body.append(f"placed_on_market = {placed}")
    body.append('owners = ["legal"]')
    return "\n".join([*body, *lines]) + "\n"


def register(*blocks: str) -> str:
    return HEAD + "\n".join(blocks)


# A valid entry to add after a faulty one, so that each test's register fails for one reason
# only (a regression test below shows an all-invalid register is not also called empty).
VALID = model("zulu")


def assert_bad_input(result: CliResult) -> list[str]:
    """Exit 2, nothing on stdout, no traceback; returns the problem lines of stderr."""
    code, out, err = result
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    header, *problems = err.strip().splitlines()
    assert header == f"notifier: {len(problems)} problem(s):"
    return [line.strip() for line in problems]


def test_a_valid_register_passes_the_check(check_register: CheckRegister) -> None:
    code, out, err = check_register(register(model("atlas")))

    assert code == 0, err
    assert "valid (1 models, 1 people)" in out


def test_an_unknown_model_key_is_refused_with_its_line_model_and_the_spelling_hint(
    check_register: CheckRegister, tmp_path: Path
) -> None:
    problems = assert_bad_input(
        check_register(register(model("atlas", "training_compute_flops = 3.1e24"), VALID))
    )

    assert problems == [
        f"{tmp_path / 'register.toml'}:24: model 'atlas', field 'training_compute_flops': "
        "unknown key 'training_compute_flops'; check its spelling against the register keys "
        "in the README (unknown keys are refused so that a typo cannot drop a deadline)"
    ]


def test_unknown_keys_in_the_organisation_and_code_tables_are_refused(
    check_register: CheckRegister,
) -> None:
    text = register(model("atlas"))
    text = text.replace('timezone = "Europe/Paris"', 'timezone = "Europe/Paris"\ncountry = "FR"')
    text = text.replace("version_reviewed", "signed_on = 2025-08-01\nversion_reviewed")
    problems = assert_bad_input(check_register(text))

    assert len(problems) == 2
    assert ":5: field 'organisation.country': unknown key 'country'" in problems[0]
    assert ":12: field 'organisation.code_of_practice.signed_on': unknown key" in problems[1]


def test_a_duplicate_model_id_is_reported_at_the_second_entry(
    check_register: CheckRegister,
) -> None:
    problems = assert_bad_input(check_register(register(model("atlas"), model("atlas"))))

    (problem,) = problems
    assert ":26: model 'atlas', field 'id': model id 'atlas' is already used" in problem
    assert "ids must be unique" in problem


def test_an_owner_who_is_not_in_people_is_reported_with_the_known_ids(
    check_register: CheckRegister,
) -> None:
    text = register(model("atlas").replace('owners = ["legal"]', 'owners = ["legal", "ml"]'))
    (problem,) = assert_bad_input(check_register(text))

    assert ":23: model 'atlas', field 'owners': owner 'ml' is not the id of any [[people]]" in (
        problem
    )
    assert "(known: legal)" in problem


def test_an_impossible_date_is_a_toml_error_with_its_line(check_register: CheckRegister) -> None:
    (problem,) = assert_bad_input(check_register(register(model("atlas", placed="2025-02-30"))))

    assert "register.toml:22: not valid TOML: Invalid date or datetime" in problem


def test_a_provider_model_without_either_placement_date_is_refused(
    check_register: CheckRegister,
) -> None:
    (problem,) = assert_bad_input(check_register(register(model("atlas", placed=None))))

    assert "model 'atlas', field 'placed_on_market': give placed_on_market" in problem
    assert "planned_placement (the date planned)" in problem


def test_both_placement_dates_at_once_are_refused(check_register: CheckRegister) -> None:
    text = register(model("atlas", "planned_placement = 2027-01-01"))
    (problem,) = assert_bad_input(check_register(text))

    assert "field 'planned_placement': give placed_on_market or planned_placement, not both" in (
        problem
    )


def test_negative_compute_is_refused(check_register: CheckRegister) -> None:
    text = register(model("atlas", "training_compute_flop = -3.1e24"), VALID)
    (problem,) = assert_bad_input(check_register(text))

    assert (
        ":24: model 'atlas', field 'training_compute_flop': found -3.1e+24, expected a number "
        "of at least 0" in problem
    )


def test_a_malformed_email_is_refused_with_an_example_of_a_good_one(
    check_register: CheckRegister,
) -> None:
    text = register(model("atlas")).replace("legal@example.com", "legal(at)example.com")
    text = text.replace(
        "[[people]]", '[[people]]\nid = "other"\nname = "B"\nemail = "b@example.com"\n\n[[people]]'
    )
    (problem,) = assert_bad_input(check_register(text))

    assert (
        ":21: person 'legal', field 'email': 'legal(at)example.com' is not an email address "
        "like "
        "name@example.com" in problem
    )


def test_placed_on_market_later_than_today_is_refused_as_a_typo_for_planned_placement(
    check_register: CheckRegister,
) -> None:
    (problem,) = assert_bad_input(check_register(register(model("atlas", placed="2099-01-01"))))

    assert ":22: model 'atlas', field 'placed_on_market': 2099-01-01 is later than today" in (
        problem
    )
    assert "a future date belongs in planned_placement" in problem


def test_a_threshold_known_in_the_future_is_accepted(check_register: CheckRegister) -> None:
    text = register(
        model(
            "titan",
            "training_compute_flop = 2.4e25",
            "threshold_known_on = 2099-01-01",
            placed=None,
        ).replace('role = "provider"', 'role = "provider"\nplanned_placement = 2099-06-01')
    )
    code, _, err = check_register(text)

    assert code == 0, err


@pytest.mark.parametrize("content", ["", "   \n\n\t\n"])
def test_an_empty_register_says_what_it_needs(check_register: CheckRegister, content: str) -> None:
    (problem,) = assert_bad_input(check_register(content))

    assert "register.toml: the register is empty; it needs [organisation], [[people]] and " in (
        problem
    )


def test_a_register_of_comments_only_is_reported_as_empty_with_what_it_needs(
    check_register: CheckRegister,
) -> None:
    (problem,) = assert_bad_input(check_register("# to do: fill in\n"))

    assert "the register is empty; it needs [organisation], [[people]] and [[models]]" in problem


def test_a_register_that_is_not_utf_8_names_the_line_of_the_bad_byte(
    check_register: CheckRegister,
) -> None:
    content = register(model("atlas")).replace("Ana Example", "Ana Ex\u00e9mple").encode("latin-1")
    (problem,) = assert_bad_input(check_register(content))

    assert "register.toml:15: byte " in problem
    assert "is not UTF-8; save the file as UTF-8" in problem


def test_a_toml_syntax_error_is_reported_with_its_line(check_register: CheckRegister) -> None:
    text = register(model("atlas")).replace("[[people]]", "[[people]")
    (problem,) = assert_bad_input(check_register(text))

    assert "register.toml:13: not valid TOML: " in problem


def test_a_date_in_quotes_is_refused_with_the_unquoted_form(check_register: CheckRegister) -> None:
    text = register(model("atlas", placed='"2025-08-02"'), VALID)
    (problem,) = assert_bad_input(check_register(text))

    assert (
        ":22: model 'atlas', field 'placed_on_market': found '2025-08-02', expected a TOML "
        "date without quotes, e.g. 2025-08-02" in problem
    )


def test_a_date_with_a_time_of_day_is_refused(check_register: CheckRegister) -> None:
    text = register(model("atlas", placed="2025-08-02T09:00:00"), VALID)
    (problem,) = assert_bad_input(check_register(text))

    assert ":22: model 'atlas', field 'placed_on_market': expected a date without a time" in (
        problem
    )


def test_several_schema_problems_are_all_reported_in_line_order(
    check_register: CheckRegister,
) -> None:
    text = register(
        model("atlas", "training_compute_flop = -1.0"),
        model("bravo", placed='"2025-08-02"'),
        model("charlie", "open_sauce = true"),
        model("delta", 'systemic_risk = "maybe"'),
        VALID,
    )
    problems = assert_bad_input(check_register(text))

    assert [p.split(": ", 1)[1].split(":")[0] for p in problems] == [
        "model 'atlas', field 'training_compute_flop'",
        "model 'bravo', field 'placed_on_market'",
        "model 'charlie', field 'open_sauce'",
        "model 'delta', field 'systemic_risk'",
    ]
    assert "expected one of 'presumed', 'designated' or 'none'" in problems[3]


def test_several_cross_record_problems_are_all_reported(check_register: CheckRegister) -> None:
    text = register(
        model("atlas"),
        model("atlas"),
        model("bravo", placed="2099-01-01"),
        model("charlie", placed=None),
        model("delta").replace('owners = ["legal"]', 'owners = ["nobody"]'),
    )
    problems = assert_bad_input(check_register(text))

    assert len(problems) == 4
    assert "model id 'atlas' is already used" in problems[0]
    assert "2099-01-01 is later than today" in problems[1]
    assert "model 'charlie', field 'placed_on_market': give placed_on_market" in problems[2]
    assert "owner 'nobody' is not the id of any [[people]] entry" in problems[3]


def test_schema_and_cross_record_problems_are_reported_together(
    check_register: CheckRegister,
) -> None:
    text = register(
        model("atlas"),
        model("atlas", "training_compute_flop = -1.0"),
        model("bravo", placed="2099-01-01").replace('owners = ["legal"]', 'owners = ["nobody"]'),
    )
    problems = assert_bad_input(check_register(text))

    assert any("found -1.0" in p for p in problems)
    assert any("model id 'atlas' is already used" in p for p in problems)
    assert any("2099-01-01 is later than today" in p for p in problems)
    assert any("owner 'nobody'" in p for p in problems)


def test_an_invalid_only_model_is_not_also_reported_as_an_empty_models_list(
    check_register: CheckRegister,
) -> None:
    problems = assert_bad_input(
        check_register(register(model("atlas", "training_compute_flop = -1.0")))
    )

    assert not [p for p in problems if "must not be empty" in p]
    assert len(problems) == 1


def test_a_register_file_that_does_not_exist_is_bad_input(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    code, _, err = run_cli("check", "--register", str(tmp_path / "missing.toml"))

    assert code == 2
    assert "missing.toml: register file not found" in err
    assert "Traceback" not in err
