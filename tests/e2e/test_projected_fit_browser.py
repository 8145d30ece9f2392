"""The projected pages on a projector (1920×1080 and 1280×720), in Chromium against the real server: one slide is
the screen (the page does not scroll, the controls and the timer are in view), the statement is large, a
department's name never breaks inside ("フィールドセー / ルス"), the position ("1 / 20") stands apart from the
item's own number ("項目1"), and a spread's words never start a line with "·" or a closing bracket."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_concurrent_respondents import answer_everything
from tests.e2e.test_live_screen_browser import live_screen, round_page

# three each from marketing, inside sales, field sales and customer success (the n-th is in role n modulo 6)
PEOPLE = (0, 6, 12, 1, 7, 13, 2, 8, 14, 3, 9, 15)
SCREENS = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})


@pytest.fixture(scope="module")
def answered(server: Server, browser: Browser, consultant: Account) -> tuple[str, dict[str, object]]:
    """A round four departments answered: its address and the consultant's signed-in storage state."""
    desk = round_page(server, browser, consultant)
    screen, code = live_screen(desk)
    screen.close()
    for number in PEOPLE:
        answer_everything(server, code, number)
    state = desk.context.storage_state()
    url = desk.url
    desk.context.close()
    return url, dict(state)


def fits(page: Page) -> None:
    """The page does not scroll; the controls (with the timer) and the slide's top are within the viewport."""
    height = page.evaluate("innerHeight")
    assert page.evaluate("document.scrollingElement.scrollHeight") <= height + 1
    for selector in ("#prev", "#next", "#position", "#timer", "#timer-reset", ".slide:visible .slide-title"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box, height)


def one_line_each(page: Page, selector: str) -> None:
    """Every visible ``selector`` renders on one line (one client rect), and there is at least one."""
    rects = page.evaluate(
        "(s) => Array.from(document.querySelectorAll(s)).filter((e) => e.offsetParent)"
        ".map((e) => [e.textContent, e.getClientRects().length])",
        selector,
    )
    assert rects, selector
    assert [r for r in rects if r[1] != 1] == [], rects


def statement_size(page: Page) -> float:
    """The shown statement's font size in CSS pixels."""
    statement = page.locator(".slide:visible .slide-title .statement")
    return float(statement.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))


@pytest.mark.parametrize("viewport", SCREENS, ids=["1920x1080", "1280x720"])
def test_presentation_mode_is_one_screen_with_large_type(
    browser: Browser, answered: tuple[str, dict[str, object]], viewport: dict[str, int], snap: Snap
) -> None:
    url, state = answered
    context = browser.new_context(viewport=viewport, storage_state=state)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(url + "/present")
        page.locator("#reveal").click()
        expect(page.locator("#slide-1 .dept-dist li")).to_have_count(4)
        expect(page.locator("#position")).to_have_text("1 / 20")
        expect(page.locator("#slide-1 .slide-number")).to_have_text("項目1")
        expect(page.locator("footer.site")).to_have_count(0)
        fits(page)
        assert statement_size(page) >= 36
        one_line_each(page, ".slide:not([hidden]) .dept-label")
        one_line_each(page, ".legend-entry")
        bar = page.locator("#slide-1 .overall .bar").bounding_box()
        assert bar is not None and bar["width"] >= viewport["width"] * 0.5  # wide bars, not a centre column
        snap(page, f"fit-present-{viewport['width']}x{viewport['height']}")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", SCREENS, ids=["1920x1080", "1280x720"])
def test_the_discussion_shows_its_controls_without_scrolling(
    browser: Browser, answered: tuple[str, dict[str, object]], viewport: dict[str, int], snap: Snap
) -> None:
    url, state = answered
    context = browser.new_context(viewport=viewport, storage_state=state)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(url + "/discussion")
        slide = page.locator(".slide:visible")
        expect(slide).to_have_count(1)
        expect(slide.locator(".slide-spread li[data-department]")).to_have_count(4)
        expect(page.locator("#position")).to_have_text("1 / 20")
        number = slide.get_attribute("data-number")
        expect(slide.locator(".slide-number")).to_have_text(f"項目{number}")
        fits(page)
        assert statement_size(page) >= 36
        one_line_each(page, ".slide:not([hidden]) .dept-label")
        one_line_each(page, ".legend-entry")
        for text in slide.locator(".spread-text").all_inner_texts():  # "·" is bound to the count before it
            assert " ·" not in text and "\u00a0·" in text, text
        page.locator("#next").click()
        expect(page.locator("#position")).to_have_text("2 / 20")
        fits(page)
        snap(page, f"fit-discussion-{viewport['width']}x{viewport['height']}")
    finally:
        context.close()
