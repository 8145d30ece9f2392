"""The questionnaire as a manager meets it in Chromium: a count of the statements answered and the time left,
updated as answers are chosen; comment boxes folded until wanted, opened with the keyboard, kept once written."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Server
from tests.e2e.test_manager_keys import imported_sample, new_assessment


def test_the_count_follows_the_answers_and_the_time_left(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "checklist-organization")
    count = page.locator(".answer-count")
    expect(count).to_have_text("0/20問 回答済み・残り約7分")  # twenty statements at about twenty seconds each
    page.locator("input[name=checklist__org__exec_sponsorship][value=yes]").check()
    page.locator("input[name=checklist__org__marketing_owner][value=unknown]").check()  # わからない is an answer
    expect(count).to_have_text("2/20問 回答済み・残り約6分")
    page.locator("main form button[value=next]").click()
    page.wait_for_url(re.compile(r"/checklist-tools$"))
    expect(page.locator(".answer-count")).to_have_text("2/20問 回答済み・残り約6分")  # counted from what was saved
    page.close()


def test_a_comment_box_opens_on_demand_and_stays_open_once_written(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    base = new_assessment(page, server)
    page.goto(base + "checklist-organization")
    boxes = page.locator("main details.comment")
    expect(boxes).to_have_count(10)
    area = page.locator("textarea[name=comments__org__mql_definition]")
    expect(area).to_be_hidden()  # twenty open boxes doubled the page
    summary = page.locator("details.comment:has(textarea[name=comments__org__mql_definition]) > summary")
    summary.focus()
    page.keyboard.press("Enter")  # opened with the keyboard, and the box takes the focus
    expect(area).to_be_visible()
    expect(area).to_be_focused()
    page.keyboard.type("営業とマーケで定義が一致していない")
    page.locator("main form button[value=next]").click()
    page.wait_for_url(re.compile(r"/checklist-tools$"))
    page.goto(base + "checklist-organization")
    expect(area).to_be_visible()
    expect(area).to_have_value("営業とマーケで定義が一致していない")
    expect(page.locator("textarea[name=comments__org__sql_definition]")).to_be_hidden()
    page.close()


def test_after_an_import_the_earlier_link_can_be_made_to_stop_working(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    old = new_assessment(page, server)  # the link the manager had
    results = imported_sample(page, server)
    page.goto(results.replace("/results", "/review?imported=1"))
    page.get_by_role("textbox", name="以前の専用リンク").fill(old + "results")
    page.get_by_role("button", name="以前のリンクを無効にする").click()
    expect(page.locator("#old-link-error")).to_contain_text("チェックを入れて")  # nothing deleted without the tick
    page.get_by_label("以前のリンクの回答を削除する").check()
    page.get_by_role("button", name="以前のリンクを無効にする").click()
    expect(page.locator(".notice.ok")).to_contain_text("以前のリンクを無効にし")
    assert page.request.get(old + "profile").status == 404
    assert page.request.get(results).status == 200
    page.close()
