"""Find the line of a key in TOML text, so register errors can say where to look.

The TOML parser returns values without positions; this scanner recovers them for the shapes a
register uses: tables, arrays of tables and arrays of inline tables. It is a best effort: when a
place cannot be found the error is still reported, only without a line number. The index is built
at the first question: a valid register without warnings never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

Loc = Sequence[str | int]


class TomlLines:
    """Index of `key =` lines per table, built once per register text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] = []
        # (table path, array index or None) -> {key: line number}
        self._keys: dict[tuple[str, int | None], dict[str, int]] = {}
        self._tables: dict[tuple[str, int | None], int] = {}
        self._indexed = False

    def _index(self) -> None:
        self._indexed = True
        self._lines = self._text.splitlines()
        counts: dict[str, int] = {}
        current: tuple[str, int | None] = ("", None)
        for number, line in enumerate(self._lines, start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(2).replace(" ", "")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    current = (name, counts[name])
                else:
                    current = (name, None)
                self._tables.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                self._keys.setdefault(current, {}).setdefault(key.group(1), number)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the innermost key named by a pydantic-style location, or of its table."""
        if not self._indexed:
            self._index()
        parts = list(loc)
        if not parts:
            return None
        head = str(parts[0])
        if len(parts) >= 2 and isinstance(parts[1], int):
            table: tuple[str, int | None] = (head, parts[1])
            rest = parts[2:]
        elif len(parts) >= 2 and f"{head}.{parts[1]}" in {t for t, _ in self._tables}:
            table = (f"{head}.{parts[1]}", None)
            rest = parts[2:]
        else:
            table = (head, None) if (head, None) in self._tables else ("", None)
            rest = parts[1:] if table[0] else parts
        keys = self._keys.get(table, {})
        if rest and isinstance(rest[0], str) and rest[0] in keys:
            line = keys[rest[0]]
            if len(rest) >= 2 and isinstance(rest[1], int):
                return self._inline_item_line(line, rest[1], rest[2:]) or line
            return line
        return self._tables.get(table)

    def _inline_item_line(self, start: int, index: int, rest: Loc) -> int | None:
        """Line of the `index`-th `{ ... }` of an array starting at line `start` (1-based)."""
        depth, seen = 0, -1
        for number in range(start, len(self._lines) + 1):
            text = self._lines[number - 1].split("#", 1)[0]
            if number == start:
                text = text.split("=", 1)[1] if "=" in text else text
            for char in text:
                if char == "[":
                    depth += 1
                elif char == "]":
                    depth -= 1
                    if depth == 0:
                        return None
                elif char == "{" and depth == 1:
                    seen += 1
                    if seen == index:
                        return self._key_in_item(number, rest) or number
        return None

    def _key_in_item(self, start: int, rest: Loc) -> int | None:
        if not rest or not isinstance(rest[0], str):
            return None
        pattern = re.compile(rf"[{{,]\s*{re.escape(rest[0])}\s*=")
        for number in range(start, min(start + 5, len(self._lines)) + 1):
            if pattern.search(self._lines[number - 1]):
                return number
        return None
