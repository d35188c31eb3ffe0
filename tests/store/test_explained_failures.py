"""A failure health already explains (a full or unreachable store, a file or network error, one
of our own errors) is logged by the daemon in one line; only a defect keeps its traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from notifier.errors import DeliveryError
from notifier.store.problems import explained


def a_real_store_error(tmp_path: Path) -> OperationalError:
    """What SQLAlchemy raises for a store it cannot write: a read-only SQLite file."""
    path = tmp_path / "read-only.db"
    sqlite3.connect(path).close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.begin() as connection, pytest.raises(OperationalError) as caught:
            connection.execute(text("create table t (x integer)"))
    finally:
        engine.dispose()
    return caught.value


def test_a_store_that_cannot_be_written_is_one_line_naming_the_driver_reason(
    tmp_path: Path,
) -> None:
    line = explained(a_real_store_error(tmp_path))
    assert line is not None
    assert line.startswith("OperationalError: ")
    assert "readonly" in line
    assert "\n" not in line
    assert "sqlalche.me" not in line


@pytest.mark.parametrize(
    "error",
    [
        OSError(28, "No space left on device"),
        DeliveryError("the mail server refused", permanent=False, connection=True),
    ],
)
def test_file_network_and_our_own_errors_are_explained(error: Exception) -> None:
    assert explained(error) is not None


@pytest.mark.parametrize("error", [KeyError("x"), TypeError("bad"), AssertionError()])
def test_a_defect_is_not_explained_so_it_keeps_its_traceback(error: Exception) -> None:
    assert explained(error) is None
