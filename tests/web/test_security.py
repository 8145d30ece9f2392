"""Security: headers on every response, no inline script, escaped user markup, settings, friendly errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from assessment.web import create_app
from assessment.web.config import ConfigError
from assessment.web.diagnosis import results as results_pages
from assessment.web.models import SelfAssessment, db
from tests.web import (
    PAGE_IDS,
    dispose,
    fetch_csrf,
    parse,
    post_page,
    start,
    text,
    translate,
    visible_text,
)

XSS_NAME = "<script>alert(1)</script>"
XSS_COMMENT = '<img src=x onerror="alert(2)">'
XSS_PRODUCT = '"><svg onload=alert(3)>'


def assert_security_headers(response: TestResponse, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert directives.get("script-src") == "script-src 'self'", (where, csp)
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", (where, csp)
    assert directives.get("object-src") == "object-src 'none'", (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (where, csp)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where  # resume links never leave the site


def every_kind_of_response(client: FlaskClient) -> list[tuple[str, TestResponse]]:
    base = start(client)
    post_page(client, f"{base}/profile", {"client__name": "Headers KK", "client__employees": "30"})
    responses = [
        ("landing", client.get("/")),
        ("landing en", client.get("/?lang=en")),
        ("import page", client.get("/import")),
        ("start", client.post("/start", data={"csrf_token": fetch_csrf(client, "/")})),
        ("start without csrf (400)", client.post("/start")),
        ("import without csrf (400)", client.post("/import")),
        ("import with problems (400)", client.post("/import", data={"csrf_token": fetch_csrf(client, "/import")})),
        ("unknown url (404)", client.get("/nope")),
        ("unknown token (404)", client.get("/a/" + "z" * 43 + "/review")),
        ("wrong method (405)", client.get("/start")),
        ("page with error (422)", post_page(client, f"{base}/profile", {"client__employees": "-1"})),
        ("page saved (302)", post_page(client, f"{base}/profile", {"client__employees": "1"})),
        ("page without csrf", client.post(f"{base}/profile", data={"client__name": "x"})),
        ("review", client.get(f"{base}/review")),
        ("results", client.get(f"{base}/results")),
        ("yaml", client.get(f"{base}/assessment.yaml")),
        ("json", client.get(f"{base}/assessment.json")),
    ]
    responses += [(page_id, client.get(f"{base}/{page_id}")) for page_id in PAGE_IDS]
    return responses


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for where, response in every_kind_of_response(client):
        assert_security_headers(response, where)
    for asset in ("/static/app.js", "/static/app.css"):
        with client.get(asset) as response:
            assert_security_headers(response, asset)


def test_pages_behind_a_token_are_not_cached(client: FlaskClient) -> None:
    base = start(client)
    for path in (*PAGE_IDS, "review", "results", "assessment.yaml"):
        assert client.get(f"{base}/{path}").headers.get("Cache-Control") == "no-store", path


def test_no_inline_script_style_or_handlers_in_any_page(client: FlaskClient) -> None:
    for where, response in every_kind_of_response(client):
        if response.mimetype != "text/html" or response.status_code in (302, 405):  # werkzeug's own bodies
            continue
        page = parse(response)
        assert page.scripts, where
        for attributes, body in page.scripts:
            assert attributes.get("src", "").startswith("/static/"), (where, attributes)
            assert not body.strip(), (where, body)
        assert page.handler_attributes == [], (where, page.handler_attributes)
        assert page.style_elements == 0, where  # style-src 'self' would block them
        assert "javascript:" not in text(response).lower(), where


def fill_with_markup(client: FlaskClient) -> str:
    base = start(client)
    profile = {
        "client__name": XSS_NAME,
        "client__industry": XSS_COMMENT,
        "client__employees": "120",
        "survey__departments__marketing": "dedicated",
        "survey__departments__field_sales": "dedicated",
        "survey__tools__sfa": "in_use",
        "survey__tools__sfa_product": XSS_PRODUCT,
    }
    assert post_page(client, f"{base}/profile", profile).status_code == 302
    comments = {"comments__org__mql_definition": XSS_COMMENT, "comments__org__baton_meeting": XSS_NAME}
    assert post_page(client, f"{base}/checklist-organization", comments).status_code == 302
    return base


def assert_no_raw_markup(body: str, where: str) -> None:
    for raw in (XSS_NAME, "<img src=x", "<svg onload"):
        assert raw not in body, (where, raw)
    page = parse(body)
    assert len(page.scripts) == 1, where  # only app.js
    assert page.handler_attributes == [], where  # no onerror=/onload= made it into a tag


def test_user_markup_is_escaped_on_review_and_results(client: FlaskClient) -> None:
    base = fill_with_markup(client)
    review = text(client.get(f"{base}/review"))
    assert_no_raw_markup(review, "review")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review
    assert "&lt;img src=x onerror=" in review
    shown = visible_text(review)
    assert XSS_NAME in shown and XSS_COMMENT in shown and XSS_PRODUCT in shown  # shown as text, not dropped
    results = client.get(f"{base}/results")
    assert results.status_code == 200
    assert_no_raw_markup(text(results), "results")


def test_user_markup_is_escaped_when_shown_back_in_the_form(client: FlaskClient) -> None:
    base = fill_with_markup(client)
    for page_id in ("profile", "checklist-organization"):
        body = text(client.get(f"{base}/{page_id}"))
        assert_no_raw_markup(body, page_id)
    values = parse(client.get(f"{base}/profile")).values
    assert values["client__name"] == XSS_NAME and values["survey__tools__sfa_product"] == XSS_PRODUCT
    textarea = parse(client.get(f"{base}/checklist-organization")).values
    assert textarea["comments__org__mql_definition"] == XSS_COMMENT
    # a draft (invalid value) is escaped too
    response = post_page(client, f"{base}/profile", {"client__employees": XSS_NAME})
    assert response.status_code == 422
    assert_no_raw_markup(text(response), "422 page")
    assert_no_raw_markup(text(client.get(f"{base}/profile")), "draft")


def test_textarea_cannot_be_closed_by_a_comment(client: FlaskClient) -> None:
    base = start(client)
    breakout = "</textarea><script>alert(4)</script>"
    post_page(client, f"{base}/checklist-organization", {"comments__org__kpis_defined": breakout})
    body = text(client.get(f"{base}/checklist-organization"))
    assert "<script>alert(4)" not in body
    assert parse(body).values["comments__org__kpis_defined"] == breakout


# --- settings -------------------------------------------------------------------------------------------


def production_config(tmp_path: Path, environ: dict[str, str]) -> dict[str, object]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
        "RATELIMIT_ENABLED": False,
        "ENVIRON": {"READINESS_INSTANCE_DIR": str(tmp_path / "instance"), **environ},
    }


@pytest.mark.parametrize(
    "environ",
    [{}, {"READINESS_ENV": "production"}, {"SECRET_KEY": ""}, {"READINESS_ENV": "staging", "SECRET_KEY": ""}],
)
def test_the_app_refuses_to_start_without_a_secret_key(tmp_path: Path, environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(production_config(tmp_path, environ))


def test_the_app_starts_with_a_secret_key_and_secure_cookies(tmp_path: Path) -> None:
    secret = "s3cret-" + "k" * 57
    app = create_app(production_config(tmp_path, {"SECRET_KEY": secret}))
    try:
        assert app.config["SECRET_KEY"] == secret
        assert app.config["DEVELOPMENT"] is False
        assert app.config["SESSION_COOKIE_SECURE"] is True
        response = app.test_client().get("/")  # the CSRF token puts something in the session
        assert response.status_code == 200
        cookies = response.headers.getlist("Set-Cookie")
        session = [c for c in cookies if c.startswith(app.config.get("SESSION_COOKIE_NAME", "session") + "=")]
        assert session, cookies
        attributes = {part.strip().split("=")[0].lower() for part in session[0].split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, session[0]
        assert "SameSite=Lax" in session[0]
    finally:
        dispose(app)


def test_development_has_a_fallback_key_and_no_secure_flag(app: Flask, client: FlaskClient) -> None:
    assert app.config["DEVELOPMENT"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is False
    session = [c for c in client.get("/").headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session and "Secure" not in session[0] and "HttpOnly" in session[0]


def test_request_size_is_limited(app: Flask) -> None:
    assert 1_000_000 < app.config["MAX_CONTENT_LENGTH"] <= 2_000_000


# --- friendly error pages -------------------------------------------------------------------------------


def assert_friendly(app: Flask, response: TestResponse, status: int, message: str) -> None:
    assert response.status_code == status
    body = text(response)
    assert translate(app, message, "ja") in body
    assert "Traceback" not in body and 'File "' not in body
    assert f"<h1>{status}</h1>" in body
    assert 'href="/"' in body
    assert_security_headers(response, str(status))


def test_friendly_404(app: Flask, client: FlaskClient) -> None:
    assert_friendly(
        app, client.get("/no/such/thing"), 404, "This page does not exist, or the link is wrong or incomplete."
    )


def test_friendly_400(app: Flask, client: FlaskClient) -> None:
    response = client.post("/start", data={"csrf_token": "tampered"})
    assert_friendly(app, response, 400, "The form has expired. Please go back, reload the page and send it again.")


def test_friendly_500_without_a_traceback(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)  # what a production server does with an unexpected error
    client = app.test_client()
    base = start(client)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail: /srv/secret/path")

    monkeypatch.setattr(results_pages, "build_view", broken)
    response = client.get(f"{base}/results")
    assert_friendly(
        app,
        response,
        500,
        "Something went wrong on our side, and what you just sent may not have been saved. "
        "Go back, check the page and send it again.",
    )
    assert "internal detail" not in text(response) and "RuntimeError" not in text(response)


def test_a_stored_document_the_loader_rejects_gets_a_friendly_page(make_app: Callable[..., Flask]) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():  # a row the core cannot read (e.g. written by an older version)
        row = SelfAssessment(document={"version": 1, "client": {"employees": "many"}}, drafts={})
        db.session.add(row)
        db.session.commit()
        token = row.token
    client = app.test_client()
    for path in ("review", "results"):
        response = client.get(f"/a/{token}/{path}")
        assert response.status_code in (400, 500), (path, response.status_code)
        body = text(response)
        assert "Traceback" not in body and "AssessmentError" not in body, path
        assert f"<h1>{response.status_code}</h1>" in body and 'href="/"' in body, path
        assert_security_headers(response, path)


def test_development_without_a_secret_key_makes_a_random_one_and_keeps_it(tmp_path: Path) -> None:
    """Never a published constant: a key from the source code let a session cookie be forged."""
    from assessment.web.config import settings_from_env

    first = settings_from_env(str(tmp_path / "one"), {"READINESS_ENV": "development"})["SECRET_KEY"]
    again = settings_from_env(str(tmp_path / "one"), {"READINESS_ENV": "development"})["SECRET_KEY"]
    other = settings_from_env(str(tmp_path / "two"), {"READINESS_ENV": "development"})["SECRET_KEY"]
    assert len(first) == 64 and first == again and first != other
    assert "development" not in first and "not-secret" not in first
    assert (tmp_path / "one" / "secret_key").stat().st_mode & 0o077 == 0  # owner only
