"""The workshop's blueprint: every page on it needs a signed-in consultant."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from assessment.web.accounts.sessions import login_required
from assessment.web.workshop import access

bp = Blueprint("workshop", __name__)


@bp.before_request
@login_required
def require_consultant() -> None:
    """Every page here is a consultant's."""


@bp.context_processor
def access_words() -> dict[str, Any]:
    """What a page may offer: ``can_edit()`` (owner or co-facilitator) and ``is_owner()`` (the client's own
    consultant); a reviewer gets the pages with no editing form."""
    return {"can_edit": access.can_edit, "is_owner": access.is_owner}
