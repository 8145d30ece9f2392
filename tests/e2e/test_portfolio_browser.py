"""Issue 16's firm workspace in Chromium: a client's profile, the portfolio's search and filters, a snippet inserted
at the cursor of the narrative the consultant was writing, the results beside the narrative (two columns on a desk,
stacked on a phone) and the proposal's preview, which loads under its own strict CSP without a single violation."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_browser_flow import PHONE, assert_fits_width, track_problems
from tests.e2e.test_workshop_browser import sign_in

DESK = {"width": 1366, "height": 900}


def new_client(page: Page, server: Server, name: str, industry: str, employees: str) -> str:
    """A client made on the clients page with its profile filled in on its own page; the client page's URL."""
    page.goto(server.url + "/clients?lang=ja")
    page.locator("#name").fill(name)
    page.get_by_role("button", name="クライアントを追加").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    url = page.url
    profile = page.locator("#client-profile")
    profile.locator("#industry").fill(industry)
    profile.locator("#employees").fill(employees)
    profile.locator("#next_round_on").fill("2020-04-01")
    profile.get_by_role("button", name="プロフィールを保存").click()
    page.wait_for_url(re.compile(r"/clients/\d+#client-profile$"))
    expect(page.locator("#client-profile dl")).to_contain_text(industry)
    return url


