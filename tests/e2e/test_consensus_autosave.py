"""The consensus page saves each item as it is set (issue 16, defect 2): in Chromium against the live server.

A final answer set and the page reloaded is still there; a save that fails says so on the item, offers a retry
and makes leaving the page ask first; two tabs setting the same item: the second is shown the conflict, and the
first one's answer is not overwritten until the second keeps theirs knowingly.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import Account, Server
from tests.e2e.test_browser_flow import track_problems
from tests.e2e.test_workshop_browser import MQL_CSS, sign_in

HANDOFF_CSS = "org\\.handoff_rules"


def new_round(page: Page, server: Server) -> str:
    """A client and a round made through the pages; the consensus page's URL."""
    page.locator("#name").fill(f"自動保存商事 {uuid.uuid4().hex[:6]}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    page.locator("#title").fill("第1回")
    page.locator("#held_on").fill("2026-11-20")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    return page.url + "/consensus"


def desk(browser: Browser, server: Server, consultant: Account) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, server, consultant)
    return context, page


def test_an_item_is_saved_as_it_is_set(server: Server, browser: Browser, consultant: Account) -> None:
    context, page = desk(browser, server, consultant)
    problems = track_problems(page)
    url = new_round(page, server)
    page.goto(url)
    item = page.locator(f"#item-{MQL_CSS}")
    item.locator("select").select_option("partial")
    expect(item.locator(".save-state")).to_have_text(re.compile("保存しました"))
    other = page.locator(f"#item-{HANDOFF_CSS}")
    other.locator("textarea").click()
    other.locator("textarea").press_sequentially("合意済み")
    expect(other.locator(".save-state")).to_have_text(re.compile("保存しました"), timeout=10_000)

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.reload()  # nothing unsaved: no question on leaving
    expect(page.locator(f"#final-{MQL_CSS}")).to_have_value("partial")
    expect(page.locator(f"#note-{HANDOFF_CSS}")).to_have_value("合意済み")
    assert dialogs == []

    # the form without the script still saves everything at once, and agrees with what was autosaved
    page.locator(f"#final-{HANDOFF_CSS}").select_option("yes")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/consensus$"))
    expect(page.locator(f"#final-{HANDOFF_CSS}")).to_have_value("yes")
    expect(page.locator(f"#final-{MQL_CSS}")).to_have_value("partial")
    expect(page.locator("#conflicts")).to_have_count(0)
    assert dialogs == [] and problems == []
    context.close()


def test_a_failed_save_says_so_and_leaving_asks_first(server: Server, browser: Browser, consultant: Account) -> None:
    context, page = desk(browser, server, consultant)
    url = new_round(page, server)
    page.goto(url)
    page.route("**/consensus/item", lambda route: route.abort())
    item = page.locator(f"#item-{MQL_CSS}")
    item.locator("textarea").click()  # a real gesture: Chromium asks on leaving only a page the user touched
    item.locator("select").select_option("no")
    state = item.locator(".save-state")
    expect(state).to_contain_text("保存できませんでした")
    expect(state.locator("button.retry")).to_be_visible()
    expect(state.locator("button.retry")).to_have_text("再試行")

    dialogs: list[Dialog] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    with pytest.raises(PlaywrightError):  # the navigation is cancelled: the dialog was answered "stay"
        page.goto(server.url + "/clients")
    assert [d.type for d in dialogs] == ["beforeunload"], [d.type for d in dialogs]
    assert page.url == url  # still here, with the answer

    page.unroute("**/consensus/item")
    state.locator("button.retry").click()
    expect(state).to_have_text(re.compile("保存しました"))
    page.goto(server.url + "/clients")  # everything saved: leaves without asking
    page.wait_for_url(re.compile(r"/clients$"))
    assert len(dialogs) == 1
    page.goto(url)
    expect(page.locator(f"#final-{MQL_CSS}")).to_have_value("no")
    context.close()


def test_two_tabs_on_one_item_see_the_conflict(server: Server, browser: Browser, consultant: Account) -> None:
    first_context, first = desk(browser, server, consultant)
    url = new_round(first, server)
    second_context, second = desk(browser, server, consultant)
    first.goto(url)
    second.goto(url)  # both opened the page before either set the item

    first.locator(f"#final-{MQL_CSS}").select_option("yes")
    expect(first.locator(f"#state-{MQL_CSS}")).to_have_text(re.compile("保存しました"))
    second.locator(f"#final-{MQL_CSS}").select_option("no")
    conflict = second.locator(f"#state-{MQL_CSS}")
    expect(conflict).to_contain_text("はい")  # what is stored now: the first tab's answer
    expect(conflict).to_contain_text("いいえ")  # what this tab chose
    expect(conflict.locator("button.keep-mine")).to_be_visible()

    first.reload()
    expect(first.locator(f"#final-{MQL_CSS}")).to_have_value("yes")  # not overwritten

    conflict.locator("button.keep-mine").click()  # a knowing choice
    expect(conflict).to_have_text(re.compile("保存しました"))
    first.reload()
    expect(first.locator(f"#final-{MQL_CSS}")).to_have_value("no")
    first_context.close()
    second_context.close()


def test_after_a_save_neither_retry_nor_keep_mine_is_shown(
    server: Server, browser: Browser, consultant: Account
) -> None:
    """A successful save shows 保存しました alone: the retry and keep-mine buttons are hidden, not drawn (a rule
    giving buttons a display used to override the hidden attribute)."""
    context, page = desk(browser, server, consultant)
    page.goto(new_round(page, server))
    item = page.locator(f"#item-{MQL_CSS}")
    item.locator("select").select_option("partial")
    expect(item.locator(".save-state")).to_have_text(re.compile("保存しました"))
    expect(item.locator(".save-state .retry")).to_be_hidden()
    expect(item.locator(".save-state .keep-mine")).to_be_hidden()
    assert item.locator(".save-state").inner_text().strip() == "保存しました"
    context.close()
