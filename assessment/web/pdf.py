"""PDF generation off the request threads, in a low-priority worker process, so pages never wait for it.

WeasyPrint holds the GIL and a core for seconds. The request that asks for a PDF starts the render in a
worker process (niced, so page requests get the CPU first) and answers at once with a page that
refreshes until the PDF is ready; no request thread is held for the render. Finished PDFs are kept
under ``instance/pdf``, keyed by the answers, the language, the content and the renderer itself.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

_pool: ProcessPoolExecutor | None = None
_workers = 1
_pending: dict[str, Future[bytes]] = {}
_lock = threading.Lock()
_renderer_fingerprint: str | None = None
CLAIM_STALE_AFTER = 300.0  # seconds: longer than any render, even under full load


def configure(workers: int) -> None:
    """Set how many worker processes render PDFs (the pool starts on first use)."""
    global _workers
    _workers = max(1, workers)


def _lower_priority() -> None:
    os.nice(10)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=_workers, mp_context=context, initializer=_lower_priority)
    return _pool


def _render(
    document: dict[str, Any], lang: str, lock_path: str, previous: dict[str, Any] | None = None, prepared_by: str = ""
) -> bytes:
    """Runs in the worker: parse, diagnose and render; one render at a time across all app workers.
    ``previous`` is the last workshop's document, for the "since last workshop" section; ``prepared_by`` names
    the consultant on the cover.

    The file lock keeps PDFs to one core however many gunicorn workers ask at once, so the other core
    is left to the pages.
    """
    import fcntl
    from dataclasses import replace

    from assessment import diagnose, parse_assessment
    from assessment.content.cache import cached_content
    from assessment.report import load_branding, render_pdf

    content = cached_content()
    diagnosis = diagnose(parse_assessment(document, content), content)
    before = diagnose(parse_assessment(previous, content), content) if previous else None
    branding = load_branding()
    if prepared_by:
        branding = replace(branding, prepared_by=prepared_by)
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return render_pdf(diagnosis, content, lang, branding, previous=before)  # type: ignore[arg-type]
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def renderer_fingerprint() -> str:
    """A hash of what shapes the PDF besides the answers: templates, stylesheet, translations, code."""
    global _renderer_fingerprint
    if _renderer_fingerprint is None:
        root = Path(__file__).resolve().parents[2]
        digest = hashlib.sha256()
        sources = [
            *sorted((root / "templates" / "report").rglob("*")),
            *sorted((root / "assessment" / "report").glob("*.py")),
            *sorted((root / "assessment" / "translations").rglob("*.po")),
        ]
        for source in sources:
            if source.is_file():
                digest.update(source.read_bytes())
        _renderer_fingerprint = digest.hexdigest()[:16]
    return _renderer_fingerprint


def pdf_for(
    document: dict[str, Any],
    lang: str,
    cache_dir: Path,
    fingerprint: str,
    wait: float = 0.0,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
) -> bytes | None:
    """The proposal PDF if it is ready (waiting up to ``wait`` seconds), else None while it renders."""
    path = cached_path(document, lang, cache_dir, fingerprint, previous, prepared_by)
    key = path.stem
    if path.is_file():
        return path.read_bytes()
    with _lock:
        future = _pending.get(key)
        if future is None and _claim(path):
            future = _executor().submit(_render, document, lang, str(cache_dir / ".render.lock"), previous, prepared_by)
            _pending[key] = future
            future.add_done_callback(lambda done: _store(done, path, key))
    if future is None:  # another app worker is rendering this very PDF: its file will appear
        return _file_within(path, wait)
    try:
        return future.result(timeout=wait) if wait > 0 or future.done() else None
    except FutureTimeout:
        return None


def cached_path(
    document: dict[str, Any],
    lang: str,
    cache_dir: Path,
    fingerprint: str,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
) -> Path:
    """Where the PDF of exactly these inputs (and this renderer) is kept once rendered."""
    identity = [
        document,
        lang,
        fingerprint,
        renderer_fingerprint(),
        *([previous, prepared_by] if previous or prepared_by else []),
    ]
    key = hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    return cache_dir / f"{key}.pdf"


def _claim(path: Path) -> bool:
    """Whether this process may start rendering ``path``: no other app worker has claimed it recently.

    The "preparing" page polls, and each poll may land on another gunicorn worker, whose own pending
    renders know nothing of this one's: without a claim every worker would render the same PDF again.
    A claim older than ``CLAIM_STALE_AFTER`` (its worker died mid-render) is taken over.
    """
    claim = path.with_suffix(".rendering")
    claim.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except FileExistsError:
        try:
            stale = time.time() - claim.stat().st_mtime > CLAIM_STALE_AFTER
        except FileNotFoundError:  # finished (or failed) a moment ago
            return not path.is_file()
        if stale:
            os.utime(claim)
        return stale


def _file_within(path: Path, wait: float) -> bytes | None:
    deadline = time.monotonic() + wait
    while True:
        if path.is_file():
            return path.read_bytes()
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def _store(future: Future[bytes], path: Path, key: str) -> None:
    try:
        if future.exception() is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(future.result())
            temporary.replace(path)
    finally:
        path.with_suffix(".rendering").unlink(missing_ok=True)  # a failed render may be tried again
        with _lock:
            _pending.pop(key, None)
