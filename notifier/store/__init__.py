"""The state store: done marks, events, the reminder ledger, feed and watcher state, the audit log.

`engine` opens it; `schema` holds every table; `migrations` brings a store up to date; each other
module owns one kind of record.
"""
