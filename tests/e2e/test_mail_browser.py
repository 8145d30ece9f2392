"""Mail in a real browser against the app under gunicorn, configured to send through a real SMTP server (aiosmtpd)
on a free loopback port: a consultant who forgot the password gets the link, sets a new one and signs in with
it; then mails a respondent their invitation from the round's page. The pages carrying the mail forms are
checked with axe-core on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Server, running_server
from tests.e2e.test_browser_flow import track_problems
from tests.web.mail_server import MailServer, body_of, links_in

EMAIL = "forgetful@example.com"
OLD, NEW = "first-password-2026", "second-password-2027"


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory: pytest.TempPathFactory, mail_server: MailServer) -> Iterator[Server]:
    smtp = {
        "READINESS_SMTP_HOST": "127.0.0.1", "READINESS_SMTP_PORT": str(mail_server.port), "READINESS_SMTP_TLS": "none",
        "READINESS_SMTP_FROM": "Readiness <noreply@readiness.example.jp>",
    }  # fmt: skip
    folder: Path = tmp_path_factory.mktemp("e2e-mail")
    with running_server(folder, READINESS_SIGN_IN_LIMIT="300 per minute", **smtp) as running:
        created = running.flask("create-consultant", EMAIL, "--name", "忘れ 太郎", "--password", OLD)
        assert created.returncode == 0, created.stderr
        yield running


def test_a_forgotten_password_is_reset_by_mail_and_an_invitation_sent(
    mailing_server: Server, mail_server: MailServer, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **CONTEXT_OPTIONS)
    page: Page = context.new_page()
    problems = track_problems(page)

    page.goto(mailing_server.url + "/login")
    page.locator("#forgot-password").click()
    page.wait_for_url(re.compile(r"/account/forgot$"))
    assert_accessible(page, "forgot password form")
    page.locator("#email").fill(EMAIL)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#reset-sent")).to_be_visible()
    assert_accessible(page, "forgot password, link sent")

    [message] = mail_server.to(EMAIL)
    assert "パスワード" in message["Subject"]
    link = links_in(message)[0]
    assert link.startswith(mailing_server.url + "/account/reset/"), link
    page.goto(link)
    assert_accessible(page, "set a new password")
    page.locator("#new").fill(NEW)
    page.locator("#confirm").fill(NEW)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.locator(".notice.ok")).to_contain_text("新しいパスワード")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(NEW)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients$"))

    page.locator("#name").fill("メール商事")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    page.locator("#title").fill("第1回")
    page.locator("#held_on").fill("2026-12-01")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/engagements/\d+$"))
    page.locator("#department").select_option("marketing")
    page.locator("#name").fill("佐藤")
    page.locator("main form[action$='/invites'] #email").fill("sato@client.example")
    page.locator("main form[action$='/invites'] button[type=submit]").click()
    row = page.locator("tr[id^=respondent-]")
    expect(row).to_have_count(1)
    row.locator("button[value=invitation]").click()
    expect(page.locator("tr[id^=respondent-] [id^=mail-status-]")).to_contain_text("送信済み")
    assert_accessible(page, "round page with mail")

    [invitation] = mail_server.to("sato@client.example")
    answering = links_in(invitation)[0]
    assert urlsplit(answering).path.startswith("/r/") and "メール商事" in body_of(invitation)
    page.goto(answering)
    page.wait_for_url(re.compile(r"/r/[\w-]+/checklist-organization$"))
    assert problems == [], problems
    context.close()
