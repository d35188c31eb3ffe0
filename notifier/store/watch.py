"""Watched sources (Code of Practice text, signatory list) and what the watcher found.

Two tables: `watched_sources` holds one mutable row per source (the conditional-GET validators
and the hash of the last content seen); `watch_findings` is append-only, one row per change,
each written in the same transaction as its audit entry. Deciding "changed" and recording it
happen in one transaction with the source row locked, so two watchers running at once (the
daemon and `notifier watch`) record a change once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import (
    Connection,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from notifier.core.events import CodeRevision
from notifier.store.audit import append
from notifier.store.engine import serialise
from notifier.store.schema import watch_findings, watched_sources

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql

    from notifier.store.engine import Store

SourceKind = Literal["code", "signatories"]
CheckResult = Literal["baseline", "unchanged", "changed"]
FINDING_PREFIX: dict[str, str] = {"code": "code-revision", "signatories": "signatory-list"}
_ID_ATTEMPTS = 3  # concurrent findings of one kind (PostgreSQL) may pick the same number


@dataclass(frozen=True)
class SourceState:
    name: str
    kind: str
    location: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    checked_at: datetime | None
    last_success_at: datetime | None
    last_changed_at: datetime | None
    last_error: str | None
    failures: int

    def validates(self, kind: str, location: str) -> bool:
        """Whether this state's hash and validators describe that source as configured now."""
        return self.content_hash is not None and (self.kind, self.location) == (kind, location)


@dataclass(frozen=True)
class Finding:
    id: str
    source: str
    kind: str
    location: str
    detected_at: datetime
    detected_on: date
    old_hash: str
    new_hash: str


@dataclass(frozen=True)
class Observation:
    """A successful check: the hash of the normalised content and the validators that go with it
    (for a 304 answer, the hash the validators were sent for)."""

    content_hash: str
    etag: str | None = None
    last_modified: str | None = None


def source_states(store: Store) -> dict[str, SourceState]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(watched_sources))
        return {row.name: SourceState(**row._mapping) for row in rows}


def record_success(
    store: Store,
    *,
    name: str,
    kind: SourceKind,
    location: str,
    observed: Observation,
    at: datetime,
    detected_on: date,
    actor: str,
) -> tuple[CheckResult, Finding | None]:
    """Compare with the stored hash and record the outcome; a change becomes a finding (with its
    audit entry). The first success, or the first after the source's kind or location changed
    in the settings, is a baseline."""
    attempt = 1
    while True:
        try:
            with store.engine.begin() as connection:
                return _record_success(
                    connection, name, kind, location, observed, at, detected_on, actor
                )
        except IntegrityError:
            if attempt == _ID_ATTEMPTS:
                raise
            attempt += 1


def _record_success(
    connection: Connection,
    name: str,
    kind: SourceKind,
    location: str,
    observed: Observation,
    at: datetime,
    detected_on: date,
    actor: str,
) -> tuple[CheckResult, Finding | None]:
    state = _locked_state(connection, name, kind, location)
    values = {
        "kind": kind,
        "location": location,
        "etag": observed.etag,
        "last_modified": observed.last_modified,
        "content_hash": observed.content_hash,
        "checked_at": at,
        "last_success_at": at,
        "last_error": None,
        "failures": 0,
    }
    result: CheckResult
    finding = None
    if not state.validates(kind, location):
        result = "baseline"
    elif state.content_hash == observed.content_hash:
        result = "unchanged"
    else:
        assert state.content_hash is not None
        result = "changed"
        values["last_changed_at"] = at
        finding = Finding(
            _next_finding_id(connection, kind),
            name,
            kind,
            location,
            at,
            detected_on,
            state.content_hash,
            observed.content_hash,
        )
        connection.execute(insert(watch_findings).values(**asdict(finding)))
        append(
            connection,
            at=at,
            actor=actor,
            action="watch-change",
            subject=finding.id,
            detail=(
                f"{kind} source '{name}' changed ({location}): sha256 "
                f"{finding.old_hash[:12]} -> {finding.new_hash[:12]}"
            ),
        )
    connection.execute(update(watched_sources).where(watched_sources.c.name == name).values(values))
    return result, finding


def record_failure(
    store: Store, *, name: str, kind: SourceKind, location: str, error: str, at: datetime
) -> int:
    """Record a failed check (never a change); returns the failures in a row so far."""
    with store.engine.begin() as connection:
        state = _locked_state(connection, name, kind, location)
        failures = state.failures + 1
        connection.execute(
            update(watched_sources)
            .where(watched_sources.c.name == name)
            .values(checked_at=at, last_error=error[:2000], failures=failures)
        )
    return failures


def _locked_state(connection: Connection, name: str, kind: str, location: str) -> SourceState:
    """The source's row, created if missing and locked for this transaction. The insert comes
    first so that SQLite takes its write lock before reading (no stale read, no upgrade race);
    PostgreSQL locks the row with FOR UPDATE."""
    dialect_insert: type[sqlite.Insert] | type[postgresql.Insert] = sqlite.Insert
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # loaded only where it is used

        dialect_insert = postgresql.Insert
    connection.execute(
        dialect_insert(watched_sources)
        .values(name=name, kind=kind, location=location, failures=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    row = connection.execute(
        select(watched_sources).where(watched_sources.c.name == name).with_for_update()
    ).one()
    return SourceState(**row._mapping)


def _next_finding_id(connection: Connection, kind: str) -> str:
    """The next id of this kind, in the transaction that records the finding: one writer at a
    time past this point (two sources of one kind checked at once get two ids)."""
    serialise(connection, "finding-ids")
    count = connection.scalar(
        select(func.count()).select_from(watch_findings).where(watch_findings.c.kind == kind)
    )
    return f"{FINDING_PREFIX[kind]}-{int(count or 0) + 1}"


def findings(
    store: Store, kind: SourceKind | None = None, since: date | None = None
) -> list[Finding]:
    """Findings, oldest first; optionally of one kind, or detected on or after a day."""
    query = select(watch_findings).order_by(watch_findings.c.detected_at, watch_findings.c.id)
    if kind is not None:
        query = query.where(watch_findings.c.kind == kind)
    if since is not None:
        query = query.where(watch_findings.c.detected_on >= since)
    with store.engine.connect() as connection:
        return [Finding(**row._mapping) for row in connection.execute(query)]


def code_revisions(store: Store) -> list[CodeRevision]:
    """Every Code-text change the watcher found, oldest first."""
    return [CodeRevision(f.id, f.source, f.detected_on) for f in findings(store, "code")]


def signatory_list_changed_on(store: Store) -> date | None:
    """The day the watcher last saw the signatory list change, if ever."""
    with store.engine.connect() as connection:
        latest: date | None = connection.scalar(
            select(func.max(watch_findings.c.detected_on)).where(
                watch_findings.c.kind == "signatories"
            )
        )
    return latest
