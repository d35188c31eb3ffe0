"""core.moves, pure: the rule data changed (a test rule set with one landmark moved), a register
edit, an event and its voiding, a done mark (no move), and the first computation (no move)."""

from __future__ import annotations

from datetime import date

from notifier.core.events import DesignationDecision, DoneMark
from notifier.core.law import Changelog, ChangelogEntry, RuleSet, load_changelog, load_ruleset
from notifier.core.law.model import TRANSITION_ENDS
from notifier.core.moves import Move, Snapshot, done_ids, find_moves, inputs_of, shown_items
from notifier.core.register import Register
from notifier.core.timeline import TimelineOptions, timeline
from tests.support.registers import SMALL, small_register

AS_OF = date(2027, 7, 3)
RULES = load_ruleset()


def snapshot(
    register: Register, rules: RuleSet = RULES, options: TimelineOptions | None = None
) -> tuple[Snapshot, set[str]]:
    options = options or TimelineOptions()
    result = timeline(register, rules, AS_OF, options)
    events = [(e.id, getattr(e, "model", None)) for e in options.events]
    inputs = inputs_of(register, events, rules.version)
    return Snapshot(shown_items(result, rules.version), inputs), done_ids(result)


def moves_between(
    before: Snapshot, after: tuple[Snapshot, set[str]], register: Register, rules: RuleSet = RULES
) -> list[Move]:
    log = load_changelog()
    if rules.version != RULES.version:
        entry = ChangelogEntry(
            version=rules.version,
            date=date(2027, 7, 1),
            summary="Art 111(3) transition moved (test)",
            rules=(TRANSITION_ENDS,),
            sources=("Test source: a regulation amending Art 111(3)",),
        )
        log = Changelog(entries=(entry, *log.entries))
    return find_moves(before, after[0], after[1], register, rules, log)


def moved_rules(rules: RuleSet, rule_id: str, to: date, version: str) -> RuleSet:
    changed = tuple(
        r.model_copy(update={"due": r.due.model_copy(update={"date": to})})
        if r.id == rule_id
        else r
        for r in rules.rules
    )
    moved = rules.model_copy(update={"rules": changed, "version": version})
    moved.__dict__.pop("landmarks", None)  # a cached property of the copied rule set
    return moved


def test_the_first_computation_moves_nothing() -> None:
    register = small_register()
    assert moves_between(Snapshot({}, {}), snapshot(register), register) == []


def test_new_rule_data_with_one_landmark_moved_names_its_version_rule_and_citation() -> None:
    register = small_register()
    before, _ = snapshot(register)
    rules = moved_rules(RULES, TRANSITION_ENDS, date(2027, 9, 1), "test.2")
    assert rules.landmarks.transition_deadline == date(2027, 9, 1)

    found = moves_between(before, snapshot(register, rules), register, rules)

    atlas = [m for m in found if m.model == "atlas"]  # placed 2024: in the Art 111(3) transition
    assert atlas
    assert {(m.old_due, m.new_due, m.change) for m in atlas} >= {
        (date(2027, 8, 2), date(2027, 9, 1), "later")
    }
    for move in found:
        assert move.cause.kind == "rules"
        assert move.cause.ref == f"{RULES.version} -> test.2"
        assert move.cause.rules == ((TRANSITION_ENDS, RULES.rule(TRANSITION_ENDS).citation),)
        assert "Test source" in move.cause.text
    assert not any(m.urgent for m in found if m.change == "later")


def test_a_register_edit_names_the_field_and_its_line() -> None:
    register = small_register()
    before, _ = snapshot(register)
    text = SMALL.replace("planned_placement = 2027-09-01", "planned_placement = 2027-08-10")
    edited = small_register(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "2027-08-10" in t)

    found = moves_between(before, snapshot(edited), edited)

    assert found
    assert {m.model for m in found} == {"nimbus"}
    for move in found:
        assert move.cause.kind == "register"
        assert move.cause.ref == f"test-register.toml:{line}"
        assert "planned_placement 2027-09-01 -> 2027-08-10" in move.cause.text
        assert move.change == "earlier"
        assert move.urgent
        assert move.old_due is not None
        assert move.new_due is not None
        assert (move.old_due - move.new_due).days == 22


def test_an_event_adds_duties_and_voiding_it_takes_them_back() -> None:
    register = small_register()
    before, _ = snapshot(register)
    designation = DesignationDecision("designation-1", "atlas", date(2027, 6, 1))
    with_event = TimelineOptions(events=(designation,))
    after = snapshot(register, options=with_event)

    added = moves_between(before, after, register)

    assert {m.change for m in added} == {"appeared", "started"}
    assert all(m.cause.kind == "event" for m in added)
    assert {m.cause.ref for m in added} == {"designation-1"}
    # the model's systemic-risk duties are news told at once; the event's own items (the
    # Art 52(5) reassessment, say) are the event's own announcement
    systemic = {m.rule for m in added if m.change == "appeared"}
    assert {"art-55-1-a-model-evaluation", "art-55-1-b-systemic-risk-mitigation"} <= systemic
    assert all(m.urgent for m in added if m.change == "appeared")
    assert not any(m.urgent for m in added if m.change == "started")

    back = moves_between(after[0], snapshot(register), register)
    assert {m.item for m in back} == {m.item for m in added}
    assert {m.change for m in back} == {"disappeared"}
    assert {(m.cause.kind, m.cause.ref) for m in back} == {("voided-event", "designation-1")}


def test_a_done_mark_is_not_a_move() -> None:
    register = small_register()
    before, _ = snapshot(register)
    item = next(i for i in before.items.values() if i.model == "atlas" and i.due is not None)
    done = TimelineOptions(done={item.item: (DoneMark(date(2027, 7, 1)),)})
    after = snapshot(register, options=done)
    assert item.item not in after[0].items  # it left the open items

    assert moves_between(before, after, register) == []
    # nor with an unrelated register edit of that model in the same computation
    text = SMALL.replace('name = "Atlas"', 'name = "Atlas 2"')
    edited = small_register(text)
    found = moves_between(before, snapshot(edited, options=done), edited)
    assert item.item not in {m.item for m in found}


def test_time_passing_alone_is_not_a_move() -> None:
    register = small_register()
    before, _ = snapshot(register)
    later = timeline(register, RULES, date(2028, 3, 1), TimelineOptions())
    after = Snapshot(shown_items(later, RULES.version), inputs_of(register, [], RULES.version))
    assert find_moves(before, after, done_ids(later), register, RULES, load_changelog()) == []


def test_the_shipped_rule_data_has_a_version_and_a_changelog_citing_sources() -> None:
    log = load_changelog()
    assert RULES.version == log.version != "unversioned"
    assert all(entry.sources for entry in log.entries)


def test_an_organisation_edit_names_its_line() -> None:
    register = small_register()
    before, _ = snapshot(register)
    text = SMALL.replace('established_in = "BE"', 'established_in = "NO"')
    edited = small_register(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if 'established_in = "NO"' in t)

    found = moves_between(before, snapshot(edited), edited)

    assert found  # Norway: EEA only, a third country for Art 54 (row L3)
    for move in found:  # the models' items too: the organisation's entry moved them
        assert move.cause.kind == "register"
        assert move.cause.ref == f"test-register.toml:{line}"
        assert "established_in BE -> NO" in move.cause.text
