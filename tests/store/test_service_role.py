"""Issue 16: on PostgreSQL the service connects as a role that owns nothing. `notifier db
upgrade` migrates as the owner (NOTIFIER_DATABASE_OWNER_URL) and grants the service's role only
what it needs: it can add to the audit log and read it, but not change, delete or truncate it,
nor disable the trigger that guards it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from tests.support.postgres import Databases
from tests.support.workspace import Workspace

_ROLES = itertools.count(1)


@dataclass(frozen=True)
class Roles:
    owner_url: str
    service_url: str


@pytest.fixture
def roles(postgres_databases: Databases) -> Iterator[Roles]:
    """An empty database owned by a fresh owner role, and a fresh service role (no rights)."""
    n = next(_ROLES)
    owner, service = f"notifier_owner_{os.getpid()}_{n}", f"notifier_service_{os.getpid()}_{n}"
    admin = postgres_databases.admin
    url = make_url(postgres_databases.create(migrated=False))
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {owner} LOGIN")
        connection.exec_driver_sql(f"CREATE ROLE {service} LOGIN")
        connection.exec_driver_sql(f"ALTER DATABASE {url.database} OWNER TO {owner}")
    try:
        yield Roles(
            url.set(username=owner).render_as_string(hide_password=False),
            url.set(username=service).render_as_string(hide_password=False),
        )
    finally:
        postgres_databases.drop(str(url))
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {service}")
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {owner}")


@pytest.fixture
def upgraded(
    roles: Roles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Roles, Workspace]:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    workspace = Workspace.create(tmp_path, database_url=roles.service_url)
    monkeypatch.setenv("NOTIFIER_DATABASE_OWNER_URL", roles.owner_url)
    done = workspace.cli("db", "upgrade")
    assert done.code == 0, done.err
    assert "may read and add to the audit log" in done.out
    monkeypatch.delenv("NOTIFIER_DATABASE_OWNER_URL")  # the service never sees it
    return roles, workspace


def as_service(roles: Roles, statement: str) -> str:
    """Run one statement as the service's role; the database's refusal, or "" if it ran."""
    engine = create_engine(roles.service_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
        return ""
    except ProgrammingError as error:
        return str(error.orig)
    finally:
        engine.dispose()


def test_the_service_records_and_reads_as_its_own_role(
    upgraded: tuple[Roles, Workspace],
) -> None:
    _, workspace = upgraded
    added = workspace.cli(
        "event", "add", "downstream-request", "--model", "contracts-tune",
        "--received-on", "2026-11-23", "--as-of", "2026-11-24T10:00:00+01:00",
    )  # fmt: skip
    assert added.code == 0, added.err
    audit = workspace.cli("audit", "--format", "json")
    assert audit.code == 0, audit.err
    assert "downstream-request-1" in audit.out
    verified = workspace.cli("audit", "verify")  # the hash chain needs only INSERT and SELECT
    assert verified.code == 0, verified.out + verified.err
    assert "the chain holds: 1 entry," in verified.out
    status = workspace.cli("status", "--as-of", "2026-11-24T10:00:00+01:00")
    assert "cannot be written" not in status.out, status.out


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "UPDATE audit_log SET detail = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DROP TABLE audit_log",
        "ALTER TABLE event_log DISABLE TRIGGER event_log_append_only",
        "UPDATE event_log SET data = '{}'",
        "CREATE TABLE mine (x int)",
    ],
)
def test_the_service_role_cannot_rewrite_the_audit_log(
    upgraded: tuple[Roles, Workspace], statement: str
) -> None:
    roles, _ = upgraded
    refused = as_service(roles, statement)
    assert "permission denied" in refused or "must be owner" in refused, refused


def test_the_service_role_may_add_to_the_audit_log_and_owns_nothing(
    upgraded: tuple[Roles, Workspace],
) -> None:
    roles, _ = upgraded
    assert (
        as_service(
            roles,
            "INSERT INTO audit_log (at, actor, action, subject, detail) "
            "VALUES (now(), 'a', 'b', 'c', 'd')",
        )
        == ""
    )
    service = make_url(roles.service_url).username
    engine = create_engine(roles.owner_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            owned = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE tableowner = :role"),
                {"role": service},
            ).all()
    finally:
        engine.dispose()
    assert owned == []


def test_the_owner_url_must_name_another_role(
    roles: Roles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("NOTIFIER_")]:
        monkeypatch.delenv(name)
    workspace = Workspace.create(tmp_path, database_url=roles.owner_url)
    monkeypatch.setenv("NOTIFIER_DATABASE_OWNER_URL", roles.owner_url)
    refused = workspace.cli("db", "upgrade")
    assert refused.code == 2
    assert "database_owner_url" in refused.err
    assert "Traceback" not in refused.err
