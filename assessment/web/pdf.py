"""PDF generation off the request threads, in a low-priority worker process, so pages never wait for it.

WeasyPrint holds the GIL and a core for seconds. The request that asks for a PDF starts the render in a
worker process (niced, so page requests get the CPU first) and answers at once with a page that
refreshes until the PDF is ready; no request thread is held for the render. Finished PDFs are kept
under ``instance/pdf``, keyed by the answers, the language, the content and the renderer itself.

A render process that dies (killed, out of memory) breaks its pool: the pool is replaced on the next request
and the claim of the failed render removed, so the next poll renders again. A claim names the process that
made it, so a claim whose owner is gone is taken over at once, not after minutes. Render processes ask the
kernel to end them when the app worker that started them ends, so a killed worker leaves no orphan behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import socket
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from flask import current_app

from assessment.web import render_queue
from assessment.web.brand import look_identity
from assessment.web.pdf_process import render, start_render_process
from assessment.web.render_queue import RenderFailed as RenderFailed  # re-exported: views catch pdf.RenderFailed
from assessment.web.security import mark_render_started

_pool: ProcessPoolExecutor | None = None
_workers = 1
_pending: dict[str, Future[bytes]] = {}
_lock = threading.Lock()
_renderer_fingerprint: str | None = None
CLAIM_STALE_AFTER = 300.0  # seconds: longer than any render, even under full load
ATTEMPTS = 2  # renders of one PDF that fail (raise) before the page says it failed, on the one-machine path


_cache_bytes = 500_000_000
_last_bound = 0.0
BOUND_EVERY = 60.0  # seconds between checks of the cache's size, per process


def configure(workers: int, cache_bytes: int = 500_000_000) -> None:
    """Set how many worker processes render PDFs (the pool starts on first use) and the cache's size."""
    global _workers, _cache_bytes
    _workers = max(1, workers)
    _cache_bytes = cache_bytes


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(
            max_workers=_workers, mp_context=context, initializer=start_render_process, initargs=(os.getpid(),)
        )
    return _pool


def render_process_ids() -> list[int]:
    """The process ids of this worker's render processes (none before the first render)."""
    pool = _pool
    processes = getattr(pool, "_processes", None) or {}
    return [process.pid for process in processes.values()]


def rendering_here(path: Path) -> bool:
    """Whether this process has started the render of ``path`` and is waiting for it."""
    return path.stem in _pending


def _discard_pool(broken: ProcessPoolExecutor | None) -> None:
    """Drop a pool whose process died; the next render starts a fresh one."""
    global _pool
    if broken is not None and _pool is broken:
        _pool = None
        broken.shutdown(wait=False, cancel_futures=True)


def _submit(*arguments: Any) -> Future[bytes]:
    """Start a render, replacing the pool once if a dead process has broken it."""
    for _attempt in range(2):
        pool = _executor()
        try:
            return pool.submit(render, *arguments)
        except BrokenProcessPool:
            _discard_pool(pool)
    raise BrokenProcessPool("the PDF render processes could not be started")


def renderer_fingerprint() -> str:
    """A hash of what shapes the PDF besides the answers: templates, stylesheet, translations, code."""
    global _renderer_fingerprint
    if _renderer_fingerprint is None:
        from assessment import resources

        root = Path(__file__).resolve().parents[2]
        digest = hashlib.sha256()
        sources = [
            *sorted(resources.report_templates_dir().rglob("*")),
            *sorted((root / "assessment" / "report").glob("*.py")),
            *sorted(resources.translations_dir().rglob("*.po")),
        ]
        for source in sources:
            if source.is_file():
                digest.update(source.read_bytes())
        _renderer_fingerprint = digest.hexdigest()[:16]
    return _renderer_fingerprint


def requested_pdf(
    document: dict[str, Any],
    lang: str,
    fingerprint: str,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    trend: list[dict[str, Any]] | None = None,
    look: dict[str, Any] | None = None,
    retry: bool = False,
) -> bytes | None:
    """The PDF a request asks for: from the job queue when REDIS_URL is set, else from this machine's render
    processes. None while it is being made; :class:`RenderFailed` once it failed (``retry`` tries again)."""
    wait = float(current_app.config.get("READINESS_PDF_WAIT", 0))
    cache_dir = Path(current_app.instance_path) / "pdf"
    renders = render_queue.configured()
    if renders is None:
        return pdf_for(document, lang, cache_dir, fingerprint, wait, previous, prepared_by, trend, look, retry)
    key = cached_path(document, lang, cache_dir, fingerprint, previous, prepared_by, trend, look).stem
    arguments = {"document": document, "lang": lang, "previous": previous, "prepared_by": prepared_by,
                 "trend": trend, "look": look}  # fmt: skip
    return render_queue.queued_pdf(renders, key, arguments, wait, retry)


