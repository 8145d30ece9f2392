"""Answers several features give the same way: a download, a PDF still being made, a save the database refused."""

from __future__ import annotations

from typing import Any

from flask import render_template

from assessment.web.store import NOT_SAVED_HEADERS


def attachment(name: str) -> dict[str, str]:
    """The headers that make the browser save the body as ``name``."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def preparing() -> Any:
    """The PDF is being made in the background: a page that reloads itself (no script) until it is there."""
    return render_template("preparing.html"), 202, {"Retry-After": "2", "Cache-Control": "no-store"}


def not_saved(body: str) -> Any:
    """The database did not take the write: 503, try again shortly, with what was typed still on the page."""
    return body, 503, NOT_SAVED_HEADERS
