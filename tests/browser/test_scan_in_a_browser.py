"""/scan in a real browser (chromium) against a real `notifier run`: signed out, keyboard only,
no JavaScript on the page, axe-core clean, and the starter register as a download."""

from __future__ import annotations

import tomllib

import pytest
from playwright.sync_api import Page, expect

from tests.support.processes import DaemonHarness

from .conftest import run_axe, serious

pytestmark = [pytest.mark.process, pytest.mark.browser]

MAX_STOPS = 120  # Tab presses to reach a field: far more than the form has


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus (as a person would)."""
    for _ in range(MAX_STOPS):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def choose(page: Page, name: str, value: str) -> None:
    """A radio group: Tab into it, then arrow keys until `value` is chosen."""
    tab_to(page, f'input[type="radio"][name="{name}"]')
    for _ in range(6):
        if page.evaluate(
            "s => document.activeElement.matches(s)", f'[name="{name}"][value="{value}"]'
        ):
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{value} not reached in {name}")


def test_the_scan_works_signed_out_from_the_keyboard_and_downloads_a_register(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/scan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your GPAI exposure")
    assert page.evaluate("document.scripts.length") == 0
    assert serious(run_axe(page)) == ""

    tab_to(page, "#org-established_in")
    page.keyboard.type("FR")
    tab_to(page, "#model-id")
    page.keyboard.type("our-model")
    choose(page, "model-trained_by", "us")
    tab_to(page, "#model-training_compute_flop")
    page.keyboard.type("3e24")
    tab_to(page, '[name="model-modalities"][value="text"]')
    page.keyboard.press("Space")
    choose(page, "model-placed_on_union_market", "yes")
    choose(page, "model-open_source", "no")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your GPAI exposure")
    expect(page.get_by_role("heading", level=2)).to_contain_text("provider")
    expect(page.locator("ul.reasons")).to_contain_text("Commission guidelines C(2025) 5045, s.2.1")
    assert serious(run_axe(page)) == ""

    tab_to(page, 'button[value="register.toml"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "register.toml"
    path = download.path()
    register = tomllib.loads(path.read_text(encoding="utf-8"))
    assert register["models"][0] == {
        **register["models"][0],
        "id": "our-model",
        "role": "provider",
        "training_compute_flop": 3e24,
    }


def test_a_wrong_answer_is_announced_and_linked_to_its_field(
    page: Page, daemon: DaemonHarness
) -> None:
    page.goto(daemon.url("/scan"))
    tab_to(page, "#model-id")
    page.keyboard.type("m")
    tab_to(page, "#model-training_compute_flop")
    page.keyboard.type("lots")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("write it like 3e24")
    expect(page.locator("#model-training_compute_flop")).to_have_attribute("aria-invalid", "true")
    assert serious(run_axe(page)) == ""
