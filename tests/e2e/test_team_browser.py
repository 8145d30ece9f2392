"""A manager's team in a real browser, without a consultant: the manager starts a diagnosis, answers the first
checklist page, opens "your team's views" from the review page and creates a link for field sales. The colleague
opens it in a second browser context (a phone, own cookies) and answers; they see the company name and the
statements only. The manager sees field sales' view in the results, sets a final answer for the MQL statement
(overriding the proposed consensus) after checking what changes, and the results show it."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from assessment import load_content
from tests.e2e.conftest import Server, Snap
from tests.e2e.test_browser_flow import PHONE, assert_fits_width, track_problems

CONTENT = load_content()
MQL = "org.mql_definition"
MQL_CSS = MQL.replace(".", "\\.")


def field(item_id: str) -> str:
    return "checklist__" + item_id.replace(".", "__")


def answer_axis(page: Page, axis: str, answers: dict[str, str]) -> None:
    for item in CONTENT.checklist.items:
        if item.axis == axis:
            page.locator(f"input[name='{field(item.id)}'][value='{answers.get(item.id, 'yes')}']").check()
    page.locator("main form button[type=submit][value=next]").click()
    page.wait_for_load_state()


def test_a_manager_asks_a_colleague_and_sets_the_final_answer(server: Server, browser: Browser, snap: Snap) -> None:
    company = f"チーム商事 {uuid.uuid4().hex[:6]}"
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    problems = track_problems(page)

    page.goto(server.url + "/")
    page.locator("main form[action$='/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/a/[\w-]{20,64}/profile$"))
    manager_url = page.url.rsplit("/", 1)[0]
    page.locator("#client__name-input").fill(company)
    page.locator("main form button[type=submit][value=next]").click()
    page.wait_for_url(re.compile(r"/funnel$"))
    page.goto(manager_url + "/checklist-organization")
    answer_axis(page, "organization", {MQL: "yes"})  # the manager: the MQL definition is in place

    # From the review page to the team page; a link for field sales.
    page.goto(manager_url + "/review")
    page.locator("#team-link").click()
    page.wait_for_url(re.compile(r"/team$"))
    expect(page.locator("h1")).to_have_text("チームの回答")
    page.locator("#department").select_option("field_sales")
    page.locator("#name").fill("佐藤 営業部長")
    page.locator("main form[action$='/team/links'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/team#link-\d+$"))
    row = page.locator("table.respondents tbody tr").first
    expect(row).to_contain_text("フィールドセールス")
    expect(row).to_contain_text("未回答")
    link = row.locator("input[readonly]").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/r/[\w-]{{20,64}}", link), link
    assert manager_url.rsplit("/", 1)[1] not in link
    snap(page, "t01-team-links")

    # The colleague, in a browser of their own, answers all three pages: the MQL definition is not in place.
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone_problems = track_problems(phone)
    phone.goto(link)
    phone.wait_for_url(re.compile(r"/r/[\w-]{20,64}/checklist-organization$"))
    expect(phone.locator(".kicker")).to_contain_text(company)
    expect(phone.locator(".kicker")).to_contain_text("フィールドセールス")
    assert "/a/" not in phone.content()
    assert_fits_width(phone, "a colleague's page")
    for axis in ("organization", "tools", "data"):
        answer_axis(phone, axis, {MQL: "no"})
    phone.wait_for_url(re.compile(r"/done$"))
    expect(phone.locator("main")).to_contain_text(company)
    snap(phone, "t02-colleague-done")
    assert phone_problems == []
    phone_context.close()

    # The manager sees field sales' view in the results.
    page.goto(manager_url + "/team")
    expect(page.locator("table.respondents tbody tr").first).to_contain_text("20問中20問")
    page.goto(manager_url + "/results")
    section = page.locator("#team-views")
    expect(section).to_be_visible()
    section.locator("details summary").click()
    mql_row = section.locator(f"#team-item-{MQL_CSS}")
    expect(mql_row).to_contain_text("フィールドセールス: いいえ")
    expect(mql_row.locator("td").last).to_have_text("はい")  # the manager's own answer, still
    snap(page, "t03-results-team")

    # Final answers: the proposed consensus ("no") is chosen to start with; the manager settles on "partial".
    section.locator(".actions a.primary").click()
    page.wait_for_url(re.compile(r"/team/final$"))
    select = page.locator(f"#final-{MQL_CSS}")
    expect(select).to_have_value("no")
    select.select_option("partial")
    page.locator("main form button[type=submit][value=preview]").click()
    change = page.locator(f"#change-{MQL_CSS}")
    expect(change).to_contain_text("はい")  # before
    expect(change.locator("strong")).to_have_text("一部")  # after
    snap(page, "t04-final-preview")
    page.locator("main form button[type=submit][value=save]").click()
    page.wait_for_url(re.compile(r"/results#team-views$"))
    expect(page.locator(".notice.ok")).to_contain_text("回答を変更しました")
    page.locator("#team-views details summary").click()
    expect(page.locator(f"#team-item-{MQL_CSS} td").last).to_have_text("一部")
    assert problems == [], problems
    desk.close()
