"""Rate limits: past the limit a friendly 429 page, with the security headers and no traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

    make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="readiness-memory://")
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


def test_the_default_counters_are_shared_by_every_process_of_the_machine(make_app: Callable[..., Flask]) -> None:
    """Two storages on one file stand for two gunicorn workers: a count made in one is seen by the other."""
    from assessment.web.rate_store import SQLiteStorage

    app = make_app(RATELIMIT_ENABLED=True)
    assert isinstance(limiter.storage, SQLiteStorage)
    path = limiter.storage.path
    assert path.endswith("ratelimits.db") and path.startswith(app.instance_path)
    one, other = SQLiteStorage(f"readiness-sqlite://{path}"), SQLiteStorage(f"readiness-sqlite://{path}")
    for _ in range(7):
        one.incr("shared", 60)
    assert other.incr("shared", 60) == 8 and one.get("shared") == 8
    assert 0 < other.get_expiry("shared") - __import__("time").time() <= 60
    other.clear("shared")
    assert one.get("shared") == 0


def test_a_finished_window_starts_counting_again() -> None:
    from assessment.web.rate_store import SQLiteStorage

    storage = SQLiteStorage("readiness-sqlite://:memory:")
    assert storage.incr("short", 0.01) == 1
    __import__("time").sleep(0.03)
    assert storage.get("short") == 0 and storage.incr("short", 60) == 1


def login_as(client: Any, email: str, password: str, address: str) -> int:
    return int(
        client.post(
            "/login", data={"email": email, "password": password}, headers={"X-Forwarded-For": address}
        ).status_code
    )


def test_behind_a_trusted_proxy_one_attackers_failures_do_not_lock_out_others(make_app: Callable[..., Flask]) -> None:
    """READINESS_TRUSTED_PROXIES=1 (nginx in front): limits count the client's address, not the proxy's."""
    from assessment.web.accounts import create_consultant

    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, READINESS_TRUSTED_PROXIES=1)
    with app.app_context():
        create_consultant("victim@example.com", "the-right-password", "被害 者")
    client = app.test_client()
    statuses = [login_as(client, f"guess{n}@example.com", "wrong-password!", "203.0.113.9") for n in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]  # the attacker's address is stopped
    assert login_as(app.test_client(), "victim@example.com", "the-right-password", "198.51.100.7") == 302


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    statuses = [login_as(client, "x@example.com", "wrong-password!", f"192.0.2.{n}") for n in range(12)]
    assert statuses.count(429) >= 2  # changing the header does not buy an attacker new attempts


def test_failed_sign_ins_back_off_the_account_from_any_address(make_app: Callable[..., Flask]) -> None:
    from assessment.web.accounts import create_consultant

    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, READINESS_TRUSTED_PROXIES=1)
    with app.app_context():
        create_consultant("target@example.com", "the-right-password", "標的")
    client = app.test_client()
    failures = [login_as(client, "target@example.com", "wrong-password!", f"192.0.2.{n}") for n in range(5)]
    assert failures == [401] * 5
    assert login_as(client, "TARGET@example.com", "wrong-password!", "192.0.2.77") == 429  # backed off
    assert login_as(client, "other@example.com", "wrong-password!", "192.0.2.78") == 401  # other accounts are not
    # a right password before the back-off: nothing is counted for a success
    app2 = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, READINESS_TRUSTED_PROXIES=1)
    with app2.app_context():
        create_consultant("fine@example.com", "the-right-password", "正常")
    for n in range(8):
        assert login_as(app2.test_client(), "fine@example.com", "the-right-password", f"198.51.100.{n}") == 302
