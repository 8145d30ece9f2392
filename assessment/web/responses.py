"""Answers several features give the same way: a download, a PDF still being made, a save the database refused."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _

from assessment.web.store import NOT_SAVED_HEADERS


def attachment(name: str) -> dict[str, str]:
    """The headers that make the browser save the body as ``name``."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def preparing() -> Any:
    """The PDF is being made in the background: a page that says so and leads back to where the visitor came
    from. app.js asks for the PDF every two seconds and downloads it once it is there; without script, a link
    reloads. The page does not refresh itself (that takes the page from under a screen reader)."""
    back, label = _way_back()
    body = render_template("preparing.html", pdf_url=request.full_path.rstrip("?"), back=back, back_label=label)
    return body, 202, {"Retry-After": "2", "Cache-Control": "no-store"}


def _way_back() -> tuple[str, str]:
    """The page a PDF was asked for from, and the words of the link back to it."""
    args = request.view_args or {}
    if request.endpoint == "diagnosis.report":
        return url_for("diagnosis.results_page", token=args["token"]), _("Back to the results")
    if request.endpoint == "workshop.proposal_pdf":
        return url_for("workshop.proposal", engagement_id=args["engagement_id"]), _("Back to the proposal")
    return url_for("diagnosis.landing"), _("Back to the start page")


def not_saved(body: str) -> Any:
    """The database did not take the write: 503, try again shortly, with what was typed still on the page."""
    return body, 503, NOT_SAVED_HEADERS
