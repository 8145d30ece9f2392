"""The firm's blueprint: every page under /firm is for a signed-in admin of the firm."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user

from assessment.web.accounts.sessions import login_required

bp = Blueprint("firm", __name__, url_prefix="/firm")


@bp.before_request
@login_required
def require_firm_admin() -> None:
    """Only the firm's admins manage its accounts and look: anyone else gets a 403 that says so."""
    if not current_user.is_firm_admin:
        abort(403, description=_("Only your firm's admins can open the firm's pages. Ask one of them."))
