"""PostgreSQL: the service connects as a role that owns nothing and may only do what it needs.

`notifier db upgrade` runs the migrations as the owner role (`database_owner_url`), then grants
the service's role (`database_url`'s user): on the append-only tables (audit log, done marks,
event log, watcher findings) SELECT and INSERT only, so it can neither UPDATE, DELETE or
TRUNCATE them nor, owning nothing, ALTER them (disabling their triggers needs the owner); on the
other tables SELECT, INSERT, UPDATE and DELETE (their rows are state: leases, the ledger,
sessions, feed state, health problems); on the schema's version table SELECT; on the sequences
behind the id columns USAGE and SELECT.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect

APPEND_ONLY = ("audit_log", "done_marks", "event_log", "watch_findings")
READ_ONLY = ("alembic_version", "schema_version")


def grant_service(connection: Connection, role: str) -> list[str]:
    """Grant `role` what the service needs on every table of the store; returns the statements
    run (for the command's report). The caller's role owns the tables."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    statements = [f"GRANT USAGE ON SCHEMA public TO {quoted}"]
    for table in sorted(inspect(connection).get_table_names()):
        name = connection.dialect.identifier_preparer.quote(table)
        statements.append(f"REVOKE ALL ON {name} FROM {quoted}")
        if table in READ_ONLY:
            statements.append(f"GRANT SELECT ON {name} TO {quoted}")
        elif table in APPEND_ONLY:
            statements.append(f"GRANT SELECT, INSERT ON {name} TO {quoted}")
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {quoted}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
    for statement in statements:
        connection.exec_driver_sql(statement)
    return statements


def owns_anything(connection: Connection, role: str) -> list[str]:
    """The tables `role` owns in the public schema (the service's role should own none)."""
    rows = connection.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %(role)s",
        {"role": role},
    )
    return sorted(str(row[0]) for row in rows)
