"""Rate limits: past the limit a friendly 429 page, with the security headers and no traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from assessment.web.security import limiter
from tests.web import count_rows, parse, text, translate

TOO_MANY = "Too many requests. Please wait a minute and try again."


@pytest.fixture
def fresh_default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let this app's RATELIMIT_DEFAULT apply.

    The Limiter is a module-level object shared by every app in the process, and Flask-Limiter only
    reads RATELIMIT_DEFAULT when no default limit has been set yet; start from none (restored after).
    """
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])


def assert_friendly_429(app: Flask, response: TestResponse) -> None:
    assert response.status_code == 429
    body = text(response)
    assert translate(app, TOO_MANY, "ja") in body
    assert "<h1>429</h1>" in body and 'href="/"' in body
    assert "Traceback" not in body
    assert parse(response).html_lang == "ja"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_default_limit_gives_a_friendly_429(make_app: Callable[..., Flask], fresh_default_limits: None) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert_friendly_429(app, client.get("/"))
    english = client.get("/?lang=en")
    assert english.status_code == 429 and TOO_MANY in text(english)


def test_hammering_start_is_stopped_after_30_a_minute(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    for attempt in range(30):
        assert client.post("/start").status_code == 302, attempt
    assert_friendly_429(app, client.post("/start"))
    assert count_rows(app) == 30


def test_hammering_import_is_stopped_after_20_a_minute(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    for attempt in range(20):
        assert client.post("/import").status_code == 400, attempt  # no file: refused, but counted
    assert_friendly_429(app, client.post("/import"))
    assert client.get("/import").status_code == 200  # the limit is on POST only


def test_limits_are_off_when_disabled(app_nocsrf: Flask) -> None:
    client = app_nocsrf.test_client()
    for _ in range(35):
        assert client.post("/start").status_code == 302
