"""Issue 15 in a real browser: a Japanese manager types figures as they write them (２，０００万円, 1.5%, 1,200件),
sees 円 beside an amount, is told what to type when a figure is wrong, cannot type a company name longer than the
cover holds, and downloads the answers under the company's name, with whole yen written as integers."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import yaml
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Server, Snap
from tests.e2e.test_browser_flow import next_button

COMPANY = "株式会社サンプル"


def field(path: str) -> str:
    return "#" + path.replace(".", "__") + "-input"


def test_figures_typed_the_japanese_way(server: Server, browser: Browser, snap: Snap) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    page.locator("main form[action$='/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/a/[\w-]{20,64}/profile$"))
    token = page.url.rsplit("/", 2)[-2]

    # The company name: the field says its limit and takes no more than the cover holds.
    name = page.locator(field("client.name"))
    expect(page.locator("#client__name-hint")).to_have_text("60文字以内（提案書の表紙に記載されます）")
    name.click()
    page.keyboard.type(COMPANY + "ホールディングス" * 10)
    expect(name).to_have_value((COMPANY + "ホールディングス" * 10)[:60])
    name.fill("")
    name.click()
    page.keyboard.type(COMPANY)
    page.keyboard.press("Enter")  # Enter submits the page, as "save and continue"

    # The funnel: 円 beside an amount; figures typed with full-width digits, 万, %, 件.
    page.wait_for_url(re.compile(r"/funnel$"))
    expect(page.locator("#survey__funnel__average_deal_size-unit")).to_have_text("円")
    typed = {
        "survey.funnel.average_deal_size": "２，０００万円",
        "survey.funnel.connect_rate": "1.5%",
        "survey.funnel.leads": "1,200件",
        "survey.funnel.lead_response_hours": "48時間",
        "survey.funnel.monthly_revenue_target": "5件",  # the wrong unit for an amount
    }
    for path, value in typed.items():
        page.locator(field(path)).click()
        page.keyboard.type(value)
    snap(page, "issue15-funnel-typed")
    next_button(page).click()  # (Enter here would press "back": the first submit button of the form)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("月間売上目標（円）")
    message = "'5件' は数値ではありません。半角数字で入力してください（例: 2400000 または 240万）"
    expect(page.locator("#survey__funnel__monthly_revenue_target-error")).to_have_text(message)
    expect(page.locator(field("survey.funnel.average_deal_size"))).to_have_value("２，０００万円")  # accepted, kept
    expect(page.locator("#survey__funnel__average_deal_size-error")).to_have_count(0)
    snap(page, "issue15-funnel-error")
    target = page.locator(field("survey.funnel.monthly_revenue_target"))
    target.fill("")
    target.click()
    page.keyboard.type("３０００万")
    next_button(page).click()
    expect(page.locator("#error-summary")).to_have_count(0)

    # The answers to keep: named after the company and the day, whole yen as integers.
    page.goto(f"{server.url}/a/{token}/results")
    with page.expect_download() as download_info:
        page.locator("main a[href$='/assessment.yaml']").click()
    download = download_info.value
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    assert download.suggested_filename == f"{COMPANY}_回答データ_{today}.yaml"
    written = download.path().read_text(encoding="utf-8")
    funnel = yaml.safe_load(written)["survey"]["funnel"]
    assert funnel == {
        "average_deal_size": 20_000_000, "connect_rate": 1.5, "leads": 1200, "lead_response_hours": 48,
        "monthly_revenue_target": 30_000_000,
    }  # fmt: skip
    assert "average_deal_size: 20000000\n" in written and "connect_rate: 1.5\n" in written
    context.close()
