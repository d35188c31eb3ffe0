"""The reminder policy (pure): which step of which item is due for whom at a given instant.

Defaults: deadlines 90, 30, 14, 7, 1 and 0 days before, then weekly while overdue; review tasks
14, 3 and 0 days before, then weekly; milestones 30 and 0 days before. Each at 09:00 in the
organisation's time zone. Instants are checked in UTC, computed from the offsets in force:
Brussels is UTC+1 in winter and UTC+2 in summer (2027: summer time from 28 March to 31 October).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from notifier.core.days import local_instant
from notifier.core.items import Item, Timeline
from notifier.core.law import RuleSet
from notifier.core.law.model import Kind
from notifier.core.register import Register
from notifier.core.reminders import (
    Reminder,
    ReminderPolicy,
    digests,
    due_reminders,
    latest_step,
    next_step,
)
from notifier.core.timeline import DoneMark, TimelineOptions, timeline
from tests.support.registers import small_register

ZONE = "Europe/Brussels"
BRUSSELS = ZoneInfo(ZONE)
POLICY = ReminderPolicy()
REGISTER = small_register()


def item(due: date | None, kind: Kind = "deadline", item_id: str = "atlas/duty") -> Item:
    return Item(
        id=item_id,
        rule=item_id.rpartition("/")[2],
        title="A duty",
        due=due,
        status="upcoming" if due is not None else "standing",
        basis="law",
        citation="AI Act Art 53(1)(a)",
        kind=kind,
        verification="primary",
        description="",
        owners=("legal",),
        model="atlas",
    )


def timeline_of(*items: Item) -> Timeline:
    return Timeline(
        as_of=date(2027, 1, 1),
        law="Regulation (EU) 2024/1689",
        organisation="Test AI",
        models=(),
        organisation_items=items,
        fine_ceiling_eur=None,
        fine_citation="AI Act Art 101(1)",
    )


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=BRUSSELS)


def steps_by_day(kind: Kind, due: date, days: range) -> dict[date, str]:
    """Run the policy every day at 09:00 local; the day each new step first becomes due."""
    first_seen: dict[date, str] = {}
    seen: set[str] = set()
    for offset in days:
        day = due + timedelta(days=offset)
        found = due_reminders(timeline_of(item(due, kind)), REGISTER, POLICY, at_nine(day))
        for reminder in found:
            if reminder.step not in seen:
                seen.add(reminder.step)
                first_seen[day] = reminder.step
    return first_seen


def full_timeline(
    rules: RuleSet,
    register: Register,
    now: datetime,
    done: Mapping[str, Sequence[DoneMark]] | None = None,
) -> Timeline:
    return timeline(register, rules, now, TimelineOptions(done=done or {}))


def test_a_deadline_is_reminded_90_30_14_7_1_and_0_days_before_then_weekly_while_overdue() -> None:
    due = date(2027, 8, 2)
    assert steps_by_day("deadline", due, range(-120, 22)) == {
        date(2027, 5, 4): "d-90",
        date(2027, 7, 3): "d-30",
        date(2027, 7, 19): "d-14",
        date(2027, 7, 26): "d-7",
        date(2027, 8, 1): "d-1",
        date(2027, 8, 2): "d-0",
        date(2027, 8, 9): "overdue-1",
        date(2027, 8, 16): "overdue-2",
        date(2027, 8, 23): "overdue-3",
    }


def test_a_review_task_is_reminded_14_3_and_0_days_before_then_weekly_while_overdue() -> None:
    due = date(2027, 11, 5)
    assert steps_by_day("review", due, range(-60, 15)) == {
        date(2027, 10, 22): "d-14",
        date(2027, 11, 2): "d-3",
        date(2027, 11, 5): "d-0",
        date(2027, 11, 12): "overdue-1",
        date(2027, 11, 19): "overdue-2",
    }


def test_a_milestone_is_reminded_30_and_0_days_before_and_never_as_overdue() -> None:
    due = date(2027, 8, 2)
    assert steps_by_day("milestone", due, range(-60, 30)) == {
        date(2027, 7, 3): "d-30",
        date(2027, 8, 2): "d-0",
    }


def test_the_days_before_come_from_the_policy_so_settings_can_change_them() -> None:
    policy = ReminderPolicy(
        offsets_days={"deadline": (10, 2), "review": (), "milestone": ()}, overdue_every_days=0
    )
    due = date(2027, 8, 2)
    seen = {
        reminder.step
        for offset in range(-40, 40)
        for reminder in due_reminders(
            timeline_of(item(due)), REGISTER, policy, at_nine(due + timedelta(days=offset))
        )
    }
    assert seen == {"d-10", "d-2"}


@pytest.mark.parametrize(
    ("due", "expected_utc"),
    [
        # The Saturday before summer time: 09:00 CET is 08:00 UTC.
        (date(2027, 3, 27), datetime(2027, 3, 27, 8, 0, tzinfo=UTC)),
        # The day summer time starts (02:00 -> 03:00): 09:00 CEST is 07:00 UTC.
        (date(2027, 3, 28), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
        # The Saturday before winter time: still CEST, 07:00 UTC.
        (date(2027, 10, 30), datetime(2027, 10, 30, 7, 0, tzinfo=UTC)),
        # The day winter time starts (03:00 -> 02:00): 09:00 CET is 08:00 UTC.
        (date(2027, 10, 31), datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),
    ],
)
def test_reminders_go_out_at_nine_brussels_time_on_both_sides_of_a_clock_change(
    due: date, expected_utc: datetime
) -> None:
    late_in_the_day = datetime.combine(due, time(23, 0), tzinfo=BRUSSELS)
    (reminder,) = due_reminders(timeline_of(item(due)), REGISTER, POLICY, late_in_the_day)
    assert reminder.step == "d-0"
    assert reminder.scheduled_for == expected_utc
    assert reminder.scheduled_for.astimezone(BRUSSELS).time() == time(9, 0)


def test_on_the_day_summer_time_starts_a_reminder_is_due_at_seven_utc_not_eight() -> None:
    due = date(2027, 3, 28)
    half_past_eight_local = datetime(2027, 3, 28, 6, 30, tzinfo=UTC)
    half_past_nine_local = datetime(2027, 3, 28, 7, 30, tzinfo=UTC)
    before = due_reminders(timeline_of(item(due)), REGISTER, POLICY, half_past_eight_local)
    after = due_reminders(timeline_of(item(due)), REGISTER, POLICY, half_past_nine_local)
    assert [r.step for r in before] == ["d-1"]
    assert [r.step for r in after] == ["d-0"]


def test_a_step_is_not_due_one_minute_before_nine_local_time_and_is_due_at_nine() -> None:
    due = date(2027, 8, 2)
    just_before = datetime(2027, 7, 3, 8, 59, tzinfo=BRUSSELS)
    assert [
        r.step for r in due_reminders(timeline_of(item(due)), REGISTER, POLICY, just_before)
    ] == ["d-90"]
    assert [
        r.step
        for r in due_reminders(timeline_of(item(due)), REGISTER, POLICY, at_nine(just_before))
    ] == ["d-30"]


def test_a_send_time_that_does_not_exist_on_the_spring_day_moves_forward_an_hour() -> None:
    instant = local_instant(date(2027, 3, 28), time(2, 30), ZONE)
    assert instant.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert instant.time() == time(3, 30)


def test_before_nine_on_a_weekly_overdue_day_the_latest_step_is_the_previous_week() -> None:
    due = date(2027, 8, 2)
    eight_oclock_two_weeks_late = datetime(2027, 8, 16, 8, 0, tzinfo=BRUSSELS)
    step = latest_step(item(due), POLICY, eight_oclock_two_weeks_late, ZONE)
    assert step == ("overdue-1", at_nine(date(2027, 8, 9)))


@given(
    due_offset=st.integers(min_value=-200, max_value=200),
    minutes=st.integers(min_value=0, max_value=24 * 60 - 1),
    kind=st.sampled_from(["deadline", "review", "milestone"]),
)
def test_the_step_chosen_is_always_the_latest_whose_time_has_come(
    due_offset: int, minutes: int, kind: Kind
) -> None:
    now = datetime.combine(date(2027, 3, 20), time(0, 0), tzinfo=BRUSSELS) + timedelta(
        minutes=minutes
    )
    due = date(2027, 3, 20) + timedelta(days=due_offset)
    candidates = [(f"d-{d}", due - timedelta(days=d)) for d in POLICY.offsets_days[kind]]
    if kind != "milestone":
        candidates += [(f"overdue-{w}", due + timedelta(days=7 * w)) for w in range(1, 40)]
    passed = [
        (local_instant(day, POLICY.send_at, ZONE), step)
        for step, day in candidates
        if local_instant(day, POLICY.send_at, ZONE) <= now
    ]
    expected = max(passed) if passed else None
    found = latest_step(item(due, kind), POLICY, now, ZONE)
    assert (None if found is None else (found[1], found[0])) == expected


def test_a_time_without_a_zone_is_refused() -> None:
    naive = datetime(2027, 7, 3, 9, 0)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="aware"):
        due_reminders(timeline_of(item(date(2027, 8, 2))), REGISTER, POLICY, naive)


def test_after_a_60_day_outage_only_the_current_step_is_sent_and_it_counts_the_real_days(
    rules: RuleSet,
) -> None:
    back_up = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)  # last run 2027-05-04, d-90 sent then
    found = due_reminders(full_timeline(rules, REGISTER, back_up), REGISTER, POLICY, back_up)
    atlas = [r for r in found if r.item.id.startswith("atlas/")]
    assert len(atlas) == 14  # 7 deadlines x 2 owners (L10: + Transparency Measure 1.2 contact)
    assert {r.step for r in atlas} == {"d-30"}
    assert {r.days_left for r in atlas} == {30}
    # Nimbus's d-90 (2027-06-03) is the latest step that has come; it says 60 days, not 90.
    nimbus = [r for r in found if r.item.id.startswith("nimbus/")]
    assert {(r.step, r.days_left) for r in nimbus} == {("d-90", 60)}


def test_catch_up_puts_everything_still_relevant_for_one_person_in_one_digest(
    rules: RuleSet,
) -> None:
    back_up = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
    found = due_reminders(full_timeline(rules, REGISTER, back_up), REGISTER, POLICY, back_up)
    by_person = {d.recipient.email.lower(): d for d in digests(found)}
    assert sorted(by_person) == ["bruno.keller@example.com", "legal@example.com"]
    bruno = by_person["bruno.keller@example.com"]
    assert {r.item.model for r in bruno.reminders} == {"atlas", "nimbus"}
    assert len(bruno.reminders) == 14  # L10: + the Transparency Measure 1.2 contact items
    dues = [r.item.due or date.max for r in bruno.reminders]
    assert dues == sorted(dues)
    assert len({r.key for r in found}) == len(found)


def test_each_recipient_gets_exactly_one_digest_holding_all_and_only_their_reminders(
    rules: RuleSet,
) -> None:
    now = datetime(2027, 7, 30, 9, 0, tzinfo=BRUSSELS)
    found = due_reminders(full_timeline(rules, REGISTER, now), REGISTER, POLICY, now)
    grouped = digests(found)
    assert len(grouped) == len({d.recipient.email.lower() for d in grouped})
    assert sum(len(d.reminders) for d in grouped) == len(found)
    for digest in grouped:
        assert {r.recipient.email.lower() for r in digest.reminders} == {
            digest.recipient.email.lower()
        }


def test_done_items_get_no_reminders_and_the_others_still_do(rules: RuleSet) -> None:
    now = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
    done = {"atlas/art-53-1-a-technical-documentation": (DoneMark(date(2027, 6, 1)),)}
    found = due_reminders(full_timeline(rules, REGISTER, now, done=done), REGISTER, POLICY, now)
    ids = {r.item.id for r in found}
    assert "atlas/art-53-1-a-technical-documentation" not in ids
    assert "atlas/art-53-1-b-downstream-information" in ids


def test_a_done_item_is_not_reminded_even_while_it_would_be_overdue(rules: RuleSet) -> None:
    now = datetime(2027, 9, 20, 9, 0, tzinfo=BRUSSELS)
    open_items = full_timeline(rules, REGISTER, now)
    atlas = [r for r in due_reminders(open_items, REGISTER, POLICY, now) if r.model == "atlas"]
    assert {r.step for r in atlas if r.item.kind == "deadline"} == {"overdue-7"}
    done = {r.item.id: (DoneMark(date(2027, 7, 30)),) for r in atlas}
    closed = full_timeline(rules, REGISTER, now, done=done)
    assert not [r for r in due_reminders(closed, REGISTER, POLICY, now) if r.model == "atlas"]


def test_standing_items_without_a_date_get_no_reminders(rules: RuleSet) -> None:
    now = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
    result = full_timeline(rules, REGISTER, now)
    standing = {i.id for i in result.all_items() if i.status == "standing"}
    assert standing  # the support bot's supply-chain evidence has no date
    assert not standing & {r.item.id for r in due_reminders(result, REGISTER, POLICY, now)}


def test_organisation_items_also_go_to_the_compliance_list_and_model_items_do_not(
    rules: RuleSet,
) -> None:
    now = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
    compliance = ["compliance@example.com", "LEGAL@example.com"]  # legal is a contact already
    found = due_reminders(full_timeline(rules, REGISTER, now), REGISTER, POLICY, now, compliance)

    def recipients(reminders: list[Reminder], item_id: str) -> list[str]:
        return sorted(r.recipient.email.lower() for r in reminders if r.item.id == item_id)

    assert recipients(found, "organisation/art-111-3-transition-ends") == [
        "compliance@example.com",
        "legal@example.com",
    ]
    assert recipients(found, "atlas/art-53-1-a-technical-documentation") == [
        "bruno.keller@example.com",
        "legal@example.com",
    ]
    model_recipients = {r.recipient.email for r in found if r.item.model is not None}
    assert "compliance@example.com" not in model_recipients


def test_reminder_keys_name_the_item_the_due_date_the_step_and_the_recipient(
    rules: RuleSet,
) -> None:
    now = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
    found = due_reminders(full_timeline(rules, REGISTER, now), REGISTER, POLICY, now)
    keys = {r.key for r in found}
    assert (
        "atlas/art-53-1-a-technical-documentation|2027-08-02|d-30|bruno.keller@example.com" in keys
    )
    later = now + timedelta(hours=5)
    again = due_reminders(full_timeline(rules, REGISTER, later), REGISTER, POLICY, later)
    assert {r.key for r in again} == keys  # the same instant's plan, the same keys


@given(
    due_offset=st.integers(min_value=-200, max_value=200),
    minutes=st.integers(min_value=0, max_value=24 * 60 - 1),
    kind=st.sampled_from(["deadline", "review", "milestone"]),
    every=st.sampled_from([0, 1, 7, 10]),
)
@example(due_offset=7, minutes=9 * 60, kind="deadline", every=7)  # now is a step's instant
def test_the_next_step_is_the_first_instant_after_now_at_which_a_step_comes(
    due_offset: int, minutes: int, kind: Kind, every: int
) -> None:
    policy = ReminderPolicy(overdue_every_days=every)
    now = datetime.combine(date(2027, 3, 20), time(0, 0), tzinfo=BRUSSELS) + timedelta(
        minutes=minutes
    )
    due = date(2027, 3, 20) + timedelta(days=due_offset)
    days = [due - timedelta(days=d) for d in policy.offsets_days[kind]]
    if kind != "milestone" and every:
        days += [due + timedelta(days=every * w) for w in range(1, 400)]
    later = [local_instant(day, policy.send_at, ZONE) for day in days]
    expected = min((i for i in later if i > now), default=None)

    assert next_step(timeline_of(item(due, kind)), policy, now, ZONE) == expected


def test_at_the_next_step_a_reminder_is_due_that_was_not_due_a_second_before() -> None:
    due = date(2027, 8, 2)
    now = datetime(2027, 7, 20, 15, 0, tzinfo=BRUSSELS)  # after d-14's nine o'clock
    step = next_step(timeline_of(item(due)), POLICY, now, ZONE)

    assert step == at_nine(date(2027, 7, 26))  # d-7
    before = due_reminders(timeline_of(item(due)), REGISTER, POLICY, step - timedelta(seconds=1))
    at = due_reminders(timeline_of(item(due)), REGISTER, POLICY, step)
    assert [r.step for r in before] == ["d-14"]
    assert [r.step for r in at] == ["d-7"]


def test_done_items_and_items_without_a_date_have_no_next_step() -> None:
    done = replace(item(date(2027, 8, 2)), status="done")
    standing = item(None)
    now = at_nine(date(2027, 7, 1))

    assert next_step(timeline_of(done, standing), POLICY, now, ZONE) is None
    assert next_step(timeline_of(done, standing, item(date(2027, 8, 2))), POLICY, now, ZONE) == (
        at_nine(date(2027, 7, 3))  # d-30 of the open one
    )
