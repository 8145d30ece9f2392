"""A workshop in a real browser: the consultant and three department heads, each in their own browser context.

The consultant signs in, creates a client and a round and puts the live screen up. Marketing, inside sales
and field sales join through the short link and answer on phone-sized screens; marketing says the MQL
definition exists, field sales says it does not. The live screen counts them without a reload, the
consensus page shows the perception gap, the consultant sets a final answer with a note, writes the
narrative and generates the proposal, whose PDF lists the gap.
"""

from __future__ import annotations

import io
import re
import uuid

import pypdf
from playwright.sync_api import Browser, Page, expect

from assessment import load_content
from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_browser_flow import PHONE, assert_fits_width, track_problems

CONTENT = load_content()
MQL = "org.mql_definition"
MQL_CSS = MQL.replace(".", "\\.")  # the id in a CSS selector
HANDOFF = "org.handoff_rules"
PDF_TIMEOUT_S = 120
# Each department's answers: marketing is sure everything is in place, field sales disagrees on the MQL.
ANSWERS = {
    "marketing": {MQL: "yes", HANDOFF: "yes"},
    "inside_sales": {MQL: "partial", HANDOFF: "partial"},
    "field_sales": {MQL: "no", HANDOFF: "no"},
}


def field(item_id: str) -> str:
    return "checklist__" + item_id.replace(".", "__")


def sign_in(page: Page, server: Server, account: Account) -> None:
    page.goto(server.url + "/login")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients$"))


def respond(page: Page, join_url: str, department: str, snap: Snap | None) -> None:
    """One department head: join with the short link, answer all three pages on a phone."""
    page.goto(join_url)
    page.locator("#department").select_option(department)
    page.locator("#name").fill(f"{department} 部長")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/r/[\w-]{20,64}/checklist-organization$"))
    for index, axis in enumerate(("organization", "tools", "data")):
        assert_fits_width(page, f"the respondent page ({axis})")
        if snap is not None and index == 0:
            snap(page, "w03-respondent-phone")
        for item in CONTENT.checklist.items:
            if item.axis == axis:
                answer = ANSWERS[department].get(item.id, "yes")
                page.locator(f"input[name='{field(item.id)}'][value='{answer}']").check()
        page.locator("main form button[type=submit][value=next]").click()
        page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/done$"))
    expect(page.locator("h1")).to_be_visible()


def test_workshop_from_sign_in_to_proposal(server: Server, browser: Browser, consultant: Account, snap: Snap) -> None:
    client_name = f"ワークショップ商事 {uuid.uuid4().hex[:6]}"
    narrative = f"MQLの定義を部門横断で合意することが最初の一歩です（{uuid.uuid4().hex[:6]}）"
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = desk.new_page()
    problems = track_problems(page)
    sign_in(page, server, consultant)

    page.locator("#name").fill(client_name)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    page.locator("#title").fill("第1回 THE MODEL 準備度ワークショップ")
    page.locator("#held_on").fill("2026-11-20")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    engagement_url = page.url
    snap(page, "w01-engagement")

    # The live screen, as on the projector: QR code, short link, counts at zero.
    screen = desk.new_page()
    screen_problems = track_problems(screen)
    screen.goto(engagement_url + "/live")
    expect(screen.locator(".qr svg")).to_be_visible()
    join_url = screen.locator(".join-url").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/j/[a-z0-9]{8}", join_url), join_url
    expect(screen.locator("#count-started")).to_have_text("0")
    snap(screen, "w02-live-empty")

    # Three department heads, each in a separate browser context (own cookies), on phones.
    for index, department in enumerate(ANSWERS):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone_problems = track_problems(phone)
        respond(phone, join_url, department, snap if index == 0 else None)
        assert phone_problems == []
        context.close()

    # The live screen caught up without a reload.
    expect(screen.locator("#count-started")).to_have_text("3", timeout=15_000)
    expect(screen.locator("#count-finished")).to_have_text("3")
    # one person per department: below the anonymity threshold (3), so the projected screen shows the overall
    # distribution only, no department's answers; it flags the perception gap the consensus page lists below
    expect(screen.locator(f"#dist-{MQL_CSS}")).to_have_class(re.compile(r"\bgap\b"))
    expect(screen.locator(f"#dist-{MQL_CSS} .dept-dist li")).to_have_count(0)
    expect(screen.locator(f"#dist-{MQL_CSS} .dist-n")).to_have_text("3")
    yes_segment = screen.locator(f"#dist-{MQL_CSS} .seg.yes")
    expect(yes_segment).to_have_text("1")
    snap(screen, "w04-live-three")
    assert screen_problems == []

    # Consensus: the gap is listed; the consultant settles the MQL item after the discussion.
    page.goto(engagement_url + "/consensus")
    item = page.locator(f"#item-{MQL_CSS}")
    expect(item).to_have_class(re.compile(r"\bgap\b"))
    mql_text = CONTENT.checklist.item(MQL).text.ja
    expect(page.locator(".notice.warn")).to_contain_text(mql_text)
    expect(item.locator(".by-dept")).to_contain_text("マーケティング")
    expect(item).to_contain_text("いいえ")  # the proposed consensus: the lower median
    item.locator("select").select_option("partial")
    item.locator("textarea").fill("営業部長と合意：定義はあるが運用されていない")
    snap(page, "w05-consensus")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/consensus$"))
    expect(page.locator(f"#final-{MQL_CSS}")).to_have_value("partial")

    # Results show the gap; the proposal is written and generated.
    page.goto(engagement_url + "/results")
    expect(page.locator("main")).to_contain_text(mql_text)
    snap(page, "w06-results")
    page.goto(engagement_url + "/proposal")
    page.locator("#note-executive_summary").fill(narrative)
    page.locator("main form button[type=submit][value=ja]").click()
    page.wait_for_url(re.compile(r"/proposal#proposal-\d+$"))
    link = page.locator("table.proposals tbody tr").first.locator("a").first
    with page.expect_download(timeout=PDF_TIMEOUT_S * 1000) as download_info:
        # the link answers 202 with a page that polls until the PDF is ready, then the file
        link.click()
    pdf_bytes = download_info.value.path().read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages)
    flat = re.sub(r"\s+", "", text)
    assert client_name.replace(" ", "") in flat
    assert re.sub(r"\s+", "", narrative) in flat
    assert re.sub(r"\s+", "", mql_text) in flat  # the perception gap is listed in the proposal
    assert "マーケティング" in flat and "フィールドセールス" in flat

    page.goto(engagement_url + "/proposal")
    expect(page.locator("table.proposals tbody tr")).to_have_count(1)
    expect(page.locator("table.proposals td.mono").first).not_to_be_empty()
    snap(page, "w07-proposal")
    assert [p for p in problems if "/proposals/" not in p] == []
    desk.close()
