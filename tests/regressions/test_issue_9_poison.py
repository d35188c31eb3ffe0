"""Issue 9: one poison never stops the rest. An event or a model whose items cannot be computed
is reported, and every other model's reminders and feeds still go out; an event an older version
wrote badly can be voided (audited, never deleted)."""

from __future__ import annotations

from datetime import date

from notifier.core.events import Incident
from notifier.core.law import RuleSet
from notifier.core.register import Model
from notifier.core.timeline import TimelineOptions, timeline
from tests.conftest import MakeRegister
from tests.support.workspace import Workspace

AS_OF = date(2026, 11, 24)
LATER = "2027-07-03T09:00:00+02:00"


def test_an_event_whose_items_cannot_be_computed_is_reported_and_the_rest_computed(
    make_register: MakeRegister, rules: RuleSet
) -> None:
    register = make_register(
        {"id": "titan", "placed_on_market": date(2025, 9, 1), "training_compute_flop": 3e25,
         "threshold_known_on": date(2025, 6, 1)},
        {"id": "atlas", "placed_on_market": date(2025, 9, 1)},
    )  # fmt: skip
    # Past the end of the calendar: no check would let this in; an older store might hold it.
    poison = Incident("incident-1", "titan", "death", date(9999, 12, 30))
    result = timeline(register, rules, AS_OF, TimelineOptions(events=[poison]))

    [unusable] = result.unusable
    assert (unusable.kind, unusable.id) == ("event", "incident-1")
    titan, atlas = result.models
    assert titan.items  # the model's own duties are still there
    assert atlas.items
    assert not any(item.event == "incident-1" for item in titan.items)


def test_a_model_whose_items_cannot_be_computed_is_shown_without_items_and_reported(
    make_register: MakeRegister, rules: RuleSet
) -> None:
    register = make_register({"id": "atlas", "placed_on_market": date(2025, 9, 1)})
    valid = register.models[0]
    # A model no validation would accept (as a register from a bug could still hand over).
    broken = Model.model_construct(**{**dict(valid), "id": "broken", "placed_on_market": date.max})
    register = register.model_copy(update={"models": (valid, broken)})

    result = timeline(register, rules, AS_OF)

    assert [(u.kind, u.id) for u in result.unusable] == [("model", "broken")]
    atlas, shown = result.models
    assert atlas.items
    assert shown.id == "broken"
    assert shown.items == ()
    assert "could not be computed" in shown.findings[0]


def test_a_bad_event_row_is_reported_the_others_are_reminded_and_it_can_be_voided(
    workspace: Workspace,
) -> None:
    workspace.record_unreadable_incident()

    listed = workspace.cli("event", "list")
    assert "incident-7" in listed.out
    assert "UNREADABLE" in listed.out
    check = workspace.cli("check")
    assert check.code == 0
    assert "event incident-7: its items could not be computed" in check.out
    reminded = workspace.cli("remind", "--as-of", LATER)
    assert reminded.code == 0, reminded.err
    assert len(list(workspace.outbox.glob("*.eml"))) == 4  # every owner, as without the row

    voided = workspace.cli("event", "void", "incident-7", "--reason", "typo in an old version")
    assert voided.code == 0, voided.err
    assert "incident-7" not in workspace.cli("event", "list").out
    assert "could not be computed" not in workspace.cli("check").out
    audit = workspace.cli("audit").out
    assert "event-void" in audit
    assert "typo in an old version" in audit


def test_voiding_needs_a_recorded_event_and_a_reason(workspace: Workspace) -> None:
    unknown = workspace.cli("event", "void", "incident-9", "--reason", "x")
    assert unknown.code == 2
    assert "no event 'incident-9'" in unknown.err
    blank = workspace.cli("event", "void", "incident-9", "--reason", " ")
    assert blank.code == 2
    assert "say why" in blank.err