def pdf_for(
    document: dict[str, Any],
    lang: str,
    cache_dir: Path,
    fingerprint: str,
    wait: float = 0.0,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    trend: list[dict[str, Any]] | None = None,
    look: dict[str, Any] | None = None,
    retry: bool = False,
) -> bytes | None:
    """The proposal PDF if it is ready (waiting up to ``wait`` seconds), else None while it renders. ``look``: the
    consultant's firm's own name, colour and logo (``brand.proposal_look``), over the server's branding.
    Raises :class:`RenderFailed` once it failed :data:`ATTEMPTS` times, unless ``retry`` asks for a fresh try."""
    path = cached_path(document, lang, cache_dir, fingerprint, previous, prepared_by, trend, look)
    key = path.stem
    if path.is_file():
        return path.read_bytes()
    if failed_attempts(path) >= ATTEMPTS:
        if not retry:
            raise RenderFailed(key)
        path.with_suffix(".failed").unlink(missing_ok=True)
    with _lock:
        future = _pending.get(key)
        if future is None and claim(path):
            try:
                lock = str(cache_dir / ".render.lock")
                future = _submit(document, lang, lock, previous, prepared_by, trend, look, str(cache_dir / "logos"))
            except BaseException:
                path.with_suffix(".rendering").unlink(missing_ok=True)
                raise
            mark_render_started()
            pool = _pool
            _pending[key] = future
            future.add_done_callback(lambda done: _store(done, path, key, pool))
    if future is None:  # another app worker is rendering this very PDF: its file will appear
        return _file_within(path, wait)
    try:
        return future.result(timeout=wait) if wait > 0 or future.done() else None
    except FutureTimeout:
        return None
    except BrokenProcessPool:  # its render process died: the claim is gone and the next poll renders again
        return None


def cached_path(
    document: dict[str, Any],
    lang: str,
    cache_dir: Path,
    fingerprint: str,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    trend: list[dict[str, Any]] | None = None,
    look: dict[str, Any] | None = None,
) -> Path:
    """Where the PDF of exactly these inputs (and this renderer) is kept once rendered."""
    identity: list[Any] = [document, lang, fingerprint, renderer_fingerprint()]
    identity += [previous, prepared_by] if previous or prepared_by else []
    identity += [trend] if trend else []  # only when there is one: the PDFs cached before it keep their names
    identity += [{"look": look_identity(look)}] if look else []  # likewise for a firm's own look
    key = hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    return cache_dir / f"{key}.pdf"


def claim(path: Path) -> bool:
    """Whether this process may start rendering ``path``: no other app worker has claimed it, or its claim is
    stale.

    The "preparing" page polls, and each poll may land on another gunicorn worker, whose own pending
    renders know nothing of this one's: without a claim every worker would render the same PDF again. A
    claim names its owner (host and process id): a claim whose owner process has ended is taken over at once;
    one from another host, or unreadable, after ``CLAIM_STALE_AFTER``.
    """
    claim = path.with_suffix(".rendering")
    claim.parent.mkdir(parents=True, exist_ok=True)
    owner = f"{socket.gethostname()}:{os.getpid()}"
    try:
        descriptor = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        try:
            stale = _claim_is_stale(claim)
        except FileNotFoundError:  # finished (or failed) a moment ago
            return not path.is_file()
        if stale:
            claim.write_text(owner, encoding="utf-8")
        return stale
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(owner)
    return True


def _claim_is_stale(claim: Path) -> bool:
    """A claim whose owner process on this host is gone, or one older than any render."""
    age = time.time() - claim.stat().st_mtime
    host, _sep, pid = claim.read_text(encoding="utf-8", errors="replace").partition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True  # its worker died (or restarted) mid-render
        except PermissionError:
            pass  # alive, under another user
    return age > CLAIM_STALE_AFTER


def _file_within(path: Path, wait: float) -> bytes | None:
    deadline = time.monotonic() + wait
    while True:
        if path.is_file():
            return path.read_bytes()
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def _store(future: Future[bytes], path: Path, key: str, pool: ProcessPoolExecutor | None = None) -> None:
    """Keep a finished PDF; whatever happened, remove the claim so a failed render is tried again."""
    try:
        failure = future.exception()
        if failure is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(future.result())
            temporary.replace(path)
            _keep_cache_bounded(path.parent)
        else:
            logging.getLogger(__name__).warning("PDF render failed (%s): %r", path.name, failure)
            if isinstance(failure, BrokenProcessPool):  # its process was killed: the next poll renders again
                _discard_pool(pool)
            else:  # the render itself failed: counted, and shown as failed after ATTEMPTS
                _count_failure(path)
    finally:
        path.with_suffix(".rendering").unlink(missing_ok=True)
        # Without taking _lock: this runs on the pool's manager thread, and a request thread may hold _lock while
        # it waits in pool.submit() for that same thread (a deadlock seen when a render failed within
        # milliseconds of being submitted). One dict.pop is atomic.
        _pending.pop(key, None)


def failed_attempts(path: Path) -> int:
    """How many renders of ``path`` failed since it was last asked for afresh (0 when none did)."""
    try:
        return int(path.with_suffix(".failed").read_text(encoding="ascii").strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _count_failure(path: Path) -> None:
    record = path.with_suffix(".failed")
    temporary = path.with_suffix(f".{os.getpid()}.failing")
    temporary.write_text(str(failed_attempts(path) + 1), encoding="ascii")
    temporary.replace(record)


def _keep_cache_bounded(cache_dir: Path) -> None:
    """After a render, at most once a minute: delete the least recently used PDFs beyond the cache's size."""
    global _last_bound
    now = time.monotonic()
    if now - _last_bound < BOUND_EVERY:
        return
    _last_bound = now
    from assessment.web.purge import bound_cache

    bound_cache(cache_dir, _cache_bytes)
