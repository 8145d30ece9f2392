"""Issue 16, a firm workspace, in Chromium against the served app: the firm's admin sets the firm's look (its colour
reaches the header through /brand/style.css under the strict CSP, its logo is drawn), shares a client with a
colleague as reviewer, and the reviewer reads the round's pages with nothing to change: the consensus page's
fields are disabled and its save button gone. The firm pages and the reviewer's pages pass axe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_browser_flow import track_problems
from tests.e2e.test_workshop_browser import sign_in

ADMIN = Account("firm-admin@example.com", "firm-admin-password-1")
REVIEWER = Account("firm-reviewer@example.com", "firm-reviewer-password-1")
FIRM = "ブラウザ・パートナーズ"
ACCENT = "#0a5d4a"


@pytest.fixture(scope="module")
def accounts(server: Server) -> None:
    for account, extra in ((ADMIN, ["--admin"]), (REVIEWER, [])):
        made = server.flask("create-consultant", account.email, "--name", account.email.split("@")[0],
                            "--firm", "Browser Firm", "--password", account.password, *extra)  # fmt: skip
        assert made.returncode == 0, made.stderr


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext], **options: object) -> Page:
    contexts.append(browser.new_context(**options))  # type: ignore[arg-type]
    return contexts[-1].new_page()


def test_the_firms_look_and_a_reviewers_read_only_round(
    server: Server, browser: Browser, accounts: None, contexts: list[BrowserContext], tmp_path: Path, snap: Snap
) -> None:
    admin = new_page(browser, contexts, **CONTEXT_OPTIONS)
    problems = track_problems(admin)
    sign_in(admin, server, ADMIN)
    admin.goto(server.url + "/firm/look")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 60), "#c0392b").save(logo)
    admin.locator("#name").fill(FIRM)
    admin.locator("#accent_color").fill(ACCENT)
    admin.locator("#logo").set_input_files(str(logo))
    admin.locator("main form button[type=submit].primary").click()
    admin.wait_for_url(re.compile(r"/firm/look$"))
    header = admin.locator("header.site")
    expect(header.locator("#firm-brand")).to_have_text(FIRM)
    assert header.evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(10, 93, 74)"
    assert admin.locator("img.firm-logo").evaluate("i => i.complete && i.naturalWidth") == 240
    assert_accessible(admin, "the firm's look page")
    for path in ("/firm/accounts", "/firm/transfer"):
        admin.goto(server.url + path)
        assert_accessible(admin, path)
    snap(admin, "f01-firm-accounts")

    admin.goto(server.url + "/clients")
    admin.locator("#name").fill("閲覧テスト株式会社")
    admin.locator("main form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/clients/\d+$"))
    client_url = admin.url
    admin.locator("#colleague").select_option(label=f"firm-reviewer <{REVIEWER.email}>")
    admin.locator("#share-form #role").select_option("reviewer")
    admin.locator("#share-form button[type=submit]").click()
    expect(admin.locator("table.shares")).to_contain_text("firm-reviewer")
    admin.goto(client_url)
    admin.locator("#title").fill("第1回")
    admin.locator("main form.narrow button[type=submit].primary").click()
    admin.wait_for_url(re.compile(r"/engagements/\d+$"))
    round_url = admin.url
    assert problems == [], problems

    reviewer = new_page(browser, contexts, **CONTEXT_OPTIONS)
    reviewer_problems = track_problems(reviewer)
    sign_in(reviewer, server, REVIEWER)
    expect(reviewer.locator("header.site #firm-brand")).to_have_text(FIRM)  # a consultant of the firm sees it
    reviewer.goto(client_url)
    expect(reviewer.locator("#read-only")).to_contain_text("閲覧のみ")
    assert reviewer.locator("main form").count() == 0
    assert_accessible(reviewer, "the reviewer's client page")
    reviewer.goto(round_url + "/consensus")
    expect(reviewer.locator("#read-only")).to_contain_text("閲覧のみ")
    finals = reviewer.locator("main select[name^=final-]")
    assert finals.count() > 0
    assert all(finals.nth(i).is_disabled() for i in range(finals.count()))  # readable, not changeable
    assert reviewer.locator("main form button[type=submit]").evaluate_all(
        "buttons => buttons.every(b => getComputedStyle(b).display === 'none')"
    )
    snap(reviewer, "f02-reviewer-consensus")
    assert_accessible(reviewer, "the reviewer's consensus page")
    assert reviewer_problems == [], reviewer_problems