def test_a_snippet_goes_in_at_the_cursor_and_the_portfolio_finds_the_client(
    server: Server, browser: Browser, consultant: Account, snap: Snap
) -> None:
    tag = uuid.uuid4().hex[:6]
    industry = f"精密機器{tag}"
    client_name = f"スニペット精機 {tag}"
    snippet = f"MQLの定義を一枚の紙で合意します（{tag}）。"
    desk = browser.new_context(viewport=DESK)
    page = desk.new_page()
    problems = track_problems(page)
    sign_in(page, server, consultant)

    client_url = new_client(page, server, client_name, industry, "120")
    new_client(page, server, f"別業種商事 {tag}", f"小売{tag}", "12")
    page.goto(client_url)
    page.locator("#title").fill("第1回")
    page.get_by_role("button", name="診断ラウンドを開始").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    engagement_url = page.url

    page.goto(server.url + "/snippets?lang=ja")
    page.locator("#lang").select_option("ja")
    page.locator("#title").fill(f"合意の一文 {tag}")
    page.locator("#body").fill(snippet)
    page.get_by_role("button", name="定型文を追加").click()
    page.wait_for_url(re.compile(r"/snippets\?language=ja#snippet-\d+$"))
    expect(page.locator(".snippet-list")).to_contain_text(snippet)

    page.goto(engagement_url + "/proposal")
    aside = page.locator("aside.proposal-aside")
    expect(aside.locator("#aside-overall")).to_be_visible()
    form_box, aside_box = page.locator("#narrative-form").bounding_box(), aside.bounding_box()
    assert form_box and aside_box and aside_box["x"] > form_box["x"] + form_box["width"] - 1  # side by side
    summary = page.locator("#note-executive_summary")
    summary.fill("前半の文。後半の文。")
    summary.evaluate("area => area.setSelectionRange(5, 5)")  # the cursor after 前半の文。
    english = page.locator("#note-en-executive_summary")
    item = aside.locator("li.snippet").filter(has_text=snippet)
    button = item.get_by_role("button", name=re.compile("^挿入"))
    expect(button).to_be_visible()  # narrative.js shows the buttons
    button.click()
    expect(summary).to_have_value(f"前半の文。{snippet}後半の文。")
    expect(page.locator("#insert-status")).to_contain_text(f"合意の一文 {tag}")
    expect(english).to_have_value("")
    assert summary.evaluate("area => area.selectionStart") == 5 + len(snippet)  # the cursor after the insertion
    snap(page, "w30-snippet-inserted")

    english.fill("Start. End.")
    english.evaluate("area => area.setSelectionRange(7, 7)")
    button.click()  # into the narrative last written in, whatever its language
    expect(english).to_have_value(f"Start. {snippet}End.")
    expect(summary).to_have_value(f"前半の文。{snippet}後半の文。")

    page.get_by_role("button", name="保存してブラウザでプレビュー（日本語）").click()
    page.wait_for_url(re.compile(r"/proposal/preview\?lang=ja$"))
    expect(page.locator("#preview-banner")).to_contain_text("プレビュー")
    assert page.locator("#preview-banner").evaluate("e => getComputedStyle(e).position") == "sticky"  # its style ran
    expect(page.locator("body")).to_contain_text(snippet)
    expect(page.locator("h1.doc-title")).to_be_visible()
    snap(page, "w31-proposal-preview")
    page.locator("#back-to-narrative").click()
    page.wait_for_url(re.compile(r"/proposal$"))
    expect(summary).to_have_value(f"前半の文。{snippet}後半の文。")  # saved before the preview

    phone = browser.new_context(viewport=PHONE, storage_state=desk.storage_state())
    small = phone.new_page()
    small.goto(engagement_url + "/proposal")
    form_box = small.locator("#narrative-form").bounding_box()
    aside_box = small.locator("aside.proposal-aside").bounding_box()
    assert form_box and aside_box and aside_box["y"] >= form_box["y"] + form_box["height"] - 1  # stacked
    assert_fits_width(small, "the proposal page on a phone")
    phone.close()

    page.goto(server.url + "/clients")
    page.get_by_role("link", name=re.compile("ポートフォリオ")).click()
    page.wait_for_url(re.compile(r"/portfolio$"))
    page.locator("#q").fill(industry)
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_url(re.compile(r"/portfolio\?q="))
    rows = page.locator("table.portfolio tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(client_name)
    expect(rows.first).to_contain_text("期限超過")  # said in words, not by colour alone
    expect(rows.first.locator("td.size")).to_contain_text("120名")
    snap(page, "w32-portfolio-search")
    page.locator("#q").fill(f"スニペット精機 {tag}".replace("スニペット精機", "ｽﾆﾍﾟｯﾄ精機"))  # half-width kana
    page.get_by_role("button", name="表示", exact=True).click()
    expect(rows).to_have_count(1)
    page.locator("#q").fill(tag)
    page.locator("#size").select_option("1-29")
    page.get_by_role("button", name="表示", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"別業種商事 {tag}")
    page.locator("#q").fill(f"存在しない{tag}")
    page.get_by_role("button", name="表示", exact=True).click()
    expect(page.locator("#no-match")).to_be_visible()
    assert problems == [], problems
    desk.close()


def test_the_workspace_pages_pass_axe_on_a_desk_and_a_phone(
    server: Server, browser: Browser, consultant: Account
) -> None:
    tag = uuid.uuid4().hex[:6]
    desk = browser.new_context(viewport=DESK, **CONTEXT_OPTIONS)
    page = desk.new_page()
    sign_in(page, server, consultant)
    client_url = new_client(page, server, f"検査精機 {tag}", f"検査{tag}", "45")
    page.goto(client_url)
    page.locator("#title").fill("第1回")
    page.get_by_role("button", name="診断ラウンドを開始").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    proposal_url = page.url + "/proposal"
    page.goto(server.url + "/snippets")
    page.locator("#title").fill(f"検査の定型文 {tag}")
    page.locator("#body").fill("検査のための本文。")
    page.get_by_role("button", name="定型文を追加").click()
    page.wait_for_url(re.compile(r"/snippets\?language=ja#snippet-\d+$"))
    pages = {
        "portfolio": f"{server.url}/portfolio?q={tag}",
        "snippet library": f"{server.url}/snippets",
        "client page with its profile": client_url,
        "proposal page with results and snippets": proposal_url,
    }
    for viewport, options in (("desktop", {"viewport": DESK}), ("phone", {"viewport": PHONE, "is_mobile": True})):
        context = browser.new_context(**options, **CONTEXT_OPTIONS, storage_state=desk.storage_state())
        view = context.new_page()
        for name, url in pages.items():
            view.goto(url)
            assert_accessible(view, f"{name} ({viewport})")
        context.close()
    desk.close()
