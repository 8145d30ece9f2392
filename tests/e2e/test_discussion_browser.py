"""The consensus discussion on the projector, in Chromium against the real server: opened from the consensus page,
one item at a time (the perception gaps first), moved through with the keyboard, with no names and no account
links; a reload keeps the item shown. Presentation mode keeps its item across a reload and a way back too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_concurrent_respondents import answer_everything
from tests.e2e.test_live_screen_browser import live_screen, round_page

# three from marketing and three from inside sales (respondent n is in the survey's n-th role, modulo): both shown
PEOPLE = (0, 6, 12, 1, 7, 13)


@pytest.fixture
def desk(server: Server, browser: Browser, consultant: Account) -> Iterator[Page]:
    """The consultant on a new round; the context is closed after the test."""
    page = round_page(server, browser, consultant)
    yield page
    page.context.close()


def answered_round(server: Server, desk: Page) -> str:
    """Six people answer the desk's round; its address."""
    screen, code = live_screen(desk)
    screen.close()
    for number in PEOPLE:
        answer_everything(server, code, number)
    return desk.url


def test_the_discussion_opens_from_the_consensus_page_and_moves_by_keyboard(
    server: Server,
    desk: Page,
    snap: Snap,
) -> None:
    round_url = answered_round(server, desk)
    desk.goto(round_url + "/consensus")
    spread = desk.locator(".consensus-item .by-dept").first  # each department's spread, in words too
    expect(spread.locator(".spread-text")).to_have_count(2)
    expect(spread.locator(".spread-text").first).to_have_text(re.compile(r"^（.+\d.*）$"))
    snap(desk, "d00-consensus")
    desk.locator("#discussion-link").click()
    desk.wait_for_url(re.compile(r"/discussion#slide-\d+$"))
    screen = desk
    slides = screen.locator(".present .slide")
    expect(slides).to_have_count(20)
    expect(screen.locator(".slide:visible")).to_have_count(1)
    first, second = slides.nth(0), slides.nth(1)
    expect(first).to_be_visible()
    expect(screen.locator("header.site nav")).to_have_count(0)  # no account links or language switch
    expect(screen.locator("header.site .exit")).to_have_attribute("href", re.compile(r"/consensus$"))
    assert "回答者" not in screen.content()  # the respondents' names ("回答者00"...) are never shown
    if screen.locator(".slide.gap").count():  # the perception gaps between the groups come first
        expect(first).to_have_class(re.compile(r"\bgap\b"))
    departments = first.locator(".slide-spread li[data-department]")
    expect(departments).to_have_count(2)
    assert [departments.nth(i).get_attribute("data-department") for i in range(2)] == ["marketing", "inside_sales"]
    expect(first.locator(".slide-decision")).to_contain_text("合意案")
    snap(screen, "d01-discussion")

    second_number = second.get_attribute("data-number")
    screen.locator("body").press("ArrowRight")
    expect(second).to_be_visible()
    expect(first).to_be_hidden()
    expect(screen.locator("#position")).to_contain_text("2")
    expect(screen).to_have_url(re.compile(rf"#slide-{second_number}$"))

    screen.reload()  # the item shown stays
    expect(second).to_be_visible()
    expect(first).to_be_hidden()
    expect(screen.locator("#position")).to_contain_text("2")

    screen.locator("body").press("ArrowLeft")
    expect(first).to_be_visible()
    screen.locator("body").press("Space")
    expect(second).to_be_visible()
    screen.locator("body").press("ArrowLeft")
    screen.locator("body").press("ArrowLeft")  # nothing before the first item
    expect(first).to_be_visible()
    expect(screen.locator("#position")).to_contain_text("1")


def test_presentation_mode_keeps_its_item_across_a_reload_and_a_way_back(server: Server, desk: Page) -> None:
    round_url = answered_round(server, desk)
    screen = desk
    screen.goto(round_url + "/present")
    screen.locator("body").press("ArrowRight")
    screen.locator("body").press("ArrowRight")
    expect(screen.locator("#slide-3")).to_be_visible()
    expect(screen).to_have_url(re.compile(r"/present#slide-3$"))
    screen.reload()
    expect(screen.locator("#slide-3")).to_be_visible()
    expect(screen.locator("#slide-1")).to_be_hidden()
    expect(screen.locator("#position")).to_contain_text("3")

    screen.locator("header.site .exit").click()  # to the live screen, and back
    screen.wait_for_url(re.compile(r"/live$"))
    screen.go_back()
    expect(screen.locator("#slide-3")).to_be_visible()
    expect(screen.locator("#slide-1")).to_be_hidden()
    screen.locator("body").press("ArrowLeft")
    expect(screen.locator("#slide-2")).to_be_visible()
    expect(screen).to_have_url(re.compile(r"/present#slide-2$"))
