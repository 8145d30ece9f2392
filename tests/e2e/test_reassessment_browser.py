"""Issue 15's re-assessment, driven as a manager would in Chromium: from the results page, start a re-assessment
(a confirmation page, no script needed), change an answer, and see the change since the baseline on the results."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Server, Snap
from tests.e2e.test_manager_keys import new_assessment

MQL = "checklist__org__mql_definition"


def test_a_re_assessment_from_the_results_page_shows_what_changed(server: Server, browser: Browser, snap: Snap) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "checklist-organization")
    page.locator(f"input[name={MQL}][value=no]").check(force=True)
    page.locator("main form .actions button[value=next]").click()
    page.wait_for_url(re.compile(r"/checklist-tools$"))

    page.goto(base + "results")
    expect(page.locator("#since-last")).to_have_count(0)  # nothing to compare with yet
    page.get_by_role("link", name="再診断を始める").click()
    page.wait_for_url(re.compile(r"/reassess$"))
    snap(page, "reassess-confirm")
    page.get_by_role("button", name="今日の回答を前回として保存し、再診断を始める").click()
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.locator(".notice.ok")).to_contain_text("再診断を始めました")

    page.goto(base + "checklist-organization")
    expect(page.locator(f"input[name={MQL}][value=no]")).to_be_checked()  # the answers stay to change
    page.locator(f"input[name={MQL}][value=yes]").check(force=True)
    page.locator("main form .actions button[value=next]").click()
    page.wait_for_url(re.compile(r"/checklist-tools$"))

    page.goto(base + "results")
    since = page.locator("#since-last")
    expect(since.locator("h2")).to_have_text(re.compile(r"^前回（\d{4}年\d{1,2}月\d{1,2}日）からの変化$"))
    moved = since.locator("ul.changes li")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("改善")  # said in words, beside the mark
    expect(moved).to_contain_text("MQLの定義")
    expect(moved).to_contain_text("いいえ → はい")
    expect(since.locator("table.since-scores tr.total td").last).to_have_text(re.compile(r"^\+[1-9]\d*$"))
    snap(page, "reassess-results")
    page.close()
