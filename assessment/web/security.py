"""Security headers and rate limits for every response."""

from __future__ import annotations

from flask import Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Pages behind a secret link or a sign-in: never kept by a browser or proxy cache.
PRIVATE_PREFIXES = ("/a/", "/r/", "/j/", "/clients", "/engagements", "/account", "/login")

limiter = Limiter(key_func=get_remote_address)


def set_security_headers(response: Response) -> Response:
    """Add CSP (no inline script), nosniff, no framing and a strict referrer policy."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"  # resume links carry a secret token
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    return response
