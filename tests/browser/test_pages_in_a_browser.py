"""The pages in a real browser (chromium), served by a real `notifier run`: sign-in through the
mailed link, recording an overdue item met, refusals, accessibility (axe-core) on each page,
keyboard use, a phone's width, print. Screenshots for docs/ with SCREENSHOTS_DIR."""

from __future__ import annotations

import os
import re
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.processes import DaemonHarness, wait_for

from .conftest import DESKTOP, PHONE, run_axe, serious

pytestmark = [pytest.mark.process, pytest.mark.browser]

OVERDUE = "atlas-13b/art-53-1-a-technical-documentation"
LINK = re.compile(r"(http://\S+/sign-in/link\?token=\S+)")


def outbox_links(daemon: DaemonHarness, email: str) -> list[str]:
    links = []
    for path in sorted((daemon.workdir / "var" / "outbox").glob("*sign-in*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if "sign-in link" in str(message["Subject"]) and email in str(message["To"]):
            body = message.get_body(("plain",))
            assert body is not None
            found = LINK.search(body.get_content())
            assert found is not None
            links.append(found.group(1))
    return links


def sign_in(page: Page, daemon: DaemonHarness, email: str) -> None:
    """As a person does it: ask for a link, open it from the mail, press Sign in."""
    before = len(outbox_links(daemon, email))
    page.goto(daemon.url("/sign-in"))
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    wait_for(lambda: len(outbox_links(daemon, email)) > before, "the sign-in mail")
    page.goto(outbox_links(daemon, email)[-1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")


_SIGNED_IN: dict[str, list[Any]] = {}


def signed_in(page: Page, daemon: DaemonHarness, email: str) -> None:
    """Signed in as `email`: through the mail the first time, then with that session's cookies
    (the sign-in itself has its own test; this keeps the suite quick)."""
    if email not in _SIGNED_IN:
        sign_in(page, daemon, email)
        _SIGNED_IN[email] = page.context.cookies()
        return
    page.context.add_cookies(_SIGNED_IN[email])
    page.goto(daemon.url("/"))


def test_a_person_signs_in_through_the_link_in_the_outbox(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/"))
    expect(page).to_have_url(daemon.url("/sign-in"))
    sign_in(page, daemon, "legal@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Example AI SAS")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_marking_an_overdue_item_met_takes_it_off_the_overdue_list_and_into_the_audit(
    page: Page, daemon: DaemonHarness
) -> None:
    signed_in(page, daemon, "legal@example.com")
    assert OVERDUE in page.locator("section", has=page.locator("#overdue-title")).inner_html()
    page.locator(f'a[href="/items/{OVERDUE}"]').first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Technical documentation (Annex XI)")
    page.get_by_label("Met on").fill("2026-11-20")
    page.get_by_label("Note").fill("Annex XI file v3 approved by the board")
    page.get_by_label("Evidence (web address)").fill("https://dms.example.com/doc/42")
    page.get_by_role("button", name="Record as met").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: met on 2026-11-20")
    page.goto(daemon.url("/"))
    overdue = page.locator("section", has=page.locator("#overdue-title")).inner_html()
    assert OVERDUE not in overdue
    page.get_by_role("link", name="Audit log").click()
    row = page.locator("table.audit tbody tr").first
    expect(row).to_contain_text("web:legal")
    expect(row).to_contain_text("Annex XI file v3 approved by the board")
    expect(row).to_contain_text(OVERDUE)


def test_a_bad_date_shows_the_message_beside_the_field_and_records_nothing(
    page: Page, daemon: DaemonHarness
) -> None:
    signed_in(page, daemon, "legal@example.com")
    item = "atlas-13b/art-53-1-b-downstream-information"
    page.goto(daemon.url(f"/items/{item}"))
    page.get_by_label("Met on").fill("2099-01-01")
    page.get_by_role("button", name="Record as met").click()
    message = page.locator("#on-error")
    expect(message).to_contain_text("2099-01-01 is later than today")
    expect(message).to_contain_text("record what has been met, when it was met")
    expect(page.get_by_label("Met on")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was recorded")
    page.goto(daemon.url("/audit?kind=done"))
    expect(page.locator("table.audit")).not_to_contain_text(item)


def test_a_post_without_the_csrf_token_is_refused(page: Page, daemon: DaemonHarness) -> None:
    signed_in(page, daemon, "legal@example.com")
    item = "atlas-13b/art-53-1-c-copyright-policy"
    page.goto(daemon.url(f"/items/{item}"))
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Record as met").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This form could not be accepted")
    page.goto(daemon.url("/audit?kind=done"))
    expect(page.locator("table.audit")).not_to_contain_text(item)


def test_a_person_acting_on_another_owners_model_is_refused(
    page: Page, daemon: DaemonHarness
) -> None:
    # Dara owns nimbus-3, contracts-tune and support-bot; atlas-13b is not hers.
    signed_in(page, daemon, "dara.okafor@example.com")
    page.goto(daemon.url(f"/items/{OVERDUE}"))
    expect(page.get_by_text("Only the owners of this item")).to_be_visible()
    expect(page.get_by_role("button", name="Record as met")).to_have_count(0)
    # A hand-made form, with Dara's own valid token: the server still refuses.
    page.evaluate(
        """(target) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            const form = document.createElement('form');
            form.method = 'post'; form.action = target;
            for (const [name, value] of [['csrf_token', token], ['action', 'done'],
                                         ['on', '2026-11-20']]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        f"/items/{OVERDUE}",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to record")
    page.goto(daemon.url("/audit?kind=done"))
    expect(page.locator("table.audit")).not_to_contain_text("web:product")


PAGES = [
    "/",
    "/models/atlas-7b",
    "/models/titan-1",
    f"/items/{OVERDUE}",
    "/audit",
    "/advice",
    "/feeds",
    "/models/titan-1/record/incident",
    "/organisation/record/commission-request",
]


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/sign-in"))
    report = {"/sign-in": run_axe(page)}
    signed_in(page, daemon, "chiara.rossi@example.com")
    for path in PAGES:
        page.goto(daemon.url(path))
        report[path] = run_axe(page)
    page.goto(daemon.url("/audit?since=2026-13-01"))  # a refusal beside a field
    report["/audit (bad date)"] = run_axe(page)
    bad = {path: serious(found) for path, found in report.items() if serious(found)}
    assert not bad, bad
    print({path: sorted({v["id"] for v in found}) for path, found in report.items()})


def test_the_pages_work_from_the_keyboard(page: Page, daemon: DaemonHarness) -> None:
    signed_in(page, daemon, "legal@example.com")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, the next stop is inside the main content"


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_main_pages_fit_the_screen_and_are_captured(
    browser: Browser, daemon: DaemonHarness, tmp_path: Path, name: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        is_mobile=name == "phone",
        device_scale_factor=1,
    )
    try:
        page = context.new_page()
        signed_in(page, daemon, "legal@example.com")
        folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        shots = {
            "overview": "/",
            "model": "/models/titan-1",
            "item": f"/items/{OVERDUE}",
            "advice": "/advice",
        }
        for shot, path in shots.items():
            page.goto(daemon.url(path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']}px"
            page.screenshot(path=str(folder / f"{shot}-{name}.png"))
        page.goto(daemon.url("/sign-in?signed-out"))
    finally:
        context.close()


def test_a_model_page_prints_as_an_audit_sheet(page: Page, daemon: DaemonHarness) -> None:
    signed_in(page, daemon, "legal@example.com")
    page.goto(daemon.url("/models/atlas-7b"))
    page.emulate_media(media="print")
    expect(page.locator(".printed")).to_be_visible()
    expect(page.locator(".printed")).to_contain_text("Printed ")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("#record-title")).to_be_hidden()
    expect(page.locator("table.items thead")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    if os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        page.set_viewport_size({"width": 800, "height": 1100})
        page.screenshot(path=str(folder / "model-print.png"), full_page=True)
