"""Feed state: per-event SEQUENCE and last-modified, and per-audience secret tokens.

Placeholder: the tables are added by the feeds work (migration 2).
"""

from __future__ import annotations

from sqlalchemy import Table

TABLES: tuple[Table, ...] = ()
