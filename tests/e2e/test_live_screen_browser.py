"""The live workshop screen in Chromium, polling the real server (gunicorn): the departments stay in THE MODEL's
order after a poll (the JSON provider used to sort them by kana), and when polling fails the screen says it is
offline, with the time of its last update, until the server answers again."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Account, Server
from tests.e2e.http import Browserless
from tests.e2e.test_concurrent_respondents import answer_everything
from tests.e2e.test_workshop_browser import sign_in


def round_page(server: Server, browser: Browser, consultant: Account, **options: Any) -> Page:
    """A signed-in consultant's page (in a new context made with ``options``) on a new round of a new client."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, **options)
    page = context.new_page()
    sign_in(page, server, consultant)
    page.locator("#name").fill(f"ライブ画面株式会社 {uuid.uuid4().hex[:6]}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    page.locator("#title").fill("ライブ画面の確認")
    page.locator("#held_on").fill("2026-11-20")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    return page


@pytest.fixture
def desk(server: Server, browser: Browser, consultant: Account) -> Iterator[Page]:
    """The consultant on a new round; the context is closed after the test."""
    page = round_page(server, browser, consultant)
    yield page
    page.context.close()


def join(server: Server, code: str, department: str) -> None:
    """Someone joins through the short link with their department (no answers yet)."""
    visitor = Browserless(server.url)
    form = visitor.get(f"/j/{code}")
    reply = visitor.post(f"/j/{code}", {"csrf_token": form.csrf(), "department": department, "name": ""})
    assert reply.status == 200 and "/r/" in reply.url, (reply.status, reply.url)


def live_screen(desk: Page) -> tuple[Page, str]:
    """The round's live screen in a second tab, and the round's join code."""
    screen = desk.context.new_page()
    screen.goto(desk.url + "/live")
    code = screen.locator(".join-code strong").inner_text().strip()
    return screen, code


def polled(screen: Page) -> None:
    """Wait for the screen's next successful poll."""
    before = screen.locator("#live").get_attribute("data-updated") or ""
    expect(screen.locator("#live")).not_to_have_attribute("data-updated", before, timeout=15_000)


def test_departments_keep_the_model_order_after_a_poll(server: Server, desk: Page) -> None:
    screen, code = live_screen(desk)
    for department in ("customer_success", "field_sales", "marketing", "inside_sales"):  # THE MODEL reversed
        join(server, code, department)
    items = screen.locator("#by-department li")
    expect(items).to_have_count(4, timeout=15_000)
    polled(screen)
    expect(items).to_have_text(
        ["マーケティング: 1", "インサイドセールス: 1", "フィールドセールス: 1", "カスタマーサクセス: 1"]
    )
    departments = [items.nth(i).get_attribute("data-department") for i in range(4)]
    assert departments == ["marketing", "inside_sales", "field_sales", "customer_success"]


def test_a_failing_poll_shows_offline_with_the_last_update_and_clears_when_the_server_is_back(
    server: Server, desk: Page
) -> None:
    screen, code = live_screen(desk)
    status = screen.locator("#live-status")
    expect(status).to_have_attribute("role", "status")
    polled(screen)
    expect(status).to_be_empty()

    screen.route("**/live.json", lambda route: route.abort("internetdisconnected"))
    expect(status).to_have_text(re.compile(r"^オフライン — 最終更新 \d{2}:\d{2}:\d{2}"), timeout=15_000)
    expect(status).to_be_visible()
    join(server, code, "marketing")  # meanwhile someone joins: the screen cannot know yet
    expect(screen.locator("#count-invited")).to_have_text("0")

    screen.unroute("**/live.json")
    expect(status).to_be_empty(timeout=30_000)  # the next retry (after a back-off) reaches the server
    expect(screen.locator("#count-invited")).to_have_text("1")
    expect(screen.locator("#live")).not_to_have_class(re.compile(r"\boffline\b"))


def test_presentation_mode_shows_one_item_reveals_the_departments_moves_by_keyboard_and_times(
    server: Server, desk: Page
) -> None:
    screen, code = live_screen(desk)
    for number in (0, 6, 12, 1, 7, 13):  # three from marketing, three from inside sales: both shown apart
        answer_everything(server, code, number)
    screen.goto(desk.url + "/present")
    expect(screen.locator(".slide:visible")).to_have_count(1)
    first = screen.locator("#slide-1")
    expect(first).to_be_visible()
    expect(first.locator(".slide-number")).to_have_text("項目1")
    expect(first.locator(".reveal")).to_be_hidden()
    expect(screen.locator("header.site nav")).to_have_count(0)  # no account links or language switch

    screen.locator("#reveal").click()
    departments = first.locator(".dept-dist li")
    expect(departments).to_have_count(2)
    assert [departments.nth(i).get_attribute("data-department") for i in range(2)] == ["marketing", "inside_sales"]
    expect(screen.locator("#reveal")).to_have_attribute("aria-pressed", "true")

    screen.locator("body").press("ArrowRight")
    expect(screen.locator("#slide-2")).to_be_visible()
    expect(first).to_be_hidden()
    expect(screen.locator("#slide-2 .reveal")).to_be_hidden()  # the next item starts with the departments hidden
    expect(screen.locator("#position")).to_contain_text("2")
    screen.locator("body").press("ArrowLeft")
    expect(first).to_be_visible()

    timer = screen.locator("#timer")
    expect(timer).to_have_text("03:00")
    screen.locator("#timer-toggle").click()
    expect(timer).to_have_text(re.compile(r"^02:5\d$"), timeout=5_000)
    screen.locator("#timer-toggle").click()  # pause
    paused = timer.inner_text()
    screen.wait_for_timeout(1_500)
    expect(timer).to_have_text(paused)
    screen.locator("#timer-reset").click()
    expect(timer).to_have_text("03:00")
