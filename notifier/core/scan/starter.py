"""The first register: the scan's answers and outcomes written as a register.toml (and a
notifier.toml) that `notifier check` accepts, each value with a comment saying why it is there.
Pure: `today` is passed in; it stands in for dates the answers do not give, marked TO CHECK.
"""

from __future__ import annotations

import json
from datetime import date

from notifier.core.register.schema import CHAPTERS
from notifier.core.scan.answers import Answers, ModelAnswers
from notifier.core.scan.decide import Outcome, flop, placed_answer
from notifier.core.scan.rules import ScanRules
from notifier.errors import InputError, Problem

CONTACT = "compliance"
CHECK = "TO CHECK: "


def _s(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _line(key: str, value: str, why: str) -> str:
    return f"{key} = {value}".ljust(40) + f"  # {why}"


def starter_register(
    answers: Answers, outcomes: tuple[Outcome, ...], rules: ScanRules, today: date
) -> str | None:
    """The register text, or None when no model brings duties the register tracks."""
    org = answers.organisation
    registered = [(m, o) for m, o in zip(answers.models, outcomes, strict=True) if o.registered]
    if not registered:
        return None
    if org.established_in is None:
        raise InputError(
            [
                Problem(
                    answers.source,
                    "the starter register needs organisation.established_in (an ISO 3166-1 "
                    'code such as "FR"): it decides Art 54',
                )
            ]
        )
    out = [
        f"# Starter register written by the notifier's scan on {today.isoformat()}.",
        "# Each value says why it is there. Lines marked TO CHECK are placeholders, or the",
        "# reading that triggers duties because an answer was missing: settle them, then run",
        "# `notifier check`. The README documents every key.",
        "",
        "[organisation]",
        _line(
            "name",
            _s(org.name or "Our organisation"),
            "from the answers" if org.name else CHECK + "your organisation's name",
        ),
        _line("established_in", _s(org.established_in), _establishment(outcomes)),
        *_eea_efta_note(org.established_in, rules),
        _line(
            "timezone",
            _s(org.timezone or "UTC"),
            "from the answers" if org.timezone else CHECK + "the IANA zone reminders use",
        ),
        _line("contacts", f"[{_s(CONTACT)}]", "who receives organisation-level items"),
        "",
        "[organisation.code_of_practice]",
    ]
    for chapter in CHAPTERS:
        signed = org.signed_chapters is not None and chapter in org.signed_chapters
        why = (
            "from the answers"
            if org.signed_chapters is not None
            else CHECK + "not answered; not_signed shows the Art 53(4)/55(2) alternative means"
        )
        out.append(_line(chapter, _s("signed" if signed else "not_signed"), why))
    out += [
        _line(
            "version_reviewed",
            rules.code_version.isoformat(),
            "the Code of Practice's final version (10 July 2025)",
        ),
        *_code_checked(rules, today),
        "",
        "[[people]]",
        _line("id", _s(CONTACT), "the owner of every model below"),
        _line(
            "name",
            _s(org.contact_name or "Compliance lead"),
            "from the answers" if org.contact_name else CHECK + "who is responsible",
        ),
        _line(
            "email",
            _s(org.contact_email or "compliance@example.com"),
            "from the answers" if org.contact_email else CHECK + "where reminders go",
        ),
    ]
    for model, outcome in registered:
        out += ["", *_model(model, outcome, today)]
    left = [o for o in outcomes if not o.registered]
    if left:
        out += ["", "# Not registered (no duties the register tracks):"]
        out += [f"#   {o.id}: {o.role} ({o.reasons[0].citation})" for o in left]
    return "\n".join(out) + "\n"


def _code_checked(rules: ScanRules, today: date) -> list[str]:
    """README: `version_reviewed` is the Code version the programme was last checked against (the
    latest the rule data knows), `checked_on` the day of the last check for revisions, which the
    review item counts from. Without it the review would count from 2025-07-10 and start
    overdue; the scan's day is the day this register was checked against that version."""
    version = rules.code_version.isoformat()
    return [
        f"# {CHECK}version_reviewed is the latest Code version notifier's rule data knows; if",
        "# your programme was checked against another one, write that version's date. The check",
        "# for Code revisions (every 3 months by default) counts from checked_on.",
        _line("checked_on", today.isoformat(), f"{CHECK}the day of this scan, against {version}"),
    ]


def _eea_efta_note(country: str, rules: ScanRules) -> list[str]:
    """Reference L3: until the rule data's `[eea]` table records the incorporation, the scan and
    the register's timeline (both reading that table) count IS, LI and NO as third countries
    for Art 54; the starter says so, since the reading is an inference."""
    if country not in rules.eea.states or rules.eea.incorporated_on is not None:
        return []
    return [
        f"# TO CHECK: {country} is an EEA EFTA state. The scan treats it as a third country for",
        "# Art 54 until the AI Act is incorporated into the EEA Agreement (inference): appoint an",
        "# authorised representative in the Union before placing; the register's timeline shows",
        "# the Art 54 items too.",
    ]


def _establishment(outcomes: tuple[Outcome, ...]) -> str:
    if any(o.art_54 for o in outcomes):
        return "Art 54(1): an authorised representative in the Union (see the scan's reasons)"
    return "Art 54(1): decides whether an authorised representative is needed"


def _model(model: ModelAnswers, outcome: Outcome, today: date) -> list[str]:
    reason = outcome.reasons[0].citation if outcome.reasons else ""
    lines = [
        f"# {outcome.id}: the scan found {outcome.role} ({reason})",
        "[[models]]",
        _line("id", _s(model.id), "the scan's id"),
        _line("name", _s(model.title), "from the answers" if model.name else CHECK + "a name"),
    ]
    if outcome.role == "downstream":
        return [*lines, *_downstream(model, today)]
    role = "modifier" if outcome.role == "modifier-provider" else "provider"
    lines.append(_line("role", _s(role), f"the scan: {outcome.role}"))
    placing = model.placed_on or model.planned_placement or today
    if placed_answer(model) is False:
        why = "from the answers" if model.planned_placement else CHECK + "the date you plan"
        lines.append(_line("planned_placement", placing.isoformat(), f"{why} (Art 3(9))"))
    else:
        why = (
            "from the answers"
            if model.placed_on
            else CHECK + "the day it was first made available (today is a placeholder)"
        )
        lines.append(_line("placed_on_market", placing.isoformat(), f"Art 3(9): {why}"))
    if model.training_compute_flop is not None and role == "provider":
        lines.append(
            _line(
                "training_compute_flop",
                flop(model.training_compute_flop),
                "Art 51(2): above 1e25 FLOP is presumed systemic",
            )
        )
    if role == "modifier":
        lines += _modifier(model, outcome)
    if outcome.systemic_risk:
        lines += _systemic(model, placing, today)
    if model.open_source is not None:
        lines.append(
            _line("open_source", str(model.open_source).lower(), "Art 53(2), 54(6) exemptions")
        )
    lines.append(_line("owners", f"[{_s(CONTACT)}]", "who receives this model's items"))
    return lines


def _modifier(model: ModelAnswers, outcome: Outcome) -> list[str]:
    lines = [_line("base_model", _s(model.base or ""), "GL s.3.2: the model you modified")]
    if model.base_compute_flop is not None:
        lines.append(
            _line("base_compute_flop", flop(model.base_compute_flop), "GL s.3.2: one third rule")
        )
    if model.base_systemic_risk:
        lines.append(_line("base_systemic_risk", "true", "GL s.3.2: the base has systemic risk"))
    spent = model.modification_compute_flop
    if spent is None:
        threshold = outcome.modifier_threshold_flop or 0.0
        value, why = (
            flop(threshold * 3),
            CHECK + "not known; a placeholder above one third (GL s.3.2), the reading with duties",
        )
    else:
        value, why = flop(spent), "GL s.3.2: more than one third makes you the provider"
    return [*lines, _line("modification_compute_flop", value, why)]


def _systemic(model: ModelAnswers, placing: date, today: date) -> list[str]:
    if model.designated:
        day = model.designated_on or today
        why = "from the answers" if model.designated_on else CHECK + "the decision's date"
        return [
            _line("systemic_risk", _s("designated"), "Art 51(1)(b), 52(4)"),
            _line("designated_on", day.isoformat(), why),
        ]
    known = model.threshold_known_on or min(placing, today)
    why = (
        "from the answers"
        if model.threshold_known_on
        else CHECK + "when the threshold was met or known; Art 52(1) runs from it"
    )
    return [
        _line("systemic_risk", _s("presumed"), "Art 51(2); GL s.3.2 for modifiers"),
        _line("threshold_known_on", known.isoformat(), why),
    ]


def _downstream(model: ModelAnswers, today: date) -> list[str]:
    named = model.uses or model.base or "Upstream provider / model"
    provider, _, name = named.partition("/")
    provider, name = provider.strip() or named, name.strip() or named
    signatory = model.uses_signatory or "none"
    parts = [
        f"provider = {_s(provider)}",
        f"model = {_s(name)}",
        f"signatory = {_s(signatory)}",
        f"last_verified = {today.isoformat()}",
    ]
    if model.uses_systemic_risk is not None:
        parts.append(f"systemic_risk = {str(model.uses_systemic_risk).lower()}")
    why = "from the answers" if model.uses_signatory else CHECK + "check the AI Office's list"
    return [
        _line("role", _s("downstream"), "the scan: downstream (Art 3(68))"),
        _line("owners", f"[{_s(CONTACT)}]", "who receives this model's items"),
        f"# upstream: Art 53(1)(b) information and Code evidence; signatory: {why};",
        "# last_verified: the day this file was written",
        f"upstream = [{{ {', '.join(parts)} }}]",
    ]


def starter_settings(register: str = "register.toml") -> str:
    """A notifier.toml beside the register: paths relative to the working directory."""
    return (
        "# Settings written by `notifier init`. Paths are relative to the working directory:\n"
        "# run the notifier from this folder, e.g. `notifier check --config notifier.toml`.\n"
        "# README.md lists every setting and its default.\n"
        f"register = {_s(register)}\n"
        'database_url = "sqlite:///var/notifier.db"\n'
        'calendars_dir = "calendars"\n'
        'outbox_dir = "var/outbox"  # no [smtp] host: reminders are written here as .eml\n'
        "due_soon_days = 30\n"
    )
