"""The only way the PDF renderer reaches outside the HTML: a fetcher that refuses all but known files.

User text is escaped before it reaches the HTML, so it cannot add a URL; this fetcher is the second
wall. It allows ``file:`` URLs inside the report's own template folder and the configured logo, and
refuses everything else (``http:``, ``https:``, ``data:``, ``ftp:``, any other file), recording what
it refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class RefusedURL(ValueError):
    """Raised for a URL the report may not fetch (WeasyPrint skips the resource)."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher limited to the report's assets and the branding logo."""

    def __init__(self, allowed_files: Iterable[str | Path] = (), allowed_dirs: Iterable[str | Path] = ()) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.allowed_files = {Path(p).resolve() for p in allowed_files}
        self.allowed_dirs = [Path(p).resolve() for p in allowed_dirs]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` only when it is an allowed local file; refuse and record anything else."""
        parsed = urlparse(url)
        if parsed.scheme == "file" and not parsed.netloc:
            path = Path(unquote(parsed.path)).resolve()
            allowed_dir = any(path.is_relative_to(folder) for folder in self.allowed_dirs)
            if (path in self.allowed_files or allowed_dir) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.refused.append(url[:200])
        raise RefusedURL(f"not fetched: {url[:80]}")
