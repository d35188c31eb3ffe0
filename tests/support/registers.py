"""Registers for the tests, written as a user writes them (TOML text), and builders for more.

Registers are parsed by the real loader (`parse_register`), so every test also exercises it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from notifier.core.register import Register, parse_register

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_REGISTER = REPO / "config" / "register.toml"
# The people of the example register who own items due in the 30 days before 2027-08-02 (and so
# each get a reminder digest on 2027-07-03).
EXAMPLE_OWNERS = frozenset(
    {
        "bruno.keller@example.com",
        "chiara.rossi@example.com",
        "dara.okafor@example.com",
        "legal@example.com",
    }
)
# The day the example registers were last edited; registers built in tests are checked against it.
TODAY = date(2026, 11, 24)


def toml_value(value: object) -> str:
    """A Python value as a TOML literal (dates unquoted, as a user writes them).

    In a table, a None value leaves the key out.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = [f"{k} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def model_toml(fields: Mapping[str, Any]) -> str:
    """One [[models]] entry; id, name, role and owners get defaults; a None value is left out."""
    model_id = str(fields["id"])
    full: dict[str, Any] = {"name": model_id.title(), "role": "provider", "owners": ["legal"]}
    full.update(fields)
    lines = ["[[models]]", f"id = {toml_value(model_id)}"]
    lines += [
        f"{key} = {toml_value(value)}"
        for key, value in full.items()
        if key != "id" and value is not None
    ]
    return "\n".join(lines) + "\n"


def register_toml(
    *models: Mapping[str, Any],
    established_in: str = "FR",
    annual_turnover_eur: float | None = None,
    transparency: str = "signed",
    copyright: str = "signed",
    safety_and_security: str = "signed",
    version_reviewed: date = date(2025, 7, 10),
    checked_on: date | None = None,
    timezone: str = "Europe/Brussels",
) -> str:
    """A whole register: an organisation, one person ('legal') and the given models."""
    turnover = (
        "" if annual_turnover_eur is None else f"annual_turnover_eur = {annual_turnover_eur!r}\n"
    )
    checked = "" if checked_on is None else f"checked_on = {checked_on.isoformat()}\n"
    head = (
        "[organisation]\n"
        'name = "Test AI"\n'
        f'established_in = "{established_in}"\n'
        f"{turnover}"
        f'timezone = "{timezone}"\n'
        'contacts = ["legal"]\n'
        "\n"
        "[organisation.code_of_practice]\n"
        f'transparency = "{transparency}"\n'
        f'copyright = "{copyright}"\n'
        f'safety_and_security = "{safety_and_security}"\n'
        f"version_reviewed = {version_reviewed.isoformat()}\n"
        f"{checked}"
        "\n"
        "[[people]]\n"
        'id = "legal"\n'
        'name = "Ana Example"\n'
        'email = "legal@example.com"\n'
    )
    return head + "".join("\n" + model_toml(m) for m in models)


# The chapters an organisation signed (all three), without a checked_on line: 5 lines.
SIGNED_EVERY_CHAPTER = """\
[organisation.code_of_practice]
transparency = "signed"
copyright = "signed"
safety_and_security = "signed"
version_reviewed = 2025-07-10
"""
# The person 'legal': 4 lines.
LEGAL = """\
[[people]]
id = "legal"
name = "Ana Example"
email = "legal@example.com"
"""

# 16 lines: an organisation that signed every chapter and one person, 'legal'.
HEAD = f"""\
[organisation]
name = "Test AI"
established_in = "FR"
timezone = "Europe/Paris"
contacts = ["legal"]

{SIGNED_EVERY_CHAPTER}
{LEGAL}"""


# An organisation in Brussels; Atlas was placed before 2025-08-02, so its Chapter V duties fall
# due on 2027-08-02 (Art 111(3)); Nimbus is planned for 2027-09-01; the support bot is built on
# someone else's model (standing supply-chain duties, with no date).
SMALL = f"""
[organisation]
name = "Test AI"
established_in = "BE"
timezone = "Europe/Brussels"
contacts = ["legal"]

{SIGNED_EVERY_CHAPTER}checked_on = 2027-06-20

{LEGAL}
[[people]]
id = "ml-lead"
name = "Bruno Keller"
email = "Bruno.Keller@example.com"

[[people]]
id = "product"
name = "Dara Okafor"
email = "dara@example.com"

[[models]]
id = "atlas"
name = "Atlas"
role = "provider"
placed_on_market = 2024-11-05
training_compute_flop = 3.1e24
owners = ["legal", "ml-lead"]

[[models]]
id = "nimbus"
name = "Nimbus"
role = "provider"
planned_placement = 2027-09-01
training_compute_flop = 3.1e24
owners = ["ml-lead"]

[[models]]
id = "support-bot"
name = "Support bot"
role = "downstream"
owners = ["product"]

[[models.upstream]]
provider = "Other Upstream"
model = "Open-2"
signatory = "partial"
chapters = ["safety_and_security"]
last_verified = 2027-06-25
"""

REGISTER_EDITED_ON = date(2027, 7, 1)


def small_register(text: str = SMALL) -> Register:
    return parse_register(text, "test-register.toml", REGISTER_EDITED_ON)


def downstream_model(
    model_id: str = "bot",
    *,
    model: str = "Big-1",
    last_verified: date = date(2026, 11, 2),
    **upstream_fields: object,
) -> dict[str, object]:
    """A model built on one upstream GPAI model ('Up's `model`, a full signatory by default)."""
    upstream = {
        "provider": "Up",
        "model": model,
        "signatory": "full",
        "last_verified": last_verified,
        **upstream_fields,
    }
    return {"id": model_id, "role": "downstream", "upstream": [upstream]}


def presumed_model(
    model_id: str, placed_on_market: date, threshold_known_on: date, flop: float = 2e25
) -> dict[str, object]:
    """A model placed on that day whose training compute (over 1e25 FLOP by default) presumes
    systemic risk, the threshold known to be met from `threshold_known_on`."""
    return {
        "id": model_id,
        "placed_on_market": placed_on_market,
        "training_compute_flop": flop,
        "threshold_known_on": threshold_known_on,
    }
