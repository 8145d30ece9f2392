"""A small cookie-keeping HTTP client for tests against the live server (urllib: nothing to install)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Reply:
    """Status, final URL and body of one request."""

    status: int
    url: str
    body: bytes

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", errors="replace")

    def csrf(self) -> str:
        """The CSRF token of the first form on the page."""
        match = CSRF.search(self.text)
        assert match, f"no csrf_token on {self.url} ({self.status})"
        return match.group(1) or match.group(2)


class Browserless:
    """One visitor: keeps its own cookies, follows redirects, never raises on 4xx/5xx."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> Reply:
        """GET ``path`` (relative to the server, or absolute)."""
        return self._open(urllib.request.Request(self._url(path)))

    def post(self, path: str, data: dict[str, str] | list[tuple[str, str]]) -> Reply:
        """POST a form to ``path``."""
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self._url(path), data=body, method="POST"))

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(response.status, response.url, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.url, error.read())
