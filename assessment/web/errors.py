"""Friendly error pages (400, 403, 404, 413, 429, 500) with no stack trace, and CSRF expiry that loses nothing."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException

from assessment.web.store import NOT_SAVED_HEADERS, NotSaved

# Pages whose POST, on an expired token, is shown again with what was typed (nothing saved, nothing lost).
RETYPE_ON_EXPIRY = ("diagnosis.save_page", "respond.save", "workshop.consensus", "workshop.proposal", "team.finals")


def register(app: Flask) -> None:
    """Attach the error handlers to ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_expired(error: CSRFError) -> Any:
        """An expired or missing token on a questionnaire page: show the page again with what was typed."""
        view = app.view_functions.get(request.endpoint or "")
        if request.endpoint in RETYPE_ON_EXPIRY and view is not None:
            if request.blueprint == "workshop" and not current_user.is_authenticated:
                return app.login_manager.unauthorized()  # type: ignore[attr-defined]  # the view's own guard
            g.csrf_failed = True
            try:
                return view(**(request.view_args or {}))
            except HTTPException as problem:  # e.g. a wrong link: answer as that error, not a 500
                return app.handle_http_exception(problem)
        return _error_page(400, _("The form has expired. Please go back, reload the page and send it again.")), 400

    @app.errorhandler(400)
    def bad_request(error: Any) -> Any:
        description = getattr(error, "description", None)
        message = _("The request could not be understood.")
        if description and description != BadRequest.description:
            message = str(description)  # our own words, e.g. the loader's messages
        return _error_page(400, message), 400

    @app.errorhandler(403)
    def forbidden(error: Any) -> Any:
        """A change this account may not make (a reviewer's, a colleague's on what only the owner does, a
        non-admin's on the firm's pages): what it may do instead, in the reader's language."""
        description = getattr(error, "description", None)
        message = _("You can look at this, but your account may not make this change.")
        if description and description != Forbidden.description:
            message = str(description)
        return render_template("error.html", status=403, message=message, back=_page_read_only()), 403

    @app.errorhandler(404)
    def not_found(error: Any) -> Any:
        return _error_page(404, _("This page does not exist, or the link is wrong or incomplete.")), 404

    @app.errorhandler(413)
    def too_large(error: Any) -> Any:
        return _error_page(413, _("The file is too large (1 MB at most).")), 413

    @app.errorhandler(429)
    def too_many(error: Any) -> Any:
        return _error_page(429, _("Too many requests. Please wait a minute and try again.")), 429

    @app.errorhandler(500)
    def server_error(error: Any) -> Any:
        return _error_page(
            500,
            _(
                "Something went wrong on our side, and what you just sent may not have been saved. "
                "Go back, check the page and send it again."
            ),
        ), 500

    @app.errorhandler(NotSaved)
    def not_saved(error: NotSaved) -> Any:
        """A write the database did not take (locked, read-only): nothing was saved, say so, try again soon."""
        message = _(
            "Nothing was saved: the server could not store it just now. Go back (your browser keeps what you "
            "typed) and send it again in a moment."
        )
        return _error_page(503, message), 503, NOT_SAVED_HEADERS

    @app.errorhandler(OperationalError)
    @app.errorhandler(sqlite3.OperationalError)
    def database_unavailable(error: Exception) -> Any:
        """The database refused a statement outside the save paths (locked, read-only): the same honest 503."""
        return not_saved(NotSaved(str(error)))


def _error_page(status: int, message: str) -> str:
    return render_template("error.html", status=status, message=message)


def _page_read_only() -> str | None:
    """After a refused change to a client or round the account may read: that page, to go back to."""
    args = request.view_args or {}
    if g.get("client_access") is None:
        return None
    if "engagement_id" in args:
        return url_for("workshop.engagement", engagement_id=args["engagement_id"])
    if "client_id" in args:
        return url_for("workshop.client", client_id=args["client_id"])
    return None
