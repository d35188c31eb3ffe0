"""Which channels people chose in the register, checked against those the settings name. Pure.

A person's `channels = ["email", "NAME"]` names channels of the settings (`[channels.NAME]`);
"email" is always there. An unknown name is an error at the line it is written on, like any
other register problem: a reminder must never be planned for a channel nobody configured.
"""

from __future__ import annotations

from collections.abc import Collection

from notifier.core.register.schema import EMAIL_CHANNEL, Register
from notifier.core.register.toml_lines import TomlLines
from notifier.errors import Problem


def channel_problems(register: Register, text: str, known: Collection[str]) -> list[Problem]:
    """Each channel a person chose that the settings do not name, located in `text` (the
    register file's text)."""
    lines = TomlLines(text)
    named = sorted(known)
    offer = ", ".join([EMAIL_CHANNEL, *named])
    problems = []
    for index, person in enumerate(register.people):
        for name in person.channels:
            if name != EMAIL_CHANNEL and name not in known:
                problems.append(
                    Problem(
                        register.source,
                        f"no channel '{name}' in the settings; the channels are: {offer} "
                        f"(add [channels.{name}] with kind and url to the settings, or "
                        "choose one of these)",
                        lines.line_of(("people", index, "channels")),
                        person=person.id,
                        field="channels",
                    )
                )
    return problems
