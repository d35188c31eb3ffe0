"""Issue 9: a note with CR/LF and terminal escapes printed a forged second audit entry and raw
escapes. Whatever a store holds (an older version accepted such notes), `notifier audit` shows
each entry on one line, with control characters made visible."""

from __future__ import annotations

from datetime import UTC, datetime

from notifier.store.audit import append
from tests.support.workspace import Workspace

FORGED = "fine\r\n2026-12-01T09:00:00+01:00  admin@host  done  x/y  met\x1b[31m"


def test_an_entry_with_line_breaks_and_escapes_is_one_visible_line(workspace: Workspace) -> None:
    with workspace.context() as context, context.store.engine.begin() as connection:
        append(
            connection,
            at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
            actor="ana@host",
            action="done",
            subject="atlas-7b/art-53-1-c-copyright-policy",
            detail=FORGED,
        )

    result = workspace.cli("audit")

    assert result.code == 0
    [line] = result.out.splitlines()
    assert "\x1b" not in result.out
    assert "\\r\\n2026-12-01T09:00:00+01:00  admin@host" in line
    assert line.endswith("met\\x1b[31m")
