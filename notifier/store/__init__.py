"""The state store: done marks, events, the reminder ledger, feed and watcher state, the audit log,
and the leases by which several instances share one store.

`engine` opens it (SQLite or PostgreSQL); `schema` holds every table; `migrate` brings a store to
the head revision of the Alembic scripts in `migrations/`; `leases` and `leadership` say which
processes live and which instance leads; each other module owns one kind of record.
"""
