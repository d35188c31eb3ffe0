"""The register: an organisation and its models, parsed strictly from TOML text (pure)."""

from notifier.core.register.parse import EMPTY, parse_register
from notifier.core.register.schema import (
    CHAPTERS,
    EU_EEA,
    Chapter,
    CodeOfPractice,
    Model,
    Organisation,
    Person,
    Register,
    Upstream,
)

__all__ = [
    "CHAPTERS",
    "EMPTY",
    "EU_EEA",
    "Chapter",
    "CodeOfPractice",
    "Model",
    "Organisation",
    "Person",
    "Register",
    "Upstream",
    "parse_register",
]
