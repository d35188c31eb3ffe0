"""Registers for the reminder tests, written as a user writes them (TOML text)."""

from __future__ import annotations

from datetime import date

from notifier.register import Register, parse_register

# An organisation in Brussels; Atlas was placed before 2025-08-02, so its Chapter V duties fall
# due on 2027-08-02 (Art 111(3)); Nimbus is planned for 2027-09-01; the support bot is built on
# someone else's model (standing supply-chain duties, with no date).
SMALL = """
[organisation]
name = "Test AI"
established_in = "BE"
timezone = "Europe/Brussels"
contacts = ["legal"]

[organisation.code_of_practice]
transparency = "signed"
copyright = "signed"
safety_and_security = "signed"
version_reviewed = 2025-07-10
checked_on = 2027-06-20

[[people]]
id = "legal"
name = "Ana Example"
email = "legal@example.com"

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
