"""Problems located at one model's field, with the line the field is written on."""

from __future__ import annotations

from notifier.core.register.toml_lines import TomlLines
from notifier.errors import Problem, Severity


class At:
    """Builds problems located at one model's field (a path inside the model's table)."""

    def __init__(self, lines: TomlLines, index: int, model_id: str, source: str) -> None:
        self.lines, self.index, self.model_id, self.source = lines, index, model_id, source

    def __call__(
        self, field: str | tuple[str | int, ...], message: str, *, warning: bool = False
    ) -> Problem:
        if isinstance(field, str):  # a dotted path: "upstream.0.last_verified"
            field = tuple(int(part) if part.isdigit() else part for part in field.split("."))
        line = self.lines.line_of(("models", self.index, *field))
        name = ".".join(str(part) for part in field)
        severity: Severity = "warning" if warning else "error"
        return Problem(self.source, message, line, self.model_id, name, severity=severity)
