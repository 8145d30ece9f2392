"""Fixtures of the web tests: apps on throw-away SQLite files, CSRF on (default) or off, test clients, and a real
SMTP server (aiosmtpd) on a free loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.redis_server import RedisServer, running_redis
from tests.web import build_app, dispose
from tests.web.mail_server import MailServer


@pytest.fixture(scope="session", autouse=True)
def web_cache_dir(readiness_cache_dir: Path) -> Path:
    """READINESS_CACHE_DIR for the whole session (also inherited by the PDF worker): never ~/.cache.

    The same folder as the CLI tests' (tests/conftest.py): a second session-wide value would win or lose by
    which tests happen to run first.
    """
    return readiness_cache_dir


@pytest.fixture
def make_app(tmp_path: Path, web_cache_dir: Path) -> Iterator[Callable[..., Flask]]:
    """Factory: ``make_app(**config)`` -> a fresh app with its own database (disposed after the test)."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = build_app(tmp_path / f"app{len(apps)}", web_cache_dir, **overrides)
        apps.append(app)
        return app

    yield build
    for app in apps:
        dispose(app)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app as deployed: CSRF protection on."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser on the CSRF-protected app (one cookie jar)."""
    return app.test_client()


@pytest.fixture
def app_nocsrf(make_app: Callable[..., Flask]) -> Flask:
    """The app with CSRF off, for tests about something else."""
    return make_app(WTF_CSRF_ENABLED=False)


@pytest.fixture
def nocsrf_client(app_nocsrf: Flask) -> FlaskClient:
    """A browser on the app without CSRF."""
    return app_nocsrf.test_client()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1, stopped after the test; configure an app with ``mail_server.settings()``."""
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A throw-away Redis (Debian's redis-server, as the unprivileged ``redis`` user under root) for the session;
    tests that need it empty call ``flush()``."""
    with running_redis() as server:
        yield server
