"""Rendered questionnaire pages, kept per saved revision so a page that has not changed is not rendered again.

A page's HTML depends only on the stored answers and drafts (one revision of the row), the page, the
language, the host (the resume link) and who is signed in, as the header shows them (their firm's look, their
admin link). The CSRF token is the one per-request part: the cached HTML holds a placeholder that is swapped
for a fresh token on every request. Each worker process keeps its own bounded LRU; a save bumps the revision,
so a stale entry is simply never asked for again and ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

CSRF_PLACEHOLDER = "\x00csrf\x00"  # never in real output: markup escaping would not produce NUL
MAX_PAGES = 512


class PageCache:
    """A thread-safe LRU of rendered pages."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        """The cached HTML for ``key``, if any (and mark it recently used)."""
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
            return html

    def put(self, key: Hashable, html: str) -> None:
        """Keep ``html`` under ``key``, dropping the least recently used page beyond the size."""
        with self._lock:
            self._pages[key] = html
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._pages.clear()
