"""The rule data's changelog (changelog.toml beside rules.toml): what each version changed,
which rules it touched, and the source it rests on. Pure: text in, entries out."""

from __future__ import annotations

import datetime

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from notifier.errors import InputError, Problem


class ChangelogEntry(BaseModel):
    """One version of the rule data: when, what, which rules, and the sources it cites."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    version: str = Field(min_length=1)
    date: datetime.date
    summary: str = Field(min_length=1)
    rules: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class Changelog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    entries: tuple[ChangelogEntry, ...]  # newest first

    @property
    def version(self) -> str:
        return self.entries[0].version if self.entries else "unversioned"

    def since(self, old: str, new: str) -> list[ChangelogEntry]:
        """The entries after version `old` up to and including `new` (newest first); every entry
        up to `new` when `old` is not in the changelog (a store older than versioned data)."""
        versions = [e.version for e in self.entries]
        start = versions.index(new) if new in versions else 0
        end = versions.index(old) if old in versions else len(versions)
        return list(self.entries[start:end])

    def changed_rules(self, old: str, new: str) -> tuple[str, ...]:
        """The rule ids the entries between `old` and `new` name (sorted, each once)."""
        return tuple(sorted({rule for e in self.since(old, new) for rule in e.rules}))


def parse_changelog(text: str, source: str) -> Changelog:
    """Parse the changelog; a defect is a packaging bug, reported like any bad input."""
    try:
        raw = tomli.loads(text)
        return Changelog.model_validate({"entries": raw.get("entry", [])})
    except (tomli.TOMLDecodeError, ValidationError) as error:
        raise InputError([Problem(source, f"rule data changelog is invalid: {error}")]) from None
