"""The workshop's blueprint: every page on it needs a signed-in consultant."""

from __future__ import annotations

from flask import Blueprint

from assessment.web.accounts.sessions import login_required

bp = Blueprint("workshop", __name__)


@bp.before_request
@login_required
def require_consultant() -> None:
    """Every page here is a consultant's."""
