"""Closing a round in a real browser: the consultant confirms the close on the round's page (the badge turns
from Open to Closed, in colours that can be read), and a participant's phone, mid-answer, is shown the
closed page when it sends its page; reopened, the same phone saves again and the history shows both."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Dialog, Page, expect

from assessment import load_content
from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_browser_flow import PHONE, assert_fits_width, track_problems
from tests.e2e.test_workshop_browser import field, sign_in

CONTENT = load_content()


def readable(page: Page, selector: str) -> None:
    """The badge's words and background differ (the bug this guards against: white words on white)."""
    colours = page.locator(selector).evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }"
    )
    assert colours[0] != colours[1] and colours[1] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), colours


def test_closing_shows_the_phone_the_closed_page(
    server: Server, browser: Browser, consultant: Account, snap: Snap
) -> None:
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    problems = track_problems(page)
    sign_in(page, server, consultant)
    page.locator("#name").fill(f"締切商事 {uuid.uuid4().hex[:6]}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    page.locator("#title").fill("第1回")
    page.locator("#held_on").fill("2026-11-30")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    expect(page.locator("#round-badge")).to_have_text("受付中")
    readable(page, "#round-badge")
    join_url = page.locator("#join-link").input_value()

    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(join_url)
    phone.locator("#department").select_option("marketing")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/r/[\w-]{20,64}/checklist-organization$"))
    for item in CONTENT.checklist.items:
        if item.axis == "organization":
            phone.locator(f"input[name='{field(item.id)}'][value='yes']").check()

    # The consultant closes the round (after confirming) while the phone has its page open.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#round-state button[type=submit]").click()
    expect(page.locator("#round-badge")).to_have_text("締切済み")
    readable(page, "#round-badge")
    expect(page.locator(".round-history")).to_contain_text("が締め切り")
    snap(page, "l01-round-closed")

    phone.locator("main form button[type=submit][value=next]").click()
    expect(phone.locator("h1")).to_have_text("このラウンドは締め切られました")
    assert_fits_width(phone, "the closed-round page")
    snap(phone, "l02-phone-closed")

    # Dismissing the confirmation reopens nothing; accepting it does, and the phone saves again.
    declined: list[Dialog] = []
    page.once("dialog", lambda dialog: (declined.append(dialog), dialog.dismiss()))
    page.locator("#round-state button[type=submit]").click()
    assert declined and "再開" in declined[0].message
    expect(page.locator("#round-badge")).to_have_text("締切済み")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#round-state button[type=submit]").click()
    expect(page.locator("#round-badge")).to_have_text("受付中")
    expect(page.locator(".round-history li")).to_have_count(2)
    phone.go_back()
    phone.wait_for_url(re.compile(r"/checklist-organization$"))
    phone.reload()
    for item in CONTENT.checklist.items:
        if item.axis == "organization":
            phone.locator(f"input[name='{field(item.id)}'][value='yes']").check()
    phone.locator("main form button[type=submit][value=next]").click()
    phone.wait_for_url(re.compile(r"/checklist-tools$"))
    assert problems == []
    phone_context.close()
    desk.close()
