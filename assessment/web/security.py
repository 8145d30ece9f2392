"""Security headers and rate limits for every response."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from flask import Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

from assessment.web import rate_store  # noqa: F401 - registers the readiness-sqlite:// storage scheme

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Pages behind a secret link or a sign-in: never kept by a browser or proxy cache.
PRIVATE_PREFIXES = ("/a/", "/r/", "/j/", "/clients", "/engagements", "/account", "/login", "/firm")

# A counter store that fails (Redis down, the counters' file unwritable) lets the request through, logged, rather
# than failing it: the answers and sign-ins do not depend on the counters. Set here, not from the config: the
# Limiter is one object per process and Flask-Limiter reads that setting only from the first app it meets.
limiter = Limiter(key_func=get_remote_address, swallow_errors=True)
# Showing and saving a questionnaire page skip the limiter: both sit behind a 256-bit token, and new tokens come
# only from the rate-limited /start. The firm's stylesheet and logo, asked again (a 304) with every page a
# signed-in consultant opens, skip it too: they are the signed-in consultant's own firm's, and tiny.
UNLIMITED_ENDPOINTS = frozenset({"diagnosis.page", "diagnosis.save_page", "brand.style", "brand.logo"})


@limiter.request_filter
def unlimited() -> bool:
    """True for the endpoints the limiter leaves alone. A request filter ends the limiter's work at once
    (``@limiter.exempt`` still resolves every limit first: an eighth of a cached page's time)."""
    return request.endpoint in UNLIMITED_ENDPOINTS


class SweptMemoryStorage(MemoryStorage):
    """limits' in-process storage, with expired counters swept inline at most once a second.

    The stock storage starts a new 10 ms ``threading.Timer`` whenever the previous one has run out, so
    a busy worker starts ~100 threads a second, and each start makes the request wait until the new
    thread gets the GIL: up to a 5 ms switch interval per request under load. Counters already expire
    when read (``get``); the sweep only frees the memory of keys nobody reads again.
    """

    STORAGE_SCHEME = ["readiness-memory"]  # noqa: RUF012 - limits registers the scheme when the class is made
    SWEEP_EVERY = 1.0  # seconds

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._last_sweep = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # overrides the parent's name-mangled hook
        now = time.monotonic()
        if now - self._last_sweep >= self.SWEEP_EVERY:
            self._last_sweep = now
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


def set_security_headers(response: Response) -> Response:
    """Add CSP (no inline script), nosniff, no framing and a strict referrer policy."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # Resume links carry a secret token: never sent to another site. To this site the browser does send the page's
    # address, which CSRF protection requires of every form sent over HTTPS (Flask-WTF's strict check); with
    # "no-referrer" no form could be sent behind an HTTPS proxy (tests/e2e/test_deployment.py).
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    return response


def mark_render_started() -> None:
    """Mark the request as one that started a render (the rate limit counts only those, not the polls)."""
    with contextlib.suppress(RuntimeError):  # outside a request (tests, scripts) there is nothing to mark
        g.render_started = True


def started_a_render(_response: Any) -> bool:
    """Flask-Limiter's ``deduct_when``: only a request that started a render counts against the limit."""
    return bool(g.get("render_started"))
