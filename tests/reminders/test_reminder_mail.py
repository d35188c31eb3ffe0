"""Rendering a digest into email: multipart/alternative (text and HTML) with an .ics part,
deterministic Message-ID, the Date of the dispatch, and nothing from the register in a header
that could add a header of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from jinja2 import UndefinedError

from notifier.core.law import RuleSet
from notifier.core.register import Register
from notifier.core.reminders import Digest, ReminderPolicy, digests, due_reminders
from notifier.core.timeline import TimelineOptions, timeline
from notifier.errors import RegisterError
from notifier.mail.invitation import invitation
from notifier.mail.render import Renderer
from tests.support.registers import SMALL, small_register

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2027, 7, 3, 9, 0, tzinfo=BRUSSELS)
SENDER = "gpai-notifier@example.com"
EVIL = "\r\nBcc: evil@x"


def digest_for(rules: RuleSet, register: Register, email: str, now: datetime = NOW) -> Digest:
    result = timeline(register, rules, now, TimelineOptions())
    found = due_reminders(result, register, ReminderPolicy(), now)
    return next(d for d in digests(found) if d.recipient.email.lower() == email)


def render(
    rules: RuleSet, register: Register, email: str, now: datetime = NOW
) -> tuple[Digest, EmailMessage]:
    """Render, then serialise and parse again: what a mail server would hold."""
    digest = digest_for(rules, register, email, now)
    calendar = invitation([r.item for r in digest.reminders], SENDER, now)
    message = Renderer().digest(digest, register, SENDER, now, calendar)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return digest, parsed


def parts(message: EmailMessage) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            content = part.get_content()
            found[part.get_content_type()] = (
                content.decode() if isinstance(content, bytes) else content
            )
    return found


def test_a_digest_is_text_and_html_alternatives_with_an_ics_part_that_publishes(
    rules: RuleSet,
) -> None:
    digest, message = render(rules, small_register(), "legal@example.com")
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "obligations.ics"

    calendar = Calendar.from_ical(parts(message)["text/calendar"])
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    # 8: the Transparency Measure 1.2 contact item joined the placing duties (REFERENCE L10)
    assert len(events) == len({r.item.id for r in digest.reminders}) == 8
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "ORGANIZER"):
            assert required in event, required
        assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"
        stamp = event.decoded("DTSTAMP")
        assert stamp == NOW
        assert stamp.utcoffset().total_seconds() == 0  # RFC 5545: DTSTAMP is UTC
    assert {e.decoded("DTSTART").isoformat() for e in events} == {"2027-08-02"}


def test_both_alternatives_list_every_reminder_with_its_due_date_and_days_left(
    rules: RuleSet,
) -> None:
    digest, message = render(rules, small_register(), "legal@example.com")
    found = parts(message)
    for content in (found["text/plain"], found["text/html"]):
        assert "Ana Example" in content
        assert "2027-08-02" in content
        assert "30 days left" in content
        assert "90 days" not in content
        for reminder in digest.reminders:
            assert f"notifier done {reminder.item.id}" in content
    assert message["Subject"] == "[GPAI] 8 obligations need attention; first: " + (
        f"{digest.reminders[0].item.title} (30 days left)"
    )


def test_the_message_id_is_the_same_for_the_same_reminders_and_differs_for_others(
    rules: RuleSet,
) -> None:
    register = small_register()
    first = render(rules, register, "legal@example.com")[1]["Message-ID"]
    an_hour_later = NOW.replace(hour=10)
    again = render(rules, register, "legal@example.com", an_hour_later)[1]["Message-ID"]
    other_person = render(rules, register, "bruno.keller@example.com")[1]["Message-ID"]
    assert first == again
    assert first != other_person
    assert first.startswith("<")
    assert first.endswith("@example.com>")


def test_the_date_header_is_the_instant_of_the_dispatch(rules: RuleSet) -> None:
    message = render(rules, small_register(), "legal@example.com")[1]
    assert parsedate_to_datetime(message["Date"]) == NOW
    assert message["Date"].endswith("+0200")


def test_the_day_in_the_text_is_the_organisations_local_day_whatever_zone_now_is_in(
    rules: RuleSet,
) -> None:
    just_after_midnight_in_brussels = datetime(2027, 7, 2, 22, 30, tzinfo=UTC)
    _, message = render(
        rules, small_register(), "legal@example.com", just_after_midnight_in_brussels
    )
    assert "as of 2027-07-03" in parts(message)["text/plain"]


def with_evil_names(register: Register) -> Register:
    """The register refuses line breaks in names; the renderer must not rely on that alone."""
    people = (register.people[0].model_copy(update={"name": f"Ana{EVIL}"}), *register.people[1:])
    models = tuple(
        m.model_copy(update={"name": f"Atlas{EVIL}"}) if m.name == "Atlas" else m
        for m in register.models
    )
    return register.model_copy(update={"people": people, "models": models})


def test_the_register_refuses_line_breaks_in_names(rules: RuleSet) -> None:
    text = SMALL.replace('name = "Atlas"', 'name = "Atlas\\r\\nBcc: evil@x"')
    with pytest.raises(RegisterError, match="must be one line of text"):
        small_register(text)


def test_line_breaks_in_names_from_the_register_cannot_inject_a_header(rules: RuleSet) -> None:
    register = with_evil_names(small_register())

    # One reminder only, so the model name goes into the Subject.
    one_item = datetime(2027, 7, 25, 9, 0, tzinfo=BRUSSELS)
    _, message = render(rules, register, "legal@example.com", one_item)
    _, single = render(rules, register, "legal@example.com")
    for parsed in (message, single):
        assert parsed["Bcc"] is None
        assert all(name.lower() != "bcc" for name in parsed)
        assert "\n" not in parsed["Subject"]
        assert "\r" not in parsed["Subject"]
        assert [a.addr_spec for a in parsed["To"].addresses] == ["legal@example.com"]
    assert parsed["To"].addresses[0].display_name == "Ana Bcc: evil@x"


def test_a_single_reminder_names_its_model_in_the_subject(rules: RuleSet) -> None:
    register = with_evil_names(small_register())
    digest = digest_for(rules, register, "bruno.keller@example.com")
    one = Digest(digest.recipient, digest.reminders[:1])
    message = Renderer().digest(one, register, SENDER, NOW)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"].endswith("(Atlas Bcc: evil@x): 30 days left")
    assert parsed["Bcc"] is None
    assert parsed.get_content_type() == "multipart/alternative"  # no calendar given


def test_markup_from_the_register_is_escaped_in_html_and_kept_in_text(rules: RuleSet) -> None:
    text = SMALL.replace('name = "Atlas"', 'name = "Atlas <script>alert(1)</script>"')
    _, message = render(rules, small_register(text), "legal@example.com")
    found = parts(message)
    assert "<script>" not in found["text/html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in found["text/html"]
    assert "Atlas <script>alert(1)</script>" in found["text/plain"]


def test_a_template_that_uses_an_undefined_value_fails_instead_of_printing_nothing(
    rules: RuleSet, tmp_path: Path
) -> None:
    email = tmp_path / "email"  # an override in templates_dir wins over the packaged default
    email.mkdir()
    (email / "digest.subject.txt").write_text("Reminder", encoding="utf-8")
    (email / "digest.txt").write_text("Hello {{ recipient.nickname }}", encoding="utf-8")
    (email / "digest.html").write_text("<p>{{ no_such_value }}</p>", encoding="utf-8")
    register = small_register()
    digest = digest_for(rules, register, "legal@example.com")
    with pytest.raises(UndefinedError, match="nickname"):
        Renderer(tmp_path).digest(digest, register, SENDER, NOW)


def test_an_override_of_one_template_wins_and_the_others_stay_packaged(
    rules: RuleSet, tmp_path: Path
) -> None:
    email = tmp_path / "email"
    email.mkdir()
    (email / "digest.subject.txt").write_text("Our own subject", encoding="utf-8")
    register = small_register()
    digest = digest_for(rules, register, "legal@example.com")

    message = Renderer(tmp_path).digest(digest, register, SENDER, NOW)

    assert message["Subject"] == "Our own subject"
    body = message.get_body(("plain",))
    assert body is not None
    assert "notifier done" in body.get_content()  # the packaged digest.txt
