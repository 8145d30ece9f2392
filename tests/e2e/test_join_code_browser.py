"""Typing the workshop's join code in Chromium: on the landing page (as a participant would, in full width
with a hyphen, then Enter) and at /join after a wrong code, landing on the workshop's join page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Account, Server
from tests.e2e.test_browser_flow import PHONE
from tests.e2e.test_concurrent_respondents import new_round, signed_in


def test_a_code_typed_on_the_landing_page_leads_to_the_join_page(
    server: Server, browser: Browser, consultant: Account
) -> None:
    _, code = new_round(signed_in(server, consultant), "参加コード入力株式会社")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        field = page.get_by_label("参加コード")
        typed = "".join(chr(ord(ch) + 0xFEE0) for ch in code.upper())  # full width, as a kana keyboard types
        field.fill(f"{typed[:4]}－{typed[4:]}")
        field.press("Enter")
        page.wait_for_url(re.compile(rf"/j/{code}$"))
        expect(page.locator("#department")).to_be_visible()

        page.goto(server.url + "/join")
        page.get_by_label("参加コード").fill("zzzz-9999")
        page.get_by_label("参加コード").press("Enter")
        expect(page.locator("#error-summary")).to_contain_text("参加コード")
        expect(page.get_by_label("参加コード")).to_have_attribute("aria-invalid", "true")
        page.get_by_label("参加コード").fill(f" {code} ")
        page.get_by_role("button", name="参加する").click()
        page.wait_for_url(re.compile(rf"/j/{code}$"))
        expect(page.locator("#department")).to_be_visible()
    finally:
        context.close()
