"""The results page a manager acts on, in Chromium as a person meets it: the first screen at 1366×900 says what
the score means and what to do first; the glossary explains MQL by hover, by keyboard and by tap on a phone; the
risks after the first three open on demand."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from assessment import load_content
from tests.e2e.conftest import Server
from tests.e2e.test_manager_keys import imported_sample

CONTENT = load_content()
MQL = next(t for t in CONTENT.glossary.terms if t.id == "mql")


def results_page(browser: Browser, server: Server, **context: object) -> Page:
    """A new browser context on the results of the imported sample."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.goto(imported_sample(page, server))
    return page


def test_the_first_screen_shows_the_verdict_and_the_first_action(server: Server, browser: Browser) -> None:
    page = results_page(browser, server, viewport={"width": 1366, "height": 900})
    verdict = page.locator(".verdict-title")
    expect(verdict).to_be_in_viewport()
    expect(page.locator(".aim-phase")).to_be_in_viewport()
    expect(page.locator(".action-card").first).to_be_in_viewport()
    band_titles = [b.title.ja for b in CONTENT.checklist.bands]
    assert any(title in verdict.inner_text() for title in band_titles)
    page.close()


def test_a_term_explains_itself_on_hover_and_by_keyboard(server: Server, browser: Browser) -> None:
    page = results_page(browser, server, viewport={"width": 1366, "height": 900})
    term = page.locator("main .term[role=button]", has_text=re.compile(r"^MQL$")).first
    term.hover()
    tip = page.locator("#term-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(MQL.definition.ja)
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    term.focus()  # keyboard users reach it with Tab and hear the meaning through aria-describedby
    expect(tip).to_be_visible()
    expect(term).to_have_attribute("aria-describedby", "term-meaning-mql")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.close()


def test_a_term_opens_by_tap_on_a_phone(server: Server, browser: Browser) -> None:
    page = results_page(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    term = page.locator("main .term[role=button]", has_text=re.compile(r"^MQL$")).first
    term.scroll_into_view_if_needed()
    term.tap()
    tip = page.locator("#term-tip")
    expect(tip).to_be_visible()
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # never off the screen's edge
    page.locator("h1").tap()
    expect(tip).to_be_hidden()
    page.close()


def test_a_term_inside_a_statement_does_not_answer_it(server: Server, browser: Browser) -> None:
    page = results_page(browser, server, viewport={"width": 1366, "height": 900})
    page.goto(page.url.replace("/results", "/checklist-organization"))
    term = page.locator("main fieldset .term[role=button]", has_text=re.compile(r"^MQL$")).first
    fieldset = page.locator("main fieldset", has=term).first
    before = [r.is_checked() for r in fieldset.locator("input[type=radio]").all()]
    term.click()
    expect(page.locator("#term-tip")).to_be_visible()
    assert [r.is_checked() for r in fieldset.locator("input[type=radio]").all()] == before
    page.close()


def test_risks_after_the_first_three_open_on_demand(server: Server, browser: Browser) -> None:
    page = results_page(browser, server, viewport={"width": 1366, "height": 900})
    expect(page.locator("#risks > details.risk[open]")).to_have_count(3)
    more = page.locator("details.more-risks")
    hidden = more.locator("details.risk").first
    expect(hidden).to_be_hidden()
    more.locator("summary").first.click()
    expect(hidden).to_be_visible()
    page.close()
