"""The timeline shared by the pages (issue 22): reloaded when the store changed, whoever wrote
to it (another process's command line here), and never stale for another day or context."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from notifier.app.timelines import Shared, timeline_of
from notifier.clock import system_now
from notifier.core.timeline import timeline
from tests.support.workspace import Workspace

ITEM = "atlas-7b/art-53-1-c-copyright-policy"


def test_the_shared_context_is_reloaded_exactly_when_the_store_changed(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path)
    assert workspace.cli("db", "upgrade").code == 0
    shared = Shared()
    with workspace.context() as context:
        first = shared.refreshed(context)
        assert shared.refreshed(context) is first  # nothing changed: not reloaded
        assert ITEM not in first.options.done

        assert workspace.cli("done", ITEM, "--note", "by another writer").code == 0

        after = shared.refreshed(context)
        assert after is not first
        assert ITEM in after.options.done
        day = after.day(system_now())
        status = {i.id: i.status for i in timeline_of(after, day).all_items()}
        assert status[ITEM] == "done"

        # Another context (a register reloaded) is never answered with the old one's.
        other = replace(context)
        assert shared.refreshed(other) is not after


def test_a_timeline_is_computed_once_per_context_and_day_and_equals_a_fresh_one(
    tmp_path: Path,
) -> None:
    workspace = Workspace.create(tmp_path)
    with workspace.context() as context:
        day = context.day(system_now())
        once = timeline_of(context, day)
        assert timeline_of(context, day) is once
        assert once == timeline(context.register, context.rules, day, context.options)
        assert once.all_items() == once.all_items()

        tomorrow = timeline_of(context, day + timedelta(days=1))
        assert tomorrow is not once
        assert tomorrow.as_of == day + timedelta(days=1)
        changed = replace(context, options=replace(context.options, due_soon_days=1))
        assert timeline_of(changed, day) is not once
