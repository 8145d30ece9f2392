"""What runs inside a PDF render process: its start-up (low priority, ends with its app worker) and one render."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assessment.content.model import Content
    from assessment.engine.diagnosis import Diagnosis
    from assessment.report.branding import Branding


def start_render_process(parent: int) -> None:
    """In each render process: lower priority, and die with the app worker that started it (Linux)."""
    os.nice(10)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills this process when its parent ends
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends it on a clean exit
        pass
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(0)


def render(
    document: dict[str, Any],
    lang: str,
    lock_path: str,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    trend: list[dict[str, Any]] | None = None,
    look: dict[str, Any] | None = None,
    logo_dir: str = "",
) -> bytes:
    """Runs in the worker: parse, diagnose and render; one render at a time across all app workers.
    ``previous`` is the last workshop's document, for the "since last workshop" section; ``prepared_by`` names
    the consultant on the cover; ``trend``, the client's rounds with their scores (three or more) for the chart;
    ``look``, the firm's own name, colour and logo (the logo written once under ``logo_dir``, the only file
    besides the report's own that the renderer may read).

    On the one-machine path the file lock keeps PDFs to one core however many gunicorn workers ask at once, so
    the other core is left to the pages; a queue's worker (no ``lock_path``) is a process of its own.
    """
    try:
        return _render(document, lang, lock_path, previous, prepared_by, trend, look, logo_dir)
    except Exception as failure:  # sent back as plain text: an exception that does not unpickle breaks the pool
        raise RenderError(f"{type(failure).__name__}: {failure}") from None


class RenderError(RuntimeError):
    """A render failed (the original exception's class and message, as text)."""


def _render(
    document: dict[str, Any],
    lang: str,
    lock_path: str,
    previous: dict[str, Any] | None,
    prepared_by: str,
    trend: list[dict[str, Any]] | None,
    look: dict[str, Any] | None,
    logo_dir: str,
) -> bytes:
    import fcntl

    from assessment.content.cache import cached_content
    from assessment.report import render_pdf
    from assessment.web.locale import as_lang

    content = cached_content()
    diagnosis, before, branding = proposal_inputs(document, content, previous, prepared_by, look, logo_dir)
    if not lock_path:  # a queue's worker: a process of its own, one render at a time already
        return render_pdf(diagnosis, content, as_lang(lang), branding, previous=before, trend=trend)
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return render_pdf(diagnosis, content, as_lang(lang), branding, previous=before, trend=trend)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def proposal_inputs(
    document: dict[str, Any],
    content: Content,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    look: dict[str, Any] | None = None,
    logo_dir: str = "",
) -> tuple[Diagnosis, Diagnosis | None, Branding]:
    """What a proposal is rendered from: the round's diagnosis, the last round's (None without one) and the
    branding (the firm's own ``look`` over the server's, its logo written under ``logo_dir``), with the
    consultant who prepared it on the cover."""
    from dataclasses import replace

    from assessment import diagnose, parse_assessment
    from assessment.report import load_branding
    from assessment.web.brand import branded

    diagnosis = diagnose(parse_assessment(document, content), content)
    before = diagnose(parse_assessment(previous, content), content) if previous else None
    branding = branded(load_branding(), look, Path(logo_dir)) if look else load_branding()
    if prepared_by:
        branding = replace(branding, prepared_by=prepared_by)
    return diagnosis, before, branding


def proposal_html(
    document: dict[str, Any],
    lang: str,
    content: Content,
    previous: dict[str, Any] | None = None,
    prepared_by: str = "",
    trend: list[dict[str, Any]] | None = None,
    look: dict[str, Any] | None = None,
    logo_dir: str = "",
) -> str:
    """The very HTML ``render`` prints, from the same data, for a browser: the logo inlined as a data: URI (the
    PDF reads it from its file), everything else as printed."""
    from assessment.report import render_html
    from assessment.web.locale import as_lang

    diagnosis, before, branding = proposal_inputs(document, content, previous, prepared_by, look, logo_dir)
    return render_html(diagnosis, content, as_lang(lang), branding, previous=before, trend=trend, inline_images=True)
