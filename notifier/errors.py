"""One exception tree for the whole service; only the CLI turns these into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    source: str
    message: str
    line: int | None = None
    model: str | None = None
    field: str | None = None
    person: str | None = None
    severity: Severity = "error"  # a warning is shown but does not stop the input being used

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        subject = []
        if self.person is not None:
            subject.append(f"person '{self.person}'")
        if self.model is not None:
            subject.append(f"model '{self.model}'")
        if self.field is not None:
            subject.append(f"field '{self.field}'")
        about = f" {', '.join(subject)}:" if subject else ""
        label = "warning: " if self.is_warning else ""
        return f"{where}:{about} {label}{self.message}"


class NotifierError(Exception):
    """Root of every error this service raises on purpose."""


class InputError(NotifierError, ValueError):
    """Bad input (register, settings, arguments): the user must fix something. Exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RegisterError(InputError):
    """The register file cannot be used; every problem found is listed."""


class SettingsError(InputError):
    """The settings (file or environment) cannot be used."""


class StoreVersionError(SettingsError):
    """The store's schema is newer than this notifier knows, or older than a read-only command
    may use: nothing is changed."""


class RuntimeFailure(NotifierError):
    """Something outside the user's input failed (mail server, disk). Exit code 1."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        self.permanent = permanent
        super().__init__(message)


class DeliveryError(RuntimeFailure):
    """A message could not be delivered: permanent (a 5xx about the message or recipient, never
    retried) or transient (4xx, and every connection-level failure: retried). A connection-level
    failure (no connection, TLS, authentication, the sender refused, a time-out, 421) says the
    server cannot take any message now: the dispatch round ends at once and the next retries."""

    def __init__(self, message: str, *, permanent: bool, connection: bool = False) -> None:
        self.connection = connection
        super().__init__(message, permanent=permanent and not connection)


class FetchError(RuntimeFailure):
    """A watched source could not be read (network, status, decoding, file). It is recorded and
    retried at the next check; it never counts as a change."""

    def __init__(self, source: str, location: str, reason: str) -> None:
        self.source = source
        self.location = location
        self.reason = reason
        super().__init__(f"watched source '{source}' ({location}): {reason}")
