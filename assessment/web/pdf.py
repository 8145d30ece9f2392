"""PDF generation off the request threads: one worker process, so a render never starves the pages.

WeasyPrint holds the GIL for seconds; in a separate process it only takes a core. Finished PDFs are
kept under ``instance/pdf`` keyed by what they were built from, so a second download is instant.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_pool: ProcessPoolExecutor | None = None
_workers = 1


def configure(workers: int) -> None:
    """Set how many worker processes render PDFs (the pool starts on first use)."""
    global _workers
    _workers = max(1, workers)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=_workers, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def _render(document: dict[str, Any], lang: str) -> bytes:
    """Runs in the worker: parse, diagnose and render with the bundled content."""
    from assessment import diagnose, parse_assessment
    from assessment.content.cache import cached_content
    from assessment.report import load_branding, render_pdf

    content = cached_content()
    diagnosis = diagnose(parse_assessment(document, content), content)
    return render_pdf(diagnosis, content, lang, load_branding())  # type: ignore[arg-type]


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


_renderer_fingerprint: str | None = None


def pdf_for(document: dict[str, Any], lang: str, cache_dir: Path, fingerprint: str) -> bytes:
    """Return the proposal PDF for ``document``, from the cache or rendered in the worker process."""
    identity = [document, lang, fingerprint, renderer_fingerprint()]
    key = hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    path = cache_dir / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = _executor().submit(_render, document, lang).result(timeout=120)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pdf)
    temporary.replace(path)
    return pdf
