"""Issue 15's input defects, driven as a manager would in Chromium: Enter in a field saves and goes forward
(it went back), and switching language keeps what was typed but not yet saved (it was thrown away)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server


def new_assessment(page: Page, server: Server) -> str:
    """Start a self-assessment from the landing page; the private link's base (``.../a/<token>/``)."""
    page.goto(server.url + "/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/a/[^/]+/profile$"))
    return page.url.rsplit("/", 1)[0] + "/"


def test_enter_in_a_funnel_figure_saves_and_goes_forward(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "funnel")
    page.locator("input[name=survey__funnel__leads]").fill("800")
    page.locator("input[name=survey__funnel__leads]").press("Enter")
    page.wait_for_url(re.compile(r"/checklist-organization$"))  # forward, not back to the profile
    page.goto(base + "funnel")
    expect(page.locator("input[name=survey__funnel__leads]")).to_have_value("800")
    page.close()


def test_enter_on_a_checklist_answer_saves_and_goes_forward(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "checklist-organization")
    radio = page.locator("input[name=checklist__org__exec_sponsorship][value=yes]")
    radio.focus()
    page.keyboard.press("Space")  # choose with the keyboard
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checklist-tools$"))
    page.goto(base + "checklist-organization")
    expect(radio).to_be_checked()
    page.close()


def test_the_primary_button_comes_before_back_for_keyboard_and_screen_readers(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "funnel")
    buttons = page.locator("main form .actions button[type=submit]")
    expect(buttons).to_have_count(2)
    expect(buttons.nth(0)).to_have_attribute("value", "next")
    expect(buttons.nth(1)).to_have_attribute("value", "back")
    page.close()


def test_switching_language_keeps_what_was_typed(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "checklist-organization")
    page.locator("input[name=checklist__org__exec_sponsorship][value=partial]").check(force=True)
    page.locator("textarea[name=comments__org__exec_sponsorship]").fill("役員会で月1回確認している")
    page.locator(".lang a[lang=en]").click()
    page.wait_for_url(re.compile(r"/checklist-organization\?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("input[name=checklist__org__exec_sponsorship][value=partial]")).to_be_checked()
    expect(page.locator("textarea[name=comments__org__exec_sponsorship]")).to_have_value("役員会で月1回確認している")
    page.close()


def test_switching_language_keeps_a_figure_the_form_rejects_as_a_draft(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "funnel")
    page.locator("input[name=survey__funnel__mqls]").fill("百二十")  # not a number: kept with its error
    page.locator(".lang a[lang=en]").click()
    page.wait_for_url(re.compile(r"/funnel\?lang=en$"))
    expect(page.locator("input[name=survey__funnel__mqls]")).to_have_value("百二十")
    expect(page.locator("#error-summary")).to_be_visible()
    page.close()
