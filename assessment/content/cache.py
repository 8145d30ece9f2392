"""A compiled-content cache for the command line, like Python's own ``.pyc`` files.

Validating the content takes pydantic and about 0.2 s; a diagnosis takes a few milliseconds. The CLI
therefore keeps the validated content, pickled, under the user's cache folder, keyed by the bytes of
every content file and of the code of the pickled classes, and validates again whenever either changes. Anything odd
about the cache (missing, unreadable, stale, from another version) just means loading afresh.
Long-running processes (the web app) call :func:`load_content` once and need none of this.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from assessment import vocabulary
from assessment.content import conditions, model
from assessment.content.loader import DEFAULT_CONTENT_DIR, FILES, load_content
from assessment.content.model import Content


def cache_dir() -> Path:
    """Return the folder for cached content (READINESS_CACHE_DIR, else the XDG cache home)."""
    explicit = os.environ.get("READINESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "readiness"


def _key(folder: Path) -> str | None:
    digest = hashlib.sha256(sys.version.encode())
    try:
        for source in (model.__file__, conditions.__file__, vocabulary.__file__):
            digest.update(Path(source).read_bytes())
        for name in FILES:
            digest.update((folder / f"{name}.yaml").read_bytes())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def cached_content(directory: Path | str | None = None) -> Content:
    """Return the validated content, from the cache when it is current, else loading and caching it."""
    folder = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    key = _key(folder)
    if key is None or os.environ.get("READINESS_NO_CACHE"):
        return load_content(folder)
    path = cache_dir() / f"content-{key}.pickle"
    try:
        with path.open("rb") as cached:
            content = pickle.load(cached)
        if isinstance(content, Content):
            return content
    except Exception:
        pass
    content = load_content(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(content, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass
    return content
