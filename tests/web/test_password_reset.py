"""Password reset: a one-time link by email (sent through a real SMTP server, aiosmtpd, started by the test), the
same answer whether or not the account exists, links that expire, get used, get replaced; a firm admin's reset
link for a colleague, which also works with no mail server; and the mail server down or refusing."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from assessment.web.accounts import create_consultant
from assessment.web.models import Consultant, Firm, LoginSession, PasswordReset, db
from tests.web import csrf_token, fetch_csrf, parse, text, translate, visible_text
from tests.web.mail_server import MailServer, body_of, free_port, links_in, settings_for

OLD = "old-password-1234"
NEW = "brand-new-password-5678"
EMAIL = "yamada@example.jp"
SUBJECT = "Readiness: set a new password"
SENT = (
    "If an account exists for this address, a link to set a new password has been sent to it. The link works once, "
    "for one hour."
)
NOT_SENT = (
    "The mail could not be sent just now. Please try again in a few minutes, or ask your firm's admin for a reset link."
)
RESET_PATH = re.compile(r"^/account/reset/([A-Za-z0-9_-]{43})$")


def account(app: Flask, email: str = EMAIL, firm_of: str | None = None, name: str = "山田 太郎") -> int:
    """A new account (in the firm of the account ``firm_of``, else a firm of its own, as its admin); its id."""
    with app.app_context():
        firm = None
        if firm_of is not None:
            firm = db.session.get(
                Firm, db.session.execute(select(Consultant).filter_by(email=firm_of)).scalar_one().firm_id
            )
        return int(create_consultant(email, OLD, name, firm=firm).id)


def sign_in(app: Flask, email: str = EMAIL, password: str = OLD, browser: FlaskClient | None = None) -> TestResponse:
    browser = browser or app.test_client()
    return browser.post(
        "/login", data={"csrf_token": fetch_csrf(browser, "/login"), "email": email, "password": password}
    )


def signed_in(app: Flask, email: str = EMAIL, password: str = OLD) -> FlaskClient:
    browser = app.test_client()
    assert sign_in(app, email, password, browser).status_code == 302
    return browser


def ask_for_link(browser: FlaskClient, email: str) -> TestResponse:
    token = fetch_csrf(browser, "/account/forgot")
    return browser.post("/account/forgot", data={"csrf_token": token, "email": email})


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path


def set_password(browser: FlaskClient, path: str, new: str, confirm: str | None = None) -> TestResponse:
    page = browser.get(path)
    assert page.status_code == 200, page.status_code
    return browser.post(
        path, data={"csrf_token": csrf_token(page), "new": new, "confirm": new if confirm is None else confirm}
    )


def deactivate(app: Flask, email: str) -> None:
    with app.app_context():
        db.session.execute(select(Consultant).filter_by(email=email)).scalar_one().deactivated_at = datetime.now(UTC)
        db.session.commit()


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], mail_server: MailServer) -> Flask:
    return make_app(READINESS_SMTP=mail_server.settings())


# --- a link by mail ---------------------------------------------------------------------------------------------


def test_the_sign_in_page_offers_a_reset(mail_app: Flask) -> None:
    page = mail_app.test_client().get("/login")
    assert 'href="/account/forgot"' in text(page)
    assert translate(mail_app, "Forgot your password?") in visible_text(page)
    assert translate(mail_app, "Forgot your password?") != "Forgot your password?", "no Japanese in the catalogue"


def test_a_mailed_link_sets_a_new_password_once_and_ends_every_sign_in(
    mail_app: Flask, mail_server: MailServer
) -> None:
    account(mail_app)
    old_session = signed_in(mail_app)
    assert old_session.get("/clients").status_code == 200

    stranger = mail_app.test_client()
    answer = ask_for_link(stranger, "  Yamada@Example.JP ")
    assert answer.status_code == 200
    assert translate(mail_app, SENT) in visible_text(answer)

    [message] = mail_server.to(EMAIL)
    assert message["To"] == EMAIL
    assert message["From"] == "Readiness <noreply@readiness.example.jp>"
    assert message["Subject"] == f"{translate(mail_app, SUBJECT)} / {SUBJECT}"
    assert "パスワード" in message["Subject"]  # the Japanese subject, decoded
    assert message.get_content_charset() == "utf-8" and message["Message-ID"] and message["Date"]
    body = body_of(message)
    japanese = translate(mail_app, "Set a new password with this link. It works once, for one hour:")
    assert body.index(japanese) < body.index("Set a new password with this link. It works once, for one hour:")
    [link, same] = links_in(message)  # once in each language
    assert link == same and link.startswith("http://localhost/account/reset/")
    match = RESET_PATH.match(path_of(link))
    assert match, link

    with mail_app.app_context():  # only the token's SHA-256 is kept
        [stored] = db.session.execute(select(PasswordReset)).scalars()
        assert stored.token_hash == hashlib.sha256(match.group(1).encode()).hexdigest()
        assert stored.issued_by is None and stored.used_at is None

    follower = mail_app.test_client()
    assert set_password(follower, path_of(link), NEW, "something-else-123").status_code == 422
    short = set_password(follower, path_of(link), "short")
    assert short.status_code == 422 and 'id="new-error"' in text(short)
    done = set_password(follower, path_of(link), NEW)
    assert done.status_code == 302 and done.location == "/login"

    assert sign_in(mail_app, EMAIL, OLD).status_code == 401  # the old password is refused
    assert sign_in(mail_app, EMAIL, NEW).status_code == 302
    ended = old_session.get("/clients")  # the session opened before the reset has ended
    assert ended.status_code == 302 and ended.location.startswith("/login")
    again = follower.get(path_of(link))  # used: it opens nothing
    assert again.status_code == 410
    assert translate(mail_app, "This link to set a new password has already been used. Each link works once.") in (
        visible_text(again)
    )


def test_the_answer_is_the_same_for_an_unknown_or_deactivated_address(mail_app: Flask, mail_server: MailServer) -> None:
    account(mail_app)
    account(mail_app, "leaver@example.jp")
    deactivate(mail_app, "leaver@example.jp")
    answers = {}
    for email in (EMAIL, "nobody@example.jp", "leaver@example.jp"):
        response = ask_for_link(mail_app.test_client(), email)
        answers[email] = (response.status_code, visible_text(response))
    assert answers[EMAIL] == answers["nobody@example.jp"] == answers["leaver@example.jp"]
    assert [m["To"] for m in mail_server.messages] == [EMAIL]  # only the active account got a link
    with mail_app.app_context():
        assert len(db.session.execute(select(PasswordReset)).scalars().all()) == 1


def test_a_malformed_address_is_refused_with_the_field_named(mail_app: Flask, mail_server: MailServer) -> None:
    browser = mail_app.test_client()
    for bad in ("not-an-address", "a@b.com\r\nBcc: victim@example.com", "a@b.com, c@d.com", ""):
        response = ask_for_link(browser, bad)
        assert response.status_code == 422, bad
        assert 'id="email-error"' in text(response), bad
    assert mail_server.messages == []


def test_links_that_expired_were_replaced_or_never_existed_open_nothing(
    mail_app: Flask, mail_server: MailServer
) -> None:
    account(mail_app)
    browser = mail_app.test_client()
    ask_for_link(browser, EMAIL)
    ask_for_link(browser, EMAIL)
    first, second = (path_of(links_in(m)[0]) for m in mail_server.to(EMAIL))
    replaced = browser.get(first)
    assert replaced.status_code == 410
    assert translate(mail_app, "Ask for a new link") in visible_text(replaced)
    assert browser.get(second).status_code == 200

    with mail_app.app_context():  # an hour later
        for row in db.session.execute(select(PasswordReset)).scalars():
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    expired = browser.get(second)
    assert expired.status_code == 410 and "Traceback" not in text(expired)
    posted = browser.post(second, data={"csrf_token": csrf_token(browser.get("/login")), "new": NEW, "confirm": NEW})
    assert posted.status_code == 410
    assert sign_in(mail_app, EMAIL, NEW).status_code == 401

    for token in ("A" * 43, "short", "../../etc/passwd", "<script>x</script>" + "A" * 30):
        unknown = browser.get(f"/account/reset/{token}")
        assert unknown.status_code == 404, token
        assert "<script>x" not in text(unknown)


def test_a_link_of_an_account_deactivated_since_opens_nothing(mail_app: Flask, mail_server: MailServer) -> None:
    account(mail_app)
    ask_for_link(mail_app.test_client(), EMAIL)
    [message] = mail_server.to(EMAIL)
    deactivate(mail_app, EMAIL)
    assert mail_app.test_client().get(path_of(links_in(message)[0])).status_code == 410


def test_changing_the_password_withdraws_a_link_asked_for(mail_app: Flask, mail_server: MailServer) -> None:
    account(mail_app)
    ask_for_link(mail_app.test_client(), EMAIL)
    browser = signed_in(mail_app)
    page = browser.get("/account/password")
    changed = browser.post(
        "/account/password", data={"csrf_token": csrf_token(page), "current": OLD, "new": NEW, "confirm": NEW}
    )
    assert changed.status_code == 302
    assert mail_app.test_client().get(path_of(links_in(mail_server.to(EMAIL)[0])[0])).status_code == 410


def test_the_mail_link_uses_the_configured_public_address(
    make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = make_app(READINESS_SMTP=mail_server.settings(), READINESS_PUBLIC_URL="https://readiness.example.jp")
    account(app)
    ask_for_link(app.test_client(), EMAIL)
    assert links_in(mail_server.to(EMAIL)[0])[0].startswith("https://readiness.example.jp/account/reset/")


# --- the mail server down, refusing, or absent --------------------------------------------------------------------


def test_a_mail_server_that_is_down_is_said_so_alike_for_every_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(READINESS_SMTP=settings_for(free_port()))  # nothing listens there
    account(app)
    known, unknown = ask_for_link(app.test_client(), EMAIL), ask_for_link(app.test_client(), "nobody@example.jp")
    assert known.status_code == unknown.status_code == 503
    assert visible_text(known) == visible_text(unknown)
    assert translate(app, NOT_SENT) in visible_text(known)
    assert "Traceback" not in text(known) and "refused" not in text(known)


def test_a_server_asking_for_a_sign_in_gets_it_and_the_password_is_never_shown(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    secret = "smtp-secret-Pa55"
    server = MailServer(login=("readiness", secret)).start()
    try:
        app = make_app(READINESS_SMTP=server.settings(READINESS_SMTP_USER="readiness", READINESS_SMTP_PASSWORD=secret))
        account(app)
        assert ask_for_link(app.test_client(), EMAIL).status_code == 200
        assert len(server.to(EMAIL)) == 1 and server.signed_in == ["readiness"]
        assert secret not in repr(app.config["READINESS_SMTP"])

        wrong = make_app(
            READINESS_SMTP=server.settings(READINESS_SMTP_USER="readiness", READINESS_SMTP_PASSWORD="nope-1")
        )
        account(wrong)
        with caplog.at_level(logging.DEBUG):
            refused = ask_for_link(wrong.test_client(), EMAIL)
        assert refused.status_code == 503 and translate(wrong, NOT_SENT) in visible_text(refused)
        assert "nope-1" not in text(refused) and "nope-1" not in caplog.text and secret not in caplog.text
        assert len(server.messages) == 1
    finally:
        server.stop()


def test_starttls_asked_of_a_server_without_it_sends_nothing_in_plain_text(
    make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = make_app(READINESS_SMTP=mail_server.settings(READINESS_SMTP_TLS="starttls"))
    account(app)
    assert ask_for_link(app.test_client(), EMAIL).status_code == 503
    assert mail_server.messages == []


def test_without_a_mail_server_the_page_says_so_and_points_to_the_admin(app: Flask) -> None:
    account(app)
    browser = app.test_client()
    page = browser.get("/account/forgot")
    assert page.status_code == 200
    shown = visible_text(page)
    assert translate(app, "This server does not send mail, so a reset link cannot be mailed to you.") in shown
    assert (
        translate(
            app, "Ask your firm's admin for a reset link: they can issue one for your account and give it to you."
        )
        in shown
    )
    assert 'name="email"' not in text(page)
    posted = browser.post("/account/forgot", data={"csrf_token": fetch_csrf(browser, "/login"), "email": EMAIL})
    assert translate(app, SENT) not in visible_text(posted)  # nothing pretends to have been sent
    with app.app_context():
        assert db.session.execute(select(PasswordReset)).first() is None


def test_asking_for_links_is_rate_limited_per_address_asked_and_per_client(
    make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = make_app(
        READINESS_SMTP=mail_server.settings(),
        RATELIMIT_ENABLED=True,
        WTF_CSRF_ENABLED=False,
        READINESS_TRUSTED_PROXIES=1,
    )
    account(app)

    def ask(email: str, address: str) -> int:
        headers = {"X-Forwarded-For": address}
        return app.test_client().post("/account/forgot", data={"email": email}, headers=headers).status_code

    assert [ask(EMAIL, f"192.0.2.{n}") for n in range(4)] == [200, 200, 200, 429]  # one account, many clients
    assert [ask("nobody@example.jp", f"198.51.100.{n}") for n in range(4)] == [200, 200, 200, 429]  # alike
    assert len(mail_server.to(EMAIL)) == 3
    statuses = [ask(f"guess{n}@example.jp", "203.0.113.9") for n in range(12)]  # one client, many addresses
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


# --- a firm admin's reset link -------------------------------------------------------------------------------------


def issue(browser: FlaskClient, consultant_id: int, csrf: bool = True) -> TestResponse:
    data = {"csrf_token": fetch_csrf(browser, "/account/password")} if csrf else {}
    return browser.post(f"/accounts/{consultant_id}/reset-link", data=data)


def shown_link(response: TestResponse) -> str:
    link = parse(response).values.get("reset-link") or ""
    match = re.search(r'id="reset-link" type="text" readonly value="([^"]+)"', text(response))
    assert match, "the page shows no link"
    return link or match.group(1)


def test_a_firm_admin_issues_a_link_that_works_without_a_mail_server(app: Flask) -> None:
    admin_id = account(app, "admin@firm.example", name="管理 者")
    colleague_id = account(app, "sato@firm.example", firm_of="admin@firm.example", name="佐藤 花子")
    colleague_session = signed_in(app, "sato@firm.example")
    admin = signed_in(app, "admin@firm.example")

    first = issue(admin, colleague_id)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    shown = visible_text(first)
    assert translate(app, "This server does not send mail: the link was not mailed.") in shown
    assert "佐藤 花子" in shown
    second = issue(admin, colleague_id)
    older, newer = path_of(shown_link(first)), path_of(shown_link(second))
    assert older != newer
    browser = app.test_client()
    assert browser.get(older).status_code == 410  # a new link ends the older one
    assert set_password(browser, newer, NEW).status_code == 302
    with app.app_context():
        rows = db.session.execute(select(PasswordReset).order_by(PasswordReset.id)).scalars().all()
        assert [row.issued_by for row in rows] == [admin_id, admin_id]
        open_sessions = select(LoginSession).filter_by(consultant_id=colleague_id, ended_at=None)
        assert db.session.execute(open_sessions).first() is None
    assert colleague_session.get("/clients").status_code == 302
    assert sign_in(app, "sato@firm.example", NEW).status_code == 302


def test_only_a_firm_admin_of_the_same_firm_issues_links(app: Flask) -> None:
    account(app, "admin@firm.example")
    colleague_id = account(app, "sato@firm.example", firm_of="admin@firm.example")
    other_id = account(app, "suzuki@firm.example", firm_of="admin@firm.example")
    outsider_admin_id = account(app, "admin@other.example")

    for who, target in (("sato@firm.example", other_id), ("admin@other.example", colleague_id),
                        ("admin@firm.example", outsider_admin_id), ("admin@firm.example", 10**6)):  # fmt: skip
        response = issue(signed_in(app, who), target)
        assert response.status_code == 404, (who, target)
        assert "/account/reset/" not in text(response)
    assert issue(signed_in(app, "admin@firm.example"), colleague_id, csrf=False).status_code == 400
    anonymous = app.test_client().post(
        f"/accounts/{colleague_id}/reset-link", data={"csrf_token": fetch_csrf(app.test_client(), "/login")}
    )
    assert anonymous.status_code in (302, 400)
    with app.app_context():
        assert db.session.execute(select(PasswordReset)).first() is None


def test_a_deactivated_account_gets_no_link_from_the_admin(app: Flask) -> None:
    account(app, "admin@firm.example")
    colleague_id = account(app, "sato@firm.example", firm_of="admin@firm.example")
    deactivate(app, "sato@firm.example")
    response = issue(signed_in(app, "admin@firm.example"), colleague_id)
    assert response.status_code == 409
    assert "/account/reset/" not in text(response)
    assert translate(app, "This account is deactivated: it gets no reset link. Reactivate it first.") in visible_text(
        response
    )


def test_an_admins_link_is_also_mailed_when_the_server_has_mail(mail_app: Flask, mail_server: MailServer) -> None:
    account(mail_app, "admin@firm.example", name="管理 者")
    colleague_id = account(mail_app, "sato@firm.example", firm_of="admin@firm.example")
    page = issue(signed_in(mail_app, "admin@firm.example"), colleague_id)
    assert translate(mail_app, "The link was also mailed to %(email)s.").replace("%(email)s", "sato@firm.example") in (
        visible_text(page)
    )
    [message] = mail_server.to("sato@firm.example")
    assert links_in(message)[0] == shown_link(page)
    assert "管理 者" in body_of(message)

    mail_server.refuse("sato@firm.example")
    refused = issue(signed_in(mail_app, "admin@firm.example"), colleague_id)
    assert refused.status_code == 200
    assert translate(mail_app, "the mail server refused the address") in visible_text(refused)
    assert "550" in visible_text(refused) and "Traceback" not in text(refused)
    assert mail_app.test_client().get(path_of(shown_link(refused))).status_code == 200  # the shown link works


def test_an_admins_link_is_shown_when_the_mail_server_is_down(make_app: Callable[..., Flask]) -> None:
    app = make_app(READINESS_SMTP=settings_for(free_port()))
    account(app, "admin@firm.example")
    colleague_id = account(app, "sato@firm.example", firm_of="admin@firm.example")
    page = issue(signed_in(app, "admin@firm.example"), colleague_id)
    assert page.status_code == 200 and "Traceback" not in text(page)
    assert translate(app, "the mail server could not be reached") in visible_text(page)
    assert app.test_client().get(path_of(shown_link(page))).status_code == 200
