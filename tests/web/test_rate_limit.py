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


def test_a_questionnaire_page_is_shown_and_saved_past_the_default_limit(
    make_app: Callable[..., Flask], fresh_default_limits: None
) -> None:
    """Pages behind a token are exempt (twenty people on one Wi-Fi share an address); the landing page is not."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    page = client.post("/start").headers["Location"]
    for attempt in range(6):
        assert client.get(page).status_code == 200, attempt
        saved = client.post(page, data={"action": "back"})
        assert saved.status_code in (200, 302), attempt
    for _ in range(3):
        client.get("/")
    assert_friendly_429(app, client.get("/"))


def test_the_app_counts_in_the_swept_memory_storage_without_starting_threads(make_app: Callable[..., Flask]) -> None:
    import threading

    from assessment.web.security import SweptMemoryStorage

    make_app(RATELIMIT_ENABLED=True)
    storage = limiter.storage
    assert isinstance(storage, SweptMemoryStorage)
    before = threading.active_count()
    for _ in range(500):
        storage.incr("test-key", 60)
    assert storage.get("test-key") == 500
    assert threading.active_count() <= before  # the stock storage starts a Timer thread every 10 ms of traffic


def test_swept_storage_expires_counts_and_frees_keys_nobody_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.web.security import SweptMemoryStorage

    clock = [1000.0]
    monkeypatch.setattr("assessment.web.security.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("limits.storage.memory.time.time", lambda: clock[0])
    storage = SweptMemoryStorage()
    storage.incr("gone", 1)
    storage.incr("kept", 60)
    assert storage.get("gone") == 1
    clock[0] += 2  # past "gone"'s window and past the sweep interval
    storage.incr("kept", 60)  # any counting sweeps
    assert "gone" not in storage.storage and "gone" not in storage.expirations
    assert storage.get("kept") == 2 and storage.get("gone") == 0
